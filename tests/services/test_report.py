"""The report for a professional on the demo athlete: its data, a valid PDF read back with a real
PDF text tool (poppler's pdftotext), pictures of its pages, and the HTML."""

from __future__ import annotations

import html as html_lib
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from backstride.adapters.files.report_doc import render_report_html, render_report_pdf
from backstride.config import Settings
from backstride.domain.pain import RED_FLAGS, RedFlag
from backstride.domain.units import format_distance, format_elevation, to_distance
from backstride.errors import InvalidInputError
from backstride.services.context import App
from backstride.services.demo_load import DemoLoaded
from backstride.services.diary import PainInput, add_pain, record_seen
from backstride.services.report import Period, build_report, default_period, set_questions
from backstride.web.app import create_app
from tests.conftest import CliResult
from tests.web.conftest import make_settings

END = date(2026, 3, 15)
START = date(2025, 11, 24)
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
QUESTIONS = "Is it safe to run downhill again?\nShould I see a physiotherapist about the tingling?"


def poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        msg = f"{tool} not installed (make test installs Debian's poppler-utils)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(msg)
        pytest.skip(msg)
    return path


@pytest.fixture(scope="module")
def demo(demo_settings: tuple[Settings, DemoLoaded]) -> Iterator[tuple[App, DemoLoaded]]:
    """The demo athlete, plus a red flag in week 14 that was seen three days later, and
    another in week 16 not yet seen."""
    settings, loaded = demo_settings
    app = App(settings)
    add_pain(
        app,
        PainInput(
            day=date(2026, 2, 26),
            when="rest-day",
            score=3,
            red_flags=("night-pain",),
            notes="Woke at night with back pain, twice.",
        ),
        today=END,
    )
    record_seen(app, flag="night-pain", on=date(2026, 3, 1), today=END, by="Dr. Marti")
    add_pain(
        app,
        PainInput(day=date(2026, 3, 12), when="rest-day", score=2, red_flags=("fever",)),
        today=END,
    )
    set_questions(app, QUESTIONS)
    yield app, loaded
    app.close()


@pytest.fixture(scope="module")
def data(demo: tuple[App, DemoLoaded]) -> dict[str, Any]:
    return build_report(demo[0], period=Period(START, END)).to_json()


def test_report_lists_who_red_flags_and_when_they_were_seen(data: dict[str, Any]) -> None:
    who = data["who"]
    assert who["age"] == 58 and who["conditions"] == ["lumbar spinal stenosis"]
    assert who["clearances"][0]["by"] == "Dr. Helen Marti (general practitioner)"
    assert who["screening"]["answered_on"] == "2025-11-24" and len(who["screening"]["yes"]) == 1
    flags = {f["flag"]: f for f in data["red_flags"]}
    assert flags["night-pain"]["reported_on"] == "2026-02-26"
    assert (flags["night-pain"]["seen_on"], flags["night-pain"]["seen_by"]) == (
        "2026-03-01",
        "Dr. Marti",
    )
    assert flags["fever"]["seen_on"] is None
    assert data["questions"] == QUESTIONS


def test_report_weeks_mark_the_spike_and_the_long_descent(
    data: dict[str, Any], demo: tuple[App, DemoLoaded]
) -> None:
    story = demo[1].story
    weeks = data["pain_and_load"]["weeks"]
    assert len(weeks) == 16 and weeks[0]["start"] == "2025-11-24"
    spikes = {d for w in weeks for d in w["spike_days"]}
    descents = {d for w in weeks for d in w["descent_days"]}
    assert story.spike_run_date.isoformat() in spikes
    assert story.downhill_run_date.isoformat() in descents
    # The week after the downhill run holds the 6/10 next morning.
    worst_morning = max(w["pain_high"][3] or 0 for w in weeks)
    assert worst_morning == 6
    total = sum(w["run_km"] for w in weeks)
    assert total == pytest.approx(data["pain_and_load"]["totals"]["run_km"], abs=0.2)


def test_report_findings_come_from_the_day_decision_service(data: dict[str, Any]) -> None:
    g = data["guidance"]
    assert g["checked_on"][-1] == "2026-03-15" and len(g["checked_on"]) == 16
    ids = [f["id"] for f in g["findings"]]
    assert len(ids) == len(set(ids))
    for f in g["findings"]:
        assert f["source"] and "EVIDENCE.md" not in f["source"] and "DESIGN.md" not in f["source"]
        assert f["first_on"] <= f["last_on"]


