"""Server mode on PostgreSQL: archive imports and report PDFs run as jobs on the queue.

Everything is real: the upload goes through the Import page, procrastinate's queue lives in
the test's PostgreSQL database, and the jobs are run by the real worker (``services.jobs.work``,
as ``backstride worker`` runs it, or that command itself in a process of its own).
"""

from __future__ import annotations

import asyncio
import io
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from backstride.adapters.db.tables import ActivityRow
from backstride.adapters.files.fit.writer import encode_fit_activity
from backstride.config import Settings
from backstride.domain.access import Role
from backstride.services.accounts import add_user
from backstride.services.context import App
from backstride.services.dashboard import jobs_root
from backstride.services.jobs import work
from backstride.web.app import create_app
from tests.web.conftest import _probe, start_server
from tests.web.server_kit import PASSWORD, TOKEN, server_settings

pytestmark = pytest.mark.postgresql_only

BACKSTRIDE = Path(sys.executable).with_name("backstride")


def fit_run(i: int, *, samples: int = 300) -> bytes:
    begin = datetime(2024, 1, 1, 6, 0, tzinfo=UTC) + timedelta(hours=30 * i)
    epoch = begin.timestamp() + np.arange(samples) * 2.0
    return encode_fit_activity(
        start_at=begin,
        sport="running",
        sub_sport=None,
        epoch_s=epoch,
        lat_deg=47.0 + np.arange(samples) * 5e-5,
        lon_deg=np.full(samples, 8.0 + i * 1e-4),
        hr_bpm=np.full(samples, 140.0),
    )


def export_zip(count: int, *, broken: int = 0, samples: int = 300) -> bytes:
    """A zip of ``count`` FIT runs, and ``broken`` files that are not FIT at all."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as zf:
        for i in range(count):
            zf.writestr(f"activities/{i:04d}.fit", fit_run(i, samples=samples))
        for i in range(broken):
            zf.writestr(f"activities/broken-{i}.fit", b"this is no FIT file at all " * 4)
    return buffer.getvalue()


@dataclass
class Server:
    settings: Settings
    context: App
    anna: int
    ben: int


@pytest.fixture
def server(tmp_path: Path, db_url: str) -> Iterator[Server]:
    settings = server_settings(tmp_path, db=db_url, import_workers=1)
    context = App(settings)
    anna = add_user(context, email="anna@example.org", name="Anna", password=PASSWORD)
    ben = add_user(context, email="ben@example.org", name="Ben", password=PASSWORD)
    add_user(
        context, email="pro@example.org", name="Dr Pro", role=Role.PROFESSIONAL, password=PASSWORD
    )
    assert anna.athlete_id is not None and ben.athlete_id is not None
    yield Server(settings, context, anna.athlete_id, ben.athlete_id)
    context.close()


@pytest.fixture
def web(server: Server) -> Iterator[TestClient]:
    """The app with its lifespan running (the queue open), as ``serve`` runs it, less the
    in-process worker: the tests run the worker themselves."""
    web_app = create_app(server.settings, allowed_hosts=["testserver"])
    with TestClient(web_app, base_url="https://testserver") as client:
        yield client


def log_in(client: TestClient, email: str) -> str:
    client.cookies.clear()
    token = TOKEN.search(client.get("/login").text)
    assert token
    answer = client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf_token": token.group(1)},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    found = TOKEN.search(client.get("/import").text)
    assert found
    return found.group(1)


def upload(client: TestClient, token: str, name: str, data: bytes) -> None:
    answer = client.post(
        "/import",
        data={"csrf_token": token},
        files={"files": (name, data, "application/zip")},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text[:500]
    assert answer.headers["location"] == "/import"


def run_worker(settings: Settings, **options: float) -> None:
    """Run the queue until no job is left, as ``backstride worker`` does: in a thread of its own
    with its own event loop (the test's thread may hold a running loop already, left by a
    Playwright test of the same worker process, where ``asyncio.run`` refuses to start)."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="backstride-test-worker") as pool:
        pool.submit(
            asyncio.run, work(settings, until_done=True, signal_handlers=False, **options)
        ).result()


def activities_of(server: Server, athlete: int) -> int:
    with server.context.store.read_session() as session:
        return (
            session.scalar(
                select(func.count())
                .select_from(ActivityRow)
                .where(ActivityRow.athlete_id == athlete)
            )
            or 0
        )


def jobs_section(client: TestClient) -> str:
    answer = client.get("/import/jobs")
    assert answer.status_code == 200
    return re.sub(r"\s+", " ", answer.text)


