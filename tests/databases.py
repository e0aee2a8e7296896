"""The databases the tests run on: SQLite files, and PostgreSQL in a throwaway cluster.

``pytest --db sqlite|postgresql|both`` chooses (``make test`` runs both). Tests that use the
``db_url`` or ``db_backend`` fixtures (directly or through ``app``, ``cli`` and the web
fixtures) run once per chosen database; tests that touch no database run once. A test of
SQLite's own behaviour (its file, WAL, pragmas) is marked ``sqlite_only``.

For PostgreSQL the controlling pytest process starts one cluster (``tools/pg_cluster.py``)
unless ``BACKSTRIDE_TEST_PG_URL`` already names a server; each test gets a database of its own,
copied from a template that was migrated once per worker process, and dropped afterwards.
On SQLite alike, each test's file is a copy of one migrated once per worker process (running
every migration costs about a second a test; a copy, a few milliseconds). A test of migrating
or creating a database asks for an ``empty`` one (no file at all on SQLite). A database that
takes longer to fill (the demo athlete, :class:`BuiltOnce`) is built once per test run and
engine, whichever worker process comes first (:func:`run_wide`).
"""

from __future__ import annotations

import itertools
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.engine import make_url

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "tools"))

from pg_cluster import URL_ENV, PgCluster, free_port  # noqa: E402

BACKENDS = ("sqlite", "postgresql")
SHARED_ENV = "BACKSTRIDE_TEST_SHARED"
"""The folder the processes of one test run share (made by the controlling process)."""


def chosen_backends(option: str) -> tuple[str, ...]:
    return BACKENDS if option == "both" else (option,)


class PostgresDatabases:
    """Creates and drops per-test databases on one server (one instance per process)."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self._lock = threading.Lock()
        self._counter = itertools.count(1)
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        self._prefix = f"bs_{worker}_{os.getpid()}"
        self._template: str | None = None
        self._kept: list[str] = []
        self._admin: Any = None
        self._strategy: str | None = None

    def _connection(self) -> Any:
        import psycopg

        if self._admin is None or self._admin.closed:
            url = make_url(self.admin_url)
            self._admin = psycopg.connect(
                host=url.host,
                port=url.port,
                user=url.username,
                password=url.password,
                dbname=url.database or "postgres",
                autocommit=True,
            )
        return self._admin

    def _copy(self) -> str:
        """How CREATE DATABASE copies its template: file by file (``FILE_COPY``, on
        PostgreSQL 15 and later). The default there, ``WAL_LOG``, writes every block of the
        copy to the write-ahead log: 54 ms a copy of the migrated template against 21 ms file
        by file (the checkpoint that ``FILE_COPY`` asks for is cheap in the throwaway
        cluster, which never syncs to disk: tools/pg_cluster.py)."""
        if self._strategy is None:
            version = self._connection().info.server_version
            self._strategy = " STRATEGY FILE_COPY" if version >= 150000 else ""
        return self._strategy

    def url(self, name: str) -> str:
        return make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)

    def _create_template(self) -> str:
        from backstride.adapters.db.engine import Store

        name = f"{self._prefix}_template"
        self._connection().execute(f'CREATE DATABASE "{name}"')
        store = Store(self.url(name))  # migrated to the newest schema
        store.dispose()
        return name

    def create(self) -> str:
        """A fresh, migrated, empty database; returns its URL."""
        with self._lock:
            if self._template is None:
                self._template = self._create_template()
            name = f"{self._prefix}_{next(self._counter)}"
            self._connection().execute(
                f'CREATE DATABASE "{name}" TEMPLATE "{self._template}"{self._copy()}'
            )
        return self.url(name)

    def create_empty(self) -> str:
        """A fresh database without any schema (for tests of migrating one)."""
        with self._lock:
            name = f"{self._prefix}_{next(self._counter)}"
            self._connection().execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def _free(self, name: str) -> None:
        self._connection().execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        )

    def keep_copy(self, url: str) -> str:
        """A copy of the database at ``url`` kept until the run ends (to start others from)."""
        source = make_url(url).database
        forget(url)
        with self._lock:
            name = f"{self._prefix}_{next(self._counter)}_kept"
            self._free(str(source))
            self._connection().execute(
                f'CREATE DATABASE "{name}" TEMPLATE "{source}"{self._copy()}'
            )
            self._kept.append(name)
        return self.url(name)

    def copy_to(self, url: str, name: str) -> str:
        """A copy of the database at ``url`` named ``name``, which this process never drops (a
        copy the whole test run shares: :func:`end_run` drops it)."""
        source = make_url(url).database
        forget(url)
        with self._lock:
            self._free(str(source))
            self._connection().execute(
                f'CREATE DATABASE "{name}" TEMPLATE "{source}"{self._copy()}'
            )
        return self.url(name)

    def restore(self, copy_url: str, into_url: str) -> None:
        """Make the database at ``into_url`` a copy of ``copy_url`` (from :meth:`keep_copy`)."""
        copy, into = make_url(copy_url).database, make_url(into_url).database
        forget(into_url)
        with self._lock:
            self._connection().execute(f'DROP DATABASE IF EXISTS "{into}" WITH (FORCE)')
            self._free(str(copy))
            self._connection().execute(f'CREATE DATABASE "{into}" TEMPLATE "{copy}"{self._copy()}')

    def drop(self, url: str) -> None:
        name = make_url(url).database
        forget(url)
        with self._lock:
            self._connection().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        with self._lock:
            for name in self._kept:
                self._connection().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            self._kept = []
            if self._template is not None:
                self._connection().execute(
                    f'DROP DATABASE IF EXISTS "{self._template}" WITH (FORCE)'
                )
                self._template = None
            if self._admin is not None:
                self._admin.close()


_postgres: PostgresDatabases | None = None
_cluster: PgCluster | None = None
_harness: dict[str, str] = {}
"""The test harness's own variables (the server's URL, the run's shared folder), as this process
found them at start: each test runs without them (``tests/conftest.py``), as a runner's
``backstride`` would (``quick_settings`` takes any other ``BACKSTRIDE_*`` variable for a
setting)."""


def remember_harness() -> None:
    """In every process, before the first test: keep the harness's variables for later use."""
    for key in (URL_ENV, SHARED_ENV):
        if os.environ.get(key):
            _harness[key] = os.environ[key]


