"""The plan and exercise services: guidance override, calendar export, warm-up skips,
self-test adaptation, the demo plan and the JSON shapes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar

from backstride.errors import ConflictError
from backstride.services.activities import ManualEntry, log_manual
from backstride.services.body import (
    add_clearance,
    add_selftest,
    record_screening,
    screening_questions,
    set_profile,
)
from backstride.services.context import App
from backstride.services.diary import PainInput, add_pain
from backstride.services.exercises import (
    get_routine,
    log_routine,
    routine_needs,
    warmup_skipped_before_painful_runs,
)
from backstride.services.guidance import today
from backstride.services.plan import (
    export_calendar,
    mark_done,
    plan_today,
    show_plan,
    start_demo_plan,
    start_plan,
)

TODAY = date.today()
START = TODAY - timedelta(days=120) - timedelta(days=(TODAY - timedelta(days=120)).weekday())


def screen(app: App, **yes: bool) -> None:
    answers: dict[str, object] = {q.question.key: False for q in screening_questions()}
    answers["regularly-active"] = True
    answers.update(yes)
    record_screening(app, answers, on=START - timedelta(days=40), today=TODAY)


@pytest.fixture
def ready(app: App) -> App:
    screen(app)
    return app


def _log_run(app: App, day: date, km: float) -> int:
    return log_manual(
        app,
        ManualEntry(day=day, sport="run", duration_s=km * 380.0, distance_m=km * 1000.0),
        today=TODAY,
    )


def test_plan_today_shortens_a_run_day_after_a_spike_as_today_says(ready: App) -> None:
    start_plan(ready, goal="5k", days="mon,wed,sat", start=START, today=TODAY)
    for k in (20, 17, 13, 10, 6):
        _log_run(ready, START - timedelta(days=k), 3.0)
    _log_run(ready, START + timedelta(days=5), 6.0)  # Saturday: twice the longest before it
    on = START + timedelta(days=7)  # Monday, a run day
    view = plan_today(ready, on=on, today=TODAY)
    data = view.to_json()
    answer = today(ready, on=on, today=TODAY)
    assert data["kind"] == "run"
    assert data["decision"] == answer.decision == "run_easy"
    g = data["guidance"]
    assert g["overrides"] is True and g["replacement"] == "shorter_session"
    assert g["shorter_session"]["main_s"] < data["session"]["main_s"]
    assert data["today"]["session"] == answer.to_json()["session"]
    assert answer.session is not None and answer.session.kind == "shorter"
    assert answer.caps is not None and answer.caps.cap_km == 3.0  # the longest before the jump


def test_plan_rest_and_strength_days_never_become_runs(ready: App) -> None:
    start_plan(ready, goal="5k", days="mon,wed,sat", start=START, today=TODAY)
    for k in (9, 7, 5, 2):
        _log_run(ready, START - timedelta(days=k), 4.0)
    strength = plan_today(ready, on=START + timedelta(days=1), today=TODAY).to_json()
    rest = plan_today(ready, on=START + timedelta(days=4), today=TODAY).to_json()
    assert (strength["kind"], strength["decision"]) == ("strength", "cross_train")
    assert strength["today"]["session"]["kind"] == "strength"
    assert strength["guidance"]["replacement"] is None
    assert (rest["kind"], rest["decision"]) == ("rest", "rest")
    assert rest["today"]["headline"] == "Rest day in your plan"
    assert rest["guidance"]["replacement"] is None


def test_a_red_session_makes_the_next_run_day_an_extra_rest_day_everywhere(ready: App) -> None:
    start_plan(ready, goal="5k", days="mon,wed,sat", start=START, today=TODAY)
    _log_run(ready, START - timedelta(days=5), 3.0)
    saturday = START + timedelta(days=5)
    _log_run(ready, saturday, 3.0)
    add_pain(ready, PainInput(day=saturday, when="after", score=7), today=TODAY)
    on = START + timedelta(days=7)
    data = plan_today(ready, on=on, today=TODAY).to_json()
    assert (data["kind"], data["decision"]) == ("inserted_rest", "rest")
    assert today(ready, on=on, today=TODAY).decision == "rest"


def test_high_pain_after_an_off_plan_run_replaces_the_next_run(ready: App) -> None:
    start_plan(ready, goal="5k", days="mon,wed,sat", start=START, today=TODAY)
    _log_run(ready, START - timedelta(days=5), 3.0)
    sunday = START + timedelta(days=6)  # not a plan day: the plan does not judge it
    _log_run(ready, sunday, 3.0)
    add_pain(ready, PainInput(day=sunday, when="after", score=7), today=TODAY)
    on = START + timedelta(days=7)
    data = plan_today(ready, on=on, today=TODAY).to_json()
    assert (data["kind"], data["decision"]) == ("run", "cross_train")
    assert data["guidance"]["replacement"] == "cross_train"
    assert data["guidance"]["cross_training"] == "cycling"
    assert data["today"]["session"]["kind"] == "cross_train"
    assert today(ready, on=on, today=TODAY).decision == "cross_train"


def test_plan_today_without_guidance_has_no_decision(ready: App) -> None:
    start_plan(ready, goal="5k", days="mon,wed,sat", start=START, today=TODAY)
    data = plan_today(ready, on=START, today=TODAY, use_guidance=False).to_json()
    assert data["guidance"] is None and data["decision"] is None and data["today"] is None
    assert "not medical advice" in data["disclaimer"]


def test_calendar_export_parses_back_with_uid_dtstamp_and_steps(ready: App) -> None:
    start_plan(ready, goal="5k", days="tue,thu,sun", start=START, today=TODAY)
    stamp = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    data = export_calendar(ready, on=START, today=TODAY, stamp=stamp)
    cal = Calendar.from_ical(data)
    assert str(cal["VERSION"]) == "2.0" and "backstride" in str(cal["PRODID"])
    events = list(cal.walk("VEVENT"))
    assert len(events) == 45
    for event in events:
        assert event["UID"] and event.decoded("DTSTAMP") == stamp
        start = event.decoded("DTSTART")
        assert isinstance(start, date) and not isinstance(start, datetime)
        assert event.decoded("DTEND") == start + timedelta(days=1)
    runs = [e for e in events if "Running" in str(e.get("CATEGORIES").cats)]  # type: ignore[union-attr]
    assert len(runs) == 27
    description = str(runs[0]["DESCRIPTION"])
    assert "Brisk walk" in description and "Run 1 min" in description
    assert "Stretch" in description
    again = export_calendar(ready, on=START, today=TODAY, stamp=stamp)
    assert again == data  # stable UIDs: re-importing updates rather than duplicates


def _run(app: App, day: date, *, during: int) -> int:
    activity_id = log_manual(
        app, ManualEntry(day=day, sport="run", duration_s=1500, distance_m=3000), today=TODAY
    )
    add_pain(app, PainInput(day=day, when="during", score=during), today=TODAY)
    add_pain(app, PainInput(day=day + timedelta(days=1), when="next-morning", score=0), today=TODAY)
    return activity_id


def test_warmup_skipped_before_painful_runs(app: App) -> None:
    d = START
    log_routine(app, "warmup", on=d, today=TODAY)
    warmed = _run(app, d, during=4)
    skipped_day = d + timedelta(days=2)
    log_routine(app, "warmup", on=skipped_day, today=TODAY, done=False)
    skipped = _run(app, skipped_day, during=4)
    not_logged = _run(app, d + timedelta(days=4), during=1)
    report = warmup_skipped_before_painful_runs(app, on=d + timedelta(days=6), days=7)
    assert [r.activity_id for r in report.skipped_painful] == [skipped]
    by_id = {r.activity_id: r for r in report.runs}
    assert by_id[warmed].warmup == "done" and by_id[warmed].painful
    assert by_id[not_logged].warmup == "not-logged" and not by_id[not_logged].painful
    assert report.to_json()["painful_after_skipped"] == 1


def test_plan_done_logs_warmup_for_the_guidance_finding(ready: App) -> None:
    start_plan(ready, goal="5k", days="mon,wed,sat", start=START, today=TODAY)
    _run(ready, START, during=4)
    mark_done(ready, on=START, today=TODAY, warmup=False)
    report = warmup_skipped_before_painful_runs(ready, on=START + timedelta(days=2), days=7)
    assert len(report.skipped_painful) == 1


def test_routines_adapt_to_self_tests_and_stenosis(app: App) -> None:
    set_profile(app, today=TODAY, conditions=["lumbar-spinal-stenosis"], birth_year=1950)
    add_selftest(app, name="side-bridge-left", value="30", on=START, today=TODAY)
    add_selftest(app, name="side-bridge-right", value="70", on=START, today=TODAY)
    add_selftest(app, name="straight-leg-raise-left", value="55", on=START, today=TODAY)
    needs = routine_needs(app, on=START)
    assert needs.stenosis and needs.older
    assert needs.side_bridge_extra == ("left",) and not needs.side_bridge_strong
    assert needs.short_hamstrings
    core = get_routine(app, "core", on=START).to_json()
    sides = [s["side"] for s in core["steps"] if s["exercise_id"].startswith("side-bridge")]
    assert sides == ["each", "left"]
    assert any("left side bridge" in a for a in core["adapted_for"])
    cooldown = get_routine(app, "cooldown", on=START).to_json()
    assert all(s["hold_s"] == 45 for s in cooldown["steps"])
    assert all(s["stenosis"] != "avoid" for s in cooldown["steps"])


def test_lopsided_side_bridge_adds_work_on_the_weaker_side(app: App) -> None:
    add_selftest(app, name="side-bridge-left", value="120", on=START, today=TODAY)
    add_selftest(app, name="side-bridge-right", value="90", on=START, today=TODAY)
    needs = routine_needs(app, on=START)
    assert needs.side_bridge_extra == ("right",) and needs.side_bridge_strong


def test_start_is_refused_with_an_open_red_flag(ready: App) -> None:
    add_pain(ready, PainInput(day=START - timedelta(days=1), when="rest-day", score=3,
                              red_flags=["night-pain"]), today=TODAY)  # fmt: skip
    with pytest.raises(ConflictError, match="cannot start") as info:
        start_plan(ready, goal="5k", days="mon,wed,sat", start=START, today=TODAY)
    assert "pain seen" in (info.value.hint or "")


def test_demo_plan_starts_the_stenosis_variant(app: App) -> None:
    set_profile(app, today=TODAY, conditions=["lumbar-spinal-stenosis"])
    screen(app, **{"bone-joint-worse": True})
    add_clearance(app, on=START - timedelta(days=5), by="Dr Demo", today=TODAY)
    started = start_demo_plan(app, start=START, today=TODAY)
    assert started.record.spec.variant.value == "stenosis"
    data = started.to_json()
    assert data["plan"]["days"] == "mon,wed,sat" and data["first_week"]["seq"] == 1


def test_show_plan_json_shape(ready: App) -> None:
    start_plan(ready, goal="5k", days="mon,wed,sat", start=START, today=TODAY)
    data = show_plan(ready, on=START, today=TODAY).to_json()
    assert set(data) == {"on", "plan", "gate", "current_week", "weeks", "events"}
    assert set(data["plan"]) == {
        "id", "goal", "variant", "days", "start_on", "status", "ended_on", "weeks_total", "paused",
    }  # fmt: skip
    week = data["weeks"][0]
    assert set(week) == {
        "seq", "template_week", "starts_on", "ends_on", "focus", "outcome", "reasons",
        "settled_on", "projected", "current", "days",
    }  # fmt: skip
    assert len(week["days"]) == 7 and data["current_week"] == 1
    day = plan_today(ready, on=START, today=TODAY, use_guidance=False).to_json()
    steps = day["session"]["steps"]
    assert sum(s["seconds"] for s in steps) == day["session"]["total_s"]
    assert [s["phase"] for s in steps][:2] == ["warmup", "warmup"]
    assert steps[-1]["phase"] == "stretch"
