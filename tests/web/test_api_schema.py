"""The JSON API against its own OpenAPI document, with schemathesis (in-process ASGI).

A bounded number of generated requests per operation (valid and invalid ones): no answer may
be a server error, and every answer must match the documented status codes, content types
and schemas.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from backstride.web.app import create_app
from tests.databases import BuiltOnce, DbBackend
from tests.web.conftest import make_settings, seed

MAX_EXAMPLES = 25
OPERATIONS = [
    ("GET", "/api/evidence"),
    ("GET", "/api/evidence/{key}"),
    ("GET", "/api/activities"),
    ("GET", "/api/activities/{activity_id}"),
    ("PATCH", "/api/activities/{activity_id}"),
    ("POST", "/api/imports"),
    ("GET", "/api/overview"),
    ("GET", "/api/load"),
    ("GET", "/api/today"),
    # The runner's records (issue #5): web/api/<noun>.py
    ("GET", "/api/profile"),
    ("PUT", "/api/profile"),
    ("GET", "/api/screening/questions"),
    ("POST", "/api/screening"),
    ("GET", "/api/clearances"),
    ("POST", "/api/clearances"),
    ("GET", "/api/pain"),
    ("POST", "/api/pain"),
    ("PATCH", "/api/pain/{entry_id}"),
    ("DELETE", "/api/pain/{entry_id}"),
    ("POST", "/api/pain/{entry_id}/warning-signs"),
    ("GET", "/api/pain/report"),
    ("POST", "/api/red-flags/seen"),
    ("GET", "/api/self-tests"),
    ("POST", "/api/self-tests"),
    ("GET", "/api/self-tests/report"),
    ("GET", "/api/shoes"),
    ("POST", "/api/shoes"),
    ("PUT", "/api/shoes/default"),
    ("POST", "/api/shoes/retire"),
    # The plan: web/api/plan.py
    ("GET", "/api/plan"),
    ("GET", "/api/plan/today"),
    ("POST", "/api/plan"),
    ("POST", "/api/plan/done"),
    ("POST", "/api/plan/skip"),
    ("POST", "/api/plan/pause"),
    ("POST", "/api/plan/resume"),
    ("POST", "/api/plan/stop"),
]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


_SEEDED = BuiltOnce("api-schema")


@pytest.fixture
def api_schema(
    tmp_path: Path, db_url: str, db_backend: DbBackend, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Any]:
    """Six synthetic activities, stored once per engine and copied into each test's own
    database (the generated requests change what they touch)."""
    web_settings = make_settings(tmp_path, db=db_url)
    _SEEDED.into(db_backend, db_url, lambda _: seed(web_settings, count=6))
    application = create_app(web_settings, allowed_hosts=["*"])
    yield schemathesis.openapi.from_asgi("/openapi.json", application)
    application.state.web.app.close()


def test_every_api_operation_is_exercised(api_schema: Any) -> None:
    found = {(op.ok().method.upper(), op.ok().path) for op in api_schema.get_all_operations()}
    assert found == set(OPERATIONS)


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_api_matches_its_openapi_document(api_schema: Any, method: str, path: str) -> None:
    operation = api_schema[path][method]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        case.call_and_validate(checks=CHECKS)

    run()
