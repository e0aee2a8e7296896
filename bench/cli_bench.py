"""Benchmark the command line's start-up (issue 14.2) against ``python -c "import typer"``.

Run: ``.venv/bin/python bench/cli_bench.py [--runs 15]``

Builds the demo database once (``backstride demo``, in a temporary folder), then times, in the
same run and interleaved (so a busy machine slows them all alike), hyperfine-style (wall-clock
and CPU time):

- the baseline: ``python -c "import typer"`` (the least any Typer command line can cost),
- ``backstride --help``,
- ``backstride today`` on the demo database, as a runner asks it again and again: the answer
  kept by the previous call is printed while the data is unchanged (``services/day_cache.py``),
- ``backstride today`` as the first call after a change (the kept answer removed before each
  run): the day computed from the database (read with ``sqlite3`` alone, its load report in
  plain Python, by a command line with only the root and ``today``: docs/architecture.md,
  "What the day reads"),

each as a fresh process, ``--runs`` times after one warm-up, and prints the median, the fastest
and the ratio of each median to the baseline's, and the load average. Targets: ``--help`` at
most 3x the baseline, ``today`` at most 6x, asked again and as the first call after a change.
Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = {"--help": 3.0, "today": 6.0, "today (first after a change)": 6.0}


def _time(
    argv: list[str], env: dict[str, str], *, forget: Path | None = None
) -> tuple[float, float]:
    """Wall-clock and CPU (user + system) seconds of one run of ``argv`` (after removing the
    folder ``forget``, untimed)."""
    if forget is not None:
        shutil.rmtree(forget, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each command")
    args = parser.parse_args()
    exe = str(Path(sys.executable).with_name("backstride"))
    with tempfile.TemporaryDirectory(prefix="cli-bench-") as tmp:
        env = {
            **os.environ,
            "BACKSTRIDE_DATA_DIR": str(Path(tmp) / "data"),
            "BACKSTRIDE_CONFIG_FILE": str(Path(tmp) / "none.toml"),
            "COLUMNS": "80",
            "XDG_CACHE_HOME": str(Path(tmp) / "cache"),
        }
        kept = Path(tmp) / "cache" / "backstride"
        # As installed: Python keeps its bytecode caches (the warm-up run writes them), so
        # neither side pays for compiling its sources on every run.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        db = str(Path(tmp) / "demo.sqlite3")
        print("building the demo database...", flush=True)
        subprocess.run(
            [exe, "--db", db, "demo", "--dir", str(Path(tmp) / "files")],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        commands = {
            "baseline": [sys.executable, "-c", "import typer"],
            "--help": [exe, "--help"],
            "today": [exe, "--db", db, "today"],
            "today (first after a change)": [exe, "--db", db, "today"],
        }
        forget = {"today (first after a change)": kept}
        times: dict[str, list[float]] = {name: [] for name in commands}
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        for name, argv in commands.items():  # warm-up: file caches, .pyc files
            _time(argv, env, forget=forget.get(name))
        for _ in range(args.runs):
            for name, argv in commands.items():
                wall, used = _time(argv, env, forget=forget.get(name))
                times[name].append(wall)
                cpu[name].append(used)
    base = statistics.median(times["baseline"])
    base_cpu = statistics.median(cpu["baseline"])
    print(
        f"{'command':<40} {'median':>8} {'fastest':>8} {'ratio':>7} {'cpu':>8} {'cpu ratio':>9} "
        f"{'target':>10}"
    )
    failed = False
    for name in commands:
        median = statistics.median(times[name])
        ratio = median / base
        cpu_median = statistics.median(cpu[name])
        target = TARGETS.get(name)
        shown = "python -c 'import typer'" if name == "baseline" else f"backstride {name}"
        mark = ""
        if target is not None:
            ok = ratio <= target
            failed |= not ok
            mark = f"{target:.0f}x {'ok' if ok else 'MISSED'}"
        print(
            f"{shown:<40} {median * 1000:>6.0f}ms {min(times[name]) * 1000:>6.0f}ms "
            f"{ratio:>6.2f}x {cpu_median * 1000:>6.0f}ms {cpu_median / base_cpu:>8.2f}x {mark:>10}"
        )
    print(
        f"({args.runs} runs each, interleaved; ratio = median wall time / the baseline's; cpu = "
        "median user+system time, steadier on a busy machine)"
    )
    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
