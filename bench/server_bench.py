"""Server mode under load: 200 runners with a year of activities each on PostgreSQL, against
one runner on SQLite (the local mode) as the peer.

Run ``.venv/bin/python bench/server_bench.py`` (``--help`` for options). It

1. starts a throwaway PostgreSQL 15 cluster (``tests/pg_throwaway.py``: initdb in a temporary
   folder, a free loopback port, removed afterwards) and stores one runner's year of synthetic
   activities with full streams (``tests/web/synthetic.py``) and their analysis through the
   services, then copies those rows to the other ``--runners`` - 1 runners (same runs, their
   own ids), makes an account for each (one Argon2 hash, reused), one professional per 20
   runners, and a grant of everything from each runner to her professional;
2. starts ``backstride serve --server --workers 2`` (the real entry point) on a free loopback
   port, logs ``--clients`` clients in (each as another runner, and as that runner's
   professional), and has them send, in turn and for ``--requests`` rounds each: Today, the
   Overview, an activity's page, a check-in (``POST /api/pain``) and the professional's list
   of runners;
3. does the same against ``backstride serve`` in the local mode (one process, no login) on an
   SQLite file holding one runner's year, with the same mix less the list of runners (there
   are no professionals there; ``--no-local`` skips it, for quicker comparisons of the
   server mode's costs);
4. prints p50/p95/max and errors per endpoint for both, against the target p95 < 150 ms,
   and what a request costs, counted over the timed rounds (so less noisy than the latencies
   on a shared machine): CPU of the server's processes, of the benchmark's own clients (on
   the same cores) and of PostgreSQL, in ms per request; statements and transactions per
   request (``pg_stat_statements``, ``pg_stat_database``).

The clients send their timed requests over one kept-alive connection each with the standard
library's ``http.client`` (:class:`PlainClient`: the headers httpx sends, the cookies the server
sets kept as a browser would), which costs the benchmark's process about a fifth of httpx's CPU
per request (``--client httpx`` for httpx, as before); they log in with httpx either way.

Benchmark, not a test: figures depend on the machine (two shared cores here, the clients and
both servers on the same cores).
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402
from bench.light_client import PlainClient  # noqa: E402
from sqlalchemy import insert, select, text  # noqa: E402
from tests import pg_throwaway  # noqa: E402
from tests.web.synthetic import add_history  # noqa: E402

from backstride.adapters.db.account_repos import GrantRepo, UserRepo  # noqa: E402
from backstride.adapters.db.metrics_tables import ActivityMetricsRow  # noqa: E402
from backstride.adapters.db.tables import ActivityRow, StreamRow  # noqa: E402
from backstride.adapters.passwords import hash_password  # noqa: E402
from backstride.config import get_settings  # noqa: E402
from backstride.domain.access import Role, Scope, format_scopes  # noqa: E402
from backstride.services.activities import list_activities  # noqa: E402
from backstride.services.context import App  # noqa: E402
from backstride.services.training import refresh_metrics  # noqa: E402

TARGET_P95_MS = 150.0
PASSWORD = "benchmark password"
END = date.today() - timedelta(days=1)
RUNS_PER_YEAR = 200
ID_STRIDE = 1_000
RUNNERS_PER_PROFESSIONAL = 20


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- data -------------------------------------------------------------------------------------


def _copy_rows(app: App, template: int, athletes: list[int]) -> None:
    """The template athlete's activities, streams and analysis, for each of ``athletes``."""
    tables = (ActivityRow.__table__, StreamRow.__table__, ActivityMetricsRow.__table__)
    with app.store.session() as session:
        rows = {
            t.name: [
                dict(r._mapping)
                for r in session.execute(select(t).where(t.c.athlete_id == template))
            ]
            for t in tables
        }
    for k, athlete in enumerate(athletes, start=1):
        offset = k * ID_STRIDE
        with app.store.session() as session:
            for table in tables:
                batch = []
                for row in rows[table.name]:
                    new = dict(row, athlete_id=athlete)
                    if "id" in new and table.name != "streams":
                        new["id"] = row["id"] + offset
                    if "activity_id" in new:
                        new["activity_id"] = row["activity_id"] + offset
                    batch.append(new)
                if batch:
                    session.execute(insert(table), batch)
    if app.store.engine.dialect.name == "postgresql":
        with app.store.session() as session:
            session.execute(
                text(
                    "SELECT setval(pg_get_serial_sequence('activities', 'id'), "
                    "(SELECT max(id) FROM activities))"
                )
            )


