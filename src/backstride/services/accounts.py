"""Server mode: accounts, logins and the login cookie's session (docs/server.md).

A login is a random token in an HTTP-only cookie; the database keeps only its SHA-256, with
the account and an expiry, so a copy of the database opens no session. Failed logins are
counted per account and per network address (``domain.access.login_wait_s``).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from backstride.adapters.db.account_repos import LoginFailureRepo, LoginSessionRepo, UserRepo
from backstride.adapters.db.account_tables import UserRow
from backstride.adapters.db.engine import DataVersions
from backstride.adapters.oidc import LoginStart, OidcClient
from backstride.adapters.passwords import hash_password, verify_password
from backstride.domain.access import (
    LOGIN_WINDOW_S,
    Role,
    check_password,
    login_wait_s,
    normalise_email,
)
from backstride.errors import InvalidInputError, LoginRequiredError, TooManyAttemptsError
from backstride.services.context import App

NAME_MAX_CHARS = 200


@dataclass(frozen=True, slots=True)
class Account:
    """An account as the interfaces show it (never its password hash)."""

    id: int
    email: str
    name: str
    role: Role
    athlete_id: int | None
    disabled: bool
    created_at: datetime
    has_password: bool
    has_oidc: bool


@dataclass(frozen=True, slots=True)
class Login:
    """A login that is in force: its cookie token's hash, the account, the runner a
    professional is looking at (None: her own pages, or the list of runners)."""

    token_hash: str
    account: Account
    viewing_athlete_id: int | None
    expires_at: datetime
    shown_versions: tuple[int, DataVersions] | None = None
    """A server database: the athlete the login's pages show (her own, or the runner a
    professional opened) and that athlete's data versions, read with the login (in its
    statement and transaction); None elsewhere. Whether she may see them is for the access
    checks: the versions only key cached answers."""


@dataclass(frozen=True, slots=True)
class NewLogin:
    token: str
    """The cookie's value; shown once, stored only as its hash."""
    account: Account
    expires_at: datetime


class _AccountColumns(Protocol):
    """A ``users`` row, or the same columns of a login's query."""

    id: int
    email: str
    name: str
    role: str
    athlete_id: int | None
    disabled: bool
    created_at: datetime
    password_hash: str | None
    oidc_subject: str | None


def _account(row: _AccountColumns | UserRow) -> Account:
    return Account(
        id=row.id,
        email=row.email,
        name=row.name,
        role=Role(row.role),
        athlete_id=row.athlete_id,
        disabled=row.disabled,
        created_at=row.created_at,
        has_password=bool(row.password_hash),
        has_oidc=bool(row.oidc_subject),
    )


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _clean_name(name: str, email: str) -> str:
    text = " ".join(name.split())
    if len(text) > NAME_MAX_CHARS:
        raise InvalidInputError(f"The name is too long: use at most {NAME_MAX_CHARS} characters.")
    return text or email.split("@", 1)[0]


def add_user(
    app: App,
    *,
    email: str,
    name: str = "",
    role: Role = Role.RUNNER,
    password: str | None = None,
) -> Account:
    """A new account (a runner's gets her own, empty athlete). Without a password the
    account logs in through the OpenID Connect login server only."""
    address = normalise_email(email)
    if password is not None:
        check_password(password)
    hashed = hash_password(password) if password is not None else None
    with app.store.session() as session:
        row = UserRepo(session).add(
            email=address,
            name=_clean_name(name, address),
            role=role.value,
            password_hash=hashed,
            with_athlete=role is Role.RUNNER,
        )
        return _account(row)


def list_users(app: App) -> list[Account]:
    with app.store.read_session() as session:
        return [_account(row) for row in UserRepo(session).list()]


def find_user(app: App, email: str) -> Account | None:
    with app.store.read_session() as session:
        row = UserRepo(session).by_email(normalise_email(email))
        return None if row is None else _account(row)


