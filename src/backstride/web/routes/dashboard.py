"""The Overview page: this week against recent weeks, latest activities, what needs attention."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from backstride.domain.day import Day
from backstride.domain.evidence import cite
from backstride.domain.load import DayLoad, LoadReport
from backstride.services.context import App
from backstride.services.dashboard import (
    AttentionItem,
    Overview,
    WeekTotals,
    overview,
    with_answer,
)
from backstride.web.charts import Chart
from backstride.web.context import runner_today
from backstride.web.deps import TodayDep, WebDep, WebState
from backstride.web.formatting import day, km, percent
from backstride.web.reads import cached_day, cached_load_report
from backstride.web.routes.today import DECISION_TONE
from backstride.web.templating import render
from backstride.web.views.dashboard import week_chart

router = APIRouter(include_in_schema=False)

OVERVIEW_WEEKS = 12
SPIKE_ATTENTION_DAYS = 14
SPIKE_LEVEL = {"10_30": "caution", "30_100": "alert", "gt_100": "alert"}


def spike_attention(report: LoadReport, *, on: date) -> list[AttentionItem]:
    """Runs of the last two weeks that were more than 10 % longer than the longest in the
    30 days before them (Frandsen 2025), newest first."""
    items: list[AttentionItem] = []
    since = on - timedelta(days=SPIKE_ATTENTION_DAYS)
    for run in sorted(report.runs, key=lambda r: r.day, reverse=True):
        level = SPIKE_LEVEL.get(run.spike_band or "")
        if run.day <= since or level is None or run.spike_ratio is None:
            continue
        items.append(
            AttentionItem(
                kind="run_spike",
                level="caution" if level == "caution" else "alert",
                message=(
                    f"Your {km(run.distance_m, 1)} run on {day(run.day)} was "
                    f"{percent(run.spike_ratio - 1)} longer than your longest run in the 30 "
                    f"days before it ({km(run.longest_prev_30d_m, 1)}). Runs more than 10 % "
                    f"longer than that come with more overuse injuries ({cite('frandsen-2025')}); "
                    "build "
                    "distance in smaller steps."
                ),
                href=f"/activities/{run.activity_id}#spike",
            )
        )
    return items


REPORT_WEEKS = 3  # the spike notes look back two weeks; three ISO weeks always cover them


def build_overview(
    app: App,
    *,
    on: date,
    report: LoadReport,
    weeks: int = OVERVIEW_WEEKS,
    answer: Day | None = None,
) -> Overview:
    """The Overview's data; ``report`` is the load report of the last REPORT_WEEKS weeks,
    ``answer`` the day's one answer."""
    return overview(
        app,
        on=on,
        weeks=weeks,
        extra_attention=spike_attention(report, on=on),
        answer=answer,
    )


def cached_overview(web: WebState, *, on: date, weeks: int = OVERVIEW_WEEKS) -> Overview:
    """:func:`build_overview` as of ``on``, memoised until the data changes: the records
    (weeks, latest activities, their attention items) are kept while only the diary changes,
    and the day's answer is put in front of them."""
    real = runner_today()

    def compute() -> Overview:
        records = web.cache.get(
            ("overview_records", on, weeks, real),
            lambda: overview(web.app, on=on, weeks=weeks),
            reads_diary=False,
        )
        report = cached_load_report(web, on=on, weeks=REPORT_WEEKS)
        answer = cached_day(web, on=on)
        return with_answer(records, answer=answer, extra_attention=spike_attention(report, on=on))

    return web.cache.get(("overview", on, weeks, real), compute)


@dataclass(frozen=True, slots=True)
class OverviewPage:
    """What the Overview page shows, apart from the per-visitor parts (form token)."""

    data: Overview
    average: WeekTotals | None
    weeks_chart: Chart
    today_load: DayLoad | None


def overview_page_data(web: WebState, *, on: date) -> OverviewPage:
    """The Overview page's data and chart as of ``on`` (memoised until the data changes)."""

    def compute() -> OverviewPage:
        report = cached_load_report(web, on=on, weeks=REPORT_WEEKS)
        data = cached_overview(web, on=on)
        chart = web.cache.get(
            ("overview_chart", on), lambda: week_chart(data.weeks), reads_diary=False
        )
        return OverviewPage(
            data=data,
            average=data.recent_average(4),
            weeks_chart=chart,
            today_load=report.days[-1] if report.days else None,
        )

    return web.cache.get(("overview_page", on), compute)


@router.get("/", response_class=HTMLResponse)
def overview_page(request: Request, web: WebDep, on: TodayDep) -> HTMLResponse:
    page = overview_page_data(web, on=on)
    return render(
        request,
        "pages/overview.html",
        {
            "data": page.data,
            "answer": page.data.answer,
            "day_tone": DECISION_TONE,
            "detail_link": True,
            "average": page.average,
            "weeks_chart": page.weeks_chart,
            "today_load": page.today_load,
            "on": on,
        },
        active="overview",
    )
