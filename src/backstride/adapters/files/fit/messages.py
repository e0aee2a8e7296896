"""FIT messages decoded into columns: records, sessions, laps, timer events, the device and
the time zone (:func:`decode_fit`), without building activities."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from backstride.adapters.files.fit import profile as P
from backstride.adapters.files.fit.layout import (
    _SMALL_TABLE,
    IntArray,
    _field_access,
    _Kind,
    _Layout,
    _Plan,
    _plan,
    _row_reader,
    _Table,
)
from backstride.adapters.files.fit.walk import _HINT_EXPORT, _walk_files, _Walker
from backstride.domain.activity import DeviceTotals, FloatArray
from backstride.domain.metrics import timer_running_s
from backstride.errors import (
    BackstrideError,
    CorruptFileError,
)

_ACTIVITY_FILE_TYPE: Final = 4
_MAX_UTC_OFFSET_S: Final = 14 * 3600
# event.event = timer; event.event_type start, and stop / stop_all / stop_disable /
# stop_disable_all (FIT profile "event" and "event_type").
_EVENT_TIMER: Final = next(k for k, v in P.EVENTS.items() if v == "timer")
_EVENT_START: Final = next(k for k, v in P.EVENT_TYPES.items() if v == "start")
_EVENT_STOPS: Final = tuple(
    k
    for k, v in P.EVENT_TYPES.items()
    if v in ("stop", "stop_all", "stop_disable", "stop_disable_all")
)


def _decode_values(raw: npt.NDArray[Any], kind: _Kind) -> FloatArray:
    """Raw field values (one per message) as floats, invalid -> NaN.

    Byte fields (``raw`` of shape (n, k)) are read as little-endian integers, NaN when every
    byte is 0xFF.
    """
    fmt, invalid, is_float = kind
    if fmt.startswith("bytes"):
        acc = np.zeros(raw.shape[0], dtype=np.int64)
        for k in range(raw.shape[1]):
            acc |= raw[:, k].astype(np.int64) << (8 * k)
        out = acc.astype(np.float64)
        out[np.all(raw == 0xFF, axis=1)] = np.nan
        return out
    values = raw.astype(np.float64)
    if is_float:
        values[~np.isfinite(values)] = np.nan
    else:
        values[raw == invalid] = np.nan
    return values


class _Decoder:
    """Turns the walked offsets into numpy columns."""

    def __init__(self, walker: _Walker) -> None:
        self.data = walker.data
        self.u8 = np.frombuffer(walker.data, dtype=np.uint8)
        self.layouts = walker.layouts
        self.by_global: dict[int, list[_Layout]] = {}
        for lay in walker.layouts:
            self.by_global.setdefault(lay.shape.global_num, []).append(lay)
        self._views: dict[str, npt.NDArray[np.generic]] = {}

    def _view(self, fmt: str) -> npt.NDArray[np.generic]:
        """An overlapping view of the whole file: element ``i`` is the value at byte ``i``."""
        view = self._views.get(fmt)
        if view is None:
            dt = np.dtype(fmt)
            length = max(len(self.data) - dt.itemsize + 1, 0)
            view = np.ndarray(shape=(length,), dtype=dt, buffer=self.data, strides=(1,))
            self._views[fmt] = view
        return view

    @staticmethod
    def _messages(layouts: list[_Layout]) -> tuple[IntArray, IntArray]:
        """Offsets of every message of ``layouts`` in file order, and each one's layout."""
        if len(layouts) == 1 and not layouts[0].chunks and not layouts[0].runs:
            only = np.frombuffer(layouts[0].singles, dtype=np.int64)  # in file order
            return only, np.zeros(only.size, dtype=np.int64)
        singles: list[IntArray] = []
        runs: list[IntArray] = []
        n_singles: list[int] = []
        n_runs: list[int] = []
        chunk_pos: list[IntArray] = []
        chunk_ids: list[IntArray] = []
        for i, lay in enumerate(layouts):
            singles.append(np.frombuffer(lay.singles, dtype=np.int64))
            runs.append(np.frombuffer(lay.runs, dtype=np.int64))
            n_singles.append(len(lay.singles))
            n_runs.append(len(lay.runs) // 3)
            for chunk in lay.chunks:
                chunk_pos.append(chunk)
                chunk_ids.append(np.full(chunk.size, i, dtype=np.int64))
        ids = np.arange(len(layouts), dtype=np.int64)
        pos = np.concatenate(singles) if singles else np.empty(0, dtype=np.int64)
        lay_idx = np.repeat(ids, n_singles)
        if chunk_pos:
            pos = np.concatenate([pos, *chunk_pos])
            lay_idx = np.concatenate([lay_idx, *chunk_ids])
        if sum(n_runs):
            r = np.concatenate(runs).reshape(-1, 3)
            starts, counts, strides = r[:, 0], r[:, 1], r[:, 2]
            first = np.cumsum(counts) - counts
            step = np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(first, counts)
            pos = np.concatenate(
                [pos, np.repeat(starts, counts) + step * np.repeat(strides, counts)]
            )
            lay_idx = np.concatenate([lay_idx, np.repeat(np.repeat(ids, n_runs), counts)])
        if pos.size > 1 and not bool(np.all(pos[1:] > pos[:-1])):
            order = np.argsort(pos, kind="stable")
            pos = pos[order]
            lay_idx = lay_idx[order]
        return pos, lay_idx

    def _gather(self, kind: _Kind, at: IntArray) -> FloatArray:
        """Values of a numeric field at the absolute byte offsets ``at``, invalid -> NaN."""
        return _decode_values(self._view(kind[0])[at], kind)

    def _whole_messages(self, size: int) -> npt.NDArray[np.void]:
        """An overlapping view of the file: element ``i`` is the ``size`` bytes from ``i``."""
        key = f"V{size}"
        view = self._views.get(key)
        if view is None:
            length = max(len(self.data) - size + 1, 0)
            view = np.ndarray(
                shape=(length,), dtype=np.dtype((np.void, size)), buffer=self.data, strides=(1,)
            )
            self._views[key] = view
        return view  # type: ignore[return-value]

    def _vector_columns(
        self,
        plan: _Plan,
        positions: IntArray,
        lay_idx: IntArray,
    ) -> dict[str, FloatArray]:
        """Unscaled columns of many messages, read as ``plan`` says.

        Per shape, its messages are gathered whole (one fancy index, ``size`` bytes each)
        and viewed through the shape's structured dtype; each field is then decoded from
        its strided view. With several shapes, each one's values are scattered to its
        messages' rows.
        """
        n = positions.size
        columns: dict[str, FloatArray] = {name: np.full(n, np.nan) for name in plan.missing}
        if len(plan.shapes) == 1:
            reader = plan.readers[0]
            if reader is not None:
                messages = self._whole_messages(reader.size)[positions].view(reader.dtype)
                for name, kind in reader.fields:
                    columns[name] = _decode_values(messages[name], kind)
            return columns
        for name in plan.numeric:
            if name not in columns:
                columns[name] = np.full(n, np.nan)
        for k, reader in enumerate(plan.readers):
            if reader is None:
                continue
            rows = np.flatnonzero(lay_idx == k)
            if not rows.size:
                continue
            messages = self._whole_messages(reader.size)[positions[rows]].view(reader.dtype)
            for name, kind in reader.fields:
                columns[name][rows] = _decode_values(messages[name], kind)
        return columns

    def table(
        self,
        global_num: int,
        specs: Mapping[str, P.FieldSpec],
        *,
        raw_bytes: Mapping[str, int] | None = None,
        strings: tuple[str, ...] = (),
    ) -> _Table:
        """Decode ``specs`` (scaled floats, NaN when invalid or absent) of one message type.

        ``raw_bytes`` names byte fields returned as little-endian integers of that many
        bytes (NaN when every byte is 0xFF); ``strings`` names string fields (decoded per
        message: they only occur in rare messages such as ``file_id``).
        """
        raw_bytes = raw_bytes or {}
        layouts = self.by_global.get(global_num, [])
        plan = _plan(tuple(lay.shape for lay in layouts), specs, raw_bytes, strings)
        numeric = plan.numeric
        count = sum(lay.count() for lay in layouts)
        columns: dict[str, FloatArray] = {}
        if count <= _SMALL_TABLE:
            entries = sorted(
                [(p, lay) for lay in layouts for p in lay.singles]
                + [(p, lay) for lay in layouts for c in lay.chunks for p in c.tolist()]
                + [
                    (start + k * stride, lay)
                    for lay in layouts
                    for start, n, stride in zip(
                        lay.runs[0::3], lay.runs[1::3], lay.runs[2::3], strict=True
                    )
                    for k in range(n)
                ],
                key=lambda e: e[0],
            )
            positions = np.array([e[0] for e in entries], dtype=np.int64)
            rows = [[np.nan] * len(numeric) for _ in entries]
            key = tuple(numeric)
            for row, (p, lay) in zip(rows, entries, strict=True):
                reader = _row_reader(lay.shape, numeric, raw_bytes, key)
                if reader is None:
                    continue
                unpack, items = reader
                for (index, nbytes, invalid, is_float), value in zip(
                    items, unpack(self.data, p), strict=True
                ):
                    if nbytes:
                        if value.count(0xFF) != nbytes:
                            row[index] = float(int.from_bytes(value, "little"))
                    elif is_float:
                        if math.isfinite(value):
                            row[index] = float(value)
                    elif value != invalid:
                        row[index] = float(value)
            table = np.array(rows, dtype=np.float64).reshape(len(entries), len(numeric))
            for i, name in enumerate(numeric):
                columns[name] = np.ascontiguousarray(table[:, i])
            entry_layouts = [lay for _, lay in entries]
        else:
            positions, lay_idx = self._messages(layouts)
            columns = self._vector_columns(plan, positions, lay_idx)
            entry_layouts = [layouts[i] for i in lay_idx.tolist()] if strings else []
        for name, scale, offset in plan.scaled:
            col = columns[name]
            if scale != 1:
                col /= scale
            if offset:
                col -= offset
        texts: dict[str, list[str | None]] = {}
        for name in strings:
            num = specs[name].num
            out: list[str | None] = []
            for p, lay in zip(positions.tolist(), entry_layouts, strict=True):
                fdef = lay.shape.fields.get(num)
                if fdef is None:
                    out.append(None)
                    continue
                raw = self.data[p + fdef[0] : p + fdef[0] + fdef[1]].split(b"\x00", 1)[0]
                out.append(raw.decode("utf-8", errors="replace").strip() or None)
            texts[name] = out
        return _Table(positions, columns, texts, plan.present)

    def compressed_timestamps(self, positions: IntArray) -> FloatArray:
        """FIT timestamps of the messages at ``positions`` that have compressed headers.

        The 5-bit offset in a compressed header counts from the last full timestamp of any
        message (or the previous compressed one); an offset smaller than the previous one
        means the 32-second counter rolled over (FIT protocol, "Compressed Timestamp
        Header"). Computed for all messages at once with cumulative sums.
        """
        u8 = self.u8
        all_pos, lay_idx = self._messages(self.layouts)
        stamp = P.RECORD_FIELDS["timestamp"]
        full_ts = np.full(all_pos.size, np.nan)
        accesses = [_field_access(lay.shape, stamp, None) for lay in self.layouts]
        for i, access in enumerate(accesses):
            if access is None:
                continue
            sel = lay_idx == i
            kind = (access.fmt, access.invalid, access.is_float)
            full_ts[sel] = self._gather(kind, all_pos[sel] + access.offset)
        is_comp = u8[all_pos] >= 0x80
        keep = is_comp | np.isfinite(full_ts)
        all_pos, full_ts, is_comp = all_pos[keep], full_ts[keep], is_comp[keep]
        full = ~is_comp
        full_int = np.where(full, full_ts, 0).astype(np.int64)
        low = np.where(is_comp, u8[all_pos].astype(np.int64) & 0x1F, full_int & 0x1F)
        prev_low = np.concatenate([np.zeros(1, dtype=np.int64), low[:-1]])
        wraps = np.cumsum(is_comp & (low < prev_low))
        seg = np.cumsum(full) - 1  # index of the governing full timestamp (-1: none yet)
        full_idx = np.flatnonzero(full)
        seg_safe = np.maximum(seg, 0)
        if full_idx.size:
            base = (full_int[full_idx] & ~0x1F)[seg_safe]
            wraps_at = wraps[full_idx][seg_safe]
        else:
            base = np.zeros_like(full_int)
            wraps_at = np.zeros_like(full_int)
        ts_all = (base + low + 32 * (wraps - wraps_at)).astype(np.float64)
        ts_all[seg < 0] = np.nan
        if all_pos.size == 0:
            return np.full(positions.size, np.nan)
        idx = np.minimum(np.searchsorted(all_pos, positions), all_pos.size - 1)
        hit = (all_pos[idx] == positions) & (u8[positions] >= 0x80)
        result: FloatArray = np.where(hit, ts_all[idx], np.nan)
        return result


@dataclass(frozen=True, slots=True)
class FitRecords:
    """Every ``record`` message in file order, in SI units; NaN where absent or invalid.

    ``epoch_s`` are UNIX seconds. ``cadence_rpm`` is cadence + fractional cadence as the
    device wrote it (strides per minute for running).
    """

    positions: IntArray
    epoch_s: FloatArray
    lat_deg: FloatArray
    lon_deg: FloatArray
    altitude_m: FloatArray
    distance_m: FloatArray
    speed_m_s: FloatArray
    hr_bpm: FloatArray
    cadence_rpm: FloatArray
    power_w: FloatArray

    def __len__(self) -> int:
        return int(self.epoch_s.size)

    def columns(self) -> dict[str, FloatArray]:
        return {
            "lat_deg": self.lat_deg,
            "lon_deg": self.lon_deg,
            "altitude_m": self.altitude_m,
            "distance_m": self.distance_m,
            "speed_m_s": self.speed_m_s,
            "hr_bpm": self.hr_bpm,
            "cadence_rpm": self.cadence_rpm,
            "power_w": self.power_w,
        }


@dataclass(frozen=True, slots=True)
class FitSession:
    """One ``session`` message: the device's own summary (UNIX seconds, SI units)."""

    start_epoch_s: float | None
    end_epoch_s: float | None  # the session message's timestamp
    sport: str | None
    sub_sport: str | None
    totals: DeviceTotals


@dataclass(frozen=True, slots=True)
class FitLap:
    start_epoch_s: float | None
    elapsed_s: float | None
    distance_m: float | None


@dataclass(frozen=True, slots=True)
class FitData:
    """Everything :func:`parse_fit` uses, decoded but not yet cleaned or split."""

    file_types: tuple[int | None, ...]
    device: str | None
    records: FitRecords
    sessions: tuple[FitSession, ...]
    laps: tuple[FitLap, ...]
    sport: str | None
    sub_sport: str | None
    utc_offset_s: int | None
    warnings: tuple[str, ...]
    n_files: int
    #: When ``utc_offset_s`` holds: the ``activity`` message's time (UNIX s), at the end.
    utc_offset_epoch_s: float | None = None
    timer: FitTimerEvents = field(default_factory=lambda: FitTimerEvents.none())


@dataclass(frozen=True, slots=True)
class FitTimerEvents:
    """The device's timer start and stop events, in file order (UNIX seconds)."""

    epoch_s: FloatArray
    starts: npt.NDArray[np.bool_]
    stops: npt.NDArray[np.bool_]

    @classmethod
    def none(cls) -> FitTimerEvents:
        empty = np.zeros(0, dtype=bool)
        return cls(np.zeros(0), empty, empty)

    def running_s(self, start_epoch_s: float, end_epoch_s: float) -> float | None:
        """Seconds the timer ran between the two times (None without timer events)."""
        return timer_running_s(self.epoch_s, self.starts, self.stops, start_epoch_s, end_epoch_s)


def _timer_events(dec: _Decoder) -> FitTimerEvents:
    t = dec.table(P.MESG_EVENT, P.EVENT_FIELDS)
    if not len(t):
        return FitTimerEvents.none()
    timer = t.col("event") == _EVENT_TIMER
    kind = t.col("event_type")
    starts = timer & (kind == _EVENT_START)
    stops = timer & np.isin(kind, _EVENT_STOPS)
    keep = starts | stops
    return FitTimerEvents((t.col("timestamp") + P.FIT_EPOCH_S)[keep], starts[keep], stops[keep])


def _enum_name(table: Mapping[int, str], value: float | None) -> str | None:
    if value is None:
        return None
    return table.get(int(value), str(int(value)))


def _device_name(dec: _Decoder, file_id: _Table, row: int) -> str | None:
    """Manufacturer and product of the recording device, e.g. "garmin fr945"."""
    maker = file_id.value("manufacturer", row)
    product = file_id.value("product", row)
    product_name = file_id.strings["product_name"][row]
    garmin = maker is not None and int(maker) in P.GARMIN_PRODUCT_MANUFACTURERS
    if product_name is None and not garmin:
        # The creator's device_info message may name the product.
        device_info = dec.table(P.MESG_DEVICE_INFO, P.DEVICE_INFO_FIELDS, strings=("product_name",))
        for i in range(len(device_info)):
            if device_info.value("device_index", i) == 0:
                product_name = device_info.strings["product_name"][i]
                if product_name:
                    break
    parts: list[str] = []
    if maker is not None:
        parts.append(P.MANUFACTURERS.get(int(maker), str(int(maker))))
    if product_name:
        parts.append(product_name)
    elif product is not None:
        if garmin:
            parts.append(P.GARMIN_PRODUCTS.get(int(product), str(int(product))))
        else:
            parts.append(str(int(product)))
    return " ".join(parts) or None


def _optional(value: float | None) -> float | None:
    return value if value is not None and np.isfinite(value) else None


def _records(dec: _Decoder, walker: _Walker) -> FitRecords:
    table = dec.table(
        P.MESG_RECORD,
        P.RECORD_FIELDS,
        raw_bytes={"compressed_speed_distance": 3},
    )
    c = table.columns
    has = table.present
    ts = c["timestamp"]
    if walker.has_compressed and len(table):
        comp = dec.compressed_timestamps(table.positions)
        ts = np.where(np.isfinite(comp), comp, ts)

    def prefer(first: str, second: str) -> FloatArray:
        if first not in has:
            return c[second]
        if second not in has:
            return c[first]
        return np.where(np.isfinite(c[first]), c[first], c[second])

    altitude = prefer("enhanced_altitude", "altitude")
    speed = prefer("enhanced_speed", "speed")
    distance = c["distance"]
    csd = c["compressed_speed_distance"]
    ok = np.isfinite(csd) if "compressed_speed_distance" in has else None
    if ok is not None and ok.any():
        raw = csd[ok].astype(np.int64)
        speed_bits, dist_bits = P.COMPRESSED_SPEED_DISTANCE_BITS
        speed_scale, dist_scale = P.COMPRESSED_SPEED_DISTANCE_SCALES
        csd_speed = (raw & ((1 << speed_bits) - 1)) / speed_scale
        dist_raw = (raw >> speed_bits) & ((1 << dist_bits) - 1)
        # Accumulate the 12-bit rolling distance (FIT "accumulated" component).
        steps = np.diff(dist_raw, prepend=dist_raw[:1]) & ((1 << dist_bits) - 1)
        csd_dist = (dist_raw[0] + np.cumsum(steps)) / dist_scale
        speed = speed.copy()
        distance = distance.copy()
        sp = speed[ok]
        speed[ok] = np.where(np.isfinite(sp), sp, csd_speed)
        di = distance[ok]
        distance[ok] = np.where(np.isfinite(di), di, csd_dist)
    cadence = c["cadence"]
    if "fractional_cadence" in has:
        frac = c["fractional_cadence"]
        cadence = np.where(np.isfinite(frac) & np.isfinite(cadence), cadence + frac, cadence)
    return FitRecords(
        positions=table.positions,
        epoch_s=ts + P.FIT_EPOCH_S,
        lat_deg=c["position_lat"] * P.SEMICIRCLE_DEG,
        lon_deg=c["position_long"] * P.SEMICIRCLE_DEG,
        altitude_m=altitude,
        distance_m=distance,
        speed_m_s=speed,
        hr_bpm=c["heart_rate"],
        cadence_rpm=cadence,
        power_w=c["power"],
    )


def _sessions(dec: _Decoder) -> tuple[FitSession, ...]:
    t = dec.table(P.MESG_SESSION, P.SESSION_FIELDS)
    out: list[FitSession] = []
    for i in range(len(t)):
        cadence = t.value("avg_cadence", i)
        frac = t.value("avg_fractional_cadence", i)
        if cadence is not None and frac is not None:
            cadence += frac
        start = t.value("start_time", i)
        stamp = t.value("timestamp", i)
        totals = DeviceTotals(
            distance_m=t.value("total_distance", i),
            timer_s=t.value("total_timer_time", i),
            elapsed_s=t.value("total_elapsed_time", i),
            ascent_m=t.value("total_ascent", i),
            descent_m=t.value("total_descent", i),
            avg_hr_bpm=t.value("avg_heart_rate", i),
            max_hr_bpm=t.value("max_heart_rate", i),
            avg_cadence_rpm=cadence,
        )
        out.append(
            FitSession(
                start_epoch_s=None if start is None else start + P.FIT_EPOCH_S,
                end_epoch_s=None if stamp is None else stamp + P.FIT_EPOCH_S,
                sport=_enum_name(P.SPORTS, t.value("sport", i)),
                sub_sport=_enum_name(P.SUB_SPORTS, t.value("sub_sport", i)),
                totals=totals,
            )
        )
    return tuple(out)


def _laps(dec: _Decoder) -> tuple[FitLap, ...]:
    t = dec.table(P.MESG_LAP, P.LAP_FIELDS)
    starts = (t.col("start_time") + P.FIT_EPOCH_S).tolist()
    elapsed = t.col("total_elapsed_time").tolist()
    distance = t.col("total_distance").tolist()
    return tuple(
        FitLap(_optional(a), _optional(b), _optional(c))
        for a, b, c in zip(starts, elapsed, distance, strict=True)
    )


def _utc_offset(dec: _Decoder) -> tuple[int, float] | None:
    """The local-time offset the ``activity`` message states, and the instant it holds for
    (that message's timestamp, written at the end of the recording; UNIX seconds)."""
    t = dec.table(P.MESG_ACTIVITY, P.ACTIVITY_FIELDS)
    for i in range(len(t)):
        stamp = t.value("timestamp", i)
        local = t.value("local_timestamp", i)
        if stamp is None or local is None:
            continue
        offset = local - stamp
        if abs(offset) <= _MAX_UTC_OFFSET_S:
            return int(round(offset / 900.0)) * 900, float(stamp + P.FIT_EPOCH_S)
    return None


def decode_fit(data: bytes) -> FitData:
    """Decode a FIT file's messages into columns (see the module docstring).

    Raises :class:`CorruptFileError` for damaged files; never builds activities.
    """
    if not data:
        raise CorruptFileError("The FIT file is empty (0 bytes).", hint=_HINT_EXPORT)
    walker = _Walker(bytes(data))
    try:
        with np.errstate(all="ignore"):
            n_files, warnings = _walk_files(walker)
            dec = _Decoder(walker)
            file_id = dec.table(P.MESG_FILE_ID, P.FILE_ID_FIELDS, strings=("product_name",))
            file_types = tuple(
                None if t is None else int(t)
                for t in (file_id.value("type", i) for i in range(len(file_id)))
            )
            activity_rows = [i for i, t in enumerate(file_types) if t == _ACTIVITY_FILE_TYPE]
            device_row = activity_rows[0] if activity_rows else 0
            device = _device_name(dec, file_id, device_row) if len(file_id) else None
            sessions = _sessions(dec)
            offset = _utc_offset(dec)
            sport = sub_sport = None
            if not sessions:  # the sport message only matters without sessions
                sport_table = dec.table(P.MESG_SPORT, P.SPORT_FIELDS)
                if len(sport_table):
                    sport = _enum_name(P.SPORTS, sport_table.value("sport", 0))
                    sub_sport = _enum_name(P.SUB_SPORTS, sport_table.value("sub_sport", 0))
            return FitData(
                file_types=file_types,
                device=device,
                records=_records(dec, walker),
                sessions=sessions,
                laps=_laps(dec),
                sport=sport,
                sub_sport=sub_sport,
                utc_offset_s=offset[0] if offset else None,
                utc_offset_epoch_s=offset[1] if offset else None,
                warnings=tuple(warnings),
                n_files=n_files,
                timer=_timer_events(dec),
            )
    except BackstrideError:
        raise
    except Exception as exc:  # every input must end in one of our errors
        raise CorruptFileError(
            f"The FIT file is damaged near byte {walker.pos}: it could not be decoded "
            f"({type(exc).__name__}: {exc}).",
            hint=_HINT_EXPORT,
        ) from exc
