"""The zip guard: the caps an import reads within (:class:`SourceLimits`), member names that
may be read, and reads that stop at the caps (zip bombs, hostile archives; see the package
docstring). Every refusal is a :class:`_Refused` that becomes a :class:`SourceProblem` or the
matching error."""

from __future__ import annotations

import io
import lzma
import os
import re
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Literal

from backstride.errors import ActivityFileError, CorruptFileError, UnsafeFileError

if TYPE_CHECKING:
    from backstride.config import Settings


MIB = 1024 * 1024
ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx")

_RATIO_FLOOR_BYTES = MIB
_CHUNK_BYTES = MIB
_SUPPORTED_METHODS = frozenset(
    {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
)
_FLAG_ENCRYPTED = 0x1
_FLAG_STRONG_ENCRYPTION = 0x40
_SYSTEM_NAMES = frozenset(
    {"__macosx", "thumbs.db", "desktop.ini", "$recycle.bin", "system volume information"}
)
_DRIVE = re.compile(r"^[A-Za-z]:")
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")

_HINT_BOMB = (
    "That is far larger than any real activity file; the archive may be a zip bomb. "
    "Raise max_file_mb, max_archive_mb or max_compression_ratio only if you trust it."
)
_HINT_DAMAGED = "Download or export the archive again."
_HINT_OPEN = "Check that the path exists and that you may read it."
_HINT_ENCRYPTED = "Export the activities again without a password."
_HINT_UNSAFE = "Do not import this archive; it tries to reach outside itself."
_HINT_METHOD = "Unpack the archive with your system's archive tool and import the folder."


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceLimits:
    """Caps that guard against zip bombs and huge files (all sizes in bytes)."""

    max_file_bytes: int
    max_archive_bytes: int
    max_ratio: float
    max_members: int = 100_000
    max_depth: int = 3
    max_files: int = 10_000

    @classmethod
    def from_settings(cls, settings: Settings) -> SourceLimits:
        """Limits from ``max_file_mb``, ``max_archive_mb``, ``max_compression_ratio`` and
        ``max_archive_files``."""
        return cls(
            max_file_bytes=int(settings.max_file_mb * MIB),
            max_archive_bytes=int(settings.max_archive_mb * MIB),
            max_ratio=settings.max_compression_ratio,
            max_files=settings.max_archive_files,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceProblem:
    """Something that could not even become a :class:`SourceFile`."""

    display_path: str
    reason: str
    status: Literal["failed", "skipped"]


# --- refusals ---------------------------------------------------------------------------


class _Refused(Exception):
    """Internal: why something cannot be used; a problem while listing, an error on read."""

    def __init__(self, reason: str, *, error: type[ActivityFileError], hint: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.error = error
        self.hint = hint

    def to_error(self, display: str) -> ActivityFileError:
        return self.error(f"Could not import '{display}': {self.reason}.", hint=self.hint)

    def to_problem(self, display: str) -> SourceProblem:
        return SourceProblem(display_path=display, reason=self.reason, status="failed")


def _describe_size(n_bytes: float) -> str:
    if n_bytes >= MIB:
        return f"{n_bytes / MIB:.1f}".removesuffix(".0") + " MB"
    return f"{int(n_bytes)} bytes"


def _too_big(max_bytes: int) -> _Refused:
    return _Refused(
        f"it unpacks to more than {_describe_size(max_bytes)} (zip-bomb guard)",
        error=UnsafeFileError,
        hint=_HINT_BOMB,
    )


def _ratio_exceeded(unpacked: int, packed: int, max_ratio: float) -> bool:
    return unpacked > _RATIO_FLOOR_BYTES and unpacked > max_ratio * max(packed, 1)


def _too_dense(unpacked: int, packed: int, max_ratio: float) -> _Refused:
    ratio = unpacked / max(packed, 1)
    return _Refused(
        f"it unpacks to {ratio:.0f} times its packed size, more than the {max_ratio:g} "
        "allowed (zip-bomb guard)",
        error=UnsafeFileError,
        hint=_HINT_BOMB,
    )


def _damaged(exc: BaseException) -> _Refused:
    detail = str(exc) or type(exc).__name__
    return _Refused(
        f"the archive is damaged ({detail})", error=CorruptFileError, hint=_HINT_DAMAGED
    )


def _cannot_open(exc: OSError) -> _Refused:
    return _Refused(
        f"cannot open it ({exc.strerror or exc})", error=ActivityFileError, hint=_HINT_OPEN
    )


# --- names ------------------------------------------------------------------------------


def _name_parts(name: str) -> list[str]:
    """Path components of a member or relative name; ``\\`` is a separator, ``.`` dropped."""
    return [p for p in name.replace("\\", "/").split("/") if p not in ("", ".")]


def _normalise_name(name: str) -> str:
    return "/".join(_name_parts(name))


def _is_hidden(part: str) -> bool:
    return part.startswith(".") or part.lower() in _SYSTEM_NAMES


def _is_activity_name(name: str) -> bool:
    lower = name.lower()
    if lower.endswith(".gz"):
        lower = lower[:-3]
    return lower.endswith(ACTIVITY_SUFFIXES)


def _is_zip_name(name: str) -> bool:
    return name.lower().endswith(".zip")


def _unsafe_member(info: zipfile.ZipInfo) -> _Refused | None:
    name = info.filename
    unified = name.replace("\\", "/")
    why = None
    if unified.startswith("/") or _DRIVE.match(unified):
        why = "is absolute"
    elif ".." in unified.split("/"):
        why = "leaves the archive folder"
    elif stat.S_ISLNK(info.external_attr >> 16):
        why = "is a symbolic link"
    if why is None:
        return None
    return _Refused(
        f"unsafe path in archive: {name!r} {why}", error=UnsafeFileError, hint=_HINT_UNSAFE
    )


def _check_member(info: zipfile.ZipInfo, *, max_bytes: int, limits: SourceLimits) -> None:
    """Refuse a member up front from its (declared) header values."""
    unsafe = _unsafe_member(info)
    if unsafe is not None:
        raise unsafe
    if info.flag_bits & (_FLAG_ENCRYPTED | _FLAG_STRONG_ENCRYPTION):
        raise _Refused(
            "encrypted (password-protected); backstride cannot read it",
            error=ActivityFileError,
            hint=_HINT_ENCRYPTED,
        )
    if info.compress_type not in _SUPPORTED_METHODS:
        raise _Refused(
            f"compressed with a method backstride cannot unpack (method {info.compress_type})",
            error=ActivityFileError,
            hint=_HINT_METHOD,
        )
    if info.file_size > max_bytes:
        raise _too_big(max_bytes)
    if _ratio_exceeded(info.file_size, info.compress_size, limits.max_ratio):
        raise _too_dense(info.file_size, info.compress_size, limits.max_ratio)


# --- reading with caps ------------------------------------------------------------------


def _read_member_capped(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, *, max_bytes: int, limits: SourceLimits
) -> bytes:
    """Unpack one member, counting the bytes actually produced against the caps."""
    _check_member(info, max_bytes=max_bytes, limits=limits)
    chunks: list[bytes] = []
    total = 0
    try:
        with zf.open(info) as stream:
            while chunk := stream.read(_CHUNK_BYTES):
                total += len(chunk)
                if total > max_bytes:
                    raise _too_big(max_bytes)
                if _ratio_exceeded(total, info.compress_size, limits.max_ratio):
                    raise _too_dense(total, info.compress_size, limits.max_ratio)
                chunks.append(chunk)
    except (
        zipfile.BadZipFile,
        zlib.error,
        lzma.LZMAError,
        EOFError,
        OSError,
        ValueError,
        struct.error,
    ) as exc:
        raise _damaged(exc) from exc
    except NotImplementedError as exc:
        raise _Refused(
            f"compressed in a way backstride cannot unpack ({exc})",
            error=ActivityFileError,
            hint=_HINT_METHOD,
        ) from exc
    except RuntimeError as exc:  # zipfile: "File ... is encrypted, password required"
        raise _Refused(
            "encrypted (password-protected); backstride cannot read it",
            error=ActivityFileError,
            hint=_HINT_ENCRYPTED,
        ) from exc
    if total != info.file_size:
        raise _damaged(ValueError("its size does not match the archive directory"))
    return b"".join(chunks)


def _read_disk_capped(path: Path, *, max_bytes: int) -> bytes:
    """Read a regular file of at most ``max_bytes``; never blocks on a FIFO."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode):
                raise _Refused("it is not a regular file", error=ActivityFileError, hint=_HINT_OPEN)
            if st.st_size > max_bytes:
                raise _larger_than(max_bytes)
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise _cannot_open(exc) from exc
    if len(data) > max_bytes:
        raise _larger_than(max_bytes)
    return data


def _larger_than(max_bytes: int) -> _Refused:
    return _Refused(
        f"it is larger than {_describe_size(max_bytes)}",
        error=UnsafeFileError,
        hint="Raise max_file_mb in the settings if this really is one activity.",
    )


def _count_zip_entries(fp: IO[bytes], *, stop_after: int) -> int | None:
    """Entries in a zip's central directory, counted without loading it.

    Walks the directory records (zipfile keeps one object per entry, so a hostile directory
    could otherwise exhaust memory). Stops once past ``stop_after``. ``None`` when the
    directory cannot be found; :class:`zipfile.ZipFile` then explains what is wrong.
    """
    eocd = struct.Struct("<4s4H2LH")
    fp.seek(0, io.SEEK_END)
    size = fp.tell()
    tail_len = min(size, eocd.size + 0xFFFF)
    fp.seek(size - tail_len)
    tail = fp.read(tail_len)
    pos = tail.rfind(b"PK\x05\x06")
    if pos < 0 or tail_len - pos < eocd.size:
        return None
    _, _, _, _, declared, cd_size, cd_offset, _ = eocd.unpack_from(tail, pos)
    record_at = size - tail_len + pos
    if declared == 0xFFFF or cd_size == 0xFFFFFFFF or cd_offset == 0xFFFFFFFF:  # zip64
        fp.seek(max(record_at - 20, 0))
        locator = fp.read(20)
        if record_at >= 76 and locator[:4] == b"PK\x06\x07":
            fp.seek(record_at - 76)
            record = fp.read(56)
            if record[:4] == b"PK\x06\x06":
                cd_size = struct.unpack_from("<Q", record, 40)[0]
                record_at -= 76
    start = record_at - cd_size
    if start < 0:
        return None
    fp.seek(start)
    count = 0
    remaining = cd_size
    while remaining >= 46 and count <= stop_after:
        head = fp.read(46)
        if len(head) < 46 or head[:4] != b"PK\x01\x02":
            break
        name_len, extra_len, comment_len = struct.unpack_from("<3H", head, 28)
        skip = name_len + extra_len + comment_len
        fp.seek(skip, io.SEEK_CUR)
        remaining -= 46 + skip
        count += 1
    return count


def _open_zip(fp: IO[bytes], *, limits: SourceLimits) -> zipfile.ZipFile:
    """Open an archive after checking its entry count; raises :class:`_Refused`."""
    try:
        count = _count_zip_entries(fp, stop_after=limits.max_members)
        fp.seek(0)
        if count is not None and count > limits.max_members:
            raise _Refused(
                f"the archive holds more than {limits.max_members} entries (zip-bomb guard)",
                error=UnsafeFileError,
                hint=_HINT_BOMB,
            )
        return zipfile.ZipFile(fp)
    except zipfile.BadZipFile as exc:
        raise _not_a_zip(fp, exc) from exc
    except (OSError, EOFError, ValueError, struct.error, NotImplementedError) as exc:
        raise _damaged(exc) from exc


def _not_a_zip(fp: IO[bytes], exc: zipfile.BadZipFile) -> _Refused:
    try:
        fp.seek(0)
        head = fp.read(4)
    except OSError:
        head = b""
    if str(exc) == "File is not a zip file":
        if head not in _ZIP_MAGICS:
            return _Refused(
                "not a zip archive (the file does not start like one)",
                error=CorruptFileError,
                hint="Check that this is the export you downloaded.",
            )
        return _Refused(
            "the archive is damaged or incomplete (its directory at the end is missing; "
            "was the download cut short?)",
            error=CorruptFileError,
            hint=_HINT_DAMAGED,
        )
    return _damaged(exc)
