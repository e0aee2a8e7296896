"""The few settings a plain ``backstride today`` reads, without pydantic-settings.

Building :class:`backstride.config.Settings` imports pydantic-settings and validates every
field: about a tenth of a first ``backstride today`` after a change. When the settings can only
come from the command line's flags and a few plain environment variables (no config file, no
other ``BACKSTRIDE_*`` variable), :func:`quick_settings` reads the database, data folder and
units here, by the same rules, and leaves the rest to the real settings, built on first use of
any other field (so nothing is ever answered differently; a test compares the two field by
field). In any other case it returns None and the caller builds the settings as always.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backstride.paths import CONFIG_FILE_ENV, config_file, database_url, default_data_dir

if TYPE_CHECKING:
    from backstride.config import Settings

_PREFIX = "BACKSTRIDE_"
PLAIN = frozenset({"db", "data_dir", "units"})
"""Settings read here from ``BACKSTRIDE_*`` variables; any other one needs the real settings."""


class QuickSettings:
    """``db``, ``data_dir``, ``units`` (and where they came from), ``mode`` and
    ``guidance_overrides`` as :class:`Settings` would give them; any other field from the real
    settings, built on first use."""

    mode = "local"
    server_mode = False

    def __init__(
        self, *, db: str | None, data_dir: Path, units: str, units_from: str, flags: dict[str, Any]
    ) -> None:
        self.db = db
        self.data_dir = data_dir
        self.units = units
        self.units_from = units_from
        self.guidance_overrides: dict[str, float] = {}
        self._flags = flags
        self._full: Settings | None = None

    @property
    def database_url(self) -> str:
        return database_url(self.db, self.data_dir)

    def full(self) -> Settings:
        """The real settings (built once)."""
        if self._full is None:
            from backstride.config import get_settings

            self._full = get_settings(**self._flags)
        return self._full

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.full(), name)


def quick_settings(*, db: str | None = None, units: str | None = None) -> QuickSettings | None:
    """The settings for the flags ``db`` and ``units`` when they need no config file and no
    validation beyond the units' own check; None otherwise (build :class:`Settings`)."""
    from backstride.domain.units import check_units
    from backstride.errors import InvalidInputError

    env: dict[str, str] = {}
    for key, value in os.environ.items():
        if not key.upper().startswith(_PREFIX):
            continue
        name = key[len(_PREFIX) :].lower()
        if key.upper() == CONFIG_FILE_ENV:
            continue
        if name not in PLAIN or name in env or not value.strip():
            return None  # another setting, a name given twice, or an empty value
        env[name] = value
    if config_file().exists():
        return None
    chosen = units if units is not None else env.get("units")
    try:
        clean_units = check_units(chosen) if chosen is not None else "km"
    except InvalidInputError:
        return None  # the real settings say what is wrong
    units_from = "flag" if units is not None else "environment" if "units" in env else "default"
    data_dir = Path(env["data_dir"]) if "data_dir" in env else default_data_dir()
    flags = {"db": db, "units": units}
    return QuickSettings(
        db=db if db is not None else env.get("db"),
        data_dir=data_dir,
        units=clean_units,
        units_from=units_from,
        flags=flags,
    )
