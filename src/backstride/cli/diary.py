"""``backstride pain add|list|edit|delete|seen|report`` and ``backstride checkin``.

Whenever a red flag is recorded, its urgent-care message is the first thing printed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Annotated, TypeVar

import typer
from rich.table import Table

from backstride.cli.body import say
from backstride.cli.common import STATE, console, parse_day, print_json, today_or
from backstride.domain.pain import (
    EMERGENCY_FLAGS,
    LEG_OR_BUTTOCK,
    PROMPT_FLAGS,
    RED_FLAGS,
    PainWhen,
    RedFlag,
    parse_feels,
    parse_score,
    parse_sites,
)
from backstride.errors import InvalidInputError
from backstride.services.diary import (
    PainChanges,
    PainInput,
    PainSaved,
    TriageView,
    add_pain,
    checkin_context,
    delete_pain,
    edit_pain,
    list_pain,
    pain_report,
    record_seen,
    triage_red_flags,
)

pain_app = typer.Typer(no_args_is_help=True)

T = TypeVar("T")

WHERE_HELP = "Where (comma-separated): low-back, buttock-left, buttock-right, leg-left, leg-right."
FEELS_HELP = (
    "What it feels like (comma-separated): ache, sharp, burning, numbness, tingling, stiffness."
)
FLAG_HELP = (
    "A red flag (repeatable): bladder-change, bowel-change, saddle-numbness, both-legs-weak, "
    "progressive-weakness (emergency); fever, unexplained-weight-loss, night-pain, "
    "cancer-history, recent-trauma, steroids-or-osteoporosis (see a doctor within days)."
)


def print_triage(view: TriageView) -> None:
    """The urgent-care message: headline first, then what it may mean and where to go."""
    style = "bold red" if view.urgency == "emergency" else "bold yellow"
    say(view.lines[0], style=style)
    for line in view.lines[1:]:
        say(line)
    say("")


def _triage_first(flags: Sequence[str] | None) -> bool:
    """Show the triage for the recognisable flags before anything else; True if shown."""
    if not flags:
        return False
    view = triage_red_flags(flags)
    if view is None:
        return False
    print_triage(view)
    return True


def _print_saved(saved: PainSaved, *, verb: str, triage_shown: bool) -> None:
    if saved.triage is not None and not triage_shown:
        print_triage(saved.triage)
    e = saved.entry
    where = f", {', '.join(s.value for s in e.where)}" if e.where else ""
    link = ""
    if e.activity_id is not None:
        how = "linked to that day's run, " if saved.linked_automatically else ""
        link = f" ({how}activity {e.activity_id})"
    say(
        f"{verb} pain entry {e.id}: {e.score}/10 {e.when.value} on {e.day.isoformat()}"
        f"{where}{link}."
    )
    for line in saved.advice:
        say(line)
    if saved.claudication is not None:
        style = "bold yellow" if saved.claudication.blocks_plans else None
        say(f"{saved.claudication.text} ({saved.claudication.source})", style=style)


def _flags_or_clear(values: list[str] | None) -> list[str] | None:
    if values is None:
        return None
    if any(v.strip().lower() in ("none", "-") for v in values):
        return []
    return values


@pain_app.command("add")
def pain_add(
    score: Annotated[
        str, typer.Option("--score", help="Pain from 0 (none) to 10 (worst imaginable).")
    ],
    when: Annotated[
        str,
        typer.Option("--when", help="before, during, after, next-morning or rest-day."),
    ],
    on: Annotated[
        str | None, typer.Option("--on", help="Date, YYYY-MM-DD (default today).")
    ] = None,
    activity: Annotated[
        int | None,
        typer.Option(
            "--activity",
            help="The session's id. during/after entries link to the day's run on their own "
            "when there is exactly one.",
        ),
    ] = None,
    where: Annotated[list[str] | None, typer.Option("--where", help=WHERE_HELP)] = None,
    feels: Annotated[list[str] | None, typer.Option("--feels", help=FEELS_HELP)] = None,
    walking_leg_symptoms: Annotated[
        bool,
        typer.Option(
            "--walking-leg-symptoms",
            help="Buttock or leg symptoms come on with walking or standing.",
        ),
    ] = False,
    eases_sitting: Annotated[
        bool,
        typer.Option(
            "--eases-sitting", help="Those symptoms ease when you sit down or bend forward."
        ),
    ] = False,
    red_flag: Annotated[list[str] | None, typer.Option("--red-flag", help=FLAG_HELP)] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="Anything worth keeping.")] = None,
) -> None:
    """Record pain (0-10) before, during or after a session, the next morning, or on a rest day."""
    shown = _triage_first(red_flag)
    today = today_or(None)
    saved = add_pain(
        STATE.app(),
        PainInput(
            day=today_or(on),
            when=when,
            score=score,
            activity_id=activity,
            where=where or (),
            feels=feels or (),
            walking_leg_symptoms=walking_leg_symptoms,
            eases_sitting=eases_sitting,
            red_flags=red_flag or (),
            notes=notes,
        ),
        today=today,
    )
    _print_saved(saved, verb="Saved", triage_shown=shown)


@pain_app.command("list")
def pain_list(
    since: Annotated[
        str | None, typer.Option("--since", help="Only entries on or after YYYY-MM-DD.")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Only entries on or before YYYY-MM-DD.")
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """List pain entries, oldest first (open red flags are shown first)."""
    result = list_pain(STATE.app(), since=parse_day(since), until=parse_day(until))
    if json_out:
        print_json(result.to_json())
        return
    for o in result.open_red_flags:
        style = "bold red" if o.urgency.value == "emergency" else "bold yellow"
        when = "emergency care" if o.urgency.value == "emergency" else "a doctor within days"
        say(
            f"Open red flag: {RED_FLAGS[o.flag].plain} (reported {o.last_reported_on.isoformat()}"
            f"), which needs {when}. Record the visit: backstride pain seen --flag "
            f"{o.flag.value} --on DATE",
            style=style,
        )
    if not result.entries:
        say("No pain entries yet. Add one with `backstride checkin` or `backstride pain add`.")
        return
    table = Table("id", "date", "when", "score", "where", "feels", "red flags", "activity", "notes")
    for e in result.entries:
        table.add_row(
            str(e.id),
            e.day.isoformat(),
            e.when.value,
            f"{e.score}/10",
            ", ".join(s.value for s in e.where) or "–",
            ", ".join(f.value for f in e.feels) or "–",
            ", ".join(f.value for f in e.red_flags) or "–",
            str(e.activity_id) if e.activity_id is not None else "–",
            (e.notes or "")[:40],
        )
    console.print(table)


@pain_app.command("edit")
def pain_edit(
    entry_id: Annotated[int, typer.Argument(help="The entry id (see `pain list`).")],
    on: Annotated[str | None, typer.Option("--on", help="Correct the date.")] = None,
    when: Annotated[
        str | None, typer.Option("--when", help="before, during, after, next-morning, rest-day.")
    ] = None,
    score: Annotated[str | None, typer.Option("--score", help="Correct the score (0-10).")] = None,
    activity: Annotated[
        int | None, typer.Option("--activity", help="Link to this session id.")
    ] = None,
    no_activity: Annotated[
        bool, typer.Option("--no-activity", help="Remove the link to a session.")
    ] = False,
    where: Annotated[
        list[str] | None, typer.Option("--where", help=WHERE_HELP + " 'none' clears.")
    ] = None,
    feels: Annotated[
        list[str] | None, typer.Option("--feels", help=FEELS_HELP + " 'none' clears.")
    ] = None,
    walking_leg_symptoms: Annotated[
        bool | None,
        typer.Option(
            "--walking-leg-symptoms/--no-walking-leg-symptoms",
            help="Buttock or leg symptoms come on with walking or standing.",
            show_default=False,
        ),
    ] = None,
    eases_sitting: Annotated[
        bool | None,
        typer.Option(
            "--eases-sitting/--no-eases-sitting",
            help="Those symptoms ease when you sit down or bend forward.",
            show_default=False,
        ),
    ] = None,
    red_flag: Annotated[
        list[str] | None,
        typer.Option("--red-flag", help="Replace the red flags ('none' clears). " + FLAG_HELP),
    ] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="Replace the notes.")] = None,
) -> None:
    """Correct a pain entry; only the options you give change."""
    flags = _flags_or_clear(red_flag)
    shown = _triage_first(flags)
    saved = edit_pain(
        STATE.app(),
        entry_id,
        PainChanges(
            day=parse_day(on, what="date for --on"),
            when=when,
            score=score,
            activity_id=activity,
            unlink_activity=no_activity,
            where=_flags_or_clear(where),
            feels=_flags_or_clear(feels),
            walking_leg_symptoms=walking_leg_symptoms,
            eases_sitting=eases_sitting,
            red_flags=flags,
            notes=notes,
        ),
        today=today_or(None),
    )
    _print_saved(saved, verb="Updated", triage_shown=shown or flags is None)


@pain_app.command("delete")
def pain_delete(
    entry_id: Annotated[int, typer.Argument(help="The entry id.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete a pain entry."""
    if not yes and sys.stdin.isatty():
        if not typer.confirm(f"Delete pain entry {entry_id}?", default=False):
            raise typer.Abort()
    delete_pain(STATE.app(), entry_id)
    say(f"Deleted pain entry {entry_id}.")


