"""Hostile and broken XML: nothing is expanded, read or fetched; only our errors escape."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from backstride.adapters.files.gpx import parse_gpx
from backstride.adapters.files.tcx import parse_tcx
from backstride.adapters.files.xml import safe as xmlsafe
from backstride.domain.activity import Activity
from backstride.errors import (
    BackstrideError,
    CorruptFileError,
    UnsafeFileError,
)

Parser = Callable[[bytes], list[Activity]]
PARSERS = pytest.mark.parametrize("parse", [parse_gpx, parse_tcx], ids=["gpx", "tcx"])

MARKER = "backstride-secret-marker-7f3a9c"

POINTS = (
    '<trkpt lat="50.0" lon="6.0"><time>2020-01-01T10:00:00Z</time></trkpt>'
    '<trkpt lat="50.001" lon="6.0"><time>2020-01-01T10:01:00Z</time></trkpt>'
)


TRACKPOINTS = (
    "<Trackpoint><Time>2020-01-01T10:00:00Z</Time></Trackpoint>"
    "<Trackpoint><Time>2020-01-01T10:01:00Z</Time></Trackpoint>"
)


def _gpx_with(prolog: str, *, name: str = "run") -> bytes:
    return (
        f'<?xml version="1.0"?>\n{prolog}\n<gpx version="1.1" creator="x" '
        f'xmlns="http://www.topografix.com/GPX/1/1"><trk><name>{name}</name>'
        f"<trkseg>{POINTS}</trkseg></trk></gpx>"
    ).encode()


def _tcx_with(prolog: str, *, name: str = "run") -> bytes:
    return (
        f'<?xml version="1.0"?>\n{prolog}\n<TrainingCenterDatabase '
        'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"><Activities>'
        '<Activity Sport="Running"><Id>2020-01-01T10:00:00Z</Id>'
        f'<Lap StartTime="2020-01-01T10:00:00Z"><Track>{TRACKPOINTS}</Track></Lap>'
        f"<Notes>{name}</Notes></Activity></Activities></TrainingCenterDatabase>"
    ).encode()


def _doc(parse: Parser, prolog: str, *, name: str = "run") -> bytes:
    """A small valid GPX or TCX file (for ``parse``) with ``prolog`` and ``name`` spliced in."""
    return (_gpx_with if parse is parse_gpx else _tcx_with)(prolog, name=name)


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(MARKER)
    return path


@pytest.fixture
def listening_port() -> Iterator[socket.socket]:
    """A local TCP server: any fetch of an external DTD or entity would connect to it."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    server.setblocking(False)
    yield server
    server.close()


def _assert_no_connection(server: socket.socket) -> None:
    with pytest.raises(BlockingIOError):
        conn, _ = server.accept()
        conn.close()


# --- entities and DTDs --------------------------------------------------------------------

BILLION_LAUGHS = (
    '<!DOCTYPE gpx [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>"
)


@PARSERS
def test_parse_refuses_billion_laughs(parse: Parser) -> None:
    with pytest.raises(UnsafeFileError, match="entities"):
        parse(_doc(parse, BILLION_LAUGHS, name="&lol9;"))


@PARSERS
def test_parse_refuses_external_file_entity(parse: Parser, secret_file: Path) -> None:
    doctype = f'<!DOCTYPE gpx [<!ENTITY xxe SYSTEM "file://{secret_file}">]>'
    with pytest.raises(UnsafeFileError) as excinfo:
        parse(_doc(parse, doctype, name="&xxe;"))
    assert MARKER not in str(excinfo.value)
    doctype = '<!DOCTYPE gpx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    with pytest.raises(UnsafeFileError, match="Nothing was expanded or fetched"):
        parse(_doc(parse, doctype, name="&xxe;"))


@PARSERS
def test_parse_refuses_external_dtd_without_connecting(
    parse: Parser, listening_port: socket.socket
) -> None:
    port = listening_port.getsockname()[1]
    doctype = f'<!DOCTYPE gpx SYSTEM "http://127.0.0.1:{port}/evil.dtd">'
    with pytest.raises(UnsafeFileError, match="external DTD"):
        parse(_doc(parse, doctype))
    _assert_no_connection(listening_port)


def test_parse_gpx_refuses_parameter_entities(listening_port: socket.socket) -> None:
    port = listening_port.getsockname()[1]
    doctype = (
        f'<!DOCTYPE gpx [<!ENTITY % remote SYSTEM "http://127.0.0.1:{port}/x.dtd">%remote;'
        "<!ENTITY % inner \"<!ENTITY leak 'x'>\">%inner;]>"
    )
    with pytest.raises(UnsafeFileError):
        parse_gpx(_gpx_with(doctype, name="&leak;"))
    _assert_no_connection(listening_port)