def test_an_export_uploaded_on_the_page_is_imported_by_the_worker(
    server: Server, web: TestClient
) -> None:
    token = log_in(web, "anna@example.org")
    upload(web, token, "strava-export.zip", export_zip(6, broken=1))
    page = re.sub(r"\s+", " ", web.get("/import").text)
    assert "strava-export.zip" in page and "Waiting to start." in page
    assert 'hx-trigger="every 2s"' in page  # the section asks again while the job runs
    assert activities_of(server, server.anna) == 0  # nothing ran in the request

    run_worker(server.settings)

    section = jobs_section(web)
    assert "Finished: 7 files read, 6 activities stored, 1 could not be read." in section
    assert "broken-0.fit" in section  # which file, and why
    assert "every 2s" not in section  # finished: no more asking
    assert activities_of(server, server.anna) == 6
    assert not any(jobs_root(server.context).iterdir())  # the upload is removed after
    # the import history shows the files too, as for an import in the request
    assert "strava-export.zip:activities/0000.fit" in web.get("/import").text


def test_an_unreadable_archive_ends_with_a_clear_error_and_stores_nothing(
    server: Server, web: TestClient
) -> None:
    token = log_in(web, "anna@example.org")
    upload(web, token, "garmin-export.zip", b"PK\x03\x04 this archive was cut short")
    run_worker(server.settings)
    section = jobs_section(web)
    assert "Nothing could be imported from this upload." in section
    assert 'role="alert"' in section and "garmin-export.zip" in section
    assert "Export the files again" in section
    assert activities_of(server, server.anna) == 0
    with server.context.store.read_session() as session:
        for table in ("activities", "original_files", "streams"):
            assert session.scalar(text(f"SELECT count(*) FROM {table}")) == 0, table


