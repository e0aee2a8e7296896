"""Saved routes through the services: from GPX routes, recorded files and past runs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from backstride.errors import ConflictError, InvalidInputError, NotFoundError
from backstride.services.context import App
from backstride.services.importing import import_paths
from backstride.services.routes import (
    add_route_file,
    add_route_from_activity,
    compare_routes,
    delete_route,
    list_routes,
    saved_routes,
)
from tests.cli.scenario_kit import Runner, gpx_route


def _runner(tmp_path: Path) -> Runner:
    folder = tmp_path / "files"
    folder.mkdir()
    return Runner(lambda *a: None, folder)


def test_a_gpx_route_is_saved_with_its_score_and_explanation(app: App, tmp_path: Path) -> None:
    path = tmp_path / "flat.gpx"
    path.write_bytes(gpx_route("Lake path", 5.0))
    view = add_route_file(app, path, name="Lake path", surface="road")
    d = view.to_json()
    assert d["distance_km"] == pytest.approx(5.0, abs=0.05)
    assert d["surface"] == "road" and d["band"] == "gentle"
    assert d["explanation"] == ["Flat and even: the gentlest kind of route for a sore back."]
    assert d["source_kind"] == "file" and d["source"] == "flat.gpx"


def test_a_recorded_file_and_a_past_run_become_routes(app: App, tmp_path: Path) -> None:
    r = _runner(tmp_path)
    steep = r.run(date(2025, 6, 1), 5.0, profile="steep", trail=True)
    flat = r.run(date(2025, 6, 3), 5.0, fmt="gpx")
    report = import_paths(app, [r.folder / steep], workers=1)
    activity_id = report.files[0].activity_ids[0]
    hill = add_route_from_activity(app, activity_id, name="Hill")
    assert hill.route.source_activity_id == activity_id
    assert hill.route.terrain.surface is not None and hill.route.terrain.surface.value == "trail"
    assert any("steep descent" in line for line in hill.route.taxing.explanation)
    river = add_route_file(app, r.folder / flat, name="River")
    comparison = compare_routes(app, ["hill", "River", "River"])
    assert [v.route.name for v in comparison.routes] == ["River", "Hill"]
    assert comparison.to_json()["gentlest"] == "River"
    assert river.route.taxing.score < hill.route.taxing.score
    assert [s.name for s in saved_routes(app)] == ["River", "Hill"]
    assert [v.route.name for v in list_routes(app).routes] == ["River", "Hill"]


def test_names_are_unique_and_unknown_names_are_clear(app: App, tmp_path: Path) -> None:
    path = tmp_path / "a.gpx"
    path.write_bytes(gpx_route("A", 2.0))
    add_route_file(app, path, name="Loop")
    with pytest.raises(ConflictError):
        add_route_file(app, path, name=" loop ")
    with pytest.raises(NotFoundError):
        compare_routes(app, ["Loop", "Nope"])
    with pytest.raises(InvalidInputError):
        add_route_file(app, path, name="Other", surface="sand")
    assert delete_route(app, "LOOP") == "Loop"
    assert list_routes(app).routes == ()


def test_a_run_without_gps_cannot_be_a_route(app: App) -> None:
    from backstride.services.activities import ManualEntry, log_manual

    aid = log_manual(
        app,
        ManualEntry(day=date(2025, 6, 1), sport="treadmill_run", duration_s=1800, distance_m=5000),
        today=date(2025, 6, 2),
    )
    with pytest.raises(InvalidInputError, match="no GPS positions"):
        add_route_from_activity(app, aid, name="Treadmill")