def harness(key: str) -> str | None:
    return os.environ.get(key) or _harness.get(key)


def start_server_if_needed() -> None:
    """In the controlling process: start a cluster unless a server is named already."""
    global _cluster
    if os.environ.get(URL_ENV):
        return
    _cluster = PgCluster(in_memory=True).start()
    os.environ[URL_ENV] = _cluster.url()


def stop_server() -> None:
    global _cluster, _postgres
    if _postgres is not None:
        _postgres.close()
        _postgres = None
    if _cluster is not None:
        _cluster.stop()
        os.environ.pop(URL_ENV, None)
        _harness.pop(URL_ENV, None)
        _cluster = None


def postgres() -> PostgresDatabases:
    global _postgres
    if _postgres is None:
        url = harness(URL_ENV)
        if not url:
            raise RuntimeError(f"no PostgreSQL server for the tests ({URL_ENV} is unset)")
        _postgres = PostgresDatabases(url)
    return _postgres


_sqlite_template: Path | None = None
_sqlite_template_lock = threading.Lock()


def sqlite_template() -> Path:
    """A migrated, empty SQLite file made once per process (in the system's temp folder, removed
    at exit), that each test's database is copied from."""
    global _sqlite_template
    with _sqlite_template_lock:
        if _sqlite_template is None or not _sqlite_template.is_file():
            import atexit
            import shutil
            import sqlite3
            import tempfile

            from backstride.adapters.db.engine import Store

            folder = Path(tempfile.mkdtemp(prefix="backstride-test-template-"))
            atexit.register(shutil.rmtree, folder, ignore_errors=True)
            path = folder / "template.sqlite3"
            Store(f"sqlite:///{path}").dispose()  # migrated to the newest schema, marked
            con = sqlite3.connect(path, isolation_level=None)
            try:  # one self-contained file: no write-ahead log beside it to copy
                con.execute("PRAGMA journal_mode=DELETE")
            finally:
                con.close()
            _sqlite_template = path
        return _sqlite_template


