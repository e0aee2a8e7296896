"""``backstride worker``: run the server's background jobs (archive imports, report PDFs)."""

from __future__ import annotations

from typing import Annotated

import typer

from backstride.cli.common import console, state


def worker_command(
    until_done: Annotated[
        bool,
        typer.Option(
            "--until-done",
            help="Run the jobs waiting now, then stop (default: keep waiting for new ones).",
        ),
    ] = False,
) -> None:
    """Run the server's background jobs (server mode on PostgreSQL) until stopped.

    The imports and report PDFs that runners start on the web wait in a queue in the
    database; this takes them up one at a time. ``serve`` runs them too unless
    ``job_worker = false`` (docs/server.md).
    """
    import asyncio

    from backstride.config import get_settings
    from backstride.errors import ConfigError
    from backstride.services.context import App
    from backstride.services.jobs import jobs_available, work

    run = state()
    settings = get_settings(db=run.db, units=run.units_flag)
    application = App(settings)
    try:
        if not jobs_available(application):
            raise ConfigError(
                "Background jobs run only in server mode on PostgreSQL; this database has "
                "no queue, and its imports run while you wait.",
                hint='Set mode = "server" and a PostgreSQL database (docs/server.md).',
            )
    finally:
        application.close()
    if not until_done:
        console.print("backstride worker: waiting for imports and reports (Ctrl+C stops it)")
    asyncio.run(work(settings, until_done=until_done))
