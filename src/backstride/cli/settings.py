"""``backstride config show``"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from backstride.cli.common import STATE, console, print_json
from backstride.config import Settings

config_app = typer.Typer(no_args_is_help=True)
SECRET_SETTINGS = ("secret_key", "oidc_client_secret")
"""Settings never printed: shown as "(set)" when they have a value."""


@config_app.command("show")
def show(json_out: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False) -> None:
    """Print the effective settings and where the database lives."""
    settings = STATE.app().settings
    values = settings.model_dump(mode="json")
    values["database_url"] = settings.database_url
    for name in SECRET_SETTINGS:
        if values.get(name):
            values[name] = "(set)"
    if json_out:
        print_json(values)
        return
    table = Table("setting", "value", "meaning")
    for name, field in Settings.model_fields.items():
        table.add_row(name, str(values.get(name)), field.description or "")
    table.add_row("database_url", settings.database_url, "The database actually used.")
    console.print(table)
