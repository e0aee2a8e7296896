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


LOAD_COLUMNS = (
    "version",
    "profile_key",
    "day",
    "sport",
    "distance_m",
    "duration_s",
    "moving_time_s",
    "load",
    "load_kind",
    "hard",
)
"""The cached analysis's columns the load model reads (``MetricsRepo.session_columns``, with
the start time from the activity, which an edit never changes), and what makes them current."""


def load_columns(
    activity: Activity, analysis: ActivityAnalysis, profile: AnalysisProfile
) -> tuple[Any, ...]:
    """The :data:`LOAD_COLUMNS` values ``analysis`` of ``activity`` would store."""
    values = metrics_values(activity, analysis, profile.key)
    return tuple(values[name] for name in LOAD_COLUMNS)


def stored_load_columns(session: Session, activity_id: int) -> tuple[Any, ...] | None:
    """The :data:`LOAD_COLUMNS` values stored for an activity (None: no cached analysis)."""
    from backstride.adapters.db.metrics_repo import MetricsRepo

    row = MetricsRepo(session).get(activity_id)
    return None if row is None else tuple(getattr(row, name) for name in LOAD_COLUMNS)


def refresh_metrics(
    app: App, activity_ids: list[int] | None = None, *, profile: AnalysisProfile | None = None
) -> int:
    """(Re)compute the cached analysis of the given activities, or of all stale ones
    (``profile``: the runner's analysis profile, when the caller has just read it).

    Returns how many were computed. Each activity is its own small transaction. A database
    opened for viewing only (a read-only disk) keeps the analyses stored with it: nothing is
    computed, and an activity without one is left out of the load figures.
    """
    if app.reads.read_only:
        return 0
    if profile is None:
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


def summary_of(row: SessionColumns) -> SessionSummary:
    """The load model's session from one activity's stored metrics' columns."""
    aid, day, start_at, sport, dist, dur, moving, load, kind, hard = row
    return SessionSummary(
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


def summaries_of(rows: Sequence[SessionColumns]) -> list[SessionSummary]:
    """The load model's sessions from the stored metrics' columns."""
    return [summary_of(row) for row in rows]


def read_session_summaries(app: App, *, until: date | None = None) -> list[SessionSummary]:
    """The load model's view of every analysed activity up to ``until``, read afresh: the
    reference :func:`session_summaries` must always equal."""
    from backstride.adapters.db.metrics_repo import MetricsRepo

    refresh_metrics(app)
    with app.store.read_session() as session:
        rows = MetricsRepo(session).session_columns(app.athlete_id, until=until)
    return summaries_of(rows)


def session_summaries(app: App, *, until: date | None = None) -> list[SessionSummary]:
    """The load model's view of every analysed activity up to ``until``.

    The sessions are kept in the context (:class:`~backstride.services.context.LoadSessions`)
    with the mark of the data they were read from: the athlete's data version (bumped by
    every write of any process), the SQLite file's size and time (also changed by a write
    from outside backstride) and the analysis profile. While the mark is unchanged they are
    not read again; when it changed, every row is read again but only rows not seen before
    (an import's new activities, an edited one) are turned into sessions. The answer is
    always the one :func:`read_session_summaries` gives.
    """
    from backstride.adapters.db.engine import read_data_version
    from backstride.adapters.db.metrics_repo import MetricsRepo

    memo = app.load_sessions
    profile = analysis_profile(app)
    athlete_id = app.athlete_id
    with memo.lock:
        files = app.store.file_mark()
        with app.store.read_session() as session:
            mark = (files, read_data_version(session, athlete_id), profile.key)
        if mark != memo.mark:
            refresh_metrics(app, profile=profile)
            files = app.store.file_mark()  # before the read: a later change shows next time
            with app.store.read_session() as session:
                version = read_data_version(session, athlete_id)
                rows = MetricsRepo(session).session_columns(athlete_id)
            known = memo.by_row
            memo.by_row = {row: known.get(row) or summary_of(row) for row in rows}
            memo.sessions = tuple(memo.by_row[row] for row in rows)
            memo.mark = (files, version, profile.key)
        sessions = memo.sessions
    if until is None:
        return list(sessions)
    return [s for s in sessions if s.day <= until]


def load_report(app: App, *, on: date, weeks: int = 12) -> LoadReport:
    """Every load series for the ``weeks`` ISO weeks up to and including ``on``."""
    return compute_load_report(session_summaries(app, until=on), today=on, weeks=weeks)
