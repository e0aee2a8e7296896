"""The FIT decoder's message walk on synthetic streams, against what was written.

The walk has three ways through a stream of data messages: runs of one message, two
messages alternating, and a tight loop for irregular stretches (``decode_fit`` picks
between them as it goes). Hypothesis writes streams that mix runs, alternations and
irregular interleavings of records in three layouts (little- and big-endian, and
compressed-timestamp headers), HRV and event messages, and redefinitions mid-stream; every
record must come back with the time, heart rate and distance that were written, in order.

The decoder also shares each distinct definition's layout between files (a process-wide
cache): decoding must not depend on what was decoded before.
"""

from __future__ import annotations

import gzip
import struct
from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backstride.adapters.files.fit import compute_fit_crc, decode_fit
from backstride.adapters.files.fit import layout as fit_layout
from backstride.adapters.files.fit import profile as fit_profile
from tests.corpus import corpus_files

_EPOCH = 1_000_000_000  # FIT seconds (2021-09-09)
_REC = [(253, 4, 0x86), (3, 1, 0x02), (5, 4, 0x86)]  # timestamp, heart_rate, distance
_REC_BE = [(5, 4, 0x86), (253, 4, 0x86), (3, 1, 0x02)]  # other order, big-endian
_CREC = [(3, 1, 0x02), (5, 4, 0x86)]  # compressed-timestamp record: no timestamp field
_HRV = [(0, 10, 0x84)]  # five RR intervals
_EVENT = [(253, 4, 0x86), (0, 1, 0x00), (1, 1, 0x00), (3, 4, 0x86)]
OPS = ("rec", "rec_be", "crec", "hrv", "event", "redefine")


def _definition(local: int, global_num: int, fields: list[tuple[int, int, int]]) -> bytes:
    big = fields is _REC_BE
    out = bytes([0x40 | local, 0, 1 if big else 0])
    out += struct.pack(">H" if big else "<H", global_num) + bytes([len(fields)])
    return out + b"".join(bytes(f) for f in fields)


def _fit_file(body: bytes | bytearray) -> bytes:
    """``body`` (FIT messages) with a 14-byte header and both CRCs."""
    header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(body), b".FIT")
    header += struct.pack("<H", compute_fit_crc(header))
    data = header + bytes(body)
    return data + struct.pack("<H", compute_fit_crc(data))


def build_fit(ops: Sequence[str]) -> tuple[bytes, list[tuple[int, int, int]]]:
    """A CRC-valid activity FIT file writing ``ops`` in order; the records it holds."""
    body = bytearray(_definition(0, 0, [(0, 1, 0x00)]) + bytes([0x00, 4]))  # file_id
    body += _definition(1, 20, _CREC) + _definition(2, 20, _REC)
    body += _definition(3, 78, _HRV) + _definition(4, 21, _EVENT)
    body += _definition(5, 20, _REC_BE)
    t, distance = _EPOCH, 0
    body += bytes([4]) + struct.pack("<IBBI", t, 0, 0, 0)  # timer start: a full timestamp
    records: list[tuple[int, int, int]] = []
    for op in ops:
        if op in ("rec", "rec_be", "crec"):
            t += 1
            distance += 250
            hr = 60 + t % 100
            records.append((t, hr, distance))
            if op == "rec":
                body += bytes([2]) + struct.pack("<IBI", t, hr, distance)
            elif op == "rec_be":
                body += bytes([5]) + struct.pack(">IIB", distance, t, hr)
            else:  # 5-bit time offset in the header (FIT "compressed timestamp header")
                body += bytes([0x80 | 1 << 5 | t & 0x1F]) + struct.pack("<BI", hr, distance)
        elif op == "hrv":
            body += bytes([3]) + struct.pack("<5H", 800, 810, 820, 0xFFFF, 0xFFFF)
        elif op == "event":
            body += bytes([4]) + struct.pack("<IBBI", t, 0, 0, 0)
        else:
            body += _definition(2, 20, _REC)
    return _fit_file(body), records


