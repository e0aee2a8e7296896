"""The FIT decoder against two reference readers (fitdecode, Garmin FIT SDK) on the corpus.

How records are counted and compared: ``decode_fit`` returns every ``record`` message of
the file in file order; its count must equal the reference's, and every record's
timestamp, position, altitude, distance, speed, heart rate, cadence and power must agree
within half the resolution of the FIT unit. Session totals must agree too. Then
``parse_fit``'s activities must follow the sessions (start, duration, distance within
0.5 %) and account for every record: each one is in exactly one activity, or dropped by
cleaning with a warning that counts it, or belongs to a dropped ``transition`` session.

Files a reference fails on are checked one by one against our documented decision
(reject with a clear reason, or salvage with a warning; a salvage must start with exactly
the records the reference read before giving up).

The reference readers are slow (tens of seconds for the whole corpus), so each reads each
file once (``functools.cache``, one test per file so xdist does not repeat the work);
fitdecode runs without its pure-Python CRC check (the SDK and our decoder check CRCs),
and the three multi-megabyte files are compared with the SDK's raw values only (marked
``slow``). Coverage pauses while a reference reads (``tests.untraced``: traced, they ran
about three times slower). About 40 s on this 2-core machine with ``-n 2`` (about 75 s in
one process).
"""

from __future__ import annotations

import csv
import functools
import gzip
import io
import re
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import fitdecode
import numpy as np
import pytest
from garmin_fit_sdk import Decoder, Profile, Stream
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backstride.adapters.files.fit import (
    FitData,
    assign_to_sessions,
    compute_fit_crc,
    decode_fit,
    parse_fit,
)
from backstride.adapters.files.fit import profile as P
from backstride.domain.activity import Activity, Sport
from backstride.errors import BackstrideError, CorruptFileError, NotAnActivityError
from tests.corpus import corpus_data_root, corpus_files
from tests.untraced import reference

FIT_FILES = corpus_files((".fit", ".fit.gz"))
ROOT = corpus_data_root() / "activities"


