"""The runner's training status read from the records (issue 13.3): regular, returning or new."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from backstride.domain.body.profile import (
    Experience,
)

# --- training status from the records (issue 13.3) -------------------------------------------

#: Regular training: at least this many runs in each of the last REGULAR_WEEKS weeks
#: (backstride's reading of ACSM's "regular exercise": planned exercise on most weeks, ACSM
#: 2015, Riebe 2015; the number of weeks is backstride's choice).
REGULAR_WEEKS = 4
REGULAR_RUNS_A_WEEK = 2
#: A runner who has not run for this many days is returning (the plan's long-pause rule).
RETURNING_AFTER_DAYS = 14

EXPERIENCE_WORDS: Mapping[Experience, str] = {
    Experience.NEW: "new to running",
    Experience.RETURNING: "returning after a break",
    Experience.REGULAR: "running regularly",
}


@dataclass(frozen=True, slots=True)
class TrainingStatus:
    """Her running experience as backstride uses it: from her records when they say enough,
    else her own answer in the profile."""

    experience: Experience | None
    from_records: bool
    reason: str

    def to_json(self) -> dict[str, object]:
        return {
            "experience": self.experience.value if self.experience else None,
            "from_records": self.from_records,
            "reason": self.reason,
        }


def training_status(
    stated: Experience | None, run_days: Iterable[date], *, today: date
) -> TrainingStatus:
    """``regular`` once each of the last :data:`REGULAR_WEEKS` weeks (7-day blocks up to
    ``today``) holds :data:`REGULAR_RUNS_A_WEEK` runs or more; ``returning`` when she said
    regular but has not run for :data:`RETURNING_AFTER_DAYS` days; else her own answer."""
    days = sorted(d for d in run_days if d <= today)
    ends = [today - timedelta(days=7 * k) for k in range(REGULAR_WEEKS)]
    counts = [sum(1 for d in days if end - timedelta(days=7) < d <= end) for end in ends]
    if all(c >= REGULAR_RUNS_A_WEEK for c in counts):
        return TrainingStatus(
            Experience.REGULAR,
            True,
            f"Your records show {REGULAR_RUNS_A_WEEK} or more runs in each of the last "
            f"{REGULAR_WEEKS} weeks: running regularly.",
        )
    if stated is Experience.REGULAR and days:
        gap = (today - days[-1]).days
        if gap >= RETURNING_AFTER_DAYS:
            return TrainingStatus(
                Experience.RETURNING,
                True,
                f"Your last run was {gap} days ago: after a break of two weeks or more you are "
                "returning to running.",
            )
    if stated is None:
        return TrainingStatus(None, False, "Not given in your profile.")
    return TrainingStatus(stated, False, f"Your profile says: {EXPERIENCE_WORDS[stated]}.")
