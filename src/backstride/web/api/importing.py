"""An upload as JSON: the same use case as ``backstride import`` and the Import page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from backstride.services.dashboard import UploadedFile, import_uploads, uploads_root
from backstride.web.api.common import ERROR_RESPONSES, octet_body
from backstride.web.deps import WebDep
from backstride.web.schemas.importing import ImportReportOut
from backstride.web.uploads import UploadFolder, receive_body, run_import

router = APIRouter(prefix="/api", tags=["importing"], responses=ERROR_RESPONSES)


_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "description": "The file's bytes: .fit, .gpx, .tcx (optionally .gz) or a .zip export.",
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    }
}


@router.post(
    "/imports",
    response_model=ImportReportOut,
    summary="Import one uploaded file or export archive",
    description=(
        "Streams the body to a temporary file (capped at `upload_max_mb`) and imports it as "
        "`backstride import` would. The answer lists each file's outcome; a failed file "
        "stores nothing. Send a .zip to import many files at once."
    ),
    dependencies=[Depends(octet_body)],
    openapi_extra=_UPLOAD_BODY,
)
async def api_import(
    request: Request,
    web: WebDep,
    name: Annotated[
        str,
        Query(min_length=1, max_length=255, description="The file's name, e.g. run.fit."),
    ],
) -> ImportReportOut:
    with UploadFolder(uploads_root(web.app)) as folder:
        path, shown = folder.new_file(name)
        await receive_body(request, path)
        report = await run_import(
            request,
            import_uploads,
            web.app,
            folder.path,
            [UploadedFile(path=path, original_name=shown)],
            workers=web.import_workers,
        )
    return ImportReportOut.model_validate(report.to_json())