def _id(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _load(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.lower().endswith(".gz") else data


def corpus(name: str) -> Path:
    return ROOT / name


# Record fields compared, with the tolerance: half the resolution of the FIT unit.
TOLERANCE = {
    "timestamp": 0.0,  # whole seconds
    "lat": 0.5 * P.SEMICIRCLE_DEG,
    "lon": 0.5 * P.SEMICIRCLE_DEG,
    "altitude": 0.5 / 5,  # scale 5
    "distance": 0.5 / 100,  # scale 100 (compressed distance: 1/16 m, exact in float)
    "speed": 0.5 / 1000,  # scale 1000
    "hr": 0.5,
    "cadence": 0.5 / 128,  # fractional cadence, scale 128
    "power": 0.5,
}


# Multi-megabyte files: the reference readers need 5-15 s each for them. They are marked
# slow and compared with the Garmin SDK only, reading raw values (every record and field
# is still compared).
HUGE = {
    "GoldenCheetah/MultiSport-2019-11-24.fit",
    "sports-lib/4623204522.fit",
    "python-fitparse/activity-large-fenxi2-multisport.fit",
}


@dataclass(frozen=True)
class Reference:
    """What one reference reader decoded (up to its error, if it failed)."""

    records: dict[str, np.ndarray]  # TOLERANCE key -> values, NaN when absent
    sessions: list[dict[str, Any]]
    file_types: list[Any]
    error: str | None


def _num(value: Any) -> float:
    if value is None or isinstance(value, (list, tuple, str, bytes)):
        return np.nan
    return float(value)


def _first(*values: Any) -> float:
    for v in values:
        f = _num(v)
        if np.isfinite(f):
            return f
    return np.nan


def _record_row(get: Any) -> dict[str, float]:
    cadence = _num(get("cadence"))
    frac = _num(get("fractional_cadence"))
    if np.isfinite(cadence) and np.isfinite(frac):
        cadence += frac
    lat, lon = _num(get("position_lat")), _num(get("position_long"))
    return {
        "timestamp": _num(get("timestamp")),
        "lat": lat * P.SEMICIRCLE_DEG,
        "lon": lon * P.SEMICIRCLE_DEG,
        "altitude": _first(get("enhanced_altitude"), get("altitude")),
        "distance": _num(get("distance")),
        "speed": _first(get("enhanced_speed"), get("speed")),
        "hr": _num(get("heart_rate")),
        "cadence": cadence,
        "power": _num(get("power")),
    }


def _columns(rows: list[dict[str, float]]) -> dict[str, np.ndarray]:
    return {k: np.array([r[k] for r in rows], dtype=np.float64) for k in TOLERANCE}


SESSION_FIELDS = {  # name -> definition number
    "start_time": 2,
    "sport": 5,
    "sub_sport": 6,
    "total_elapsed_time": 7,
    "total_timer_time": 8,
    "total_distance": 9,
    "avg_heart_rate": 16,
    "max_heart_rate": 17,
    "avg_cadence": 18,
    "total_ascent": 22,
    "total_descent": 23,
    "avg_fractional_cadence": 92,
    "timestamp": 253,
}


@functools.cache
@reference
def fitdecode_reference(path: Path) -> Reference:
    """fitdecode's reading, without its CRC check (pure Python and slow; the SDK and our
    own decoder check CRCs) and without its data processor (dates stay FIT seconds)."""
    rows: list[dict[str, float]] = []
    sessions: list[dict[str, Any]] = []
    file_types: list[Any] = []
    error = None

    def direct_first(frame: Any) -> Any:
        # Prefer fields the device wrote over values expanded from components.
        values: dict[str, Any] = {}
        written: dict[str, bool] = {}
        for f in frame.fields:
            is_written = f.field_def is not None
            if f.name not in values or (is_written and not written[f.name]):
                values[f.name] = f.value
                written[f.name] = is_written
        return values.get

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = fitdecode.FitReader(
                io.BytesIO(_load(path)), check_crc=fitdecode.CrcCheck.DISABLED, processor=None
            )
            for frame in reader:
                if not isinstance(frame, fitdecode.FitDataMessage):
                    continue
                if frame.name == "record":
                    rows.append(_record_row(direct_first(frame)))
                elif frame.name == "session":
                    session = {}
                    for name, num in SESSION_FIELDS.items():
                        direct = [f for f in frame.fields if f.def_num == num and f.field_def]
                        if direct:
                            session[name] = direct[0].value
                    sessions.append(session)
                elif frame.name == "file_id":
                    file_types.append(frame.get_value("type", fallback=None))
    except Exception as exc:  # the reference failing is data for the test
        error = f"{type(exc).__name__}: {exc}"
    return Reference(_columns(rows), sessions, file_types, error)


@functools.cache
@reference
def sdk_reference(path: Path) -> Reference:
    if _id(path) in HUGE:
        return sdk_raw_reference(path)
    messages, errors = Decoder(Stream.from_byte_array(bytearray(_load(path)))).read(
        convert_datetimes_to_dates=False, merge_heart_rates=False
    )
    rows = [_record_row(m.get) for m in messages.get("record_mesgs", [])]
    sessions = [
        {k: m[k] for k in SESSION_FIELDS if k in m} for m in messages.get("session_mesgs", [])
    ]
    file_types = [m.get("type") for m in messages.get("file_id_mesgs", [])]
    error = str(errors[0]) if errors else None
    return Reference(_columns(rows), sessions, file_types, error)


def sdk_raw_reference(path: Path) -> Reference:
    """The SDK's raw values (about twice as fast), scaled here with the SDK's own profile.

    Used for the multi-megabyte files, which would otherwise dominate the test's runtime.
    """
    messages, errors = Decoder(Stream.from_byte_array(bytearray(_load(path)))).read(
        apply_scale_and_offset=False,
        convert_datetimes_to_dates=False,
        convert_types_to_strings=False,
        expand_sub_fields=False,
        expand_components=False,
        merge_heart_rates=False,
    )

    def scaler(mesg_num: int) -> Any:
        fields = {f["name"]: f for f in Profile["messages"][mesg_num]["fields"].values()}

        def scaled(message: dict[str, Any]) -> Any:
            def get(name: str) -> Any:
                value = message.get(name)
                if name not in fields or not isinstance(value, (int, float)):
                    return value
                f = fields[name]
                return value / f["scale"][0] - f["offset"][0]

            return get

        return scaled

    record, session = scaler(20), scaler(18)
    rows = [_record_row(record(m)) for m in messages.get("record_mesgs", [])]
    sports, sub_sports = Profile["types"]["sport"], Profile["types"]["sub_sport"]
    sessions = []
    for m in messages.get("session_mesgs", []):
        get = session(m)
        s = {k: get(k) for k in SESSION_FIELDS if k in m}
        for key, names in (("sport", sports), ("sub_sport", sub_sports)):
            if key in s:
                s[key] = names.get(s[key], s[key])
        sessions.append(s)
    file_types = [m.get("type") for m in messages.get("file_id_mesgs", [])]
    error = str(errors[0]) if errors else None
    return Reference(_columns(rows), sessions, file_types, error)


READERS = {"fitdecode": fitdecode_reference, "garmin_fit_sdk": sdk_reference}


@functools.cache
def ours(path: Path) -> FitData:
    return decode_fit(_load(path))


def our_records(fit: FitData) -> dict[str, np.ndarray]:
    r = fit.records
    return {
        "timestamp": r.epoch_s - P.FIT_EPOCH_S,
        "lat": r.lat_deg,
        "lon": r.lon_deg,
        "altitude": r.altitude_m,
        "distance": r.distance_m,
        "speed": r.speed_m_s,
        "hr": r.hr_bpm,
        "cadence": r.cadence_rpm,
        "power": r.power_w,
    }


def assert_same_values(
    mine: dict[str, np.ndarray], ref: dict[str, np.ndarray], n: int, label: str
) -> None:
    for key, tol in TOLERANCE.items():
        a, b = mine[key][:n], ref[key][:n]
        both_nan = np.isnan(a) & np.isnan(b)
        close = np.isclose(a, b, rtol=0.0, atol=tol + 1e-9)
        bad = np.flatnonzero(~(both_nan | close))
        assert bad.size == 0, (
            f"{label}: {key} differs in {bad.size} of {n} records, first at record "
            f"{bad[0]}: ours {a[bad[0]]!r}, reference {b[bad[0]]!r}"
        )


# Files a reference cannot read, and what it does; each has its own test below.
REFERENCE_FAILURES = {
    "python-fitparse/activity-activity-filecrc.fit": {"garmin_fit_sdk"},
    "python-fitparse/activity-filecrc.fit": {"garmin_fit_sdk"},
    "python-fitparse/activity-settings-corruptheader.fit": {"fitdecode", "garmin_fit_sdk"},
    "python-fitparse/activity-settings-nodata.fit": {"fitdecode", "garmin_fit_sdk"},
    "python-fitparse/activity-unexpected-eof.fit": {"fitdecode", "garmin_fit_sdk"},
    "python-fitparse/nick.fit": {"fitdecode", "garmin_fit_sdk"},
    "python-fitparse/strava-android-app-201.10-b1218918.fit": {"fitdecode", "garmin_fit_sdk"},
    "sports-lib/empty-activities.fit": {"fitdecode", "garmin_fit_sdk"},
    # The SDK does not support compressed-timestamp headers; fitdecode does.
    "python-fitparse/antfs-dump.63.fit": {"garmin_fit_sdk"},
    "python-fitparse/compressed-speed-distance.fit": {"garmin_fit_sdk"},
}
REJECTED = {  # file -> words our CorruptFileError must contain
    "python-fitparse/activity-filecrc.fit": "checksum does not match",
    "python-fitparse/activity-activity-filecrc.fit": "checksum does not match",
    "sports-lib/empty-activities.fit": "never finished",
    "sports-lib/empty-sessions.fit": "empty",
}
NOT_ACTIVITIES = {
    "python-fitparse/MonitoringFile.fit": "monitoring",
    "python-fitparse/Settings.fit": "settings",
    "python-fitparse/Settings2.fit": "settings",
    "python-fitparse/nametest.FIT": "settings",
    "python-fitparse/WeightScaleMultiUser.fit": "weight",
    "python-fitparse/WeightScaleSingleUser.fit": "weight",
    "python-fitparse/WorkoutCustomTargetValues.fit": "workout",
    "python-fitparse/WorkoutIndividualSteps.fit": "workout",
    "python-fitparse/WorkoutRepeatGreaterThanStep.fit": "workout",
    "python-fitparse/WorkoutRepeatSteps.fit": "workout",
}
# Activities whose records carry no time at all: the activity comes from the session.
NO_RECORD_TIMES = {"python-fitparse/DeveloperData.fit", "sports-lib/7617306288.fit"}


def test_corpus_is_present(activities_dir: Path) -> None:
    assert len(FIT_FILES) >= 90, "the FIT corpus looks incomplete"


# --------------------------------------------------------------------------------------
# Differential tests: one per file, against both reference readers
# --------------------------------------------------------------------------------------


FIT_PARAMS = [
    pytest.param(p, id=_id(p), marks=[pytest.mark.slow] if _id(p) in HUGE else [])
    for p in FIT_FILES
]


@pytest.mark.parametrize("path", FIT_PARAMS)
def test_fit_file_matches_references(path: Path, activities_dir: Path) -> None:
    """Records and sessions against both readers, then the activities built from them.

    One test per file, so that each reference reads each file once even under xdist.
    """
    name = _id(path)
    if not path.stat().st_size:
        pytest.skip("0-byte file: see test_damaged_files_are_rejected")
    for reader, read in READERS.items():
        if name in HUGE and reader == "fitdecode":
            continue
        compare_with_reference(name, path, reader, read(path))
    ref = sdk_reference(path)
    if ref.error is not None:
        ref = fitdecode_reference(path)
    if ref.error is None and name not in REJECTED | NOT_ACTIVITIES.keys() | NO_RECORD_TIMES:
        check_activities(name, path, ref)


def compare_with_reference(name: str, path: Path, reader: str, ref: Reference) -> None:
    if ref.error is not None:
        assert reader in REFERENCE_FAILURES.get(name, set()), f"{reader} failed: {ref.error}"
        if name in REJECTED:
            with pytest.raises(CorruptFileError):
                ours(path)
            return
        # Our salvage must start with exactly what the reference read before giving up.
        mine = our_records(ours(path))
        n = len(ref.records["timestamp"])
        assert len(mine["timestamp"]) >= n
        assert_same_values(mine, ref.records, n, f"{name} vs {reader} (partial)")
        return
    assert reader not in REFERENCE_FAILURES.get(name, set()), f"{reader} reads it now"
    if name in REJECTED:  # fitdecode reads CRC-damaged files: it does not check CRCs here
        with pytest.raises(CorruptFileError):
            ours(path)
        return
    fit = ours(path)
    n = len(ref.records["timestamp"])
    assert len(fit.records) == n, f"record count: ours {len(fit.records)}, {reader} {n}"
    assert_same_values(our_records(fit), ref.records, n, f"{name} vs {reader}")
    assert len(fit.sessions) == len(ref.sessions)
    for mine, theirs in zip(fit.sessions, ref.sessions, strict=True):
        assert_session_equal(mine, theirs)


def _close(a: float | None, b: Any, tol: float) -> bool:
    if b is None or isinstance(b, (list, tuple)):
        return a is None
    return a is not None and abs(a - float(b)) <= tol + 1e-9


def assert_session_equal(mine: Any, ref: dict[str, Any]) -> None:
    t = mine.totals
    start = None if mine.start_epoch_s is None else mine.start_epoch_s - P.FIT_EPOCH_S
    assert _close(start, ref.get("start_time"), 0)
    assert mine.sport == _enum(ref.get("sport"))
    assert mine.sub_sport == _enum(ref.get("sub_sport"))
    assert _close(t.elapsed_s, ref.get("total_elapsed_time"), 0.0005)
    assert _close(t.timer_s, ref.get("total_timer_time"), 0.0005)
    assert _close(t.distance_m, ref.get("total_distance"), 0.005)
    assert _close(t.ascent_m, ref.get("total_ascent"), 0.5)
    assert _close(t.descent_m, ref.get("total_descent"), 0.5)
    assert _close(t.avg_hr_bpm, ref.get("avg_heart_rate"), 0.5)
    assert _close(t.max_hr_bpm, ref.get("max_heart_rate"), 0.5)
    cadence = ref.get("avg_cadence")
    if cadence is not None and ref.get("avg_fractional_cadence") is not None:
        cadence += ref["avg_fractional_cadence"]
    assert _close(t.avg_cadence_rpm, cadence, 0.5 / 128)


def _enum(value: Any) -> str | None:
    return None if value is None else str(value)


# --------------------------------------------------------------------------------------
# Activities built from the sessions
# --------------------------------------------------------------------------------------

DROPPED = re.compile(r"(\d+) samples with (?:impossible dates|time running backwards) dropped")


def _dropped(activity: Activity) -> int:
    return sum(int(m.group(1)) for w in activity.warnings for m in [DROPPED.search(w)] if m)


def _windows(sessions: list[dict[str, Any]]) -> tuple[np.ndarray, np.ndarray]:
    """Session windows from reference values, by the rule parse_fit documents."""
    starts, ends = [], []
    for s in sessions:
        start = s.get("start_time")
        stamp = s.get("timestamp")
        elapsed = s.get("total_elapsed_time")
        if start is None and stamp is not None and elapsed is not None:
            start = stamp - elapsed
        if start is None:
            starts.append(np.nan)
            ends.append(np.nan)
            continue
        starts.append(start)
        if elapsed is not None:
            ends.append(start + elapsed)
        elif stamp is not None and stamp >= start:
            ends.append(stamp)
        else:
            ends.append(start)
    return np.array(starts, dtype=float), np.array(ends, dtype=float)


def check_activities(name: str, path: Path, ref: Reference) -> None:
    """parse_fit's activities follow the device's sessions and keep every record."""
    activities = parse_fit(_load(path))
    n_records = len(ref.records["timestamp"])
    kept_sessions = [s for s in ref.sessions if s.get("sport") != "transition"]
    if not ref.sessions:
        assert len(activities) == 1
        assert len(activities[0].streams) + _dropped(activities[0]) == n_records
        return
    assert len(activities) == len(kept_sessions)
    # Every record is in exactly one activity, or dropped with a warning, or belongs to
    # a transition session (dropped by design). An activity without samples has one
    # placeholder sample at the session start.
    starts, ends = _windows(ref.sessions)
    owner = assign_to_sessions(ref.records["timestamp"], starts, ends)
    transition = [i for i, s in enumerate(ref.sessions) if s.get("sport") == "transition"]
    in_transitions = int(np.isin(owner, transition).sum()) if kept_sessions else 0
    placeholders = sum(any("No samples" in w for w in a.warnings) for a in activities)
    total = sum(len(a.streams) + _dropped(a) for a in activities) - placeholders
    assert total + in_transitions == n_records
    for activity, session in zip(activities, kept_sessions, strict=True):
        assert_activity_matches_session(activity, session, name)


EARLY_RECORDS = {"python-fitparse/activity-large-fenxi2-multisport.fit"}


def assert_activity_matches_session(activity: Activity, session: dict[str, Any], name: str) -> None:
    elapsed = session.get("total_elapsed_time")
    timer = session.get("total_timer_time")
    if elapsed is not None and timer is not None and timer > elapsed + 1:
        elapsed, timer = timer, elapsed  # swapped by the device; parse_fit corrects it
    start = session.get("start_time")
    tolerance = 0.005 * (elapsed or 0.0) + 1.0
    if start is not None:
        expected = datetime(1989, 12, 31, tzinfo=UTC) + timedelta(seconds=start)
        offset = (activity.start_at - expected).total_seconds()
        # Records before the session's start belong to it (nearest session) and move the
        # start earlier; otherwise the session's own start is kept.
        assert abs(offset) <= tolerance or (offset < 0 and name in EARLY_RECORDS), offset
    if elapsed is not None and activity.duration_s >= 0.5 * elapsed:
        assert abs(activity.duration_s - elapsed) <= tolerance
    distance = session.get("total_distance")
    if distance is not None:
        assert activity.distance_m is not None
        assert abs(activity.distance_m - distance) <= 0.005 * distance + 0.01
    totals = activity.device_totals
    assert totals is not None
    assert _close(totals.elapsed_s, elapsed, 0.0005)
    assert _close(totals.timer_s, timer, 0.0005)
    assert _close(totals.distance_m, distance, 0.005)


# --------------------------------------------------------------------------------------
# Files the references cannot read, and other odd files: our decision, per file
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "words"), sorted(REJECTED.items()))
def test_damaged_files_are_rejected(name: str, words: str, activities_dir: Path) -> None:
    with pytest.raises(CorruptFileError, match=words) as info:
        parse_fit(_load(corpus(name)))
    assert info.value.hint


