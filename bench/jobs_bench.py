"""An export's upload as a background job (server mode, PostgreSQL) against the import in the
request (the local mode, SQLite) as the peer.

Run ``.venv/bin/python bench/jobs_bench.py`` (``--files N``). It builds one zip of N FIT runs,
then for each mode starts ``backstride serve`` (the real entry point; in server mode its own
worker runs the jobs), uploads the zip through the Import page's form, and measures

* how long the upload's answer took (server mode: saved and queued; local mode: imported),
* how long until every run was stored (server mode: the job's progress says finished),
* Today's latency for a second client asking every 0.2 s meanwhile (p50 / p95 / max),

and, for what the job's time is made of, the same import on the same PostgreSQL database
without web or queue (``import_paths`` in this process).

Benchmark, not a test: figures depend on the machine (two shared cores here).
"""

from __future__ import annotations

import argparse
import io
import re
import statistics
import sys
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import httpx  # noqa: E402
import numpy as np  # noqa: E402
from server_bench import PASSWORD, free_port, log_in, start_server  # noqa: E402
from tests import pg_throwaway  # noqa: E402

from backstride.adapters.files.fit.writer import encode_fit_activity  # noqa: E402
from backstride.config import get_settings  # noqa: E402
from backstride.services.accounts import add_user  # noqa: E402
from backstride.services.context import App  # noqa: E402
from backstride.services.importing import import_paths  # noqa: E402

TOKEN = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


def export_zip(count: int) -> bytes:
    buffer = io.BytesIO()
    start = datetime(2024, 1, 1, 6, 0, tzinfo=UTC)
    samples = 1800
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as zf:
        for i in range(count):
            begin = start + timedelta(hours=30 * i)
            data = encode_fit_activity(
                start_at=begin,
                sport="running",
                sub_sport=None,
                epoch_s=begin.timestamp() + np.arange(samples) * 2.0,
                lat_deg=47.0 + np.arange(samples) * 5e-5,
                lon_deg=np.full(samples, 8.0 + i * 1e-4),
                hr_bpm=np.full(samples, 140.0),
            )
            zf.writestr(f"activities/{i:04d}.fit", data)
    return buffer.getvalue()


@dataclass(frozen=True)
class Result:
    mode: str
    answer_s: float
    stored_s: float
    today_ms: list[float]
    errors: int

    def today(self) -> str:
        ms = self.today_ms
        p95 = ms[int(0.95 * (len(ms) - 1))]
        return f"{statistics.median(ms):.0f}/{p95:.0f}/{ms[-1]:.0f} ms ({len(ms)})"


class TodayProbe(threading.Thread):
    """A second client asking for Today every 0.2 s until stopped; its latencies in ms."""

    def __init__(self, client: httpx.Client) -> None:
        super().__init__(daemon=True)
        self.client = client
        self.stop = threading.Event()
        self.ms: list[float] = []
        self.errors = 0

    def run(self) -> None:
        while not self.stop.is_set():
            began = time.perf_counter()
            try:
                ok = self.client.get("/today").status_code == 200
            except httpx.HTTPError:
                ok = False
            self.ms.append((time.perf_counter() - began) * 1000)
            self.errors += 0 if ok else 1
            self.stop.wait(0.2)


def upload(client: httpx.Client, data: bytes) -> float:
    token = TOKEN.search(client.get("/import").text)
    assert token
    began = time.perf_counter()
    answer = client.post(
        "/import",
        data={"csrf_token": token.group(1)},
        files={"files": ("export.zip", data, "application/zip")},
        timeout=600,
    )
    found = re.search(r"<main.*?</main>", answer.text, re.S)
    assert answer.status_code < 400, (answer.status_code, found.group(0)[:600] if found else "")
    return time.perf_counter() - began


def run_mode(
    name: str,
    base: str,
    uploader: httpx.Client,
    prober: httpx.Client,
    data: bytes,
    files: int,
    *,
    queued: bool,
) -> Result:
    probe = TodayProbe(prober)
    probe.start()
    began = time.perf_counter()
    answered_s = upload(uploader, data)
    if queued:
        while "Finished:" not in uploader.get("/import/jobs").text:
            time.sleep(0.2)
    stored_s = time.perf_counter() - began
    probe.stop.set()
    probe.join()
    page = uploader.get("/import/jobs").text if queued else ""
    if queued:
        assert f"{files} activities stored" in page, page[:400]
    return Result(name, answered_s, stored_s, sorted(probe.ms), probe.errors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=300, help="FIT runs in the export")
    args = parser.parse_args()
    data = export_zip(args.files)
    print(f"export: {args.files} FIT runs, {len(data) / 1e6:.1f} MB")
    results = []
    with tempfile.TemporaryDirectory(prefix="jobs-bench-") as tmp:
        root = Path(tmp)
        with pg_throwaway.throwaway_cluster() as url:
            settings = get_settings(db=url, data_dir=str(root / "pg-data"), mode="server")
            app = App(settings)
            add_user(app, email="anna@example.org", name="Anna", password=PASSWORD)
            app.close()
            port = free_port()
            (root / "pg").mkdir()
            proc = start_server(url, root / "pg", port, server=True, workers=1)
            try:
                base = f"http://127.0.0.1:{port}"
                results.append(
                    run_mode(
                        "server mode, PostgreSQL, a job",
                        base,
                        log_in(base, "anna@example.org"),
                        log_in(base, "anna@example.org"),
                        data,
                        args.files,
                        queued=True,
                    )
                )
            finally:
                proc.terminate()
                proc.wait(timeout=120)
            # The same import without web or queue, for another runner on the same database:
            # what the job's time is made of.
            app = App(settings)
            ben = add_user(app, email="ben@example.org", name="Ben", password=PASSWORD)
            assert ben.athlete_id is not None
            archive = root / "export.zip"
            archive.write_bytes(data)
            began = time.perf_counter()
            report = import_paths(app.for_athlete(ben.athlete_id), [archive])
            direct_s = time.perf_counter() - began
            assert report.count("imported") == args.files
            app.close()
        db = str(root / "local.sqlite3")
        (root / "local").mkdir()
        port = free_port()
        proc = start_server(db, root / "local", port, server=False, workers=1)
        try:
            base = f"http://127.0.0.1:{port}"
            results.append(
                run_mode(
                    "local mode, SQLite, in the request",
                    base,
                    httpx.Client(base_url=base, timeout=600),
                    httpx.Client(base_url=base, timeout=60),
                    data,
                    args.files,
                    queued=False,
                )
            )
        finally:
            proc.terminate()
            proc.wait(timeout=120)
    print(f"{'mode':38} {'answer':>8} {'stored':>8} {'Today p50/p95/max (n)':>26} errors")
    for r in results:
        print(f"{r.mode:38} {r.answer_s:7.2f}s {r.stored_s:7.2f}s {r.today():>26} {r.errors}")
    print(f"{'PostgreSQL, the import alone (no web, no queue)':38} {'':8} {direct_s:7.2f}s")
    job, local = results
    print(f"the job took {job.stored_s / direct_s:.2f}x the import alone on the same database")
    print(
        f"upload answered {local.answer_s / job.answer_s:.0f}x sooner as a job; stored in "
        f"{job.stored_s / local.stored_s:.2f}x the time of the import in the request"
    )


if __name__ == "__main__":
    main()