def test_report_outcome_measures_show_change_against_the_minimal_important_change(
    data: dict[str, Any],
) -> None:
    changes = {c["instrument"]: c for c in data["measures"]["changes"]}
    peg = changes["peg"]
    assert (peg["first"]["score"], peg["last"]["score"]) == (2.33, 1.0)
    assert peg["verdict"] == "better" and "Reed 2024" in peg["source"]
    assert changes["walk"]["count"] == 1 and changes["walk"]["first"]["score"] == 12.0
    assert data["plan"]["goal"] == "5k" and data["plan"]["variant"] == "stenosis"
    assert {s["name"] for s in data["shoes"]} == {"Daily trainer", "Trail shoe"}
    tests = {t["test"]: t for t in data["selftests"]["tests"]}
    assert tests["trunk-flexor-hold"]["previous"] is not None


def test_report_pdf_holds_red_flags_pain_entries_and_the_period(data: dict[str, Any]) -> None:
    pdftotext, pdftoppm = poppler("pdftotext"), poppler("pdftoppm")
    pdf = render_report_pdf(data)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / "report.pdf"
    target.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True, check=True)
    pages = int(next(x for x in info.stdout.splitlines() if x.startswith("Pages:")).split()[1])
    assert 1 <= pages <= 2
    text = subprocess.run(
        [pdftotext, str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert "24 Nov 2025" in flat and "15 Mar 2026" in flat
    assert "Red flags" in flat and "Seen by a professional" in flat
    assert RED_FLAGS[RedFlag.NIGHT_PAIN].plain.split(",")[0][:24] in flat
    assert "Dr. Marti" in flat and "not yet" in flat
    assert "fever" in flat.lower()
    # Pain entries: the worst next morning after the downhill, with her own words.
    assert "next morning" in flat and "6/10" in flat
    assert "Tingling down the left leg" in flat
    assert "Is it safe to run downhill again?" in flat
    assert "Dr. Helen Marti" in flat and "lumbar spinal stenosis" in flat
    for old in ARTIFACTS.glob("report-page-*.png"):
        old.unlink()
    subprocess.run(
        [pdftoppm, "-r", "80", "-png", str(target), str(ARTIFACTS / "report-page")], check=True
    )
    assert len(list(ARTIFACTS.glob("report-page-*.png"))) == pages


def test_report_html_is_one_self_contained_document(data: dict[str, Any]) -> None:
    html = render_report_html(data)
    assert html.startswith("<!doctype html>") and "<svg" in html and "<style>" in html
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert "Dr. Marti" in html and "&lt;" not in QUESTIONS and "downhill again?" in html


def test_report_questions_and_markup_are_text_never_markup(demo: tuple[App, DemoLoaded]) -> None:
    app = demo[0]
    set_questions(app, "<script>alert(1)</script> #strong[x] *bold*")
    try:
        data = build_report(app, period=Period(date(2026, 3, 9), END)).to_json()
        html = render_report_html(data)
        assert "<script>alert" not in html and "&lt;script&gt;" in html
        pdf = render_report_pdf(data)  # Typst gets the text as data, not as markup
        assert pdf.startswith(b"%PDF-")
    finally:
        set_questions(app, QUESTIONS)
    with pytest.raises(InvalidInputError, match="2,000 characters"):
        set_questions(app, "x" * 2001)


def test_default_period_is_twelve_weeks_and_never_after_today() -> None:
    p = default_period(today_on=END, since=None, until=None)
    assert (p.start, p.end) == (date(2025, 12, 22), END) and p.start.weekday() == 0
    with pytest.raises(InvalidInputError, match="after today"):
        default_period(today_on=END, since=None, until=date(2026, 3, 16))


def test_report_command_writes_pdf_html_and_json(
    demo: tuple[App, DemoLoaded], tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    db = demo[0].settings.db
    assert db is not None
    args = ("report", "--from", "2026-02-02", "--to", END.isoformat())
    out = cli(*args, "--json", db=db)
    assert out.exit_code == 0, out.stderr
    assert out.json()["period"] == {"from": "2026-02-02", "to": "2026-03-15", "days": 42}
    html = cli(*args, "--html", str(tmp_path / "r.html"), db=db)
    assert html.exit_code == 0 and (tmp_path / "r.html").read_text().startswith("<!doctype")
    both = cli(*args, "--html", "a.html", "--pdf", "a.pdf", db=db)
    assert both.exit_code == 2 and "either --pdf or --html" in both.stderr
    bad = cli("report", "--from", "2026-03-15", "--to", "2026-03-01", db=db)
    assert bad.exit_code == 1 and "before it starts" in bad.stderr


# --- the report in the runner's units (issue 14, point 4) ---------------------------------------

KM_SHOWN = re.compile(r"\bkm\b")
SOURCE_NOTE = "(the 500-800 km band is a rule of thumb)"  # a source's own note keeps its km


def _text(markup: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def _miles_shown(data: dict[str, Any]) -> list[str]:
    """The figures a report in miles must show: the period's distance, each pair of shoes'
    distance and limit, the descent threshold in feet."""
    totals = data["pain_and_load"]["totals"]
    out = [f"{totals['runs']} runs, {format_distance(totals['run_km'] * 1000, 'mi', 1)},"]
    for s in data["shoes"]:
        limit = to_distance(s["retire_km"] * 1000, "mi")
        out.append(
            f"{s['name']}: {format_distance(s['distance_km'] * 1000, 'mi', 0)} of {limit:.0f}"
        )
    out.append(format_elevation(80, "mi"))
    return out


@pytest.fixture(scope="module")
def data_mi(demo: tuple[App, DemoLoaded]) -> dict[str, Any]:
    return build_report(demo[0], period=Period(START, END), units="mi").to_json()


def test_report_data_in_miles_keeps_its_km_figures(
    data: dict[str, Any], data_mi: dict[str, Any]
) -> None:
    assert (data["units"], data_mi["units"]) == ("km", "mi")
    pl, pl_mi = data["pain_and_load"], data_mi["pain_and_load"]
    assert pl_mi["weeks"] == pl["weeks"] and pl_mi["totals"] == pl["totals"]
    assert [(s["distance_km"], s["retire_km"]) for s in data_mi["shoes"]] == [
        (s["distance_km"], s["retire_km"]) for s in data["shoes"]
    ]
    assert "80 m or more" in pl["marks"]["descent"]
    assert "262 ft or more" in pl_mi["marks"]["descent"]


def test_report_html_and_pdf_in_miles_show_no_km(data_mi: dict[str, Any]) -> None:
    pdftotext = poppler("pdftotext")
    page = _text(render_report_html(data_mi))
    target = ARTIFACTS / "report-mi.pdf"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target.write_bytes(render_report_pdf(data_mi))
    pdf = " ".join(
        subprocess.run(
            [pdftotext, str(target), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    for shown in (page, pdf):
        assert not KM_SHOWN.search(shown.replace(SOURCE_NOTE, "")), shown
        assert "running, mi per week" in shown and "mi run" in shown
        for figure in _miles_shown(data_mi):
            assert figure in shown, figure
    km_page = _text(render_report_html({**data_mi, "units": "km"}))
    assert "running, km per week" in km_page and "mi per week" not in km_page


@pytest.mark.slow
def test_report_command_and_page_in_miles(
    demo: tuple[App, DemoLoaded], cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    db = demo[0].settings.db
    assert db is not None
    args = ("report", "--from", START.isoformat(), "--to", END.isoformat())
    km = cli(*args, "--json", db=db).json()
    mi = cli("--units", "mi", *args, "--json", db=db).json()
    assert (km["units"], mi["units"]) == ("km", "mi")
    assert mi["pain_and_load"]["totals"] == km["pain_and_load"]["totals"]  # km stays km
    summary = cli("--units", "mi", *args, db=db)
    assert summary.exit_code == 0, summary.stderr
    assert not KM_SHOWN.search(summary.stdout)
    assert _miles_shown(mi)[0] in " ".join(summary.stdout.split())
    in_km = " ".join(cli(*args, db=db).stdout.split())
    assert f"{km['pain_and_load']['totals']['run_km']} km," in in_km
    settings = make_settings(tmp_path, db=db, units="mi")
    with TestClient(create_app(settings, allowed_hosts=["testserver"])) as client:
        page = client.get(f"/report?since={START.isoformat()}&until={END.isoformat()}")
    assert page.status_code == 200
    shown = _text(page.text)
    assert not KM_SHOWN.search(shown.replace(SOURCE_NOTE, "")), shown
    for figure in _miles_shown(mi):
        assert figure in shown, figure
