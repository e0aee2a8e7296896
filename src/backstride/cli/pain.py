"""``backstride pain add|list|edit|delete|seen|report`` (``checkin`` is in ``checkin.py``).

Input is checked before anything is announced: a refused entry prints no emergency text on
its own (the refusal itself says how to get help and how to record the sign). Whenever a red
flag is recorded, its urgent-care message is the first thing printed. Places, feelings and
notes that may describe a warning sign are asked about (on a terminal) or listed with the
commands that answer them. The check-in saves each answer before asking the next question.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from backstride.cli.common import console, parse_day, print_json, say, state, today_or
from backstride.cli.options import JsonOut, OnDay
from backstride.cli.tables import listing
from backstride.errors import InvalidInputError

if TYPE_CHECKING:
    from backstride.domain.pain import SeenOutcome
    from backstride.services.diary import PainSaved, TriageView

pain_app = typer.Typer(no_args_is_help=True)

T = TypeVar("T")

WHERE_HELP = (
    "Where (comma-separated): low-back, upper-back (middle or upper back), buttock-left, "
    "buttock-right, leg-left, leg-right, lower-leg-left, lower-leg-right (below the knee)."
)
FEELS_HELP = (
    "What it feels like (comma-separated): ache, sharp, burning, numbness, tingling (pins and "
    "needles), stiffness."
)
FLAG_HELP = (
    "A red flag (repeatable): bladder-change, bowel-change, saddle-numbness, both-legs-weak "
    "(emergency); progressive-weakness, major-trauma (a doctor today); fever, feeling-unwell, "
    "immunosuppressed, unexplained-weight-loss, night-pain, cancer-history, recent-trauma, "
    "steroids-or-osteoporosis, thoracic-pain (a doctor within days; today for a fever with "
    "feeling unwell or a weak immune system, or a fall with thin bones)."
)
NOT_FLAG_HELP = (
    "A warning sign backstride asked about that is not there (repeatable), e.g. "
    "--not-red-flag both-legs-weak."
)
COUGH_HELP = "The leg pain gets worse when you cough, sneeze or strain."


def print_triage(view: TriageView) -> None:
    """The urgent-care message: headline first, then what it may mean and where to go."""
    from backstride.domain.pain import Urgency

    style = "bold yellow" if view.urgency == Urgency.PROMPT.value else "bold red"
    say(view.lines[0], style=style)
    for line in view.lines[1:]:
        say(line)
    say("")


def _interactive() -> bool:
    return sys.stdin.isatty()


def _refused(flags: Sequence[str] | None, exc: InvalidInputError) -> InvalidInputError:
    """A refusal that names the red flags it was given: how to get help comes first."""
    from backstride.services.diary import refusal_with_triage, triage_red_flags

    view = triage_red_flags(list(flags or ()))
    return refusal_with_triage(view, exc) if view is not None else exc


def ask_warning_signs(saved: PainSaved, *, today_day: date, always: bool = False) -> PainSaved:
    """Ask about each possible warning sign of a saved entry (on a terminal, or ``always`` in
    the check-in), store the answers, and show the triage of any sign confirmed. Otherwise
    list the questions with the commands that answer them."""
    from backstride.services.diary import answer_warning_signs

    if not saved.to_confirm:
        return saved
    entry_id = saved.entry.id
    assert entry_id is not None
    if not (always or _interactive()):
        say("Please answer: something you wrote may be a warning sign.", style="bold yellow")
        for item in saved.to_json()["to_confirm"]:
            say(
                f"  - {item['because']}: {item['question']} If yes, it needs {item['if_yes']}: "
                f"`backstride pain edit {entry_id} --add-red-flag {item['flag']}`; if not, "
                f"`backstride pain edit {entry_id} --not-red-flag {item['flag']}`."
            )
        return saved
    present: list[str] = []
    absent: list[str] = []
    for s in saved.to_confirm:
        yes = typer.confirm(f"You wrote something that may matter ({s.because}). {s.question}")
        (present if yes else absent).append(s.flag.value)
    answered = answer_warning_signs(
        state().app(), entry_id, present=present, absent=absent, today=today_day
    )
    if answered.triage is not None and present:
        say("")
        print_triage(answered.triage)
    elif absent:
        say("Thank you: noted as not there.")
    return answered


def print_saved(saved: PainSaved, *, verb: str, show_triage: bool = True) -> None:
    if saved.triage is not None and show_triage:
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
    if saved.triage is None:
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
    on: OnDay = None,
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
    worse_coughing: Annotated[bool, typer.Option("--worse-coughing", help=COUGH_HELP)] = False,
    red_flag: Annotated[list[str] | None, typer.Option("--red-flag", help=FLAG_HELP)] = None,
    not_red_flag: Annotated[
        list[str] | None, typer.Option("--not-red-flag", help=NOT_FLAG_HELP)
    ] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="Anything worth keeping.")] = None,
) -> None:
    """Record pain (0-10) before, during or after a session, the next morning, or on a rest day."""
    from backstride.services.diary import PainInput, add_pain

    today = today_or(None)
    try:
        saved = add_pain(
            state().app(),
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
                worse_coughing=worse_coughing,
                ruled_out=not_red_flag or (),
            ),
            today=today,
        )
    except InvalidInputError as exc:
        raise _refused(red_flag, exc) from exc
    print_saved(saved, verb="Saved")
    ask_warning_signs(saved, today_day=today)


@pain_app.command("list")
def pain_list(
    since: Annotated[
        str | None, typer.Option("--since", help="Only entries on or after YYYY-MM-DD.")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Only entries on or before YYYY-MM-DD.")
    ] = None,
    json_out: JsonOut = False,
) -> None:
    """List pain entries, oldest first (open red flags are shown first)."""

    from backstride.domain.pain import RED_FLAGS, URGENCY_WORDS, Urgency
    from backstride.services.diary import list_pain

    result = list_pain(state().app(), since=parse_day(since), until=parse_day(until))
    if json_out:
        print_json(result.to_json())
        return
    for o in result.open_red_flags:
        style = "bold yellow" if o.urgency is Urgency.PROMPT else "bold red"
        say(
            f"Open red flag: {RED_FLAGS[o.flag].plain} (reported {o.last_reported_on.isoformat()}"
            f"), which needs {URGENCY_WORDS[o.urgency]}. Record the visit and what you were "
            f"told: backstride pain seen --flag {o.flag.value} --on DATE --outcome "
            "may-train|may-not|not-known",
            style=style,
        )
    for line in result.to_json()["awaiting_clearance"]:
        say(
            f"Seen about {line['what']} on {line['seen_on']}: {line['outcome_words']}. Walking "
            "and gentle mobility only until a clinician says you may train (backstride pain "
            f"seen --flag {line['flag']} --on DATE --outcome may-train).",
            style="bold yellow",
        )
    if not result.entries:
        say("No pain entries yet. Add one with `backstride checkin` or `backstride pain add`.")
        return
    table = listing(
        "id",
        "date",
        "when",
        "score",
        "where: feels",
        "red flags",
        "run",
        "notes",
        whole=("id", "date", "when", "score", "run"),
    )
    for e in result.entries:
        table.add_row(
            str(e.id),
            e.day.isoformat(),
            e.when.value,
            f"{e.score}/10",
            _where_feels(e),
            ", ".join(f.value for f in e.red_flags) or "–",
            str(e.activity_id) if e.activity_id is not None else "–",
            e.notes or "",
        )
    console.print(table)


def _where_feels(entry: Any) -> str:
    where = ", ".join(s.value for s in entry.where)
    feels = ", ".join(f.value for f in entry.feels)
    return f"{where}: {feels}" if where and feels else where or feels or "–"


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
    worse_coughing: Annotated[
        bool | None,
        typer.Option("--worse-coughing/--no-worse-coughing", help=COUGH_HELP, show_default=False),
    ] = None,
    red_flag: Annotated[
        list[str] | None,
        typer.Option("--red-flag", help="Replace the red flags ('none' clears). " + FLAG_HELP),
    ] = None,
    add_red_flag: Annotated[
        list[str] | None,
        typer.Option(
            "--add-red-flag",
            help="Add a red flag, keeping the others (repeatable): the answer 'yes' to a "
            "warning sign backstride asked about.",
        ),
    ] = None,
    not_red_flag: Annotated[
        list[str] | None, typer.Option("--not-red-flag", help=NOT_FLAG_HELP)
    ] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="Replace the notes.")] = None,
) -> None:
    """Correct a pain entry; only the options you give change."""
    from backstride.services.diary import PainChanges, answer_warning_signs, edit_pain

    app = state().app()
    today = today_or(None)
    flags = _flags_or_clear(red_flag)
    changes = PainChanges(
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
        worse_coughing=worse_coughing,
    )
    named = [*(flags or ()), *(add_red_flag or ())]
    try:
        answers = bool(add_red_flag or not_red_flag)
        if changes != PainChanges() or not answers:
            saved = edit_pain(app, entry_id, changes, today=today)
        if answers:
            # The answers to what backstride asked: signs added, or noted as not there.
            saved = answer_warning_signs(
                app,
                entry_id,
                present=add_red_flag or (),
                absent=not_red_flag or (),
                today=today,
            )
    except InvalidInputError as exc:
        raise _refused(named, exc) from exc
    print_saved(saved, verb="Updated")
    ask_warning_signs(saved, today_day=today)


@pain_app.command("delete")
def pain_delete(
    entry_id: Annotated[int, typer.Argument(help="The entry id.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete a pain entry."""
    from backstride.services.diary import delete_pain

    if not yes and sys.stdin.isatty():
        if not typer.confirm(f"Delete pain entry {entry_id}?", default=False):
            raise typer.Abort()
    delete_pain(state().app(), entry_id)
    say(f"Deleted pain entry {entry_id}.")


