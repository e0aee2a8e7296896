"""Daily guidance, recovery, variety and warm-up.

Each finding fires on its threshold and stays quiet just below it.

Every test starts from the calm baseline of :mod:`tests.domain.guidance_world` (no finding
above ``info``) and changes one thing.
"""

from __future__ import annotations

from dataclasses import replace

from backstride.domain.activity import Sport
from backstride.domain.body import Experience
from backstride.domain.guidance import WarmUpSkip, decide
from backstride.domain.guidance.rules.recovery import rule_hard_close, rule_monotony
from backstride.domain.params import DEFAULT_GUIDANCE_PARAMS as P
from tests.domain.guidance_world import (
    Session,
    World,
    calm,
    days_ago,
)

# --- recovery ----------------------------------------------------------------------------------


def test_a_returning_runner_who_ran_yesterday_cross_trains() -> None:
    w = calm()
    w.profile = replace(w.profile, experience=Experience.RETURNING)
    w.drop_on(days_ago(3))  # keep a rest day in the week
    w.add(Session(day=days_ago(1)))
    f = w.get("recovery.no_rest_day")
    assert f.asks == "cross_train"
    assert f.evidence["consecutive_run_days"] == 2


def test_a_returning_runner_s_own_run_today_is_not_a_streak() -> None:
    w = calm()
    w.profile = replace(w.profile, experience=Experience.RETURNING)
    w.drop_on(days_ago(1))
    w.drop_on(days_ago(0))
    w.add(Session(day=days_ago(0)))  # she ran this morning, not yesterday
    assert "recovery.no_rest_day" not in w.ids()
    w.add(Session(day=days_ago(1)))  # ... and yesterday too: two days in a row
    assert w.get("recovery.no_rest_day").evidence["consecutive_run_days"] >= 2


def test_a_returning_runner_with_a_day_off_may_run() -> None:
    w = calm()
    w.profile = replace(w.profile, experience=Experience.RETURNING)
    assert "recovery.no_rest_day" not in w.ids()


def test_a_regular_runner_may_run_on_consecutive_days() -> None:
    w = calm()
    w.drop_on(days_ago(3))
    w.add(Session(day=days_ago(1), minutes=40.0))
    assert "recovery.no_rest_day" not in w.ids()


def test_six_training_days_in_a_row_ask_for_rest() -> None:
    w = calm()
    for n in range(1, P.max_days_without_rest + 1):
        if not any(s.day == days_ago(n) for s in w.sessions):
            w.add(Session(day=days_ago(n), sport=Sport.CYCLE, km=10.0, cadence=None))
    f = w.get("recovery.no_rest_day")
    assert f.asks == "rest"
    assert f.evidence["days_since_rest"] == P.max_days_without_rest


def test_five_training_days_in_a_row_are_fine() -> None:
    w = calm()
    w.drop_on(days_ago(P.max_days_without_rest))
    for n in range(1, P.max_days_without_rest):
        if not any(s.day == days_ago(n) for s in w.sessions):
            w.add(Session(day=days_ago(n), sport=Sport.CYCLE, km=10.0, cadence=None))
    assert "recovery.no_rest_day" not in w.ids()


def test_a_hard_session_yesterday_keeps_today_easy() -> None:
    w = calm()
    w.add(Session(day=days_ago(1), sport=Sport.CYCLE, km=30.0, rpe=8.0, hard=True, cadence=None))
    (own,) = rule_hard_close(w.state(), P)
    assert own.asks == "run_easy"
    # Six training days in a row make it a rest day: the finding is then advice for later.
    f = w.get("recovery.hard_sessions_close")
    assert decide(w.findings()) == "rest"
    assert f.asks == "rest" and f.for_later and f.to_json()["for_later"] is True


def test_a_hard_session_two_days_ago_is_long_enough() -> None:
    w = calm()
    for s in w.runs():
        if s.day == days_ago(2):
            s.hard = True
    assert "recovery.hard_sessions_close" not in w.ids()


