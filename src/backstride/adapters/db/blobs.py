"""One compressed columnar blob per activity's streams.

Layout: ``b"BSS1"`` + uint32 header length + JSON header (``n`` samples, column names) +
zstandard-compressed little-endian float64 columns, concatenated in header order.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass

import numpy as np
import zstandard

from backstride.domain.activity import STREAM_NAMES, Streams
from backstride.errors import StorageError

MAGIC = b"BSS1"
_LEVEL = 3


def encode_streams(streams: Streams) -> bytes:
    """Pack the present columns of ``streams`` into one compressed blob."""
    cols = streams.present()
    names = [n for n in STREAM_NAMES if n in cols]
    header = json.dumps({"n": len(streams), "columns": names}).encode()
    raw = b"".join(np.ascontiguousarray(cols[n], dtype="<f8").tobytes() for n in names)
    body = zstandard.ZstdCompressor(level=_LEVEL).compress(raw)
    return MAGIC + struct.pack("<I", len(header)) + header + body


@dataclass(frozen=True, slots=True)
class EncodedStreams:
    """A stream blob made ahead of time (e.g. in a parser worker), ready to store."""

    data: bytes
    n_samples: int
    columns: str

    @classmethod
    def of(cls, streams: Streams) -> EncodedStreams:
        return cls(encode_streams(streams), len(streams), ",".join(streams.present()))


def decode_streams(blob: bytes) -> Streams:
    """Unpack a blob written by :func:`encode_streams`."""
    try:
        if blob[:4] != MAGIC:
            raise ValueError("bad magic")
        (hlen,) = struct.unpack_from("<I", blob, 4)
        header = json.loads(blob[8 : 8 + hlen])
        n = int(header["n"])
        names = list(header["columns"])
        raw = zstandard.ZstdDecompressor().decompress(
            blob[8 + hlen :], max_output_size=8 * n * max(1, len(names))
        )
        arr = np.frombuffer(raw, dtype="<f8")
        if arr.size != n * len(names):
            raise ValueError("size mismatch")
    except (ValueError, KeyError, struct.error, zstandard.ZstdError) as exc:
        raise StorageError(
            "A stored activity's samples are damaged and cannot be read.",
            hint="Re-import the original file; other data is unaffected.",
        ) from exc
    cols = {name: arr[i * n : (i + 1) * n].copy() for i, name in enumerate(names)}
    if "time_s" not in cols:
        cols["time_s"] = np.zeros(n)
    return Streams.from_columns(cols)