@pytest.mark.parametrize(
    ("name", "records", "warning"),
    [
        ("python-fitparse/activity-unexpected-eof.fit", 14, "ends early"),
        ("python-fitparse/activity-settings-nodata.fit", 14, "ends early"),
        ("python-fitparse/activity-settings-corruptheader.fit", 14, "were ignored"),
        ("python-fitparse/nick.fit", 14391, "not closed properly"),
        ("python-fitparse/strava-android-app-201.10-b1218918.fit", 1196, "were skipped"),
    ],
)
def test_truncated_and_unterminated_files_are_salvaged(
    name: str, records: int, warning: str, activities_dir: Path
) -> None:
    (activity,) = parse_fit(_load(corpus(name)))
    assert len(activity.streams) == records
    assert any(warning in w for w in activity.warnings), activity.warnings
    assert activity.sport.is_run or activity.sport is Sport.CYCLE


def test_strava_file_resynchronises_after_malformed_records(activities_dir: Path) -> None:
    path = corpus("python-fitparse/strava-android-app-201.10-b1218918.fit")
    fit = ours(path)
    # The references stop at the first malformed record (473 records read); we skip the
    # damaged bytes and read on to the end of the run.
    assert len(fitdecode_reference(path).records["timestamp"]) == 473
    assert len(fit.records) == 1209
    assert sum("were skipped" in w for w in fit.warnings) == 6
    (activity,) = parse_fit(_load(path))
    assert 3500 <= activity.duration_s <= 3600
    assert activity.distance_m is not None and 11000 < activity.distance_m < 11600


