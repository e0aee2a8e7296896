"""The run/walk plan: schedules, the week-by-week adaptation to pain, and the calendar.

Pure: no I/O, no clock; every function takes the days it needs. The service
(``services/plan.py``) loads the plan, the pain checks and the marks, calls :func:`settle`, and
stores what changed.

Structure (EVIDENCE.md section 9, NHS Couch to 5K, in backstride's own schedule): three
run/walk sessions a week, never on consecutive days, from short run intervals with walking
breaks to 30 minutes of continuous running; each session is a warm-up (5-minute brisk walk and
drills), the intervals, a cool-down walk and a stretch. Other days hold one core-and-hip
strength day, one cross-training day and at least two rest days (EVIDENCE.md section 2 and
implications 6 and 14). The 10K plan builds the long run by about 10 % a week (Frandsen 2025,
section 1). The stenosis variant starts with walking and cycling blocks, uses smaller steps and
more weeks, and asks for flat, even routes without downhill or long standing (section 6 and
implication 13).

Adaptation (EVIDENCE.md section 8, Silbernagel 2007; implications 10, 11, 13):
- green week: every session done, each within the pain rules (pain during and after <= 5 and
  back to the usual level by the next morning), morning pain and stiffness not rising -> advance;
- amber: a session skipped or missed, a session whose next-morning check-in is missing (so it
  is not known whether pain settled), or morning pain or stiffness rising -> repeat the week;
- red session: pain during or after above 5, or pain not settled by the next morning -> step back
  one week at once; the next planned run day becomes an extra rest day;
- red flags or a missing clearance pause the plan (the service asks ``get_plan_gate``); after a
  pause the interrupted week is repeated, or stepped back when the pause lasted two weeks or more.
"""

from __future__ import annotations

import enum
import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Literal

from backstride.domain.pain import (
    PAIN_RULES,
    PainEntry,
    PainFeel,
    PainRules,
    PainWhen,
    RunPainCheck,
)
from backstride.domain.params import DEFAULT_PLAN_PARAMS
from backstride.errors import InvalidInputError

RUNS_PER_WEEK = DEFAULT_PLAN_PARAMS.runs_per_week
MIN_REST_DAYS = DEFAULT_PLAN_PARAMS.min_rest_days
#: A pause of this many days or more steps back a week instead of repeating it (backstride's
#: choice: fitness gained in a few weeks of run/walk fades noticeably within two weeks off).
LONG_PAUSE_DAYS = 14

#: Fixed parts of every run session, in minutes (EVIDENCE.md sections 9 and 10).
WARMUP_WALK_MIN = 5
WARMUP_DRILLS_MIN = 5
COOLDOWN_WALK_MIN = 5
STRETCH_MIN = 10

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_WORDS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class Goal(enum.StrEnum):
    FIVE_K = "5k"
    TEN_K = "10k"


class Variant(enum.StrEnum):
    STANDARD = "standard"
    STENOSIS = "stenosis"


class BlockKind(enum.StrEnum):
    RUN = "run"
    WALK = "walk"
    CYCLE = "cycle"
    EASE = "ease"  # sit down or lean forward until leg symptoms ease (stenosis variant)


BLOCK_WORDS: Mapping[BlockKind, str] = {
    BlockKind.RUN: "run",
    BlockKind.WALK: "walk",
    BlockKind.CYCLE: "cycle",
    BlockKind.EASE: "sit or lean forward",
}


class DayKind(enum.StrEnum):
    RUN = "run"
    STRENGTH = "strength"
    CROSS_TRAIN = "cross_train"
    REST = "rest"
    INSERTED_REST = "inserted_rest"
    PAUSED = "paused"
    BEFORE_START = "before_start"
    AFTER_END = "after_end"


class Outcome(enum.StrEnum):
    ADVANCE = "advance"
    REPEAT = "repeat"
    STEP_BACK = "step_back"
    FINISHED = "finished"
    STOPPED = "stopped"


Light = Literal["green", "amber", "red", "pending"]


def format_seconds(seconds: int) -> str:
    """``60`` -> ``1 min``, ``90`` -> ``90 s``, ``150`` -> ``2 min 30 s``."""
    if seconds % 60 == 0:
        return f"{seconds // 60} min"
    if seconds < 120:
        return f"{seconds} s"
    return f"{seconds // 60} min {seconds % 60} s"


@dataclass(frozen=True, slots=True)
class Block:
    kind: BlockKind
    seconds: int

    def text(self) -> str:
        return f"{BLOCK_WORDS[self.kind]} {format_seconds(self.seconds)}"


