"""The emergency notice every page shows first and alone, until the runner records being seen.

``templates/base.html`` calls :func:`emergency_notice_for` (a template global); the notice
comes from :func:`backstride.services.guidance.emergency_notice`, as of ``?on=`` when the page
has one, else today (memoised until the data changes: ``reads.cached_emergency_notice``).
"""

from __future__ import annotations

import logging
from datetime import date

from fastapi import Request

from backstride.domain.dates import EARLIEST_DAY, LATEST_DAY
from backstride.errors import BackstrideError
from backstride.services.guidance import EmergencyNotice
from backstride.web.context import runner_today
from backstride.web.deps import get_web
from backstride.web.reads import cached_emergency_notice

log = logging.getLogger("backstride.web")


def page_day(request: Request) -> date:
    """The page's ``?on=`` day when valid, else today (the clock is read here, at the edge)."""
    text = request.query_params.get("on")
    if text:
        try:
            day = date.fromisoformat(text)
        except ValueError:
            return runner_today()
        if EARLIEST_DAY <= day <= LATEST_DAY:
            return day
    return runner_today()


def emergency_notice_for(request: Request) -> EmergencyNotice | None:
    """The open emergency red flags for this page, or None. A storage problem is logged, not
    shown here (the page's own error handling reports it)."""
    web = get_web(request)
    if web.settings.server_mode and getattr(request.state, "web", None) is None:
        return None  # a page about nobody's data (the login page, a professional's list)
    try:
        return cached_emergency_notice(web, on=page_day(request))
    except BackstrideError as exc:
        log.warning("Could not read the red flags for the emergency notice: %s", exc.message)
        return None
