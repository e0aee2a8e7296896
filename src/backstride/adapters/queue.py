"""The job queue of the server mode: procrastinate on the server's own PostgreSQL database.

procrastinate keeps its queue in tables of the same database (created by migration 0015),
hands each job to one worker (``SELECT ... FOR UPDATE SKIP LOCKED``), wakes workers with
LISTEN/NOTIFY, and records a heartbeat per worker. A worker that dies mid-job (killed, the
machine lost) stops its heartbeat; :func:`retry_stalled_jobs` puts its jobs back in the queue,
and the next worker runs them again from the start (an import skips what the first attempt
already stored: the same file is stored once per athlete).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping
from typing import Any

import procrastinate
from psycopg.conninfo import make_conninfo
from sqlalchemy.engine import make_url

log = logging.getLogger("backstride.queue")

QUEUE = "backstride"
"""The one queue backstride's jobs go to."""
HEARTBEAT_S = 10.0
"""How often a worker tells the database it is alive (procrastinate's default)."""
STALLED_AFTER_S = 60.0
"""A worker silent this long is taken for dead: its jobs go back to the queue."""
STALLED_CHECK_S = 60.0
"""How often a waiting worker looks for dead workers' jobs."""
POLL_S = 5.0
"""How often a worker asks for new jobs besides being notified (LISTEN/NOTIFY)."""


def conninfo(database_url: str) -> str:
    """libpq's connection string for a SQLAlchemy ``postgresql+psycopg://`` URL."""
    url = make_url(database_url)
    parts: dict[str, Any] = {
        "host": url.host,
        "port": url.port,
        "user": url.username,
        "password": url.password,
        "dbname": url.database,
    }
    parts.update({k: v for k, v in url.query.items() if isinstance(v, str)})
    parts["application_name"] = "backstride-queue"
    return make_conninfo(**{k: v for k, v in parts.items() if v is not None})


def new_queue(database_url: str) -> procrastinate.App:
    """A procrastinate app on the database of ``database_url`` (not opened yet)."""
    connector = procrastinate.PsycopgConnector(
        conninfo=conninfo(database_url), min_size=1, max_size=4
    )
    return procrastinate.App(connector=connector)


def add_task(queue: procrastinate.App, name: str, func: Callable[..., Any]) -> None:
    """Register ``func(context, **kwargs)`` as the task ``name`` (a synchronous task: the
    worker runs it on a thread of its own, one job at a time)."""
    queue.task(name=name, queue=QUEUE, pass_context=True)(func)


async def defer(queue: procrastinate.App, name: str, *, lock: str, **kwargs: Any) -> int:
    """Put a job of task ``name`` in the queue; jobs with the same ``lock`` run one at a
    time. Returns procrastinate's job id."""
    return await queue.configure_task(name, queue=QUEUE, lock=lock).defer_async(**kwargs)


async def retry_stalled_jobs(queue: procrastinate.App, *, stalled_after_s: float) -> int:
    """Put the jobs of workers silent for ``stalled_after_s`` back in the queue; how many."""
    stalled = await queue.job_manager.get_stalled_jobs(seconds_since_heartbeat=stalled_after_s)
    count = 0
    for job in stalled:
        await queue.job_manager.retry_job(job)
        log.warning("Job %s (%s) of a stopped worker is queued again", job.id, job.task_name)
        count += 1
    return count


async def run_worker(
    queue: procrastinate.App,
    *,
    until_done: bool,
    context: Mapping[str, Any],
    stalled_after_s: float = STALLED_AFTER_S,
    name: str = "backstride",
    signal_handlers: bool = True,
) -> None:
    """Run jobs, one at a time, on the opened ``queue``: for ever (until cancelled or
    stopped by a signal), or with ``until_done`` until the queue is empty. The jobs of dead
    workers are queued again first, and then every :data:`STALLED_CHECK_S`."""
    await retry_stalled_jobs(queue, stalled_after_s=stalled_after_s)
    options: dict[str, Any] = {
        "queues": [QUEUE],
        "wait": not until_done,
        "concurrency": 1,
        "name": name,
        "additional_context": dict(context),
        "install_signal_handlers": signal_handlers,
        "update_heartbeat_interval": HEARTBEAT_S,
        "stalled_worker_timeout": stalled_after_s,
        "fetch_job_polling_interval": POLL_S,
        "delete_jobs": "successful",
    }
    if until_done:
        await queue.run_worker_async(**options)
        return

    async def watch_stalled() -> None:
        while True:
            await asyncio.sleep(STALLED_CHECK_S)
            try:
                await retry_stalled_jobs(queue, stalled_after_s=stalled_after_s)
            except Exception:  # noqa: BLE001 - the database may be away for a moment
                log.warning("Could not look for stopped workers' jobs", exc_info=True)

    watcher = asyncio.create_task(watch_stalled())
    try:
        await queue.run_worker_async(**options)
    finally:
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher
