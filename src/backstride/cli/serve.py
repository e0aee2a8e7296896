"""``backstride serve``: the local web dashboard (loopback only unless asked otherwise)."""

from __future__ import annotations

import ipaddress
from typing import Annotated

import typer

from backstride.cli.common import STATE, console, err_console
from backstride.config import get_settings


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve_command(
    host: Annotated[
        str | None,
        typer.Option("--host", help="Address to bind (default 127.0.0.1: this computer only)."),
    ] = None,
    port: Annotated[
        int | None,
        typer.Option("--port", min=1, max=65535, help="Port to listen on (default 8765)."),
    ] = None,
) -> None:
    """Serve the dashboard at http://127.0.0.1:8765 until Ctrl+C."""
    import uvicorn

    from backstride.web.app import create_app

    settings = get_settings(db=STATE.db, host=host, port=port)
    if not _is_loopback(settings.host):
        err_console.print(
            f"[bold yellow]Warning:[/] serving on {settings.host}: anyone who can reach this "
            "computer on the network can read and change your data; the dashboard has no login."
        )
    web_app = create_app(settings)
    shown = f"[{settings.host}]" if ":" in settings.host else settings.host
    console.print(f"backstride dashboard: http://{shown}:{settings.port}  (Ctrl+C stops it)")
    uvicorn.run(
        web_app,
        host=settings.host,
        port=settings.port,
        log_level="warning",
        proxy_headers=False,
        server_header=False,
    )
