"""The TCX encoder used to build benchmark archives: read back by ours and by lxml."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest
from lxml import etree

from backstride.adapters.files.tcx import parse_tcx
from backstride.adapters.files.tcx.writer import encode_tcx_activity
from backstride.domain.activity import Sport
from backstride.errors import InvalidInputError

T0 = datetime(2024, 6, 1, 6, 30, tzinfo=UTC).timestamp()


def _track(n: int = 300) -> dict[str, np.ndarray]:
    t = T0 + np.arange(n) * 2.0
    return {
        "epoch_s": t,
        "lat_deg": 47.0 + np.arange(n) * 2.5e-5,
        "lon_deg": np.full(n, 8.0),
        "altitude_m": 400 + 5 * np.sin(np.arange(n) / 30),
        "hr_bpm": np.full(n, 140.0),
        "cadence_rpm": np.full(n, 84.0),
    }


def test_tcx_round_trip_through_our_parser_and_lxml() -> None:
    data = encode_tcx_activity(sport="running", notes="easy & calm", **_track())
    (activity,) = parse_tcx(data)
    assert activity.sport is Sport.RUN
    assert len(activity.streams) == 300
    assert activity.start_at.timestamp() == T0
    assert activity.notes == "easy & calm"
    assert activity.streams.cadence_rpm is not None
    assert float(np.nanmedian(activity.streams.cadence_rpm)) == 84.0
    root = etree.fromstring(data)
    ns = {"t": "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"}
    assert len(root.findall(".//t:Trackpoint", ns)) == 300
    expected = 299 * 2.5e-5 * np.pi / 180 * 6_371_008.8
    assert activity.distance_m == pytest.approx(expected, rel=1e-3)


def test_tcx_writer_refuses_bad_input() -> None:
    with pytest.raises(InvalidInputError):
        encode_tcx_activity(sport="rowing", **_track())
    with pytest.raises(InvalidInputError):
        encode_tcx_activity(sport="running", epoch_s=[T0], lat_deg=[], lon_deg=[])
