"""An import's report as JSON (``/api/imports``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class FileResultOut(BaseModel):
    path: str = Field(description="The file as uploaded (archive members as zip:member).")
    status: Literal["imported", "duplicate", "skipped", "failed"]
    reason: str | None
    activity_ids: list[int]
    warnings: list[str]


class ImportReportOut(BaseModel):
    """Per-file outcome of an import; a failed file stores nothing."""

    imported: int
    duplicate: int
    skipped: int
    failed: int
    files: list[FileResultOut]
