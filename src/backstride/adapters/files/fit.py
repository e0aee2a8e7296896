"""FIT activity files (Garmin's binary format), decoded with numpy.

Entry point: :func:`parse_fit` (bytes -> one :class:`Activity` per session). Tests and the
benchmark also use :func:`decode_fit`, which stops before activities are assembled. The
FIT profile pieces used (message and field numbers, base types, scales, offsets, enum
names) are in :mod:`backstride.adapters.files.fit_profile`, generated from the Garmin FIT
SDK; the format itself is the FIT protocol (FIT SDK documentation, "FIT File Structure").

How it is fast
--------------
1. The bytes are split into chained FIT files (header, data, CRC). Each CRC-16 is computed
   in a handful of numpy operations whatever the length (:func:`compute_fit_crc`).
2. One plain-Python walk over the record headers (:class:`_Walker`). Definition messages
   are parsed once per distinct definition (a redefinition identical to an earlier one
   shares its layout; a different one starts a new layout, so redefinitions mid-file
   work); developer fields are skipped by their size and unknown messages by their
   definition's length. Data messages are never read here: only their byte offsets are
   kept, per layout. Runs of one message (``record, record, ...``) or of two alternating
   ones (``record, hrv, record, hrv, ...``) are measured with one strided slice and
   ``bytes.lstrip``; irregular stretches go through a tight loop that only looks up each
   header byte's message size, and their offsets are sorted out per layout with numpy.
   Compressed-timestamp headers are only noted.
3. What a definition means (field offsets, numpy formats, a structured dtype per message
   type) is worked out once per distinct definition and shared by every file that uses
   it: a device writes the same definitions in each of its files, so a bulk import pays
   for it once.
4. Per message type and layout, the messages are gathered whole with one fancy index
   through an overlapping view of the file (element ``i`` = the message starting at byte
   ``i``) and viewed through the structured dtype; each field is then decoded from its
   strided column: invalid value -> NaN, value = raw / scale - offset. Compressed
   timestamps (5-bit rolling offsets) and the compressed speed/distance field (12-bit
   accumulated distance) are expanded with cumulative sums. No Python code runs per
   record after the walk; message types with a handful of messages (sessions, file_id)
   are unpacked with one ``struct`` per layout.

Decisions on damaged and odd files
----------------------------------
- Any checksum (CRC) mismatch rejects the file: "The checksum does not match ...: the file
  is damaged." (``activity-filecrc.fit``; also ``activity-activity-filecrc.fit``, whose
  second chained activity is damaged). A header CRC of 0 means "not computed".
- A file shorter than its header's declared size is *salvaged*: every complete message
  is decoded, the incomplete end is dropped and the activities carry a warning ("The file
  ends early ...": ``activity-unexpected-eof.fit``, ``activity-settings-nodata.fit`` whose
  second chained file is cut).
- A file whose last message runs past the declared data size has no CRC where the header
  says: the device never closed it. It is read to its last complete message and salvaged
  with a warning (``nick.fit``, an unterminated Sigma recording).
- A data message of a local type that was never defined means the stream lost its place.
  The decoder resynchronises on the next offset (within 4 KiB) from which 8 messages read
  consistently, and warns how many bytes it skipped (``strava-android-app-...fit``: six
  malformed records, 1209 records read where the reference readers stop at 473). This
  applies to CRC-valid and truncated files; a CRC-damaged one is rejected.
- Bytes after the last FIT file that are not another FIT header are ignored with a warning
  (``activity-settings-corruptheader.fit``); zero padding is ignored silently.
- A header declaring 0 data bytes followed by data is rejected: the watch never finished
  the recording (``empty-activities.fit``). An empty or header-only file is rejected too.
- ``file_id.type`` other than activity -> :class:`NotAnActivityError` ("... skipped: not an
  activity file (it is a settings file)"). Without ``file_id``, or with one lacking a type,
  records or sessions are taken as an activity. In chained files one activity
  ``file_id`` is enough (``activity-settings.fit``: an activity, then settings).
- Several sessions -> several activities. Session windows are ``[start_time, start_time +
  total_elapsed_time]``; a record goes to the window holding it (the later session where
  windows overlap) or to the nearest one. Sessions of sport ``transition`` (triathlon
  changeovers of a minute or two) are dropped with their records, unless every session is
  one. A session without records still gives an activity from the device's totals, with a
  warning; so does one whose records carry no time (``7617306288.fit``). Without sessions,
  all records form one activity, its sport from the ``sport`` message if any.
- A record dated more than a day from every session is a clock glitch (jumps of years in
  ``2013-04-11-17-32-50.fit`` and the Strava file): its time is blanked and cleaning drops
  it with a warning, unless most records are that far off (then the sessions' times are
  the broken ones).
- Moving time above elapsed time (``inverted-times.fit``) is taken as swapped and corrected
  with a warning.
- ``source_sport`` is FIT's ``sport/sub_sport`` ("running/treadmill"); a ``generic``
  sub-sport is left out ("running"). Cadence is stored raw (``cadence +
  fractional_cadence``: strides per minute for running), never doubled.
- ``utc_offset_s`` is ``activity.local_timestamp - activity.timestamp`` when within +-14 h,
  rounded to 15 minutes (every time zone is a multiple of 15 minutes); else unknown. That
  message is written at the end of the recording, so the offset holds at its timestamp
  (``Activity.utc_offset_at``); the importer turns it into the offset at the start
  (:mod:`backstride.adapters.timezones`), which differs on a daylight-saving day.
- Timer events (``event`` = timer; ``event_type`` start, or stop / stop_all / stop_disable /
  stop_disable_all) give each activity the time the device's timer ran inside its window
  (``Activity.device_timer_s``; the analysis reports it as the timer time).
- Speed and altitude prefer the 32-bit ``enhanced_*`` fields; speed and distance fall back
  to the compressed speed/distance field. Heart rate in separate ``hr`` messages (HRM-Pro
  plugin files) is not merged into records. The device is ``file_id`` manufacturer and
  product (name, or Garmin product name), e.g. "garmin fr945".
- Only :mod:`backstride.errors` exceptions leave :func:`parse_fit`; anything unexpected is
  reported as a damaged file with the byte offset the decoder had reached.
"""

from __future__ import annotations

