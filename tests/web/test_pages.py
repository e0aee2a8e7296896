"""Pages, partials, errors and the JSON API through FastAPI's TestClient."""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import HISTORY_END

HTMX = {"HX-Request": "true"}


def test_empty_database_pages_invite_an_import(client: TestClient) -> None:
    overview = client.get("/")
    assert overview.status_code == 200
    assert "Import your runs" in overview.text
    listing = client.get("/activities")
    assert listing.status_code == 200
    assert "No activities match." in listing.text


def test_overview_shows_this_week_and_latest(seeded_client: TestClient) -> None:
    response = seeded_client.get(f"/?on={HISTORY_END.isoformat()}")
    assert response.status_code == 200
    text = response.text
    assert "Running distance" in text and "Latest activities" in text
    assert 'id="chart-weeks"' in text
    assert text.count('<rect class="bar') >= 5


def test_navigation_marks_the_current_page(seeded_client: TestClient) -> None:
    text = seeded_client.get("/activities").text
    assert '<a href="/activities" aria-current="page">Activities</a>' in text
    assert '<a href="/" aria-current' not in text


def test_activities_list_pages_and_sorts(seeded_client: TestClient) -> None:
    text = seeded_client.get("/activities?sort=distance&order=asc").text
    assert 'aria-sort="ascending"' in text
    assert "Showing 1–12 of 12 activities" in text


def test_activities_list_filters_by_sport_and_text(seeded_client: TestClient) -> None:
    rides = seeded_client.get("/activities?sport=cycle").text
    assert "Ride " in rides and "Run 1<" not in rides
    found = seeded_client.get("/activities?q=Run+12").text
    assert "of 1 activity" in found