@dataclass
class World:
    url: str
    runners: list[tuple[str, int]]  # (e-mail, first activity id)
    professionals: dict[str, str]  # runner e-mail -> her professional's e-mail


def build_server_world(url: str, *, runners: int) -> World:
    settings = get_settings(db=url, mode="server")
    app = App(settings)
    try:
        hashed = hash_password(PASSWORD)
        athlete_ids: list[int] = []
        emails: list[str] = []
        with app.store.session() as session:
            users = UserRepo(session)
            pros = [
                users.add(
                    email=f"pro{p}@bench.example",
                    name=f"Professional {p}",
                    role=Role.PROFESSIONAL.value,
                    password_hash=hashed,
                    with_athlete=False,
                )
                for p in range((runners + RUNNERS_PER_PROFESSIONAL - 1) // RUNNERS_PER_PROFESSIONAL)
            ]
            for r in range(runners):
                row = users.add(
                    email=f"runner{r}@bench.example",
                    name=f"Runner {r}",
                    role=Role.RUNNER.value,
                    password_hash=hashed,
                    with_athlete=True,
                )
                assert row.athlete_id is not None
                athlete_ids.append(row.athlete_id)
                emails.append(row.email)
            grants = GrantRepo(session)
            from datetime import UTC, datetime

            professionals = {}
            for r, athlete in enumerate(athlete_ids):
                pro = pros[r // RUNNERS_PER_PROFESSIONAL]
                grants.add(
                    athlete_id=athlete,
                    professional_id=pro.id,
                    scopes=format_scopes(Scope),
                    now=datetime.now(UTC),
                    expires_at=None,
                )
                professionals[emails[r]] = pro.email
        template = app.for_athlete(athlete_ids[0])
        add_history(template, end=END, count=RUNS_PER_YEAR, years=1.0, sample_s=5.0)
        refresh_metrics(template)
        _copy_rows(app, athlete_ids[0], athlete_ids[1:])
        firsts = []
        for athlete in athlete_ids:
            rows = list_activities(app.for_athlete(athlete), sort="start", descending=True, limit=1)
            firsts.append(rows[0].id)
        return World(url, list(zip(emails, firsts, strict=True)), professionals)
    finally:
        app.close()


def build_local(root: Path) -> tuple[str, int]:
    db = str(root / "local.sqlite3")
    app = App(get_settings(db=db, data_dir=str(root / "data")))
    try:
        add_history(app, end=END, count=RUNS_PER_YEAR, years=1.0, sample_s=5.0)
        refresh_metrics(app)
        return db, list_activities(app, sort="start", descending=True, limit=1)[0].id
    finally:
        app.close()


# --- server and clients -----------------------------------------------------------------------


def start_server(
    db: str, root: Path, port: int, *, server: bool, workers: int
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "BACKSTRIDE_DATA_DIR": str(root / "data"),
        "BACKSTRIDE_CONFIG_FILE": str(root / "no-config.toml"),
        "BACKSTRIDE_COOKIE_SECURE": "false",  # plain HTTP on loopback, no proxy in front
    }
    args = ["--db", db, "serve", "--port", str(port), "--workers", str(workers)]
    if server:
        args.append("--server")
    code = (
        f"import sys; from backstride.cli import main; sys.argv = ['backstride', *{args!r}]; main()"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 300  # two workers start slowly on a busy machine
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/static/app.css", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the server did not start")


def log_in(base: str, email: str) -> httpx.Client:
    import re

    client = httpx.Client(base_url=base, timeout=60)
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text)
    assert token, "no form token on the login page"
    answer = client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": token.group(1)}
    )
    if answer.status_code >= 400:
        raise RuntimeError(f"login of {email} failed: {answer.status_code}")
    return client


Http = httpx.Client | PlainClient


def send(client: Http, method: str, path: str, body: Any) -> int:
    if isinstance(client, PlainClient):
        return client.request(method, path, json_body=body)
    return client.request(method, path, json=body).status_code


@dataclass
class Client:
    runner: Http
    professional: Http | None
    activity_id: int


def one_round(c: Client, day: int, out: dict[str, list[float]], errors: dict[str, int]) -> None:
    asks: list[tuple[str, Http, str, str, dict[str, Any] | None]] = [
        ("Today", c.runner, "GET", "/today", None),
        ("Overview", c.runner, "GET", "/", None),
        ("activity page", c.runner, "GET", f"/activities/{c.activity_id}", None),
        (
            "check-in POST",
            c.runner,
            "POST",
            "/api/pain",
            {
                "day": (END - timedelta(days=day % 300)).isoformat(),
                "when": "rest-day",
                "score": day % 4,
            },
        ),
    ]
    if c.professional is not None:
        asks.append(("professional's roster", c.professional, "GET", "/runners", None))
    for name, client, method, path, body in asks:
        t0 = time.perf_counter()
        try:
            ok = send(client, method, path, body) < 400
        except (httpx.HTTPError, OSError, http.client.HTTPException):
            ok = False
        out[name].append((time.perf_counter() - t0) * 1000)
        if not ok:
            errors[name] += 1


