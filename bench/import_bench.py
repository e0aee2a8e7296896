"""Import benchmark: decoders vs reference readers, the real corpus, and a 3,000-activity archive.

Run: ``.venv/bin/python bench/import_bench.py [--activities 3000] [--skip-decode]``

1. Decoding, best of 3 on the corpus files every reference reads: backstride's FIT decoder vs
   garmin-fit-sdk and fitdecode; GPX vs gpxpy; TCX vs tcxreader (``bench/fit_bench.py``,
   ``bench/xml_bench.py``), with ratios measured in the same run.
2. Importing the whole real corpus through ``backstride import`` into a fresh database:
   files/s, MB/s, samples/s, peak memory.
3. A generated Strava-style archive (``activities.csv`` + gzipped FIT/GPX/TCX) of 10 years of
   activities: wall time for the import (all cores), peak memory, database size; then the same
   archive again (all duplicates).

Peak memory is the largest resident set of any one process (the importer or one worker),
read with ``getrusage`` on a child process that runs the real console script.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
ROOT = HERE.parent
BIN = Path(sys.executable).with_name("backstride")
OUT = HERE / "out"

from backstride.adapters.files.archive import (  # noqa: E402
    STRAVA_CSV_NAME,
    StravaRow,
    encode_activities_csv,
)
from backstride.adapters.files.fit.writer import encode_fit_activity  # noqa: E402
from backstride.adapters.files.gpx.writer import encode_gpx_activity  # noqa: E402
from backstride.adapters.files.tcx.writer import encode_tcx_activity  # noqa: E402

TARGETS = {"archive_s": 45.0, "reimport_s": 10.0, "peak_mb": 400.0}


def corpus_dir() -> Path:
    env = os.environ.get("BACKSTRIDE_TEST_DATA")
    return (Path(env) if env else ROOT.parent / "shared" / "data") / "activities"


def activity_files(root: Path) -> list[Path]:
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and p.name.lower().endswith((".fit", ".gpx", ".tcx", ".fit.gz"))
    )


def run_import(db: Path, paths: list[Path], *extra: str) -> dict[str, Any]:
    """Run the real console script in a child; returns wall time, peak RSS, JSON report."""
    env = {**os.environ, "BACKSTRIDE_DB": str(db)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    proc = subprocess.run(
        [str(BIN), "import", "--json", *extra, *map(str, paths)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    wall = time.perf_counter() - t0
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if proc.returncode not in (0, 1):
        raise SystemExit(f"import crashed ({proc.returncode}): {proc.stderr[-2000:]}")
    report = json.loads(proc.stdout)
    return {"wall_s": wall, "peak_mb": max(peak_kb, before) / 1024, "report": report}


def db_samples(db: Path) -> int:
    con = sqlite3.connect(db)
    try:
        return int(con.execute("select coalesce(sum(n_samples), 0) from streams").fetchone()[0])
    finally:
        con.close()


# --- the generated archive ------------------------------------------------------------------


def _track(rng: np.random.Generator, minutes: float, step_s: float) -> dict[str, np.ndarray]:
    n = int(minutes * 60 / step_s)
    speed = 2.6 + 0.4 * rng.random()
    heading = rng.random() * 2 * np.pi + np.cumsum(rng.normal(0, 0.02, n))
    dist = speed * step_s
    dlat = np.cos(heading) * dist / 111_195.0
    lat0 = 47.0 + rng.random()
    dlon = np.sin(heading) * dist / (111_195.0 * np.cos(np.radians(lat0)))
    return {
        "lat_deg": lat0 + np.cumsum(dlat),
        "lon_deg": 8.0 + rng.random() + np.cumsum(dlon),
        "altitude_m": 420 + np.cumsum(rng.normal(0, 0.25, n)),
        "hr_bpm": np.clip(120 + np.cumsum(rng.normal(0, 0.6, n)), 90, 185).round(),
        "cadence_rpm": np.clip(84 + rng.normal(0, 2, n), 60, 100).round(),
        "step_s": np.full(1, step_s),
        "n": np.full(1, n),
    }


def build_archive(path: Path, *, count: int, seed: int = 11) -> dict[str, Any]:
    """A Strava-style zip: activities.csv + gzipped FIT/GPX/TCX, one activity every ~29 h."""
    rng = np.random.default_rng(seed)
    start = datetime(2016, 1, 4, 6, 0, tzinfo=UTC)
    span_h = 10 * 365.25 * 24
    unpacked = 0
    rows: list[StravaRow] = []
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
        for i in range(count):
            begin = start + timedelta(hours=span_h * i / count + rng.random() * 3)
            fmt = ("fit", "gpx", "tcx")[i % 3]
            minutes = 15 + 30 * rng.random()  # ~600 MB unpacked for 3,000 (issue #8)
            step = 1.0 if fmt == "fit" else 2.0
            tr = _track(rng, minutes, step)
            n = int(tr["n"][0])
            epoch = begin.timestamp() + np.arange(n) * step
            cols = {k: tr[k] for k in ("lat_deg", "lon_deg", "altitude_m", "hr_bpm", "cadence_rpm")}
            if fmt == "fit":
                data = encode_fit_activity(
                    start_at=begin, sport="running", sub_sport=None, epoch_s=epoch, **cols
                )
            elif fmt == "gpx":
                data = encode_gpx_activity(
                    start_at=begin, name=f"Run {i}", activity_type="running", epoch_s=epoch, **cols
                )
            else:
                data = encode_tcx_activity(sport="running", epoch_s=epoch, **cols)
            unpacked += len(data)
            name = f"activities/{1000000 + i}.{fmt}.gz"
            zf.writestr(name, gzip.compress(data, compresslevel=6))
            rows.append(
                StravaRow(
                    activity_id=1000000 + i,
                    start_at=begin,
                    name=f"Run {i}",
                    sport_label="Run",
                    description="",
                    elapsed_s=int(n * step),
                    distance_m=None,
                    gear="Daily trainer" if i % 2 else None,
                    filename=name,
                )
            )
        zf.writestr(STRAVA_CSV_NAME, encode_activities_csv(rows))
    return {"activities": count, "unpacked_mb": unpacked / 1e6, "zip_mb": path.stat().st_size / 1e6}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="backstride import benchmark")
    ap.add_argument("--activities", type=int, default=3000)
    ap.add_argument("--skip-decode", action="store_true", help="skip the decoder comparison")
    args = ap.parse_args(argv)
    out = sys.stdout
    corpus = corpus_dir()
    if not corpus.is_dir():
        raise SystemExit(f"corpus not found at {corpus} (set BACKSTRIDE_TEST_DATA)")
    files = activity_files(corpus)

    if not args.skip_decode:
        import fit_bench
        import xml_bench

        out.write("== 1. Decoding (best of 3, one process)\n")
        fit = fit_bench.run([p for p in files if ".fit" in p.name.lower()])
        out.write(f"FIT: {fit['files']} files every reference reads, {fit['bytes'] / 1e6:.1f} MB\n")
        for name, r in fit["readers"].items():
            out.write(
                f"  {name:24s} {r['mb_per_s']:8.1f} MB/s {r['records_per_s']:12,.0f} records/s\n"
            )
        for name, ratio in fit["ratios"].items():
            out.write(f"  {name:32s} {ratio:7.1f}x\n")
        out.write(xml_bench.report(xml_bench.run()) + "\n\n")

    with tempfile.TemporaryDirectory() as tmp:
        tmpd = Path(tmp)
        out.write("== 2. Importing the real corpus (backstride import, all cores)\n")
        size = sum(p.stat().st_size for p in files)
        r = run_import(tmpd / "corpus.sqlite3", [corpus])
        rep = r["report"]
        samples = db_samples(tmpd / "corpus.sqlite3")
        out.write(
            f"  {len(files)} files, {size / 1e6:.1f} MB: {rep['imported']} imported, "
            f"{rep['duplicate']} duplicate, {rep['skipped']} skipped, {rep['failed']} failed\n"
            f"  {r['wall_s']:.2f} s wall: {len(files) / r['wall_s']:.1f} files/s, "
            f"{size / 1e6 / r['wall_s']:.1f} MB/s, {samples / r['wall_s']:,.0f} samples/s; "
            f"peak memory {r['peak_mb']:.0f} MB\n\n"
        )

        out.write(f"== 3. Generated archive of {args.activities} gzipped activities (10 years)\n")
        OUT.mkdir(exist_ok=True)
        archive = OUT / f"strava-export-{args.activities}.zip"
        meta_path = archive.with_suffix(".json")
        if not archive.exists() or not meta_path.exists():
            t0 = time.perf_counter()
            meta = build_archive(archive, count=args.activities)
            meta_path.write_text(json.dumps(meta))
            out.write(f"  built in {time.perf_counter() - t0:.1f} s (cached in bench/out/)\n")
        meta = json.loads(meta_path.read_text())
        out.write(
            f"  {meta['activities']} activities (FIT/GPX/TCX), {meta['unpacked_mb']:.0f} MB "
            f"unpacked, {meta['zip_mb']:.0f} MB zipped\n"
        )
        db = tmpd / "archive.sqlite3"
        first = run_import(db, [archive])
        rep = first["report"]
        samples = db_samples(db)
        db_mb = sum(p.stat().st_size for p in tmpd.glob("archive.sqlite3*")) / 1e6
        out.write(
            f"  import: {first['wall_s']:.1f} s wall (target < {TARGETS['archive_s']:.0f} s), "
            f"{rep['imported']} imported, {rep['failed']} failed; "
            f"{meta['unpacked_mb'] / first['wall_s']:.1f} MB/s, "
            f"{samples / first['wall_s']:,.0f} samples/s; peak memory {first['peak_mb']:.0f} MB "
            f"(target < {TARGETS['peak_mb']:.0f} MB); database {db_mb:.0f} MB\n"
        )
        again = run_import(db, [archive])
        rep = again["report"]
        out.write(
            f"  re-import: {again['wall_s']:.1f} s wall (target < {TARGETS['reimport_s']:.0f} s), "
            f"{rep['duplicate']} duplicate, {rep['imported']} imported\n"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
