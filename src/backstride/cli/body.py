"""``backstride profile|screen|clearance|selftest``: the runner's body."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from backstride.cli.common import console, parse_day, print_json, state, today_or
from backstride.cli.options import JsonOut, JsonResult
from backstride.cli.tables import listing, pairs
from backstride.errors import InvalidInputError

if TYPE_CHECKING:
    from backstride.services.body import ClearanceView

profile_app = typer.Typer(no_args_is_help=True)
clearance_app = typer.Typer(no_args_is_help=True)
selftest_app = typer.Typer(no_args_is_help=True)


def say(text: str, *, style: str | None = None) -> None:
    """Print plain text (no rich markup interpretation)."""
    console.print(text, style=style, markup=False)


def _or_dash(value: object) -> str:
    return "–" if value is None or value == [] or value == "" else str(value)


# --- profile ----------------------------------------------------------------------------------


@profile_app.command("set")
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
) -> None:
    """Set your profile: only the options you give change."""
    from backstride.services.body import get_clearance_state, set_profile

    given = (birth_year, sex, resting_hr, max_hr, condition, past_injury, experience)
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
    )
    say("Profile saved.")
    _print_profile(view.to_json())
    _print_training(today)
    _print_clearance(get_clearance_state(state().app(), on=today), brief=True)


def _date_or_none(text: str | None, option: str) -> tuple[date | None, bool]:
    """(date, clear) from ``DATE`` or ``none``."""
    if text is None:
        return None, False
    if text.strip().lower() in ("none", "-"):
        return None, True
    return parse_day(text, what=f"date for {option}"), False


def _print_profile(data: dict[str, Any]) -> None:

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
        table.add_row(label, _or_dash(shown))
    console.print(table)


@profile_app.command("show")
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
    _print_clearance(get_clearance_state(state().app(), on=today_or(None)), brief=True)


def _print_training(today: date) -> None:
    from backstride.services.body import training_status_for

    status = training_status_for(state().app(), today=today)
    if status.from_records:
        say(f"From your records: {status.reason}")


# --- screening and clearance ------------------------------------------------------------------


def _print_clearance(view: ClearanceView, *, brief: bool = False) -> None:
    data = view.to_json()
    style = "bold green" if view.plans_allowed else "bold yellow"
    say(f"Clearance: {data['status']}. {data['message']}", style=style)
    for reason in data["reasons"]:
        mark = "covered" if reason["covered"] else "needs clearance"
        say(f"  - {reason['text']} ({mark}; {reason['source']})")
    if not brief:
        for note in data["notes"]:
            say(f"  Note: {note}")


def _load_answers(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInputError(
            f"Could not read the answers file '{path}': {exc}.",
            hint='It should hold JSON like {"chest-discomfort": false, ...}.',
        ) from exc
    if isinstance(data, dict) and isinstance(data.get("answers"), dict):
        data = data["answers"]
    if not isinstance(data, dict):
        raise InvalidInputError(
            f"The answers file '{path}' must hold a JSON object of question: yes/no.",
        )
    return {str(k): v for k, v in data.items()}


def screen_command(
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            help="A JSON file of answers {question-key: true/false} instead of asking.",
            dir_okay=False,
        ),
    ] = None,
    on: Annotated[
        str | None, typer.Option("--on", help="Date of the answers, YYYY-MM-DD (default today).")
    ] = None,
    json_out: JsonResult = False,
    list_questions: Annotated[
        bool, typer.Option("--questions", help="Only list the questions and their keys.")
    ] = False,
) -> None:
    """Answer the pre-participation health screen (asks each question, yes or no; your last
    answers are the defaults)."""
    from backstride.services.body import latest_screening, record_screening, screening_questions

    questions = screening_questions()
    if list_questions:
        if json_out:
            print_json([q.to_json() for q in questions])
            return
        for q in questions:
            say(f"{q.question.key}: {q.question.text}")
        return
    day = today_or(on)
    given: dict[str, object]
    if answers is not None:
        given = _load_answers(answers)
    else:
        say(
            "These questions check whether you should talk to a doctor before starting a "
            "running plan. Answer each one yes or no; nothing is shared."
        )
        last = latest_screening(state().app())
        if last is not None:
            say(
                f"Press Enter to keep your answer of {last.answered_on.isoformat()} "
                "(the capital letter)."
            )
        given = {}
        for number, q in enumerate(questions, start=1):
            given[q.question.key] = typer.confirm(
                f"{number}/{len(questions)} {q.question.text}",
                default=last.answers.get(q.question.key) if last is not None else None,
            )
    saved = record_screening(state().app(), given, on=day, today=today_or(None))
    if json_out:
        print_json(saved.to_json())
        return
    yes = saved.to_json()["yes_to"]
    say(f"Screening saved for {day.isoformat()} ({len(yes)} health question(s) answered yes).")
    _print_clearance(saved.clearance)


@clearance_app.command("add")
def clearance_add(
    on: Annotated[str, typer.Option("--on", help="Date of the clearance, YYYY-MM-DD.")],
    by: Annotated[str, typer.Option("--by", help="Who gave it, e.g. 'Dr Jones, GP'.")],
    restrictions: Annotated[
        str | None, typer.Option("--restrictions", help="Any limits they set.")
    ] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="Anything else to keep.")] = None,
) -> None:
    """Record a physician's clearance to start a running plan."""
    from backstride.services.body import add_clearance

    day = parse_day(on, what="date for --on")
    assert day is not None
    result = add_clearance(
        state().app(),
        on=day,
        by=by,
        restrictions=restrictions,
        notes=notes,
        today=today_or(None),
    )
    say(f"Recorded the clearance by {' '.join(by.split())} on {day.isoformat()}.")
    _print_clearance(result.state)


