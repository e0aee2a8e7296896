"""A throwaway PostgreSQL cluster on loopback, for the tests and the benchmarks.

``initdb`` into a temporary folder (the tests': in memory, ``in_memory``), ``postgres`` listening
on 127.0.0.1 at a free port with its unix socket in the same folder, stopped and removed
afterwards. Nothing of the machine's own PostgreSQL (its clusters, its port 5432) is touched.
Uses Debian's ``postgresql`` package (``make postgresql`` installs it); ``PG_BINDIR`` names
another ``bin`` folder.

As root (CI, containers), ``initdb`` refuses to run: the cluster is then owned and run by the
``postgres`` user (or ``nobody``), and its folder is handed to that user.

Use it from Python::

    with PgCluster() as cluster:
        url = cluster.url("postgres")      # postgresql+psycopg://postgres@127.0.0.1:PORT/...

or around a command, which finds the server's URL in ``BACKSTRIDE_TEST_PG_URL``::

    .venv/bin/python tools/pg_cluster.py -- .venv/bin/pytest --db postgresql tests/adapters
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Any

URL_ENV = "BACKSTRIDE_TEST_PG_URL"
"""The environment variable that hands a running server's admin URL to the tests."""

SUPERUSER = "postgres"
START_TIMEOUT_S = 60.0

# A throwaway cluster: durability traded for speed (its data dies with the test run).
SERVER_SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "300",
    "shared_buffers": "64MB",
    "listen_addresses": "127.0.0.1",
    "log_min_messages": "warning",
    "logging_collector": "off",
}


try:  # loaded here: a child between fork and exec should only call into it
    import ctypes

    _LIBC: Any = ctypes.CDLL(None, use_errno=True) if sys.platform == "linux" else None
except OSError:
    _LIBC = None


class PgClusterError(RuntimeError):
    """The cluster could not be created or started (the message says why)."""


