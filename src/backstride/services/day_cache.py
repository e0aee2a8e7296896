"""The command line's memo of ``backstride today``: the day's printed answer, reused while
nothing it depends on has changed.

Computing the day (``services.day.day_answer``) reads the runner's history and runs every
guidance rule; importing what it needs costs more than the rest of the command. A second
``backstride today`` on unchanged data prints what the first one printed, so the first one
keeps its output (the text lines with their styles, before the terminal wraps them, and the
``--json`` text) in one small file in the user's cache folder, and the next one prints it
again when, and only when, all of these are the same:

* what the settings are built from: the ``--db`` and ``--units`` flags, every
  ``BACKSTRIDE_*`` environment variable, the config file's content, the folders platformdirs
  starts from (``HOME``, ``XDG_*``) and the working folder (a relative ``--db``);
* the day asked about and the real date;
* backstride's own code (every file of the installed package: its size and time);
* the database's mark: for an SQLite file, its data version (bumped by every change any
  process makes, ``adapters/db/engine.py``), schema revision and the file's identity, size
  and time (``adapters/db/data_mark.py``, read with the ``sqlite3`` module alone); for a
  server database, its data version.

An answer is kept only when the database's mark was the same before and after it was
computed, so a change made meanwhile by another process is never hidden. Anything unreadable
in the cache is a miss, and a cache that cannot be written is simply not kept. ``backstride
delete --everything`` removes the cache with the data (:func:`clear`).

This module imports nothing heavy: the command line reads the cache before it loads the
guidance, the settings or SQLAlchemy.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backstride import __version__
from backstride.adapters.db.data_mark import Mark, sqlite_mark
from backstride.paths import cache_dir, config_file

if TYPE_CHECKING:
    from backstride.services.context import App

FORMAT = 2
"""The entry format; an entry of another format is a miss."""
PLATFORM_ENV = ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME")
"""Environment variables the default data and config folders are derived from."""
_PACKAGE = Path(__file__).resolve().parent.parent
Line = tuple[str, str | None]


@dataclass(frozen=True, slots=True)
class Request:
    """One ``backstride today`` call: its flags and dates."""

    db: str | None
    units: str | None
    on: date
    today: date


@dataclass(frozen=True, slots=True)
class Rendered:
    """The day's output: the text lines with their styles, and the ``--json`` text."""

    lines: tuple[Line, ...]
    json: str


def folder() -> Path:
    """Where the entries are kept."""
    return cache_dir() / "today"


def settings_inputs(request: Request) -> dict[str, Any]:
    """Everything the settings are built from (``config.get_settings``). Only their digest is
    written down (:func:`_digest`): they may hold a database password or a secret."""
    path = config_file()
    try:
        content: str | None = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        content = None
    env = sorted(
        [k, v]
        for k, v in os.environ.items()
        if k.upper().startswith("BACKSTRIDE_") or k in PLATFORM_ENV
    )
    return {
        "db": request.db,
        "units": request.units,
        "env": env,
        "config_file": str(path),
        "config": content,
        "cwd": os.getcwd(),
    }


def code_mark() -> str:
    """backstride's version and the size and time of every file of its package: a changed
    rule, text or threshold is a different program."""
    parts = [__version__, f"{sys.version_info[0]}.{sys.version_info[1]}"]
    cut = len(str(_PACKAGE)) + 1  # each file's path inside the package (os.path.relpath is slow)
    for root, dirs, files in os.walk(_PACKAGE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".pyc", ".pyo")):
                continue
            full = os.path.join(root, name)
            try:
                st = os.stat(full)
            except OSError:
                continue
            parts.append(f"{full[cut:]}:{st.st_size}:{st.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _digest(inputs: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def _entry_path(inputs: dict[str, Any]) -> Path:
    return folder() / f"{_digest(inputs)[:32]}.json"


def _identity(request: Request, inputs: dict[str, Any]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "inputs": _digest(inputs),
        "code": code_mark(),
        "on": request.on.isoformat(),
        "today": request.today.isoformat(),
    }


def lookup(request: Request, server_mark: Callable[[], Mark | None]) -> Rendered | None:
    """The kept output for ``request``, or None. ``server_mark`` gives a server database's
    mark (it opens the store); an SQLite file's is read here."""
    inputs = settings_inputs(request)
    try:
        entry = json.loads(_entry_path(inputs).read_text(encoding="utf-8"))
        if not isinstance(entry, dict):
            return None
        if any(entry.get(k) != v for k, v in _identity(request, inputs).items()):
            return None
        where = entry["sqlite"]
        mark = sqlite_mark(Path(where)) if where is not None else server_mark()
        if mark is None or list(mark) != entry["mark"]:
            return None
        lines = tuple(
            (str(text), None if style is None else str(style)) for text, style in entry["lines"]
        )
        return Rendered(lines=lines, json=str(entry["json"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _sqlite_file(app: App) -> Path | None:
    """``app``'s SQLite file, found without opening the store when the URL is a plain path."""
    from backstride.services.context import sqlite_file_of

    found = sqlite_file_of(app.settings.database_url)
    return found if found is not None else app.store.path


def mark_of(app: App) -> Mark | None:
    """The mark of ``app``'s database (None: an in-memory one, never kept)."""
    path = _sqlite_file(app)
    if path is not None:
        return sqlite_mark(path)
    store = app.store
    if store.is_postgresql:
        return (store.data_version(None),)
    return None


def keep(request: Request, app: App, before: Mark | None, rendered: Rendered) -> bool:
    """Keep ``rendered`` for ``request`` when the database's mark ``before`` the answer was
    computed is still its mark now (nothing changed meanwhile). Returns whether it was kept."""
    if before is None or mark_of(app) != before:
        return False
    inputs = settings_inputs(request)
    entry = {
        **_identity(request, inputs),
        "sqlite": str(path) if (path := _sqlite_file(app)) is not None else None,
        "mark": list(before),
        "lines": [list(line) for line in rendered.lines],
        "json": rendered.json,
    }
    path = _entry_path(inputs)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(entry, f, ensure_ascii=False)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        return False
    return True


def clear() -> int:
    """Remove every kept answer (they hold the runner's data); returns how many."""
    removed = 0
    try:
        names = list(folder().iterdir())
    except OSError:
        return 0
    for path in names:
        try:
            path.unlink()
            removed += 1
        except OSError:
            pass
    return removed
