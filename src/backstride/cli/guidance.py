"""``backstride today``: the decision first, then every finding with its reason and source.

An open emergency red flag is printed first and alone, before anything else.
"""

from __future__ import annotations

from typing import Annotated

import typer

from backstride.cli.body import say
from backstride.cli.common import STATE, print_json, today_or
from backstride.domain.guidance import LEVEL_WORDS, Finding
from backstride.services.guidance import TodayAdvice, today

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
    "cross_train": "bold yellow",
    "run_easy": "bold yellow",
    "run": "bold green",
}


def _finding(f: Finding) -> None:
    say(f"[{LEVEL_WORDS[f.level]}] {f.title}", style=_STYLE[f.level])
    say(f"  Why: {f.reason}")
    say(f"  What to do: {f.action}")
    if f.evidence:
        numbers = ", ".join(
            f"{k.replace('_', ' ')} {('yes' if v else 'no') if isinstance(v, bool) else v}"
            for k, v in f.evidence.items()
            if v is not None and not isinstance(v, list | dict)
        )
        if numbers:
            say(f"  Your numbers: {numbers}", style="dim")
    say(f"  Source: {f.source}", style="dim")


def render_today(advice: TodayAdvice) -> None:
    """Emergencies alone at the top; then the decision; then the findings, most serious first."""
    emergencies = advice.emergencies
    for f in emergencies:
        say(f.title.upper(), style="bold white on red")
        say(f.reason, style="bold red")
        say(f.action, style="bold red")
        say(f"Source: {f.source}", style="dim")
        say("")
    plan = advice.plan
    say(f"{advice.day.isoformat()}: {plan.headline}", style=_DECISION_STYLE[advice.decision])
    say(plan.summary)
    for line in plan.details:
        say(f"  - {line}")
    rest = [f for f in advice.findings if f.id != "redflag.emergency"]
    if rest:
        say("")
        say("Why (most serious first):", style="bold")
        for f in rest:
            _finding(f)
    say("")
    say(
        "backstride coaches; it does not diagnose. If pain is severe, spreading, or comes with "
        "numbness or weakness, see a professional.",
        style="dim",
    )


def today_command(
    on: Annotated[
        str | None,
        typer.Option("--on", help="Judge the day as of this date, YYYY-MM-DD (default today)."),
    ] = None,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print {date, decision, advice, findings} as JSON.")
    ] = False,
) -> None:
    """What should I do today? The decision, what to do, and why, with sources."""
    advice = today(STATE.app(), on=today_or(on))
    if json_out:
        print_json(advice.to_json())
        return
    render_today(advice)
