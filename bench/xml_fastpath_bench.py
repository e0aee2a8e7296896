"""Does the XML fast path pay for itself? Import the real corpus end to end with and without it.

Run: ``.venv/bin/python bench/xml_fastpath_bench.py [--rounds 3] [--rev REV]``
(``BACKSTRIDE_TEST_DATA`` points elsewhere).

The fast path (``adapters/files/xmlscan.py`` and the column-wise ``gpx.py``/``tcx.py``) is gone
from the tree since this benchmark judged it, so it measures the sources of the last commit that
had it (``--rev``, taken with ``git archive`` into a temporary folder and put first on
``PYTHONPATH``), against the same sources with the fast path switched off.

Each round runs the real console script, ``backstride import --json <corpus>``, into a fresh
database twice: once as shipped and once with the GPX and TCX readers replaced by their lxml
``iterparse`` reference readers (a ``sitecustomize`` module on ``PYTHONPATH`` swaps them in
every process, the import's workers included). The two runs alternate within a round so both
see the same load from the neighbours; the figure kept for each is the best wall time over the
rounds. The rule (issue 15): the fast path stays only if it saves at least 10 % of the
import's wall time.

Measured when it was decided (2 shared cores, best of 5): 17.09 s with the fast path, 15.30 s
without (-11.7 %: no saving), the import's own CPU time 4.67 s against 4.66 s. Decoding XML is
a small part of an import, so the reference reader stayed as the only reader.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).with_name("backstride")
KEEP_IF_SAVES = 0.10
LAST_WITH_FAST_PATH = "c69e2f526aef8f2a1df2353cbfffc3e8643d6719"

REFERENCE_ONLY = """\
from backstride.adapters.files import gpx, tcx

gpx.parse_gpx = gpx.parse_gpx_reference
tcx.parse_tcx = tcx.parse_tcx_reference
"""


def corpus_dir() -> Path:
    env = os.environ.get("BACKSTRIDE_TEST_DATA")
    return (Path(env) if env else ROOT.parent / "shared" / "data") / "activities"


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def checkout_src(rev: str, into: Path) -> Path:
    """The ``src`` folder of ``rev``, unpacked under ``into``."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev, "src"], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "src"


def import_once(
    corpus: Path, workdir: Path, *, src: Path, reference_only: Path | None
) -> tuple[float, float, int]:
    """Wall and CPU seconds of one import into a fresh database, and the activities stored."""
    db = workdir / f"run-{time.monotonic_ns()}.sqlite3"
    env = {**os.environ, "BACKSTRIDE_DB": str(db)}
    paths = [str(reference_only)] if reference_only is not None else []
    env["PYTHONPATH"] = os.pathsep.join([*paths, str(src)])
    cpu0 = _children_cpu_s()
    t0 = time.perf_counter()
    proc = subprocess.run(
        [str(BIN), "import", "--json", str(corpus)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    wall = time.perf_counter() - t0
    cpu = _children_cpu_s() - cpu0
    if proc.returncode not in (0, 1):
        raise SystemExit(f"import crashed ({proc.returncode}): {proc.stderr[-2000:]}")
    report = json.loads(proc.stdout)
    db.unlink(missing_ok=True)
    return wall, cpu, int(report.get("imported", 0))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rev", default=LAST_WITH_FAST_PATH, help="sources with the fast path")
    args = parser.parse_args(argv)
    corpus = corpus_dir()
    if not corpus.is_dir():
        raise SystemExit(f"corpus not found at {corpus} (set BACKSTRIDE_TEST_DATA)")
    with tempfile.TemporaryDirectory(prefix="xmlfast-") as tmp:
        workdir = Path(tmp)
        shim = workdir / "shim"
        shim.mkdir()
        src = checkout_src(args.rev, workdir)
        (shim / "sitecustomize.py").write_text(REFERENCE_ONLY)
        fast: list[float] = []
        ref: list[float] = []
        cpu: dict[str, list[float]] = {"fast": [], "ref": []}
        counts: set[int] = set()
        for i in range(args.rounds):
            runs = [("fast", fast, None), ("ref", ref, shim)]
            for key, times, patch in runs if i % 2 == 0 else runs[::-1]:
                wall, cpu_s, imported = import_once(corpus, workdir, src=src, reference_only=patch)
                times.append(wall)
                cpu[key].append(cpu_s)
                counts.add(imported)
            print(f"round {i + 1}: with fast path {fast[-1]:.2f} s, reference only {ref[-1]:.2f} s")
    if len(counts) != 1:
        raise SystemExit(f"the two readers imported different counts: {sorted(counts)}")
    best_fast, best_ref = min(fast), min(ref)
    saving = (best_ref - best_fast) / best_ref
    print(f"corpus: {corpus} ({counts.pop()} activities imported)")
    print(
        f"import with the XML fast path:   {best_fast:.2f} s wall, "
        f"{min(cpu['fast']):.2f} s CPU (best of {args.rounds})"
    )
    print(
        f"import with the reference only:  {best_ref:.2f} s wall, "
        f"{min(cpu['ref']):.2f} s CPU (best of {args.rounds})"
    )
    print(f"saving: {saving:.1%} of the import's wall time (keep the fast path if >= 10%)")
    print("verdict:", "keep the fast path" if saving >= KEEP_IF_SAVES else "reference reader only")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
