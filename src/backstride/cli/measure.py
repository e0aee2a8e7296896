"""``backstride measure add|list|delete``: the free outcome measures (docs/measures.md)."""

from __future__ import annotations

from typing import Annotated

import typer

from backstride.cli.common import console, parse_day, print_json, say, state, today_or
from backstride.cli.options import JsonOut
from backstride.cli.tables import listing
from backstride.errors import InvalidInputError

app = typer.Typer(no_args_is_help=True)

JsonOpt = JsonOut
VERDICT_WORDS = {
    "better": "better, by at least the minimal important change",
    "worse": "worse, by at least the minimal important change",
    "no important change": "no important change",
    "changed": "changed (no minimal important change is established)",
    "one score": "one score so far",
}


@app.command("add")
def measure_add(
    instrument: Annotated[
        str,
        typer.Argument(
            help="pain (0-10), peg (3 answers), psfs (your activities), walk (self-paced "
            "walking test, minutes) or recorded (a clinician's score on another questionnaire)."
        ),
    ],
    score: Annotated[
        float | None, typer.Option("--score", help="The score (pain 0-10, or a recorded score).")
    ] = None,
    minutes: Annotated[
        float | None,
        typer.Option("--minutes", help="Walking test: minutes to the first symptom (0-30)."),
    ] = None,
    pain: Annotated[
        float | None, typer.Option("--pain", help="PEG: average pain in the past week, 0-10.")
    ] = None,
    enjoyment: Annotated[
        float | None,
        typer.Option("--enjoyment", help="PEG: how pain interfered with enjoyment of life, 0-10."),
    ] = None,
    general: Annotated[
        float | None,
        typer.Option("--general", help="PEG: how pain interfered with general activity, 0-10."),
    ] = None,
    activity: Annotated[
        list[str] | None,
        typer.Option(
            "--activity",
            help='PSFS: "ACTIVITY=RATING" (0 = unable, 10 = as before), up to 5 times.',
        ),
    ] = None,
    name: Annotated[
        str | None,
        typer.Option("--name", help="Recorded: the questionnaire's name, e.g. Oswestry."),
    ] = None,
    on: Annotated[
        str | None, typer.Option("--on", help="The day, YYYY-MM-DD (default today).")
    ] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="A short note.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Record an outcome-measure score."""
    from backstride.services.measures import MeasureInput, add_measure, parse_activity, score_json

    peg_parts = (pain, enjoyment, general)
    if any(p is not None for p in peg_parts) and not all(p is not None for p in peg_parts):
        raise InvalidInputError(
            "The PEG needs all three answers.", hint="Give --pain, --enjoyment and --general."
        )
    peg = (pain, enjoyment, general) if all(p is not None for p in peg_parts) else None
    if score is not None and minutes is not None:
        raise InvalidInputError("Give either --score or --minutes, not both.")
    saved = add_measure(
        state().app(),
        MeasureInput(
            instrument=instrument,
            day=today_or(on),
            score=minutes if minutes is not None else score,
            peg=peg,  # type: ignore[arg-type]
            activities=tuple(parse_activity(a) for a in activity or ()),
            name=name,
            notes=notes,
        ),
        today=today_or(None),
    )
    data = score_json(saved)
    if json_out:
        print_json(data)
        return
    say(f"Saved: {data['title']} {data['score_text']} on {data['date']} (id {data['id']}).")


@app.command("list")
def measure_list(
    since: Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option("--to", help="Last day, YYYY-MM-DD.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Your scores, their change against the minimal important change, and retests due."""

    from backstride.services.measures import list_measures

    view = list_measures(
        state().app(),
        today=today_or(None),
        since=parse_day(since, what="date for --from"),
        until=parse_day(until, what="date for --to"),
    )
    data = view.to_json()
    if json_out:
        print_json(data)
        return
    if not data["scores"]:
        say("No outcome-measure scores yet. Record one with: backstride measure add peg ...")
    else:
        table = listing("id", "date", "measure", "score", whole=("id", "date"))
        for s in data["scores"]:
            table.add_row(str(s["id"]), s["date"], s["title"], s["score_text"])
        console.print(table)
    for c in data["changes"]:
        if c["count"] < 2:
            continue
        say(
            f"{c['title']}: {c['first']['score_text']} ({c['first']['date']}) -> "
            f"{c['last']['score_text']} ({c['last']['date']}): {VERDICT_WORDS[c['verdict']]}. "
            f"Minimal important change: {c['minimal_important_change_text']} "
            f"(source: {c['source']})."
        )
    for r in data["retest_due"]:
        say(
            f"Time to retest: {r['title']} (last on {r['last_on']}, due {r['due_on']}).",
            style="bold yellow",
        )


@app.command("delete")
def measure_delete(
    measure_id: Annotated[int, typer.Argument(help="The score's id (see measure list).")],
) -> None:
    """Delete one score."""
    from backstride.services.measures import delete_measure

    delete_measure(state().app(), measure_id)
    say(f"Deleted score {measure_id}.")
