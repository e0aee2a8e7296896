"""GPX reader: every corpus file against gpxpy, plus small synthetic cases for each rule."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from xml.etree.ElementTree import Element

import gpxpy
import gpxpy.geo
import gpxpy.gpx
import numpy as np
import pytest

from backstride.adapters.files.gpx import parse_gpx
from backstride.domain.activity import Activity, Sport
from backstride.domain.geo import compute_step_distances_m
from backstride.domain.samples import EARLIEST_EPOCH_S, RANGES
from backstride.errors import CorruptFileError, NotAnActivityError
from tests.corpus import corpus_files

GPX_FILES = corpus_files((".gpx",))


def _ids(paths: list[Path]) -> list[str]:
    return [f"{p.parent.name}/{p.name}" for p in paths]


# --- gpxpy as the reference -------------------------------------------------------------


@dataclass(frozen=True)
class _RefTrack:
    """One gpxpy track, reduced to the points backstride keeps (those with a time)."""

    segments: list[list[gpxpy.gpx.GPXTrackPoint]]

    @property
    def points(self) -> list[gpxpy.gpx.GPXTrackPoint]:
        return [p for seg in self.segments for p in seg]

    def epoch_s(self) -> list[float]:
        return [_utc(p.time).timestamp() for p in self.points if p.time is not None]

    def distance_2d_m(self) -> float:
        """gpxpy's ``length_2d`` over the timed points, plus the joins between segments.

        backstride concatenates a track's segments (a segment break is a pause), so the
        straight line from one segment's last point to the next one's first counts, and
        points without a time are dropped. For a one-segment, fully timed track this is
        exactly ``track.length_2d()``.
        """
        total = sum(gpxpy.geo.length_2d(seg) for seg in self.segments)
        nonempty = [seg for seg in self.segments if seg]
        for before, after in zip(nonempty, nonempty[1:], strict=False):
            a, b = before[-1], after[0]
            total += gpxpy.geo.distance(
                a.latitude, a.longitude, None, b.latitude, b.longitude, None
            )
        return total


def _utc(dt: datetime | None) -> datetime:
    assert dt is not None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def _reference_tracks(path: Path) -> list[_RefTrack]:
    gpx = gpxpy.parse(path.read_bytes().decode("utf-8-sig"))
    tracks = []
    for track in gpx.tracks:
        segments = [[p for p in seg.points if p.time is not None] for seg in track.segments]
        tracks.append(_RefTrack(segments))
    return tracks


def _hr_and_cadence(point: gpxpy.gpx.GPXTrackPoint) -> tuple[float, float]:
    """The first ``hr``/``heartrate`` and ``cad``/``cadence`` in gpxpy's raw extensions."""
    hr = cad = math.nan
    for ext in point.extensions:
        el: Element
        for el in ext.iter():
            name = el.tag.rpartition("}")[2]
            text = (el.text or "").strip()
            if not text:
                continue
            if name in ("hr", "heartrate") and math.isnan(hr):
                hr = float(text)
            elif name in ("cad", "cadence") and math.isnan(cad):
                cad = float(text)
    return hr, cad


def _clean_like_backstride(values: list[float], stream: str) -> np.ndarray:
    arr = np.asarray(values, dtype=np.float64)
    lo, hi = RANGES[stream]
    arr[(arr < lo) | (arr > hi)] = np.nan
    return arr


@pytest.mark.parametrize("path", GPX_FILES, ids=_ids(GPX_FILES))
def test_parse_gpx_matches_gpxpy_on_corpus(path: Path, activities_dir: Path) -> None:
    del activities_dir  # present: the corpus is there (else skipped, or failed in CI)
    reference = [t for t in _reference_tracks(path) if len(t.points) >= 2]
    sane = [t for t in reference if min(t.epoch_s()) >= EARLIEST_EPOCH_S]
    if not reference:
        with pytest.raises(NotAnActivityError):
            parse_gpx(path.read_bytes())
        return
    if not sane:  # e.g. gpxpy/Mojstrovka.gpx: every time is in 1901
        with pytest.raises(CorruptFileError, match="sane date"):
            parse_gpx(path.read_bytes())
        return
    activities = parse_gpx(path.read_bytes())
    assert len(activities) == len(sane)
    for activity, ref in zip(activities, sane, strict=True):
        _compare(activity, ref)


