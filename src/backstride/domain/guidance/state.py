"""What the rules read: :class:`GuidanceState`, everything known about the runner as of a day."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from backstride.domain.activity import Sport, Surface
from backstride.domain.body import ClearanceState, Condition, Experience, Profile
from backstride.domain.load import DayLoad, LoadReport
from backstride.domain.pain import (
    AwaitingClearance,
    MorningWeek,
    OpenRedFlag,
    PainEntry,
    RunPainCheck,
)
from backstride.domain.selftest import SelfTestReport
from backstride.domain.shoes import ShoeStatus

# ---------------------------------------------------------------------------------------------
# The state


@dataclass(frozen=True, slots=True)
class RunFacts:
    """What guidance knows about one recent run, from the cached analysis (never the samples).

    ``descent_bands`` are ``(upper grade %, distance m)`` of the analysis's downhill grade
    bands (the steepest band has the most negative upper edge).
    """

    activity_id: int
    day: date
    sport: Sport
    distance_m: float | None
    moving_time_s: float | None
    cadence_spm: float | None
    descent_bands: tuple[tuple[float, float], ...] = ()
    steep_descent_5pct_m: float | None = None
    longest_descent_drop_m: float | None = None
    surface: Surface | None = None
    hard: bool = False
    has_heart_rate: bool = False
    gear: str | None = None
    notes: str | None = None

    @property
    def speed_m_s(self) -> float | None:
        if not self.distance_m or not self.moving_time_s:
            return None
        return self.distance_m / self.moving_time_s

    def descent_steeper_than_m(self, grade_pct: float) -> float | None:
        """Distance on the grade bands whose upper edge is at or below ``grade_pct``."""
        if not self.descent_bands:
            return None
        return sum(d for upper, d in self.descent_bands if upper <= grade_pct + 1e-9)


@dataclass(frozen=True, slots=True)
class RunDay:
    """A run's day and distance, for the long look back (breaks in running)."""

    day: date
    distance_m: float | None


@dataclass(frozen=True, slots=True)
class WarmUpSkip:
    """A run on a day whose warm-up was logged as skipped, or not logged once the runner logs
    routines, and that was followed by pain (from the routine log; see
    :func:`backstride.domain.routines.find_warmup_skips`)."""

    activity_id: int
    day: date
    worst_pain: int | None


@dataclass(frozen=True, slots=True)
class SavedRoute:
    """A saved route as guidance sees it (its cached taxing score)."""

    name: str
    distance_m: float
    taxing_score: float
    band: str
    explanation: tuple[str, ...]
    surface: Surface | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "distance_km": round(self.distance_m / 1000.0, 2),
            "taxing_score": self.taxing_score,
            "band": self.band,
            "explanation": list(self.explanation),
            "surface": self.surface.value if self.surface else None,
        }


@dataclass(frozen=True, slots=True)
class GuidanceState:
    """Everything the rules read, as of ``today`` (nothing after it).

    ``load`` must reach ``today`` and cover at least 35 days; ``runs`` are the runs of the last
    ``max(cap_window_days, stride_window_days)`` days (oldest first); ``pain`` the diary of at
    least the last 70 days up to today, plus every older entry with a red flag or the
    walking-leg-symptom pattern; ``run_checks`` the pain rules applied to ``runs``; ``shoes``
    the active pairs; ``warm_up_skips`` the painful runs after a skipped warm-up;
    ``history`` every run of the last 200 days (day and distance, oldest first), for breaks;
    ``awaiting`` the red flags seen by a clinician without a "you may train" yet.
    """

    today: date
    load: LoadReport
    runs: tuple[RunFacts, ...]
    pain: tuple[PainEntry, ...]
    run_checks: tuple[RunPainCheck, ...]
    morning_weeks: tuple[MorningWeek, ...]
    open_red_flags: tuple[OpenRedFlag, ...]
    clearance: ClearanceState
    profile: Profile
    selftests: SelfTestReport | None = None
    shoes: tuple[ShoeStatus, ...] = ()
    rotation: str | None = None
    routes: tuple[SavedRoute, ...] = field(default=())
    warm_up_skips: tuple[WarmUpSkip, ...] = ()
    history: tuple[RunDay, ...] = ()
    awaiting: tuple[AwaitingClearance, ...] = ()

    @property
    def careful(self) -> bool:
        """Beginners, returning runners and runners with a spine condition (implication 6)."""
        p = self.profile
        return bool(p.spine_conditions) or p.experience in (Experience.NEW, Experience.RETURNING)

    @property
    def conservative(self) -> bool:
        """Past injuries, a hip problem, a recent illness or a pregnancy: progress more slowly
        (DESIGN; ACOG 2020)."""
        p = self.profile
        return (
            bool(p.past_injuries)
            or p.pregnant
            or any(c in p.conditions for c in (Condition.HIP_PROBLEM, Condition.RECENT_ILLNESS))
        )

    def day(self, offset: int = 0) -> DayLoad | None:
        """The load of ``today - offset`` days, if in the report."""
        target = self.today - timedelta(days=offset)
        for d in reversed(self.load.days):
            if d.day == target:
                return d
            if d.day < target:
                return None
        return None

    @property
    def last_complete_day(self) -> DayLoad | None:
        """Today if something is logged today, else yesterday: the day recovery is judged on."""
        today = self.day(0)
        if today is not None and today.sessions > 0:
            return today
        return self.day(1)

    def runs_since(self, days: int) -> list[RunFacts]:
        """Runs of the last ``days`` days (today included)."""
        start = self.today - timedelta(days=days - 1)
        return [r for r in self.runs if start <= r.day <= self.today]
