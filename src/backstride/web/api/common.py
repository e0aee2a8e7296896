"""What every JSON route shares: the error answers it documents, the JSON-only guards, the
day and id parameters, and the step from a service's answer to its response model.

Unsafe methods with a body take only non-simple content types (``application/json``;
``application/octet-stream`` for uploads), so another site cannot send them from a browser
without a CORS preflight (and no CORS is granted); DELETE has no body and is not a method a
cross-site form can send. Requests a browser marks as cross-site are refused as well
(``check_same_origin``, for the whole app).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any, Protocol, TypeVar

from fastapi import Depends, Path, Query, Request
from pydantic import BaseModel

from backstride.domain.dates import EARLIEST_DAY, LATEST_DAY
from backstride.web.schemas.common import MAX_ID, ErrorOut
from backstride.web.security import require_content_type

_ERROR_STATUSES = {
    400: "The request could not be read.",
    403: "Refused: the request came from another site.",
    404: "No such activity.",
    409: "The request clashes with what is stored.",
    413: "The body is larger than the configured limit.",
    415: "The body has the wrong content type.",
    422: "A value is out of range or malformed.",
    500: "An unexpected error (logged on the server).",
    503: "The database is locked, read-only, damaged, replaced or out of date.",
    507: "The disk holding the database or the upload is full; nothing was stored.",
}
_RECORD_STATUSES = {
    **{k: v for k, v in _ERROR_STATUSES.items() if k != 507},
    404: "No such entry, clearance or pair of shoes.",
    413: "The body is larger than the limit.",
    422: "A value is out of range, malformed or in the future; nothing was stored.",
    503: "The database is locked or out of date.",
}


def _responses(statuses: Mapping[int, str]) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": ErrorOut, "description": text} for code, text in statuses.items()}


ERROR_RESPONSES = _responses(_ERROR_STATUSES)
"""The error answers of the activity, import, load, today and plan routes."""
RECORD_ERRORS = _responses(_RECORD_STATUSES)
"""The error answers of the runner's own records: profile, screening, clearances, pain,
red flags, self-tests and shoes."""


async def json_body(request: Request) -> None:
    require_content_type(request, "application/json")


async def octet_body(request: Request) -> None:
    require_content_type(request, "application/octet-stream")


JSON_ONLY = [Depends(json_body)]

QueryDay = Annotated[
    date | None,
    Query(ge=EARLIEST_DAY, le=LATEST_DAY, description="A day, YYYY-MM-DD."),
]
OnDay = Annotated[
    date | None,
    Query(
        ge=EARLIEST_DAY,
        le=LATEST_DAY,
        description="The day the figures are about (YYYY-MM-DD); default today.",
    ),
]
EntryId = Annotated[int, Path(ge=1, le=MAX_ID, description="The pain entry's id.")]


class Answer(Protocol):
    """What a service answers: a record that writes its JSON shape."""

    def to_json(self) -> Any: ...


Out = TypeVar("Out", bound=BaseModel)


def reply(model: type[Out], answer: Answer) -> Out:
    """A service's answer as its response model (the shape of the CLI's ``--json``)."""
    return model.model_validate(answer.to_json())
