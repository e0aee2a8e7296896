"""Walking the import's paths: files, folders and zip archives (nested ones included) into a
lazy, ordered stream of :class:`SourceFile` and :class:`SourceProblem` (see the package
docstring for the rules)."""

from __future__ import annotations

import dataclasses
import io
import os
import stat
import zipfile
from collections.abc import Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING

from backstride.adapters.files.archive.guard import (
    _HINT_BOMB,
    _ZIP_MAGICS,
    SourceLimits,
    SourceProblem,
    _cannot_open,
    _check_member,
    _describe_size,
    _is_activity_name,
    _is_hidden,
    _is_zip_name,
    _larger_than,
    _name_parts,
    _open_zip,
    _read_disk_capped,
    _read_member_capped,
    _Refused,
    _unsafe_member,
)
from backstride.adapters.files.archive.members import (
    SourceFile,
)
from backstride.adapters.files.archive.strava import (
    STRAVA_CSV_NAME,
    ActivityMeta,
    _strava_scope,
    _StravaScope,
)
from backstride.errors import UnsafeFileError

if TYPE_CHECKING:
    pass


_NO_CANDIDATES = (
    "no activity files found (looked for .fit, .gpx and .tcx files, also gzipped, "
    "and zip archives holding them)"
)


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
        budget = _Budget(limits.max_archive_bytes, files_left=limits.max_files)
        walk = _Walk(origin=path, chain=(), limits=limits, budget=budget)
        yield from _iter_archive(fh, walk=walk, display=display)


@dataclass(frozen=True, slots=True)
class _Walk:
    """Where a walk through one archive on disk (``origin``) stands: the archives opened inside
    it (``chain``), its limits, and what it may still spend (``budget``, shared by all)."""

    origin: Path
    chain: tuple[str, ...]
    limits: SourceLimits
    budget: _Budget

    def inside(self, member: str) -> _Walk:
        return replace(self, chain=(*self.chain, member))


def _iter_archive(
    fp: IO[bytes], *, walk: _Walk, display: str
) -> Iterator[SourceFile | SourceProblem]:
    origin, chain, limits, budget = walk.origin, walk.chain, walk.limits, walk.budget
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
                yield from _iter_nested(zf, info, walk=walk, display=member_display)
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
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, *, walk: _Walk, display: str
) -> Iterator[SourceFile | SourceProblem]:
    limits = walk.limits
    try:
        data = _read_member_capped(zf, info, max_bytes=limits.max_archive_bytes, limits=limits)
    except _Refused as refused:
        yield refused.to_problem(display)
        return
    with io.BytesIO(data) as inner:
        del data
        yield from _iter_archive(inner, walk=walk.inside(info.filename), display=display)


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