def _compare(activity: Activity, ref: _RefTrack) -> None:
    epoch = ref.epoch_s()
    assert activity.source_format == "gpx"
    assert len(activity.streams) == len(epoch)
    assert activity.start_at.timestamp() == pytest.approx(epoch[0], abs=1e-3)
    assert activity.duration_s == pytest.approx(epoch[-1] - epoch[0], abs=1e-3)
    expected_m = ref.distance_2d_m()
    assert activity.distance_m is not None
    if expected_m > 0:
        # gpxpy's flat-earth step uses a 6378.137 km radius, backstride's haversine the
        # 6371.0088 km mean radius: 0.11 % apart, inside the 0.5 % allowed.
        assert activity.distance_m == pytest.approx(expected_m, rel=0.005)
    else:
        assert activity.distance_m == pytest.approx(0.0, abs=1.0)
    points = ref.points
    hr_cad = [_hr_and_cadence(p) for p in points]
    hr = _clean_like_backstride([h for h, _ in hr_cad], "hr_bpm")
    cad = _clean_like_backstride([c for _, c in hr_cad], "cadence_rpm")
    for ours, expected in ((activity.streams.hr_bpm, hr), (activity.streams.cadence_rpm, cad)):
        if np.isfinite(expected).any():
            assert ours is not None
            np.testing.assert_array_equal(ours, expected)
        else:
            assert ours is None
    ele = [p.elevation if p.elevation is not None else math.nan for p in points]
    if np.isfinite(ele).any():
        assert activity.streams.altitude_m is not None
        np.testing.assert_allclose(
            activity.streams.altitude_m, _clean_like_backstride(ele, "altitude_m")
        )


def _corpus(activities_dir: Path, relative: str) -> bytes:
    path = activities_dir / relative
    if not path.is_file():
        pytest.skip(f"{relative} not in the corpus")
    return path.read_bytes()


def test_parse_gpx_reads_sport_and_garmin_extensions(activities_dir: Path) -> None:
    (run,) = parse_gpx(_corpus(activities_dir, "sports-lib/2067489619.gpx"))
    assert run.sport is Sport.RUN
    assert run.source_sport == "running"
    assert run.name == "Corenc Running"
    assert run.device == "Garmin Connect"
    assert len(run.streams) == 502
    assert run.streams.hr_bpm is not None and run.streams.hr_bpm[0] == 127.0
    assert run.start_at == datetime(2017, 10, 8, 14, 54, 11, tzinfo=UTC)


def test_parse_gpx_maps_strava_numeric_type(activities_dir: Path) -> None:
    (swim,) = parse_gpx(_corpus(activities_dir, "sports-lib/4623204522-1.gpx"))
    assert swim.sport is Sport.SWIM
    assert swim.source_sport == "16"


def test_parse_gpx_reads_power_and_v2_speed(activities_dir: Path) -> None:
    (ride,) = parse_gpx(_corpus(activities_dir, "GoldenCheetah/UrbanBiker2019-04-18_16-12.gpx"))
    assert ride.streams.power_w is not None
    assert ride.streams.speed_m_s is not None
    first_power = int(np.flatnonzero(np.isfinite(ride.streams.power_w))[0])
    assert ride.streams.power_w[first_power] == 92.0
    assert int(np.isfinite(ride.streams.speed_m_s).sum()) == 2843
    # Some points carry an empty <PowerInWatts></PowerInWatts>: missing, not zero.
    assert 0 < int(np.isnan(ride.streams.power_w).sum()) < 100


def test_parse_gpx_skips_untimed_tracks_and_keeps_the_others(activities_dir: Path) -> None:
    activities = parse_gpx(_corpus(activities_dir, "gpxpy/korita-zbevnica.gpx"))
    assert [a.name for a in activities] == ["ACTIVE LOG", "ACTIVE LOG #2"]
    assert any("skipped" in w for w in activities[0].warnings)


@pytest.mark.parametrize(
    ("relative", "reason"),
    [
        ("gpxpy/route.gpx", "planned route"),
        ("GoldenCheetah/MetadataOnly.gpx", "no track points"),
        ("gpxpy/gpx_with_garmin_extension.gpx", "only waypoints"),
        ("gpxpy/unicode_with_bom.gpx", "only waypoints"),
    ],
)
def test_parse_gpx_rejects_non_activity_corpus_files(
    activities_dir: Path, relative: str, reason: str
) -> None:
    with pytest.raises(NotAnActivityError, match=reason):
        parse_gpx(_corpus(activities_dir, relative))


# --- small synthetic files ---------------------------------------------------------------