def test_parse_gpx_refuses_a_doctype_hidden_after_comments_and_pis() -> None:
    prolog = (
        "<!-- <gpx> in a comment --><?pi <gpx>?>\n<!-- -->" + '<!DOCTYPE gpx [<!ENTITY a "b">]>'
    )
    with pytest.raises(UnsafeFileError):
        parse_gpx(_gpx_with(prolog, name="&a;"))


def test_parse_gpx_refuses_a_doctype_in_utf16() -> None:
    data = _gpx_with('<!DOCTYPE gpx [<!ENTITY a "b">]>', name="&a;").decode()
    data = data.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>')
    with pytest.raises(UnsafeFileError):
        parse_gpx(data.encode("utf-16"))


def test_parse_gpx_reads_a_clean_utf16_file() -> None:
    data = _gpx_with("").decode().replace('<?xml version="1.0"?>', "")
    (activity,) = parse_gpx(data.encode("utf-16"))
    assert activity.name == "run"


def test_xinclude_is_never_processed(secret_file: Path) -> None:
    xi = (
        f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{secret_file}" '
        'parse="text"/>'
    )
    (activity,) = parse_gpx(_gpx_with("", name=xi))
    assert MARKER not in repr(activity)
    assert activity.name is None


def test_lxml_settings_alone_read_and_fetch_nothing(
    monkeypatch: pytest.MonkeyPatch, secret_file: Path, listening_port: socket.socket
) -> None:
    """Defence in depth: were the prolog check to let a DOCTYPE through, the parser settings
    would still read no file and open no connection, and the document would be refused once
    parsed."""
    monkeypatch.setattr(xmlsafe, "check_prolog", lambda data: xmlsafe.Prolog(root_name=None))
    port = listening_port.getsockname()[1]
    doctype = (
        f'<!DOCTYPE gpx SYSTEM "http://127.0.0.1:{port}/evil.dtd" ['
        f'<!ENTITY xxe SYSTEM "file://{secret_file}">'
        f'<!ENTITY net SYSTEM "http://127.0.0.1:{port}/e.txt">]>'
    )
    stream = xmlsafe.iter_elements(_gpx_with(doctype, name="&xxe;&net;"), tags=("{*}name",))
    (name,) = [el for _event, el in stream.events]
    serialized = etree.tostring(name, encoding="unicode")
    assert MARKER not in serialized
    assert "&xxe;" in serialized  # left as an unexpanded reference
    _assert_no_connection(listening_port)
    with pytest.raises(UnsafeFileError, match="document type declaration"):
        stream.finish()
    with pytest.raises(UnsafeFileError, match="document type declaration"):
        parse_gpx(_gpx_with(doctype, name="&xxe;"))


def test_billion_laughs_past_the_prolog_check_hits_a_libxml2_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """libxml2 still checks internal entities even when told not to substitute them; its
    amplification limit then stops the bomb, and that is reported as unsafe, not corrupt."""
    monkeypatch.setattr(xmlsafe, "check_prolog", lambda data: xmlsafe.Prolog(root_name=None))
    with pytest.raises(UnsafeFileError, match="safety limit"):
        parse_gpx(_gpx_with(BILLION_LAUGHS, name="&lol9;"))


# --- size and shape limits -------------------------------------------------------------------


def test_parse_gpx_refuses_a_huge_text_node() -> None:
    with pytest.raises(UnsafeFileError, match="safety limit"):
        parse_gpx(_gpx_with("", name="x" * (11 * 1024 * 1024)))


@PARSERS
def test_parse_refuses_deep_nesting(parse: Parser) -> None:
    deep = "<a>" * 5000 + "</a>" * 5000
    with pytest.raises(UnsafeFileError, match="safety limit"):
        parse(_doc(parse, "", name=deep))


# --- broken input ------------------------------------------------------------------------------


@PARSERS
@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\xef\xbb\xbf",
        b"\x00\x01\x02\xff\xfe\xfd garbage \x80\x81",
        bytes(range(256)) * 4,
        b"<gpx",
        b"<?xml version='1.0'?>",
        b'<?xml version="1.0" encoding="no-such-encoding"?><gpx/>',
        b"<gpx><trk><name>\xff\xfe\xfa</name></trk></gpx>",
        b"<gpx/><gpx/>",
        b"<gpx>&undefined;</gpx>",
        b"<TrainingCenterDatabase><Activities><Activity><Lap><Track><Trackpoint>",
    ],
    ids=[
        "empty",
        "bom-only",
        "binary",
        "all-bytes",
        "open-tag",
        "decl-only",
        "bad-encoding",
        "non-utf8",
        "two-roots",
        "undefined-entity",
        "truncated-tcx",
    ],
)
def test_parse_raises_corrupt_file_for_broken_xml(parse: Parser, data: bytes) -> None:
    with pytest.raises(CorruptFileError):
        parse(data)


@PARSERS
def test_parse_says_where_a_truncated_file_ends(parse: Parser) -> None:
    data = _doc(parse, "")
    with pytest.raises(CorruptFileError, match=r"line \d+, column \d+") as excinfo:
        parse(data[:-30])
    assert excinfo.value.hint


