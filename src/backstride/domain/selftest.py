"""Self-tests of trunk endurance and flexibility, with published norms and ratios.

Pure: no I/O, no clock. Sources (docs/evidence.md):
- Trunk endurance holds and their ratios: McGill 1999, Arch Phys Med Rehabil 80:941-4
  (reliability > 0.97) [V]; ratio targets flexion/extension < 1.0, right/left ~1.0,
  side bridge/extension < 0.75 [V secondary]. backstride reads "~1.0" as 0.95-1.05.
- Reference times (flexion/extension/right/left side bridge): Anderson 2014 160/101/54/55 s;
  Evans 2007 (athletes) 224/163/104/103 s [V secondary].
- Sit-and-reach, YMCA method, ages 18-25: average men 16 in, women 19 in; poor <= 13 in men,
  <= 16 in women [V secondary]. backstride records centimetres on the same scale (heels at the
  38 cm mark, which is the YMCA 15 in mark); 1 in = 2.54 cm.
- Straight-leg raise as a hamstring-length measure: ~70-80 degrees (Ayala 2013 review) [R].
- Hip-flexor length: the modified Thomas test, recorded as pass or fail (no numeric norm).
- Retest after 6 weeks: backstride's choice, long enough for endurance work to show.
The steps to perform each test are backstride's own plain-language instructions.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from backstride.domain.evidence import cite
from backstride.errors import InvalidInputError

RETEST_AFTER_DAYS = 42  # 6 weeks; backstride's choice (see module docstring)
INCH_CM = 2.54


class SelfTestName(enum.StrEnum):
    TRUNK_FLEXOR_HOLD = "trunk-flexor-hold"
    TRUNK_EXTENSOR_HOLD = "trunk-extensor-hold"
    SIDE_BRIDGE_LEFT = "side-bridge-left"
    SIDE_BRIDGE_RIGHT = "side-bridge-right"
    SIT_AND_REACH = "sit-and-reach"
    STRAIGHT_LEG_RAISE_LEFT = "straight-leg-raise-left"
    STRAIGHT_LEG_RAISE_RIGHT = "straight-leg-raise-right"
    HIP_FLEXOR_LENGTH_LEFT = "hip-flexor-length-left"
    HIP_FLEXOR_LENGTH_RIGHT = "hip-flexor-length-right"


Unit = Literal["s", "cm", "deg", "pass/fail"]


@dataclass(frozen=True, slots=True)
class SelfTestDef:
    """What a test measures, its unit, the plain steps to perform it, and a safety note."""

    name: SelfTestName
    title: str
    unit: Unit
    measures: str
    steps: tuple[str, ...]
    caution: str
    min_value: float
    max_value: float


_STOP = (
    "Stop at once if it brings on back pain above your usual level, or pain, tingling or "
    "numbness down a leg; write down how far you got and note why you stopped."
)

_FLEXOR_STEPS = (
    "Sit on the floor with your knees bent and feet flat; hook your feet under a sofa or ask "
    "a helper to hold them.",
    "Cross your arms over your chest and lean back until your trunk is about 60 degrees from "
    "the floor (a third of the way from sitting upright to lying down). A helper can hold a "
    "firm cushion behind your back to find the position.",
    "Have the cushion moved about 10 cm back and start the timer.",
    "Hold still with a straight back, breathing normally.",
    "Stop the timer when your back sinks towards the cushion or you cannot keep the angle. "
    "Record the seconds.",
)
_EXTENSOR_STEPS = (
    "Lie face down on a firm bed or bench with your hips at the edge and your upper body "
    "hanging over it, hands on a chair for support.",
    "Ask a helper to hold your legs down at the ankles (or use a strap).",
    "Cross your arms over your chest and lift your upper body until it is level with your "
    "legs, in a straight line, not arched; start the timer.",
    "Hold the straight, level position, breathing normally.",
    "Stop the timer when your upper body drops below level. Record the seconds.",
)


def _side_steps(side: str) -> tuple[str, ...]:
    return (
        f"Lie on your {side} side with your legs straight, the top foot just in front of the "
        f"bottom one, and your {side} elbow under your shoulder.",
        "Put your free hand on the opposite shoulder.",
        "Lift your hips so that your body makes a straight line from head to feet; start the "
        "timer.",
        "Hold the straight line, breathing normally.",
        "Stop the timer when your hips start to drop. Record the seconds.",
    )


def _slr_steps(side: str) -> tuple[str, ...]:
    return (
        "Lie on your back on the floor with both legs straight.",
        f"A helper slowly lifts your {side} leg by the heel, keeping the knee straight, while "
        "the other leg stays flat on the floor.",
        "Stop when you feel a firm stretch behind the thigh or your pelvis starts to lift.",
        "Measure the angle between the lifted leg and the floor (a phone angle app on the shin "
        "works). Record the degrees.",
    )


def _thomas_steps(side: str) -> tuple[str, ...]:
    other = "right" if side == "left" else "left"
    return (
        "Sit on the very end of a firm bed or table.",
        f"Hug your {other} knee to your chest with both hands and roll back to lie down, "
        "keeping the knee hugged so your lower back rests flat.",
        f"Let your {side} leg hang over the edge, relaxed.",
        f"Pass: the back of your {side} thigh rests on the bed (level or lower). Fail: the "
        "thigh stays lifted above the bed.",
        "Sit up carefully by letting go of the knee and rolling onto your side first.",
    )


TESTS: Mapping[SelfTestName, SelfTestDef] = {
    SelfTestName.TRUNK_FLEXOR_HOLD: SelfTestDef(
        SelfTestName.TRUNK_FLEXOR_HOLD,
        "Trunk flexor hold",
        "s",
        f"endurance of the abdominal muscles ({cite('mcgill-1999')})",
        _FLEXOR_STEPS,
        _STOP,
        0,
        1200,
    ),
    SelfTestName.TRUNK_EXTENSOR_HOLD: SelfTestDef(
        SelfTestName.TRUNK_EXTENSOR_HOLD,
        "Trunk extensor hold (Biering-Sorensen)",
        "s",
        f"endurance of the back extensor muscles ({cite('mcgill-1999', 'biering-sorensen-1984')})",
        _EXTENSOR_STEPS,
        _STOP + " With spinal stenosis, skip this test if holding a level back brings on leg "
        "symptoms.",
        0,
        1200,
    ),
    SelfTestName.SIDE_BRIDGE_LEFT: SelfTestDef(
        SelfTestName.SIDE_BRIDGE_LEFT,
        "Side bridge, left",
        "s",
        f"endurance of the muscles along the side of the trunk ({cite('mcgill-1999')})",
        _side_steps("left"),
        _STOP,
        0,
        1200,
    ),
    SelfTestName.SIDE_BRIDGE_RIGHT: SelfTestDef(
        SelfTestName.SIDE_BRIDGE_RIGHT,
        "Side bridge, right",
        "s",
        f"endurance of the muscles along the side of the trunk ({cite('mcgill-1999')})",
        _side_steps("right"),
        _STOP,
        0,
        1200,
    ),
    SelfTestName.SIT_AND_REACH: SelfTestDef(
        SelfTestName.SIT_AND_REACH,
        "Sit-and-reach (YMCA method)",
        "cm",
        "flexibility of the hamstrings and lower back",
        (
            "Warm up with a few minutes of walking.",
            "Lay a tape measure on the floor and sit with your legs straight either side of it, "
            "the zero end towards you and your heels level with the 38 cm mark, about 30 cm "
            "apart.",
            "Put one hand on top of the other and reach slowly forward along the tape as far as "
            "you can, breathing out; hold for 2 seconds. Do not bounce.",
            "Read the centimetre mark under your fingertips. Do it three times and record the "
            "best.",
        ),
        _STOP,
        0,
        100,
    ),
    SelfTestName.STRAIGHT_LEG_RAISE_LEFT: SelfTestDef(
        SelfTestName.STRAIGHT_LEG_RAISE_LEFT,
        "Straight-leg raise, left",
        "deg",
        f"length of the hamstrings ({cite('ayala-2013')})",
        _slr_steps("left"),
        _STOP + " Pain shooting down the leg during this test is worth mentioning to your "
        "physiotherapist or doctor.",
        0,
        150,
    ),
    SelfTestName.STRAIGHT_LEG_RAISE_RIGHT: SelfTestDef(
        SelfTestName.STRAIGHT_LEG_RAISE_RIGHT,
        "Straight-leg raise, right",
        "deg",
        f"length of the hamstrings ({cite('ayala-2013')})",
        _slr_steps("right"),
        _STOP + " Pain shooting down the leg during this test is worth mentioning to your "
        "physiotherapist or doctor.",
        0,
        150,
    ),
    SelfTestName.HIP_FLEXOR_LENGTH_LEFT: SelfTestDef(
        SelfTestName.HIP_FLEXOR_LENGTH_LEFT,
        "Hip-flexor length, left (modified Thomas test)",
        "pass/fail",
        "length of the muscles at the front of the hip",
        _thomas_steps("left"),
        _STOP,
        0,
        1,
    ),
    SelfTestName.HIP_FLEXOR_LENGTH_RIGHT: SelfTestDef(
        SelfTestName.HIP_FLEXOR_LENGTH_RIGHT,
        "Hip-flexor length, right (modified Thomas test)",
        "pass/fail",
        "length of the muscles at the front of the hip",
        _thomas_steps("right"),
        _STOP,
        0,
        1,
    ),
}


def parse_test_name(text: str) -> SelfTestName:
    key = text.strip().lower().replace("_", "-").replace(" ", "-")
    try:
        return SelfTestName(key)
    except ValueError:
        raise InvalidInputError(
            f"'{text}' is not a known self-test.",
            hint=f"Choose one of: {', '.join(t.value for t in SelfTestName)}.",
        ) from None


def parse_test_value(name: SelfTestName, text: str) -> float:
    """A result as typed: seconds (``95`` or ``1:35``), cm, degrees, or ``pass``/``fail``.

    Pass is stored as 1.0 and fail as 0.0.
    """
    spec = TESTS[name]
    raw = text.strip().lower()
    if spec.unit == "pass/fail":
        if raw in ("pass", "passed", "p", "yes"):
            return 1.0
        if raw in ("fail", "failed", "f", "no"):
            return 0.0
        raise InvalidInputError(f"'{text}' is not a result for {name}.", hint="Give pass or fail.")
    value: float
    try:
        if spec.unit == "s" and ":" in raw:
            mins, secs = raw.split(":", 1)
            value = int(mins) * 60 + float(secs)
            if float(secs) >= 60:
                raise ValueError
        else:
            value = float(raw.removesuffix(spec.unit).strip())
    except ValueError:
        unit_words = {"s": "seconds, e.g. 95 or 1:35", "cm": "centimetres", "deg": "degrees"}
        raise InvalidInputError(
            f"'{text}' is not a result for {name}.", hint=f"Give {unit_words[spec.unit]}."
        ) from None
    return check_test_value(name, value)


def check_test_value(name: SelfTestName, value: float) -> float:
    spec = TESTS[name]
    if not math.isfinite(value) or not spec.min_value <= value <= spec.max_value:
        raise InvalidInputError(
            f"{value:g} {spec.unit} is out of range for {name}.",
            hint=f"Results for this test lie between {spec.min_value:g} and "
            f"{spec.max_value:g} {spec.unit}.",
        )
    if spec.unit == "pass/fail" and value not in (0.0, 1.0):
        raise InvalidInputError(f"{name} is recorded as pass or fail.")
    return float(value)


def format_value(name: SelfTestName, value: float) -> str:
    unit = TESTS[name].unit
    if unit == "pass/fail":
        return "pass" if value >= 0.5 else "fail"
    if unit == "deg":
        return f"{value:g} degrees"
    return f"{value:g} {unit}"


@dataclass(frozen=True, slots=True)
class SelfTestResult:
    name: SelfTestName
    day: date
    value: float
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Reference:
    """A published reference value to compare a result with."""

    label: str
    value: float
    source: str
    verified: bool  # True: seen in an abstract or primary page; False: recalled/secondary only


# Endurance reference means (docs/evidence.md, [V secondary]).
_ANDERSON = cite("anderson-2014")
_EVANS = cite("evans-2007", note="athletes")
ENDURANCE_REFERENCES: Mapping[SelfTestName, tuple[Reference, ...]] = {
    SelfTestName.TRUNK_FLEXOR_HOLD: (
        Reference(f"average adult ({cite('anderson-2014')})", 160, _ANDERSON, False),
        Reference(f"average athlete ({cite('evans-2007')})", 224, _EVANS, False),
    ),
    SelfTestName.TRUNK_EXTENSOR_HOLD: (
        Reference(f"average adult ({cite('anderson-2014')})", 101, _ANDERSON, False),
        Reference(f"average athlete ({cite('evans-2007')})", 163, _EVANS, False),
    ),
    SelfTestName.SIDE_BRIDGE_RIGHT: (
        Reference(f"average adult ({cite('anderson-2014')})", 54, _ANDERSON, False),
        Reference(f"average athlete ({cite('evans-2007')})", 104, _EVANS, False),
    ),
    SelfTestName.SIDE_BRIDGE_LEFT: (
        Reference(f"average adult ({cite('anderson-2014')})", 55, _ANDERSON, False),
        Reference(f"average athlete ({cite('evans-2007')})", 103, _EVANS, False),
    ),
}

# YMCA sit-and-reach, ages 18-25 (docs/evidence.md [V secondary]); inches -> cm. The
# sources backstride has give no other age band, so a runner outside it is not rated against
# them (issue 13.3): the result is shown with whose norms they are.
_YMCA = cite("ymca-sit-and-reach", note="ages 18-25")
SIT_AND_REACH_AGES = (18, 25)
SIT_AND_REACH_CM: Mapping[str, tuple[float, float]] = {
    # sex: (poor at or below, average)
    "male": (13 * INCH_CM, 16 * INCH_CM),  # 33.02 cm, 40.64 cm
    "female": (16 * INCH_CM, 19 * INCH_CM),  # 40.64 cm, 48.26 cm
}

# Straight-leg raise as hamstring length: about 70-80 degrees (Ayala 2013 review) [R].
SLR_USUAL_RANGE_DEG = (70.0, 80.0)
_AYALA = cite("ayala-2013", note="a reference from memory, not checked against the review")

# McGill 1999 ratio targets [V secondary]; "about 1.0" read as 0.95-1.05 (backstride's choice).
_MCGILL = cite("mcgill-1999", note="ratio targets")
FLEXION_EXTENSION_MAX = 1.0
LEFT_RIGHT_RANGE = (0.95, 1.05)
SIDE_EXTENSION_MAX = 0.75


@dataclass(frozen=True, slots=True)
class Assessment:
    """The latest result of one test against its norms, and when to test again."""

    name: SelfTestName
    latest: SelfTestResult | None
    previous: SelfTestResult | None
    rating: str | None  # short code, e.g. "below-usual-range"; None when not rated
    text: str
    references: tuple[Reference, ...]
    retest_due_on: date | None
    retest_due: bool


@dataclass(frozen=True, slots=True)
class RatioCheck:
    """One of McGill's endurance ratios; ``ok`` is None when a result is missing."""

    name: str
    numerator: SelfTestName
    denominator: SelfTestName
    value: float | None
    target: str
    ok: bool | None
    text: str
    source: str = _MCGILL


