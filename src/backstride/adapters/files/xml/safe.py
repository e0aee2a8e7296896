"""Secure, streaming XML reading shared by the GPX and TCX parsers.

Activity files come from strangers (shared links, bulk exports), so XML is read defensively:

* A document type declaration (``<!DOCTYPE ...>``, with or without ``<!ENTITY ...>`` or an
  external DTD) is refused up front with :class:`UnsafeFileError`. GPX and TCX never need
  one, and it is the carrier of every entity attack (billion laughs, external entities that
  read local files or call out to the network).
* lxml is told never to expand entities, load a DTD, touch the network or lift libxml2's
  size and depth limits (``huge_tree=False``), so even a declaration that slipped past the
  prolog check could not do anything. XInclude is never processed.
* Any parser failure becomes :class:`CorruptFileError` (with the line and column libxml2
  reports) or, for a tripped safety limit, :class:`UnsafeFileError`; nothing else escapes.

Parsing is streaming: :func:`iter_elements` streams only the elements whose names the caller
asks for (lxml filters the others in C), and :func:`release` / :func:`release_before` free
what has been read, so memory stays bounded however long the file.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from lxml import etree

from backstride.errors import (
    ActivityFileError,
    BackstrideError,
    CorruptFileError,
    UnsafeFileError,
)

T = TypeVar("T")


# Where the prolog is looked for: grown (doubled) while comments or PIs run past it.
_PROLOG_WINDOW = 64 * 1024

_REEXPORT_HINT = "The file may be truncated or damaged: export it again from your watch or app."
_UNSAFE_HINT = (
    "Activity files never need a DTD or entities. If this came from a trusted app, "
    "export it again; otherwise delete it."
)

# libxml2 messages end with ", line L, column C"; we say that ourselves.
_POSITION_SUFFIX = re.compile(r",?\s*line \d+, column \d+\s*$")
_LIMIT_WORDS = (
    "Excessive depth",
    "Resource limit",
    "huge",
    "amplification",
    "entity reference loop",
)
_NAME_END = re.compile(r"[\s/>]")


@dataclass(frozen=True, slots=True)
class Prolog:
    """What precedes the root element: checked safe, plus the root's local name if seen."""

    root_name: str | None


def _decode_head(data: bytes, size: int) -> str:
    """The first ``size`` bytes as text, enough to read the prolog (markup is ASCII)."""
    head = data[:size]
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if head.startswith(bom):
            return head[len(bom) :].decode(codec, errors="replace")
    if head.startswith(b"\x00\x00\x00<"):
        return head.decode("utf-32-be", errors="replace")
    if head.startswith(b"<\x00\x00\x00"):
        return head.decode("utf-32-le", errors="replace")
    if head.startswith(b"\x00<"):
        return head.decode("utf-16-be", errors="replace")
    if head.startswith(b"<\x00"):
        return head.decode("utf-16-le", errors="replace")
    # UTF-8 and every other ASCII-compatible encoding: markup bytes are ASCII.
    return head.decode("latin-1")


def _refuse_declaration(text: str, start: int) -> UnsafeFileError:
    decl = text[start : start + 4096]
    upper = decl.upper()
    if "<!ENTITY" in upper:
        what = (
            "it declares XML entities (<!ENTITY ...>), the trick behind 'billion laughs' "
            "and file-reading attacks"
        )
    elif not upper.startswith("<!DOCTYPE"):
        what = f"it starts with a markup declaration ({decl[:20]!r}) before the data"
    elif " SYSTEM" in upper or " PUBLIC" in upper:
        what = "it refers to an external DTD, which could make the reader fetch files or URLs"
    else:
        what = "it has a document type declaration (<!DOCTYPE ...>)"
    return UnsafeFileError(
        f"Refused to read the XML: {what}. Nothing was expanded or fetched.",
        hint=_UNSAFE_HINT,
    )


def check_prolog(data: bytes) -> Prolog:
    """Refuse a DOCTYPE (and so any DTD or entity declaration) before parsing.

    Scans the XML declaration, processing instructions, comments and whitespace before the
    root element. Returns the root's local name when it could be read; malformed input is
    left to the parser, which reports where it breaks.
    """
    size = _PROLOG_WINDOW
    while True:
        text = _decode_head(data, size)
        complete = size >= len(data)
        i = 0
        n = len(text)
        if text.startswith("\ufeff"):
            i = 1
        while True:
            while i < n and text[i] in " \t\r\n":
                i += 1
            if text.startswith("<?", i) or text.startswith("<!--", i):
                end = "?>" if text[i + 1] == "?" else "-->"
                j = text.find(end, i + 2)
                if j < 0:
                    break  # runs past the window: look again with a larger one
                i = j + len(end)
                continue
            if text.startswith("<!", i):
                raise _refuse_declaration(text, i)
            if text.startswith("<", i):
                m = _NAME_END.search(text, i + 1, min(n, i + 512))
                name = text[i + 1 : m.start()] if m else None
                return Prolog(root_name=name.rpartition(":")[2] if name else None)
            return Prolog(root_name=None)  # not XML markup: the parser will say where
        if complete:
            return Prolog(root_name=None)
        size *= 2


