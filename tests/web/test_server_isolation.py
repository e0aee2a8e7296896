"""Server mode: every page and API operation, asked by each kind of visitor.

Runner A never sees runner B's data; a professional sees exactly the scopes granted, loses
access at revoke or expiry on the very next request, and every access is in the runner's
audit log; a stranger (no grant) and a visitor without a login see nothing.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import update

from backstride.adapters.db.account_tables import GrantRow
from backstride.domain.access import Scope
from backstride.services.accounts import find_user
from backstride.services.activities import count_activities, get_activity_summary
from backstride.services.context import App
from backstride.services.diary import list_pain
from backstride.services.sharing import audit_log
from backstride.web.access import EVERYONE_PATHS, PUBLIC_PATHS, shared_page
from backstride.web.app import ROUTERS, create_app
from tests.databases import DbBackend
from tests.web.server_kit import (
    Runner,
    add_professional,
    client_for,
    csrf,
    log_in,
    open_runner,
    seed_runner,
    server_settings,
    share,
)


@dataclass
class World:
    app: FastAPI
    context: App
    anna: Runner
    ben: Runner


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, db_backend: DbBackend) -> Iterator[World]:
    root = tmp_path_factory.mktemp("server")
    settings = server_settings(root, db=db_backend.new_url(root, filename="web.sqlite3"))
    context = App(settings)
    anna = seed_runner(context, email="anna@example.org", name="Anna", marker="ANNA-SECRET")
    ben = seed_runner(context, email="ben@example.org", name="Ben", marker="BEN-SECRET")
    add_professional(context, email="pro@example.org", name="Dr Pro")
    add_professional(context, email="other@example.org", name="Dr Other")
    web_app = create_app(settings, allowed_hosts=["testserver"])
    yield World(web_app, context, anna, ben)
    web_app.state.web.app.close()
    context.close()


def _routes(web_app: FastAPI) -> list[tuple[str, str]]:
    """(method, path template) of every page and API operation."""
    out = []
    for route in (r for router in ROUTERS for r in router.routes):
        if isinstance(route, APIRoute):
            for method in sorted(route.methods or ()):
                if method != "HEAD":
                    out.append((method, route.path))
    return out


def _fill(path: str, target: Runner) -> str:
    """A concrete path aimed at ``target``'s own records."""
    return (
        path.replace("{activity_id}", str(target.activity_id))
        .replace("{entry_id}", str(target.pain_id))
        .replace("{measure_id}", "1")
        .replace("{grant_id}", "1")
        .replace("{job_id}", "1")
        .replace("{athlete_id}", str(target.athlete_id))
        .replace("{key}", "silbernagel-2007")
    )


def _ask(client: TestClient, method: str, path: str, token: str) -> tuple[int, str]:
    if method == "GET":
        answer = client.get(path, follow_redirects=False)
    elif path.startswith("/api/"):
        answer = client.request(method, path, json={}, headers={"X-CSRF-Token": token})
    else:
        answer = client.request(method, path, data={"csrf_token": token}, follow_redirects=False)
    return answer.status_code, answer.text


def _snapshot(world: World, runner: Runner) -> tuple[int, str | None, int]:
    mine = world.context.for_athlete(runner.athlete_id)
    row = get_activity_summary(mine, runner.activity_id)
    return count_activities(mine), row.name, len(list_pain(mine).entries)


def test_runner_never_sees_or_changes_another_runners_data(world: World) -> None:
    client = client_for(world.app)
    token = log_in(client, world.anna.email)
    before = _snapshot(world, world.ben)
    asked = 0
    for method, template in _routes(world.app):
        if template in ("/logout",) or template.startswith("/runners"):
            continue
        path = _fill(template, world.ben)
        status, body = _ask(client, method, path, token)
        asked += 1
        assert world.ben.marker not in body, f"{method} {path} showed Ben's data"
        holds_records = not template.startswith("/sharing") and not EVERYONE_PATHS.match(
            template.replace("{key}", "x")
        )  # a source's summary is nobody's record
        if "{" in template and method == "GET" and holds_records:
            assert status in (403, 404), f"{method} {path} answered {status} for Ben's record"
    assert asked > 60
    assert _snapshot(world, world.ben) == before
    # and her own data is there
    assert world.anna.marker in client.get(f"/activities/{world.anna.activity_id}").text


