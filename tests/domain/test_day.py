"""The day's one answer (domain/day/): the guidance and the plan combined, never disagreeing."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from backstride.domain.day import (
    DISCLAIMER,
    PlanToday,
    StartFacts,
    attention_for,
    combine,
    first_sentence,
    more_careful,
    session_kind,
)
from backstride.domain.guidance import (
    DECISION_WORDS,
    DECISIONS,
    Decision,
    Finding,
    TodayPlan,
    compute_findings,
    plan_today,
    run_caps,
)
from backstride.domain.pain import OpenRedFlag, RedFlag, Urgency
from backstride.domain.plan import (
    FIVE_K_STANDARD,
    FIVE_K_STENOSIS,
    Goal,
    PlanSpec,
    Variant,
    easier_session,
)
from tests.domain.guidance_world import TODAY, Session, World, calm, days_ago

KNOWN = StartFacts(
    screened=True, profile_set=True, has_activities=True, has_recent_runs=True, has_plan=False
)
EMPTY = StartFacts(
    screened=False, profile_set=False, has_activities=False, has_recent_runs=False, has_plan=False
)
SPEC = PlanSpec(Goal.FIVE_K, Variant.STANDARD, (0, 2, 5), TODAY - timedelta(days=7))


def planned(kind: str, week: int = 3, index: int = 1) -> PlanToday:
    session = FIVE_K_STANDARD[week - 1].sessions[index - 1] if kind == "run" else None
    return PlanToday(
        kind=kind,
        title={"run": f"Run/walk session {index} of 3", "rest": "Rest day"}.get(kind, kind),
        goal="5K",
        variant="standard",
        week=week,
        weeks_total=9,
        session=session,
        easier=easier_session(SPEC, week, index) if kind == "run" else None,
        cross_training="Easy cycling" if kind == "cross_train" else None,
        cross_minutes=20 if kind == "cross_train" else None,
        paused_by_gate=kind == "paused",
    )


def answer(w: World, plan: PlanToday | None, start: StartFacts = KNOWN):  # type: ignore[no-untyped-def]
    state = w.state()
    findings = compute_findings(state)
    return combine(
        on=w.today,
        findings=findings,
        advice=plan_today(state, findings),
        caps=run_caps(state, findings),
        planned=plan,
        start=replace(start, has_plan=plan is not None),
        open_flags=state.open_red_flags,
    )


# --- the scenarios of issue 13 -------------------------------------------------------------------


def test_a_plan_rest_day_with_calm_guidance_is_rest_not_run() -> None:
    day = answer(calm(), planned("rest"))
    assert day.advice.decision == "run"
    assert day.decision == "rest"
    assert day.headline == "Rest day in your plan"
    assert day.session is not None and (day.session.kind, day.session.from_plan) == ("rest", True)
    assert "as planned" not in day.summary.lower()
    assert [r.key for r in day.routines] == ["mobility"]
    assert day.planned_day_off  # shown calmly: nothing asked for it but the plan


def test_a_plan_run_day_after_a_spike_is_a_shorter_session_with_her_cap() -> None:
    w = calm()
    w.add(Session(day=days_ago(2), km=8.0, minutes=48.0))  # +60 % on her 5 km runs
    day = answer(w, planned("run"))
    assert day.advice.decision == "run_easy" and day.decision == "run_easy"
    s = day.session
    assert s is not None and s.kind == "shorter" and s.from_plan
    assert s.blocks == easier_session(SPEC, 3, 1)
    assert s.blocks is not None and s.blocks.main_s < FIVE_K_STANDARD[2].sessions[0].main_s
    assert day.caps is not None and day.caps.cap_km == 5.0 and s.max_km == 5.0
    assert "Run easy" in day.headline


def test_without_a_plan_nothing_says_as_planned_and_a_plan_is_offered() -> None:
    day = answer(calm(), None)
    assert day.decision == "run"
    assert "planned" not in (day.headline + day.summary).lower()
    assert day.session is not None and day.session.kind == "run" and not day.session.from_plan
    assert "About 5 km" in day.session.what  # her typical run
    assert any(s.key == "plan" and not s.done for s in day.steps)


def test_an_empty_start_is_start_here_with_the_first_steps() -> None:
    w = World()  # no screening, no profile, no runs
    day = answer(w, None, EMPTY)
    assert day.decision == "start_here"
    assert day.session is None
    assert [s.key for s in day.open_steps] == ["screening", "profile", "import", "plan"]
    assert day.headline == "Answer the health questions first"


def test_screened_but_no_runs_and_no_plan_is_start_here_not_run() -> None:
    w = World(screening=calm().screening)
    start = replace(EMPTY, screened=True)
    day = answer(w, None, start)
    assert day.advice.decision == "run"
    assert day.decision == "start_here"
    assert [s.key for s in day.open_steps] == ["profile", "import", "plan"]


def test_no_screening_is_never_run_even_on_a_plan_run_day() -> None:
    w = calm()
    w.screening = None
    day = answer(w, planned("run"), replace(KNOWN, screened=False))
    assert day.decision == "start_here"
    assert day.session is None


def test_an_open_emergency_wins_over_a_plan_run_day() -> None:
    w = calm()
    w.entry(days_ago(0), "rest-day", 3, red_flags=(RedFlag.SADDLE_NUMBNESS,))
    day = answer(w, planned("run"))
    assert day.decision == "urgent_care"
    assert day.session is None
    assert day.attention[0].id == "redflag.saddle-numbness"
    assert day.attention[0].level == "alert" and day.attention[0].href == "/today"
    assert "pain seen --flag saddle-numbness" in (day.attention[0].command or "")


def test_a_gate_paused_plan_is_at_least_rest() -> None:
    day = answer(calm(), planned("paused"))
    assert day.decision == "rest"
    assert day.session is not None and day.session.kind == "rest"


def test_guidance_cross_training_replaces_a_run_with_the_named_activity() -> None:
    w = calm()
    w.entry(max(s.day for s in w.runs()), "after", 7)
    day = answer(w, planned("run"))
    assert day.decision == "cross_train"
    assert day.session is not None and day.session.title == "Cycling"
    assert not day.planned_day_off
    assert day.session.minutes == round(FIVE_K_STANDARD[2].sessions[0].total_s / 60)


def test_a_strength_day_keeps_its_session_when_the_guidance_would_run() -> None:
    day = answer(calm(), planned("strength"))
    assert day.decision == "cross_train"
    assert day.session is not None and day.session.kind == "strength"
    assert [r.key for r in day.routines] == ["core"]


# --- attention ----------------------------------------------------------------------------------


def _finding(fid: str, level: str, asks: Decision = "run") -> Finding:
    return Finding(fid, level, f"Title {fid}", "First. Second.", {}, "src", "act", asks)  # type: ignore[arg-type]


def test_attention_lists_red_flags_first_then_caution_and_above_each_with_its_page() -> None:
    flag = OpenRedFlag(RedFlag.FEVER, Urgency.PROMPT, days_ago(2), days_ago(1), (1,))
    items = attention_for(
        [
            _finding("redflag.prompt", "stop", "see_professional"),
            _finding("gear.shoes_worn", "caution"),
            _finding("data.no_heart_rate", "info"),
            _finding("data.no_morning_checkin", "caution"),
        ],
        [flag],
    )
    assert [i.id for i in items] == [
        "redflag.fever",
        "gear.shoes_worn",
        "data.no_morning_checkin",
    ]
    assert [i.href for i in items] == ["/diary", "/shoes", "/checkin"]
    assert items[1].message == "First."


def test_nothing_needs_attention_only_when_no_finding_is_above_info() -> None:
    assert attention_for([_finding("data.no_heart_rate", "info")], []) == ()


def test_first_sentence() -> None:
    assert first_sentence("One 5.2 km run. Then more.") == "One 5.2 km run."
    assert first_sentence("Alone") == "Alone"


# --- what a session really is ---------------------------------------------------------------------


def test_session_kinds_follow_the_blocks() -> None:
    assert session_kind(FIVE_K_STENOSIS[0].sessions[0]) == "walk_cycle"
    assert session_kind(FIVE_K_STENOSIS[1].sessions[0]) == "run_walk"
    assert session_kind(FIVE_K_STANDARD[0].sessions[0]) == "run_walk"
    assert session_kind(FIVE_K_STANDARD[6].sessions[0]) == "run"


# --- invariants ---------------------------------------------------------------------------------

PLAN_KINDS = [None, "run", "strength", "cross_train", "rest", "inserted_rest", "paused"]
RUNNING = ("run", "run_easy")


def _advice(g: Decision) -> TodayPlan:
    return TodayPlan(decision=g, headline=DECISION_WORDS[g], summary="Because: x.")


@given(
    g=st.sampled_from(DECISIONS),
    kind=st.sampled_from(PLAN_KINDS),
    screened=st.booleans(),
    recent=st.booleans(),
    profile=st.booleans(),
)
def test_the_day_is_never_less_careful_than_the_guidance_nor_runs_on_a_rest_day(
    g: Decision, kind: str | None, screened: bool, recent: bool, profile: bool
) -> None:
    if not screened:
        g = more_careful(g, "start_here")  # the guidance's own rule (data.no_screening)
    findings = [] if g == "run" else [_finding("x.y", "stop", g)]
    plan = planned(kind) if kind else None
    start = StartFacts(screened, profile, recent, recent, plan is not None)
    day = combine(
        on=TODAY,
        findings=findings,
        advice=_advice(g),
        caps=None,
        planned=plan,
        start=start,
    )
    assert DECISIONS.index(day.decision) >= DECISIONS.index(g)
    if kind in ("rest", "inserted_rest", "paused"):
        assert DECISIONS.index(day.decision) >= DECISIONS.index("rest")
    if kind in ("strength", "cross_train"):
        assert day.decision not in RUNNING
    if not screened:
        assert DECISIONS.index(day.decision) >= DECISIONS.index("start_here")
    if plan is None:
        assert "as planned" not in (day.headline + day.summary).lower()
    if day.decision in RUNNING:
        assert day.session is not None and day.session.kind in ("run", "run_walk", "shorter")
    if day.decision in ("urgent_care", "see_professional", "start_here"):
        assert day.session is None
    assert day.disclaimer == DISCLAIMER and "not medical advice" in day.to_json()["disclaimer"]
