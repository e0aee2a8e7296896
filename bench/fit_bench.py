"""FIT decoding speed: backstride against garmin-fit-sdk and fitdecode on the same files.

Run ``.venv/bin/python bench/fit_bench.py`` (add ``--repeat N`` or file paths to change the
defaults). Every corpus FIT file that both reference readers read without an error is
decoded by each reader, best of ``repeat`` runs per file, in this one process; gzip files
are unpacked beforehand and the unpacked size is counted.

backstride is timed twice: ``decode_fit`` (the decoder alone, what the references do) and
``parse_fit`` (decoding plus cleaning and building the activities). ``run(files)`` returns
the figures as a dict so ``bench/import_bench.py`` can reuse them.
"""

from __future__ import annotations

import argparse
import gzip
import io
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO))

import fitdecode  # noqa: E402
from garmin_fit_sdk import Decoder, Stream  # noqa: E402
from tests.corpus import corpus_files  # noqa: E402

from backstride.adapters.files.fit import decode_fit, parse_fit  # noqa: E402
from backstride.errors import NotAnActivityError  # noqa: E402


def load(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.lower().endswith(".gz") else data


def read_fitdecode(data: bytes) -> int:
    """Decode every frame with fitdecode; the number of record messages."""
    n = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with fitdecode.FitReader(io.BytesIO(data)) as reader:
            for frame in reader:
                if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "record":
                    n += 1
    return n


def read_sdk(data: bytes) -> int:
    """Decode with the Garmin FIT SDK; the number of record messages."""
    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read()
    if errors:
        raise RuntimeError(str(errors[0]))
    return len(messages.get("record_mesgs", []))


def read_backstride_decode(data: bytes) -> int:
    return len(decode_fit(data).records)


def read_backstride_parse(data: bytes) -> int:
    try:
        return sum(len(a.streams) for a in parse_fit(data))
    except NotAnActivityError:
        return 0


READERS: dict[str, Callable[[bytes], int]] = {
    "backstride decode_fit": read_backstride_decode,
    "backstride parse_fit": read_backstride_parse,
    "garmin-fit-sdk": read_sdk,
    "fitdecode": read_fitdecode,
}


def readable_by_references(files: Sequence[Path]) -> list[Path]:
    """The files that both reference readers decode without an error."""
    ok: list[Path] = []
    for path in files:
        data = load(path)
        if not data:
            continue
        try:
            read_sdk(data)
            read_fitdecode(data)
        except Exception:  # a reference failing is exactly what we filter on
            continue
        ok.append(path)
    return ok


def run(files: Sequence[Path], *, repeat: int = 3) -> dict[str, Any]:
    """Time every reader on ``files`` (best of ``repeat`` per file).

    Returns ``{"files": n, "bytes": total, "readers": {name: {"seconds", "mb_per_s",
    "records", "records_per_s"}}, "ratios": {...}}``.
    """
    blobs = [load(p) for p in files]
    total_bytes = sum(len(b) for b in blobs)
    seconds = dict.fromkeys(READERS, 0.0)
    records = dict.fromkeys(READERS, 0)
    # Readers take turns on each file, so a change in machine load hits them alike.
    for data in blobs:
        for name, reader in READERS.items():
            best = float("inf")
            for _ in range(repeat):
                t0 = time.perf_counter()
                n = reader(data)
                best = min(best, time.perf_counter() - t0)
            seconds[name] += best
            records[name] += n
    results = {
        name: {
            "seconds": seconds[name],
            "mb_per_s": total_bytes / seconds[name] / 1e6,
            "records": records[name],
            "records_per_s": records[name] / seconds[name],
        }
        for name in READERS
    }
    ours = results["backstride decode_fit"]["seconds"]
    ours_full = results["backstride parse_fit"]["seconds"]
    ratios = {
        "decode_fit vs garmin-fit-sdk": results["garmin-fit-sdk"]["seconds"] / ours,
        "decode_fit vs fitdecode": results["fitdecode"]["seconds"] / ours,
        "parse_fit vs garmin-fit-sdk": results["garmin-fit-sdk"]["seconds"] / ours_full,
        "parse_fit vs fitdecode": results["fitdecode"]["seconds"] / ours_full,
    }
    return {"files": len(blobs), "bytes": total_bytes, "readers": results, "ratios": ratios}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="FIT files (default: the corpus)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per file; the best counts")
    args = parser.parse_args(argv)
    candidates = args.files or corpus_files((".fit", ".fit.gz"))
    if not candidates:
        sys.exit("no FIT files: pass paths or set BACKSTRIDE_TEST_DATA")
    files = readable_by_references(candidates)
    report = run(files, repeat=args.repeat)
    out = sys.stdout
    out.write(
        f"{report['files']} FIT files both references read, "
        f"{report['bytes'] / 1e6:.1f} MB, best of {args.repeat} per file\n\n"
    )
    out.write(f"{'reader':24s} {'seconds':>9s} {'MB/s':>9s} {'records/s':>12s}\n")
    for name, r in report["readers"].items():
        out.write(
            f"{name:24s} {r['seconds']:9.3f} {r['mb_per_s']:9.1f} {r['records_per_s']:12,.0f}\n"
        )
    out.write("\n")
    for name, ratio in report["ratios"].items():
        out.write(f"{name:32s} {ratio:7.1f}x\n")


if __name__ == "__main__":
    main()
