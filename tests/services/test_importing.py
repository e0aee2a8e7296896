"""Import semantics on real files: atomic per file, idempotent, keeps going, reports all."""

from __future__ import annotations

import gzip
import os
import shutil
import signal
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event
from sqlalchemy.orm import Session

from backstride.services.activities import list_activities
from backstride.services.context import App
from backstride.services.importing import ImportTerminated, import_bytes, import_paths
from tests.databases import dump

RUN_FIT = "sports-lib/2067489619.fit"
RUN_GPX = "sports-lib/2067489619.gpx"


def _db_snapshot(app: App) -> dict[str, list[str]]:
    """Every row of the activity tables (import records excluded: they log attempts)."""
    assert app.athlete_id  # the store exists and is migrated
    url = app.settings.database_url
    return {t: dump(url, (t,)) for t in ("activities", "streams", "athletes")}


def test_import_real_file_then_same_bytes_is_duplicate(app: App, activities_dir: Path) -> None:
    first = import_paths(app, [activities_dir / RUN_FIT], workers=1)
    assert first.to_json()["imported"] == 1
    ids = first.files[0].activity_ids
    assert len(ids) == 1
    again = import_paths(app, [activities_dir / RUN_FIT], workers=1)
    assert again.to_json() | {"files": []} == {
        "imported": 0,
        "duplicate": 1,
        "skipped": 0,
        "failed": 0,
        "files": [],
    }
    assert again.files[0].reason == "already imported (same file content)"
    assert len(list_activities(app)) == 1


def test_same_activity_in_another_format_is_stored_once(app: App, activities_dir: Path) -> None:
    report = import_paths(app, [activities_dir / RUN_FIT, activities_dir / RUN_GPX], workers=1)
    statuses = {Path(f.path).suffix: f.status for f in report.files}
    assert statuses == {".fit": "imported", ".gpx": "duplicate"}
    dup = next(f for f in report.files if f.status == "duplicate")
    assert dup.activity_ids == report.files[0].activity_ids or dup.activity_ids
    assert len(list_activities(app)) == 1


def test_three_formats_of_one_run_store_one_activity(app: App, activities_dir: Path) -> None:
    files = [activities_dir / f"sports-lib/6782987395.{ext}" for ext in ("fit", "gpx", "tcx")]
    report = import_paths(app, files, workers=1)
    assert report.count("imported") == 1
    assert report.count("duplicate") == 2
    assert len(list_activities(app)) == 1


