"""Dashboard latency: ten years of history, every page and API endpoint, 8 concurrent clients.

Run ``.venv/bin/python bench/web_bench.py`` (``--help`` for options). It

1. stores 3,000 synthetic activities with full streams (a loop with hills, heart rate and
   cadence; ``tests/web/synthetic.py``) spread over ten years, through ``ActivityRepo.add``,
   into a temporary SQLite database, and computes their cached analysis once (as the first
   visit of the Load page would);
2. starts ``backstride serve --workers N`` on a free loopback port in a subprocess (the real
   entry point, so the server has its own interpreter and the clients do not share its GIL),
   with ``serve``'s default of one process, or once for each value of ``--workers``
   (``--workers 1 2`` compares one and two processes on the same database);
3. sends ``--requests`` requests to each endpoint from ``--clients`` threads with their own
   keep-alive connection, after a warm-up, and prints p50/p95/max per endpoint against the
   target p95 < 150 ms, one table per server configuration. A first pass with a single
   client gives each endpoint's own latency (p50, "alone"), which shows how much of the
   concurrent figure is queueing.

The PATCH endpoint writes (RPE 5 on the runs it edits), so a later configuration measures a
database that has those edits (and its PATCHes set a value that is already there); the pages
and the API read the same amount either way.

``--during-import`` measures the dashboard while ``backstride import`` (the real console
script, all cores) stores the generated 3,000-activity Strava archive of
``bench/import_bench.py`` (built once, cached in ``bench/out/``) into the same database: the
import first runs alone on a copy of the database, then again on the
served database while ``--clients`` clients each send the endpoints in turn (with
``--think-ms`` between two requests) until it ends, then alone once more on another copy
(its wall time "alone" is the mean of the two runs alone: a shared computer's pace drifts by
a fifth within minutes). It prints p50/p95/max per endpoint against
p95 < 500 ms, the import's wall time against "alone" (target: at most 25 % slower), how
long SQLite's write lock stayed taken at a time (watched from outside, every 5 ms, during
both imports, so the watch costs the same in both), the largest write-ahead log seen, and the
CPU time of the import (with its parser workers; alone and while serving), of the server (in
all and per request) and of this process (the clients and the watch), which also competes
with the import for the cores. Those clients send their requests with the light
``http.client`` client of ``bench/light_client.py`` (about a fifth of httpx's CPU per
request), so the benchmark's own process takes little of the import's cores. The dashboard
keeps to its share of the CPU while the import runs (``dashboard_cpu_during_import``,
``BACKSTRIDE_DASHBOARD_CPU_DURING_IMPORT`` in the environment is passed to the server).

Benchmark, not a test: figures depend on the machine (two shared cores in CI).
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402
from bench.light_client import PlainClient  # noqa: E402
from tests.web.synthetic import add_history  # noqa: E402

from backstride.config import get_settings  # noqa: E402
from backstride.services.activities import list_activities  # noqa: E402
from backstride.services.context import App  # noqa: E402
from backstride.services.training import refresh_metrics  # noqa: E402

TARGET_P95_MS = 150.0
END = date(2026, 3, 15)


@dataclass(frozen=True)
class Endpoint:
    label: str
    method: str
    path: Callable[[int], str]
    json: dict[str, object] | None = None


def endpoints(ids: list[int]) -> list[Endpoint]:
    def detail(i: int) -> str:
        return f"/activities/{ids[i % len(ids)]}"

    def api_detail(i: int) -> str:
        return f"/api/activities/{ids[i % len(ids)]}"

    on = f"on={END.isoformat()}"
    return [
        Endpoint("page  Overview", "GET", lambda i: f"/?{on}"),
        Endpoint("page  Activities (first page)", "GET", lambda i: "/activities"),
        Endpoint(
            "page  Activities (page 30, by distance)",
            "GET",
            lambda i: "/activities?sort=distance&order=asc&page=30",
        ),
        Endpoint("page  Activities (filtered, search)", "GET", lambda i: "/activities?q=Run+1"),
        Endpoint("page  Activity detail", "GET", detail),
        Endpoint("page  Load (12 weeks)", "GET", lambda i: f"/load?{on}"),
        Endpoint("page  Load (52 weeks)", "GET", lambda i: f"/load?{on}&weeks=52"),
        Endpoint("page  Import", "GET", lambda i: "/import"),
        Endpoint("api   GET /api/activities", "GET", lambda i: "/api/activities?per_page=50"),
        Endpoint("api   GET /api/activities/{id}", "GET", api_detail),
        Endpoint("api   PATCH /api/activities/{id}", "PATCH", api_detail, {"rpe": 5}),
        Endpoint("api   GET /api/overview", "GET", lambda i: f"/api/overview?{on}"),
        Endpoint("api   GET /api/load", "GET", lambda i: f"/api/load?{on}"),
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build_history(root: Path, *, count: int, years: float) -> tuple[str, list[int], float, float]:
    db = str(root / "bench.sqlite3")
    settings = get_settings(db=db, data_dir=str(root / "data"))
    app = App(settings)
    try:
        t0 = time.perf_counter()
        add_history(app, end=END, count=count, years=years, sample_s=2.0)
        stored = time.perf_counter() - t0
        t0 = time.perf_counter()
        refresh_metrics(app)
        analysed = time.perf_counter() - t0
        rows = list_activities(app, sports=["run", "trail_run"])
        ids = [r.id for r in rows[:: max(1, len(rows) // 97)]]
    finally:
        app.close()
    return db, ids, stored, analysed


def start_server(db: str, root: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "BACKSTRIDE_DATA_DIR": str(root / "data"),
        "BACKSTRIDE_CONFIG_FILE": str(root / "no-config.toml"),
    }
    code = (
        "import sys; from backstride.cli import main; "
        f"sys.argv = ['backstride', '--db', {db!r}, 'serve', '--port', '{port}', "
        f"'--workers', '{workers}']; main()"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/static/app.css", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the server did not start")


def measure(base: str, ep: Endpoint, *, clients: int, requests: int) -> list[float]:
    """Latencies in ms of ``requests`` requests from ``clients`` threads (after a warm-up)."""
    per_client = max(1, requests // clients)

    def worker(c: int) -> list[float]:
        out: list[float] = []
        with httpx.Client(base_url=base, timeout=30) as http:
            for k in range(per_client):
                i = c * per_client + k
                t0 = time.perf_counter()
                r = http.request(ep.method, ep.path(i), json=ep.json)
                out.append((time.perf_counter() - t0) * 1000)
                if r.status_code >= 400:
                    raise RuntimeError(f"{ep.label}: {r.status_code} {r.text[:200]}")
        return out

    with httpx.Client(base_url=base, timeout=60) as http:  # warm-up, not timed
        for i in range(2):
            http.request(ep.method, ep.path(i), json=ep.json).raise_for_status()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = list(pool.map(worker, range(clients)))
    return [ms for batch in results for ms in batch]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


Row = tuple[str, float, float, float, float, float, int]


def run_config(
    db: str, root: Path, ids: list[int], *, workers: int, clients: int, requests: int
) -> list[Row]:
    """Start ``backstride serve --workers N`` on the database and measure every endpoint."""
    out = sys.stdout
    port = free_port()
    proc = start_server(db, root, port, workers)
    base = f"http://127.0.0.1:{port}"
    rows: list[Row] = []
    try:
        for ep in endpoints(ids):
            out.write(f"  measuring {ep.label.split(maxsplit=1)[1]} ...\n")
            out.flush()
            alone = measure(base, ep, clients=1, requests=max(5, requests // 4))
            t0 = time.perf_counter()
            ms = measure(base, ep, clients=clients, requests=requests)
            wall = time.perf_counter() - t0
            rows.append(
                (
                    ep.label,
                    statistics.median(alone),
                    statistics.median(ms),
                    percentile(ms, 0.95),
                    max(ms),
                    len(ms) / wall,
                    len(ms),
                )
            )
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return rows


def table(rows: list[Row], *, activities: int, workers: int, clients: int) -> str:
    width = max(len(r[0]) for r in rows)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        "",
        f"{activities} activities, `backstride serve --workers {workers}` "
        f"({workers} server process{'es' if workers > 1 else ''}), {clients} concurrent clients, "
        f"{rows[0][6]} requests per endpoint, loopback, {os.cpu_count()} cores "
        f"(load average {load:.1f}); target p95 < {TARGET_P95_MS:.0f} ms",
        "",
        f"{'endpoint':<{width}}  {'alone':>6}  {'p50 ms':>7}  {'p95 ms':>7}  {'max ms':>7}"
        f"  {'req/s':>6}  ok",
    ]
    for label, single, p50, p95, worst, rate, _ in rows:
        ok = "yes" if p95 < TARGET_P95_MS else "NO"
        lines.append(
            f"{label:<{width}}  {single:6.1f}  {p50:7.1f}  {p95:7.1f}  {worst:7.1f}"
            f"  {rate:6.1f}  {ok}"
        )
    met = sum(1 for r in rows if r[3] < TARGET_P95_MS)
    lines.append(f"{met} of {len(rows)} endpoints meet the target.")
    return "\n".join(lines) + "\n"


DURING_TARGET_P95_MS = 500.0
DURING_TARGET_SLOWDOWN = 0.25


def archive_path(count: int) -> Path:
    """The Strava-style archive of ``bench/import_bench.py`` (built once, cached)."""
    sys.path.insert(0, str(REPO / "bench"))
    from import_bench import build_archive

    out = REPO / "bench" / "out"
    out.mkdir(exist_ok=True)
    archive = out / f"strava-export-{count}.zip"
    if not archive.exists():
        sys.stdout.write(f"Building the {count}-activity archive (cached in bench/out/) ...\n")
        sys.stdout.flush()
        build_archive(archive, count=count)
    return archive


def start_import(db: str, root: Path, archive: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "BACKSTRIDE_DATA_DIR": str(root / "data"),
        "BACKSTRIDE_CONFIG_FILE": str(root / "no-config.toml"),
    }
    code = (
        "import sys; from backstride.cli import main; "
        f"sys.argv = ['backstride', '--db', {db!r}, 'import', '--quiet', {str(archive)!r}]; main()"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def children_cpu_s() -> float:
    """CPU seconds (user + system) of this process's ended and waited-for children and
    their own waited-for children (an import and its parser workers)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def process_cpu_s(pid: int) -> float | None:
    """CPU seconds (user + system) a running process used so far (Linux; else None)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_cpu_s() -> float:
    """CPU seconds (user + system) of this process so far: the clients and the lock watch."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed_import(db: str, root: Path, archive: Path) -> tuple[float, float, str, LockWatch]:
    """The import's wall time, its CPU seconds (with its parser workers), its last line and
    the write lock as watched meanwhile (the same watch as while serving, at the same cost)."""
    cpu0 = children_cpu_s()
    t0 = time.perf_counter()
    with LockWatch(db) as watch:
        proc = start_import(db, root, archive)
        out, err = proc.communicate()
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"import failed ({proc.returncode}): {err.decode()[-2000:]}")
    return wall, children_cpu_s() - cpu0, out.decode().strip().splitlines()[-1], watch


