"""The Today page: the decision large, the reasons one click away, each with its source.

``POST /today/seen`` records that the runner has been seen about a red flag and what the
clinician said about training (``outcome``; "not yet known" when left out), which lifts the
notice shown on every page (the same use case as ``backstride pain seen``).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from backstride.domain.dates import parse_day
from backstride.domain.day import Day
from backstride.domain.guidance import DECISION_WORDS, LEVEL_WORDS, Finding
from backstride.errors import InvalidInputError
from backstride.services.diary import record_seen
from backstride.web.context import runner_today
from backstride.web.deps import TodayDep, WebDep
from backstride.web.reads import cached_day
from backstride.web.security import CSRF_FIELD, check_csrf, local_redirect
from backstride.web.templating import is_htmx, render

router = APIRouter(include_in_schema=False)

LEVEL_BADGE = {
    "info": "info",
    "caution": "caution",
    "reduce": "caution",
    "stop": "alert",
    "urgent": "alert",
}
DECISION_TONE = {
    "run": "ok",
    "run_easy": "caution",
    "cross_train": "caution",
    "rest": "alert",
    "start_here": "caution",
    "see_professional": "alert",
    "urgent_care": "alert",
}


def evidence_rows(finding: Finding, words_in: str = "km") -> tuple[tuple[str, str], ...]:
    """The runner's own numbers, in words, for a small table (distances in ``words_in``)."""
    return finding.numbers(words_in)


def page_context(answer: Day) -> dict[str, Any]:
    """What a page needs to show the day's one answer (``partials/_day.html``)."""
    return {
        "answer": answer,
        "advice": answer,
        "plan": answer.advice,
        "emergencies": answer.emergencies,
        "findings": [f for f in answer.findings if f.id != "redflag.emergency"],
        "decision_words": DECISION_WORDS,
        "level_words": LEVEL_WORDS,
        "level_badge": LEVEL_BADGE,
        "tone": DECISION_TONE[answer.decision],
        "day_tone": DECISION_TONE,
        "evidence_rows": partial(evidence_rows, words_in=answer.units),
    }


@router.get("/today", response_class=HTMLResponse)
def today_page(request: Request, web: WebDep, on: TodayDep) -> HTMLResponse:
    answer = cached_day(web, on=on)
    return render(request, "pages/today.html", {"on": on, **page_context(answer)}, active="today")


@router.post("/today/seen")
async def seen_form(request: Request, web: WebDep) -> Response:
    """Record that a professional saw the runner about each flag in the form."""
    raw = await request.form()
    check_csrf(request, web.csrf, str(raw.get(CSRF_FIELD) or "") or None)
    back = local_redirect(str(raw.get("next") or ""), default="/today")  # before any write
    flags = [str(v) for v in raw.getlist("flag") if str(v).strip()]
    if not flags:
        raise InvalidInputError("Say which red flag you were seen about.")
    text = str(raw.get("on") or "").strip()
    on = parse_day(text) if text else runner_today()
    by = str(raw.get("by") or "").strip() or None
    outcome = str(raw.get("outcome") or "").strip() or "not-known"
    for flag in flags:
        await run_in_threadpool(
            partial(record_seen, web.app, flag=flag, on=on, by=by, outcome=outcome),
            today=runner_today(),
        )
    if is_htmx(request):  # htmx sends the form (a plain post carries Origin: null here)
        return Response(status_code=200, headers={"HX-Redirect": back})
    return RedirectResponse(back, status_code=303)
