"""Training load over time: hand-computed examples and Hypothesis properties."""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backstride.domain.activity import Sport
from backstride.domain.load import (
    LOAD_RATIO_CAVEAT,
    SessionSummary,
    compute_days_since,
    compute_ewma,
    compute_load_report,
    compute_monotony,
    compute_range_max,
    compute_run_spikes,
    compute_spikes,
    is_hard_session,
    primary_load,
    rolling_sum,
    summarise_session,
)
from backstride.domain.metrics import HeartProfile, analyse_activity
from backstride.errors import InvalidInputError
from tests.domain.tracks import make_activity, make_track, session

DAY_S = 86_400.0
TODAY = date(2024, 3, 10)  # a Sunday: ISO week 2024-W10


def arr(*values: float) -> np.ndarray:
    return np.array(values, dtype=float)


# --- session load ---------------------------------------------------------------------------


def test_primary_load_prefers_srpe_then_trimp_then_duration() -> None:
    s = primary_load(srpe=300.0, trimp=90.0, minutes=60.0)
    assert (s.load, s.kind) == (300.0, "srpe")
    p = primary_load(srpe=None, trimp=90.0, minutes=60.0)
    assert (p.load, p.kind) == (90.0, "trimp")
    d = primary_load(srpe=None, trimp=None, minutes=60.0)
    # 60 min x 0.725215 x 0.5 x e^(1.795 x 0.5)
    assert d.kind == "duration"
    assert d.load == pytest.approx(60 * 0.725215 * 0.5 * math.exp(0.8975))
    assert d.load == pytest.approx(53.38, abs=0.01)
    assert primary_load(srpe=math.nan, trimp=None, minutes=0.0).kind == "duration"


def test_hard_session_by_rpe_or_high_intensity_minutes() -> None:
    assert is_hard_session(rpe=7.0, high_intensity_min=None)
    assert not is_hard_session(rpe=6.0, high_intensity_min=40.0)  # the runner's word wins
    assert is_hard_session(rpe=None, high_intensity_min=10.0)
    assert not is_hard_session(rpe=None, high_intensity_min=9.9)
    assert not is_hard_session(rpe=None, high_intensity_min=None)


def test_session_summary_rejects_bad_values() -> None:
    with pytest.raises(InvalidInputError):
        session(TODAY, load=-1.0)
    with pytest.raises(InvalidInputError):
        session(TODAY, duration_s=math.inf)
    with pytest.raises(InvalidInputError):
        session(TODAY, distance_m=-5.0)
    with pytest.raises(InvalidInputError):
        SessionSummary(
            activity_id=1,
            day=TODAY,
            start_at=datetime(2024, 3, 10, 7),
            sport=Sport.RUN,
            distance_m=None,
            duration_s=60.0,
            moving_time_s=None,
            load=1.0,
            load_kind="duration",
            hard=False,
        )


def test_summarise_session_from_an_analysed_activity() -> None:
    streams = make_track(speed_m_s=2.5, distance_m=4500.0)  # 1800 s
    activity = make_activity(streams, rpe=7.0, utc_offset_s=-8 * 3600)
    analysis = analyse_activity(activity, profile=HeartProfile())
    summary = summarise_session(activity, analysis, activity_id=42)
    assert summary.activity_id == 42
    assert summary.day == date(2024, 5, 3)  # 07:00 UTC is the evening before in UTC-8
    assert summary.load == pytest.approx(210.0)  # RPE 7 x 30 min
    assert summary.load_kind == "srpe"
    assert summary.hard
    assert summary.distance_m == pytest.approx(4500.0)
    assert summary.time_s == pytest.approx(1800.0)
    assert summary.end_at == activity.start_at + timedelta(seconds=1800)
    plain = make_activity(streams)
    no_rpe = summarise_session(plain, analyse_activity(plain, profile=None), activity_id=1)
    assert no_rpe.load_kind == "duration"
    assert not no_rpe.hard


# --- building blocks ------------------------------------------------------------------------


def test_ewma_hand_computed() -> None:
    assert compute_ewma(arr(10, 0, 0), alpha=0.25).tolist() == [10.0, 7.5, 5.625]
    assert compute_ewma(arr(10, 0), alpha=0.25, initial=0.0).tolist() == [2.5, 1.875]
    assert compute_ewma(arr(), alpha=0.25).size == 0


