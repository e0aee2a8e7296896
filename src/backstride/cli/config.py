"""``backstride config show``"""

from __future__ import annotations

import typer

from backstride.cli.common import console, print_json, state
from backstride.cli.options import JsonOut
from backstride.cli.tables import listing

config_app = typer.Typer(no_args_is_help=True)
SECRET_SETTINGS = ("secret_key", "oidc_client_secret")
"""Settings never printed: shown as "(set)" when they have a value."""


@config_app.command("show")
def show(json_out: JsonOut = False) -> None:
    """Print the effective settings and where the database lives."""
    from backstride.config import Settings, mask_password

    settings = state().app().settings
    values = settings.model_dump(mode="json")
    # A server database's password is never printed, nor the other secrets.
    values["database_url"] = mask_password(settings.database_url)
    if settings.db is not None:
        values["db"] = mask_password(settings.db)
    for name in SECRET_SETTINGS:
        if values.get(name):
            values[name] = "(set)"
    if json_out:
        print_json(values)
        return
    table = listing("setting", "value", "meaning")
    for name, field in Settings.model_fields.items():
        table.add_row(name, str(values.get(name)), field.description or "")
    table.add_row("database_url", values["database_url"], "The database actually used.")
    console.print(table)
    # The places, each whole on one line (a terminal may wrap it; it is never cut or folded).
    for label, value in (
        ("Database", values["database_url"]),
        ("Data folder", str(settings.data_dir)),
        ("Config file", str(settings.config_file)),
    ):
        console.print(f"{label}: {value}", soft_wrap=True, highlight=False, markup=False)
