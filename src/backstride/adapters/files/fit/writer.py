"""A small, correct FIT *encoder* for one-session activity files.

It writes what a running watch writes: ``file_id``, ``device_info``, timer ``event``\\s,
``record``\\s, ``lap``\\s, one ``session`` and the ``activity`` message, each preceded once by
its definition message. Only normal (not compressed-timestamp) headers, little-endian
architecture and no developer fields are used, so every FIT reader can decode the result.

Source: Garmin FIT SDK, "FIT Protocol" (file header, record headers, definition and data
messages, base types with their invalid values, the CRC-16 in ``crc_calculator``) and
``Profile.xlsx`` (message and field numbers, scales and offsets). Records are built
vectorised with one numpy structured dtype per definition, so long files encode in
milliseconds.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt

from backstride.domain.activity import FloatArray, Lap
from backstride.domain.elevation import compute_elevation_change
from backstride.domain.geo import compute_cumulative_distance_m
from backstride.errors import InvalidInputError

FIT_EPOCH_UNIX_S = 631_065_600  # 1989-12-31T00:00:00Z
DEVELOPMENT_MANUFACTURER = 255
GARMIN_MANUFACTURER = 1
PROTOCOL_VERSION = 0x20  # 2.0
PROFILE_VERSION = 2132  # 21.32; every field written here is older than that
HEADER_SIZE = 14
SEMICIRCLES_PER_DEGREE = 2**31 / 180.0

# FIT profile enums (Profile.xlsx, "Types"): the names backstride writes.
SPORTS: dict[str, int] = {
    "generic": 0,
    "running": 1,
    "cycling": 2,
    "fitness_equipment": 4,
    "swimming": 5,
    "training": 10,
    "walking": 11,
    "cross_country_skiing": 12,
    "rowing": 15,
    "hiking": 17,
    "paddling": 19,
    "e_biking": 21,
    "hiit": 62,
}
SUB_SPORTS: dict[str, int] = {
    "generic": 0,
    "treadmill": 1,
    "street": 2,
    "trail": 3,
    "track": 4,
    "spin": 5,
    "indoor_cycling": 6,
    "road": 7,
    "mountain": 8,
    "indoor_rowing": 14,
    "elliptical": 15,
    "lap_swimming": 17,
    "open_water": 18,
    "flexibility_training": 19,
    "strength_training": 20,
    "indoor_walking": 27,
    "casual_walking": 30,
    "yoga": 43,
    "pilates": 44,
    "indoor_running": 45,
    "gravel_cycling": 46,
    "virtual_activity": 58,
}
LAP_TRIGGERS: dict[str, int] = {
    "manual": 0,
    "time": 1,
    "distance": 2,
    "position_start": 3,
    "position_lap": 4,
    "session_end": 7,
}

# Global message numbers.
_FILE_ID, _DEVICE_INFO, _EVENT, _RECORD, _LAP, _SESSION, _ACTIVITY = 0, 23, 21, 20, 19, 18, 34
# Enum values used below.
_FILE_ACTIVITY = 4
_EVENT_TIMER, _EVENT_LAP, _EVENT_SESSION, _EVENT_ACTIVITY = 0, 9, 8, 26
_EVENT_TYPE_START, _EVENT_TYPE_STOP, _EVENT_TYPE_STOP_ALL = 0, 1, 4
_ACTIVITY_MANUAL = 0
_SESSION_TRIGGER_ACTIVITY_END = 0

# Base types: FIT type byte, numpy dtype, invalid value, smallest and largest valid value.
_BASE_TYPES: dict[str, tuple[int, str, int, int, int]] = {
    "enum": (0x00, "u1", 0xFF, 0, 0xFE),
    "sint8": (0x01, "i1", 0x7F, -0x80, 0x7E),
    "uint8": (0x02, "u1", 0xFF, 0, 0xFE),
    "sint16": (0x83, "<i2", 0x7FFF, -0x8000, 0x7FFE),
    "uint16": (0x84, "<u2", 0xFFFF, 0, 0xFFFE),
    "sint32": (0x85, "<i4", 0x7FFFFFFF, -0x80000000, 0x7FFFFFFE),
    "uint32": (0x86, "<u4", 0xFFFFFFFF, 0, 0xFFFFFFFE),
    "string": (0x07, "S", 0, 0, 0),
    "uint8z": (0x0A, "u1", 0, 1, 0xFF),
    "uint16z": (0x8B, "<u2", 0, 1, 0xFFFF),
    "uint32z": (0x8C, "<u4", 0, 1, 0xFFFFFFFF),
}


@dataclass(frozen=True, slots=True)
class _Field:
    """One field of a definition: number, base type, and the profile's scale and offset."""

    num: int
    base: str
    scale: float = 1.0
    offset: float = 0.0
    size: int = 0  # strings only: bytes including the terminating NUL

    @property
    def dtype(self) -> str:
        kind = _BASE_TYPES[self.base][1]
        return f"S{self.size}" if kind == "S" else kind

    @property
    def nbytes(self) -> int:
        return np.dtype(self.dtype).itemsize


