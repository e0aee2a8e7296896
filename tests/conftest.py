"""Shared fixtures: the real activity corpus, temp databases, CLI runner."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.corpus import corpus_data_root


@pytest.fixture(scope="session")
def activities_dir() -> Path:
    """``../shared/data/activities``; skipped if absent, but a failure when CI=true."""
    root = corpus_data_root() / "activities"
    if not root.is_dir():
        msg = f"real activity corpus not found at {root} (set BACKSTRIDE_TEST_DATA)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(msg)
        pytest.skip(msg)
    return root
