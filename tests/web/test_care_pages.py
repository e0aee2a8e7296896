"""The Report, Measures and Data pages, and a backup taken while 8 dashboard clients work."""

from __future__ import annotations

import io
import json
import sqlite3
import threading
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from backstride.config import Settings
from backstride.services.context import App
from backstride.services.data import backup_database
from tests.databases import count_rows
from tests.web.conftest import make_settings, seed, start_server

Token = Callable[[TestClient, str], str]


def test_care_pages_render_with_forms_and_nav(seeded_client: TestClient) -> None:
    for path, title in (
        ("/report", "Report for your physiotherapist or physician"),
        ("/measures", "Outcome measures"),
        ("/data", "Your data"),
    ):
        page = seeded_client.get(path)
        assert page.status_code == 200, path
        assert title in page.text and 'name="csrf_token"' in page.text
        assert f'href="{path}" aria-current="page"' in page.text
    report = seeded_client.get("/report?since=2026-01-05&until=2026-03-15")
    assert "<svg" in report.text and "5 Jan 2026" in report.text
    bad = seeded_client.get("/report?since=2026-03-15&until=2026-01-05")
    assert bad.status_code == 422 and "before it starts" in bad.text
    pdf = seeded_client.get("/report.pdf?since=2026-01-05&until=2026-03-15")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert "attachment" in pdf.headers["content-disposition"]
    css = seeded_client.get("/report/report.css")
    assert css.headers["content-type"].startswith("text/css")


def test_forms_refuse_a_missing_anti_forgery_token(
    web_settings: Settings, seeded_client: TestClient
) -> None:
    for path, data in (
        ("/report/questions", {"questions": "x"}),
        ("/measures", {"instrument": "pain", "score": "3"}),
        ("/data/export", {}),
        ("/data/backup", {}),
        ("/data/delete", {"confirmation": "delete everything"}),
    ):
        response = seeded_client.post(path, data=data, follow_redirects=False)
        assert response.status_code == 403, path
    assert count_rows(web_settings.database_url, "activities") == 12


def test_measures_form_records_scores_and_refuses_bad_ones(
    seeded_client: TestClient, csrf_token: Token
) -> None:
    token = csrf_token(seeded_client, "/measures")
    base = {"csrf_token": token, "on": "2026-03-01"}
    saved = seeded_client.post(
        "/measures",
        data={**base, "instrument": "peg", "pain": "6", "enjoyment": "5", "general": "4"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    later = {**base, "on": "2026-03-14", "instrument": "peg", "pain": "4", "enjoyment": "3"}
    refused = seeded_client.post("/measures", data=later)
    assert refused.status_code == 422 and "all three answers" in refused.text
    assert 'value="3"' in refused.text  # the form comes back as typed
    later["general"] = "2"
    assert seeded_client.post("/measures", data=later).status_code == 200
    psfs = {**base, "instrument": "psfs", "activity1": "Running 20 minutes", "rating1": "4"}
    assert seeded_client.post("/measures", data=psfs).status_code == 200
    page = seeded_client.get("/measures").text
    assert "5.0" in page and "3.0" in page and "better" in page and "Reed 2024" in page
    assert "Running 20 minutes" in page
    too_long = {**base, "instrument": "walk", "score": "45"}
    assert seeded_client.post("/measures", data=too_long).status_code == 422


def test_questions_are_saved_and_printed_in_the_report(
    seeded_client: TestClient, csrf_token: Token
) -> None:
    token = csrf_token(seeded_client, "/report")
    text = "Can I run on the trail again?"
    answer = seeded_client.post(
        "/report/questions",
        data={"csrf_token": token, "questions": text, "since": "2026-01-05"},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and "since=2026-01-05" in answer.headers["location"]
    page = seeded_client.get(answer.headers["location"])
    assert page.text.count(text) == 2  # the form and the report


def test_data_page_exports_backs_up_and_deletes_with_typed_confirmation(
    web_settings: Settings, seeded_client: TestClient, csrf_token: Token
) -> None:
    db = web_settings.database_url
    token = csrf_token(seeded_client, "/data")
    export = seeded_client.post("/data/export", data={"csrf_token": token})
    assert export.status_code == 200 and export.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(export.content)) as zf:
        manifest = json.loads(zf.read("backstride-export.json"))
    assert manifest["tables"]["activities"] == 12
    backup = seeded_client.post("/data/backup", data={"csrf_token": token})
    if db.startswith("sqlite"):
        assert backup.status_code == 200 and backup.content.startswith(b"SQLite format 3\x00")
    else:  # a server's database is backed up with pg_dump (docs/data.md)
        assert backup.status_code == 422 and "pg_dump" in backup.text
    wrong = seeded_client.post("/data/delete", data={"csrf_token": token, "confirmation": "yes"})
    assert wrong.status_code == 422 and "Nothing was deleted" in wrong.text
    assert count_rows(db, "activities") == 12
    done = seeded_client.post(
        "/data/delete",
        data={"csrf_token": token, "confirmation": "delete everything"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert count_rows(db, "activities") == 0 and count_rows(db, "streams") == 0
    # The dashboard goes on working on the empty database.
    assert seeded_client.get("/").status_code == 200
    assert "0 runs" in seeded_client.get("/report").text


@pytest.mark.sqlite_only  # the online copy of the SQLite file (PostgreSQL: pg_dump)
def test_backup_during_eight_dashboard_clients_passes_its_integrity_check(
    tmp_path: Path,
) -> None:
    settings = make_settings(tmp_path, db=str(tmp_path / "web.sqlite3"))
    seed(settings, count=40, years=0.5)
    server = start_server(settings)
    stop = threading.Event()
    done: list[int] = []
    failures: list[str] = []
    paths = ["/", "/activities", "/load", "/today", "/api/activities", "/measures"]
    progress = [0] * 8

    def client(k: int) -> None:
        n = 0
        with httpx.Client(base_url=server.url, timeout=30) as http:
            ids = [a["id"] for a in http.get("/api/activities?limit=40").json()["items"]]
            ends = time.monotonic() + 120  # bounded: stops by itself
            while not stop.is_set() and n < 5000 and time.monotonic() < ends:
                if n % 3 == 0:
                    r = http.patch(
                        f"/api/activities/{ids[(k + n) % len(ids)]}", json={"rpe": n % 9 + 1}
                    )
                else:
                    r = http.get(paths[(k + n) % len(paths)])
                if r.status_code >= 400:
                    failures.append(f"{r.request.method} {r.request.url.path}: {r.status_code}")
                n += 1
                progress[k] = n
        done.append(n)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    app = App(settings)
    copies = []
    try:
        deadline = time.monotonic() + 60
        while min(progress) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        before = sum(progress)
        for i in range(3):
            copies.append(backup_database(app, tmp_path / f"backup-{i}.sqlite3").path)
            time.sleep(0.3)
        busy = len(done) == 0  # no client had stopped when the last copy was taken
        served = sum(progress) - before
    finally:
        app.close()
        stop.set()
        for t in threads:
            t.join(timeout=60)
        server.stop()
    assert failures == []
    assert len(done) == 8 and min(progress) >= 3
    assert busy and served > 0  # the clients kept working while the copies were taken
    for copy in copies:
        con = sqlite3.connect(copy)
        try:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
            assert con.execute("select count(*) from activities").fetchone()[0] == 40
            assert con.execute("select count(*) from streams").fetchone()[0] == 40
        finally:
            con.close()
