"""The body API against its own OpenAPI document, with schemathesis (in-process ASGI).

The same checks as ``test_api_schema.py`` (no server error; documented status codes, content
types and schemas), for the operations issue #5 adds, on a database that also holds a
profile, a pain diary, self-tests and shoes.
"""

from __future__ import annotations

from collections.abc import Iterator
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
from tests.databases import DbBackend
from tests.web.body_seed import seed_body
from tests.web.conftest import make_settings, seed

MAX_EXAMPLES = 25
OPERATIONS = [
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
    ("GET", "/api/pain/report"),
    ("POST", "/api/red-flags/seen"),
    ("GET", "/api/self-tests"),
    ("POST", "/api/self-tests"),
    ("GET", "/api/self-tests/report"),
    ("GET", "/api/shoes"),
    ("POST", "/api/shoes"),
    ("PUT", "/api/shoes/default"),
    ("POST", "/api/shoes/retire"),
]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory, db_backend: DbBackend) -> Iterator[Any]:
    root = tmp_path_factory.mktemp("body-schema")
    web_settings = make_settings(root, db=db_backend.new_url(root))
    seed(web_settings, count=6)
    seed_body(web_settings)
    application = create_app(web_settings, allowed_hosts=["*"])
    yield schemathesis.openapi.from_asgi("/openapi.json", application)
    application.state.web.app.close()


def test_every_body_operation_is_documented(api_schema: Any) -> None:
    found = {(op.ok().method.upper(), op.ok().path) for op in api_schema.get_all_operations()}
    assert set(OPERATIONS) <= found


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_body_api_matches_its_openapi_document(api_schema: Any, method: str, path: str) -> None:
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
