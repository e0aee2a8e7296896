"""Queries on saved routes. Listing never loads the points blob."""

from __future__ import annotations

import builtins
import json
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import defer

from backstride.adapters.db import records
from backstride.adapters.db.blobs import decode_streams, encode_streams
from backstride.adapters.db.repo import Repo
from backstride.adapters.db.route_tables import RouteRow
from backstride.domain.activity import Streams
from backstride.domain.routes import (
    Route,
    TaxingScore,
    route_key,
)
from backstride.errors import NotFoundError


def taxing_to_json(taxing: TaxingScore) -> str:
    data: dict[str, Any] = {
        "version": taxing.version,
        "score": taxing.score,
        "band": taxing.band,
        "parts": [{"key": p.key, "points": p.points, "text": p.text} for p in taxing.parts],
        "explanation": list(taxing.explanation),
    }
    return json.dumps(data, allow_nan=False)


row_to_route = records.route


class RouteRepo(Repo):
    def add(self, athlete_id: int, route: Route, points: Streams) -> int:
        t = route.terrain
        row = RouteRow(
            athlete_id=athlete_id,
            name=route.name,
            name_key=route_key(route.name),
            source_kind=route.source_kind,
            source=route.source[:1000],
            source_activity_id=route.source_activity_id,
            distance_m=t.distance_m,
            climb_m=t.climb_m,
            descent_m=t.descent_m,
            steep_descent_m=t.steep_descent_m,
            steep_descent_share=t.steep_descent_share,
            longest_descent_drop_m=t.longest_descent_drop_m,
            surface=t.surface.value if t.surface else None,
            n_points=route.n_points,
            points=encode_streams(points),
            taxing_version=route.taxing.version,
            taxing_score=route.taxing.score,
            taxing_json=taxing_to_json(route.taxing),
        )
        return self._insert(row).id

    def _row(self, athlete_id: int, name: str) -> RouteRow | None:
        stmt = (
            select(RouteRow)
            .options(defer(RouteRow.points))
            .where(RouteRow.athlete_id == athlete_id, RouteRow.name_key == route_key(name))
        )
        return self.session.scalars(stmt).first()

    def find(self, athlete_id: int, name: str) -> Route | None:
        row = self._row(athlete_id, name)
        return row_to_route(row) if row is not None else None

    def get(self, athlete_id: int, name: str) -> Route:
        route = self.find(athlete_id, name)
        if route is None:
            known = [r.name for r in self.list(athlete_id)]
            raise NotFoundError(
                f"There is no saved route called '{name}'.",
                hint=(
                    f"Saved routes: {', '.join(known)}."
                    if known
                    else "Save one first: `backstride route add FILE --name NAME`."
                ),
            )
        return route

    def list(self, athlete_id: int) -> builtins.list[Route]:
        stmt = (
            select(RouteRow)
            .options(defer(RouteRow.points))
            .where(RouteRow.athlete_id == athlete_id)
            .order_by(RouteRow.taxing_score, RouteRow.name_key)
        )
        return [row_to_route(r) for r in self.session.scalars(stmt)]

    def points(self, athlete_id: int, name: str) -> Streams:
        row = self._row(athlete_id, name)
        if row is None:
            raise NotFoundError(f"There is no saved route called '{name}'.")
        return decode_streams(row.points)

    def update_score(self, athlete_id: int, name: str, route: Route) -> None:
        row = self._row(athlete_id, name)
        if row is None:
            raise NotFoundError(f"There is no saved route called '{name}'.")
        t = route.terrain
        row.distance_m = t.distance_m
        row.climb_m = t.climb_m
        row.descent_m = t.descent_m
        row.steep_descent_m = t.steep_descent_m
        row.steep_descent_share = t.steep_descent_share
        row.longest_descent_drop_m = t.longest_descent_drop_m
        row.taxing_version = route.taxing.version
        row.taxing_score = route.taxing.score
        row.taxing_json = taxing_to_json(route.taxing)
        self.session.flush()

    def delete(self, athlete_id: int, name: str) -> None:
        route = self.get(athlete_id, name)
        self.session.execute(delete(RouteRow).where(RouteRow.id == route.id))
        self.session.flush()
