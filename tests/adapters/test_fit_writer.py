"""The FIT and GPX encoders, checked against the reference readers (FIT SDK, fitdecode, gpxpy)."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import fitdecode
import gpxpy
import numpy as np
import pytest
from garmin_fit_sdk import Decoder, Stream
from garmin_fit_sdk.crc_calculator import CrcCalculator

from backstride.adapters.files.fit.writer import (
    FIT_EPOCH_UNIX_S,
    compute_fit_crc,
    encode_fit_activity,
)
from backstride.adapters.files.gpx.writer import encode_gpx_activity
from backstride.domain.activity import Lap
from backstride.domain.elevation import compute_elevation_change
from backstride.errors import InvalidInputError

START = datetime(2024, 3, 5, 6, 30, 12, tzinfo=UTC)
SEMI = 180.0 / 2**31


@dataclass(frozen=True)
class Track:
    epoch_s: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    alt: np.ndarray
    dist: np.ndarray
    speed: np.ndarray
    hr: np.ndarray
    cad: np.ndarray


def make_track(n: int = 1800, seed: int = 3) -> Track:
    rng = np.random.default_rng(seed)
    t = START.timestamp() + np.arange(n, dtype=np.float64)
    speed = 2.4 + 0.2 * np.sin(np.arange(n) / 90.0)
    dist = np.concatenate(([0.0], np.cumsum(speed[:-1])))
    lat = 47.04 + np.cumsum(rng.normal(0, 8e-6, n))
    lon = 8.31 + np.cumsum(rng.normal(0, 8e-6, n))
    alt = 436.0 + 25.0 * np.sin(np.arange(n) / 300.0) + rng.normal(0, 0.3, n)
    hr = np.round(np.clip(120 + 30 * np.sin(np.arange(n) / 400.0), 60, 175))
    cad = 82.0 + rng.normal(0, 1.5, n)
    return Track(t, lat, lon, alt, dist, speed, hr, cad)


def encode(track: Track, **overrides: Any) -> bytes:
    kwargs: dict[str, Any] = {
        "start_at": START,
        "sport": "running",
        "sub_sport": "street",
        "epoch_s": track.epoch_s,
        "lat_deg": track.lat,
        "lon_deg": track.lon,
        "altitude_m": track.alt,
        "distance_m": track.dist,
        "speed_m_s": track.speed,
        "hr_bpm": track.hr,
        "cadence_rpm": track.cad,
        "utc_offset_s": 3600,
    }
    kwargs.update(overrides)
    return encode_fit_activity(**kwargs)


def read_sdk(data: bytes) -> dict[str, list[dict[str, Any]]]:
    decoder = Decoder(Stream.from_byte_array(bytearray(data)))
    assert decoder.is_fit()
    assert decoder.check_integrity()
    decoder = Decoder(Stream.from_byte_array(bytearray(data)))
    messages, errors = decoder.read()
    assert errors == []
    return messages  # type: ignore[no-any-return]


def read_fitdecode(data: bytes) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with fitdecode.FitReader(
            io.BytesIO(data),
            check_crc=fitdecode.CrcCheck.RAISE,
            error_handling=fitdecode.ErrorHandling.RAISE,
        ) as reader:
            for frame in reader:
                if isinstance(frame, fitdecode.FitDataMessage):
                    out.setdefault(frame.name, []).append({f.name: f.value for f in frame.fields})
    return out


# --- CRC ----------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [0, 1, 2, 3, 7, 64, 1000, 4097])
def test_crc_matches_fit_sdk_for_random_bytes(n: int) -> None:
    data = np.random.default_rng(n).integers(0, 256, n, dtype=np.uint8).tobytes()
    assert compute_fit_crc(data) == CrcCalculator.calculate_crc(data, 0, n)


def test_crc_continues_from_a_start_value() -> None:
    data = np.random.default_rng(9).integers(0, 256, 777, dtype=np.uint8).tobytes()
    head = CrcCalculator.calculate_crc(data, 0, 300)
    assert compute_fit_crc(data[300:], head) == CrcCalculator.calculate_crc(data, 0, 777)


# --- FIT: structure -----------------------------------------------------------------------


def test_fit_header_and_crcs_are_valid() -> None:
    data = encode(make_track())
    assert data[0] == 14 and data[8:12] == b".FIT"
    assert int.from_bytes(data[4:8], "little") == len(data) - 16
    assert int.from_bytes(data[12:14], "little") == CrcCalculator.calculate_crc(data, 0, 12)
    assert CrcCalculator.calculate_crc(data, 0, len(data)) == 0  # CRC over file + CRC is 0


def test_fit_reads_without_errors_in_both_reference_readers() -> None:
    data = encode(make_track(), laps=[Lap(0.0), Lap(600.0), Lap(1200.0)], lap_trigger="distance")
    sdk = read_sdk(data)
    fd = read_fitdecode(data)
    for messages in (sdk, fd):
        names = {k.removesuffix("_mesgs") for k in messages}
        assert {"file_id", "device_info", "event", "record", "lap", "session", "activity"} <= names


def test_fit_messages_carry_file_id_and_activity_fields() -> None:
    data = encode(
        make_track(),
        manufacturer=255,
        product=7,
        serial_number=123456,
        product_name="demo watch",
        software_version=12.3,
    )
    sdk = read_sdk(data)
    file_id = sdk["file_id_mesgs"][0]
    assert file_id["type"] == "activity"
    assert file_id["manufacturer"] == "development"
    assert file_id["product"] == 7
    assert file_id["serial_number"] == 123456
    assert file_id["time_created"] == START
    assert file_id["product_name"] == "demo watch"
    device = sdk["device_info_mesgs"][0]
    assert device["software_version"] == pytest.approx(12.3)
    events = sdk["event_mesgs"]
    assert [(e["event"], e["event_type"]) for e in events] == [
        ("timer", "start"),
        ("timer", "stop_all"),
    ]
    activity = sdk["activity_mesgs"][0]
    assert activity["num_sessions"] == 1
    assert activity["type"] == "manual"
    end = START + timedelta(seconds=1799)
    assert activity["timestamp"] == end
    fd_activity = read_fitdecode(data)["activity"][0]
    # fitdecode labels the local wall-clock time as UTC.
    assert fd_activity["local_timestamp"] == end + timedelta(hours=1)


# --- FIT: values --------------------------------------------------------------------------


def test_fit_records_decode_to_the_same_values() -> None:
    track = make_track()
    records = read_sdk(encode(track))["record_mesgs"]
    assert len(records) == len(track.epoch_s)
    ts = np.array([r["timestamp"].timestamp() for r in records])
    np.testing.assert_array_equal(ts, np.round(track.epoch_s))
    lat = np.array([r["position_lat"] for r in records]) * SEMI
    lon = np.array([r["position_long"] for r in records]) * SEMI
    np.testing.assert_allclose(lat, track.lat, atol=1e-6)
    np.testing.assert_allclose(lon, track.lon, atol=1e-6)
    alt = np.array([r["enhanced_altitude"] for r in records])
    np.testing.assert_allclose(alt, track.alt, atol=0.1 + 1e-9)
    dist = np.array([r["distance"] for r in records])
    np.testing.assert_allclose(dist, track.dist, atol=0.005 + 1e-9)
    speed = np.array([r["enhanced_speed"] for r in records])
    np.testing.assert_allclose(speed, track.speed, atol=0.0005 + 1e-9)
    np.testing.assert_array_equal([r["heart_rate"] for r in records], track.hr)
    cad = np.array([r["cadence"] + r["fractional_cadence"] for r in records])
    np.testing.assert_allclose(cad, track.cad, atol=1 / 256 + 1e-9)


def test_fitdecode_reads_the_same_record_values() -> None:
    track = make_track(600)
    records = read_fitdecode(encode(track))["record"]
    lat = np.array([r["position_lat"] for r in records]) * SEMI
    np.testing.assert_allclose(lat, track.lat, atol=1e-6)
    alt = np.array([r["enhanced_altitude"] for r in records])
    np.testing.assert_allclose(alt, track.alt, atol=0.1 + 1e-9)
    dist = np.array([r["distance"] for r in records])
    np.testing.assert_allclose(dist, track.dist, atol=0.005 + 1e-9)
    np.testing.assert_array_equal([r["heart_rate"] for r in records], track.hr)
    assert records[0]["timestamp"] == START


def test_fit_session_totals_match_the_samples() -> None:
    track = make_track()
    session = read_sdk(encode(track))["session_mesgs"][0]
    assert session["sport"] == "running"
    assert session["sub_sport"] == "street"
    assert session["start_time"] == START
    assert session["total_elapsed_time"] == pytest.approx(1799.0)
    assert session["total_timer_time"] == pytest.approx(1799.0)
    assert session["total_distance"] == pytest.approx(track.dist[-1], abs=0.01)
    elev = compute_elevation_change(track.alt)
    assert elev is not None
    assert session["total_ascent"] == round(elev.gain_m)
    assert session["total_descent"] == round(elev.loss_m)
    assert session["avg_heart_rate"] == round(float(track.hr.mean()))
    assert session["max_heart_rate"] == int(track.hr.max())
    avg_cad = session["avg_cadence"] + session["avg_fractional_cadence"]
    assert avg_cad == pytest.approx(track.cad.mean(), abs=1 / 128)
    assert session["enhanced_avg_speed"] == pytest.approx(track.dist[-1] / 1799.0, abs=0.001)
    assert session["num_laps"] == 1
    assert session["start_position_lat"] * SEMI == pytest.approx(track.lat[0], abs=1e-6)


def test_fit_laps_split_the_samples_by_time() -> None:
    track = make_track()
    laps = read_sdk(encode(track, laps=[Lap(0.0), Lap(600.0), Lap(1200.0)]))["lap_mesgs"]
    assert [lap["message_index"] for lap in laps] == [0, 1, 2]
    assert [lap["start_time"] for lap in laps] == [
        START + timedelta(seconds=s) for s in (0, 600, 1200)
    ]
    assert [lap["total_elapsed_time"] for lap in laps] == pytest.approx([600, 600, 599])
    total = sum(lap["total_distance"] for lap in laps)
    assert total == pytest.approx(track.dist[-1], abs=0.03)
    # A lap runs from the last sample before it to its own last sample.
    assert laps[1]["total_distance"] == pytest.approx(track.dist[1199] - track.dist[599], abs=0.01)
    assert laps[-1]["lap_trigger"] == "session_end"


def test_fit_nan_samples_become_invalid_values() -> None:
    track = make_track(120)
    hr = track.hr.copy()
    hr[10] = np.nan
    lat = track.lat.copy()
    lat[20] = np.nan
    data = encode(track, hr_bpm=hr, lat_deg=lat)
    sdk = read_sdk(data)["record_mesgs"]
    assert "heart_rate" not in sdk[10]
    assert "position_lat" not in sdk[20]
    fd = read_fitdecode(data)["record"]
    assert fd[10]["heart_rate"] is None
    assert fd[20]["position_lat"] is None
    assert fd[11]["heart_rate"] == hr[11]


def test_fit_without_positions_or_distance_encodes_an_indoor_session() -> None:
    track = make_track(300)
    data = encode_fit_activity(
        start_at=START,
        sport="cycling",
        sub_sport="indoor_cycling",
        epoch_s=track.epoch_s,
        hr_bpm=track.hr,
        cadence_rpm=np.full(300, 88.0),
    )
    sdk = read_sdk(data)
    assert "position_lat" not in sdk["record_mesgs"][0]
    session = sdk["session_mesgs"][0]
    assert session["sub_sport"] == "indoor_cycling"
    assert "total_distance" not in session
    read_fitdecode(data)


def test_fit_distance_is_computed_from_positions_when_missing() -> None:
    track = make_track(300)
    session = read_sdk(encode(track, distance_m=None))["session_mesgs"][0]
    lat, lon = np.radians(track.lat), np.radians(track.lon)
    a = (
        np.sin(np.diff(lat) / 2) ** 2
        + np.cos(lat[:-1]) * np.cos(lat[1:]) * np.sin(np.diff(lon) / 2) ** 2
    )
    expected = float((2 * 6_371_008.8 * np.arcsin(np.sqrt(a))).sum())
    assert session["total_distance"] == pytest.approx(expected, abs=0.02)


@pytest.mark.parametrize(
    "overrides",
    [
        {"sport": "quidditch"},
        {"start_at": datetime(2024, 3, 5, 6, 30)},
        {"hr_bpm": np.zeros(5)},
        {"epoch_s": np.array([])},
        {"epoch_s": START.timestamp() + np.arange(1800.0)[::-1]},
    ],
)
def test_fit_bad_input_is_rejected(overrides: dict[str, Any]) -> None:
    with pytest.raises(InvalidInputError):
        encode(make_track(), **overrides)


def test_fit_timestamps_use_the_fit_epoch() -> None:
    data = encode(make_track(10))
    # The first record's timestamp: find it via fitdecode's raw value.
    with fitdecode.FitReader(io.BytesIO(data)) as reader:
        raw = next(
            f.get_field("timestamp").raw_value
            for f in reader
            if isinstance(f, fitdecode.FitDataMessage) and f.name == "record"
        )
    assert raw == round(START.timestamp()) - FIT_EPOCH_UNIX_S


# --- GPX ----------------------------------------------------------------------------------


def test_gpx_reads_back_with_gpxpy() -> None:
    track = make_track(200)
    data = encode_gpx_activity(
        start_at=START,
        name="Run & <walk>",
        activity_type="running",
        epoch_s=track.epoch_s,
        lat_deg=track.lat,
        lon_deg=track.lon,
        altitude_m=track.alt,
        hr_bpm=track.hr,
        cadence_rpm=track.cad,
        description='Easy "loop"',
    )
    gpx = gpxpy.parse(data.decode("utf-8"))
    assert gpx.version == "1.1"
    trk = gpx.tracks[0]
    assert trk.name == "Run & <walk>"
    assert trk.type == "running"
    assert trk.description == 'Easy "loop"'
    points = trk.segments[0].points
    assert len(points) == 200
    np.testing.assert_allclose([p.latitude for p in points], track.lat, atol=1e-7)
    np.testing.assert_allclose([p.longitude for p in points], track.lon, atol=1e-7)
    np.testing.assert_allclose([p.elevation for p in points], track.alt, atol=0.05 + 1e-9)
    assert [p.time.timestamp() for p in points] == list(np.round(track.epoch_s))
    hr, cad = [], []
    for p in points:
        (ext,) = p.extensions
        values = {child.tag.split("}")[1]: float(child.text) for child in ext}
        hr.append(values["hr"])
        cad.append(values["cad"])
    np.testing.assert_array_equal(hr, track.hr)
    np.testing.assert_array_equal(cad, np.round(track.cad))


def test_gpx_skips_points_without_position_and_blank_values() -> None:
    track = make_track(50)
    lat = track.lat.copy()
    lat[5] = np.nan
    hr = track.hr.copy()
    hr[7] = np.nan
    data = encode_gpx_activity(
        start_at=START,
        name="x",
        activity_type="cycling",
        epoch_s=track.epoch_s,
        lat_deg=lat,
        lon_deg=track.lon,
        hr_bpm=hr,
    )
    points = gpxpy.parse(data.decode("utf-8")).tracks[0].segments[0].points
    assert len(points) == 49
    assert points[0].elevation is None
    assert b"<gpxtpx:cad>" not in data
    # The seventh original sample is the sixth point now; it has no heart rate.
    assert points[6].extensions == []


def test_gpx_without_positions_is_rejected() -> None:
    with pytest.raises(InvalidInputError):
        encode_gpx_activity(
            start_at=START,
            name="x",
            activity_type="running",
            epoch_s=np.arange(3.0),
            lat_deg=np.full(3, np.nan),
            lon_deg=np.full(3, np.nan),
        )
