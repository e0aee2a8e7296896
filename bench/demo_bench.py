"""Benchmark writing the demo athlete (``services.demo.generate_demo``), against reading the
same files back.

Run: ``.venv/bin/python bench/demo_bench.py [--repeat 3]``

Times :func:`generate_demo` (16 weeks, seed 7: the story tables read, every session simulated
second by second, encoded as FIT or GPX, some gzipped, and ``activities.csv`` written) into a
fresh folder, best of ``--repeat``, against the peer measured in the same run: decoding every
file it wrote with backstride's own readers (``parse_activity_bytes``), which is the least an
import of the demo does next. Target (issue 15, formerly a timed unit test): under 5 s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from backstride.adapters.files.detect import parse_activity_bytes
from backstride.services.demo import generate_demo

TARGET_S = 5.0
END = date(2026, 3, 1)


def _generate(out: Path) -> float:
    t0 = time.perf_counter()
    generate_demo(out, seed=7, end=END)
    return time.perf_counter() - t0


def _read_back(out: Path) -> tuple[float, int]:
    files = sorted(p for p in (out / "activities").iterdir() if p.is_file())
    t0 = time.perf_counter()
    for path in files:
        parse_activity_bytes(path.read_bytes(), path.name)
    return time.perf_counter() - t0, len(files)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="best of this many runs")
    args = ap.parse_args(argv)
    gen: list[float] = []
    read: list[float] = []
    n_files = 0
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory(prefix="demo-bench-") as tmp:
            out = Path(tmp)
            gen.append(_generate(out))
            seconds, n_files = _read_back(out)
            read.append(seconds)
    best_gen, best_read = min(gen), min(read)
    verdict = "meets target" if best_gen < TARGET_S else "ABOVE target"
    sys.stdout.write(
        f"demo generation: {best_gen:.2f} s for {n_files} files (best of {args.repeat}); "
        f"target < {TARGET_S:.0f} s: {verdict}\n"
        f"reading them back: {best_read:.2f} s; generation takes {best_gen / best_read:.1f}x "
        "the reading\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
