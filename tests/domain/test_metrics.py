"""Per-activity metrics: hand-computed examples for each figure."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backstride.domain.activity import Sport, Streams, Surface
from backstride.domain.metrics import (
    GRADE_BAND_LABELS,
    HeartProfile,
    analyse_activity,
    compute_best_time_s,
    compute_cadence,
    compute_grade_distribution,
    compute_heart_rate_load,
    compute_longest_run_s,
    compute_moving_intervals,
    compute_recording_time_s,
    compute_sample_distance_m,
    compute_srpe_load,
    infer_surface,
    resolve_heart_rate_bounds,
    timer_running_s,
    trimp_constants,
)
from backstride.domain.params import ActivityParams
from backstride.errors import InvalidInputError
from tests.domain.tracks import make_activity, make_track

NO_SMOOTHING = ActivityParams(grade_smoothing_m=0.0)


def arr(*values: float) -> np.ndarray:
    return np.array(values, dtype=float)


# --- distance -------------------------------------------------------------------------------


def test_distance_prefers_the_device_stream_and_fills_gaps() -> None:
    streams = Streams(
        time_s=arr(0, 1, 2, 3, 4),
        distance_m=arr(np.nan, 3, np.nan, 9, 8.5),
        lat_deg=arr(0, 0, 0, 0, 1),
        lon_deg=arr(0, 0, 0, 0, 1),
    )
    d = compute_sample_distance_m(streams)
    assert d is not None
    assert d.tolist() == [3.0, 3.0, 3.0, 9.0, 9.0]


def test_distance_from_positions_is_haversine() -> None:
    # 0.001 degree of latitude on the IUGG mean sphere: 6,371,008.8 m x pi / 180,000.
    streams = Streams(
        time_s=arr(0, 1, 2), lat_deg=arr(50.0, np.nan, 50.001), lon_deg=arr(8.0, np.nan, 8.0)
    )
    d = compute_sample_distance_m(streams)
    assert d is not None
    expected = 6_371_008.8 * math.pi / 180_000
    assert d.tolist() == pytest.approx([0.0, 0.0, expected])


def test_distance_from_speed_when_nothing_else() -> None:
    streams = Streams(time_s=arr(0, 1, 2, 4), speed_m_s=arr(np.nan, 2, np.nan, 3))
    d = compute_sample_distance_m(streams)
    assert d is not None
    assert d.tolist() == [0.0, 2.0, 2.0, 8.0]


def test_distance_is_none_without_distance_data() -> None:
    assert compute_sample_distance_m(Streams(time_s=arr(0, 1), hr_bpm=arr(100, 110))) is None
    assert compute_sample_distance_m(Streams.empty()) is None


# --- moving time and pace -------------------------------------------------------------------


def test_moving_time_skips_pauses_by_speed() -> None:
    t = arr(0, 1, 2, 12, 13)
    d = arr(0, 3, 6, 6, 9)  # 3 m/s, then 10 s standing, then 3 m/s
    moving = compute_moving_intervals(t, d)
    assert moving.tolist() == [True, True, False, True]
    assert float(np.diff(t)[moving].sum()) == 3.0


def test_moving_time_counts_a_gap_the_runner_ran_through() -> None:
    t = arr(0, 1, 41, 42)
    d = arr(0, 3, 123, 126)  # 40 s without samples at 3 m/s: still moving
    assert compute_moving_intervals(t, d).tolist() == [True, True, True]


def test_moving_time_without_distance_uses_sample_gaps() -> None:
    t = arr(0, 1, 2, 100, 101)
    assert compute_moving_intervals(t, None).tolist() == [True, True, False, True]


# --- timer time -----------------------------------------------------------------------------


def test_recording_time_counts_standing_but_not_a_paused_recording() -> None:
    t = arr(0, 1, 2, 12, 13, 73, 74)
    d = arr(0, 3, 6, 6, 9, 9, 12)  # 10 s standing with samples; then a 60 s gap at rest
    moving = compute_moving_intervals(t, d)
    assert compute_recording_time_s(t, moving) == 1 + 1 + 10 + 1 + 1  # the gap is a pause


def test_recording_time_counts_a_gap_the_runner_ran_through() -> None:
    t = arr(0, 1, 61, 62)
    d = arr(0, 3, 183, 186)  # 60 s without samples at 3 m/s (GPS lost): the timer ran
    assert compute_recording_time_s(t, compute_moving_intervals(t, d)) == 62.0


def test_recording_time_of_fewer_than_two_samples_is_zero() -> None:
    assert compute_recording_time_s(arr(5), np.zeros(0, dtype=bool)) == 0.0


def _events(*pairs: tuple[float, str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    times = np.array([t for t, _ in pairs], dtype=float)
    kinds = [k for _, k in pairs]
    starts = np.array([k == "start" for k in kinds])
    stops = np.array([k == "stop" for k in kinds])
    return times, starts, stops


def test_timer_runs_between_start_and_stop_events() -> None:
    # start 0, auto-pause 100-130, manual stop at 300: 100 + 170 s
    events = _events((0, "start"), (100, "stop"), (130, "start"), (300, "stop"))
    assert timer_running_s(*events, 0.0, 300.0) == 270.0


def test_timer_events_are_clipped_to_the_activity() -> None:
    events = _events((0, "start"), (100, "stop"), (130, "start"), (300, "stop"))
    assert timer_running_s(*events, 50.0, 200.0) == 50.0 + 70.0  # one leg of a multisport file


def test_timer_repeated_events_and_open_ends() -> None:
    # a stop before any start: running since the window's start; a second start while running
    # changes nothing; no final stop: running to the window's end
    events = _events((10, "stop"), (20, "start"), (25, "start"), (40, "stop"), (50, "start"))
    assert timer_running_s(*events, 0.0, 60.0) == 10 + 20 + 10


def test_timer_without_events_or_outside_the_window_is_unknown() -> None:
    assert timer_running_s(*_events(), 0.0, 100.0) is None
    events = _events((0, "start"), (100, "stop"))
    assert timer_running_s(*events, 200.0, 300.0) is None


def test_analysis_timer_time_prefers_the_device_events() -> None:
    t = np.arange(0.0, 101.0)
    d = t * 3.0
    plain = make_activity(Streams(time_s=t, distance_m=d))
    assert analyse_activity(plain, profile=None).timer_time_s == 100.0
    with_events = plain.with_changes(device_timer_s=90.0)
    assert analyse_activity(with_events, profile=None).timer_time_s == 90.0


def test_best_time_finds_the_fast_kilometre() -> None:
    # 1000 m at 5 m/s (200 s) then 1000 m at 4 m/s (250 s), sampled every second.
    t = np.arange(451, dtype=float)
    d = np.where(t <= 200, 5 * t, 1000 + 4 * (t - 200))
    assert compute_best_time_s(t, d, window_m=1000.0) == pytest.approx(200.0)
    assert compute_best_time_s(t, d, window_m=5000.0) is None
    assert compute_best_time_s(t[:1], d[:1], window_m=1000.0) is None


def test_best_time_includes_a_pause_inside_the_window() -> None:
    # 600 m at 5 m/s, a 100 s stop, then 600 m at 5 m/s: any 1 km includes the stop.
    t = np.concatenate((np.arange(121.0), 220 + np.arange(121.0)))
    d = np.concatenate((5 * np.arange(121.0), 600 + 5 * np.arange(121.0)))
    assert compute_best_time_s(t, d, window_m=1000.0) == pytest.approx(300.0)


def test_analysis_pace_uses_moving_time() -> None:
    streams = make_track(speed_m_s=10 / 3, distance_m=5000.0)  # 3:00 per km, 1500 s
    result = analyse_activity(make_activity(streams), profile=None)
    assert result.distance_m == pytest.approx(5000.0)
    assert result.moving_time_s == pytest.approx(1500.0)
    assert result.avg_pace_s_per_km == pytest.approx(300.0)
    assert result.best_pace_s_per_km == pytest.approx(300.0)


def test_analysis_without_streams_uses_the_summary() -> None:
    a = make_activity(None, duration_s=1800.0, distance_m=5000.0, elevation_gain_m=40.0)
    result = analyse_activity(a, profile=None)
    assert result.distance_m == 5000.0
    assert result.moving_time_s == 1800.0
    assert result.avg_pace_s_per_km == pytest.approx(360.0)
    assert result.best_pace_s_per_km is None
    assert result.elevation_gain_m == 40.0
    assert result.elevation_loss_m is None
    assert result.grade is None
    assert result.heart is None
    assert result.cadence_spm is None


def test_analysis_prefers_the_activity_moving_time_without_streams() -> None:
    a = make_activity(None, duration_s=2000.0, moving_time_s=1700.0, distance_m=0.0)
    result = analyse_activity(a, profile=None)
    assert result.moving_time_s == 1700.0
    assert result.avg_pace_s_per_km is None


# --- elevation and grade --------------------------------------------------------------------


def staged_profile(distance: np.ndarray) -> np.ndarray:
    """Flat to 500 m, -6 % to 1000 m, flat to 1500 m, +2 % to 2000 m."""
    return np.select(
        [distance <= 500, distance <= 1000, distance <= 1500],
        [np.zeros_like(distance), -0.06 * (distance - 500), np.full_like(distance, -30.0)],
        -30.0 + 0.02 * (distance - 1500),
    )


def test_grade_distribution_hand_computed() -> None:
    streams = make_track(speed_m_s=2.5, distance_m=2000.0)
    assert streams.distance_m is not None
    alt = staged_profile(streams.distance_m)
    clock = streams.time_s.copy()
    g = compute_grade_distribution(streams.distance_m, alt, clock, params=NO_SMOOTHING)
    assert g is not None
    by = {b.label: b for b in g.bands}
    assert by["-8_-4"].distance_m == pytest.approx(500.0)
    assert by["flat"].distance_m == pytest.approx(1000.0)
    assert by["1_4"].distance_m == pytest.approx(500.0)
    assert by["lt_-8"].distance_m == 0.0
    assert by["-8_-4"].time_s == pytest.approx(200.0)  # 500 m at 2.5 m/s
    assert by["-8_-4"].lower_pct == -8.0 and by["-8_-4"].upper_pct == -4.0
    assert g.steep_descent_m == pytest.approx(500.0)
    assert g.steep_descent_share == pytest.approx(0.25)
    d = g.longest_descent
    assert d is not None
    assert (d.start_m, d.length_m) == pytest.approx((500.0, 500.0))
    assert d.drop_m == pytest.approx(30.0)
    assert d.mean_grade_pct == pytest.approx(-6.0)


def test_grade_band_edges_belong_to_the_flatter_band() -> None:
    # Eight 25 m segments whose rises (multiples of 0.25 m) make exact grades.
    params = ActivityParams(grade_step_m=25.0, grade_smoothing_m=0.0)
    dist = np.arange(0.0, 201.0, 25.0)
    grades = [-8, -4, -1, 1, 4, 8, 0, 0]
    alt = np.concatenate(([0.0], np.cumsum([g / 4 for g in grades])))
    g = compute_grade_distribution(dist, alt, dist.copy(), params=params)
    assert g is not None
    assert [b.distance_m for b in g.bands] == [0, 25, 25, 100, 25, 25, 0]


def test_grade_smoothing_keeps_a_long_uniform_slope() -> None:
    dist = np.arange(0.0, 3001.0, 1.0)
    alt = -0.05 * dist - 0.000001 * dist  # a steady -5.0001 % grade
    g = compute_grade_distribution(dist, alt, dist.copy())
    assert g is not None
    assert sum(b.distance_m for b in g.bands) == pytest.approx(3000.0)
    assert g.steep_descent_share == pytest.approx(1.0)
    assert g.longest_descent is not None
    assert g.longest_descent.length_m == pytest.approx(3000.0)


def test_grade_distribution_mirrors_when_reversed() -> None:
    dist = np.arange(0.0, 2001.0, 1.0)
    alt = staged_profile(dist) + 3 * np.sin(dist / 37.0)
    forward = compute_grade_distribution(dist, alt, dist.copy())
    backward = compute_grade_distribution(2000.0 - dist[::-1], alt[::-1], dist.copy())
    assert forward is not None and backward is not None
    assert [b.distance_m for b in backward.bands] == pytest.approx(
        [b.distance_m for b in reversed(forward.bands)]
    )


def test_grade_distribution_needs_distance_and_altitude() -> None:
    d = arr(0, 5)
    assert compute_grade_distribution(d, arr(1, 2), d.copy()) is None  # shorter than 10 m
    assert compute_grade_distribution(arr(0, 50), arr(np.nan, 2), arr(0, 1)) is None
    flat = compute_grade_distribution(arr(0, 50), arr(3, 3), arr(0, 20))
    assert flat is not None
    assert flat.longest_descent is None
    assert flat.steep_descent_share == 0.0


def test_analysis_elevation_none_for_treadmill_and_without_altitude() -> None:
    streams = make_track(distance_m=1000.0, altitude=np.linspace(0, 50, 401))
    treadmill = analyse_activity(make_activity(streams, sport=Sport.TREADMILL_RUN), profile=None)
    assert treadmill.elevation_gain_m is None
    assert treadmill.elevation_loss_m is None
    assert treadmill.grade is None
    assert treadmill.surface is Surface.TREADMILL
    no_alt = analyse_activity(make_activity(make_track(distance_m=1000.0)), profile=None)
    assert no_alt.elevation_gain_m is None
    assert no_alt.grade is None
    outdoor = analyse_activity(make_activity(streams), profile=None)
    assert outdoor.elevation_gain_m == pytest.approx(50.0 - 2 * 0.375 * 50 / 400)
    assert outdoor.elevation_loss_m == 0.0
    assert outdoor.grade is not None


# --- surface --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"sport": Sport.RUN, "user_surface": Surface.TRACK, "name": "Forest trail"}, "track"),
        ({"sport": Sport.TREADMILL_RUN, "name": "Trail"}, "treadmill"),
        ({"sport": Sport.TRAIL_RUN}, "trail"),
        ({"sport": Sport.RUN, "name": "Tuesday 400 m repeats"}, "track"),
        ({"sport": Sport.RUN, "name": "Evening run", "notes": "through the woods"}, "trail"),
        ({"sport": Sport.RUN, "tags": ("asphalt",)}, "road"),
        ({"sport": Sport.RUN, "name": "Road then forest loop"}, "mixed"),
        ({"sport": Sport.RUN, "name": "Mixed surfaces"}, "mixed"),
        ({"sport": Sport.RUN, "source_sport": "indoor_running"}, "treadmill"),
        ({"sport": Sport.HIKE, "name": "Sunday"}, "trail"),
        ({"sport": Sport.RUN, "name": "Morning Run"}, None),
        ({"sport": Sport.CYCLE}, None),
    ],
)
def test_infer_surface(kwargs: dict[str, object], expected: str | None) -> None:
    result = infer_surface(**kwargs)  # type: ignore[arg-type]
    assert (result.value if result else None) == expected


# --- cadence --------------------------------------------------------------------------------


def cadence_of(values: list[float]) -> tuple[float, bool] | None:
    c = np.array([0.0, *values])
    dt = np.ones(len(values))
    result = compute_cadence(c, dt, np.ones(len(values), dtype=bool))
    return (result.steps_per_min, result.was_doubled) if result else None


def test_cadence_doubles_strides() -> None:
    assert cadence_of([85.0, 85.0, 85.0]) == (170.0, True)


def test_cadence_keeps_data_already_in_steps() -> None:
    assert cadence_of([170.0, 172.0, 168.0]) == (170.0, False)


def test_cadence_run_walk_in_strides_is_doubled() -> None:
    # 60 % walking at 55 strides/min, 40 % running at 80: 2 x (0.6 x 55 + 0.4 x 80) = 130.
    result = cadence_of([55.0] * 6 + [80.0] * 4)
    assert result is not None
    assert result[0] == pytest.approx(130.0)
    assert result[1] is True


def test_cadence_run_walk_in_steps_is_not_doubled_again() -> None:
    # The median (110) would look like strides; the 90th percentile (160) shows steps.
    result = cadence_of([110.0] * 6 + [160.0] * 4)
    assert result is not None
    assert result[0] == pytest.approx(130.0)
    assert result[1] is False


def test_cadence_ignores_zero_and_uncounted_intervals() -> None:
    c = arr(0, 85, 0, 85, 40)
    counted = np.array([True, True, True, False])
    result = compute_cadence(c, np.ones(4), counted)
    assert result is not None
    assert result.steps_per_min == 170.0


def test_cadence_falls_back_to_the_device_average() -> None:
    r = compute_cadence(None, np.zeros(0), np.zeros(0, dtype=bool), device_average_rpm=82.0)
    assert r is not None and (r.steps_per_min, r.was_doubled) == (164.0, True)
    r = compute_cadence(None, np.zeros(0), np.zeros(0, dtype=bool), device_average_rpm=164.0)
    assert r is not None and (r.steps_per_min, r.was_doubled) == (164.0, False)
    assert compute_cadence(None, np.zeros(0), np.zeros(0, dtype=bool)) is None


def test_analysis_step_length_is_speed_over_step_rate() -> None:
    streams = make_track(speed_m_s=3.0, distance_m=1500.0)
    streams = make_track(speed_m_s=3.0, distance_m=1500.0, cadence_rpm=np.full(len(streams), 90.0))
    result = analyse_activity(make_activity(streams), profile=None)
    assert result.cadence_spm == pytest.approx(180.0)
    assert result.cadence_was_doubled is True
    assert result.step_length_m == pytest.approx(1.0)  # 3 m/s / 3 steps/s
    cycling = analyse_activity(make_activity(streams, sport=Sport.CYCLE), profile=None)
    assert cycling.cadence_spm is None
    assert cycling.step_length_m is None


# --- heart rate -----------------------------------------------------------------------------


def test_trimp_constants_by_sex() -> None:
    assert trimp_constants("male") == (0.64, 1.92)
    assert trimp_constants("female") == (0.86, 1.67)
    assert trimp_constants(None) == (0.725215, 1.795)


def test_heart_rate_bounds_fallbacks() -> None:
    b = resolve_heart_rate_bounds(None, year=2024)
    assert (b.rest_hr_bpm, b.max_hr_bpm, b.rest_source, b.max_source) == (
        60.0,
        200.0,
        "default",
        "default",
    )
    b = resolve_heart_rate_bounds(HeartProfile(birth_year=1974), year=2024)
    assert b.max_hr_bpm == pytest.approx(208 - 0.7 * 50) and b.max_source == "age"
    b = resolve_heart_rate_bounds(
        HeartProfile(resting_hr_bpm=48, max_hr_bpm=181, birth_year=1974), year=2024
    )
    assert (b.rest_hr_bpm, b.max_hr_bpm, b.rest_source, b.max_source) == (
        48,
        181,
        "profile",
        "profile",
    )


def test_heart_rate_bounds_keep_max_above_rest() -> None:
    b = resolve_heart_rate_bounds(HeartProfile(resting_hr_bpm=110, birth_year=1910), year=2024)
    assert b.max_hr_bpm == 130.0


@pytest.mark.parametrize(
    "profile",
    [
        {"resting_hr_bpm": 10.0},
        {"max_hr_bpm": 260.0},
        {"resting_hr_bpm": 100.0, "max_hr_bpm": 110.0},
    ],
)
def test_heart_profile_rejects_impossible_values(profile: dict[str, float]) -> None:
    with pytest.raises(InvalidInputError):
        HeartProfile(**profile)  # type: ignore[arg-type]


def test_banister_and_edwards_trimp_hand_computed() -> None:
    bounds = resolve_heart_rate_bounds(HeartProfile(resting_hr_bpm=60, max_hr_bpm=180), year=2024)
    # One hour at 150 bpm: x = 90/120 = 0.75; 60 x 0.75 x 0.64 x e^(1.92 x 0.75).
    load = compute_heart_rate_load(arr(150.0), arr(60.0), bounds=bounds, sex="male")
    assert load.trimp == pytest.approx(60 * 0.75 * 0.64 * math.exp(1.92 * 0.75))
    assert load.trimp == pytest.approx(121.56, abs=0.01)
    assert load.edwards_trimp == 240.0  # 83 % of HRmax: zone 4
    assert load.high_intensity_min == 0.0
    hard = compute_heart_rate_load(arr(170.0, 95.0), arr(20.0, 10.0), bounds=bounds, sex=None)
    # 170 bpm: x = 0.9167 (>= 0.8) and 94 % HRmax (x5); 95 bpm: 53 % HRmax (x1).
    assert hard.high_intensity_min == 20.0
    assert hard.edwards_trimp == 20 * 5 + 10 * 1
    assert hard.minutes == 30.0


def test_trimp_is_zero_below_resting_heart_rate() -> None:
    bounds = resolve_heart_rate_bounds(None, year=2024)
    load = compute_heart_rate_load(arr(50.0, 55.0), arr(10.0, 10.0), bounds=bounds, sex="female")
    assert load.trimp == 0.0
    assert load.edwards_trimp == 0.0


def test_analysis_trimp_per_sample_skips_recording_gaps() -> None:
    # 1 Hz at 150 bpm for 3600 s, then a 600 s gap (auto-pause) that must not count.
    t = np.concatenate((np.arange(3601.0), [4201.0]))
    streams = Streams(time_s=t, hr_bpm=np.full(t.size, 150.0))
    profile = HeartProfile(sex="male", resting_hr_bpm=60, max_hr_bpm=180)
    result = analyse_activity(make_activity(streams, sport=Sport.STRENGTH), profile=profile)
    assert result.heart is not None
    assert result.heart.minutes == pytest.approx(60.0)
    assert result.heart.trimp == pytest.approx(121.56, abs=0.01)
    assert result.heart.source == "stream"
    assert result.trimp == result.heart.trimp


def test_analysis_trimp_from_average_heart_rate() -> None:
    a = make_activity(None, duration_s=3600.0, avg_hr_bpm=150.0)
    profile = HeartProfile(sex="male", resting_hr_bpm=60, max_hr_bpm=180)
    result = analyse_activity(a, profile=profile)
    assert result.heart is not None
    assert result.heart.source == "average"
    assert result.heart.trimp == pytest.approx(121.56, abs=0.01)


def test_analysis_uses_age_from_the_activity_year() -> None:
    streams = Streams(time_s=np.arange(61.0), hr_bpm=np.full(61, 150.0))
    a = make_activity(streams, start_at=datetime(2020, 3, 1, tzinfo=UTC))
    result = analyse_activity(a, profile=HeartProfile(birth_year=1970))
    assert result.heart is not None
    assert result.heart.max_hr_bpm == pytest.approx(173.0)
    assert result.heart.max_hr_source == "age"


def test_srpe_load() -> None:
    assert compute_srpe_load(6.0, 45.0) == 270.0
    assert compute_srpe_load(None, 45.0) is None
    streams = make_track(speed_m_s=2.5, distance_m=4500.0)  # 1800 s moving
    result = analyse_activity(make_activity(streams, rpe=5.0), profile=None)
    assert result.srpe_load == pytest.approx(150.0)


# --- a property -----------------------------------------------------------------------------


@settings(max_examples=100)
@given(st.lists(st.floats(0.5, 6.0), min_size=2, max_size=200))
def test_moving_time_never_exceeds_elapsed(speeds: list[float]) -> None:
    t = np.arange(len(speeds) + 1, dtype=float)
    d = np.concatenate(([0.0], np.cumsum(speeds)))
    result = analyse_activity(make_activity(Streams(time_s=t, distance_m=d)), profile=None)
    assert result.moving_time_s is not None
    assert 0.0 <= result.moving_time_s <= t[-1]
    assert result.distance_m == pytest.approx(d[-1])


@settings(max_examples=100)
@given(st.lists(st.tuples(st.floats(0.5, 120.0), st.floats(0.0, 6.0)), min_size=1, max_size=200))
def test_moving_time_le_timer_time_le_elapsed(steps: list[tuple[float, float]]) -> None:
    dt = np.array([s[0] for s in steps])
    t = np.concatenate(([0.0], np.cumsum(dt)))
    d = np.concatenate(([0.0], np.cumsum(dt * np.array([s[1] for s in steps]))))
    result = analyse_activity(make_activity(Streams(time_s=t, distance_m=d)), profile=None)
    assert result.moving_time_s is not None and result.timer_time_s is not None
    assert 0.0 <= result.moving_time_s <= result.timer_time_s + 1e-9
    assert result.timer_time_s <= t[-1] + 1e-9


def test_grade_band_labels_follow_the_edges() -> None:
    dist = np.arange(0.0, 101.0, 10.0)
    g = compute_grade_distribution(dist, np.zeros(dist.size), dist.copy())
    assert g is not None
    assert tuple(b.label for b in g.bands) == GRADE_BAND_LABELS
    custom = ActivityParams(grade_band_edges_pct=(-10.0, -2.0, 2.0, 10.0), grade_smoothing_m=0.0)
    g = compute_grade_distribution(dist, np.zeros(dist.size), dist.copy(), params=custom)
    assert g is not None
    assert [b.label for b in g.bands] == ["lt_-10", "-10_-2", "flat", "2_10", "gt_10"]


# --- continuous running (where a plan starts, issue 13.2) ----------------------------------------


def _run_walk(run_s: int, walk_s: int, reps: int, *, warmup_s: int = 300) -> np.ndarray:
    """Speed every second: a warm-up walk, then ``reps`` x (run, walk)."""
    speed = [1.5] * warmup_s
    for _ in range(reps):
        speed += [2.6] * run_s + [1.5] * walk_s
    return np.array(speed, dtype=float)


def _distance(speed: np.ndarray) -> np.ndarray:
    return np.concatenate(([0.0], np.cumsum(speed[:-1])))


def test_the_longest_stretch_of_running_in_a_run_walk_session() -> None:
    v = _run_walk(300, 120, 3)
    t = np.arange(v.size, dtype=float)
    assert compute_longest_run_s(t, _distance(v), None) == pytest.approx(300.0, abs=5.0)
    cadence = np.where(v > 2.0, 164.0, 112.0)
    assert compute_longest_run_s(t, None, cadence) == pytest.approx(300.0, abs=5.0)


def test_a_short_stop_does_not_end_a_run_but_a_walk_break_does() -> None:
    v = _run_walk(1200, 0, 1)
    v[600:608] = 0.0  # 8 s at a crossing
    t = np.arange(v.size, dtype=float)
    assert compute_longest_run_s(t, _distance(v), None) == pytest.approx(1200.0, abs=5.0)
    v[600:660] = 1.4  # a minute of walking, 5 minutes into the run: 5 min, then 14 min
    assert compute_longest_run_s(t, _distance(v), None) == pytest.approx(840.0, abs=10.0)


def test_cadence_wins_over_speed_where_both_are_known() -> None:
    v = np.full(900, 1.9)  # a slow jog uphill: below the speed line
    t = np.arange(v.size, dtype=float)
    cadence = np.full(900, 160.0)
    assert compute_longest_run_s(t, _distance(v), cadence) == pytest.approx(899.0, abs=2.0)
    assert compute_longest_run_s(t, _distance(v), None) == 0.0


def test_no_speed_and_no_cadence_means_unknown() -> None:
    t = np.arange(100, dtype=float)
    assert compute_longest_run_s(t, None, None) is None
    assert compute_longest_run_s(np.array([0.0]), None, None) is None


def test_a_recording_gap_ends_a_stretch() -> None:
    t = np.concatenate((np.arange(600.0), np.arange(600.0) + 1200.0))
    v = np.full(t.size, 2.6)
    d = np.concatenate(([0.0], np.cumsum(v[:-1])))
    assert compute_longest_run_s(t, d, None) == pytest.approx(599.0, abs=2.0)


def test_the_analysis_of_a_run_has_its_longest_stretch() -> None:
    activity = make_activity(make_track(distance_m=3000.0, speed_m_s=2.8), sport=Sport.RUN)
    analysis = analyse_activity(activity, profile=None)
    assert analysis.longest_run_s is not None and analysis.longest_run_s > 900.0
