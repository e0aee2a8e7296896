"""The demo's diary, from ``story/diary.toml`` and ``story/athlete.toml``: pain check-ins
linked to the day's session, the sessions without a file, self-tests and the clearance."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np

from backstride.services.demo.story import (
    DemoClearance,
    DemoManualEntry,
    DemoPainEntry,
    DemoSelfTest,
)

_LOW_BACK = ("low-back",)


@dataclass(frozen=True, slots=True)
class Diary:
    pain: list[DemoPainEntry]
    manual: list[DemoManualEntry]
    self_tests: list[DemoSelfTest]
    clearance: DemoClearance


class _Writer:
    def __init__(
        self,
        rng: np.random.Generator,
        *,
        start: date,
        pre_weeks: int,
        workouts: Mapping[str, Any],
        runs_by_day: Mapping[int, str],
        files_by_day: Mapping[int, list[str]],
    ) -> None:
        self.rng = rng
        self.start = start
        self.pre_weeks = pre_weeks
        self.workouts = workouts
        self.runs_by_day = runs_by_day
        self.files_by_day = files_by_day
        self.pain: list[DemoPainEntry] = []
        self.manual: list[DemoManualEntry] = []

    def index(self, week: int, weekday: int) -> int:
        return (self.pre_weeks + week - 1) * 7 + weekday

    def on(self, week: int, weekday: int) -> date:
        return self.start + timedelta(days=self.index(week, weekday))

    def pain_entry(self, week: int, weekday: int, row: Mapping[str, Any]) -> None:
        """One check-in. 'during'/'after' link to that day's session (the run, if any);
        'next-morning' to the previous day's, so delayed pain can be traced to its session."""
        when, score = row["when"], int(row["score"])
        link: str | None = None
        if when in ("during", "after", "next-morning"):
            i = self.index(week, weekday) - (1 if when == "next-morning" else 0)
            same_day = self.files_by_day.get(i, [])
            link = self.runs_by_day.get(i) or (same_day[-1] if same_day else None)
        feels = row.get("feels")
        self.pain.append(
            DemoPainEntry(
                on=self.on(week, weekday),
                when=when,
                score=score,
                where=tuple(row.get("where", _LOW_BACK)) if score else (),
                feels=tuple(feels) if feels is not None else (("stiffness",) if score else ()),
                activity_file=link,
                walking_leg_symptoms=bool(row.get("leg", False)),
                eases_sitting=bool(row.get("sitting", False)),
                notes=str(row.get("notes", "")),
            )
        )

    def workout(self, week: int, weekday: int, kind: str, row: Mapping[str, Any]) -> None:
        """A session without a file; a swim without a distance draws one."""
        w = {**self.workouts[kind], **row}
        distance_m: float | None = None
        if kind == "swim":
            distance_m = row.get("distance_m")
            if distance_m is None:
                distance_m = float(round(self.rng.uniform(*w["metres"]), -2))
            minutes = w.get("minutes", round(distance_m / w["m_per_min"]))
        else:
            minutes = w["minutes"]
        self.manual.append(
            DemoManualEntry(
                on=self.on(week, weekday),
                sport=str(w["sport"]),
                name=str(w["name"]),
                duration_s=minutes * 60.0,
                distance_m=distance_m,
                rpe=float(w["rpe"]),
                notes=str(w["notes"]),
            )
        )


def build_diary(
    rng: np.random.Generator,
    *,
    start: date,
    pre_weeks: int,
    diary: Mapping[str, Any],
    athlete: Mapping[str, Any],
    run_weekdays: Sequence[Sequence[int]],
    runs_by_day: Mapping[int, str],
    files_by_day: Mapping[int, list[str]],
) -> Diary:
    """The diary; ``run_weekdays`` holds the build weeks' run days (week 1 first)."""
    w = _Writer(
        rng,
        start=start,
        pre_weeks=pre_weeks,
        workouts=diary["workout"],
        runs_by_day=runs_by_day,
        files_by_day=files_by_day,
    )
    before = diary["before_return"]
    for week in range(pre_weeks):
        w.workout(week - pre_weeks + 1, before["weekday"], "swim", before["swim"])

    b = diary["build"]
    for week, weekdays in enumerate(run_weekdays, start=1):
        for wd in weekdays:
            score = int(rng.choice(b["scores"]))
            note = b["calm_note"] if score < b["stiff_from"] else b["stiff_note"]
            w.pain_entry(week, wd, {"when": "after", "score": score, "notes": note})
        score = int(rng.choice(b["scores"]))
        w.pain_entry(
            week,
            b["morning_weekday"],
            {"when": "next-morning", "score": score, "notes": b["morning_note"]},
        )
        long_strength = week > 4
        w.workout(
            week,
            b["strength_first_week_weekday"] if week == 1 else b["strength_weekday"],
            "strength",
            {
                "minutes": b["strength_minutes_after_week_4"]
                if long_strength
                else b["strength_minutes"]
            },
        )
        if week % 2 == 1 and week != b["no_swim_week"]:
            swim_day = b["swim_first_week_weekday"] if week == 1 else b["swim_weekday"]
            w.workout(week, swim_day, "swim", {})
        if week in b["mobility_weeks"]:
            w.workout(week, b["mobility_weekday"], "mobility", {})
        if week in b["extra_swim_weeks"]:
            w.workout(week, b["extra_swim_weekday"], "swim", {})

    for row in diary["entry"]:
        kind = row.get("type", "pain")
        extra = {k: v for k, v in row.items() if k not in ("week", "weekday", "type")}
        if kind == "pain":
            w.pain_entry(row["week"], row["weekday"], extra)
        else:
            w.workout(row["week"], row["weekday"], kind, extra)

    tests: list[DemoSelfTest] = []
    table = athlete["self_tests"]
    for i, sitting in enumerate(table["sittings"]):
        when = w.on(sitting["week"], sitting["weekday"])
        for t in table["test"]:
            value = t["values"][i]
            notes = str(t.get("notes", ""))
            if t["unit"] == "pass/fail":
                tests.append(DemoSelfTest(when, t["name"], None, "pass/fail", bool(value), notes))
            else:
                tests.append(DemoSelfTest(when, t["name"], float(value), t["unit"], None, notes))
    c = athlete["clearance"]
    clearance = DemoClearance(on=w.on(c["week"], c["weekday"]), by=c["by"], notes=c["notes"])
    return Diary(
        pain=sorted(w.pain, key=lambda p: p.on),
        manual=sorted(w.manual, key=lambda m: m.on),
        self_tests=tests,
        clearance=clearance,
    )
