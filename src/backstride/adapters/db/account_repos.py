"""Queries of the server mode's accounts and logins (``account_tables``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, bindparam, delete, func, insert, literal, select, text

from backstride.adapters.db.account_tables import (
    AuditEventRow,
    CareNoteRow,
    GrantRow,
    LoginFailureRow,
    LoginSessionRow,
    UserRow,
)
from backstride.adapters.db.engine import ALL_ATHLETES
from backstride.adapters.db.repo import Repo
from backstride.adapters.db.tables import AthleteRow, DataVersionRow, UTCDateTime
from backstride.errors import ConflictError, NotFoundError

_grants, _user = GrantRow.__table__, UserRow.__table__
_GRANTS_OF_PROFESSIONAL = (
    select(*_grants.c, _user.c.name.label("runner_name"))
    .select_from(_grants.outerjoin(_user, _user.c.athlete_id == _grants.c.athlete_id))
    .where(_grants.c.professional_id == bindparam("professional"), _grants.c.revoked_at.is_(None))
    .order_by(_grants.c.id, _user.c.id)
)
"""The list of runners' grants with each runner's name, in one plain statement of the tables'
columns (``body_repos``): a join, one pass over the accounts (where a subquery per grant
scanned them once per runner); an athlete with two accounts gives a row per account, the
first (by account) names her (:meth:`GrantRepo.for_professional`)."""


class UserRepo(Repo):
    def add(
        self,
        *,
        email: str,
        name: str,
        role: str,
        password_hash: str | None,
        with_athlete: bool,
        oidc_issuer: str | None = None,
        oidc_subject: str | None = None,
    ) -> UserRow:
        """A new account; a runner's gets an athlete of her own (named after her)."""
        if self.by_email(email) is not None:
            raise ConflictError(
                f"There is already an account for {email}.",
                hint="Choose another address, or enable that account again.",
            )
        athlete_id = None
        if with_athlete:
            athlete = AthleteRow(name=name)
            self.session.add(athlete)
            self.session.flush()
            athlete_id = athlete.id
        row = UserRow(
            email=email,
            name=name,
            role=role,
            athlete_id=athlete_id,
            password_hash=password_hash,
            oidc_issuer=oidc_issuer,
            oidc_subject=oidc_subject,
            disabled=False,
        )
        return self._insert(row)

    def get(self, user_id: int) -> UserRow:
        row = self.session.get(UserRow, user_id)
        if row is None:
            raise NotFoundError(f"There is no account number {user_id}.")
        return row

    def by_email(self, email: str) -> UserRow | None:
        return self.session.scalars(select(UserRow).where(UserRow.email == email)).first()

    def by_oidc(self, issuer: str, subject: str) -> UserRow | None:
        return self.session.scalars(
            select(UserRow).where(UserRow.oidc_issuer == issuer, UserRow.oidc_subject == subject)
        ).first()

    def by_athlete(self, athlete_id: int) -> UserRow | None:
        return self.session.scalars(select(UserRow).where(UserRow.athlete_id == athlete_id)).first()

    def list(self) -> Sequence[UserRow]:
        return self.session.scalars(select(UserRow).order_by(UserRow.email)).all()

    def count_enabled(self) -> int:
        return len(
            self.session.scalars(select(UserRow.id).where(UserRow.disabled.is_(False))).all()
        )


ACCOUNT_COLUMNS = (
    "id",
    "email",
    "name",
    "role",
    "athlete_id",
    "disabled",
    "created_at",
    "password_hash",
    "oidc_subject",
)
"""The columns of ``users`` an account is made of (``services.accounts.Account``)."""
_logins, _users = LoginSessionRow.__table__, UserRow.__table__
_LOGIN_WITH_USER = (
    select(
        _logins.c.expires_at,
        _logins.c.viewing_athlete_id,
        *(_users.c[name] for name in ACCOUNT_COLUMNS),
    )
    .join(_users, _users.c.id == _logins.c.user_id)
    .where(_logins.c.token_hash == bindparam("token_hash"))
)
"""Every request of a server reads its login with this: built once (``repo`` module), of the
tables' columns (a plain statement: the ORM's handling of a query costs as much again)."""
_versions = DataVersionRow.__table__.c
_SHOWN = func.coalesce(_users.c.athlete_id, _logins.c.viewing_athlete_id)
"""The athlete a login's pages show: a runner's own; the runner a professional opened."""