_Column = npt.ArrayLike | str


def _raw_values(field: _Field, values: npt.ArrayLike, n: int) -> npt.NDArray[np.generic]:
    """Physical values → stored integers: ``(value + offset) * scale``, rounded.

    NaN and values outside the base type's valid range become its invalid sentinel.
    """
    _, dtype, invalid, lo, hi = _BASE_TYPES[field.base]
    v = np.broadcast_to(np.asarray(values, dtype=np.float64), (n,))
    stored = np.round((v + field.offset) * field.scale)
    with np.errstate(invalid="ignore"):
        ok = np.isfinite(stored) & (stored >= lo) & (stored <= hi)
    return np.where(ok, stored, float(invalid)).astype(dtype)


def _string_value(field: _Field, text: str) -> bytes:
    raw = text.encode("utf-8")[: field.size - 1]
    # Never cut a multi-byte character in half.
    return raw.decode("utf-8", errors="ignore").encode("utf-8")


class _FitBuilder:
    """Collects definition and data messages; each local type is defined once, on first use."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self._defined: dict[int, tuple[int, tuple[_Field, ...]]] = {}

    def define(self, local: int, global_num: int, fields: Sequence[_Field]) -> None:
        key = (global_num, tuple(fields))
        if self._defined.get(local) == key:
            return
        self._defined[local] = key
        out = bytearray(struct.pack("<BBBHB", 0x40 | local, 0, 0, global_num, len(fields)))
        for f in fields:
            out += bytes((f.num, f.nbytes, _BASE_TYPES[f.base][0]))
        self.chunks.append(bytes(out))

    @staticmethod
    def rows(local: int, columns: Sequence[tuple[_Field, _Column]], n: int) -> np.ndarray:
        """``n`` data messages as one structured array (header byte + fields, packed)."""
        dtype = np.dtype([("h", "u1")] + [(f"f{i}", f.dtype) for i, (f, _) in enumerate(columns)])
        arr = np.zeros(n, dtype=dtype)
        arr["h"] = local
        for i, (f, values) in enumerate(columns):
            if f.base == "string":
                arr[f"f{i}"] = _string_value(f, str(values))
            else:
                arr[f"f{i}"] = _raw_values(f, values, n)
        return arr

    def message(
        self, local: int, global_num: int, columns: Sequence[tuple[_Field, _Column]]
    ) -> None:
        self.define(local, global_num, [f for f, _ in columns])
        self.chunks.append(self.rows(local, columns, 1).tobytes())

    def data(self) -> bytes:
        return b"".join(self.chunks)


# --- CRC -------------------------------------------------------------------------------------


def _crc_update_nibbles(crc: int, byte: int) -> int:
    """The FIT SDK's CRC step (CRC-16/ARC, reflected polynomial 0xA001), one byte."""
    table = (
        0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
        0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
    )  # fmt: skip
    tmp = table[crc & 0xF]
    crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ table[byte & 0xF]
    tmp = table[crc & 0xF]
    return ((crc >> 4) & 0x0FFF) ^ tmp ^ table[(byte >> 4) & 0xF]


