"""What every repository shares (adapters/db/repo.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import TextClause, event
from sqlalchemy.orm import ORMExecuteState, Session

from backstride.adapters.db.account_repos import GrantRepo, LoginSessionRepo, UserRepo
from backstride.adapters.db.body_repos import (
    ClearanceRepo,
    PainRepo,
    ProfileRepo,
    RedFlagSeenRepo,
    ScreeningRepo,
    SelfTestRepo,
)
from backstride.adapters.db.guidance_repos import GuidanceRepo
from backstride.adapters.db.plan_repos import PlanRepo
from backstride.adapters.db.repo import by_athlete
from backstride.services.context import App


@dataclass
class _Row:
    athlete_id: int
    value: str


def test_by_athlete_keeps_row_order_and_gives_every_athlete_a_list() -> None:
    rows = [_Row(2, "b1"), _Row(1, "a1"), _Row(2, "b2")]
    assert by_athlete([1, 2, 3], rows, lambda r: r.value.upper()) == {
        1: ["A1"],
        2: ["B1", "B2"],
        3: [],
    }


def test_hot_reads_run_one_statement_built_once_each_time(app: App) -> None:
    """The reads a server makes on most requests (the login, the day's diary reads, the list
    of runners) run the same statement object on every call, with their values as parameters:
    building a select and its cache key anew cost more than PostgreSQL takes to answer."""
    day = date(2024, 5, 1)
    reads: list[Callable[[Session], object]] = [
        lambda s: LoginSessionRepo(s).get_with_user("no such token"),
        lambda s: UserRepo(s).names_of_athletes([1, 2]),
        lambda s: GrantRepo(s).for_professional(1),
        lambda s: ProfileRepo(s).get_many([1, 2]),
        lambda s: ScreeningRepo(s).latest(1),
        lambda s: ClearanceRepo(s).list(1),
        lambda s: PainRepo(s).list(1),
        lambda s: PainRepo(s).list(1, since=day, until=day, red_flags_only=True),
        lambda s: PainRepo(s).list_many([1, 2]),
        lambda s: PainRepo(s).first_day_above(1, score=3),
        lambda s: PainRepo(s).first_day_above(1, score=3, until=day),
        lambda s: RedFlagSeenRepo(s).list(1),
        lambda s: SelfTestRepo(s).list(1),
        lambda s: GuidanceRepo(s).pain_for_guidance(1, since=day, until=day),
        lambda s: PlanRepo(s).latest(1),
    ]
    ran: list[object] = []

    def note(_conn: Any, statement: object, *_args: Any) -> None:
        ran.append(statement)

    event.listen(app.store.engine, "before_execute", note)
    try:
        for read in reads:
            statements = []
            for _ in range(2):
                ran.clear()
                with app.store.session() as session:
                    read(session)
                statements.append([s for s in ran if not isinstance(s, TextClause)])
            first, second = statements
            assert len(first) == 1, first
            assert second[0] is first[0], str(first[0])
    finally:
        event.remove(app.store.engine, "before_execute", note)


def test_the_login_read_is_a_plain_statement_not_an_orm_query(app: App) -> None:
    """Every request of a server reads its login: of the tables' columns, so the ORM's
    handling of a query (about as costly as the statement itself) is skipped."""
    kinds: list[bool] = []

    def note(state: ORMExecuteState) -> None:
        kinds.append(state.is_orm_statement)

    with app.store.session() as session:
        event.listen(session, "do_orm_execute", note)
        assert LoginSessionRepo(session).get_with_user("no such token") is None
        assert UserRepo(session).names_of_athletes([1]) == {}
    assert kinds == [False, False]
