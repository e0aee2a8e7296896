"""A throwaway PostgreSQL 15 cluster: initdb in a temporary folder, started on a free loopback
port, stopped and removed afterwards. Debian's binaries (``/usr/lib/postgresql/15/bin``);
as root the cluster runs as the ``postgres`` system user (initdb refuses root)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PG_BIN = Path(os.environ.get("BACKSTRIDE_PG_BIN", "/usr/lib/postgresql/15/bin"))


def available() -> bool:
    return (PG_BIN / "initdb").is_file()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_owner(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


@contextmanager
def throwaway_cluster(
    database: str = "backstride", *, settings: dict[str, str] | None = None
) -> Iterator[str]:
    """Start a cluster; yields a SQLAlchemy URL (psycopg 3) of a fresh database in it.
    ``settings``: more server settings (``-c name=value``), e.g. for a benchmark's counts."""
    root = Path(tempfile.mkdtemp(prefix="backstride-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    port = _free_port()
    run = {"check": True, "capture_output": True}
    subprocess.run(
        _as_owner(
            [
                str(PG_BIN / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        ),
        **run,  # type: ignore[arg-type]
    )
    options = (
        f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
    ) + "".join(f" -c {name}={value}" for name, value in (settings or {}).items())
    subprocess.run(
        _as_owner(
            [
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(root / "log"),
                "-w",
                "start",
            ]
        ),
        **run,  # type: ignore[arg-type]
    )
    try:
        deadline = time.monotonic() + 30
        conn = ["-h", "127.0.0.1", "-p", str(port), "-U", "postgres"]
        while subprocess.run([str(PG_BIN / "pg_isready"), *conn], capture_output=True).returncode:
            if time.monotonic() > deadline:
                raise RuntimeError("the throwaway PostgreSQL did not start")
            time.sleep(0.2)
        # The application's own role: not a superuser (a superuser bypasses row security).
        subprocess.run([str(PG_BIN / "createuser"), *conn, "backstride"], **run)  # type: ignore[arg-type]
        subprocess.run([str(PG_BIN / "createdb"), *conn, "-O", "backstride", database], **run)  # type: ignore[arg-type]
        yield f"postgresql+psycopg://backstride@127.0.0.1:{port}/{database}"
    finally:
        subprocess.run(
            _as_owner([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)
