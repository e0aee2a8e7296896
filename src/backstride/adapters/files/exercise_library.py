"""Reading the bundled exercise library (``backstride/data/exercises.toml``, package data)."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path

from backstride.domain.exercises import ExerciseLibrary, parse_library
from backstride.errors import ConfigError

LIBRARY_RESOURCE = ("data", "exercises.toml")


def parse_library_text(text: str, *, source: str) -> ExerciseLibrary:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"The exercise library '{source}' is not valid TOML: {exc}.") from exc
    return parse_library(data)


def read_exercise_library(path: Path | None = None) -> ExerciseLibrary:
    """The library from ``path``, or the bundled one (validated; cached for the bundled one)."""
    if path is not None:
        return parse_library_text(path.read_text(encoding="utf-8"), source=str(path))
    return _bundled()


@lru_cache(maxsize=1)
def _bundled() -> ExerciseLibrary:
    resource = resources.files("backstride").joinpath(*LIBRARY_RESOURCE)
    return parse_library_text(resource.read_text(encoding="utf-8"), source="exercises.toml")
