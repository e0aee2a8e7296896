"""The narrow reads the daily guidance needs, so that ``today`` stays fast on a long history.

Each query returns only what the rules look at: recent sessions (the load model's columns),
the pain diary of the last weeks plus every older entry that still matters (red flags and the
walking-leg-symptom pattern), and the shoes' distances aggregated in SQL.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, bindparam, func, or_, select

from backstride.adapters.db.body_repos import _row_to_entry
from backstride.adapters.db.body_tables import PainEntryRow
from backstride.adapters.db.metrics_repo import MetricsRepo, SessionColumns
from backstride.adapters.db.records import GearTotal as GearTotal
from backstride.adapters.db.repo import Repo
from backstride.adapters.db.tables import ActivityRow
from backstride.domain.pain import PainEntry

_p = PainEntryRow.__table__.c
_PAIN_FOR_GUIDANCE = (
    select(*_p)
    .where(
        _p.athlete_id == bindparam("athlete"),
        _p.day <= bindparam("until"),
        or_(
            _p.day >= bindparam("since"),
            or_(
                _p.red_flags != "[]",
                and_(_p.walking_leg_symptoms.is_(True), _p.eases_sitting.is_(True)),
            ),
        ),
    )
    .order_by(_p.day, _p.id)
)
""":meth:`GuidanceRepo.pain_for_guidance` (built once: ``repo`` module; of the table's
columns: ``body_repos``)."""


class GuidanceRepo(Repo):
    def session_columns(self, athlete_id: int, *, since: date, until: date) -> list[SessionColumns]:
        """(id, day, start, sport, distance, duration, moving time, load, kind, hard) rows of
        the cached analysis from ``since`` to ``until``, by day."""
        return MetricsRepo(self.session).session_columns(athlete_id, since=since, until=until)

    def pain_for_guidance(self, athlete_id: int, *, since: date, until: date) -> list[PainEntry]:
        """Entries from ``since`` to ``until``, plus every earlier one with a red flag or the
        walking-leg-symptom pattern (they stay relevant until dealt with)."""
        values = {"athlete": athlete_id, "since": since, "until": until}
        return [_row_to_entry(r) for r in self.session.execute(_PAIN_FOR_GUIDANCE, values)]

    def gear_totals(self, athlete_id: int, *, before: date) -> list[GearTotal]:
        """Per gear text and sport: activities, distance and last day, for days before
        ``before``."""
        a = ActivityRow
        stmt = (
            select(a.gear, a.sport, func.count(), func.sum(a.distance_m), func.max(a.local_date))
            .where(a.athlete_id == athlete_id, a.gear.is_not(None), a.local_date < before)
            .group_by(a.gear, a.sport)
        )
        return [
            GearTotal(str(g), str(s), int(n), float(d) if d is not None else None, last)
            for g, s, n, d, last in self.session.execute(stmt)
        ]
