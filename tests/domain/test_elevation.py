"""Elevation gain and loss: hand-computed cases and Hypothesis properties."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backstride.domain.elevation import (
    compute_elevation_change,
    compute_zigzag,
    smooth_altitude,
)


def change(values: list[float], *, smooth: bool = False, h: float = 3.0) -> tuple[float, float]:
    result = compute_elevation_change(np.array(values, dtype=float), hysteresis_m=h, smooth=smooth)
    assert result is not None
    return result.gain_m, result.loss_m


def test_elevation_is_none_without_altitude() -> None:
    assert compute_elevation_change(None) is None
    assert compute_elevation_change(np.array([np.nan, np.nan])) is None
    assert compute_elevation_change(np.array([], dtype=float)) is None


def test_elevation_single_sample_is_zero() -> None:
    assert change([120.0]) == (0.0, 0.0)


def test_elevation_counts_a_hill_up_and_down() -> None:
    assert change([0.0, 5.0, 10.0, 5.0, 0.0]) == (10.0, 10.0)


def test_elevation_ignores_wiggles_below_the_hysteresis() -> None:
    assert change([100.0, 102.0, 100.0, 102.5, 100.0, 101.0, 100.0]) == (0.0, 0.0)


def test_elevation_keeps_partial_legs_at_both_ends() -> None:
    # Runalyze keeps the first and the last point: the final 2 m drop counts.
    assert change([0.0, 10.0, 8.0]) == (10.0, 2.0)
    assert change([8.0, 10.0, 0.0]) == (2.0, 10.0)


def test_elevation_reversal_where_the_placeholder_failed() -> None:
    # A reference-following hysteresis gives gain 4 forward but loss 5 backward.
    assert change([0.0, 4.0, 2.0, 5.0]) == (5.0, 0.0)
    assert change([5.0, 2.0, 4.0, 0.0]) == (0.0, 5.0)


def test_elevation_skips_missing_samples() -> None:
    assert change([0.0, math.nan, 10.0, math.nan, 0.0]) == (10.0, 10.0)


def test_smoothing_keeps_a_ramp_but_trims_its_ends() -> None:
    ramp = np.arange(101, dtype=float)
    smoothed = smooth_altitude(ramp)
    np.testing.assert_allclose(smoothed[2:-2], ramp[2:-2])
    # With the end values repeated: (6*0 + 4*(0+1) + (0+2)) / 16 = 0.375 at each end.
    assert smoothed[0] == pytest.approx(0.375)
    gain, loss = change(ramp.tolist(), smooth=True)
    assert gain == pytest.approx(100.0 - 2 * 0.375)
    assert loss == 0.0


def test_smoothing_removes_a_single_spike() -> None:
    spike = [100.0] * 10 + [106.0] + [100.0] * 10
    assert change(spike, smooth=False) == (6.0, 6.0)
    # The spike is spread to 6 * 6/16 = 2.25 m, under the 3 m hysteresis.
    assert change(spike, smooth=True) == (0.0, 0.0)


def test_smoothing_short_arrays_are_copied() -> None:
    a = np.array([1.0, 2.0])
    out = smooth_altitude(a)
    assert out.tolist() == [1.0, 2.0]
    assert out is not a


def test_zigzag_vertices() -> None:
    zz = compute_zigzag(np.array([0.0, 1.0, 5.0, 4.0, 9.0, 2.0, 2.0, 3.0]), threshold=3.0)
    # Peak 9 confirmed by the fall to 2; the final rise of 1 m is a partial leg.
    steps = np.diff(zz)
    assert math.fsum(steps[steps > 0]) == 10.0
    assert math.fsum(-steps[steps < 0]) == 7.0
    assert compute_zigzag(np.array([], dtype=float), threshold=3.0) == []
    assert compute_zigzag(np.array([4.0, 4.0, 4.0]), threshold=3.0) == [4.0, 4.0]


def test_elevation_zero_hysteresis_sums_every_step() -> None:
    assert change([0.0, 1.0, 0.5, 2.0], h=0.0) == (2.5, 0.5)


def test_elevation_ten_thousand_samples_is_fast() -> None:
    rng = np.random.default_rng(5)
    alt = 100 + np.cumsum(rng.normal(0, 0.3, 10_000)) + rng.normal(0, 1.5, 10_000)
    result = compute_elevation_change(alt)
    assert result is not None
    assert result.gain_m - result.loss_m == pytest.approx(
        float(smooth_altitude(alt)[-1] - smooth_altitude(alt)[0])
    )


# --- properties -----------------------------------------------------------------------------

# Multiples of 1/8 m: adding a constant, the 1/16 filter and the sums are all exact.
exact_alt = st.integers(-40_000, 40_000).map(lambda k: k / 8.0)
any_alt = st.floats(-500.0, 9000.0) | st.just(math.nan)
hysteresis = st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.0, 3.0, 5.0])


@settings(max_examples=300)
@given(st.lists(any_alt, max_size=300), hysteresis, st.booleans())
def test_elevation_gain_and_loss_never_negative(
    values: list[float], h: float, smooth: bool
) -> None:
    result = compute_elevation_change(np.array(values, dtype=float), hysteresis_m=h, smooth=smooth)
    if result is not None:
        assert result.gain_m >= 0.0
        assert result.loss_m >= 0.0


@settings(max_examples=300)
@given(st.lists(exact_alt, min_size=1, max_size=300), exact_alt, hysteresis, st.booleans())
def test_elevation_unchanged_by_adding_a_constant(
    values: list[float], offset: float, h: float, smooth: bool
) -> None:
    base = change(values, smooth=smooth, h=h)
    shifted = change([v + offset for v in values], smooth=smooth, h=h)
    assert shifted == base


@settings(max_examples=500)
@given(st.lists(any_alt, max_size=300), hysteresis, st.booleans())
def test_elevation_gain_of_reversed_track_equals_loss(
    values: list[float], h: float, smooth: bool
) -> None:
    arr = np.array(values, dtype=float)
    forward = compute_elevation_change(arr, hysteresis_m=h, smooth=smooth)
    backward = compute_elevation_change(arr[::-1].copy(), hysteresis_m=h, smooth=smooth)
    if forward is None:
        assert backward is None
        return
    assert backward is not None
    assert backward.gain_m == forward.loss_m
    assert backward.loss_m == forward.gain_m


@settings(max_examples=300)
@given(st.lists(exact_alt, min_size=1, max_size=300), hysteresis)
def test_elevation_net_change_is_last_minus_first(values: list[float], h: float) -> None:
    gain, loss = change(values, h=h)
    assert gain - loss == values[-1] - values[0]


@settings(max_examples=200)
@given(st.lists(exact_alt, min_size=1, max_size=200))
def test_elevation_hysteresis_never_adds_climb(values: list[float]) -> None:
    gain_raw, _ = change(values, h=0.0)
    gain_h, _ = change(values, h=3.0)
    assert gain_h <= gain_raw
