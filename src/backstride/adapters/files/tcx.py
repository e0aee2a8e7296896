"""Garmin Training Center (TCX v2) reader: every ``<Activity>`` becomes one :class:`Activity`.

Decisions:

* Activities are found wherever they sit, including inside ``<MultiSportSession>``
  (``FirstSport``/``NextSport``): a multisport file gives one activity per leg. Trackpoints of
  a multisport ``<Transition>`` are not part of either leg and are left out.
* ``Sport`` maps through :func:`map_sport`; a run without a single position is an indoor run
  (treadmill). ``Id`` is the start time, ``Creator/Name`` the device, ``Notes`` the notes.
* Laps (``StartTime``, ``TotalTimeSeconds``, ``DistanceMeters``) become :class:`Lap` and are
  summed into :class:`DeviceTotals` (distance, timer time, max and time-weighted mean HR).
  A distance of zero everywhere (an indoor ride without sensor) is unknown, not zero.
* Trackpoint columns: ``Position``, ``AltitudeMeters``, ``DistanceMeters``,
  ``HeartRateBpm/Value``, ``Cadence`` (bike, rpm) and, in the ``TPX`` extension, ``Speed``,
  ``RunCadence`` (strides per minute, stored raw as ``cadence_rpm``) and ``Watts``.
  Trackpoints without ``Time`` are dropped with a warning.
* An activity with laps but no trackpoints keeps its lap totals (a summary-only export).
* Files holding only courses or workouts raise :class:`NotAnActivityError`.

How it reads: the meaning above is defined by the lxml ``iterparse`` reader in
:mod:`.tcx_reference`. This module gets the same result several times faster by reading the
trackpoints column-wise from the raw bytes (:mod:`.xmlscan`): libxml2 checks the whole
document is well-formed without calling back into Python, numpy finds every tag, the
trackpoint fields are picked by local name and parent and converted a column at a time, and
the document minus its trackpoints (activities, laps, notes, creator: small) goes through the
reference code path with lxml.

Decision rule: the fast path reads a file only when it can do so with certainty, and hands
it to :func:`parse_tcx_reference` otherwise. Files under 64 KB go straight to the reference,
which is as quick there (the fast path's fixed costs dominate). The fast path declines when

* the bytes are not UTF-8/ASCII (a declared other encoding, UTF-16/32, a BOM other than
  UTF-8's), the XML is not version 1.0, or the file is larger than 32 MB (the fast path
  holds about four times the file size in arrays; the reference streams in bounded memory);
* libxml2 reports anything at all about the document (malformed XML, namespace errors,
  limits; the reference then raises the matching error with line and column), or the root
  element is not ``<TrainingCenterDatabase>``;
* a comment, CDATA section or processing instruction follows the root's start, an attribute
  value may hold a ``>``, a text is over 1 MB long or elements nest over 200 deep;
* a ``<Trackpoint>`` is not a child of a ``<Track>``, or holds a ``Trackpoint``, ``Track``,
  ``Lap``, ``Activity``, ``Transition``, ``Course`` or ``Workout`` element, or holds an ``&``
  (an entity or character reference) anywhere;
* a trackpoint's ``<HeartRateBpm>`` does not start with a ``<Value>`` child (the reference
  reads its first child in one code path and its first ``Value`` in another), or a field it
  reads has child elements;
* reading the rest of the document does not give the same activity/transition/course/workout
  events, in the same order, as the elements found.

Everything else (namespace prefixes, whitespace and line ends, missing or empty fields,
unreadable numbers, odd time formats, repeated fields: the last one wins, as in the
reference) is read with the reference's exact semantics; odd single values go through the
same ``float()`` and :func:`.xmlsafe.parse_times` the reference uses. Should the fast path
ever fail unexpectedly, the public reader falls back to the reference as well. The
differential tests in ``tests/adapters/test_xml_fastpath.py`` hold the two readers to
identical output on the corpus, on hand-made tricky files and on mutated real files.
"""

from __future__ import annotations

import numpy as np
from lxml import etree

from backstride.adapters.files import xmlsafe
from backstride.adapters.files.tcx_reference import (
    SOURCE_FORMAT,
    TAGS,
    ActivityInfo,
    LapRecord,
    Outcome,
    activity_info,
    finish_activity,
    finish_file,
    parse_tcx_reference,
    read_lap,
)
from backstride.adapters.files.xmlsafe import TagKinds, iter_elements
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

__all__ = ["SOURCE_FORMAT", "parse_tcx", "parse_tcx_reference", "read_tcx_fast"]

