"""PostgreSQL row-level security on the athlete: the second wall behind the repositories.

A store scoped to one athlete (``Store.scoped``, what every server-mode request uses) sees and
writes that athlete's rows only, even through a query that forgets its ``athlete_id`` filter.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from backstride.config import get_settings
from backstride.errors import StorageError
from backstride.services.context import App
from tests import pg_throwaway
from tests.web.conftest import HISTORY_END
from tests.web.synthetic import add_history

pytestmark = pytest.mark.skipif(not pg_throwaway.available(), reason="PostgreSQL 15 not installed")


@pytest.fixture(scope="module")
def pg_app() -> Iterator[App]:
    with pg_throwaway.throwaway_cluster() as url:
        app = App(get_settings(db=url))
        yield app
        app.close()


def test_a_scoped_transaction_sees_and_writes_only_its_athlete(pg_app: App) -> None:
    with pg_app.store.session() as session:
        ids = [
            session.execute(
                text("INSERT INTO athletes (name, created_at) VALUES (:n, now()) RETURNING id"),
                {"n": n},
            ).scalar_one()
            for n in ("Anna", "Ben")
        ]
    anna, ben = (pg_app.for_athlete(i) for i in ids)
    add_history(anna, end=HISTORY_END, count=3, years=0.05, sample_s=30.0)
    add_history(ben, end=HISTORY_END, count=5, years=0.05, sample_s=30.0)
    unfiltered = text("SELECT count(*) FROM activities")  # no athlete filter on purpose
    with anna.store.read_session() as session:
        assert session.execute(unfiltered).scalar_one() == 3
    with ben.store.session() as session:
        assert session.execute(unfiltered).scalar_one() == 5
        # Anna's rows cannot be changed or deleted from Ben's transaction
        changed = session.execute(
            text("UPDATE activities SET name = 'x' WHERE athlete_id = :a"), {"a": ids[0]}
        )
        assert changed.rowcount == 0  # type: ignore[attr-defined]
    with pytest.raises((StorageError, DBAPIError)):
        with ben.store.session() as session:
            session.execute(
                text("UPDATE activities SET athlete_id = :a WHERE athlete_id = :b"),
                {"a": ids[0], "b": ids[1]},
            )
    # the command line (no athlete set) sees everyone
    with pg_app.store.read_session() as session:
        assert session.execute(unfiltered).scalar_one() == 8
        policies = session.execute(
            text("SELECT count(*) FROM pg_policies WHERE policyname = 'athlete_isolation'")
        ).scalar_one()
    assert policies >= 20


def test_server_mode_on_postgresql_keeps_runners_apart(tmp_path: Path) -> None:
    from backstride.web.app import create_app
    from tests.web.server_kit import (
        add_professional,
        client_for,
        log_in,
        open_runner,
        seed_runner,
        server_settings,
        share,
    )

    with pg_throwaway.throwaway_cluster("server") as url:
        settings = server_settings(tmp_path, db=url)
        context = App(settings)
        anna = seed_runner(context, email="anna@example.org", name="Anna", marker="ANNA-SECRET")
        ben = seed_runner(context, email="ben@example.org", name="Ben", marker="BEN-SECRET")
        add_professional(context, email="pro@example.org", name="Dr Pro")
        web_app = create_app(settings, allowed_hosts=["testserver"])
        try:
            runner = client_for(web_app)
            share(runner, log_in(runner, anna.email), "pro@example.org", "activities")
            mine = runner.get("/api/activities").text
            assert anna.marker in mine and ben.marker not in mine
            assert runner.get(f"/api/activities/{ben.activity_id}").status_code == 404
            pro = client_for(web_app)
            token = log_in(pro, "pro@example.org")
            assert open_runner(pro, token, anna.athlete_id) == 303
            shared = pro.get("/activities").text
            assert anna.marker in shared and ben.marker not in shared
            assert pro.get("/diary").status_code == 403
            assert "the list of activities" in runner.get("/sharing").text
        finally:
            web_app.state.web.app.close()
            context.close()
