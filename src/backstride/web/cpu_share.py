"""While another program imports into the database, the dashboard keeps to a share of the CPU.

An import parses its files in worker processes that run at a lower priority, so that the
dashboard answers first on a busy computer. Without a bound, a dashboard asked without a pause
(open tabs refreshing, a script polling the API) then takes every core the import does not win
back: on two cores, eight such clients made a 3,000-activity import take more than twice as
long as alone.

So while ``backstride import`` runs into the same SQLite file (it holds a lock on a file beside
it from its start to its end: ``adapters.db.import_marker``), each request waits before it
starts for its turn: requests are let in one by one, in the order they came, each a mean
request's cost (of the last few dozen) divided by ``cores`` after the one before, so the
dashboard spends ``cores`` CPU-seconds a second and every request waits about as long as the
others (a heavy page computed anew is paid back over the next requests, not by all of them
waiting for it). A bucket that fills with ``cores`` CPU-seconds a second and holds at most
``burst_s`` keeps the bound if the mean errs: while the CPU time spent is beyond the share by
more than that, nothing starts. A runner clicking through the pages never waits; only a
crowd of requests does. Outside an import nothing waits and nothing is counted.

The share is the ``dashboard_cpu_during_import`` setting (cores, split evenly between the
processes of ``serve --workers``).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from starlette.types import ASGIApp, Receive, Scope, Send

from backstride.web.asgi import HttpMiddleware

MEAN_WEIGHT = 0.1
"""Weight of the latest request in the mean cost of a request (an exponential mean)."""
BURST_S = 0.5
"""CPU seconds the dashboard may spend beyond its share at once: a heavy page computed anew
(the load of ten years) is paid back over the next requests, not by all of them waiting."""
STATIC_PREFIX = "/static/"
SHORTEST_WAIT_S = 0.001
"""A wait is never shorter than this (the event loop's timers are not finer)."""


class CpuShare:
    """The dashboard's turns while an import runs: paced by the mean cost of a request, and
    bounded by a bucket of CPU time (see the module's docstring).

    ``clock`` (wall seconds) and ``cpu`` (this process's CPU seconds) are injectable for
    tests; by default ``time.monotonic`` and ``time.process_time`` (every thread of the
    process: the event loop and the request threads alike)."""

    def __init__(
        self,
        cores: float,
        *,
        burst_s: float = BURST_S,
        clock: Callable[[], float] = time.monotonic,
        cpu: Callable[[], float] = time.process_time,
    ) -> None:
        if cores <= 0:
            raise ValueError("the dashboard's share of the CPU must be more than 0 cores")
        if burst_s <= 0:
            raise ValueError("the burst must be more than 0 CPU seconds")
        self.cores = cores
        self.burst_s = burst_s
        self._clock = clock
        self._cpu = cpu
        self._since = clock()
        self._used = cpu()
        self._last_done = self._used
        self._next_start = clock()
        self.in_flight = 0
        self.mean_cost_s = 0.0
        self._turns: tuple[asyncio.AbstractEventLoop, asyncio.Lock] | None = None

    def credit(self) -> float:
        """CPU seconds the dashboard may still spend now; never saved up beyond ``burst_s``."""
        now, used = self._clock(), self._cpu()
        credit = self.burst_s + self.cores * (now - self._since) - (used - self._used)
        if credit > self.burst_s:  # idle for a while: start counting afresh
            self._since, self._used = now, used
            credit = self.burst_s
        return credit

    def forgive(self) -> None:
        """Start counting afresh: what the dashboard spent while no import ran is no debt."""
        self._since, self._used = self._clock(), self._cpu()
        self._next_start = self._since

    def delay(self) -> float:
        """Seconds to wait before the next request may start: 0 when it may start now. It
        waits for its paced turn, and while the dashboard is in debt beyond the burst."""
        credit = self.credit()
        wait = max(self._next_start - self._clock(), 0.0 if credit > 0 else -credit / self.cores)
        return max(SHORTEST_WAIT_S, wait) if wait > 0 else 0.0

    def started(self) -> None:
        """A request is let in: the next one's turn comes a mean request's cost of the share
        later."""
        if self.in_flight == 0:  # nothing ran since: the CPU time until now was no request's
            self._last_done = self._cpu()
        self.in_flight += 1
        self._next_start = max(self._next_start, self._clock()) + self.mean_cost_s / self.cores

    def finished(self) -> None:
        """A request let in has ended: its cost (the process's CPU time since the previous
        one ended) updates the mean cost of a request."""
        self.in_flight = max(0, self.in_flight - 1)
        used = self._cpu()
        cost, self._last_done = used - self._last_done, used
        if self.mean_cost_s == 0.0:
            self.mean_cost_s = cost
        else:
            self.mean_cost_s += MEAN_WEIGHT * (cost - self.mean_cost_s)

    def _turn(self) -> asyncio.Lock:
        """The queue of waiting requests, on the running event loop (tests start several)."""
        loop = asyncio.get_running_loop()
        if self._turns is None or self._turns[0] is not loop:
            self._turns = (loop, asyncio.Lock())
        return self._turns[1]

    async def admit(self) -> None:
        """Wait for this request's turn (first come, first served), then count it in."""
        async with self._turn():
            while (wait := self.delay()) > 0:
                await asyncio.sleep(wait)
            self.started()


class ImportShare(HttpMiddleware):
    """Pure ASGI middleware: while ``busy()`` (``backstride import`` runs into the same
    file), each request but the static files' waits for its turn in ``share`` before
    anything else runs."""

    def __init__(self, app: ASGIApp, *, share: CpuShare, busy: Callable[[], bool]) -> None:
        super().__init__(app)
        self.share = share
        self.busy = busy

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["path"].startswith(STATIC_PREFIX):  # files as they are: no work to share
            await self.app(scope, receive, send)
            return
        if not self.busy():
            self.share.forgive()
            await self.app(scope, receive, send)
            return
        await self.share.admit()
        try:
            await self.app(scope, receive, send)
        finally:
            self.share.finished()
