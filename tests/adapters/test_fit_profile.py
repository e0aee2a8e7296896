"""The committed FIT profile is exactly what ``tools/gen_fit_profile.py`` generates."""

from __future__ import annotations

import difflib
import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROFILE = ROOT / "src/backstride/adapters/files/fit/profile.py"
RUFF = Path(sys.executable).with_name("ruff")


def _generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "gen_fit_profile", ROOT / "tools/gen_fit_profile.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_regenerated_profile_matches_the_committed_one() -> None:
    raw = _generator().render()
    formatted = subprocess.run(
        [str(RUFF), "format", "--stdin-filename", str(PROFILE), "-"],
        input=raw,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    committed = PROFILE.read_text(encoding="utf-8")
    diff = "".join(
        difflib.unified_diff(
            committed.splitlines(keepends=True),
            formatted.splitlines(keepends=True),
            "committed",
            "regenerated",
        )
    )
    assert not diff, f"run tools/gen_fit_profile.py and ruff format:\n{diff}"
