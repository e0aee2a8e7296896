"""Turn the user's import arguments into a lazy stream of candidate activity files.

:func:`iter_sources` takes the paths given to ``backstride import`` (files, folders, zip
archives, Strava and Garmin bulk exports) and yields, in a deterministic order, one
:class:`SourceFile` per candidate activity file or one :class:`SourceProblem` for anything
that cannot even become a candidate (a missing path, a damaged or hostile archive, ...).
Nothing is parsed here and nothing is extracted to disk: a :class:`SourceFile` only records
where its bytes live, and :meth:`SourceFile.read_bytes` reads them on demand, in this process
or in a worker process (the object is picklable).

What is yielded:

* A file named explicitly is always yielded, whatever its extension, so that the parser can
  sniff it and explain; a file without a known extension that starts like a zip archive is
  opened as one.
* A folder is walked recursively in sorted order, following symbolic links but never
  entering the same folder twice (so link loops end). Hidden and system entries (names
  starting with ``.``, ``__MACOSX``, ``Thumbs.db``, ``desktop.ini``, ...) are skipped. Files
  ending in ``.fit``, ``.gpx`` or ``.tcx`` (any case, optionally ``.gz``) are yielded; ``.zip``
  files are opened as archives; everything else (``.json``, photos, other CSVs) is ignored.
* A zip archive is read with :mod:`zipfile`, members sorted by name, with the same rules.
  Zip archives inside it (Garmin's ``UploadedFiles_0-_Part1.zip``) are unpacked in memory and
  listed in turn, up to ``SourceLimits.max_depth`` archives deep.
* A folder or archive member named ``activities.csv`` whose header has ``Activity ID`` and
  ``Filename`` columns marks a Strava bulk export rooted at its folder: the row whose
  ``Filename`` matches a file attaches an :class:`ActivityMeta` to it, such a file is yielded
  whatever its extension, and every listed file the export lacks becomes a failed problem.
  Rows with an empty ``Filename`` (activities entered by hand on Strava, without a recording)
  are ignored: there is nothing to import for them.
* A folder or archive given explicitly that holds no candidate at all yields one *skipped*
  problem, so that the import report does not silently show nothing.

Safety (zip bombs, hostile archives). Member names that are absolute, carry a drive letter or
escape with ``..`` (backslashes count as separators), and symbolic-link members, are refused
as ``unsafe path in archive`` and never read. Encrypted members and unknown compression
methods are refused. An archive with more than ``max_members`` entries is refused before its
directory is loaded, and one holding more than ``max_files`` activity files (nested archives'
files included) is refused whole, or, when nested archives take it past that, from there on:
an archive of countless tiny files would otherwise cost a history entry and time per file.
A member is refused when its declared unpacked size exceeds
``max_file_bytes`` (``max_archive_bytes`` for a nested archive) or its declared unpacked/packed
ratio exceeds ``max_ratio``; the same limits are enforced again on the bytes actually
unpacked, because headers can lie. The ratio is only judged once a member unpacks to more than
1 MiB, so tiny, very repetitive files are not mistaken for bombs. Each top-level archive has
one budget of ``max_archive_bytes`` for the declared sizes of everything that would be unpacked
from it (candidate files, ``activities.csv`` excluded, and nested archives *plus* their
members, since both are unpacked); once spent, the remaining candidates become problems.
Ignored members (photos, JSON) do not count.

Damage inside a member (a bad CRC, truncated data) is only found when it is read, so
:meth:`SourceFile.read_bytes` reports it as :class:`~backstride.errors.CorruptFileError`; damage
found while listing (an unreadable archive, a broken nested archive) is a problem.

Gzip: a ``.gz`` file or member is returned still packed; ``parse_activity_bytes`` unpacks it
with its own cap (:func:`backstride.adapters.files.detect.gunzip_capped`).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import lzma
import os
import re
import stat
import struct
import threading
import zipfile
import zlib
from collections import OrderedDict
from collections.abc import Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Literal

from backstride.errors import ActivityFileError, CorruptFileError, UnsafeFileError

if TYPE_CHECKING:
    from backstride.config import Settings

__all__ = [
    "ActivityMeta",
    "SourceFile",
    "SourceLimits",
    "SourceProblem",
    "close_cached_archives",
    "iter_sources",
]

MIB = 1024 * 1024
ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx")
STRAVA_CSV_NAME = "activities.csv"

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
_NO_CANDIDATES = (
    "no activity files found (looked for .fit, .gpx and .tcx files, also gzipped, "
    "and zip archives holding them)"
)
_MISSING_FROM_EXPORT = "listed in activities.csv but missing from the export"

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
class ActivityMeta:
    """One row of a Strava export's ``activities.csv``; empty cells are ``None``.

    Values are the raw text of the columns ``Activity Name``, ``Activity Type``,
    ``Activity Gear``, ``Activity Description``, ``Activity ID`` and ``Activity Date``
    (``start_local``, not parsed here).
    """

    name: str | None
    sport_label: str | None
    gear: str | None
    description: str | None
    activity_id: str | None
    start_local: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceProblem:
    """Something that could not even become a :class:`SourceFile`."""

    display_path: str
    reason: str
    status: Literal["failed", "skipped"]


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceFile:
    """A candidate activity file, on disk or inside (nested) zip archives.

    ``display_path`` is what the user sees (``export.zip:activities/123.fit.gz``), ``name``
    the base name, ``size_bytes`` the packed size (on disk, or compressed in the archive).
    ``origin`` is the file on disk and ``members`` the chain of archive member names leading
    to the file (empty for a plain file). Only plain data is stored, so the object pickles.
    """

    display_path: str
    name: str
    size_bytes: int
    meta: ActivityMeta | None
    origin: Path
    limits: SourceLimits
    members: tuple[str, ...] = ()

    def read_bytes(self) -> bytes:
        """The file's bytes (still gzipped for ``.gz``), within :class:`SourceLimits`.

        Raises :class:`~backstride.errors.UnsafeFileError` (too large, zip bomb, unsafe
        path), :class:`~backstride.errors.CorruptFileError` (damaged archive) or
        :class:`~backstride.errors.ActivityFileError` (cannot open, encrypted, ...).
        """
        try:
            if not self.members:
                return _read_disk_capped(self.origin, max_bytes=self.limits.max_file_bytes)
            return _ARCHIVES.read(self)
        except _Refused as refused:
            raise refused.to_error(self.display_path) from refused.__cause__


def iter_sources(
    paths: Sequence[Path],
    *,
    limits: SourceLimits,
    labels: Mapping[Path, str] | None = None,
) -> Iterator[SourceFile | SourceProblem]:
    """Yield candidate activity files and problems for ``paths``, lazily, in a fixed order.

    Paths are handled in the order given and not de-duplicated (the importer recognises an
    activity seen twice); inside each folder or archive the order is sorted by name. See the
    module docstring for the rules. ``labels`` gives some paths the name the user knows them
    by (an uploaded file's own name): what is found in or under them is shown under it.
    """
    for path in paths:
        path = Path(path)
        label = (labels or {}).get(path)
        if label is None:
            yield from _iter_path(path, limits=limits)
            continue
        prefix = str(path)
        for item in _iter_path(path, limits=limits):
            shown = item.display_path
            if shown.startswith(prefix):
                shown = label + shown[len(prefix) :]
            yield dataclasses.replace(item, display_path=shown)


def close_cached_archives() -> None:
    """Close the archives :meth:`SourceFile.read_bytes` keeps open in this process.

    Reading many members of one archive reuses the opened archive (and the unpacked nested
    archive); an import calls this when it is done to release file handles and memory.
    """
    _ARCHIVES.clear()


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


# --- Strava activities.csv --------------------------------------------------------------

_CSV_COLUMNS = {
    "activity_id": "Activity ID",
    "start_local": "Activity Date",
    "name": "Activity Name",
    "sport_label": "Activity Type",
    "description": "Activity Description",
    "gear": "Activity Gear",
    "filename": "Filename",
}


def _parse_activities_csv(data: bytes) -> dict[str, ActivityMeta] | None:
    """Strava metadata by normalised ``Filename``; ``None`` if not a Strava activity list.

    Column headers repeat (two ``Distance`` columns), so each is found by first occurrence.
    Raises :class:`csv.Error` on malformed CSV.
    """
    text = data.decode("utf-8-sig", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        return None
    index: dict[str, int] = {}
    for i, title in enumerate(header):
        index.setdefault(title.strip(), i)
    if "Filename" not in index or "Activity ID" not in index:
        return None
    columns = {key: index.get(title) for key, title in _CSV_COLUMNS.items()}

    def cell(row: list[str], key: str) -> str | None:
        i = columns[key]
        if i is None or i >= len(row):
            return None
        return row[i].strip() or None

    metas: dict[str, ActivityMeta] = {}
    for row in reader:
        filename = cell(row, "filename")
        key = _normalise_name(filename) if filename else ""
        if not key:  # a manual entry on Strava: no recording to import
            continue
        metas[key] = ActivityMeta(
            name=cell(row, "name"),
            sport_label=cell(row, "sport_label"),
            gear=cell(row, "gear"),
            description=cell(row, "description"),
            activity_id=cell(row, "activity_id"),
            start_local=cell(row, "start_local"),
        )
    return metas


@dataclass(slots=True)
class _StravaScope:
    """The files an ``activities.csv`` lists, relative to its folder, and which were found."""

    metas: dict[str, ActivityMeta]
    display_root: str
    seen: set[str] = field(default_factory=set)

    def lookup(self, rel: str) -> ActivityMeta | None:
        """The row listing ``rel`` (marked as found), or ``None`` if it is not listed."""
        meta = self.metas.get(rel)
        if meta is not None:
            self.seen.add(rel)
        return meta

    def missing(self) -> Iterator[SourceProblem]:
        for rel in sorted(self.metas.keys() - self.seen):
            yield SourceProblem(
                display_path=f"{self.display_root}{rel}",
                reason=_MISSING_FROM_EXPORT,
                status="failed",
            )


def _strava_scope(data: bytes, *, display_root: str) -> _StravaScope | None:
    """The export an ``activities.csv`` describes; ``None`` if it is some other CSV."""
    try:
        metas = _parse_activities_csv(data)
    except csv.Error as exc:
        raise _Refused(
            f"could not read the Strava activity list ({exc}); "
            "its activities are imported without their Strava names",
            error=CorruptFileError,
            hint="Export your Strava data again.",
        ) from exc
    return None if metas is None else _StravaScope(metas=metas, display_root=display_root)


# --- walking paths ----------------------------------------------------------------------


def _iter_path(path: Path, *, limits: SourceLimits) -> Iterator[SourceFile | SourceProblem]:
    display = str(path)
    try:
        st = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        yield SourceProblem(display_path=display, reason="no such file or folder", status="failed")
        return
    except OSError as exc:
        yield _cannot_open(exc).to_problem(display)
        return
    if stat.S_ISDIR(st.st_mode):
        items = _walk_folder(path, limits=limits)
    elif stat.S_ISREG(st.st_mode):
        if _is_zip_name(path.name) or (not _is_activity_name(path.name) and _has_zip_magic(path)):
            items = _iter_archive_file(path, display=display, limits=limits)
        else:
            yield _disk_source(path, display=display, size=st.st_size, meta=None, limits=limits)
            return
    else:
        yield SourceProblem(
            display_path=display, reason="not a regular file or folder", status="failed"
        )
        return
    found = False
    for item in items:
        found = True
        yield item
    if not found:
        yield SourceProblem(display_path=display, reason=_NO_CANDIDATES, status="skipped")


def _has_zip_magic(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(4) in _ZIP_MAGICS
    except OSError:
        return False


def _disk_source(
    path: Path, *, display: str, size: int, meta: ActivityMeta | None, limits: SourceLimits
) -> SourceFile | SourceProblem:
    if size > limits.max_file_bytes:
        return _larger_than(limits.max_file_bytes).to_problem(display)
    return SourceFile(
        display_path=display, name=path.name, size_bytes=size, meta=meta, origin=path, limits=limits
    )


@dataclass(slots=True)
class _Folder:
    path: Path
    parts: tuple[str, ...]
    entries: Iterator[os.DirEntry[str]]
    scope: _StravaScope | None
    scope_depth: int
    owns_scope: bool


def _enter_folder(
    path: Path,
    *,
    parts: tuple[str, ...],
    parent: _Folder | None,
    visited: set[tuple[int, int]],
    limits: SourceLimits,
) -> Generator[SourceProblem, None, _Folder | None]:
    """List one folder (sorted), yielding its problems; ``None`` if seen before or unreadable.

    A folder is identified by device and inode, so a link back up the tree ends the walk.
    """
    try:
        st = path.stat()
        identity = (st.st_dev, st.st_ino)
        if identity in visited:
            return None
        visited.add(identity)
        with os.scandir(path) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        yield SourceProblem(
            display_path=str(path),
            reason=f"cannot open the folder ({exc.strerror or exc})",
            status="failed",
        )
        return None
    folder = _Folder(
        path=path,
        parts=parts,
        entries=iter(entries),
        scope=parent.scope if parent else None,
        scope_depth=parent.scope_depth if parent else 0,
        owns_scope=False,
    )
    csv_entry = next((e for e in entries if e.name == STRAVA_CSV_NAME), None)
    if csv_entry is None or not _entry_is_file(csv_entry):
        return folder
    csv_path = path / STRAVA_CSV_NAME
    try:
        data = _read_disk_capped(csv_path, max_bytes=limits.max_file_bytes)
        scope = _strava_scope(data, display_root=f"{path}{os.sep}")
    except _Refused as refused:
        yield refused.to_problem(str(csv_path))
        return folder
    if scope is not None:
        folder.scope, folder.scope_depth, folder.owns_scope = scope, len(parts), True
    return folder


def _entry_is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def _walk_folder(root: Path, *, limits: SourceLimits) -> Iterator[SourceFile | SourceProblem]:
    """Depth-first, sorted walk without recursion (deep trees cannot overflow the stack)."""
    visited: set[tuple[int, int]] = set()
    first = yield from _enter_folder(root, parts=(), parent=None, visited=visited, limits=limits)
    stack = [first] if first else []
    while stack:
        folder = stack[-1]
        entry = next(folder.entries, None)
        if entry is None:
            stack.pop()
            if folder.owns_scope and folder.scope is not None:
                yield from folder.scope.missing()
            continue
        if _is_hidden(entry.name):
            continue
        path = folder.path / entry.name
        parts = (*folder.parts, entry.name)
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            child = yield from _enter_folder(
                path, parts=parts, parent=folder, visited=visited, limits=limits
            )
            if child is not None:
                stack.append(child)
            continue
        meta = None
        if folder.scope is not None:
            meta = folder.scope.lookup("/".join(parts[folder.scope_depth :]))
        listed = meta is not None
        if not listed and not _is_activity_name(entry.name) and not _is_zip_name(entry.name):
            continue
        display = str(path)
        try:
            st = entry.stat()
        except OSError as exc:
            yield _cannot_open(exc).to_problem(display)
            continue
        if not stat.S_ISREG(st.st_mode):
            continue
        if _is_zip_name(entry.name) and not listed:
            yield from _iter_archive_file(path, display=display, limits=limits)
        else:
            yield _disk_source(path, display=display, size=st.st_size, meta=meta, limits=limits)


# --- listing archives -------------------------------------------------------------------


@dataclass(slots=True)
class _Budget:
    """What one top-level archive may cost: declared bytes unpacked, and activity files."""

    limit: int
    files_left: int
    used: int = 0
    spent: bool = False
    files_refused: bool = False

    def take(self, n_bytes: int) -> bool:
        if self.spent or self.used + n_bytes > self.limit:
            self.spent = True
            return False
        self.used += n_bytes
        return True


def _too_many_files(limits: SourceLimits) -> _Refused:
    return _Refused(
        f"the archive holds more than {limits.max_files:,} activity files; backstride reads at "
        "most that many from one archive (a guard against archives of countless tiny files)",
        error=UnsafeFileError,
        hint="Unpack the archive and import its folder, or raise max_archive_files if you "
        "trust it.",
    )


def _iter_archive_file(
    path: Path, *, display: str, limits: SourceLimits
) -> Iterator[SourceFile | SourceProblem]:
    try:
        fh = path.open("rb")
    except OSError as exc:
        yield _cannot_open(exc).to_problem(display)
        return
    with fh:
        yield from _iter_archive(
            fh,
            origin=path,
            chain=(),
            display=display,
            limits=limits,
            budget=_Budget(limits.max_archive_bytes, files_left=limits.max_files),
        )


def _iter_archive(
    fp: IO[bytes],
    *,
    origin: Path,
    chain: tuple[str, ...],
    display: str,
    limits: SourceLimits,
    budget: _Budget,
) -> Iterator[SourceFile | SourceProblem]:
    try:
        zf = _open_zip(fp, limits=limits)
    except _Refused as refused:
        yield refused.to_problem(display)
        return
    with zf:
        infos = sorted((i for i in zf.infolist() if not i.is_dir()), key=lambda i: i.filename)
        scopes = yield from _archive_scopes(zf, infos, display=display, limits=limits)
        if not chain and sum(1 for i in infos if _is_candidate(i, scopes)) > limits.max_files:
            yield _too_many_files(limits).to_problem(display)
            return
        seen_names: set[str] = set()
        for info in infos:
            if budget.files_refused:
                return
            member_display = f"{display}:{info.filename}"
            unsafe = _unsafe_member(info)
            if unsafe is not None:
                yield unsafe.to_problem(member_display)
                continue
            parts = _name_parts(info.filename)
            if not parts or any(_is_hidden(p) for p in parts):
                continue
            meta = _lookup_scopes(scopes, parts)
            listed = meta is not None
            is_zip = _is_zip_name(parts[-1]) and not listed
            if not (listed or is_zip or _is_activity_name(parts[-1])):
                continue
            if not is_zip:
                if budget.files_left <= 0:
                    budget.files_refused = True
                    yield _too_many_files(limits).to_problem(display)
                    return
                budget.files_left -= 1
            if info.filename in seen_names:
                yield SourceProblem(
                    display_path=member_display,
                    reason="the archive holds more than one entry with this name",
                    status="failed",
                )
                continue
            seen_names.add(info.filename)
            max_bytes = limits.max_archive_bytes if is_zip else limits.max_file_bytes
            try:
                _check_member(info, max_bytes=max_bytes, limits=limits)
                if is_zip and len(chain) + 2 > limits.max_depth:
                    raise _Refused(
                        f"archives nested more than {limits.max_depth} deep",
                        error=UnsafeFileError,
                        hint=_HINT_BOMB,
                    )
                if not budget.take(info.file_size):
                    raise _Refused(
                        "not read: the archive unpacks to more than "
                        f"{_describe_size(budget.limit)} in total (zip-bomb guard)",
                        error=UnsafeFileError,
                        hint=_HINT_BOMB,
                    )
            except _Refused as refused:
                yield refused.to_problem(member_display)
                continue
            if is_zip:
                yield from _iter_nested(
                    zf,
                    info,
                    origin=origin,
                    chain=chain,
                    display=member_display,
                    limits=limits,
                    budget=budget,
                )
                continue
            yield SourceFile(
                display_path=member_display,
                name=parts[-1],
                size_bytes=info.compress_size,
                meta=meta,
                origin=origin,
                limits=limits,
                members=(*chain, info.filename),
            )
        for item in scopes:
            yield from item.scope.missing()


def _iter_nested(
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    *,
    origin: Path,
    chain: tuple[str, ...],
    display: str,
    limits: SourceLimits,
    budget: _Budget,
) -> Iterator[SourceFile | SourceProblem]:
    try:
        data = _read_member_capped(zf, info, max_bytes=limits.max_archive_bytes, limits=limits)
    except _Refused as refused:
        yield refused.to_problem(display)
        return
    with io.BytesIO(data) as inner:
        del data
        yield from _iter_archive(
            inner,
            origin=origin,
            chain=(*chain, info.filename),
            display=display,
            limits=limits,
            budget=budget,
        )


def _archive_scopes(
    zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], *, display: str, limits: SourceLimits
) -> Generator[SourceProblem, None, list[_ArchiveScope]]:
    """The Strava exports in this archive, deepest folder first; yields unreadable lists."""
    scopes: list[_ArchiveScope] = []
    for info in infos:
        parts = _name_parts(info.filename)
        if not parts or parts[-1] != STRAVA_CSV_NAME or _unsafe_member(info) is not None:
            continue
        if any(_is_hidden(p) for p in parts):
            continue
        member_display = f"{display}:{info.filename}"
        folder = tuple(parts[:-1])
        root = "".join(f"{p}/" for p in folder)
        try:
            data = _read_member_capped(zf, info, max_bytes=limits.max_file_bytes, limits=limits)
            scope = _strava_scope(data, display_root=f"{display}:{root}")
        except _Refused as refused:
            yield refused.to_problem(member_display)
            continue
        if scope is not None:
            scopes.append(_ArchiveScope(folder=folder, scope=scope))
    scopes.sort(key=lambda s: len(s.folder), reverse=True)
    return scopes


def _is_candidate(info: zipfile.ZipInfo, scopes: list[_ArchiveScope]) -> bool:
    """Whether listing would yield this member as a file to read (or a nested archive)."""
    parts = _name_parts(info.filename)
    if not parts or any(_is_hidden(p) for p in parts) or _unsafe_member(info) is not None:
        return False
    return (
        _lookup_scopes(scopes, parts, mark=False) is not None
        or _is_zip_name(parts[-1])
        or _is_activity_name(parts[-1])
    )


@dataclass(frozen=True, slots=True)
class _ArchiveScope:
    folder: tuple[str, ...]
    scope: _StravaScope


def _lookup_scopes(
    scopes: list[_ArchiveScope], parts: list[str], *, mark: bool = True
) -> ActivityMeta | None:
    """Metadata for a member from the innermost Strava export that holds it (``mark``: note
    the listed file as found)."""
    for item in scopes:
        depth = len(item.folder)
        if len(parts) > depth and tuple(parts[:depth]) == item.folder:
            rel = "/".join(parts[depth:])
            return item.scope.lookup(rel) if mark else item.scope.metas.get(rel)
    return None


# --- reading members later (any process) ------------------------------------------------


@dataclass(slots=True)
class _OpenArchive:
    zf: zipfile.ZipFile
    handle: IO[bytes]
    held_bytes: int  # a nested archive unpacked in memory; 0 for a file on disk


class _ArchiveCache:
    """The few archives :meth:`SourceFile.read_bytes` opened last in this process.

    Reading the members of an archive one by one would otherwise re-read its directory, and
    unpack a nested archive again, for every member. Keyed by the file's identity (device,
    inode, size, modification time), so a changed file is opened afresh. At most
    ``max_entries`` archives stay open, and unpacked nested archives beyond
    ``max_archive_bytes`` in total are dropped, oldest first (the newest is always kept).
    Reads are serialised by a lock, so threads may share it. A forked child drops what it
    inherited: file offsets are shared with the parent across ``fork``.
    """

    def __init__(self, *, max_entries: int = 4) -> None:
        self._max_entries = max_entries
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[object, ...], _OpenArchive] = OrderedDict()

    def forget_after_fork(self) -> None:
        self._lock = threading.Lock()
        self._entries = OrderedDict()

    def clear(self) -> None:
        with self._lock:
            while self._entries:
                _, entry = self._entries.popitem()
                entry.zf.close()
                entry.handle.close()

    def read(self, source: SourceFile) -> bytes:
        limits = source.limits
        with self._lock:
            try:
                st = source.origin.stat()
            except OSError as exc:
                raise _cannot_open(exc) from exc
            identity = (str(source.origin), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
            zf = self._open(identity, source.origin, source.members[:-1], limits)
            try:
                info = zf.getinfo(source.members[-1])
            except KeyError as exc:
                raise _Refused(
                    "it is no longer in the archive",
                    error=CorruptFileError,
                    hint="The archive changed since it was listed; import it again.",
                ) from exc
            return _read_member_capped(zf, info, max_bytes=limits.max_file_bytes, limits=limits)

    def _open(
        self,
        identity: tuple[object, ...],
        origin: Path,
        chain: tuple[str, ...],
        limits: SourceLimits,
    ) -> zipfile.ZipFile:
        key = (*identity, chain, limits)
        hit = self._entries.get(key)
        if hit is not None:
            self._entries.move_to_end(key)
            return hit.zf
        handle: IO[bytes]
        held_bytes = 0
        if not chain:
            try:
                handle = origin.open("rb")
            except OSError as exc:
                raise _cannot_open(exc) from exc
        else:
            if len(chain) + 1 > limits.max_depth:
                raise _Refused(
                    f"archives nested more than {limits.max_depth} deep",
                    error=UnsafeFileError,
                    hint=_HINT_BOMB,
                )
            parent = self._open(identity, origin, chain[:-1], limits)
            try:
                info = parent.getinfo(chain[-1])
            except KeyError as exc:
                raise _Refused(
                    f"the archive {chain[-1]!r} holding it is no longer there",
                    error=CorruptFileError,
                    hint="The archive changed since it was listed; import it again.",
                ) from exc
            try:
                data = _read_member_capped(
                    parent, info, max_bytes=limits.max_archive_bytes, limits=limits
                )
            except _Refused as refused:
                raise _Refused(
                    f"the archive {chain[-1]!r} holding it: {refused.reason}",
                    error=refused.error,
                    hint=refused.hint,
                ) from refused.__cause__
            held_bytes = len(data)
            handle = io.BytesIO(data)
        try:
            zf = _open_zip(handle, limits=limits)
        except _Refused:
            handle.close()
            raise
        self._entries[key] = _OpenArchive(zf=zf, handle=handle, held_bytes=held_bytes)
        while len(self._entries) > 1 and (
            len(self._entries) > self._max_entries
            or sum(e.held_bytes for e in self._entries.values()) > limits.max_archive_bytes
        ):
            _, old = self._entries.popitem(last=False)
            old.zf.close()
            old.handle.close()
        return zf


_ARCHIVES = _ArchiveCache()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_ARCHIVES.forget_after_fork)