def describe_blocks(blocks: Sequence[Block]) -> str:
    """Compact words for a block list: ``8 x (run 1 min, walk 90 s)`` when the list repeats."""
    n = len(blocks)
    for size in range(1, n // 2 + 1):
        if n % size == 0 and list(blocks) == list(blocks[:size]) * (n // size):
            unit = ", ".join(b.text() for b in blocks[:size])
            return f"{n // size} x ({unit})"
    # a repeated unit followed by a tail (e.g. cycle block, then intervals)
    for head in range(1, n - 1):
        rest = blocks[head:]
        m = len(rest)
        for size in range(1, m // 2 + 1):
            if m % size == 0 and list(rest) == list(rest[:size]) * (m // size):
                first = ", ".join(b.text() for b in blocks[:head])
                unit = ", ".join(b.text() for b in rest[:size])
                return f"{first}, then {m // size} x ({unit})"
    return ", ".join(b.text() for b in blocks)


@dataclass(frozen=True, slots=True)
class SessionTemplate:
    """The main set of one run session (between the warm-up and the cool-down)."""

    blocks: tuple[Block, ...]
    note: str | None = None

    def seconds_of(self, kind: BlockKind) -> int:
        return sum(b.seconds for b in self.blocks if b.kind is kind)

    @property
    def main_s(self) -> int:
        return sum(b.seconds for b in self.blocks)

    @property
    def run_s(self) -> int:
        return self.seconds_of(BlockKind.RUN)

    @property
    def longest_run_s(self) -> int:
        return max((b.seconds for b in self.blocks if b.kind is BlockKind.RUN), default=0)

    @property
    def total_s(self) -> int:
        """Warm-up + main set + cool-down walk + stretch."""
        fixed = WARMUP_WALK_MIN + WARMUP_DRILLS_MIN + COOLDOWN_WALK_MIN + STRETCH_MIN
        return self.main_s + fixed * 60

    def describe(self) -> str:
        return describe_blocks(self.blocks)


@dataclass(frozen=True, slots=True)
class WeekTemplate:
    number: int
    sessions: tuple[SessionTemplate, SessionTemplate, SessionTemplate]
    focus: str


# --- the schedules -----------------------------------------------------------------------------


def _r(seconds: int) -> Block:
    return Block(BlockKind.RUN, seconds)


def _w(seconds: int) -> Block:
    return Block(BlockKind.WALK, seconds)


def _c(seconds: int) -> Block:
    return Block(BlockKind.CYCLE, seconds)


def _e(seconds: int) -> Block:
    return Block(BlockKind.EASE, seconds)


def _rep(n: int, *blocks: Block) -> tuple[Block, ...]:
    return blocks * n


def _same(blocks: tuple[Block, ...], note: str | None = None) -> tuple[SessionTemplate, ...]:
    return (SessionTemplate(blocks, note),) * 3


def _three(*sessions: tuple[Block, ...], note: str | None = None) -> tuple[SessionTemplate, ...]:
    return tuple(SessionTemplate(s, note) for s in sessions)


def _weeks(*rows: tuple[tuple[SessionTemplate, ...], str]) -> tuple[WeekTemplate, ...]:
    out: list[WeekTemplate] = []
    for number, (sessions, focus) in enumerate(rows, start=1):
        assert len(sessions) == RUNS_PER_WEEK
        out.append(WeekTemplate(number, (sessions[0], sessions[1], sessions[2]), focus))
    return tuple(out)


def _run_walk(total_min: int) -> tuple[Block, ...]:
    """A long run as 9 minutes running and 1 minute walking, ending with a run."""
    blocks: list[Block] = []
    left = total_min * 60
    while left > 10 * 60:
        blocks += [_r(9 * 60), _w(60)]
        left -= 10 * 60
    blocks.append(_r(left))
    return tuple(blocks)


FIVE_K_STANDARD: tuple[WeekTemplate, ...] = _weeks(
    (_same(_rep(8, _r(60), _w(90))), "Short runs with walking breaks: 8 minutes of running."),
    (_same(_rep(5, _r(120), _w(120))), "Two-minute runs: 10 minutes of running."),
    (_same(_rep(4, _r(180), _w(120))), "Three-minute runs: 12 minutes of running."),
    (_same(_rep(3, _r(300), _w(150))), "Five-minute runs: 15 minutes of running."),
    (
        _three(
            _rep(3, _r(360), _w(120)),
            _rep(2, _r(540), _w(150)),
            (_r(600), _w(120), _r(600)),
        ),
        "Longer runs, shorter breaks: 18 to 20 minutes of running.",
    ),
    (
        _three((_r(660), _w(120), _r(660)), (_r(720), _w(90), _r(600)), (_r(1200),)),
        "Up to 20 minutes without a break.",
    ),
    (_same((_r(1440),)), "24 minutes of continuous running."),
    (_same((_r(1620),)), "27 minutes of continuous running."),
    (_same((_r(1800),)), "30 minutes of continuous running: the 5K goal."),
)

_FLAT = (
    "Flat, even route; no downhill. If your legs tingle or ache, sit or lean forward until it "
    "eases."
)
FIVE_K_STENOSIS: tuple[WeekTemplate, ...] = _weeks(
    (
        _same((_c(600), *_rep(5, _w(120), _e(60))), _FLAT),
        "Cycling and walking blocks with sitting or leaning breaks; no running yet.",
    ),
    (
        _same((_c(600), *_rep(6, _w(90), _r(30))), _FLAT),
        "Cycling, then walking with 30-second jogs: 3 minutes of running.",
    ),
    (
        _same((_c(480), *_rep(8, _r(30), _w(90))), _FLAT),
        "A shorter cycling block, then eight 30-second runs: 4 minutes of running.",
    ),
    (
        _same((_c(300), *_rep(8, _r(45), _w(105))), _FLAT),
        "A short cycling block, then 45-second runs: 6 minutes of running.",
    ),
    (_same(_rep(8, _r(60), _w(90)), _FLAT), "One-minute runs: 8 minutes of running."),
    (_same(_rep(7, _r(75), _w(90)), _FLAT), "75-second runs: about 9 minutes of running."),
    (_same(_rep(5, _r(120), _w(120)), _FLAT), "Two-minute runs: 10 minutes of running."),
    (_same(_rep(4, _r(180), _w(120)), _FLAT), "Three-minute runs: 12 minutes of running."),
    (_same(_rep(5, _r(180), _w(90)), _FLAT), "Three-minute runs, shorter breaks: 15 minutes."),
    (_same(_rep(3, _r(300), _w(150)), _FLAT), "Five-minute runs: 15 minutes of running."),
    (_same(_rep(3, _r(360), _w(120)), _FLAT), "Six-minute runs: 18 minutes of running."),
    (_same((_r(600), _w(120), _r(600)), _FLAT), "Two ten-minute runs: 20 minutes of running."),
    (_same((_r(660), _w(60), _r(660)), _FLAT), "Two eleven-minute runs: 22 minutes."),
    (_same((_r(780), _w(60), _r(780)), _FLAT), "Two thirteen-minute runs: 26 minutes."),
    (
        _three((_r(900), _w(60), _r(900)), (_r(900), _w(60), _r(900)), (_r(1800),), note=_FLAT),
        "30 minutes of running, the last session without a break: the 5K goal.",
    ),
)

_EASY = "Easy effort: you can talk in full sentences."
_TEN_K_STANDARD_ROWS = (
    (30, 30, 33),
    (30, 32, 36),
    (32, 32, 39),
    (30, 30, 36),
    (32, 35, 42),
    (35, 35, 46),
    (35, 38, 50),
    (32, 32, 45),
    (35, 40, 55),
    (35, 35, 60),
)
TEN_K_STANDARD: tuple[WeekTemplate, ...] = _weeks(
    *(
        (
            _three((_r(a * 60),), (_r(b * 60),), (_r(c * 60),), note=_EASY),
            f"Two easy runs and a longer one of {c} minutes"
            + (" (a lighter week)." if c < prev else "."),
        )
        for (a, b, c), prev in zip(
            _TEN_K_STANDARD_ROWS, (0, *(r[2] for r in _TEN_K_STANDARD_ROWS[:-1])), strict=True
        )
    )
)

_TEN_K_STENOSIS_ROWS = (
    (30, 30, 32),
    (30, 30, 34),
    (30, 32, 36),
    (30, 30, 33),
    (32, 32, 38),
    (32, 34, 41),
    (34, 34, 44),
    (30, 30, 40),
    (34, 35, 47),
    (35, 35, 50),
    (35, 35, 54),
    (35, 35, 58),
)
TEN_K_STENOSIS: tuple[WeekTemplate, ...] = _weeks(
    *(
        (
            _three((_r(a * 60),), (_r(b * 60),), _run_walk(c), note=_FLAT + " " + _EASY),
            f"Two easy runs and a longer run/walk of {c} minutes"
            + (" (a lighter week)." if c < prev else "."),
        )
        for (a, b, c), prev in zip(
            _TEN_K_STENOSIS_ROWS, (0, *(r[2] for r in _TEN_K_STENOSIS_ROWS[:-1])), strict=True
        )
    )
)

SCHEDULES: Mapping[tuple[Goal, Variant], tuple[WeekTemplate, ...]] = {
    (Goal.FIVE_K, Variant.STANDARD): FIVE_K_STANDARD,
    (Goal.FIVE_K, Variant.STENOSIS): FIVE_K_STENOSIS,
    (Goal.TEN_K, Variant.STANDARD): TEN_K_STANDARD,
    (Goal.TEN_K, Variant.STENOSIS): TEN_K_STENOSIS,
}

#: Cross-training on the cross-training day, rotating week by week (exercise library ids).
CROSS_ROTATION: Mapping[Variant, tuple[str, ...]] = {
    Variant.STANDARD: ("cycling", "swimming", "elliptical", "aqua-jogging", "rowing", "walking"),
    Variant.STENOSIS: ("cycling", "swimming", "cycling", "elliptical", "aqua-jogging"),
}


def schedule(goal: Goal, variant: Variant) -> tuple[WeekTemplate, ...]:
    return SCHEDULES[(goal, variant)]


def cross_training_for(variant: Variant, week_seq: int) -> str:
    rotation = CROSS_ROTATION[variant]
    return rotation[(week_seq - 1) % len(rotation)]


def cross_training_minutes(goal: Goal, template_week: int) -> int:
    """20 minutes, rising by 5 every three weeks to 35 (5K); 30 to 45 for 10K. Easy effort."""
    base = 20 if goal is Goal.FIVE_K else 30
    return min(base + 5 * ((template_week - 1) // 3), base + 15)


# --- parsing -----------------------------------------------------------------------------------


def parse_goal(text: str) -> Goal:
    key = text.strip().lower().replace(" ", "")
    try:
        return Goal(key)
    except ValueError:
        raise InvalidInputError(f"'{text}' is not a goal.", hint="Choose 5k or 10k.") from None


def parse_variant(text: str) -> Variant:
    try:
        return Variant(text.strip().lower())
    except ValueError:
        raise InvalidInputError(
            f"'{text}' is not a plan variant.", hint="Choose standard or stenosis."
        ) from None


def parse_days(text: str | Iterable[str]) -> tuple[int, ...]:
    """Three run days (``mon,wed,sat``), never two in a row, Sunday to Monday included.

    Returns weekday numbers (Monday = 0), sorted. EVIDENCE.md section 9 and implication 6: a
    rest or cross-training day between runs (NHS Couch to 5K; Stanley 2013).
    """
    parts = [text] if isinstance(text, str) else list(text)
    names = [p.strip().lower() for part in parts for p in part.split(",") if p.strip()]
    days: list[int] = []
    for name in names:
        key = name[:3]
        full = WEEKDAY_WORDS[WEEKDAY_NAMES.index(key)].lower() if key in WEEKDAY_NAMES else ""
        if not full.startswith(name):
            raise InvalidInputError(
                f"'{name}' is not a day of the week.",
                hint="Write the days as mon,tue,wed,thu,fri,sat,sun, e.g. --days mon,wed,sat.",
            )
        day = WEEKDAY_NAMES.index(key)
        if day in days:
            raise InvalidInputError(f"{WEEKDAY_WORDS[day]} is given twice in --days.")
        days.append(day)
    if len(days) != RUNS_PER_WEEK:
        raise InvalidInputError(
            f"The plan has {RUNS_PER_WEEK} run days a week; --days gives {len(days)}.",
            hint="For example --days mon,wed,sat.",
        )
    days.sort()
    for a in days:
        b = (a + 1) % 7
        if b in days:
            raise InvalidInputError(
                f"{WEEKDAY_WORDS[a]} and {WEEKDAY_WORDS[b]} are consecutive days. Runs need a "
                "day in between (rest or cross-training), so your back and legs recover "
                "between sessions.",
                hint="Choose three days with a gap after each, e.g. mon,wed,fri, mon,wed,sat "
                "or tue,thu,sat.",
            )
    return tuple(days)


def days_text(days: Sequence[int]) -> str:
    return ",".join(WEEKDAY_NAMES[d] for d in days)


# --- the week's roles --------------------------------------------------------------------------


def week_roles(days: Sequence[int]) -> dict[int, DayKind]:
    """Weekday -> what it holds: the run days; then, counting from the day after the first run,
    one strength day, one cross-training day, and rest days (at least two)."""
    roles: dict[int, DayKind] = dict.fromkeys(days, DayKind.RUN)
    first = min(days)
    others = [(first + k) % 7 for k in range(1, 7) if (first + k) % 7 not in days]
    for index, weekday in enumerate(others):
        roles[weekday] = (
            DayKind.STRENGTH if index == 0 else DayKind.CROSS_TRAIN if index == 1 else DayKind.REST
        )
    return roles


# --- plan state ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlanSpec:
    goal: Goal
    variant: Variant
    days: tuple[int, ...]
    start_on: date

    @property
    def templates(self) -> tuple[WeekTemplate, ...]:
        return schedule(self.goal, self.variant)


@dataclass(frozen=True, slots=True)
class PlanWeek:
    """One week as it was (or is being) lived. ``starts_on`` opens a 7-day window; a week that
    ended early (red session, pause) has ``cut_on``, its last counted day. ``rest_day_on`` is
    the extra rest day a step back inserts; ``paused_from`` the first paused day."""

    seq: int
    template_week: int
    starts_on: date
    cut_on: date | None = None
    rest_day_on: date | None = None
    paused_from: date | None = None
    outcome: Outcome | None = None
    reasons: tuple[str, ...] = ()
    settled_on: date | None = None

    @property
    def window_end(self) -> date:
        """The day after the 7-day window."""
        return self.starts_on + timedelta(days=7)

    @property
    def settled(self) -> bool:
        return self.outcome is not None


class PlanStatus(enum.StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"  # paused by the runner (a pause by the safety gate is kept apart)
    STOPPED = "stopped"
    FINISHED = "finished"


@dataclass(frozen=True, slots=True)
class PlanRecord:
    """A stored plan: its spec, status, and pauses (the runner's and the safety gate's)."""

    spec: PlanSpec
    status: PlanStatus = PlanStatus.ACTIVE
    paused_on: date | None = None
    pause_reason: str | None = None
    gate_paused_on: date | None = None
    gate_reasons: tuple[str, ...] = ()
    ended_on: date | None = None
    id: int | None = None

    @property
    def is_open(self) -> bool:
        return self.status in (PlanStatus.ACTIVE, PlanStatus.PAUSED)


MarkStatus = Literal["done", "skipped"]


@dataclass(frozen=True, slots=True)
class PlanMark:
    """The runner marks a plan day as done or skipped."""

    day: date
    status: MarkStatus
    reason: str | None = None
    activity_id: int | None = None


def first_week(spec: PlanSpec, week: int = 1) -> PlanWeek:
    """The plan's first week: schedule week ``week`` (see :func:`place`), from the start."""
    return PlanWeek(seq=1, template_week=week, starts_on=spec.start_on)


# --- where a plan starts ---------------------------------------------------------------------

#: The runs a placement looks at: the 4 weeks before the start.
PLACEMENT_WINDOW_DAYS = 28


@dataclass(frozen=True, slots=True)
class RecentRun:
    """What placement needs of one run: its longest stretch of running without a walking
    break (None when the recording cannot tell; then its moving time counts), and whether it
    was followed by pain above the acceptable level (a flare)."""

    day: date
    continuous_s: float | None
    moving_s: float | None
    flare: bool = False


@dataclass(frozen=True, slots=True)
class Placement:
    """The schedule week a plan starts at, and why, in plain words."""

    week: int
    matched_week: int
    reasons: tuple[str, ...]
    runs: int = 0
    typical_continuous_s: float | None = None
    chosen: bool = False

    def to_json(self) -> dict[str, object]:
        return {
            "week": self.week,
            "matched_week": self.matched_week,
            "reasons": list(self.reasons),
            "runs_4_weeks": self.runs,
            "typical_continuous_min": (
                round(self.typical_continuous_s / 60.0, 1)
                if self.typical_continuous_s is not None
                else None
            ),
            "chosen": self.chosen,
        }


def week_longest_run_s(template: WeekTemplate) -> int:
    """The longest stretch of running any session of the week asks for."""
    return max(s.longest_run_s for s in template.sessions)


def _minutes_words(seconds: float) -> str:
    minutes = seconds / 60.0
    return f"{minutes:.0f} minutes" if minutes >= 1.5 else f"{seconds:.0f} seconds"


def place(spec: PlanSpec, runs: Sequence[RecentRun]) -> Placement:
    """The schedule week that matches the runner's last 4 weeks, stepped back when needed.

    - The match: the last week whose longest stretch of running, in every session, is no
      longer than her typical (median) stretch of running without a walking break in the 4
      weeks before the start; the walk/cycle weeks of the stenosis variant are skipped once she
      runs past them.
    - How often: the plan has three sessions a week. With fewer than 2 runs a week on average
      she starts one week back; with fewer than one a week, at week 1.
    - One week back after a pain flare in those 4 weeks (a run followed by pain above the
      acceptable level) or after a break of two weeks or more without a run (the same rule as
      a long pause, ``LONG_PAUSE_DAYS``; return-to-run protocols step back the same way).
    """
    start = spec.start_on
    since = start - timedelta(days=PLACEMENT_WINDOW_DAYS)
    window = sorted((r for r in runs if since <= r.day < start), key=lambda r: r.day)
    templates = spec.templates
    if not window:
        return Placement(
            1,
            1,
            (
                "No runs in the 4 weeks before the start, so the plan begins at week 1 "
                f"({templates[0].focus[0].lower()}{templates[0].focus[1:].rstrip('.')}).",
            ),
        )
    bouts = [
        b
        for r in window
        if (b := r.continuous_s if r.continuous_s is not None else r.moving_s) is not None
    ]
    typical = float(statistics.median(bouts)) if bouts else 0.0
    matched = max(
        (t.number for t in templates if week_longest_run_s(t) <= typical + 1e-9), default=1
    )
    per_week = len(window) / (PLACEMENT_WINDOW_DAYS / 7)
    focus = templates[matched - 1].focus
    reasons = [
        f"In the 4 weeks before {start.isoformat()} you ran {len(window)} times (about "
        f"{per_week:.1f} a week), usually {_minutes_words(typical)} without a walking break: "
        f"that matches week {matched} ({focus[0].lower()}{focus[1:].rstrip('.')})."
    ]
    week = matched
    if per_week < 1.0:
        week = 1
        reasons.append("That is less than one run a week, so the plan begins at week 1.")
    elif per_week < 2.0 and week > 1:
        week -= 1
        reasons.append(
            f"The plan has {RUNS_PER_WEEK} sessions a week and you ran fewer than 2: one week "
            f"back, week {week}."
        )
    flares = [r for r in window if r.flare]
    gaps = [(b.day - a.day).days for a, b in zip(window, window[1:], strict=False)]
    gaps.append((start - window[-1].day).days)
    longest_gap = max(gaps)
    if week > 1 and (flares or longest_gap >= LONG_PAUSE_DAYS):
        week -= 1
        why = (
            f"your run on {flares[-1].day.isoformat()} was followed by pain above the "
            "acceptable level"
            if flares
            else f"you had a break of {longest_gap} days without running"
        )
        reasons.append(f"One week back because {why}: week {week}.")
    return Placement(week, matched, tuple(reasons), len(window), typical)


def run_dates(spec: PlanSpec, start: date, end: date) -> list[date]:
    """Run days in [start, end)."""
    out: list[date] = []
    day = start
    while day < end:
        if day.weekday() in spec.days:
            out.append(day)
        day += timedelta(days=1)
    return out


def week_run_dates(spec: PlanSpec, week: PlanWeek) -> list[date]:
    """The week's run sessions: run days in its window, up to ``cut_on`` when it ended early."""
    end = week.window_end
    if week.cut_on is not None:
        end = min(end, week.cut_on + timedelta(days=1))
    return run_dates(spec, week.starts_on, end)


def next_run_date(spec: PlanSpec, after: date) -> date:
    day = after + timedelta(days=1)
    while day.weekday() not in spec.days:
        day += timedelta(days=1)
    return day


# --- facts and verdicts ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SessionFact:
    """What happened on a run day: done (marked, or a run logged), skipped, or neither; and the
    pain rules applied to it when done (``check``)."""

    day: date
    done: bool = False
    skipped: bool = False
    reason: str | None = None
    activity_ids: tuple[int, ...] = ()
    check: RunPainCheck | None = None


@dataclass(frozen=True, slots=True)
class SessionVerdict:
    day: date
    light: Light
    reasons: tuple[str, ...]
    detected_on: date | None  # red: the day the breach became known


def judge_session(fact: SessionFact, *, on: date) -> SessionVerdict:
    """One run session against the pain rules (Silbernagel 2007, EVIDENCE.md section 8), as
    known on ``on``: green, amber (not done, or not known whether pain settled), red (pain
    above 5, or not settled by the next morning), or pending (too early to say)."""
    day = fact.day
    when = day.isoformat()
    if not fact.done:
        if fact.skipped:
            why = f" ({fact.reason})" if fact.reason else ""
            return SessionVerdict(day, "amber", (f"The session on {when} was skipped{why}.",), None)
        if day < on:
            return SessionVerdict(
                day, "amber", (f"The session on {when} was not done (not marked or logged).",), None
            )
        return SessionVerdict(day, "pending", (), None)
    check = fact.check
    if check is not None and "too-much" in (check.during_zone, check.after_zone):
        reasons = tuple(f"Session on {when}: {r}" for r in check.reasons if "too much" in r)
        return SessionVerdict(day, "red", reasons, day)
    if check is not None and check.verdict == "outside":
        detected = day + timedelta(days=1)
        if detected > on:
            return SessionVerdict(day, "pending", (), None)
        reasons = tuple(f"Session on {when}: {r}" for r in check.reasons if "not settled" in r)
        return SessionVerdict(
            day, "red", reasons or (f"Session on {when}: pain not settled.",), detected
        )
    if check is None or check.verdict == "not-known-yet":
        if on <= day + timedelta(days=1):
            return SessionVerdict(day, "pending", (), None)
        return SessionVerdict(
            day,
            "amber",
            (
                f"No next-morning check-in after the session on {when}, so it is not known "
                "whether pain settled.",
            ),
            None,
        )
    return SessionVerdict(day, "green", (), None)


def morning_rise(
    entries: Sequence[PainEntry], *, start: date, end: date, rules: PainRules = PAIN_RULES
) -> tuple[str, ...]:
    """Reasons when next-morning pain or stiffness rose in [start, end) against the 7 days
    before (the model: morning pain and stiffness must not rise week to week; Silbernagel
    2007). Thresholds from ``PainRules``."""

    def window(a: date, b: date) -> list[PainEntry]:
        return [e for e in entries if e.when is PainWhen.NEXT_MORNING and a <= e.day < b]

    now = window(start, end)
    before = window(start - timedelta(days=7), start)
    if not now or not before:
        return ()
    reasons: list[str] = []
    mean_now = sum(e.score for e in now) / len(now)
    mean_before = sum(e.score for e in before) / len(before)
    if mean_now - mean_before >= rules.morning_rise_points - 1e-9:
        reasons.append(
            f"Morning pain rose this week (average {mean_now:.1f}/10 against {mean_before:.1f} "
            "the week before)."
        )
    stiff_now = sum(PainFeel.STIFFNESS in e.feels for e in now) / len(now)
    stiff_before = sum(PainFeel.STIFFNESS in e.feels for e in before) / len(before)
    if stiff_now - stiff_before >= rules.stiffness_rise_share - 1e-9:
        reasons.append(
            f"Morning stiffness came on more often this week ({stiff_now:.0%} of mornings "
            f"against {stiff_before:.0%} the week before)."
        )
    return tuple(reasons)


# --- settling weeks -------------------------------------------------------------------------------


class EventKind(enum.StrEnum):
    STARTED = "started"
    ADVANCED = "advanced"
    REPEATED = "repeated"
    STEPPED_BACK = "stepped_back"
    PAUSED = "paused"
    RESUMED = "resumed"
    STOPPED = "stopped"
    FINISHED = "finished"


@dataclass(frozen=True, slots=True)
class PlanEvent:
    day: date
    kind: EventKind
    message: str
    week_seq: int | None = None


@dataclass(frozen=True, slots=True)
class Progress:
    weeks: tuple[PlanWeek, ...]
    events: tuple[PlanEvent, ...] = ()
    finished_on: date | None = None


FactSource = Callable[[date], SessionFact]


def _week_label(spec: PlanSpec, template_week: int) -> str:
    return f"week {template_week} of {len(spec.templates)}"


def settle(
    spec: PlanSpec,
    weeks: Sequence[PlanWeek],
    *,
    facts: FactSource,
    mornings: Sequence[PainEntry],
    until: date,
    hold: str | None = None,
) -> Progress:
    """Decide every week that can be decided by ``until``, in order.

    A red session ends its week at once (step back, extra rest day); otherwise a week is
    decided once its window is over and the morning after its last session has passed.
    ``hold`` (why, in words) keeps a week that would advance at the same level: no impact
    progression, for example during a pregnancy (ACOG 2020).
    """
    out = list(weeks)
    events: list[PlanEvent] = []
    templates = spec.templates
    finished_on: date | None = None
    while out and not out[-1].settled:
        week = out[-1]
        sessions = week_run_dates(spec, week)
        verdicts = [judge_session(facts(d), on=until) for d in sessions if d <= until]
        red = next((v for v in verdicts if v.light == "red"), None)
        if red is not None:
            assert red.detected_on is not None
            rest_day = next_run_date(spec, red.day)
            back_to = max(1, week.template_week - 1)
            step = (
                f"Stepping back to {_week_label(spec, back_to)}"
                if back_to < week.template_week
                else f"Starting {_week_label(spec, back_to)} again (there is no earlier week)"
            )
            reasons = (
                *red.reasons,
                f"{step}. {rest_day.isoformat()} ({WEEKDAY_WORDS[rest_day.weekday()]}) becomes "
                "an extra rest day.",
            )
            out[-1] = replace(
                week,
                cut_on=red.day,
                rest_day_on=rest_day,
                outcome=Outcome.STEP_BACK,
                reasons=reasons,
                settled_on=red.detected_on,
            )
            out.append(
                PlanWeek(
                    seq=week.seq + 1,
                    template_week=back_to,
                    starts_on=rest_day + timedelta(days=1),
                )
            )
            events.append(
                PlanEvent(red.detected_on, EventKind.STEPPED_BACK, " ".join(reasons), week.seq)
            )
            continue
        last = sessions[-1] if sessions else week.starts_on
        settle_day = max(week.window_end, last + timedelta(days=2))
        if until < settle_day:
            break
        ambers = [r for v in verdicts if v.light == "amber" for r in v.reasons]
        ambers += list(morning_rise(mornings, start=week.starts_on, end=week.window_end))
        if ambers:
            reasons = (
                *ambers,
                f"Repeating {_week_label(spec, week.template_week)}: a week advances only when "
                "every session is done within the pain rules.",
            )
            outcome, nxt, kind = Outcome.REPEAT, week.template_week, EventKind.REPEATED
        elif hold is not None:
            reasons = (
                f"Every session went within the pain rules. Staying at "
                f"{_week_label(spec, week.template_week)}: {hold}",
            )
            outcome, nxt, kind = Outcome.REPEAT, week.template_week, EventKind.REPEATED
        elif week.template_week >= len(templates):
            reasons = (
                f"Every session of the last week went within the pain rules: the "
                f"{spec.goal.value.upper()} plan is complete.",
            )
            outcome, nxt, kind = Outcome.FINISHED, week.template_week, EventKind.FINISHED
        else:
            reasons = (
                f"Every session went within the pain rules: on to "
                f"{_week_label(spec, week.template_week + 1)}.",
            )
            outcome, nxt, kind = Outcome.ADVANCE, week.template_week + 1, EventKind.ADVANCED
        out[-1] = replace(week, outcome=outcome, reasons=reasons, settled_on=settle_day)
        events.append(PlanEvent(settle_day, kind, " ".join(reasons), week.seq))
        if outcome is Outcome.FINISHED:
            finished_on = settle_day
            break
        out.append(PlanWeek(seq=week.seq + 1, template_week=nxt, starts_on=week.window_end))
    return Progress(tuple(out), tuple(events), finished_on)


def interrupt(
    spec: PlanSpec,
    weeks: Sequence[PlanWeek],
    *,
    paused_from: date,
    resume_on: date,
    why: str,
    step_back: bool = False,
) -> Progress:
    """End the current week at a pause and open the next one on ``resume_on``: the same week
    again, or one back after a pause of ``LONG_PAUSE_DAYS`` or more, or after a pause for a
    warning sign (``step_back``: training resumes one step back once a clinician said so)."""
    out = list(weeks)
    week = out[-1]
    if week.settled:
        return Progress(tuple(out))
    days_off = (resume_on - paused_from).days
    long_pause = days_off >= LONG_PAUSE_DAYS or step_back
    back_to = max(1, week.template_week - 1) if long_pause else week.template_week
    reasons = (
        f"Paused from {paused_from.isoformat()} to {resume_on.isoformat()} ({days_off} days): "
        f"{why}",
        (
            (
                f"After two weeks or more off, back to {_week_label(spec, back_to)}."
                if days_off >= LONG_PAUSE_DAYS
                else f"After a pause for safety, one step back: {_week_label(spec, back_to)}."
            )
            if long_pause
            else f"Picking up {_week_label(spec, back_to)} again from the start."
        ),
    )
    cut = max(week.starts_on, paused_from) - timedelta(days=1)
    out[-1] = replace(
        week,
        cut_on=cut,
        paused_from=paused_from,
        outcome=Outcome.STEP_BACK if back_to < week.template_week else Outcome.REPEAT,
        reasons=reasons,
        settled_on=resume_on,
    )
    out.append(PlanWeek(seq=week.seq + 1, template_week=back_to, starts_on=resume_on))
    event = PlanEvent(resume_on, EventKind.RESUMED, " ".join(reasons), week.seq)
    return Progress(tuple(out), (event,))


def project(spec: PlanSpec, weeks: Sequence[PlanWeek]) -> tuple[PlanWeek, ...]:
    """The weeks still to come if every week goes within the rules (not stored)."""
    if not weeks or weeks[-1].outcome in (Outcome.FINISHED, Outcome.STOPPED):
        return ()
    last = weeks[-1]
    out: list[PlanWeek] = []
    for number in range(last.template_week + 1, len(spec.templates) + 1):
        prev = out[-1] if out else last
        out.append(PlanWeek(seq=prev.seq + 1, template_week=number, starts_on=prev.window_end))
    return tuple(out)


# --- the calendar -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlanDay:
    """What a day holds in the plan."""

    day: date
    kind: DayKind
    week_seq: int | None = None
    template_week: int | None = None
    session_index: int | None = None  # 1..3 for run days
    session: SessionTemplate | None = None
    cross_training: str | None = None  # exercise id on cross-training days
    cross_minutes: int | None = None
    projected: bool = False
    note: str | None = None


@dataclass(frozen=True, slots=True)
class WeekSpan:
    week: PlanWeek
    start: date
    end: date  # exclusive
    projected: bool


def spans(weeks: Sequence[PlanWeek], projected: Sequence[PlanWeek] = ()) -> list[WeekSpan]:
    """Each week and the days it owns: from its start to the next week's start."""
    every = [(w, False) for w in weeks] + [(w, True) for w in projected]
    out: list[WeekSpan] = []
    for index, (week, is_projected) in enumerate(every):
        end = every[index + 1][0].starts_on if index + 1 < len(every) else week.window_end
        if week.outcome in (Outcome.FINISHED, Outcome.STOPPED) and week.settled_on:
            end = min(end, week.window_end)
        out.append(WeekSpan(week, week.starts_on, end, is_projected))
    return out


@dataclass(frozen=True, slots=True)
class PauseState:
    """A pause that is still on: since when and why (the runner's or the safety gate's)."""

    since: date
    reason: str
    by_gate: bool = False


def _in_span(span: WeekSpan, day: date, kind: DayKind, **extra: object) -> PlanDay:
    return PlanDay(
        day,
        kind,
        week_seq=span.week.seq,
        template_week=span.week.template_week,
        projected=span.projected,
        **extra,  # type: ignore[arg-type]
    )


def day_in_week(spec: PlanSpec, span: WeekSpan, day: date) -> PlanDay:
    week = span.week
    template = spec.templates[week.template_week - 1]
    if week.rest_day_on == day:
        note = "An extra rest day after a session that broke the pain rules."
        return _in_span(span, day, DayKind.INSERTED_REST, note=note)
    if week.paused_from is not None and day >= week.paused_from:
        return _in_span(span, day, DayKind.PAUSED, note="The plan was paused.")
    if week.cut_on is not None and day > week.cut_on:
        note = "Rest: the week ended early and the next one starts soon."
        return _in_span(span, day, DayKind.REST, note=note)
    role = week_roles(spec.days)[day.weekday()]
    if role is DayKind.RUN:
        index = run_dates(spec, week.starts_on, week.window_end).index(day)
        return _in_span(
            span,
            day,
            DayKind.RUN,
            session_index=index + 1,
            session=template.sessions[index],
            note=template.focus,
        )
    if role is DayKind.CROSS_TRAIN:
        return _in_span(
            span,
            day,
            DayKind.CROSS_TRAIN,
            cross_training=cross_training_for(spec.variant, week.seq),
            cross_minutes=cross_training_minutes(spec.goal, week.template_week),
        )
    return _in_span(span, day, role)


def day_plan(
    spec: PlanSpec,
    weeks: Sequence[PlanWeek],
    day: date,
    *,
    pause: PauseState | None = None,
    ended_on: date | None = None,
) -> PlanDay:
    """What ``day`` holds: before the start, paused, a run session, strength, cross-training or
    rest; days beyond the current week come from the projection."""
    if day < spec.start_on:
        return PlanDay(day, DayKind.BEFORE_START, note=f"The plan starts on {spec.start_on}.")
    if ended_on is not None and day >= ended_on:
        return PlanDay(day, DayKind.AFTER_END, note="The plan has ended.")
    if pause is not None and day >= pause.since:
        return PlanDay(day, DayKind.PAUSED, note=pause.reason)
    for span in spans(weeks, project(spec, weeks)):
        if span.start <= day < span.end:
            return day_in_week(spec, span, day)
    return PlanDay(day, DayKind.AFTER_END, note="The plan has ended.")


def easier_session(spec: PlanSpec, template_week: int, index: int) -> SessionTemplate:
    """A shorter version of a session, for days when the guidance says run easy: about two
    thirds of the main set, cut at a block boundary (a long run is cut to whole minutes)."""
    session = spec.templates[template_week - 1].sessions[index - 1]
    target = session.main_s * 2 // 3
    kept: list[Block] = []
    used = 0
    for block in session.blocks:
        if used + block.seconds <= target:
            kept.append(block)
            used += block.seconds
            continue
        left = (target - used) // 60 * 60
        if block.kind is BlockKind.RUN and left >= 60:
            kept.append(Block(block.kind, left))
        break
    if not kept:
        first = session.blocks[0]
        kept.append(Block(first.kind, max(60, first.seconds * 2 // 3 // 60 * 60)))
    return SessionTemplate(tuple(kept), session.note)


@dataclass(frozen=True, slots=True)
class WeekSummary:
    """A week of the calendar, for display."""

    span: WeekSpan
    days: tuple[PlanDay, ...] = field(default=())


def calendar(
    spec: PlanSpec,
    weeks: Sequence[PlanWeek],
    *,
    pause: PauseState | None = None,
    ended_on: date | None = None,
) -> tuple[WeekSummary, ...]:
    """Every week, lived and projected, with its days."""
    out: list[WeekSummary] = []
    for span in spans(weeks, () if ended_on else project(spec, weeks)):
        days: list[PlanDay] = []
        day = span.start
        while day < span.end:
            if pause is not None and day >= pause.since and not span.week.settled:
                days.append(_in_span(span, day, DayKind.PAUSED, note=pause.reason))
            else:
                days.append(day_in_week(spec, span, day))
            day += timedelta(days=1)
        out.append(WeekSummary(span, tuple(days)))
    return tuple(out)
