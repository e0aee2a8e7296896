"""services/dashboard.py (weeks, attention, uploads) and the Overview's spike notes."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from backstride.adapters.db.tables import ActivityRow, ImportRecordRow
from backstride.services.activities import (
    ActivityEdit,
    ManualEntry,
    edit_activity,
    get_activity_summary,
    log_manual,
)
from backstride.services.context import App
from backstride.services.dashboard import (
    UploadedFile,
    import_uploads,
    overview,
    recent_imports,
    shown_file_name,
    uploads_root,
    weekly_totals,
)
from backstride.services.training import load_report
from backstride.web.routes.dashboard import build_overview

SUNDAY = date(2026, 3, 15)


def _run(app: App, day: date, km: float, *, rpe: float | None = 4.0) -> int:
    return log_manual(
        app,
        ManualEntry(day=day, sport="run", duration_s=km * 360, distance_m=km * 1000, rpe=rpe),
        today=SUNDAY,
    )


def test_weekly_totals_group_monday_to_sunday(app: App) -> None:
    _run(app, SUNDAY, 5)
    _run(app, SUNDAY - timedelta(days=6), 3)  # Monday of the same week
    _run(app, SUNDAY - timedelta(days=7), 4)  # Sunday before
    log_manual(
        app,
        ManualEntry(day=SUNDAY, sport="cycle", duration_s=3600, distance_m=20_000),
        today=SUNDAY,
    )
    weeks = weekly_totals(app, on=SUNDAY, weeks=3)
    assert [w.week_start for w in weeks] == [
        date(2026, 3, 2) - timedelta(days=7),
        date(2026, 3, 2),
        date(2026, 3, 9),
    ]
    this_week = weeks[-1]
    assert this_week.runs == 2 and this_week.activities == 3
    assert this_week.run_distance_m == 8000 and this_week.distance_m == 28_000
    assert weeks[1].run_distance_m == 4000 and weeks[0].activities == 0


def test_weeks_ignore_activities_after_the_day(app: App) -> None:
    _run(app, SUNDAY, 5)
    weeks = weekly_totals(app, on=SUNDAY - timedelta(days=1), weeks=1)
    assert weeks[0].runs == 0


def test_overview_average_and_latest(app: App) -> None:
    for i in range(5):
        _run(app, SUNDAY - timedelta(days=7 * i), 5 + i)
    data = overview(app, on=SUNDAY, weeks=5, latest=3)
    assert data.this_week.run_distance_m == 5000
    average = data.recent_average(4)
    assert average is not None and average.run_distance_m == (6 + 7 + 8 + 9) * 1000 / 4
    assert [r.distance_m for r in data.latest] == [5000, 6000, 7000]


def test_attention_asks_for_missing_effort(app: App) -> None:
    activity_id = _run(app, SUNDAY, 5, rpe=None)
    kinds = [a.kind for a in overview(app, on=SUNDAY).attention]
    assert "missing_rpe" in kinds
    edit_activity(app, activity_id, ActivityEdit(rpe=3))
    assert "missing_rpe" not in [a.kind for a in overview(app, on=SUNDAY).attention]


def test_overview_flags_a_run_spike(app: App) -> None:
    for days_before in (20, 13, 6):
        _run(app, SUNDAY - timedelta(days=days_before), 5)
    spike_id = _run(app, SUNDAY - timedelta(days=1), 8)
    report = load_report(app, on=SUNDAY, weeks=3)
    data = build_overview(app, on=SUNDAY, report=report)
    spikes = [a for a in data.attention if a.kind == "run_spike"]
    assert len(spikes) == 1
    assert spikes[0].level == "alert"
    assert spikes[0].href == f"/activities/{spike_id}#spike"
    assert "60 % longer" in spikes[0].message and "Frandsen 2025" in spikes[0].message
    assert report.days[-1].day == SUNDAY


def test_upload_results_and_labels_use_the_original_names(app: App, activities_dir: Path) -> None:
    folder = uploads_root(app) / "upload-test"
    folder.mkdir(parents=True)
    saved = folder / "My run.gpx"
    saved.write_bytes((activities_dir / "sports-lib" / "6782987395.gpx").read_bytes())
    broken = folder / "broken.gpx"
    broken.write_bytes(b"<gpx><trk>")
    report = import_uploads(
        app,
        folder,
        [
            UploadedFile(path=saved, original_name="My run.gpx"),
            UploadedFile(path=broken, original_name="broken.gpx"),
        ],
    )
    by_name = {f.path: f for f in report.files}
    assert set(by_name) == {"My run.gpx", "broken.gpx"}
    assert by_name["My run.gpx"].status == "imported"
    assert by_name["broken.gpx"].status == "failed"
    row = get_activity_summary(app, by_name["My run.gpx"].activity_ids[0])
    assert row.source_label == "My run.gpx"
    history = recent_imports(app)
    assert {h.file_name for h in history} == {"My run.gpx", "broken.gpx"}
    failed = [a for a in overview(app, on=date.today()).attention if a.kind == "failed_import"]
    assert failed and "broken.gpx" in failed[0].message
    assert json.loads(row.warnings or "[]") is not None


def test_shown_file_name_strips_only_upload_folders(app: App) -> None:
    root = uploads_root(app)
    assert shown_file_name(app, f"{root}/upload-x/run.fit") == "run.fit"
    assert shown_file_name(app, f"{root}/upload-x/export.zip:a/1.fit") == "export.zip:a/1.fit"
    assert shown_file_name(app, "/home/me/run.fit") == "/home/me/run.fit"


def test_upload_history_stores_the_uploaded_files_own_name(app: App, activities_dir: Path) -> None:
    """The import history keeps the name the runner gave, not the server's temporary path."""
    folder = uploads_root(app) / "upload-abc123"
    folder.mkdir(parents=True)
    saved = folder / "Morning run _1.gpx"  # the safe name on disk
    saved.write_bytes((activities_dir / "sports-lib" / "6782987395.gpx").read_bytes())
    import_uploads(app, folder, [UploadedFile(path=saved, original_name="Mörning run #1.gpx")])
    with app.store.read_session() as session:
        stored = session.scalars(select(ImportRecordRow.file_name)).all()
        labels = session.scalars(select(ActivityRow.source_label)).all()
    assert stored == ["Mörning run #1.gpx"]
    assert labels == ["Mörning run #1.gpx"]
    assert all(str(uploads_root(app)) not in name for name in [*stored, *labels])