GPX11 = "http://www.topografix.com/GPX/1/1"
GPX10 = "http://www.topografix.com/GPX/1/0"
TPX1 = "http://www.garmin.com/xmlschemas/TrackPointExtension/v1"


def _gpx(body: str, *, ns: str | None = GPX11, creator: str = "test watch") -> bytes:
    xmlns = f' xmlns="{ns}"' if ns else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="{creator}"{xmlns}'
        f' xmlns:gpxtpx="{TPX1}">\n{body}\n</gpx>\n'
    ).encode()


def _pt(lat: float, lon: float, time: str | None, extra: str = "") -> str:
    t = f"<time>{time}</time>" if time else ""
    return f'<trkpt lat="{lat}" lon="{lon}">{t}{extra}</trkpt>'


def _trk(*segments: list[str], head: str = "") -> str:
    segs = "".join(f"<trkseg>{''.join(points)}</trkseg>" for points in segments)
    return f"<trk>{head}{segs}</trk>"


def test_parse_gpx_reads_gpx_1_0_speed_and_no_namespace() -> None:
    points = [
        _pt(52.0, 5.0, "2020-05-01T10:00:00Z", "<ele>10</ele><speed>2.5</speed>"),
        _pt(52.0001, 5.0, "2020-05-01T10:00:05Z", "<ele>11</ele><speed>3.0</speed>"),
    ]
    for ns in (GPX10, None):
        (activity,) = parse_gpx(_gpx(_trk(points), ns=ns))
        assert activity.streams.speed_m_s is not None
        np.testing.assert_array_equal(activity.streams.speed_m_s, [2.5, 3.0])
        np.testing.assert_array_equal(activity.streams.altitude_m, [10.0, 11.0])


def test_parse_gpx_accepts_bom_offsets_and_fractional_seconds() -> None:
    points = [
        _pt(48.0, 11.0, "2021-03-04T08:00:00.250+01:00"),
        _pt(48.0002, 11.0, "2021-03-04T07:00:10.75Z"),
    ]
    (activity,) = parse_gpx(b"\xef\xbb\xbf" + _gpx(_trk(points)))
    assert activity.start_at == datetime(2021, 3, 4, 7, 0, 0, 250000, tzinfo=UTC)
    assert activity.duration_s == pytest.approx(10.5)
    assert activity.utc_offset_s == 3600


def test_parse_gpx_concatenates_segments_and_ignores_empty_ones() -> None:
    seg1 = [_pt(50.0, 6.0, "2020-01-01T10:00:00Z"), _pt(50.001, 6.0, "2020-01-01T10:01:00Z")]
    seg2 = [_pt(50.001, 6.0, "2020-01-01T10:05:00Z"), _pt(50.002, 6.0, "2020-01-01T10:06:00Z")]
    (activity,) = parse_gpx(_gpx(_trk(seg1, [], seg2)))
    assert len(activity.streams) == 4
    assert activity.duration_s == 360.0
    assert activity.distance_m == pytest.approx(222.4, abs=0.5)


def test_parse_gpx_makes_one_activity_per_track() -> None:
    a = [_pt(50.0, 6.0, "2020-01-01T10:00:00Z"), _pt(50.001, 6.0, "2020-01-01T10:01:00Z")]
    b = [_pt(50.0, 6.0, "2020-01-02T10:00:00Z"), _pt(50.001, 6.0, "2020-01-02T10:02:00Z")]
    first, second = parse_gpx(
        _gpx(_trk(a, head="<name>Morning Run</name>") + _trk(b, head="<type>cycling</type>"))
    )
    assert (first.sport, first.name) == (Sport.RUN, "Morning Run")
    assert (second.sport, second.name) == (Sport.CYCLE, None)
    assert second.duration_s == 120.0


def test_parse_gpx_reads_track_and_file_metadata() -> None:
    points = [_pt(50.0, 6.0, "2020-01-01T10:00:00Z"), _pt(50.001, 6.0, "2020-01-01T10:01:00Z")]
    body = "<metadata><name>Sunday</name><time>2020-01-01T12:00:00Z</time></metadata>" + _trk(
        points, head="<desc>easy, back felt fine</desc><type>Hiking</type>"
    )
    (activity,) = parse_gpx(_gpx(body, creator="Some Watch 3"))
    assert activity.name == "Sunday"
    assert activity.notes == "easy, back felt fine"
    assert activity.sport is Sport.HIKE
    assert activity.device == "Some Watch 3"


