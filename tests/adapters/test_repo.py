"""What every repository shares (adapters/db/repo.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
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
from backstride.domain.pain import PainEntry, PainWhen, RedFlag
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
        lambda s: GrantRepo(s).for_professional(1),
        lambda s: ProfileRepo(s).get(1),
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
        assert GrantRepo(session).for_professional(1) == []
    assert kinds == [False, False]


def test_the_days_diary_reads_are_plain_statements_and_read_the_same_values(app: App) -> None:
    """The reads behind the day's answer after a check-in, the red-flag notice and the list
    of runners are plain statements of the tables' columns (no ORM handling of the query or
    its rows), and give the values written: every column of a stored row reaches the domain
    object as it did through the ORM's objects."""
    from backstride.domain.body import Clearance, Condition, Experience, Profile, Screening, Sex
    from backstride.domain.pain import PainFeel, PainSite, SeenOutcome, SeenRecord
    from backstride.domain.plan import Goal, PlanRecord, PlanSpec, PlanStatus, Variant
    from backstride.domain.selftest import SelfTestName, SelfTestResult

    aid = app.athlete_id
    day = date(2024, 5, 1)
    profile = Profile(
        birth_year=1980,
        sex=Sex.FEMALE,
        resting_hr_bpm=50,
        max_hr_bpm=185,
        conditions=(next(iter(Condition)),),
        past_injuries=("knee",),
        experience=Experience.REGULAR,
        units="mi",
    )
    entry = PainEntry(
        day=day,
        when=PainWhen.REST_DAY,
        score=3,
        where=(next(iter(PainSite)),),
        feels=(next(iter(PainFeel)),),
        walking_leg_symptoms=True,
        eases_sitting=True,
        red_flags=(next(iter(RedFlag)),),
        notes="sore",
        worse_coughing=True,
    )
    seen = SeenRecord(
        flag=next(iter(RedFlag)), on=day, by="Dr A", notes="fine", outcome=next(iter(SeenOutcome))
    )
    clearance = Clearance(on=day, by="Dr B", restrictions="no hills", notes="ok")
    test = SelfTestResult(name=next(iter(SelfTestName)), day=day, value=12.0)
    plan = PlanRecord(
        spec=PlanSpec(
            goal=next(iter(Goal)), variant=next(iter(Variant)), days=(0, 2, 4), start_on=day
        ),
        status=PlanStatus.ACTIVE,
    )
    with app.store.session() as session:
        ProfileRepo(session).save(aid, profile)
        entry_id = PainRepo(session).add(aid, entry)
        seen_id = RedFlagSeenRepo(session).add(aid, seen)
        ScreeningRepo(session).add(aid, Screening(answered_on=day, answers={"a": True}))
        clearance_id = ClearanceRepo(session).add(aid, clearance)
        test_id = SelfTestRepo(session).add(aid, test)
        plan_id = PlanRepo(session).add(aid, plan)
    kinds: list[bool] = []

    def note(state: ORMExecuteState) -> None:
        kinds.append(state.is_orm_statement)

    with app.store.read_session() as session:
        event.listen(session, "do_orm_execute", note)
        assert ProfileRepo(session).get(aid) == profile
        assert ProfileRepo(session).get(aid + 1) == Profile()
        assert ProfileRepo(session).get_many([aid, aid + 1]) == {aid: profile, aid + 1: Profile()}
        stored = replace(entry, id=entry_id)
        assert PainRepo(session).list(aid) == [stored]
        assert PainRepo(session).list(aid, until=day, red_flags_only=True) == [stored]
        assert PainRepo(session).list_many([aid, aid + 1]) == {aid: [stored], aid + 1: []}
        assert GuidanceRepo(session).pain_for_guidance(aid, since=day, until=day) == [stored]
        assert PainRepo(session).first_day_above(aid, score=2, until=day) == day
        assert RedFlagSeenRepo(session).list(aid) == [replace(seen, id=seen_id)]
        assert ScreeningRepo(session).latest(aid) == Screening(answered_on=day, answers={"a": True})
        assert ClearanceRepo(session).list(aid) == [replace(clearance, id=clearance_id)]
        assert SelfTestRepo(session).list(aid) == [replace(test, id=test_id)]
        assert PlanRepo(session).latest(aid) == replace(plan, id=plan_id)
    assert kinds and not any(kinds), kinds


def test_reads_of_many_athletes_send_the_same_sql_whatever_their_number(app: App) -> None:
    """The list of runners' reads take their athletes as one list parameter: on PostgreSQL
    one array (``= ANY``), so the statement PostgreSQL and psycopg see is the same for 2 or
    20 runners (converted once, prepared); on SQLite an ``IN`` of one parameter per id. Both
    read each athlete's own rows."""
    on_postgresql = app.store.is_postgresql
    sent: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(statement)

    reads: list[Callable[[Session, list[int]], object]] = [
        lambda s, ids: ProfileRepo(s).get_many(ids),
        lambda s, ids: PainRepo(s).list_many(ids, red_flags_only=True),
        lambda s, ids: RedFlagSeenRepo(s).list_many(ids),
    ]
    aid = app.athlete_id
    event.listen(app.store.engine, "before_cursor_execute", note)
    try:
        for read in reads:
            texts = []
            for ids in ([aid, aid + 1], list(range(aid, aid + 20))):
                sent.clear()
                with app.store.session() as session:
                    read(session, ids)
                texts.append([t for t in sent if "athlete_id" in t])
            (few,), (many,) = texts
            assert (few == many) is on_postgresql, (few, many)
            assert ("ANY" in few) is on_postgresql, few
    finally:
        event.remove(app.store.engine, "before_cursor_execute", note)
    with app.store.session() as session:
        PainRepo(session).add(
            aid,
            PainEntry(
                day=date(2024, 5, 1),
                when=PainWhen.REST_DAY,
                score=2,
                red_flags=(next(iter(RedFlag)),),
            ),
        )
    with app.store.read_session() as session:
        flagged = PainRepo(session).list_many([aid + 1, aid], red_flags_only=True)
        assert [e.score for e in flagged[aid]] == [2]
        assert flagged[aid + 1] == []


def test_a_professionals_grants_come_once_each_named_by_the_athletes_first_account(
    app: App,
) -> None:
    from datetime import UTC, datetime

    from backstride.adapters.db.account_tables import UserRow

    with app.store.session() as session:
        users = UserRepo(session)
        pro = users.add(
            email="p@x.org", name="Pro", role="professional", password_hash=None, with_athlete=False
        )
        anna = users.add(
            email="a@x.org", name="Anna", role="runner", password_hash=None, with_athlete=True
        )
        bea = users.add(
            email="b@x.org", name="Bea", role="runner", password_hash=None, with_athlete=True
        )
        session.add(
            UserRow(
                email="a2@x.org",
                name="Anna again",
                role="runner",
                athlete_id=anna.athlete_id,
                disabled=False,
            )
        )
        session.flush()
        grants = GrantRepo(session)
        now = datetime.now(UTC)
        for runner in (anna, bea):
            assert runner.athlete_id is not None
            grants.add(
                athlete_id=runner.athlete_id,
                professional_id=pro.id,
                scopes="diary",
                now=now,
                expires_at=None,
            )
        rows = grants.for_professional(pro.id)
        assert [(r.athlete_id, r.runner_name) for r in rows] == [
            (anna.athlete_id, "Anna"),
            (bea.athlete_id, "Bea"),
        ]
