"""Our analysis of real FIT files against the totals their devices wrote (issue #3).

Distance within 1 %; timer time within 3 % (or 2 s: devices count whole seconds and the
first sample's second); elevation gain within 15 % or 10 m. The exceptions are listed here
and explained in docs/metrics.md ("Validation against device totals").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from backstride.adapters.files import read_activity
from backstride.domain.metrics import analyse_activity
from backstride.errors import BackstrideError
from tests.corpus import corpus_files

FIT_FILES = corpus_files((".fit", ".fit.gz"))

#: Files whose device distance covers more than the recorded samples (see docs/metrics.md).
DISTANCE_EXCEPTIONS = {"garmin-edge-820-bike.fit"}
#: Timer totals that differ for a documented reason (see docs/metrics.md).
TIMER_EXCEPTIONS = {
    "GarminSwimExample.fit",
    "14582164182.fit.gz",
    "inverted-times.fit",
}
#: Elevation totals that differ for a documented reason (see docs/metrics.md).
GAIN_EXCEPTIONS = {
    "MultiSport-2019-11-24.fit",
    "2015-10-13-08-43-15.fit",
    "activity-large-fenxi2-multisport.fit",
    "activity-small-fenix2-run.fit",
    "sample-activity.fit",
    "27-days-activity.fit",
    "0134902991.fit",
    "2019-02-17-062644-ELEMNT-297E-195-0.fit",
    "6914538454.fit",
}


def _activities(path: Path) -> list:  # type: ignore[type-arg]
    try:
        return read_activity(path)
    except BackstrideError:
        return []


@pytest.mark.parametrize("path", FIT_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_distance_timer_and_gain_match_the_device(path: Path, activities_dir: Path) -> None:
    checked = 0
    for activity in _activities(path):
        totals = activity.device_totals
        if totals is None:
            continue
        analysis = analyse_activity(activity, profile=None)
        if (
            totals.distance_m
            and totals.distance_m > 100
            and analysis.distance_m is not None
            and path.name not in DISTANCE_EXCEPTIONS
        ):
            assert analysis.distance_m == pytest.approx(totals.distance_m, rel=0.01)
            checked += 1
        if totals.timer_s and path.name not in TIMER_EXCEPTIONS:
            assert analysis.timer_time_s is not None
            tolerance = max(2.0, 0.03 * totals.timer_s)
            assert abs(analysis.timer_time_s - totals.timer_s) <= tolerance, (
                f"timer time {analysis.timer_time_s:.0f} s, device {totals.timer_s:.0f} s"
            )
            checked += 1
        if (
            totals.ascent_m is not None
            and analysis.elevation_gain_m is not None
            and path.name not in GAIN_EXCEPTIONS
        ):
            tolerance = max(10.0, 0.15 * totals.ascent_m)
            assert abs(analysis.elevation_gain_m - totals.ascent_m) <= tolerance
            checked += 1
    if path.name in DISTANCE_EXCEPTIONS | TIMER_EXCEPTIONS | GAIN_EXCEPTIONS:
        assert _activities(path), "an exception must still import"


def test_exceptions_are_documented() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "metrics.md").read_text("utf-8")
    for name in DISTANCE_EXCEPTIONS | TIMER_EXCEPTIONS | GAIN_EXCEPTIONS:
        assert name in doc, f"{name} is not explained in docs/metrics.md"