Counts = dict[str, float]


def cpu_ms(pids: list[int]) -> float:
    """User and system CPU of ``pids`` and their children (Linux ``/proc``), in ms.

    A child that has ended (a PostgreSQL backend whose connection closed) no longer has a
    ``/proc`` entry: its time moves to its parent's "children" fields (cutime, cstime), which
    are counted too, so the total never drops between two probes."""
    ticks = 0
    for pid in pids:
        children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
        found = [pid, *(int(c) for c in children.stdout.split())]
        for p in found:
            try:
                fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            ticks += sum(int(field) for field in fields[11:15])  # utime stime cutime cstime
    return ticks * 1000 / os.sysconf("SC_CLK_TCK")


def server_counts(proc: subprocess.Popen[bytes]) -> Callable[[], Counts]:
    return lambda: {
        "server CPU ms": cpu_ms([proc.pid]),
        "client CPU ms": time.process_time() * 1000,
    }


class PostgresCounts:
    """The server's counts, and PostgreSQL's: CPU of the postmaster and its backends,
    statements (``pg_stat_statements``) and transactions of the benchmark's database."""

    def __init__(self, url: str, proc: subprocess.Popen[bytes]) -> None:
        import psycopg

        # as the throwaway cluster's superuser (the counts need an extension)
        dsn = url.replace("postgresql+psycopg://backstride@", "postgresql://postgres@")
        self.conn = psycopg.connect(dsn, autocommit=True)
        self.conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        backend = self.conn.execute("SELECT pg_backend_pid()").fetchone()
        assert backend is not None
        status = Path(f"/proc/{backend[0]}/status").read_text()
        self.postmaster = int(status.split("PPid:")[1].split()[0])
        self.own = server_counts(proc)
        self.probes = 0
        self.snapshots: list[dict[int, tuple[float, float, str]]] = []

    def _one(self, query: str) -> float:
        row = self.conn.execute(query).fetchone()
        assert row is not None
        return float(row[0])

    def __call__(self) -> Counts:
        statements = self._one(
            "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements s "
            "JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = current_database()"
        )
        transactions = self._one(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database "
            "WHERE datname = current_database()"
        )
        own = 2 * self.probes  # this probe's own statements and transactions so far
        self.probes += 1
        self.snapshots.append(
            {
                int(queryid): (float(calls), float(total_ms), str(query))
                for queryid, calls, total_ms, query in self.conn.execute(
                    "SELECT queryid, calls, total_exec_time, query FROM pg_stat_statements s "
                    "JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = current_database()"
                )
            }
        )
        return {
            **self.own(),
            "PostgreSQL CPU ms": cpu_ms([self.postmaster]),
            "statements": statements - own,
            "transactions": transactions - own,
        }

    def top_statements(self, requests: int, count: int) -> list[str]:
        """The ``count`` statements run most often between the last two probes: calls per
        request, mean time in PostgreSQL, the statement's start."""
        if len(self.snapshots) < 2 or count <= 0:
            return []
        before, after = self.snapshots[-2], self.snapshots[-1]
        rows = []
        for queryid, (calls, total_ms, query) in after.items():
            was_calls, was_ms, _ = before.get(queryid, (0.0, 0.0, ""))
            if calls > was_calls:
                n = calls - was_calls
                rows.append((n, (total_ms - was_ms) / n, " ".join(query.split())))
        rows.sort(key=lambda r: -r[0])
        return [f"{n / requests:6.2f}  {mean:7.3f}  {q[:90]}" for n, mean, q in rows[:count]]


