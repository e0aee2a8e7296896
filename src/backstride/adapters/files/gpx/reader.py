"""GPX reader (lxml ``iterparse``): each recorded track becomes one :class:`Activity`.

The only GPX reader: a column-wise fast path over the raw bytes was measured end to end
(``bench/xml_fastpath_bench.py``) and saved under 10 % of an import's wall time, so it went.

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

Parsing streams through lxml ``iterparse`` with a tag filter on the few elements needed,
appends floats to per-column lists (:mod:`..xml.points`) and frees every point once read (see
:mod:`..xml.safe`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from lxml import etree

from backstride.adapters.files.xml.points import (
    ParsedTimes,
    PointColumns,
    dropped_point_warnings,
    parse_times,
)
from backstride.adapters.files.xml.safe import (
    TagKinds,
    child_texts,
    iter_elements,
    local_name,
    read_or_refuse,
    release,
    release_before,
    with_hint,
)
from backstride.domain.activity import Activity, FloatArray, Sport, map_sport
from backstride.domain.samples import assemble_activity
from backstride.errors import BackstrideError, CorruptFileError, NotAnActivityError

SOURCE_FORMAT = "gpx"
NAN = math.nan

TAGS = ("{*}trkpt", "{*}trkseg", "{*}trk", "{*}rtept", "{*}wpt")
# Read track points are freed in batches: cheaper than one by one, memory stays bounded.
_FREE_EVERY = 256

# Kinds of elements: the streamed ones, a track point's children, its extension fields.
_TRKPT, _TRKSEG, _TRK, _RTEPT, _WPT = 1, 2, 3, 4, 5
_STREAM_KIND = {"trkpt": _TRKPT, "trkseg": _TRKSEG, "trk": _TRK, "rtept": _RTEPT, "wpt": _WPT}
_TIME, _ELE, _SPEED, _EXT = 1, 2, 3, 4
_CHILD_KIND = {"time": _TIME, "ele": _ELE, "speed": _SPEED, "extensions": _EXT}
_HR, _CAD, _POWER, _XSPEED = 1, 2, 3, 4
_EXT_KIND = {
    "hr": _HR,
    "heartrate": _HR,
    "cad": _CAD,
    "cadence": _CAD,
    "power": _POWER,
    "PowerInWatts": _POWER,
    "speed": _XSPEED,
}

# Strava writes its activity type as a number in <type>.
_STRAVA_TYPES = {"1": "cycling", "4": "hiking", "9": "running", "10": "walking", "16": "swimming"}
# Sports a track *name* may name; vaguer words ("training") could be anything.
_NAME_SPORTS = frozenset(
    {
        Sport.RUN,
        Sport.TRAIL_RUN,
        Sport.TREADMILL_RUN,
        Sport.WALK,
        Sport.HIKE,
        Sport.CYCLE,
        Sport.SWIM,
    }
)


@dataclass(slots=True)
class Outcome:
    """What became of the tracks read so far."""

    activities: list[Activity] = field(default_factory=list)
    corrupt: list[CorruptFileError] = field(default_factory=list)
    untimed_tracks: int = 0
    single_point_tracks: int = 0


def _read_point_carefully(
    el: etree._Element, track: PointColumns, kinds: TagKinds, ext_kinds: TagKinds
) -> None:
    """The slow path of the hot loop in :func:`_parse`: any text may be missing or unreadable."""
    time: str | None = None
    ele = speed = hr = cad = power = NAN
    for child in el:
        kind = kinds[child.tag]
        if kind == _TIME:
            time = child.text
        elif kind == _ELE:
            ele = track.number(child.text)
        elif kind == _SPEED:
            speed = track.number(child.text)
        elif kind == _EXT:
            for ext in child.iterdescendants():
                ext_kind = ext_kinds[ext.tag]
                if ext_kind == _HR:
                    hr = track.number(ext.text)
                elif ext_kind == _CAD:
                    cad = track.number(ext.text)
                elif ext_kind == _POWER:
                    power = track.number(ext.text)
                elif ext_kind == _XSPEED:
                    speed = track.number(ext.text)
    lat, lon = track.number(el.get("lat")), track.number(el.get("lon"))
    track.add(time, lat, lon, ele, NAN, speed, hr, cad, power)


def _sport(type_label: str, name: str) -> tuple[Sport, str]:
    """(sport, source label) from the track type, else from a clear word in the name."""
    label = _STRAVA_TYPES.get(type_label, type_label)
    sport = map_sport(label)
    if sport is Sport.OTHER and name:
        by_name = map_sport(name)
        if by_name in _NAME_SPORTS:
            return by_name, type_label or name
    return sport, type_label


def _finish_track(
    track: PointColumns, meta: dict[str, str], *, device: str | None, outcome: Outcome
) -> None:
    if not len(track):
        return
    finish_track(
        len(track),
        parse_times(track.times),
        track.arrays(with_distance=False),
        track.unreadable_values,
        meta,
        device=device,
        outcome=outcome,
    )


def finish_track(
    n_points: int,
    parsed: ParsedTimes,
    columns: Mapping[str, FloatArray],
    unreadable_values: int,
    meta: Mapping[str, str],
    *,
    device: str | None,
    outcome: Outcome,
) -> None:
    """One track's columns (one entry per ``<trkpt>``, inf already NaN) → an activity in
    ``outcome``, or a note of why it was skipped."""
    if not n_points:
        return
    epoch = parsed.epoch_s
    timed = ~np.isnan(epoch)
    n_timed = int(timed.sum())
    if n_timed == 0:
        outcome.untimed_tracks += 1
        return
    if n_timed == 1:
        outcome.single_point_tracks += 1
        return
    warnings = dropped_point_warnings(
        parsed,
        n_timed=n_timed,
        unreadable_values=unreadable_values,
        point="track points",
        spec="GPX",
    )
    timed_columns = {name: col[timed] for name, col in columns.items()}
    name = meta.get("name") or None
    sport, source_sport = _sport(meta.get("type", ""), name or "")
    try:
        activity = assemble_activity(
            sport=sport,
            source_sport=source_sport,
            source_format=SOURCE_FORMAT,
            epoch_s=epoch[timed],
            columns=timed_columns,
            utc_offset_s=parsed.utc_offset_s,
            name=name,
            device=device,
            notes=meta.get("desc") or meta.get("cmt") or None,
            warnings=tuple(warnings),
        )
    except CorruptFileError as exc:
        outcome.corrupt.append(exc)
        return
    outcome.activities.append(activity)


def file_metadata(root: etree._Element | None) -> dict[str, str]:
    """GPX 1.1 ``<metadata>`` children, or GPX 1.0's top-level name/desc/time."""
    if root is None:
        return {}
    meta: dict[str, str] = {}
    for child in root:
        name = local_name(child.tag)
        if name == "metadata":
            meta = {**child_texts(child), **meta}
        elif name in ("name", "desc", "time") and child.text:
            meta.setdefault(name, child.text.strip())
    return meta


