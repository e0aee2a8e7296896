"""``backstride checkin``: a quick pain check-in, one question at a time.

Each answer is saved before the next question is asked. Whenever a red flag is recorded, its
urgent-care message is the first thing printed (``pain.print_triage``); places, feelings and
notes that may describe a warning sign are asked about at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from backstride.cli.common import say, state, today_or
from backstride.cli.options import OnDay
from backstride.errors import InvalidInputError

if TYPE_CHECKING:
    from backstride.domain.pain import RedFlag
    from backstride.services.context import App
    from backstride.services.diary import PainSaved

from backstride.cli.pain import ask, ask_warning_signs, print_saved, print_triage

T = TypeVar("T")


# --- check-in ---------------------------------------------------------------------------------


def _pick_flags(flags: Sequence[RedFlag]) -> tuple[RedFlag, ...]:
    from backstride.domain.pain import RED_FLAGS

    for number, flag in enumerate(flags, start=1):
        say(f"  {number}. {RED_FLAGS[flag].plain}")

    def parse(text: str) -> tuple[RedFlag, ...]:
        picked: list[RedFlag] = []
        for part in text.replace(" ", ",").split(","):
            if not part:
                continue
            if not (part.isascii() and part.isdigit()) or not 1 <= int(part) <= len(flags):
                raise InvalidInputError(f"'{part}' is not one of the numbers 1-{len(flags)}.")
            if flags[int(part) - 1] not in picked:
                picked.append(flags[int(part) - 1])
        if not picked:
            raise InvalidInputError("Please give at least one number.")
        return tuple(picked)

    return ask("Which ones? Numbers, separated by commas", parse)


EMERGENCY_QUESTION = (
    "Anything NEW like this: a change in bladder or bowel control, numbness between your legs "
    "or around your back passage, or weakness, numbness or pins and needles in both legs at "
    "once?"
)
SAME_DAY_QUESTION = (
    "Is a leg or foot getting weaker, or did this pain start after a major accident (a fall "
    "from a height, a road accident, a heavy blow)?"
)


def _prompt_question(flags: Sequence[RedFlag]) -> str:
    from backstride.domain.pain import RedFlag

    words = {
        RedFlag.FEVER: "a fever",
        RedFlag.FEELING_UNWELL: "feeling generally unwell",
        RedFlag.IMMUNOSUPPRESSED: "medicines or an illness that weaken your immune system",
        RedFlag.UNEXPLAINED_WEIGHT_LOSS: "weight loss you cannot explain",
        RedFlag.NIGHT_PAIN: "pain at night whatever position you lie in",
        RedFlag.CANCER_HISTORY: "cancer now or at any time in the past",
        RedFlag.RECENT_TRAUMA: "a fall, slip, knock or accident",
        RedFlag.STEROIDS_OR_OSTEOPOROSIS: "steroid tablets now or for months in the past, or "
        "thin bones (osteoporosis)",
        RedFlag.THORACIC_PAIN: "new pain in the middle or upper back",
    }
    return "Any of these: " + "; ".join(words[f] for f in flags) + "?"


def _prompt_flags(known: set[str]) -> tuple[RedFlag, ...]:
    """The see-a-doctor signs to ask about; what the profile already records is not asked
    again at every check-in (it is known, and checked once through the clearance)."""
    from backstride.domain.pain import PROMPT_FLAGS, RedFlag

    skip: set[RedFlag] = set()
    if "past-cancer" in known:
        skip.add(RedFlag.CANCER_HISTORY)
    if "long-term-steroids" in known or "osteoporosis" in known:
        skip.add(RedFlag.STEROIDS_OR_OSTEOPOROSIS)
    if "immunosuppression" in known:
        skip.add(RedFlag.IMMUNOSUPPRESSED)
    return tuple(f for f in PROMPT_FLAGS if f not in skip)


def checkin_command(
    on: OnDay = None,
    when: Annotated[
        str | None,
        typer.Option(
            "--when",
            help="before, during, after, next-morning or rest-day (default: after today's "
            "run, else the morning after yesterday's, else rest-day).",
        ),
    ] = None,
) -> None:
    """A quick check-in: pain first, then where, then the red-flag questions. Each answer is
    saved before the next question, so nothing is lost if you stop early."""
    from backstride.domain.pain import PainWhen, parse_score
    from backstride.services.diary import PainInput, add_pain, checkin_context

    app = state().app()
    today = today_or(None)
    day = today_or(on)
    ctx = checkin_context(app, day=day, when=when)
    say(f"Check-in for {day.isoformat()}: {ctx.description}.")
    score = ask("Pain right now, 0 (none) to 10 (worst)", parse_score)
    saved = add_pain(
        app,
        PainInput(day=day, when=ctx.when.value, score=score, activity_id=ctx.activity_id),
        today=today,
    )
    entry_id = saved.entry.id
    assert entry_id is not None
    try:
        saved = _checkin_rest(app, saved, entry_id, today=today)
    except typer.Abort:
        say("")
        say(
            f"Input ended. Your answers so far are saved (pain entry {entry_id}); "
            f"`backstride pain edit {entry_id}` adds the rest.",
            style="bold yellow",
        )
        raise typer.Exit(0) from None
    print_saved(saved, verb="Saved", show_triage=False)
    if ctx.when is PainWhen.AFTER and not saved.entry.red_flags:
        say("Check in again tomorrow morning: `backstride checkin`.")


def _checkin_rest(app: App, saved: PainSaved, entry_id: int, *, today: date) -> PainSaved:
    """The questions after the score; each answer is stored at once."""
    from backstride.domain.pain import (
        BELOW_KNEE,
        EMERGENCY_FLAGS,
        LEG_OR_BUTTOCK,
        SAME_DAY_FLAGS,
        parse_feels,
        parse_sites,
    )
    from backstride.services.body import get_profile
    from backstride.services.diary import PainChanges, edit_pain

    def store(**fields: Any) -> PainSaved:
        return edit_pain(app, entry_id, PainChanges(**fields), today=today)

    where = ask(
        "Where? low-back, upper-back, buttock-left, buttock-right, leg-left, leg-right, "
        "lower-leg-left, lower-leg-right (below the knee) (commas; Enter for nowhere)",
        lambda text: parse_sites([text]),
        default="",
    )
    if where:
        saved = store(where=[s.value for s in where])
    flags: list[RedFlag] = []

    def report(group: Sequence[RedFlag]) -> None:
        nonlocal saved
        flags.extend(_pick_flags(group))
        saved = store(red_flags=[f.value for f in flags])
        assert saved.triage is not None
        say("")
        print_triage(saved.triage)

    if typer.confirm(EMERGENCY_QUESTION, default=False):
        report(EMERGENCY_FLAGS)
        return saved  # no more questions after an emergency answer
    if typer.confirm(SAME_DAY_QUESTION, default=False):
        report(SAME_DAY_FLAGS)
    known = set(get_profile(app).to_json()["conditions"])
    prompt = _prompt_flags(known)
    if typer.confirm(_prompt_question(prompt), default=False):
        report(prompt)
    changes: dict[str, Any] = {}
    if any(site in LEG_OR_BUTTOCK for site in where):
        walking = typer.confirm(
            "Do the buttock or leg symptoms come on when you walk or stand?", default=False
        )
        changes["walking_leg_symptoms"] = walking
        if walking:
            changes["eases_sitting"] = typer.confirm(
                "Do they ease when you sit down or bend forward?", default=False
            )
        saved = store(**changes)
    if any(site in BELOW_KNEE for site in where):
        saved = store(
            worse_coughing=typer.confirm(
                "Does the leg pain get worse when you cough, sneeze or strain?", default=False
            )
        )
    feels = ask(
        "What does it feel like? ache, sharp, burning, numbness, tingling (pins and needles), "
        "stiffness (commas; Enter to skip)",
        lambda text: parse_feels([text]),
        default="",
    )
    if feels:
        saved = store(feels=[f.value for f in feels])
    return ask_warning_signs(saved, today_day=today, always=True)