def run_load(
    clients: list[Client], rounds: int, probe: Callable[[], Counts] | None = None
) -> tuple[dict[str, list[float]], dict[str, int], float, Counts]:
    out: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    # warm-up: one round each, not counted
    for c in clients:
        one_round(c, 0, defaultdict(list), defaultdict(int))
    before = probe() if probe is not None else {}
    t0 = time.perf_counter()

    def work(i: int) -> None:
        for r in range(rounds):
            one_round(clients[i], 1 + i * rounds + r, out, errors)

    with ThreadPoolExecutor(len(clients)) as pool:
        list(pool.map(work, range(len(clients))))
    wall = time.perf_counter() - t0
    after = probe() if probe is not None else {}
    return out, errors, wall, {k: after[k] - before[k] for k in before}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def report(
    title: str,
    out: dict[str, list[float]],
    errors: dict[str, int],
    wall: float,
    costs: Counts,
) -> dict[str, float]:
    total = sum(len(v) for v in out.values())
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"\n{title}: {total} requests in {wall:.1f} s ({total / wall:.0f}/s), "
        f"load average {load:.1f} on {os.cpu_count()} cores"
    )
    print(f"{'endpoint':<24}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'errors':>8}  target")
    p95s = {}
    for name, values in out.items():
        p95 = pct(values, 0.95)
        p95s[name] = p95
        verdict = "met" if p95 < TARGET_P95_MS and not errors[name] else "NOT met"
        print(
            f"{name:<24}{len(values):>6}{statistics.median(values):>9.1f}{p95:>9.1f}"
            f"{max(values):>9.1f}{errors[name]:>8}  p95 < {TARGET_P95_MS:.0f} ms: {verdict}"
        )
    if costs:
        print("per request: " + ", ".join(f"{k} {v / total:.1f}" for k, v in costs.items()))
    return p95s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runners", type=int, default=200)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--requests", type=int, default=10, help="rounds per client")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--client",
        choices=("plain", "httpx"),
        default="plain",
        help="the timed requests' client: http.client kept alive (light), or httpx",
    )
    parser.add_argument(
        "--statements",
        type=int,
        default=12,
        help="print the N statements PostgreSQL ran most often (0: none)",
    )
    parser.add_argument(
        "--no-local",
        action="store_true",
        help="skip the local mode's run on SQLite (quicker CPU-per-request comparisons)",
    )
    args = parser.parse_args()
    if not pg_throwaway.available():
        sys.exit("PostgreSQL 15 is not installed (apt-get install postgresql)")
    root = Path(tempfile.mkdtemp(prefix="backstride-server-bench-"))
    counting = {"shared_preload_libraries": "pg_stat_statements"}
    with pg_throwaway.throwaway_cluster("bench", settings=counting) as url:
        t0 = time.perf_counter()
        world = build_server_world(url, runners=args.runners)
        print(
            f"PostgreSQL: {args.runners} runners x {RUNS_PER_YEAR} activities (a year) stored in "
            f"{time.perf_counter() - t0:.0f} s; "
            f"{len(set(world.professionals.values()))} professionals"
        )
        port = free_port()
        proc = start_server(url, root, port, server=True, workers=args.workers)
        try:
            base = f"http://127.0.0.1:{port}"
            clients = []
            for i in range(args.clients):
                email, activity = world.runners[(i * 7) % len(world.runners)]
                runner, professional = log_in(base, email), log_in(base, world.professionals[email])
                if args.client == "plain":
                    clients.append(
                        Client(
                            PlainClient.after(base, runner),
                            PlainClient.after(base, professional),
                            activity,
                        )
                    )
                else:
                    clients.append(Client(runner, professional, activity))
            counts = PostgresCounts(url, proc)
            out, errors, wall, costs = run_load(clients, args.requests, counts)
            pg = report(
                f"Server mode, PostgreSQL, {args.workers} workers, {args.clients} clients "
                f"({args.client} client)",
                out,
                errors,
                wall,
                costs,
            )
            top = counts.top_statements(sum(len(v) for v in out.values()), args.statements)
            if top:
                print("statements run most often: per request, mean ms, statement")
                print("\n".join(f"  {line}" for line in top))
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    if args.no_local:
        return
    db, activity = build_local(root)
    port = free_port()
    proc = start_server(db, root, port, server=False, workers=1)
    try:
        base = f"http://127.0.0.1:{port}"
        clients = [
            Client(
                PlainClient(base)
                if args.client == "plain"
                else httpx.Client(base_url=base, timeout=60),
                None,
                activity,
            )
            for _ in range(args.clients)
        ]
        out, errors, wall, costs = run_load(clients, args.requests, server_counts(proc))
        lite = report(
            f"Local mode, SQLite, one runner, 1 process, {args.clients} clients "
            f"({args.client} client)",
            out,
            errors,
            wall,
            costs,
        )
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print("\np95 ratio server (PostgreSQL) / local (SQLite):")
    for name, value in lite.items():
        print(f"  {name:<22} {pg[name] / value:.2f}x")


if __name__ == "__main__":
    main()