def test_a_report_pdf_is_prepared_in_the_background_and_downloaded(
    server: Server, web: TestClient
) -> None:
    token = log_in(web, "anna@example.org")
    report_page = web.get("/report").text
    assert "Prepare the PDF in the background" in report_page
    answer = web.post("/report/pdf", data={"csrf_token": token}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/report")
    assert "Waiting to start." in web.get("/report").text

    run_worker(server.settings)

    section = jobs_section(web)
    link = re.search(r'href="(/import/jobs/(\d+)/download)"', section)
    assert link, section
    pdf = web.get(link.group(1))
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf.headers["content-disposition"]


def test_a_runners_jobs_are_never_shown_to_another(server: Server, web: TestClient) -> None:
    token = log_in(web, "anna@example.org")
    upload(web, token, "anna-secret-export.zip", export_zip(2))
    web.post("/report/pdf", data={"csrf_token": token}, follow_redirects=False)
    run_worker(server.settings)
    link = re.search(r'href="(/import/jobs/(\d+)/download)"', jobs_section(web))
    assert link

    log_in(web, "ben@example.org")
    for path in ("/import", "/import/jobs", "/report"):
        page = web.get(path).text
        assert "anna-secret-export.zip" not in page and "/download" not in page, path
    assert web.get(link.group(1)).status_code == 404
    assert activities_of(server, server.ben) == 0

    log_in(web, "pro@example.org")  # a professional nobody shared with
    assert web.get("/import/jobs", follow_redirects=False).status_code in (303, 403)
    assert web.get(link.group(1), follow_redirects=False).status_code in (303, 403)


def test_the_queue_keeps_a_runners_jobs_in_row_level_security(server: Server) -> None:
    """The second wall: a transaction scoped to Ben sees none of Anna's jobs' rows, even
    when connected as a role that is no superuser (superusers skip every policy)."""
    from backstride.domain.report import Period
    from backstride.services.jobs import record_report_job

    anna = server.context.for_athlete(server.anna)
    job = record_report_job(anna, Period(datetime(2024, 1, 1).date(), datetime(2024, 2, 1).date()))
    with server.context.store.session() as session:
        session.execute(text("CREATE ROLE bs_jobs_reader NOLOGIN NOSUPERUSER"))
        session.execute(text("GRANT SELECT ON background_jobs TO bs_jobs_reader"))
    try:
        with server.context.store.read_session() as session:
            session.execute(text("SET LOCAL ROLE bs_jobs_reader"))
            for athlete, seen in ((server.ben, 0), (server.anna, 1)):
                session.execute(
                    text("SELECT set_config('backstride.athlete_id', :a, true)"),
                    {"a": str(athlete)},
                )
                count = session.scalar(
                    text("SELECT count(*) FROM background_jobs WHERE id = :id"), {"id": job}
                )
                assert count == seen, athlete
    finally:
        with server.context.store.session() as session:
            session.execute(text("REVOKE ALL ON background_jobs FROM bs_jobs_reader"))
            session.execute(text("DROP ROLE bs_jobs_reader"))


def test_a_worker_killed_mid_import_leaves_the_job_to_run_again_without_duplicates(
    server: Server, web: TestClient, tmp_path: Path
) -> None:
    token = log_in(web, "anna@example.org")
    count = 160
    upload(web, token, "big-export.zip", export_zip(count, samples=900))
    env = {
        **os.environ,
        "BACKSTRIDE_DB": server.settings.database_url,
        "BACKSTRIDE_MODE": "server",
        "BACKSTRIDE_DATA_DIR": str(server.settings.data_dir),
        "BACKSTRIDE_CONFIG_FILE": str(tmp_path / "none.toml"),
        "BACKSTRIDE_IMPORT_WORKERS": "1",
    }
    worker = subprocess.Popen(
        [str(BACKSTRIDE), "worker"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    progress = None
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and worker.poll() is None:
            found = re.search(
                rf"(\d+) of {count} files read, (\d+) activities stored", jobs_section(web)
            )
            if found and 0 < int(found.group(2)) < count:
                progress = found.group(0)
                break
            time.sleep(0.1)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    assert progress is not None, worker.stderr.read().decode() if worker.stderr else ""
    stored_before = activities_of(server, server.anna)
    assert 0 < stored_before < count
    assert "files read" in jobs_section(web)  # still shown as running: its worker is gone

    time.sleep(1.5)  # the dead worker's heartbeat is older than the limit below
    run_worker(server.settings, stalled_after_s=1.0)

    section = jobs_section(web)
    assert f"Finished: {count} files read, {count} activities stored" in section, section
    assert "interrupted once and started again" in section
    assert activities_of(server, server.anna) == count  # each run stored once


def test_the_queue_schema_goes_down_and_up_with_the_migrations(server: Server) -> None:
    from alembic import command

    from backstride.adapters.db.engine import _alembic_config, current_revision

    engine = server.context.store.engine
    cfg = _alembic_config(engine)

    def tables() -> set[str]:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))
            return {r[0] for r in rows}

    assert {"procrastinate_jobs", "background_jobs"} <= tables()
    command.downgrade(cfg, "0014")
    assert current_revision(engine) == "0014"
    assert not {t for t in tables() if t.startswith("procrastinate") or t == "background_jobs"}
    command.upgrade(cfg, "head")
    assert {"procrastinate_jobs", "procrastinate_workers", "background_jobs"} <= tables()


@pytest.mark.browser
def test_the_import_page_shows_the_jobs_progress_in_a_browser(
    server: Server, browser: Any, tmp_path: Path
) -> None:
    """Upload with the page's own form (htmx), then watch the section change by itself
    from waiting to finished while the worker runs: no reload."""
    archive = tmp_path / "strava-export.zip"
    archive.write_bytes(export_zip(4, broken=1))
    live = start_server(server.settings)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        probe = _probe(context, live.url)
        page = probe.page
        probe.goto("/import")
        page.fill("#email", "anna@example.org")
        page.fill("#password", PASSWORD)
        page.click("button:has-text('Log in')")
        page.wait_for_load_state("networkidle")
        probe.goto("/import")
        page.set_input_files("#import-files", str(archive))
        page.click("#import-form button[type=submit]")
        page.wait_for_selector("#jobs >> text=Waiting to start.")
        assert "/import" in page.url
        run_worker(server.settings)  # in a thread of its own (Playwright's loop runs in this one)
        page.wait_for_selector(
            "#jobs >> text=Finished: 5 files read, 4 activities stored, 1 could not be read.",
            timeout=30_000,
        )
        page.wait_for_selector("#import-history >> text=strava-export.zip:activities/0000.fit")
        probe.screenshot("server-import-job")
        assert "broken-0.fit" in (page.text_content("#jobs") or "")  # in a closed <details>
        probe.assert_clean()
    finally:
        context.close()
        live.stop()


def test_serve_runs_the_jobs_itself_by_default(server: Server) -> None:
    """``serve`` (``job_worker`` on): the app's own worker takes the upload up, no other
    process needed."""
    web_app = create_app(server.settings, allowed_hosts=["testserver"], run_jobs=True)
    with TestClient(web_app, base_url="https://testserver") as client:
        token = log_in(client, "anna@example.org")
        upload(client, token, "watch-export.zip", export_zip(3))
        deadline = time.monotonic() + 180
        section = jobs_section(client)
        while "Finished" not in section and time.monotonic() < deadline:
            time.sleep(0.2)
            section = jobs_section(client)
    assert "Finished: 3 files read, 3 activities stored." in section, section
    assert activities_of(server, server.anna) == 3
