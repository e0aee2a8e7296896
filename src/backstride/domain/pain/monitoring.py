"""Pain monitoring: the flare, the walking-leg-symptom pattern (NASS 2011; Suri 2010), the
pain-monitoring rules (Thomee 1997; Silbernagel 2007), runs checked against pain and the
morning trend."""

from __future__ import annotations

import math
import statistics
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from backstride.domain.evidence import cite
from backstride.domain.pain.entry import (
    PainEntry,
)
from backstride.domain.pain.sites import (
    PainFeel,
    PainWhen,
)

# --- the flare: pain above the acceptable maximum ---------------------------------------------


@dataclass(frozen=True, slots=True)
class Flare:
    """The latest pain above the acceptable maximum and what has been recorded since.

    ``open`` while nothing has been recorded after the last high day: a missing check-in after
    a flare is never read as "settled".
    """

    last_high_day: date
    high_days: tuple[date, ...]  # days above the maximum within the window before the last
    worst: int
    worst_on: date
    worst_when: PainWhen
    open: bool
    entries: tuple[PainEntry, ...]  # the high entries of ``high_days``


def current_flare(
    entries: Iterable[PainEntry],
    *,
    today: date,
    acceptable_max: int,
    window_days: int,
    memory_days: int,
) -> Flare | None:
    """The latest flare up to ``today``, if it still matters: its last high day is today or
    yesterday, or it is open (nothing recorded since) and at most ``memory_days`` old."""
    known = [e for e in entries if e.day <= today]
    high = [e for e in known if e.score > acceptable_max]
    if not high:
        return None
    last = max(e.day for e in high)
    is_open = not any(e.day > last for e in known)
    recent = last >= today - timedelta(days=1)
    if not recent and not (is_open and last > today - timedelta(days=memory_days)):
        return None
    start = last - timedelta(days=window_days - 1)
    window = [e for e in high if start <= e.day <= last]
    worst = max(window, key=lambda e: (e.score, e.day))
    return Flare(
        last_high_day=last,
        high_days=tuple(sorted({e.day for e in window})),
        worst=worst.score,
        worst_on=worst.day,
        worst_when=worst.when,
        open=is_open,
        entries=tuple(window),
    )


# --- the neurogenic-claudication pattern ------------------------------------------------------

CLAUDICATION_SOURCE = cite("nass-2011", "suri-2010")


@dataclass(frozen=True, slots=True)
class Advice:
    """A non-urgent recommendation with its reason and source."""

    code: str
    text: str
    source: str
    blocks_plans: bool = False


def first_claudication_day(entries: Iterable[PainEntry]) -> date | None:
    days = [e.day for e in entries if e.has_claudication_pattern]
    return min(days) if days else None


def claudication_advice(*, has_stenosis_diagnosis: bool) -> Advice:
    """What to say when the walking/standing leg-symptom pattern is recorded.

    Without a stenosis diagnosis it calls for a physician's assessment (NASS 2011: suspect
    lumbar spinal stenosis when buttock/leg symptoms worsen with walking or standing and ease
    with sitting or bending forward; Suri 2010: relief when seated LR 7.4, when bending
    forward LR 6.4). It is not an emergency.
    """
    if has_stenosis_diagnosis:
        return Advice(
            code="claudication-known-stenosis",
            text=(
                "Leg symptoms that come on with walking or standing and ease when you sit or "
                "bend forward fit the pattern of your spinal stenosis. Short walk or run blocks "
                "with sitting or bending breaks, cycling, and flat routes are usually easier. "
                "If the walking distance you manage keeps getting shorter, tell your doctor."
            ),
            source=CLAUDICATION_SOURCE,
        )
    return Advice(
        code="claudication-see-physician",
        text=(
            "Leg or buttock symptoms that come on with walking or standing and ease when you "
            "sit or bend forward are worth a doctor's assessment. This pattern can come from "
            "narrowing around the nerves in the lower back (spinal stenosis); a doctor can "
            "tell it apart from other causes, such as poor circulation in the legs. It is not "
            "an emergency: book a routine appointment. Until then, running plans wait for a "
            "recorded clearance (`backstride clearance add`); logging carries on as usual."
        ),
        source=CLAUDICATION_SOURCE,
        blocks_plans=True,
    )


