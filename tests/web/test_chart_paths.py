"""SVG path strings: the bulk-formatted builders against plain per-point formatting."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from backstride.web.charts import area_d, path_d


def reference_path_d(xs: list[float], ys: list[float]) -> str:
    parts: list[str] = []
    run: list[str] = []
    for x, y in zip(xs, ys, strict=True):
        if math.isfinite(x) and math.isfinite(y):
            run.append(f"{x:.1f} {y:.1f}")
        elif run:
            parts.append("M" + "L".join(run))
            run = []
    if run:
        parts.append("M" + "L".join(run))
    return "".join(parts)


def reference_area_d(xs: list[float], ys: list[float], base: float) -> str:
    parts: list[str] = []
    run: list[tuple[float, float]] = []

    def flush() -> None:
        if len(run) >= 2:
            pts = "".join(f"L{x:.1f} {y:.1f}" for x, y in run)
            parts.append(f"M{run[0][0]:.1f} {base:.1f}{pts}L{run[-1][0]:.1f} {base:.1f}Z")
        run.clear()

    for x, y in zip(xs, ys, strict=True):
        if math.isfinite(x) and math.isfinite(y):
            run.append((x, y))
        else:
            flush()
    flush()
    return "".join(parts)


coordinate = st.one_of(
    st.floats(-2000, 2000, allow_nan=False),
    st.just(math.nan),
    st.just(math.inf),
    st.sampled_from([0.05, 0.15, 0.25, -0.05, 2.675, 1e-9, -0.0]),  # rounding edges
)
points = st.lists(st.tuples(coordinate, coordinate), max_size=60)


@settings(max_examples=300)
@given(points, st.floats(0, 500))
def test_paths_equal_per_point_formatting(pts: list[tuple[float, float]], base: float) -> None:
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    ax, ay = np.array(xs, dtype=float), np.array(ys, dtype=float)
    assert path_d(ax, ay) == reference_path_d(xs, ys)
    assert area_d(ax, ay, base) == reference_area_d(xs, ys, base)


def test_path_breaks_at_missing_values() -> None:
    d = path_d(np.array([0.0, 1.0, 2.0, 3.0]), np.array([1.0, math.nan, 2.0, 3.0]))
    assert d == "M0.0 1.0M2.0 2.0L3.0 3.0"
    assert area_d(np.array([0.0, 1.0]), np.array([5.0, 6.0]), 10.0) == (
        "M0.0 10.0L0.0 5.0L1.0 6.0L1.0 10.0Z"
    )
