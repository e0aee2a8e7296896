"""FIT sessions into activities: records assigned to session windows, transitions dropped,
device totals and warnings kept (:func:`parse_fit`; see the package docstring)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Final

import numpy as np
import numpy.typing as npt

from backstride.adapters.files.fit import profile as P
from backstride.adapters.files.fit.layout import IntArray
from backstride.adapters.files.fit.messages import (
    _ACTIVITY_FILE_TYPE,
    FitData,
    FitLap,
    FitSession,
    decode_fit,
)
from backstride.adapters.files.fit.walk import _HINT_EXPORT
from backstride.domain.activity import Activity, DeviceTotals, FloatArray, Lap, map_sport
from backstride.domain.samples import EARLIEST_EPOCH_S, LATEST_EPOCH_S, assemble_activity
from backstride.errors import (
    ActivityFileError,
    BackstrideError,
    CorruptFileError,
    NotAnActivityError,
)

_TRANSITION: Final = "transition"
_MAX_OUTSIDE_SESSION_S: Final = 24 * 3600.0


def _source_sport(sport: str | None, sub_sport: str | None) -> str:
    if not sport:
        return ""
    if sub_sport and sub_sport != "generic":
        return f"{sport}/{sub_sport}"
    return sport


def _session_windows(sessions: tuple[FitSession, ...]) -> tuple[FloatArray, FloatArray]:
    """UNIX-second windows ``[start, end]`` of the sessions (NaN when unknown).

    The end is ``start_time + total_elapsed_time``, else the session message's timestamp.
    Windows may overlap (a Fenix 2 multisport file writes an elapsed time longer than the
    session); :func:`assign_to_sessions` then prefers the later session.
    """
    starts = np.full(len(sessions), np.nan)
    ends = np.full(len(sessions), np.nan)
    for i, s in enumerate(sessions):
        start = s.start_epoch_s
        elapsed = s.totals.elapsed_s
        if start is None and s.end_epoch_s is not None and elapsed is not None:
            start = s.end_epoch_s - elapsed
        if start is None:
            continue
        starts[i] = start
        if elapsed is not None and elapsed >= 0:
            ends[i] = start + elapsed
        elif s.end_epoch_s is not None and s.end_epoch_s >= start:
            ends[i] = s.end_epoch_s
        else:
            ends[i] = start
    return starts, ends


def _window_segments(
    starts: FloatArray, ends: FloatArray
) -> tuple[FloatArray, FloatArray, IntArray]:
    """Cut the timeline into segments owned by one window each (later start wins).

    A sweep over the windows in start order with a stack of open windows: the top of
    the stack (latest start) owns the time until it ends, then the window below resumes.
    Returns segment starts, ends and owners, in time order; gaps belong to no window.
    """
    seg_start: list[float] = []
    seg_end: list[float] = []
    seg_owner: list[int] = []

    def emit(a: float, b: float, owner: int, *, point: bool = False) -> None:
        # Empty pieces are dropped, except a whole zero-length window (``point``).
        if b > a or (point and b == a):
            seg_start.append(a)
            seg_end.append(b)
            seg_owner.append(owner)

    def close_until(cur: float, limit: float) -> float:
        # Close every open window ending before ``limit``, emitting what it owned.
        while stack and stack[-1][0] < limit:
            end, owner, begin = stack.pop()
            emit(cur, end, owner, point=begin == end)
            cur = max(cur, end)
            while stack and stack[-1][0] <= cur:
                stack.pop()
        return cur

    stack: list[tuple[float, int, float]] = []  # (end, window, start); top: latest start
    cur = -np.inf
    order = np.argsort(starts, kind="stable")
    for k in order.tolist():
        start = float(starts[k])
        if not np.isfinite(start):
            continue
        cur = close_until(cur, start)
        if stack:
            emit(cur, start, stack[-1][1])
        cur = start
        end = max(float(ends[k]), start) if np.isfinite(ends[k]) else start
        stack.append((end, k, start))
    close_until(cur, np.inf)
    return (
        np.array(seg_start, dtype=np.float64),
        np.array(seg_end, dtype=np.float64),
        np.array(seg_owner, dtype=np.int64),
    )


def _locate(times: FloatArray, starts: FloatArray, ends: FloatArray) -> tuple[IntArray, FloatArray]:
    """For each time: the window holding it or the nearest one, and the distance (s).

    Times that are NaN, and every time when no window has a known start, go to the first
    window with a known start (or 0) at distance NaN.
    """
    n = times.size
    known = np.flatnonzero(np.isfinite(starts))
    if known.size == 0 or n == 0:
        return np.zeros(n, dtype=np.int64), np.full(n, np.nan)
    if known.size == 1:  # the common case: one window takes everything
        (k,) = known.tolist()
        stop = max(float(ends[k]), float(starts[k])) if np.isfinite(ends[k]) else starts[k]
        dist = np.maximum(starts[k] - times, 0.0) + np.maximum(times - stop, 0.0)
        return np.full(n, k, dtype=np.int64), dist
    seg_start, seg_end, seg_owner = _window_segments(starts, ends)
    t = np.where(np.isfinite(times), times, seg_start[0])
    # The last segment starting at or before t, and the first one starting after it.
    before = np.searchsorted(seg_start, t, side="right") - 1
    after = np.minimum(before + 1, seg_start.size - 1)
    before_ok = before >= 0
    before = np.maximum(before, 0)
    # At a boundary where an inner window ends and an outer one resumes, the inner
    # (later-starting) window keeps its end instant.
    prev = np.maximum(before - 1, 0)
    inner = (
        (before > 0) & (seg_end[prev] >= t) & (starts[seg_owner[prev]] > starts[seg_owner[before]])
    )
    before = np.where(inner, prev, before)
    gap_before = np.where(before_ok, np.maximum(t - seg_end[before], 0.0), np.inf)
    gap_after = np.where(seg_start[after] > t, seg_start[after] - t, np.inf)
    use_after = gap_after <= gap_before  # a tie goes to the later session
    owner = np.where(use_after, seg_owner[after], seg_owner[before])
    dist = np.where(use_after, gap_after, gap_before)
    nan = ~np.isfinite(times)
    owner[nan] = known[0]
    dist[nan] = np.nan
    return owner, dist


def assign_to_sessions(times: FloatArray, starts: FloatArray, ends: FloatArray) -> IntArray:
    """Index of the session window holding each time, or of the nearest window.

    Where windows overlap, the one starting later wins (it is the more specific); where a
    later window ends inside an earlier one, the earlier one resumes. Times that are NaN,
    and every time when no window has a known start, go to the first window with a known
    start (or 0). O(n log n), whatever the number of sessions.
    """
    return _locate(times, starts, ends)[0]


def _build_activity(
    fit: FitData,
    *,
    epoch_s: FloatArray,
    sport: str | None,
    sub_sport: str | None,
    mask: npt.NDArray[np.bool_],
    start_epoch_s: float | None,
    totals: DeviceTotals | None,
    laps: list[FitLap],
    extra_warnings: tuple[str, ...] = (),
) -> Activity:
    rec = fit.records
    warnings = [*fit.warnings, *extra_warnings]
    epoch = epoch_s[mask]
    if np.isfinite(epoch).any():
        columns = {name: col[mask] for name, col in rec.columns().items()}
    elif start_epoch_s is not None:
        epoch = np.array([start_epoch_s])
        columns = {}
        if mask.any():
            warnings.append("The records carry no time, so only the device's totals are available.")
        else:
            warnings.append("No samples were recorded; only the device's totals are available.")
    elif mask.any():
        raise CorruptFileError(
            "The FIT file's records carry no time, so they cannot be placed in an activity.",
            hint=_HINT_EXPORT,
        )
    else:
        raise CorruptFileError("The FIT file holds a session without time or samples.")
    activity = assemble_activity(
        sport=map_sport(sport, sub_sport),
        source_sport=_source_sport(sport, sub_sport),
        source_format="fit",
        epoch_s=epoch,
        columns=columns,
        totals=totals,
        start_epoch_s=start_epoch_s,
        utc_offset_s=fit.utc_offset_s,
        device=fit.device,
        warnings=tuple(warnings),
    )
    t0 = activity.start_at.timestamp()
    if fit.utc_offset_s is not None and fit.utc_offset_epoch_s is not None:
        stated_at = fit.utc_offset_epoch_s
        if EARLIEST_EPOCH_S <= stated_at < LATEST_EPOCH_S and stated_at != t0:
            activity = activity.with_changes(
                utc_offset_at=datetime.fromtimestamp(stated_at, tz=UTC)
            )
    timer_s = fit.timer.running_s(t0, t0 + activity.duration_s)
    if timer_s is not None:
        activity = activity.with_changes(device_timer_s=timer_s)
    if laps:
        activity = activity.with_changes(
            laps=tuple(
                Lap(
                    start_s=lap.start_epoch_s - t0,
                    duration_s=lap.elapsed_s,
                    distance_m=lap.distance_m,
                )
                for lap in laps
                if lap.start_epoch_s is not None
            )
        )
    return activity


def _check_is_activity(fit: FitData) -> None:
    types = fit.file_types
    if _ACTIVITY_FILE_TYPE in types:
        return
    known = [t for t in types if t is not None]
    if known:
        name = P.FILE_TYPES.get(known[0], f"type {known[0]}")
        if name.startswith("monitoring"):  # monitoring_a, monitoring_b, monitoring_daily
            name = "monitoring"
        name = name.replace("_", " ")
        raise NotAnActivityError(
            f"This FIT file was skipped: not an activity file (it is a {name} file).",
            hint="backstride imports activities (runs, walks, rides...), not device files.",
        )


def parse_fit(data: bytes) -> list[Activity]:
    """Every activity in a FIT file: one per session (see the module docstring).

    Raises :class:`NotAnActivityError` for settings, workout, monitoring and other
    non-activity FIT files, and :class:`CorruptFileError` for damaged ones.
    """
    try:
        return _parse_fit(data)
    except ActivityFileError:
        raise
    except BackstrideError as exc:
        raise CorruptFileError(f"The FIT file holds impossible values: {exc.message}") from exc
    except Exception as exc:  # every input must end in one of our errors
        raise CorruptFileError(
            f"The FIT file could not be decoded ({type(exc).__name__}: {exc}).",
            hint=_HINT_EXPORT,
        ) from exc


def _parse_fit(data: bytes) -> list[Activity]:
    fit = decode_fit(data)
    _check_is_activity(fit)
    rec = fit.records
    epoch = rec.epoch_s
    if not fit.sessions:
        if len(rec) == 0:
            raise CorruptFileError(
                "The FIT file holds no activity data (no records and no sessions).",
                hint=_HINT_EXPORT,
            )
        return [
            _build_activity(
                fit,
                epoch_s=epoch,
                sport=fit.sport,
                sub_sport=fit.sub_sport,
                mask=np.ones(len(rec), dtype=bool),
                start_epoch_s=None,
                totals=None,
                laps=list(fit.laps),
            )
        ]
    sessions = fit.sessions
    starts, ends = _session_windows(sessions)
    # A record dated more than a day away from every session is a clock glitch (e.g. a
    # jump of years): blank its time so cleaning drops it, unless most records are that far
    # off, in which case the session times are the broken ones.
    owner, distance = _locate(epoch, starts, ends)
    far = np.isfinite(distance) & (distance > _MAX_OUTSIDE_SESSION_S)
    if far.any() and far.mean() < 0.5:
        epoch = np.where(far, np.nan, epoch)
        owner = assign_to_sessions(epoch, starts, ends)
    lap_starts = np.array(
        [np.nan if lap.start_epoch_s is None else lap.start_epoch_s for lap in fit.laps]
    )
    lap_owner = assign_to_sessions(lap_starts, starts, ends).tolist()
    keep = [i for i, s in enumerate(sessions) if s.sport != _TRANSITION] or list(
        range(len(sessions))
    )
    activities: list[Activity] = []
    failure: CorruptFileError | None = None
    for i in keep:
        s = sessions[i]
        totals = s.totals
        extra: tuple[str, ...] = ()
        if (
            totals.timer_s is not None
            and totals.elapsed_s is not None
            and totals.timer_s > totals.elapsed_s + 1.0
        ):
            # Moving time cannot exceed elapsed time: the device swapped the two.
            totals = replace(totals, elapsed_s=totals.timer_s, timer_s=totals.elapsed_s)
            extra = ("The device wrote its elapsed and moving times swapped; corrected.",)
        try:
            activities.append(
                _build_activity(
                    fit,
                    epoch_s=epoch,
                    sport=s.sport,
                    sub_sport=s.sub_sport,
                    mask=owner == i,
                    start_epoch_s=None if np.isnan(starts[i]) else float(starts[i]),
                    totals=totals,
                    extra_warnings=extra,
                    laps=[lap for lap, o in zip(fit.laps, lap_owner, strict=True) if o == i],
                )
            )
        except CorruptFileError as exc:
            # One unusable session of several: keep the others.
            failure = failure or exc
    if not activities:
        assert failure is not None
        raise failure
    return activities
