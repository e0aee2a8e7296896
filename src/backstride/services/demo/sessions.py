"""The demo's recorded sessions, from ``story/sessions.toml``, in the order they are drawn."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from backstride.services.demo.simulate import Session

# Session fields a table row may set, beyond the distance and time rules.
_FIELDS = (
    "kind",
    "name",
    "route",
    "reverse",
    "run_s",
    "walk_s",
    "warmup_s",
    "v_run",
    "v_walk",
    "fatigue_bpm",
    "fmt",
    "rpe",
    "description",
)
_RULES = frozenset(
    {"template", "week", "weekday", "event", "km", "km_jitter", "round_m", "hour", "distance_m"}
    | {"duration_s", "share_of_longest", "times_longest_30d"}
)


def run_walk_label(run_walk: Mapping[str, Any], week: int) -> str:
    """The week's run/walk cycle in words: ``"4:00 run / 1:00 walk"``."""
    run_s, walk_s = run_walk[str(week)]
    return f"{run_s // 60}:{run_s % 60:02d} run / {walk_s // 60}:{walk_s % 60:02d} walk"


class _Drawer:
    """Turns table rows into sessions, drawing from ``rng`` in a fixed order: distance (or
    duration), then speed, then the start hour."""

    def __init__(self, rng: np.random.Generator, table: Mapping[str, Any], pre_weeks: int):
        self.rng = rng
        self.table = table
        self.pre_weeks = pre_weeks
        self.run_walk: Mapping[str, Any] = table["run_walk"]

    def day(self, week: int, weekday: int) -> int:
        return (self.pre_weeks + week - 1) * 7 + weekday

    def uniform(self, value: Any) -> float:
        if isinstance(value, list):
            return float(self.rng.uniform(value[0], value[1]))
        return float(value)

    def hour(self, value: Any) -> float:
        if value != "morning":
            return float(value)
        m = self.table["morning"]
        steps = 60.0 / m["step_min"]
        return float(np.round(self.rng.uniform(m["from_h"], m["to_h"]) * steps) / steps)

    def row(self, row: Mapping[str, Any]) -> dict[str, Any]:
        """The row over its template."""
        template = row.get("template")
        return {**(self.table["template"][template] if template else {}), **row}

    def words(self, text: str, week: int) -> str:
        label = run_walk_label(self.run_walk, week) if str(week) in self.run_walk else ""
        return text.format(week=week, run_walk=label)

    def session(
        self, row: Mapping[str, Any], *, day: int, week: int, distance_m: float | None = None
    ) -> Session:
        """One session; ``distance_m`` when the caller worked it out from the history."""
        r = self.row(row)
        unknown = set(r) - set(_FIELDS) - _RULES
        if unknown:
            raise ValueError(f"unknown session fields in the demo story: {sorted(unknown)}")
        values: dict[str, Any] = {k: r[k] for k in _FIELDS if k in r}
        if "run_s" not in r and r.get("template") == "easy":
            values["run_s"], values["walk_s"] = self.run_walk[str(week)]
        round_to = -int(np.log10(r["round_m"])) if "round_m" in r else None
        if distance_m is not None:
            values["distance_m"] = distance_m
        elif "km" in r:
            km = r["km"] * 1000.0 * self.uniform(r["km_jitter"])
            values["distance_m"] = round(km, round_to)
        elif "distance_m" in r:
            drawn = isinstance(r["distance_m"], list)
            value = self.uniform(r["distance_m"])
            values["distance_m"] = round(value, round_to) if drawn else value
        if "duration_s" in r:
            values["duration_s"] = round(self.uniform(r["duration_s"]), round_to)
        if "v_run" in r:
            values["v_run"] = self.uniform(r["v_run"])
        if "hour" in r:
            values["hour"] = self.hour(r["hour"])
        for key in ("name", "description"):
            if key in values:
                values[key] = self.words(values[key], week)
        return Session(day=day, **values)


def plan_sessions(
    rng: np.random.Generator, pre_weeks: int, table: Mapping[str, Any]
) -> tuple[list[Session], dict[str, int]]:
    """All recorded sessions in time order, and the days of the story's events (from day 0)."""
    d = _Drawer(rng, table, pre_weeks)
    plans: list[Session] = []
    before = table["before_return"]
    for w in range(pre_weeks):
        plans.append(d.session(before["session"], day=w * 7 + before["weekday"], week=0))

    b = table["build"]
    longest = b["first_longest_m"]
    for w in range(1, b["weeks"] + 1):
        if w > 1:
            longest *= d.uniform(b["growth"])
        run_s, walk_s = d.run_walk[str(w)]
        weekdays = b["first_week_weekdays"] if w == 1 else b["weekdays"]
        for wd, share in zip(weekdays, b["shares"], strict=True):
            jitter = d.uniform(b["jitter"])
            hilly = wd == b["hill_weekday"] and w in b["hill_weeks"]
            long_run = share == 1.0
            row = {
                "kind": "run",
                "name": b["long_name"] if long_run else b["name"],
                "route": "hill" if hilly else "river",
                "run_s": run_s,
                "walk_s": walk_s,
                "v_run": b["v_run"] + b["v_run_gain_per_week"] * (w - 1),
                "hour": "morning",
                "fmt": "gpx" if w <= b["gpx_weeks"] else "fit",
                "rpe": b["rpe_long_or_hilly"] if long_run or hilly else b["rpe"],
                "description": b["description"],
            }
            build_m = round(longest * share * (1.0 if long_run else jitter), -1)
            plans.append(d.session(row, day=d.day(w, wd), week=w, distance_m=build_m))
        if w in b["ride_weeks"]:
            plans.append(d.session(b["ride"], day=d.day(w, b["ride_weekday"]), week=w))
    build_longest = longest

    events: dict[str, int] = {}
    for row in table["session"]:
        week, day = row["week"], d.day(row["week"], row["weekday"])
        distance: float | None = None
        if "share_of_longest" in row:
            distance = round(build_longest * row["share_of_longest"], -1)
        elif "times_longest_30d" in row:
            window = [p.distance_m for p in plans if p.kind == "run" and day - 30 <= p.day < day]
            distance = round(row["times_longest_30d"] * max(window), -1)
        plans.append(d.session(row, day=day, week=week, distance_m=distance))
        if "event" in row:
            events[row["event"]] = day
    plans.sort(key=lambda p: (p.day, p.hour))
    return plans, events