def test_activities_list_htmx_answers_a_fragment_with_list_state(
    seeded_client: TestClient,
) -> None:
    response = seeded_client.get("/activities?sort=duration", headers=HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="list-state" hx-swap-oob="true"' in response.text
    assert 'name="sort" value="duration"' in response.text


def test_activities_list_explains_a_bad_date(seeded_client: TestClient) -> None:
    response = seeded_client.get("/activities?since=yesterday")
    assert response.status_code == 422
    assert "'yesterday' is not a date" in html.unescape(response.text)


def test_activities_list_ignores_unknown_sort_and_page(seeded_client: TestClient) -> None:
    response = seeded_client.get("/activities?sort=evil&page=zzz&sport=nope")
    assert response.status_code == 200
    assert "Showing 1–12 of 12" in response.text


def test_activity_detail_draws_route_and_charts(seeded_client: TestClient) -> None:
    activity_id = seeded_client.get("/api/activities?sport=run").json()["items"][0]["id"]
    text = seeded_client.get(f"/activities/{activity_id}").text
    assert 'class="route-line"' in text
    for key in ("elevation", "pace", "heart-rate", "cadence"):
        assert f'id="chart-{key}"' in text, key
    assert "<title>" in text
    assert 'id="activity-edit"' in text


def test_missing_page_renders_the_error_page(client: TestClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "<h1>Not found</h1>" in response.text
    assert "There is nothing at this address." in response.text


def test_missing_activity_renders_the_services_message(client: TestClient) -> None:
    response = client.get("/activities/999999")
    assert response.status_code == 404
    assert "There is no activity with id 999999." in response.text


def test_htmx_error_is_a_partial(client: TestClient) -> None:
    response = client.get("/activities/999999", headers=HTMX)
    assert response.status_code == 404
    assert "<html" not in response.text
    assert 'role="alert"' in response.text and 'data-status="404"' in response.text


def test_invalid_query_renders_422_page(client: TestClient) -> None:
    response = client.get("/load?weeks=many")
    assert response.status_code == 422
    assert "Some values are not valid" in response.text
    assert "weeks" in response.text


def test_method_not_allowed_is_rendered(client: TestClient) -> None:
    response = client.delete("/activities")
    assert response.status_code == 405
    assert "does not accept that kind of request" in response.text


def test_api_errors_are_json(client: TestClient) -> None:
    missing = client.get("/api/activities/424242")
    assert missing.status_code == 404
    assert missing.json()["error"]["message"] == "There is no activity with id 424242."
    invalid = client.get("/api/activities?per_page=1000")
    assert invalid.status_code == 422
    body = invalid.json()["error"]
    assert body["status"] == 422 and body["details"][0]["field"] == "per_page"


def test_api_lists_pages_of_activities(seeded_client: TestClient) -> None:
    page = seeded_client.get("/api/activities?per_page=5&page=2&sort=start&order=asc").json()
    assert page["total"] == 12 and page["pages"] == 3 and page["page"] == 2
    assert len(page["items"]) == 5
    days = [item["local_date"] for item in page["items"]]
    assert days == sorted(days)


def test_api_detail_and_patch(seeded_client: TestClient) -> None:
    item = seeded_client.get("/api/activities?per_page=1").json()["items"][0]
    detail = seeded_client.get(f"/api/activities/{item['id']}").json()
    assert detail["samples"] > 100 and "hr_bpm" in detail["streams"]
    patched = seeded_client.patch(
        f"/api/activities/{item['id']}", json={"rpe": 5.5, "surface": "trail", "notes": "ok"}
    )
    assert patched.status_code == 200
    assert patched.json()["rpe"] == 5.5 and patched.json()["surface"] == "trail"
    again = seeded_client.get(f"/api/activities/{item['id']}").json()
    assert again["notes"] == "ok"


def test_api_patch_rejects_unknown_fields_and_ranges(seeded_client: TestClient) -> None:
    item = seeded_client.get("/api/activities?per_page=1").json()["items"][0]
    assert seeded_client.patch(f"/api/activities/{item['id']}", json={"rpe": 12}).status_code == 422
    assert (
        seeded_client.patch(f"/api/activities/{item['id']}", json={"owner": "x"}).status_code == 422
    )
    nothing = seeded_client.patch(f"/api/activities/{item['id']}", json={})
    assert nothing.status_code == 422
    assert nothing.json()["error"]["message"] == "Nothing to change."


def test_api_overview(seeded_client: TestClient) -> None:
    body = seeded_client.get(f"/api/overview?on={HISTORY_END.isoformat()}&weeks=4").json()
    assert body["on"] == HISTORY_END.isoformat()
    assert len(body["weeks"]) == 4
    assert date.fromisoformat(body["weeks"][-1]["week_start"]).weekday() == 0
    assert body["latest"]


def test_api_import_reports_per_file(client: TestClient) -> None:
    response = client.post(
        "/api/imports?name=broken.gpx",
        content=b"<gpx><trk><trkseg><trkpt lat=",
        headers={"Content-Type": "application/octet-stream"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["failed"] == 1 and body["imported"] == 0
    assert body["files"][0]["path"] == "broken.gpx"
    assert "broken.gpx" in body["files"][0]["reason"]


def test_openapi_documents_the_api_only(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = set(spec["paths"])
    assert {
        "/api/activities",
        "/api/activities/{activity_id}",
        "/api/imports",
        "/api/overview",
        "/api/load",
    } <= paths
    assert all(p.startswith("/api/") for p in paths)
    assert "patch" in spec["paths"]["/api/activities/{activity_id}"]
    upload = spec["paths"]["/api/imports"]["post"]["requestBody"]["content"]
    assert "application/octet-stream" in upload


@pytest.mark.parametrize("path", ["/static/htmx.min.js", "/static/app.js", "/static/app.css"])
def test_static_files_are_shipped(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert len(response.content) > 500


def test_timer_time_from_the_device_events_shows_on_page_and_api(
    client: TestClient, activities_dir: Path
) -> None:
    # An Edge ride with auto-pause: elapsed 2 h 50 min, the device's timer 2 h 26 min 29 s.
    data = (activities_dir / "tormoder-fit" / "garmin.fit").read_bytes()
    response = client.post(
        "/api/imports?name=garmin.fit",
        content=data,
        headers={"Content-Type": "application/octet-stream"},
    )
    activity_id = response.json()["files"][0]["activity_ids"][0]
    detail = client.get(f"/api/activities/{activity_id}").json()
    timer = detail["analysis"]["timer_time_s"]
    device = detail["device_totals"]["timer_s"]
    assert timer == pytest.approx(device, rel=0.03)
    assert timer < detail["duration_s"] - 600  # the pauses are left out
    page = client.get(f"/activities/{activity_id}").text
    hours, rest = divmod(round(timer), 3600)
    assert "Timer time" in page
    assert f"{hours}:{rest // 60:02d}:{rest % 60:02d}" in page
