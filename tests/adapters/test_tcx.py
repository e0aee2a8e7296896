"""TCX reader: every corpus file against a plain lxml reading (and tcxreader where it works)."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from lxml import etree
from tcxreader.tcxreader import TCXReader

from backstride.adapters.files.tcx import parse_tcx
from backstride.domain.activity import Activity, Sport
from backstride.domain.samples import RANGES
from backstride.errors import CorruptFileError, NotAnActivityError
from tests.corpus import corpus_files

TCX_FILES = corpus_files((".tcx",))

TCD = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
NS = {"t": TCD}


def _ids(paths: list[Path]) -> list[str]:
    return [f"{p.parent.name}/{p.name}" for p in paths]


def _epoch(text: str) -> float:
    dt = datetime.fromisoformat(text.strip())
    return (dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt).timestamp()


@dataclass(frozen=True)
class _RefActivity:
    """One ``<Activity>`` read the slow, obvious way with lxml's tree API."""

    sport: str
    id_epoch_s: float
    epoch_s: np.ndarray  # trackpoints with a time, in file order, backwards steps removed
    hr_bpm: np.ndarray
    lap_distance_m: float
    max_point_distance_m: float


def _reference(path: Path) -> list[_RefActivity]:
    tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    out = []
    for act in tree.getroot().iter(f"{{{TCD}}}Activity"):
        times: list[float] = []
        hrs: list[float] = []
        dists: list[float] = []
        for tp in act.iterfind("t:Lap/t:Track/t:Trackpoint", NS):
            t = tp.findtext("t:Time", None, NS)
            if t is None:
                continue
            times.append(_epoch(t))
            hr = tp.findtext("t:HeartRateBpm/t:Value", None, NS)
            hrs.append(float(hr) if hr else math.nan)
            dist = tp.findtext("t:DistanceMeters", None, NS)
            dists.append(float(dist) if dist else math.nan)
        t_arr = np.asarray(times)
        # assemble_activity drops samples whose time runs backwards.
        keep = t_arr >= np.maximum.accumulate(t_arr) if t_arr.size else t_arr.astype(bool)
        hr_arr = np.asarray(hrs)[keep]
        lo, hi = RANGES["hr_bpm"]
        hr_arr[(hr_arr < lo) | (hr_arr > hi)] = np.nan
        laps = [float(x) for x in act.xpath("t:Lap/t:DistanceMeters/text()", namespaces=NS)]
        finite = [d for d in dists if math.isfinite(d)]
        out.append(
            _RefActivity(
                sport=act.get("Sport", ""),
                id_epoch_s=_epoch(act.findtext("t:Id", "", NS)),
                epoch_s=t_arr[keep],
                hr_bpm=hr_arr,
                lap_distance_m=sum(laps),
                max_point_distance_m=max(finite) if finite else 0.0,
            )
        )
    return out


@pytest.mark.parametrize("path", TCX_FILES, ids=_ids(TCX_FILES))
def test_parse_tcx_matches_lxml_reference_on_corpus(path: Path, activities_dir: Path) -> None:
    del activities_dir
    reference = _reference(path)
    activities = _parsed(path)
    assert len(activities) == len(reference)
    for activity, ref in zip(activities, reference, strict=True):
        _compare(activity, ref)


def _compare(activity: Activity, ref: _RefActivity) -> None:
    assert activity.source_format == "tcx"
    assert activity.source_sport == ref.sport
    assert len(activity.streams) == len(ref.epoch_s)
    # The Id is the start when the first trackpoint follows it (assemble_activity's rule).
    first = float(ref.epoch_s[0])
    start = ref.id_epoch_s if 0.0 <= first - ref.id_epoch_s < 6 * 3600 else first
    assert activity.start_at.timestamp() == pytest.approx(start, abs=1e-3)
    assert activity.duration_s == pytest.approx(float(ref.epoch_s[-1]) - start, abs=1e-3)
    expected_m = ref.lap_distance_m or ref.max_point_distance_m
    if expected_m > 0:
        assert activity.distance_m == pytest.approx(expected_m, rel=0.005)
        assert activity.distance_m == pytest.approx(ref.max_point_distance_m, rel=0.005)
    else:  # an indoor ride without a speed sensor: distance unknown, not zero
        assert activity.distance_m is None
    if np.isfinite(ref.hr_bpm).any():
        assert activity.streams.hr_bpm is not None
        np.testing.assert_array_equal(activity.streams.hr_bpm, ref.hr_bpm)
    else:
        assert activity.streams.hr_bpm is None


# tcxreader is slow (~1 s per MB here); the lxml reference above covers every file.
TCXREADER_FILES = [p for p in TCX_FILES if p.stat().st_size <= 1_500_000]


