"""What every command shares: the lazily opened app context and the consoles."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from backstride.cli.usage import OptionUsageError
from backstride.domain import dates
from backstride.errors import InvalidInputError

if TYPE_CHECKING:
    from rich.console import Console

    from backstride.config import Settings
    from backstride.services.context import App


def _runner_console(**options: Any) -> Console:
    """A console for runners: the backticks with which shared texts mark commands are not
    printed (the command is shown as it is typed)."""
    from rich.console import Console

    class RunnerConsole(Console):
        def print(self, *objects: Any, **kwargs: Any) -> None:
            super().print(
                *(o.replace("`", "") if isinstance(o, str) else o for o in objects), **kwargs
            )

    return RunnerConsole(**options)


class _LazyConsole:
    """A rich ``Console`` made on first use (importing rich costs more than ``--help`` does)."""

    def __init__(self, **options: Any) -> None:
        object.__setattr__(self, "_options", options)
        object.__setattr__(self, "_console", None)

    def _real(self) -> Console:
        made = object.__getattribute__(self, "_console")
        if made is None:
            made = _runner_console(**object.__getattribute__(self, "_options"))
            object.__setattr__(self, "_console", made)
        return made  # type: ignore[no-any-return]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._real(), name, value)


console: Console = _LazyConsole(highlight=False)  # type: ignore[assignment]
err_console: Console = _LazyConsole(stderr=True, highlight=False)  # type: ignore[assignment]


@dataclass
class CliState:
    db: str | None = None
    debug: bool = False
    units_flag: str | None = None
    _app: App | None = None
    _units: str | None = None

    def app(self, *, narrow_reads: bool = False) -> App:
        """This run's context, made on first use. ``narrow_reads`` (for the first use only):
        read with ``sqlite3`` alone where the database allows it (``App.narrow_reads``)."""
        if self._app is None:
            from backstride.services.context import App

            settings = None
            if narrow_reads:  # the few settings the day reads, without pydantic-settings
                from backstride.quick_settings import quick_settings

                settings = cast(
                    "Settings | None", quick_settings(db=self.db, units=self.units_flag)
                )
            if settings is None:
                from backstride.config import get_settings

                settings = get_settings(db=self.db, units=self.units_flag)
            self._app = App(settings, narrow_reads=narrow_reads)
        return self._app

    @property
    def units(self) -> str:
        """km or mi: --units, else BACKSTRIDE_UNITS, else the profile, else config.toml, else
        km (the rule: :func:`backstride.domain.units.choose_units`)."""
        if self._units is None:
            from backstride.services.body import units_in_force

            self._units = units_in_force(self.app()).units
        return self._units

    def forget_units(self) -> None:
        """Work the units out again (after the profile changed)."""
        self._units = None

    def close(self) -> None:
        if self._app is not None:
            self._app.close()
            self._app = None
        self._units = None


def state() -> CliState:
    """This run's state: Typer's context object, set by the root command (``cli.__init__``).

    A command called without the root (a test calling a command function) gets a fresh one.
    """
    from backstride.cli.usage import current_context

    ctx = current_context()
    found = ctx.find_object(CliState) if ctx is not None else None
    if found is None:
        found = CliState()
        if ctx is not None:
            ctx.find_root().obj = found
            ctx.find_root().call_on_close(found.close)
    return found


def keep_commands_whole(text: str, width: int) -> list[str]:
    """``text`` as lines of at most ``width`` columns (when it is wider), broken between words
    but never inside a command that the shared texts mark with backticks (``backstride
    routine core`` moves to the next line whole). The marks stay; the console drops them, so
    widths are counted without them. A line with no such command is returned as it is: the
    console wraps it as before."""
    from rich.cells import cell_len

    if "`" not in text or cell_len(text.replace("`", "")) <= width:
        return [text]
    indent = text[: len(text) - len(text.lstrip(" "))]
    parts = text[len(indent) :].split("`")
    glued = "`".join(p.replace(" ", "\0") if i % 2 else p for i, p in enumerate(parts))
    words = [w.replace("\0", " ") for w in glued.split(" ") if w]
    lines: list[str] = []
    line = ""
    for word in words:
        candidate = f"{line} {word}" if line else indent + word
        if line and cell_len(candidate.replace("`", "")) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    return lines


def say(text: str, *, style: str | None = None) -> None:
    """Print plain text (no rich markup interpretation). Commands that the shared texts mark
    with backticks are printed as they are typed, without the marks, and never broken across
    two lines (:func:`keep_commands_whole`)."""
    for line in keep_commands_whole(text, console.width):
        console.print(line, style=style, markup=False)


def or_dash(value: object) -> str:
    """A value for a table cell; a dash for nothing."""
    return "–" if value is None or value == [] or value == "" else str(value)


def parse_day(text: str | None, *, what: str = "date") -> date | None:
    """A date option (YYYY-MM-DD, 1990 to 2100), or None when not given."""
    if text is None:
        return None
    try:
        return dates.parse_day(text, what=what)
    except InvalidInputError as exc:  # typed on the command line: a usage mistake (exit 2)
        raise OptionUsageError(exc.message, hint=exc.hint) from exc


def today_or(text: str | None) -> date:
    """``--on DATE`` or today's local date (the clock is read here, at the edge)."""
    return parse_day(text, what="date for --on") or date.today()


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def json_text(data: Any) -> str:
    """``data`` as the JSON text commands print (never NaN or Infinity), with its newline."""
    return json.dumps(_clean(data), indent=2, ensure_ascii=False, default=str) + "\n"


def print_json(data: Any) -> None:
    """JSON on stdout, never NaN or Infinity."""
    console_write(json_text(data))


def console_write(text: str) -> None:
    """``text`` on stdout as it is (no wrapping, no styles)."""
    console.file.write(text)
