"""Distances on the Earth from positions (WGS84 mean radius, haversine)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from backstride.domain.activity import FloatArray

EARTH_RADIUS_M = 6_371_008.8  # IUGG mean radius


def compute_step_distances_m(lat_deg: FloatArray, lon_deg: FloatArray) -> FloatArray:
    """Great-circle distance between consecutive points (haversine), in metres.

    Returns an array one shorter than the input; steps touching a missing (NaN) position are 0.
    """
    import numpy as np

    if len(lat_deg) < 2:
        return np.zeros(0, dtype=np.float64)
    lat = np.radians(lat_deg)
    lon = np.radians(lon_deg)
    dlat = np.diff(lat)
    dlon = np.diff(lon)
    a = np.sin(dlat / 2.0) ** 2 + np.cos(lat[:-1]) * np.cos(lat[1:]) * np.sin(dlon / 2.0) ** 2
    d = 2.0 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return np.where(np.isfinite(d), d, 0.0)


def compute_cumulative_distance_m(lat_deg: FloatArray, lon_deg: FloatArray) -> FloatArray:
    """Cumulative great-circle distance along a track, starting at 0 m."""
    import numpy as np

    steps = compute_step_distances_m(lat_deg, lon_deg)
    out = np.zeros(len(lat_deg), dtype=np.float64)
    if len(steps):
        np.cumsum(steps, out=out[1:])
    return out
