"""The README's "Your first hour" works as written: each command, in order, on a new database."""

from __future__ import annotations

import io
import shlex
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliResult

ROOT = Path(__file__).resolve().parents[1]
Runner = Callable[..., CliResult]

# What a runner types at the prompts: the screen's twelve "no"; a check-in of 2/10 in the low
# back, no warning sign, feeling stiff.
ANSWERS = {
    "screen": "n\n" * 12,
    "checkin": "2\nlow-back\nn\nn\nn\nstiffness\n",
}


def first_hour() -> list[list[str]]:
    """The commands of the README's "Your first hour" block, without ``.venv/bin/backstride``."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Your first hour", 1)[1]
    block = section.split("```sh", 1)[1].split("```", 1)[0]
    commands = []
    for line in block.strip().splitlines():
        words = shlex.split(line.split("#", 1)[0])
        assert words[0] == ".venv/bin/backstride", line
        commands.append(words[1:])
    return commands


def test_the_first_hour_is_in_the_readme() -> None:
    steps = [" ".join(c) for c in first_hour()]
    assert steps[0].startswith("import ") and "screen" in steps and "checkin" in steps
    assert "today" in steps and steps[-1] == "serve"


def test_the_first_hour_runs_as_written(
    cli: Runner, activities_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export = tmp_path / "export.zip"
    with zipfile.ZipFile(export, "w") as zf:
        zf.write(activities_dir / "gpxpy/cerknicko-jezero.gpx", "activities/a.gpx")
        zf.write(activities_dir / "python-fitparse/garmin-fenix-5-run.fit", "activities/b.fit")
    outputs = {}
    for command in first_hour():
        if command == ["serve"]:
            continue  # serves until stopped: tests/web/test_serve.py starts it
        args = [str(export) if a.endswith("export.zip") else a for a in command]
        monkeypatch.setattr(sys, "stdin", io.StringIO(ANSWERS.get(command[0], "")))
        result = cli(*args)
        assert result.exit_code == 0, (command, result.stdout, result.stderr)
        outputs[" ".join(command)] = result.stdout
    imported = outputs[next(k for k in outputs if k.startswith("import"))]
    assert "2 imported" in imported
    assert "Saved pain entry" in outputs["checkin"]
    assert "Answer the health questions first" not in outputs["today"]
    assert " km" in outputs["activity list"]
    assert "Source" in outputs["today"] or "Why" in outputs["today"]
    assert " mi " in outputs["--units mi activity list"]
    assert "/mi" in outputs["--units mi activity list"]
