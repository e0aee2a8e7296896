"""The demo athlete: deterministic, readable by the reference readers, and the story is in the data.

Every story check here recomputes from the generated samples (FIT via fitdecode, GPX via gpxpy)
with plain numpy; the story object is only used for what files cannot carry (shoe start km,
the diary) and for its dates, which are checked against the data too.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import time
import warnings
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import fitdecode
import gpxpy
import numpy as np
import pytest

from backstride.errors import InvalidInputError
from backstride.services.demo import DemoStory, generate_demo
from tests.untraced import reference

END = date(2025, 3, 30)
SEMI = 180.0 / 2**31


@dataclass(frozen=True)
class Run:
    file: str
    on: date
    sport: str
    gear: str
    t: np.ndarray
    dist: np.ndarray
    alt: np.ndarray
    hr: np.ndarray
    cad: np.ndarray
    speed: np.ndarray | None

    @property
    def distance_m(self) -> float:
        return float(self.dist[-1])

    @property
    def is_run(self) -> bool:
        return self.sport in ("Run", "Trail Run")


@dataclass(frozen=True)
class Demo:
    out: Path
    story: DemoStory
    seconds: float
    activities: list[Run]

    def week(self, on: date) -> int:
        return (on - self.story.start).days // 7 + 1

    @property
    def runs(self) -> list[Run]:
        return [a for a in self.activities if a.is_run]


def haversine_cum(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    la, lo = np.radians(lat), np.radians(lon)
    a = (
        np.sin(np.diff(la) / 2) ** 2
        + np.cos(la[:-1]) * np.cos(la[1:]) * np.sin(np.diff(lo) / 2) ** 2
    )
    return np.concatenate(([0.0], np.cumsum(2 * 6_371_008.8 * np.arcsin(np.sqrt(a)))))


def read_fit(data: bytes) -> dict[str, np.ndarray]:
    cols: dict[str, list[float]] = {k: [] for k in ("t", "dist", "alt", "hr", "cad", "speed")}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with fitdecode.FitReader(
            io.BytesIO(data),
            check_crc=fitdecode.CrcCheck.RAISE,
            error_handling=fitdecode.ErrorHandling.RAISE,
        ) as reader:
            for frame in reader:
                if not isinstance(frame, fitdecode.FitDataMessage) or frame.name != "record":
                    continue
                v = {f.name: f.value for f in frame.fields}
                cols["t"].append(v["timestamp"].timestamp())
                cols["dist"].append(v.get("distance") or np.nan)
                alt = v.get("enhanced_altitude")
                cols["alt"].append(np.nan if alt is None else alt)
                cols["hr"].append(v["heart_rate"])
                cols["cad"].append(v["cadence"] + (v.get("fractional_cadence") or 0.0))
                cols["speed"].append(v.get("enhanced_speed") or np.nan)
    return {k: np.array(v, dtype=np.float64) for k, v in cols.items()}


def read_gpx(data: bytes) -> dict[str, np.ndarray]:
    gpx = gpxpy.parse(data.decode("utf-8"))
    points = [p for trk in gpx.tracks for seg in trk.segments for p in seg.points]
    lat = np.array([p.latitude for p in points])
    lon = np.array([p.longitude for p in points])
    hr, cad = [], []
    for p in points:
        ext = {c.tag.split("}")[1]: float(c.text) for e in p.extensions for c in e}
        hr.append(ext.get("hr", np.nan))
        cad.append(ext.get("cad", np.nan))
    return {
        "t": np.array([p.time.timestamp() for p in points]),
        "dist": haversine_cum(lat, lon),
        "alt": np.array([p.elevation for p in points], dtype=np.float64),
        "hr": np.array(hr),
        "cad": np.array(cad),
    }


@reference  # the reference readers only: coverage would triple their time
def load(out: Path, story: DemoStory, seconds: float) -> Demo:
    with (out / "activities.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    offset = story.profile.utc_offset_s
    activities = []
    for row in rows:
        data = (out / row["Filename"]).read_bytes()
        if row["Filename"].endswith(".gz"):
            data = gzip.decompress(data)
        cols = read_fit(data) if ".fit" in row["Filename"] else read_gpx(data)
        on = datetime.fromtimestamp(cols["t"][0] + offset).date()
        dist = cols["dist"]
        if not np.isfinite(dist).any():
            dist = np.zeros_like(cols["t"])
        activities.append(
            Run(
                file=row["Filename"],
                on=on,
                sport=row["Activity Type"],
                gear=row["Activity Gear"],
                t=cols["t"],
                dist=dist,
                alt=cols["alt"],
                hr=cols["hr"],
                cad=cols["cad"],
                speed=cols.get("speed"),
            )
        )
    return Demo(out=out, story=story, seconds=seconds, activities=activities)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    out = tmp_path_factory.mktemp("demo")
    t0 = time.perf_counter()
    story = generate_demo(out, seed=7, end=END)
    seconds = time.perf_counter() - t0
    return load(out, story, seconds)


def steep_descent_m(run: Run, *, grade: float = -0.08) -> float:
    """Metres of track where the grade over 100 m is steeper than ``grade``."""
    ok = np.isfinite(run.alt) & np.isfinite(run.dist)
    d = np.maximum.accumulate(run.dist[ok])
    grid = np.arange(0.0, d[-1], 10.0)
    alt = np.interp(grid, d, run.alt[ok])
    g = (alt[10:] - alt[:-10]) / 100.0
    return float(np.count_nonzero(g < grade) * 10.0)


def run_days(demo: Demo) -> set[date]:
    return {r.on for r in demo.runs}


def longest_streak(days: set[date], first: date, last: date) -> int:
    best = cur = 0
    d = first
    while d <= last:
        cur = cur + 1 if d in days else 0
        best = max(best, cur)
        d += timedelta(days=1)
    return best


def longest_before(demo: Demo, on: date, days: int = 30) -> float:
    prior = [r.distance_m for r in demo.runs if on - timedelta(days=days) <= r.on < on]
    return max(prior, default=0.0)


def week_km(demo: Demo, week: int) -> float:
    return sum(r.distance_m for r in demo.runs if demo.week(r.on) == week) / 1000.0


# --- generation ---------------------------------------------------------------------------


@pytest.mark.slow  # the module's demo fixture reads every file with the reference readers
def test_same_seed_gives_the_same_bytes(demo: Demo, tmp_path: Path) -> None:
    story = generate_demo(tmp_path, seed=7, end=END)
    first = sorted(p.relative_to(demo.out) for p in demo.out.rglob("*") if p.is_file())
    second = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert first == second
    for rel in first:
        assert (demo.out / rel).read_bytes() == (tmp_path / rel).read_bytes(), rel
    assert story.to_json() == demo.story.to_json()


def test_another_seed_differs_and_a_rerun_leaves_no_stale_files(demo: Demo, tmp_path: Path) -> None:
    story = generate_demo(tmp_path, seed=8, end=END)
    assert story.spike_run_date == demo.story.spike_run_date
    assert (tmp_path / "activities.csv").read_bytes() != (demo.out / "activities.csv").read_bytes()
    (tmp_path / "activities" / "mine.txt").write_text("not a demo file")
    story = generate_demo(tmp_path, seed=7, end=END)
    names = {p.name for p in (tmp_path / "activities").iterdir()}
    assert names == {Path(f.file).name for f in story.files} | {"mine.txt"}


def test_fewer_than_sixteen_weeks_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError):
        generate_demo(tmp_path, weeks=10, end=END)


def test_history_ends_on_end_and_spans_sixteen_weeks(demo: Demo) -> None:
    story = demo.story
    assert story.end == END
    assert story.start == END - timedelta(days=16 * 7 - 1)
    assert story.quiet_day == END
    days = [a.on for a in demo.activities]
    assert min(days) >= story.start
    assert max(days) <= END
    assert max(p.on for p in story.pain_entries) == END


def test_files_are_a_mix_of_fit_gpx_and_gzip(demo: Demo) -> None:
    names = [a.file for a in demo.activities]
    assert any(n.endswith(".fit") for n in names)
    assert any(n.endswith(".fit.gz") for n in names)
    assert any(n.endswith(".gpx") or n.endswith(".gpx.gz") for n in names)
    files = sorted(str(p.relative_to(demo.out)) for p in (demo.out / "activities").iterdir())
    assert files == sorted(names)


def test_csv_has_the_strava_columns_and_gear_for_runs(demo: Demo) -> None:
    with (demo.out / "activities.csv").open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = list(reader)
    assert header == [
        "Activity ID",
        "Activity Date",
        "Activity Name",
        "Activity Type",
        "Activity Description",
        "Elapsed Time",
        "Distance",
        "Activity Gear",
        "Filename",
    ]
    assert {r[3] for r in rows} == {"Run", "Trail Run", "Ride"}
    for r in rows:
        datetime.strptime(r[1], "%b %d, %Y, %I:%M:%S %p")
        assert (r[7] != "") == (r[3] in ("Run", "Trail Run"))
    assert dict(demo.story.shoe_by_file) == {r[8]: r[7] for r in rows if r[7]}
    assert {f.file for f in demo.story.files} == {r[8] for r in rows}


def test_story_serialises_to_json(demo: Demo) -> None:
    data = json.loads(demo.story.to_json())
    assert data["profile"]["conditions"] == ["lumbar-spinal-stenosis"]
    assert data["profile"]["birth_year"] == 1968
    assert data["profile"]["experience"] == "returning"
    assert data["clearance"]["by"].startswith("Dr. ")
    assert data["quiet_day"] == END.isoformat()


# --- the samples look like a person -------------------------------------------------------


def test_samples_every_one_or_two_seconds_with_plausible_physiology(demo: Demo) -> None:
    for a in demo.activities:
        step = np.median(np.diff(a.t))
        assert step == (1.0 if ".fit" in a.file else 2.0)
        assert 55 <= np.nanmin(a.hr) and np.nanmax(a.hr) <= 175
    all_hr = np.concatenate([r.hr for r in demo.runs])
    assert 120 < np.median(all_hr) < 160


def test_running_cadence_is_80_to_86_strides_per_minute(demo: Demo) -> None:
    for r in demo.runs:
        if r.speed is None or not np.isfinite(r.speed).any():
            continue
        running = r.speed > 2.1
        assert 80.0 <= np.median(r.cad[running]) <= 86.0, r.file


def test_altitude_has_barometric_like_noise(demo: Demo) -> None:
    flat = [r for r in demo.runs if ".fit" in r.file and steep_descent_m(r) == 0]
    steps = np.concatenate([np.diff(r.alt) for r in flat])
    assert 0.0 < np.std(steps) < 0.5  # small, smooth steps, not GPS altitude jumps


# --- the story, from the data ---------------------------------------------------------------


def test_weeks_1_to_8_three_runs_never_on_consecutive_days(demo: Demo) -> None:
    days = run_days(demo)
    for week in range(1, 9):
        runs = sorted(d for d in days if demo.week(d) == week)
        assert len(runs) == 3, week
    early = sorted(d for d in days if demo.week(d) <= 8)
    assert all((b - a).days >= 2 for a, b in zip(early, early[1:], strict=False))


def test_weeks_1_to_8_longest_run_grows_slowly(demo: Demo) -> None:
    longest = [max(r.distance_m for r in demo.runs if demo.week(r.on) == w) for w in range(1, 9)]
    growth = np.array(longest[1:]) / np.array(longest[:-1])
    assert np.all(growth > 1.02) and np.all(growth < 1.12), growth
    assert 2500 < longest[0] < 3500


def test_weeks_1_to_8_cross_train_once_or_twice_a_week(demo: Demo) -> None:
    for week in range(1, 9):
        rides = sum(1 for a in demo.activities if a.sport == "Ride" and demo.week(a.on) == week)
        swims = sum(
            1 for m in demo.story.manual_entries if m.sport == "swim" and demo.week(m.on) == week
        )
        assert 1 <= rides + swims <= 2, week


def test_week_9_has_a_spike_and_no_rest_day_for_six_days(demo: Demo) -> None:
    week9 = [r for r in demo.runs if demo.week(r.on) == 9]
    ratios = {r.on: r.distance_m / longest_before(demo, r.on) for r in week9}
    spike_day = max(ratios, key=lambda d: ratios[d])
    assert ratios[spike_day] > 1.3
    assert 1.5 < ratios[spike_day] < 1.7  # aimed at +60 %
    assert spike_day == demo.story.spike_run_date
    first = demo.story.spike_week_start
    assert demo.week(first) == 9
    assert longest_streak(run_days(demo), first, first + timedelta(days=6)) >= 6


def test_week_9_progression_is_over_30_percent(demo: Demo) -> None:
    assert week_km(demo, 9) > 1.3 * week_km(demo, 8)
    assert week_km(demo, 8) + week_km(demo, 9) > 1.3 * (week_km(demo, 6) + week_km(demo, 7))


def test_only_week_9_ramps_more_than_30_percent(demo: Demo) -> None:
    km = {w: week_km(demo, w) for w in range(1, 17)}
    ramps = [w for w in range(2, 17) if km[w] > 1.3 * km[w - 1]]
    assert ramps == [9], km
    spikes = [r.on for r in demo.runs if r.distance_m > 1.3 * (longest_before(demo, r.on) or 1e9)]
    assert spikes == [demo.story.spike_run_date]


def test_weeks_10_and_11_run_less(demo: Demo) -> None:
    assert week_km(demo, 10) < 0.5 * week_km(demo, 9)
    assert week_km(demo, 11) < 0.6 * week_km(demo, 9)
    assert all(
        r.distance_m <= longest_before(demo, r.on) for r in demo.runs if demo.week(r.on) in (10, 11)
    )


def test_week_12_has_the_long_steep_descent_and_only_it(demo: Demo) -> None:
    steep = {r.file: steep_descent_m(r) for r in demo.runs}
    long_steep = [r for r in demo.runs if steep[r.file] >= 1500.0]
    assert len(long_steep) == 1
    (downhill,) = long_steep
    assert demo.week(downhill.on) == 12
    assert downhill.on == demo.story.downhill_run_date
    assert downhill.gear == "Trail shoe"
    # Not a distance spike: the descent is the cause, not the length.
    assert downhill.distance_m < longest_before(demo, downhill.on)


def test_shoe_a_passes_700_km_in_week_12(demo: Demo) -> None:
    shoe = next(s for s in demo.story.shoes if s.name == "Daily trainer")
    assert shoe.default_for_run
    km = shoe.start_km
    passed_on = None
    for r in sorted(demo.runs, key=lambda r: r.on):
        if r.gear == "Daily trainer":
            km += r.distance_m / 1000.0
            if passed_on is None and km >= 700.0:
                passed_on = r.on
    assert km > 700.0
    assert passed_on is not None and demo.week(passed_on) == 12
    assert passed_on == demo.story.shoe_a_passes_700_on
    road = [r for r in demo.runs if r.sport == "Run"]
    assert all(r.gear == "Daily trainer" for r in road)
    trail = [r for r in demo.runs if r.sport == "Trail Run"]
    assert trail and all(r.gear == "Trail shoe" for r in trail)


def test_the_final_days_are_calm(demo: Demo) -> None:
    days = run_days(demo)
    assert END not in days and END - timedelta(days=1) not in days
    last7 = sorted(d for d in days if d > END - timedelta(days=7))
    assert len(last7) >= 2
    assert all((b - a).days >= 2 for a, b in zip(last7, last7[1:], strict=False))
    for r in demo.runs:
        if r.on > END - timedelta(days=7):
            assert r.distance_m <= 1.1 * longest_before(demo, r.on)
            assert steep_descent_m(r) < 200.0
    final = [p for p in demo.story.pain_entries if p.on >= END - timedelta(days=6)]
    assert final and max(p.score for p in final) <= 2


# --- the diary ----------------------------------------------------------------------------


def test_pain_diary_tells_the_story(demo: Demo) -> None:
    story = demo.story
    pain = story.pain_entries
    files = {a.file: a.on for a in demo.activities}
    by_week: dict[int, list[int]] = {}
    for p in pain:
        by_week.setdefault(demo.week(p.on), []).append(p.score)
    assert max(max(by_week[w]) for w in range(1, 9)) <= 2
    after_spike = [
        p for p in pain if story.spike_run_date <= p.on <= story.spike_run_date + timedelta(days=3)
    ]
    assert max(p.score for p in after_spike if p.when == "after") >= 4
    assert max(p.score for p in after_spike if p.when == "next-morning") >= 5
    morning = [p for p in pain if p.on == story.downhill_run_date + timedelta(days=1)]
    (worst,) = [p for p in morning if p.when == "next-morning"]
    assert 5 <= worst.score <= 6
    assert worst.walking_leg_symptoms and worst.eases_sitting
    assert "tingling" in worst.feels and "leg-left" in worst.where
    assert all(p.score <= 2 for p in pain if demo.week(p.on) >= 15)
    for p in pain:
        assert 0 <= p.score <= 10
        if p.when in ("during", "after"):
            assert p.activity_file is not None and (demo.out / p.activity_file).is_file()
            assert files[p.activity_file] == p.on
        elif p.when == "next-morning" and p.activity_file is not None:
            assert files[p.activity_file] == p.on - timedelta(days=1)
        else:
            assert p.activity_file is None


def test_story_extras_are_complete(demo: Demo) -> None:
    story = demo.story
    assert story.clearance.on == story.start
    names = {t.name for t in story.self_tests}
    assert names == {
        "trunk-flexor-hold",
        "trunk-extensor-hold",
        "side-bridge-left",
        "side-bridge-right",
        "sit-and-reach",
        "straight-leg-raise-left",
        "straight-leg-raise-right",
        "hip-flexor-length-left",
        "hip-flexor-length-right",
    }
    first = {t.name: t for t in story.self_tests if t.on == min(x.on for x in story.self_tests)}
    left, right = first["side-bridge-left"].value, first["side-bridge-right"].value
    assert left is not None and right is not None and left / right < 0.85
    assert {m.sport for m in story.manual_entries} >= {"strength", "mobility", "swim"}
    assert set(story.rpe_by_file) == {a.file for a in demo.activities}
    assert all(0 <= v <= 10 for v in story.rpe_by_file.values())
    assert story.rpe_by_file[next(f.file for f in story.files if f.on == story.spike_run_date)] >= 7
    assert len(story.shoes) == 2
    assert [s.name for s in story.shoes if s.default_for_run] == ["Daily trainer"]
