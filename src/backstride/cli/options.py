"""Options that several commands share, declared once (``Annotated`` aliases)."""

from __future__ import annotations

from typing import Annotated, Any

import typer


def json_option(what: str = "") -> Any:
    """``--json``: print ``what`` (the command's result by default) as JSON."""
    return typer.Option("--json", help=f"Print {what + ' ' if what else ''}as JSON.")


JsonOut = Annotated[bool, json_option()]
"""``--json``: print as JSON."""
JsonResult = Annotated[bool, json_option("the result")]
"""``--json``: print the result as JSON."""
OnDay = Annotated[str | None, typer.Option("--on", help="Date, YYYY-MM-DD (default today).")]
"""``--on DATE``: the day (default today)."""
