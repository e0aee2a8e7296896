"""Local days from the place: GPS zone, the file's own offset, Strava's list, the setting."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from backstride.adapters.db.metrics_tables import ActivityMetricsRow
from backstride.adapters.db.tables import ActivityRow
from backstride.adapters.files.fit.writer import encode_fit_activity
from backstride.adapters.files.gpx.writer import encode_gpx_activity
from backstride.adapters.timezones import (
    fixed_zone_label,
    parse_fixed_offset,
    place_in_time,
    resolve_zone,
    system_zone,
    zone_at,
)
from backstride.config import get_settings
from backstride.domain.activity import Activity, Sport
from backstride.errors import ConfigError
from backstride.services.context import App
from backstride.services.importing import import_bytes, import_paths
from backstride.services.local_days import fix_local_days
from backstride.services.training import refresh_metrics
from tests.conftest import CliResult
from tests.databases import DbBackend

DENVER = (39.7392, -104.9903)
TOKYO = (35.6762, 139.6503)


MakeApp = Callable[..., App]


@pytest.fixture
def make_app(tmp_path: Path, db_backend: DbBackend) -> Iterator[MakeApp]:
    """An app on a fresh database with the given ``timezone`` setting."""
    apps: list[App] = []

    def build(timezone: str = "") -> App:
        db = db_backend.new_url(tmp_path, filename=f"tz-{len(apps)}.sqlite3")
        application = App(get_settings(db=db, data_dir=tmp_path / "data", timezone=timezone))
        apps.append(application)
        return application

    yield build
    for application in apps:
        application.close()


def gpx_run(start_utc: datetime, where: tuple[float, float], *, minutes: int = 40) -> bytes:
    n = minutes * 6
    epoch = start_utc.timestamp() + np.arange(n) * 10.0
    lat = where[0] + np.arange(n) * 0.00025
    return encode_gpx_activity(
        start_at=start_utc,
        name="Run",
        activity_type="running",
        epoch_s=epoch,
        lat_deg=lat,
        lon_deg=np.full(n, where[1]),
    )


def fit_run(
    start_utc: datetime,
    *,
    minutes: int = 90,
    utc_offset_s: int | None,
    where: tuple[float, float] | None = None,
) -> bytes:
    """A FIT run; without ``where`` a treadmill run (no positions)."""
    n = minutes * 12
    epoch = start_utc.timestamp() + np.arange(n) * 5.0
    positions = {}
    if where is not None:
        positions = {
            "lat_deg": where[0] + np.arange(n) * 0.0001,
            "lon_deg": np.full(n, where[1]),
        }
    return encode_fit_activity(
        start_at=start_utc,
        sport="running",
        sub_sport=None if where else "treadmill",
        epoch_s=epoch,
        distance_m=np.arange(n) * 13.0,
        hr_bpm=np.full(n, 140.0),
        utc_offset_s=utc_offset_s,
        **positions,
    )


def only_row(app: App) -> ActivityRow:
    with app.store.read_session() as session:
        rows = list(session.scalars(select(ActivityRow)))
    assert len(rows) == 1
    return rows[0]


def metrics_day(app: App, activity_id: int) -> date:
    with app.store.read_session() as session:
        row = session.get(ActivityMetricsRow, activity_id)
        assert row is not None
        return row.day


# --- the place ----------------------------------------------------------------------------


def test_zone_at_finds_the_city_zones() -> None:
    assert zone_at(*DENVER) == "America/Denver"
    assert zone_at(*TOKYO) == "Asia/Tokyo"
    assert zone_at(float("nan"), 0.0) is None
    assert zone_at(95.0, 0.0) is None


def test_denver_run_at_18_local_stays_on_its_day(make_app: MakeApp) -> None:
    app = make_app("UTC")
    start = datetime(2024, 7, 5, 18, 0, tzinfo=ZoneInfo("America/Denver")).astimezone(UTC)
    assert start.date() == date(2024, 7, 6)  # in UTC it is already the next day
    report = import_bytes(app, gpx_run(start, DENVER), name="denver.gpx")
    assert report.count("imported") == 1
    row = only_row(app)
    assert row.local_date == date(2024, 7, 5)
    assert row.utc_offset_s == -6 * 3600
    assert (row.time_zone, row.time_zone_source) == ("America/Denver", "place")
    assert metrics_day(app, row.id) == date(2024, 7, 5)


def test_tokyo_run_at_7_local_stays_on_its_day(make_app: MakeApp) -> None:
    app = make_app("America/Denver")  # the setting does not override the place
    start = datetime(2024, 7, 5, 7, 0, tzinfo=ZoneInfo("Asia/Tokyo")).astimezone(UTC)
    assert start.date() == date(2024, 7, 4)
    import_bytes(app, gpx_run(start, TOKYO), name="tokyo.gpx")
    row = only_row(app)
    assert row.local_date == date(2024, 7, 5)
    assert (row.time_zone, row.utc_offset_s) == ("Asia/Tokyo", 9 * 3600)


def test_place_wins_over_a_fit_files_stated_offset(make_app: MakeApp) -> None:
    app = make_app("UTC")
    start = datetime(2024, 1, 10, 6, 30, tzinfo=ZoneInfo("Asia/Tokyo")).astimezone(UTC)
    # a watch still on its home time (Zurich, UTC+1) while running in Tokyo
    import_bytes(app, fit_run(start, utc_offset_s=3600, where=TOKYO), name="trip.fit")
    row = only_row(app)
    assert (row.local_date, row.time_zone) == (date(2024, 1, 10), "Asia/Tokyo")


def test_runner_who_travels_keeps_each_run_on_its_own_day(
    make_app: MakeApp, tmp_path: Path
) -> None:
    app = make_app("Europe/Zurich")
    saturday = datetime(2024, 3, 2, 18, 0, tzinfo=ZoneInfo("America/Denver")).astimezone(UTC)
    monday = datetime(2024, 3, 4, 7, 0, tzinfo=ZoneInfo("Asia/Tokyo")).astimezone(UTC)
    assert saturday.date() == monday.date() == date(2024, 3, 3)  # both on Sunday in UTC
    folder = tmp_path / "trip"
    folder.mkdir()
    (folder / "1-denver.gpx").write_bytes(gpx_run(saturday, DENVER))
    (folder / "2-tokyo.gpx").write_bytes(gpx_run(monday, TOKYO))
    report = import_paths(app, [folder], workers=1)
    assert report.count("imported") == 2
    with app.store.read_session() as session:
        rows = list(session.scalars(select(ActivityRow).order_by(ActivityRow.start_at)))
    assert [(r.local_date, r.time_zone) for r in rows] == [
        (date(2024, 3, 2), "America/Denver"),
        (date(2024, 3, 4), "Asia/Tokyo"),
    ]
    # the load model reads the same days (cached analysis, and computed afresh)
    assert [metrics_day(app, r.id) for r in rows] == [date(2024, 3, 2), date(2024, 3, 4)]
    refresh_metrics(app, [r.id for r in rows])
    assert [metrics_day(app, r.id) for r in rows] == [date(2024, 3, 2), date(2024, 3, 4)]


# --- the file's own offset ----------------------------------------------------------------


def test_fit_run_across_the_november_clock_change_stays_on_its_day(make_app: MakeApp) -> None:
    """00:40 EDT on 2 Nov 2025, 90 minutes: the file's end is at 01:10 EST (UTC-5)."""
    app = make_app("America/New_York")
    start = datetime(2025, 11, 2, 0, 40, tzinfo=ZoneInfo("America/New_York")).astimezone(UTC)
    data = fit_run(start, minutes=90, utc_offset_s=-5 * 3600)
    import_bytes(app, data, name="treadmill.fit")
    row = only_row(app)
    assert row.local_date == date(2025, 11, 2)  # the end's offset would give 23:40 on 1 Nov
    assert row.utc_offset_s == -4 * 3600
    assert (row.time_zone, row.time_zone_source) == ("America/New_York", "file")


