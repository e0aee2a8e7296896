"""Settings: environment variables ``BACKSTRIDE_*`` and an optional ``config.toml``.

Precedence: CLI flag > environment > file > default. Build with :func:`get_settings` and pass
the object down; nothing here runs at import time.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, PrivateAttr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from backstride.errors import ConfigError
from backstride.paths import APP_NAME as APP_NAME
from backstride.paths import config_file as config_file_path
from backstride.paths import database_url, default_config_file, default_data_dir


class _TomlSource(PydanticBaseSettingsSource):
    """Reads ``config.toml`` when it exists; a missing file is simply empty."""

    def __init__(self, settings_cls: type[BaseSettings], path: Path) -> None:
        super().__init__(settings_cls)
        self._data: dict[str, Any] = {}
        if path.is_file():
            try:
                self._data = tomllib.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
                raise ConfigError(
                    f"Could not read the config file '{path}': {exc}",
                    hint="Fix or remove the file; backstride works without it.",
                ) from exc

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return self._data.get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return {k: v for k, v in self._data.items() if k in self.settings_cls.model_fields}


_UNITS_FROM = "__units_from__"
"""The key with which each source of settings tags the ``units`` it gives (see _Tagged)."""


class _Tagged(PydanticBaseSettingsSource):
    """A source of settings that says where its ``units`` came from: the merge of the sources
    keeps the strongest one's tag with its value (read back into ``Settings.units_from``)."""

    def __init__(self, inner: PydanticBaseSettingsSource, tag: str) -> None:
        super().__init__(inner.settings_cls)
        self._inner = inner
        self._tag = tag

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return self._inner.get_field_value(field, field_name)

    def __call__(self) -> dict[str, Any]:
        values = dict(self._inner())
        values.pop(_UNITS_FROM, None)
        if values.get("units") is not None:
            values[_UNITS_FROM] = self._tag
        return values