@pain_app.command("seen")
def pain_seen(
    flag: Annotated[str, typer.Option("--flag", help="The red flag you were seen about.")],
    on: Annotated[str, typer.Option("--on", help="Date you were seen, YYYY-MM-DD.")],
    by: Annotated[
        str | None, typer.Option("--by", help="Who saw you, e.g. 'A&E, City Hospital'.")
    ] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="What they said.")] = None,
) -> None:
    """Record that a doctor or hospital has seen you about a red flag (un-pauses plans)."""
    day = parse_day(on, what="date for --on")
    assert day is not None
    saved = record_seen(STATE.app(), flag=flag, on=day, by=by, notes=notes, today=today_or(None))
    r = saved.record
    who = f" by {r.by}" if r.by else ""
    say(f"Recorded that you were seen{who} about {r.flag.value} on {r.on.isoformat()}.")
    if saved.closed:
        say("This sign no longer pauses your running plan.")
    for o in saved.still_open:
        say(
            f"Still open: {o.flag.value} (reported {o.last_reported_on.isoformat()}).",
            style="bold yellow",
        )
    if not saved.still_open:
        say("No red flags are open.")


@pain_app.command("report")
def pain_report_command(
    since: Annotated[
        str | None,
        typer.Option("--since", help="First day, YYYY-MM-DD (default: 8 weeks ago)."),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """The pain-monitoring rules for each run and the weekly trend of morning pain."""
    report = pain_report(STATE.app(), today=today_or(None), since=parse_day(since))
    data = report.to_json()
    if json_out:
        print_json(data)
        return
    for o in data["open_red_flags"]:
        style = "bold red" if o["urgency"] == "emergency" else "bold yellow"
        say(f"Open red flag: {o['what']} (reported {o['last_reported_on']}).", style=style)
    usual = data["usual_level"]
    say(
        "Your usual pain level (median of rest-day and before-run scores, last 28 days): "
        + (f"{usual:g}/10." if usual is not None else "not known yet.")
    )
    if data["runs"]:
        table = Table("date", "run", "before", "during", "after", "next morning", "result")
        for r in data["runs"]:
            result = {
                "within": "within the rules",
                "outside": "outside the rules",
                "not-known-yet": "not known yet",
            }[r["verdict"]]

            def score(value: int | None, zone: str | None = None) -> str:
                if value is None:
                    return "–"
                return f"{value}/10" + (f" ({zone})" if zone else "")

            table.add_row(
                r["day"],
                str(r["activity_id"]),
                score(r["before"]),
                score(r["during"], r["during_zone"]),
                score(r["after"], r["after_zone"]),
                score(r["next_morning"]) if r["next_morning"] is not None else "not known yet",
                result,
            )
        console.print(table)
        for r in data["runs"]:
            if r["verdict"] == "outside":
                say(f"{r['day']} (run {r['activity_id']}): {' '.join(r['reasons'])}")
    else:
        say("No runs in this period.")
    if data["weeks"]:
        table = Table("week of", "mornings", "mean pain", "trend", "stiff mornings", "trend")
        for w in data["weeks"]:
            table.add_row(
                w["week_start"],
                str(w["mornings"]),
                f"{w['mean_score']:.1f}",
                w["pain_trend"],
                f"{w['stiffness_mornings']}/{w['mornings']}",
                w["stiffness_trend"],
            )
        console.print(table)
    if data["claudication"]:
        say(data["claudication"]["text"])
    say(f"Rules: {data['rules']['source']}.")


# --- check-in ---------------------------------------------------------------------------------


def _ask(text: str, parse: Callable[[str], T], *, default: str | None = None) -> T:
    """Ask until the answer parses; a wrong answer explains itself and asks again."""
    while True:
        raw = typer.prompt(text, default=default, show_default=False)
        try:
            return parse(str(raw))
        except InvalidInputError as exc:
            say(f"{exc.message} {exc.hint or ''}".strip())


def _pick_flags(flags: Sequence[RedFlag]) -> tuple[RedFlag, ...]:
    for number, flag in enumerate(flags, start=1):
        say(f"  {number}. {RED_FLAGS[flag].plain}")

    def parse(text: str) -> tuple[RedFlag, ...]:
        picked: list[RedFlag] = []
        for part in text.replace(" ", ",").split(","):
            if not part:
                continue
            if not part.isdigit() or not 1 <= int(part) <= len(flags):
                raise InvalidInputError(f"'{part}' is not one of the numbers 1-{len(flags)}.")
            if flags[int(part) - 1] not in picked:
                picked.append(flags[int(part) - 1])
        if not picked:
            raise InvalidInputError("Please give at least one number.")
        return tuple(picked)

    return _ask("Which ones? Numbers, separated by commas", parse)


def checkin_command(
    on: Annotated[
        str | None, typer.Option("--on", help="Date, YYYY-MM-DD (default today).")
    ] = None,
    when: Annotated[
        str | None,
        typer.Option(
            "--when",
            help="before, during, after, next-morning or rest-day (default: after today's "
            "run, else the morning after yesterday's, else rest-day).",
        ),
    ] = None,
) -> None:
    """A quick check-in: pain first, then where, then the red-flag questions."""
    app = STATE.app()
    today = today_or(None)
    day = today_or(on)
    ctx = checkin_context(app, day=day, when=when)
    say(f"Check-in for {day.isoformat()}: {ctx.description}.")
    score = _ask("Pain right now, 0 (none) to 10 (worst)", parse_score)
    where = _ask(
        "Where? low-back, buttock-left, buttock-right, leg-left, leg-right "
        "(commas; Enter for nowhere)",
        lambda text: parse_sites([text]),
        default="",
    )
    flags: list[RedFlag] = []
    if typer.confirm(
        "Anything NEW like this: a change in bladder or bowel control, numbness between your "
        "legs or around your back passage, or weakness in both legs or weakness getting worse?",
        default=False,
    ):
        flags.extend(_pick_flags(EMERGENCY_FLAGS))
        view = triage_red_flags([f.value for f in flags])
        assert view is not None
        say("")
        print_triage(view)
    else:
        if typer.confirm(
            "Anything NEW like this: a fever; weight loss you cannot explain; pain at night that "
            "does not ease whatever position you lie in; a fall, knock or accident; or a new "
            "diagnosis of cancer, thin bones (osteoporosis), or starting steroid tablets?",
            default=False,
        ):
            flags.extend(_pick_flags(PROMPT_FLAGS))
            view = triage_red_flags([f.value for f in flags])
            assert view is not None
            say("")
            print_triage(view)
    walking = eases = False
    feels: tuple[str, ...] = ()
    if not any(RED_FLAGS[f].urgency.value == "emergency" for f in flags):
        if any(site in LEG_OR_BUTTOCK for site in where):
            walking = typer.confirm(
                "Do the buttock or leg symptoms come on when you walk or stand?", default=False
            )
            if walking:
                eases = typer.confirm(
                    "Do they ease when you sit down or bend forward?", default=False
                )
        feels = tuple(
            f.value
            for f in _ask(
                "What does it feel like? ache, sharp, burning, numbness, tingling, stiffness "
                "(commas; Enter to skip)",
                lambda text: parse_feels([text]),
                default="",
            )
        )
    saved = add_pain(
        app,
        PainInput(
            day=day,
            when=ctx.when.value,
            score=score,
            activity_id=ctx.activity_id,
            where=[s.value for s in where],
            feels=feels,
            walking_leg_symptoms=walking,
            eases_sitting=eases,
            red_flags=[f.value for f in flags],
        ),
        today=today,
    )
    _print_saved(saved, verb="Saved", triage_shown=True)
    if ctx.when is PainWhen.AFTER and not flags:
        say("Check in again tomorrow morning: `backstride checkin`.")