OUTCOME_HELP = (
    "What the clinician said about training: may-train, may-not or not-known (asked when left "
    "out on a terminal; otherwise not-known). Only may-train lets training start again, one "
    "step back; it is recorded as a clearance too."
)


def _ask_outcome() -> SeenOutcome:
    from backstride.domain.pain import parse_outcome

    say("What did the clinician say about running and training?")
    say("  1. You may train")
    say("  2. You may not train yet")
    say("  3. Not yet known (for example, waiting for a scan or a result)")

    def parse(text: str) -> SeenOutcome:
        choice = {"1": "may-train", "2": "may-not", "3": "not-known"}.get(text.strip(), text)
        return parse_outcome(choice)

    return ask("Answer 1, 2 or 3", parse, default="3")


@pain_app.command("seen")
def pain_seen(
    flag: Annotated[str, typer.Option("--flag", help="The red flag you were seen about.")],
    on: Annotated[str, typer.Option("--on", help="Date you were seen, YYYY-MM-DD.")],
    by: Annotated[
        str | None, typer.Option("--by", help="Who saw you, e.g. 'A&E, City Hospital'.")
    ] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="What they said.")] = None,
    outcome: Annotated[str | None, typer.Option("--outcome", help=OUTCOME_HELP)] = None,
) -> None:
    """Record that a doctor or hospital has seen you about a red flag, and what they said about
    training (only "may train" un-pauses plans)."""
    from backstride.domain.pain import URGENCY_WORDS, SeenOutcome, parse_outcome
    from backstride.services.diary import record_seen

    day = parse_day(on, what="date for --on")
    assert day is not None
    if outcome is not None:
        said = parse_outcome(outcome)
    elif _interactive():
        said = _ask_outcome()
    else:
        said = SeenOutcome.NOT_KNOWN
    saved = record_seen(
        state().app(),
        flag=flag,
        on=day,
        by=by,
        notes=notes,
        today=today_or(None),
        outcome=said,
    )
    r = saved.record
    who = f" by {r.by}" if r.by else ""
    say(f"Recorded that you were seen{who} about {r.flag.value} on {r.on.isoformat()}.")
    for line in saved.lines:
        style = None if saved.may_train else "bold yellow"
        say(line, style=style)
    for o in saved.still_open:
        say(
            f"Still open: {o.flag.value} (reported {o.last_reported_on.isoformat()}), which "
            f"needs {URGENCY_WORDS[o.urgency]}.",
            style="bold yellow",
        )
    if not saved.still_open and not saved.awaiting:
        say("No red flags are open, and none is waiting for a clinician's OK.")


@pain_app.command("report")
def pain_report_command(
    since: Annotated[
        str | None,
        typer.Option("--since", help="First day, YYYY-MM-DD (default: 8 weeks ago)."),
    ] = None,
    json_out: JsonOut = False,
) -> None:
    """The pain-monitoring rules for each run and the weekly trend of morning pain."""

    from backstride.services.diary import pain_report

    report = pain_report(state().app(), today=today_or(None), since=parse_day(since))
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
        table = listing(
            "date",
            "run",
            "before",
            "during",
            "after",
            "next morning",
            "result",
            whole=("date", "run"),
        )
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
        table = listing(
            "week of",
            "mornings",
            "mean pain",
            "trend",
            "stiff mornings",
            "trend",
            whole=("week of",),
        )
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


def ask(text: str, parse: Callable[[str], T], *, default: str | None = None) -> T:
    """Ask until the answer parses; a wrong answer explains itself and asks again."""
    while True:
        raw = typer.prompt(text, default=default, show_default=False)
        try:
            return parse(str(raw))
        except InvalidInputError as exc:
            say(f"{exc.message} {exc.hint or ''}".strip())
