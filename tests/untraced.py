"""Coverage paused around a test's reference computation in third-party code.

``make test`` traces ``backstride.domain`` and ``backstride.adapters`` (coverage's C tracer).
Code outside them is not measured, but the tracer still handles every Python call it makes:
a pure-Python reference reader (fitdecode, the Garmin FIT SDK, gpxpy) ran about three times
slower traced, for lines no report counts: 85 of the 130 s of CPU time of the FIT corpus
comparison, and 17 of the 24 s of the demo files' reading in ``tests/services/test_demo.py``.

Only for code that runs none of ours: what runs inside :func:`untraced` is missing from the
coverage figures. Without coverage (or with it off) it does nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def untraced() -> Iterator[None]:
    """Pause coverage (if it runs) for the block, then resume it."""
    try:
        from coverage import Coverage
    except ImportError:  # coverage is a dev dependency; a bare pytest run works without it
        yield
        return
    # Every started instance: under xdist a worker runs two (pytest-cov's, and the one its
    # start-up hook makes in each new process), and stopping one resumes the one below it.
    stopped = []
    while (cov := Coverage.current()) is not None:
        cov.stop()
        stopped.append(cov)
    try:
        yield
    finally:
        for cov in reversed(stopped):
            cov.start()


def reference(read: Callable[P, R]) -> Callable[P, R]:
    """Run ``read`` (a reference reader's whole reading) :func:`untraced`."""

    @wraps(read)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with untraced():
            return read(*args, **kwargs)

    return run
