"""TCX reader (lxml ``iterparse``): every ``<Activity>`` becomes one :class:`Activity`.

The only TCX reader: a column-wise fast path over the raw bytes was measured end to end
(``bench/xml_fastpath_bench.py``) and saved under 10 % of an import's wall time, so it went.

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

Parsing streams through lxml ``iterparse`` filtered on a handful of element names and frees
trackpoints as it goes (see :mod:`..xml.safe`).
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
    parse_time,
    parse_times,
    to_float,
)
from backstride.adapters.files.xml.safe import (
    TagKinds,
    child_texts,
    iter_elements,
    local_name,
    read_or_refuse,
    release_before,
    with_hint,
)
from backstride.domain.activity import Activity, DeviceTotals, FloatArray, Lap, Sport, map_sport
from backstride.domain.samples import assemble_activity
from backstride.errors import BackstrideError, CorruptFileError, NotAnActivityError

SOURCE_FORMAT = "tcx"
NAN = math.nan

TAGS = (
    "{*}Trackpoint",
    "{*}Track",
    "{*}Lap",
    "{*}Activity",
    "{*}Transition",
    "{*}Course",
    "{*}Workout",
)
_FREE_EVERY = 256

_TRACKPOINT, _TRACK, _LAP, _ACTIVITY, _TRANSITION, _COURSE, _WORKOUT = 1, 2, 3, 4, 5, 6, 7
_STREAM_KIND = {
    "Trackpoint": _TRACKPOINT,
    "Track": _TRACK,
    "Lap": _LAP,
    "Activity": _ACTIVITY,
    "Transition": _TRANSITION,
    "Course": _COURSE,
    "Workout": _WORKOUT,
}
# A trackpoint's children, and the fields inside them.
_TIME, _POSITION, _ALTITUDE, _DISTANCE, _HR, _CADENCE, _EXTENSIONS = 1, 2, 3, 4, 5, 6, 7
_LAT, _LON, _SPEED, _POWER = 8, 9, 10, 11
_CHILD_KIND = {
    "Time": _TIME,
    "Position": _POSITION,
    "AltitudeMeters": _ALTITUDE,
    "DistanceMeters": _DISTANCE,
    "HeartRateBpm": _HR,
    "Cadence": _CADENCE,
    "Extensions": _EXTENSIONS,
    "LatitudeDegrees": _LAT,
    "LongitudeDegrees": _LON,
    "Speed": _SPEED,
    "RunCadence": _CADENCE,
    "Watts": _POWER,
}


@dataclass(frozen=True, slots=True)
class LapRecord:
    start_epoch_s: float | None
    duration_s: float | None
    distance_m: float | None
    max_hr_bpm: float | None
    avg_hr_bpm: float | None


@dataclass(slots=True)
class Outcome:
    activities: list[Activity] = field(default_factory=list)
    corrupt: list[CorruptFileError] = field(default_factory=list)
    empty_activities: int = 0
    courses: int = 0
    workouts: int = 0


def _first_value(element: etree._Element, samples: PointColumns) -> float:
    """``<HeartRateBpm><Value>150</Value></HeartRateBpm>`` → 150."""
    for child in element:
        if local_name(child.tag) == "Value":
            return samples.number(child.text)
    return samples.number(element.text) if (element.text or "").strip() else NAN


def _read_trackpoint_carefully(el: etree._Element, samples: PointColumns, kinds: TagKinds) -> None:
    """The slow path of the hot loop: any part may be missing, empty or unreadable."""
    time: str | None = None
    lat = lon = alt = dist = speed = hr = cad = power = NAN
    for child in el:
        kind = kinds[child.tag]
        if kind == _TIME:
            time = child.text
        elif kind == _POSITION:
            for part in child:
                part_kind = kinds[part.tag]
                if part_kind == _LAT:
                    lat = samples.number(part.text)
                elif part_kind == _LON:
                    lon = samples.number(part.text)
        elif kind == _ALTITUDE:
            alt = samples.number(child.text)
        elif kind == _DISTANCE:
            dist = samples.number(child.text)
        elif kind == _HR:
            hr = _first_value(child, samples)
        elif kind == _CADENCE:
            cad = samples.number(child.text)
        elif kind == _EXTENSIONS:
            for ext in child.iterdescendants():
                ext_kind = kinds[ext.tag]
                if ext_kind == _SPEED:
                    speed = samples.number(ext.text)
                elif ext_kind == _CADENCE:
                    cad = samples.number(ext.text)
                elif ext_kind == _POWER:
                    power = samples.number(ext.text)
    samples.add(time, lat, lon, alt, dist, speed, hr, cad, power)


def _optional(value: float) -> float | None:
    return None if math.isnan(value) else value


def read_lap(el: etree._Element) -> LapRecord:
    texts: dict[str, str] = {}
    max_hr = avg_hr = NAN
    for child in el:
        name = local_name(child.tag)
        if name == "MaximumHeartRateBpm":
            max_hr = to_float(child.findtext("{*}Value"))
        elif name == "AverageHeartRateBpm":
            avg_hr = to_float(child.findtext("{*}Value"))
        elif name and name not in texts:
            texts[name] = child.text or ""
    return LapRecord(
        start_epoch_s=parse_time(el.get("StartTime")),
        duration_s=_optional(to_float(texts.get("TotalTimeSeconds"))),
        distance_m=_optional(to_float(texts.get("DistanceMeters"))),
        max_hr_bpm=_optional(max_hr),
        avg_hr_bpm=_optional(avg_hr),
    )


def _device_totals(laps: list[LapRecord]) -> DeviceTotals | None:
    if not laps:
        return None
    distances = [
        lap.distance_m for lap in laps if lap.distance_m is not None and lap.distance_m >= 0
    ]
    durations = [
        lap.duration_s for lap in laps if lap.duration_s is not None and lap.duration_s >= 0
    ]
    max_hrs = [lap.max_hr_bpm for lap in laps if lap.max_hr_bpm is not None]
    distance = sum(distances) if distances and sum(distances) > 0 else None
    timer = sum(durations) if durations and sum(durations) > 0 else None
    avg_hr: float | None = None
    weighted = [
        (lap.avg_hr_bpm, lap.duration_s)
        for lap in laps
        if lap.avg_hr_bpm is not None and lap.duration_s is not None and lap.duration_s > 0
    ]
    if weighted and len(weighted) == len(laps):
        total_s = sum(d for _, d in weighted)
        avg_hr = sum(h * d for h, d in weighted) / total_s
    return DeviceTotals(
        distance_m=distance,
        timer_s=timer,
        max_hr_bpm=max(max_hrs) if max_hrs else None,
        avg_hr_bpm=avg_hr,
    )


def _lap_samples(laps: list[LapRecord]) -> tuple[list[float], list[float]]:
    """Samples at each lap's start and end, for an activity exported without trackpoints."""
    epoch: list[float] = []
    distance: list[float] = []
    total = 0.0
    for lap in laps:
        if lap.start_epoch_s is None:
            continue
        epoch.append(lap.start_epoch_s)
        distance.append(total)
        if lap.duration_s is not None and lap.duration_s > 0:
            total += lap.distance_m or 0.0
            epoch.append(lap.start_epoch_s + lap.duration_s)
            distance.append(total)
    return epoch, distance