def test_parse_gpx_drops_points_without_time_with_a_warning() -> None:
    points = [
        _pt(50.0, 6.0, "2020-01-01T10:00:00Z"),
        _pt(50.0005, 6.0, None),
        _pt(50.001, 6.0, "2020-01-01T10:01:00Z"),
    ]
    (activity,) = parse_gpx(_gpx(_trk(points)))
    assert len(activity.streams) == 2
    assert "1 track points without a time dropped" in activity.warnings


def test_parse_gpx_rejects_a_track_without_times_as_a_route() -> None:
    points = [_pt(50.0, 6.0, None), _pt(50.001, 6.0, None)]
    with pytest.raises(NotAnActivityError, match="no times, so it is a route"):
        parse_gpx(_gpx(_trk(points)))


def test_parse_gpx_takes_naive_times_as_utc_with_a_warning() -> None:
    points = [_pt(50.0, 6.0, "2020-01-01T10:00:00"), _pt(50.001, 6.0, "2020-01-01T10:01:00")]
    (activity,) = parse_gpx(_gpx(_trk(points)))
    assert activity.start_at == datetime(2020, 1, 1, 10, tzinfo=UTC)
    assert any("no time zone" in w for w in activity.warnings)


def test_parse_gpx_reads_tpx_v1_hr_and_cadence_and_ignores_atemp() -> None:
    ext = (
        "<extensions><gpxtpx:TrackPointExtension><gpxtpx:atemp>21</gpxtpx:atemp>"
        "<gpxtpx:hr>{hr}</gpxtpx:hr><gpxtpx:cad>{cad}</gpxtpx:cad>"
        "</gpxtpx:TrackPointExtension></extensions>"
    )
    points = [
        _pt(50.0, 6.0, "2020-01-01T10:00:00Z", ext.format(hr=120, cad=80)),
        _pt(50.001, 6.0, "2020-01-01T10:01:00Z", ext.format(hr=" 130 ", cad="")),
        _pt(50.002, 6.0, "2020-01-01T10:02:00Z", ext.format(hr="n/a", cad=82)),
    ]
    (activity,) = parse_gpx(_gpx(_trk(points)))
    np.testing.assert_array_equal(activity.streams.hr_bpm, [120.0, 130.0, np.nan])
    np.testing.assert_array_equal(activity.streams.cadence_rpm, [80.0, np.nan, 82.0])
    assert "1 unreadable numbers ignored" in activity.warnings


def test_parse_gpx_rejects_a_single_timed_point() -> None:
    with pytest.raises(NotAnActivityError, match="only one track point"):
        parse_gpx(_gpx(_trk([_pt(50.0, 6.0, "2020-01-01T10:00:00Z")])))


def test_parse_gpx_rejects_waypoint_only_and_route_only_files() -> None:
    wpt = '<wpt lat="1" lon="2"><time>2020-01-01T10:00:00Z</time></wpt>'
    with pytest.raises(NotAnActivityError, match="only waypoints"):
        parse_gpx(_gpx(wpt))
    rte = '<rte><rtept lat="1" lon="2"/><rtept lat="1.1" lon="2"/></rte>'
    with pytest.raises(NotAnActivityError, match="planned route"):
        parse_gpx(_gpx(wpt + rte))
    with pytest.raises(NotAnActivityError, match="no track points"):
        parse_gpx(_gpx("<metadata><name>x</name></metadata>"))


def test_parse_gpx_rejects_another_root_element() -> None:
    with pytest.raises(CorruptFileError, match="root element is <kml>"):
        parse_gpx(b'<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"/>')


def test_parse_gpx_reports_where_the_xml_breaks() -> None:
    data = _gpx(_trk([_pt(50.0, 6.0, "2020-01-01T10:00:00Z")]))
    with pytest.raises(CorruptFileError, match=r"malformed at line \d+, column \d+"):
        parse_gpx(data[: len(data) // 2])


def test_parse_gpx_steps_match_the_domain_distance() -> None:
    lat = np.array([50.0, 50.001, 50.002])
    lon = np.array([6.0, 6.001, 6.0])
    times = ["2020-01-01T10:00:00Z", "2020-01-01T10:00:30Z", "2020-01-01T10:01:00Z"]
    points = [_pt(a, b, t) for a, b, t in zip(lat, lon, times, strict=True)]
    (activity,) = parse_gpx(_gpx(_trk(points)))
    assert activity.distance_m == pytest.approx(float(compute_step_distances_m(lat, lon).sum()))
