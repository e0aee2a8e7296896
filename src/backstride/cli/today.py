"""``backstride today``: the decision first, then every finding with its reason and source.

An open emergency red flag is printed first and alone, before anything else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from backstride.cli.common import CliState, console_write, json_text, say, state, today_or

if TYPE_CHECKING:
    from backstride.domain.day import Day
    from backstride.domain.guidance import Finding
    from backstride.services.day_cache import Rendered, Request

Say = Callable[..., None]

_STYLE = {
    "urgent": "bold red",
    "stop": "bold red",
    "reduce": "bold yellow",
    "caution": "yellow",
    "info": "cyan",
}
_DECISION_STYLE = {
    "urgent_care": "bold white on red",
    "see_professional": "bold red",
    "rest": "bold red",
    "start_here": "bold yellow",
    "cross_train": "bold yellow",
    "run_easy": "bold yellow",
    "run": "bold green",
}


def _finding(f: Finding, say: Say, units: str) -> None:
    from backstride.domain.guidance import LEVEL_WORDS

    say(f"[{LEVEL_WORDS[f.level]}] {f.title}", style=_STYLE[f.level])
    say(f"  Why: {f.reason}")
    say(f"  What to do: {f.action}")
    numbers = f.numbers(units)
    if numbers:
        say("  Your numbers: " + ", ".join(f"{k} {v}" for k, v in numbers), style="dim")
    say(f"  Source: {f.source}", style="dim")


def render_today(answer: Day, say: Say = say) -> None:
    """Emergencies alone at the top; then the day's decision and what to do; then what needs
    attention and every finding, most serious first; then the disclaimer. ``say`` prints one
    line (``cli.common.say``, or a recorder for the kept answer)."""
    for f in answer.emergencies:
        say(f.title.upper(), style="bold white on red")
        say(f.reason, style="bold red")
        say(f.action, style="bold red")
        say(f"Source: {f.source}", style="dim")
        say("")
    say(f"{answer.day.isoformat()}: {answer.headline}", style=_DECISION_STYLE[answer.decision])
    say(answer.summary)
    s = answer.session
    if s is not None:
        minutes = f" (about {s.minutes} min)" if s.minutes else ""
        say(f"Today: {s.title}: {s.what.rstrip('.')}{minutes}.", style="bold")
    for r in answer.routines:
        say(f"  - {r.title}{' (optional)' if r.optional else ''}: `backstride routine {r.key}`")
    advice = answer.advice
    if advice.decision == answer.decision != "start_here":
        for line in advice.details:
            say(f"  - {line}")
    open_steps = answer.open_steps
    if answer.decision == "start_here":
        say("")
        say("Start here:", style="bold")
        for n, step in enumerate(open_steps, start=1):
            say(f"  {n}. {step.title}: `{step.command}`. {step.why}")
    elif any(step.key == "plan" for step in open_steps) and answer.planned is None:
        say("No plan yet: `backstride plan start --goal 5k --days mon,wed,sat` starts one.")
    if answer.attention:
        say("")
        say("Needs attention:", style="bold")
        for a in answer.attention:
            where = f" (`{a.command}`)" if a.command else ""
            say(f"  - {a.title}{where}", style=_ATTENTION_STYLE[a.level])
    rest = [f for f in answer.findings if f.id != "redflag.emergency"]
    if rest:
        say("")
        say("Why (most serious first):", style="bold")
        for f in rest:
            _finding(f, say, answer.units)
    say("")
    say(answer.disclaimer, style="dim")


_ATTENTION_STYLE = {"alert": "bold red", "caution": "yellow", "info": "cyan"}


def today_command(
    on: Annotated[
        str | None,
        typer.Option("--on", help="Judge the day as of this date, YYYY-MM-DD (default today)."),
    ] = None,
    json_out: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Print {date, decision, headline, summary, session, attention, advice, "
            "findings, disclaimer, ...} as JSON.",
        ),
    ] = False,
) -> None:
    """What should I do today? One decision with your plan, what to do, and why."""
    from backstride.services import day_cache

    run = state()
    request = day_cache.Request(
        db=run.db, units=run.units_flag, on=today_or(on), today=today_or(None)
    )
    rendered = day_cache.lookup(request, lambda: day_cache.mark_of(run.app()))
    if rendered is None:
        rendered = compute_today(run, request)
    if json_out:
        console_write(rendered.json)
        return
    for text, style in rendered.lines:
        say(text, style=style)


def compute_today(run: CliState, request: Request) -> Rendered:
    """The day's answer rendered both ways (text lines and ``--json``), kept for the next
    call while the data stays the same (``services/day_cache.py``)."""
    from backstride.services import day_cache
    from backstride.services.guidance import today

    app = run.app(narrow_reads=True)
    before = day_cache.mark_of(app)
    answer = today(app, on=request.on, today=request.today)
    lines: list[tuple[str, str | None]] = []

    def record(text: str, *, style: str | None = None) -> None:
        lines.append((text, style))

    render_today(answer, record)
    rendered = day_cache.Rendered(lines=tuple(lines), json=json_text(answer.to_json()))
    day_cache.keep(request, app, before, rendered)
    return rendered