def test_hard_sessions_on_consecutive_days_are_too_close() -> None:
    w = calm()
    for s in w.sessions:
        if s.day in (days_ago(5), days_ago(4)):  # Wednesday ride and Thursday run
            s.hard = True
    f = w.get("recovery.hard_sessions_close")
    assert f.level == "caution"
    assert f.evidence["first_on"] == days_ago(5).isoformat()


def test_hard_sessions_two_days_apart_are_fine() -> None:
    w = calm()
    for s in w.sessions:
        if s.day in (days_ago(6), days_ago(4)):  # Tuesday and Thursday runs
            s.hard = True
    assert "recovery.hard_sessions_close" not in w.ids()


# --- variety -----------------------------------------------------------------------------------


def _daily_runs(w: World, days: int) -> None:
    for n in range(1, days + 1):
        w.drop_on(days_ago(n))
        w.add(Session(day=days_ago(n), minutes=30.0 + 30 * (n % 2), gear="Road A"))


def test_identical_daily_runs_are_monotonous_and_ask_for_something_else() -> None:
    w = calm()
    _daily_runs(w, 7)
    f = w.get("variety.monotony")
    assert f.asks == "cross_train"
    assert f.evidence["monotony"] > P.monotony_reduce
    below = P.with_overrides({"monotony_reduce": min(5.0, f.evidence["monotony"] + 0.01)})
    assert "variety.monotony" not in w.ids(below)


def test_varied_but_equally_busy_days_are_only_a_caution() -> None:
    w = calm()
    for n in range(1, 8):
        w.drop_on(days_ago(n))
        sport = Sport.RUN if n in (2, 5) else Sport.CYCLE
        minutes = 30.0 + 2 * (n % 2)
        w.add(Session(day=days_ago(n), sport=sport, km=5.0, minutes=minutes, gear="Road A"))
    (f,) = rule_monotony(w.state(), P)
    assert f.level == "caution" and f.asks == "run"
    assert w.get("variety.monotony").asks == decide(w.findings()) != "run"


def test_running_only_for_four_weeks() -> None:
    w = calm()
    w.sessions = [s for s in w.sessions if s.sport.is_run]
    f = w.get("variety.run_only")
    assert f.evidence["running_share_28d_pct"] == 100
    assert f.level == "caution"


def test_run_only_just_below_its_share() -> None:
    w = calm()
    w.sessions = [s for s in w.sessions if s.sport.is_run or s.sport is Sport.STRENGTH]
    for s in w.sessions:
        if s.sport is Sport.STRENGTH:
            s.minutes = 8.0
    share = w.get("variety.run_only").evidence["running_share_28d_pct"] / 100
    assert 0.8 < share < 1.0
    below = P.with_overrides({"run_only_share": share + 0.01})
    assert "variety.run_only" not in w.ids(below)
    assert "variety.run_only" not in calm().ids()


# --- warm-up -----------------------------------------------------------------------------------


def test_a_skipped_warm_up_in_the_notes_is_a_caution() -> None:
    w = calm()
    w.runs()[-1].notes = "Felt good. Skipped the warm-up walk."
    f = w.get("warmup.skipped")
    assert f.level == "caution" and "brisk walking" in f.action


def test_a_skipped_warm_up_followed_by_pain_in_the_routine_log_is_a_caution() -> None:
    w = calm()
    w.warm_up_skips.append(WarmUpSkip(activity_id=7, day=days_ago(2), worst_pain=4))
    f = w.get("warmup.skipped")
    assert f.evidence["skipped_then_pain"] == 1 and f.evidence["runs"] == [7]
    w.warm_up_skips = [WarmUpSkip(7, days_ago(P.warm_up_window_days), 4)]
    assert "warmup.skipped" not in w.ids()


def test_a_warm_up_mentioned_as_done_or_long_ago_does_not_fire() -> None:
    w = calm()
    w.runs()[-1].notes = "Warm-up walk first, then easy."
    assert "warmup.skipped" not in w.ids()
    w = calm()
    old = [s for s in w.runs() if s.day <= days_ago(P.warm_up_window_days)]
    old[-1].notes = "no warm-up"
    assert "warmup.skipped" not in w.ids()
