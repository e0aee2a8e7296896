"""The words a runner reads for each vocabulary (pain, profile, screening, clearance,
self-tests, shoes) and the badges of states and verdicts; the templates name it ``w``."""

from __future__ import annotations

from collections.abc import Mapping

from backstride.domain.body import SPINE_CONDITIONS, Condition, Experience, Sex
from backstride.domain.pain import PainFeel, PainSite, PainWhen, SeenOutcome, Urgency, pain_zone
from backstride.domain.selftest import TESTS, SelfTestName

# --- words ----------------------------------------------------------------------------------------

WHEN_WORDS: Mapping[str, str] = {
    PainWhen.BEFORE.value: "Before a run",
    PainWhen.DURING.value: "During a run",
    PainWhen.AFTER.value: "After a run",
    PainWhen.NEXT_MORNING.value: "The morning after a run",
    PainWhen.REST_DAY.value: "A rest day",
}
WHEN_SHORT: Mapping[str, str] = {
    PainWhen.BEFORE.value: "before",
    PainWhen.DURING.value: "during",
    PainWhen.AFTER.value: "after",
    PainWhen.NEXT_MORNING.value: "next morning",
    PainWhen.REST_DAY.value: "rest day",
}
SITE_WORDS: Mapping[str, str] = {
    PainSite.LOW_BACK.value: "Low back",
    PainSite.UPPER_BACK.value: "Middle or upper back",
    PainSite.BUTTOCK_LEFT.value: "Left buttock",
    PainSite.BUTTOCK_RIGHT.value: "Right buttock",
    PainSite.LEG_LEFT.value: "Left leg",
    PainSite.LEG_RIGHT.value: "Right leg",
    PainSite.LOWER_LEG_LEFT.value: "Left leg below the knee",
    PainSite.LOWER_LEG_RIGHT.value: "Right leg below the knee",
}
FEEL_WORDS: Mapping[str, str] = {
    PainFeel.ACHE.value: "Ache",
    PainFeel.SHARP.value: "Sharp",
    PainFeel.BURNING.value: "Burning",
    PainFeel.NUMBNESS.value: "Numbness",
    PainFeel.TINGLING.value: "Tingling (pins and needles)",
    PainFeel.STIFFNESS.value: "Stiffness",
}
ZONE_LABELS: Mapping[str, tuple[str, str]] = {
    "safe": ("safe (0–2)", "badge-ok"),
    "acceptable": ("acceptable (3–5)", "badge-caution"),
    "too-much": ("too much (above 5)", "badge-alert"),
}
VERDICT_LABELS: Mapping[str, tuple[str, str]] = {
    "within": ("within the rules", "badge-ok"),
    "outside": ("outside the rules", "badge-alert"),
    # Never "fine": without the next morning nobody knows yet.
    "not-known-yet": ("not known yet", "badge-info"),
}
SETTLED_LABELS: Mapping[str, str] = {
    "yes": "settled",
    "no": "not settled",
    "not-known-yet": "not known yet",
}
TREND_LABELS: Mapping[str, str] = {
    "rising": "rising",
    "steady": "steady",
    "falling": "falling",
    "no-week-before": "no week before to compare",
}
CLEARANCE_LABELS: Mapping[str, tuple[str, str]] = {
    "needed": ("Clearance needed", "alert"),
    "not-screened": ("Screening not done yet", "caution"),
    "cleared": ("Cleared by a physician", "ok"),
    "not-needed": ("No clearance needed", "ok"),
}
SHOE_STATE_LABELS: Mapping[str, tuple[str, str]] = {
    "ok": ("in good shape", "badge-ok"),
    "inspect": ("inspect them", "badge-caution"),
    "retire": ("replace them", "badge-alert"),
    "retired": ("retired", "badge-info"),
}
RATING_LABELS: Mapping[str, tuple[str, str]] = {
    "poor": ("poor", "badge-alert"),
    "below-average": ("below average", "badge-caution"),
    "average-or-better": ("average or better", "badge-ok"),
    "below-usual-range": ("below the usual range", "badge-caution"),
    "usual-range": ("usual range", "badge-ok"),
    "above-usual-range": ("above the usual range", "badge-ok"),
    "pass": ("pass", "badge-ok"),
    "fail": ("fail", "badge-caution"),
}
SEX_WORDS: Mapping[str, str] = {
    Sex.UNSPECIFIED.value: "Not given",
    Sex.FEMALE.value: "Female",
    Sex.MALE.value: "Male",
}
EXPERIENCE_WORDS: Mapping[str, str] = {
    Experience.NEW.value: "New to running",
    Experience.RETURNING.value: "Returning after a break",
    Experience.REGULAR.value: "Running regularly",
}
CONDITION_LABELS: Mapping[str, str] = {
    Condition.LUMBAR_SPINAL_STENOSIS.value: "Lumbar spinal stenosis",
    Condition.DISC_HERNIATION.value: "Disc herniation",
    Condition.SPONDYLOLISTHESIS.value: "Spondylolisthesis",
    Condition.OTHER_SPINE.value: "Another spine condition",
    Condition.HIP_PROBLEM.value: "Hip problem",
    Condition.OSTEOPOROSIS.value: "Osteoporosis (thin bones)",
    Condition.RECENT_ILLNESS.value: "Recent illness",
    Condition.HEART_CONDITION.value: "Heart condition",
    Condition.IMMUNOSUPPRESSION.value: "Weakened immune system (medicines or an illness)",
    Condition.LONG_TERM_STEROIDS.value: "Steroid tablets, now or for months in the past",
    Condition.PAST_CANCER.value: "Cancer, now or in the past",
}
OUTCOME_CHOICES: tuple[tuple[str, str], ...] = (
    (SeenOutcome.MAY_TRAIN.value, "I may train"),
    (SeenOutcome.MAY_NOT.value, "I may not train yet"),
    (SeenOutcome.NOT_KNOWN.value, "Not yet known"),
)
URGENCY_HEADINGS: Mapping[str, str] = {
    Urgency.EMERGENCY.value: "Emergency: get help now",
    Urgency.SAME_DAY.value: "See a doctor today",
    Urgency.PROMPT.value: "See a doctor within days",
}
SPINE_CONDITION_VALUES = frozenset(c.value for c in SPINE_CONDITIONS)
UNIT_WORDS: Mapping[str, str] = {
    "s": "seconds",
    "cm": "centimetres",
    "deg": "degrees",
    "pass/fail": "pass or fail",
}


def zone_label(score: int) -> tuple[str, str]:
    """(words, badge class) of a pain score's zone (Silbernagel 2007, via the domain)."""
    return ZONE_LABELS[pain_zone(score)]


def test_title(name: str) -> str:
    """A self-test's title for a name such as ``side-bridge-left``."""
    return TESTS[SelfTestName(name)].title