@dataclass(frozen=True, slots=True)
class SelfTestReport:
    assessments: tuple[Assessment, ...]
    ratios: tuple[RatioCheck, ...]
    retest_due: tuple[SelfTestName, ...]
    reminder: str | None


def _latest_two(
    results: Iterable[SelfTestResult],
) -> dict[SelfTestName, tuple[SelfTestResult, SelfTestResult | None]]:
    by_name: dict[SelfTestName, list[SelfTestResult]] = {}
    for r in results:
        by_name.setdefault(r.name, []).append(r)
    out: dict[SelfTestName, tuple[SelfTestResult, SelfTestResult | None]] = {}
    for name, found in by_name.items():
        found.sort(key=lambda r: (r.day, r.id or 0))
        out[name] = (found[-1], found[-2] if len(found) > 1 else None)
    return out


def _rate(
    name: SelfTestName, value: float, sex: str, age: int | None = None
) -> tuple[str | None, str, tuple[Reference, ...]]:
    spec = TESTS[name]
    shown = format_value(name, value)
    if name in ENDURANCE_REFERENCES:
        refs = ENDURANCE_REFERENCES[name]
        parts = [f"{100 * value / r.value:.0f}% of the {r.label}, {r.value:g} s" for r in refs]
        return (
            None,
            f"{shown}: {'; '.join(parts)}. Compare mostly with your own earlier results; the "
            "balance between the holds (the ratios below) matters more than the times.",
            refs,
        )
    if name is SelfTestName.SIT_AND_REACH:
        sexes = [sex] if sex in SIT_AND_REACH_CM else ["female", "male"]
        refs = tuple(
            ref
            for s in sexes
            for ref in (
                Reference(f"{s}, poor at or below", SIT_AND_REACH_CM[s][0], _YMCA, False),
                Reference(f"{s}, average", SIT_AND_REACH_CM[s][1], _YMCA, False),
            )
        )
        low_age, high_age = SIT_AND_REACH_AGES
        if age is not None and not low_age <= age <= high_age and len(sexes) == 1:
            poor, average = SIT_AND_REACH_CM[sexes[0]]
            return (
                None,
                f"{shown}. The only norms backstride has are from {sexes[0]}s aged "
                f"{low_age}-{high_age} (YMCA: average {average:.1f} cm, poor at or below "
                f"{poor:.1f} cm); at {age} they do not apply to you, so the result is not "
                "rated. Flexibility falls with age: compare with your own earlier results.",
                refs,
            )
        if len(sexes) == 1:
            poor, average = SIT_AND_REACH_CM[sexes[0]]
            if value <= poor:
                rating, words = "poor", "in the poor range"
            elif value < average:
                rating, words = "below-average", "below average"
            else:
                rating, words = "average-or-better", "average or better"
            text = (
                f"{shown}: {words} for {sexes[0]}s aged 18-25 (YMCA norms: average "
                f"{average:.1f} cm, poor at or below {poor:.1f} cm)."
                + ("" if age is not None else " Set your birth year for norms that fit your age.")
            )
        else:
            rating = None
            text = (
                f"{shown}. Averages for ages 18-25: women {SIT_AND_REACH_CM['female'][1]:.1f} "
                f"cm, men {SIT_AND_REACH_CM['male'][1]:.1f} cm (set your sex in the profile "
                "for a rating)."
            )
        return (
            rating,
            text + " Flexibility falls with age, so your own trend matters most.",
            refs,
        )
    if spec.unit == "deg":
        low, high = SLR_USUAL_RANGE_DEG
        refs = (
            Reference("usual hamstring length, lower end", low, _AYALA, False),
            Reference("usual hamstring length, upper end", high, _AYALA, False),
        )
        if value < low:
            return (
                "below-usual-range",
                f"{shown}: below the usual {low:g}-{high:g} degrees (a review of studies in "
                f"adults, {cite('ayala-2013')}), so the hamstrings are short. Regular hamstring "
                "stretches after runs can help.",
                refs,
            )
        if value <= high:
            return (
                "usual-range",
                f"{shown}: within the usual {low:g}-{high:g} degrees.",
                refs,
            )
        return ("above-usual-range", f"{shown}: above the usual {low:g}-{high:g} degrees.", refs)
    # pass/fail
    if value >= 0.5:
        return ("pass", "Pass: the thigh rests on the bed, so the hip flexors are not short.", ())
    return (
        "fail",
        "Fail: the thigh stays lifted, so the muscles at the front of the hip are short. A "
        "hip-flexor stretch after runs can help.",
        (),
    )


