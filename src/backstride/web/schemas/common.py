"""What every JSON shape of the web shares: ids, days, short texts, and the base of requests.

Requests are bounded (lengths, ranges, list sizes) and refuse unknown fields; the services
check the rest (dates in the future, plausibility) and answer 422 with a message.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from backstride.domain.body import MAX_TEXT_CHARS
from backstride.domain.dates import EARLIEST_DAY, LATEST_DAY

MAX_ID = 2**31 - 1
"""The largest id any table can hold (a 32-bit integer column on PostgreSQL): a larger one
in a request is refused as invalid (422) before it reaches the database."""
PageId = Annotated[int, Path(ge=1, le=MAX_ID, description="The id in the page's address.")]

Day = Annotated[dt.date, Field(ge=EARLIEST_DAY, le=LATEST_DAY)]
ShortText = Annotated[str, StringConstraints(max_length=MAX_TEXT_CHARS)]


class InModel(BaseModel):
    """A request body (JSON or a page's form): unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


class ErrorBody(BaseModel):
    status: int = Field(description="The HTTP status code.")
    message: str = Field(description="What went wrong, in plain words.")
    hint: str | None = Field(default=None, description="What to do next, when known.")
    details: list[dict[str, Any]] = Field(
        default_factory=list, description="Per-field problems of an invalid request."
    )


class ErrorOut(BaseModel):
    """Every error answer of the API."""

    error: ErrorBody
