"""GPX 1.0 / 1.1 reader: each recorded track (``<trk>``) becomes one :class:`Activity`.

Decisions:

* One activity per ``<trk>``; its segments are concatenated (a segment break is a pause).
* Track points without a ``<time>`` cannot be placed in time and are dropped with a warning.
  A track with no timed point at all is a drawn route, not a recording, and is skipped; so is
  a track with a single timed point (it has no duration). A file with no usable track raises
  :class:`NotAnActivityError` saying what it holds instead (route, waypoints, metadata).
* Columns: ``lat``/``lon`` attributes, ``<ele>``, GPX 1.0 ``<speed>``; in ``<extensions>``
  Garmin TrackPointExtension v1/v2 ``hr``, ``cad`` and ``speed``, ``PowerInWatts``/``power``,
  and the cluetrust ``gpxdata:hr``/``cadence``/``speed`` used by Suunto. ``atemp`` and the
  device's ``gpxdata:distance`` are ignored: distance comes from positions, as for any GPX.
* Sport from the track ``<type>`` (Strava's numeric codes included), else from a clear word
  in the track name ("Morning Run"); the ``creator`` attribute is the device.

How it reads: the meaning above is defined by the lxml ``iterparse`` reader in
:mod:`.gpx_reference`. This module gets the same result several times faster by reading the
track points column-wise from the raw bytes (:mod:`.xmlscan`): libxml2 checks the whole
document is well-formed without calling back into Python, numpy finds every tag, the point
fields are picked by local name and parent and converted a column at a time, and the
document minus its track points (names, metadata, waypoints, routes: small) goes through the
reference code path with lxml.

Decision rule: the fast path reads a file only when it can do so with certainty, and hands
it to :func:`parse_gpx_reference` otherwise. Files under 64 KB go straight to the reference,
which is as quick there (the fast path's fixed costs dominate). The fast path declines when

* the bytes are not UTF-8/ASCII (a declared other encoding, UTF-16/32, a BOM other than
  UTF-8's), the XML is not version 1.0, or the file is larger than 32 MB (the fast path
  holds about four times the file size in arrays; the reference streams in bounded memory);
* libxml2 reports anything at all about the document (malformed XML, namespace errors,
  limits; the reference then raises the matching error with line and column), or the root
  element is not ``<gpx>``;
* a comment, CDATA section or processing instruction follows the root's start, an attribute
  value may hold a ``>``, a text is over 1 MB long or elements nest over 200 deep;
* a ``<trkpt>`` is not a child of a ``<trkseg>``, or holds another ``trkpt``/``trkseg``/
  ``trk``/``rte``'s ``rtept``/``wpt`` element, or holds an ``&`` (an entity or character
  reference) anywhere;
* a field it reads (``time``, ``ele``, ``speed``, an extension field) has child elements;
* reading the rest of the document does not give one ``<trk>`` event per ``<trk>`` found.

Everything else (attribute order and quoting, namespace prefixes, whitespace and line ends,
missing or empty fields, unreadable numbers, odd time formats, repeated fields: the last one
wins, as in the reference) is read with the reference's exact semantics; odd single values
go through the same ``float()`` and :func:`.xmlsafe.parse_times` the reference uses. Should
the fast path ever fail unexpectedly, the public reader falls back to the reference as well.
The differential tests in ``tests/adapters/test_xml_fastpath.py`` hold the two readers to
identical output on the corpus, on hand-made tricky files and on mutated real files.
"""

from __future__ import annotations

import re

import numpy as np
from lxml import etree

from backstride.adapters.files import xmlsafe
from backstride.adapters.files.gpx_reference import (
    SOURCE_FORMAT,
    TAGS,
    Outcome,
    finish_file,
    finish_track,
    parse_gpx_reference,
)
from backstride.adapters.files.xmlsafe import (
    TagKinds,
    child_texts,
    iter_elements,
    release,
)
from backstride.adapters.files.xmlscan import (
    SMALL_BYTES,
    IntArray,
    PointColumns,
    Span,
    Tags,
    Unsupported,
    root_offset,
    validate,
)
from backstride.domain.activity import Activity
from backstride.errors import BackstrideError

__all__ = ["SOURCE_FORMAT", "parse_gpx", "parse_gpx_reference", "read_gpx_fast"]

_TRKPT, _TRKSEG, _TRK, _RTEPT, _WPT = 1, 2, 3, 4, 5
_TIME, _ELE, _SPEED, _EXT, _HR, _CAD, _POWER = 6, 7, 8, 9, 10, 11, 12
_KINDS = {
    "trkpt": _TRKPT,
    "trkseg": _TRKSEG,
    "trk": _TRK,
    "rtept": _RTEPT,
    "wpt": _WPT,
    "time": _TIME,
    "ele": _ELE,
    "speed": _SPEED,  # a point's GPX 1.0 <speed>, or an extension's speed
    "extensions": _EXT,
    "hr": _HR,
    "heartrate": _HR,
    "cad": _CAD,
    "cadence": _CAD,
    "power": _POWER,
    "PowerInWatts": _POWER,
}
_STREAMED = (_TRKPT, _TRKSEG, _TRK, _RTEPT, _WPT)
_SKELETON_KINDS = {"trkpt": _TRKPT, "trkseg": _TRKSEG, "trk": _TRK, "rtept": _RTEPT, "wpt": _WPT}

