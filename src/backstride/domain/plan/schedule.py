"""The plans' building blocks and schedules: goals, variants, session and week templates, the
week's run days and roles, and reading them from what the runner typed."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from backstride.domain.params import DEFAULT_PLAN_PARAMS
from backstride.errors import InvalidInputError

RUNS_PER_WEEK = DEFAULT_PLAN_PARAMS.runs_per_week
MIN_REST_DAYS = DEFAULT_PLAN_PARAMS.min_rest_days
#: A pause of this many days or more steps back a week instead of repeating it (backstride's
#: choice: fitness gained in a few weeks of run/walk fades noticeably within two weeks off).
LONG_PAUSE_DAYS = 14

#: Fixed parts of every run session, in minutes (docs/evidence.md).
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

    Returns weekday numbers (Monday = 0), sorted. docs/evidence.md and implication 6: a
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