import array
import functools
import itertools
import math
import struct
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from backstride.adapters.files import fit_profile as P
from backstride.domain.activity import Activity, DeviceTotals, FloatArray, Lap, map_sport
from backstride.domain.metrics import timer_running_s
from backstride.domain.samples import EARLIEST_EPOCH_S, LATEST_EPOCH_S, assemble_activity
from backstride.errors import (
    ActivityFileError,
    BackstrideError,
    CorruptFileError,
    NotAnActivityError,
)

IntArray = npt.NDArray[np.int64]

_HINT_EXPORT: Final = "Export the activity again from your watch or app."
_HEADER_MIN: Final = 12
_ACTIVITY_FILE_TYPE: Final = 4
_TRANSITION: Final = "transition"
_MAX_RESYNCS: Final = 8
_RESYNC_WINDOW: Final = 4096
_RESYNC_CHECK: Final = 8
_MAX_UTC_OFFSET_S: Final = 14 * 3600
_MAX_OUTSIDE_SESSION_S: Final = 24 * 3600.0
# event.event = timer; event.event_type start, and stop / stop_all / stop_disable /
# stop_disable_all (FIT profile "event" and "event_type").
_EVENT_TIMER: Final = next(k for k, v in P.EVENTS.items() if v == "timer")
_EVENT_START: Final = next(k for k, v in P.EVENT_TYPES.items() if v == "start")
_EVENT_STOPS: Final = tuple(
    k
    for k, v in P.EVENT_TYPES.items()
    if v in ("stop", "stop_all", "stop_disable", "stop_disable_all")
)
# One single-byte ``bytes`` per value, for ``lstrip`` in the run detection.
_BYTE: Final = tuple(bytes([i]) for i in range(256))


# --------------------------------------------------------------------------------------
# CRC-16 (FIT / CRC-16/ARC: reflected polynomial 0xA001, initial value 0)
# --------------------------------------------------------------------------------------


# The FIT polynomial x^16 + x^15 + x^2 + 1 = (x + 1)(x^15 + x + 1), and x^15 + x + 1 is
# primitive, so x has order 2^15 - 1 modulo it: feeding 32767 zero *bits* maps every CRC
# state to itself, hence so does feeding 32767 zero *bytes* (8 x 32767 bits).
_CRC_PERIOD: Final = 32767


def _crc_bitwise(data: bytes, crc: int = 0) -> int:
    """Bit-by-bit CRC-16/ARC (reflected polynomial 0xA001, initial value 0)."""
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


_CRC_BYTE_TABLE: Final = tuple(_crc_bitwise(bytes([b])) for b in range(256))


def _crc_scalar(data: bytes | memoryview | npt.NDArray[np.uint8], crc: int = 0) -> int:
    """Byte-table CRC-16/ARC, for short inputs and for building the tables."""
    table = _CRC_BYTE_TABLE
    for b in bytes(data):
        crc = (crc >> 8) ^ table[(crc ^ b) & 0xFF]
    return crc


def _crc_zero_feed(state: int, n_bytes: int) -> int:
    """Feed ``n_bytes`` zero bytes into ``state`` by repeated squaring of the 1-byte map."""

    def apply(m: list[int], v: int) -> int:
        out = 0
        bit = 0
        while v:
            if v & 1:
                out ^= m[bit]
            v >>= 1
            bit += 1
        return out

    power = [_crc_scalar(b"\x00", 1 << bit) for bit in range(16)]  # the 1-byte map
    result = state
    n = n_bytes
    while n:
        if n & 1:
            result = apply(power, result)
        n >>= 1
        if n:
            power = [apply(power, c) for c in power]
    return result


@functools.cache
def _crc_masks() -> npt.NDArray[np.uint64]:
    """Parity masks of a 32767-byte block: CRC bit k = parity(block & masks[k]).

    The CRC (initial value 0) is linear: byte ``i`` of value ``1 << j`` in a block of
    ``L`` bytes contributes ``Z^(L-1-i)(crc(1 << j))``, where ``Z`` feeds one zero byte.
    The contributions for all distances are built by doubling.
    """
    seq = np.array([[_crc_scalar(bytes([1 << j])) for j in range(8)]], dtype=np.int64)
    step = 1
    while seq.shape[0] < _CRC_PERIOD:
        cols = [_crc_zero_feed(1 << bit, step) for bit in range(16)]
        shifted = np.zeros_like(seq)
        for bit, col in enumerate(cols):
            shifted ^= ((seq >> bit) & 1) * col
        seq = np.concatenate([seq, shifted])
        step *= 2
    contrib = seq[:_CRC_PERIOD][::-1]  # contrib[i, j]: bit j of byte i
    masks = np.zeros((16, _CRC_PERIOD + 1), dtype=np.uint8)
    weights = (1 << np.arange(8)).astype(np.int64)
    for k in range(16):
        masks[k, :_CRC_PERIOD] = (((contrib >> k) & 1) * weights).sum(axis=1)
    return masks.view(np.uint64)


def compute_fit_crc(data: bytes | memoryview) -> int:
    """The FIT CRC-16 of ``data`` (CRC-16/ARC, as the FIT SDK's ``CrcCalculator``).

    Vectorised and independent of the length: the bytes are cut into 32767-byte blocks
    aligned to the end (the first one zero-padded in front, which does not change a CRC
    that starts at 0). Feeding 32767 zero bytes leaves a CRC state unchanged (see
    ``_CRC_PERIOD``), so the CRC of the whole equals the CRC of the XOR of all blocks,
    and that one block's CRC is 16 parities against precomputed masks.
    """
    n = len(data)
    if n <= 16:
        return _crc_scalar(data)
    u8 = np.frombuffer(data, dtype=np.uint8)
    masks = _crc_masks()
    if n < _CRC_PERIOD:
        # Only the last n bytes of the block are non-zero: use the masks from the last
        # 8-byte boundary before them on.
        skip = (_CRC_PERIOD - n) // 8
        block = np.zeros(_CRC_PERIOD + 1 - 8 * skip, dtype=np.uint8)
        block[block.size - 1 - n : block.size - 1] = u8
        folded = masks[:, skip:] & block.view(np.uint64)
        parities = np.bitwise_xor.reduce(folded, axis=1).tolist()
    else:
        head = n % _CRC_PERIOD
        block = np.zeros(_CRC_PERIOD + 1, dtype=np.uint8)
        block[:_CRC_PERIOD] = np.bitwise_xor.reduce(u8[head:].reshape(-1, _CRC_PERIOD), axis=0)
        if head:
            block[_CRC_PERIOD - head : _CRC_PERIOD] ^= u8[:head]
        parities = np.bitwise_xor.reduce(masks & block.view(np.uint64), axis=1).tolist()
    crc = 0
    for k, word in enumerate(parities):
        crc |= (int(word).bit_count() & 1) << k
    return crc


