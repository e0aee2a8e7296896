"""The planned-course GPX reader: routes and untimed tracks, read as safely as activities."""

from __future__ import annotations

import gzip

import pytest

from backstride.adapters.files.gpx.route import parse_gpx_course
from backstride.errors import CorruptFileError, NotAnActivityError, UnsafeFileError

MAX = 10 * 1024 * 1024
HEAD = '<?xml version="1.0"?>\n<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1">'


def gpx(body: str) -> bytes:
    return (HEAD + body + "</gpx>").encode()


RTE = gpx(
    "<metadata><name>Meta</name></metadata><rte><name>Lake path</name>"
    '<rtept lat="47.0" lon="8.0"><ele>400</ele></rtept>'
    '<rtept lat="47.001" lon="8.0"><ele>401.5</ele></rtept>'
    '<rtept lat="bad" lon="8.0"><ele>401.5</ele></rtept>'
    '<rtept lat="47.002" lon="8.0"></rtept></rte>'
)


def test_a_route_is_read_with_positions_and_heights() -> None:
    course = parse_gpx_course(RTE, max_bytes=MAX)
    assert course.kind == "route" and course.name == "Lake path"
    assert course.lat_deg.tolist() == [47.0, 47.001, 47.002]
    assert course.altitude_m[:2].tolist() == [400.0, 401.5]
    assert course.altitude_m[2] != course.altitude_m[2]  # NaN: no <ele>


def test_an_untimed_track_wins_over_route_points_and_gzip_is_fine() -> None:
    data = gpx(
        '<rte><rtept lat="1" lon="1"/><rtept lat="1.1" lon="1"/></rte>'
        "<trk><name>Drawn</name><trkseg>"
        '<trkpt lat="47.0" lon="8.0"/><trkpt lat="47.01" lon="8.0"/><trkpt lat="47.02" lon="8.0"/>'
        "</trkseg></trk>"
    )
    course = parse_gpx_course(gzip.compress(data), max_bytes=MAX)
    assert course.kind == "track" and course.name == "Drawn" and len(course.lat_deg) == 3


def test_a_doctype_is_refused_before_anything_is_expanded() -> None:
    data = (
        b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY x "y">]>'
        b'<gpx><rte><rtept lat="1" lon="1"/><rtept lat="2" lon="2"/></rte></gpx>'
    )
    with pytest.raises(UnsafeFileError):
        parse_gpx_course(data, max_bytes=MAX)


def test_not_gpx_and_too_few_points_are_clear_errors() -> None:
    with pytest.raises(CorruptFileError, match="not a GPX file"):
        parse_gpx_course(b'<?xml version="1.0"?><kml></kml>', max_bytes=MAX)
    with pytest.raises(NotAnActivityError, match="at least two points"):
        parse_gpx_course(gpx('<rte><rtept lat="1" lon="1"/></rte>'), max_bytes=MAX)
    with pytest.raises(CorruptFileError):
        parse_gpx_course(HEAD.encode() + b"<rte><rtept", max_bytes=MAX)
