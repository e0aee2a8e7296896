"""Column-wise reading of well-formed XML straight from its bytes, for the fast GPX/TCX readers.

lxml hands Python one object per element, and that is what limits :mod:`.gpx_reference` and
:mod:`.tcx_reference` to a few tens of MB/s. Here Python never sees an element:

1. :func:`validate` lets libxml2 check well-formedness (namespaces included) at C speed, with
   the reference readers' safety settings and no callback per element. Anything it reports,
   even a warning, means "use the reference reader".
2. :class:`Tags` finds every tag with numpy (every ``<`` after the root starts a tag once
   the document is known to be well-formed and free of comments, CDATA and processing
   instructions), its ``>``, its nesting level, and a small-integer kind for its local name
   (namespaces are ignored, as the reference readers ignore them; names are hashed from
   8-byte words, and each distinct name in the document is looked up once). End tags and
   parents are found for the few element kinds that need them (:meth:`Tags.span`,
   :meth:`Tags.children`: at one level, start and end tags alternate).
3. The format readers pick the elements they need by kind and parent, and read their texts
   column-wise (:class:`PointColumns`): :meth:`Tags.parse_numbers` and :meth:`Tags.times`
   convert whole columns at once, exactly as Python's ``float()`` and the reference
   :func:`.xmlsafe.parse_times` would (plain decimals and the usual ISO 8601 layout with
   integer arithmetic; the proofs of exactness are in :func:`_plain_decimals` and
   :func:`_iso_times`), and hand the rare odd value (whitespace, exponents, non-ASCII,
   other time layouts) to those very functions one by one.
4. :meth:`Tags.without` cuts the track points out of the document; what is left (metadata,
   laps, names, waypoints) is small and is read by the reference code paths with lxml.

Whenever the input is outside what this module can read with certainty it raises
:class:`Unsupported`, and the caller falls back to the reference reader. See the decision
rule in :mod:`.gpx` and :mod:`.tcx`.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import numpy.typing as npt
from lxml import etree

from backstride.adapters.files.xmlsafe import ParsedTimes, parse_times
from backstride.domain.activity import FloatArray

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
ByteMatrix = npt.NDArray[np.uint8]

# Above this the reference reader's streaming (bounded memory) is preferred: the scan holds
# arrays of 8-byte positions per tag, up to about four times the file size at its peak.
MAX_BYTES = 32 * 1024 * 1024
# Below this the reference readers are as quick or quicker (fewer fixed costs).
SMALL_BYTES = 64 * 1024
# libxml2 refuses nesting deeper than 256 and text nodes over 10 MB (huge_tree=False), and
# the reference reader reports that as unsafe; such files are left to it, with a margin.
MAX_LEVEL = 200
MAX_SPAN = 1_000_000

_PAD = 64  # words are read up to this many bytes past a text's start
_UTF8_NAMES = frozenset({b"utf-8", b"utf8", b"us-ascii", b"ascii"})
_XML_DECL = re.compile(rb"<\?xml[ \t\r\n]")
_DECL_ENCODING = re.compile(rb"""[ \t\r\n]encoding[ \t\r\n]*=[ \t\r\n]*["']([^"']*)["']""")
_DECL_VERSION = re.compile(rb"""[ \t\r\n]version[ \t\r\n]*=[ \t\r\n]*["']([^"']*)["']""")
_NAME_END = re.compile(rb"[^ \t\r\n/>]*")
_WHITESPACE = b" \t\r\n"
# Byte masks keeping the first 0..8 bytes of a little-endian 8-byte word.
_KEEP = np.array([(1 << (8 * j)) - 1 for j in range(8)] + [(1 << 64) - 1], dtype=np.uint64)
_HASH = np.uint64(0x9E3779B97F4A7C15)
_MIX = np.array(
    [0xBF58476D1CE4E5B9, 0x94D049BB133111EB, 0xD6E8FEB86659FD93, 0xC2B2AE3D27D4EB4F],
    dtype=np.uint64,
)
_VOCAB_BITS = 12
_ONES = np.uint64(0x0101010101010101)
_HIGH = np.uint64(0x8080808080808080)
_BELOW_21 = _ONES * np.uint64(0x21)
_SLASHES = _ONES * np.uint64(0x2F)
_GTS = _ONES * np.uint64(0x3E)
_BYTE_INDEX = np.uint64(0x0001020304050607)
_NUM_WIDTH = 40  # numbers longer than this are read one by one
_TIME_WIDTH = 40  # likewise for times
_POW10 = 10.0 ** np.arange(23)
_POW10_INT = np.array([10**k for k in range(20)], dtype=np.uint64)
_POW10_LONG = _POW10_INT.astype(np.longdouble)
_TWO53 = 2**53
_TEN = np.uint64(10)


class Unsupported(Exception):
    """The fast reader cannot vouch for this input: read it with the reference reader."""


class _NoEvents:
    """A parser target without start/end/data methods: libxml2 parses in C, calls nothing."""

    def close(self) -> None:
        return None


def validate(data: bytes) -> None:
    """Raise :class:`Unsupported` unless libxml2 finds ``data`` well-formed without a word.

    The settings are the reference readers' (no entities, DTDs, network or huge trees), so
    what passes here also parses there. A target parser does not raise namespace errors
    (undeclared prefixes, bad QNames) but logs them, hence the check of the error log.
    """
    parser = etree.XMLParser(
        # Deliberately without start/end/data: lxml then registers no callbacks at all.
        target=cast(Any, _NoEvents()),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
    )
    try:
        etree.fromstring(data, parser)
    except Exception as exc:  # any complaint at all: the reference reader says what it is
        raise Unsupported(f"libxml2: {exc}") from exc
    if len(parser.error_log):
        raise Unsupported(f"libxml2 logged: {parser.error_log[0].message}")


def root_offset(data: bytes) -> int:
    """Byte offset of the root element's ``<`` in a UTF-8 (or ASCII) document.

    Raises :class:`Unsupported` for other encodings, XML other than 1.0, or a prolog with
    anything but the declaration, comments, processing instructions and whitespace.
    """
    i = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    if _XML_DECL.match(data, i):
        end = data.find(b"?>", i)
        if end < 0:
            raise Unsupported("unterminated XML declaration")
        decl = data[i:end]
        version = _DECL_VERSION.search(decl)
        if version is None or version.group(1) != b"1.0":
            raise Unsupported("not XML 1.0")
        encoding = _DECL_ENCODING.search(decl)
        if encoding is not None and encoding.group(1).lower() not in _UTF8_NAMES:
            raise Unsupported("not UTF-8")
        i = end + 2
    n = len(data)
    while True:
        while i < n and data[i] in _WHITESPACE:
            i += 1
        if data.startswith(b"<?", i):
            end = data.find(b"?>", i + 2)
            i = end + 2 if end >= 0 else n
        elif data.startswith(b"<!--", i):
            end = data.find(b"-->", i + 4)
            i = end + 3 if end >= 0 else n
        elif data.startswith(b"<", i) and i + 1 < n:
            c = data[i + 1]
            if c >= 0x80 or chr(c).isalpha() or c in b"_:":
                return i
            raise Unsupported("no root element where expected")
        else:
            raise Unsupported("no root element where expected")


def _delimiters(w: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """Per 8-byte word, the high bit of each byte that ends a tag name (whitespace or any
    other byte below '!', '/' or '>'). Borrows may also mark bytes after a marked one, so
    only the lowest mark is exact, and that is the one used."""
    below = (w - _BELOW_21) & ~w & _HIGH
    slash = w ^ _SLASHES
    slash = (slash - _ONES) & ~slash & _HIGH
    gt = w ^ _GTS
    gt = (gt - _ONES) & ~gt & _HIGH
    marks: npt.NDArray[np.uint64] = below | slash | gt
    return marks


def _lowest_byte(marks: npt.NDArray[np.uint64]) -> IntArray:
    """Index (0-7) of the lowest marked byte of each non-zero word."""
    lowest = marks & (~marks + np.uint64(1))
    return ((lowest >> np.uint64(7)) * _BYTE_INDEX >> np.uint64(56)).astype(np.int64)


@dataclass(frozen=True, slots=True)
class TimeColumn:
    """Parsed times, one entry per input (NaN where missing or unreadable)."""

    epoch_s: FloatArray
    unreadable: BoolArray
    naive: BoolArray
    offset_s: IntArray  # the time's UTC offset when not UTC, else 0

    def parsed(self, a: int, b: int) -> ParsedTimes:
        """Entries ``a:b`` summed up as :func:`.xmlsafe.parse_times` reports them (the UTC
        offset is the first non-zero one)."""
        offsets = self.offset_s[a:b]
        nonzero = np.flatnonzero(offsets)
        return ParsedTimes(
            epoch_s=self.epoch_s[a:b],
            utc_offset_s=int(offsets[nonzero[0]]) if nonzero.size else None,
            unreadable=int(self.unreadable[a:b].sum()),
            naive=int(self.naive[a:b].sum()),
        )


@dataclass(frozen=True, slots=True)
class Span:
    """Elements (element numbers) with their start and end tag numbers."""

    els: IntArray
    start: IntArray
    end: IntArray


class Tags:
    """Every tag of a well-formed document from its root on, as numpy arrays.

    Tag arrays (index = tag number, in document order): ``lt``/``te`` the offsets of the
    tag's ``<`` and ``>``, ``is_end`` (``</x>``), ``self_closing`` (``<x/>``) and ``level``
    (the nesting depth of the element the tag belongs to; the root is 1).

    Element arrays (index = element number, one per start or self-closing tag, in document
    order): ``el_tag`` (its tag number) and ``el_kind`` (from the caller's table of local
    names, 0 for any other name).
    """

    def __init__(self, data: bytes, kinds: Mapping[str, int]) -> None:
        if len(data) > MAX_BYTES:
            raise Unsupported("large file: streamed by the reference reader")
        if len(data) < _PAD:
            raise Unsupported("tiny file")
        self.data = data
        root = root_offset(data)
        arr = np.frombuffer(data, dtype=np.uint8)
        self.arr = arr
        # _words[i] = the 8 bytes at offset i as a little-endian integer (a strided view);
        # the last few offsets read from a zero-padded copy of the tail instead.
        self._limit = len(data) - 8
        self._words = np.ndarray(shape=(self._limit + 1,), dtype="<u8", buffer=data, strides=(1,))
        self._tail_start = max(0, len(data) - _PAD)
        tail = data[self._tail_start :] + bytes(2 * _PAD)
        self._tail = np.ndarray(shape=(len(tail) - 7,), dtype="<u8", buffer=tail, strides=(1,))
        body = arr[root:]
        lt = np.flatnonzero(body == 0x3C) + root
        gt = np.flatnonzero(body == 0x3E) + root
        if gt.size == lt.size and (gt > lt).all() and (gt[:-1] < lt[1:]).all():
            te = gt  # one '>' per tag and none elsewhere: the common case
        else:
            lt, te = self._tag_ends(lt, gt)
        if not lt.size:
            raise Unsupported("no tags")
        second = arr[lt + 1]
        if ((second == 0x21) | (second == 0x3F)).any():
            raise Unsupported("comment, CDATA or processing instruction after the root starts")
        self.lt: IntArray = lt
        self.te: IntArray = te
        if lt.size > 1 and int((lt[1:] - te[:-1]).max()) > MAX_SPAN:
            raise Unsupported("very long text")
        if int((te - lt).max()) > MAX_SPAN:
            raise Unsupported("very long tag")
        is_end = second == 0x2F
        self_closing = (arr[te - 1] == 0x2F) & ~is_end
        self.is_end: BoolArray = is_end
        self.self_closing: BoolArray = self_closing
        # +1 for a start tag, -1 for an end tag, 0 for a self-closing one.
        delta = 1 - 2 * is_end.view(np.int8) - self_closing.view(np.int8)
        depth = np.cumsum(delta, dtype=np.int32)
        if depth[-1] != 0 or (depth[:-1] <= 0).any():
            raise Unsupported("not a single root element")
        level = depth + (is_end | self_closing)
        if int(level.max()) > MAX_LEVEL:
            raise Unsupported("deep nesting")
        self.level = level
        self.el_tag: IntArray = np.flatnonzero(~is_end)
        self._ends_by_level: dict[int, IntArray] = {}
        self.el_kind = self._classify(kinds)

    def _tag_ends(self, lt: IntArray, gt: IntArray) -> tuple[IntArray, IntArray]:
        """Each tag's '<' and '>' when some '>' stand in text: the first '>' after the '<',
        unless an attribute value might hold a '>' (then the reference reader reads it)."""
        first = np.searchsorted(gt, lt)
        if (first >= gt.size).any():
            raise Unsupported("unterminated tag")
        te = gt[first]
        after = np.searchsorted(gt, np.append(lt[1:], self.arr.size))
        for k in np.flatnonzero(after - first != 1).tolist():
            a, b = int(lt[k]), int(te[k])
            if self.data.find(b'"', a, b) >= 0 or self.data.find(b"'", a, b) >= 0:
                raise Unsupported("'>' in text next to a tag with attributes")
        return lt, te

    def offsets_of(self, byte: bytes) -> IntArray:
        """Offsets of every ``byte`` in the data: found with ``bytes.find`` while there are
        few (far quicker than testing every byte), by numpy when there are many."""
        found: list[int] = []
        at = self.data.find(byte)
        while at >= 0:
            if len(found) == 64:
                return np.flatnonzero(self.arr == byte[0])
            found.append(at)
            at = self.data.find(byte, at + 1)
        return np.array(found, dtype=np.int64)

    def words(self, pos: IntArray) -> npt.NDArray[np.uint64]:
        """The 8 bytes at each offset in ``pos`` as little-endian integers (zeros past the
        end of the data; offsets up to 64 bytes past it)."""
        if not pos.size or int(pos.max()) <= self._limit:
            out: npt.NDArray[np.uint64] = self._words[pos]
            return out
        over = pos > self._limit
        out = self._words[np.minimum(pos, self._limit)]
        out[over] = self._tail[pos[over] - self._tail_start]
        return out

    def gather(self, pos: IntArray, n_words: int, length: IntArray | None = None) -> ByteMatrix:
        """The ``8 * n_words`` bytes at each offset in ``pos`` (zeros past the end of the
        data, and past ``length`` bytes when given), one row per offset."""
        out = np.empty((pos.size, n_words), dtype=np.uint64)
        for k in range(n_words):
            w = self.words(pos + 8 * k)
            if length is not None:
                w &= _KEEP[np.clip(length - 8 * k, 0, 8)]
            out[:, k] = w
        return out.view(np.uint8)

    def _classify(self, kinds: Mapping[str, int]) -> npt.NDArray[np.int16]:
        """Kind of each element by local name (after the last ':').

        Each start tag's qualified name is cut out of the bytes as up to four 8-byte words
        (its end found with SWAR bit tricks), the document's vocabulary of distinct names
        (a few dozen) is found by hashing those words, and each distinct name is looked up
        once, in Python. Names of 32 bytes or more, and hash clashes, are read one by one.
        """
        by_name = {name.encode(): kind for name, kind in kinds.items() if kind}
        ns = self.lt[self.el_tag] + 1
        n = ns.size
        words = [self.words(ns)]
        marks = _delimiters(words[0])
        length = _lowest_byte(marks)
        # Names of 8 bytes or more, then of 16 or more: their further words.
        subsets = [np.arange(n)]
        rows = np.flatnonzero(marks == 0)
        for k in (1, 2, 3):
            w = self.words(ns[rows] + 8 * k)
            words.append(w)
            subsets.append(rows)
            marks = _delimiters(w)
            length[rows] = np.where(marks != 0, 8 * k + _lowest_byte(marks), 8 * (k + 1))
            rows = rows[marks == 0]
        # Zero every byte past the name, so that equal names give equal words, and hash.
        h = length.astype(np.uint64) * _HASH
        for k, (w, sub) in enumerate(zip(words, subsets, strict=True)):
            w &= _KEEP[np.clip(length[sub] - 8 * k, 0, 8)]
            h[sub] ^= (w + np.uint64(k)) * _MIX[k]
        slot_of = (h >> np.uint64(64 - _VOCAB_BITS)).astype(np.int64)
        rep = np.zeros(1 << _VOCAB_BITS, dtype=np.int64)
        rep[slot_of] = np.arange(n)  # some element of each slot: the one names are read from
        present = np.zeros(1 << _VOCAB_BITS, dtype=bool)
        present[slot_of] = True
        kind_of_slot = np.zeros(1 << _VOCAB_BITS, dtype=np.int16)
        data = self.data
        for slot in np.flatnonzero(present).tolist():
            i = int(rep[slot])
            name = data[int(ns[i]) : int(ns[i] + length[i])]
            kind_of_slot[slot] = by_name.get(name.rpartition(b":")[2], 0)
        out = kind_of_slot[slot_of]
        r = rep[slot_of]
        clash = length != length[r]
        position = np.full(n, -1, dtype=np.int64)  # row of each element in a subset
        for w, sub in zip(words, subsets, strict=True):
            position.fill(-1)
            position[sub] = np.arange(sub.size)
            pr = position[r[sub]]
            # An element whose representative has no such word has a different length.
            clash[sub] |= (pr < 0) | (w != w[np.maximum(pr, 0)])
        odd = np.flatnonzero(clash | (length >= 32))  # hash clashes, names over 31 bytes
        for i in odd.tolist():
            m = _NAME_END.match(data, int(ns[i]))
            assert m is not None
            out[i] = by_name.get(m.group().rpartition(b":")[2], 0)
        return out

    def local_name(self, el: int) -> bytes:
        """One element's local name, read directly (for the root, whose name may be long)."""
        m = _NAME_END.match(self.data, int(self.lt[self.el_tag[el]]) + 1)
        assert m is not None
        return m.group().rpartition(b":")[2]

    # --- structure -----------------------------------------------------------------------

    def of_kind(self, *kinds: int) -> IntArray:
        """Element numbers of the given kinds, in document order."""
        wanted = np.zeros(int(self.el_kind.max(initial=0)) + 1, dtype=bool)
        wanted[[k for k in kinds if k < wanted.size]] = True
        return np.flatnonzero(wanted[self.el_kind])

    def span(self, els: IntArray) -> Span:
        """The elements with their start and end tag numbers."""
        tags = self.el_tag[els]
        end = tags.copy()  # a self-closing element ends where it starts
        paired = ~self.self_closing[tags]
        levels = self.level[tags]
        for lv in np.unique(levels[paired]).tolist():
            ends = self._ends_by_level.get(lv)
            if ends is None:
                # At one level, start and end tags alternate: start, end, start, end...
                ends = np.flatnonzero((self.level == lv) & ~self.self_closing)[1::2]
                self._ends_by_level[lv] = ends
            sel = np.flatnonzero(paired & (levels == lv))
            end[sel] = ends[np.searchsorted(ends, tags[sel])]
        return Span(els, tags, end)

    def inside(self, tags: IntArray, containers: Span) -> IntArray:
        """For each tag, the index into ``containers`` (disjoint, in document order) of the
        one strictly enclosing it, or -1."""
        k = np.searchsorted(containers.start, tags) - 1
        if not containers.els.size:
            return k
        kk = np.maximum(k, 0)
        ok = (k >= 0) & (tags > containers.start[kk]) & (tags < containers.end[kk])
        return np.where(ok, k, -1)

    def children(self, els: IntArray, parents: Span) -> IntArray:
        """For each element, the index into ``parents`` (disjoint, in document order) of
        its parent, or -1 when its parent is none of them."""
        tags = self.el_tag[els]
        k = self.inside(tags, parents)
        found = np.flatnonzero(k >= 0)
        child = self.level[tags[found]] == self.level[parents.start[k[found]]] + 1
        k[found[~child]] = -1
        return k

    def any_nested(self, tags: IntArray, containers: Span) -> bool:
        """Whether any of ``tags`` lies strictly inside any of the ``containers`` (which may
        themselves nest)."""
        if not tags.size or not containers.els.size:
            return False
        reach = np.maximum.accumulate(containers.end)
        k = np.searchsorted(containers.start, tags) - 1
        return bool(((k >= 0) & (reach[np.maximum(k, 0)] > tags)).any())

    def bytes_inside(self, offsets: IntArray, containers: Span) -> bool:
        """Whether any byte offset lies within any of the ``containers`` (disjoint, in order),
        from the '<' of the start tag to the '>' of the end tag."""
        if not offsets.size or not containers.els.size:
            return False
        start = self.lt[containers.start]
        end = self.te[containers.end]
        k = np.searchsorted(start, offsets, side="right") - 1
        return bool(((k >= 0) & (offsets <= end[np.maximum(k, 0)])).any())

    def leaves(self, els: IntArray) -> bool:
        """Whether none of the elements has a child element."""
        tags = self.el_tag[els]
        return bool(
            (self.self_closing[tags] | self.is_end[np.minimum(tags + 1, self.lt.size - 1)]).all()
        )

    def without(self, elements: Span) -> bytes:
        """The document with the given elements (in document order, none inside another)
        cut out; runs of adjacent ones go in one cut."""
        if not elements.els.size:
            return self.data
        tags, ends = elements.start, elements.end
        breaks = np.flatnonzero(ends[:-1] + 1 != tags[1:])
        first = np.concatenate(([0], breaks + 1))
        last = np.concatenate((breaks, [tags.size - 1]))
        cut_from = self.lt[tags[first]].tolist()
        cut_to = (self.te[ends[last]] + 1).tolist()
        data = self.data
        pieces = []
        pos = 0
        for a, b in zip(cut_from, cut_to, strict=True):
            pieces.append(data[pos:a])
            pos = b
        pieces.append(data[pos:])
        return b"".join(pieces)

    # --- texts -------------------------------------------------------------------------------

    def text_spans(self, els: IntArray) -> tuple[IntArray, IntArray, BoolArray]:
        """(start, end, missing) of each leaf element's text; missing where lxml's ``.text``
        is None (a self-closing or empty element)."""
        tags = self.el_tag[els]
        start = self.te[tags] + 1
        end = self.lt[np.minimum(tags + 1, self.lt.size - 1)]
        missing = self.self_closing[tags] | (end <= start)
        return start, end, missing

    def text(self, start: int, end: int) -> str:
        """One text as lxml gives it (no entities or CDATA here): decoded, line ends as \\n."""
        raw = self.data[start:end].decode("utf-8")
        return raw.replace("\r\n", "\n").replace("\r", "\n") if "\r" in raw else raw

    def numbers(self, els: IntArray) -> tuple[FloatArray, BoolArray]:
        """``float()`` of each leaf element's text: (values, unreadable).

        Missing text is NaN and not unreadable, as in the reference readers; text ``float()``
        refuses is NaN and unreadable; inf stays inf (callers turn it into NaN).
        """
        start, end, missing = self.text_spans(els)
        return self.parse_numbers(start, end, missing)

    def parse_numbers(
        self, start: IntArray, end: IntArray, missing: BoolArray
    ) -> tuple[FloatArray, BoolArray]:
        """``float()`` of the texts ``data[start:end]`` (see :meth:`numbers`)."""
        n = start.size
        values = np.full(n, np.nan)
        unreadable = np.zeros(n, dtype=bool)
        length = end - start
        unreadable[~missing & (length <= 0)] = True  # float("") refuses
        n_words = np.where(missing | (length <= 0), 0, (length + 7) // 8)
        one_by_one = [np.flatnonzero(length > _NUM_WIDTH)]
        # Texts of similar length together (the work per text grows with the widest), but
        # no tiny batches (each has a fixed cost): those join the next wider one.
        waiting = np.empty(0, dtype=np.int64)
        for k in range(1, _NUM_WIDTH // 8 + 1):
            rows = np.concatenate((waiting, np.flatnonzero(n_words == k)))
            if rows.size >= 256 or (k == _NUM_WIDTH // 8 and rows.size):
                one_by_one.append(self._numbers_of(np.sort(rows), start, length, k, values))
                rows = rows[:0]
            waiting = rows
        for i in np.concatenate(one_by_one).tolist():
            try:
                values[i] = float(self.text(int(start[i]), int(end[i])))
            except ValueError:
                unreadable[i] = True
        return values, unreadable

    def _numbers_of(
        self, rows: IntArray, start: IntArray, length: IntArray, n_words: int, values: FloatArray
    ) -> IntArray:
        """Parse the texts ``rows`` (all ``n_words`` words long or less) into ``values``;
        returns the rows left for ``float()`` one by one."""
        row_length = length[rows]
        raw = self.gather(start[rows], n_words, row_length)
        width = int(row_length.max())
        plain, plain_values = _plain_decimals(np.ascontiguousarray(raw[:, :width].T), row_length)
        values[rows[plain]] = plain_values
        rest = np.flatnonzero(~plain)
        if not rest.size:
            return rest
        rest_raw = raw[rest]
        ascii_rows = np.logical_and.reduce(rest_raw < 0x80, axis=1)
        by_numpy = rows[rest[ascii_rows]]
        left: IntArray = rows[rest[~ascii_rows]]
        if by_numpy.size:
            try:
                # Python's own float() parser, per value, in C: same results, same refusals.
                values[by_numpy] = (
                    np.ascontiguousarray(rest_raw[ascii_rows])
                    .view(f"S{8 * n_words}")
                    .ravel()
                    .astype(np.float64)
                )
            except ValueError:
                left = np.concatenate((left, by_numpy))
        return left

    def times(self, els: IntArray) -> TimeColumn:
        """Each leaf element's text parsed as :func:`.xmlsafe.parse_times` parses it."""
        start, end, missing = self.text_spans(els)
        n = start.size
        epoch = np.full(n, np.nan)
        unreadable = np.zeros(n, dtype=bool)
        naive = np.zeros(n, dtype=bool)
        offset = np.zeros(n, dtype=np.int64)
        length = end - start
        todo = np.flatnonzero(~missing & (length >= 19) & (length <= _TIME_WIDTH))
        slow = np.flatnonzero(~missing & ((length < 19) | (length > _TIME_WIDTH)))
        if todo.size:
            raw = self.gather(start[todo], _TIME_WIDTH // 8, length[todo])
            chars = np.ascontiguousarray(raw.T)
            ok, t_epoch, t_naive, t_offset = _iso_times(chars, length[todo])
            done = todo[ok]
            epoch[done] = t_epoch[ok]
            naive[done] = t_naive[ok]
            offset[done] = t_offset[ok]
            slow = np.concatenate((slow, todo[~ok]))
        for i in slow.tolist():
            parsed = parse_times([self.text(int(start[i]), int(end[i]))])
            epoch[i] = parsed.epoch_s[0]
            unreadable[i] = parsed.unreadable > 0
            naive[i] = parsed.naive > 0
            offset[i] = parsed.utc_offset_s or 0
        return TimeColumn(epoch, unreadable, naive, offset)


def _plain_decimals(chars: ByteMatrix, length: IntArray) -> tuple[BoolArray, FloatArray]:
    """Values of the plain decimals (``-12.5``, ``.5``, ``7.``, ``+3``) among the texts in
    ``chars`` (one column per text, zero-padded), correctly rounded as ``float()`` rounds
    them: which texts, and their values.

    The first 19 digits make an exact 64-bit mantissa m, with f of them after the point.
    ``m / 10**f`` with m < 2**53 is exact in float64 (one correctly rounded division:
    Clinger's fast path). Otherwise it is divided in 80-bit long double and rounded to
    float64, which can only go wrong when the long double lies exactly halfway between two
    float64 values; such texts are refused. With more than 19 digits the value lies between
    ``m / 10**f`` and ``(m + 1) / 10**f``, and is taken when both round to the same float64.
    Texts are refused (left to ``float()``) whenever in doubt.
    """
    width, n = chars.shape
    v = chars - np.uint8(0x30)
    digit = v < 10
    dot = chars == 0x2E
    first = chars[0]
    sign = (first == 0x2D) | (first == 0x2B)
    allowed = digit | dot | (chars == 0)  # zeros pad the texts past their length
    allowed[0] |= sign
    n_dots = np.add.reduce(dot.view(np.uint8), axis=0, dtype=np.uint8)
    n_digits = np.add.reduce(digit.view(np.uint8), axis=0, dtype=np.uint8).astype(np.int64)
    plain = np.logical_and.reduce(allowed, axis=0) & (n_dots <= 1) & (n_digits >= 1)
    mantissa = np.zeros(n, dtype=np.uint64)
    rest = np.zeros(n, dtype=bool)  # a non-zero digit past the 19th
    if width <= 19:
        for c in range(width):
            mantissa = np.where(digit[c], mantissa * _TEN + v[c], mantissa)
        kept = n_digits
    else:
        taken = np.zeros(n, dtype=np.uint8)
        for c in range(width):
            take = digit[c] & (taken < 19)
            mantissa = np.where(take, mantissa * _TEN + v[c], mantissa)
            if c >= 19:
                rest |= digit[c] & ~take & (v[c] != 0)
            taken += take
        kept = taken.astype(np.int64)
    dot_at = np.argmax(dot, axis=0)
    frac = np.where(n_dots == 1, length - 1 - dot_at, 0) - (n_digits - kept)
    plain &= frac >= 0  # else more than 19 digits before the point
    frac = np.maximum(frac, 0)
    values = np.zeros(n)
    fast = plain & ~rest & (mantissa < np.uint64(_TWO53))
    values[fast] = mantissa[fast].astype(np.float64) / _POW10[frac[fast]]
    slow = np.flatnonzero(plain & ~fast)
    if slow.size:
        low, low_ok = _long_division(mantissa[slow], frac[slow])
        values[slow] = low
        wide = rest[slow]
        if wide.any():
            high, high_ok = _long_division(mantissa[slow[wide]] + np.uint64(1), frac[slow[wide]])
            low_ok[wide] &= high_ok & (high == low[wide])
        plain[slow[~low_ok]] = False
    negative = first == 0x2D
    values[negative] = -values[negative]
    return plain, values[plain]


def _long_division(
    mantissa: npt.NDArray[np.uint64], frac: IntArray
) -> tuple[FloatArray, BoolArray]:
    """``mantissa / 10**frac`` rounded to float64 via long double, and whether that is
    certainly the correctly rounded value (the long double was not exactly halfway)."""
    exact = mantissa.astype(np.longdouble) / _POW10_LONG[frac]
    rounded = exact.astype(np.float64)
    off = np.abs(exact - rounded.astype(np.longdouble))
    ulp = np.spacing(rounded).astype(np.longdouble)
    return rounded, (off != ulp / 2) & (off != ulp / 4)


_DIGIT_ROWS = np.array([0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18])
_DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def _iso_times(
    chars: ByteMatrix, length: IntArray
) -> tuple[BoolArray, FloatArray, BoolArray, IntArray]:
    """``YYYY-MM-DDTHH:MM:SS[.f+][Z|±HH:MM]`` read column-wise: (ok, epoch, naive, offset).

    ``chars`` holds one text per column, zero-padded. Gives exactly what
    ``datetime.fromisoformat(text).timestamp()`` gives (fractions cut to microseconds, the
    timestamp as microseconds / 10**6), for years 1900-2199. Texts not in that shape are not
    ok, and the caller parses them one by one.
    """
    width, n = chars.shape
    d = chars - np.uint8(0x30)
    digit = d < 10
    ok = np.logical_and.reduce(digit[_DIGIT_ROWS], axis=0)
    ok &= (chars[4] == 0x2D) & (chars[7] == 0x2D) & (chars[10] == 0x54)
    ok &= (chars[13] == 0x3A) & (chars[16] == 0x3A)

    def two(row: int) -> IntArray:
        value: IntArray = d[row].astype(np.int64) * 10 + d[row + 1]
        return value

    year = two(0) * 100 + two(2)
    month, day, hour, minute, second = two(5), two(8), two(11), two(14), two(17)
    # A fraction: '.' then digits from row 20; microseconds are its first six digits.
    has_dot = chars[19] == 0x2E
    run = has_dot.copy()
    frac_len = np.zeros(n, dtype=np.int64)
    micro = np.zeros(n, dtype=np.int64)
    for k in range(width - 20):
        run &= digit[20 + k]
        if not run.any():
            break
        frac_len += run
        if k < 6:
            micro += np.where(run, d[20 + k].astype(np.int64) * 10 ** (5 - k), 0)
    ok &= ~has_dot | (frac_len >= 1)
    zone = np.where(has_dot, 20 + frac_len, 19)
    ok &= zone <= width - 6  # the zone's characters lie inside the window
    zone = np.minimum(zone, width - 6)
    cols = np.arange(n)
    z_char = chars[zone, cols]
    naive = zone == length
    utc = (z_char == 0x5A) & (length == zone + 1)
    signed = ((z_char == 0x2B) | (z_char == 0x2D)) & (length == zone + 6)
    oh1, oh2, om1, om2 = (d[zone + k, cols].astype(np.int64) for k in (1, 2, 4, 5))
    signed &= (oh1 < 10) & (oh2 < 10) & (om1 < 10) & (om2 < 10) & (chars[zone + 3, cols] == 0x3A)
    ok &= naive | utc | signed
    off_h = oh1 * 10 + oh2
    off_m = om1 * 10 + om2
    ok &= ~signed | ((off_h <= 23) & (off_m <= 59))
    offset = np.where(signed, np.where(z_char == 0x2D, -1, 1) * (off_h * 3600 + off_m * 60), 0)
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    month_ok = (month >= 1) & (month <= 12)
    dim = _DAYS_IN_MONTH[np.where(month_ok, month, 1)] + ((month == 2) & leap)
    ok &= (year >= 1900) & (year <= 2199) & month_ok & (day >= 1) & (day <= dim)
    ok &= (hour <= 23) & (minute <= 59) & (second <= 59)
    # Days since 1970-01-01 (H. Hinnant's days_from_civil).
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (month + np.where(month > 2, -3, 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    days = era * 146097 + doe - 719468
    seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset
    epoch = (seconds * 1_000_000 + micro).astype(np.float64) / 1e6
    return ok, epoch, naive & ok, offset


class PointColumns:
    """Per-point columns assembled from field texts, with the reference readers' rules: the
    last assignment in document order wins, missing text is NaN, inf is NaN, and every text
    ``float()`` refuses counts as one unreadable number for its point.

    Columns are declared with :meth:`add` / :meth:`add_spans` and all their numbers are
    converted in one batch by :meth:`convert`.
    """

    def __init__(self, tags: Tags, n_points: int) -> None:
        self.tags = tags
        self.n = n_points
        self.unreadable = np.zeros(n_points, dtype=np.int64)
        self.columns: dict[str, FloatArray] = {}
        self._pending: list[tuple[str, IntArray, IntArray, BoolArray, IntArray]] = []

    def add(self, name: str, parts: list[tuple[IntArray, IntArray]]) -> None:
        """Column ``name`` from (leaf elements, their points) parts, merged in document
        order."""
        els = np.concatenate([e for e, _ in parts])
        point = np.concatenate([p for _, p in parts])
        if len(parts) > 1:
            order = np.argsort(els, kind="stable")
            els, point = els[order], point[order]
        start, end, missing = self.tags.text_spans(els)
        self.add_spans(name, start, end, missing, point)

    def add_spans(
        self, name: str, start: IntArray, end: IntArray, missing: BoolArray, point: IntArray
    ) -> None:
        """Column ``name`` from texts ``data[start:end]`` (in document order) of ``point``."""
        self._pending.append((name, start, end, missing, point))

    def convert(self) -> None:
        pending, self._pending = self._pending, []
        if not pending:
            return
        values, bad = self.tags.parse_numbers(
            np.concatenate([p[1] for p in pending]),
            np.concatenate([p[2] for p in pending]),
            np.concatenate([p[3] for p in pending]),
        )
        values[np.isinf(values)] = np.nan
        at = 0
        for name, start, _end, _missing, point in pending:
            col_values, col_bad = values[at : at + start.size], bad[at : at + start.size]
            at += start.size
            if col_bad.any():
                self.unreadable += np.bincount(point[col_bad], minlength=self.n)
            col = np.full(self.n, np.nan)
            which, last = last_per_point(point)
            col[which] = col_values[last]
            self.columns[name] = col

    def times(self, els: IntArray, point: IntArray) -> TimeColumn:
        """The time of each point (its last time element), parsed."""
        which, last = last_per_point(point)
        parsed = self.tags.times(els[last])
        n = self.n
        out = TimeColumn(
            np.full(n, np.nan), np.zeros(n, bool), np.zeros(n, bool), np.zeros(n, np.int64)
        )
        out.epoch_s[which] = parsed.epoch_s
        out.unreadable[which] = parsed.unreadable
        out.naive[which] = parsed.naive
        out.offset_s[which] = parsed.offset_s
        return out

    def slice(self, a: int, b: int) -> dict[str, FloatArray]:
        return {name: col[a:b] for name, col in self.columns.items()}


def last_per_point(point: IntArray) -> tuple[IntArray, IntArray]:
    """(points, positions) of the last entry of each point in ``point`` (non-decreasing)."""
    if not point.size:
        return point, point
    last = np.flatnonzero(np.append(point[1:] != point[:-1], True))
    return point[last], last
