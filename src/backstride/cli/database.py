"""``backstride db upgrade``"""

from __future__ import annotations

from typing import Annotated

import typer

from backstride.cli.common import console, print_json, state

db_app = typer.Typer(no_args_is_help=True)


@db_app.command("upgrade")
def upgrade(
    json_out: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Bring the database's schema up to date (safe to run from several processes at once)."""
    from backstride.services.database import upgrade_database  # heavy: SQLAlchemy, Alembic

    result = upgrade_database(state().app().settings)
    if json_out:
        print_json(
            {
                "database": result.database,
                "before": result.before,
                "after": result.after,
                "migrated": result.migrated,
            }
        )
        return
    if result.migrated:
        was = f"revision {result.before}" if result.before else "an empty database"
        console.print(f"Updated {result.database} from {was} to revision {result.after}.")
    else:
        console.print(f"{result.database} is up to date (revision {result.after}).")
