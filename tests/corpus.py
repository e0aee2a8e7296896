"""Locating the real activity corpus (``../shared/data/activities``)."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


_ENV_ROOT = os.environ.get("BACKSTRIDE_TEST_DATA")
DATA_ROOT = Path(_ENV_ROOT) if _ENV_ROOT else (REPO_ROOT.parent / "shared" / "data")
"""Read once, when the tests start: each test then runs without any BACKSTRIDE_ variable of
the harness (a program under test would take it for a setting of its own)."""


def corpus_data_root() -> Path:
    return DATA_ROOT


def corpus_files(suffixes: tuple[str, ...]) -> list[Path]:
    """All corpus files with the given (lower-case) suffixes, for parametrisation.

    Returns [] when the corpus is missing; the ``activities_dir`` fixture reports that.
    """
    root = corpus_data_root() / "activities"
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and p.name.lower().endswith(suffixes))