def test_fit_offset_is_used_as_stated_when_the_setting_disagrees(make_app: MakeApp) -> None:
    app = make_app("Asia/Tokyo")  # does not agree with UTC-5 at the file's end
    start = datetime(2024, 6, 1, 22, 30, tzinfo=UTC)
    import_bytes(app, fit_run(start, minutes=30, utc_offset_s=-5 * 3600), name="t.fit")
    row = only_row(app)
    assert (row.local_date, row.utc_offset_s) == (date(2024, 6, 1), -5 * 3600)
    assert (row.time_zone, row.time_zone_source) == ("UTC-05:00", "file")


def test_gpx_times_with_an_offset_give_the_start_offset() -> None:
    start = datetime(2024, 5, 1, 23, 30, tzinfo=UTC)
    activity = Activity(sport=Sport.RUN, start_at=start, duration_s=3600, utc_offset_s=2 * 3600)
    where = place_in_time(activity, setting=resolve_zone("America/Denver"))
    assert (where.utc_offset_s, where.time_zone, where.source) == (7200, "UTC+02:00", "file")


# --- Strava's list and the setting --------------------------------------------------------


def test_strava_activity_date_is_utc_not_the_local_day(make_app: MakeApp, tmp_path: Path) -> None:
    """Strava's ``Activity Date`` is UTC: 01:00 on 6 Jan in UTC is 18:00 on 5 Jan in Denver."""
    app = make_app("America/Denver")
    start = datetime(2024, 1, 6, 1, 0, tzinfo=UTC)
    export = tmp_path / "export"
    (export / "activities").mkdir(parents=True)
    (export / "activities" / "111.fit").write_bytes(fit_run(start, utc_offset_s=None))
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["Activity ID", "Activity Date", "Activity Name", "Activity Type", "Filename"])
    writer.writerow(["111", "Jan 6, 2024, 1:00:00 AM", "Treadmill", "Run", "activities/111.fit"])
    (export / "activities.csv").write_text(buf.getvalue(), encoding="utf-8")
    report = import_paths(app, [export], workers=1)
    assert report.count("imported") == 1
    row = only_row(app)
    assert row.name == "Treadmill"
    assert row.local_date == date(2024, 1, 5)
    assert (row.time_zone, row.time_zone_source) == ("America/Denver", "setting")


