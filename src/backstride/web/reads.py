"""The expensive reads the pages share, memoised in the app's result cache (``cache.py``).

Each is the same service function the CLI calls; only the caching is added here.
"""

from __future__ import annotations

from datetime import date

from backstride.domain.load import LoadReport, RunSpike
from backstride.domain.metrics import ActivityAnalysis
from backstride.services.dashboard import run_spikes
from backstride.services.training import activity_analysis, load_report
from backstride.web.deps import WebState


def cached_load_report(web: WebState, *, on: date, weeks: int) -> LoadReport:
    """``services.training.load_report`` for the ``weeks`` ISO weeks up to ``on``."""
    return web.cache.get(
        ("load_report", on, weeks), lambda: load_report(web.app, on=on, weeks=weeks)
    )


def cached_run_spike(web: WebState, activity_id: int) -> RunSpike | None:
    """The run's spike against the longest run of the 30 days before it (None: not a run)."""
    spikes = web.cache.get(("run_spikes",), lambda: run_spikes(web.app))
    return spikes.get(activity_id)


def cached_analysis(web: WebState, activity_id: int) -> ActivityAnalysis:
    """``services.training.activity_analysis`` of one activity."""
    return web.cache.get(("analysis", activity_id), lambda: activity_analysis(web.app, activity_id))