_TRACKPOINT, _TRACK, _LAP, _ACTIVITY, _TRANSITION, _COURSE, _WORKOUT = 1, 2, 3, 4, 5, 6, 7
_TIME, _POSITION, _ALTITUDE, _DISTANCE, _HR, _CADENCE, _EXTENSIONS = 8, 9, 10, 11, 12, 13, 14
_LAT, _LON, _SPEED, _POWER, _VALUE = 15, 16, 17, 18, 19
_KINDS = {
    "Trackpoint": _TRACKPOINT,
    "Track": _TRACK,
    "Lap": _LAP,
    "Activity": _ACTIVITY,
    "Transition": _TRANSITION,
    "Course": _COURSE,
    "Workout": _WORKOUT,
    "Time": _TIME,
    "Position": _POSITION,
    "AltitudeMeters": _ALTITUDE,
    "DistanceMeters": _DISTANCE,
    "HeartRateBpm": _HR,
    "Cadence": _CADENCE,
    "RunCadence": _CADENCE,
    "Extensions": _EXTENSIONS,
    "LatitudeDegrees": _LAT,
    "LongitudeDegrees": _LON,
    "Speed": _SPEED,
    "Watts": _POWER,
    "Value": _VALUE,
}
_STREAMED = (_TRACKPOINT, _TRACK, _LAP, _ACTIVITY, _TRANSITION, _COURSE, _WORKOUT)
_BOUNDARIES = (_ACTIVITY, _TRANSITION, _COURSE, _WORKOUT)
_SKELETON_KINDS = {name: _KINDS[name] for name in _KINDS if _KINDS[name] in _STREAMED}

_Event = tuple[int, list[LapRecord], ActivityInfo | None]


class _Trackpoints(PointColumns):
    """Every ``<Trackpoint>``'s columns, read from the scanned document."""

    def __init__(self, tags: Tags, tps: Span) -> None:
        super().__init__(tags, tps.els.size)
        kind = tags.el_kind
        candidates = tags.of_kind(
            _TIME, _POSITION, _ALTITUDE, _DISTANCE, _HR, _CADENCE, _EXTENSIONS
        )
        point = tags.children(candidates, tps)
        children = candidates[point >= 0]
        child_point = point[point >= 0]
        child_kind = kind[children]

        def direct(k: int) -> tuple[IntArray, IntArray]:
            sel = child_kind == k
            return children[sel], child_point[sel]

        # Position/LatitudeDegrees and Position/LongitudeDegrees.
        positions, position_point = direct(_POSITION)
        coordinates = tags.of_kind(_LAT, _LON)
        holder = tags.children(coordinates, tags.span(positions))
        coordinates = coordinates[holder >= 0]
        coordinate_point = position_point[holder[holder >= 0]]

        def located(k: int) -> tuple[IntArray, IntArray]:
            sel = kind[coordinates] == k
            return coordinates[sel], coordinate_point[sel]

        # HeartRateBpm/Value: the first child, which both reference code paths read.
        hrs, hr_point = direct(_HR)
        after = tags.el_tag[hrs] + 1
        first_child = np.minimum(np.searchsorted(tags.el_tag, after), kind.size - 1)
        has_value = (
            ~tags.self_closing[tags.el_tag[hrs]]
            & ~tags.is_end[after]
            & (tags.el_tag[first_child] == after)
            & (kind[first_child] == _VALUE)
        )
        if not has_value.all():
            raise Unsupported("a HeartRateBpm without a leading Value")
        # Extensions fields: Speed, Cadence/RunCadence, Watts anywhere inside.
        exts, ext_holder_point = direct(_EXTENSIONS)
        ext_fields = tags.of_kind(_SPEED, _CADENCE, _POWER)
        holder = tags.inside(tags.el_tag[ext_fields], tags.span(exts))
        ext_fields = ext_fields[holder >= 0]
        ext_point = ext_holder_point[holder[holder >= 0]]
        ext_kind = kind[ext_fields]

        def ext(k: int) -> tuple[IntArray, IntArray]:
            sel = ext_kind == k
            return ext_fields[sel], ext_point[sel]

        values = children[np.isin(child_kind, (_TIME, _ALTITUDE, _DISTANCE, _CADENCE))]
        if not tags.leaves(np.concatenate([values, coordinates, first_child, ext_fields])):
            raise Unsupported("a trackpoint field has child elements")
        self.add("lat_deg", [located(_LAT)])
        self.add("lon_deg", [located(_LON)])
        self.add("altitude_m", [direct(_ALTITUDE)])
        self.add("distance_m", [direct(_DISTANCE)])
        self.add("speed_m_s", [ext(_SPEED)])
        self.add("hr_bpm", [(first_child, hr_point)])
        self.add("cadence_rpm", [direct(_CADENCE), ext(_CADENCE)])
        self.add("power_w", [ext(_POWER)])
        self.convert()
        self.point_times = self.times(*direct(_TIME))