def set_disabled(app: App, email: str, *, disabled: bool) -> Account:
    """Disable an account (its logins end at once) or enable it again."""
    address = normalise_email(email)
    with app.store.session() as session:
        repo = UserRepo(session)
        row = repo.by_email(address)
        if row is None:
            raise InvalidInputError(
                f"There is no account for {address}.", hint="List them with: backstride user list"
            )
        row.disabled = disabled
        if disabled:
            LoginSessionRepo(session).delete_for_user(row.id)
        session.flush()
        return _account(row)


def has_login(app: App) -> bool:
    """Whether anyone can log in: an enabled account, or a login server configured."""
    if app.settings.oidc_configured:
        return True
    with app.store.read_session() as session:
        return UserRepo(session).count_enabled() > 0


def _refused() -> LoginRequiredError:
    return LoginRequiredError(
        "The e-mail address or the password is not right.",
        hint="Check both and try again. The person who runs this server can reset a password.",
    )


def _start_login(app: App, row: UserRow, now: datetime) -> NewLogin:
    """A new session for ``row`` (the caller's unit of work stores it)."""
    token = secrets.token_urlsafe(32)
    expires_at = now + timedelta(hours=app.settings.session_hours)
    return NewLogin(token=token, account=_account(row), expires_at=expires_at)


