"""The training service as the dashboard sees it: load report and per-activity analysis.

Both come from :mod:`backstride.services.training`, the same functions the CLI uses. While
that module is not installed yet, the dashboard shows every page without these figures
(``None`` here) instead of failing.
"""

from __future__ import annotations

import importlib
from datetime import date
from types import ModuleType
from typing import cast

from backstride.domain.load import LoadReport
from backstride.domain.metrics import ActivityAnalysis
from backstride.services.context import App


def _service() -> ModuleType | None:
    try:
        return importlib.import_module("backstride.services.training")
    except ModuleNotFoundError as exc:
        if exc.name != "backstride.services.training":
            raise
        return None


def available() -> bool:
    return _service() is not None


def load_report(app: App, *, on: date, weeks: int) -> LoadReport | None:
    service = _service()
    if service is None:
        return None
    return cast(LoadReport, service.load_report(app, on=on, weeks=weeks))


def activity_analysis(app: App, activity_id: int) -> ActivityAnalysis | None:
    service = _service()
    if service is None:
        return None
    return cast(ActivityAnalysis, service.activity_analysis(app, activity_id))
