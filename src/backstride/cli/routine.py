"""``backstride routine warmup|cooldown|core|mobility|done|list|log``: routines and adherence."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from backstride.cli.common import console, print_json, say, state, today_or
from backstride.cli.options import JsonOut
from backstride.cli.tables import listing

if TYPE_CHECKING:
    from backstride.domain.routines import RoutineKind
    from backstride.services.exercises import RoutineView

app = typer.Typer(no_args_is_help=True)

MinutesOpt = Annotated[
    int | None, typer.Option("--minutes", help="About how long, in minutes (default per routine).")
]
OnOpt = Annotated[
    str | None, typer.Option("--on", help="For this day, YYYY-MM-DD (default today).")
]
JsonOpt = JsonOut


def print_routine(view: RoutineView) -> None:
    data = view.to_json()
    say(f"{data['title']} for {data['day']}: about {round(data['minutes'])} minutes.", style="bold")
    for reason in data["adapted_for"]:
        say(f"Adapted for {reason}" if not reason[0].isupper() else reason)
    say("")
    for n, step in enumerate(data["steps"], start=1):
        say(f"{n}. {step['name']} — {step['dose']}", style="bold")
        if step["why"]:
            say(f"   Why: {step['why']}")
        for line in step["steps"]:
            say(f"   - {line}")
        for line in step["cautions"]:
            say(f"   Careful: {line}")
    say("")
    for note in data["notes"]:
        say(note)
    say(f"Source: {data['source']}", style="dim")


def _routine(kind: RoutineKind, minutes: int | None, on: str | None, json_out: bool) -> None:
    from backstride.services.exercises import get_routine

    view = get_routine(state().app(), kind, on=today_or(on), minutes=minutes)
    if json_out:
        print_json(view.to_json())
        return
    print_routine(view)


@app.command("warmup")
def routine_warmup(minutes: MinutesOpt = None, on: OnOpt = None, json_out: JsonOpt = False) -> None:
    """Before a run: a 5-minute brisk walk, then dynamic drills."""
    from backstride.domain.routines import RoutineKind

    _routine(RoutineKind.WARMUP, minutes, on, json_out)


@app.command("cooldown")
def routine_cooldown(
    minutes: MinutesOpt = None, on: OnOpt = None, json_out: JsonOpt = False
) -> None:
    """After a run: static stretches (holds of 30 s, 45 s from age 65)."""
    from backstride.domain.routines import RoutineKind

    _routine(RoutineKind.COOLDOWN, minutes, on, json_out)


@app.command("core")
def routine_core(minutes: MinutesOpt = None, on: OnOpt = None, json_out: JsonOpt = False) -> None:
    """Core and hip strength: curl-up, side bridge, bird-dog, glute bridge, clamshell."""
    from backstride.domain.routines import RoutineKind

    _routine(RoutineKind.CORE, minutes, on, json_out)


@app.command("mobility")
def routine_mobility(
    minutes: MinutesOpt = None, on: OnOpt = None, json_out: JsonOpt = False
) -> None:
    """The short daily mobility routine (its focus changes every day)."""
    from backstride.domain.routines import RoutineKind

    _routine(RoutineKind.MOBILITY, minutes, on, json_out)


@app.command("done")
def routine_done(
    name: Annotated[str, typer.Argument(help="warmup, cooldown, core or mobility.")],
    on: OnOpt = None,
    skipped: Annotated[
        bool, typer.Option("--skipped", help="Record that you skipped it (e.g. the warm-up).")
    ] = False,
    json_out: JsonOpt = False,
) -> None:
    """Log a routine as done (or skipped) on a day."""
    from backstride.services.exercises import log_routine

    result = log_routine(
        state().app(), name, on=today_or(on), today=today_or(None), done=not skipped
    )
    if json_out:
        print_json(result.to_json())
        return
    e = result.entry
    verb = "skipped" if not e.done else "done"
    say(f"Logged the {e.routine.value} routine as {verb} on {e.day.isoformat()}.")


@app.command("list")
def routine_list(
    type_name: Annotated[
        str | None,
        typer.Option(
            "--type",
            help="dynamic_warmup, static_stretch, strength, mobility or cross_training.",
        ),
    ] = None,
    target: Annotated[
        str | None, typer.Option("--target", help="A muscle group, e.g. glutes or hip_flexors.")
    ] = None,
    stenosis: Annotated[
        bool,
        typer.Option("--stenosis", help="Only exercises suitable with spinal stenosis."),
    ] = False,
    json_out: JsonOpt = False,
) -> None:
    """The exercise library."""

    from backstride.services.exercises import list_exercises

    view = list_exercises(type_name=type_name, target=target, stenosis=stenosis)
    if json_out:
        print_json(view.to_json())
        return
    table = listing(
        "id",
        "name",
        "type",
        "works",
        "dose",
        "stenosis",
        whole=("id", "stenosis"),
        title=f"Exercise library ({len(view.exercises)} shown)",
    )
    for e in view.exercises:
        table.add_row(
            e.id,
            e.name,
            e.type.value.replace("_", " "),
            ", ".join(m.value.replace("_", " ") for m in e.targets),
            e.dose.text(),
            e.stenosis.value,
        )
    console.print(table)


@app.command("log")
def routine_log(
    days: Annotated[int, typer.Option("--days", min=1, max=365, help="How many days back.")] = 28,
    on: OnOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """How often each routine was done over the last days."""
    from backstride.services.exercises import routine_adherence

    result = routine_adherence(state().app(), on=today_or(on), days=days)
    data: dict[str, Any] = result.to_json()
    if json_out:
        print_json(data)
        return
    say(f"Routines from {data['since']} to {data['until']} ({data['days']} days):")
    for name, counts in data["by_routine"].items():
        say(f"  {name}: done on {counts['days_done']} day(s), skipped {counts['skipped']} time(s)")