@pytest.mark.parametrize(("name", "kind"), sorted(NOT_ACTIVITIES.items()))
def test_non_activity_files_are_skipped(name: str, kind: str, activities_dir: Path) -> None:
    with pytest.raises(NotAnActivityError, match=f"not an activity file .it is a {kind}"):
        parse_fit(_load(corpus(name)))


@pytest.mark.parametrize(
    ("name", "sports"),
    [
        ("GoldenCheetah/MultiSport-2019-11-24.fit", [Sport.SWIM, Sport.CYCLE, Sport.RUN]),
        ("sports-lib/4623204522.fit", [Sport.SWIM, Sport.CYCLE, Sport.RUN]),
        ("python-fitparse/sample_mulitple_header.fit", [Sport.SWIM, Sport.CYCLE, Sport.RUN]),
        (
            "python-fitparse/activity-large-fenxi2-multisport.fit",
            [Sport.OTHER, Sport.RUN, Sport.RUN, Sport.CYCLE],
        ),
        ("python-fitparse/activity-settings.fit", [Sport.RUN]),
    ],
)
def test_multi_session_files_give_one_activity_per_session(
    name: str, sports: list[Sport], activities_dir: Path
) -> None:
    activities = parse_fit(_load(corpus(name)))
    assert [a.sport for a in activities] == sports
    starts = [a.start_at for a in activities]
    assert starts == sorted(starts)
    for a, b in zip(activities, activities[1:], strict=False):
        assert a.end_at <= b.start_at + timedelta(seconds=60)