def _skeleton(data: bytes) -> tuple[list[_Event], Outcome]:
    """The reference reader's pass over the document minus its trackpoints: one event per
    activity (with its laps and info) or transition/course/workout, in document order."""
    stream = iter_elements(data, tags=TAGS)
    kinds = TagKinds(_SKELETON_KINDS)
    outcome = Outcome()
    events: list[_Event] = []
    laps: list[LapRecord] = []
    for _event, el in stream.events:
        kind = kinds[el.tag]
        if kind == _TRACKPOINT:
            raise Unsupported("a trackpoint was left in the skeleton")
        if kind == _TRACK:
            el.clear()
        elif kind == _LAP:
            laps.append(read_lap(el))
            el.clear()
        elif kind == _ACTIVITY:
            events.append((kind, laps, activity_info(el)))
            laps = []
            el.clear()
        elif kind in (_TRANSITION, _COURSE, _WORKOUT):
            if kind == _COURSE:
                outcome.courses += 1
            elif kind == _WORKOUT:
                outcome.workouts += 1
            events.append((kind, [], None))
            laps = []
            el.clear()
    stream.finish()
    return events, outcome


def _read(data: bytes) -> list[Activity]:
    xmlsafe.check_prolog(data)  # a DOCTYPE is refused exactly as the reference refuses it
    root_offset(data)
    validate(data)
    tags = Tags(data, _KINDS)
    if tags.local_name(0) != b"TrainingCenterDatabase":
        raise Unsupported("root element is not <TrainingCenterDatabase>")
    kind = tags.el_kind
    streamed = tags.of_kind(*_STREAMED)
    tps = tags.span(streamed[kind[streamed] == _TRACKPOINT])
    if tps.els.size:
        if (tags.children(tps.els, tags.span(streamed[kind[streamed] == _TRACK])) < 0).any():
            raise Unsupported("a trackpoint outside a track")
        if tags.any_nested(tags.el_tag[streamed], tps):
            raise Unsupported("activity structure inside a trackpoint")
        amps = tags.offsets_of(b"&")
        if tags.bytes_inside(amps, tps):
            raise Unsupported("an entity or character reference in a trackpoint")
    points = _Trackpoints(tags, tps)
    boundaries = streamed[np.isin(kind[streamed], _BOUNDARIES)]
    ends = tags.span(boundaries).end
    order = np.argsort(ends)
    boundary_kinds = kind[boundaries[order]].tolist()
    group = np.searchsorted(ends[order], tps.end)
    bounds = np.searchsorted(group, np.arange(boundaries.size + 1))
    try:
        events, outcome = _skeleton(tags.without(tps))
    except BackstrideError as exc:
        raise Unsupported(f"skeleton: {exc}") from exc
    except etree.Error as exc:
        raise Unsupported(f"skeleton: {exc}") from exc
    if [k for k, _, _ in events] != boundary_kinds:
        raise Unsupported("activities in the skeleton do not match")
    for g, (event_kind, laps, info) in enumerate(events):
        if event_kind != _ACTIVITY or info is None:
            continue  # a transition, course or workout: its trackpoints are dropped
        a, b = int(bounds[g]), int(bounds[g + 1])
        finish_activity(
            b - a,
            points.point_times.parsed(a, b),
            points.slice(a, b),
            int(points.unreadable[a:b].sum()),
            laps,
            info,
            outcome,
        )
    return finish_file(outcome)


def read_tcx_fast(data: bytes) -> list[Activity] | None:
    """What :func:`parse_tcx_reference` returns for ``data``, read column-wise from the bytes;
    None when the input is outside what the fast path reads with certainty (the module's
    decision rule). Raises the reference's errors for files it does read."""
    try:
        return _read(data)
    except Unsupported:
        return None


def parse_tcx(data: bytes) -> list[Activity]:
    """Every activity in TCX ``data`` (several for a multisport file).

    Raises :class:`NotAnActivityError` for courses and workouts, :class:`UnsafeFileError`
    for a DOCTYPE/entities, :class:`CorruptFileError` otherwise.
    """
    if len(data) < SMALL_BYTES:  # the reference's fixed costs are lower
        return parse_tcx_reference(data)
    try:
        activities = read_tcx_fast(data)
    except BackstrideError:
        raise
    except Exception:  # a fast-path defect must never cost a file: the reference reads it
        activities = None
    return activities if activities is not None else parse_tcx_reference(data)