def test_bad_file_does_not_stop_the_rest_and_stores_nothing(
    app: App, activities_dir: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "broken.fit"
    data = (activities_dir / RUN_FIT).read_bytes()
    bad.write_bytes(data[: len(data) // 3])
    empty = tmp_path / "empty.gpx"
    empty.write_bytes(b"")
    report = import_paths(
        app, [bad, empty, activities_dir / "gpxpy/korita-zbevnica.gpx"], workers=1
    )
    by_name = {Path(f.path).name: f for f in report.files}
    assert by_name["empty.gpx"].status == "failed"
    assert "empty" in (by_name["empty.gpx"].reason or "")
    assert by_name["korita-zbevnica.gpx"].status == "imported"
    assert by_name["broken.fit"].status in ("failed", "imported")  # salvage allowed, with warning
    if by_name["broken.fit"].status == "imported":
        assert by_name["broken.fit"].warnings
    assert not report.ok or by_name["broken.fit"].status == "imported"


def test_failed_file_leaves_database_unchanged(
    app: App, activities_dir: Path, tmp_path: Path
) -> None:
    import_paths(app, [activities_dir / RUN_FIT], workers=1)
    before = _db_snapshot(app)
    bad = tmp_path / "garbage.tcx"
    bad.write_bytes(b"<?xml version='1.0'?><TrainingCenterDatabase><Activities><Activity")
    report = import_paths(app, [bad], workers=1)
    assert report.count("failed") == 1
    assert "garbage.tcx" in report.files[0].path
    assert _db_snapshot(app) == before


def test_non_activity_fit_is_skipped_with_reason(app: App, activities_dir: Path) -> None:
    report = import_paths(app, [activities_dir / "python-fitparse/Settings.fit"], workers=1)
    assert report.files[0].status == "skipped"
    assert "not an activity" in (report.files[0].reason or "")
    assert report.ok


def test_json_report_has_exact_shape(app: App, activities_dir: Path) -> None:
    report = import_paths(app, [activities_dir / RUN_FIT], workers=1).to_json()
    assert set(report) == {"imported", "duplicate", "skipped", "failed", "files"}
    assert set(report["files"][0]) >= {"path", "status", "reason", "activity_ids"}


def test_gzip_and_zip_and_folder_inputs(app: App, activities_dir: Path, tmp_path: Path) -> None:
    gz = tmp_path / "run.tcx.gz"
    gz.write_bytes(
        gzip.compress((activities_dir / "GoldenCheetah/10kUNLP2014-Garmin15.tcx").read_bytes())
    )
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(activities_dir / "gpxpy/cerknicko-jezero.gpx", "activities/a.gpx")
    folder = tmp_path / "folder"
    folder.mkdir()
    shutil.copy(activities_dir / "python-fitparse/garmin-fenix-5-run.fit", folder / "x.fit")
    report = import_paths(app, [gz, archive, folder], workers=1)
    assert report.count("imported") == 3, report.to_json()
    assert any("export.zip" in f.path for f in report.files)


def test_parallel_import_matches_serial(app: App, activities_dir: Path, tmp_path: Path) -> None:
    names = [
        "python-fitparse/garmin-fenix-5-run.fit",
        "python-fitparse/garmin-fenix-5-bike.fit",
        "python-fitparse/garmin-fenix-5-walk.fit",
        "python-fitparse/Activity.fit",
        "gpxpy/korita-zbevnica.gpx",
        "tcxreader/sup_activity_1.tcx",
        "gpxpy/cerknicko-jezero.gpx",
        "python-fitparse/Settings.fit",
        "sports-lib/2067489619.fit",
    ]
    report = import_paths(app, [activities_dir / n for n in names], workers=2)
    assert [Path(f.path).name for f in report.files] == [Path(n).name for n in names]
    assert report.count("skipped") == 1
    assert report.count("imported") == 8, report.to_json()


def test_progress_is_reported_for_every_file(app: App, activities_dir: Path) -> None:
    seen: list[tuple[int, int]] = []
    files = [activities_dir / RUN_FIT, activities_dir / "gpxpy/korita-zbevnica.gpx"]
    import_paths(app, files, workers=1, progress=lambda d, t, _n: seen.append((d, t)))
    assert seen == [(1, 2), (2, 2)]


class _ArmOnBatch:
    """A watcher that arms the termination below once a batch of files is written."""

    def __init__(self) -> None:
        self.armed = False

    def found(self, total: int) -> None:
        pass

    def batch_written(self, session: object, results: object) -> None:
        self.armed = True


def test_a_termination_right_after_a_commit_still_reports_what_was_stored(
    app: App, activities_dir: Path
) -> None:
    """SIGTERM arriving between a batch's commit and its counting (the narrowest window)
    takes effect after the counting: the report tells exactly what is in the database."""
    watcher = _ArmOnBatch()

    def terminate_after_the_batch(session: Session) -> None:
        if watcher.armed:
            watcher.armed = False
            os.kill(os.getpid(), signal.SIGTERM)

    files = [activities_dir / RUN_FIT, activities_dir / "gpxpy/korita-zbevnica.gpx"]
    handler_before = signal.getsignal(signal.SIGTERM)
    event.listen(Session, "after_commit", terminate_after_the_batch)
    try:
        with pytest.raises(ImportTerminated) as stopped:
            import_paths(app, files, workers=1, watcher=watcher)
    finally:
        event.remove(Session, "after_commit", terminate_after_the_batch)
    stored = len(list_activities(app))
    assert stored > 0
    report = stopped.value.report
    assert report.count("imported") > 0
    assert sum(len(f.activity_ids) for f in report.files if f.status == "imported") == stored
    assert signal.getsignal(signal.SIGTERM) == handler_before  # the importer's handler is gone


def test_missing_path_is_reported_failed(app: App, tmp_path: Path) -> None:
    report = import_paths(app, [tmp_path / "nope.fit"], workers=1)
    assert report.files[0].status == "failed"
    assert not report.ok


def test_strava_meta_names_the_activity(app: App, activities_dir: Path, tmp_path: Path) -> None:
    export = tmp_path / "strava"
    (export / "activities").mkdir(parents=True)
    shutil.copy(activities_dir / RUN_FIT, export / "activities" / "111.fit")
    (export / "activities.csv").write_text(
        "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,"
        "Elapsed Time,Distance,Activity Gear,Filename\n"
        '111,"Jan 1, 2020, 7:00:00 AM","Easy, slow loop",Run,"felt ""fine""",1800,5.0,'
        "Pegasus 40,activities/111.fit\n",
        encoding="utf-8",
    )
    report = import_paths(app, [export], workers=1)
    assert report.count("imported") == 1, report.to_json()
    row = list_activities(app)[0]
    assert row.name == "Easy, slow loop"
    assert row.gear == "Pegasus 40"
    assert row.notes == 'felt "fine"'


def test_import_bytes_matches_file_import(app: App, activities_dir: Path) -> None:
    data = (activities_dir / RUN_FIT).read_bytes()
    assert import_bytes(app, data, name="upload.fit").count("imported") == 1
    assert import_bytes(app, data, name="upload.fit").count("duplicate") == 1


@pytest.fixture(scope="module")
def _seed_bytes(activities_dir: Path) -> list[bytes]:
    return [
        (activities_dir / "python-fitparse/garmin-fenix-5-run.fit").read_bytes(),
        (activities_dir / "gpxpy/track_with_speed.gpx").read_bytes(),
        (activities_dir / "tcxreader/sup_activity_1.tcx").read_bytes()[:20000],
    ]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_mutated_files_never_damage_the_store(
    app: App, _seed_bytes: list[bytes], data: st.DataObject
) -> None:
    """Random truncations and byte flips: either imported or failed/skipped, store consistent."""
    seed = data.draw(st.sampled_from(_seed_bytes))
    cut = data.draw(st.integers(0, len(seed)))
    blob = bytearray(seed[:cut])
    for _ in range(data.draw(st.integers(0, 5))):
        if blob:
            i = data.draw(st.integers(0, len(blob) - 1))
            blob[i] = data.draw(st.integers(0, 255))
    before = _db_snapshot(app)
    report = import_bytes(app, bytes(blob), name="mutant.fit")
    result = report.files[0]
    if result.status in ("failed", "skipped", "duplicate"):
        assert _db_snapshot(app) == before
        assert result.reason
    else:
        assert result.status == "imported"
        assert len(_db_snapshot(app)["activities"]) == len(before["activities"]) + len(
            result.activity_ids
        )