def test_timezone_setting_places_a_file_without_place_or_offset(make_app: MakeApp) -> None:
    app = make_app("Asia/Tokyo")
    start = datetime(2024, 2, 1, 21, 30, tzinfo=UTC)  # 06:30 on 2 Feb in Tokyo
    import_bytes(app, fit_run(start, minutes=30, utc_offset_s=None), name="t.fit")
    row = only_row(app)
    assert (row.local_date, row.utc_offset_s) == (date(2024, 2, 2), 9 * 3600)
    assert (row.time_zone, row.time_zone_source) == ("Asia/Tokyo", "setting")


def test_timezone_setting_takes_a_fixed_offset(make_app: MakeApp) -> None:
    app = make_app("UTC-03:30")
    start = datetime(2024, 2, 2, 2, 0, tzinfo=UTC)
    import_bytes(app, fit_run(start, minutes=30, utc_offset_s=None), name="t.fit")
    row = only_row(app)
    assert (row.local_date, row.utc_offset_s, row.time_zone) == (
        date(2024, 2, 1),
        -12600,
        "UTC-03:30",
    )


def test_timezone_setting_defaults_to_the_systems_zone(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "America/Denver")
    assert system_zone().label == "America/Denver"
    app = make_app("")
    start = datetime(2024, 2, 2, 3, 0, tzinfo=UTC)  # 20:00 on 1 Feb in Denver
    import_bytes(app, fit_run(start, minutes=30, utc_offset_s=None), name="t.fit")
    row = only_row(app)
    assert (row.local_date, row.time_zone) == (date(2024, 2, 1), "America/Denver")


def test_unknown_timezone_setting_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown time zone 'Mars/Olympus'"):
        get_settings(timezone="Mars/Olympus")


def test_fixed_offsets_parse_and_print() -> None:
    assert parse_fixed_offset("UTC+02:00") == 7200
    assert parse_fixed_offset("+0530") == 19800
    assert parse_fixed_offset("GMT-3") == -10800
    assert parse_fixed_offset("UTC+15:00") is None
    assert parse_fixed_offset("Europe/Zurich") is None
    assert fixed_zone_label(-12600) == "UTC-03:30"
    assert fixed_zone_label(0) == "UTC+00:00"


_ZONES = [
    "America/Denver",
    "America/New_York",
    "Europe/Zurich",
    "Asia/Tokyo",
    "Australia/Lord_Howe",
]


@settings(max_examples=200, deadline=None)
@given(
    zone=st.sampled_from(_ZONES),
    start=st.datetimes(
        min_value=datetime(1995, 1, 1), max_value=datetime(2060, 1, 1), timezones=st.just(UTC)
    ),
)
def test_setting_placement_matches_the_zones_own_clock(zone: str, start: datetime) -> None:
    """Without place or offset, the local day is the day on the zone's own clock at the start."""
    activity = Activity(sport=Sport.RUN, start_at=start, duration_s=1800)
    where = place_in_time(activity, setting=resolve_zone(zone))
    local = start.astimezone(ZoneInfo(zone))
    assert where.utc_offset_s == int(local.utcoffset().total_seconds())  # type: ignore[union-attr]
    assert (start + timedelta(seconds=where.utc_offset_s)).date() == local.date()


# --- stored before the zone was known -----------------------------------------------------


def _make_legacy(app: App, *, utc_day: date) -> None:
    """Put the only activity back as an older backstride stored it: the UTC day, no zone."""
    with app.store.session() as session:
        session.execute(
            update(ActivityRow).values(
                local_date=utc_day, utc_offset_s=None, time_zone=None, time_zone_source=None
            )
        )
        session.execute(update(ActivityMetricsRow).values(day=utc_day))