_BYTE_CRC = np.array([_crc_update_nibbles(0, b) for b in range(256)], dtype=np.uint16)
# _SHIFT[j] = (lo, hi): the register after 2**j zero bytes, for each low and high register byte.
_SHIFT: list[tuple[npt.NDArray[np.uint16], npt.NDArray[np.uint16]]] = [
    (_BYTE_CRC.copy(), np.arange(256, dtype=np.uint16))
]


def _shift_tables(level: int) -> tuple[npt.NDArray[np.uint16], npt.NDArray[np.uint16]]:
    while len(_SHIFT) <= level:
        lo, hi = _SHIFT[-1]
        _SHIFT.append((lo[lo & 0xFF] ^ hi[lo >> 8], lo[hi & 0xFF] ^ hi[hi >> 8]))
    return _SHIFT[level]


def compute_fit_crc(data: bytes, crc: int = 0) -> int:
    """CRC-16 of ``data`` exactly as the FIT SDK computes it (starting from ``crc``).

    With a zero start the CRC is linear, so ``crc(A + B) = shift(crc(A), len(B)) ^ crc(B)``.
    Blocks are merged pairwise in a tree (``log2(n)`` numpy steps); leading zero bytes do not
    change a zero-start CRC, which pads odd levels. A non-zero start is the same as
    XOR-ing the shifted start value into the result.
    """
    vals = _BYTE_CRC[np.frombuffer(data, dtype=np.uint8)]
    level = 0
    while len(vals) > 1:
        if len(vals) % 2:
            vals = np.concatenate((np.zeros(1, dtype=np.uint16), vals))
        lo, hi = _shift_tables(level)
        left = vals[0::2]
        vals = lo[left & 0xFF] ^ hi[left >> 8] ^ vals[1::2]
        level += 1
    result = int(vals[0]) if len(vals) else 0
    if crc:
        start = crc
        n = len(data)
        bit = 0
        while n:
            if n & 1:
                lo, hi = _shift_tables(bit)
                start = int(lo[start & 0xFF] ^ hi[start >> 8])
            n >>= 1
            bit += 1
        result ^= start
    return result


# --- helpers ---------------------------------------------------------------------------------


def _column(values: npt.ArrayLike | None, n: int, name: str) -> FloatArray | None:
    if values is None:
        return None
    arr = np.asarray(values, dtype=np.float64).reshape(-1)
    if len(arr) != n:
        raise InvalidInputError(f"FIT column '{name}' has {len(arr)} samples but time has {n}.")
    return arr if np.isfinite(arr).any() else None


def _fit_time(dt_unix_s: float | FloatArray) -> FloatArray:
    rounded = np.round(np.asarray(dt_unix_s, dtype=np.float64))
    return np.asarray(rounded - FIT_EPOCH_UNIX_S, dtype=np.float64)


def _semicircles(deg: FloatArray) -> FloatArray:
    wrapped = np.mod(np.asarray(deg, dtype=np.float64) + 180.0, 360.0) - 180.0
    return np.asarray(np.round(wrapped * SEMICIRCLES_PER_DEGREE), dtype=np.float64)


def _nan_stat(values: FloatArray | None, how: str) -> float:
    if values is None:
        return float("nan")
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return float("nan")
    return float(finite.mean() if how == "mean" else finite.max())


def _enum(table: dict[str, int], name: str | None, what: str) -> int:
    key = (name or "generic").strip().lower().replace(" ", "_").replace("-", "_")
    if key not in table:
        raise InvalidInputError(
            f"Unknown FIT {what} '{name}'.", hint=f"Use one of: {', '.join(sorted(table))}."
        )
    return table[key]


def _first_finite(values: FloatArray | None) -> float:
    if values is None:
        return float("nan")
    idx = np.flatnonzero(np.isfinite(values))
    return float(values[idx[0]]) if idx.size else float("nan")


def _last_finite(values: FloatArray | None) -> float:
    if values is None:
        return float("nan")
    idx = np.flatnonzero(np.isfinite(values))
    return float(values[idx[-1]]) if idx.size else float("nan")


