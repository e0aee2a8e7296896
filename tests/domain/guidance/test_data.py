"""Daily guidance, missing data.

Each finding fires on its threshold and stays quiet just below it.

Every test starts from the calm baseline of :mod:`tests.domain.guidance_world` (no finding
above ``info``) and changes one thing.
"""

from __future__ import annotations

from tests.domain.guidance_world import (
    calm,
    days_ago,
)

# --- missing data ------------------------------------------------------------------------------


def test_a_missing_next_morning_check_in_is_said() -> None:
    w = calm()
    w.pain = [e for e in w.pain if not (e.day == days_ago(1) and e.when.value == "next-morning")]
    f = w.get("data.no_morning_checkin")
    assert f.level == "caution" and f.asks == "run" and "backstride checkin" in f.action


def test_no_heart_rate_and_no_shoes_are_said() -> None:
    w = calm()
    last = max(w.runs(), key=lambda s: s.day)
    last.heart_rate = False
    last.gear = None
    assert w.get("data.no_heart_rate").level == "info"
    assert w.get("data.no_shoes").evidence["runs"]
