"""A candidate file's bytes, read on demand in any process: from disk, or from (nested) zip
archives kept open in a small per-process cache."""

from __future__ import annotations

import io
import os
import threading
import zipfile
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from backstride.adapters.files.archive.guard import (
    _HINT_BOMB,
    SourceLimits,
    _cannot_open,
    _open_zip,
    _read_disk_capped,
    _read_member_capped,
    _Refused,
)
from backstride.adapters.files.archive.strava import (
    ActivityMeta,
)
from backstride.errors import CorruptFileError, UnsafeFileError

if TYPE_CHECKING:
    pass


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


def close_cached_archives() -> None:
    """Close the archives :meth:`SourceFile.read_bytes` keeps open in this process.

    Reading many members of one archive reuses the opened archive (and the unpacked nested
    archive); an import calls this when it is done to release file handles and memory.
    """
    _ARCHIVES.clear()


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