def _sqlite_copy(src: Path, dst: Path) -> None:
    import sqlite3

    a, b = sqlite3.connect(src), sqlite3.connect(dst)
    try:
        a.backup(b)
    finally:
        a.close()
        b.close()


class DbBackend:
    """One database engine for the tests: hands out fresh database URLs and removes them."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._created: list[str] = []

    @property
    def is_sqlite(self) -> bool:
        return self.name == "sqlite"

    @property
    def is_postgresql(self) -> bool:
        return self.name == "postgresql"

    def new_url(self, root: Path, *, filename: str = "test.sqlite3", empty: bool = False) -> str:
        """A fresh database: an SQLite file in ``root``, or a PostgreSQL database
        (migrated unless ``empty``)."""
        if self.is_sqlite:
            path = root / filename
            if not empty:
                import shutil

                path.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(sqlite_template(), path)
            return f"sqlite:///{path}"
        url = postgres().create_empty() if empty else postgres().create()
        self._created.append(url)
        return url

    def keep_copy(self, url: str, into: Path) -> str:
        """A copy of the database at ``url`` that lasts the run (an SQLite file in ``into``)."""
        if self.is_sqlite:
            target = into / "kept.sqlite3"
            _sqlite_copy(Path(make_url(url).database or ""), target)
            return f"sqlite:///{target}"
        return postgres().keep_copy(url)

    def restore(self, copy_url: str, into_url: str) -> None:
        """Make the database at ``into_url`` a copy of ``copy_url`` (from :meth:`keep_copy`)."""
        if self.is_sqlite:
            _sqlite_copy(
                Path(make_url(copy_url).database or ""), Path(make_url(into_url).database or "")
            )
        else:
            postgres().restore(copy_url, into_url)

    def cleanup(self) -> None:
        created, self._created = self._created, []
        for url in created:
            postgres().drop(url)

    def __repr__(self) -> str:
        return self.name


PG_URL_ENV = URL_ENV
__all__ = ["free_port"]


_readers: dict[str, Any] = {}
_readers_lock = threading.Lock()


@contextmanager
def _reader(url: str) -> Iterator[Any]:
    """A connection to read the database at ``url`` with: on PostgreSQL from one engine per
    database and process, kept until the database is dropped or replaced (:func:`forget`),
    since each new engine meant a new server process, its start-up and its catalog caches
    (about 20 ms of CPU time a call, and helpers such as ``count_rows`` are called once a
    table, or per Hypothesis example). Each use is its own transaction (the connection rolls
    back when handed back), so it sees every change committed before. An SQLite file gets a
    new engine each time (its file may be replaced under a kept connection)."""
    from sqlalchemy import create_engine

    if make_url(url).get_backend_name() != "postgresql":
        engine = create_engine(url)
        try:
            with engine.connect() as conn:
                yield conn
        finally:
            engine.dispose()
        return
    with _readers_lock:
        engine = _readers.get(url)
        if engine is None:
            engine = _readers[url] = create_engine(url, pool_pre_ping=True)
    with engine.connect() as conn:
        yield conn


def forget(url: str) -> None:
    """Close the kept reading engine of the database at ``url`` (before it is dropped)."""
    with _readers_lock:
        engine = _readers.pop(url, None)
    if engine is not None:
        engine.dispose()


def dump(url: str, tables: tuple[str, ...] | None = None) -> list[str]:
    """Every row of every table (or of ``tables``), as sorted text lines (an engine-neutral
    ``iterdump``). The tables are found by name and read with plain ``SELECT *``: reflecting
    their columns first cost about 0.4 s a call, which Hypothesis tests pay per example."""
    from sqlalchemy import inspect, text

    lines: list[str] = []
    with _reader(url) as conn:
        for name in sorted(inspect(conn).get_table_names()):
            if tables is not None and name not in tables:
                continue
            rows = conn.execute(text(f'SELECT * FROM "{name}"')).all()
            lines += sorted(f"{name}: {tuple(row)!r}" for row in rows)
    return lines


def count_rows(url: str, table: str) -> int:
    """The number of rows in ``table`` of the database at ``url`` (any engine)."""
    from sqlalchemy import text

    with _reader(url) as conn:
        return int(conn.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one())


T = TypeVar("T")


class BuiltOnce:
    """A database built once per engine and test run, then copied into each test's own fresh
    database (a copy costs milliseconds; building often costs a second or more).

    The first worker process to ask builds it (the others wait for it, then copy), so a run
    with several workers pays each build once, not once a worker (:func:`run_wide`).
    ``name`` tells this instance's builds apart from others' in the run's shared folder."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._kept: dict[str, tuple[str, Path, Any]] = {}

    def into(self, backend: DbBackend, url: str, build: Callable[[Path], T]) -> tuple[T, Path]:
        """Make the fresh database at ``url`` hold what ``build`` stores into it. ``build`` runs
        once per engine and test run, given a folder that lasts the run (to keep a copy of
        files it made beside the database); what it returns must pickle. Returns what it
        returned and that folder."""
        found = self._kept.get(backend.name)
        if found is None:
            found, built_here = run_wide(self.name, backend, url, build)
            self._kept[backend.name] = found
            if built_here:
                return found[2], found[1]
        kept, folder, value = found
        backend.restore(kept, url)
        return value, folder


