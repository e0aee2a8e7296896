"""The load report in plain Python (``domain/quick_load.py``, what ``backstride today`` computes)
is the numpy reference's (``domain/load.py``) to the last bit, on generated histories."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backstride.domain import load, quick_load
from backstride.domain.activity import Sport
from backstride.domain.load import SessionSummary
from backstride.domain.load_rows import span_of
from backstride.domain.params import DEFAULT_LOAD_PARAMS
from backstride.errors import InvalidInputError

BASE = date(2024, 1, 1)

_amount = st.one_of(
    st.just(0.0),
    st.floats(0.0, 50_000.0, allow_nan=False),
    st.integers(0, 60).map(lambda k: k * 500.0),  # repeated round values: ties and equal sums
)


# Each field's strategy is built once, here, and a session's fields are drawn by a plain function
# (not a strategy of its own): built for each of the up to 90 sessions of every example, the
# strategies were built and validated again each time, two thirds of these tests' time. The
# values drawn are the same.
_day_offset = st.integers(0, 320)
_hour = st.integers(0, 23)
_minute = st.integers(0, 59)
_sport = st.sampled_from(list(Sport))
_distance = st.none() | _amount
_duration = st.floats(0.0, 30_000.0)
_moving_time = st.none() | st.floats(0.0, 30_000.0)
_hard = st.booleans()
_sessions_count = st.integers(0, 90)


def _session(draw: st.DrawFn, activity_id: int) -> SessionSummary:
    day = BASE + timedelta(days=draw(_day_offset))
    start = datetime.combine(day, time(draw(_hour), draw(_minute)), UTC)
    return SessionSummary(
        activity_id=activity_id,
        day=day,
        start_at=start,
        sport=draw(_sport),
        distance_m=draw(_distance),
        duration_s=draw(_duration),
        moving_time_s=draw(_moving_time),
        load=draw(_amount),
        load_kind="srpe",
        hard=draw(_hard),
    )


@st.composite
def _history(draw: st.DrawFn) -> list[SessionSummary]:
    n = draw(_sessions_count)
    return [_session(draw, i) for i in range(n)]


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")  # numpy's, on tiny loads
@settings(max_examples=150)  # each example: up to 90 sessions over ~330 days
@given(
    _history(),
    st.integers(0, 360).map(lambda d: BASE + timedelta(days=d)),
    st.integers(1, 8),
)
def test_quick_load_report_equals_the_numpy_reference(
    sessions: list[SessionSummary], today: date, weeks: int
) -> None:
    reference = load.compute_load_report(sessions, today=today, weeks=weeks)
    quick = quick_load.report_over(span_of(sessions, today=today, weeks=weeks))
    assert quick.weeks == reference.weeks
    assert quick.runs == reference.runs
    for mine, theirs in zip(quick.days, reference.days, strict=True):
        assert mine == theirs, mine.day
    assert quick == reference


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")
@settings(max_examples=50)
@given(_history(), st.integers(0, 360).map(lambda d: BASE + timedelta(days=d)))
def test_quick_load_report_follows_other_params(
    sessions: list[SessionSummary], today: date
) -> None:
    params = replace(
        DEFAULT_LOAD_PARAMS,
        acute_days=5,
        chronic_days=21,
        monotony_days=10,
        mix_days=9,
        progression_days=10,
    )
    reference = load.compute_load_report(sessions, today=today, weeks=3, params=params)
    span = span_of(sessions, today=today, weeks=3)
    assert quick_load.report_over(span, params) == reference


def test_a_report_refuses_an_empty_window() -> None:
    with pytest.raises(InvalidInputError):
        span_of([], today=BASE, weeks=0)


def test_quick_load_report_does_not_import_numpy() -> None:
    probe = (
        "import sys, datetime; from backstride.domain.quick_load import report_over; "
        "from backstride.domain.load_rows import span_of; "
        "report_over(span_of([], today=datetime.date(2024, 1, 1), weeks=6)); "
        "print('numpy' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