def test_rolling_sum_pads_with_zero_days() -> None:
    assert rolling_sum(arr(1, 2, 3, 4), 3).tolist() == [1.0, 3.0, 6.0, 9.0]


def test_monotony_hand_computed() -> None:
    # Alternate 70 and rest: mean 40, population SD sqrt(2800 - 1600) = 34.64.
    m = compute_monotony(arr(70, 0, 70, 0, 70, 0, 70), window=7)
    assert m.monotony[-1] == pytest.approx(40 / math.sqrt(1200))
    assert m.strain[-1] == pytest.approx(280 * 40 / math.sqrt(1200))


def test_monotony_undefined_without_load_or_variation() -> None:
    m = compute_monotony(np.full(10, 50.0), window=7)
    assert np.isnan(m.monotony[6:]).all()
    assert np.isnan(m.strain[6:]).all()
    assert not np.isnan(m.monotony[:6]).any()  # zero days before the index vary the window
    zero = compute_monotony(np.zeros(10), window=7)
    assert np.isnan(zero.monotony).all()


def test_days_since_hand_computed() -> None:
    mask = np.array([False, False, True, False, True, True, False])
    assert compute_days_since(mask).tolist() == [1, 2, 0, 1, 0, 0, 1]


def test_range_max_empty_and_powers_of_two() -> None:
    v = arr(5, 1, 7, 3, 2, 9, 4, 8)
    lo = np.array([0, 0, 2, 3, 5, 0], dtype=np.int64)
    hi = np.array([0, 8, 4, 7, 6, 4], dtype=np.int64)
    out = compute_range_max(v, lo, hi)
    assert out.tolist() == [-math.inf, 9.0, 7.0, 9.0, 9.0, 7.0]
    assert compute_range_max(arr(), np.zeros(1, np.int64), np.zeros(1, np.int64)).tolist() == [
        -math.inf
    ]


@settings(max_examples=200)
@given(
    st.lists(st.floats(0, 1e5), min_size=1, max_size=80),
    st.lists(st.tuples(st.integers(0, 80), st.integers(0, 80)), max_size=20),
)
def test_range_max_matches_brute_force(values: list[float], ranges: list[tuple[int, int]]) -> None:
    v = np.array(values)
    pairs = [(min(a, len(v)), min(b, len(v))) for a, b in ranges]
    lo = np.array([p[0] for p in pairs], dtype=np.int64)
    hi = np.array([p[1] for p in pairs], dtype=np.int64)
    out = compute_range_max(v, lo, hi)
    for k, (a, b) in enumerate(pairs):
        assert out[k] == (max(values[a:b]) if b > a else -math.inf)


# --- single-run spike (Frandsen 2025) -------------------------------------------------------


def test_spike_bands_hand_computed() -> None:
    starts = arr(0, 10, 20, 35, 70, 71) * DAY_S
    dist = arr(5000, 5500, 7000, 11000, 10000, 21000)
    s = compute_spikes(starts, dist, window_s=30 * DAY_S)
    assert s.bands == ("no_prior", "le_10", "10_30", "30_100", "no_prior", "gt_100")
    assert s.ratio[1] == pytest.approx(1.1)
    assert s.ratio[2] == pytest.approx(7000 / 5500)
    assert s.longest_prev_m[3] == 7000.0  # day 0 is outside [day 5, day 35)
    assert s.ratio[3] == pytest.approx(11000 / 7000)
    assert math.isnan(s.ratio[4]) and math.isnan(s.longest_prev_m[4])
    assert s.ratio[5] == pytest.approx(2.1)


def test_spike_window_is_closed_at_start_minus_30_days_and_open_at_start() -> None:
    on_edge = compute_spikes(arr(0, 30 * DAY_S), arr(5000, 6000), window_s=30 * DAY_S)
    assert on_edge.bands[1] == "10_30"
    past_edge = compute_spikes(arr(0, 30 * DAY_S + 60), arr(5000, 6000), window_s=30 * DAY_S)
    assert past_edge.bands[1] == "no_prior"
    same_start = compute_spikes(arr(100, 100), arr(5000, 9000), window_s=30 * DAY_S)
    assert same_start.bands == ("no_prior", "no_prior")


def test_spike_with_unknown_or_zero_distances() -> None:
    s = compute_spikes(arr(0, 1, 2, 3), arr(0, np.nan, 4000, np.nan), window_s=30 * DAY_S)
    # A 0 m run is no reference; an unknown distance gets no band and is no reference.
    assert s.bands == ("no_prior", "no_prior", "no_prior", None)
    assert s.longest_prev_m[3] == 4000.0


