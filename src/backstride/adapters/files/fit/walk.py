"""The walk over a FIT file's record headers: chained files, CRCs, resynchronisation, and the
byte offsets of every data message per definition layout (see the package docstring)."""

from __future__ import annotations

import array
from typing import Final

import numpy as np

from backstride.adapters.files.fit.crc import compute_fit_crc
from backstride.adapters.files.fit.layout import _Layout, _shape
from backstride.errors import (
    CorruptFileError,
)

_HINT_EXPORT: Final = "Export the activity again from your watch or app."
_HEADER_MIN: Final = 12
_MAX_RESYNCS: Final = 8
_RESYNC_WINDOW: Final = 4096
_RESYNC_CHECK: Final = 8
# One single-byte ``bytes`` per value, for ``lstrip`` in the run detection.
_BYTE: Final = tuple(bytes([i]) for i in range(256))

_STRETCH_AFTER: Final = 12  # single messages in a row before a tight stretch
# Bytes per tight stretch (then the run detection gets a turn again), growing while the
# stream stays irregular.
_STRETCH_BYTES: Final = 2 * 1024
_STRETCH_BYTES_MAX: Final = 256 * 1024


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