def test_without_a_login_every_page_sends_to_the_login_page(world: World) -> None:
    client = client_for(world.app)
    for method, template in _routes(world.app):
        if template in PUBLIC_PATHS:
            continue
        path = _fill(template, world.ben)
        status, body = _ask(client, method, path, "0" * 64)
        assert world.ben.marker not in body and world.anna.marker not in body, path
        if method == "GET" and not path.startswith("/api/"):
            assert status == 303, f"GET {path}: {status}"
        else:
            assert status in (401, 403), f"{method} {path}: {status}"


def _expected(method: str, template: str, granted: frozenset[Scope]) -> bool:
    if method == "GET" and EVERYONE_PATHS.match(template.replace("{key}", "x")):
        return True  # the summaries of the sources hold nobody's data
    page = shared_page(method, template.replace("{activity_id}", "1").replace("{entry_id}", "1"))
    return page is not None and (page.scope is None or page.scope in granted)


SCOPE_SETS = [frozenset({s}) for s in Scope] + [frozenset(Scope)]


@pytest.mark.parametrize("granted", SCOPE_SETS, ids=lambda s: "+".join(sorted(x.value for x in s)))
def test_professional_sees_exactly_the_scopes_granted(
    tmp_path: Path, db_url: str, granted: frozenset[Scope]
) -> None:
    settings = server_settings(tmp_path, db=db_url)
    context = App(settings)
    anna = seed_runner(context, email="anna@example.org", name="Anna", marker="ANNA-SECRET")
    ben = seed_runner(context, email="ben@example.org", name="Ben", marker="BEN-SECRET")
    add_professional(context, email="pro@example.org", name="Dr Pro")
    web_app = create_app(settings, allowed_hosts=["testserver"])
    try:
        runner = client_for(web_app)
        share(runner, log_in(runner, anna.email), "pro@example.org", *(s.value for s in granted))
        pro = client_for(web_app)
        token = log_in(pro, "pro@example.org")
        assert open_runner(pro, token, ben.athlete_id) == 403  # Ben shares nothing
        assert open_runner(pro, token, anna.athlete_id) == 303
        effective = set(granted) | ({Scope.PLAN} if Scope.PLAN_ADJUST in granted else set())
        for method, template in _routes(web_app):
            if template in PUBLIC_PATHS or template.startswith(("/runners", "/report.pdf")):
                continue
            if method != "GET" and shared_page(method, template) is None:
                # a change the professional may never make: refused before it runs
                status, body = _ask(pro, method, _fill(template, anna), token)
                assert status == 403, f"{method} {template}: {status}"
                continue
            if method != "GET":
                continue
            status, body = _ask(pro, method, _fill(template, anna), token)
            assert ben.marker not in body
            if _expected(method, template, frozenset(effective)):
                assert status == 200, f"GET {template}: {status} with {sorted(effective)}"
            else:
                assert status == 403, f"GET {template}: {status} with {sorted(effective)}"
                assert anna.marker not in body
    finally:
        web_app.state.web.app.close()
        context.close()