def test_records_without_time(activities_dir: Path) -> None:
    (swim,) = parse_fit(_load(corpus("sports-lib/7617306288.fit")))
    assert swim.sport is Sport.SWIM
    assert swim.duration_s == pytest.approx(309.711)
    assert any("carry no time" in w for w in swim.warnings)
    with pytest.raises(CorruptFileError, match="carry no time"):
        parse_fit(_load(corpus("python-fitparse/DeveloperData.fit")))


def test_session_without_records_uses_device_totals(activities_dir: Path) -> None:
    (ride,) = parse_fit(_load(corpus("GoldenCheetah/2012_02_05_09_03_59.fit")))
    assert ride.sport is Sport.CYCLE
    assert any("No samples" in w for w in ride.warnings)


def test_clock_glitch_records_are_dropped(activities_dir: Path) -> None:
    (ride,) = parse_fit(_load(corpus("GoldenCheetah/2013-04-11-17-32-50.fit")))
    assert ride.duration_s < 3 * 3600
    assert any("impossible dates" in w for w in ride.warnings)


def test_treadmill_run_keeps_source_sport_and_raw_cadence(activities_dir: Path) -> None:
    path = corpus("sports-lib/6860622783.fit")
    (run,) = parse_fit(_load(path))
    assert run.sport is Sport.TREADMILL_RUN
    assert run.source_sport == "running/treadmill"
    assert run.device == "garmin fr945"
    cadence = run.streams.cadence_rpm
    assert cadence is not None
    # strides per minute, as FIT stores running cadence: not doubled to steps
    assert 70 < float(np.nanmedian(cadence)) < 100


