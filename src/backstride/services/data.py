"""The runner's data in her hands: export everything to one zip, import such an archive into an
empty database, back up a live SQLite database, and delete everything (docs/data.md).

Archive layout (``format_version`` 1)::

    backstride-export.json          manifest: format, schema revision, row counts, originals
    tables/<table>.json             {"table", "columns": [[name, kind]], "rows": [{...}]}
    originals/<sha256>/<file name>  each imported file exactly as it was imported

``original_files`` rows carry ``"data": "originals/<sha256>/<file name>"`` (the path of the
bytes in the archive) instead of the compressed blob.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from backstride import __version__
from backstride.adapters.db.data_repos import compress_original, decompress_original
from backstride.adapters.db.engine import (
    _alembic_config,
    current_revision,
    head_revision,
    is_file_sqlite,
)
from backstride.adapters.db.snapshot import (
    backup_sqlite,
    compact_sqlite,
    count_rows,
    data_tables,
    insert_rows,
    iter_rows,
    reflect,
    reset_sequences,
    shape_of,
    wipe_rows,
)
from backstride.errors import ConflictError, InvalidInputError, StorageError
from backstride.services import day_cache
from backstride.services.context import App
from backstride.services.dashboard import jobs_root, uploads_root

FORMAT = "backstride-export"
FORMAT_VERSION = 1
MANIFEST = "backstride-export.json"
ORIGINALS_TABLE = "original_files"
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def is_export_archive(path: Path) -> bool:
    """Whether ``path`` is a zip written by :func:`export_archive` (has the manifest)."""
    if not path.is_file() or not zipfile.is_zipfile(path):
        return False
    try:
        with zipfile.ZipFile(path) as zf:
            return MANIFEST in zf.namelist()
    except (OSError, zipfile.BadZipFile):
        return False


def _original_path(content_hash: str, file_name: str) -> str:
    base = PurePosixPath(file_name.replace("\\", "/")).name
    base = base.split(":")[-1]  # "archive.zip:inner/file.fit" -> the inner name
    safe = _SAFE_NAME.sub("_", PurePosixPath(base).name).strip("._") or "file"
    return f"originals/{content_hash}/{safe[:120]}"


@dataclass(frozen=True, slots=True)
class ExportSummary:
    path: Path
    tables: dict[str, int]
    originals: int
    size_bytes: int

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "tables": self.tables,
            "rows": sum(self.tables.values()),
            "originals": self.originals,
            "size_bytes": self.size_bytes,
        }


def _write_table(
    zf: zipfile.ZipFile, name: str, header: dict[str, Any], rows: Iterator[dict[str, Any]]
) -> int:
    count = 0
    with zf.open(f"tables/{name}.json", "w", force_zip64=True) as out:
        head = json.dumps(header, ensure_ascii=False)[:-1]  # drop the closing brace
        out.write(f'{head}, "rows": [\n'.encode())
        for row in rows:
            if count:
                out.write(b",\n")
            out.write(json.dumps(row, ensure_ascii=False, allow_nan=False).encode())
            count += 1
        out.write(b"\n]}\n")
    return count


def export_archive(app: App, target: Path | IO[bytes], *, now: datetime) -> ExportSummary:
    """Write every table and every original file into one zip (see the module docstring).

    A path target is written through a temporary file and renamed, so a failed export leaves
    no half-written archive.
    """
    tmp: Path | None = None
    if isinstance(target, Path):
        if target.is_dir():
            raise InvalidInputError(f"'{target}' is a folder; give a file name such as data.zip.")
        tmp = target.with_name(f".{target.name}.part")
    counts: dict[str, int] = {}
    originals = 0
    revision = current_revision(app.store.engine)
    try:
        sink: Any = tmp if tmp is not None else target
        with (
            zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf,
            app.store.read_session() as session,
        ):
            conn = session.connection()
            for table in data_tables(reflect(conn)):
                shape = shape_of(table)
                header = {"table": table.name, "columns": [list(c) for c in shape.columns]}
                rows = iter_rows(conn, table)
                if table.name == ORIGINALS_TABLE:
                    rows = iter(_originals_out(zf, rows, now=now))
                counts[table.name] = _write_table(zf, table.name, header, rows)
            originals = counts.get(ORIGINALS_TABLE, 0)
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "schema_revision": revision,
                "backstride_version": __version__,
                "exported_at": now.isoformat(),
                "tables": counts,
                "originals": originals,
            }
            zf.writestr(MANIFEST, json.dumps(manifest, indent=2) + "\n")
    except OSError as exc:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise InvalidInputError(f"Could not write the export: {exc.strerror or exc}.") from exc
    except BaseException:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise
    size = 0
    if tmp is not None and isinstance(target, Path):
        tmp.replace(target)
        size = target.stat().st_size
    return ExportSummary(target if isinstance(target, Path) else Path("-"), counts, originals, size)


def _originals_out(
    zf: zipfile.ZipFile, rows: Iterator[dict[str, Any]], *, now: datetime
) -> list[dict[str, Any]]:
    """Write each original file into the archive; the rows point at them by path."""
    out: list[dict[str, Any]] = []
    stamp = (max(now.year, 1980), now.month, now.day, now.hour, now.minute, now.second)
    for row in rows:
        blob = base64.b64decode(row["data"])
        data = decompress_original(blob, size_bytes=int(row["size_bytes"]))
        path = _original_path(str(row["content_hash"]), str(row["file_name"]))
        info = zipfile.ZipInfo(path, date_time=stamp)
        info.compress_type = zipfile.ZIP_STORED if _packed(path) else zipfile.ZIP_DEFLATED
        zf.writestr(info, data)
        out.append({**row, "data": path})
    return out


def _packed(path: str) -> bool:
    return path.lower().endswith((".gz", ".zip", ".fit"))


# --- import -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportSummary:
    tables: dict[str, int]
    originals: int
    schema_revision: str

    def to_json(self) -> dict[str, Any]:
        return {
            "tables": self.tables,
            "rows": sum(self.tables.values()),
            "originals": self.originals,
            "schema_revision": self.schema_revision,
        }


def _not_an_export(path: Path, why: str) -> InvalidInputError:
    return InvalidInputError(
        f"'{path.name}' is not a backstride export archive: {why}.",
        hint="Use a file written by `backstride export`, or import activity files directly.",
    )


def _read_manifest(zf: zipfile.ZipFile, path: Path, *, max_bytes: int) -> dict[str, Any]:
    total = sum(i.file_size for i in zf.infolist())
    if total > max_bytes:
        raise InvalidInputError(
            f"'{path.name}' unpacks to {total / 1e6:.0f} MB, more than the "
            f"{max_bytes / 1e6:.0f} MB allowed.",
            hint="Raise max_archive_mb if the archive is really yours.",
        )
    try:
        manifest = json.loads(zf.read(MANIFEST))
    except (KeyError, ValueError) as exc:
        raise _not_an_export(path, "its manifest is missing or unreadable") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _not_an_export(path, "its manifest names another format")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise InvalidInputError(
            f"'{path.name}' uses export format version {manifest.get('format_version')}; "
            f"this backstride reads version {FORMAT_VERSION}.",
            hint="Import it with the backstride version that wrote it, or a newer one.",
        )
    return manifest


def _ensure_empty(app: App) -> None:
    with app.store.read_session() as session:
        counts = count_rows(session.connection())
    athletes = counts.pop("athletes", 0)
    busy = {k: v for k, v in counts.items() if v}
    if busy or athletes > 1:
        raise ConflictError(
            "The database already holds data; an archive is only imported into an empty one.",
            hint="Import into a new database (backstride --db new.sqlite3 import FILE.zip), or "
            "delete everything first (backstride delete --everything).",
        )


def import_archive(app: App, path: Path) -> ImportSummary:
    """Load an export archive into an empty database, exactly: same ids, same rows, the
    original files stored again. An archive from an older schema revision is loaded at that
    revision and migrated forward; a newer one is refused. All or nothing."""
    max_bytes = int(app.settings.max_archive_mb * 1024 * 1024)
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise _not_an_export(path, "it is not a readable zip file") from exc
    with zf:
        manifest = _read_manifest(zf, path, max_bytes=max_bytes)
        revision = str(manifest.get("schema_revision") or "")
        engine = app.store.engine
        cfg = _alembic_config(engine)
        known = {r.revision for r in ScriptDirectory.from_config(cfg).walk_revisions()}
        if revision not in known:
            raise StorageError(
                f"The archive was written by a newer backstride (schema revision '{revision}').",
                hint="Upgrade backstride, then import it again.",
            )
        _ensure_empty(app)
        head = head_revision(engine)
        moved = revision != head
        if moved:
            command.downgrade(cfg, revision)
        try:
            counts = _load_tables(app, zf, path)
        finally:
            if moved:
                command.upgrade(cfg, "head")
    app.__dict__.pop("athlete_id", None)
    return ImportSummary(counts, counts.get(ORIGINALS_TABLE, 0), revision)


def _load_tables(app: App, zf: zipfile.ZipFile, path: Path) -> dict[str, int]:
    names = set(zf.namelist())
    counts: dict[str, int] = {}
    try:
        with app.store.session() as session:
            conn = session.connection()
            meta = reflect(conn)
            tables = data_tables(meta)
            by_name = {t.name for t in tables}
            in_archive = {
                PurePosixPath(n).stem
                for n in names
                if n.startswith("tables/") and n.endswith(".json")
            }
            extra = in_archive - by_name
            if extra:
                raise _not_an_export(path, f"it has a table this schema lacks ({sorted(extra)[0]})")
            wipe_rows(conn)  # the empty default athlete, if one was created
            for table in tables:
                member = f"tables/{table.name}.json"
                if member not in names:
                    continue
                data = json.loads(zf.read(member))
                rows = data.get("rows") if isinstance(data, dict) else None
                if not isinstance(rows, list):
                    raise _not_an_export(path, f"{member} holds no rows")
                transform = _originals_in(zf, names) if table.name == ORIGINALS_TABLE else None
                counts[table.name] = insert_rows(conn, table, rows, transform=transform)
            reset_sequences(conn, tables)
    except (ValueError, KeyError, TypeError) as exc:
        raise _not_an_export(path, f"a row could not be read ({exc})") from exc
    except SQLAlchemyError as exc:  # pragma: no cover - the unit of work wraps these
        raise StorageError(f"Could not store the archive's rows: {exc}") from exc
    return counts


def _originals_in(zf: zipfile.ZipFile, names: set[str]) -> Any:
    def transform(row: dict[str, Any]) -> dict[str, Any]:
        member = row.get("data")
        if (
            not isinstance(member, str)
            or member not in names
            or not member.startswith("originals/")
        ):
            raise ValueError(f"original file {member!r} is missing")
        raw = zf.read(member)
        if len(raw) != int(row["size_bytes"]):
            raise ValueError(f"original file {member!r} has the wrong size")
        return {**row, "data": compress_original(raw)}

    return transform


# --- backup and delete ----------------------------------------------------------------------------


def _sqlite_path(app: App) -> Path | None:
    if not is_file_sqlite(app.settings.database_url):
        return None
    return Path(make_url(app.settings.database_url).database or "")


@dataclass(frozen=True, slots=True)
class BackupSummary:
    path: Path
    size_bytes: int

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "size_bytes": self.size_bytes}


def backup_database(app: App, target: Path, *, overwrite: bool = False) -> BackupSummary:
    """Copy the SQLite database with SQLite's online backup API; safe while ``serve`` runs."""
    db = _sqlite_path(app)
    if db is None:
        raise InvalidInputError(
            "backup copies an SQLite database file; this database is a server.",
            hint="Back up a PostgreSQL database with pg_dump (see docs/data.md).",
        )
    if not db.exists():
        raise StorageError(f"The database file '{db}' does not exist yet.")
    if target.is_dir():
        raise InvalidInputError(f"'{target}' is a folder; give a file name such as backup.sqlite3.")
    if target.exists() and target.resolve() == db.resolve():
        raise InvalidInputError("The backup cannot overwrite the database itself.")
    if target.exists() and not overwrite:
        raise InvalidInputError(
            f"'{target}' already exists.", hint="Choose another name, or pass --overwrite."
        )
    if not target.parent.is_dir():
        raise InvalidInputError(f"The folder '{target.parent}' does not exist.")
    return BackupSummary(target, backup_sqlite(db, target))


