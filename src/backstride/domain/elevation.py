"""Elevation gain and loss: light smoothing, then a 3 m hysteresis zig-zag.

Sources (docs/evidence.md): GoldenCheetah ``BasicRideMetrics.cpp`` counts a climb only
once the altitude leaves the last reference by more than a hysteresis (default 3 m); Runalyze's
"threshold" strategy keeps the first point, the turning points that differ from the last kept
point by more than 3 m, and the last point. Both suppress the noise of GPS and barometric
altitude that would otherwise inflate the totals.

backstride's algorithm, in two steps:

1. **Smoothing**: a 1-4-6-4-1 binomial filter over samples (about a Gaussian with a standard
   deviation of one sample), with the end values repeated at both edges. It removes single-sample
   spikes without flattening real hills.
2. **Zig-zag with hysteresis** ``h``: walk the smoothed profile and confirm a peak (a valley) once
   the altitude has fallen (risen) by more than ``h`` from it (strictly more, as both tools do).
   Before the first confirmation, the direction is unknown and only the range seen so far is
   tracked; once the range exceeds ``h`` the extreme opposite to the current sample becomes
   the first turning point. The polyline
   *first sample, turning points, last tentative extreme, last sample* is summed: rises are the
   gain, falls are the loss.

Properties (tested with Hypothesis):

- gain and loss are never negative; ``gain - loss`` is the net change, last minus first sample;
- adding a constant altitude changes nothing (exactly, when the arithmetic is exact);
- the gain of the reversed track is exactly the loss: the filter is symmetric (it adds mirrored
  pairs first, and float addition is commutative), the zig-zag treats both ends alike (a partial
  first leg and a partial last leg, both no longer than ``h``, are both kept), and the sums are
  exactly rounded (``math.fsum``), so their order does not matter.

Speed: the smoothing and the reduction to local extremes are vectorised; the zig-zag then walks
only the local extremes, not every sample of a long, steady climb or a flat stretch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from backstride.domain.activity import FloatArray

DEFAULT_HYSTERESIS_M = 3.0


@dataclass(frozen=True, slots=True)
class ElevationChange:
    """Total climb and descent of a track, in metres (both >= 0)."""

    gain_m: float
    loss_m: float


def smooth_altitude(altitude_m: FloatArray) -> FloatArray:
    """The 1-4-6-4-1 binomial filter (weights / 16), edge values repeated.

    Mirrored neighbours are added first, so reversing the input reverses the output exactly.
    Arrays shorter than 3 samples are returned as a copy.
    """
    import numpy as np

    a = np.asarray(altitude_m, dtype=np.float64)
    if a.size < 3:
        return a.copy()
    p = np.pad(a, 2, mode="edge")
    near = p[1:-3] + p[3:-1]
    far = p[:-4] + p[4:]
    out: FloatArray = (6.0 * p[2:-2] + 4.0 * near + far) / 16.0
    return out


def _local_extremes(values: FloatArray) -> list[float]:
    """The first value, every strict local extreme (plateaus collapsed) and the last value."""
    import numpy as np

    n = values.size
    keep = np.ones(n, dtype=np.bool_)
    keep[1:] = values[1:] != values[:-1]
    w = values[keep]
    if w.size <= 2:
        result: list[float] = w.tolist()
        if n >= 2 and w.size == 1:
            result.append(result[0])
        return result
    rising = np.diff(w) > 0.0
    turns = np.flatnonzero(rising[1:] != rising[:-1]) + 1
    return [float(w[0]), *w[turns].tolist(), float(w[-1])]


def compute_zigzag(values: FloatArray, *, threshold: float) -> list[float]:
    """Altitudes of the hysteresis zig-zag: first sample, turning points, last sample.

    ``values`` must be finite. A turning point is confirmed once the signal has moved more than
    ``threshold`` away from it in the opposite direction. Consecutive vertices may repeat a value
    (a zero-length leg), which does not change any sum.
    """
    if values.size == 0:
        return []
    xs = _local_extremes(values)
    first = xs[0]
    vertices = [first]
    low = high = first
    direction = 0
    tentative = first
    i = 1
    n = len(xs)
    # Direction unknown: track the range until it exceeds the threshold.
    while i < n:
        x = xs[i]
        i += 1
        if x > high:
            high = x
        elif x < low:
            low = x
        if high - low > threshold:
            if x == high:
                direction = 1
                vertices.append(low)
            else:
                direction = -1
                vertices.append(high)
            tentative = x
            break
    if direction == 0:
        vertices.append(xs[-1])
        return vertices
    # Direction known: extend the tentative extreme, confirm it on a reversal > threshold.
    while i < n:
        x = xs[i]
        i += 1
        if direction > 0:
            if x > tentative:
                tentative = x
            elif tentative - x > threshold:
                vertices.append(tentative)
                tentative = x
                direction = -1
        elif x < tentative:
            tentative = x
        elif x - tentative > threshold:
            vertices.append(tentative)
            tentative = x
            direction = 1
    vertices.append(tentative)
    vertices.append(xs[-1])
    return vertices


def compute_elevation_change(
    altitude_m: FloatArray | None,
    *,
    hysteresis_m: float = DEFAULT_HYSTERESIS_M,
    smooth: bool = True,
) -> ElevationChange | None:
    """Total gain and loss in metres, or None when there is no usable altitude.

    Missing (NaN) samples are skipped. With ``smooth`` the binomial filter runs first (see the
    module docstring); then the hysteresis zig-zag decides what counts. Callers decide about
    treadmills (no real altitude): :func:`backstride.domain.metrics.analyse_activity` returns
    None for them.
    """
    import numpy as np

    if altitude_m is None:
        return None
    alt = np.asarray(altitude_m, dtype=np.float64)
    alt = alt[np.isfinite(alt)]
    if alt.size == 0:
        return None
    if smooth:
        alt = smooth_altitude(alt)
    vertices = np.asarray(compute_zigzag(alt, threshold=hysteresis_m), dtype=np.float64)
    steps = np.diff(vertices)
    gain = math.fsum(steps[steps > 0.0].tolist())
    loss = math.fsum((-steps[steps < 0.0]).tolist())
    return ElevationChange(gain_m=gain, loss_m=loss)
