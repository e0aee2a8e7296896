"""Rules of the data family."""

from __future__ import annotations

from datetime import timedelta

from backstride.domain.evidence import cite
from backstride.domain.guidance.finding import Finding
from backstride.domain.guidance.message import Say
from backstride.domain.guidance.rule import rule
from backstride.domain.guidance.rules.pain import PAIN_SOURCE
from backstride.domain.guidance.state import GuidanceState
from backstride.domain.params import GuidanceParams
from backstride.domain.shoes import WEAR_SOURCE


@rule(
    about="Self-tests missing or due again",
    family="data",
    ids=(
        "body.retest_due",
        "data.no_selftests",
    ),
    params=(),
    evidence=(
        "mcgill-1999",
        "maselli-2020",
    ),
    words={
        "none.title": "No self-tests yet",
        "none.reason": (
            "Simple hold and stretch tests show whether weak trunk muscles or tight hips "
            "could be adding to back pain."
        ),
        "none.action": "See the tests and how to do them: `backstride selftest list`.",
        "due.title": "Time to repeat your self-tests",
        "due.reason": "{reminder}",
        "due.reminder": "Six weeks or more have passed since your last tests.",
        "due.action": "Repeat them and record the results: `backstride selftest add`.",
    },
)
def rule_selftest_data(state: GuidanceState, p: GuidanceParams, say: Say) -> list[Finding]:
    report = state.selftests
    if report is None:
        return [
            Finding(
                id="data.no_selftests",
                level="info",
                **say.words("none"),
                evidence={"tests_done": 0},
                source=cite("mcgill-1999", "maselli-2020"),
            )
        ]
    if report.retest_due:
        return [
            Finding(
                id="body.retest_due",
                level="info",
                **say.words("due", reminder=report.reminder or say("due.reminder")),
                evidence={"tests": [n.value for n in report.retest_due]},
                source=cite("mcgill-1999"),
            )
        ]
    return []


# ---------------------------------------------------------------------------------------------
# Missing data


@rule(
    about="Records that are missing: a morning check-in, heart rate, shoes",
    family="data",
    ids=(
        "data.no_heart_rate",
        "data.no_morning_checkin",
        "data.no_shoes",
    ),
    params=("checkin_lookback_days",),
    evidence=(
        "silbernagel-2007",
        "morton-1990",
        "foster-1998",
        "cook-1985",
    ),
    words={
        "checkin.title": "No next-morning check-in after your last run",
        "checkin.reason": (
            "There is no pain score for the morning after your run on {run_on:on}. Pain often "
            "shows up only hours later, so the next morning tells whether a run suited your "
            "back."
        ),
        "checkin.action": (
            "Each morning after a run, record your pain: `backstride checkin`, or "
            "`backstride pain add --when next-morning --on {morning} --score N`."
        ),
        "heart_rate.title": "No heart rate on your last run",
        "heart_rate.reason": (
            "Your run on {run_on:on} has no heart rate, so its effort is estimated from its "
            "duration (or from how hard you said it felt)."
        ),
        "heart_rate.action": (
            "Wear a watch or strap that records heart rate, or log how hard each run felt from "
            "0 to 10: `backstride activity edit {activity_id} --rpe N`."
        ),
        "shoes.title": "Runs without shoes assigned",
        "shoes.reason": (
            "{runs} of your runs in the last 4 weeks have no shoes recorded, so backstride "
            "cannot tell how worn your shoes are."
        ),
        "shoes.action": (
            "Add your shoes (`backstride shoes add NAME`), make them the default "
            "(`backstride shoes default NAME --sport run`), and set them on past runs: "
            "`backstride activity edit {activity_id} --shoes NAME`."
        ),
    },
)
def rule_missing_data(state: GuidanceState, p: GuidanceParams, say: Say) -> list[Finding]:
    out: list[Finding] = []
    recent = state.runs_since(p.checkin_lookback_days)
    checks = {c.activity_id: c for c in state.run_checks}
    waiting = [
        r
        for r in recent
        if r.day < state.today
        and (c := checks.get(r.activity_id)) is not None
        and c.next_morning is None
    ]
    if waiting and recent and waiting[-1].day == max(r.day for r in recent if r.day < state.today):
        r = waiting[-1]
        out.append(
            Finding(
                id="data.no_morning_checkin",
                level="caution",
                **say.words(
                    "checkin", run_on=r.day, morning=(r.day + timedelta(days=1)).isoformat()
                ),
                evidence={"run_on": r.day.isoformat(), "activity_id": r.activity_id},
                source=PAIN_SOURCE,
            )
        )
    month = state.runs_since(28)
    if month and not month[-1].has_heart_rate:
        r = month[-1]
        out.append(
            Finding(
                id="data.no_heart_rate",
                level="info",
                **say.words("heart_rate", run_on=r.day, activity_id=r.activity_id),
                evidence={"run_on": r.day.isoformat(), "activity_id": r.activity_id},
                source=cite("morton-1990", "foster-1998"),
            )
        )
    shoeless = [r for r in month if not r.gear]
    if shoeless:
        out.append(
            Finding(
                id="data.no_shoes",
                level="info",
                **say.words("shoes", runs=len(shoeless), activity_id=shoeless[-1].activity_id),
                evidence={"runs": [r.activity_id for r in shoeless]},
                source=WEAR_SOURCE,
            )
        )
    return out