@dataclass(frozen=True, slots=True)
class DeleteSummary:
    rows: int
    files: int

    def to_json(self) -> dict[str, Any]:
        return {"rows_deleted": self.rows, "files_deleted": self.files}


#: What the runner types to confirm deleting everything.
CONFIRM_WORD = "delete everything"


def delete_everything(app: App, *, confirmation: str) -> DeleteSummary:
    """Delete every row of every table and every stored file (waiting uploads), then compact
    an SQLite file so nothing deleted stays on disk, and drop the command line's kept answers
    (``services/day_cache.py``). ``confirmation`` must be :data:`CONFIRM_WORD`."""
    if " ".join(confirmation.lower().split()) != CONFIRM_WORD:
        raise InvalidInputError(
            "Nothing was deleted: the confirmation did not match.",
            hint=f'Type "{CONFIRM_WORD}" exactly to confirm.',
        )
    with app.store.session() as session:
        rows = wipe_rows(session.connection())
    app.__dict__.pop("athlete_id", None)
    files = 0
    for uploads in (uploads_root(app), jobs_root(app)):
        if uploads.exists():
            files += sum(1 for p in uploads.rglob("*") if p.is_file())
            shutil.rmtree(uploads, ignore_errors=True)
    db = _sqlite_path(app)
    if db is not None and db.exists():
        compact_sqlite(db)
    day_cache.clear()
    return DeleteSummary(rows, files)
