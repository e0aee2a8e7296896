"""The report for a professional over one year: time to gather it, and to typeset the PDF with
Typst (the library backstride uses) and, when it is installed, with WeasyPrint (the runner-up;
docs/report.md compares them).

Run: ``.venv/bin/python bench/report_bench.py [--weasyprint-python PATH]``. The demo athlete is
generated for 52 weeks (her 16-week story plus 36 earlier weeks of cycling and swimming). With
``--weasyprint-python`` the same HTML document is typeset by WeasyPrint in that interpreter
(a separate virtual environment: WeasyPrint is not a backstride dependency).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from backstride.adapters.files.report_doc import render_report_html, render_report_pdf
from backstride.config import get_settings
from backstride.services.context import App
from backstride.services.demo_load import load_demo
from backstride.services.report import Period, build_report

END = date(2026, 3, 15)
RUNS = 3

WEASY = """
import sys, time
from weasyprint import HTML
html = open(sys.argv[1], encoding="utf-8").read()
times = []
for _ in range(int(sys.argv[3])):
    t = time.perf_counter()
    pdf = HTML(string=html).write_pdf()
    times.append(time.perf_counter() - t)
open(sys.argv[2], "wb").write(pdf)
print(" ".join(f"{x:.3f}" for x in times))
"""


def timed(fn, runs: int = RUNS):  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return result, statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--weasyprint-python", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=Path(tempfile.mkdtemp(prefix="bs-report-")))
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    app = App(get_settings(db=str(out / "year.sqlite3"), data_dir=str(out / "data")))
    try:
        load_demo(app, out / "files", seed=7, end_day=END, weeks=52)
        period = Period(END - timedelta(days=52 * 7 - 1), END)
        data, gather_s = timed(lambda: build_report(app, period=period).to_json())
    finally:
        app.close()
    html, html_s = timed(lambda: render_report_html(data))
    pdf, typst_s = timed(lambda: render_report_pdf(data))
    (out / "report.html").write_text(html, encoding="utf-8")
    (out / "report-typst.pdf").write_bytes(pdf)
    print(f"weeks in the report: {len(data['pain_and_load']['weeks'])}")
    print(f"gather the report (JSON): {gather_s * 1000:.0f} ms (median of {RUNS})")
    print(f"HTML document:            {html_s * 1000:.0f} ms, {len(html) / 1024:.0f} KiB")
    print(f"Typst PDF:                {typst_s * 1000:.0f} ms, {len(pdf) / 1024:.0f} KiB")
    if args.weasyprint_python is not None:
        result = subprocess.run(
            [str(args.weasyprint_python), "-c", WEASY, str(out / "report.html"),
             str(out / "report-weasyprint.pdf"), str(RUNS)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        times = [float(x) for x in result.stdout.split()]
        size = (out / "report-weasyprint.pdf").stat().st_size
        print(f"WeasyPrint PDF:           {statistics.median(times) * 1000:.0f} ms, "
              f"{size / 1024:.0f} KiB")  # fmt: skip
    print(f"files in {out}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