# --- pain-monitoring rules --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PainRules:
    """Thresholds of the pain-monitoring model, each with its source."""

    # Pain during/after activity: 0-2 safe, up to 5 acceptable, above 5 too much.
    # Silbernagel 2007 (AJSM 35:897-906); Thomee 1997 [R]; docs/evidence.md.
    safe_max: int = 2
    acceptable_max: int = 5
    # "Usual level": median of the rest-day and before-run scores over the 28 days up to the run
    # (window length: backstride's choice; the model compares with the person's own baseline).
    baseline_window_days: int = 28
    # Without any baseline score yet, "settled" means back in the safe zone (<= safe_max).
    # Weekly trend of morning pain: a rise of the weekly mean by >= 1 point (one step of the
    # 0-10 scale) counts as rising. backstride's choice; the model says morning pain must not
    # rise week to week (Silbernagel 2007).
    morning_rise_points: float = 1.0
    # Morning stiffness: reported on a larger share of mornings than the week before, by at
    # least a quarter of mornings. backstride's choice, same rule.
    stiffness_rise_share: float = 0.25
    # One score at or above this is severe pain: see a professional (own choice; 7-10 is the
    # usual "severe" band of the 0-10 scale).
    severe_min: int = 8
    source: str = cite(
        "silbernagel-2007",
        "thomee-1997",
        note=(
            "a trial in Achilles tendinopathy; applied to back pain by analogy: low-certainty "
            "evidence"
        ),
    )

    def zone_words(self) -> Mapping[str, str]:
        """The three zones in words, with the numbers in force."""
        return {
            "safe": f"safe (0-{self.safe_max})",
            "acceptable": f"acceptable ({self.safe_max + 1}-{self.acceptable_max})",
            "too-much": f"too much (above {self.acceptable_max})",
        }


PAIN_RULES = PainRules()

Zone = Literal["safe", "acceptable", "too-much"]
Settled = Literal["yes", "no", "not-known-yet"]
Verdict = Literal["within", "outside", "not-known-yet"]
Trend = Literal["rising", "steady", "falling", "no-week-before"]

ZONE_WORDS: Mapping[str, str] = PAIN_RULES.zone_words()


def pain_zone(score: int, rules: PainRules = PAIN_RULES) -> Zone:
    """0-2 safe, 3-5 acceptable, above 5 too much (Silbernagel 2007)."""
    if score <= rules.safe_max:
        return "safe"
    if score <= rules.acceptable_max:
        return "acceptable"
    return "too-much"


@dataclass(frozen=True, slots=True)
class RunRef:
    """The little the pain rules need to know about a run."""

    activity_id: int
    day: date


@dataclass(frozen=True, slots=True)
class RunPainCheck:
    """The pain-monitoring rules applied to one run."""

    activity_id: int
    day: date
    before: int | None
    during: int | None
    during_zone: Zone | None
    after: int | None
    after_zone: Zone | None
    next_morning: int | None
    usual_level: float | None  # median of recent rest-day/before scores; None if none yet
    settled: Settled
    verdict: Verdict
    reasons: tuple[str, ...]