def copy_database(db: str, to: Path) -> str:
    import sqlite3

    src = sqlite3.connect(db)
    dst = sqlite3.connect(to)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return str(to)


def wal_mb(db: str) -> float:
    try:
        return Path(db + "-wal").stat().st_size / 1e6
    except OSError:
        return 0.0


class LockWatch:
    """Watches SQLite's write lock from outside while the import runs: every ``every_s`` it
    tries ``BEGIN IMMEDIATE`` without waiting (and rolls back at once), and notes each span
    during which the lock stayed taken (by the importer's batches or the dashboard's writes),
    measured from the first failed try to the first free one. It also notes the largest size
    of the write-ahead log seen (readers that never pause can starve its checkpoints)."""

    def __init__(self, db: str, *, every_s: float = 0.005) -> None:
        import sqlite3
        import threading

        self._wal = Path(db + "-wal")
        self.largest_wal_bytes = 0
        self._conn = sqlite3.connect(db, timeout=0, isolation_level=None, check_same_thread=False)
        self._every_s = every_s
        self._stop = threading.Event()
        self.spans_s: list[float] = []
        self.cpu_s = 0.0  # the watch's own CPU time (its thread's)
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> LockWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._conn.close()

    def _run(self) -> None:
        import sqlite3

        taken_since: float | None = None
        started = time.thread_time()
        while not self._stop.is_set():
            self.cpu_s = time.thread_time() - started
            now = time.perf_counter()
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                self._conn.execute("ROLLBACK")
                if taken_since is not None:
                    self.spans_s.append(now - taken_since)
                    taken_since = None
            except sqlite3.OperationalError:
                if taken_since is None:
                    taken_since = now
            try:
                self.largest_wal_bytes = max(self.largest_wal_bytes, self._wal.stat().st_size)
            except OSError:
                pass
            time.sleep(self._every_s)

    def summary(self) -> str:
        spans = sorted(self.spans_s)
        if not spans:
            return "the write lock was never seen taken"
        over = sum(1 for s in spans if s > 0.1)
        return (
            f"{len(spans)} spans, p50 {statistics.median(spans) * 1000:.0f} ms, "
            f"p95 {percentile(spans, 0.95) * 1000:.0f} ms, longest {spans[-1] * 1000:.0f} ms, "
            f"{over} longer than 100 ms (target: about 100 ms at most)"
        )


