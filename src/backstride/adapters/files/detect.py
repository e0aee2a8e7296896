"""Format sniffing, gzip unpacking and dispatch to the format parsers."""

from __future__ import annotations

import enum
import zlib
from pathlib import Path

from backstride.domain.activity import Activity
from backstride.errors import (
    ActivityFileError,
    CorruptFileError,
    UnsafeFileError,
    UnsupportedFormatError,
)

DEFAULT_MAX_BYTES = 200 * 1024 * 1024


class FileFormat(enum.StrEnum):
    FIT = "fit"
    GPX = "gpx"
    TCX = "tcx"


_SUFFIXES = {".fit": FileFormat.FIT, ".gpx": FileFormat.GPX, ".tcx": FileFormat.TCX}


def format_from_name(name: str) -> tuple[FileFormat | None, bool]:
    """(format by extension, gzipped?) for a file name such as ``run.fit.gz``."""
    lower = name.lower()
    gz = lower.endswith(".gz")
    if gz:
        lower = lower[:-3]
    return _SUFFIXES.get(Path(lower).suffix), gz


def gunzip_capped(data: bytes, *, name: str, max_bytes: int) -> bytes:
    """Unpack gzip bytes, refusing output larger than ``max_bytes`` (a gzip bomb)."""
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = d.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise CorruptFileError(
            f"Could not unpack '{name}': the gzip data is damaged ({exc}).",
            hint="Download or export the file again.",
        ) from exc
    if len(out) > max_bytes or d.unconsumed_tail:
        raise UnsafeFileError(
            f"Could not import '{name}': it unpacks to more than {max_bytes // (1024 * 1024)} MB.",
            hint="That is far larger than any real activity; the file may be a zip bomb.",
        )
    if not d.eof:
        raise CorruptFileError(
            f"Could not unpack '{name}': the gzip data ends early.",
            hint="Download or export the file again.",
        )
    return out


def detect_format(data: bytes, name: str = "") -> FileFormat:
    """Identify FIT, GPX or TCX from the content (the extension only breaks ties)."""
    if len(data) >= 12 and data[8:12] == b".FIT":
        return FileFormat.FIT
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<") or head.startswith(b"\xff\xfe") or head.startswith(b"\xfe\xff"):
        if b"<gpx" in head or b"topografix.com/gpx" in head:
            return FileFormat.GPX
        if b"<trainingcenterdatabase" in head or b"trainingcenterdatabase" in head:
            return FileFormat.TCX
        by_name, _ = format_from_name(name)
        if by_name in (FileFormat.GPX, FileFormat.TCX):
            return by_name
        raise UnsupportedFormatError(
            f"Could not read '{name or 'the file'}': it is XML, but neither GPX nor TCX.",
            hint="backstride reads FIT, GPX and TCX activity files.",
        )
    by_name, _ = format_from_name(name)
    what = f"a {by_name.value.upper()} file" if by_name else "an activity file"
    raise UnsupportedFormatError(
        f"Could not read '{name or 'the file'}': it does not look like {what}.",
        hint="backstride reads FIT, GPX and TCX activity files (optionally gzipped).",
    )


def parse_activity_bytes(
    data: bytes, name: str = "", *, max_bytes: int = DEFAULT_MAX_BYTES
) -> list[Activity]:
    """Parse one activity file's bytes (gzip allowed) into every activity it holds."""
    label = name or "the file"
    if not data:
        raise CorruptFileError(
            f"Could not read '{label}': the file is empty (0 bytes).",
            hint="Export the activity again from your watch or app.",
        )
    if len(data) > max_bytes:
        raise UnsafeFileError(
            f"Could not import '{label}': it is larger than {max_bytes // (1024 * 1024)} MB.",
            hint="Raise max_file_mb in the settings if this really is one activity.",
        )
    if data[:2] == b"\x1f\x8b":
        data = gunzip_capped(data, name=label, max_bytes=max_bytes)
        if not data:
            raise CorruptFileError(
                f"Could not read '{label}': it unpacks to an empty file.",
                hint="Export the activity again from your watch or app.",
            )
    fmt = detect_format(data, name)
    try:
        if fmt is FileFormat.FIT:
            from backstride.adapters.files.fit import parse_fit

            return parse_fit(data)
        if fmt is FileFormat.GPX:
            from backstride.adapters.files.gpx import parse_gpx

            return parse_gpx(data)
        from backstride.adapters.files.tcx import parse_tcx

        return parse_tcx(data)
    except ActivityFileError as exc:
        if name and name not in exc.message:
            exc.message = f"'{name}': {exc.message}"
            exc.args = (exc.message,)
        raise


def read_activity(path: Path | str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Activity]:
    """Read every activity in the file at ``path`` (FIT, GPX, TCX, optionally ``.gz``)."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > max_bytes and not p.name.lower().endswith(".gz"):
            raise UnsafeFileError(
                f"Could not import '{p.name}': it is larger than {max_bytes // (1024 * 1024)} MB.",
                hint="Raise max_file_mb in the settings if this really is one activity.",
            )
        data = p.read_bytes()
    except OSError as exc:
        raise ActivityFileError(
            f"Could not open '{p}': {exc.strerror or exc}.",
            hint="Check that the path exists and that you may read it.",
        ) from exc
    return parse_activity_bytes(data, p.name, max_bytes=max_bytes)