class Settings(BaseSettings):
    """Effective settings for one run of backstride."""

    model_config = SettingsConfigDict(env_prefix="BACKSTRIDE_", extra="ignore", frozen=True)

    db: str | None = Field(
        default=None,
        description="Database path or SQLAlchemy URL. Default: backstride.sqlite3 in the data dir.",
    )
    db_lock_timeout_s: float = Field(
        default=10.0,
        gt=0,
        le=3600,
        description="PostgreSQL: how long a change waits for another's lock before it is "
        "refused as busy (HTTP 503), in seconds.",
    )
    db_statement_timeout_s: float = Field(
        default=120.0,
        gt=0,
        le=86400,
        description="PostgreSQL: how long one database statement may run before it is "
        "stopped (HTTP 503), in seconds.",
    )
    data_dir: Path = Field(
        default_factory=default_data_dir,
        description="Folder for the default database and uploads (platformdirs user data dir).",
    )
    config_file: Path = Field(
        default_factory=default_config_file,
        description="Optional TOML file with these same settings (read if it exists).",
    )
    max_file_mb: float = Field(
        default=200.0,
        gt=0,
        description="Largest single activity file accepted, in MB (after unpacking gzip).",
    )
    max_archive_mb: float = Field(
        default=4096.0,
        gt=0,
        description="Largest total unpacked size of one archive, in MB (zip-bomb guard).",
    )
    max_compression_ratio: float = Field(
        default=200.0,
        gt=1,
        description="Largest unpacked/packed size ratio of an archive member (zip-bomb guard).",
    )
    max_archive_files: int = Field(
        default=10_000,
        ge=1,
        description="Most activity files one archive may hold, nested archives included "
        "(a guard against archives of countless tiny files); a larger archive is refused.",
    )
    timezone: str = Field(
        default="",
        description="Time zone for activities whose file tells neither the place nor the local "
        "time: an IANA name (Europe/Zurich) or an offset (UTC+02:00); empty: the computer's.",
    )
    import_workers: int = Field(
        default=0,
        ge=0,
        description="Worker processes used to parse files during a bulk import (0 = one per core).",
    )
    dashboard_cpu_during_import: float = Field(
        default=0.35,
        gt=0,
        description="While another program imports into the database, the most CPU the "
        "dashboard takes, in cores (shared by the processes of serve --workers), so a busy "
        "dashboard slows the import by about a quarter at most on two cores (docs/web.md).",
    )
    host: str = Field(
        default="127.0.0.1",
        description="Address the dashboard binds to: loopback only, unless mode is server with "
        "a login configured (docs/server.md).",
    )
    port: int = Field(default=8765, ge=1, le=65535, description="Port the dashboard listens on.")
    upload_max_mb: float = Field(
        default=512.0, gt=0, description="Largest upload accepted by the dashboard, in MB."
    )
    secret_key: str | None = Field(
        default=None,
        description="Secret for the dashboard's anti-forgery tokens (random per start if unset).",
    )
    units: str = Field(
        default="km",
        description="Units shown: km (kilometres, metres, pace per km, swims per 100 m) or mi "
        "(miles, feet, pace per mile, swims per 100 yd). Stored data stays metric. The --units "
        "option and BACKSTRIDE_UNITS beat the profile's choice (profile set --units), which "
        "beats config.toml; on a shared server each runner's profile beats all of them.",
    )
    mode: Literal["local", "server"] = Field(
        default="local",
        description="local: one runner on this computer, no login. server: many runners and "
        "their professionals, each logs in (docs/server.md).",
    )
    server_names: list[str] = Field(
        default_factory=list,
        description="Server mode: the host names people reach the server by (runclub.example), "
        "besides this computer's own names.",
    )
    registration: Literal["closed", "open"] = Field(
        default="closed",
        description="Server mode: closed lets only accounts made with 'backstride user add' "
        "(or known to the login server) in; open lets anyone create a runner account.",
    )
    cookie_secure: bool = Field(
        default=True,
        description="Server mode: send the login cookie over HTTPS only (leave on behind TLS).",
    )
    session_hours: float = Field(
        default=12.0, gt=0, le=24 * 90, description="Server mode: how long a login lasts."
    )
    job_worker: bool = Field(
        default=True,
        description="Server mode: `serve` also runs the background jobs (archive imports, "
        "report PDFs); false when `backstride worker` runs them (docs/server.md).",
    )
    oidc_issuer: str = Field(
        default="",
        description="Server mode: the OpenID Connect login server's issuer URL (empty: none).",
    )
    oidc_client_id: str = Field(default="", description="Server mode: OpenID Connect client id.")
    oidc_client_secret: str = Field(
        default="", description="Server mode: OpenID Connect client secret."
    )
    oidc_name: str = Field(
        default="your organisation's login",
        description="Server mode: the login server's name on the login page's button.",
    )
    guidance_overrides: dict[str, float] = Field(
        default_factory=dict,
        description="Overrides of guidance thresholds by name (see docs/guidance.md).",
    )

    _units_from: str = PrivateAttr(default="default")

    @model_validator(mode="wrap")
    @classmethod
    def _keep_units_source(cls, data: Any, handler: Any) -> Any:
        tag = data.pop(_UNITS_FROM, None) if isinstance(data, dict) else None
        made = handler(data)
        if tag is not None:
            made._units_from = tag
        return made

    @property
    def units_from(self) -> str:
        """Where :attr:`units` came from: flag (or a keyword to ``get_settings``/``Settings``),
        environment, config file or default; the profile comes in later
        (:func:`backstride.domain.units.choose_units`)."""
        return self._units_from

    @field_validator("units")
    @classmethod
    def _known_units(cls, value: str) -> str:
        from backstride.domain.units import check_units
        from backstride.errors import InvalidInputError

        try:
            return check_units(value)
        except InvalidInputError as exc:
            raise ValueError(f"{exc.message} {exc.hint}") from exc

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from backstride.adapters.timezones import resolve_zone

        resolve_zone(value)  # raises ValueError with the reason
        return value.strip()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (
            _Tagged(init_settings, "flag"),
            _Tagged(env_settings, "environment"),
            _Tagged(_TomlSource(settings_cls, config_file_path()), "config file"),
        )

    @property
    def server_mode(self) -> bool:
        return self.mode == "server"

    @property
    def oidc_configured(self) -> bool:
        return bool(self.oidc_issuer and self.oidc_client_id)

    @property
    def database_url(self) -> str:
        """The SQLAlchemy URL for :attr:`db` (a plain path becomes a SQLite URL)."""
        return database_url(self.db, self.data_dir)


def mask_password(url: str) -> str:
    """``url`` with the password of a database URL replaced by ``***`` (for display)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    if "://" not in url:
        return url
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return url


def get_settings(**overrides: Any) -> Settings:
    """Build the settings; keyword overrides (from CLI flags) win over everything else."""
    clean = {k: v for k, v in overrides.items() if v is not None}
    try:
        return Settings(**clean)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "settings"
        raise ConfigError(
            f"Invalid setting '{where}': {first.get('msg', 'invalid value')}",
            hint="Check BACKSTRIDE_* environment variables and config.toml.",
        ) from exc
