"""The Data page restores an export archive (as ``import FILE.zip`` of an export does): into an
empty database only, all or nothing; anything else is refused with a message and stores
nothing."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from backstride.config import Settings
from backstride.web.app import create_app
from tests.databases import DbBackend, count_rows
from tests.web.conftest import make_settings

TokenFn = Callable[[TestClient, str], str]


def _count(settings: Settings, table: str) -> int:
    return count_rows(settings.database_url, table)


@pytest.fixture
def empty(
    tmp_path_factory: pytest.TempPathFactory, db_backend: DbBackend
) -> Iterator[tuple[TestClient, Settings]]:
    root = tmp_path_factory.mktemp("restore")
    settings = make_settings(root, db=db_backend.new_url(root))
    application = create_app(settings, allowed_hosts=["testserver"])
    yield TestClient(application, raise_server_exceptions=False), settings
    application.state.web.app.close()


def _export(client: TestClient, token: str) -> bytes:
    response = client.post("/data/export", data={"csrf_token": token})
    assert response.status_code == 200
    return response.content


def _restore(client: TestClient, token: str, content: bytes, name: str = "export.zip") -> object:
    return client.post(
        "/data/import",
        data={"csrf_token": token},
        files={"archive": (name, content, "application/zip")},
        follow_redirects=False,
    )


def test_an_export_restores_into_an_empty_database(
    seeded_client: TestClient,
    web_settings: Settings,
    empty: tuple[TestClient, Settings],
    csrf_token: TokenFn,
) -> None:
    archive = _export(seeded_client, csrf_token(seeded_client, "/data"))
    client, settings = empty
    token = csrf_token(client, "/data")
    assert 'action="/data/import"' in client.get("/data").text
    restored = _restore(client, token, archive)
    assert restored.status_code == 303  # type: ignore[attr-defined]
    page = client.get(restored.headers["location"]).text  # type: ignore[attr-defined]
    assert "Restored:" in page
    assert _count(settings, "activities") == _count(web_settings, "activities") == 12
    assert client.get("/api/activities").json() == seeded_client.get("/api/activities").json()
    again = _restore(client, token, archive)
    assert again.status_code == 409  # type: ignore[attr-defined]
    assert "already holds data" in again.text  # type: ignore[attr-defined]
    assert "backstride delete" not in again.text  # type: ignore[attr-defined]
    assert _count(settings, "activities") == 12


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"not a zip at all", "not a readable zip file"),
        (_zip({"activities/1.fit": b"x"}), "manifest is missing"),
        (_zip({"backstride-export.json": b"{not json"}), "manifest is missing or unreadable"),
        (_zip({"backstride-export.json": b'{"format": "other"}'}), "another format"),
        (b"", "not a readable zip file"),
    ],
)
def test_anything_but_an_export_is_refused_and_stores_nothing(
    empty: tuple[TestClient, Settings], csrf_token: TokenFn, content: bytes, words: str
) -> None:
    client, settings = empty
    token = csrf_token(client, "/data")
    refused = _restore(client, token, content, name="<script>x</script>.zip")
    assert refused.status_code == 422  # type: ignore[attr-defined]
    text = refused.text  # type: ignore[attr-defined]
    assert words in text and 'id="restore-error"' in text and "<script>x" not in text
    assert _count(settings, "activities") == 0


def test_restore_needs_one_file_and_the_form_token(
    empty: tuple[TestClient, Settings], csrf_token: TokenFn, tmp_path: Path
) -> None:
    client, settings = empty
    token = csrf_token(client, "/data")
    none = client.post("/data/import", data={"csrf_token": token}, files={"other": ("a", b"")})
    assert none.status_code == 422 and "Choose one export archive" in none.text
    forged = client.post(
        "/data/import",
        data={"csrf_token": "0" * 64},
        files={"archive": ("export.zip", b"PK", "application/zip")},
    )
    assert forged.status_code == 403
    assert _count(settings, "activities") == 0
