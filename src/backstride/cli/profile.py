"""``backstride profile set|show``: the runner's profile and conditions."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from backstride.cli.clearance import print_clearance
from backstride.cli.common import console, or_dash, parse_day, print_json, say, state, today_or
from backstride.cli.options import JsonOut
from backstride.cli.tables import pairs
from backstride.errors import InvalidInputError

if TYPE_CHECKING:
    pass

app = typer.Typer(no_args_is_help=True)


# --- profile ----------------------------------------------------------------------------------


def _units_or_none(value: str | None) -> str | None:
    """--units km|mi|none: anything else is a usage mistake (exit 2)."""
    if value is None or value.strip().lower() in ("none", "-"):
        return value
    from backstride.domain.units import check_units

    try:
        return check_units(value)
    except InvalidInputError as exc:
        raise typer.BadParameter(f"{exc.message} {exc.hint}") from exc


@app.command("set")
def profile_set(
    birth_year: Annotated[
        int | None, typer.Option("--birth-year", help="Year of birth, e.g. 1968.")
    ] = None,
    sex: Annotated[str | None, typer.Option("--sex", help="female, male or unspecified.")] = None,
    resting_hr: Annotated[
        int | None,
        typer.Option("--resting-hr", help="Resting heart rate in bpm (morning, lying quietly)."),
    ] = None,
    max_hr: Annotated[
        int | None, typer.Option("--max-hr", help="Highest heart rate you reach, in bpm.")
    ] = None,
    condition: Annotated[
        list[str] | None,
        typer.Option(
            "--condition",
            help="A condition (repeatable or comma-separated): lumbar-spinal-stenosis, "
            "disc-herniation, spondylolisthesis, other-spine, hip-problem, osteoporosis, "
            "recent-illness, heart-condition, immunosuppression (medicines or an illness that "
            "weaken the immune system), long-term-steroids (steroid tablets now or for months "
            "in the past), past-cancer. Replaces the list; 'none' clears it.",
        ),
    ] = None,
    past_injury: Annotated[
        list[str] | None,
        typer.Option(
            "--past-injury",
            help="A past injury in your own words (repeatable). Replaces the list; 'none' "
            "clears it.",
        ),
    ] = None,
    experience: Annotated[
        str | None,
        typer.Option("--experience", help="new, returning or regular (running experience)."),
    ] = None,
    spine_surgery_on: Annotated[
        str | None,
        typer.Option(
            "--spine-surgery-on",
            help="Date of your last operation on the spine, YYYY-MM-DD ('none' clears). A "
            "clearance dated after it is needed before a plan.",
        ),
    ] = None,
    spine_injection_on: Annotated[
        str | None,
        typer.Option(
            "--spine-injection-on",
            help="Date of your last injection into the spine, YYYY-MM-DD ('none' clears). A "
            "clearance dated after it is needed before a plan.",
        ),
    ] = None,
    pregnant: Annotated[
        bool | None,
        typer.Option(
            "--pregnant/--not-pregnant",
            help="Record a pregnancy (from today) or remove it. A clearance dated after it is "
            "needed before a plan, and runs do not build up meanwhile.",
            show_default=False,
        ),
    ] = None,
    units: Annotated[
        str | None,
        typer.Option(
            "--units",
            help="km or mi: show distances in kilometres or miles from now on ('none' clears: "
            "the config file decides). The --units option before the command and "
            "BACKSTRIDE_UNITS still win for one run.",
            callback=_units_or_none,
            show_default=False,
        ),
    ] = None,
) -> None:
    """Set your profile: only the options you give change."""
    from backstride.services.body import get_clearance_state, set_profile

    given = (birth_year, sex, resting_hr, max_hr, condition, past_injury, experience, units)
    procedures = (spine_surgery_on, spine_injection_on, pregnant)
    if all(v is None for v in (*given, *procedures)):
        raise InvalidInputError(
            "Nothing to change.", hint="Give at least one option, e.g. --birth-year 1968."
        )
    surgery, clear_surgery = _date_or_none(spine_surgery_on, "--spine-surgery-on")
    injection, clear_injection = _date_or_none(spine_injection_on, "--spine-injection-on")
    today = today_or(None)
    view = set_profile(
        state().app(),
        today=today,
        birth_year=birth_year,
        sex=sex,
        resting_hr_bpm=resting_hr,
        max_hr_bpm=max_hr,
        conditions=condition,
        past_injuries=past_injury,
        experience=experience,
        spine_surgery_on=surgery,
        spine_injection_on=injection,
        clear_spine_surgery=clear_surgery,
        clear_spine_injection=clear_injection,
        pregnant=pregnant,
        units=units,
    )
    state().forget_units()  # what follows is shown in the units just chosen (if they count)
    say("Profile saved.")
    _print_profile(view.to_json())
    _print_training(today)
    print_clearance(get_clearance_state(state().app(), on=today), brief=True)


def _date_or_none(text: str | None, option: str) -> tuple[date | None, bool]:
    """(date, clear) from ``DATE`` or ``none``."""
    if text is None:
        return None, False
    if text.strip().lower() in ("none", "-"):
        return None, True
    return parse_day(text, what=f"date for {option}"), False


def _print_profile(data: dict[str, Any]) -> None:
    from backstride.services.body import units_in_force

    table = pairs()
    labels = {
        "birth_year": "birth year",
        "sex": "sex",
        "resting_hr_bpm": "resting HR (bpm)",
        "max_hr_bpm": "max HR (bpm)",
        "conditions": "conditions",
        "past_injuries": "past injuries",
        "experience": "experience",
        "spine_surgery_on": "spine operation",
        "spine_injection_on": "spine injection",
        "pregnant_since": "pregnant since",
    }
    for key, label in labels.items():
        value = data[key]
        shown = ", ".join(value) if isinstance(value, list) else value
        table.add_row(label, or_dash(shown))
    choice = units_in_force(state().app())
    words = {"km": "kilometres", "mi": "miles"}
    table.add_row("distances in", f"{words[choice.units]} (from {choice.source_words})")
    console.print(table)


@app.command("show")
def profile_show(
    json_out: JsonOut = False,
) -> None:
    """Show your profile and whether a physician's clearance is needed."""
    from backstride.services.body import get_clearance_state, get_profile

    view = get_profile(state().app())
    if json_out:
        print_json(view.to_json())
        return
    if not view.stored:
        say("No profile yet. Set one with `backstride profile set --birth-year 1968 ...`.")
    _print_profile(view.to_json())
    _print_training(today_or(None))
    print_clearance(get_clearance_state(state().app(), on=today_or(None)), brief=True)


def _print_training(today: date) -> None:
    from backstride.services.body import training_status_for

    status = training_status_for(state().app(), today=today)
    if status.from_records:
        say(f"From your records: {status.reason}")


# --- screening and clearance ------------------------------------------------------------------
