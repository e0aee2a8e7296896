"""Text search over activities: what is typed is matched literally (LIKE wildcards escaped)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backstride.adapters.db.engine import Store
from backstride.adapters.db.repos import ActivityRepo, AthleteRepo, escape_like
from backstride.domain.activity import Activity, Sport, Streams
from tests.databases import DbBackend

NAMES = ("100% effort", "easy_run", "Hill repeats", "back\\slash day", "plain")


def _activity(n: int, name: str) -> Activity:
    return Activity(
        sport=Sport.RUN,
        source_sport="running",
        source_format="fit",
        start_at=datetime(2024, 5, 1, 7, 0, tzinfo=UTC) + timedelta(days=n),
        utc_offset_s=0,
        duration_s=1800.0,
        distance_m=5000.0,
        streams=Streams.empty(),
        name=name,
    )


@pytest.fixture(scope="module")
def store(
    tmp_path_factory: pytest.TempPathFactory, db_backend: DbBackend
) -> Iterator[tuple[Store, int]]:
    db = Store(db_backend.new_url(tmp_path_factory.mktemp("search"), filename="s.sqlite3"))
    with db.session() as session:
        athlete = AthleteRepo(session).get_or_create_default()
        repo = ActivityRepo(session)
        for n, name in enumerate(NAMES):
            repo.add(athlete, _activity(n, name), source_label=f"f{n}.fit", content_hash=None)
    yield db, athlete
    db.dispose()


def _found(store: tuple[Store, int], text: str) -> set[str]:
    db, athlete = store
    with db.read_session() as session:
        return {r.name or "" for r in ActivityRepo(session).list_rows(athlete, text=text)}


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("%", {"100% effort"}),
        ("_", {"easy_run"}),
        ("\\", {"back\\slash day"}),
        ("y_r", {"easy_run"}),
        ("0%", {"100% effort"}),
        ("hill", {"Hill repeats"}),
        ("a_n", set()),  # "_" is not "any one character"
    ],
)
def test_search_matches_wildcard_characters_literally(
    store: tuple[Store, int], text: str, names: set[str]
) -> None:
    assert _found(store, text) == names


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet="%_\\ab ", min_size=1, max_size=4))
def test_search_finds_exactly_the_names_holding_the_text(
    store: tuple[Store, int], text: str
) -> None:
    expected = {n for n in NAMES if text.lower() in n.lower()} | {
        n for i, n in enumerate(NAMES) if text.lower() in f"f{i}.fit"
    }
    assert _found(store, text) == expected


def test_escape_like_doubles_the_escape_character_first() -> None:
    assert escape_like("a\\%_") == "a\\\\\\%\\_"


def test_search_over_the_api_treats_percent_literally(tmp_path: Path, db_url: str) -> None:
    from fastapi.testclient import TestClient

    from backstride.web.app import create_app
    from tests.web.conftest import make_settings, seed

    settings_ = make_settings(tmp_path, db=db_url)
    seed(settings_, count=4)
    application = create_app(settings_, allowed_hosts=["testserver"])
    try:
        client = TestClient(application)
        assert client.get("/api/activities").json()["total"] == 4
        for q in ("%", "_", "%25"):
            assert client.get("/api/activities", params={"q": q}).json()["total"] == 0, q
        assert client.get("/activities", params={"q": "%"}).status_code == 200
    finally:
        application.state.web.app.close()