@dataclass(frozen=True, slots=True)
class _Totals:
    """Summary of a span of samples, in SI units (NaN = unknown)."""

    start_unix_s: float
    end_unix_s: float
    distance_m: float
    ascent_m: float
    descent_m: float
    avg_hr: float
    max_hr: float
    avg_cadence: float
    max_cadence: float
    avg_speed: float
    max_speed: float
    start_lat: float
    start_lon: float
    end_lat: float
    end_lon: float

    @property
    def elapsed_s(self) -> float:
        return self.end_unix_s - self.start_unix_s


def _totals(
    cols: dict[str, FloatArray | None],
    sl: slice,
    *,
    start_unix_s: float,
    end_unix_s: float,
    distance_before_m: float,
) -> _Totals:
    part = {k: (v[sl] if v is not None else None) for k, v in cols.items()}
    dist = part["distance_m"]
    distance = (
        max(_last_finite(dist) - distance_before_m, 0.0) if dist is not None else float("nan")
    )
    elev = compute_elevation_change(part["altitude_m"])
    elapsed = end_unix_s - start_unix_s
    return _Totals(
        start_unix_s=start_unix_s,
        end_unix_s=end_unix_s,
        distance_m=distance,
        ascent_m=elev.gain_m if elev else float("nan"),
        descent_m=elev.loss_m if elev else float("nan"),
        avg_hr=_nan_stat(part["hr_bpm"], "mean"),
        max_hr=_nan_stat(part["hr_bpm"], "max"),
        avg_cadence=_nan_stat(part["cadence_rpm"], "mean"),
        max_cadence=_nan_stat(part["cadence_rpm"], "max"),
        avg_speed=distance / elapsed if elapsed > 0 else float("nan"),
        max_speed=_nan_stat(part["speed_m_s"], "max"),
        start_lat=_first_finite(part["lat_deg"]),
        start_lon=_first_finite(part["lon_deg"]),
        end_lat=_last_finite(part["lat_deg"]),
        end_lon=_last_finite(part["lon_deg"]),
    )


def _split_cadence(cadence: float | FloatArray) -> tuple[FloatArray, FloatArray]:
    """Cadence → (whole rpm, fractional part in 1/128 rpm), as FIT stores it."""
    c = np.asarray(cadence, dtype=np.float64)
    total = np.round(c * 128.0)
    return np.floor(total / 128.0), (total % 128.0) / 128.0


_TIMESTAMP = _Field(253, "uint32")
_MESSAGE_INDEX = _Field(254, "uint16")


def _summary_columns(
    t: _Totals, *, lat_lon: bool, cols: dict[str, FloatArray | None], lap: bool
) -> list[tuple[_Field, _Column]]:
    """Fields shared by lap and session (their numbers differ; see Profile.xlsx)."""
    if lap:
        nums = {
            "avg_hr": 15,
            "max_hr": 16,
            "avg_cad": 17,
            "max_cad": 18,
            "ascent": 21,
            "descent": 22,
            "avg_frac": 80,
            "max_frac": 81,
            "avg_speed": 110,
            "max_speed": 111,
        }
    else:
        nums = {
            "avg_hr": 16,
            "max_hr": 17,
            "avg_cad": 18,
            "max_cad": 19,
            "ascent": 22,
            "descent": 23,
            "avg_frac": 92,
            "max_frac": 93,
            "avg_speed": 124,
            "max_speed": 125,
        }
    out: list[tuple[_Field, _Column]] = [
        (_TIMESTAMP, _fit_time(t.end_unix_s)),
        (_Field(2, "uint32"), _fit_time(t.start_unix_s)),
        (_Field(7, "uint32", 1000.0), t.elapsed_s),
        (_Field(8, "uint32", 1000.0), t.elapsed_s),
        (_Field(9, "uint32", 100.0), t.distance_m),
        (_Field(nums["avg_speed"], "uint32", 1000.0), t.avg_speed),
        (_Field(nums["max_speed"], "uint32", 1000.0), t.max_speed),
    ]
    if lat_lon:
        out += [
            (_Field(3, "sint32"), _semicircles(np.array(t.start_lat))),
            (_Field(4, "sint32"), _semicircles(np.array(t.start_lon))),
        ]
        if lap:
            out += [
                (_Field(5, "sint32"), _semicircles(np.array(t.end_lat))),
                (_Field(6, "sint32"), _semicircles(np.array(t.end_lon))),
            ]
    if cols["altitude_m"] is not None:
        out += [
            (_Field(nums["ascent"], "uint16"), t.ascent_m),
            (_Field(nums["descent"], "uint16"), t.descent_m),
        ]
    if cols["hr_bpm"] is not None:
        out += [
            (_Field(nums["avg_hr"], "uint8"), t.avg_hr),
            (_Field(nums["max_hr"], "uint8"), t.max_hr),
        ]
    if cols["cadence_rpm"] is not None:
        avg_whole, avg_frac = _split_cadence(t.avg_cadence)
        max_whole, max_frac = _split_cadence(t.max_cadence)
        out += [
            (_Field(nums["avg_cad"], "uint8"), avg_whole),
            (_Field(nums["max_cad"], "uint8"), max_whole),
            (_Field(nums["avg_frac"], "uint8", 128.0), avg_frac),
            (_Field(nums["max_frac"], "uint8", 128.0), max_frac),
        ]
    return out


