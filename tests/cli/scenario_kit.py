"""Build a runner's history the way a user would: real FIT/GPX files through ``backstride
import``, and ``log``, ``pain add``, ``profile set``, ``screen``, ``shoes``, ``selftest``,
``route`` through the command line. Nothing is written to the database directly.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal

import numpy as np

from backstride.adapters.files.fit.writer import encode_fit_activity
from backstride.adapters.files.gpx.writer import encode_gpx_activity
from backstride.domain.body import SCREENING_QUESTIONS

LAT0, LON0 = 47.05, 8.30
M_PER_DEG = 111_195.0
Profile = Literal["flat", "steep"]


def altitude_for(distance_m: np.ndarray, total_m: float, profile: Profile) -> np.ndarray:
    """Flat (a few tenths of a metre of ripple) or a gentle climb then a -10 % descent."""
    if profile == "flat":
        return 400.0 + 0.4 * np.sin(distance_m / 300.0)
    descent = min(2000.0, 0.4 * total_m)
    climb = total_m - descent - 200.0
    peak = 400.0 + 0.10 * descent
    knots_d = [0.0, climb, climb + descent, total_m + 1.0]
    knots_a = [400.0, peak, 400.0, 400.0]
    return np.interp(distance_m, knots_d, knots_a)


def run_samples(
    *, km: float, pace_s_per_km: float, cadence_spm: float | None, profile: Profile, dt: float = 2.0
) -> dict[str, np.ndarray]:
    total = km * 1000.0
    v = 1000.0 / pace_s_per_km
    n = int(total / v / dt) + 1
    t = np.arange(n) * dt
    d = np.minimum(v * t, total)
    k = np.arange(n)
    return {
        "t": t,
        "d": d,
        "lat": LAT0 + d / M_PER_DEG,
        "lon": np.full(n, LON0) + 1e-6 * np.sin(k / 50.0),
        "alt": altitude_for(d, total, profile),
        "v": np.full(n, v),
        "hr": 138.0 + 4.0 * np.sin(k / 40.0),
        "cad": (np.full(n, cadence_spm / 2.0) if cadence_spm is not None else np.full(n, math.nan)),
    }


Cli = Callable[..., Any]


@dataclass
class Runner:
    """One runner's history under construction; ``cli`` is the tests' ``cli`` fixture."""

    cli: Cli
    folder: Path
    files: dict[str, date] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)
    _n: int = 0

    def ok(self, *args: str) -> Any:
        result = self.cli(*args)
        assert result.exit_code == 0, f"{args}: {result.stdout}\n{result.stderr}"
        return result

    # --- files ---
    def _name(self, day: date, ext: str) -> str:
        self._n += 1
        return f"{day.isoformat()}-{self._n:03d}.{ext}"

    def run(
        self,
        day: date,
        km: float,
        *,
        pace_s_per_km: float = 360.0,
        cadence_spm: float | None = 168.0,
        profile: Profile = "flat",
        fmt: Literal["fit", "gpx"] = "fit",
        trail: bool = False,
        hour: int = 7,
        name: str | None = None,
        heart_rate: bool = True,
    ) -> str:
        """Write a recorded run and return its file name (import later with :meth:`load`)."""
        s = run_samples(
            km=km, pace_s_per_km=pace_s_per_km, cadence_spm=cadence_spm, profile=profile
        )
        start = datetime.combine(day, time(hour), tzinfo=UTC)
        epoch = start.timestamp() + s["t"]
        hr = s["hr"] if heart_rate else None
        cad = s["cad"] if cadence_spm is not None else None
        if fmt == "gpx":
            data = encode_gpx_activity(
                start_at=start,
                name=name or ("Trail run" if trail else "Morning run"),
                activity_type="trail_running" if trail else "running",
                epoch_s=epoch,
                lat_deg=s["lat"],
                lon_deg=s["lon"],
                altitude_m=s["alt"],
                hr_bpm=hr,
                cadence_rpm=cad,
            )
        else:
            data = encode_fit_activity(
                start_at=start,
                sport="running",
                sub_sport="trail" if trail else "street",
                epoch_s=epoch,
                lat_deg=s["lat"],
                lon_deg=s["lon"],
                altitude_m=s["alt"],
                distance_m=s["d"],
                speed_m_s=s["v"],
                hr_bpm=hr,
                cadence_rpm=cad,
            )
        file = self._name(day, fmt)
        (self.folder / file).write_bytes(data)
        self.files[file] = day
        return file

    def ride(self, day: date, *, km: float = 15.0, minutes: float = 45.0, hour: int = 17) -> str:
        n = int(minutes * 60 / 2) + 1
        t = np.arange(n) * 2.0
        v = km * 1000.0 / (minutes * 60.0)
        d = v * t
        start = datetime.combine(day, time(hour), tzinfo=UTC)
        data = encode_fit_activity(
            start_at=start,
            sport="cycling",
            sub_sport="road",
            epoch_s=start.timestamp() + t,
            lat_deg=LAT0 - d / M_PER_DEG,
            lon_deg=np.full(n, LON0 + 0.01),
            altitude_m=np.full(n, 400.0),
            distance_m=d,
            speed_m_s=np.full(n, v),
            hr_bpm=np.full(n, 120.0),
            cadence_rpm=np.full(n, 85.0),
        )
        file = self._name(day, "fit")
        (self.folder / file).write_bytes(data)
        self.files[file] = day
        return file

    def load(self) -> None:
        """Import every file written so far (``backstride import FOLDER --json``)."""
        report = self.ok("import", str(self.folder), "--json", "--workers", "1").json()
        for f in report["files"]:
            name = Path(f["path"]).name
            if f["status"] == "imported":
                self.ids[name] = f["activity_ids"][0]
        assert report["failed"] == 0, report

    # --- the command line ---
    def log(self, day: date, sport: str, minutes: float, *extra: str) -> None:
        self.ok(
            "log", "--on", day.isoformat(), "--sport", sport, "--duration", f"{minutes:g}m", *extra
        )

    def pain(self, day: date, when: str, score: int, *extra: str) -> Any:
        return self.ok(
            "pain", "add", "--on", day.isoformat(), "--when", when, "--score", str(score), *extra
        )

    def profile(self, *args: str) -> None:
        self.ok("profile", "set", *args)

    def screen(self, day: date, yes: Sequence[str] = ()) -> None:
        answers = {q.key: q.key in yes for q in SCREENING_QUESTIONS}
        path = self.folder.parent / f"answers-{day.isoformat()}.json"
        path.write_text(json.dumps(answers))
        self.ok("screen", "--answers", str(path), "--on", day.isoformat())

    def today(self, day: date) -> dict[str, Any]:
        result: dict[str, Any] = self.ok("today", "--on", day.isoformat(), "--json").json()
        return result

    def text(self, day: date) -> str:
        return str(self.ok("today", "--on", day.isoformat()).stdout)


def finding(answer: dict[str, Any], finding_id: str) -> dict[str, Any]:
    found = [f for f in answer["findings"] if f["id"] == finding_id]
    assert found, f"{finding_id} missing; got {[f['id'] for f in answer['findings']]}"
    return found[0]


def ids(answer: dict[str, Any]) -> list[str]:
    return [f["id"] for f in answer["findings"]]


def above_info(answer: dict[str, Any]) -> list[str]:
    return [f["id"] for f in answer["findings"] if f["level"] != "info"]


def every(start: date, end: date, weekdays: Sequence[int]) -> list[date]:
    """Days from ``start`` to ``end`` (inclusive) falling on ``weekdays`` (Monday = 0)."""
    out = []
    d = start
    while d <= end:
        if d.weekday() in weekdays:
            out.append(d)
        d += timedelta(days=1)
    return out


def gpx_route(name: str, km: float, *, profile: Profile = "flat", points: int = 120) -> bytes:
    """A planned route (``<rte>``, no times) as a mapping app exports it."""
    total = km * 1000.0
    d = np.linspace(0.0, total, points)
    lat = LAT0 + 0.02 + d / M_PER_DEG
    alt = altitude_for(d, total, profile)
    pts = "".join(
        f'<rtept lat="{a:.7f}" lon="{LON0 + 0.02:.7f}"><ele>{e:.1f}</ele></rtept>'
        for a, e in zip(lat.tolist(), alt.tolist(), strict=True)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="a mapping app" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<rte><name>{name}</name>{pts}</rte></gpx>"
    ).encode()
