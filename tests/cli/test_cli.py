"""The command line as a user meets it: exit codes, JSON shapes, errors on stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.databases import DbBackend

RUN_FIT = "sports-lib/2067489619.fit"
LIST_KEYS = {
    "id",
    "sport",
    "start",
    "duration_s",
    "moving_time_s",
    "distance_m",
    "elevation_gain_m",
    "elevation_loss_m",
    "avg_hr_bpm",
    "source",
}


def test_import_json_then_list_show_edit_delete(cli, activities_dir: Path) -> None:
    r = cli("import", "--json", str(activities_dir / RUN_FIT))
    assert r.exit_code == 0, r.stderr
    report = r.json()
    assert {k: report[k] for k in ("imported", "duplicate", "skipped", "failed")} == {
        "imported": 1,
        "duplicate": 0,
        "skipped": 0,
        "failed": 0,
    }
    (entry,) = report["files"]
    assert entry["status"] == "imported" and entry["reason"] is None
    activity_id = entry["activity_ids"][0]

    listed = cli("activity", "list", "--json").json()
    assert LIST_KEYS <= set(listed[0])
    assert listed[0]["id"] == activity_id
    assert listed[0]["sport"] == "run"
    assert listed[0]["start"].endswith("Z")

    shown = cli("activity", "show", str(activity_id), "--json").json()
    assert shown["samples"] > 400
    assert "hr_bpm" in shown["streams"]

    r = cli(
        "activity", "edit", str(activity_id), "--rpe", "6", "--surface", "trail", "--notes", "hilly"
    )
    assert r.exit_code == 0, r.stderr
    shown = cli("activity", "show", str(activity_id), "--json").json()
    assert (shown["rpe"], shown["surface"], shown["notes"]) == (6.0, "trail", "hilly")

    assert cli("activity", "delete", str(activity_id), "--yes").exit_code == 0
    assert cli("activity", "list", "--json").json() == []


def test_import_exit_status_is_one_when_a_file_failed(
    cli, tmp_path: Path, activities_dir: Path
) -> None:
    bad = tmp_path / "bad.gpx"
    bad.write_text("<gpx><trk><trkseg><trkpt lat='1' lon='2'><time>2020-01-01T00:00:00Z")
    r = cli("import", "--json", str(bad), str(activities_dir / RUN_FIT))
    assert r.exit_code == 1
    data = r.json()
    assert (data["imported"], data["failed"]) == (1, 1)
    failed = next(f for f in data["files"] if f["status"] == "failed")
    assert "bad.gpx" in failed["path"] and failed["reason"]


def test_import_summary_table_and_quiet(cli, activities_dir: Path) -> None:
    r = cli("import", str(activities_dir / RUN_FIT))
    assert "1 imported, 0 duplicate, 0 skipped, 0 failed." in r.stdout
    r = cli("import", "--quiet", str(activities_dir / RUN_FIT))
    assert r.stdout.strip() == "0 imported, 1 duplicate, 0 skipped, 0 failed."


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--duration", "35x"], "is not a duration"),
        (["--duration", "35m", "--distance", "5 parsecs"], "is not a distance"),
        (["--duration", "35m", "--rpe", "11"], "RPE must be between 0 and 10"),
        (["--duration", "35m", "--sport", "quidditch"], "not a known sport"),
        (["--duration", "5m", "--distance", "20km"], "faster than anyone"),
    ],
)
def test_log_refuses_bad_input_with_clear_error(cli, args: list[str], message: str) -> None:
    base = ["log", "--on", "2024-03-01"]
    if "--sport" not in args:
        base += ["--sport", "run"]
    r = cli(*base, *args)
    assert r.exit_code == 1
    assert r.stderr.startswith("Error:")
    assert message in r.stderr
    assert "Traceback" not in r.stderr
    assert cli("activity", "list", "--json").json() == []


def test_log_future_date_refused_and_duplicate_reported(cli) -> None:
    r = cli("log", "--on", "2099-01-01", "--sport", "run", "--duration", "30m")
    assert r.exit_code == 1 and "in the future" in r.stderr
    ok = cli(
        "log",
        "--on",
        "2024-03-01",
        "--sport",
        "cycle",
        "--duration",
        "1h05m",
        "--distance",
        "25km",
        "--rpe",
        "4",
    )
    assert ok.exit_code == 0, ok.stderr
    again = cli(
        "log", "--on", "2024-03-01", "--sport", "cycle", "--duration", "1h05m", "--distance", "25km"
    )
    assert again.exit_code == 1 and "already stored" in again.stderr
    (row,) = cli("activity", "list", "--json").json()
    assert row["sport"] == "cycle"
    assert row["duration_s"] == 3900.0
    assert row["distance_m"] == 25000.0


def test_unknown_activity_is_not_found(cli) -> None:
    r = cli("activity", "show", "999")
    assert r.exit_code == 1
    assert "no activity with id 999" in r.stderr


def test_load_json_shape_and_on_date(cli) -> None:
    for day in ("2024-03-01", "2024-03-04", "2024-03-06"):
        assert (
            cli(
                "log", "--on", day, "--sport", "run", "--duration", "30m", "--distance", "5km"
            ).exit_code
            == 0
        )
    assert (
        cli(
            "log", "--on", "2024-03-08", "--sport", "run", "--duration", "45m", "--distance", "8km"
        ).exit_code
        == 0
    )
    data = cli("load", "--on", "2024-03-10", "--weeks", "2", "--json").json()
    assert set(data) == {"weeks", "runs", "days"}
    assert set(data["runs"][0]) == {
        "activity_id",
        "date",
        "distance_m",
        "longest_prev_30d_m",
        "spike_ratio",
        "spike_band",
    }
    last = data["runs"][-1]
    assert last["date"] == "2024-03-08"
    assert last["spike_ratio"] == pytest.approx(1.6)
    assert last["spike_band"] == "30_100"
    assert data["runs"][0]["spike_band"] == "no_prior"
    assert data["days"][-1]["date"] == "2024-03-10"
    json.dumps(data, allow_nan=False)
    earlier = cli("load", "--on", "2024-03-05", "--weeks", "1", "--json").json()
    assert all(r["date"] <= "2024-03-05" for r in earlier["runs"])


def test_db_option_and_env_choose_the_database(
    cli, tmp_path: Path, monkeypatch, db_backend: DbBackend
) -> None:
    a = db_backend.new_url(tmp_path, filename="a.sqlite3")
    b = db_backend.new_url(tmp_path, filename="b.sqlite3")
    assert (
        cli("log", "--on", "2024-03-01", "--sport", "walk", "--duration", "20m", db=a).exit_code
        == 0
    )
    monkeypatch.setenv("BACKSTRIDE_DB", a)
    assert len(cli("activity", "list", "--json", db=None).json()) == 1
    assert cli("activity", "list", "--json", db=b).json() == []
    shown = cli("config", "show", "--json", db=None).json()
    assert shown["database_url"].endswith(str(make_url(a).database))


def test_bad_db_url_is_a_config_error(cli) -> None:
    r = cli("activity", "list", db="nosuch+driver://x")
    assert r.exit_code == 2
    assert r.stderr.startswith("Error:")


def test_console_script_runs_and_renders_errors(db_url: str) -> None:
    exe = Path(sys.executable).with_name("backstride")
    env = {**os.environ, "BACKSTRIDE_DB": db_url}
    ok = subprocess.run([str(exe), "--version"], capture_output=True, text=True, env=env)
    assert ok.returncode == 0 and ok.stdout.startswith("backstride ")
    bad = subprocess.run(
        [str(exe), "activity", "show", "5"], capture_output=True, text=True, env=env
    )
    assert bad.returncode == 1
    assert bad.stderr.startswith("Error: There is no activity with id 5.")
    assert "Traceback" not in bad.stderr