def test_fix_days_moves_runs_stored_on_their_utc_day(make_app: MakeApp) -> None:
    app = make_app("UTC")
    start = datetime(2024, 7, 5, 18, 0, tzinfo=ZoneInfo("America/Denver")).astimezone(UTC)
    import_bytes(app, gpx_run(start, DENVER), name="denver.gpx")
    _make_legacy(app, utc_day=date(2024, 7, 6))
    preview = fix_local_days(app, dry_run=True)
    assert [(c.old_day, c.new_day) for c in preview.moved] == [(date(2024, 7, 6), date(2024, 7, 5))]
    assert only_row(app).local_date == date(2024, 7, 6)  # a dry run stores nothing
    report = fix_local_days(app)
    assert report.checked == 1 and len(report.moved) == 1
    row = only_row(app)
    assert (row.local_date, row.time_zone, row.utc_offset_s) == (
        date(2024, 7, 5),
        "America/Denver",
        -6 * 3600,
    )
    assert metrics_day(app, row.id) == date(2024, 7, 5)
    assert fix_local_days(app).changes == ()  # a second run finds nothing to do


def test_fix_days_follows_a_changed_timezone_setting(tmp_path: Path, db_backend: DbBackend) -> None:
    db = db_backend.new_url(tmp_path, filename="s.sqlite3")
    tokyo = App(get_settings(db=db, data_dir=tmp_path, timezone="Asia/Tokyo"))
    start = datetime(2024, 2, 1, 21, 30, tzinfo=UTC)
    import_bytes(tokyo, fit_run(start, minutes=30, utc_offset_s=None), name="t.fit")
    assert only_row(tokyo).local_date == date(2024, 2, 2)
    tokyo.close()
    denver = App(get_settings(db=db, data_dir=tmp_path, timezone="America/Denver"))
    try:
        report = fix_local_days(denver)
        assert [(c.new_day, c.time_zone) for c in report.moved] == [
            (date(2024, 2, 1), "America/Denver")
        ]
        assert only_row(denver).local_date == date(2024, 2, 1)
    finally:
        denver.close()


def test_fix_days_cli_reports_moves_as_json(cli: Callable[..., CliResult], tmp_path: Path) -> None:
    path = tmp_path / "denver.gpx"
    start = datetime(2024, 7, 5, 18, 0, tzinfo=ZoneInfo("America/Denver")).astimezone(UTC)
    path.write_bytes(gpx_run(start, DENVER))
    assert cli("import", "--quiet", str(path)).exit_code == 0
    result = cli("activity", "fix-days", "--json")
    assert result.exit_code == 0
    assert result.json() == {"checked": 1, "changed": 0, "moved": 0, "activities": []}
    listed = cli("activity", "list", "--json").json()
    assert (listed[0]["local_date"], listed[0]["time_zone"]) == ("2024-07-05", "America/Denver")


def test_system_zone_reads_a_posix_tz_rule_through_the_c_library(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import time as _time

    monkeypatch.setenv("TZ", "EST+5")  # POSIX: five hours west of UTC, no summer time
    _time.tzset()
    try:
        zone = system_zone()
        assert zone.label == "local"
        at = datetime(2024, 7, 1, 12, 0, tzinfo=UTC)
        assert zone.offset_s(at) == -5 * 3600
        assert at.astimezone(zone.tz).hour == 7
        assert zone.tz.utcoffset(None) == timedelta(hours=-5)
        activity = Activity(
            sport=Sport.RUN, start_at=datetime(2024, 7, 2, 2, 0, tzinfo=UTC), duration_s=60
        )
        assert place_in_time(activity, setting=zone).utc_offset_s == -5 * 3600
    finally:
        monkeypatch.undo()
        _time.tzset()


def test_system_zone_without_tz_follows_etc_localtime(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TZ", raising=False)
    localtime = Path("/etc/localtime")
    zone = system_zone()
    if localtime.is_symlink() and "zoneinfo/" in str(localtime.resolve()):
        assert zone.label == str(localtime.resolve()).partition("zoneinfo/")[2]
    else:
        assert zone.label  # a readable name or the C library's clock ("local")


def test_fixed_zone_is_a_plain_tzinfo() -> None:
    zone = resolve_zone("UTC+05:45")
    local = datetime(2024, 1, 1, 0, 0, tzinfo=UTC).astimezone(zone.tz)
    assert (local.hour, local.minute, local.tzname(), local.dst()) == (
        5,
        45,
        "UTC+05:45",
        timedelta(0),
    )
    assert resolve_zone("system").label == system_zone().label