def test_utc_offset_comes_from_the_activity_message(activities_dir: Path) -> None:
    # Recorded in California in June: PDT, as the expected-values CSV also says.
    (run,) = parse_fit(_load(corpus("python-fitparse/garmin-fenix-5-run.fit")))
    assert run.utc_offset_s == -7 * 3600
    # This file's local_timestamp is 1746 (not a time): the offset stays unknown.
    (ride,) = parse_fit(_load(corpus("GoldenCheetah/14582164182.fit.gz")))
    assert ride.utc_offset_s is None


def test_swapped_elapsed_and_moving_times_are_corrected(activities_dir: Path) -> None:
    (activity,) = parse_fit(_load(corpus("sports-lib/inverted-times.fit")))
    assert activity.device_totals is not None
    assert activity.device_totals.elapsed_s == pytest.approx(21680.0)
    assert activity.moving_time_s == pytest.approx(2839.6)
    assert any("swapped" in w for w in activity.warnings)


def _csv_time(text: str) -> float:
    zones = {"PDT": -7, "PST": -8}
    words = text.split()
    zone = words.pop(4)
    local = datetime.strptime(" ".join(words), "%a %b %d %H:%M:%S %Y")
    return (local - timedelta(hours=zones[zone])).replace(tzinfo=UTC).timestamp()


