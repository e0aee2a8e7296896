"""Where backstride keeps its files by default (platformdirs), without the settings machinery.

Light on purpose: the command line's cached ``today`` (``services/day_cache.py``) finds its
entry from these before it decides whether to build the settings at all.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "backstride"
CONFIG_FILE_ENV = "BACKSTRIDE_CONFIG_FILE"


def default_data_dir() -> Path:
    """The per-user data directory (platformdirs)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_config_file() -> Path:
    """The per-user config file location (platformdirs)."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def config_file() -> Path:
    """The config file the settings read: ``BACKSTRIDE_CONFIG_FILE``, else the default."""
    return Path(os.environ.get(CONFIG_FILE_ENV, str(default_config_file())))


def database_url(db: str | None, data_dir: Path) -> str:
    """The SQLAlchemy URL for the ``db`` setting: a URL as it is, a plain path as an SQLite URL,
    none at all: ``backstride.sqlite3`` in the data folder."""
    if db is None:
        return f"sqlite:///{data_dir / 'backstride.sqlite3'}"
    if "://" in db:
        return db
    return f"sqlite:///{Path(db).expanduser().resolve()}"


def cache_dir() -> Path:
    """The per-user cache directory (platformdirs; ``XDG_CACHE_HOME`` on Linux)."""
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
