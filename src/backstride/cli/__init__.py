"""The ``backstride`` command line: ``backstride <noun> <verb>``; errors rendered in one place.

The whole command line is ``backstride.cli.app`` (``cli/commands.py``), built on first use:
``backstride today`` alone runs a command line with only the root and ``today``
(``cli/root.py``), which answers it alike without importing every other command.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

from backstride.cli.common import err_console
from backstride.errors import BackstrideError

if TYPE_CHECKING:
    import typer


def __getattr__(name: str) -> Any:
    if name == "app":
        from backstride.cli.commands import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def command_line(args: list[str]) -> typer.Typer:
    """The command line that answers ``args`` (``sys.argv[1:]``): only the root and ``today``
    when they ask for ``today``, else the whole one."""
    from backstride.cli.root import asks_for_today, today_app

    if asks_for_today(args):
        return today_app()
    from backstride.cli.commands import app

    return app


def main() -> None:
    """Console entry point: runs the app and renders every error the same way."""
    try:
        code = command_line(sys.argv[1:])(standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except BackstrideError as exc:
        usage = getattr(exc, "usage", None)
        if usage:
            err_console.print(usage, highlight=False, markup=False)
        err_console.print(f"[bold red]Error:[/] {exc.message}", highlight=False)
        if exc.hint:
            err_console.print(f"[dim]Hint:[/] {exc.hint}", highlight=False)
        if _debug():
            _print_traceback()
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        _quiet_pipe()
        sys.exit(141)  # 128 + SIGPIPE, as a shell reports a reader that stopped early
    except KeyboardInterrupt:
        err_console.print("Interrupted.")
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - unknown errors: short message, traceback on --debug
        from backstride.cli.usage import framework_exit

        status = framework_exit(exc)
        if status is not None:
            sys.exit(status)
        err_console.print(
            "[bold red]Error:[/] something unexpected went wrong. Run again with --debug for "
            "details, and please report it."
        )
        if _debug():
            _print_traceback()
        sys.exit(1)


def _debug() -> bool:
    """--debug given (also when the error came before the options were read)."""
    return "--debug" in sys.argv[1:]


def _quiet_pipe() -> None:
    """The reader of stdout went away (``backstride today | head -1``): end without a word,
    and keep Python from complaining when it flushes stdout on the way out."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _print_traceback() -> None:
    import traceback

    traceback.print_exc()