_LAT_EQ = int.from_bytes(b"lat=", "little")
_LON_EQ = int.from_bytes(b"lon=", "little")
_LOW4 = np.uint64(0xFFFFFFFF)
_TAG_WINDOW = 128  # start tags up to this long have their lat/lon read column-wise
_ATTRIBUTE = re.compile(rb"""([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


class _Points(PointColumns):
    """Every ``<trkpt>``'s columns, read from the scanned document."""

    def __init__(self, tags: Tags, pts: Span) -> None:
        super().__init__(tags, pts.els.size)
        kind = tags.el_kind
        candidates = tags.of_kind(_TIME, _ELE, _SPEED, _EXT)
        point = tags.children(candidates, pts)
        children = candidates[point >= 0]
        child_point = point[point >= 0]
        child_kind = kind[children]

        def direct(k: int) -> tuple[IntArray, IntArray]:
            sel = child_kind == k
            return children[sel], child_point[sel]

        exts, ext_holder_point = direct(_EXT)
        ext_fields = tags.of_kind(_HR, _CAD, _POWER, _SPEED)
        holder = tags.inside(tags.el_tag[ext_fields], tags.span(exts))
        ext_fields = ext_fields[holder >= 0]
        ext_point = ext_holder_point[holder[holder >= 0]]
        ext_kind = kind[ext_fields]

        def ext(k: int) -> tuple[IntArray, IntArray]:
            sel = ext_kind == k
            return ext_fields[sel], ext_point[sel]

        time_els, time_point = direct(_TIME)
        if not tags.leaves(np.concatenate([children[child_kind != _EXT], ext_fields])):
            raise Unsupported("a point field has child elements")
        self._positions(pts)
        self.add("altitude_m", [direct(_ELE)])
        self.add("speed_m_s", [direct(_SPEED), ext(_SPEED)])
        self.add("hr_bpm", [ext(_HR)])
        self.add("cadence_rpm", [ext(_CAD)])
        self.add("power_w", [ext(_POWER)])
        self.convert()
        self.point_times = self.times(time_els, time_point)

    def _positions(self, pts: Span) -> None:
        """``lat``/``lon`` attributes. The usual ``<trkpt lat="…" lon="…">`` (either order,
        double quotes, nothing else) is read column-wise; any other start tag on its own."""
        tags = self.tags
        arr = tags.arr
        lt, te = tags.lt[pts.start], tags.te[pts.start]
        start = np.zeros((self.n, 2), dtype=np.int64)
        end = np.zeros((self.n, 2), dtype=np.int64)
        missing = np.ones((self.n, 2), dtype=bool)
        # Quotes inside each start tag (up to 128 bytes long), from a window of its bytes.
        size = te - lt + 1
        short = np.flatnonzero(size <= _TAG_WINDOW)
        width = 8 * ((int(size[short].max(initial=1)) + 7) // 8)
        window = tags.gather(lt[short], width // 8, size[short]).ravel()
        quote = np.flatnonzero(window == 0x22)
        row, col = quote // width, quote % width
        n_quotes = np.bincount(row, minlength=short.size)
        n_single = np.bincount(np.flatnonzero(window == 0x27) // width, minlength=short.size)
        four = (n_quotes == 4) & (n_single == 0)
        if four.any():
            # Each row's quotes are consecutive in ``col``: the first four of the rows with four.
            first = np.cumsum(n_quotes) - n_quotes
            q = lt[short[four], None] + col[first[four, None] + np.arange(4)]
            name1 = tags.words(q[:, 0] - 4) & _LOW4
            name2 = tags.words(q[:, 2] - 4) & _LOW4
            # Bytes up to ' ' in a tag can only be XML whitespace.
            space1 = arr[q[:, 0] - 5] <= 0x20
            space2 = arr[q[:, 2] - 5] <= 0x20
            lat_first = (name1 == _LAT_EQ) & (name2 == _LON_EQ)
            lon_first = (name1 == _LON_EQ) & (name2 == _LAT_EQ)
            ok = space1 & space2 & (lat_first | lon_first)
            rows = short[four][ok]
            q, lat_first = q[ok], lat_first[ok]
            for axis, (a, b) in enumerate(((0, 2), (2, 0))):  # (lat, lon) quote columns
                qa = np.where(lat_first, q[:, a], q[:, b])
                start[rows, axis] = qa + 1
                end[rows, axis] = np.where(lat_first, q[:, a + 1], q[:, b + 1])
            missing[rows] = False
        others = np.flatnonzero(missing[:, 0])
        data = tags.data
        for i in others.tolist():
            found: dict[bytes, tuple[int, int]] = {}
            for m in _ATTRIBUTE.finditer(data, int(lt[i]), int(te[i])):
                group = 2 if m.group(2) is not None else 3
                found.setdefault(m.group(1), (m.start(group), m.end(group)))
            for axis, attr in enumerate((b"lat", b"lon")):
                if attr in found:
                    start[i, axis], end[i, axis] = found[attr]
                    missing[i, axis] = False
        point = np.arange(self.n)
        for axis, name in enumerate(("lat_deg", "lon_deg")):
            # An attribute present but empty is read (and refused) by float(), not missing.
            self.add_spans(name, start[:, axis], end[:, axis], missing[:, axis], point)


def _skeleton(data: bytes) -> tuple[list[dict[str, str]], int, int, etree._Element]:
    """The reference reader's pass over the document minus its track points: each track's
    texts at its end, the route and waypoint counts, and the root."""
    stream = iter_elements(data, tags=TAGS)
    kinds = TagKinds(_SKELETON_KINDS)
    metas: list[dict[str, str]] = []
    rtepts = wpts = 0
    for _event, el in stream.events:
        kind = kinds[el.tag]
        if kind == _TRKPT:
            raise Unsupported("a track point was left in the skeleton")
        if kind == _TRKSEG:
            el.clear()
        elif kind == _TRK:
            metas.append(child_texts(el))
            el.clear()
        elif kind == _RTEPT:
            rtepts += 1
            release(el)
        elif kind == _WPT:
            wpts += 1
            el.clear()
    return metas, rtepts, wpts, stream.finish()


def _read(data: bytes) -> list[Activity]:
    xmlsafe.check_prolog(data)  # a DOCTYPE is refused exactly as the reference refuses it
    root_offset(data)
    validate(data)
    tags = Tags(data, _KINDS)
    kind = tags.el_kind
    if tags.local_name(0) != b"gpx":
        raise Unsupported("root element is not <gpx>")
    streamed = tags.of_kind(*_STREAMED)
    pts = tags.span(streamed[kind[streamed] == _TRKPT])
    if pts.els.size:
        if (tags.children(pts.els, tags.span(streamed[kind[streamed] == _TRKSEG])) < 0).any():
            raise Unsupported("a track point outside a track segment")
        if tags.any_nested(tags.el_tag[streamed], pts):
            raise Unsupported("track structure inside a track point")
        amps = tags.offsets_of(b"&")
        if tags.bytes_inside(amps, pts):
            raise Unsupported("an entity or character reference in a track point")
    points = _Points(tags, pts)
    trks = streamed[kind[streamed] == _TRK]
    trk_ends = np.sort(tags.span(trks).end)
    group = np.searchsorted(trk_ends, pts.end)
    bounds = np.searchsorted(group, np.arange(trks.size + 2))
    try:
        metas, rtepts, wpts, root = _skeleton(tags.without(pts))
    except BackstrideError as exc:
        raise Unsupported(f"skeleton: {exc}") from exc
    except etree.Error as exc:
        raise Unsupported(f"skeleton: {exc}") from exc
    if len(metas) != trks.size:
        raise Unsupported("tracks in the skeleton do not match")
    device = root.get("creator") or None
    outcome = Outcome()
    for g in range(trks.size + 1):
        a, b = int(bounds[g]), int(bounds[g + 1])
        if a == b:
            continue
        finish_track(
            b - a,
            points.point_times.parsed(a, b),
            points.slice(a, b),
            int(points.unreadable[a:b].sum()),
            metas[g] if g < len(metas) else {},
            device=device,
            outcome=outcome,
        )
    return finish_file(outcome, rtepts=rtepts, wpts=wpts, root=root)


def read_gpx_fast(data: bytes) -> list[Activity] | None:
    """What :func:`parse_gpx_reference` returns for ``data``, read column-wise from the bytes;
    None when the input is outside what the fast path reads with certainty (the module's
    decision rule). Raises the reference's errors for files it does read."""
    try:
        return _read(data)
    except Unsupported:
        return None


def parse_gpx(data: bytes) -> list[Activity]:
    """Every recorded track in GPX ``data`` as an activity.

    Raises :class:`NotAnActivityError` for routes, waypoints and untimed tracks,
    :class:`UnsafeFileError` for a DOCTYPE/entities, :class:`CorruptFileError` otherwise.
    """
    if len(data) < SMALL_BYTES:  # the reference's fixed costs are lower
        return parse_gpx_reference(data)
    try:
        activities = read_gpx_fast(data)
    except BackstrideError:
        raise
    except Exception:  # a fast-path defect must never cost a file: the reference reads it
        activities = None
    return activities if activities is not None else parse_gpx_reference(data)
