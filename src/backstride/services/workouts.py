"""Use case: the plan's run/walk sessions as FIT workout files for a watch (``plan export
--fit DIR``). One file per planned run session, from the plan's start to its projected end,
as the plan stands on the day asked about (the same calendar the iCalendar export uses)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from backstride.adapters.files.fit.workout import encode_fit_workout
from backstride.domain.plan import DayKind, calendar
from backstride.domain.workout import Workout, build_workout
from backstride.errors import InvalidInputError
from backstride.services.context import App
from backstride.services.plan import GOAL_WORDS, refresh


@dataclass(frozen=True, slots=True)
class WorkoutFile:
    day: date
    path: Path
    workout: Workout

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(),
            "file": str(self.path),
            "name": self.workout.name,
            "steps": len(self.workout.items),
        }


def plan_workouts(app: App, *, on: date, today: date) -> list[tuple[date, str, Workout]]:
    """Each planned run session as (day, file stem, workout); past and future alike."""
    state = refresh(app, on=on, today=today)
    spec = state.spec
    pause = state.pause if state.record.is_open else None
    ended = state.record.ended_on if not state.record.is_open else None
    out: list[tuple[date, str, Workout]] = []
    for week in calendar(spec, state.weeks, pause=pause, ended_on=ended):
        for d in week.days:
            if d.kind is not DayKind.RUN or d.session is None:
                continue
            goal = GOAL_WORDS[spec.goal]
            name = f"{goal} wk{d.template_week} s{d.session_index} {d.day.strftime('%d %b')}"
            stem = f"{d.day.isoformat()}-week{d.template_week}-session{d.session_index}"
            out.append((d.day, stem, build_workout(d.session, name=name)))
    return out


def export_workouts(
    app: App, folder: Path, *, on: date, today: date, created_at: datetime
) -> list[WorkoutFile]:
    """Write one ``.fit`` workout per planned run session into ``folder`` (created if
    missing); files of the same name are replaced."""
    if folder.exists() and not folder.is_dir():
        raise InvalidInputError(f"'{folder}' is a file; give a folder for the workouts.")
    workouts = plan_workouts(app, on=on, today=today)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        files: list[WorkoutFile] = []
        for serial, (day, stem, workout) in enumerate(workouts, start=1):
            path = folder / f"{stem}.fit"
            path.write_bytes(
                encode_fit_workout(workout, created_at=created_at, serial_number=serial)
            )
            files.append(WorkoutFile(day, path, workout))
    except OSError as exc:
        raise InvalidInputError(
            f"Could not write the workouts to '{folder}': {exc.strerror}."
        ) from exc
    return files
