"""Real small and read-only disks for storage-error tests: tmpfs mounts under a test's folder.

A full disk is a tmpfs of a few hundred KB filled up by a filler file; a read-only disk is a
tmpfs remounted ``ro``. Both are what a runner's machine does (ENOSPC, EROFS from the kernel),
not simulations: SQLite and Python see the same errors. A read-only *mount* is used rather
than ``chmod``, because the tests may run as root, which ignores file modes but not a
read-only mount.

Mounting needs root (or CAP_SYS_ADMIN); elsewhere the tests that need it are skipped, and
fail instead when ``CI=true``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

FILLER = "filler.bin"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, check=False)


@contextmanager
def tmpfs(path: Path, *, size_kb: int) -> Iterator[Path]:
    """A fresh tmpfs of ``size_kb`` mounted at ``path`` for the block; unmounted after."""
    path.mkdir(parents=True, exist_ok=True)
    done = _run("mount", "-t", "tmpfs", "-o", f"size={size_kb}k,mode=0755", "tmpfs", str(path))
    if done.returncode != 0:
        message = f"cannot mount a tmpfs here ({done.stderr.strip() or 'not root'})"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    try:
        yield path
    finally:
        _run("umount", "-l", str(path))


def free_bytes(path: Path) -> int:
    return shutil.disk_usage(path).free


def fill(path: Path, *, leave_bytes: int = 0) -> Path:
    """Fill the disk at ``path`` with a filler file, leaving about ``leave_bytes`` free."""
    filler = path / FILLER
    with filler.open("ab") as sink:
        try:
            while True:
                sink.write(b"\0" * 65536)
                sink.flush()
        except OSError:
            pass
    size = filler.stat().st_size
    with filler.open("r+b") as sink:
        sink.truncate(max(size - leave_bytes, 0))
    return filler


def make_room(path: Path) -> None:
    """Remove the filler: the disk has room again."""
    (path / FILLER).unlink(missing_ok=True)


def remount_read_only(path: Path) -> None:
    done = _run("mount", "-o", "remount,ro", str(path))
    assert done.returncode == 0, done.stderr


def remount_writable(path: Path) -> None:
    done = _run("mount", "-o", "remount,rw", str(path))
    assert done.returncode == 0, done.stderr