@dataclass(frozen=True, slots=True)
class ActivityInfo:
    sport_label: str
    start_epoch_s: float | None
    notes: str | None
    device: str | None


def activity_info(el: etree._Element) -> ActivityInfo:
    texts = child_texts(el)
    device: str | None = None
    for child in el:
        if local_name(child.tag) == "Creator":
            device = (child.findtext("{*}Name") or "").strip() or None
    return ActivityInfo(
        sport_label=(el.get("Sport") or "").strip(),
        start_epoch_s=parse_time(texts.get("Id")),
        notes=texts.get("Notes") or None,
        device=device,
    )


def _finish_activity(
    samples: PointColumns, laps: list[LapRecord], info: ActivityInfo, outcome: Outcome
) -> None:
    finish_activity(
        len(samples),
        parse_times(samples.times),
        samples.arrays(with_distance=True),
        samples.unreadable_values,
        laps,
        info,
        outcome,
    )


def finish_activity(
    n_points: int,
    parsed: ParsedTimes,
    point_columns: Mapping[str, FloatArray],
    unreadable_values: int,
    laps: list[LapRecord],
    info: ActivityInfo,
    outcome: Outcome,
) -> None:
    """One ``<Activity>``'s trackpoint columns (one entry per trackpoint, inf already NaN) and
    laps → an activity in ``outcome``, or a note of why it was skipped."""
    sport = map_sport(info.sport_label)
    totals = _device_totals(laps)
    timed = ~np.isnan(parsed.epoch_s)
    n_timed = int(timed.sum())
    warnings = dropped_point_warnings(
        parsed,
        n_timed=n_timed,
        unreadable_values=unreadable_values,
        point="trackpoints",
        spec="TCX",
    )
    if n_timed:
        epoch = parsed.epoch_s[timed]
        columns = {name: col[timed] for name, col in point_columns.items()}
        if sport is Sport.RUN and not np.isfinite(columns["lat_deg"]).any():
            sport = Sport.TREADMILL_RUN
    else:
        lap_epoch, lap_distance = _lap_samples(laps)
        if not lap_epoch:
            if n_points:
                outcome.corrupt.append(CorruptFileError("No trackpoint has a readable time."))
            else:
                outcome.empty_activities += 1
            return
        epoch = np.asarray(lap_epoch, dtype=np.float64)
        columns = {"distance_m": np.asarray(lap_distance, dtype=np.float64)}
        warnings.append("the activity has lap totals but no trackpoints: only its summary was read")
    if not (np.nan_to_num(columns["distance_m"]) > 0).any():
        del columns["distance_m"]  # zero throughout (no speed sensor): unknown, not zero
    try:
        activity = assemble_activity(
            sport=sport,
            source_sport=info.sport_label,
            source_format=SOURCE_FORMAT,
            epoch_s=epoch,
            columns=columns,
            totals=totals,
            start_epoch_s=info.start_epoch_s,
            utc_offset_s=parsed.utc_offset_s,
            device=info.device,
            notes=info.notes,
            warnings=tuple(warnings),
        )
    except CorruptFileError as exc:
        outcome.corrupt.append(exc)
        return
    if laps:
        start = activity.start_at.timestamp()
        activity = activity.with_changes(
            laps=tuple(
                Lap(
                    start_s=max(0.0, lap.start_epoch_s - start),
                    duration_s=lap.duration_s,
                    distance_m=lap.distance_m,
                )
                for lap in laps
                if lap.start_epoch_s is not None
            )
        )
    outcome.activities.append(activity)