@pytest.mark.parametrize("path", TCXREADER_FILES, ids=_ids(TCXREADER_FILES))
def test_parse_tcx_agrees_with_tcxreader_where_it_works(path: Path, activities_dir: Path) -> None:
    del activities_dir
    try:
        exercise = TCXReader().read(str(path), only_gps=False)
    except Exception as exc:  # noqa: BLE001 - tcxreader's own failures are not ours
        pytest.skip(f"tcxreader cannot read it: {exc!r}")
    if not exercise.trackpoints:
        pytest.skip("tcxreader returns no trackpoints for this file")
    activities = _parsed(path)
    assert len(activities) == 1
    (activity,) = activities
    timed = [tp for tp in exercise.trackpoints if tp.time is not None]
    ref_epoch = np.asarray([_epoch(tp.time.isoformat()) for tp in timed])
    keep = ref_epoch >= np.maximum.accumulate(ref_epoch)
    assert len(activity.streams) == int(keep.sum())
    assert activity.streams.time_s[-1] + activity.start_at.timestamp() == pytest.approx(
        float(ref_epoch[keep][-1]), abs=1e-3
    )
    if exercise.distance:
        assert activity.distance_m == pytest.approx(exercise.distance, rel=0.005)
    hr = np.asarray([tp.hr_value if tp.hr_value is not None else np.nan for tp in timed], float)
    if np.isfinite(hr).any():
        assert activity.streams.hr_bpm is not None
        np.testing.assert_array_equal(activity.streams.hr_bpm, hr[keep])


def _parsed(path: Path) -> list[Activity]:
    """Parse each corpus file once per test session (activities are immutable)."""
    return _parsed_by(parse_tcx, path)


@functools.cache
def _parsed_by(parse: Callable[[bytes], list[Activity]], path: Path) -> list[Activity]:
    return parse(path.read_bytes())


def _corpus(activities_dir: Path, relative: str) -> list[Activity]:
    path = activities_dir / relative
    if not path.is_file():
        pytest.skip(f"{relative} not in the corpus")
    return _parsed(path)


def test_parse_tcx_splits_a_multisport_session(activities_dir: Path) -> None:
    activities = _corpus(activities_dir, "GoldenCheetah/activity_165850259_multi-session.tcx")
    assert [a.sport for a in activities] == [Sport.RUN, Sport.CYCLE, Sport.RUN, Sport.CYCLE]
    assert sum(len(a.streams) for a in activities) == 1893
    assert [len(a.streams) for a in activities] == [656, 235, 733, 269]
    assert activities[0].start_at == datetime(2011, 11, 29, 12, 12, tzinfo=UTC)
    assert {a.device for a in activities} == {"Forerunner305 (Unit ID 3815748186)"}


def test_parse_tcx_reads_laps_into_device_totals(activities_dir: Path) -> None:
    (run,) = _corpus(activities_dir, "GoldenCheetah/10kUNLP2014-Garmin15.tcx")
    assert len(run.laps) == 11
    assert run.laps[0].start_s == 0.0
    assert run.device_totals is not None
    assert run.device_totals.distance_m == pytest.approx(10010.82, abs=0.1)
    assert run.device_totals.timer_s == pytest.approx(sum(lap.duration_s or 0 for lap in run.laps))
    assert run.moving_time_s == run.device_totals.timer_s
    assert run.device == "Forerunner 15"


def test_parse_tcx_reads_run_cadence_speed_and_notes(activities_dir: Path) -> None:
    (run,) = _corpus(activities_dir, "sports-lib/6782987395.tcx")
    assert run.streams.cadence_rpm is not None and run.streams.speed_m_s is not None
    assert run.streams.cadence_rpm[0] == 49.0  # RunCadence, strides per minute, raw
    (ride,) = _corpus(activities_dir, "GoldenCheetah/2020-02-05_17-25-14_Training-with-Notes.tcx")
    assert ride.notes is not None and ride.notes.startswith("- immer noch den Muskelkater")
    assert ride.device == "Polar Vantage V"
    assert ride.distance_m is None  # indoor: no distance anywhere


def test_parse_tcx_reads_watts(activities_dir: Path) -> None:
    (ride,) = _corpus(activities_dir, "GoldenCheetah/2009_09_19_09_22_42.tcx")
    assert ride.streams.power_w is not None
    assert int(np.isfinite(ride.streams.power_w).sum()) == 1838


def test_parse_tcx_treats_a_run_without_positions_as_treadmill(activities_dir: Path) -> None:
    (run,) = _corpus(activities_dir, "sports-lib/6860622783.tcx")
    assert run.sport is Sport.TREADMILL_RUN
    assert run.source_sport == "Running"
    assert not run.streams.has_positions
    assert run.distance_m == pytest.approx(10630.37, abs=0.1)


