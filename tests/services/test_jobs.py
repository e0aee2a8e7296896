"""The background jobs' records (``services.jobs``): each runner's own, old ones pruned."""

from __future__ import annotations

from datetime import date

import pytest

from backstride.adapters.db.job_repos import JobRepo
from backstride.domain.access import Role
from backstride.domain.report import Period
from backstride.errors import NotFoundError
from backstride.services.accounts import add_user
from backstride.services.context import App
from backstride.services.jobs import (
    KEPT_JOBS,
    get_job,
    job_result,
    jobs_available,
    list_jobs,
    record_report_job,
)

PERIOD = Period(date(2024, 1, 1), date(2024, 3, 31))


def test_a_job_is_its_runners_alone(app: App) -> None:
    anna = add_user(app, email="anna@example.org", name="Anna", role=Role.RUNNER, password=None)
    ben = add_user(app, email="ben@example.org", name="Ben", role=Role.RUNNER, password=None)
    assert anna.athlete_id is not None and ben.athlete_id is not None
    mine, theirs = app.for_athlete(anna.athlete_id), app.for_athlete(ben.athlete_id)
    job = record_report_job(mine, PERIOD)
    assert get_job(mine, job).state == "waiting"
    assert [j.id for j in list_jobs(mine)] == [job]
    assert list_jobs(theirs) == []
    with pytest.raises(NotFoundError):
        get_job(theirs, job)
    with app.store.session() as session:
        JobRepo(session).finish(job, state="done", result=b"%PDF-1.7", result_name="r.pdf")
    assert job_result(mine, job) == ("r.pdf", b"%PDF-1.7")
    with pytest.raises(NotFoundError):
        job_result(theirs, job)


def test_finished_jobs_past_the_newest_are_pruned_running_ones_never(app: App) -> None:
    running = record_report_job(app, PERIOD)
    finished = []
    for _ in range(KEPT_JOBS + 5):
        job = record_report_job(app, PERIOD)
        with app.store.session() as session:
            JobRepo(session).finish(job, state="done", result=b"x", result_name="r.pdf")
        finished.append(job)
    newest = record_report_job(app, PERIOD)
    ids = {j.id for j in list_jobs(app, limit=100)}
    assert running in ids and newest in ids
    assert ids - {running, newest} == set(finished[-KEPT_JOBS:])


def test_the_local_mode_has_no_queue(app: App) -> None:
    assert not jobs_available(app)
