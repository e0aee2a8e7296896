"""The docs stay true: every command has help, every setting a description, README lists them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer.main

from backstride.cli import app
from backstride.config import Settings

ROOT = Path(__file__).resolve().parents[1]


def _commands() -> dict[str, Any]:
    """Every command and sub-command (typer may vendor its own click: duck-typed)."""
    group = typer.main.get_command(app)
    out: dict[str, Any] = {}
    for name, cmd in group.commands.items():  # type: ignore[attr-defined]
        out[name] = cmd
        for sub, subcmd in getattr(cmd, "commands", {}).items():
            out[f"{name} {sub}"] = subcmd
    return out


def test_every_command_and_option_has_help() -> None:
    for name, cmd in _commands().items():
        assert cmd.help or cmd.short_help, f"`backstride {name}` has no help"
        for param in cmd.params:
            if type(param).__name__.endswith("Option") and not getattr(param, "hidden", False):
                assert param.help, f"`backstride {name}` option {param.opts} has no help"


def test_readme_names_every_top_level_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    top = {name.split()[0] for name in _commands()}
    missing = sorted(c for c in top if f"`{c}" not in readme)
    assert not missing, f"README does not mention: {missing}"


def test_readme_first_screen_shows_the_two_commands() -> None:
    first_screen = "\n".join((ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:25])
    assert "make demo" in first_screen and "make test" in first_screen


def test_every_setting_is_described() -> None:
    for name, field in Settings.model_fields.items():
        assert field.description, f"setting {name} has no description"


def test_ci_runs_make_test() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
