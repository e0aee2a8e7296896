"""``backstride plan start|show|today|done|skip|pause|resume|stop|export``: the run/walk plan."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from backstride.cli.common import console, parse_day, print_json, say, state, today_or
from backstride.cli.options import JsonOut
from backstride.cli.tables import listing
from backstride.cli.usage import OptionUsageError
from backstride.errors import InvalidInputError

if TYPE_CHECKING:
    from backstride.services.plan import MarkSaved, PlanDayView, PlanView, WeekView

app = typer.Typer(no_args_is_help=True)

OnOpt = Annotated[str | None, typer.Option("--on", help="The day, YYYY-MM-DD (default today).")]
JsonOpt = JsonOut

OUTCOME_WORDS = {
    "advance": "went well: moved on",
    "repeat": "repeated",
    "step_back": "stepped back",
    "finished": "finished",
    "stopped": "stopped",
}
LIGHT_WORDS = {"green": "within the pain rules", "amber": "not confirmed", "red": "broke the rules"}
#: Replacements after which the plan's own session is not shown step by step.
REPLACED = ("rest", "cross_train", "start_here", "see_professional", "urgent_care")
_DECISION_STYLE = {
    "urgent_care": "bold white on red",
    "see_professional": "bold red",
    "start_here": "bold yellow",
    "rest": "bold red",
    "cross_train": "bold yellow",
    "run_easy": "bold yellow",
    "run": "bold green",
}


def _minutes(seconds: int) -> str:
    return f"{round(seconds / 60)} min"


def print_day(view: PlanDayView) -> None:
    data = view.to_json()
    plan = data["plan"]
    goal = plan["goal"].upper()
    week = (
        f", week {data['template_week']} of {data['weeks_total']}" if data["template_week"] else ""
    )
    say(
        f"{goal} plan ({plan['variant']}){week} — {data['weekday']} {data['day']}",
        style="bold",
    )
    guidance = data["guidance"]
    answer = data["today"]
    if answer is not None:
        say(f"Today's decision: {answer['headline']}", style=_DECISION_STYLE[answer["decision"]])
        say(answer["summary"])
        say("")
    if data["kind"] == "paused":
        urgent = data["gate"]["urgency"] == "emergency"
        say(data["note"] or "The plan is paused.", style="bold red" if urgent else "bold yellow")
        return
    replaced = guidance is not None and guidance["replacement"] in REPLACED
    if replaced:
        say(f"Plan: {data['title']}, replaced today by the decision above.")
        say("")
        say(data["disclaimer"], style="dim")
        return
    say(f"Today: {data['title']}" + (" (projected)" if data["projected"] else ""))
    if data["note"]:
        say(data["note"])
    session = data["session"]
    if session:
        steps = session["steps"]
        warm = [s for s in steps if s["phase"] == "warmup"]
        say("")
        for step in warm:
            say(f"  Warm-up: {step['label']} ({_minutes(step['seconds'])})")
        say(f"  Main set: {session['main']} ({_minutes(session['main_s'])})")
        for step in steps:
            if step["phase"] in ("cooldown", "stretch"):
                say(f"  Then: {step['label']} ({_minutes(step['seconds'])})")
        if session["note"]:
            say(f"  {session['note']}")
        say(
            f"  About {_minutes(session['total_s'])} in all, "
            f"{_minutes(session['run_s'])} of it running."
        )
        say(
            "  Warm-up in detail: `backstride routine warmup`; stretches: "
            "`backstride routine cooldown`."
        )
    cross = data["cross_training"]
    if cross:
        say(f"  {cross['name']}, {cross['minutes']} min at an easy effort.")
        say(f"  Works: {', '.join(cross['works'])}; spares: {', '.join(cross['spares'])}.")
        if cross["spares_note"]:
            say(f"  {cross['spares_note']}")
    routine = data["routine"]
    if routine and data["kind"] == "strength":
        say("")
        for step in routine["steps"]:
            say(f"  - {step['name']}: {step['dose']}")
        say("  In detail: `backstride routine core`.")
    elif routine:
        say(
            f"  Optional: the {round(routine['minutes'])}-minute mobility routine "
            "(`backstride routine mobility`)."
        )
    mark = data["mark"]
    if mark:
        why = f" ({mark['reason']})" if mark["reason"] else ""
        say(f"Marked {mark['status']}{why}.")
    verdict = data["verdict"]
    if verdict and verdict["light"] not in ("pending",):
        say(f"Pain rules: {LIGHT_WORDS.get(verdict['light'], verdict['light'])}.")
        for reason in verdict["reasons"]:
            say(f"  {reason}")
    if guidance and guidance["overrides"]:
        say("")
        say(guidance["message"], style="bold yellow")
        shorter = guidance["shorter_session"]
        if shorter:
            say(f"  Shorter main set: {shorter['main']} ({_minutes(shorter['main_s'])}).")
    if answer is not None:
        say("")
        say(data["disclaimer"], style="dim")


def _week_lines(week: WeekView) -> None:
    data = week.to_json()
    for d in data["days"]:
        mark = f" [{d['mark']['status']}]" if d["mark"] else ""
        light = f" ({LIGHT_WORDS[d['light']]})" if d["light"] in LIGHT_WORDS else ""
        say(f"  {d['weekday'][:3]} {d['day']}  {d['title']}: {d['summary']}{mark}{light}")


def print_plan(view: PlanView, *, week: int | None) -> None:

    data = view.to_json()
    plan = data["plan"]
    say(
        f"{plan['goal'].upper()} plan ({plan['variant']}), runs on {plan['days']}, started "
        f"{plan['start_on']}: {plan['status']}.",
        style="bold",
    )
    if plan["paused"]:
        say(
            f"Paused since {plan['paused']['since']}: {plan['paused']['reason']}",
            style="bold yellow",
        )
    if week is not None:
        w = view.week(week)
        say(f"Plan week {w.seq} (schedule week {w.template_week}), {w.starts_on} to {w.ends_on}:")
        say(f"  {w.focus}")
        _week_lines(w)
        for reason in w.reasons:
            say(f"  Why: {reason}")
        return
    table = listing(
        "#", "schedule", "from", "to", "focus", "outcome", whole=("#", "from", "to"), title="Weeks"
    )
    for w in view.weeks:
        outcome = (
            OUTCOME_WORDS.get(w.outcome.value, w.outcome.value)
            if w.outcome
            else ("current" if w.current else "projected" if w.projected else "")
        )
        table.add_row(
            str(w.seq),
            f"week {w.template_week}",
            w.starts_on.isoformat(),
            w.ends_on.isoformat(),
            w.focus,
            outcome,
        )
    console.print(table)
    changed = [w for w in view.weeks if w.outcome and w.outcome.value in ("repeat", "step_back")]
    if changed:
        say("Why weeks were repeated or stepped back:", style="bold")
        for w in changed:
            say(f"  Plan week {w.seq} ({OUTCOME_WORDS[w.outcome.value if w.outcome else '']}):")
            for reason in w.reasons:
                say(f"    - {reason}")
    current = view.current
    if current is not None:
        say(
            f"This week (plan week {current.seq}, schedule week {current.template_week}):",
            style="bold",
        )
        _week_lines(current)


@app.command("start")
def plan_start(
    goal: Annotated[str, typer.Option("--goal", help="5k, or 10k after a finished 5K plan.")],
    days: Annotated[
        str, typer.Option("--days", help="Three run days, never two in a row, e.g. mon,wed,sat.")
    ],
    start: Annotated[
        str | None, typer.Option("--start", help="First day, YYYY-MM-DD (default today).")
    ] = None,
    variant: Annotated[
        str | None,
        typer.Option(
            "--variant",
            help="standard or stenosis (default: stenosis when your profile lists it).",
        ),
    ] = None,
    from_week: Annotated[
        int | None,
        typer.Option(
            "--from-week",
            min=1,
            help="Start at this week of the schedule (default: the week your last 4 weeks "
            "of runs match).",
        ),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Start a gradual run/walk plan where you are (needs the health screen, and a clearance
    when due)."""
    from backstride.services.plan import start_plan

    result = start_plan(
        state().app(),
        goal=goal,
        days=days,
        start=parse_day(start, what="date for --start") or today_or(None),
        today=today_or(None),
        variant=variant,
        from_week=from_week,
    )
    if json_out:
        print_json(result.to_json())
        return
    data = result.to_json()["plan"]
    say(
        f"Started the {data['goal'].upper()} plan ({data['variant']}): {data['weeks_total']} "
        f"weeks, runs on {data['days']}, from {data['start_on']}.",
        style="bold",
    )
    if result.placement is not None:
        say(f"Starting at week {result.placement.week}:", style="bold")
        for reason in result.placement.reasons:
            say(f"  {reason}")
    for note in result.notes:
        say(note)
    if result.first is not None:
        say("The first week:")
        _week_lines(result.first)
    say("Each day: `backstride plan today`. After each run, check in pain (`backstride checkin`).")


