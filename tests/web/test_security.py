"""Security of the dashboard through FastAPI's TestClient: headers, forgery, hosts, caps."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from backstride.config import Settings
from backstride.services.activities import count_activities, get_activity_summary, list_activities
from backstride.services.context import App
from backstride.web.app import create_app
from backstride.web.security import CSRF_COOKIE, CsrfTokens, origin_of
from tests.web.conftest import make_settings

TokenFn = Callable[[TestClient, str], str]


def _app(settings: Settings) -> App:
    return App(settings)


def _first_id(settings: Settings) -> int:
    app = _app(settings)
    try:
        return list_activities(app, limit=1)[0].id
    finally:
        app.close()


def _count(settings: Settings) -> int:
    app = _app(settings)
    try:
        return count_activities(app)
    finally:
        app.close()


@pytest.mark.parametrize(
    "path", ["/", "/activities", "/import", "/load", "/api/activities", "/static/app.css", "/nope"]
)
def test_security_headers_on_every_response(seeded_client: TestClient, path: str) -> None:
    response = seeded_client.get(path)
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert response.headers["x-frame-options"] == "DENY"


def test_security_headers_on_unexpected_errors(
    seeded_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from backstride.web.routes import activities

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(activities, "cached_activity_count", boom)
    response = seeded_client.get("/activities")
    assert response.status_code == 500
    assert "secret internal detail" not in response.text
    assert "Something unexpected went wrong" in response.text
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_pages_have_no_inline_script_or_style(seeded_client: TestClient) -> None:
    activity_id = seeded_client.get("/api/activities").json()["items"][0]["id"]
    for path in ("/", "/activities", "/import", "/load", f"/activities/{activity_id}"):
        html = seeded_client.get(path).text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert "<style" not in html, path
        assert not re.search(r"\sstyle=", html), path
        assert not re.search(r"\son[a-z]+=", html), path


def test_pages_are_not_cached_but_static_files_are(seeded_client: TestClient) -> None:
    assert seeded_client.get("/").headers["cache-control"] == "no-store"
    assert "no-store" not in seeded_client.get("/static/app.css").headers.get("cache-control", "")


def test_form_token_is_a_signed_double_submit() -> None:
    tokens = CsrfTokens("a secret")
    nonce = tokens.new_nonce()
    token = tokens.token_for(nonce)
    assert tokens.verify(nonce, token)
    assert not tokens.verify(nonce, token[:-1] + ("0" if token[-1] != "0" else "1"))
    assert not tokens.verify(tokens.new_nonce(), token)
    assert not tokens.verify(None, token)
    assert not tokens.verify(nonce, None)
    assert not CsrfTokens("another secret").verify(nonce, token)


def test_form_cookie_is_httponly_and_same_site_strict(client: TestClient) -> None:
    cookie = client.get("/").headers["set-cookie"]
    assert cookie.startswith(CSRF_COOKIE + "=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")


def test_edit_refused_without_token(seeded_client: TestClient, web_settings: Settings) -> None:
    activity_id = _first_id(web_settings)
    seeded_client.get("/")
    response = seeded_client.post(
        f"/activities/{activity_id}/edit", data={"sport": "walk", "notes": "forged"}
    )
    assert response.status_code == 403
    assert "nothing was changed" in response.text
    assert _notes(web_settings, activity_id) != "forged"


def test_edit_refused_with_a_token_for_another_cookie(
    seeded_client: TestClient, web_settings: Settings, csrf_token: TokenFn
) -> None:
    activity_id = _first_id(web_settings)
    token = csrf_token(seeded_client, "/import")
    seeded_client.cookies.set(CSRF_COOKIE, CsrfTokens.new_nonce())
    response = seeded_client.post(
        f"/activities/{activity_id}/edit",
        data={"csrf_token": token, "sport": "run", "notes": "forged"},
    )
    assert response.status_code == 403


def test_edit_refused_from_another_site_even_with_a_token(
    seeded_client: TestClient, web_settings: Settings, csrf_token: TokenFn
) -> None:
    activity_id = _first_id(web_settings)
    token = csrf_token(seeded_client, "/import")
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
        response = seeded_client.post(
            f"/activities/{activity_id}/edit",
            data={"csrf_token": token, "sport": "run", "notes": "forged"},
            headers=headers,
        )
        assert response.status_code == 403, headers
    assert _notes(web_settings, activity_id) != "forged"


def test_edit_with_token_saves_and_redirects(
    seeded_client: TestClient, web_settings: Settings, csrf_token: TokenFn
) -> None:
    activity_id = _first_id(web_settings)
    token = csrf_token(seeded_client, "/import")
    response = seeded_client.post(
        f"/activities/{activity_id}/edit",
        data={"csrf_token": token, "sport": "run", "rpe": "4", "notes": "easy", "surface": "road"},
        headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/activities/{activity_id}?saved=edit#activity-edit"
    assert _notes(web_settings, activity_id) == "easy"


def test_htmx_edit_answers_the_form_and_the_summary(
    seeded_client: TestClient, web_settings: Settings, csrf_token: TokenFn
) -> None:
    activity_id = _first_id(web_settings)
    token = csrf_token(seeded_client, "/import")
    response = seeded_client.post(
        f"/activities/{activity_id}/edit",
        data={"sport": "run", "rpe": "7", "notes": "tempo"},
        headers={"HX-Request": "true", "X-CSRF-Token": token},
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="activity-edit"' in response.text and "Saved." in response.text
    assert 'id="activity-summary" class="card" hx-swap-oob="true"' in response.text


def test_htmx_edit_with_bad_rpe_answers_422_with_the_form(
    seeded_client: TestClient, web_settings: Settings, csrf_token: TokenFn
) -> None:
    activity_id = _first_id(web_settings)
    token = csrf_token(seeded_client, "/import")
    response = seeded_client.post(
        f"/activities/{activity_id}/edit",
        data={"sport": "run", "rpe": "11", "notes": "x"},
        headers={"HX-Request": "true", "X-CSRF-Token": token},
    )
    assert response.status_code == 422
    assert "RPE must be between 0 and 10" in response.text
    assert 'value="11"' in response.text


def _notes(settings: Settings, activity_id: int) -> str | None:
    app = _app(settings)
    try:
        return get_activity_summary(app, activity_id).notes
    finally:
        app.close()


def test_unknown_host_is_refused(seeded_client: TestClient) -> None:
    response = seeded_client.get("/", headers={"Host": "evil.example:8765"})
    assert response.status_code == 400
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    ("header", "origin"),
    [
        ("127.0.0.1:8765", ("http", "127.0.0.1", 8765)),
        ("[::1]:8765", ("http", "::1", 8765)),
        ("LocalHost", ("http", "localhost", 80)),
        ("localhost:80", ("http", "localhost", 80)),
        ("", None),
        ("a:b", None),
        ("evil.example/x", None),
        ("user@127.0.0.1", None),
    ],
)
def test_origin_of_a_host_header(header: str, origin: tuple[str, str, int] | None) -> None:
    assert origin_of("http", header) == origin


def test_loopback_names_are_accepted_by_default(tmp_path: Path, db_url: str) -> None:
    application = create_app(make_settings(tmp_path, db=db_url))
    try:
        with TestClient(application, base_url="http://127.0.0.1:8765") as c:
            assert c.get("/").status_code == 200
            assert c.get("/", headers={"Host": "localhost:8765"}).status_code == 200
            assert c.get("/", headers={"Host": "[::1]:8765"}).status_code == 200
            assert c.get("/", headers={"Host": "attacker.example"}).status_code == 400
    finally:
        application.state.web.app.close()


# --- uploads ---------------------------------------------------------------------------------


@pytest.fixture
def small_cap(tmp_path: Path, db_url: str) -> Iterator[tuple[TestClient, Settings]]:
    settings = make_settings(tmp_path, db=db_url, upload_max_mb=0.01)  # 10 KiB
    application = create_app(settings, allowed_hosts=["testserver"])
    yield TestClient(application, raise_server_exceptions=False), settings
    application.state.web.app.close()


def test_upload_over_the_cap_is_refused_by_content_length(
    small_cap: tuple[TestClient, Settings], csrf_token: TokenFn
) -> None:
    client, settings = small_cap
    token = csrf_token(client, "/import")
    response = client.post(
        "/import",
        data={"csrf_token": token},
        files={"files": ("big.gpx", b"<gpx>" + b" " * 20_000 + b"</gpx>")},
    )
    assert response.status_code == 413
    assert "larger than the limit of 0.01 MB" in response.text
    assert _count(settings) == 0
    assert not any((settings.data_dir / "uploads").glob("*/*"))


def test_upload_over_the_cap_is_refused_while_streaming(
    small_cap: tuple[TestClient, Settings], csrf_token: TokenFn
) -> None:
    client, settings = small_cap
    token = csrf_token(client, "/import")
    boundary = "xyzzy"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="a.gpx"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()

    def chunks() -> Iterator[bytes]:
        yield head
        for _ in range(40):
            yield b"x" * 1024
        yield f"\r\n--{boundary}--\r\n".encode()

    response = client.post(
        "/import",
        content=chunks(),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == 413
    assert _count(settings) == 0
    assert not any((settings.data_dir / "uploads").glob("*/*"))


def test_upload_refused_without_token_before_any_file_is_written(
    client: TestClient, web_settings: Settings, activities_dir: Path
) -> None:
    client.get("/import")
    data = (activities_dir / "sports-lib" / "6782987395.gpx").read_bytes()
    response = client.post("/import", files={"files": ("run.gpx", data)})
    assert response.status_code == 403
    assert _count(web_settings) == 0
    assert not any((web_settings.data_dir / "uploads").glob("*/*"))


def test_upload_token_after_the_file_is_refused(
    client: TestClient, web_settings: Settings, csrf_token: TokenFn, activities_dir: Path
) -> None:
    token = csrf_token(client, "/import")
    data = (activities_dir / "sports-lib" / "6782987395.gpx").read_bytes()
    boundary = "b0undary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="run.gpx"\r\n'
            "Content-Type: application/gpx+xml\r\n\r\n"
        ).encode()
        + data
        + (
            f'\r\n--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
            f"{token}\r\n--{boundary}--\r\n"
        ).encode()
    )
    response = client.post(
        "/import",
        content=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == 403
    assert _count(web_settings) == 0


def test_upload_of_a_real_file_imports_it_under_its_own_name(
    client: TestClient, web_settings: Settings, csrf_token: TokenFn, activities_dir: Path
) -> None:
    token = csrf_token(client, "/import")
    data = (activities_dir / "sports-lib" / "6782987395.gpx").read_bytes()
    response = client.post(
        "/import", data={"csrf_token": token}, files={"files": ("../../My run.gpx", data)}
    )
    assert response.status_code == 200
    assert "1 imported" in response.text
    assert "My run.gpx" in response.text
    assert str(web_settings.data_dir) not in response.text  # no temporary folder is shown
    app = _app(web_settings)
    try:
        row = list_activities(app)[0]
        assert row.source_label == "My run.gpx"
    finally:
        app.close()
    assert not any((web_settings.data_dir / "uploads").iterdir())


def test_upload_of_nothing_explains(client: TestClient, csrf_token: TokenFn) -> None:
    token = csrf_token(client, "/import")
    response = client.post("/import", data={"csrf_token": token}, files={"files": ("", b"")})
    assert response.status_code == 422
    assert "No file was chosen" in response.text


def test_upload_of_a_non_form_body_explains(client: TestClient, csrf_token: TokenFn) -> None:
    token = csrf_token(client, "/import")
    response = client.post(
        "/import", content=b"hello", headers={"Content-Type": "text/plain", "X-CSRF-Token": token}
    )
    assert response.status_code == 422
    assert "not sent as a file upload form" in response.text


def test_api_patch_needs_json_content_type(
    seeded_client: TestClient, web_settings: Settings
) -> None:
    activity_id = _first_id(web_settings)
    response = seeded_client.patch(
        f"/api/activities/{activity_id}",
        content=b'{"notes": "forged"}',
        headers={"Content-Type": "text/plain"},
    )
    assert response.status_code == 415
    assert response.json()["error"]["status"] == 415
    assert _notes(web_settings, activity_id) != "forged"


def test_api_patch_refused_cross_site(seeded_client: TestClient, web_settings: Settings) -> None:
    activity_id = _first_id(web_settings)
    response = seeded_client.patch(
        f"/api/activities/{activity_id}",
        json={"notes": "forged"},
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403
    assert _notes(web_settings, activity_id) != "forged"


def test_api_upload_needs_octet_stream(client: TestClient) -> None:
    response = client.post(
        "/api/imports?name=run.gpx", content=b"<gpx/>", headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 415


def test_api_upload_over_the_cap(small_cap: tuple[TestClient, Settings]) -> None:
    client, settings = small_cap
    response = client.post(
        "/api/imports?name=big.gpx",
        content=b" " * 20_000,
        headers={"Content-Type": "application/octet-stream"},
    )
    assert response.status_code == 413
    assert response.json()["error"]["message"].startswith("The upload is larger")
    assert _count(settings) == 0


def test_form_bodies_are_capped(seeded_client: TestClient, web_settings: Settings) -> None:
    activity_id = _first_id(web_settings)
    response = seeded_client.post(
        f"/activities/{activity_id}/edit", data={"notes": "x" * 1_200_000}
    )
    assert response.status_code == 413


def test_upload_of_many_files_and_a_zip_reports_each_by_its_name(
    client: TestClient,
    web_settings: Settings,
    csrf_token: TokenFn,
    activities_dir: Path,
    tmp_path: Path,
) -> None:
    import zipfile

    gpx = activities_dir / "gpxpy" / "korita-zbevnica.gpx"
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(activities_dir / "sports-lib" / "6782987395.gpx", "activities/6782987395.gpx")
        zf.writestr("activities/notes.txt", "not an activity")
        zf.writestr("activities/cut.gpx", "<gpx><trk>")
    token = csrf_token(client, "/import")
    response = client.post(
        "/import",
        data={"csrf_token": token},
        files=[
            ("files", ("korita-zbevnica.gpx", gpx.read_bytes())),
            ("files", ("export.zip", archive.read_bytes())),
        ],
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    text = response.text
    assert "<html" not in text and 'id="import-history"' in text
    assert "korita-zbevnica.gpx" in text
    assert "export.zip:activities/6782987395.gpx" in text
    assert "export.zip:activities/cut.gpx" in text and "failed" in text
    assert str(web_settings.data_dir) not in text
    assert _count(web_settings) >= 2
