"""``backstride serve``: the local web dashboard, on this computer only (a loopback address)."""

from __future__ import annotations

import os
import secrets
from typing import Annotated, Any

import typer

from backstride.cli.common import console, state

WORKER_START_S = 120
"""How long a worker process may take to start before uvicorn restarts it."""


def serve_command(
    host: Annotated[
        str | None,
        typer.Option(
            "--host",
            help="Address to bind (default 127.0.0.1). The local dashboard has no login, so "
            "only loopback addresses are allowed, unless --server with a login configured.",
        ),
    ] = None,
    port: Annotated[
        int | None,
        typer.Option("--port", min=1, max=65535, help="Port to listen on (default 8765)."),
    ] = None,
    server: Annotated[
        bool,
        typer.Option(
            "--server",
            help="Server mode: many runners and their professionals, each logs in "
            '(same as mode = "server" in the settings; docs/server.md).',
        ),
    ] = False,
    proxy_headers: Annotated[
        bool | None,
        typer.Option(
            "--proxy-headers/--no-proxy-headers",
            help="Trust X-Forwarded-For/-Proto from a reverse proxy on this computer (127.0.0.1) "
            "for the client's address and https (default: on in server mode, off otherwise).",
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            max=16,
            help="Server processes: more answer several browsers at once faster (default 1).",
        ),
    ] = 1,
) -> None:
    """Serve the dashboard at http://127.0.0.1:8765 until Ctrl+C."""
    import uvicorn

    from backstride.config import get_settings
    from backstride.services.accounts import has_login
    from backstride.services.context import App
    from backstride.web.app import create_app
    from backstride.web.security import require_loopback
    from backstride.web.serving import HTTP_PROTOCOL, freeze_startup_objects

    run = state()
    settings = get_settings(
        db=run.db,
        units=run.units_flag,
        host=host,
        port=port,
        mode="server" if server else None,
    )
    login_required = False
    if settings.server_mode:
        application = App(settings)
        try:
            login_required = has_login(application)
        finally:
            application.close()
        if not login_required:
            console.print(
                "Server mode: nobody can log in yet. Add an account with: backstride user add "
                "EMAIL (or configure a login server, docs/server.md)."
            )
    require_loopback(settings.host, login_required=login_required)
    behind_proxy = settings.server_mode if proxy_headers is None else proxy_headers
    shown = f"[{settings.host}]" if ":" in settings.host else settings.host
    # How uvicorn serves, one process or several: where, how loud, which proxy to trust.
    served: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "log_level": "warning",
        "proxy_headers": behind_proxy,
        "forwarded_allow_ips": "127.0.0.1",
        "server_header": False,
        "http": HTTP_PROTOCOL,
    }
    if workers == 1:
        web_app = create_app(settings, run_jobs=settings.server_mode and settings.job_worker)
        freeze_startup_objects()
        console.print(f"backstride dashboard: http://{shown}:{settings.port}  (Ctrl+C stops it)")
        uvicorn.run(web_app, **served)
        return
    # Each worker process builds the app from the environment: same database, same form key.
    application = App(settings)
    _ = application.store if settings.server_mode else application.athlete_id  # migrate once
    application.close()
    os.environ.update(
        BACKSTRIDE_MODE=settings.mode,
        BACKSTRIDE_DB=settings.database_url,
        BACKSTRIDE_HOST=settings.host,
        BACKSTRIDE_PORT=str(settings.port),
        BACKSTRIDE_UNITS=settings.units,
        BACKSTRIDE_SECRET_KEY=settings.secret_key or secrets.token_hex(32),
        # each process takes its part of the dashboard's CPU while another program imports
        BACKSTRIDE_DASHBOARD_CPU_DURING_IMPORT=str(settings.dashboard_cpu_during_import / workers),
    )
    console.print(
        f"backstride dashboard: http://{shown}:{settings.port}  ({workers} processes; "
        "Ctrl+C stops it)"
    )
    uvicorn.run(
        "backstride.web.app:create_app_from_environment",
        factory=True,
        workers=workers,
        # A worker builds the app (imports, templates, the database) before it answers the
        # supervisor's health check; on a busy 2-core machine that took over 20 s, and
        # uvicorn's default 5 s made it restart the workers forever.
        timeout_worker_healthcheck=WORKER_START_S,
        **served,
    )
