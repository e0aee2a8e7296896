"""The demo's story tables (``story/*.toml``), read once per process."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

Table = dict[str, Any]


@dataclass(frozen=True, slots=True)
class StoryTables:
    """``athlete.toml``, ``routes.toml``, ``sessions.toml`` and ``diary.toml`` as parsed."""

    athlete: Table
    routes: list[Table]
    sessions: Table
    diary: Table


def _read(name: str) -> Table:
    text = resources.files("backstride.services.demo").joinpath("story", name).read_text("utf-8")
    return tomllib.loads(text)


@functools.cache
def story_tables() -> StoryTables:
    """The tables shipped with backstride (the same object on every call)."""
    return StoryTables(
        athlete=_read("athlete.toml"),
        routes=list(_read("routes.toml")["route"]),
        sessions=_read("sessions.toml"),
        diary=_read("diary.toml"),
    )
