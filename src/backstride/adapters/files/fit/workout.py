"""FIT *workout* files: a planned session a watch plays step by step, with a cue at each step.

Built with the activity encoder's machinery (:mod:`backstride.adapters.files.fit.writer`:
definition and data messages, base types, the FIT CRC). Messages: ``file_id`` (type 5,
workout), ``workout`` (name, sport, number of steps) and one ``workout_step`` per step: a
timed step (``duration_type`` time, in milliseconds; open target) or a repeat step
(``duration_type`` repeat_until_steps_cmplt, ``duration_value`` = the step to go back to,
``target_value`` = how many times in all). Source: Garmin FIT SDK, ``Profile.xlsx``
(messages 0, 26, 27; types file, sport, wkt_step_duration, wkt_step_target, intensity) and
the SDK's "Encoding Workout Files" cookbook.
"""

from __future__ import annotations

from datetime import UTC, datetime

from backstride.adapters.files.fit.writer import (
    DEVELOPMENT_MANUFACTURER,
    SPORTS,
    _Column,
    _Field,
    _fit_time,
    _FitBuilder,
    fit_file,
)
from backstride.domain.workout import Intensity, RepeatSteps, Workout, WorkoutStep
from backstride.errors import InvalidInputError

_FILE_ID, _WORKOUT, _WORKOUT_STEP = 0, 26, 27
_FILE_WORKOUT = 5
DURATION_TIME = 0
DURATION_REPEAT = 6  # repeat_until_steps_cmplt
TARGET_OPEN = 2
INTENSITY: dict[Intensity, int] = {
    "active": 0,
    "rest": 1,
    "warmup": 2,
    "cooldown": 3,
    "recovery": 4,
}
NAME_SIZE = 16  # 15 characters and the terminating NUL
NOTES_SIZE = 96
WORKOUT_NAME_SIZE = 32
MAX_STEPS = 200

_STEP_FIELDS = (
    _Field(254, "uint16"),  # message_index
    _Field(0, "string", size=NAME_SIZE),  # wkt_step_name
    _Field(1, "enum"),  # duration_type
    _Field(2, "uint32"),  # duration_value (ms for time; step index for repeats)
    _Field(3, "enum"),  # target_type
    _Field(4, "uint32"),  # target_value (repeat count for repeats)
    _Field(7, "enum"),  # intensity
    _Field(8, "string", size=NOTES_SIZE),  # notes
)


def encode_fit_workout(
    workout: Workout,
    *,
    created_at: datetime,
    serial_number: int = 1,
    manufacturer: int = DEVELOPMENT_MANUFACTURER,
    product: int = 1,
) -> bytes:
    """The bytes of one FIT workout file for ``workout``."""
    if created_at.tzinfo is None:
        raise InvalidInputError("The FIT creation time must be an aware datetime.")
    if not workout.items or len(workout.items) > MAX_STEPS:
        raise InvalidInputError(f"A FIT workout holds 1 to {MAX_STEPS} steps.")
    b = _FitBuilder()
    b.message(
        0,
        _FILE_ID,
        [
            (_Field(0, "enum"), _FILE_WORKOUT),
            (_Field(1, "uint16"), manufacturer),
            (_Field(2, "uint16"), product),
            (_Field(3, "uint32z"), serial_number),
            (_Field(4, "uint32"), _fit_time(created_at.astimezone(UTC).timestamp())),
            (_Field(8, "string", size=32), "backstride"),
        ],
    )
    b.message(
        1,
        _WORKOUT,
        [
            (_Field(8, "string", size=WORKOUT_NAME_SIZE), workout.name),  # wkt_name
            (_Field(4, "enum"), SPORTS[workout.sport]),  # sport
            (_Field(6, "uint16"), len(workout.items)),  # num_valid_steps
        ],
    )
    for index, item in enumerate(workout.items):
        columns: list[tuple[_Field, _Column]]
        if isinstance(item, WorkoutStep):
            if item.seconds <= 0:
                raise InvalidInputError(f"Workout step '{item.name}' has no duration.")
            values: tuple[_Column, ...] = (
                index,
                item.name,
                DURATION_TIME,
                item.seconds * 1000,
                TARGET_OPEN,
                0,
                INTENSITY[item.intensity],
                item.notes,
            )
        else:
            assert isinstance(item, RepeatSteps)
            if not 0 <= item.from_index < index or item.times < 2:
                raise InvalidInputError("A repeat step must point back and repeat at least twice.")
            values = (
                index,
                f"Repeat x{item.times}",
                DURATION_REPEAT,
                item.from_index,
                TARGET_OPEN,
                item.times,
                INTENSITY["active"],
                f"Repeat the steps from step {item.from_index + 1}, {item.times} times in all",
            )
        columns = list(zip(_STEP_FIELDS, values, strict=True))
        b.message(2, _WORKOUT_STEP, columns)
    return fit_file(b.data())
