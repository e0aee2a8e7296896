"""A small synthetic world for the guidance rules: a calm runner, changed one thing at a time.

The calm baseline (as of TODAY, a Monday): 8 weeks of 5 km runs on Tuesday, Thursday and
Saturday (30 min, RPE 4, heart rate, 168 steps/min, flat road), cycling on Wednesday, a core
routine on Friday, next-morning check-ins of 0-1, two pairs of shoes at about 200 km, good
self-tests, a "regular" runner with no conditions and an all-"no" screening. It yields no
finding above ``info``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta

from backstride.domain.activity import Sport, Surface
from backstride.domain.body import (
    SCREENING_QUESTIONS,
    Clearance,
    Experience,
    Profile,
    Screening,
    clearance_needed,
    first_back_pain_day,
)
from backstride.domain.guidance import (
    Finding,
    GuidanceState,
    RunDay,
    RunFacts,
    SavedRoute,
    TodayPlan,
    WarmUpSkip,
    compute_findings,
    plan_today,
)
from backstride.domain.load import SessionSummary, compute_load_report
from backstride.domain.pain import (
    PainEntry,
    PainWhen,
    RunRef,
    SeenRecord,
    awaiting_clearance,
    check_runs,
    first_claudication_day,
    open_red_flags,
    weekly_morning_trend,
)
from backstride.domain.params import DEFAULT_GUIDANCE_PARAMS, GuidanceParams
from backstride.domain.selftest import SelfTestName, SelfTestResult, build_report
from backstride.domain.shoes import GearUse, Shoe, name_key, rotation_nudge, shoe_status

TODAY = date(2025, 6, 16)  # a Monday
WEEKS = 8
SHOES = ("Road A", "Road B")


@dataclass
class Session:
    day: date
    sport: Sport = Sport.RUN
    km: float | None = 5.0
    minutes: float = 30.0
    rpe: float = 4.0
    hard: bool = False
    cadence: float | None = 168.0
    heart_rate: bool = True
    surface: Surface | None = Surface.ROAD
    descent_bands: tuple[tuple[float, float], ...] = ((-8.0, 0.0), (-4.0, 0.0), (-1.0, 200.0))
    longest_drop_m: float | None = 3.0
    gear: str | None = None
    notes: str | None = None
    hour: int = 7
    id: int = 0


@dataclass
class World:
    today: date = TODAY
    sessions: list[Session] = field(default_factory=list)
    pain: list[PainEntry] = field(default_factory=list)
    seen: list[SeenRecord] = field(default_factory=list)
    profile: Profile = field(default_factory=lambda: Profile(experience=Experience.REGULAR))
    screening: Screening | None = None
    clearances: list[Clearance] = field(default_factory=list)
    tests: list[SelfTestResult] = field(default_factory=list)
    shoes: list[Shoe] = field(default_factory=list)
    routes: list[SavedRoute] = field(default_factory=list)
    warm_up_skips: list[WarmUpSkip] = field(default_factory=list)

    # --- editing ---
    def runs(self) -> list[Session]:
        return [s for s in self.sessions if s.sport.is_run]

    def drop_on(self, day: date) -> None:
        self.sessions = [s for s in self.sessions if s.day != day]

    def add(self, s: Session) -> Session:
        self.sessions.append(s)
        return s

    def entry(self, day: date, when: str, score: int, **kw: object) -> PainEntry:
        e = PainEntry(day=day, when=PainWhen(when), score=score, **kw)  # type: ignore[arg-type]
        self.pain.append(e)
        return e

    # --- building ---
    def numbered(self) -> list[Session]:
        ordered = sorted(self.sessions, key=lambda s: (s.day, s.hour))
        for i, s in enumerate(ordered, start=1):
            s.id = i
        return ordered

    def state(self) -> GuidanceState:
        sessions = [s for s in self.numbered() if s.day <= self.today]
        summaries = [
            SessionSummary(
                activity_id=s.id,
                day=s.day,
                start_at=datetime.combine(s.day, time(s.hour), tzinfo=UTC),
                sport=s.sport,
                distance_m=s.km * 1000.0 if s.km is not None else None,
                duration_s=s.minutes * 60.0,
                moving_time_s=s.minutes * 60.0,
                load=s.rpe * s.minutes,
                load_kind="srpe",
                hard=s.hard,
            )
            for s in sessions
        ]
        report = compute_load_report(summaries, today=self.today, weeks=6)
        since = self.today - timedelta(days=31)
        runs = tuple(
            RunFacts(
                activity_id=s.id,
                day=s.day,
                sport=s.sport,
                distance_m=s.km * 1000.0 if s.km is not None else None,
                moving_time_s=s.minutes * 60.0,
                cadence_spm=s.cadence,
                descent_bands=s.descent_bands,
                steep_descent_5pct_m=0.0,
                longest_descent_drop_m=s.longest_drop_m,
                surface=s.surface,
                hard=s.hard,
                has_heart_rate=s.heart_rate,
                gear=s.gear,
                notes=s.notes,
            )
            for s in sessions
            if s.sport.is_run and s.day >= since
        )
        pain = [e for e in self.pain if e.day <= self.today]
        seen = [r for r in self.seen if r.on <= self.today]
        uses: dict[str, list[GearUse]] = {}
        for s in sessions:
            if s.gear:
                uses.setdefault(name_key(s.gear), []).append(
                    GearUse(s.id, s.day, s.sport.value, s.km * 1000.0 if s.km else None)
                )
        tests = [t for t in self.tests if t.day <= self.today]
        return GuidanceState(
            today=self.today,
            load=report,
            runs=runs,
            pain=tuple(pain),
            run_checks=check_runs([RunRef(r.activity_id, r.day) for r in runs], pain),
            morning_weeks=weekly_morning_trend(pain),
            open_red_flags=open_red_flags(pain, seen, self.profile.risk),
            clearance=clearance_needed(
                self.profile,
                self.screening,
                [c for c in self.clearances if c.on <= self.today],
                claudication_since=first_claudication_day(pain),
                today=self.today,
                back_pain_since=first_back_pain_day(pain),
            ),
            profile=self.profile,
            selftests=(
                build_report(tests, sex=self.profile.sex.value, today=self.today) if tests else None
            ),
            shoes=tuple(
                shoe_status(s, uses.get(name_key(s.name), []), today=self.today)
                for s in self.shoes
                if s.active
            ),
            rotation=rotation_nudge(self.shoes, uses, today=self.today),
            routes=tuple(self.routes),
            warm_up_skips=tuple(self.warm_up_skips),
            history=tuple(
                RunDay(s.day, s.km * 1000.0 if s.km is not None else None)
                for s in sessions
                if s.sport.is_run
            ),
            awaiting=awaiting_clearance(
                pain, seen, [c.on for c in self.clearances if c.on <= self.today]
            ),
        )

    def findings(self, params: GuidanceParams = DEFAULT_GUIDANCE_PARAMS) -> tuple[Finding, ...]:
        return compute_findings(self.state(), params)

    def plan(self, params: GuidanceParams = DEFAULT_GUIDANCE_PARAMS) -> TodayPlan:
        state = self.state()
        return plan_today(state, compute_findings(state, params), params)

    def ids(self, params: GuidanceParams = DEFAULT_GUIDANCE_PARAMS) -> set[str]:
        return {f.id for f in self.findings(params)}

    def get(self, finding_id: str, params: GuidanceParams = DEFAULT_GUIDANCE_PARAMS) -> Finding:
        found = [f for f in self.findings(params) if f.id == finding_id]
        assert found, f"{finding_id} did not fire; got {sorted(self.ids(params))}"
        return found[0]


def all_no_screening(on: date) -> Screening:
    return Screening(answered_on=on, answers={q.key: False for q in SCREENING_QUESTIONS})


GOOD_TESTS = {
    SelfTestName.TRUNK_FLEXOR_HOLD: 100.0,
    SelfTestName.TRUNK_EXTENSOR_HOLD: 120.0,
    SelfTestName.SIDE_BRIDGE_LEFT: 60.0,
    SelfTestName.SIDE_BRIDGE_RIGHT: 60.0,
    SelfTestName.SIT_AND_REACH: 45.0,
    SelfTestName.STRAIGHT_LEG_RAISE_LEFT: 75.0,
    SelfTestName.STRAIGHT_LEG_RAISE_RIGHT: 75.0,
    SelfTestName.HIP_FLEXOR_LENGTH_LEFT: 1.0,
    SelfTestName.HIP_FLEXOR_LENGTH_RIGHT: 1.0,
}


def calm(today: date = TODAY) -> World:
    """The calm baseline (see the module docstring)."""
    w = World(today=today)
    start = today - timedelta(days=7 * WEEKS)
    k = 0
    for i in range(7 * WEEKS):
        day = start + timedelta(days=i)
        wd = day.weekday()
        if wd in (1, 3, 5):
            w.add(Session(day=day, gear=SHOES[k % 2]))
            k += 1
            w.entry(day, "after", 1)
            w.entry(day + timedelta(days=1), "next-morning", 0 if k % 3 else 1)
        elif wd == 2:
            w.add(Session(day=day, sport=Sport.CYCLE, km=15.0, minutes=45.0, rpe=3.0, cadence=None))
        elif wd == 4:
            w.add(
                Session(day=day, sport=Sport.STRENGTH, km=None, minutes=20.0, rpe=3.0, cadence=None)
            )
    w.pain = [e for e in w.pain if e.day <= today]
    w.screening = all_no_screening(start)
    w.tests = [SelfTestResult(n, today - timedelta(days=10), v) for n, v in GOOD_TESTS.items()]
    w.shoes = [
        Shoe(name=SHOES[0], start_km=150.0, bought_on=start - timedelta(days=60)),
        Shoe(name=SHOES[1], start_km=150.0, bought_on=start - timedelta(days=60)),
    ]
    return w


def days_ago(n: int, today: date = TODAY) -> date:
    return today - timedelta(days=n)


def route(name: str, km: float, score: float, band: str = "gentle") -> SavedRoute:
    return SavedRoute(
        name=name,
        distance_m=km * 1000.0,
        taxing_score=score,
        band=band,
        explanation=(f"{name} explained.",),
    )


def with_tests(w: World, **values: float) -> World:
    by_name = {t.name: t for t in w.tests}
    for key, value in values.items():
        name = SelfTestName(key.replace("_", "-"))
        old = by_name[name]
        by_name[name] = replace(old, value=value)
    w.tests = list(by_name.values())
    return w


def ids_of(findings: Iterable[Finding]) -> list[str]:
    return [f.id for f in findings]


def levels(findings: Sequence[Finding]) -> dict[str, str]:
    return {f.id: f.level for f in findings}


def set_cadence(w: World, cadence: float, km: float = 5.4) -> None:
    """Every run of ``w`` at ``cadence`` steps/min over ``km`` (5.4 km in 30 min = 3.0 m/s)."""
    for s in w.runs():
        s.cadence = cadence
        s.km = km


def long_run_saturday(w: World, km: float) -> None:
    """The baseline's Saturday run (two days ago) becomes ``km`` long at 6 min/km."""
    last = [s for s in w.runs() if s.day == days_ago(2)]
    assert last, "the baseline runs on Saturdays"
    last[0].km = km
    last[0].minutes = km * 6.0
