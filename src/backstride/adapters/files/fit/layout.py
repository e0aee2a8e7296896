"""What a FIT definition message means: the layout of its data messages, the offset and
format of each field, and the reader that gathers a message type's columns.

A definition is worked out once per distinct definition and shared by every file that uses
it (``_SHAPES``, ``_PLANS``); see the package docstring."""

from __future__ import annotations

import array
import itertools
import math
import struct
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from backstride.adapters.files.fit import profile as P
from backstride.domain.activity import FloatArray

IntArray = npt.NDArray[np.int64]

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