def _parse_error(exc: etree.XMLSyntaxError) -> ActivityFileError:
    msg = _POSITION_SUFFIX.sub("", str(exc.msg or exc)).strip().rstrip(".")
    line, column = exc.position
    if any(word in msg for word in _LIMIT_WORDS):
        return UnsafeFileError(
            f"Refused to read the XML: it exceeds a safety limit at line {line}, "
            f"column {column} ({msg}).",
            hint="No real activity file nests that deep or holds that much text in one place.",
        )
    if line <= 0 or msg == "no element found":
        return CorruptFileError(
            "The XML has no elements: the file is empty or cut off at the start.",
            hint=_REEXPORT_HINT,
        )
    return CorruptFileError(
        f"The XML is malformed at line {line}, column {column}: {msg}.", hint=_REEXPORT_HINT
    )


def error_from(exc: Exception, *, what: str) -> ActivityFileError:
    """Our error for a failure while reading ``what`` (e.g. "GPX"): parser errors keep their
    line and column; anything else is reported as a damaged file."""
    if isinstance(exc, etree.XMLSyntaxError):
        return _parse_error(exc)
    return CorruptFileError(
        f"The {what} file could not be read ({type(exc).__name__}: {exc}).",
        hint=_REEXPORT_HINT,
    )


def read_or_refuse(parse: Callable[[bytes], T], data: bytes, *, what: str) -> T:
    """``parse(data)``, letting only our errors out whatever the input: any other failure
    becomes :func:`error_from`'s error for ``what``."""
    try:
        return parse(data)
    except BackstrideError:
        raise
    except Exception as exc:  # only our errors may leave a parser, whatever the input
        raise error_from(exc, what=what) from exc


NO_SANE_SAMPLES_HINT = (
    "The recording's clock or positions look broken (check the watch's date and time "
    "settings), or the file is damaged: export it again from your watch or app."
)


def with_hint(exc: CorruptFileError) -> CorruptFileError:
    """The domain's "nothing sane" error, with a hint for the runner when it has none."""
    return exc if exc.hint else CorruptFileError(exc.message, hint=NO_SANE_SAMPLES_HINT)


class ElementStream:
    """The chosen elements of a checked document, streamed by lxml.

    Iterate :attr:`events` (``(event, element)`` pairs; lxml's own iterator, for speed),
    then call :meth:`finish`. Parser errors raised while iterating are lxml's: pass them
    to :func:`error_from`.
    """

    def __init__(self, data: bytes, *, tags: Sequence[str]) -> None:
        self.prolog = check_prolog(data)
        self.events: Iterator[tuple[str, etree._Element]] = etree.iterparse(
            io.BytesIO(data),
            events=("end",),
            tag=tuple(tags),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            # Less to build and walk; values never are whitespace-only.
            remove_blank_text=True,
            remove_comments=True,
            remove_pis=True,
        )

    def finish(self) -> etree._Element:
        """The document's root, once every event has been read; checks the docinfo."""
        root: etree._Element | None = getattr(self.events, "root", None)
        if root is None:
            raise CorruptFileError("The XML has no elements.", hint=_REEXPORT_HINT)
        docinfo = root.getroottree().docinfo
        # Defence in depth: the prolog check already refuses these.
        doctype: str = getattr(docinfo, "doctype", "")
        if doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
            raise UnsafeFileError(
                "Refused to read the XML: it has a document type declaration (<!DOCTYPE ...>).",
                hint=_UNSAFE_HINT,
            )
        return root


def iter_elements(data: bytes, *, tags: Sequence[str]) -> ElementStream:
    """Check ``data`` and stream the elements named in ``tags`` (lxml names, ``{*}x`` allowed)."""
    return ElementStream(data, tags=tags)


def release(element: etree._Element) -> None:
    """Free an element that has been read, and the already-read siblings before it."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def release_before(element: etree._Element) -> None:
    """Free the already-read siblings before ``element`` in one go.

    ``element`` itself stays: lxml may still be building the elements after it.
    """
    parent = element.getparent()
    if parent is not None:
        del parent[: parent.index(element)]


def local_name(tag: object) -> str:
    """``{namespace}name`` → ``name``; comments and PIs (non-string tags) → ``""``."""
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


class TagKinds(dict[object, int]):
    """lxml tag → small int "kind", by local name, cached per full ``{namespace}name`` tag.

    GPX comes in three namespaces (1.0, 1.1, none) and extensions in many, so kinds are
    keyed by local name; the cache keeps the hot loops to one dict lookup per element.
    Unknown names (and comments) are kind 0.
    """

    def __init__(self, by_local_name: dict[str, int]) -> None:
        super().__init__()
        self._by_local_name = by_local_name

    def __missing__(self, tag: object) -> int:
        kind = self._by_local_name.get(local_name(tag), 0)
        self[tag] = kind
        return kind


def child_texts(element: etree._Element) -> dict[str, str]:
    """Direct children's stripped texts by local name (the first of each name wins)."""
    out: dict[str, str] = {}
    for child in element:
        name = local_name(child.tag)
        if name and name not in out:
            out[name] = (child.text or "").strip()
    return out