def _timer_event(at_unix_s: float, event_type: int) -> list[tuple[_Field, _Column]]:
    return [
        (_TIMESTAMP, _fit_time(at_unix_s)),
        (_Field(0, "enum"), _EVENT_TIMER),
        (_Field(1, "enum"), event_type),
        (_Field(4, "uint8"), 0),  # event_group
    ]


def encode_fit_activity(
    *,
    start_at: datetime,
    sport: str,
    sub_sport: str | None,
    epoch_s: npt.ArrayLike,
    lat_deg: npt.ArrayLike | None = None,
    lon_deg: npt.ArrayLike | None = None,
    altitude_m: npt.ArrayLike | None = None,
    distance_m: npt.ArrayLike | None = None,
    speed_m_s: npt.ArrayLike | None = None,
    hr_bpm: npt.ArrayLike | None = None,
    cadence_rpm: npt.ArrayLike | None = None,
    laps: Sequence[Lap] | None = None,
    lap_trigger: str = "manual",
    utc_offset_s: int | None = 0,
    manufacturer: int = DEVELOPMENT_MANUFACTURER,
    product: int = 1,
    serial_number: int = 1,
    product_name: str | None = "backstride",
    software_version: float | None = None,
) -> bytes:
    """Encode one activity (one session) as the bytes of a FIT file.

    Samples: ``epoch_s`` are UNIX seconds (stored as whole seconds since the FIT epoch,
    ``UNIX − 631065600``); positions are WGS84 degrees (stored as semicircles,
    ``deg × 2³¹/180``); altitude in metres (``enhanced_altitude``, scale 5, offset 500);
    cumulative distance in metres (scale 100); speed in m/s (``enhanced_speed``, scale 1000);
    heart rate in bpm; cadence in cycles per minute (strides/min for running; whole rpm plus
    ``fractional_cadence`` in 1/128). ``None`` or all-NaN columns are left out; a NaN inside a
    column becomes the base type's invalid value. Without a distance column the distance is
    the haversine length of the track.

    ``laps`` are spans in seconds since ``start_at`` (``Lap.duration_s`` None = until the
    next lap); None gives one lap for the whole activity. Lap and session totals (time,
    distance, ascent/descent with a 3 m hysteresis, average/maximum heart rate, cadence and
    speed) are computed from the samples. The timer is never paused, so timer time equals
    elapsed time. ``utc_offset_s`` sets ``activity.local_timestamp`` (None: left unset).
    """
    if start_at.tzinfo is None or start_at.utcoffset() is None:
        raise InvalidInputError("The FIT start time must be an aware datetime.")
    start_unix = start_at.astimezone(UTC).timestamp()
    t = np.asarray(epoch_s, dtype=np.float64).reshape(-1)
    n = len(t)
    if n == 0:
        raise InvalidInputError("A FIT activity needs at least one sample.")
    if not np.isfinite(t).all() or (np.diff(t) < 0).any():
        raise InvalidInputError("FIT sample times must be finite and never go backwards.")
    if t[0] < start_unix - 1.0:
        raise InvalidInputError("FIT samples must not start before the activity start.")
    sport_num = _enum(SPORTS, sport, "sport")
    sub_num = _enum(SUB_SPORTS, sub_sport, "sub-sport")
    trigger_num = _enum(LAP_TRIGGERS, lap_trigger, "lap trigger")

    cols: dict[str, FloatArray | None] = {
        "lat_deg": _column(lat_deg, n, "lat_deg"),
        "lon_deg": _column(lon_deg, n, "lon_deg"),
        "altitude_m": _column(altitude_m, n, "altitude_m"),
        "distance_m": _column(distance_m, n, "distance_m"),
        "speed_m_s": _column(speed_m_s, n, "speed_m_s"),
        "hr_bpm": _column(hr_bpm, n, "hr_bpm"),
        "cadence_rpm": _column(cadence_rpm, n, "cadence_rpm"),
    }
    has_pos = cols["lat_deg"] is not None and cols["lon_deg"] is not None
    if not has_pos:
        cols["lat_deg"] = cols["lon_deg"] = None
    elif cols["distance_m"] is None:
        lat, lon = cols["lat_deg"], cols["lon_deg"]
        assert lat is not None and lon is not None
        cols["distance_m"] = compute_cumulative_distance_m(lat, lon)

    end_unix = float(t[-1])
    b = _FitBuilder()
    file_id: list[tuple[_Field, _Column]] = [
        (_Field(0, "enum"), _FILE_ACTIVITY),
        (_Field(1, "uint16"), manufacturer),
        (_Field(2, "uint16"), product),
        (_Field(3, "uint32z"), serial_number),
        (_Field(4, "uint32"), _fit_time(start_unix)),
    ]
    b.message(
        0,
        _FILE_ID,
        file_id + ([(_Field(8, "string", size=32), product_name)] if product_name else []),
    )
    device: list[tuple[_Field, _Column]] = [
        (_TIMESTAMP, _fit_time(start_unix)),
        (_Field(0, "uint8"), 0),  # device_index 0 = the creator
        (_Field(2, "uint16"), manufacturer),
        (_Field(3, "uint32z"), serial_number),
        (_Field(4, "uint16"), product),
    ]
    if software_version is not None:
        device.append((_Field(5, "uint16", 100.0), software_version))
    if product_name:
        device.append((_Field(27, "string", size=32), product_name))
    b.message(1, _DEVICE_INFO, device)
    b.message(2, _EVENT, _timer_event(start_unix, _EVENT_TYPE_START))

    # Records, vectorised.
    rec: list[tuple[_Field, _Column]] = [(_TIMESTAMP, _fit_time(t))]
    if has_pos:
        lat, lon = cols["lat_deg"], cols["lon_deg"]
        assert lat is not None and lon is not None
        rec += [(_Field(0, "sint32"), _semicircles(lat)), (_Field(1, "sint32"), _semicircles(lon))]
    if cols["distance_m"] is not None:
        rec.append((_Field(5, "uint32", 100.0), cols["distance_m"]))
    if cols["altitude_m"] is not None:
        rec.append((_Field(78, "uint32", 5.0, 500.0), cols["altitude_m"]))
    if cols["speed_m_s"] is not None:
        rec.append((_Field(73, "uint32", 1000.0), cols["speed_m_s"]))
    if cols["hr_bpm"] is not None:
        rec.append((_Field(3, "uint8"), cols["hr_bpm"]))
    if cols["cadence_rpm"] is not None:
        whole, frac = _split_cadence(cols["cadence_rpm"])
        whole = np.where(np.isfinite(cols["cadence_rpm"]), whole, np.nan)
        frac = np.where(np.isfinite(cols["cadence_rpm"]), frac, np.nan)
        rec += [(_Field(4, "uint8"), whole), (_Field(53, "uint8", 128.0), frac)]
    records = _FitBuilder.rows(3, rec, n)
    b.define(3, _RECORD, [f for f, _ in rec])

    # Laps: spans of samples by time.
    rel = t - start_unix
    spans = sorted(laps, key=lambda lap: lap.start_s) if laps else [Lap(start_s=0.0)]
    starts = np.array([max(lap.start_s, 0.0) for lap in spans])
    first_idx = np.searchsorted(rel, starts, side="left")
    first_idx[0] = 0
    lap_totals: list[_Totals] = []
    lap_slices: list[slice] = []
    dist_col = cols["distance_m"]
    for i, lap in enumerate(spans):
        i0 = int(first_idx[i])
        i1 = int(first_idx[i + 1]) if i + 1 < len(spans) else n
        lap_start = start_unix + (float(starts[i]) if i else 0.0)
        if lap.duration_s is not None:
            lap_end = lap_start + lap.duration_s
        elif i + 1 < len(spans):
            lap_end = start_unix + float(starts[i + 1])
        else:
            lap_end = end_unix
        before = _last_finite(dist_col[:i0]) if dist_col is not None and i0 else 0.0
        totals = _totals(
            cols,
            slice(i0, i1),
            start_unix_s=lap_start,
            end_unix_s=max(lap_end, lap_start),
            distance_before_m=0.0 if np.isnan(before) else before,
        )
        if lap.distance_m is not None:
            totals = replace(totals, distance_m=lap.distance_m)
        lap_totals.append(totals)
        lap_slices.append(slice(i0, i1))

    lap_rows = []
    for i, totals in enumerate(lap_totals):
        last = i == len(lap_totals) - 1
        cols_i: list[tuple[_Field, _Column]] = [
            (_MESSAGE_INDEX, i),
            (_Field(0, "enum"), _EVENT_LAP),
            (_Field(1, "enum"), _EVENT_TYPE_STOP),
            (_Field(24, "enum"), LAP_TRIGGERS["session_end"] if last else trigger_num),
            (_Field(25, "enum"), sport_num),
            (_Field(39, "enum"), sub_num),
        ] + _summary_columns(totals, lat_lon=has_pos, cols=cols, lap=True)
        lap_rows.append(cols_i)
    lap_fields = [f for f, _ in lap_rows[0]]

    for i, sl in enumerate(lap_slices):
        b.chunks.append(records[sl].tobytes())
        if i == len(lap_slices) - 1:
            b.message(2, _EVENT, _timer_event(end_unix, _EVENT_TYPE_STOP_ALL))
        b.define(4, _LAP, lap_fields)
        b.chunks.append(_FitBuilder.rows(4, lap_rows[i], 1).tobytes())

    session_totals = _totals(
        cols,
        slice(0, n),
        start_unix_s=start_unix,
        end_unix_s=end_unix,
        distance_before_m=0.0,
    )
    b.message(
        5,
        _SESSION,
        [
            (_MESSAGE_INDEX, 0),
            (_Field(0, "enum"), _EVENT_SESSION),
            (_Field(1, "enum"), _EVENT_TYPE_STOP),
            (_Field(5, "enum"), sport_num),
            (_Field(6, "enum"), sub_num),
            (_Field(25, "uint16"), 0),
            (_Field(26, "uint16"), len(lap_totals)),
            (_Field(28, "enum"), _SESSION_TRIGGER_ACTIVITY_END),
        ]
        + _summary_columns(session_totals, lat_lon=has_pos, cols=cols, lap=False),
    )
    b.message(
        6,
        _ACTIVITY,
        [
            (_TIMESTAMP, _fit_time(end_unix)),
            (_Field(0, "uint32", 1000.0), session_totals.elapsed_s),
            (_Field(1, "uint16"), 1),
            (_Field(2, "enum"), _ACTIVITY_MANUAL),
            (_Field(3, "enum"), _EVENT_ACTIVITY),
            (_Field(4, "enum"), _EVENT_TYPE_STOP),
            (
                _Field(5, "uint32"),
                _fit_time(end_unix + utc_offset_s) if utc_offset_s is not None else np.nan,
            ),
        ],
    )

    return fit_file(b.data())


def fit_file(data: bytes) -> bytes:
    """Data records wrapped as a FIT file: the 14-byte header with its CRC, and the file CRC."""
    header = struct.pack(
        "<BBHI4s", HEADER_SIZE, PROTOCOL_VERSION, PROFILE_VERSION, len(data), b".FIT"
    )
    header += struct.pack("<H", compute_fit_crc(header))
    body = header + data
    return body + struct.pack("<H", compute_fit_crc(body))