def _no_activity(outcome: Outcome) -> BackstrideError:
    if outcome.corrupt:
        return with_hint(outcome.corrupt[0])
    if outcome.courses:
        return NotAnActivityError(
            "Skipped: it holds a planned course, not a recorded activity.",
            hint="Import the recording from your watch or app instead of a planned course.",
        )
    if outcome.workouts:
        return NotAnActivityError("Skipped: it holds a workout plan, not a recorded activity.")
    return NotAnActivityError("Skipped: it has no trackpoints or laps, so no recorded activity.")


def _parse(data: bytes) -> list[Activity]:
    stream = iter_elements(data, tags=TAGS)
    root_name = stream.prolog.root_name
    if root_name not in (None, "TrainingCenterDatabase"):
        raise CorruptFileError(
            f"This is not a TCX file: its root element is <{root_name}>, "
            "not <TrainingCenterDatabase>."
        )
    kinds = TagKinds(_CHILD_KIND)
    stream_kinds = TagKinds(_STREAM_KIND)
    outcome = Outcome()
    samples = PointColumns()
    laps: list[LapRecord] = []
    since_freed = 0
    # The hot loop: one pass per <Trackpoint>, floats straight into per-column lists. Any
    # missing or unreadable text raises, and that point is read again carefully.
    for _event, el in stream.events:
        kind = stream_kinds[el.tag]
        if kind == _TRACKPOINT:
            time: str | None = None
            lat = lon = alt = dist = speed = hr = cad = power = NAN
            try:
                for child in el:
                    ck = kinds[child.tag]
                    if ck == _TIME:
                        time = child.text
                    elif ck == _POSITION:
                        for part in child:
                            pk = kinds[part.tag]
                            if pk == _LAT:
                                lat = float(part.text)  # type: ignore[arg-type]
                            elif pk == _LON:
                                lon = float(part.text)  # type: ignore[arg-type]
                    elif ck == _ALTITUDE:
                        alt = float(child.text)  # type: ignore[arg-type]
                    elif ck == _DISTANCE:
                        dist = float(child.text)  # type: ignore[arg-type]
                    elif ck == _HR:
                        hr = float(child[0].text)  # type: ignore[arg-type]
                    elif ck == _CADENCE:
                        cad = float(child.text)  # type: ignore[arg-type]
                    elif ck == _EXTENSIONS:
                        for ext in child.iterdescendants():
                            ek = kinds[ext.tag]
                            if ek == _SPEED:
                                speed = float(ext.text)  # type: ignore[arg-type]
                            elif ek == _CADENCE:
                                cad = float(ext.text)  # type: ignore[arg-type]
                            elif ek == _POWER:
                                power = float(ext.text)  # type: ignore[arg-type]
            except (TypeError, ValueError, IndexError):
                _read_trackpoint_carefully(el, samples, kinds)
            else:
                samples.add(time, lat, lon, alt, dist, speed, hr, cad, power)
            since_freed += 1
            if since_freed >= _FREE_EVERY:
                release_before(el)
                since_freed = 0
        elif kind == _TRACK:
            el.clear()  # its trackpoints are read: free them
            since_freed = 0
        elif kind == _LAP:
            laps.append(read_lap(el))
            el.clear()
            since_freed = 0
        elif kind == _ACTIVITY:
            _finish_activity(samples, laps, activity_info(el), outcome)
            samples = PointColumns()
            laps = []
            el.clear()
        elif kind in (_TRANSITION, _COURSE, _WORKOUT):
            # Not part of any recorded activity: drop what was read inside it.
            if kind == _COURSE:
                outcome.courses += 1
            elif kind == _WORKOUT:
                outcome.workouts += 1
            samples = PointColumns()
            laps = []
            el.clear()
            since_freed = 0
    root = stream.finish()
    if local_name(root.tag) != "TrainingCenterDatabase":
        raise CorruptFileError(
            f"This is not a TCX file: its root element is <{local_name(root.tag)}>, "
            "not <TrainingCenterDatabase>."
        )
    return finish_file(outcome)


def finish_file(outcome: Outcome) -> list[Activity]:
    """The file's activities once all are read, or why there is none. Shared with :mod:`.tcx`."""
    if not outcome.activities:
        raise _no_activity(outcome)
    if outcome.corrupt:
        first = outcome.activities[0]
        outcome.activities[0] = first.with_changes(
            warnings=first.warnings
            + (f"{len(outcome.corrupt)} other activities in the file skipped (no sane samples)",)
        )
    return outcome.activities


def parse_tcx(data: bytes) -> list[Activity]:
    """Every activity in TCX ``data`` (several for a multisport file), read with lxml ``iterparse``.

    Raises :class:`NotAnActivityError` for courses and workouts, :class:`UnsafeFileError`
    for a DOCTYPE/entities, :class:`CorruptFileError` otherwise.
    """
    return read_or_refuse(_parse, data, what="TCX")
