"""Activities as JSON: the same use cases as ``activity list|show|edit`` and the Activities
pages."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.concurrency import run_in_threadpool

from backstride.domain.activity import Sport
from backstride.domain.dates import EARLIEST_DAY, LATEST_DAY
from backstride.domain.metrics import ActivityAnalysis
from backstride.services.activities import (
    ActivityEdit,
    detail_json_of,
    prepare_edit,
    row_to_json,
    store_edit,
)
from backstride.web.api.common import ERROR_RESPONSES, json_body
from backstride.web.cache import changes_of_edit
from backstride.web.context import note_changes
from backstride.web.deps import WebDep
from backstride.web.reads import (
    activity_content,
    cached_activity_count,
    cached_activity_rows,
    cached_run_spike,
)
from backstride.web.schemas.activities import (
    ActivityDetailOut,
    ActivityOut,
    ActivityPage,
    ActivityPatch,
    AnalysisOut,
    GradeBandOut,
)
from backstride.web.schemas.common import MAX_ID
from backstride.web.schemas.load import RunSpikeOut
from backstride.web.turns import awaits_own_write_turn, write_turn
from backstride.web.views.activities import SortKey, paging

router = APIRouter(prefix="/api", tags=["activities"], responses=ERROR_RESPONSES)


ActivityId = Annotated[int, Path(ge=1, le=MAX_ID, description="The activity id.")]


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
    row, content = activity_content(web, activity_id)
    run = cached_run_spike(web, activity_id)
    spike = RunSpikeOut.model_validate(run.to_json()) if run is not None else None
    return ActivityDetailOut.model_validate(
        {
            **detail_json_of(row, samples=content.samples, streams=content.streams),
            "analysis": analysis_out(content.analysis),
            "spike": spike,
        }
    )


@router.patch(
    "/activities/{activity_id}",
    response_model=ActivityOut,
    summary="Edit an activity's sport, surface, RPE, notes or name",
    dependencies=[Depends(json_body)],
)
@awaits_own_write_turn
async def api_edit_activity(
    request: Request, web: WebDep, activity_id: ActivityId, patch: ActivityPatch
) -> ActivityOut:
    edit = ActivityEdit(
        sport=patch.sport.value if patch.sport else None,
        surface=patch.surface.value if patch.surface else None,
        rpe=patch.rpe,
        notes=patch.notes,
        name=patch.name,
    )
    # Read and analyse first; wait for the write lock only when there is something to
    # store (an import's batch holds it a tenth of a second at a time: web.turns).
    prepared = await run_in_threadpool(prepare_edit, web.app, activity_id, edit)
    if prepared.done is None:
        await write_turn(request)
    outcome = await run_in_threadpool(store_edit, web.app, prepared)
    note_changes(changes_of_edit(outcome))
    return ActivityOut.model_validate(row_to_json(outcome.row))
