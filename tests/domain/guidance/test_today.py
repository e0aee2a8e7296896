"""Daily guidance, the run cap from her own runs.

Each finding fires on its threshold and stays quiet just below it.

Every test starts from the calm baseline of :mod:`tests.domain.guidance_world` (no finding
above ``info``) and changes one thing.
"""

from __future__ import annotations

from datetime import timedelta

from backstride.domain.guidance import (
    Finding,
    compute_findings,
    run_caps,
)
from backstride.domain.params import DEFAULT_GUIDANCE_PARAMS as P
from tests.domain.guidance_world import (
    Session,
    calm,
    days_ago,
)

# --- the run cap from her own runs (issues 13.3 and 12.6) ---------------------------------------


def test_the_cap_is_the_shorter_of_her_longest_run_and_her_typical_run_plus_10_percent() -> None:
    w = calm()  # 5 km runs
    w.add(Session(day=days_ago(20), km=9.0, minutes=55.0))  # one long run three weeks ago
    state = w.state()
    caps = run_caps(state, compute_findings(state))
    assert caps.longest_m == 9000.0 and caps.typical_m == 5000.0
    assert caps.cap_km == 5.5
    assert caps.why is not None and "plus 10 %" in caps.why


def test_after_a_flare_the_cap_goes_below_the_run_that_caused_it() -> None:
    w = calm(today=days_ago(0))
    last = max(s.day for s in w.runs())
    w.entry(last, "during", 8)
    w.entry(last + timedelta(days=1), "next-morning", 7)
    w.today = last + timedelta(days=3)
    state = w.state()
    caps = run_caps(state, compute_findings(state))
    assert caps.flare_run_on == last
    assert caps.cap_m is not None and caps.cap_m < 5000.0
    assert caps.cap_km == 3.8  # three quarters of the 5 km that flared
    assert caps.why is not None and "above 5/10" in caps.why


def test_a_flare_stops_capping_once_a_run_that_long_went_within_the_rules() -> None:
    w = calm()
    runs = sorted(s.day for s in w.runs())
    flared = runs[-4]
    w.entry(flared, "during", 7)
    state = w.state()
    caps = run_caps(state, compute_findings(state))
    assert caps.flare_run_on is None and caps.cap_km == 5.0


def test_the_flare_share_is_a_setting_and_the_words_follow_it() -> None:
    w = calm()
    last = max(s.day for s in w.runs())
    w.entry(last, "after", 7)
    w.today = last + timedelta(days=1)
    p = P.with_overrides({"flare_cap_share": 0.5})
    state = w.state()
    caps = run_caps(state, compute_findings(state, p), p)
    assert caps.cap_km == 2.5 and caps.why is not None and caps.why.startswith("50 %")


def test_no_runs_no_cap() -> None:
    w = calm()
    w.sessions = []
    state = w.state()
    caps = run_caps(state, compute_findings(state))
    assert caps.cap_m is None and caps.why is None


def test_a_finding_with_its_own_distance_limit_caps_the_run() -> None:
    w = calm()
    state = w.state()
    own = Finding("x.after_break", "reduce", "Back after a break", "r", {"cap_km": 2.5}, "s", "a")
    caps = run_caps(state, (*compute_findings(state), own))
    assert caps.cap_km == 2.5 and caps.why == "back after a break (2.5 km)"


def test_the_typical_run_margin_is_a_setting_and_the_words_follow_it() -> None:
    w = calm()
    w.add(Session(day=days_ago(20), km=9.0, minutes=55.0))
    p = P.with_overrides({"cap_typical_margin": 0.2})
    state = w.state()
    caps = run_caps(state, compute_findings(state, p), p)
    assert caps.cap_km == 6.0 and caps.why is not None and "plus 20 %" in caps.why