def _ratio(
    name: str,
    num: SelfTestName,
    den: SelfTestName,
    latest: Mapping[SelfTestName, tuple[SelfTestResult, SelfTestResult | None]],
) -> RatioCheck:
    if name == "flexion/extension":
        target = f"below {FLEXION_EXTENSION_MAX:g}"
    elif name == "left/right side bridge":
        target = f"between {LEFT_RIGHT_RANGE[0]:g} and {LEFT_RIGHT_RANGE[1]:g}"
    else:
        target = f"below {SIDE_EXTENSION_MAX:g}"
    if num not in latest or den not in latest or latest[den][0].value <= 0:
        missing = [n.value for n in (num, den) if n not in latest]
        why = (
            f"needs {' and '.join(missing)}"
            if missing
            else f"{den.value} is 0 s, so the ratio cannot be computed"
        )
        return RatioCheck(name, num, den, None, target, None, f"Not known yet: {why}.")
    value = latest[num][0].value / latest[den][0].value
    if name == "flexion/extension":
        ok = value < FLEXION_EXTENSION_MAX
        text = (
            "The back extensors hold at least as long as the abdominals, as recommended."
            if ok
            else "The abdominals outlast the back extensors; back-extensor endurance work "
            "(for example the bird-dog) would even this out."
        )
    elif name == "left/right side bridge":
        ok = LEFT_RIGHT_RANGE[0] <= value <= LEFT_RIGHT_RANGE[1]
        weaker = "left" if value < 1 else "right"
        text = (
            "Both sides are balanced."
            if ok
            else f"The {weaker} side tires sooner; give it extra side-bridge practice."
        )
    else:
        ok = value < SIDE_EXTENSION_MAX
        text = (
            "The side bridge is in proportion to the back extensors."
            if ok
            else "The side bridge is long compared with the back-extensor hold; work on "
            "back-extensor endurance."
        )
    return RatioCheck(name, num, den, round(value, 3), target, ok, f"{text} {RATIO_NORMS}")