_SHARED_PREFIX = "bs_shared_"


def start_run() -> None:
    """In the controlling process: the run's shared folder, handed to xdist's workers through
    the environment (as the server's URL is)."""
    if not os.environ.get(SHARED_ENV):
        import tempfile

        os.environ[SHARED_ENV] = tempfile.mkdtemp(prefix="backstride-test-run-")


def end_run() -> None:
    """In the controlling process: drop the databases built for the whole run, remove the
    shared folder (before :func:`stop_server`)."""
    import shutil

    folder = os.environ.pop(SHARED_ENV, None)
    _harness.pop(SHARED_ENV, None)
    if not folder:
        return
    names = sorted(Path(folder).glob("*.pgname"))
    if names and harness(URL_ENV):
        for path in names:
            postgres().drop(postgres().url(path.read_text()))
    shutil.rmtree(folder, ignore_errors=True)


def run_wide(
    key: str, backend: DbBackend, url: str, build: Callable[[Path], T]
) -> tuple[tuple[str, Path, T], bool]:
    """``build`` into the fresh database at ``url`` once per engine and test run: under a lock
    on the run's shared folder, the first process to ask builds and keeps a copy there (an
    SQLite file, or a PostgreSQL database dropped when the run ends); the others find it.
    Returns (the kept copy's URL, the build's own folder, what ``build`` returned) and whether
    it was built here (then ``url`` holds it already)."""
    import fcntl
    import pickle

    key = f"{key}-{backend.name}"
    shared = harness(SHARED_ENV)
    if not shared:  # pytest_configure made none (a plugin-less run): this process only
        raise RuntimeError(f"no shared folder for the test run ({SHARED_ENV} is unset)")
    root = Path(shared)
    done = root / f"{key}.pickle"
    with open(root / f"{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if done.is_file():
                kept_url, folder, value = pickle.loads(done.read_bytes())
                return (kept_url, Path(folder), value), False
            folder = root / key
            folder.mkdir()
            value = build(folder)
            if backend.is_sqlite:
                kept_url = backend.keep_copy(url, folder)
            else:
                name = f"{_SHARED_PREFIX}{root.name.rsplit('-', 1)[-1]}_{key}".replace("-", "_")
                (root / f"{key}.pgname").write_text(name)
                kept_url = postgres().copy_to(url, name)
            done.write_bytes(pickle.dumps((kept_url, str(folder), value)))
            return (kept_url, folder, value), True
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