def _versions_sum(column: ColumnElement[int]) -> ColumnElement[int]:
    """``engine.READ_VERSION``'s sum of ``column`` for the athlete :data:`_SHOWN`."""
    return (
        select(func.coalesce(func.sum(column), 0))
        .where(_versions.athlete_id.in_([_SHOWN, literal(ALL_ATHLETES)]))  # two index lookups
        .scalar_subquery()
    )


_LOGIN_WITH_USER_AND_VERSIONS = _LOGIN_WITH_USER.add_columns(
    _SHOWN.label("shown_athlete_id"),
    _versions_sum(_versions.version).label("version"),
    _versions_sum(_versions.non_diary_version).label("non_diary_version"),
)
"""The login as :data:`_LOGIN_WITH_USER`, with the data versions of the athlete its pages
show (``engine.read_data_versions``, summed the same way): a server database's cached
answers are checked against them, so a page answered from the cache is one statement."""


class LoginSessionRepo(Repo):
    def add(self, *, token_hash: str, user_id: int, now: datetime, expires_at: datetime) -> None:
        self.session.add(
            LoginSessionRow(
                token_hash=token_hash, user_id=user_id, created_at=now, expires_at=expires_at
            )
        )
        self.session.flush()

    def get(self, token_hash: str) -> LoginSessionRow | None:
        return self.session.get(LoginSessionRow, token_hash)

    def get_with_user(self, token_hash: str, *, with_versions: bool = False) -> Row[Any] | None:
        """The login's expiry and the runner in view (``expires_at``, ``viewing_athlete_id``)
        with its account's columns under ``UserRow``'s names (but the login's own
        ``created_at``), or None: plain columns in one query, no objects made (every request
        of a server asks). ``with_versions``: also the athlete its pages show
        (``shown_athlete_id``: the account's own, else the one in view; None: neither) and
        that athlete's data versions (``version``, ``non_diary_version``), in the same
        statement."""
        stmt = _LOGIN_WITH_USER_AND_VERSIONS if with_versions else _LOGIN_WITH_USER
        return self.session.execute(stmt, {"token_hash": token_hash}).first()

    def set_viewing(self, token_hash: str, athlete_id: int | None) -> None:
        row = self.get(token_hash)
        if row is not None:
            row.viewing_athlete_id = athlete_id
            self.session.flush()

    def delete(self, token_hash: str) -> None:
        self.session.execute(
            delete(LoginSessionRow).where(LoginSessionRow.token_hash == token_hash)
        )

    def delete_for_user(self, user_id: int) -> int:
        result = self.session.execute(
            delete(LoginSessionRow).where(LoginSessionRow.user_id == user_id)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    def delete_expired(self, now: datetime) -> None:
        self.session.execute(delete(LoginSessionRow).where(LoginSessionRow.expires_at <= now))


class LoginFailureRepo(Repo):
    def add(self, *, email: str, address: str, at: datetime) -> None:
        self.session.add(LoginFailureRow(email=email, address=address, at=at))
        self.session.flush()

    def times(
        self, *, since: datetime, email: str | None = None, address: str | None = None
    ) -> list[datetime]:
        query = select(LoginFailureRow.at).where(LoginFailureRow.at > since)
        if email is not None:
            query = query.where(LoginFailureRow.email == email)
        if address is not None:
            query = query.where(LoginFailureRow.address == address)
        return list(self.session.scalars(query).all())

    def forget(self, *, email: str) -> None:
        self.session.execute(delete(LoginFailureRow).where(LoginFailureRow.email == email))

    def delete_before(self, when: datetime) -> None:
        self.session.execute(delete(LoginFailureRow).where(LoginFailureRow.at <= when))


class GrantRepo(Repo):
    def add(
        self,
        *,
        athlete_id: int,
        professional_id: int,
        scopes: str,
        now: datetime,
        expires_at: datetime | None,
    ) -> GrantRow:
        row = GrantRow(
            athlete_id=athlete_id,
            professional_id=professional_id,
            scopes=scopes,
            created_at=now,
            expires_at=expires_at,
        )
        return self._insert(row)

    def get(self, athlete_id: int, grant_id: int) -> GrantRow:
        row = self.session.get(GrantRow, grant_id)
        if row is None or row.athlete_id != athlete_id:
            raise NotFoundError("There is no such permission.")
        return row

    def for_athlete(self, athlete_id: int) -> Sequence[GrantRow]:
        return self.session.scalars(
            select(GrantRow).where(GrantRow.athlete_id == athlete_id).order_by(GrantRow.id.desc())
        ).all()

    def for_professional(self, professional_id: int) -> Sequence[Any]:
        """The professional's grants not revoked, as plain rows of the table's columns, with
        the runner's name (``runner_name``; None: her athlete has no account): the list of
        runners reads them on each visit, in one statement."""
        rows: dict[int, Any] = {}
        for row in self.session.execute(_GRANTS_OF_PROFESSIONAL, {"professional": professional_id}):
            rows.setdefault(row.id, row)  # the first account of the athlete names her
        return list(rows.values())

    def between(self, athlete_id: int, professional_id: int) -> Sequence[GrantRow]:
        return self.session.scalars(
            select(GrantRow).where(
                GrantRow.athlete_id == athlete_id,
                GrantRow.professional_id == professional_id,
                GrantRow.revoked_at.is_(None),
            )
        ).all()


_ADD_MANY_POSTGRESQL = text(
    "INSERT INTO audit_events (athlete_id, actor_id, actor_name, at, action, what) "
    "SELECT e.athlete_id, CAST(:actor_id AS integer), CAST(:actor_name AS varchar), "
    "CAST(:at AS timestamp), CAST(:action AS varchar), e.what "
    "FROM unnest(CAST(:athletes AS integer[]), CAST(:whats AS varchar[])) "
    "WITH ORDINALITY AS e(athlete_id, what, n) ORDER BY e.n"
)
"""PostgreSQL: one audit event per element of the two arrays, in their order."""
UTC_AT = UTCDateTime()


class AuditRepo(Repo):
    def add(
        self,
        *,
        athlete_id: int,
        actor_id: int | None,
        actor_name: str,
        at: datetime,
        action: str,
        what: str,
    ) -> None:
        """Add one event (stored now: its unit of work goes on)."""
        self.session.add(
            AuditEventRow(
                athlete_id=athlete_id,
                actor_id=actor_id,
                actor_name=actor_name[:460],
                at=at,
                action=action,
                what=what[:400],
            )
        )
        self.session.flush()

    def add_many(
        self,
        *,
        actor_id: int | None,
        actor_name: str,
        at: datetime,
        action: str,
        events: Sequence[tuple[int, str]],
    ) -> None:
        """Add one event per (athlete, what) of ``events`` by the same actor at the same
        time, in one statement at once (no objects made, nothing read back)."""
        if not events:
            return
        if self.session.get_bind().dialect.name == "postgresql":
            # Two arrays, whatever the number of events: a short statement, so psycopg
            # converts it once and PostgreSQL prepares it, where a multi-row VALUES of six
            # parameters per event is parsed anew each time (longer than psycopg's cache of
            # converted statements holds).
            self.session.execute(
                _ADD_MANY_POSTGRESQL,
                {
                    "athletes": [athlete_id for athlete_id, _ in events],
                    "whats": [what[:400] for _, what in events],
                    "actor_id": actor_id,
                    "actor_name": actor_name[:460],
                    "at": UTC_AT.process_bind_param(at, self.session.get_bind().dialect),
                    "action": action,
                },
            )
            return
        self.session.execute(
            # RETURNING makes it one multi-row INSERT (SQLAlchemy's "insertmanyvalues");
            # without it each event would be an INSERT of its own.
            insert(AuditEventRow).returning(AuditEventRow.id),
            [
                {
                    "athlete_id": athlete_id,
                    "actor_id": actor_id,
                    "actor_name": actor_name[:460],
                    "at": at,
                    "action": action,
                    "what": what[:400],
                }
                for athlete_id, what in events
            ],
        )

    def list(self, athlete_id: int, *, limit: int = 500) -> Sequence[AuditEventRow]:
        return self.session.scalars(
            select(AuditEventRow)
            .where(AuditEventRow.athlete_id == athlete_id)
            .order_by(AuditEventRow.at.desc(), AuditEventRow.id.desc())
            .limit(limit)
        ).all()


class CareNoteRepo(Repo):
    def add(
        self, *, athlete_id: int, author_id: int, author_name: str, now: datetime, text: str
    ) -> CareNoteRow:
        row = CareNoteRow(
            athlete_id=athlete_id,
            author_id=author_id,
            author_name=author_name,
            created_at=now,
            text=text,
        )
        return self._insert(row)

    def list(self, athlete_id: int, *, limit: int = 100) -> Sequence[CareNoteRow]:
        return self.session.scalars(
            select(CareNoteRow)
            .where(CareNoteRow.athlete_id == athlete_id)
            .order_by(CareNoteRow.created_at.desc(), CareNoteRow.id.desc())
            .limit(limit)
        ).all()