#: Whose norms the ratio targets are (McGill 1999 tested 75 young adults).
RATIO_NORMS = f"Ratio targets from young adults ({cite('mcgill-1999')})."


def build_report(
    results: Sequence[SelfTestResult],
    *,
    sex: str,
    today: date,
    birth_year: int | None = None,
) -> SelfTestReport:
    """Each test's latest result against its norms, McGill's ratios, and retest reminders.

    With ``birth_year``, norms are applied only to the age band they come from; outside it the
    result is shown with whose norms they are, unrated (the sources give no other band)."""
    age = today.year - birth_year if birth_year is not None else None
    latest = _latest_two(results)
    assessments: list[Assessment] = []
    due: list[SelfTestName] = []
    for name in SelfTestName:
        if name not in latest:
            assessments.append(Assessment(name, None, None, None, "Not done yet.", (), None, False))
            continue
        last, prev = latest[name]
        rating, text, refs = _rate(name, last.value, sex, age)
        if prev is not None:
            text += f" Before: {format_value(name, prev.value)} on {prev.day.isoformat()}."
        due_on = last.day + timedelta(days=RETEST_AFTER_DAYS)
        is_due = today >= due_on
        if is_due:
            due.append(name)
        assessments.append(Assessment(name, last, prev, rating, text, refs, due_on, is_due))
    ratios = (
        _ratio(
            "flexion/extension",
            SelfTestName.TRUNK_FLEXOR_HOLD,
            SelfTestName.TRUNK_EXTENSOR_HOLD,
            latest,
        ),
        _ratio(
            "left/right side bridge",
            SelfTestName.SIDE_BRIDGE_LEFT,
            SelfTestName.SIDE_BRIDGE_RIGHT,
            latest,
        ),
        _ratio(
            "left side bridge/extension",
            SelfTestName.SIDE_BRIDGE_LEFT,
            SelfTestName.TRUNK_EXTENSOR_HOLD,
            latest,
        ),
        _ratio(
            "right side bridge/extension",
            SelfTestName.SIDE_BRIDGE_RIGHT,
            SelfTestName.TRUNK_EXTENSOR_HOLD,
            latest,
        ),
    )
    reminder = None
    if due:
        reminder = (
            f"Time to retest (6 weeks or more since the last time): "
            f"{', '.join(n.value for n in due)}."
        )
    return SelfTestReport(tuple(assessments), ratios, tuple(due), reminder)