@clearance_app.command("list")
def clearance_list(
    json_out: JsonOut = False,
) -> None:
    """List recorded clearances and show whether plans may start."""

    from backstride.services.body import list_clearances

    result = list_clearances(state().app(), on=today_or(None))
    if json_out:
        print_json(result.to_json())
        return
    if result.clearances:
        table = listing("id", "date", "by", "restrictions", "notes", whole=("id", "date"))
        for c in result.clearances:
            table.add_row(
                str(c.id), c.on.isoformat(), c.by, _or_dash(c.restrictions), _or_dash(c.notes)
            )
        console.print(table)
    else:
        say("No clearance recorded yet.")
    _print_clearance(result.state)


# --- self-tests -------------------------------------------------------------------------------


@selftest_app.command("add")
def selftest_add(
    name: Annotated[
        str,
        typer.Argument(
            help="trunk-flexor-hold, trunk-extensor-hold, side-bridge-left, side-bridge-right, "
            "sit-and-reach, straight-leg-raise-left/-right, hip-flexor-length-left/-right."
        ),
    ],
    value: Annotated[str, typer.Argument(help="Seconds (95 or 1:35), cm, degrees, or pass/fail.")],
    on: Annotated[
        str | None, typer.Option("--on", help="Date of the test, YYYY-MM-DD (default today).")
    ] = None,
) -> None:
    """Record a self-test result."""
    from backstride.services.body import add_selftest, selftest_report

    today = today_or(None)
    saved = add_selftest(state().app(), name=name, value=value, on=today_or(on), today=today)
    data = saved.to_json()
    say(f"Recorded {data['test']}: {data['shown']} on {data['day']}.")
    report = selftest_report(state().app(), today=today).to_json()
    for test in report["tests"]:
        if test["test"] == data["test"]:
            say(test["text"])


@selftest_app.command("report")
def selftest_report_command(
    json_out: JsonOut = False,
    steps: Annotated[
        bool,
        typer.Option("--steps/--no-steps", help="Show how to perform each test (default: yes)."),
    ] = True,
) -> None:
    """Each test's latest result against published norms, the endurance ratios, how to
    perform each test, and which tests are due again (every 6 weeks)."""

    from backstride.services.body import selftest_report

    report = selftest_report(state().app(), today=today_or(None)).to_json()
    if json_out:
        print_json(report)
        return
    if report["reminder"]:
        say(report["reminder"], style="bold yellow")
    for test in report["tests"]:
        say(f"\n{test['title']} ({test['test']})", style="bold")
        say(f"  {test['text']}")
        if test["retest_due_on"]:
            due = "due now" if test["retest_due"] else f"from {test['retest_due_on']}"
            say(f"  Retest: {due}.")
        if steps:
            say(f"  What it measures: {test['measures']}.")
            for number, step in enumerate(test["how_to"], start=1):
                say(f"    {number}. {step}")
            say(f"  Safety: {test['caution']}")
    say("\nEndurance ratios (McGill 1999)", style="bold")
    table = listing("ratio", "value", "target", "result", "what it means", whole=("value",))
    for r in report["ratios"]:
        result = "not known yet" if r["ok"] is None else ("within" if r["ok"] else "outside")
        value = "–" if r["value"] is None else f"{r['value']:.2f}"
        table.add_row(r["name"], value, r["target"], result, r["text"])
    console.print(table)