def assert_records(data: bytes, expected: list[tuple[int, int, int]]) -> None:
    r = decode_fit(data).records
    assert len(r) == len(expected)
    if not expected:
        return
    t, hr, distance = (np.array(col, dtype=np.float64) for col in zip(*expected, strict=True))
    np.testing.assert_array_equal(r.epoch_s - fit_profile.FIT_EPOCH_S, t)
    np.testing.assert_array_equal(r.hr_bpm, hr)
    np.testing.assert_allclose(r.distance_m, distance / 100.0, rtol=0, atol=1e-9)


# A stream is a list of blocks: a run of one message, an alternation of two, or a short
# irregular sequence, each repeated; long blocks reach the run detection, many short
# ones the tight loop.
_block = st.one_of(
    st.tuples(st.sampled_from(OPS), st.integers(1, 80)).map(lambda b: [b[0]] * b[1]),
    st.tuples(st.sampled_from(OPS), st.sampled_from(OPS), st.integers(1, 60)).map(
        lambda b: [b[0], b[1]] * b[2]
    ),
    st.lists(st.sampled_from(OPS), min_size=1, max_size=40),
)
streams = st.lists(_block, max_size=30).map(lambda blocks: [op for b in blocks for op in b])


@settings(max_examples=150, deadline=None)
@given(streams)
def test_every_record_comes_back_as_written(ops: list[str]) -> None:
    data, expected = build_fit(ops)
    assert_records(data, expected)


@pytest.mark.parametrize(
    "ops",
    [
        ["rec"] * 500,  # one long run
        ["rec", "hrv"] * 300,  # alternation
        ["crec"] * 400,  # every record with a compressed timestamp
        ["rec", "hrv", "hrv", "event", "crec", "rec_be"] * 400,  # irregular, > 2 KiB stretches
        (["rec"] * 30 + ["event"]) * 50,  # runs broken now and then
        ["rec", "redefine"] * 100,  # a definition between every record
    ],
    ids=["run", "alternation", "compressed", "irregular", "broken-runs", "redefinitions"],
)
def test_stream_shapes(ops: list[str]) -> None:
    data, expected = build_fit(ops)
    assert_records(data, expected)


def test_a_stream_cut_inside_a_tight_stretch_keeps_the_complete_messages() -> None:
    data, expected = build_fit(["rec", "hrv", "hrv", "event", "crec", "rec_be"] * 200)
    cut = data[: len(data) * 2 // 3]
    fit = decode_fit(cut)
    assert any("ends early" in w for w in fit.warnings)
    n = len(fit.records)
    assert 0 < n < len(expected)
    assert_records(build_fit_prefix(expected[:n]), expected[:n])


def build_fit_prefix(records: list[tuple[int, int, int]]) -> bytes:
    """The same records written as one run (for comparing a salvaged prefix)."""
    body = bytearray(_definition(0, 0, [(0, 1, 0x00)]) + bytes([0x00, 4]))
    body += _definition(2, 20, _REC)
    for t, hr, distance in records:
        body += bytes([2]) + struct.pack("<IBI", t, hr, distance)
    return _fit_file(body)


def _load(path: object) -> bytes:
    data = path.read_bytes()  # type: ignore[attr-defined]
    return gzip.decompress(data) if str(path).endswith(".gz") else data


def _snapshot(data: bytes) -> dict[str, np.ndarray] | str:
    try:
        fit = decode_fit(data)
    except Exception as exc:  # the same error either way
        return str(exc)
    columns = {
        name: getattr(fit.records, name)
        for name in ("epoch_s", "lat_deg", "lon_deg", "altitude_m", "distance_m", "hr_bpm")
    }
    columns["sessions"] = np.array(
        [[s.totals.distance_m or np.nan, s.totals.timer_s or np.nan] for s in fit.sessions]
    )
    return columns


def test_decoding_does_not_depend_on_files_decoded_before() -> None:
    files = corpus_files((".fit", ".fit.gz"))
    assert files
    cold = {}
    for path in files:
        fit_layout._SHAPES.clear()
        fit_layout._PLANS.clear()
        cold[path] = _snapshot(_load(path))
    for path in reversed(files):  # every cache warm from the other files
        warm = _snapshot(_load(path))
        before = cold[path]
        if isinstance(before, str) or isinstance(warm, str):
            assert warm == before, path
            continue
        assert warm.keys() == before.keys()
        for name in before:
            np.testing.assert_array_equal(warm[name], before[name], err_msg=f"{path}: {name}")
