"""Today's words in miles on the demo database (issue 14, point 4): ``backstride today``, the
Today page and the report write every distance in miles when the runner chose miles, with
the converted numbers; the decision, the findings and the JSON's numbers stay the same.

Only a source's own note may keep its kilometres (Cook 1985: "the 500-800 km band is a rule
of thumb" describes the source, not the runner).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from backstride.config import Settings
from backstride.domain.day import Day
from backstride.services.context import App
from backstride.services.demo_load import DemoLoaded
from backstride.services.guidance import today
from backstride.web.app import create_app
from tests.conftest import CliResult
from tests.web.conftest import make_settings

KM_TEXT = re.compile(r"\d km\b")
SOURCE_NOTE = "band is a rule of thumb"


@dataclass(frozen=True)
class Demo:
    root: Path
    db: str
    on: date  # a day whose answer limits the run's distance
    km: Day
    mi: Day


@pytest.fixture(scope="module")
def demo(demo_settings: tuple[Settings, DemoLoaded]) -> Iterator[Demo]:
    settings, loaded = demo_settings
    root, db = settings.data_dir.parent, settings.database_url
    app = App(settings)
    try:
        for k in range(1, 15):
            on = loaded.story.spike_run_date + timedelta(days=k)
            km = today(app, on=on)
            if km.decision == "run_easy" and km.caps is not None and km.caps.cap_m:
                break
        else:
            pytest.fail("no capped easy-run day after the demo's spike")
        yield Demo(root, db, on, km, today(app, on=on, units="mi"))
    finally:
        app.close()


def _km_outside_sources(text: str) -> list[str]:
    return [
        text[max(0, m.start() - 60) : m.end() + 30]
        for m in KM_TEXT.finditer(text)
        if SOURCE_NOTE not in text[m.start() : m.end() + 40]
    ]


def _miles(metres: float) -> str:
    return f"{round(metres / 1609.344, 1):g} mi"


def test_the_service_writes_the_same_decision_in_miles(demo: Demo) -> None:
    km, mi = demo.km, demo.mi
    assert mi.decision == km.decision and mi.units == "mi" and km.units == "km"
    assert [f.id for f in mi.findings] == [f.id for f in km.findings]
    assert len(mi.reasons) == len(km.reasons)
    assert [f.evidence for f in mi.findings] == [f.evidence for f in km.findings]
    assert mi.to_json()["caps"]["cap_km"] == km.to_json()["caps"]["cap_km"]  # JSON: still km
    words = [mi.headline, mi.summary, *mi.reasons, *mi.advice.details, mi.advice.summary]
    words += [t for f in mi.findings for t in (f.title, f.reason, f.action)]
    assert not [t for t in words if KM_TEXT.search(t)]
    assert km.caps is not None and km.caps.cap_m is not None
    assert f"no longer than {_miles(km.caps.cap_m)}" in mi.advice.summary
    assert f"no longer than {km.caps.cap_km:g} km" in km.advice.summary


def test_backstride_today_in_miles(demo: Demo, cli: Callable[..., CliResult]) -> None:
    on = demo.on.isoformat()
    miles = cli("--units", "mi", "today", "--on", on, db=demo.db)
    assert miles.exit_code == 0, miles.stderr
    text = " ".join(miles.stdout.split())
    assert not _km_outside_sources(text), _km_outside_sources(text)
    assert demo.km.caps is not None and demo.km.caps.cap_m is not None
    assert f"no longer than {_miles(demo.km.caps.cap_m)}" in text
    kilometres = " ".join(cli("today", "--on", on, db=demo.db).stdout.split())
    assert f"no longer than {demo.km.caps.cap_km:g} km" in kilometres
    as_json = cli("--units", "mi", "today", "--on", on, "--json", db=demo.db).json()
    assert as_json["decision"] == demo.km.decision
    assert as_json["caps"]["cap_km"] == demo.km.caps.cap_km  # numbers stay kilometres


def test_the_today_page_in_miles(demo: Demo) -> None:
    settings = make_settings(demo.root / "web-mi", db=demo.db, units="mi")
    with TestClient(create_app(settings, allowed_hosts=["testserver"])) as client:
        page = client.get(f"/today?on={demo.on.isoformat()}")
    assert page.status_code == 200
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page.text)).split())
    assert not _km_outside_sources(text), _km_outside_sources(text)
    assert demo.km.caps is not None and demo.km.caps.cap_m is not None
    assert f"At most {_miles(demo.km.caps.cap_m)}" in text
    for f in demo.mi.findings:
        assert " ".join(html.unescape(f.title).split()) in text
    api = TestClient(create_app(settings, allowed_hosts=["testserver"]))
    data = api.get(f"/api/today?on={demo.on.isoformat()}").json()
    assert data["decision"] == demo.km.decision
    assert data["caps"]["cap_km"] == demo.km.caps.cap_km  # the API's numbers stay SI / km
    assert data["summary"] == demo.mi.summary  # its words follow the runner's units
    schema = api.get("/openapi.json").json()["components"]["schemas"]["FindingOut"]
    titles = schema["properties"]["title"]["examples"]
    assert "A much longer run than your body is used to" in titles  # from the registry


def test_the_report_in_miles(demo: Demo, cli: Callable[..., CliResult]) -> None:
    on = demo.on.isoformat()
    report = cli("--units", "mi", "report", "--to", on, "--json", db=demo.db)
    assert report.exit_code == 0, report.stderr
    findings = report.json()["guidance"]["findings"]
    assert findings
    words = [t for f in findings for t in (f["title"], f["reason"], f["action"])]
    assert not [t for t in words if KM_TEXT.search(t)]
    assert any(re.search(r"\d mi\b", t) for t in words)
    in_km = cli("report", "--to", on, "--json", db=demo.db).json()["guidance"]["findings"]
    assert [f["id"] for f in in_km] == [f["id"] for f in findings]
    page = demo.root / "report-mi.html"
    written = cli("--units", "mi", "report", "--to", on, "--html", str(page), db=demo.db)
    assert written.exit_code == 0, written.stderr
    shown = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page.read_text("utf-8"))).split())
    for f in findings:
        assert " ".join(f["title"].split()) in shown
