"""The self-tests as JSON: the same use cases as ``selftest add|list|report`` and the
Self-tests page."""

from __future__ import annotations

from fastapi import APIRouter

from backstride.domain.selftest import TESTS, SelfTestName
from backstride.services.body import SelfTestSaved, add_selftest, selftest_report
from backstride.web.api.common import JSON_ONLY, RECORD_ERRORS, QueryDay, reply
from backstride.web.context import runner_today
from backstride.web.deps import WebDep
from backstride.web.schemas.selftests import (
    SelfTestDefOut,
    SelfTestIn,
    SelfTestReportOut,
    SelfTestSavedOut,
)

router = APIRouter(prefix="/api", tags=["selftests"], responses=RECORD_ERRORS)


@router.get(
    "/self-tests",
    response_model=list[SelfTestDefOut],
    summary="The self-tests: what each measures, its unit and how to do it",
)
def api_selftests() -> list[SelfTestDefOut]:
    return [
        SelfTestDefOut(
            test=name,
            title=spec.title,
            unit=spec.unit,
            measures=spec.measures,
            how_to=list(spec.steps),
            caution=spec.caution,
            min_value=spec.min_value,
            max_value=spec.max_value,
        )
        for name in SelfTestName
        for spec in (TESTS[name],)
    ]


@router.post(
    "/self-tests",
    response_model=SelfTestSavedOut,
    status_code=201,
    summary="Record a self-test result",
    dependencies=JSON_ONLY,
)
def api_add_selftest(web: WebDep, body: SelfTestIn) -> SelfTestSavedOut:
    return reply(SelfTestSavedOut, save_selftest(web, body))


def save_selftest(web: WebDep, body: SelfTestIn) -> SelfTestSaved:
    """Store a result (the API's POST and the Self-tests page's form)."""
    today = runner_today()
    value = body.value if isinstance(body.value, str) else f"{body.value:g}"
    return add_selftest(
        web.app, name=body.test.value, value=value, on=body.on or today, today=today
    )


@router.get(
    "/self-tests/report",
    response_model=SelfTestReportOut,
    summary="Each latest result against its norms, the endurance ratios, retest reminders",
)
def api_selftest_report(web: WebDep, on: QueryDay = None) -> SelfTestReportOut:
    report = selftest_report(web.app, today=on or runner_today())
    return reply(SelfTestReportOut, report)
