"""Analysis and training load: per-activity metrics (cached) and the load report."""

from __future__ import annotations

import enum
import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields, is_dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from backstride.domain.activity import Activity, Sport
from backstride.domain.load import (
    LoadReport,
    SessionSummary,
    compute_load_report,
    summarise_session,
)
from backstride.services.context import App

if TYPE_CHECKING:
    from backstride.domain.metrics import ActivityAnalysis, HeartProfile


if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from backstride.adapters.db.metrics_tables import ActivityMetricsRow
    from backstride.adapters.db.records import SessionColumns


#: Bump when the analysis changes, so cached results are recomputed.
ANALYSIS_VERSION = 3


def _jsonable(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if is_dataclass(value) and not isinstance(value, type):
        out = {f.name: _jsonable(getattr(value, f.name)) for f in fields(value)}
        return out
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def analysis_to_json(analysis: ActivityAnalysis) -> dict[str, Any]:
    """The public JSON of one activity's analysis (no NaN or Infinity)."""
    out: dict[str, Any] = _jsonable(analysis)
    out["trimp"] = _jsonable(analysis.trimp)
    return out


def heart_profile(app: App) -> HeartProfile | None:
    """The runner's profile as TRIMP needs it (None when nothing is known)."""
    from backstride.domain.metrics import HeartProfile
    from backstride.services.body import get_heart_profile

    p = get_heart_profile(app)
    if p.birth_year is None and p.resting_hr_bpm is None and p.max_hr_bpm is None:
        if p.sex not in ("male", "female"):
            return None
    return HeartProfile(
        sex="male" if p.sex == "male" else "female" if p.sex == "female" else None,
        resting_hr_bpm=float(p.resting_hr_bpm) if p.resting_hr_bpm is not None else None,
        max_hr_bpm=float(p.max_hr_bpm) if p.max_hr_bpm is not None else None,
        birth_year=p.birth_year,
    )


def _profile_key(profile: HeartProfile | None) -> str:
    if profile is None:
        return "none"
    return json.dumps(_jsonable(asdict(profile)), sort_keys=True)[:100]


def _metrics_row(
    athlete_id: int,
    activity_id: int,
    activity: Activity,
    analysis: ActivityAnalysis,
    profile_key: str,
) -> ActivityMetricsRow:
    from backstride.adapters.db.metrics_tables import ActivityMetricsRow

    values = metrics_values(activity, analysis, profile_key)
    return ActivityMetricsRow(activity_id=activity_id, athlete_id=athlete_id, **values)


def metrics_values(
    activity: Activity, analysis: ActivityAnalysis, profile_key: str
) -> dict[str, Any]:
    """The cached-analysis columns of one activity (all but its ids); pure, so import workers
    can compute them."""
    session = summarise_session(activity, analysis, activity_id=0)
    grade = analysis.grade
    return {
        "version": ANALYSIS_VERSION,
        "profile_key": profile_key,
        "day": session.day,
        "sport": activity.sport.value,
        "distance_m": session.distance_m,
        "duration_s": session.duration_s,
        "moving_time_s": session.moving_time_s,
        "load": session.load,
        "load_kind": session.load_kind,
        "hard": session.hard,
        "trimp": analysis.trimp,
        "elevation_gain_m": analysis.elevation_gain_m,
        "elevation_loss_m": analysis.elevation_loss_m,
        "steep_descent_m": grade.steep_descent_m if grade else None,
        "steep_descent_share": grade.steep_descent_share if grade else None,
        "longest_descent_drop_m": (
            grade.longest_descent.drop_m if grade and grade.longest_descent else None
        ),
        "cadence_spm": analysis.cadence_spm,
        "surface": analysis.surface.value if analysis.surface else None,
        "analysis_json": json.dumps(analysis_to_json(analysis), allow_nan=False),
    }


@dataclass(frozen=True, slots=True)
class AnalysisProfile:
    """The heart profile an analysis uses, and its cache key."""

    heart: HeartProfile | None
    key: str


def analysis_profile(app: App) -> AnalysisProfile:
    heart = heart_profile(app)
    return AnalysisProfile(heart, _profile_key(heart))


def store_analysis(
    session: Session,
    athlete_id: int,
    activity_id: int,
    activity: Activity,
    profile: AnalysisProfile,
) -> None:
    """Analyse a just-stored activity inside the caller's transaction and cache the result."""
    from backstride.domain.metrics import analyse_activity

    analysis = analyse_activity(activity, profile=profile.heart)
    store_analysis_result(session, athlete_id, activity_id, activity, analysis, profile)


def store_analysis_result(
    session: Session,
    athlete_id: int,
    activity_id: int,
    activity: Activity,
    analysis: ActivityAnalysis,
    profile: AnalysisProfile,
    *,
    new: bool = False,
) -> None:
    """Cache an analysis computed elsewhere (e.g. in an import worker)."""
    from backstride.adapters.db.metrics_repo import MetricsRepo

    row = _metrics_row(athlete_id, activity_id, activity, analysis, profile.key)
    MetricsRepo(session).put(row, new=new)


def refresh_metrics(app: App, activity_ids: list[int] | None = None) -> int:
    """(Re)compute the cached analysis of the given activities, or of all stale ones.

    Returns how many were computed. Each activity is its own small transaction. A database
    opened for viewing only (a read-only disk) keeps the analyses stored with it: nothing is
    computed, and an activity without one is left out of the load figures.
    """
    if app.reads.read_only:
        return 0
    profile = analysis_profile(app)
    ids = (
        activity_ids
        if activity_ids is not None
        else app.reads.stale_activity_ids(
            app.athlete_id, version=ANALYSIS_VERSION, profile_key=profile.key
        )
    )
    if ids:
        from backstride.adapters.db.repos import ActivityRepo
    for activity_id in ids:
        with app.store.session() as session:
            activity = ActivityRepo(session).get(app.athlete_id, activity_id, with_streams=True)
            store_analysis(session, app.athlete_id, activity_id, activity, profile)
    return len(ids)


def activity_analysis(app: App, activity_id: int) -> ActivityAnalysis:
    """Analyse one stored activity (from its samples; not cached)."""
    from backstride.adapters.db.repos import ActivityRepo

    with app.store.read_session() as session:
        activity = ActivityRepo(session).get(app.athlete_id, activity_id, with_streams=True)
    return analyse_stored(activity, heart=heart_profile(app))


def analyse_stored(activity: Activity, *, heart: HeartProfile | None) -> ActivityAnalysis:
    """:func:`activity_analysis` of an activity already read with its samples, for the
    runner's ``heart`` profile (:func:`heart_profile`)."""
    from backstride.domain.metrics import analyse_activity

    return analyse_activity(activity, profile=heart)


def summaries_of(rows: Sequence[SessionColumns]) -> list[SessionSummary]:
    """The load model's sessions from the stored metrics' columns."""
    return [
        SessionSummary(
            activity_id=aid,
            day=day,
            start_at=start_at,
            sport=Sport(sport),
            distance_m=dist,
            duration_s=dur,
            moving_time_s=moving,
            load=load,
            load_kind=kind,  # type: ignore[arg-type]
            hard=hard,
        )
        for aid, day, start_at, sport, dist, dur, moving, load, kind, hard in rows
    ]


def session_summaries(app: App, *, until: date | None = None) -> list[SessionSummary]:
    """The load model's view of every analysed activity up to ``until``."""
    from backstride.adapters.db.metrics_repo import MetricsRepo

    refresh_metrics(app)
    with app.store.read_session() as session:
        rows = MetricsRepo(session).session_columns(app.athlete_id, until=until)
    return summaries_of(rows)


def load_report(app: App, *, on: date, weeks: int = 12) -> LoadReport:
    """Every load series for the ``weeks`` ISO weeks up to and including ``on``."""
    return compute_load_report(session_summaries(app, until=on), today=on, weeks=weeks)