def test_revoke_and_expiry_stop_the_next_request_and_every_access_is_logged(
    world: World,
) -> None:
    runner = client_for(world.app)
    runner_token = log_in(runner, world.ben.email)
    share(runner, runner_token, "pro@example.org", "report", "activities", "diary")
    pro = client_for(world.app)
    token = log_in(pro, "pro@example.org")
    assert open_runner(pro, token, world.ben.athlete_id) == 303
    opened = ["/today", "/activities", f"/activities/{world.ben.activity_id}", "/diary", "/report"]
    for path in opened:
        assert pro.get(path).status_code == 200, path
    ben = find_user(world.context, world.ben.email)
    assert ben is not None
    log = audit_log(world.context, ben)
    whats = [e.what for e in log if e.who.startswith("Dr Pro")]
    for words in (
        "Today's advice",
        "the list of activities",
        "an activity",
        "the pain diary",
        "the report",
    ):
        assert words in whats, words
    assert all(e.action in ("read", "changed", "shared", "stopped") for e in log)
    # the runner reads her log on her Sharing page
    page = runner.get("/sharing").text
    assert "Dr Pro (pro@example.org)" in page and "the pain diary" in page

    # Revoke: the very next request is refused.
    grant_id = next(g.id for g in _grants(world, world.ben) if g.revoked_at is None)
    answer = runner.post(
        f"/sharing/{grant_id}/revoke", data={"csrf_token": runner_token}, follow_redirects=False
    )
    assert answer.status_code == 303
    refused = pro.get("/activities")
    assert refused.status_code == 403 and world.ben.marker not in refused.text
    assert world.ben.name not in pro.get("/runners").text

    # Expiry: a grant whose end has passed stops the next request too.
    share(runner, runner_token, "pro@example.org", "activities")
    assert open_runner(pro, token, world.ben.athlete_id) == 303
    assert pro.get("/activities").status_code == 200
    with world.context.store.session() as session:
        session.execute(
            update(GrantRow)
            .where(GrantRow.athlete_id == world.ben.athlete_id, GrantRow.revoked_at.is_(None))
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    assert pro.get("/activities").status_code == 403
    assert pro.get("/today").status_code == 403


def _grants(world: World, runner: Runner) -> list[GrantRow]:
    with world.context.store.read_session() as session:
        from sqlalchemy import select

        return list(
            session.scalars(select(GrantRow).where(GrantRow.athlete_id == runner.athlete_id))
        )


def test_a_stranger_sees_nothing(world: World) -> None:
    stranger = client_for(world.app)
    token = log_in(stranger, "other@example.org")
    assert "Anna" not in stranger.get("/runners").text
    for athlete in (world.anna.athlete_id, world.ben.athlete_id):
        assert open_runner(stranger, token, athlete) == 403
        answer = stranger.post(
            f"/runners/{athlete}/notes", data={"csrf_token": token, "note": "hello"}
        )
        assert answer.status_code == 403
    for path in ("/today", "/api/today", "/activities", "/api/activities"):
        status, body = _ask(stranger, "GET", path, token)
        assert status in (303, 403), path
        assert world.anna.marker not in body and world.ben.marker not in body


def test_the_sources_are_open_to_everyone_logged_in_and_to_no_one_else(world: World) -> None:
    stranger = client_for(world.app)
    assert stranger.get("/evidence", follow_redirects=False).status_code == 303  # log in first
    token = log_in(stranger, "other@example.org")  # a professional nobody shared with
    for path in ("/evidence", "/api/evidence"):
        status, body = _ask(stranger, "GET", path, token)
        assert status == 200, path
        assert world.anna.marker not in body and world.ben.marker not in body
    runner = client_for(world.app)
    runner_token = log_in(runner, world.anna.email)
    assert _ask(runner, "GET", "/evidence", runner_token)[0] == 200


def test_professional_can_adjust_the_plan_only_when_allowed(world: World) -> None:
    runner = client_for(world.app)
    share(runner, log_in(runner, world.anna.email), "pro@example.org", "plan")
    pro = client_for(world.app)
    token = log_in(pro, "pro@example.org")
    assert open_runner(pro, token, world.anna.athlete_id) == 303
    assert pro.get("/plan").status_code == 200
    data = {"csrf_token": token}
    assert pro.post("/plan/start", data=data, follow_redirects=False).status_code == 403
    share(runner, csrf(runner, "/sharing"), "pro@example.org", "plan-adjust")
    answer = pro.post("/plan/start", data=data, follow_redirects=False)
    assert answer.status_code != 403
    anna = find_user(world.context, world.anna.email)
    assert anna is not None
    assert any(
        e.action == "changed" and e.what == "the plan" for e in audit_log(world.context, anna)
    )


def test_professional_leaves_a_note_the_runner_reads(world: World) -> None:
    runner = client_for(world.app)
    share(runner, log_in(runner, world.anna.email), "pro@example.org", "report")
    pro = client_for(world.app)
    token = log_in(pro, "pro@example.org")
    roster = pro.get("/runners").text
    assert "Anna" in roster
    answer = pro.post(
        f"/runners/{world.anna.athlete_id}/notes",
        data={"csrf_token": token, "note": "Keep the runs flat this week."},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert "Keep the runs flat this week." in runner.get("/sharing").text


def test_runners_with_open_warning_signs_come_first(tmp_path: Path, db_url: str) -> None:
    from datetime import date

    from backstride.services.diary import PainInput, add_pain

    settings = server_settings(tmp_path, db=db_url)
    context = App(settings)
    anna = seed_runner(context, email="anna@example.org", name="Anna", marker="ANNA-SECRET")
    zoe = seed_runner(context, email="zoe@example.org", name="Zoe", marker="ZOE-SECRET")
    add_professional(context, email="pro@example.org", name="Dr Pro")
    add_pain(
        context.for_athlete(zoe.athlete_id),
        PainInput(day=date.today(), when="rest-day", score=4, red_flags=["saddle-numbness"]),
        today=date.today(),
    )
    web_app = create_app(settings, allowed_hosts=["testserver"])
    try:
        for who in (anna, zoe):
            c = client_for(web_app)
            share(c, log_in(c, who.email), "pro@example.org", "diary")
        pro = client_for(web_app)
        log_in(pro, "pro@example.org")
        page = pro.get("/runners").text
        assert page.index("Zoe") < page.index("Anna")
        assert "Open warning signs" in page
    finally:
        web_app.state.web.app.close()
        context.close()


def test_every_pair_of_runners_is_isolated_in_the_cache(world: World) -> None:
    """Two runners asking the same cached pages in turn each get their own answers."""
    a, b = client_for(world.app), client_for(world.app)
    log_in(a, world.anna.email)
    log_in(b, world.ben.email)
    for (client, mine, other), path in itertools.product(
        ((a, world.anna, world.ben), (b, world.ben, world.anna)),
        ("/activities", "/api/activities", "/shoes", "/api/pain"),
    ):
        body = client.get(path).text
        assert mine.marker in body and other.marker not in body, path


def test_a_runners_write_forgets_her_answers_only(tmp_path: Path) -> None:
    from backstride.web.cache import ResultCache

    cache = ResultCache(f"sqlite:///{tmp_path / 'none.sqlite3'}")
    anna, ben = cache.scoped(1), cache.scoped(2)
    computed: list[str] = []

    def compute(who: str) -> str:
        computed.append(who)
        return who

    for _ in range(2):
        assert anna.get("load", lambda: compute("anna")) == "anna"
        assert ben.get("load", lambda: compute("ben")) == "ben"
    assert computed == ["anna", "ben"]
    anna.bump()
    anna.get("load", lambda: compute("anna"))
    ben.get("load", lambda: compute("ben"))
    assert computed == ["anna", "ben", "anna"]


def test_the_roster_names_each_runner_and_what_she_shares_in_one_visit(
    tmp_path: Path, db_url: str
) -> None:
    """The list of runners reads the grants with the runners' names in one statement: each
    runner in force is listed under her own name with what she shares (a revoked or expired
    grant is not), and each listed runner gets one audit row for the visit."""
    from backstride.domain.access import Role
    from backstride.services.accounts import add_user
    from backstride.services.sharing import grant_access, revoke_access, roster

    context = App(server_settings(tmp_path, db=db_url))
    try:
        now = datetime.now(UTC)
        runners = {
            name: add_user(context, email=f"{name.lower()}@example.org", name=name)
            for name in ("Anna", "Bea", "Cleo", "Dora")
        }
        pro = add_user(context, email="pro@example.org", name="Dr Pro", role=Role.PROFESSIONAL)
        for name, scopes in (
            ("Anna", ["report"]),
            ("Bea", ["diary", "plan"]),
            ("Dora", ["report"]),
        ):
            grant_access(
                context,
                runners[name],
                professional_email=pro.email,
                scopes=scopes,
                expires_on=None,
                now=now,
            )
        cleo = grant_access(
            context,
            runners["Cleo"],
            professional_email=pro.email,
            scopes=["diary"],
            expires_on=None,
            now=now,
        )
        revoke_access(context, runners["Cleo"], cleo.id, now=now)
        with context.store.session() as session:  # Dora's grant ended an hour ago
            session.execute(
                update(GrantRow)
                .where(GrantRow.athlete_id == runners["Dora"].athlete_id)
                .values(expires_at=now - timedelta(hours=1))
            )
        entries = roster(context, find_user(context, pro.email), now=now)  # type: ignore[arg-type]
        assert [(e.name, e.athlete_id, e.shares_report, e.shares_diary) for e in entries] == [
            ("Anna", runners["Anna"].athlete_id, True, False),
            ("Bea", runners["Bea"].athlete_id, False, True),
        ]
        for name, listed in (("Anna", True), ("Bea", True), ("Cleo", False), ("Dora", False)):
            seen = [e for e in audit_log(context, runners[name]) if e.who.startswith("Dr Pro")]
            assert len(seen) == (1 if listed else 0), (name, seen)
    finally:
        context.close()
