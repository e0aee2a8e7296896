"""FIT workout files, read back with both reference readers: the Garmin FIT SDK and fitdecode."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import fitdecode
import pytest
from garmin_fit_sdk import Decoder, Stream

from backstride.adapters.files.fit.workout import encode_fit_workout
from backstride.domain.plan import Block, BlockKind, Goal, SessionTemplate, Variant, schedule
from backstride.domain.workout import RepeatSteps, Workout, WorkoutStep, build_workout, expand
from backstride.errors import InvalidInputError
from backstride.services.body import record_screening
from backstride.services.context import App
from backstride.services.demo_load import DEMO_SCREENING
from backstride.services.plan import start_demo_plan
from tests.conftest import CliResult

CREATED = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
MONDAY = date(2026, 3, 2)


def read_sdk(data: bytes) -> dict[str, Any]:
    check = Decoder(Stream.from_bytes_io(io.BytesIO(data)))
    assert check.is_fit() and check.check_integrity()
    messages, errors = Decoder(Stream.from_bytes_io(io.BytesIO(data))).read()
    assert errors == []
    return messages


def read_fitdecode(data: bytes) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    with fitdecode.FitReader(data, check_crc=fitdecode.CrcCheck.ENABLED) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage):
                out.setdefault(frame.name, []).append({f.name: f.value for f in frame.fields})
    return out


def steps_of_sdk(messages: dict[str, Any]) -> list[tuple[Any, ...]]:
    out = []
    for s in messages["workout_step_mesgs"]:
        if s["duration_type"] == "time":
            out.append((s["wkt_step_name"], "time", s["duration_time"], s["intensity"]))
        else:
            out.append((s["wkt_step_name"], "repeat", s["duration_step"], s["repeat_steps"]))
    return out


def steps_of_fitdecode(messages: dict[str, list[dict[str, Any]]]) -> list[tuple[Any, ...]]:
    out = []
    for s in messages["workout_step"]:
        if s["duration_type"] == "time":
            out.append((s["wkt_step_name"], "time", s["duration_time"], s["intensity"]))
        else:
            out.append((s["wkt_step_name"], "repeat", s["duration_step"], s["repeat_steps"]))
    return out


def expected_steps(workout: Workout) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    for item in workout.items:
        if isinstance(item, WorkoutStep):
            out.append((item.name, "time", float(item.seconds), item.intensity))
        else:
            out.append((f"Repeat x{item.times}", "repeat", item.from_index, item.times))
    return out


def test_run_walk_workout_decodes_the_same_with_both_readers() -> None:
    session = SessionTemplate((Block(BlockKind.RUN, 60), Block(BlockKind.WALK, 90)) * 8)
    workout = build_workout(session, name="5K wk1 s1")
    data = encode_fit_workout(workout, created_at=CREATED, serial_number=7)
    sdk, fd = read_sdk(data), read_fitdecode(data)
    assert sdk["file_id_mesgs"][0]["type"] == "workout"
    assert fd["file_id"][0]["type"] == "workout"
    assert sdk["workout_mesgs"][0]["wkt_name"] == "5K wk1 s1"
    assert fd["workout"][0]["sport"] == "running"
    assert sdk["workout_mesgs"][0]["num_valid_steps"] == len(workout.items) == 7
    expected = expected_steps(workout)
    assert steps_of_sdk(sdk) == expected
    assert steps_of_fitdecode(fd) == expected
    assert expected[4] == ("Repeat x8", "repeat", 2, 8)
    notes = [s["notes"] for s in sdk["workout_step_mesgs"]]
    assert notes[0] == "Warm-up: brisk walk" and notes[-1].startswith("Stretch: ")


def test_bad_workouts_are_refused() -> None:
    step = WorkoutStep("Run", 60, "active", "")
    with pytest.raises(InvalidInputError, match="aware"):
        encode_fit_workout(Workout("x", "running", (step,)), created_at=datetime(2026, 1, 1))
    with pytest.raises(InvalidInputError, match="point back"):
        encode_fit_workout(Workout("x", "running", (step, RepeatSteps(1, 2))), created_at=CREATED)
    with pytest.raises(InvalidInputError, match="no duration"):
        encode_fit_workout(
            Workout("x", "running", (WorkoutStep("Run", 0, "active", ""),)), created_at=CREATED
        )


def test_plan_export_fit_writes_every_session_for_the_watch(
    app: App, tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    record_screening(app, dict.fromkeys(DEMO_SCREENING, False), on=MONDAY, today=MONDAY)
    start_demo_plan(app, start=MONDAY, today=MONDAY)
    app.close()
    folder = tmp_path / "watch"
    result = cli("plan", "export", "--fit", str(folder), "--on", MONDAY.isoformat())
    assert result.exit_code == 0, result.stderr
    files = sorted(folder.glob("*.fit"))
    templates = schedule(Goal.FIVE_K, Variant.STANDARD)
    assert len(files) == 3 * len(templates)
    assert files[0].name == "2026-03-02-week1-session1.fit"
    for path in files:
        data = path.read_bytes()
        sdk, fd = read_sdk(data), read_fitdecode(data)
        assert steps_of_sdk(sdk) == steps_of_fitdecode(fd)
        week = int(path.stem.split("-week")[1].split("-")[0])
        index = int(path.stem.rsplit("session", 1)[1])
        session = templates[week - 1].sessions[index - 1]
        # Unrolling the repeats gives the session's every block, warm-up to stretch.
        steps = sdk["workout_step_mesgs"]
        unrolled = expand(
            [
                WorkoutStep(s["wkt_step_name"], int(s["duration_time"]), s["intensity"], "")
                if s["duration_type"] == "time"
                else RepeatSteps(int(s["duration_step"]), int(s["repeat_steps"]))
                for s in steps
            ]
        )
        assert sum(s.seconds for s in unrolled) == session.total_s
        assert [s.seconds for s in unrolled[2:-2]] == [b.seconds for b in session.blocks]
    assert cli("plan", "export").exit_code == 2