# --- small synthetic files ---------------------------------------------------------------


def _tcx(body: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<TrainingCenterDatabase xmlns="{TCD}" '
        'xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">\n'
        f"{body}\n</TrainingCenterDatabase>\n"
    ).encode()


def _tp(time: str | None, *, extra: str = "") -> str:
    t = f"<Time>{time}</Time>" if time else ""
    return f"<Trackpoint>{t}{extra}</Trackpoint>"


def _activity(points: list[str], *, sport: str = "Running", lap: str = "") -> str:
    return (
        f'<Activities><Activity Sport="{sport}"><Id>2021-06-01T07:00:00Z</Id>'
        f'<Lap StartTime="2021-06-01T07:00:00Z">{lap}<Track>{"".join(points)}</Track></Lap>'
        "<Creator><Name>Test Watch</Name></Creator><Notes>hills</Notes></Activity></Activities>"
    )


def test_parse_tcx_drops_trackpoints_without_time_with_a_warning() -> None:
    pos = (
        "<Position><LatitudeDegrees>{}</LatitudeDegrees>"
        "<LongitudeDegrees>6</LongitudeDegrees></Position>"
    )
    points = [
        _tp("2021-06-01T07:00:00Z", extra=pos.format(50.0)),
        _tp(None, extra=pos.format(50.0005)),
        _tp("2021-06-01T07:01:00Z", extra=pos.format(50.001)),
    ]
    (run,) = parse_tcx(_tcx(_activity(points)))
    assert len(run.streams) == 2
    assert "1 trackpoints without a time dropped" in run.warnings
    assert run.notes == "hills"
    assert run.device == "Test Watch"
    assert run.sport is Sport.RUN


def test_parse_tcx_reads_every_trackpoint_field() -> None:
    point = (
        "<Position><LatitudeDegrees>50.0</LatitudeDegrees>"
        "<LongitudeDegrees>6.0</LongitudeDegrees></Position>"
        "<AltitudeMeters>101.5</AltitudeMeters><DistanceMeters>12.5</DistanceMeters>"
        "<HeartRateBpm><Value>140</Value></HeartRateBpm><Cadence>88</Cadence>"
        "<Extensions><ns3:TPX><ns3:Speed>3.25</ns3:Speed><ns3:Watts>250</ns3:Watts>"
        "</ns3:TPX></Extensions>"
    )
    points = [_tp("2021-06-01T07:00:00Z", extra=point), _tp("2021-06-01T07:00:01Z", extra=point)]
    (ride,) = parse_tcx(_tcx(_activity(points, sport="Biking")))
    first = {name: float(col[0]) for name, col in ride.streams.present().items()}
    assert ride.sport is Sport.CYCLE
    assert first == {
        "time_s": 0.0,
        "lat_deg": 50.0,
        "lon_deg": 6.0,
        "altitude_m": 101.5,
        "distance_m": 12.5,
        "speed_m_s": 3.25,
        "hr_bpm": 140.0,
        "cadence_rpm": 88.0,
        "power_w": 250.0,
    }


def test_parse_tcx_keeps_lap_totals_when_there_are_no_trackpoints() -> None:
    lap = "<TotalTimeSeconds>1800</TotalTimeSeconds><DistanceMeters>5000</DistanceMeters>"
    (run,) = parse_tcx(_tcx(_activity([], lap=lap)))
    assert run.duration_s == 1800.0
    assert run.distance_m == 5000.0
    assert any("only its summary" in w for w in run.warnings)


def test_parse_tcx_rejects_courses_and_workouts() -> None:
    course = (
        "<Courses><Course><Name>Loop</Name><Track>"
        + _tp("2021-06-01T07:00:00Z")
        + _tp("2021-06-01T07:00:05Z")
        + "</Track></Course></Courses>"
    )
    with pytest.raises(NotAnActivityError, match="planned course"):
        parse_tcx(_tcx(course))
    with pytest.raises(NotAnActivityError, match="workout"):
        parse_tcx(_tcx("<Workouts><Workout><Name>Intervals</Name></Workout></Workouts>"))
    with pytest.raises(NotAnActivityError, match="no trackpoints"):
        parse_tcx(_tcx("<Activities/>"))


def test_parse_tcx_rejects_another_root_element() -> None:
    with pytest.raises(CorruptFileError, match="root element is <gpx>"):
        parse_tcx(b'<gpx xmlns="http://www.topografix.com/GPX/1/1"/>')


def test_parse_tcx_reports_where_the_xml_breaks() -> None:
    data = _tcx(_activity([_tp("2021-06-01T07:00:00Z"), _tp("2021-06-01T07:00:05Z")]))
    with pytest.raises(CorruptFileError, match=r"malformed at line \d+, column \d+"):
        parse_tcx(data[:-60])