def during_import(
    db: str, root: Path, ids: list[int], *, clients: int, think_ms: float, archive: Path
) -> str:
    """Measure every endpoint, mixed, while the CLI imports ``archive`` into ``db``."""
    out = sys.stdout
    out.write("Importing the archive alone (on a copy of the database) ...\n")
    out.flush()
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    after_copy = copy_database(db, root / "alone-after.sqlite3")  # as before the import
    alone_s, alone_cpu_s, alone_line, alone_watch = timed_import(
        copy_database(db, root / "alone.sqlite3"), root, archive
    )
    out.write(
        f"  {alone_s:.1f} s, {alone_cpu_s:.1f} s CPU: {alone_line} "
        f"(load average before it {load_before:.1f})\n"
    )
    port = free_port()
    server = start_server(db, root, port, 1)
    base = f"http://127.0.0.1:{port}"
    eps = endpoints(ids)
    with httpx.Client(base_url=base, timeout=60) as http:  # warm-up, not timed
        for ep in eps:
            http.request(ep.method, ep.path(0), json=ep.json).raise_for_status()
    latencies: dict[str, list[float]] = {ep.label: [] for ep in eps}
    errors: list[str] = []
    out.write(f"Importing it again while {clients} clients use the dashboard ...\n")
    out.flush()
    try:
        server_cpu0 = process_cpu_s(server.pid)
        import_cpu0 = children_cpu_s()
        t0 = time.perf_counter()
        own_cpu0 = own_cpu_s()
        importer = start_import(db, root, archive)

        def client(c: int) -> list[tuple[str, float]]:
            got: list[tuple[str, float]] = []
            k = c
            http = PlainClient(base)
            while importer.poll() is None and time.perf_counter() - t0 < 900:
                ep = eps[k % len(eps)]
                s0 = time.perf_counter()
                status = http.request(ep.method, ep.path(k), json_body=ep.json)
                got.append((ep.label, (time.perf_counter() - s0) * 1000))
                if status >= 400:
                    errors.append(f"{ep.label}: {status}")
                k += 1
                if think_ms:
                    time.sleep(think_ms / 1000)
            return got

        with LockWatch(db) as lock_watch, ThreadPoolExecutor(max_workers=clients) as pool:
            for batch in pool.map(client, range(clients)):
                for label, ms in batch:
                    latencies[label].append(ms)
        _, err = importer.communicate()
        during_s = time.perf_counter() - t0
        clients_cpu_s = own_cpu_s() - own_cpu0
        during_cpu_s = children_cpu_s() - import_cpu0
        server_cpu1 = process_cpu_s(server.pid)
        if importer.returncode != 0:
            raise RuntimeError(f"import failed ({importer.returncode}): {err.decode()[-2000:]}")
    finally:
        server.terminate()
        server.wait(timeout=10)
    # The same import alone once more, after: one computer's pace drifts by a fifth within
    # minutes, so "alone" is the mean of the runs before and after the one while serving.
    out.write("Importing the archive alone again (on a copy of the database) ...\n")
    out.flush()
    after_s, after_cpu_s, _, _ = timed_import(after_copy, root, archive)
    before_s, before_cpu_s = alone_s, alone_cpu_s
    alone_s, alone_cpu_s = (before_s + after_s) / 2, (before_cpu_s + after_cpu_s) / 2
    width = max(len(label) for label in latencies)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    total = sum(len(v) for v in latencies.values())
    lines = [
        "",
        f"During `backstride import` of {archive.name} into the served database: "
        f"{clients} clients, {think_ms:g} ms between a client's requests, {total} requests "
        f"({total / during_s:.1f}/s), `serve --workers 1`, {os.cpu_count()} cores (load "
        f"average {load:.1f}); target p95 < {DURING_TARGET_P95_MS:.0f} ms",
        "",
        f"{'endpoint':<{width}}  {'n':>4}  {'p50 ms':>7}  {'p95 ms':>7}  {'max ms':>7}  ok",
    ]
    met = 0
    for label, ms in latencies.items():
        if not ms:
            lines.append(f"{label:<{width}}  {0:4d}  {'-':>7}  {'-':>7}  {'-':>7}  NO")
            continue
        p95 = percentile(ms, 0.95)
        met += p95 < DURING_TARGET_P95_MS
        lines.append(
            f"{label:<{width}}  {len(ms):4d}  {statistics.median(ms):7.1f}  {p95:7.1f}"
            f"  {max(ms):7.1f}  {'yes' if p95 < DURING_TARGET_P95_MS else 'NO'}"
        )
    lines.append(f"{met} of {len(latencies)} endpoints meet the target.")
    slowdown = during_s / alone_s - 1
    ok = "yes" if slowdown <= DURING_TARGET_SLOWDOWN else "NO"
    lines.append(
        f"Import: {alone_s:.1f} s alone (mean of {before_s:.1f} s before and {after_s:.1f} s "
        f"after), {during_s:.1f} s while serving ({slowdown:+.0%}; "
        f"target at most +{DURING_TARGET_SLOWDOWN:.0%}): {ok}."
    )
    lines.append(f"Write lock seen taken (importer and dashboard): {lock_watch.summary()}.")
    lines.append(f"Write lock seen taken by the import alone: {alone_watch.summary()}.")
    lines.append(
        f"Write-ahead log: largest {lock_watch.largest_wal_bytes / 1e6:.0f} MB seen during the "
        f"import, {wal_mb(db):.0f} MB once the server stopped."
    )
    lines.append(
        f"Import CPU (with its parser workers): {alone_cpu_s:.1f} s alone "
        f"({before_cpu_s:.1f} s and {after_cpu_s:.1f} s; {alone_cpu_s / alone_s:.2f} cores), "
        f"{during_cpu_s:.1f} s while serving ({during_cpu_s / during_s:.2f} cores)."
    )
    if server_cpu0 is not None and server_cpu1 is not None and total:
        server_cpu_s = server_cpu1 - server_cpu0
        lines.append(
            f"Server CPU during the import: {server_cpu_s:.1f} s ({server_cpu_s / during_s:.2f} "
            f"cores), {server_cpu_s / total * 1000:.1f} ms per request."
        )
    lines.append(
        f"Clients and lock watch (this process) while serving: {clients_cpu_s:.1f} s CPU "
        f"({clients_cpu_s / during_s:.2f} cores; the watch {lock_watch.cpu_s:.1f} s, "
        f"{alone_watch.cpu_s:.1f} s during the import alone)."
    )
    if errors:
        lines.append(f"{len(errors)} requests failed, first: {errors[0]}")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--activities", type=int, default=3000)
    parser.add_argument("--years", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=80, help="per endpoint")
    parser.add_argument(
        "--workers",
        type=int,
        nargs="+",
        default=[1],
        help="backstride serve --workers (default 1, as serve's); several values (--workers 1 2) "
        "give one run and table each, on the same database",
    )
    parser.add_argument(
        "--during-import",
        action="store_true",
        help="measure while `backstride import` stores a 3,000-activity archive (see above)",
    )
    parser.add_argument(
        "--think-ms",
        type=float,
        default=0.0,
        help="with --during-import: pause of each client between two requests (default 0)",
    )
    parser.add_argument(
        "--archive-activities",
        type=int,
        default=3000,
        help="with --during-import: activities in the imported archive (default 3000)",
    )
    args = parser.parse_args()
    out = sys.stdout
    tables: list[str] = []
    with tempfile.TemporaryDirectory(prefix="backstride-web-bench-") as tmp:
        root = Path(tmp)
        os.environ["BACKSTRIDE_CONFIG_FILE"] = str(root / "no-config.toml")
        out.write(f"Storing {args.activities} activities over {args.years:g} years ...\n")
        out.flush()
        db, ids, stored, analysed = build_history(root, count=args.activities, years=args.years)
        size_mb = Path(db).stat().st_size / 1e6
        out.write(
            f"  stored in {stored:.1f} s, analysed in {analysed:.1f} s; database {size_mb:.0f} MB\n"
        )
        if args.during_import:
            out.write(
                during_import(
                    db,
                    root,
                    ids,
                    clients=args.clients,
                    think_ms=args.think_ms,
                    archive=archive_path(args.archive_activities),
                )
            )
            return 0
        for workers in args.workers:
            out.write(f"backstride serve --workers {workers}:\n")
            rows = run_config(
                db, root, ids, workers=workers, clients=args.clients, requests=args.requests
            )
            tables.append(
                table(rows, activities=args.activities, workers=workers, clients=args.clients)
            )
    out.write("".join(tables))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
