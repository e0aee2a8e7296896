"""The JSON API under ``/api``: the dashboard's data for scripts and other tools.

Same services as the pages and the CLI. Unsafe methods take only non-simple content types
(``application/json``; ``application/octet-stream`` for uploads), so another site cannot send
them from a browser without a CORS preflight (and no CORS is granted); requests a browser
marks as cross-site are refused as well (``check_same_origin``, for the whole app).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request

from backstride.domain.activity import Sport
from backstride.domain.dates import EARLIEST_DAY, LATEST_DAY
from backstride.domain.day import Day
from backstride.domain.load import LOAD_RATIO_CAVEAT
from backstride.domain.metrics import ActivityAnalysis
from backstride.services.activities import (
    ActivityEdit,
    detail_json,
    edit_activity,
    get_activity_with_summary,
    row_to_json,
)
from backstride.services.dashboard import UploadedFile, import_uploads, uploads_root
from backstride.web.api.common import ERROR_RESPONSES, json_body, octet_body
from backstride.web.context import runner_today
from backstride.web.deps import WebDep
from backstride.web.reads import (
    cached_activity_count,
    cached_activity_rows,
    cached_analysis,
    cached_day,
    cached_load_report,
    cached_run_spike,
)
from backstride.web.routes.dashboard import OVERVIEW_WEEKS, cached_overview
from backstride.web.schemas import (
    ActivityDetailOut,
    ActivityOut,
    ActivityPage,
    ActivityPatch,
    AnalysisOut,
    GradeBandOut,
    ImportReportOut,
    LoadOut,
    OverviewOut,
    RunSpikeOut,
    TodayOut,
)
from backstride.web.schemas.common import MAX_ID
from backstride.web.uploads import UploadFolder, receive_body, run_import
from backstride.web.views import SortKey, paging

router = APIRouter(prefix="/api", tags=["api"], responses=ERROR_RESPONSES)

ActivityId = Annotated[int, Path(ge=1, le=MAX_ID, description="The activity id.")]
OnDay = Annotated[
    date | None,
    Query(
        ge=EARLIEST_DAY,
        le=LATEST_DAY,
        description="The day the figures are about (YYYY-MM-DD); default today.",
    ),
]


def _today(on: date | None) -> date:
    return on or runner_today()


@router.get("/activities", response_model=ActivityPage, summary="List activities")
def api_list_activities(
    web: WebDep,
    sport: Annotated[list[Sport] | None, Query(description="Only these sports.")] = None,
    since: Annotated[
        date | None,
        Query(ge=EARLIEST_DAY, le=LATEST_DAY, description="On or after this local date."),
    ] = None,
    until: Annotated[
        date | None,
        Query(ge=EARLIEST_DAY, le=LATEST_DAY, description="On or before this local date."),
    ] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="Text in the name, notes or source.")
    ] = None,
    sort: Annotated[SortKey, Query(description="Sort key.")] = "start",
    order: Annotated[Literal["asc", "desc"], Query(description="Sort order.")] = "desc",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ActivityPage:
    filters: dict[str, Any] = {
        "since": since,
        "until": until,
        "sports": [s.value for s in sport] if sport else None,
        "text": q or None,
    }
    total = cached_activity_count(web, **filters)
    pages = paging(total, page, per_page)
    rows = cached_activity_rows(
        web,
        **filters,
        sort=sort,
        descending=order == "desc",
        limit=per_page,
        offset=(page - 1) * per_page,
    )
    return ActivityPage(
        items=[ActivityOut.model_validate(row_to_json(r)) for r in rows],
        total=total,
        page=page,
        per_page=per_page,
        pages=pages.pages,
    )


def analysis_out(analysis: ActivityAnalysis) -> AnalysisOut:
    grade = analysis.grade
    return AnalysisOut(
        distance_m=analysis.distance_m,
        moving_time_s=analysis.moving_time_s,
        timer_time_s=analysis.timer_time_s,
        avg_pace_s_per_km=analysis.avg_pace_s_per_km,
        best_pace_s_per_km=analysis.best_pace_s_per_km,
        elevation_gain_m=analysis.elevation_gain_m,
        elevation_loss_m=analysis.elevation_loss_m,
        grade_bands=(
            [
                GradeBandOut(
                    label=b.label,
                    lower_pct=b.lower_pct,
                    upper_pct=b.upper_pct,
                    distance_m=b.distance_m,
                    time_s=b.time_s,
                )
                for b in grade.bands
            ]
            if grade is not None
            else None
        ),
        steep_descent_share=grade.steep_descent_share if grade is not None else None,
        cadence_spm=analysis.cadence_spm,
        step_length_m=analysis.step_length_m,
        trimp=analysis.trimp,
        srpe_load=analysis.srpe_load,
        longest_run_s=analysis.longest_run_s,
    )


@router.get("/activities/{activity_id}", response_model=ActivityDetailOut, summary="One activity")
def api_activity(web: WebDep, activity_id: ActivityId) -> ActivityDetailOut:
    row, activity = get_activity_with_summary(web.app, activity_id)
    run = cached_run_spike(web, activity_id)
    spike = RunSpikeOut.model_validate(run.to_json()) if run is not None else None
    return ActivityDetailOut.model_validate(
        {
            **detail_json(row, activity),
            "analysis": analysis_out(cached_analysis(web, activity_id, activity=activity)),
            "spike": spike,
        }
    )


@router.patch(
    "/activities/{activity_id}",
    response_model=ActivityOut,
    summary="Edit an activity's sport, surface, RPE, notes or name",
    dependencies=[Depends(json_body)],
)
def api_edit_activity(web: WebDep, activity_id: ActivityId, patch: ActivityPatch) -> ActivityOut:
    edit = ActivityEdit(
        sport=patch.sport.value if patch.sport else None,
        surface=patch.surface.value if patch.surface else None,
        rpe=patch.rpe,
        notes=patch.notes,
        name=patch.name,
    )
    row = edit_activity(web.app, activity_id, edit)
    return ActivityOut.model_validate(row_to_json(row))


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


@router.get("/overview", response_model=OverviewOut, summary="This week and recent weeks")
def api_overview(
    web: WebDep,
    on: OnDay = None,
    weeks: Annotated[int, Query(ge=1, le=104)] = OVERVIEW_WEEKS,
) -> OverviewOut:
    day = _today(on)
    data = cached_overview(web, on=day, weeks=weeks)
    return OverviewOut.model_validate(
        {
            "on": data.on,
            "weeks": [
                {
                    "week_start": w.week_start,
                    "activities": w.activities,
                    "runs": w.runs,
                    "distance_m": w.distance_m,
                    "duration_s": w.duration_s,
                    "run_distance_m": w.run_distance_m,
                    "run_duration_s": w.run_duration_s,
                }
                for w in data.weeks
            ],
            "latest": [row_to_json(r) for r in data.latest],
            "attention": [
                {"kind": a.kind, "level": a.level, "message": a.message, "href": a.href}
                for a in data.attention
            ],
            "today": _overview_today(data.answer),
        }
    )


def _overview_today(answer: Day | None) -> dict[str, Any] | None:
    if answer is None:
        return None
    return {
        "decision": answer.decision,
        "headline": answer.headline,
        "summary": answer.summary,
        "session": answer.session.to_json() if answer.session else None,
        "disclaimer": answer.disclaimer,
    }


@router.get("/load", response_model=LoadOut, summary="Training load over recent weeks")
def api_load(
    web: WebDep,
    on: OnDay = None,
    weeks: Annotated[int, Query(ge=1, le=520)] = 12,
) -> LoadOut:
    day = _today(on)
    report = cached_load_report(web, on=day, weeks=weeks)
    return LoadOut.model_validate(
        {"on": day, **report.to_json(), "load_ratio_caveat": LOAD_RATIO_CAVEAT}
    )


@router.get("/today", response_model=TodayOut, summary="What to do today, with reasons")
def api_today(web: WebDep, on: OnDay = None) -> TodayOut:
    """The same answer as ``backstride today --json``: the day's one decision (the guidance's
    findings and the plan combined), the session, what needs attention, and every finding
    (most serious first) with its source."""
    return TodayOut.model_validate(cached_day(web, on=_today(on)).to_json())
