"""The activity page does what ``activity edit`` and ``route from-activity`` do: that day's
pain, the shoes shown and changeable, descents against their threshold, one surface, and the
confirmation beside the form saved. Bad input is refused with a message and stores nothing."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from backstride.config import Settings
from backstride.domain.metrics import Descent, GradeBand, GradeDistribution
from backstride.services.activities import get_activity_summary
from backstride.services.context import App
from backstride.services.diary import PainInput, add_pain
from backstride.services.routes import list_routes
from backstride.services.shoes import add_shoe
from backstride.web.views.activities import descent_verdict, grade_rows

TokenFn = Callable[[TestClient, str], str]
HTMX = {"HX-Request": "true"}


def _first_run(client: TestClient) -> tuple[int, date]:
    item = client.get("/api/activities?sport=run").json()["items"][0]
    return int(item["id"]), date.fromisoformat(item["local_date"])


def _section(text: str, section_id: str) -> str:
    found = re.search(rf'<section id="{section_id}".*?</section>', text, re.S)
    assert found, section_id
    return found.group(0)


def _row(settings: Settings, activity_id: int) -> Any:
    app = App(settings)
    try:
        return get_activity_summary(app, activity_id)
    finally:
        app.close()


def test_activity_page_shows_the_pain_of_that_day_and_next_morning(
    seeded_client: TestClient, web_settings: Settings
) -> None:
    activity_id, day = _first_run(seeded_client)
    app = App(web_settings)
    try:
        add_pain(app, PainInput(day=day, when="after", score=4, notes="tight"), today=day)
        add_pain(
            app,
            PainInput(day=day + timedelta(days=1), when="next-morning", score=2),
            today=day + timedelta(days=1),
        )
        add_pain(app, PainInput(day=day - timedelta(days=1), when="rest-day", score=6), today=day)
    finally:
        app.close()
    pain = _section(seeded_client.get(f"/activities/{activity_id}").text, "activity-pain")
    assert 'data-when="after"' in pain and "4/10" in pain and "tight" in pain
    assert 'data-when="next-morning"' in pain and "2/10" in pain
    assert "6/10" not in pain  # the day before is not this run's


def test_activity_page_without_pain_says_so_and_links_the_checkin(
    seeded_client: TestClient,
) -> None:
    activity_id, day = _first_run(seeded_client)
    pain = _section(seeded_client.get(f"/activities/{activity_id}").text, "activity-pain")
    assert "No check-ins" in pain
    assert f'href="/checkin?on={day.isoformat()}"' in pain


def test_shoes_are_shown_and_changed_with_the_message_beside_the_form(
    seeded_client: TestClient, web_settings: Settings, csrf_token: TokenFn
) -> None:
    activity_id, day = _first_run(seeded_client)
    app = App(web_settings)
    try:
        add_shoe(app, "Blue trainers", today=day, bought_on=day - timedelta(days=30))
    finally:
        app.close()
    token = csrf_token(seeded_client, f"/activities/{activity_id}")
    before = _section(seeded_client.get(f"/activities/{activity_id}").text, "activity-shoes")
    assert "No shoes recorded" in before and ">Blue trainers</option>" in before
    saved = seeded_client.post(
        f"/activities/{activity_id}/shoes",
        data={"csrf_token": token, "shoes": "Blue trainers"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/activities/{activity_id}?saved=shoes#activity-shoes"
    page = seeded_client.get(saved.headers["location"]).text
    shoes = _section(page, "activity-shoes")
    assert "Worn: <strong>Blue trainers</strong>" in shoes and "Saved." in shoes
    assert "Saved." not in _section(page, "activity-edit")
    assert "Blue trainers" in _section(page, "activity-summary")
    cleared = seeded_client.post(
        f"/activities/{activity_id}/shoes",
        data={"csrf_token": token, "shoes": "none"},
        headers=HTMX,
    )
    assert cleared.status_code == 200 and "<html" not in cleared.text
    assert "No shoes recorded for this session" in cleared.text and "Saved." in cleared.text
    assert _row(web_settings, activity_id).gear is None


@pytest.mark.parametrize(
    "shoes", ["<script>alert(1)</script>", "Red racers", "x" * 5000, "' OR 1=1 --"]
)
def test_unknown_shoes_are_refused_and_nothing_changes(
    seeded_client: TestClient, web_settings: Settings, csrf_token: TokenFn, shoes: str
) -> None:
    activity_id, _ = _first_run(seeded_client)
    token = csrf_token(seeded_client, f"/activities/{activity_id}")
    refused = seeded_client.post(
        f"/activities/{activity_id}/shoes", data={"csrf_token": token, "shoes": shoes}
    )
    assert refused.status_code == 422
    assert "There are no shoes called" in refused.text
    assert "<script>alert(1)</script>" not in refused.text
    assert 'role="alert"' in _section(refused.text, "activity-shoes")
    assert _row(web_settings, activity_id).gear is None


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("rpe", "abc", "is not a number"),
        ("rpe", "11", "between 0 and 10"),
        ("rpe", "nan", "0 to 10"),
        ("rpe", "1e999", "0 to 10"),
        ("sport", "<b>rocket</b>", "is not a known sport"),
        ("surface", "lava", "is not a known surface"),
        ("name", "n" * 501, "limited to 500"),
    ],
)
def test_edit_form_refuses_bad_input_and_stores_nothing(
    seeded_client: TestClient,
    web_settings: Settings,
    csrf_token: TokenFn,
    field: str,
    value: str,
    words: str,
) -> None:
    activity_id, _ = _first_run(seeded_client)
    before = _row(web_settings, activity_id)
    token = csrf_token(seeded_client, f"/activities/{activity_id}")
    form = {"csrf_token": token, "name": "Changed", "notes": "changed", field: value}
    refused = seeded_client.post(f"/activities/{activity_id}/edit", data=form)
    assert refused.status_code == 422
    edit = _section(refused.text, "activity-edit")
    assert words in edit and 'role="alert"' in edit
    assert "<b>rocket</b>" not in refused.text
    after = _row(web_settings, activity_id)
    for name in ("name", "notes", "rpe", "sport", "surface"):
        assert getattr(after, name) == getattr(before, name), name


def test_surface_reads_the_same_in_the_summary_and_the_form(
    seeded_client: TestClient, web_settings: Settings, csrf_token: TokenFn
) -> None:
    activity_id, _ = _first_run(seeded_client)
    page = seeded_client.get(f"/activities/{activity_id}").text
    summary = _section(page, "activity-summary")
    form = _section(page, "activity-edit")
    shown = re.search(r"<dt>Surface</dt><dd>(.*?)</dd>", summary)
    assert shown
    empty_option = re.search(r'<option value=""[^>]*>(.*?)</option>', form)
    assert empty_option
    if "guessed" in shown.group(1):
        guess = shown.group(1).split(" (")[0]
        assert empty_option.group(1) == f"{guess} (guessed)"
    else:
        assert shown.group(1) == "Not known" and empty_option.group(1) == "Not known"
    token = csrf_token(seeded_client, f"/activities/{activity_id}")
    seeded_client.post(
        f"/activities/{activity_id}/edit", data={"csrf_token": token, "surface": "track"}
    )
    page = seeded_client.get(f"/activities/{activity_id}").text
    assert "<dt>Surface</dt><dd>Track</dd>" in _section(page, "activity-summary")
    assert '<option value="track" selected>Track</option>' in _section(page, "activity-edit")


def test_route_saved_from_the_activity_page(
    seeded_client: TestClient, web_settings: Settings, csrf_token: TokenFn
) -> None:
    activity_id, _ = _first_run(seeded_client)
    token = csrf_token(seeded_client, f"/activities/{activity_id}")
    for bad in ("", "   "):
        refused = seeded_client.post(
            f"/activities/{activity_id}/route", data={"csrf_token": token, "name": bad}
        )
        assert refused.status_code == 422 and "Give the route a name" in refused.text
    saved = seeded_client.post(
        f"/activities/{activity_id}/route",
        data={"csrf_token": token, "name": "<i>Park loop</i>"},
        follow_redirects=False,
    )
    assert saved.headers["location"] == f"/activities/{activity_id}?saved=route#activity-route"
    page = seeded_client.get(saved.headers["location"]).text
    assert "Saved." in _section(page, "activity-route")
    app = App(web_settings)
    try:
        assert [v.route.name for v in list_routes(app).routes] == ["<i>Park loop</i>"]
    finally:
        app.close()
    twice = seeded_client.post(
        f"/activities/{activity_id}/route",
        data={"csrf_token": token, "name": "<i>Park loop</i>"},
    )
    assert twice.status_code == 409 and "<i>Park loop</i>" not in twice.text


def test_forms_without_the_token_are_refused(seeded_client: TestClient) -> None:
    activity_id, _ = _first_run(seeded_client)
    for form in ("edit", "shoes", "route"):
        refused = seeded_client.post(f"/activities/{activity_id}/{form}", data={"name": "x"})
        assert refused.status_code == 403, form


def _grades(steep_m: float, drop_m: float) -> GradeDistribution:
    bands = (
        GradeBand("< -8 %", None, -8.0, steep_m, steep_m / 3),
        GradeBand("-8 to -4 %", -8.0, -4.0, 500.0, 150.0),
        GradeBand("flat", -1.0, 1.0, 2000.0, 600.0),
    )
    descent = Descent(start_m=0.0, length_m=1000.0, drop_m=drop_m, mean_grade_pct=-drop_m / 10)
    return GradeDistribution(bands, descent, steep_m + 500.0, (steep_m + 500.0) / 3000.0)


@pytest.mark.parametrize(
    ("steep_m", "drop_m", "over"),
    [(299.0, 79.0, False), (300.0, 10.0, True), (0.0, 80.0, True), (1200.0, 200.0, True)],
)
def test_descent_verdict_against_the_thresholds_in_force(
    steep_m: float, drop_m: float, over: bool
) -> None:
    verdict = descent_verdict(
        _grades(steep_m, drop_m), grade_pct=-8.0, steep_limit_m=300.0, drop_limit_m=80.0
    )
    assert verdict is not None and verdict.over is over
    assert verdict.steep_m == steep_m
    rows = grade_rows(_grades(steep_m, drop_m), steep=verdict)
    assert rows[0].css == ("grade-steep-over" if verdict.steep_over else "grade-steep")
    assert rows[1].css == "grade-down"
    assert descent_verdict(None, grade_pct=-8, steep_limit_m=300, drop_limit_m=80) is None
