"""The routes table: migration 0004 up and down, and the repository round trip."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from alembic import command
from sqlalchemy import inspect

from backstride.adapters.db.engine import Store, _alembic_config, current_revision
from backstride.adapters.db.repos import AthleteRepo
from backstride.adapters.db.route_repos import RouteRepo
from backstride.domain.activity import Streams, Surface
from backstride.domain.routes import Route, compute_route_terrain, compute_taxing_score
from backstride.errors import NotFoundError
from tests.databases import DbBackend


def tables(store: Store) -> set[str]:
    return set(inspect(store.engine).get_table_names())


def test_migration_0004_creates_and_drops_the_routes_table(
    tmp_path: Path, db_backend: DbBackend
) -> None:
    store = Store(db_backend.new_url(tmp_path, filename="m.sqlite3", empty=True))
    assert "routes" in tables(store)
    cfg = _alembic_config(store.engine)
    command.downgrade(cfg, "0003")
    assert current_revision(store.engine) == "0003"
    assert "routes" not in tables(store)
    command.upgrade(cfg, "0004")
    assert "routes" in tables(store)
    command.upgrade(cfg, "head")
    store.dispose()


def _route(name: str) -> tuple[Route, Streams]:
    d = np.linspace(0.0, 3000.0, 301)
    alt = 400.0 + np.where(d > 2000.0, -(d - 2000.0) * 0.1, 0.0)
    terrain = compute_route_terrain(d, alt, surface=Surface.TRAIL)
    pts = Streams.from_columns(
        {
            "time_s": np.zeros(d.size),
            "lat_deg": 47.0 + d / 111195.0,
            "lon_deg": np.full(d.size, 8.0),
            "altitude_m": alt,
            "distance_m": d,
        }
    )
    route = Route(name, "file", "x.gpx", terrain, compute_taxing_score(terrain), int(d.size))
    return route, pts


def test_routes_round_trip_and_listing_skips_the_points(
    tmp_path: Path, db_backend: DbBackend
) -> None:
    store = Store(db_backend.new_url(tmp_path, filename="r.sqlite3"))
    with store.session() as s:
        aid = AthleteRepo(s).get_or_create_default()
        repo = RouteRepo(s)
        route, pts = _route("Forest Loop")
        repo.add(aid, route, pts)
    with store.session() as s:
        repo = RouteRepo(s)
        got = repo.get(aid, "forest  loop")
        assert got.name == "Forest Loop"
        assert got.taxing == route.taxing
        assert got.terrain.surface is Surface.TRAIL
        assert got.terrain.steep_descent_m == pytest.approx(route.terrain.steep_descent_m)
        back = repo.points(aid, "Forest Loop")
        assert back.altitude_m is not None and np.allclose(back.altitude_m, pts.altitude_m)
        assert [r.name for r in repo.list(aid)] == ["Forest Loop"]
        with pytest.raises(NotFoundError) as info:
            repo.get(aid, "Nope")
        assert "Forest Loop" in (info.value.hint or "")
        repo.delete(aid, "Forest Loop")
        assert repo.list(aid) == []
    store.dispose()
