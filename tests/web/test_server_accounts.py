"""Server mode: logins by password and through an OpenID Connect login server, the cookie,
closed registration, the login rate limit, disabled accounts, and the local mode unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient

from backstride.domain.access import ACCOUNT_FAILURES_ALLOWED, Role
from backstride.errors import ConfigError, LoginRequiredError, TooManyAttemptsError
from backstride.services.accounts import (
    add_user,
    current_login,
    has_login,
    list_users,
    login_with_password,
    set_disabled,
)
from backstride.services.context import App, NoAthleteError
from backstride.web.access import SESSION_COOKIE
from backstride.web.app import create_app
from backstride.web.security import require_loopback
from tests.databases import DbBackend
from tests.web.oidc_provider import CLIENT_ID, CLIENT_SECRET, Person, Provider, start_provider
from tests.web.server_kit import PASSWORD, client_for, csrf, server_settings

NOW = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)


@pytest.fixture
def context(tmp_path: Path, db_url: str) -> Iterator[App]:
    app = App(server_settings(tmp_path, db=db_url))
    yield app
    app.close()


def test_password_login_opens_a_session_and_stores_only_a_hash(context: App) -> None:
    add_user(context, email="Anna@Example.org", name="Anna", password=PASSWORD)
    login = login_with_password(
        context, email="anna@example.org", password=PASSWORD, address="10.0.0.1", now=NOW
    )
    assert login.account.email == "anna@example.org" and login.account.role is Role.RUNNER
    found = current_login(context, login.token, now=NOW + timedelta(hours=1))
    assert found is not None and found.account.id == login.account.id
    assert current_login(context, login.token, now=login.expires_at) is None  # expired
    with context.store.read_session() as session:
        stored = session.execute(
            __import__("sqlalchemy").text("SELECT * FROM login_sessions")
        ).all()
        hashes = session.execute(
            __import__("sqlalchemy").text("SELECT password_hash FROM users")
        ).all()
    assert login.token not in repr(stored)
    assert hashes[0][0].startswith("$argon2id$") and PASSWORD not in hashes[0][0]


def test_wrong_password_and_unknown_account_are_refused_alike(context: App) -> None:
    add_user(context, email="anna@example.org", password=PASSWORD)
    messages = set()
    for email, password in (
        ("anna@example.org", "wrong password!!"),
        ("nobody@example.org", PASSWORD),
    ):
        with pytest.raises(LoginRequiredError) as caught:
            login_with_password(context, email=email, password=password, address="a", now=NOW)
        messages.add(caught.value.message)
    assert len(messages) == 1


def test_too_many_failures_refuse_even_the_right_password_for_a_while(context: App) -> None:
    add_user(context, email="anna@example.org", password=PASSWORD)
    for i in range(ACCOUNT_FAILURES_ALLOWED):
        with pytest.raises(LoginRequiredError):
            login_with_password(
                context,
                email="anna@example.org",
                password="nope nope nope",
                address=f"a{i}",
                now=NOW + timedelta(seconds=i),
            )
    with pytest.raises(TooManyAttemptsError) as caught:
        login_with_password(
            context,
            email="anna@example.org",
            password=PASSWORD,
            address="b",
            now=NOW + timedelta(minutes=1),
        )
    assert 0 < caught.value.retry_after_s <= 15 * 60
    later = NOW + timedelta(minutes=16)
    assert login_with_password(
        context, email="anna@example.org", password=PASSWORD, address="b", now=later
    )


def test_disabling_an_account_ends_its_logins_at_once(context: App) -> None:
    add_user(context, email="anna@example.org", password=PASSWORD)
    login = login_with_password(
        context, email="anna@example.org", password=PASSWORD, address="a", now=NOW
    )
    set_disabled(context, "anna@example.org", disabled=True)
    assert current_login(context, login.token, now=NOW) is None
    with pytest.raises(LoginRequiredError):
        login_with_password(
            context, email="anna@example.org", password=PASSWORD, address="a", now=NOW
        )
    assert [u.disabled for u in list_users(context)] == [True]
    assert not has_login(context)


def test_the_server_context_never_picks_an_athlete_itself(tmp_path: Path, db_url: str) -> None:
    app = App(server_settings(tmp_path, db=db_url), per_request=True)
    try:
        with pytest.raises(NoAthleteError):
            _ = app.athlete_id
    finally:
        app.close()


def test_cookie_is_http_only_secure_and_same_site(tmp_path: Path, db_url: str) -> None:
    settings = server_settings(tmp_path, db=db_url)
    context = App(settings)
    add_user(context, email="anna@example.org", password=PASSWORD)
    context.close()
    web_app = create_app(settings, allowed_hosts=["testserver"])
    try:
        client = client_for(web_app)
        token = csrf(client)
        answer = client.post(
            "/login",
            data={
                "email": "anna@example.org",
                "password": PASSWORD,
                "csrf_token": token,
                "next": "/load",
            },
            follow_redirects=False,
        )
        assert answer.status_code == 303 and answer.headers["location"] == "/load"
        cookie = answer.headers["set-cookie"].lower()
        assert SESSION_COOKIE in cookie
        for part in ("httponly", "secure", "samesite=lax", "path=/"):
            assert part in cookie, part
        # a forged login form (no token) is refused
        forged = TestClient(web_app, base_url="https://testserver").post(
            "/login", data={"email": "anna@example.org", "password": PASSWORD}
        )
        assert forged.status_code == 403
        # an open redirect through next= is not followed
        other = client_for(web_app)
        answer = other.post(
            "/login",
            data={
                "email": "anna@example.org",
                "password": PASSWORD,
                "csrf_token": csrf(other),
                "next": "//evil.example/",
            },
            follow_redirects=False,
        )
        assert answer.headers["location"] == "/"
        # logging out ends the session on the server too
        assert client.get("/today").status_code == 200
        stolen = client.cookies.get(SESSION_COOKIE)
        client.post("/logout", data={"csrf_token": token})
        thief = client_for(web_app)
        thief.cookies.set(SESSION_COOKIE, stolen or "", domain="testserver")
        assert thief.get("/today", follow_redirects=False).status_code == 303
    finally:
        web_app.state.web.app.close()


def test_the_login_page_says_when_to_try_again(tmp_path: Path, db_url: str) -> None:
    settings = server_settings(tmp_path, db=db_url)
    context = App(settings)
    add_user(context, email="anna@example.org", password=PASSWORD)
    context.close()
    web_app = create_app(settings, allowed_hosts=["testserver"])
    try:
        client = client_for(web_app)
        token = csrf(client)
        answers = [
            client.post(
                "/login",
                data={
                    "email": "anna@example.org",
                    "password": "bad password!!",
                    "csrf_token": token,
                },
            )
            for _ in range(ACCOUNT_FAILURES_ALLOWED + 1)
        ]
        assert [a.status_code for a in answers[:-1]] == [401] * ACCOUNT_FAILURES_ALLOWED
        assert answers[-1].status_code == 429 and int(answers[-1].headers["retry-after"]) > 0
        assert "Too many failed logins" in answers[-1].text
    finally:
        web_app.state.web.app.close()


def test_registration_is_closed_by_default(tmp_path: Path, db_url: str) -> None:
    settings = server_settings(tmp_path, db=db_url)
    web_app = create_app(settings, allowed_hosts=["testserver"])
    try:
        client = client_for(web_app)
        assert "made by the person who runs this server" in client.get("/register").text
        token = csrf(client, "/login")
        answer = client.post(
            "/register",
            data={
                "email": "new@example.org",
                "name": "New",
                "password": PASSWORD,
                "csrf_token": token,
            },
        )
        assert answer.status_code == 401
        assert list_users(web_app.state.web.app) == []
    finally:
        web_app.state.web.app.close()


def test_open_registration_creates_a_runner_logged_in(tmp_path: Path, db_url: str) -> None:
    settings = server_settings(tmp_path, db=db_url, registration="open")
    web_app = create_app(settings, allowed_hosts=["testserver"])
    try:
        client = client_for(web_app)
        token = csrf(client, "/register")
        answer = client.post(
            "/register",
            data={
                "email": "new@example.org",
                "name": "New",
                "password": PASSWORD,
                "csrf_token": token,
            },
            follow_redirects=False,
        )
        assert answer.status_code == 303
        assert client.get("/today").status_code == 200
        short = client_for(web_app)
        answer = short.post(
            "/register",
            data={
                "email": "b@example.org",
                "password": "short",
                "csrf_token": csrf(short, "/register"),
            },
        )
        assert answer.status_code == 422 and "too short" in answer.text
    finally:
        web_app.state.web.app.close()


# --- OpenID Connect ---------------------------------------------------------------------------


@pytest.fixture
def provider() -> Iterator[Provider]:
    p = start_provider(Person(subject="sub-123", email="anna@example.org", name="Anna Idp"))
    yield p
    p.stop()


def _oidc_login(client: TestClient, provider: Provider) -> httpx.Response:
    start = client.get("/login/oidc", follow_redirects=False)
    assert start.status_code == 303, start.text[:300]
    location = start.headers["location"]
    assert location.startswith(provider.issuer + "/authorize")
    back = httpx.get(location, follow_redirects=False)
    assert back.status_code == 302
    callback = urlsplit(back.headers["location"])
    return client.get(f"{callback.path}?{callback.query}", follow_redirects=False)


def _oidc_app(
    tmp_path: Path, db_url: str, provider: Provider, **overrides: object
) -> tuple[App, object]:
    settings = server_settings(
        tmp_path,
        db=db_url,
        oidc_issuer=provider.issuer,
        oidc_client_id=CLIENT_ID,
        oidc_client_secret=CLIENT_SECRET,
        **overrides,
    )
    return App(settings), create_app(settings, allowed_hosts=["testserver"])


def test_oidc_login_links_the_account_with_that_address(
    tmp_path: Path, db_url: str, provider: Provider
) -> None:
    context, web_app = _oidc_app(tmp_path, db_url, provider)
    try:
        add_user(context, email="anna@example.org", name="Anna", password=None)
        client = client_for(web_app)  # type: ignore[arg-type]
        done = _oidc_login(client, provider)
        assert done.status_code == 303 and done.headers["location"] == "/"
        assert client.get("/today").status_code == 200
        [anna] = list_users(context)
        assert anna.has_oidc and not anna.has_password
        # a second login finds the account by its subject
        other = client_for(web_app)  # type: ignore[arg-type]
        assert _oidc_login(other, provider).status_code == 303
    finally:
        web_app.state.web.app.close()  # type: ignore[attr-defined]
        context.close()


def test_oidc_login_of_an_unknown_person_is_refused_with_closed_registration(
    tmp_path: Path, db_url: str, provider: Provider
) -> None:
    context, web_app = _oidc_app(tmp_path, db_url, provider)
    try:
        client = client_for(web_app)  # type: ignore[arg-type]
        done = _oidc_login(client, provider)
        assert done.status_code == 401 and "no account for you" in done.text
        assert list_users(context) == []
    finally:
        web_app.state.web.app.close()  # type: ignore[attr-defined]
        context.close()


def test_oidc_login_with_open_registration_creates_a_runner(
    tmp_path: Path, db_url: str, provider: Provider
) -> None:
    context, web_app = _oidc_app(tmp_path, db_url, provider, registration="open")
    try:
        client = client_for(web_app)  # type: ignore[arg-type]
        assert _oidc_login(client, provider).status_code == 303
        [anna] = list_users(context)
        assert anna.email == "anna@example.org" and anna.name == "Anna Idp"
    finally:
        web_app.state.web.app.close()  # type: ignore[attr-defined]
        context.close()


def test_oidc_login_refuses_a_token_with_the_wrong_nonce_or_a_forged_state(
    tmp_path: Path, db_url: str, provider: Provider
) -> None:
    context, web_app = _oidc_app(tmp_path, db_url, provider, registration="open")
    try:
        provider.tamper_nonce = True
        client = client_for(web_app)  # type: ignore[arg-type]
        assert _oidc_login(client, provider).status_code == 401
        provider.tamper_nonce = False
        fresh = client_for(web_app)  # type: ignore[arg-type]
        forged = fresh.get("/login/oidc/callback?code=abc&state=forged", follow_redirects=False)
        assert forged.status_code == 401
        assert list_users(context) == []
    finally:
        web_app.state.web.app.close()  # type: ignore[attr-defined]
        context.close()


# --- reach ------------------------------------------------------------------------------------


def test_serve_opens_other_addresses_only_with_a_login() -> None:
    with pytest.raises(ConfigError):
        require_loopback("0.0.0.0")
    with pytest.raises(ConfigError):
        require_loopback("192.0.2.7", login_required=False)
    require_loopback("0.0.0.0", login_required=True)


def test_serve_server_refuses_a_network_address_until_someone_can_log_in(
    db_url: str, cli: object
) -> None:
    db = db_url
    result = cli("serve", "--server", "--host", "0.0.0.0", db=db)  # type: ignore[operator]
    assert result.exit_code == 2
    assert (
        "nobody can log in yet" in result.stdout and "will not listen on 0.0.0.0" in result.stderr
    )


def test_local_mode_has_no_login(tmp_path: Path, db_url: str) -> None:
    from tests.web.conftest import make_settings

    web_app = create_app(make_settings(tmp_path, db=db_url), allowed_hosts=["testserver"])
    try:
        client = TestClient(web_app)
        assert client.get("/today").status_code == 200
        assert client.get("/login").status_code == 200  # the page exists, nothing requires it
        assert "Log out" not in client.get("/today").text
    finally:
        web_app.state.web.app.close()


def test_user_commands(db_url: str, cli: object, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    db = db_url
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    added = cli("user", "add", "Anna@Example.org", "--name", "Anna", "--password-stdin", db=db)  # type: ignore[operator]
    assert added.exit_code == 0, added.stderr
    pro = cli(
        "user", "add", "pro@example.org", "--role", "professional", "--no-password", "--json", db=db
    )  # type: ignore[operator]
    assert pro.json()["role"] == "professional"
    again = cli("user", "add", "anna@example.org", "--no-password", db=db)  # type: ignore[operator]
    assert again.exit_code == 1 and "already an account" in again.stderr
    bad = cli("user", "add", "not-an-address", "--no-password", db=db)  # type: ignore[operator]
    assert bad.exit_code == 1 and "not an e-mail address" in bad.stderr
    listed = cli("user", "list", "--json", db=db)  # type: ignore[operator]
    assert [(u["email"], u["login"]) for u in listed.json()] == [
        ("anna@example.org", "password"),
        ("pro@example.org", "login server (not yet used)"),
    ]
    assert cli("user", "disable", "pro@example.org", db=db).exit_code == 0  # type: ignore[operator]
    assert [u["disabled"] for u in cli("user", "list", "--json", db=db).json()] == [False, True]  # type: ignore[operator]
    missing = cli("user", "disable", "zed@example.org", db=db)  # type: ignore[operator]
    assert missing.exit_code == 1 and "no account" in missing.stderr


ACCOUNT_TABLES = (
    "users",
    "login_sessions",
    "login_failures",
    "grants",
    "audit_events",
    "care_notes",
)


def test_account_models_match_the_migrations(tmp_path: Path, db_backend: DbBackend) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    import backstride.adapters.db.account_tables  # noqa: F401
    from backstride.adapters.db.engine import Store
    from backstride.adapters.db.tables import Base

    store = Store(db_backend.new_url(tmp_path, filename="m.sqlite3"))
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = [
            d
            for d in compare_metadata(context, Base.metadata)
            if any(t in str(d) for t in ACCOUNT_TABLES)
        ]
    store.dispose()
    assert diff == []


def test_config_show_never_prints_the_secrets(cli: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKSTRIDE_OIDC_CLIENT_SECRET", "very-secret-value")
    monkeypatch.setenv("BACKSTRIDE_SECRET_KEY", "another-secret-value")
    for args in (("config", "show", "--json"), ("config", "show")):
        shown = cli(*args)  # type: ignore[operator]
        assert (
            "very-secret-value" not in shown.stdout and "another-secret-value" not in shown.stdout
        )
    assert cli("config", "show", "--json").json()["oidc_client_secret"] == "(set)"  # type: ignore[operator]