@pytest.mark.parametrize(
    "stem",
    [
        "garmin-edge-500-activity",
        "garmin-edge-820-bike",
        "garmin-fenix-5-bike",
        "garmin-fenix-5-run",
        "garmin-fenix-5-walk",
    ],
)
def test_records_match_expected_csv(stem: str, activities_dir: Path) -> None:
    base = corpus(f"python-fitparse/{stem}")
    with open(base.with_name(f"{stem}-records.csv"), newline="") as fh:
        rows = list(csv.DictReader(fh))
    r = ours(base.with_suffix(".fit")).records
    assert len(r) == len(rows)

    def col(name: str) -> np.ndarray:
        return np.array([np.nan if row[name] in ("", "null") else float(row[name]) for row in rows])

    # The CSVs (FIT SDK's FitToCSV style) repeat the last value where a record has none,
    # and show cadence without its fractional part.
    assert np.array_equal(r.epoch_s, [_csv_time(row["timestamp"]) for row in rows])
    np.testing.assert_allclose(_ffill(r.hr_bpm), col("heart_rate"))
    np.testing.assert_allclose(_ffill(np.floor(r.cadence_rpm)), col("cadence"))
    np.testing.assert_allclose(_ffill(r.speed_m_s), col("speed"), atol=5e-4)
    np.testing.assert_allclose(_ffill(r.distance_m), col("distance"), atol=5e-3)
    np.testing.assert_allclose(_ffill(r.altitude_m), col("altitude"), atol=0.1)
    lat, lon = col("position_lat"), col("position_long")
    np.testing.assert_allclose(_ffill(r.lat_deg), lat * P.SEMICIRCLE_DEG, atol=1e-9)
    np.testing.assert_allclose(_ffill(r.lon_deg), lon * P.SEMICIRCLE_DEG, atol=1e-9)


def _ffill(values: np.ndarray) -> np.ndarray:
    idx = np.where(np.isfinite(values), np.arange(values.size), 0)
    np.maximum.accumulate(idx, out=idx)
    out = values[idx]
    out[: np.argmax(np.isfinite(values))] = np.nan if np.isfinite(values).any() else out[0]
    return out


