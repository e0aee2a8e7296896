"""``backstride selftest add|report``: core endurance and flexibility self-tests."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from backstride.cli.common import console, print_json, say, state, today_or
from backstride.cli.options import JsonOut
from backstride.cli.tables import listing

if TYPE_CHECKING:
    pass

app = typer.Typer(no_args_is_help=True)


# ``--steps/--no-steps`` of ``selftest report`` and its alias ``selftest list``.
Steps = Annotated[
    bool,
    typer.Option("--steps/--no-steps", help="Show how to perform each test (default: yes)."),
]


@app.command("add")
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


@app.command("report")
def selftest_report_command(
    json_out: JsonOut = False,
    steps: Steps = True,
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
    from backstride.domain.evidence import cite

    say(f"\nEndurance ratios ({cite('mcgill-1999')})", style="bold")
    table = listing("ratio", "value", "target", "result", "what it means", whole=("value",))
    for r in report["ratios"]:
        result = "not known yet" if r["ok"] is None else ("within" if r["ok"] else "outside")
        value = "–" if r["value"] is None else f"{r['value']:.2f}"
        table.add_row(r["name"], value, r["target"], result, r["text"])
    console.print(table)


@app.command("list")
def selftest_list_command(
    json_out: JsonOut = False,
    steps: Steps = True,
) -> None:
    """The self-tests and how to perform each, with your latest results (the same as
    ``selftest report``; today's advice points here)."""
    selftest_report_command(json_out=json_out, steps=steps)
