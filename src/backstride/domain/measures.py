"""Outcome measures that may be shipped: scoring, change against the minimal important change,
and the 4-weekly retest reminder.

Pure: no I/O, no clock. Only instruments whose terms allow an app to carry them are here
(docs/measures.md says why Oswestry, Roland-Morris, STarT Back, PROMIS and the Zurich
Claudication Questionnaire are not). Sources, summarised in docs/measures.md:

- Pain 0-10 numerical rating scale: minimal important change 2 points, or 30 % of the first
  score (Ostelo 2008, Spine 33(1):90-94, international consensus for low back pain).
- PEG, 3 items (average pain, interference with enjoyment of life, with general activity),
  each 0-10, scored as their mean (Krebs 2009, J Gen Intern Med 24(6):733-738). Minimal
  important difference about 1 point: anchor-based estimates mostly 1.0-1.75, distribution
  based 0.6-1.2, across six trials (Reed 2024, J Pain 25(1):142-152); backstride uses 1.0.
- Patient-Specific Functional Scale: up to 5 activities the runner chooses, each rated 0
  (unable) to 10 (as before the problem), scored as their mean (Stratford 1995, Physiotherapy
  Canada 47(4):258-263). Minimal important difference 1.3 points for a small change (2.3
  medium, 2.7 large; Abbott & Schmitt 2014, JOSPT 44(8):560-564).
- Self-paced walking test for lumbar spinal stenosis: walk at your own pace on level ground;
  minutes to the first symptom, stopped at 30 (Tomkins 2009, Spine 34(22):2444-2449; the
  30-minute protocol as in Rainville 2012, Spine J 12:101-109). No minimal important change
  has been established; backstride shows the change in minutes and does not call it
  important.
- Retest every 4 weeks: backstride's choice (the studies above retested after 4 weeks to 6
  months); configurable per call.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from backstride.errors import InvalidInputError

RETEST_EVERY_DAYS = 28
WALK_TEST_MAX_MIN = 30.0
PSFS_MAX_ACTIVITIES = 5


class Instrument(enum.StrEnum):
    PAIN = "pain"
    PEG = "peg"
    PSFS = "psfs"
    WALK = "walk"
    RECORDED = "recorded"  # a clinician's score on another (licensed) questionnaire


Better = Literal["lower", "higher", "unknown"]


@dataclass(frozen=True, slots=True)
class InstrumentDef:
    """What an instrument asks, its range, which way is better, and its minimal important
    change (``mic``; ``mic_share`` a share of the first score that also counts)."""

    instrument: Instrument
    title: str
    unit: str
    low: float
    high: float
    better: Better
    questions: tuple[str, ...]
    mic: float | None
    mic_share: float | None
    mic_text: str
    source: str


_OSTELO = "Ostelo 2008, Spine 33(1):90-94"
_KREBS = "Krebs 2009, J Gen Intern Med 24(6):733-738"
_REED = "Reed 2024, J Pain 25(1):142-152"
_STRATFORD = "Stratford 1995, Physiotherapy Canada 47(4):258-263"
_ABBOTT = "Abbott & Schmitt 2014, J Orthop Sports Phys Ther 44(8):560-564"
_TOMKINS = "Tomkins 2009, Spine 34(22):2444-2449"
_RAINVILLE = "Rainville 2012, Spine J 12:101-109"

PEG_QUESTIONS = (
    "What number best describes your pain on average in the past week? "
    "(0 = no pain, 10 = pain as bad as you can imagine)",
    "What number best describes how, during the past week, pain has interfered with your "
    "enjoyment of life? (0 = does not interfere, 10 = completely interferes)",
    "What number best describes how, during the past week, pain has interfered with your "
    "general activity? (0 = does not interfere, 10 = completely interferes)",
)

INSTRUMENTS: dict[Instrument, InstrumentDef] = {
    Instrument.PAIN: InstrumentDef(
        Instrument.PAIN,
        "Pain, 0-10",
        "points",
        0.0,
        10.0,
        "lower",
        (
            "How bad is your back pain on average over the past week? (0 = no pain, 10 = the worst "
            "pain you can imagine)",
        ),
        2.0,
        0.30,
        "2 points, or 30 % of the first score",
        _OSTELO,
    ),
    Instrument.PEG: InstrumentDef(
        Instrument.PEG,
        "PEG: pain, enjoyment of life, general activity",
        "points",
        0.0,
        10.0,
        "lower",
        PEG_QUESTIONS,
        1.0,
        None,
        "1 point (estimates 1.0-1.75)",
        f"{_KREBS}; change: {_REED}",
    ),
    Instrument.PSFS: InstrumentDef(
        Instrument.PSFS,
        "Patient-Specific Functional Scale",
        "points",
        0.0,
        10.0,
        "higher",
        (
            "Name up to 5 activities that your back makes hard or impossible. For each, how "
            "well can you do it today? (0 = unable to do it, 10 = as well as before the "
            "problem)",
        ),
        1.3,
        None,
        "1.3 points for a small change (2.3 medium, 2.7 large)",
        f"{_STRATFORD}; change: {_ABBOTT}",
    ),
    Instrument.WALK: InstrumentDef(
        Instrument.WALK,
        "Self-paced walking test",
        "min",
        0.0,
        WALK_TEST_MAX_MIN,
        "higher",
        (
            "Walk at your own comfortable pace on level ground. How many minutes until the "
            "first back, buttock or leg symptom? Stop at 30 minutes, or earlier if symptoms "
            "grow strong.",
        ),
        None,
        None,
        "not established; the change is shown in minutes",
        f"{_TOMKINS}; 30-minute protocol: {_RAINVILLE}",
    ),
    Instrument.RECORDED: InstrumentDef(
        Instrument.RECORDED,
        "Score recorded by a clinician",
        "",
        -math.inf,
        math.inf,
        "unknown",
        (),
        None,
        None,
        "see the questionnaire's own guidance",
        "the questionnaire named with the score",
    ),
}


def parse_instrument(text: str) -> Instrument:
    key = text.strip().lower()
    try:
        return Instrument(key)
    except ValueError as exc:
        names = ", ".join(i.value for i in Instrument)
        raise InvalidInputError(
            f"'{text}' is not an outcome measure backstride knows.",
            hint=f"Use one of: {names}.",
        ) from exc


@dataclass(frozen=True, slots=True)
class MeasureItem:
    """One answer inside a score: a PEG question or a PSFS activity, rated 0-10."""

    label: str
    value: float


@dataclass(frozen=True, slots=True)
class MeasureScore:
    day: date
    instrument: Instrument
    score: float
    items: tuple[MeasureItem, ...] = ()
    name: str | None = None
    notes: str | None = None
    id: int | None = None

    @property
    def key(self) -> tuple[Instrument, str]:
        """What a score is compared with: the same instrument (and, for recorded scores, the
        same questionnaire name, case-folded)."""
        return self.instrument, (self.name or "").strip().casefold()


def _rating(value: float, what: str) -> float:
    if not math.isfinite(value) or not 0.0 <= value <= 10.0:
        raise InvalidInputError(
            f"{what} must be between 0 and 10, got {value:g}.",
            hint="Rate each answer on the 0-10 scale.",
        )
    return float(value)


PEG_LABELS = (
    "Average pain",
    "Interference with enjoyment of life",
    "Interference with general activity",
)


def score_peg(*, pain: float, enjoyment: float, general: float) -> MeasureScore:
    """The PEG score: the mean of its three 0-10 items (Krebs 2009). ``day`` is set later."""
    values = (
        _rating(pain, "The pain answer"),
        _rating(enjoyment, "The enjoyment-of-life answer"),
        _rating(general, "The general-activity answer"),
    )
    items = tuple(MeasureItem(label, v) for label, v in zip(PEG_LABELS, values, strict=True))
    return MeasureScore(date.min, Instrument.PEG, sum(values) / 3.0, items)


def score_psfs(activities: Sequence[tuple[str, float]]) -> MeasureScore:
    """The PSFS score: the mean rating of 1-5 activities, each 0-10 (Stratford 1995)."""
    if not activities:
        raise InvalidInputError(
            "The Patient-Specific Functional Scale needs at least one activity.",
            hint='Name an activity and rate it, e.g. "Running 20 minutes=4".',
        )
    if len(activities) > PSFS_MAX_ACTIVITIES:
        raise InvalidInputError(
            f"The Patient-Specific Functional Scale takes at most {PSFS_MAX_ACTIVITIES} "
            f"activities, got {len(activities)}.",
        )
    items: list[MeasureItem] = []
    for label, value in activities:
        name = " ".join(label.split())
        if not name:
            raise InvalidInputError('Each activity needs a name, e.g. "Running 20 minutes=4".')
        items.append(MeasureItem(name[:100], _rating(value, f"The rating of '{name}'")))
    return MeasureScore(
        date.min, Instrument.PSFS, sum(i.value for i in items) / len(items), tuple(items)
    )


def score_single(instrument: Instrument, value: float, *, name: str | None = None) -> MeasureScore:
    """A one-number measure: the 0-10 pain scale, the walking test's minutes (0-30), or a
    score a clinician recorded from another questionnaire (``name`` required)."""
    spec = INSTRUMENTS[instrument]
    if instrument in (Instrument.PEG, Instrument.PSFS):
        raise InvalidInputError(f"The {spec.title} is scored from its answers, not one number.")
    if not math.isfinite(value):
        raise InvalidInputError("A score must be a number.")
    if instrument is Instrument.RECORDED:
        label = " ".join((name or "").split())
        if not label:
            raise InvalidInputError(
                "A recorded score needs the name of its questionnaire.",
                hint='e.g. --name "Oswestry Disability Index" --score 22',
            )
        return MeasureScore(date.min, instrument, float(value), name=label[:200])
    if not spec.low <= value <= spec.high:
        raise InvalidInputError(
            f"The {spec.title.lower()} takes {spec.low:g} to {spec.high:g} {spec.unit}, "
            f"got {value:g}.",
            hint="For the walking test, 30 means no symptom in 30 minutes."
            if instrument is Instrument.WALK
            else None,
        )
    return MeasureScore(date.min, instrument, float(value))


# --- change -----------------------------------------------------------------------------------


Verdict = Literal["better", "worse", "no important change", "changed", "one score"]


@dataclass(frozen=True, slots=True)
class MeasureChange:
    """The first and the latest score of one measure in a period, and what the change means
    against the minimal important change."""

    instrument: Instrument
    name: str | None
    first: MeasureScore
    last: MeasureScore
    count: int
    change: float  # last - first, in the measure's own units
    verdict: Verdict

    @property
    def spec(self) -> InstrumentDef:
        return INSTRUMENTS[self.instrument]


def judge_change(spec: InstrumentDef, first: float, last: float) -> Verdict:
    """``better``/``worse`` when the change reaches the minimal important change in that
    direction, ``no important change`` below it, ``changed`` when no threshold exists."""
    change = last - first
    if spec.mic is None or spec.better == "unknown":
        return "changed" if change != 0 else "no important change"
    reached = abs(change) >= spec.mic - 1e-9
    if spec.mic_share is not None and first > 0:
        reached = reached or abs(change) / first >= spec.mic_share - 1e-9
    if not reached or change == 0:
        return "no important change"
    improved = change < 0 if spec.better == "lower" else change > 0
    return "better" if improved else "worse"


def compute_changes(
    scores: Iterable[MeasureScore], *, since: date | None = None, until: date | None = None
) -> tuple[MeasureChange, ...]:
    """One :class:`MeasureChange` per measure scored in ``[since, until]``, in instrument
    order; a measure scored once has ``verdict == "one score"``."""
    groups: dict[tuple[Instrument, str], list[MeasureScore]] = {}
    for s in scores:
        if (since is None or s.day >= since) and (until is None or s.day <= until):
            groups.setdefault(s.key, []).append(s)
    order = list(Instrument)
    out: list[MeasureChange] = []
    for key in sorted(groups, key=lambda k: (order.index(k[0]), k[1])):
        items = sorted(groups[key], key=lambda s: (s.day, s.id or 0))
        first, last = items[0], items[-1]
        verdict: Verdict = (
            "one score"
            if len(items) == 1
            else judge_change(INSTRUMENTS[key[0]], first.score, last.score)
        )
        out.append(
            MeasureChange(
                key[0], first.name, first, last, len(items), last.score - first.score, verdict
            )
        )
    return tuple(out)


@dataclass(frozen=True, slots=True)
class RetestDue:
    instrument: Instrument
    last_on: date
    due_on: date

    def overdue_days(self, today: date) -> int:
        return (today - self.due_on).days


def retests_due(
    scores: Iterable[MeasureScore], *, today: date, every_days: int = RETEST_EVERY_DAYS
) -> tuple[RetestDue, ...]:
    """The measures (not clinician-recorded ones) whose last score is ``every_days`` or more
    before ``today``; scores after ``today`` do not count."""
    if every_days < 1:
        raise InvalidInputError("The retest interval must be at least one day.")
    last: dict[Instrument, date] = {}
    for s in scores:
        if s.instrument is Instrument.RECORDED or s.day > today:
            continue
        if s.instrument not in last or s.day > last[s.instrument]:
            last[s.instrument] = s.day
    order = list(Instrument)
    return tuple(
        RetestDue(i, d, d + timedelta(days=every_days))
        for i, d in sorted(last.items(), key=lambda kv: order.index(kv[0]))
        if d + timedelta(days=every_days) <= today
    )


def format_score(instrument: Instrument, value: float) -> str:
    """``4.3``, ``12 min``, ``30 min (no symptom)``."""
    if instrument is Instrument.WALK:
        whole = f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
        return f"{whole} min" + (" (no symptom)" if value >= WALK_TEST_MAX_MIN else "")
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