def test_compressed_timestamps_and_speed_distance_match_csv(activities_dir: Path) -> None:
    path = corpus("python-fitparse/compressed-speed-distance.fit")
    with open(path.with_name("compressed-speed-distance-records.csv"), newline="") as fh:
        rows = [[cell.strip() for cell in row] for row in csv.reader(fh)][1:]
    records = ours(path).records
    # The CSV leaves out the first record (no heart rate, no cadence yet).
    assert len(records) == len(rows) + 1 == 755
    assert np.isnan(records.hr_bpm[0])

    def col(i: int) -> np.ndarray:
        return np.array([np.nan if row[i] == "null" else float(row[i]) for row in rows])

    np.testing.assert_array_equal(records.epoch_s[1:] - P.FIT_EPOCH_S, col(0))
    np.testing.assert_allclose(records.hr_bpm[1:], col(1))
    np.testing.assert_allclose(records.speed_m_s[1:], col(2), atol=1e-9)
    np.testing.assert_allclose(records.distance_m[1:], col(3), atol=1e-9)
    np.testing.assert_allclose(records.cadence_rpm[1:], col(4))


# --------------------------------------------------------------------------------------
# Unit checks and robustness
# --------------------------------------------------------------------------------------


def _crc_reference(data: bytes) -> int:
    """The FIT SDK's nibble-table CRC, byte by byte."""
    table = [0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
             0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400]  # fmt: skip
    crc = 0
    for byte in data:
        for nibble in (byte & 0xF, byte >> 4):
            tmp = table[crc & 0xF]
            crc = (crc >> 4) & 0x0FFF
            crc ^= tmp ^ table[nibble]
    return crc


@pytest.mark.parametrize("length", [0, 1, 12, 100, 32766, 32767, 32768, 70001])
def test_crc_matches_the_sdk_algorithm(length: int) -> None:
    data = bytes((i * 7919 + 13) % 256 for i in range(length))
    assert compute_fit_crc(data) == _crc_reference(data)


def test_crc_check_value() -> None:
    assert compute_fit_crc(b"123456789") == 0xBB3D  # CRC-16/ARC check value


def _header_only() -> bytes:
    header = bytes([14, 0x10]) + (2100).to_bytes(2, "little") + bytes(4) + b".FIT"
    header += compute_fit_crc(header).to_bytes(2, "little")
    return header + compute_fit_crc(header).to_bytes(2, "little")


def test_header_only_file_is_rejected() -> None:
    with pytest.raises(CorruptFileError, match="no activity data"):
        parse_fit(_header_only())


@pytest.mark.parametrize("data", [b"", b".FIT", b"\x0e" * 13, b"not a fit file at all"])
def test_garbage_is_rejected(data: bytes) -> None:
    with pytest.raises(CorruptFileError):
        parse_fit(data)


SEEDS = [
    "python-fitparse/Activity.fit",
    "python-fitparse/activity-settings.fit",
    "python-fitparse/garmin-fenix-5-run.fit",
    "python-fitparse/compressed-speed-distance.fit",
    "python-fitparse/DeveloperData.fit",
]


@functools.cache
def _seed(name: str) -> bytes:
    return _load(corpus(name))


def _resign(data: bytearray) -> None:
    """Recompute the first FIT file's CRC so the mutation reaches the decoder."""
    if len(data) < 14:
        return
    end = data[0] + int.from_bytes(data[4:8], "little")
    if 12 <= data[0] and end + 2 <= len(data):
        data[end : end + 2] = compute_fit_crc(bytes(data[:end])).to_bytes(2, "little")


@st.composite
def mutated_fit(draw: st.DrawFn) -> bytes:
    data = bytearray(_seed(draw(st.sampled_from(SEEDS))))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "set", "insert", "delete", "truncate"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "set" and data:
            data[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 16))]
        else:
            del data[at:]
    if draw(st.booleans()):
        _resign(data)
    return bytes(data)


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=mutated_fit())
def test_damaged_input_only_raises_backstride_errors(activities_dir: Path, data: bytes) -> None:
    try:
        activities = parse_fit(data)
    except BackstrideError:
        return
    assert activities
    for activity in activities:
        assert isinstance(activity, Activity)