def _median(values: Sequence[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def flare_days(entries: Iterable[PainEntry], *, rules: PainRules = PAIN_RULES) -> frozenset[date]:
    """Days of pain flares, which the usual level leaves out.

    A flare starts on a day with any score above ``acceptable_max`` and lasts, day by day,
    until the worst score of a day is back at the usual level from before the flare (rounded
    up; the safe zone while that level is not known). Days without a check-in do not end it.
    backstride's reading of the model: the baseline is the person's level on ordinary days
    (Silbernagel 2007), so the days of a flare are not ordinary.
    """
    worst: dict[date, int] = {}
    calm: dict[date, list[int]] = {}
    for e in entries:
        worst[e.day] = max(worst.get(e.day, 0), e.score)
        if e.when in (PainWhen.REST_DAY, PainWhen.BEFORE) and not e.red_flags:
            calm.setdefault(e.day, []).append(e.score)
    out: set[date] = set()
    limit: int | None = None  # set while a flare lasts
    for day in sorted(worst):
        score = worst[day]
        if limit is None and score > rules.acceptable_max:
            start = day - timedelta(days=rules.baseline_window_days)
            before = [
                s for d, scores in calm.items() if start <= d < day and d not in out for s in scores
            ]
            base = _median(before)
            limit = math.ceil(base) if base is not None else rules.safe_max
            limit = min(limit, rules.acceptable_max)
        if limit is None:
            continue
        if score <= limit:
            limit = None
        else:
            out.add(day)
    return frozenset(out)


def usual_level(
    entries: Iterable[PainEntry], *, on: date, rules: PainRules = PAIN_RULES
) -> float | None:
    """The runner's usual pain: the median of rest-day and before-run scores in the
    ``baseline_window_days`` up to and including ``on``; None when there are none.

    Left out: the days of a flare (:func:`flare_days`, which also covers every score above
    ``acceptable_max``) and every day with a red flag, so a bad spell never becomes "usual".
    """
    listed = [e for e in entries if e.day <= on]
    start = on - timedelta(days=rules.baseline_window_days)
    skip = set(flare_days(listed, rules=rules))
    skip |= {e.day for e in listed if e.red_flags}
    scores = [
        e.score
        for e in listed
        if e.when in (PainWhen.REST_DAY, PainWhen.BEFORE)
        and start <= e.day <= on
        and e.day not in skip
        and e.score <= rules.acceptable_max
    ]
    return _median(scores)


def _belongs(entry: PainEntry, run: RunRef, *, only_run_that_day: bool) -> bool:
    if entry.activity_id is not None:
        return entry.activity_id == run.activity_id
    return only_run_that_day and entry.day == run.day


def next_morning_score(run: RunRef, entries: Iterable[PainEntry]) -> int | None:
    """The worst next-morning score the day after ``run`` (linked to it, or unlinked).

    A rest-day check-in on that day counts as the next-morning check-in when there is no
    next-morning one: the day after a run is usually a rest day, and its check-in tells the
    same thing.
    """
    after = run.day + timedelta(days=1)
    listed = [e for e in entries if e.day == after and e.activity_id in (None, run.activity_id)]
    morning = [e.score for e in listed if e.when is PainWhen.NEXT_MORNING]
    if morning:
        return max(morning)
    rest = [e.score for e in listed if e.when is PainWhen.REST_DAY]
    return max(rest) if rest else None


def check_run(
    run: RunRef,
    entries: Sequence[PainEntry],
    *,
    only_run_that_day: bool = True,
    rules: PainRules = PAIN_RULES,
) -> RunPainCheck:
    """Apply the pain-monitoring rules to one run (Silbernagel 2007; docs/evidence.md).

    Pain during and after: <= 2 safe, 3-5 acceptable, > 5 too much (the worst entry counts).
    Next morning: settled when the score is at or below the usual level rounded up (or within
    the safe zone while no usual level is known). A missing next-morning check-in is
    "not known yet", never fine.
    """

    def worst(when: PainWhen) -> int | None:
        scores = [
            e.score
            for e in entries
            if e.when is when and _belongs(e, run, only_run_that_day=only_run_that_day)
        ]
        return max(scores) if scores else None

    return _judge(
        run,
        before=worst(PainWhen.BEFORE),
        during=worst(PainWhen.DURING),
        after=worst(PainWhen.AFTER),
        morning=next_morning_score(run, entries),
        usual=usual_level(entries, on=run.day, rules=rules),
        rules=rules,
    )


def _judge(
    run: RunRef,
    *,
    before: int | None,
    during: int | None,
    after: int | None,
    morning: int | None,
    usual: float | None,
    rules: PainRules,
) -> RunPainCheck:
    """The zones, the settled test, the verdict and its reasons from one run's scores."""
    reasons: list[str] = []
    during_zone = pain_zone(during, rules) if during is not None else None
    after_zone = pain_zone(after, rules) if after is not None else None
    top = rules.acceptable_max
    if during_zone == "too-much":
        reasons.append(f"Pain during the run was {during}/10, above {top}: too much.")
    if after_zone == "too-much":
        reasons.append(f"Pain after the run was {after}/10, above {top}: too much.")
    settled: Settled
    if morning is None:
        settled = "not-known-yet"
        reasons.append("No next-morning check-in yet, so it is not known whether pain settled.")
    else:
        limit = math.ceil(usual) if usual is not None else rules.safe_max
        settled = "yes" if morning <= limit else "no"
        level = (
            f"your usual level (about {usual:g}/10)"
            if usual is not None
            else f"the safe zone (0-{rules.safe_max}; your usual level is not known yet)"
        )
        if settled == "no":
            reasons.append(f"Next morning pain was {morning}/10, above {level}: not settled.")
        else:
            reasons.append(f"Next morning pain was {morning}/10, back to {level}.")
    verdict: Verdict
    if during_zone == "too-much" or after_zone == "too-much" or settled == "no":
        verdict = "outside"
    elif settled == "not-known-yet":
        verdict = "not-known-yet"
    else:
        verdict = "within"
    return RunPainCheck(
        activity_id=run.activity_id,
        day=run.day,
        before=before,
        during=during,
        during_zone=during_zone,
        after=after,
        after_zone=after_zone,
        next_morning=morning,
        usual_level=usual,
        settled=settled,
        verdict=verdict,
        reasons=tuple(reasons),
    )


def check_runs(
    runs: Sequence[RunRef], entries: Sequence[PainEntry], *, rules: PainRules = PAIN_RULES
) -> tuple[RunPainCheck, ...]:
    """:func:`check_run` for each run; unlinked same-day entries count only on one-run days.

    The same results as calling :func:`check_run` run by run, in near-linear time: the entries
    are indexed once (:class:`_Diary`) instead of scanned again for every run.
    """
    per_day: dict[date, int] = {}
    for run in runs:
        per_day[run.day] = per_day.get(run.day, 0) + 1
    diary = _Diary(entries, rules)
    return tuple(
        diary.check(run, only_run_that_day=per_day[run.day] == 1)
        for run in sorted(runs, key=lambda r: (r.day, r.activity_id))
    )


_CALM = (PainWhen.REST_DAY, PainWhen.BEFORE)


def _flare_days_indexed(entries: Iterable[PainEntry], rules: PainRules) -> frozenset[date]:
    """:func:`flare_days`, with each flare's baseline taken from the calm days sorted once
    (bisect) instead of a scan of every calm day per flare start. Same result."""
    worst: dict[date, int] = {}
    calm: dict[date, list[int]] = {}
    for e in entries:
        if e.score > worst.get(e.day, -1):
            worst[e.day] = e.score
        if e.when in _CALM and not e.red_flags:
            calm.setdefault(e.day, []).append(e.score)
    return _flares(worst, calm, rules)


def _flares(
    worst: Mapping[date, int], calm: Mapping[date, list[int]], rules: PainRules
) -> frozenset[date]:
    """The walk of :func:`flare_days` over each day's worst score and its calm scores (rest-day
    and before-run scores of entries without a red flag)."""
    calm_days = sorted(calm)
    out: set[date] = set()
    limit: int | None = None  # set while a flare lasts
    for day in sorted(worst):
        score = worst[day]
        if limit is None and score > rules.acceptable_max:
            lo = bisect_left(calm_days, day - timedelta(days=rules.baseline_window_days))
            hi = bisect_left(calm_days, day, lo)
            before = [s for d in calm_days[lo:hi] if d not in out for s in calm[d]]
            base = _median(before)
            limit = math.ceil(base) if base is not None else rules.safe_max
            limit = min(limit, rules.acceptable_max)
        if limit is None:
            continue
        if score <= limit:
            limit = None
        else:
            out.add(day)
    return frozenset(out)


class _Diary:
    """The entries indexed once for :func:`check_runs`: by linked session, unlinked by day,
    and the baseline scores of :func:`usual_level` sorted by day.

    One flare pass serves every run because :func:`flare_days` is causal: whether a day up to
    D belongs to a flare depends only on entries up to D (the days are walked in order and a
    flare's baseline looks back only), so ``flare_days(entries up to D)`` is
    ``flare_days(entries)`` cut at D, which is what :func:`usual_level` leaves out for a run on
    D. Red-flag days and scores above ``acceptable_max`` are left out the same way.
    """

    __slots__ = ("_base_days", "_base_scores", "_linked", "_rules", "_unlinked")

    def __init__(self, entries: Iterable[PainEntry], rules: PainRules) -> None:
        self._rules = rules
        self._linked: dict[int, list[PainEntry]] = {}
        self._unlinked: dict[date, list[PainEntry]] = {}
        worst: dict[date, int] = {}
        calm: dict[date, list[int]] = {}  # without red-flag entries, as flare_days
        red: set[date] = set()
        for e in entries:
            day = e.day
            if e.score > worst.get(day, -1):
                worst[day] = e.score
            if e.activity_id is None:
                self._unlinked.setdefault(day, []).append(e)
            else:
                self._linked.setdefault(e.activity_id, []).append(e)
            if e.red_flags:
                red.add(day)
            elif e.when in _CALM:
                calm.setdefault(day, []).append(e.score)
        # the usual level's scores: calm ones up to acceptable_max, off flare and red-flag days
        # (a red-flag entry's own calm score is on a red-flag day, so ``calm`` has them all)
        skip = red | _flares(worst, calm, rules)
        top = rules.acceptable_max
        self._base_days: list[date] = []
        self._base_scores: list[int] = []
        for day in sorted(calm):
            if day not in skip:
                for score in calm[day]:
                    if score <= top:
                        self._base_days.append(day)
                        self._base_scores.append(score)

    def usual_level(self, on: date) -> float | None:
        """:func:`usual_level` on ``on`` over the indexed entries."""
        lo = bisect_left(self._base_days, on - timedelta(days=self._rules.baseline_window_days))
        hi = bisect_right(self._base_days, on, lo)
        return _median(self._base_scores[lo:hi])

    def check(self, run: RunRef, *, only_run_that_day: bool) -> RunPainCheck:
        """:func:`check_run` for ``run`` over the indexed entries."""
        linked = self._linked.get(run.activity_id, [])
        own = linked + self._unlinked.get(run.day, []) if only_run_that_day else linked
        worst: dict[PainWhen, int] = {}
        for e in own:
            if e.score > worst.get(e.when, -1):
                worst[e.when] = e.score
        after_day = run.day + timedelta(days=1)
        next_day = [e for e in linked if e.day == after_day]
        next_day += self._unlinked.get(after_day, [])
        morning = [e.score for e in next_day if e.when is PainWhen.NEXT_MORNING]
        rest = [e.score for e in next_day if e.when is PainWhen.REST_DAY]
        return _judge(
            run,
            before=worst.get(PainWhen.BEFORE),
            during=worst.get(PainWhen.DURING),
            after=worst.get(PainWhen.AFTER),
            morning=max(morning) if morning else (max(rest) if rest else None),
            usual=self.usual_level(run.day),
            rules=self._rules,
        )


@dataclass(frozen=True, slots=True)
class MorningWeek:
    """Next-morning check-ins of one week (Monday to Sunday) and the change from the week
    before."""

    week_start: date
    mornings: int
    mean_score: float
    max_score: int
    stiffness_mornings: int
    stiffness_share: float
    pain_trend: Trend
    stiffness_trend: Trend


def _trend(now: float, before: float | None, threshold: float) -> Trend:
    if before is None:
        return "no-week-before"
    if now - before >= threshold - 1e-9:
        return "rising"
    if before - now >= threshold - 1e-9:
        return "falling"
    return "steady"


def weekly_morning_trend(
    entries: Iterable[PainEntry], *, rules: PainRules = PAIN_RULES
) -> tuple[MorningWeek, ...]:
    """Mean next-morning pain and the share of mornings with stiffness, per week, each compared
    with the calendar week just before (the model: morning pain and stiffness must not rise
    week to week; Silbernagel 2007)."""
    weeks: dict[date, list[PainEntry]] = {}
    for e in entries:
        if e.when is PainWhen.NEXT_MORNING:
            weeks.setdefault(e.day - timedelta(days=e.day.weekday()), []).append(e)
    out: list[MorningWeek] = []
    summary: dict[date, tuple[float, float]] = {}
    for start in sorted(weeks):
        found = weeks[start]
        mean = sum(e.score for e in found) / len(found)
        stiff = sum(1 for e in found if PainFeel.STIFFNESS in e.feels)
        share = stiff / len(found)
        summary[start] = (mean, share)
        prev = summary.get(start - timedelta(days=7))
        out.append(
            MorningWeek(
                week_start=start,
                mornings=len(found),
                mean_score=round(mean, 2),
                max_score=max(e.score for e in found),
                stiffness_mornings=stiff,
                stiffness_share=round(share, 3),
                pain_trend=_trend(mean, prev[0] if prev else None, rules.morning_rise_points),
                stiffness_trend=_trend(
                    share, prev[1] if prev else None, rules.stiffness_rise_share
                ),
            )
        )
    return tuple(out)


def advise_entry(entry: PainEntry, *, rules: PainRules = PAIN_RULES) -> tuple[str, ...]:
    """Short, calm coaching lines for an entry's score (Silbernagel 2007 zones), with the
    numbers in force."""
    zone = pain_zone(entry.score, rules)
    words = rules.zone_words()
    top = rules.acceptable_max
    lasting = (
        f"If pain above {top} keeps coming back or has not settled within a few days, see a "
        "physiotherapist or doctor."
    )
    severe = (
        f"Pain of {rules.severe_min} or more is severe: see a physiotherapist or doctor before "
        "you run again."
    )
    if entry.when in (PainWhen.DURING, PainWhen.AFTER):
        if zone == "safe":
            return (f"{entry.score}/10 is in the {words['safe']} zone.",)
        if zone == "acceptable":
            return (
                f"{entry.score}/10 is {words['acceptable']} if it settles by tomorrow morning. "
                "Do a next-morning check-in: `backstride checkin`.",
            )
        return (
            f"{entry.score}/10 is more than the pain rules allow (above {top}). No run today: "
            "ease off, and check in tomorrow morning.",
            severe if entry.score >= rules.severe_min else lasting,
        )
    if zone == "too-much":
        return (
            f"{entry.score}/10 is high. Rest or gentle walking today rather than a run, and "
            "check in again tomorrow: until a lower score is recorded, backstride keeps the "
            "advice careful.",
            severe if entry.score >= rules.severe_min else lasting,
        )
    return ()
