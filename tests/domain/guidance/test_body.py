"""Daily guidance, core endurance and flexibility.

Each finding fires on its threshold and stays quiet just below it.

Every test starts from the calm baseline of :mod:`tests.domain.guidance_world` (no finding
above ``info``) and changes one thing.
"""

from __future__ import annotations

from dataclasses import replace

from tests.domain.guidance_world import (
    calm,
    days_ago,
    with_tests,
)

# --- body --------------------------------------------------------------------------------------


def test_abdominals_outlasting_back_extensors_is_a_core_finding() -> None:
    w = with_tests(calm(), trunk_flexor_hold=120.0, trunk_extensor_hold=120.0)  # ratio 1.0
    f = w.get("body.core_endurance")
    assert f.evidence["flexion/extension"]["value"] == 1.0


def test_a_ratio_just_under_one_is_fine() -> None:
    w = with_tests(calm(), trunk_flexor_hold=119.0, trunk_extensor_hold=120.0)
    assert "body.core_endurance" not in w.ids()


def test_short_hamstrings_are_a_flexibility_finding() -> None:
    w = with_tests(calm(), straight_leg_raise_left=69.0)
    f = w.get("body.flexibility")
    assert "straight-leg-raise-left" in f.evidence


def test_hamstrings_at_70_degrees_are_fine() -> None:
    w = with_tests(calm(), straight_leg_raise_left=70.0)
    assert "body.flexibility" not in w.ids()


def test_no_tests_or_old_tests_are_info_only() -> None:
    w = calm()
    w.tests = []
    assert w.get("data.no_selftests").level == "info"
    w = calm()
    w.tests = [replace(t, day=days_ago(60)) for t in w.tests]
    assert w.get("body.retest_due").level == "info"