# --------------------------------------------------------------------------------------
# Message walk
# --------------------------------------------------------------------------------------

_STRETCH_AFTER: Final = 12  # single messages in a row before a tight stretch
# Bytes per tight stretch (then the run detection gets a turn again), growing while the
# stream stays irregular.
_STRETCH_BYTES: Final = 2 * 1024
_STRETCH_BYTES_MAX: Final = 256 * 1024


_RowItem = tuple[int, int, int, bool]  # column, raw byte count (0: numeric), invalid, float?
_RowReader = tuple[Callable[[bytes, int], tuple[Any, ...]], list[_RowItem]]


@dataclass(slots=True, eq=False)
class _Shape:
    """How the data messages of one distinct definition are laid out.

    Shared by every file that uses the same definition (a device writes the same ones in
    each of its files), so the field table, the field accesses and the ``struct`` readers
    are worked out once per process, not once per file. Compared by identity.
    """

    global_num: int
    size: int  # bytes per data message, record header included
    big_endian: bool
    field_defs: bytes  # the definition's (number, size, base type) triples
    access: dict[tuple[int, int | None], _FieldAccess | None] = field(default_factory=dict)
    readers: dict[tuple[str, ...], _RowReader | None] = field(default_factory=dict)
    _fields: dict[int, tuple[int, int, int]] | None = None

    @property
    def fields(self) -> dict[int, tuple[int, int, int]]:
        """Field number -> (offset from the record header, size, base type id).

        Built on first use: most layouts are of messages the decoder never reads.
        """
        if self._fields is None:
            body = self.field_defs
            sizes = body[1::3]
            offsets = itertools.accumulate(sizes, initial=1)
            self._fields = {
                num: (offset, size, base & P.BASE_TYPE_MASK)
                for num, offset, size, base in zip(
                    body[0::3], offsets, sizes, body[2::3], strict=False
                )
            }
        return self._fields


# Shapes by definition bytes (architecture, global number, field and developer-field
# triples). Bounded: a process importing files from many devices starts afresh past it.
_SHAPES: dict[bytes, _Shape] = {}
_MAX_SHAPES: Final = 4096


def _shape(key: bytes, n_fields: int, has_dev: bool) -> _Shape:
    """The shared :class:`_Shape` of the definition whose bytes (from byte 2) are ``key``."""
    shape = _SHAPES.get(key)
    if shape is None:
        big = key[0] != 0
        global_num = int.from_bytes(key[1:3], "big" if big else "little")
        body = key[4 : 4 + 3 * n_fields]
        total = 1 + sum(body[1::3])
        if has_dev:
            total += sum(key[4 + 3 * n_fields + 2 :: 3])
        shape = _Shape(global_num, total, big, body)
        if len(_SHAPES) >= _MAX_SHAPES:
            _SHAPES.clear()
            _PLANS.clear()
        _SHAPES[key] = shape
    return shape


@dataclass(slots=True, eq=False)
class _Layout:
    """One distinct definition in one file: its shape and where its data messages are."""

    shape: _Shape
    # Offsets of single messages, and runs as flat (start, count, stride) triples; arrays
    # of int64 so that numpy reads them without conversion.
    singles: array.array[int] = field(default_factory=lambda: array.array("q"))
    runs: array.array[int] = field(default_factory=lambda: array.array("q"))
    chunks: list[IntArray] = field(default_factory=list)  # offsets found by tight stretches

    def count(self) -> int:
        return len(self.singles) + sum(self.runs[1::3]) + sum(c.size for c in self.chunks)


class _WalkStatus:
    OK: Final = "ok"  # reached the limit exactly
    PARTIAL: Final = "partial"  # a message runs past the limit
    UNDEFINED: Final = "undefined"  # a data message uses an undefined local type


