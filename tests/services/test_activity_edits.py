"""Editing an activity (``services.activities.apply_edit``): only what changed is written,
the analysis is computed before the write lock is taken and stored in the edit's
transaction, and the outcome tells whether the training load changed (the dashboard's cache
drops the load's answers only then)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from backstride.adapters.db.engine import read_data_version
from backstride.adapters.db.metrics_repo import MetricsRepo
from backstride.adapters.db.repos import ActivityRepo
from backstride.domain.activity import Activity
from backstride.domain.metrics import ActivityAnalysis, HeartProfile
from backstride.services import activities as activities_service
from backstride.services.activities import ActivityEdit, apply_edit, edit_activity
from backstride.services.context import App
from backstride.services.training import (
    analyse_stored,
    analysis_profile,
    load_columns,
    refresh_metrics,
    stored_load_columns,
)
from tests.web.synthetic import synthetic_activity

DAY = date(2026, 1, 5)


def _stored_run(app: App, *, rpe: float | None = 5.0) -> int:
    activity = synthetic_activity(1, day=DAY, sample_s=60.0)  # a road run with heart rate
    with app.store.session() as session:
        activity_id = ActivityRepo(session).add(
            app.athlete_id,
            replace(activity, rpe=rpe, name="Morning run"),
            source_label="run-1.fit",
            content_hash=None,
        )
    refresh_metrics(app)
    return activity_id


def _data_version(app: App) -> int:
    with app.store.read_session() as session:
        return read_data_version(session, app.athlete_id)


def _analysis_as_stored_matches_a_fresh_one(app: App, activity_id: int) -> None:
    """The stored analysis is the one the activity as stored gives now."""
    profile = analysis_profile(app)
    with app.store.read_session() as session:
        activity = ActivityRepo(session).get(app.athlete_id, activity_id, with_streams=True)
        fresh = analyse_stored(activity, heart=profile.heart)
        assert stored_load_columns(session, activity_id) == load_columns(activity, fresh, profile)
        row = MetricsRepo(session).get(activity_id)
        assert row is not None
        assert row.surface == (fresh.surface.value if fresh.surface else None)
        assert row.sport == activity.sport.value


def test_an_edit_that_changes_nothing_writes_nothing(app: App) -> None:
    activity_id = _stored_run(app)
    before = _data_version(app)
    outcome = apply_edit(app, activity_id, ActivityEdit(rpe=5, name="Morning run"))
    assert outcome.changed == frozenset() and not outcome.load_changed
    assert outcome.row.rpe == 5.0 and outcome.row.name == "Morning run"
    assert _data_version(app) == before  # no write: the dashboard's answers all stay


def test_a_new_name_renews_the_analysis_but_not_the_load(app: App) -> None:
    activity_id = _stored_run(app)
    with app.store.read_session() as session:
        surface_before = MetricsRepo(session).get(activity_id).surface  # type: ignore[union-attr]
    outcome = apply_edit(app, activity_id, ActivityEdit(name="Trail loop in the woods"))
    assert outcome.changed == frozenset({"name"}) and not outcome.load_changed
    assert outcome.row.name == "Trail loop in the woods"
    _analysis_as_stored_matches_a_fresh_one(app, activity_id)
    with app.store.read_session() as session:
        surface_after = MetricsRepo(session).get(activity_id).surface  # type: ignore[union-attr]
    assert surface_after != surface_before  # the surface is guessed from the name


def test_a_new_rpe_changes_the_load(app: App) -> None:
    activity_id = _stored_run(app)
    outcome = apply_edit(app, activity_id, ActivityEdit(rpe=9, notes="felt heavy"))
    assert outcome.changed == frozenset({"rpe", "notes"}) and outcome.load_changed
    _analysis_as_stored_matches_a_fresh_one(app, activity_id)


def test_an_edit_is_analysed_again_when_another_writer_changed_the_activity_meanwhile(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The analysis is computed outside the write lock: should another program change the
    activity in between, the edit's transaction analyses it again as stored."""
    activity_id = _stored_run(app)
    other = App(app.settings)  # another process: its own engine
    real = activities_service.analyse_stored
    interrupted: list[bool] = []

    def analyse_then_interrupt(
        activity: Activity, *, heart: HeartProfile | None
    ) -> ActivityAnalysis:
        result = real(activity, heart=heart)
        if not interrupted:
            interrupted.append(True)
            edit_activity(other, activity_id, ActivityEdit(sport="walk"))
        return result

    monkeypatch.setattr(activities_service, "analyse_stored", analyse_then_interrupt)
    try:
        outcome = apply_edit(app, activity_id, ActivityEdit(rpe=8))
    finally:
        other.close()
    assert interrupted and outcome.load_changed
    assert outcome.row.sport == "walk" and outcome.row.rpe == 8.0
    _analysis_as_stored_matches_a_fresh_one(app, activity_id)