def _track(*points: tuple[float, str]) -> bytes:
    body = "".join(f'<trkpt lat="{lat}" lon="6.0"><time>{t}</time></trkpt>' for lat, t in points)
    return (
        '<gpx version="1.1" creator="x" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk><trkseg>{body}</trkseg></trk></gpx>"
    ).encode()


def test_parse_gpx_blanks_a_10000_kmh_jump_and_keeps_the_activity() -> None:
    # ~28 km in 10 s: assemble_activity blanks the impossible position, keeps the sample.
    (activity,) = parse_gpx(
        _track(
            (50.0, "2020-01-01T10:00:00Z"),
            (50.0005, "2020-01-01T10:00:10Z"),
            (50.25, "2020-01-01T10:00:20Z"),
            (50.0015, "2020-01-01T10:00:30Z"),
        )
    )
    assert len(activity.streams) == 4
    assert any("360 km/h" in w for w in activity.warnings)
    assert activity.distance_m is not None and activity.distance_m < 200.0


def test_parse_gpx_drops_year_1900_samples_with_a_warning() -> None:
    (activity,) = parse_gpx(
        _track(
            (50.0, "1900-01-01T10:00:00Z"),
            (50.0005, "2020-01-01T10:00:10Z"),
            (50.001, "2020-01-01T10:00:20Z"),
        )
    )
    assert len(activity.streams) == 2
    assert any("impossible dates" in w for w in activity.warnings)


def test_parse_gpx_rejects_a_track_with_only_year_1900_times() -> None:
    with pytest.raises(CorruptFileError, match="sane date"):
        parse_gpx(_track((50.0, "1900-01-01T10:00:00Z"), (50.001, "1900-01-01T10:01:00Z")))


# --- fuzzing: mutations and truncations of real files ----------------------------------------

FUZZ_FILES = {
    "gpx": ["gpxpy/track-with-empty-segment.gpx", "sports-lib/4623204522-1.gpx"],
    "tcx": ["tcxreader/sup_activity_1.tcx"],
}


@st.composite
def _mutations(draw: st.DrawFn, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        op = draw(st.sampled_from(["truncate", "flip", "insert", "delete", "splice"]))
        if not out:
            break
        at = draw(st.integers(min_value=0, max_value=len(out) - 1))
        if op == "truncate":
            del out[at:]
        elif op == "flip":
            out[at] = draw(st.integers(min_value=0, max_value=255))
        elif op == "insert":
            out[at:at] = draw(
                st.one_of(
                    st.binary(min_size=1, max_size=12),
                    st.sampled_from(
                        [
                            b"<",
                            b">",
                            b"&",
                            b"&amp;",
                            b"]]>",
                            b"<!DOCTYPE x>",
                            b"<![CDATA[",
                            b"</trkpt>",
                            b"<trkpt>",
                            b"</Trackpoint>",
                            b"nan",
                            b"-1e308",
                            b"\x00",
                        ]
                    ),
                )
            )
        elif op == "delete":
            del out[at : at + draw(st.integers(min_value=1, max_value=200))]
        else:
            other = draw(st.integers(min_value=0, max_value=len(out) - 1))
            out[at:at] = out[other : other + draw(st.integers(min_value=1, max_value=300))]
    return bytes(out)


def _fuzz_inputs(activities_dir: Path, kind: str) -> list[bytes]:
    datas = [
        (activities_dir / rel).read_bytes()
        for rel in FUZZ_FILES[kind]
        if (activities_dir / rel).is_file()
    ]
    if not datas:
        pytest.skip("fuzz seed files not in the corpus")
    return datas


def _only_our_errors(parse: Parser, data: bytes) -> None:
    try:
        activities = parse(data)
    except BackstrideError:
        return
    for activity in activities:
        assert len(activity.streams) >= 1


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_parse_gpx_raises_only_our_errors_on_mutated_files(
    activities_dir: Path, data: st.DataObject
) -> None:
    seeds = _fuzz_inputs(activities_dir, "gpx")
    seed = data.draw(st.sampled_from(seeds))
    _only_our_errors(parse_gpx, data.draw(_mutations(seed)))


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_parse_tcx_raises_only_our_errors_on_mutated_files(
    activities_dir: Path, data: st.DataObject
) -> None:
    seeds = _fuzz_inputs(activities_dir, "tcx")
    seed = data.draw(st.sampled_from(seeds))
    _only_our_errors(parse_tcx, data.draw(_mutations(seed)))


@settings(max_examples=150, deadline=None)
@given(junk=st.binary(max_size=400))
def test_parse_raises_only_our_errors_on_random_bytes(junk: bytes) -> None:
    for parse in (parse_gpx, parse_tcx):
        for data in (junk, b"<gpx>" + junk, b"<TrainingCenterDatabase>" + junk):
            _only_our_errors(parse, data)