def find_bindir() -> Path:
    """The ``bin`` folder of the newest installed PostgreSQL (``PG_BINDIR`` wins)."""
    override = os.environ.get("PG_BINDIR")
    candidates = [override] if override else []
    versions = glob.glob("/usr/lib/postgresql/*/bin")
    candidates += sorted(versions, key=lambda p: int(Path(p).parent.name or 0), reverse=True)
    found = shutil.which("initdb")
    if found:
        candidates.append(str(Path(found).parent))
    for folder in candidates:
        if folder and (Path(folder) / "initdb").is_file():
            return Path(folder)
    raise PgClusterError(
        "PostgreSQL's initdb was not found (looked in /usr/lib/postgresql/*/bin and PATH). "
        "Run `make postgresql` to install Debian's postgresql package, or set PG_BINDIR."
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


MEMORY_FOLDER = Path("/dev/shm")
"""Where an ``in_memory`` cluster keeps its files: Linux's shared-memory file system (tmpfs)."""
MEMORY_NEEDED = 2 << 30
"""Free space :data:`MEMORY_FOLDER` must have for an ``in_memory`` cluster (2 GiB: the copies of
each test's database, the write-ahead log up to ``max_wal_size``, and PostgreSQL's own shared
memory segments, which live there too); a container's default 64 MB gets the disk instead."""


def _folder(in_memory: bool) -> str | None:
    """The folder a cluster's temporary folder goes in (None: the system's temp folder).

    ``in_memory`` (the tests' cluster): in :data:`MEMORY_FOLDER` when there is one to write
    to with :data:`MEMORY_NEEDED` free. Creating and dropping a database creates and removes
    its files (about 500 for backstride's schema); on a disk's file system (ext4, journalled)
    that cost the server about 90 ms of CPU time a test, in memory about 14 ms. The data dies
    with the run either way (the cluster never syncs to disk: :data:`SERVER_SETTINGS`)."""
    if not (in_memory and MEMORY_FOLDER.is_dir()):
        return None
    if not os.access(MEMORY_FOLDER, os.W_OK | os.X_OK):
        return None
    if shutil.disk_usage(MEMORY_FOLDER).free < MEMORY_NEEDED:
        return None
    return str(MEMORY_FOLDER)


def _server_user() -> pwd.struct_passwd | None:
    """The user that runs the server when we are root (None: run as ourselves)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise PgClusterError("running as root, and neither a 'postgres' nor a 'nobody' user exists")


class PgCluster:
    """One temporary cluster; :meth:`start` it (or use ``with``), :meth:`stop` removes it."""

    def __init__(
        self, *, bindir: Path | None = None, port: int | None = None, in_memory: bool = False
    ) -> None:
        self.bindir = bindir or find_bindir()
        self.port = port or free_port()
        self.user = _server_user()
        self.base = Path(tempfile.mkdtemp(prefix="backstride-pg-", dir=_folder(in_memory)))
        self.data = self.base / "data"
        self.socket_dir = self.base / "socket"
        self.log = self.base / "server.log"
        self._process: subprocess.Popen[bytes] | None = None

    # -- running commands as the server's user -------------------------------------------

    def _demote(self) -> None:
        if self.user is not None:
            os.setgid(self.user.pw_gid)
            os.setgroups([])
            os.setuid(self.user.pw_uid)

    def _demote_and_follow_parent(self) -> None:
        """As :meth:`_demote`; and the server gets a fast shutdown (SIGINT) if the process
        that started it dies without stopping it (Linux ``PR_SET_PDEATHSIG``, set after the
        change of user, which would clear it)."""
        self._demote()
        if _LIBC is not None:
            _LIBC.prctl(1, signal.SIGINT)  # PR_SET_PDEATHSIG

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env.update(LC_ALL="C.UTF-8", LANG="C.UTF-8", TZ="UTC")
        if self.user is not None:
            env.update(HOME=str(self.base), USER=self.user.pw_name, LOGNAME=self.user.pw_name)
        return env

    def _run(self, *args: str) -> None:
        result = subprocess.run(
            args,
            preexec_fn=self._demote,  # noqa: PLW1509 - no threads are started before this
            env=self._env(),
            cwd=self.base,
            capture_output=True,
            check=False,
        )
        if result.returncode != 0:
            output = (result.stdout + result.stderr).decode(errors="replace").strip()
            raise PgClusterError(f"{Path(args[0]).name} failed: {output[-2000:]}")

    # -- lifecycle -----------------------------------------------------------------------

    def start(self) -> PgCluster:
        self.socket_dir.mkdir()
        if self.user is not None:
            for path in (self.base, self.socket_dir):
                os.chown(path, self.user.pw_uid, self.user.pw_gid)
        self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            SUPERUSER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        options = [f"-c{key}={value}" for key, value in SERVER_SETTINGS.items()]
        with open(self.log, "ab") as log:
            self._process = subprocess.Popen(
                [
                    str(self.bindir / "postgres"),
                    "-D",
                    str(self.data),
                    "-p",
                    str(self.port),
                    "-k",
                    str(self.socket_dir),
                    *options,
                ],
                preexec_fn=self._demote_and_follow_parent,  # noqa: PLW1509
                env=self._env(),
                cwd=self.base,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        isready = str(self.bindir / "pg_isready")
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                raise PgClusterError(f"postgres exited at start: {self._log_tail()}")
            ready = subprocess.run(
                [isready, "-q", "-h", "127.0.0.1", "-p", str(self.port), "-U", SUPERUSER],
                env=self._env(),
                check=False,
            )
            if ready.returncode == 0:
                return
            time.sleep(0.1)
        self.stop()
        raise PgClusterError(f"postgres did not accept connections in time: {self._log_tail()}")

    def _log_tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-2000:]
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        """Stop the server (fast shutdown) and remove the cluster's folder."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            # SIGINT is PostgreSQL's "fast" shutdown: clients are disconnected, not waited for.
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        shutil.rmtree(self.base, ignore_errors=True)

    def __enter__(self) -> PgCluster:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- addresses -----------------------------------------------------------------------

    def url(self, database: str = "postgres") -> str:
        """An SQLAlchemy URL (psycopg 3) for ``database`` on this cluster, as the superuser."""
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"


def main(argv: list[str]) -> int:
    """``pg_cluster.py -- CMD ARGS``: run CMD with a fresh cluster's URL in the environment."""
    if argv and argv[0] == "--":
        argv = argv[1:]
    if not argv:
        print(__doc__)
        return 2
    with PgCluster() as cluster:
        env = dict(os.environ, **{URL_ENV: cluster.url()})
        print(f"PostgreSQL {cluster.bindir.parent.name} on {cluster.url()}", file=sys.stderr)
        return subprocess.call(argv, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