def _not_an_activity(outcome: Outcome, *, rtepts: int, wpts: int) -> BackstrideError:
    if outcome.corrupt:
        return with_hint(outcome.corrupt[0])
    if outcome.untimed_tracks:
        return NotAnActivityError(
            "Skipped: the track has no times, so it is a route, not a recorded activity.",
            hint="Import the recording from your watch or app instead of a planned route.",
        )
    if outcome.single_point_tracks:
        return NotAnActivityError(
            "Skipped: only one track point has a time, so it is not a recorded activity."
        )
    if rtepts:
        return NotAnActivityError(
            "Skipped: it holds a planned route, not a recorded activity.",
            hint="Import the recording from your watch or app instead of a planned route.",
        )
    if wpts:
        return NotAnActivityError("Skipped: it holds only waypoints, not a recorded activity.")
    return NotAnActivityError("Skipped: it has no track points, only metadata.")


def _parse(data: bytes) -> list[Activity]:
    stream = iter_elements(data, tags=TAGS)
    if stream.prolog.root_name not in (None, "gpx"):
        raise CorruptFileError(
            f"This is not a GPX file: its root element is <{stream.prolog.root_name}>, not <gpx>."
        )
    kinds = TagKinds(_CHILD_KIND)
    ext_kinds = TagKinds(_EXT_KIND)
    stream_kinds = TagKinds(_STREAM_KIND)
    outcome = Outcome()
    track = PointColumns()
    device: str | None = None
    rtepts = wpts = 0
    since_freed = 0
    # The hot loop: one pass per <trkpt>, floats straight into per-column lists. Any
    # missing or unreadable text raises, and that point is read again carefully.
    for _event, el in stream.events:
        kind = stream_kinds[el.tag]
        if kind == _TRKPT:
            time: str | None = None
            ele = speed = hr = cad = power = NAN
            try:
                lat = float(el.get("lat"))  # type: ignore[arg-type]
                lon = float(el.get("lon"))  # type: ignore[arg-type]
                for child in el:
                    ck = kinds[child.tag]
                    if ck == _TIME:
                        time = child.text
                    elif ck == _ELE:
                        ele = float(child.text)  # type: ignore[arg-type]
                    elif ck == _SPEED:
                        speed = float(child.text)  # type: ignore[arg-type]
                    elif ck == _EXT:
                        for ext in child.iterdescendants():
                            ek = ext_kinds[ext.tag]
                            if ek == 0:
                                continue
                            if ek == _HR:
                                hr = float(ext.text)  # type: ignore[arg-type]
                            elif ek == _CAD:
                                cad = float(ext.text)  # type: ignore[arg-type]
                            elif ek == _POWER:
                                power = float(ext.text)  # type: ignore[arg-type]
                            else:
                                speed = float(ext.text)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                _read_point_carefully(el, track, kinds, ext_kinds)
            else:
                track.add(time, lat, lon, ele, NAN, speed, hr, cad, power)
            since_freed += 1
            if since_freed >= _FREE_EVERY:
                release_before(el)
                since_freed = 0
        elif kind == _TRKSEG:
            el.clear()  # its points are read: free them
            since_freed = 0
        elif kind == _TRK:
            if device is None:
                device = el.getroottree().getroot().get("creator") or ""
            _finish_track(track, child_texts(el), device=device or None, outcome=outcome)
            track = PointColumns()
            el.clear()
            since_freed = 0
        elif kind == _RTEPT:
            rtepts += 1
            release(el)
        elif kind == _WPT:
            wpts += 1
            el.clear()
    root = stream.finish()
    if local_name(root.tag) != "gpx":
        found = local_name(root.tag)
        raise CorruptFileError(f"This is not a GPX file: its root element is <{found}>, not <gpx>.")
    if len(track):  # track points outside any <trk>: read them all the same
        device = device if device is not None else (root.get("creator") or "")
        _finish_track(track, {}, device=device or None, outcome=outcome)
    return finish_file(outcome, rtepts=rtepts, wpts=wpts, root=root)