class _Walker:
    """Walks record headers, collecting message offsets per definition layout."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.layouts: list[_Layout] = []
        self.layout_ids: dict[bytes, int] = {}
        self.has_compressed = False
        self.pos = 0  # progress, for error messages
        self.stretch_bytes = _STRETCH_BYTES
        self.reset_locals()

    def reset_locals(self) -> None:
        """Forget local message definitions (each chained FIT file starts afresh)."""
        self.sizes = [0] * 16
        self.local_layout = [-1] * 16
        # Message size by header byte, for data messages of defined local types; 0 for
        # definitions and undefined types (the tight stretch stops there).
        self.header_sizes = [0] * 256

    def _define(self, pos: int, limit: int) -> int:
        """Parse the definition message at ``pos``; return its end, or -1 if cut off."""
        data = self.data
        h = data[pos]
        if pos + 6 > limit:
            return -1
        n_fields = data[pos + 5]
        end = pos + 6 + 3 * n_fields
        if h & 0x20:
            if end >= limit:
                return -1
            end += 1 + 3 * data[end]
        if end > limit:
            return -1
        key = data[pos + 2 : end]
        lid = self.layout_ids.get(key)
        if lid is None:
            lid = len(self.layouts)
            self.layout_ids[key] = lid
            self.layouts.append(_Layout(_shape(key, n_fields, bool(h & 0x20))))
        local = h & 0x0F
        size = self.layouts[lid].shape.size
        self.local_layout[local] = lid
        self.sizes[local] = size
        hs = self.header_sizes
        for flags in (0x00, 0x10, 0x20, 0x30):  # bits 4-5 are reserved; the walk ignores them
            hs[local | flags] = size
        if local < 4:  # compressed-timestamp headers: 0b1LL ttttt
            first = 0x80 | (local << 5)
            hs[first : first + 32] = [size] * 32
        return end

    def walk(self, pos: int, limit: int) -> tuple[int, str]:
        """Walk messages from ``pos`` up to ``limit``; return (position reached, status)."""
        data = self.data
        sizes = self.sizes
        local_layout = self.local_layout
        layouts = self.layouts
        byte = _BYTE
        prev_h = -1  # header byte, offset and size of the previous normal data message
        prev_pos = -1
        prev_size = 0
        streak = 0  # single data messages in a row: past _STRETCH_AFTER, a tight stretch
        status = _WalkStatus.OK
        while pos < limit:
            h = data[pos]
            if h < 0x40:  # normal header, data message
                size = sizes[h & 0x0F]
                if not size:
                    status = _WalkStatus.UNDEFINED
                    break
                nxt = pos + size
                if nxt > limit:
                    status = _WalkStatus.PARTIAL
                    break
                lay = layouts[local_layout[h & 0x0F]]
                if nxt < limit:
                    hn = data[nxt]
                    if hn == h:
                        third = nxt + size
                        if third < limit and data[third] == h:
                            # A run of the same message: count it with a strided slice.
                            k = 16
                            hb = byte[h]
                            while True:
                                kk = min(k, (limit - pos) // size)
                                run = kk - len(data[pos : pos + kk * size : size].lstrip(hb))
                                lay.runs.extend((pos, run, size))
                                pos += run * size
                                if run < k:
                                    break
                                k *= 4
                            prev_h, prev_pos, prev_size = h, pos - size, size
                            streak = 0
                            continue
                    elif hn == prev_h and prev_pos + prev_size == pos:
                        period = size + prev_size
                        if pos + period < limit and data[pos + period] == h:
                            # Two messages alternating (record, hrv, record, hrv, ...).
                            other = layouts[local_layout[hn & 0x0F]]
                            k = 16
                            ha, hb2 = byte[h], byte[hn]
                            while True:
                                kk = min(k, (limit - pos) // period)
                                end = pos + kk * period
                                a = kk - len(data[pos:end:period].lstrip(ha))
                                b = kk - len(data[nxt : end + size : period].lstrip(hb2))
                                run = min(a, b)
                                if run:
                                    lay.runs.extend((pos, run, period))
                                    other.runs.extend((nxt, run, period))
                                pos += run * period
                                nxt += run * period
                                if run < k:
                                    break
                                k *= 4
                            prev_h, prev_pos = hn, pos - prev_size
                            streak = 0
                            continue
                lay.singles.append(pos)
                prev_h, prev_pos, prev_size = h, pos, size
                pos = nxt
                streak += 1
                if streak >= _STRETCH_AFTER:
                    streak = 0
                    end = self._stretch(pos, limit)
                    if end > pos:
                        pos = end
                        prev_h = -1
                    else:
                        self.stretch_bytes = _STRETCH_BYTES
            elif h >= 0x80:  # compressed timestamp header, data message
                local = (h >> 5) & 0x03
                size = sizes[local]
                if not size:
                    status = _WalkStatus.UNDEFINED
                    break
                if pos + size > limit:
                    status = _WalkStatus.PARTIAL
                    break
                layouts[local_layout[local]].singles.append(pos)
                self.has_compressed = True
                prev_h = -1
                pos += size
                streak += 1
                if streak >= _STRETCH_AFTER:
                    streak = 0
                    pos = self._stretch(pos, limit)
            else:  # definition message
                end = self._define(pos, limit)
                if end < 0:
                    status = _WalkStatus.PARTIAL
                    break
                prev_h = -1
                streak = 0
                pos = end
        self.pos = pos
        return pos, status

    def _stretch(self, pos: int, limit: int) -> int:
        """Walk irregular data messages from ``pos`` in a tight loop; return where it stops.

        Between two definitions every data message's size follows from its header byte
        alone (``header_sizes``), so the loop does nothing else per message: it stops at a
        definition, an undefined type, a message running past ``limit`` or after a byte
        budget (then the run detection gets a turn again). The offsets are sorted out per
        layout with numpy afterwards. On streams like ``record, hrv, hrv, record, event,
        ...`` this is several times faster than looking for runs at every message.
        """
        data = self.data
        hs = self.header_sizes
        stop = min(limit, pos + self.stretch_bytes)
        found = array.array("q")
        add = found.append
        start = pos
        while pos < stop:
            size = hs[data[pos]]
            if not size:
                break
            add(pos)
            pos += size
        if pos > limit:  # the last message runs past the limit: leave it to the walk
            pos = found.pop()
        if pos == start:
            return start
        offsets = np.frombuffer(found, dtype=np.int64)
        headers = np.frombuffer(data, dtype=np.uint8)[offsets]
        compressed = headers >= 0x80
        if compressed.any():
            self.has_compressed = True
            locals_ = np.where(compressed, (headers >> 5) & 0x03, headers & 0x0F)
        else:
            locals_ = headers & 0x0F
        lids = np.array(self.local_layout, dtype=np.int64)[locals_]
        counts = np.bincount(lids).tolist()
        present = [lid for lid, count in enumerate(counts) if count]
        if len(present) == 1:
            self.layouts[present[0]].chunks.append(offsets)
        else:
            grouped = offsets[np.argsort(lids, kind="stable")]
            first = 0
            for lid in present:
                self.layouts[lid].chunks.append(grouped[first : first + counts[lid]])
                first += counts[lid]
        if headers.size > 16 and np.count_nonzero(headers[2:] != headers[:-2]) * 8 < headers.size:
            # Mostly a run or two alternating messages, which the run detection measures
            # faster: small bites again.
            self.stretch_bytes = _STRETCH_BYTES
        elif pos >= stop and stop < limit:
            # The stream stayed irregular up to the budget: take bigger bites next time.
            self.stretch_bytes = min(self.stretch_bytes * 4, _STRETCH_BYTES_MAX)
        return pos

    def _reads_consistently(self, pos: int, limit: int) -> bool:
        """Whether ``_RESYNC_CHECK`` messages from ``pos`` parse with the known definitions."""
        data = self.data
        sizes = list(self.sizes)
        for _ in range(_RESYNC_CHECK):
            if pos == limit:
                return True
            h = data[pos]
            if h & 0x80:
                size = sizes[(h >> 5) & 0x03]
            elif h & 0x40:
                if pos + 6 > limit or data[pos + 1] != 0 or data[pos + 2] > 1:
                    return False
                n_fields = data[pos + 5]
                end = pos + 6 + 3 * n_fields
                if end > limit:
                    return False
                size = 1 + sum(data[pos + 7 : end : 3])
                if h & 0x20:
                    if end >= limit:
                        return False
                    dev_end = end + 1 + 3 * data[end]
                    if dev_end > limit:
                        return False
                    size += sum(data[end + 2 : dev_end : 3])
                    end = dev_end
                sizes[h & 0x0F] = size
                pos = end
                continue
            else:
                size = sizes[h & 0x0F]
            if not size or pos + size > limit:
                return False
            pos += size
        return True

    def resync(self, pos: int, limit: int) -> int:
        """The next offset after ``pos`` from which messages read consistently, or -1."""
        stop = min(limit, pos + _RESYNC_WINDOW)
        for cand in range(pos + 1, stop):
            if self._reads_consistently(cand, limit):
                return cand
        return -1


# --------------------------------------------------------------------------------------
# Column decoding
# --------------------------------------------------------------------------------------


_STRUCT_CODES: Final = {
    "u1": "B",
    "i1": "b",
    "u2": "H",
    "i2": "h",
    "u4": "I",
    "i4": "i",
    "f4": "f",
    "f8": "d",
    "i8": "q",
    "u8": "Q",
}
# Message types with at most this many messages are decoded in plain Python (struct),
# which beats numpy's per-call overhead for a handful of sessions, laps or file_ids.
_SMALL_TABLE: Final = 8


@dataclass(frozen=True, slots=True)
class _FieldAccess:
    """How to read one field of one layout: offset from the record header and format."""

    offset: int
    fmt: str  # numpy format with byte order, e.g. "<u2"; "bytesN" for raw little-endian bytes
    invalid: int
    is_float: bool


def _field_access(lay: _Shape, spec: P.FieldSpec, n_bytes: int | None) -> _FieldAccess | None:
    """The access for ``spec`` in ``lay`` (cached on the shape), or None when absent.

    The definition's base type decides how the bytes are read, as the FIT SDK does; a size
    that is not a multiple of it (a malformed definition) makes the field unreadable. For an
    array field the first element is used. ``n_bytes`` asks for raw bytes instead.
    """
    key = (spec.num, n_bytes)
    cache = lay.access
    if key in cache:
        return cache[key]
    access: _FieldAccess | None = None
    fdef = lay.fields.get(spec.num)
    if fdef is not None:
        offset, size, base = fdef
        if n_bytes is not None:
            if size >= n_bytes:
                access = _FieldAccess(offset, f"bytes{n_bytes}", 0, False)
        else:
            bt = P.BASE_TYPES.get(base)
            if bt is not None and base != 0x07 and size >= bt.size and size % bt.size == 0:
                fmt = (">" if lay.big_endian else "<") + bt.dtype
                access = _FieldAccess(offset, fmt, bt.invalid, bt.dtype.startswith("f"))
    cache[key] = access
    return access


def _row_reader(
    lay: _Shape,
    specs: Mapping[str, P.FieldSpec],
    raw_bytes: Mapping[str, int],
    key: tuple[str, ...],
) -> _RowReader | None:
    """One ``struct`` unpacking every wanted field of a message of ``lay`` (cached by
    ``key``, the names of ``specs``).

    Used for message types with few messages (sessions, laps, file_id...), where a Python
    loop beats numpy's per-call overhead.
    """
    if key in lay.readers:
        return lay.readers[key]
    present: list[tuple[int, int, str, _RowItem]] = []
    for col, (name, spec) in enumerate(specs.items()):
        access = _field_access(lay, spec, raw_bytes.get(name))
        if access is None:
            continue
        if access.fmt.startswith("bytes"):
            nbytes = int(access.fmt[5:])
            present.append((access.offset, nbytes, f"{nbytes}s", (col, nbytes, 0, False)))
        else:
            code = _STRUCT_CODES[access.fmt[1:]]
            size = struct.calcsize(code)
            present.append((access.offset, size, code, (col, 0, access.invalid, access.is_float)))
    reader: _RowReader | None = None
    if present:
        present.sort(key=lambda item: item[0])
        parts = [">" if lay.big_endian else "<"]
        cursor = 0
        items: list[_RowItem] = []
        for offset, size, code, item in present:
            if offset < cursor:  # overlapping fields: a malformed definition
                continue
            parts.append(f"{offset - cursor}x{code}" if offset > cursor else code)
            cursor = offset + size
            items.append(item)
        reader = (struct.Struct("".join(parts)).unpack_from, items)
    lay.readers[key] = reader
    return reader


@dataclass(slots=True)
class _Table:
    """Decoded columns of one message type, in file order."""

    positions: IntArray
    columns: dict[str, FloatArray]
    strings: dict[str, list[str | None]] = field(default_factory=dict)
    present: frozenset[str] = frozenset()  # fields at least one layout has

    def __len__(self) -> int:
        return int(self.positions.size)

    def col(self, name: str) -> FloatArray:
        return self.columns[name]

    def value(self, name: str, i: int) -> float | None:
        v: float = self.columns[name].item(i)
        return v if math.isfinite(v) else None


_Kind = tuple[str, int, bool]  # numpy format or "bytesN", invalid raw value, is float


@dataclass(frozen=True, slots=True, eq=False)
class _ShapeReader:
    """The wanted fields of one shape as a numpy structured dtype over its whole message."""

    size: int
    dtype: np.dtype[np.void]
    fields: tuple[tuple[str, _Kind], ...]


@dataclass(frozen=True, slots=True, eq=False)
class _Plan:
    """How to read some fields of one message type from a given set of shapes.

    Worked out once per (shapes, fields) and cached: files from one device share it. Per
    shape, a structured dtype places every wanted field at its offset in the message
    (overlapping fields of a malformed definition included), so that whole messages are
    gathered with one fancy index and each field is a strided view of them.
    """

    shapes: tuple[_Shape, ...]
    numeric: dict[str, P.FieldSpec]
    readers: tuple[_ShapeReader | None, ...]  # per shape; None: none of the fields
    missing: tuple[str, ...]  # in no shape
    scaled: tuple[tuple[str, float, float], ...]  # (name, scale, offset) to apply
    present: frozenset[str]  # fields at least one shape has


_PLANS: dict[tuple[object, ...], _Plan] = {}  # bounded like _SHAPES


def _shape_reader(
    shape: _Shape, numeric: Mapping[str, P.FieldSpec], raw_bytes: Mapping[str, int]
) -> _ShapeReader | None:
    names: list[str] = []
    formats: list[Any] = []
    offsets: list[int] = []
    kinds: list[tuple[str, _Kind]] = []
    for name, spec in numeric.items():
        access = _field_access(shape, spec, raw_bytes.get(name))
        if access is None:
            continue
        names.append(name)
        if access.fmt.startswith("bytes"):
            formats.append(("u1", (int(access.fmt[5:]),)))
        else:
            formats.append(access.fmt)
        offsets.append(access.offset)
        kinds.append((name, (access.fmt, access.invalid, access.is_float)))
    if not names:
        return None
    dtype = np.dtype(
        {"names": names, "formats": formats, "offsets": offsets, "itemsize": shape.size}
    )
    return _ShapeReader(shape.size, dtype, tuple(kinds))


def _plan(
    shapes: tuple[_Shape, ...],
    specs: Mapping[str, P.FieldSpec],
    raw_bytes: Mapping[str, int],
    strings: tuple[str, ...],
) -> _Plan:
    """The cached :class:`_Plan` for reading ``specs`` from messages of ``shapes``."""
    key = (shapes, tuple(specs.items()), tuple(raw_bytes.items()), strings)
    plan = _PLANS.get(key)
    if plan is not None:
        return plan
    numeric = {name: spec for name, spec in specs.items() if name not in strings}
    readers = tuple(_shape_reader(shape, numeric, raw_bytes) for shape in shapes)
    found = {name for reader in readers if reader is not None for name, _ in reader.fields}
    plan = _Plan(
        shapes=shapes,
        numeric=numeric,
        readers=readers,
        missing=tuple(name for name in numeric if name not in found),
        scaled=tuple(
            (name, spec.scale, spec.offset)
            for name, spec in numeric.items()
            if name not in raw_bytes and (spec.scale != 1 or spec.offset)
        ),
        present=frozenset(
            name for name, spec in specs.items() if any(spec.num in s.fields for s in shapes)
        ),
    )
    if len(_PLANS) >= _MAX_SHAPES:
        _PLANS.clear()
    _PLANS[key] = plan
    return plan


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


# --------------------------------------------------------------------------------------
# Decoded file
# --------------------------------------------------------------------------------------


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


def _looks_like_header(data: bytes, pos: int) -> bool:
    return (
        len(data) - pos >= _HEADER_MIN
        and data[pos] >= _HEADER_MIN
        and data[pos + 8 : pos + 12] == b".FIT"
    )


def _walk_files(walker: _Walker) -> tuple[int, list[str]]:
    """Split chained FIT files, check CRCs and walk every file's messages.

    Returns the number of FIT files (headers) read and the warnings for the activities.
    """
    data = walker.data
    n = len(data)
    warnings: list[str] = []
    pos = 0
    index = 0
    resyncs = 0
    while pos < n:
        walker.pos = pos
        if not _looks_like_header(data, pos):
            if index == 0:
                raise CorruptFileError(
                    "This is not a FIT file: no FIT header at its start.", hint=_HINT_EXPORT
                )
            if data[pos:].strip(b"\x00"):
                warnings.append(
                    f"{n - pos} bytes after the end of the FIT data (from byte {pos}) are not "
                    "FIT data and were ignored."
                )
            break
        header_size = data[pos]
        if pos + header_size > n:
            if index == 0:
                raise CorruptFileError(
                    f"The FIT file ends inside its header (byte {n}).", hint=_HINT_EXPORT
                )
            warnings.append(f"An incomplete FIT header at byte {pos} was ignored.")
            break
        if header_size >= 14:
            header_crc = int.from_bytes(data[pos + 12 : pos + 14], "little")
            if header_crc and compute_fit_crc(data[pos : pos + 12]) != header_crc:
                raise CorruptFileError(
                    f"The FIT header checksum does not match (header at byte {pos}): "
                    "the file is damaged.",
                    hint=_HINT_EXPORT,
                )
        data_size = int.from_bytes(data[pos + 4 : pos + 8], "little")
        start = pos + header_size
        end = start + data_size
        walker.reset_locals()
        index += 1
        if data_size == 0:
            after = start + 2
            if n > after and not _looks_like_header(data, after) and data[after:].strip(b"\x00"):
                raise CorruptFileError(
                    f"The FIT header says the file holds no data, yet {n - start} bytes follow "
                    "it: the recording was never finished (the watch may have lost power or "
                    "stopped mid-save), so the file cannot be read reliably.",
                    hint=_HINT_EXPORT,
                )
            pos = after
            continue
        truncated = end + 2 > n
        crc_ok = not truncated and compute_fit_crc(data[pos : end + 2]) == 0
        limit = min(end, n)
        reached, status = walker.walk(start, limit)
        while status == _WalkStatus.UNDEFINED and (crc_ok or truncated) and resyncs < _MAX_RESYNCS:
            nxt = walker.resync(reached, limit)
            if nxt < 0:
                break
            resyncs += 1
            warnings.append(
                f"{nxt - reached} unreadable bytes at byte {reached} were skipped "
                "(a message there is malformed)."
            )
            reached, status = walker.walk(nxt, limit)
        if status == _WalkStatus.UNDEFINED:
            if not (crc_ok or truncated):
                raise CorruptFileError(
                    f"The checksum does not match and the data is unreadable from byte "
                    f"{reached}: the file is damaged.",
                    hint=_HINT_EXPORT,
                )
            warnings.append(
                f"The data is unreadable from byte {reached} on; only the part before it was "
                "imported."
            )
            if not truncated:
                break
        if truncated:
            warnings.append(
                f"The file ends early: it is {end + 2 - n} bytes shorter than its header says, "
                "so the end of the recording may be missing."
            )
            break
        if not crc_ok:
            if status == _WalkStatus.OK:
                raise CorruptFileError(
                    f"The checksum does not match (FIT data at bytes {pos}-{end + 2}): "
                    "the file is damaged.",
                    hint=_HINT_EXPORT,
                )
            # The last message runs past the declared size: the file was never closed and
            # has no CRC where the header says. Read on to the end of the file.
            reached, status = walker.walk(reached, n)
            warnings.append(
                "The file was not closed properly by the device (it has no checksum); "
                "it was read up to its last complete message."
            )
            if status == _WalkStatus.UNDEFINED:
                warnings.append(
                    f"The data is unreadable from byte {reached} on; only the part before it "
                    "was imported."
                )
            break
        if status == _WalkStatus.PARTIAL:
            warnings.append(
                f"The last message of the FIT data (at byte {reached}) is incomplete and was "
                "ignored."
            )
        pos = end + 2
    return index, warnings


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


# --------------------------------------------------------------------------------------
# Activities
# --------------------------------------------------------------------------------------


def _source_sport(sport: str | None, sub_sport: str | None) -> str:
    if not sport:
        return ""
    if sub_sport and sub_sport != "generic":
        return f"{sport}/{sub_sport}"
    return sport


def _session_windows(sessions: tuple[FitSession, ...]) -> tuple[FloatArray, FloatArray]:
    """UNIX-second windows ``[start, end]`` of the sessions (NaN when unknown).

    The end is ``start_time + total_elapsed_time``, else the session message's timestamp.
    Windows may overlap (a Fenix 2 multisport file writes an elapsed time longer than the
    session); :func:`assign_to_sessions` then prefers the later session.
    """
    starts = np.full(len(sessions), np.nan)
    ends = np.full(len(sessions), np.nan)
    for i, s in enumerate(sessions):
        start = s.start_epoch_s
        elapsed = s.totals.elapsed_s
        if start is None and s.end_epoch_s is not None and elapsed is not None:
            start = s.end_epoch_s - elapsed
        if start is None:
            continue
        starts[i] = start
        if elapsed is not None and elapsed >= 0:
            ends[i] = start + elapsed
        elif s.end_epoch_s is not None and s.end_epoch_s >= start:
            ends[i] = s.end_epoch_s
        else:
            ends[i] = start
    return starts, ends


def _window_segments(
    starts: FloatArray, ends: FloatArray
) -> tuple[FloatArray, FloatArray, IntArray]:
    """Cut the timeline into segments owned by one window each (later start wins).

    A sweep over the windows in start order with a stack of open windows: the top of
    the stack (latest start) owns the time until it ends, then the window below resumes.
    Returns segment starts, ends and owners, in time order; gaps belong to no window.
    """
    seg_start: list[float] = []
    seg_end: list[float] = []
    seg_owner: list[int] = []

    def emit(a: float, b: float, owner: int, *, point: bool = False) -> None:
        # Empty pieces are dropped, except a whole zero-length window (``point``).
        if b > a or (point and b == a):
            seg_start.append(a)
            seg_end.append(b)
            seg_owner.append(owner)

    def close_until(cur: float, limit: float) -> float:
        # Close every open window ending before ``limit``, emitting what it owned.
        while stack and stack[-1][0] < limit:
            end, owner, begin = stack.pop()
            emit(cur, end, owner, point=begin == end)
            cur = max(cur, end)
            while stack and stack[-1][0] <= cur:
                stack.pop()
        return cur

    stack: list[tuple[float, int, float]] = []  # (end, window, start); top: latest start
    cur = -np.inf
    order = np.argsort(starts, kind="stable")
    for k in order.tolist():
        start = float(starts[k])
        if not np.isfinite(start):
            continue
        cur = close_until(cur, start)
        if stack:
            emit(cur, start, stack[-1][1])
        cur = start
        end = max(float(ends[k]), start) if np.isfinite(ends[k]) else start
        stack.append((end, k, start))
    close_until(cur, np.inf)
    return (
        np.array(seg_start, dtype=np.float64),
        np.array(seg_end, dtype=np.float64),
        np.array(seg_owner, dtype=np.int64),
    )


def _locate(times: FloatArray, starts: FloatArray, ends: FloatArray) -> tuple[IntArray, FloatArray]:
    """For each time: the window holding it or the nearest one, and the distance (s).

    Times that are NaN, and every time when no window has a known start, go to the first
    window with a known start (or 0) at distance NaN.
    """
    n = times.size
    known = np.flatnonzero(np.isfinite(starts))
    if known.size == 0 or n == 0:
        return np.zeros(n, dtype=np.int64), np.full(n, np.nan)
    if known.size == 1:  # the common case: one window takes everything
        (k,) = known.tolist()
        stop = max(float(ends[k]), float(starts[k])) if np.isfinite(ends[k]) else starts[k]
        dist = np.maximum(starts[k] - times, 0.0) + np.maximum(times - stop, 0.0)
        return np.full(n, k, dtype=np.int64), dist
    seg_start, seg_end, seg_owner = _window_segments(starts, ends)
    t = np.where(np.isfinite(times), times, seg_start[0])
    # The last segment starting at or before t, and the first one starting after it.
    before = np.searchsorted(seg_start, t, side="right") - 1
    after = np.minimum(before + 1, seg_start.size - 1)
    before_ok = before >= 0
    before = np.maximum(before, 0)
    # At a boundary where an inner window ends and an outer one resumes, the inner
    # (later-starting) window keeps its end instant.
    prev = np.maximum(before - 1, 0)
    inner = (
        (before > 0) & (seg_end[prev] >= t) & (starts[seg_owner[prev]] > starts[seg_owner[before]])
    )
    before = np.where(inner, prev, before)
    gap_before = np.where(before_ok, np.maximum(t - seg_end[before], 0.0), np.inf)
    gap_after = np.where(seg_start[after] > t, seg_start[after] - t, np.inf)
    use_after = gap_after <= gap_before  # a tie goes to the later session
    owner = np.where(use_after, seg_owner[after], seg_owner[before])
    dist = np.where(use_after, gap_after, gap_before)
    nan = ~np.isfinite(times)
    owner[nan] = known[0]
    dist[nan] = np.nan
    return owner, dist


def assign_to_sessions(times: FloatArray, starts: FloatArray, ends: FloatArray) -> IntArray:
    """Index of the session window holding each time, or of the nearest window.

    Where windows overlap, the one starting later wins (it is the more specific); where a
    later window ends inside an earlier one, the earlier one resumes. Times that are NaN,
    and every time when no window has a known start, go to the first window with a known
    start (or 0). O(n log n), whatever the number of sessions.
    """
    return _locate(times, starts, ends)[0]


def _build_activity(
    fit: FitData,
    *,
    epoch_s: FloatArray,
    sport: str | None,
    sub_sport: str | None,
    mask: npt.NDArray[np.bool_],
    start_epoch_s: float | None,
    totals: DeviceTotals | None,
    laps: list[FitLap],
    extra_warnings: tuple[str, ...] = (),
) -> Activity:
    rec = fit.records
    warnings = [*fit.warnings, *extra_warnings]
    epoch = epoch_s[mask]
    if np.isfinite(epoch).any():
        columns = {name: col[mask] for name, col in rec.columns().items()}
    elif start_epoch_s is not None:
        epoch = np.array([start_epoch_s])
        columns = {}
        if mask.any():
            warnings.append("The records carry no time, so only the device's totals are available.")
        else:
            warnings.append("No samples were recorded; only the device's totals are available.")
    elif mask.any():
        raise CorruptFileError(
            "The FIT file's records carry no time, so they cannot be placed in an activity.",
            hint=_HINT_EXPORT,
        )
    else:
        raise CorruptFileError("The FIT file holds a session without time or samples.")
    activity = assemble_activity(
        sport=map_sport(sport, sub_sport),
        source_sport=_source_sport(sport, sub_sport),
        source_format="fit",
        epoch_s=epoch,
        columns=columns,
        totals=totals,
        start_epoch_s=start_epoch_s,
        utc_offset_s=fit.utc_offset_s,
        device=fit.device,
        warnings=tuple(warnings),
    )
    t0 = activity.start_at.timestamp()
    if fit.utc_offset_s is not None and fit.utc_offset_epoch_s is not None:
        stated_at = fit.utc_offset_epoch_s
        if EARLIEST_EPOCH_S <= stated_at < LATEST_EPOCH_S and stated_at != t0:
            activity = activity.with_changes(
                utc_offset_at=datetime.fromtimestamp(stated_at, tz=UTC)
            )
    timer_s = fit.timer.running_s(t0, t0 + activity.duration_s)
    if timer_s is not None:
        activity = activity.with_changes(device_timer_s=timer_s)
    if laps:
        activity = activity.with_changes(
            laps=tuple(
                Lap(
                    start_s=lap.start_epoch_s - t0,
                    duration_s=lap.elapsed_s,
                    distance_m=lap.distance_m,
                )
                for lap in laps
                if lap.start_epoch_s is not None
            )
        )
    return activity


def _check_is_activity(fit: FitData) -> None:
    types = fit.file_types
    if _ACTIVITY_FILE_TYPE in types:
        return
    known = [t for t in types if t is not None]
    if known:
        name = P.FILE_TYPES.get(known[0], f"type {known[0]}")
        if name.startswith("monitoring"):  # monitoring_a, monitoring_b, monitoring_daily
            name = "monitoring"
        name = name.replace("_", " ")
        raise NotAnActivityError(
            f"This FIT file was skipped: not an activity file (it is a {name} file).",
            hint="backstride imports activities (runs, walks, rides...), not device files.",
        )


def parse_fit(data: bytes) -> list[Activity]:
    """Every activity in a FIT file: one per session (see the module docstring).

    Raises :class:`NotAnActivityError` for settings, workout, monitoring and other
    non-activity FIT files, and :class:`CorruptFileError` for damaged ones.
    """
    try:
        return _parse_fit(data)
    except ActivityFileError:
        raise
    except BackstrideError as exc:
        raise CorruptFileError(f"The FIT file holds impossible values: {exc.message}") from exc
    except Exception as exc:  # every input must end in one of our errors
        raise CorruptFileError(
            f"The FIT file could not be decoded ({type(exc).__name__}: {exc}).",
            hint=_HINT_EXPORT,
        ) from exc


def _parse_fit(data: bytes) -> list[Activity]:
    fit = decode_fit(data)
    _check_is_activity(fit)
    rec = fit.records
    epoch = rec.epoch_s
    if not fit.sessions:
        if len(rec) == 0:
            raise CorruptFileError(
                "The FIT file holds no activity data (no records and no sessions).",
                hint=_HINT_EXPORT,
            )
        return [
            _build_activity(
                fit,
                epoch_s=epoch,
                sport=fit.sport,
                sub_sport=fit.sub_sport,
                mask=np.ones(len(rec), dtype=bool),
                start_epoch_s=None,
                totals=None,
                laps=list(fit.laps),
            )
        ]
    sessions = fit.sessions
    starts, ends = _session_windows(sessions)
    # A record dated more than a day away from every session is a clock glitch (e.g. a
    # jump of years): blank its time so cleaning drops it, unless most records are that far
    # off, in which case the session times are the broken ones.
    owner, distance = _locate(epoch, starts, ends)
    far = np.isfinite(distance) & (distance > _MAX_OUTSIDE_SESSION_S)
    if far.any() and far.mean() < 0.5:
        epoch = np.where(far, np.nan, epoch)
        owner = assign_to_sessions(epoch, starts, ends)
    lap_starts = np.array(
        [np.nan if lap.start_epoch_s is None else lap.start_epoch_s for lap in fit.laps]
    )
    lap_owner = assign_to_sessions(lap_starts, starts, ends).tolist()
    keep = [i for i, s in enumerate(sessions) if s.sport != _TRANSITION] or list(
        range(len(sessions))
    )
    activities: list[Activity] = []
    failure: CorruptFileError | None = None
    for i in keep:
        s = sessions[i]
        totals = s.totals
        extra: tuple[str, ...] = ()
        if (
            totals.timer_s is not None
            and totals.elapsed_s is not None
            and totals.timer_s > totals.elapsed_s + 1.0
        ):
            # Moving time cannot exceed elapsed time: the device swapped the two.
            totals = replace(totals, elapsed_s=totals.timer_s, timer_s=totals.elapsed_s)
            extra = ("The device wrote its elapsed and moving times swapped; corrected.",)
        try:
            activities.append(
                _build_activity(
                    fit,
                    epoch_s=epoch,
                    sport=s.sport,
                    sub_sport=s.sub_sport,
                    mask=owner == i,
                    start_epoch_s=None if np.isnan(starts[i]) else float(starts[i]),
                    totals=totals,
                    extra_warnings=extra,
                    laps=[lap for lap, o in zip(fit.laps, lap_owner, strict=True) if o == i],
                )
            )
        except CorruptFileError as exc:
            # One unusable session of several: keep the others.
            failure = failure or exc
    if not activities:
        assert failure is not None
        raise failure
    return activities
