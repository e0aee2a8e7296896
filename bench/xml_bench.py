"""Benchmark the GPX and TCX readers against gpxpy and tcxreader on the real corpus.

Run: ``.venv/bin/python bench/xml_bench.py`` (``BACKSTRIDE_TEST_DATA`` points elsewhere).

Every corpus ``.gpx`` file is decoded by :func:`backstride.adapters.files.gpx.parse_gpx` and
by gpxpy, every ``.tcx`` file by :func:`backstride.adapters.files.tcx.parse_tcx` and by
tcxreader, in the same run, from bytes already in memory (tcxreader takes a path; the files
are in the page cache). Each timing is the process's CPU time (user + system), best of 3
rounds, the two readers alternating: on a shared machine wall time mostly measures the
neighbours. Throughput is corpus megabytes (10^6 bytes) and decoded points per CPU second; a
file a reader rejects still counts its bytes and time.

Targets (issue: streaming GPX/TCX parsers): GPX >= 40 MB/s and TCX >= 50 MB/s, set when
gpxpy ran at ~7 MB/s and tcxreader at ~21 MB/s on the reference machine; on a slower or busy
machine compare the ratios.

:func:`run` returns the figures as a dict, for ``bench/import_bench.py``.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gpxpy
from tcxreader.tcxreader import TCXReader

from backstride.adapters.files.gpx import parse_gpx
from backstride.adapters.files.tcx import parse_tcx
from backstride.errors import BackstrideError

ROUNDS = 3
TARGET_MB_S = {"gpx": 40.0, "tcx": 50.0}
REPO_ROOT = Path(__file__).resolve().parents[1]


def corpus_dir() -> Path:
    env = os.environ.get("BACKSTRIDE_TEST_DATA")
    return (Path(env) if env else REPO_ROOT.parent / "shared" / "data") / "activities"


def corpus_files(suffix: str) -> list[Path]:
    root = corpus_dir()
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and p.name.lower().endswith(suffix))


Decoder = Callable[[Path, bytes], int]


def backstride_gpx(_path: Path, data: bytes) -> int:
    try:
        return sum(len(a.streams) for a in parse_gpx(data))
    except BackstrideError:
        return 0


def backstride_tcx(_path: Path, data: bytes) -> int:
    try:
        return sum(len(a.streams) for a in parse_tcx(data))
    except BackstrideError:
        return 0


def gpxpy_gpx(_path: Path, data: bytes) -> int:
    try:
        gpx = gpxpy.parse(data)
    except Exception:  # noqa: BLE001 - a reference reader's failure is just zero points
        return 0
    return sum(len(seg.points) for track in gpx.tracks for seg in track.segments)


def tcxreader_tcx(path: Path, _data: bytes) -> int:
    try:
        return len(TCXReader().read(str(path), only_gps=False).trackpoints)
    except Exception:  # noqa: BLE001
        return 0


def _one_round(decode: Decoder, files: list[tuple[Path, bytes]]) -> tuple[float, int]:
    start = time.process_time()
    points = sum(decode(path, data) for path, data in files)
    return time.process_time() - start, points


def _figures(seconds: float, points: int, n_bytes: int) -> dict[str, float]:
    return {
        "seconds": seconds,
        "points": float(points),
        "mb_s": n_bytes / seconds / 1e6,
        "points_s": points / seconds,
    }


def compare(
    files: list[Path], ours: Decoder, theirs: Decoder, *, rounds: int = ROUNDS
) -> dict[str, Any]:
    """Best-of-``rounds`` figures for two decoders over the same files, alternating."""
    loaded = [(p, p.read_bytes()) for p in files]
    n_bytes = sum(len(d) for _, d in loaded)
    best = {"ours": (float("inf"), 0), "theirs": (float("inf"), 0)}
    for _ in range(rounds):
        for key, decode in (("ours", ours), ("theirs", theirs)):
            seconds, points = _one_round(decode, loaded)
            if seconds < best[key][0]:
                best[key] = (seconds, points)
    us = _figures(*best["ours"], n_bytes)
    them = _figures(*best["theirs"], n_bytes)
    return {
        "files": len(loaded),
        "bytes": n_bytes,
        "backstride": us,
        "reference": them,
        "speedup": us["mb_s"] / them["mb_s"],
    }


def run(rounds: int = ROUNDS) -> dict[str, Any]:
    """Figures for GPX (vs gpxpy) and TCX (vs tcxreader); empty dicts without a corpus."""
    out: dict[str, Any] = {}
    gpx = corpus_files(".gpx")
    if gpx:
        out["gpx"] = {
            **compare(gpx, backstride_gpx, gpxpy_gpx, rounds=rounds),
            "reference_name": "gpxpy",
            "target_mb_s": TARGET_MB_S["gpx"],
        }
    tcx = corpus_files(".tcx")
    if tcx:
        out["tcx"] = {
            **compare(tcx, backstride_tcx, tcxreader_tcx, rounds=rounds),
            "reference_name": "tcxreader",
            "target_mb_s": TARGET_MB_S["tcx"],
        }
    return out


def report(results: dict[str, Any]) -> str:
    lines = []
    for fmt, r in results.items():
        us, them = r["backstride"], r["reference"]
        verdict = "meets target" if us["mb_s"] >= r["target_mb_s"] else "below target"
        lines += [
            f"{fmt.upper()}: {r['files']} files, {r['bytes'] / 1e6:.1f} MB"
            f" (CPU time, best of {ROUNDS})",
            f"  backstride   {us['mb_s']:6.1f} MB/s  {us['points_s']:9,.0f} points/s"
            f"  ({us['points']:,.0f} points)  target {r['target_mb_s']:.0f} MB/s: {verdict}",
            f"  {r['reference_name']:<12} {them['mb_s']:6.1f} MB/s"
            f"  {them['points_s']:9,.0f} points/s  ({them['points']:,.0f} points)",
            f"  ratio        {r['speedup']:6.1f}x",
        ]
    return "\n".join(lines) if lines else f"No GPX/TCX corpus at {corpus_dir()}."


def main() -> int:
    sys.stdout.write(report(run()) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