def finish_file(
    outcome: Outcome, *, rtepts: int, wpts: int, root: etree._Element
) -> list[Activity]:
    """The file's activities once every track is read, named from the file metadata; or
    why there is none."""
    if not outcome.activities:
        raise _not_an_activity(outcome, rtepts=rtepts, wpts=wpts)
    meta = file_metadata(root)
    skipped = outcome.untimed_tracks + outcome.single_point_tracks + len(outcome.corrupt)
    activities = []
    for i, activity in enumerate(outcome.activities):
        changes: dict[str, object] = {}
        if activity.name is None and meta.get("name"):
            changes["name"] = meta["name"]
        if i == 0 and skipped:
            changes["warnings"] = activity.warnings + (
                f"{skipped} other track(s) in the file skipped (no times, or none sane)",
            )
        activities.append(activity.with_changes(**changes) if changes else activity)
    return activities


def parse_gpx(data: bytes) -> list[Activity]:
    """Every recorded track in GPX ``data`` as an activity, read with lxml ``iterparse``.

    Raises :class:`NotAnActivityError` for routes, waypoints and untimed tracks,
    :class:`UnsafeFileError` for a DOCTYPE/entities, :class:`CorruptFileError` otherwise.
    """
    return read_or_refuse(_parse, data, what="GPX")
