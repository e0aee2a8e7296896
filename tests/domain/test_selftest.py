"""Self-tests: values, norms, McGill ratios, retest reminders, instructions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backstride.domain.selftest import (
    INCH_CM,
    RETEST_AFTER_DAYS,
    SIT_AND_REACH_CM,
    TESTS,
    Assessment,
    RatioCheck,
    SelfTestName,
    SelfTestReport,
    SelfTestResult,
    build_report,
    parse_test_name,
    parse_test_value,
)
from backstride.errors import InvalidInputError

D = date(2025, 3, 3)
N = SelfTestName


def result(name: SelfTestName, value: float, day: date = D) -> SelfTestResult:
    return SelfTestResult(name=name, day=day, value=value)


def report(*results: SelfTestResult, sex: str = "unspecified", today: date = D) -> SelfTestReport:
    return build_report(list(results), sex=sex, today=today)


def assessment(rep: SelfTestReport, name: SelfTestName) -> Assessment:
    return next(a for a in rep.assessments if a.name is name)


def ratio(rep: SelfTestReport, name: str) -> RatioCheck:
    return next(r for r in rep.ratios if r.name == name)


def test_every_test_has_a_unit_and_plain_steps() -> None:
    assert [n.value for n in SelfTestName] == [
        "trunk-flexor-hold",
        "trunk-extensor-hold",
        "side-bridge-left",
        "side-bridge-right",
        "sit-and-reach",
        "straight-leg-raise-left",
        "straight-leg-raise-right",
        "hip-flexor-length-left",
        "hip-flexor-length-right",
    ]
    units = {n: TESTS[n].unit for n in SelfTestName}
    assert {units[n] for n in (N.TRUNK_FLEXOR_HOLD, N.SIDE_BRIDGE_RIGHT)} == {"s"}
    assert units[N.SIT_AND_REACH] == "cm"
    assert units[N.STRAIGHT_LEG_RAISE_LEFT] == "deg"
    assert units[N.HIP_FLEXOR_LENGTH_RIGHT] == "pass/fail"
    for spec in TESTS.values():
        assert len(spec.steps) >= 4
        assert "Stop" in spec.caution


@pytest.mark.parametrize(
    ("name", "text", "value"),
    [
        (N.TRUNK_FLEXOR_HOLD, "95", 95.0),
        (N.TRUNK_FLEXOR_HOLD, "1:35", 95.0),
        (N.TRUNK_EXTENSOR_HOLD, "101.5s", 101.5),
        (N.SIT_AND_REACH, "38 cm", 38.0),
        (N.STRAIGHT_LEG_RAISE_LEFT, "75", 75.0),
        (N.HIP_FLEXOR_LENGTH_LEFT, "pass", 1.0),
        (N.HIP_FLEXOR_LENGTH_LEFT, "Fail", 0.0),
    ],
)
def test_values_are_parsed_in_their_unit(name: SelfTestName, text: str, value: float) -> None:
    assert parse_test_value(name, text) == value


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (N.TRUNK_FLEXOR_HOLD, "-3"),
        (N.TRUNK_FLEXOR_HOLD, "1:75"),
        (N.TRUNK_FLEXOR_HOLD, "long"),
        (N.SIT_AND_REACH, "150"),
        (N.STRAIGHT_LEG_RAISE_RIGHT, "200"),
        (N.HIP_FLEXOR_LENGTH_RIGHT, "maybe"),
    ],
)
def test_bad_values_are_refused(name: SelfTestName, text: str) -> None:
    with pytest.raises(InvalidInputError):
        parse_test_value(name, text)


@given(st.text(min_size=1, max_size=20))
def test_unknown_test_names_are_refused(name: str) -> None:
    key = name.strip().lower().replace("_", "-").replace(" ", "-")
    if key in {n.value for n in SelfTestName}:
        return
    with pytest.raises(InvalidInputError, match="not a known self-test"):
        parse_test_name(name)


def test_mcgill_ratios_hand_computed() -> None:
    rep = report(
        result(N.TRUNK_FLEXOR_HOLD, 120),
        result(N.TRUNK_EXTENSOR_HOLD, 100),
        result(N.SIDE_BRIDGE_LEFT, 60),
        result(N.SIDE_BRIDGE_RIGHT, 70),
    )
    flex = ratio(rep, "flexion/extension")
    assert flex.value == 1.2 and flex.ok is False  # 120 / 100, target < 1.0
    lr = ratio(rep, "left/right side bridge")
    assert lr.value == 0.857 and lr.ok is False  # 60 / 70, target 0.95-1.05
    assert "left side tires sooner" in lr.text
    assert ratio(rep, "left side bridge/extension").value == 0.6  # < 0.75
    assert ratio(rep, "left side bridge/extension").ok is True
    assert ratio(rep, "right side bridge/extension").value == 0.7
    assert "McGill 1999" in flex.source


@pytest.mark.parametrize(
    ("left", "right", "ok"),
    [(95, 100, True), (105, 100, True), (94, 100, False), (106, 100, False)],
)
def test_left_right_balance_band_is_095_to_105(left: float, right: float, ok: bool) -> None:
    rep = report(result(N.SIDE_BRIDGE_LEFT, left), result(N.SIDE_BRIDGE_RIGHT, right))
    assert ratio(rep, "left/right side bridge").ok is ok


def test_ratio_boundaries_are_strict() -> None:
    rep = report(
        result(N.TRUNK_FLEXOR_HOLD, 100),
        result(N.TRUNK_EXTENSOR_HOLD, 100),
        result(N.SIDE_BRIDGE_LEFT, 75),
    )
    assert ratio(rep, "flexion/extension").ok is False  # 1.0 is not below 1.0
    assert ratio(rep, "left side bridge/extension").ok is False  # 0.75 is not below 0.75


def test_ratios_without_both_results_are_not_known_yet() -> None:
    rep = report(result(N.TRUNK_FLEXOR_HOLD, 100), result(N.TRUNK_EXTENSOR_HOLD, 0))
    flex = ratio(rep, "flexion/extension")
    assert flex.value is None and flex.ok is None
    lr = ratio(rep, "left/right side bridge")
    assert lr.ok is None and "side-bridge-left and side-bridge-right" in lr.text


def test_endurance_times_are_compared_with_anderson_and_evans() -> None:
    rep = report(result(N.TRUNK_FLEXOR_HOLD, 80), result(N.SIDE_BRIDGE_RIGHT, 52))
    flexor = assessment(rep, N.TRUNK_FLEXOR_HOLD)
    assert [r.value for r in flexor.references] == [160, 224]
    assert "50% of the average adult (Anderson 2014), 160 s" in flexor.text
    assert "36% of the average athlete (Evans 2007), 224 s" in flexor.text  # 80/224 = 35.7%
    right = assessment(rep, N.SIDE_BRIDGE_RIGHT)
    assert [r.value for r in right.references] == [54, 104]


@pytest.mark.parametrize(
    ("sex", "cm", "rating"),
    [
        ("female", 40.64, "poor"),  # 16 in
        ("female", 45.0, "below-average"),
        ("female", 48.26, "average-or-better"),  # 19 in
        ("male", 33.02, "poor"),  # 13 in
        ("male", 35.0, "below-average"),
        ("male", 40.64, "average-or-better"),  # 16 in
    ],
)
def test_sit_and_reach_against_ymca_norms(sex: str, cm: float, rating: str) -> None:
    rep = report(result(N.SIT_AND_REACH, cm), sex=sex)
    assert assessment(rep, N.SIT_AND_REACH).rating == rating


def test_ymca_norms_converted_from_inches() -> None:
    assert SIT_AND_REACH_CM["male"] == (13 * INCH_CM, 16 * INCH_CM)
    assert SIT_AND_REACH_CM["female"] == pytest.approx((40.64, 48.26))


def test_sit_and_reach_without_sex_shows_both_references_unrated() -> None:
    rep = report(result(N.SIT_AND_REACH, 44))
    a = assessment(rep, N.SIT_AND_REACH)
    assert a.rating is None
    assert len(a.references) == 4


@pytest.mark.parametrize(
    ("deg", "rating"),
    [
        (69, "below-usual-range"),
        (70, "usual-range"),
        (80, "usual-range"),
        (81, "above-usual-range"),
    ],
)
def test_straight_leg_raise_against_70_to_80_degrees(deg: float, rating: str) -> None:
    rep = report(result(N.STRAIGHT_LEG_RAISE_LEFT, deg))
    a = assessment(rep, N.STRAIGHT_LEG_RAISE_LEFT)
    assert a.rating == rating
    assert "Ayala 2013" in a.references[0].source


def test_hip_flexor_pass_and_fail() -> None:
    rep = report(result(N.HIP_FLEXOR_LENGTH_LEFT, 1.0), result(N.HIP_FLEXOR_LENGTH_RIGHT, 0.0))
    assert assessment(rep, N.HIP_FLEXOR_LENGTH_LEFT).rating == "pass"
    assert assessment(rep, N.HIP_FLEXOR_LENGTH_RIGHT).rating == "fail"


def test_latest_result_counts_and_previous_is_shown() -> None:
    rep = report(
        result(N.TRUNK_FLEXOR_HOLD, 60, D - timedelta(days=50)),
        result(N.TRUNK_FLEXOR_HOLD, 90, D),
    )
    a = assessment(rep, N.TRUNK_FLEXOR_HOLD)
    assert a.latest is not None and a.latest.value == 90
    assert a.previous is not None and a.previous.value == 60
    assert "Before: 60 s" in a.text


def test_retest_reminder_after_six_weeks() -> None:
    assert RETEST_AFTER_DAYS == 42
    done = result(N.TRUNK_EXTENSOR_HOLD, 100, D)
    not_yet = report(done, today=D + timedelta(days=41))
    assert not_yet.retest_due == () and not_yet.reminder is None
    due = report(done, today=D + timedelta(days=42))
    assert due.retest_due == (N.TRUNK_EXTENSOR_HOLD,)
    assert due.reminder is not None and "trunk-extensor-hold" in due.reminder
    assert assessment(due, N.TRUNK_EXTENSOR_HOLD).retest_due_on == D + timedelta(days=42)


def test_tests_not_done_yet_are_listed() -> None:
    rep = report()
    assert all(a.latest is None and a.text == "Not done yet." for a in rep.assessments)


# --- norms by age band, and whose norms they are (issue 13.3) ------------------------------------


def test_sit_and_reach_norms_of_18_to_25_year_olds_are_not_applied_at_58() -> None:
    rep = build_report(
        [result(N.SIT_AND_REACH, 30.0)], sex="female", today=D, birth_year=D.year - 58
    )
    a = assessment(rep, N.SIT_AND_REACH)
    assert a.rating is None
    assert "females aged 18-25 (YMCA" in a.text and "at 58 they do not apply" in a.text


def test_sit_and_reach_is_rated_inside_the_norms_age_band() -> None:
    rep = build_report(
        [result(N.SIT_AND_REACH, 30.0)], sex="female", today=D, birth_year=D.year - 22
    )
    a = assessment(rep, N.SIT_AND_REACH)
    assert a.rating == "poor" and "aged 18-25 (YMCA norms" in a.text


def test_without_a_birth_year_the_rating_says_whose_norms_and_asks_for_it() -> None:
    a = assessment(report(result(N.SIT_AND_REACH, 30.0), sex="female"), N.SIT_AND_REACH)
    assert a.rating == "poor" and "Set your birth year" in a.text


def test_ratio_texts_say_the_targets_come_from_young_adults() -> None:
    rep = report(result(N.TRUNK_FLEXOR_HOLD, 100.0), result(N.TRUNK_EXTENSOR_HOLD, 120.0))
    flex = next(r for r in rep.ratios if r.name == "flexion/extension")
    assert "young adults (McGill 1999)" in flex.text
