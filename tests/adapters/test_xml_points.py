"""What GPX and TCX share: warnings for dropped points, and the times they write."""

from __future__ import annotations

import numpy as np

from backstride.adapters.files.xml.points import dropped_point_warnings, parse_times
from backstride.adapters.files.xml.writing import iso_seconds


def test_dropped_point_warnings_count_each_kind_of_loss() -> None:
    parsed = parse_times([None, "not a time", "2024-05-01T06:00:00", "2024-05-01T06:00:01Z", None])
    n_timed = int((~np.isnan(parsed.epoch_s)).sum())
    warnings = dropped_point_warnings(
        parsed, n_timed=n_timed, unreadable_values=3, point="trackpoints", spec="TCX"
    )
    assert warnings == [
        "2 trackpoints without a time dropped",
        "1 trackpoints with an unreadable time dropped",
        "times have no time zone; taken as UTC as TCX specifies",
        "3 unreadable numbers ignored",
    ]


def test_dropped_point_warnings_say_nothing_for_a_clean_track() -> None:
    parsed = parse_times(["2024-05-01T06:00:00Z", "2024-05-01T06:00:01+02:00"])
    assert (
        dropped_point_warnings(
            parsed, n_timed=2, unreadable_values=0, point="track points", spec="GPX"
        )
        == []
    )


def test_iso_seconds_round_to_whole_utc_seconds() -> None:
    assert iso_seconds(np.array([0.0, 1714543200.6])) == [
        "1970-01-01T00:00:00Z",
        "2024-05-01T06:00:01Z",
    ]
