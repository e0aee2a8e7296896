"""Usage mistakes: rendered with the command's usage line, exit status 2.

Typer may vendor its own copy of click (``typer._click`` in recent Typer) while other code
(uvicorn, older Typer) uses the standalone ``click``: an exception raised by one copy is not an
instance of the other's classes, so :func:`framework_exit` checks every copy that is loaded.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any

from backstride.errors import InvalidInputError


def current_context() -> Any:
    """The click context of the command running now, from whichever click copy runs it (None
    outside a command)."""
    for module in click_modules():
        state = sys.modules.get(f"{module.__name__}.globals")
        ctx = state.get_current_context(silent=True) if state is not None else None
        if ctx is not None:
            return ctx
    return None


def _current_usage() -> str | None:
    """The usage line of the command running now (None outside a command)."""
    ctx = current_context()
    return str(ctx.get_usage()) if ctx is not None else None


class OptionUsageError(InvalidInputError):
    """Options that do not go together, or a required choice left out (exit 2).

    Remembers the usage line of the command it was raised in, printed above the message.
    """

    exit_code = 2

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.usage = _current_usage()


def click_modules() -> list[ModuleType]:
    """The top-level modules of every loaded click copy: Typer's own first."""
    import typer

    names = [typer.BadParameter.__module__.rsplit(".exceptions", 1)[0], "click"]
    return [sys.modules[n] for n in dict.fromkeys(names) if n in sys.modules]


def framework_exit(exc: BaseException) -> int | None:
    """Render a Typer/click signal or usage error (from any click copy) and give its exit
    status; None when ``exc`` is none of those."""
    import typer

    if isinstance(exc, typer.Exit):
        return int(exc.exit_code)
    if isinstance(exc, typer.Abort):
        return _aborted()
    for module in click_modules():
        exceptions: Any = module.exceptions
        exit_class = getattr(exceptions, "Exit", None)  # Typer's copy uses typer.Exit instead
        if exit_class is not None and isinstance(exc, exit_class):
            return int(exc.exit_code)
        abort_class = getattr(exceptions, "Abort", None)
        if abort_class is not None and isinstance(exc, abort_class):
            return _aborted()
        if isinstance(exc, exceptions.ClickException):
            exc.show()
            return int(exc.exit_code)
    return None


def _aborted() -> int:
    print("Aborted.", file=sys.stderr)
    return 130
