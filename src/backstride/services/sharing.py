"""Server mode: what a runner shares with professionals, and the audit log of their access.

The runner grants a professional (by her account's e-mail address) some scopes, with an
optional expiry, and revokes at once. Each request of a professional is checked against the
grant in force at that moment (``access_for``): a revoked or expired grant stops the very
next request. Every read and change of a runner's data by someone else, and every change to
her sharing, is written to her audit log (``record``), which only she reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from backstride.adapters.db.account_repos import AuditRepo, CareNoteRepo, GrantRepo, UserRepo
from backstride.adapters.db.account_tables import GrantRow
from backstride.adapters.db.body_repos import PainRepo, ProfileRepo, RedFlagSeenRepo
from backstride.domain.access import (
    Grant,
    Role,
    Scope,
    describe_scopes,
    format_scopes,
    normalise_email,
    parse_scopes,
)
from backstride.domain.pain import RED_FLAGS, OpenRedFlag, open_red_flags
from backstride.domain.text import RunnerText, clean_text
from backstride.errors import AccessDeniedError, InvalidInputError
from backstride.services.accounts import Account, Login
from backstride.services.context import App

NOTE_MAX_CHARS = 4000


@dataclass(frozen=True, slots=True)
class SharedWith:
    """A grant as the runner sees it: to whom, what, until when, whether in force."""

    grant: Grant
    professional: str
    professional_email: str
    active: bool
    scope_words: str


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: datetime
    who: str
    action: str
    what: str


@dataclass(frozen=True, slots=True)
class CareNote:
    created_at: datetime
    author: str
    text: str


@dataclass(frozen=True, slots=True)
class RosterEntry:
    """One runner on a professional's list: what she shares and her open red flags (read
    only when the diary is shared)."""

    athlete_id: int
    name: str
    grant: Grant
    scope_words: str
    open_red_flags: tuple[OpenRedFlag, ...]

    @property
    def shares_report(self) -> bool:
        return Scope.REPORT in self.grant.scopes

    @property
    def shares_diary(self) -> bool:
        return Scope.DIARY in self.grant.scopes

    @property
    def warning_signs(self) -> tuple[str, ...]:
        """The open red flags in plain words, with the day last reported."""
        return tuple(
            f"{RED_FLAGS[o.flag].plain} (last reported {o.last_reported_on.isoformat()})"
            for o in self.open_red_flags
        )


class _GrantColumns(Protocol):
    """A ``grants`` row, or the same columns of a plain statement (the list of runners)."""

    id: int
    athlete_id: int
    professional_id: int
    scopes: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None


def _grant(row: _GrantColumns | GrantRow) -> Grant:
    return Grant(
        id=row.id,
        athlete_id=row.athlete_id,
        professional_id=row.professional_id,
        scopes=parse_scopes([row.scopes]),
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
    )


def _record(
    session_repo: AuditRepo,
    *,
    athlete_id: int,
    actor: Account,
    at: datetime,
    action: str,
    what: str,
) -> None:
    session_repo.add(
        athlete_id=athlete_id,
        actor_id=actor.id,
        actor_name=f"{actor.name} ({actor.email})",
        at=at,
        action=action,
        what=what,
    )


def grant_access(
    app: App,
    runner: Account,
    *,
    professional_email: str,
    scopes: list[str],
    expires_on: date | None,
    now: datetime,
) -> Grant:
    """The runner shares ``scopes`` with a professional's account until the end of
    ``expires_on`` (UTC; None: until revoked). A grant to the same person replaces hers."""
    if runner.athlete_id is None:
        raise AccessDeniedError("Only a runner's account can share a runner's data.")
    chosen = parse_scopes(scopes)
    expires_at = None
    if expires_on is not None:
        expires_at = datetime(
            expires_on.year, expires_on.month, expires_on.day, tzinfo=now.tzinfo
        ).replace(hour=23, minute=59, second=59)
        if expires_at <= now:
            raise InvalidInputError(
                "The end date is in the past.", hint="Choose a later day, or none."
            )
    email = normalise_email(professional_email)
    with app.store.session() as session:
        users = UserRepo(session)
        pro = users.by_email(email)
        if pro is None or pro.disabled or pro.role != Role.PROFESSIONAL.value:
            raise InvalidInputError(
                f"There is no professional's account for {email} on this server.",
                hint="Check the address with your professional; the person who runs this "
                "server adds professionals' accounts.",
            )
        grants = GrantRepo(session)
        for old in grants.between(runner.athlete_id, pro.id):
            old.revoked_at = now
        row = grants.add(
            athlete_id=runner.athlete_id,
            professional_id=pro.id,
            scopes=format_scopes(chosen),
            now=now,
            expires_at=expires_at,
        )
        until = f" until {expires_on.isoformat()}" if expires_on else ""
        _record(
            AuditRepo(session),
            athlete_id=runner.athlete_id,
            actor=runner,
            at=now,
            action="shared",
            what=f"Shared {describe_scopes(chosen)} with {pro.name} ({pro.email}){until}",
        )
        return _grant(row)


def revoke_access(app: App, runner: Account, grant_id: int, *, now: datetime) -> None:
    """End a grant at once (the professional's next request is refused)."""
    if runner.athlete_id is None:
        raise AccessDeniedError("Only a runner's account can share a runner's data.")
    with app.store.session() as session:
        row = GrantRepo(session).get(runner.athlete_id, grant_id)
        if row.revoked_at is None:
            row.revoked_at = now
            pro = UserRepo(session).get(row.professional_id)
            _record(
                AuditRepo(session),
                athlete_id=runner.athlete_id,
                actor=runner,
                at=now,
                action="stopped",
                what=f"Stopped sharing with {pro.name} ({pro.email})",
            )


def shared_with(app: App, runner: Account, *, now: datetime) -> list[SharedWith]:
    """The runner's grants, newest first (those in force and past ones)."""
    if runner.athlete_id is None:
        return []
    with app.store.read_session() as session:
        users = UserRepo(session)
        out = []
        for row in GrantRepo(session).for_athlete(runner.athlete_id):
            grant = _grant(row)
            pro = users.get(row.professional_id)
            out.append(
                SharedWith(
                    grant=grant,
                    professional=pro.name,
                    professional_email=pro.email,
                    active=grant.active(now),
                    scope_words=describe_scopes(grant.scopes),
                )
            )
        return out


def audit_log(app: App, runner: Account, *, limit: int = 500) -> list[AuditEntry]:
    """Who read or changed the runner's data, and every change to her sharing."""
    if runner.athlete_id is None:
        return []
    with app.store.read_session() as session:
        return [
            AuditEntry(at=r.at, who=r.actor_name, action=r.action, what=r.what)
            for r in AuditRepo(session).list(runner.athlete_id, limit=limit)
        ]


def active_grant(
    app: App, professional: Account, athlete_id: int, *, now: datetime
) -> Grant | None:
    """The professional's grant in force for ``athlete_id`` now, or None."""
    with app.store.read_session() as session:
        for row in GrantRepo(session).between(athlete_id, professional.id):
            grant = _grant(row)
            if grant.active(now):
                return grant
    return None


def access_for(
    app: App, login: Login, athlete_id: int, *, scope: Scope | None, now: datetime
) -> Grant:
    """The grant that lets the login's professional do ``scope`` on ``athlete_id``'s data
    now, or :class:`AccessDeniedError` saying why not."""
    grant = active_grant(app, login.account, athlete_id, now=now)
    if grant is None:
        raise AccessDeniedError(
            "This runner does not share her data with you (any more).",
            hint="Go back to your list of runners.",
        )
    if not grant.allows(scope, now):
        raise AccessDeniedError(
            "This runner has not shared this part of her data with you.",
            hint=f"She shares {describe_scopes(grant.scopes)}.",
        )
    return grant


def record(
    app: App, *, athlete_id: int, actor: Account, action: str, what: str, now: datetime
) -> None:
    """Write one read or change of ``athlete_id``'s data by ``actor`` to her audit log."""
    with app.store.session() as session:
        _record(
            AuditRepo(session), athlete_id=athlete_id, actor=actor, at=now, action=action, what=what
        )


def roster(app: App, professional: Account, *, now: datetime) -> list[RosterEntry]:
    """The runners who share their data with the professional now; those with open red
    flags first, then by name. Reading the red flags is written to each one's audit log.

    A handful of queries whatever the number of runners (the grants with the runners'
    names, then the red-flag records of all of them at once), only for the runners whose
    grant is in force, and the audit rows in one statement, all in one transaction: what is
    written is what was read."""
    with app.store.session() as session:
        names: dict[int, str] = {}
        grants = []
        for row in GrantRepo(session).for_professional(professional.id):
            grant = _grant(row)
            if grant.active(now):
                grants.append(grant)
                if row.runner_name is not None:
                    names[grant.athlete_id] = row.runner_name
        with_diary = [g.athlete_id for g in grants if Scope.DIARY in g.scopes]
        pain = PainRepo(session).list_many(with_diary, red_flags_only=True) if with_diary else {}
        seen = RedFlagSeenRepo(session).list_many(with_diary) if with_diary else {}
        profiles = ProfileRepo(session).get_many(with_diary) if with_diary else {}
        entries = []
        for grant in grants:
            a = grant.athlete_id
            flags: tuple[OpenRedFlag, ...] = ()
            if Scope.DIARY in grant.scopes:
                flags = tuple(open_red_flags(pain[a], seen[a], profiles[a].risk))
            entries.append(
                RosterEntry(
                    athlete_id=a,
                    name=names.get(a, "A runner"),
                    grant=grant,
                    scope_words=describe_scopes(grant.scopes),
                    open_red_flags=flags,
                )
            )
        if entries:
            seen_list = "Saw your name on the list of runners"
            AuditRepo(session).add_many(  # one statement for the whole list
                actor_id=professional.id,
                actor_name=f"{professional.name} ({professional.email})",
                at=now,
                action="read",
                events=[
                    (
                        e.athlete_id,
                        seen_list + ", with your open warning signs"
                        if Scope.DIARY in e.grant.scopes
                        else seen_list,
                    )
                    for e in entries
                ],
            )
    entries.sort(key=lambda e: (not e.open_red_flags, e.name.lower(), e.athlete_id))
    return entries


def add_note(app: App, professional: Account, athlete_id: int, text: str, *, now: datetime) -> None:
    """A professional's note to a runner who shares anything with her."""
    body = clean_text(text) if text else ""
    if not body:
        raise InvalidInputError("The note is empty.", hint="Write something for the runner.")
    if len(body) > NOTE_MAX_CHARS:
        raise InvalidInputError(f"The note is too long: use at most {NOTE_MAX_CHARS} characters.")
    with app.store.session() as session:
        CareNoteRepo(session).add(
            athlete_id=athlete_id,
            author_id=professional.id,
            author_name=professional.name,
            now=now,
            text=body,
        )
        _record(
            AuditRepo(session),
            athlete_id=athlete_id,
            actor=professional,
            at=now,
            action="changed",
            what="Left you a note",
        )


def notes_for(app: App, runner: Account) -> list[CareNote]:
    if runner.athlete_id is None:
        return []
    with app.store.read_session() as session:
        return [
            CareNote(
                created_at=r.created_at,
                author=RunnerText(r.author_name),
                text=RunnerText(r.text),
            )
            for r in CareNoteRepo(session).list(runner.athlete_id)
        ]


def runner_name(app: App, athlete_id: int) -> str:
    """The name of the runner whose athlete this is (for a professional's pages)."""
    with app.store.read_session() as session:
        row = UserRepo(session).by_athlete(athlete_id)
        return row.name if row is not None else "this runner"
