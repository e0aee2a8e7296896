"""The few settings ``backstride today`` reads without pydantic-settings
(``quick_settings.py``) are the real settings' values, field by field; whenever the real
settings could say something else (a config file, another variable, a bad value) there are no
quick settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from backstride.config import get_settings
from backstride.quick_settings import quick_settings

FIELDS = (
    "db",
    "data_dir",
    "units",
    "units_from",
    "mode",
    "server_mode",
    "guidance_overrides",
    "database_url",
    "db_lock_timeout_s",
    "port",
)


@pytest.mark.parametrize(
    ("env", "flags"),
    [
        ({}, {}),
        ({"BACKSTRIDE_DB": "runner.sqlite3"}, {}),
        ({"BACKSTRIDE_DB": "~/x.sqlite3"}, {"db": "/tmp/flag.sqlite3"}),
        ({"backstride_db": "postgresql://u@h/db"}, {}),
        ({"BACKSTRIDE_UNITS": " Miles "}, {}),
        ({"BACKSTRIDE_UNITS": "mi"}, {"units": "km"}),
        ({}, {"units": "MI"}),
        ({"BACKSTRIDE_DATA_DIR": "relative/folder"}, {}),
    ],
)
def test_quick_settings_are_the_real_ones(
    env: dict[str, str], flags: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    quick = quick_settings(**flags)
    assert quick is not None
    real = get_settings(**flags)
    for name in FIELDS:
        assert getattr(quick, name) == getattr(real, name), name


@pytest.mark.parametrize(
    "env",
    [
        {"BACKSTRIDE_PORT": "9000"},
        {"BACKSTRIDE_UNITS": "furlongs"},
        {"BACKSTRIDE_DB": ""},
        {"BACKSTRIDE_GUIDANCE_OVERRIDES": '{"pain_acceptable_max": 3}'},
        {"BACKSTRIDE_MODE": "server"},
    ],
)
def test_anything_more_needs_the_real_settings(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert quick_settings() is None


def test_a_config_file_needs_the_real_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('units = "mi"\n', encoding="utf-8")
    monkeypatch.setenv("BACKSTRIDE_CONFIG_FILE", str(config))
    assert quick_settings() is None
    assert quick_settings(units="km") is None
