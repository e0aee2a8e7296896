"""The dashboard's share of the CPU while another program imports (web.cpu_share)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.types import Receive, Scope, Send

from backstride.adapters.db.engine import sqlite_path
from backstride.adapters.db.import_marker import announce_import
from backstride.config import Settings
from backstride.web.cpu_share import MEAN_WEIGHT, SHORTEST_WAIT_S, CpuShare, ImportShare

T = TypeVar("T")


class Clocks:
    """A wall clock and a CPU clock the test moves: one request thread on one core."""

    def __init__(self) -> None:
        self.wall = 100.0
        self.cpu = 5.0

    def wait(self, seconds: float) -> None:
        self.wall += seconds

    def work(self, seconds: float) -> None:
        self.wall += seconds
        self.cpu += seconds


def _share(clocks: Clocks, cores: float, burst_s: float) -> CpuShare:
    return CpuShare(cores, burst_s=burst_s, clock=lambda: clocks.wall, cpu=lambda: clocks.cpu)


def _serve(share: CpuShare, clocks: Clocks, cost: float) -> None:
    """One request let in, ``cost`` seconds of CPU, finished."""
    share.started()
    clocks.work(cost)
    share.finished()


def test_a_request_waits_only_once_the_burst_is_spent() -> None:
    clocks = Clocks()
    share = _share(clocks, cores=0.25, burst_s=0.1)
    assert share.delay() == 0.0
    clocks.work(0.06)
    assert share.delay() == 0.0  # 0.04 s of the burst left (and 0.015 s refilled)
    clocks.work(0.06)
    # spent 0.12 s in 0.12 s; earned 0.1 + 0.25 x 0.12 = 0.13: 0.01 s left
    assert share.delay() == 0.0
    clocks.work(0.05)
    # spent 0.17 s in 0.17 s; earned 0.1 + 0.25 x 0.17 = 0.1425: 0.0275 s short
    assert share.delay() == pytest.approx(0.0275 / 0.25)
    clocks.wait(share.delay())
    assert share.credit() == pytest.approx(0.0, abs=1e-9)


def test_idle_time_is_not_saved_up_beyond_the_burst() -> None:
    clocks = Clocks()
    share = _share(clocks, cores=0.5, burst_s=0.1)
    clocks.wait(3600)
    assert share.credit() == pytest.approx(0.1)
    clocks.work(0.3)  # the burst and 0.15 s earned meanwhile: 0.05 s short
    assert share.delay() == pytest.approx(0.05 / 0.5)


def test_requests_are_let_in_a_mean_cost_of_the_share_apart() -> None:
    """Paced by the mean cost: a crowd is let in one by one, each waiting about as long."""
    clocks = Clocks()
    share = _share(clocks, cores=0.5, burst_s=1.0)
    for _ in range(2):
        _serve(share, clocks, 0.02)
    assert share.mean_cost_s == pytest.approx(0.02)
    clocks.wait(1.0)
    assert share.delay() == 0.0
    share.started()  # three let in at once: each 0.02 / 0.5 = 0.04 s after the one before
    assert share.delay() == pytest.approx(0.04)
    clocks.wait(0.04)
    share.started()
    assert share.delay() == pytest.approx(0.04)
    assert share.in_flight == 2
    share.finished()
    share.finished()
    assert share.in_flight == 0
    # the mean follows the latest costs, weighted (an exponential mean)
    _serve(share, clocks, 0.12)
    assert 0.02 < share.mean_cost_s < 0.12


def test_the_cpu_spent_before_a_request_is_not_counted_as_its_cost() -> None:
    clocks = Clocks()
    share = _share(clocks, cores=1.0, burst_s=0.1)
    clocks.work(30.0)  # the server started and served while no import ran
    _serve(share, clocks, 0.01)
    assert share.mean_cost_s == pytest.approx(0.01)


@pytest.mark.parametrize(("cores", "burst"), [(0.0, 0.1), (-1.0, 0.1), (0.5, -0.1), (0.5, 0.0)])
def test_a_share_must_be_positive(cores: float, burst: float) -> None:
    with pytest.raises(ValueError, match="must"):
        CpuShare(cores, burst_s=burst)


@settings(max_examples=200, deadline=None)
@given(
    cores=st.floats(0.05, 0.9),
    burst=st.floats(0.001, 0.2),
    costs=st.lists(st.floats(0.0005, 0.08), min_size=1, max_size=300),
)
def test_a_greedy_dashboard_keeps_to_its_share(
    cores: float, burst: float, costs: list[float]
) -> None:
    """Requests that come without a pause, one after the other on one core: over the whole
    run the dashboard spends at most its share of the time, plus the burst and the request
    that was let in last; and it gets its share (no more waiting than needed)."""
    clocks = Clocks()
    share = _share(clocks, cores, burst)
    start_wall, start_cpu = clocks.wall, clocks.cpu
    for cost in costs:
        while (wait := share.delay()) > 0:
            assert wait >= SHORTEST_WAIT_S
            clocks.wait(wait)
        _serve(share, clocks, cost)
    span = clocks.wall - start_wall
    spent = clocks.cpu - start_cpu
    assert spent <= cores * span + burst + max(costs) + 1e-9
    # and it gets its share: paced by the mean cost (an exponential mean, which overshoots
    # after a heavy request by at most that request's cost over its weight), it waits no
    # longer than its share requires
    waits = span - spent
    overshoot = max(costs) / MEAN_WEIGHT / cores
    assert waits <= spent / cores + overshoot + len(costs) * SHORTEST_WAIT_S + 1e-9


def _burner(cpu_s: float):  # type: ignore[no-untyped-def]
    """An ASGI app whose every request takes ``cpu_s`` of CPU (on the event loop)."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        end = time.process_time() + cpu_s
        while time.process_time() < end:
            pass
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    return app


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` on a thread of its own: a browser test before this one may have left
    an event loop running on the test's thread (Playwright's synchronous API)."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


async def _crowd(app: ImportShare, requests: int) -> float:
    """``requests`` sent at once; the seconds until all were answered."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        t0 = time.monotonic()
        answers = await asyncio.gather(*(client.get("/") for _ in range(requests)))
        elapsed = time.monotonic() - t0
    assert [a.status_code for a in answers] == [200] * requests
    return elapsed


def test_a_crowd_waits_its_turn_while_another_program_imports() -> None:
    """Twelve requests of 20 ms of CPU each at once, with a share of a tenth of a core: the
    CPU they take stays within the share (a real event loop, real CPU time)."""
    share = CpuShare(0.1, burst_s=0.01)
    app = ImportShare(_burner(0.02), share=share, busy=lambda: True)
    cpu0 = time.process_time()
    elapsed = _run(_crowd(app, 12))
    spent = time.process_time() - cpu0
    assert elapsed > 1.0  # 0.24 s of CPU at a tenth of a core, less the burst and one request
    assert spent <= 0.1 * elapsed + 0.01 + 0.02 + 0.05  # + the client's and the loop's share
    assert share.in_flight == 0


def test_nothing_waits_or_is_counted_outside_an_import() -> None:
    share = CpuShare(0.1, burst_s=0.01)
    app = ImportShare(_burner(0.02), share=share, busy=lambda: False)
    _run(_crowd(app, 12))
    assert share.mean_cost_s == 0.0 and share.in_flight == 0  # never let in nor counted


def test_what_was_spent_while_no_import_ran_is_no_debt() -> None:
    """The middleware forgives each request outside an import: a server that answered
    freely before the import starts with its burst, not seconds of waiting."""
    clocks = Clocks()
    share = _share(clocks, cores=0.1, burst_s=0.05)
    for _ in range(5):
        _serve(share, clocks, 0.4)
    assert share.delay() > 10
    share.forgive()
    assert share.delay() == 0.0
    assert share.credit() == pytest.approx(0.05)


def test_the_local_dashboard_knows_of_an_import_from_its_start(
    web_app: FastAPI, web_settings: Settings
) -> None:
    """The dashboard's share applies while ``backstride import`` announces itself, before it
    has written anything (an archive's first batch can take seconds), and only then: the
    dashboard's own writes, however many, never make it wait."""
    share = [m for m in web_app.user_middleware if m.cls is ImportShare]
    database = sqlite_path(web_settings.database_url)
    if database is None:  # a server database: no import from the command line into it
        assert share == []
        return
    assert len(share) == 1
    busy = share[0].kwargs["busy"]
    client = TestClient(web_app, base_url="http://127.0.0.1")
    for day in range(1, 8):
        answer = client.post(
            "/api/pain", json={"day": f"2026-01-0{day}", "when": "rest-day", "score": 1}
        )
        assert answer.status_code < 400, answer.text
    assert not busy()
    with announce_import(database):
        time.sleep(0.3)  # the watch asks the file every quarter of a second
        assert busy()
    time.sleep(0.3)
    assert not busy()