def test_spike_band_edges_are_inclusive_upwards() -> None:
    s = compute_spikes(arr(0, 1, 2, 3), arr(1000, 1100, 1430, 2860), window_s=30 * DAY_S)
    assert s.bands == ("no_prior", "le_10", "10_30", "30_100")


runs_strategy = st.lists(
    st.tuples(st.integers(0, 200 * 24), st.integers(1, 50_000)), min_size=1, max_size=60
)


@settings(max_examples=200)
@given(runs_strategy, st.integers(-6, 6))
def test_spike_unchanged_when_distances_are_scaled_by_powers_of_two(
    runs: list[tuple[int, int]], power: int
) -> None:
    runs = sorted(runs)
    starts = np.array([h * 3600.0 for h, _ in runs])
    dist = np.array([float(d) for _, d in runs])
    base = compute_spikes(starts, dist, window_s=30 * DAY_S)
    scaled = compute_spikes(starts, dist * 2.0**power, window_s=30 * DAY_S)
    assert scaled.bands == base.bands
    np.testing.assert_array_equal(scaled.ratio, base.ratio)


@settings(max_examples=200)
@given(runs_strategy, st.floats(0.001, 1000.0))
def test_spike_ratio_unchanged_when_distances_are_scaled(
    runs: list[tuple[int, int]], factor: float
) -> None:
    runs = sorted(runs)
    starts = np.array([h * 3600.0 for h, _ in runs])
    dist = np.array([float(d) for _, d in runs])
    base = compute_spikes(starts, dist, window_s=30 * DAY_S)
    scaled = compute_spikes(starts, dist * factor, window_s=30 * DAY_S)
    np.testing.assert_allclose(scaled.ratio, base.ratio, rtol=1e-12)


# --- EWMA property --------------------------------------------------------------------------


@settings(max_examples=300)
@given(st.lists(st.floats(0.0, 1e5), min_size=1, max_size=400), st.floats(0.001, 1.0))
def test_ewma_stays_between_min_and_max_load(loads: list[float], alpha: float) -> None:
    y = compute_ewma(np.array(loads), alpha=alpha)
    assert (y >= min(loads)).all()
    assert (y <= max(loads)).all()


# --- the report -----------------------------------------------------------------------------


def scenario() -> list[SessionSummary]:
    return [
        session(date(2024, 2, 26), activity_id=1, distance_m=5000, load=100),
        session(date(2024, 2, 27), activity_id=2, distance_m=5000, load=100, hard=True),
        session(date(2024, 2, 28), activity_id=3, sport=Sport.STRENGTH, distance_m=None, load=50),
        session(
            date(2024, 2, 29),
            activity_id=4,
            distance_m=6000,
            duration_s=2400,
            load=150,
            hard=True,
        ),
        session(
            date(2024, 3, 2),
            activity_id=5,
            sport=Sport.CYCLE,
            distance_m=30000,
            duration_s=3600,
            load=80,
        ),
        session(date(2024, 3, 5), activity_id=6, distance_m=8000, duration_s=3000, load=200),
        session(date(2024, 3, 11), activity_id=7, distance_m=30000, load=900),  # after today
    ]


def test_report_json_shape() -> None:
    data = compute_load_report(scenario(), today=TODAY, weeks=2).to_json()
    assert list(data) == ["weeks", "runs", "days"]
    assert set(data["runs"][0]) == {
        "activity_id",
        "date",
        "distance_m",
        "longest_prev_30d_m",
        "spike_ratio",
        "spike_band",
    }
    json.dumps(data, allow_nan=False)
    assert len(data["days"]) == 14
    assert data["days"][0]["date"] == "2024-02-26"
    assert data["days"][-1]["date"] == "2024-03-10"
    assert [w["week"] for w in data["weeks"]] == ["2024-W09", "2024-W10"]


def test_report_runs_and_spikes() -> None:
    report = compute_load_report(scenario(), today=TODAY, weeks=2)
    runs = [(r.activity_id, r.spike_band, r.longest_prev_30d_m) for r in report.runs]
    assert runs == [
        (1, "no_prior", None),
        (2, "le_10", 5000.0),
        (4, "10_30", 5000.0),
        (6, "30_100", 6000.0),
    ]
    assert report.runs[2].spike_ratio == pytest.approx(1.2)


