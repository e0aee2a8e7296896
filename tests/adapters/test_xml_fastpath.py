"""The fast GPX/TCX readers against the lxml reference readers they stand in for.

``read_gpx_fast`` / ``read_tcx_fast`` must give exactly what ``parse_gpx_reference`` /
``parse_tcx_reference`` give (every activity field, every stream value with NaN where NaN,
laps, device totals, warnings), or raise the same error (type, message, hint), or decline
with None, in which case ``parse_gpx`` / ``parse_tcx`` use the reference. Checked on every
corpus file, on hand-made tricky files, on hypothesis mutations of real files, and on the
column parsers (numbers, times) against ``float()`` and ``parse_times`` directly.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from backstride.adapters.files.gpx import parse_gpx, parse_gpx_reference, read_gpx_fast
from backstride.adapters.files.tcx import parse_tcx, parse_tcx_reference, read_tcx_fast
from backstride.adapters.files.xmlsafe import parse_times
from backstride.adapters.files.xmlscan import Tags, validate
from backstride.domain.activity import Activity
from backstride.errors import BackstrideError
from tests.corpus import corpus_files

Reader = Callable[[bytes], list[Activity]]
FastReader = Callable[[bytes], list[Activity] | None]

GPX_FILES = corpus_files((".gpx",))
TCX_FILES = corpus_files((".tcx",))
# Corpus files the fast path leaves to the reference, and why.
DECLINED = {"gpxpy/gpx1.1_with_all_fields.gpx": "comments inside the document"}


def _rel(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


# --- comparing outcomes --------------------------------------------------------------------


def _outcome(read: Callable[[bytes], Any], data: bytes) -> Any:
    """What a reader makes of ``data``: its result, or its error as (type, message, hint)."""
    try:
        return read(data)
    except BackstrideError as exc:
        return (type(exc).__name__, exc.message, exc.hint)


def _same_value(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b and type(a) is type(b)


def assert_same_activities(fast: list[Activity], ref: list[Activity]) -> None:
    assert len(fast) == len(ref)
    for i, (a, b) in enumerate(zip(fast, ref, strict=True)):
        for f in dataclasses.fields(Activity):
            if f.name == "streams":
                continue
            x, y = getattr(a, f.name), getattr(b, f.name)
            assert _same_value(x, y), f"activity {i}: {f.name}: {x!r} != {y!r}"
        sa, sb = a.streams.present(), b.streams.present()
        assert sa.keys() == sb.keys(), f"activity {i}: streams {sa.keys()} != {sb.keys()}"
        for name in sa:
            assert sa[name].dtype == sb[name].dtype
            np.testing.assert_array_equal(sa[name], sb[name], err_msg=f"activity {i}: {name}")


def assert_agree(fast: FastReader, reference: Reader, data: bytes, *, handled: bool | None) -> None:
    """The fast reader gives the reference's outcome, or declines; ``handled`` says which
    is expected (None: either)."""
    got = _outcome(fast, data)
    if got is None:
        assert handled is not True, "the fast path declined a file it should read"
        return
    assert handled is not False, "the fast path read a file it should leave to the reference"
    want = _outcome(reference, data)
    if isinstance(want, tuple) or isinstance(got, tuple):
        assert got == want
    else:
        assert_same_activities(got, want)


# --- the corpus ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", GPX_FILES, ids=[_rel(p) for p in GPX_FILES])
def test_fast_gpx_equals_reference_on_corpus(path: Path, activities_dir: Path) -> None:
    del activities_dir
    data = path.read_bytes()
    assert_agree(read_gpx_fast, parse_gpx_reference, data, handled=_rel(path) not in DECLINED)
    # And the public reader, whatever route it takes.
    public, want = _outcome(parse_gpx, data), _outcome(parse_gpx_reference, data)
    if isinstance(want, tuple):
        assert public == want
    else:
        assert_same_activities(public, want)


@pytest.mark.parametrize("path", TCX_FILES, ids=[_rel(p) for p in TCX_FILES])
def test_fast_tcx_equals_reference_on_corpus(path: Path, activities_dir: Path) -> None:
    del activities_dir
    data = path.read_bytes()
    assert_agree(read_tcx_fast, parse_tcx_reference, data, handled=_rel(path) not in DECLINED)
    public, want = _outcome(parse_tcx, data), _outcome(parse_tcx_reference, data)
    if isinstance(want, tuple):
        assert public == want
    else:
        assert_same_activities(public, want)


# --- hand-made GPX -------------------------------------------------------------------------

GPX11 = "http://www.topografix.com/GPX/1/1"
TPX1 = "http://www.garmin.com/xmlschemas/TrackPointExtension/v1"
TPX2 = "http://www.garmin.com/xmlschemas/TrackPointExtension/v2"


def _gpx(
    body: str, *, head: str = '<?xml version="1.0" encoding="UTF-8"?>\n', root: str = ""
) -> bytes:
    root = root or (
        f'<gpx version="1.1" creator="Test Watch" xmlns="{GPX11}" '
        f'xmlns:gpxtpx="{TPX1}" xmlns:tpx2="{TPX2}">'
    )
    return f"{head}{root}\n{body}\n</gpx>\n".encode()


def _time(i: int, *, zone: str = "Z", frac: str = "") -> str:
    day, hour = 1 + i // 3600 % 9, 6 + i // 3600 % 12
    return f"2021-05-0{day}T{hour:02d}:{i // 60 % 60:02d}:{i % 60:02d}{frac}{zone}"


def _trkpt(i: int, *, attrs: str = "", inner: str | None = None, ext: str | None = None) -> str:
    lat, lon = 45.0 + i * 1e-4, 7.0 + i * 1.3e-4
    attrs = attrs or f'lat="{lat:.7f}" lon="{lon:.7f}"'
    if ext is None:
        ext = (
            f"<gpxtpx:TrackPointExtension><gpxtpx:atemp>21</gpxtpx:atemp>"
            f"<gpxtpx:hr>{120 + i % 40}</gpxtpx:hr><gpxtpx:cad>{80 + i % 9}</gpxtpx:cad>"
            "</gpxtpx:TrackPointExtension>"
        )
    if inner is None:
        inner = f"<ele>{100 + i * 0.25}</ele><time>{_time(i)}</time>"
    extensions = f"<extensions>{ext}</extensions>" if ext else ""
    return f"<trkpt {attrs}>{inner}{extensions}</trkpt>"


def _track(points: list[str], *, head: str = "<name>Morning Run</name><type>running</type>") -> str:
    return f"<trk>{head}<trkseg>{''.join(points)}</trkseg></trk>"


def _points(n: int = 40, **kw: Any) -> list[str]:
    return [_trkpt(i, **kw) for i in range(n)]


def _vary(points: list[str], every: int, transform: Callable[[int, str], str]) -> list[str]:
    return [transform(i, p) if i % every == 0 else p for i, p in enumerate(points)]


ODD_NUMBERS = [
    "n/a", "", " 12 ", "1e2", "+5", ".5", "5.", "-0", "inf", "-inf", "nan", "1_0", "0x10",
    "41.193474177271127700805664062", "123456789012345678901234", "\u0661\u0662\u0663",
    "\u00a012", "1..2", "--1", "\t7\n", "1.5e-3", "2.2250738585072011e-308", "9" * 30,
    "0.1000000000000000055511151231257827021181583404541015625", "12abc", "٫5",
]  # fmt: skip
ODD_TIMES = [
    "2021-05-01T06:00:00+02:00", "2021-05-01T06:00:00-05:30", "2021-05-01T06:00:00.5Z",
    "2021-05-01T06:00:00.123Z", "2021-05-01T06:00:00.123456Z", "2021-05-01T06:00:00.1234567Z",
    "2021-05-01T06:00:00.123456789+01:00", "2021-05-01T06:00:00", "2021-05-01t06:00:00z",
    " 2021-05-01T06:00:00Z ", "2021-05-01 06:00:00Z", "20210501T060000Z", "1899-12-31T23:59:59Z",
    "2200-01-01T00:00:00Z", "2021-13-01T06:00:00Z", "2021-02-29T06:00:00Z",
    "2020-02-29T06:00:00Z", "2021-05-01T06:00:60Z", "2021-05-01T24:00:00Z",
    "2021-05-01T06:00:00+24:00", "2021-05-01T06:00:00+23:59", "2021-05-01T06:00Z",
    "2021-05-01T06:00:00.Z", "2021-05-01T06:00:00,5Z", "garbage", "2021-05-01",
    "2021-05-01T06:00:00+0100", "2021-05-01T06:00:00-00:00", "0001-01-01T00:00:00Z",
]  # fmt: skip


def _swap_latlon(_i: int, p: str) -> str:
    return re.sub(r'lat="([^"]*)" lon="([^"]*)"', r'lon="\2" lat="\1"', p)


def _odd_number(i: int, p: str) -> str:
    return re.sub(r"<ele>[^<]*</ele>", f"<ele>{ODD_NUMBERS[i % len(ODD_NUMBERS)]}</ele>", p)


def _odd_time(i: int, p: str) -> str:
    return re.sub(r"<time>[^<]*</time>", f"<time>{ODD_TIMES[i % len(ODD_TIMES)]}</time>", p)


def _many_tracks() -> str:
    timed = _track(_points(30))
    untimed = _track(
        [_trkpt(i, inner=f"<ele>{i}</ele>") for i in range(5)], head="<name>Route</name>"
    )
    single = _track(_points(1), head="<desc>one point</desc><cmt>x</cmt>")
    cycling = _track([_trkpt(i + 5000) for i in range(25)], head="<type>1</type>")
    hiking = _track([_trkpt(i + 9000) for i in range(25)], head="<name>Hike up</name>")
    return timed + untimed + single + cycling + hiking


GPX_CASES: dict[str, tuple[bytes, bool]] = {
    "plain": (_gpx(_track(_points())), True),
    "lon-before-lat": (_gpx(_track(_vary(_points(), 1, _swap_latlon))), True),
    "mixed-attribute-order": (_gpx(_track(_vary(_points(), 3, _swap_latlon))), True),
    "single-quotes": (
        _gpx(_track(_vary(_points(), 2, lambda i, p: p.replace('"', "'", 4)))),
        True,
    ),
    "whitespace-in-tags": (
        _gpx(
            _track(
                [
                    p.replace("<trkpt ", "<trkpt\n   ")
                    .replace('" lon=', '"\t lon = ')
                    .replace("<ele>", "<ele >")
                    .replace("</ele>", "</ele\n>")
                    .replace("</trkpt>", "</trkpt >")
                    for p in _points()
                ]
            )
        ),
        True,
    ),
    "extra-attributes": (
        _gpx(_track(_vary(_points(), 2, lambda i, p: p.replace("<trkpt ", '<trkpt id="x" ')))),
        True,
    ),
    "prefixed-namespaces": (
        _gpx(
            re.sub(
                r"<(/?)(trk|trkseg|trkpt|ele|time|name|type|extensions)\b",
                r"<\1g:\2",
                _track(_points()),
            ).replace("gpxtpx:", "x:"),
            root=f'<g:gpx version="1.1" creator="Test" xmlns:g="{GPX11}" xmlns:x="{TPX1}">',
        ).replace(b"</gpx>", b"</g:gpx>"),
        True,
    ),
    "default-namespace-extension": (
        _gpx(
            _track(
                _points(
                    ext=f'<TrackPointExtension xmlns="{TPX2}"><hr>140</hr><speed>3.5</speed>'
                    "<cad>90</cad></TrackPointExtension>"
                )
            )
        ),
        True,
    ),
    "missing-fields": (
        _gpx(
            _track(
                _vary(_points(), 3, lambda i, p: re.sub(r"<ele>[^<]*</ele>", "", p))
                + _points(10, ext="")
                + _vary(_points(10), 2, lambda i, p: re.sub(r"<gpxtpx:hr>[^<]*</gpxtpx:hr>", "", p))
            )
        ),
        True,
    ),
    "points-without-time": (
        _gpx(
            _track(
                _vary(_points(), 4, lambda i, p: re.sub(r"<time>[^<]*</time>", "", p))
                + [_trkpt(50, inner="<time></time>"), _trkpt(51, inner="<time/><ele/>")]
            )
        ),
        True,
    ),
    "empty-segments": (
        _gpx(
            "<trk><name>Seg</name><trkseg></trkseg><trkseg/>"
            f"<trkseg>{''.join(_points(20))}</trkseg><trkseg>\n</trkseg>"
            f"<trkseg>{''.join(_trkpt(i + 100) for i in range(20))}</trkseg></trk>"
        ),
        True,
    ),
    "multiple-tracks": (_gpx(_many_tracks()), True),
    "only-untimed-tracks": (
        _gpx(_track([_trkpt(i, inner="<ele>1</ele>") for i in range(5)])),
        True,
    ),
    "v1-and-v2-extensions": (
        _gpx(
            _track(
                _points(
                    ext="<gpxtpx:TrackPointExtension><gpxtpx:hr>120</gpxtpx:hr>"
                    "<gpxtpx:cad>80</gpxtpx:cad></gpxtpx:TrackPointExtension>"
                    "<tpx2:TrackPointExtension><tpx2:hr>121</tpx2:hr><tpx2:speed>2.5</tpx2:speed>"
                    "<tpx2:cadence>81</tpx2:cadence></tpx2:TrackPointExtension>"
                    "<power>250</power><PowerInWatts>251</PowerInWatts><heartrate>122</heartrate>"
                )
            )
        ),
        True,
    ),
    "repeated-fields": (
        _gpx(
            _track(
                [
                    _trkpt(
                        i,
                        inner=f"<ele>1</ele><time>{_time(i)}</time><speed>9</speed><ele>{i}</ele>"
                        f"<time>{_time(i + 1)}</time>",
                        ext=f"<speed>{i % 5}</speed><hr>1{i}</hr><hr>2{i}</hr>",
                    )
                    if i % 2
                    else _trkpt(i, inner=f"<time>{_time(i)}</time><speed>4</speed>", ext="")
                    for i in range(40)
                ]
            )
        ),
        True,
    ),
    "odd-numbers": (_gpx(_track(_vary(_points(60), 1, _odd_number))), True),
    "odd-attributes": (
        _gpx(
            _track(
                [
                    _trkpt(0, attrs='lat="" lon="7"'),
                    _trkpt(1, attrs='lon="7.1"'),
                    _trkpt(2, attrs='lat="abc" lon="7.2"'),
                    _trkpt(3, attrs='lat="4.5e1" lon=" 7.3 "'),
                    _trkpt(4, attrs='lat="45.0004" lon="7.0004" lat2="1"'),
                    _trkpt(5, attrs="lat='45.0005'  lon = '7.0005'"),
                    _trkpt(6, attrs='lat="inf" lon="-7"'),
                    *_points(20),
                ]
            )
        ),
        True,
    ),
    "odd-times": (_gpx(_track(_vary(_points(len(ODD_TIMES) * 2), 1, _odd_time))), True),
    "crlf": (_gpx(_track(_points())).replace(b"\n", b"\r\n").replace(b"><", b">\r\n  <"), True),
    "values-on-own-lines": (
        _gpx(
            _track(
                _vary(
                    _points(),
                    1,
                    lambda i, p: p.replace("<ele>", "<ele>\r\n ").replace("</time>", "\n</time>"),
                )
            )
        ),
        True,
    ),
    "self-closing-points": (
        _gpx(_track(_points(20) + [f'<trkpt lat="45.1" lon="7.{i}"/>' for i in range(5)])),
        True,
    ),
    "names-with-entities-and-unicode": (
        _gpx(_track(_points(), head="<name>Run &amp; swim – Zürich 🏃</name><desc>a&lt;b</desc>")),
        True,
    ),
    "waypoints-and-routes": (
        _gpx(
            '<wpt lat="1" lon="2"><name>W</name></wpt>'
            '<rte><rtept lat="1" lon="2"/><rtept lat="1.1" lon="2"/></rte>' + _track(_points())
        ),
        True,
    ),
    "segment-outside-track": (_gpx(f"<trkseg>{''.join(_points())}</trkseg>"), True),
    "points-after-last-track": (
        _gpx(
            _track(_points(20)) + f"<trkseg>{''.join(_trkpt(i + 100) for i in range(20))}</trkseg>"
        ),
        True,
    ),
    "metadata-name": (
        _gpx("<metadata><name>From metadata</name></metadata>" + _track(_points(), head="")),
        True,
    ),
    "gpx10-top-level-name": (
        _gpx(
            "<name>Top</name><desc>d</desc>" + _track(_points(), head=""),
            root='<gpx version="1.0" creator="x" xmlns="http://www.topografix.com/GPX/1/0" '
            f'xmlns:gpxtpx="{TPX1}">',
        ),
        True,
    ),
    "deep-extension-fields": (
        _gpx(_track(_points(ext="<a><b><c><hr>99</hr></c></b></a><d><cad>77</cad></d>"))),
        True,
    ),
    "fields-outside-extensions-ignored": (
        _gpx(_track(_points(inner=f"<time>{_time(1)}</time><hr>150</hr><cad>3</cad>"))),
        True,
    ),
    "time-inside-extensions-ignored": (
        _gpx(
            _track(
                [_trkpt(i, ext=f"<time>{_time(i)}</time>", inner="<ele>3</ele>") for i in range(9)]
            )
        ),
        True,
    ),
    "bom": (b"\xef\xbb\xbf" + _gpx(_track(_points())), True),
    "ascii-declaration": (
        _gpx(_track(_points()), head='<?xml version="1.0" encoding="US-ASCII"?>\n'),
        True,
    ),
    "bom-but-ascii-declared": (  # libxml2 warns about the mismatch: left to the reference
        b"\xef\xbb\xbf"
        + _gpx(_track(_points()), head='<?xml version="1.0" encoding="US-ASCII"?>\n'),
        False,
    ),
    "no-declaration": (_gpx(_track(_points()), head=""), True),
    "prolog-comment-and-pi": (
        _gpx(_track(_points()), head='<?xml version="1.0"?>\n<!-- made by hand -->\n<?pi x?>\n'),
        True,
    ),
    "sane-date-failure": (
        _gpx(_track(_vary(_points(10), 1, lambda i, p: p.replace("2021-", "1901-")))),
        True,
    ),
    "doctype": (
        _gpx(_track(_points()), head='<?xml version="1.0"?>\n<!DOCTYPE gpx [<!ENTITY a "b">]>\n'),
        True,  # refused up front by both, with the same error
    ),
    # Left to the reference:
    "comment-inside": (
        _gpx(_track(_vary(_points(), 5, lambda i, p: p.replace("<ele>", "<!-- c --><ele>")))),
        False,
    ),
    "cdata-inside": (
        _gpx(_track(_vary(_points(), 5, lambda i, p: p.replace("<ele>", "<ele><![CDATA[1]]>")))),
        False,
    ),
    "character-reference-in-point": (
        _gpx(_track(_vary(_points(), 5, lambda i, p: p.replace("<ele>", "<ele>1&#48;")))),
        False,
    ),
    "entity-in-attribute": (
        _gpx(_track(_vary(_points(), 5, lambda i, p: p.replace('lat="', 'lat="&#52;')))),
        False,
    ),
    "point-outside-segment": (_gpx(f"<trk><name>x</name>{''.join(_points())}</trk>"), False),
    "utf16": (_gpx(_track(_points()), head="").decode().encode("utf-16"), False),
    "latin1": (
        _gpx(
            _track(_points(), head="<name>Zürich</name>"),
            head='<?xml version="1.0" encoding="ISO-8859-1"?>\n',
        )
        .decode()
        .encode("latin-1"),
        False,
    ),
    "field-with-children": (
        _gpx(_track(_vary(_points(), 7, lambda i, p: p.replace("</ele>", "<b/></ele>")))),
        False,
    ),
    "waypoint-inside-point": (_gpx(_track(_points(ext='<wpt lat="1" lon="2"/>'))), False),
    "gt-in-attribute": (
        _gpx(_track(_vary(_points(), 5, lambda i, p: p.replace("<trkpt ", '<trkpt note="a>b" ')))),
        False,
    ),
    "undeclared-prefix": (_gpx(_track(_points(ext="<zz:hr>1</zz:hr>"))), False),
    "pi-in-body": (_gpx("<?pi x?>" + _track(_points())), False),
    "xml-1.1": (_gpx(_track(_points()), head='<?xml version="1.1"?>\n'), False),
    "truncated": (_gpx(_track(_points()))[:-100], False),
    "not-gpx": (
        b'<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2">'
        + b" " * 80
        + b"</kml>",
        False,
    ),
}


@pytest.mark.parametrize("case", list(GPX_CASES))
def test_fast_gpx_equals_reference_on_tricky_files(case: str) -> None:
    data, handled = GPX_CASES[case]
    assert_agree(read_gpx_fast, parse_gpx_reference, data, handled=handled)


def test_fast_gpx_reads_what_the_tricky_files_hold() -> None:
    """A few spot checks that the cases test what they say (not only agreement)."""
    (run,) = read_gpx_fast(GPX_CASES["lon-before-lat"][0]) or []
    assert run.streams.lat_deg is not None and run.streams.lat_deg[0] == 45.0
    (ext,) = read_gpx_fast(GPX_CASES["v1-and-v2-extensions"][0]) or []
    assert ext.streams.hr_bpm is not None and ext.streams.hr_bpm[0] == 122.0
    assert ext.streams.power_w is not None and ext.streams.power_w[0] == 251.0
    assert ext.streams.cadence_rpm is not None and ext.streams.cadence_rpm[0] == 81.0
    odd = read_gpx_fast(GPX_CASES["odd-numbers"][0]) or []
    assert any("unreadable numbers" in w for w in odd[0].warnings)
    times = read_gpx_fast(GPX_CASES["odd-times"][0]) or []
    assert any("unreadable time" in w for w in times[0].warnings)
    assert len(read_gpx_fast(GPX_CASES["multiple-tracks"][0]) or []) == 3


# --- hand-made TCX -------------------------------------------------------------------------

TCD = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
AX = "http://www.garmin.com/xmlschemas/ActivityExtension/v2"


def _tcx(body: str, *, root: str = "") -> bytes:
    root = root or (
        f'<TrainingCenterDatabase xmlns="{TCD}" xmlns:ns3="{AX}" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    )
    head = '<?xml version="1.0" encoding="UTF-8"?>'
    return f"{head}\n{root}\n{body}\n</TrainingCenterDatabase>\n".encode()


def _tp(i: int, *, parts: str | None = None, base: int = 0) -> str:
    if parts is None:
        parts = (
            f"<Time>{_time(base + i)}</Time>"
            f"<Position><LatitudeDegrees>{45 + i * 1e-4:.8f}</LatitudeDegrees>"
            f"<LongitudeDegrees>{7 + i * 1.2e-4:.8f}</LongitudeDegrees></Position>"
            f"<AltitudeMeters>{300 + i * 0.2:.3f}</AltitudeMeters>"
            f"<DistanceMeters>{i * 2.5:.2f}</DistanceMeters>"
            f"<HeartRateBpm><Value>{110 + i % 50}</Value></HeartRateBpm>"
            f"<Extensions><ns3:TPX><ns3:Speed>{2.5 + i % 7 * 0.1:.3f}</ns3:Speed>"
            f"<ns3:RunCadence>{80 + i % 5}</ns3:RunCadence></ns3:TPX></Extensions>"
        )
    return f"<Trackpoint>{parts}</Trackpoint>"


def _activity(points: list[str], *, sport: str = "Running", base: int = 0, laps: int = 2) -> str:
    per = max(1, len(points) // laps)
    lap_xml = ""
    for k in range(laps):
        chunk = points[k * per : (k + 1) * per] if k < laps - 1 else points[k * per :]
        lap_xml += (
            f'<Lap StartTime="{_time(base + k * per)}"><TotalTimeSeconds>{per}</TotalTimeSeconds>'
            f"<DistanceMeters>{per * 2.5}</DistanceMeters><AverageHeartRateBpm><Value>130</Value>"
            "</AverageHeartRateBpm><MaximumHeartRateBpm><Value>160</Value></MaximumHeartRateBpm>"
            f"<Track>{''.join(chunk)}</Track></Lap>"
        )
    return (
        f'<Activity Sport="{sport}"><Id>{_time(base)}</Id>{lap_xml}'
        "<Notes>felt good</Notes><Creator><Name>Forerunner Test</Name></Creator></Activity>"
    )


def _tps(n: int = 40, base: int = 0, **kw: Any) -> list[str]:
    return [_tp(i, base=base, **kw) for i in range(n)]


def _tcx_odd_number(i: int, p: str) -> str:
    return re.sub(
        r"<AltitudeMeters>[^<]*</AltitudeMeters>",
        f"<AltitudeMeters>{ODD_NUMBERS[i % len(ODD_NUMBERS)]}</AltitudeMeters>",
        p,
    )


def _tcx_odd_time(i: int, p: str) -> str:
    return re.sub(r"<Time>[^<]*</Time>", f"<Time>{ODD_TIMES[i % len(ODD_TIMES)]}</Time>", p)


TCX_CASES: dict[str, tuple[bytes, bool]] = {
    "plain": (_tcx(f"<Activities>{_activity(_tps())}</Activities>"), True),
    "multisport": (
        _tcx(
            "<Activities><MultiSportSession><Id>2021-05-01T06:00:00Z</Id>"
            f"<FirstSport>{_activity(_tps(30), sport='Biking')}</FirstSport>"
            f'<Transition><Lap StartTime="{_time(40)}"><TotalTimeSeconds>60</TotalTimeSeconds>'
            f"<Track>{''.join(_tps(10, base=40))}</Track></Lap></Transition>"
            f"<NextSport>{_activity(_tps(30, base=100), base=100)}</NextSport>"
            "</MultiSportSession></Activities>"
        ),
        True,
    ),
    "several-activities": (
        _tcx(
            f"<Activities>{_activity(_tps(20))}"
            f"{_activity(_tps(20, base=3000), base=3000, sport='Other')}"
            f"{_activity([], laps=1)}</Activities>"
        ),
        True,
    ),
    "watts-and-both-cadences": (
        _tcx(
            "<Activities>"
            + _activity(
                [
                    _tp(
                        i,
                        parts=f"<Time>{_time(i)}</Time><Cadence>{70 + i % 3}</Cadence>"
                        f"<Extensions><ns3:TPX><ns3:Watts>{200 + i}</ns3:Watts>"
                        f"<ns3:RunCadence>9{i % 10}</ns3:RunCadence></ns3:TPX></Extensions>"
                        + ("<RunCadence>5</RunCadence>" if i % 3 == 0 else ""),
                    )
                    for i in range(40)
                ],
                sport="Biking",
            )
            + "</Activities>"
        ),
        True,
    ),
    "hr-with-xsi-type-and-extra-values": (
        _tcx(
            "<Activities>"
            + _activity(
                [
                    p.replace(
                        "<HeartRateBpm>", '<HeartRateBpm xsi:type="HeartRateInBeatsPerMinute_t">'
                    ).replace("</Value></HeartRateBpm>", "</Value><Value>1</Value></HeartRateBpm>")
                    for p in _tps()
                ]
            )
            + "</Activities>"
        ),
        True,
    ),
    "missing-time-and-position": (
        _tcx(
            "<Activities>"
            + _activity(
                _vary(_tps(), 4, lambda i, p: re.sub(r"<Time>[^<]*</Time>", "", p))
                + _vary(
                    _tps(20, base=60), 3, lambda i, p: re.sub(r"<Position>.*</Position>", "", p)
                )
                + _vary(
                    _tps(20, base=90),
                    2,
                    lambda i, p: re.sub(r"<LongitudeDegrees>[^<]*</LongitudeDegrees>", "", p),
                )
            )
            + "</Activities>"
        ),
        True,
    ),
    "treadmill": (
        _tcx(
            "<Activities>"
            + _activity([re.sub(r"<Position>.*</Position>", "", p) for p in _tps()])
            + "</Activities>"
        ),
        True,
    ),
    "laps-only": (_tcx(f"<Activities>{_activity([], laps=3)}</Activities>"), True),
    "courses-only": (
        _tcx(
            f"<Courses><Course><Name>Loop</Name><Track>{''.join(_tps(20))}</Track></Course></Courses>"
        ),
        True,
    ),
    "workouts-only": (
        _tcx("<Workouts><Workout><Name>Intervals</Name></Workout></Workouts>" + " " * 100),
        True,
    ),
    "activity-then-course": (
        _tcx(
            f"<Activities>{_activity(_tps(20))}</Activities>"
            f"<Courses><Course><Track>{''.join(_tps(20, base=500))}</Track></Course></Courses>"
        ),
        True,
    ),
    "prefixed-everything": (
        _tcx(
            re.sub(
                r"<(/?)(?!ns3:)([A-Za-z]+)",
                r"<\1t:\2",
                f"<Activities>{_activity(_tps())}</Activities>",
            ),
            root=f'<t:TrainingCenterDatabase xmlns:t="{TCD}" xmlns:ns3="{AX}">',
        ).replace(b"</TrainingCenterDatabase>", b"</t:TrainingCenterDatabase>"),
        True,
    ),
    "fields-read-only-in-their-place": (
        _tcx(
            "<Activities>"
            + _activity(
                [
                    _tp(
                        i,
                        parts=f"<Time>{_time(i)}</Time><Speed>9</Speed><Watts>9</Watts>"
                        "<LatitudeDegrees>1</LatitudeDegrees>"
                        "<Position><LatitudeDegrees>45</LatitudeDegrees><LongitudeDegrees>7.1"
                        "</LongitudeDegrees><AltitudeMeters>5</AltitudeMeters></Position>"
                        "<Extensions><Time>x</Time><a><ns3:Speed>3</ns3:Speed></a></Extensions>",
                    )
                    for i in range(30)
                ]
            )
            + "</Activities>"
        ),
        True,
    ),
    "odd-numbers": (
        _tcx("<Activities>" + _activity(_vary(_tps(60), 1, _tcx_odd_number)) + "</Activities>"),
        True,
    ),
    "odd-times": (
        _tcx(
            "<Activities>"
            + _activity(_vary(_tps(len(ODD_TIMES) * 2), 1, _tcx_odd_time))
            + "</Activities>"
        ),
        True,
    ),
    "crlf-and-indentation": (
        _tcx(f"<Activities>{_activity(_tps())}</Activities>").replace(b"><", b">\r\n    <"),
        True,
    ),
    "self-closing-fields": (
        _tcx(
            "<Activities>"
            + _activity(
                _vary(
                    _tps(),
                    3,
                    lambda i, p: re.sub(
                        r"<AltitudeMeters>[^<]*</AltitudeMeters>", "<AltitudeMeters/>", p
                    ),
                )
            )
            + "</Activities>"
        ),
        True,
    ),
    # Left to the reference:
    "hr-without-value": (
        _tcx(
            "<Activities>"
            + _activity(
                _vary(
                    _tps(),
                    5,
                    lambda i, p: re.sub(
                        r"<HeartRateBpm>.*</HeartRateBpm>", "<HeartRateBpm>140</HeartRateBpm>", p
                    ),
                )
            )
            + "</Activities>"
        ),
        False,
    ),
    "hr-other-first-child": (
        _tcx(
            "<Activities>"
            + _activity(
                _vary(_tps(), 5, lambda i, p: p.replace("<HeartRateBpm>", "<HeartRateBpm><X>1</X>"))
            )
            + "</Activities>"
        ),
        False,
    ),
    "trackpoint-outside-track": (
        _tcx(
            "<Activities>"
            + _activity(_tps()).replace("<Track>", "").replace("</Track>", "")
            + "</Activities>"
        ),
        False,
    ),
    "comment-inside": (
        _tcx(
            "<Activities>"
            + _activity(_vary(_tps(), 5, lambda i, p: p.replace("<Time>", "<!--x--><Time>")))
            + "</Activities>"
        ),
        False,
    ),
    "lap-inside-trackpoint": (
        _tcx(
            "<Activities>"
            + _activity(
                _vary(
                    _tps(),
                    5,
                    lambda i, p: p.replace(
                        "</Trackpoint>", "<Extensions><Lap/></Extensions></Trackpoint>"
                    ),
                )
            )
            + "</Activities>"
        ),
        False,
    ),
    "entity-in-trackpoint": (
        _tcx(
            "<Activities>"
            + _activity(_vary(_tps(), 5, lambda i, p: p.replace("<Value>", "<Value>&#49;")))
            + "</Activities>"
        ),
        False,
    ),
}


@pytest.mark.parametrize("case", list(TCX_CASES))
def test_fast_tcx_equals_reference_on_tricky_files(case: str) -> None:
    data, handled = TCX_CASES[case]
    assert_agree(read_tcx_fast, parse_tcx_reference, data, handled=handled)


def test_fast_tcx_reads_what_the_tricky_files_hold() -> None:
    multisport = read_tcx_fast(TCX_CASES["multisport"][0]) or []
    assert [a.source_sport for a in multisport] == ["Biking", "Running"]
    (ride,) = read_tcx_fast(TCX_CASES["watts-and-both-cadences"][0]) or []
    assert ride.streams.power_w is not None and ride.streams.power_w[1] == 201.0
    assert ride.streams.cadence_rpm is not None
    assert list(ride.streams.cadence_rpm[:4]) == [5.0, 91.0, 92.0, 5.0]  # document order
    (placed,) = read_tcx_fast(TCX_CASES["fields-read-only-in-their-place"][0]) or []
    assert placed.streams.speed_m_s is not None and placed.streams.speed_m_s[0] == 3.0
    assert placed.streams.power_w is None
    assert placed.streams.lat_deg is not None and placed.streams.lat_deg[0] == 45.0


# --- mutations of real files -----------------------------------------------------------------

MUTATION_SEEDS = {
    "gpx": ["sports-lib/2067489619.gpx", "gpxpy/korita-zbevnica.gpx", "sports-lib/amazfit.gpx"],
    "tcx": ["tcxreader/sup_activity_1.tcx", "GoldenCheetah/10kUNLP2014-Garmin15.tcx"],
}
_LEAF = re.compile(rb"<([\w:]+)(?:\s[^<>]*)?>([^<>]{0,40})</\1\s*>")
_ATTRIBUTE_VALUE = re.compile(rb'\s(?:lat|lon)="([^"]*)"')
_TAG = re.compile(rb"<[A-Za-z][^<>]*>")


@st.composite
def _mutants(draw: st.DrawFn, data: bytes) -> bytes:
    """A real file with a few edits: byte-level damage, or plausible variations that the
    fast path must read like the reference (values, attribute order, whitespace, prefixes)."""
    out = bytearray(data)
    plausible = [
        "value", "value", "time", "attribute", "swap-attrs", "space", "drop", "repeat", "prefix"
    ]  # fmt: skip
    damaging = ["markup", "flip", "truncate", "splice", "delete"]
    # Mostly edits a valid file may carry, so that the fast path reads the result.
    ops = plausible + damaging if draw(st.integers(0, 9)) < 3 else plausible
    for _ in range(draw(st.integers(min_value=1, max_value=5))):
        if not out:
            break
        op = draw(st.sampled_from(ops))
        at = draw(st.integers(min_value=0, max_value=len(out) - 1))
        if op in ("value", "time"):
            m = _LEAF.search(out, at) or _LEAF.search(out)
            if m:
                pool = ODD_NUMBERS if op == "value" else ODD_TIMES
                new = draw(st.sampled_from(pool)).encode()
                out[m.start(2) : m.end(2)] = new
        elif op == "attribute":
            m = _ATTRIBUTE_VALUE.search(out, at)
            if m:
                out[m.start(1) : m.end(1)] = draw(st.sampled_from(ODD_NUMBERS)).encode()
        elif op == "swap-attrs":
            m = re.compile(rb'(\w+)="([^"]*)"(\s+)(\w+)="([^"]*)"').search(out, at)
            if m:
                out[m.start() : m.end()] = m.expand(rb'\4="\5"\3\1="\2"')
        elif op == "space":
            m = _TAG.search(out, at)
            if m:
                tag = m.group()
                ws = draw(st.sampled_from([b" ", b"\n  ", b"\r\n", b"\t"]))
                tag = tag[:-1] + ws + b">" if not tag.endswith(b"/>") else tag
                out[m.start() : m.end()] = tag
        elif op == "drop":  # remove one whole leaf element
            m = re.compile(rb"<([\w:]+)>[^<]*</\1>").search(out, at)
            if m:
                del out[m.start() : m.end()]
        elif op == "repeat":  # duplicate one whole leaf element
            m = re.compile(rb"<([\w:]+)>[^<]*</\1>").search(out, at)
            if m:
                out[m.end() : m.end()] = m.group()
        elif op == "prefix":  # rename a namespace prefix everywhere
            m = re.compile(rb"xmlns:(\w+)=").search(out)
            if m:
                new = draw(st.sampled_from([b"p", b"ns9", b"a_b", b"x-y"]))
                out = bytearray(re.sub(rb"\b" + m.group(1) + rb":", new + b":", bytes(out)))
                out = bytearray(out.replace(b"xmlns:" + m.group(1) + b"=", b"xmlns:" + new + b"="))
        elif op == "markup":
            out[at:at] = draw(
                st.sampled_from(
                    [b"<!-- x -->", b"<![CDATA[1]]>", b"&amp;", b"&#49;", b"<?pi?>", b"<x/>",
                     b"<extensions/>", b"<trkpt/>", b"</trkpt>", b"<Value>1</Value>", b">", b"<"]
                )
            )  # fmt: skip
        elif op == "flip":
            out[at] = draw(st.integers(min_value=0, max_value=255))
        elif op == "truncate":
            del out[at:]
        elif op == "splice":
            other = draw(st.integers(min_value=0, max_value=len(out) - 1))
            out[at:at] = out[other : other + draw(st.integers(min_value=1, max_value=400))]
        else:
            del out[at : at + draw(st.integers(min_value=1, max_value=200))]
    return bytes(out)


def _seeds(activities_dir: Path, kind: str) -> list[bytes]:
    datas = [
        (activities_dir / rel).read_bytes()
        for rel in MUTATION_SEEDS[kind]
        if (activities_dir / rel).is_file()
    ]
    if not datas:
        pytest.skip("mutation seed files not in the corpus")
    return datas


MUTATION_SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@MUTATION_SETTINGS
@given(data=st.data())
def test_fast_gpx_agrees_with_reference_on_mutated_files(
    activities_dir: Path, data: st.DataObject
) -> None:
    seed = data.draw(st.sampled_from(_seeds(activities_dir, "gpx")))
    assert_agree(read_gpx_fast, parse_gpx_reference, data.draw(_mutants(seed)), handled=None)


@MUTATION_SETTINGS
@given(data=st.data())
def test_fast_tcx_agrees_with_reference_on_mutated_files(
    activities_dir: Path, data: st.DataObject
) -> None:
    seed = data.draw(st.sampled_from(_seeds(activities_dir, "tcx")))
    assert_agree(read_tcx_fast, parse_tcx_reference, data.draw(_mutants(seed)), handled=None)


# --- the column parsers against float() and parse_times ---------------------------------------


def _scan_values(values: list[str]) -> tuple[Tags, np.ndarray]:
    body = "".join(f"<v>{v}</v>" for v in values)
    data = f'<?xml version="1.0" encoding="UTF-8"?><r>{body}</r>{" " * 64}'.encode()
    validate(data)
    tags = Tags(data, {"v": 1})
    return tags, tags.of_kind(1)


def _float_like_reference(text: str) -> tuple[float, bool]:
    if not text:
        return math.nan, False  # lxml gives None for empty text
    try:
        value = float(text)
    except ValueError:
        return math.nan, True
    return value, False


_DECIMALS = st.from_regex(r"\A[+-]?([0-9]{0,25}\.?[0-9]{0,25}|[0-9]{1,5}[eE][+-]?[0-9]{1,3})\Z")
_NUMBER_TEXTS = st.one_of(
    _DECIMALS,
    st.floats(allow_nan=False).map(repr),
    st.floats(width=32, allow_nan=False).map(lambda x: f"{x:.17g}"),
    st.sampled_from(ODD_NUMBERS),
    st.text(alphabet=" \t0123456789.-+eE_", max_size=12),
)


@settings(max_examples=60, deadline=None)
@given(values=st.lists(_NUMBER_TEXTS, min_size=1, max_size=300))
@example(values=["9007199254740993", "9007199254740993.0", "0.9007199254740993", "1" * 19])
@example(values=["123456789012345678.5", "0.30000000000000004441", "-0.0", "00000000000000000001"])
def test_numbers_column_equals_float(values: list[str]) -> None:
    tags, els = _scan_values(values)
    got, bad = tags.numbers(els)
    for text, g, b in zip(values, got, bad, strict=True):
        want, want_bad = _float_like_reference(text)
        assert b == want_bad, text
        assert _same_value(float(g), want) and math.copysign(1, g) == math.copysign(1, want), (
            text,
            g,
            want,
        )


_ISO_TIMES = st.builds(
    lambda y, mo, d, h, mi, s, frac, zone: (
        f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}{frac}{zone}"
    ),
    st.integers(1800, 2300),
    st.integers(0, 13),
    st.integers(0, 32),
    st.integers(0, 24),
    st.integers(0, 60),
    st.integers(0, 60),
    st.one_of(st.just(""), st.from_regex(r"\A\.[0-9]{0,12}\Z")),
    st.one_of(
        st.sampled_from(["", "Z", "z", "+00:00", "-00:00"]),
        st.from_regex(r"\A[+-][0-2][0-9]:[0-6][0-9]\Z"),
    ),
)


@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.one_of(_ISO_TIMES, st.sampled_from(ODD_TIMES)), min_size=1, max_size=200))
def test_times_column_equals_parse_times(values: list[str]) -> None:
    tags, els = _scan_values(values)
    got = tags.times(els)
    for i, text in enumerate(values):
        want = parse_times([text])
        assert _same_value(float(got.epoch_s[i]), float(want.epoch_s[0])), text
        assert bool(got.unreadable[i]) == (want.unreadable > 0), text
        assert bool(got.naive[i]) == (want.naive > 0), text
        assert (int(got.offset_s[i]) or None) == want.utc_offset_s, text
    want_all = parse_times(values)
    summary = got.parsed(0, len(values))
    assert summary.utc_offset_s == want_all.utc_offset_s
    assert (summary.unreadable, summary.naive) == (want_all.unreadable, want_all.naive)
