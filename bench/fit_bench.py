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
from backstride.errors import BackstrideError  # noqa: E402


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
    except BackstrideError:  # not an activity, or no usable samples: decoded all the same
        return 0


# References first: a file one of them cannot read is left out for every reader.
READERS: dict[str, Callable[[bytes], int]] = {
    "garmin-fit-sdk": read_sdk,
    "fitdecode": read_fitdecode,
    "backstride decode_fit": read_backstride_decode,
    "backstride parse_fit": read_backstride_parse,
}
REFERENCES = ("garmin-fit-sdk", "fitdecode")


def _best(reader: Callable[[bytes], int], data: bytes, repeat: int) -> tuple[float, int]:
    best = float("inf")
    n = 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        n = reader(data)
        best = min(best, time.perf_counter() - t0)
    return best, n


def run(files: Sequence[Path], *, repeat: int = 3) -> dict[str, Any]:
    """Time every reader on the ``files`` both references read (best of ``repeat``).

    Readers take turns on each file, so a change in machine load hits them alike.
    Returns ``{"files": n, "bytes": total, "skipped": [names], "readers": {name:
    {"seconds", "mb_per_s", "records", "records_per_s"}}, "ratios": {...}}``.
    """
    seconds = dict.fromkeys(READERS, 0.0)
    records = dict.fromkeys(READERS, 0)
    total_bytes = 0
    used = 0
    skipped: list[str] = []
    for path in files:
        data = load(path)
        if not data:
            skipped.append(path.name)
            continue
        timings: dict[str, tuple[float, int]] = {}
        try:
            for name in REFERENCES:
                timings[name] = _best(READERS[name], data, repeat)
        except Exception:  # a reference failing on the file is what excludes it
            skipped.append(path.name)
            continue
        for name, reader in READERS.items():
            if name not in timings:
                timings[name] = _best(reader, data, repeat)
        for name, (best, n) in timings.items():
            seconds[name] += best
            records[name] += n
        total_bytes += len(data)
        used += 1
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
    return {
        "files": used,
        "bytes": total_bytes,
        "skipped": skipped,
        "readers": results,
        "ratios": ratios,
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="FIT files (default: the corpus)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per file; the best counts")
    args = parser.parse_args(argv)
    candidates = args.files or corpus_files((".fit", ".fit.gz"))
    if not candidates:
        sys.exit("no FIT files: pass paths or set BACKSTRIDE_TEST_DATA")
    report = run(candidates, repeat=args.repeat)
    out = sys.stdout
    out.write(
        f"{report['files']} FIT files both references read ({len(report['skipped'])} left "
        f"out), {report['bytes'] / 1e6:.1f} MB, best of {args.repeat} per file\n\n"
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
