"""What every command shares: the lazily opened app context and the consoles."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from rich.console import Console

from backstride.config import get_settings
from backstride.domain import dates
from backstride.services.context import App


class RunnerConsole(Console):
    """A console for runners: the backticks with which shared texts mark commands are not
    printed (the command is shown as it is typed)."""

    def print(self, *objects: Any, **kwargs: Any) -> None:
        super().print(*(o.replace("`", "") if isinstance(o, str) else o for o in objects), **kwargs)


console = RunnerConsole(highlight=False)
err_console = RunnerConsole(stderr=True, highlight=False)


@dataclass
class CliState:
    db: str | None = None
    debug: bool = False
    _app: App | None = None

    def app(self) -> App:
        if self._app is None:
            self._app = App(get_settings(db=self.db))
        return self._app

    def close(self) -> None:
        if self._app is not None:
            self._app.close()
            self._app = None


STATE = CliState()


def parse_day(text: str | None, *, what: str = "date") -> date | None:
    """A date option (YYYY-MM-DD, 1990 to 2100), or None when not given."""
    if text is None:
        return None
    return dates.parse_day(text, what=what)


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


def print_json(data: Any) -> None:
    """JSON on stdout, never NaN or Infinity."""
    console.file.write(json.dumps(_clean(data), indent=2, ensure_ascii=False, default=str) + "\n")