@app.command("show")
def plan_show(
    week: Annotated[int | None, typer.Option("--week", min=1, help="Show one plan week.")] = None,
    on: OnOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """The plan week by week: what was done, what was repeated or stepped back and why."""
    from backstride.services.plan import show_plan

    view = show_plan(state().app(), on=today_or(on), today=today_or(None))
    if json_out:
        data: dict[str, Any] = view.to_json()
        if week is not None:
            data["weeks"] = [view.week(week).to_json()]
        print_json(data)
        return
    print_plan(view, week=week)


@app.command("today")
def plan_today_command(
    on: OnOpt = None,
    no_guidance: Annotated[
        bool, typer.Option("--no-guidance", help="Show the plan only, without today's guidance.")
    ] = False,
    json_out: JsonOpt = False,
) -> None:
    """Today's session, step by step, with the day's one decision (as `backstride today`)."""
    from backstride.services.plan import plan_today

    view = plan_today(
        state().app(), on=today_or(on), today=today_or(None), use_guidance=not no_guidance
    )
    if json_out:
        print_json(view.to_json())
        return
    print_day(view)


def _print_mark(result: MarkSaved, json_out: bool) -> None:
    if json_out:
        print_json(result.to_json())
        return
    m = result.mark
    say(f"Marked the session on {m.day.isoformat()} {m.status}.")
    if result.warmup_logged is False:
        say("Logged that the warm-up was skipped; a warm-up before every run is part of the plan.")
    if m.status == "done":
        say("Check in pain after the run and tomorrow morning: `backstride checkin`.")
    else:
        say(
            "A week with a skipped session is repeated, so the next step waits until you are ready."
        )


@app.command("done")
def plan_done(
    on: OnOpt = None,
    activity: Annotated[
        int | None, typer.Option("--activity", help="The logged activity of this session.")
    ] = None,
    no_warmup: Annotated[
        bool, typer.Option("--no-warmup", help="You skipped the warm-up this time.")
    ] = False,
    json_out: JsonOpt = False,
) -> None:
    """Mark a plan session done (a run logged on a run day counts as done on its own)."""
    from backstride.services.plan import mark_done

    result = mark_done(
        state().app(),
        on=today_or(on),
        today=today_or(None),
        activity_id=activity,
        warmup=not no_warmup,
    )
    _print_mark(result, json_out)


@app.command("skip")
def plan_skip(
    on: OnOpt = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Why, in a few words.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Mark a plan session skipped."""
    from backstride.services.plan import mark_skipped

    result = mark_skipped(state().app(), on=today_or(on), today=today_or(None), reason=reason)
    _print_mark(result, json_out)


@app.command("pause")
def plan_pause(
    on: OnOpt = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Why, in a few words.")] = None,
) -> None:
    """Pause the plan (illness, travel...)."""
    from backstride.services.plan import pause_plan

    result = pause_plan(state().app(), on=today_or(on), today=today_or(None), reason=reason)
    say(result.message)


@app.command("resume")
def plan_resume(on: OnOpt = None) -> None:
    """Resume a paused plan: the interrupted week starts again (a week back after 2 weeks off)."""
    from backstride.services.plan import resume_plan

    result = resume_plan(state().app(), on=today_or(on), today=today_or(None))
    say(result.message)


@app.command("stop")
def plan_stop(
    on: OnOpt = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Why, in a few words.")] = None,
) -> None:
    """Stop the plan for good (its history is kept)."""
    from backstride.services.plan import stop_plan

    result = stop_plan(state().app(), on=today_or(on), today=today_or(None), reason=reason)
    say(result.message)


@app.command("export")
def plan_export(
    ics: Annotated[
        Path | None,
        typer.Option("--ics", help="Write the sessions to this iCalendar (.ics) file."),
    ] = None,
    fit: Annotated[
        Path | None,
        typer.Option(
            "--fit", help="Write each run/walk session as a FIT workout into this folder."
        ),
    ] = None,
    on: OnOpt = None,
) -> None:
    """Export the plan's sessions: to a calendar file (all-day events with the steps) and/or
    as FIT workouts a watch plays step by step (copy them to the watch's NewFiles folder)."""
    from backstride.services.plan import export_calendar

    if ics is None and fit is None:
        raise OptionUsageError("Say where to export: --ics FILE and/or --fit DIR.")
    if ics is not None:
        if ics.exists() and ics.is_dir():
            raise InvalidInputError(f"'{ics}' is a folder; give a file name such as plan.ics.")
        data = export_calendar(
            state().app(), on=today_or(on), today=today_or(None), stamp=datetime.now(UTC)
        )
        try:
            ics.write_bytes(data)
        except OSError as exc:
            raise InvalidInputError(f"Could not write '{ics}': {exc.strerror}.") from exc
        count = data.count(b"BEGIN:VEVENT")
        say(f"Wrote {count} sessions to {ics}.")
    if fit is not None:
        from backstride.services.workouts import export_workouts

        files = export_workouts(
            state().app(), fit, on=today_or(on), today=today_or(None), created_at=datetime.now(UTC)
        )
        say(f"Wrote {len(files)} run/walk workouts to {fit}.")