def test_report_weekly_totals() -> None:
    report = compute_load_report(scenario(), today=TODAY, weeks=2)
    w9, w10 = report.weeks
    assert w9.start == date(2024, 2, 26)
    assert (w9.run_distance_m, w9.run_time_s) == (16000.0, 6000.0)
    assert w9.total_time_s == 11400.0
    assert w9.load == 480.0
    assert (w9.runs, w9.cross_training_sessions, w9.hard_sessions) == (3, 2, 2)
    assert (w9.other_cardio_time_s, w9.strength_mobility_time_s, w9.other_time_s) == (
        3600.0,
        1800.0,
        0.0,
    )
    assert w9.running_share == pytest.approx(6000 / 11400)
    assert w9.other_share == 0.0
    assert (w10.run_distance_m, w10.load, w10.runs, w10.cross_training_sessions) == (
        8000.0,
        200.0,
        1,
        0,
    )


def test_report_daily_series() -> None:
    days = {d.day: d for d in compute_load_report(scenario(), today=TODAY, weeks=2).days}
    first = days[date(2024, 2, 26)]
    assert (first.run_distance_m, first.run_time_s, first.load, first.runs) == (
        5000.0,
        1800.0,
        100.0,
        1,
    )
    assert [days[date(2024, 2, 26) + timedelta(n)].days_since_rest for n in range(7)] == [
        1,
        2,
        3,
        4,
        0,
        1,
        0,
    ]
    assert [days[date(2024, 2, 26) + timedelta(n)].consecutive_run_days for n in range(5)] == [
        1,
        2,
        0,
        1,
        0,
    ]
    assert days[date(2024, 2, 29)].hours_since_previous_hard == pytest.approx(47.5)
    assert days[date(2024, 2, 27)].hours_since_previous_hard is None
    assert days[date(2024, 2, 28)].hours_since_previous_hard is None
    # Monotony on day one: loads (0 x 6, 100): mean/SD = 1/sqrt(6).
    assert first.monotony == pytest.approx(1 / math.sqrt(6))
    assert first.strain == pytest.approx(100 / math.sqrt(6))
    # Fitness/fatigue from 0 (Coggan); form uses yesterday's values.
    assert first.fitness == pytest.approx(100 / 42)
    assert first.fatigue == pytest.approx(100 / 7)
    assert first.form == 0.0
    second = days[date(2024, 2, 27)]
    assert second.form == pytest.approx(100 / 42 - 100 / 7)
    # Too little history for the ratios; no earlier fortnight for the progression.
    last = days[TODAY]
    assert last.load_ratio is None and last.uncoupled_load_ratio is None
    assert last.progression is None and last.progression_band is None
    assert last.run_distance_14d_m == 24000.0
    assert last.run_distance_prev_14d_m == 0.0
    assert last.load == 0.0
    assert last.running_share_28d == pytest.approx(9000 / 14400)  # run / all time
    assert last.other_share_28d == 0.0


def test_report_progression_bands() -> None:
    start = date(2024, 1, 1)
    # 10 km in the first fortnight; 11, 13 and 13.1 km in the next.
    for second, band in ((11000, "10_30"), (13000, "10_30"), (13100, "gt_30"), (9000, "lt_10")):
        sessions = [
            session(start, activity_id=1, distance_m=10000),
            session(start + timedelta(days=14), activity_id=2, distance_m=second),
        ]
        day = start + timedelta(days=27)
        report = compute_load_report(sessions, today=day, weeks=1)
        last = report.days[-1]
        assert last.progression == pytest.approx(second / 10000 - 1)
        assert last.progression_band == band


def test_report_ratios_with_steady_load_are_one_and_monotony_undefined() -> None:
    first = TODAY - timedelta(days=59)
    sessions = [
        session(first + timedelta(days=i), activity_id=i, load=60.0, distance_m=6000)
        for i in range(60)
    ]
    report = compute_load_report(sessions, today=TODAY, weeks=8)
    days = {d.day: d for d in report.days}
    assert days[first + timedelta(days=26)].load_ratio is None
    assert days[first + timedelta(days=27)].load_ratio == 1.0
    assert days[TODAY].uncoupled_load_ratio == pytest.approx(1.0)
    assert days[TODAY].monotony is None
    assert days[TODAY].strain is None
    assert days[TODAY].days_since_rest == 60
    assert days[TODAY].consecutive_run_days == 60
    assert days[TODAY].progression == pytest.approx(0.0)
    assert days[TODAY].progression_band == "lt_10"
    json.dumps(report.to_json(), allow_nan=False)


