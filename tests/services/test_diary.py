"""Pain diary use cases: linking, validation with nothing stored, triage, seen records, report."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backstride.errors import InvalidInputError, NotFoundError
from backstride.services.body import get_plan_gate
from backstride.services.context import App
from backstride.services.diary import (
    PainChanges,
    PainInput,
    add_pain,
    checkin_context,
    delete_pain,
    edit_pain,
    list_pain,
    pain_report,
    record_seen,
    red_flag_questions,
    triage_red_flags,
)
from tests.databases import dump

D = date(2025, 3, 3)  # a Monday, safely in the past
TODAY = date(2025, 3, 31)
Cli = Callable[..., Any]


def log_run(cli: Cli, day: date, *, distance: str = "5km", sport: str = "run", at: str = "") -> int:
    args = ["log", "--on", day.isoformat(), "--sport", sport, "--duration", "30m"]
    args += ["--distance", distance] + (["--at", at] if at else [])
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    match = re.search(r"activity (\d+)", result.stdout)
    assert match
    return int(match.group(1))


def snapshot(db_url: str) -> list[str]:
    return dump(db_url)


def pain(day: date = D, when: str = "after", score: object = 3, **more: Any) -> PainInput:
    return PainInput(day=day, when=when, score=score, **more)


def test_after_and_during_entries_link_to_the_days_only_run(app: App, cli: Cli) -> None:
    run = log_run(cli, D)
    saved = add_pain(app, pain(when="during", score=2), today=TODAY)
    assert saved.entry.activity_id == run and saved.linked_automatically
    after = add_pain(app, pain(when="after", score=4), today=TODAY)
    assert after.entry.activity_id == run
    before = add_pain(app, pain(when="before", score=1), today=TODAY)
    assert before.entry.activity_id is None  # only during/after are linked automatically


def test_no_automatic_link_on_a_day_with_two_runs_or_none(app: App, cli: Cli) -> None:
    log_run(cli, D, at="07:00")
    log_run(cli, D, at="18:00")
    assert add_pain(app, pain(), today=TODAY).entry.activity_id is None
    assert add_pain(app, pain(day=D - timedelta(days=1)), today=TODAY).entry.activity_id is None


def test_cycling_is_not_a_run_to_link_to(app: App, cli: Cli) -> None:
    log_run(cli, D, sport="cycle", distance="20km")
    assert add_pain(app, pain(), today=TODAY).entry.activity_id is None


def test_an_explicit_link_must_fit_the_entry_day(app: App, cli: Cli) -> None:
    run = log_run(cli, D)
    with pytest.raises(InvalidInputError, match="was on 2025-03-03"):
        add_pain(app, pain(day=D + timedelta(days=1), activity_id=run), today=TODAY)
    with pytest.raises(InvalidInputError, match="belongs on 2025-03-04"):
        add_pain(app, pain(when="next-morning", activity_id=run), today=TODAY)
    morning = add_pain(
        app, pain(day=D + timedelta(days=1), when="next-morning", activity_id=run), today=TODAY
    )
    assert morning.entry.activity_id == run
    with pytest.raises(NotFoundError):
        add_pain(app, pain(activity_id=999), today=TODAY)
    with pytest.raises(InvalidInputError, match="rest-day"):
        add_pain(app, pain(when="rest-day", activity_id=run), today=TODAY)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (pain(score=11), "between 0 and 10"),
        (pain(score=-1), "between 0 and 10"),
        (pain(score="4.5"), "not a pain score"),
        (pain(day=TODAY + timedelta(days=1)), "in the future"),
        (pain(red_flags=["bladder"]), "not a known red flag"),
        (pain(red_flags=["fever", "unknown-thing"]), "not a known red flag"),
        (pain(where=["knee"]), "not a known place"),
        (pain(feels=["itchy"]), "not a known kind"),
        (pain(when="lunchtime"), "not a time"),
        (pain(notes="x" * 2001), "limited to 2,000"),
    ],
)
def test_refused_input_stores_nothing(
    app: App, cli: Cli, db_url: str, data: PainInput, message: str
) -> None:
    log_run(cli, D)
    add_pain(app, pain(score=2), today=TODAY)
    before = snapshot(db_url)
    with pytest.raises(InvalidInputError, match=message):
        add_pain(app, data, today=TODAY)
    assert snapshot(db_url) == before


def _only_known_flags(text: str) -> bool:
    """True when ``text`` is made only of real red-flag names and blanks (so it is valid)."""
    names = {"bladder-change", "bowel-change", "saddle-numbness", "both-legs-weak"}
    names |= {"progressive-weakness", "fever", "unexplained-weight-loss", "night-pain"}
    names |= {"cancer-history", "recent-trauma", "steroids-or-osteoporosis"}
    parts = [p.strip().lower().replace("_", "-").replace(" ", "-") for p in text.split(",")]
    return all(p in names or not p for p in parts)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    score=st.integers().filter(lambda n: not 0 <= n <= 10),
    days_ahead=st.integers(min_value=1, max_value=400),
    flag=st.text(min_size=1, max_size=12).filter(lambda t: not _only_known_flags(t)),
)
def test_property_invalid_score_future_date_or_unknown_flag_store_nothing(
    app: App, db_url: str, score: int, days_ahead: int, flag: str
) -> None:
    before = snapshot(db_url)
    with pytest.raises(InvalidInputError, match="between 0 and 10"):
        add_pain(app, pain(score=score), today=TODAY)
    with pytest.raises(InvalidInputError, match="in the future"):
        add_pain(app, pain(day=TODAY + timedelta(days=days_ahead)), today=TODAY)
    with pytest.raises(InvalidInputError, match="not a known red flag"):
        add_pain(app, pain(red_flags=[flag]), today=TODAY)
    assert snapshot(db_url) == before


def test_a_red_flag_result_puts_the_triage_first(app: App) -> None:
    saved = add_pain(
        app, pain(when="rest-day", score=3, red_flags=["saddle-numbness"]), today=TODAY
    )
    data = saved.to_json()
    assert list(data)[0] == "triage"
    assert data["triage"]["urgency"] == "emergency"
    assert data["triage"]["headline"].startswith("EMERGENCY")
    assert data["entry"]["red_flags"] == ["saddle-numbness"]
    assert data["entry"]["urgency"] == "emergency"
    assert data["advice"] == []  # no coaching lines next to an emergency


def test_walking_leg_pattern_advice(app: App) -> None:
    saved = add_pain(
        app,
        pain(when="rest-day", where=["leg-left"], walking_leg_symptoms=True, eases_sitting=True),
        today=TODAY,
    )
    assert saved.claudication is not None
    assert saved.claudication.code == "claudication-see-physician"
    gate = get_plan_gate(app)
    assert not gate.allowed
    assert any("walking or standing" in r for r in gate.reasons)


def test_edit_revalidates_and_refuses_without_storing(app: App, cli: Cli, db_url: str) -> None:
    run = log_run(cli, D)
    saved = add_pain(app, pain(score=3), today=TODAY)
    entry_id = saved.entry.id
    assert entry_id is not None
    before = snapshot(db_url)
    with pytest.raises(InvalidInputError):
        edit_pain(app, entry_id, PainChanges(score=12), today=TODAY)
    with pytest.raises(InvalidInputError, match="Nothing to change"):
        edit_pain(app, entry_id, PainChanges(), today=TODAY)
    with pytest.raises(InvalidInputError, match="was on"):
        edit_pain(app, entry_id, PainChanges(day=D - timedelta(days=1)), today=TODAY)
    assert snapshot(db_url) == before
    edited = edit_pain(
        app,
        entry_id,
        PainChanges(score=5, where=["low-back"], red_flags=["fever"], notes="hilly"),
        today=TODAY,
    )
    assert edited.entry.score == 5 and edited.entry.activity_id == run
    assert edited.triage is not None and edited.triage.urgency == "prompt"
    cleared = edit_pain(app, entry_id, PainChanges(red_flags=[], unlink_activity=True), today=TODAY)
    assert cleared.entry.red_flags == () and cleared.entry.activity_id is None


def test_delete_and_missing_entries(app: App) -> None:
    saved = add_pain(app, pain(when="rest-day"), today=TODAY)
    assert saved.entry.id is not None
    assert delete_pain(app, saved.entry.id).to_json() == {"deleted": saved.entry.id}
    with pytest.raises(NotFoundError, match="no pain entry"):
        delete_pain(app, saved.entry.id)
    with pytest.raises(NotFoundError):
        edit_pain(app, 12345, PainChanges(score=1), today=TODAY)


def test_list_filters_by_date_and_shows_open_flags(app: App) -> None:
    add_pain(app, pain(day=D, when="rest-day", score=1), today=TODAY)
    add_pain(app, pain(day=D + timedelta(days=7), when="rest-day", score=2), today=TODAY)
    add_pain(
        app, pain(day=D + timedelta(days=8), when="rest-day", red_flags=["night-pain"]), today=TODAY
    )
    listed = list_pain(app, since=D + timedelta(days=7))
    assert [e.score for e in listed.entries] == [2, 3]
    data = listed.to_json()
    assert [o["flag"] for o in data["open_red_flags"]] == ["night-pain"]
    assert list(data) == ["open_red_flags", "awaiting_clearance", "entries"]


def test_seen_record_closes_a_flag_and_unpauses_plans(app: App) -> None:
    add_pain(app, pain(when="rest-day", red_flags=["bowel-change", "fever"]), today=TODAY)
    gate = get_plan_gate(app)
    assert not gate.allowed and gate.urgency == "emergency"
    assert [o.flag.value for o in gate.open_red_flags] == ["bowel-change", "fever"]
    seen = record_seen(app, flag="bowel-change", on=D + timedelta(days=1), by="A&E", today=TODAY)
    assert seen.closed
    assert [o.flag.value for o in seen.still_open] == ["fever"]
    assert get_plan_gate(app).urgency == "prompt"
    record_seen(app, flag="fever", on=D + timedelta(days=2), today=TODAY)
    gate = get_plan_gate(app)
    assert gate.open_red_flags == () and gate.urgency is None
    with pytest.raises(InvalidInputError, match="not a known red flag"):
        record_seen(app, flag="headache", on=D, today=TODAY)
    with pytest.raises(InvalidInputError, match="in the future"):
        record_seen(app, flag="fever", on=TODAY + timedelta(days=1), today=TODAY)


def test_a_seen_record_before_the_report_does_not_close_it(app: App) -> None:
    record_seen(app, flag="fever", on=D - timedelta(days=1), today=TODAY)
    add_pain(app, pain(when="rest-day", red_flags=["fever"]), today=TODAY)
    assert [o.flag.value for o in get_plan_gate(app).open_red_flags] == ["fever"]


def test_pain_report_hand_computed(app: App, cli: Cli) -> None:
    monday = log_run(cli, D)
    wednesday = log_run(cli, D + timedelta(days=2))
    friday = log_run(cli, D + timedelta(days=4))
    for day, when, score in [
        (D - timedelta(days=6), "rest-day", 2),
        (D - timedelta(days=4), "rest-day", 1),
        (D, "before", 2),
        (D, "during", 3),
        (D, "after", 4),
        (D + timedelta(days=1), "next-morning", 2),
        (D + timedelta(days=2), "before", 3),
        (D + timedelta(days=2), "during", 6),
        (D + timedelta(days=3), "next-morning", 3),
        (D + timedelta(days=4), "after", 2),
    ]:
        add_pain(app, pain(day=day, when=when, score=score), today=TODAY)
    report = pain_report(app, today=D + timedelta(days=6), since=D)
    data = report.to_json()
    runs = {r["activity_id"]: r for r in data["runs"]}
    assert runs[monday]["verdict"] == "within"
    assert runs[monday]["usual_level"] == 2.0
    assert (runs[monday]["during_zone"], runs[monday]["after_zone"]) == ("acceptable", "acceptable")
    assert runs[wednesday]["verdict"] == "outside"
    assert runs[wednesday]["settled"] == "no"
    assert runs[friday]["verdict"] == "not-known-yet"
    assert runs[friday]["next_morning"] is None
    week = data["weeks"][0]
    assert (week["week_start"], week["mornings"], week["mean_score"]) == ("2025-03-03", 2, 2.5)
    assert data["rules"]["safe_max"] == 2 and data["rules"]["acceptable_max"] == 5
    assert data["usual_level"] == 2.0  # median(2, 1, 2, 3) within 28 days of 9 March


def test_deleting_an_activity_keeps_its_pain_entries_unlinked(app: App, cli: Cli) -> None:
    run = log_run(cli, D)
    saved = add_pain(app, pain(), today=TODAY)
    assert saved.entry.activity_id == run
    assert cli("activity", "delete", str(run), "--yes").exit_code == 0
    entries = list_pain(app).entries
    assert len(entries) == 1 and entries[0].activity_id is None


def test_checkin_context_guesses_the_moment(app: App, cli: Cli) -> None:
    assert checkin_context(app, day=D).when.value == "rest-day"
    run = log_run(cli, D)
    after = checkin_context(app, day=D)
    assert (after.when.value, after.activity_id) == ("after", run)
    morning = checkin_context(app, day=D + timedelta(days=1))
    assert (morning.when.value, morning.activity_id) == ("next-morning", run)
    assert "morning after" in morning.description
    chosen = checkin_context(app, day=D, when="before")
    assert (chosen.when.value, chosen.activity_id) == ("before", run)
    rest = checkin_context(app, day=D, when="rest-day")
    assert rest.activity_id is None


def test_triage_red_flags_answers_for_known_names_even_beside_unknown_ones() -> None:
    view = triage_red_flags(["bladder", "both-legs-weak"])
    assert view is not None and view.urgency == "emergency"
    assert view.to_json()["flags"] == ["both-legs-weak"]
    assert triage_red_flags(["nothing"]) is None


def test_red_flag_questions_list_emergency_signs_first() -> None:
    questions = [q.to_json() for q in red_flag_questions()]
    assert len(questions) == 15
    assert [q["urgency"] for q in questions] == (
        ["emergency"] * 4 + ["same-day"] * 2 + ["prompt"] * 9
    )
    assert all(q["question"].endswith("?") for q in questions)