def login_with_password(
    app: App, *, email: str, password: str, address: str, now: datetime
) -> NewLogin:
    """Check the password and open a login; refused the same way whatever was wrong, and
    refused for a while after too many failures (for the account or from the address)."""
    try:
        account_email = normalise_email(email)
    except InvalidInputError:
        account_email = email.strip().lower()[:254]
    since = now - timedelta(seconds=LOGIN_WINDOW_S)
    with app.store.read_session() as session:
        failures = LoginFailureRepo(session)
        wait = login_wait_s(
            account_failures=failures.times(since=since, email=account_email),
            address_failures=failures.times(since=since, address=address),
            now=now,
        )
        row = UserRepo(session).by_email(account_email)
        stored = row.password_hash if row is not None and not row.disabled else None
    if wait:
        minutes = max(1, (wait + 59) // 60)
        raise TooManyAttemptsError(
            f"Too many failed logins: try again in {minutes} minute{'s' if minutes > 1 else ''}.",
            hint="Nothing is wrong with your data. If you forgot the password, ask the person "
            "who runs this server.",
            retry_after_s=wait,
        )
    ok, new_hash = verify_password(password[:1024], stored)
    with app.store.session() as session:
        if not ok or row is None:
            repo = LoginFailureRepo(session)
            repo.add(email=account_email, address=address, at=now)
            repo.delete_before(now - timedelta(seconds=LOGIN_WINDOW_S))
        else:
            fresh = UserRepo(session).get(row.id)
            if new_hash:
                fresh.password_hash = new_hash
            LoginFailureRepo(session).forget(email=account_email)
            login = _start_login(app, fresh, now)
            sessions = LoginSessionRepo(session)
            sessions.delete_expired(now)
            sessions.add(
                token_hash=token_hash(login.token),
                user_id=fresh.id,
                now=now,
                expires_at=login.expires_at,
            )
            return login
    raise _refused()


def login_with_identity(
    app: App,
    *,
    issuer: str,
    subject: str,
    email: str | None,
    email_verified: bool,
    name: str,
    now: datetime,
) -> NewLogin:
    """A login from the OpenID Connect login server, for the account linked to its subject,
    else the account with its verified e-mail address (then linked). With open registration
    an unknown person gets a new runner account; with closed registration she is refused."""
    with app.store.session() as session:
        users = UserRepo(session)
        row = users.by_oidc(issuer, subject)
        if row is None and email and email_verified:
            row = users.by_email(normalise_email(email))
            if row is not None and row.oidc_subject is None:
                row.oidc_issuer, row.oidc_subject = issuer, subject
        if row is None:
            if app.settings.registration != "open" or not email or not email_verified:
                raise LoginRequiredError(
                    "Your login worked, but there is no account for you on this server.",
                    hint="Ask the person who runs this server to add your e-mail address.",
                )
            address = normalise_email(email)
            row = users.add(
                email=address,
                name=_clean_name(name, address),
                role=Role.RUNNER.value,
                password_hash=None,
                with_athlete=True,
                oidc_issuer=issuer,
                oidc_subject=subject,
            )
        if row.disabled:
            raise LoginRequiredError(
                "This account is disabled.", hint="Ask the person who runs this server."
            )
        login = _start_login(app, row, now)
        LoginSessionRepo(session).add(
            token_hash=token_hash(login.token), user_id=row.id, now=now, expires_at=login.expires_at
        )
        return login


def register(app: App, *, email: str, name: str, password: str, now: datetime) -> NewLogin:
    """Open registration: a new runner account, logged in at once."""
    if app.settings.registration != "open":
        raise LoginRequiredError(
            "New accounts are made by the person who runs this server.",
            hint="Ask them to add your e-mail address.",
        )
    add_user(app, email=email, name=name, role=Role.RUNNER, password=password)
    return login_with_password(app, email=email, password=password, address="register", now=now)


def current_login(app: App, token: str | None, *, now: datetime) -> Login | None:
    """The login a cookie's token opens, or None (unknown, expired, or account disabled)."""
    if not token or len(token) > 128:
        return None
    hashed = token_hash(token)
    with_versions = app.store.is_postgresql
    with app.store.read_session() as session:
        found = LoginSessionRepo(session).get_with_user(hashed, with_versions=with_versions)
    if found is None or found.expires_at <= now or found.disabled:
        return None
    shown = None
    if with_versions and found.shown_athlete_id is not None:
        versions = DataVersions(int(found.version), int(found.non_diary_version))
        shown = (int(found.shown_athlete_id), versions)
    return Login(
        token_hash=hashed,
        account=_account(found),
        viewing_athlete_id=found.viewing_athlete_id,
        expires_at=found.expires_at,
        shown_versions=shown,
    )


def logout(app: App, token: str | None) -> None:
    if not token:
        return
    with app.store.session() as session:
        LoginSessionRepo(session).delete(token_hash(token))


def set_viewing(app: App, login: Login, athlete_id: int | None) -> None:
    """Which runner's pages a professional's login shows (None: back to her list)."""
    with app.store.session() as session:
        LoginSessionRepo(session).set_viewing(login.token_hash, athlete_id)


_OIDC_CLIENTS: dict[tuple[str, str], OidcClient] = {}


def _oidc(app: App) -> OidcClient:
    s = app.settings
    if not s.oidc_configured:
        raise LoginRequiredError("This server has no login server configured.")
    key = (s.oidc_issuer, s.oidc_client_id)
    client = _OIDC_CLIENTS.get(key)
    if client is None:
        client = _OIDC_CLIENTS[key] = OidcClient(
            s.oidc_issuer, s.oidc_client_id, s.oidc_client_secret
        )
    return client


def begin_oidc_login(app: App, *, redirect_uri: str) -> LoginStart:
    """Where to send the browser to log in at the login server (and what to keep)."""
    return _oidc(app).start(redirect_uri)


def finish_oidc_login(
    app: App, *, code: str, redirect_uri: str, nonce: str, verifier: str, now: datetime
) -> NewLogin:
    """The login server sent the browser back with ``code``: check it and log in."""
    identity = _oidc(app).finish(
        code=code, redirect_uri=redirect_uri, nonce=nonce, verifier=verifier
    )
    return login_with_identity(
        app,
        issuer=identity.issuer,
        subject=identity.subject,
        email=identity.email,
        email_verified=identity.email_verified,
        name=identity.name,
        now=now,
    )