def test_report_empty_history_is_all_undefined_but_valid_json() -> None:
    report = compute_load_report([], today=TODAY, weeks=3)
    assert len(report.weeks) == 3
    assert len(report.days) == 21  # today is a Sunday
    assert report.runs == ()
    day = report.days[-1]
    assert (day.monotony, day.load_ratio, day.running_share_28d) == (None, None, None)
    assert report.weeks[0].running_share is None
    json.dumps(report.to_json(), allow_nan=False)


def test_report_mobility_does_not_break_a_rest_day() -> None:
    sessions = [
        session(TODAY - timedelta(days=1), activity_id=1),
        session(TODAY, activity_id=2, sport=Sport.MOBILITY, distance_m=None, load=10),
    ]
    report = compute_load_report(sessions, today=TODAY, weeks=1)
    assert report.days[-1].days_since_rest == 0
    assert report.days[-1].strength_mobility_share_28d == pytest.approx(0.5)


def test_report_overlapping_hard_sessions_give_zero_hours() -> None:
    sessions = [
        session(TODAY, activity_id=1, hard=True, hour=7, duration_s=7200),
        session(TODAY, activity_id=2, hard=True, hour=8),
    ]
    report = compute_load_report(sessions, today=TODAY, weeks=1)
    assert report.days[-1].hours_since_previous_hard == 0.0
    assert report.days[-1].hard_sessions == 2


def test_report_needs_a_week() -> None:
    with pytest.raises(InvalidInputError):
        compute_load_report([], today=TODAY, weeks=0)


def test_load_ratio_caveat_cites_the_critiques() -> None:
    assert "Lolli 2019" in LOAD_RATIO_CAVEAT and "Impellizzeri 2020" in LOAD_RATIO_CAVEAT


sessions_strategy = st.lists(
    st.tuples(
        st.integers(0, 70),  # days before today
        st.sampled_from(list(Sport)),
        st.sampled_from([0.0, 50.0, 50.0, 120.0]) | st.floats(0.0, 1000.0),
        st.one_of(st.none(), st.floats(0.0, 50_000.0)),
        st.booleans(),
    ),
    max_size=60,
)


@settings(max_examples=150, deadline=None)
@given(sessions_strategy, st.integers(1, 12))
def test_report_json_never_contains_nan_or_inf(
    rows: list[tuple[int, Sport, float, float | None, bool]], weeks: int
) -> None:
    sessions = [
        SessionSummary(
            activity_id=i,
            day=TODAY - timedelta(days=back),
            start_at=datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=70 - back, hours=i % 24),
            sport=sport,
            distance_m=dist,
            duration_s=1800.0,
            moving_time_s=None,
            load=load,
            load_kind="trimp",
            hard=hard,
        )
        for i, (back, sport, load, dist, hard) in enumerate(rows)
    ]
    report = compute_load_report(sessions, today=TODAY, weeks=weeks)
    json.dumps(report.to_json(), allow_nan=False)
    daily_loads = {d.day: d.load for d in report.days}
    for d in report.days:
        window = [daily_loads.get(d.day - timedelta(days=k)) for k in range(7)]
        if all(v is not None for v in window) and len(set(window)) == 1:
            assert d.monotony is None and d.strain is None
        if d.load_ratio is not None:
            assert math.isfinite(d.load_ratio)


@settings(max_examples=150, deadline=None)
@given(sessions_strategy, st.integers(-5, 75))
def test_run_spikes_alone_equal_the_runs_of_a_report_over_the_whole_history(
    rows: list[tuple[int, Sport, float, float | None, bool]], cut: int
) -> None:
    """``compute_run_spikes`` is the reference report's ``runs`` without its series."""
    sessions = [
        SessionSummary(
            activity_id=i,
            day=TODAY - timedelta(days=back),
            start_at=datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=70 - back, hours=i % 3),
            sport=sport,
            distance_m=dist,
            duration_s=1800.0,
            moving_time_s=None,
            load=load,
            load_kind="trimp",
            hard=hard,
        )
        for i, (back, sport, load, dist, hard) in enumerate(rows)
    ]
    on = TODAY - timedelta(days=cut)
    whole = compute_load_report(sessions, today=on, weeks=13)  # the window covers every day
    assert compute_run_spikes(sessions, today=on) == whole.runs
