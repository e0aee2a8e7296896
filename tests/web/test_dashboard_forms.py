"""What the command line does, the dashboard does: log a session by hand, list and compare
routes, mark a routine done. Each form refuses bad or hostile input with a message and
stores nothing."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from backstride.config import Settings
from backstride.services.activities import count_activities
from backstride.services.context import App
from backstride.services.exercises import routine_adherence
from backstride.services.routes import add_route_from_activity, list_routes

TokenFn = Callable[[TestClient, str], str]


def _count(settings: Settings) -> int:
    app = App(settings)
    try:
        return count_activities(app)
    finally:
        app.close()


def test_log_a_run_by_hand(client: TestClient, web_settings: Settings, csrf_token: TokenFn) -> None:
    page = client.get("/activities/new")
    assert page.status_code == 200 and "Log a session" in page.text
    token = csrf_token(client, "/activities/new")
    day = date.today() - timedelta(days=1)
    saved = client.post(
        "/activities/new",
        data={
            "csrf_token": token,
            "sport": "run",
            "on": day.isoformat(),
            "at": "07:30",
            "duration": "35m",
            "distance": "5.2km",
            "rpe": "4",
            "surface": "road",
            "notes": "easy <b>legs</b>",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    location = saved.headers["location"]
    assert re.fullmatch(r"/activities/\d+\?saved=logged#activity-summary", location)
    shown = client.get(location).text
    assert "Logged." in shown and "5.20 km" in shown and "easy &lt;b&gt;legs&lt;/b&gt;" in shown
    assert _count(web_settings) == 1


def test_log_cross_training_without_distance(
    client: TestClient, web_settings: Settings, csrf_token: TokenFn
) -> None:
    token = csrf_token(client, "/activities/new")
    saved = client.post(
        "/activities/new",
        data={"csrf_token": token, "sport": "swim", "duration": "1:05:00"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert "Swim" in client.get(saved.headers["location"]).text
    assert _count(web_settings) == 1


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"duration": ""}, "Say how long"),
        ({"duration": "forever"}, "is not a duration"),
        ({"duration": "35m", "distance": "far"}, "is not a distance"),
        ({"duration": "35m", "distance": "-5km"}, "is not a distance"),
        ({"duration": "35m", "rpe": "eleven"}, "is not a number"),
        ({"duration": "35m", "rpe": "11"}, "between 0 and 10"),
        ({"duration": "35m", "sport": "<script>x</script>"}, "is not a known sport"),
        ({"duration": "35m", "surface": "lava"}, "is not a known surface"),
        ({"duration": "35m", "on": "2999-01-01"}, "2999-01-01"),
        ({"duration": "35m", "on": "yesterday'; DROP TABLE activity; --"}, "is not a"),
        ({"duration": "35m", "at": "25:99"}, "is not a time"),
        ({"duration": "5m", "distance": "40km"}, "faster than anyone"),
        ({"duration": "35m", "name": "n" * 600}, "limited to 500"),
    ],
)
def test_log_form_refuses_bad_input_and_stores_nothing(
    client: TestClient,
    web_settings: Settings,
    csrf_token: TokenFn,
    fields: dict[str, str],
    words: str,
) -> None:
    token = csrf_token(client, "/activities/new")
    refused = client.post("/activities/new", data={"csrf_token": token, **fields})
    assert refused.status_code == 422
    assert words in refused.text and "Nothing was saved." in refused.text
    assert "<script>x</script>" not in refused.text
    assert _count(web_settings) == 0


def test_log_form_without_token_is_refused(client: TestClient, web_settings: Settings) -> None:
    refused = client.post("/activities/new", data={"duration": "35m"})
    assert refused.status_code == 403
    assert _count(web_settings) == 0


def _run_ids(client: TestClient) -> list[int]:
    return [int(i["id"]) for i in client.get("/api/activities?sport=run").json()["items"]]


def test_routes_listed_compared_and_deleted(
    seeded_client: TestClient, web_settings: Settings, csrf_token: TokenFn
) -> None:
    empty = seeded_client.get("/routes")
    assert empty.status_code == 200 and "No saved routes yet" in empty.text
    ids = _run_ids(seeded_client)
    app = App(web_settings)
    try:
        add_route_from_activity(app, ids[0], name="Short loop")
        add_route_from_activity(app, ids[1], name="Long <loop>")
    finally:
        app.close()
    listed = seeded_client.get("/routes").text
    assert "Short loop" in listed and "Long &lt;loop&gt;" in listed and "points" in listed
    one = seeded_client.get("/routes?compare=Short+loop").text
    assert "Tick two routes or more" in one
    both = seeded_client.get(
        "/routes", params=[("compare", "Short loop"), ("compare", "Long <loop>")]
    )
    assert both.status_code == 200 and "Gentlest" in both.text
    unknown = seeded_client.get("/routes", params=[("compare", "Short loop"), ("compare", "Nope")])
    assert "There is no saved route called" in unknown.text
    token = csrf_token(seeded_client, "/routes")
    missing = seeded_client.post("/routes/delete", data={"csrf_token": token, "name": "Nope"})
    assert missing.status_code == 404 and "There is no saved route called" in missing.text
    deleted = seeded_client.post(
        "/routes/delete", data={"csrf_token": token, "name": "Short loop"}, follow_redirects=False
    )
    assert deleted.status_code == 303
    assert "The route was deleted" in seeded_client.get(deleted.headers["location"]).text
    app = App(web_settings)
    try:
        assert [v.route.name for v in list_routes(app).routes] == ["Long <loop>"]
    finally:
        app.close()


def test_routine_marked_done_and_skipped(
    client: TestClient, web_settings: Settings, csrf_token: TokenFn
) -> None:
    day = date.today()
    token = csrf_token(client, f"/exercises?on={day.isoformat()}")
    done = client.post(
        "/exercises/done",
        data={"csrf_token": token, "routine": "core", "on": day.isoformat(), "done": "yes"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert done.headers["location"] == f"/exercises?on={day.isoformat()}&saved=core#routine-core"
    page = client.get(done.headers["location"]).text
    core = re.search(r'<div class="routine-mark" id="routine-core-mark">.*?</div>', page, re.S)
    assert core and "Saved" in core.group(0) and "Done" in core.group(0)
    skipped = client.post(
        "/exercises/done",
        data={"csrf_token": token, "routine": "warmup", "on": day.isoformat(), "done": "no"},
    )
    assert skipped.status_code == 200 and "Skipped" in skipped.text
    app = App(web_settings)
    try:
        counts = routine_adherence(app, on=day, days=1).to_json()["by_routine"]
    finally:
        app.close()
    assert counts["core"]["done"] == 1 and counts["warmup"]["skipped"] == 1


@pytest.mark.parametrize(
    ("routine", "on", "status"),
    [
        ("<img src=x onerror=alert(1)>", None, 422),
        ("core", "2999-01-01", 422),
        ("core", "not-a-day", 422),
    ],
)
def test_routine_form_refuses_bad_input_and_stores_nothing(
    client: TestClient,
    web_settings: Settings,
    csrf_token: TokenFn,
    routine: str,
    on: str | None,
    status: int,
) -> None:
    token = csrf_token(client, "/exercises")
    form = {"csrf_token": token, "routine": routine, "done": "yes"}
    if on is not None:
        form["on"] = on
    refused = client.post("/exercises/done", data=form)
    assert refused.status_code == status
    assert 'role="alert"' in refused.text and "<img src=x" not in refused.text
    app = App(web_settings)
    try:
        assert routine_adherence(app, on=date.today(), days=30).entries == ()
    finally:
        app.close()
