"""The Self-tests page's view model: each test, its latest result against its norms."""

from __future__ import annotations

from datetime import date
from typing import Any

from backstride.domain.selftest import TESTS, SelfTestName
from backstride.services.body import selftest_report
from backstride.services.context import App
from backstride.web.context import runner_today


def selftests_data(app: App, on: date) -> dict[str, Any]:
    report = selftest_report(app, today=on).to_json()
    return {
        "report": report,
        "tests": [(n.value, TESTS[n].title, TESTS[n].unit) for n in SelfTestName],
        "today": runner_today(),
    }
