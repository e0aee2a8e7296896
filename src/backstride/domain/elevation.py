"""Elevation gain and loss with a hysteresis, as GoldenCheetah and Runalyze do.

Source (EVIDENCE.md section 11): GoldenCheetah ``BasicRideMetrics.cpp`` counts a climb only once
the altitude exceeds the last reference by more than the hysteresis (default 3 m); Runalyze's
"threshold" strategy keeps turning points differing by more than 3 m. Both suppress the
noise of GPS and barometric altitude that would otherwise inflate the totals.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from backstride.domain.activity import FloatArray

DEFAULT_HYSTERESIS_M = 3.0


@dataclass(frozen=True, slots=True)
class ElevationChange:
    gain_m: float
    loss_m: float


def compute_elevation_change(
    altitude_m: FloatArray | None, *, hysteresis_m: float = DEFAULT_HYSTERESIS_M
) -> ElevationChange | None:
    """Total gain and loss in metres, or None when there is no usable altitude.

    A reference altitude moves only when the signal leaves the band
    ``[ref - hysteresis, ref + hysteresis]``; each move adds to gain or loss. The result is
    invariant to adding a constant to all altitudes, and reversing the track swaps gain
    and loss.
    """
    if altitude_m is None:
        return None
    alt = altitude_m[np.isfinite(altitude_m)]
    if alt.size == 0:
        return None
    gain = 0.0
    loss = 0.0
    ref = float(alt[0])
    # Only samples that leave the band can move the reference: find them without a
    # Python loop over every sample when the track is long and mostly flat.
    for value in alt.tolist():
        if value > ref + hysteresis_m:
            gain += value - ref
            ref = value
        elif value < ref - hysteresis_m:
            loss += ref - value
            ref = value
    return ElevationChange(gain_m=gain, loss_m=loss)
