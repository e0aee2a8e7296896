"""Who may see what in server mode: roles, the scopes a runner grants, and the rules on them.

Pure: the grant's clock (``now``) is an argument. The web layer maps each page and API
operation to one scope (``web/access.py``); docs/server.md lists the whole map.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from backstride.errors import InvalidInputError


class Role(StrEnum):
    """What an account is for: a runner keeps her own data; a professional sees what runners
    share with her."""

    RUNNER = "runner"
    PROFESSIONAL = "professional"


class Scope(StrEnum):
    """One part of a runner's data she can share with a professional."""

    REPORT = "report"
    ACTIVITIES = "activities"
    DIARY = "diary"
    PLAN = "plan"
    PLAN_ADJUST = "plan-adjust"


SCOPE_LABELS: dict[Scope, str] = {
    Scope.REPORT: "the report for a professional",
    Scope.ACTIVITIES: "activities and training load",
    Scope.DIARY: "the pain diary, self-tests and warning signs",
    Scope.PLAN: "the plan (to read)",
    Scope.PLAN_ADJUST: "the plan (to read and adjust)",
}
"""How each scope reads on a page ("Anna shares ... with you")."""

EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s.]{1,63}$")
PASSWORD_MIN_CHARS = 12
"""The shortest password accepted: NIST SP 800-63B (2024 revision), section 3.1.1.2, asks
for at least 15 characters where a password is the only factor and at least 8 otherwise;
12 is the middle ground OWASP's Authentication Cheat Sheet recommends for web accounts
with rate-limited logins (docs/server.md, "Passwords")."""
PASSWORD_MAX_CHARS = 256


def parse_scopes(values: Iterable[str]) -> frozenset[Scope]:
    """Scopes from their names (``report``, ``plan-adjust``...); adjusting the plan includes
    reading it. Unknown names are refused with the list of known ones."""
    scopes: set[Scope] = set()
    for raw in values:
        for name in raw.split(","):
            name = name.strip().lower()
            if not name:
                continue
            try:
                scopes.add(Scope(name))
            except ValueError:
                known = ", ".join(s.value for s in Scope)
                raise InvalidInputError(
                    f"'{name}' is not something a runner can share.",
                    hint=f"Choose from: {known}.",
                ) from None
    if Scope.PLAN_ADJUST in scopes:
        scopes.add(Scope.PLAN)
    if not scopes:
        raise InvalidInputError(
            "Choose at least one part of your data to share.",
            hint="For example the report, or activities and training load.",
        )
    return frozenset(scopes)


def format_scopes(scopes: Iterable[Scope]) -> str:
    """The stored form: names in a fixed order, comma-separated."""
    chosen = set(scopes)
    return ",".join(s.value for s in Scope if s in chosen)


def describe_scopes(scopes: Iterable[Scope]) -> str:
    """Plain words for a set of scopes; "plan (to read)" is left out when adjusting is in."""
    chosen = set(scopes)
    if Scope.PLAN_ADJUST in chosen:
        chosen.discard(Scope.PLAN)
    words = [SCOPE_LABELS[s] for s in Scope if s in chosen]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


@dataclass(frozen=True, slots=True)
class Grant:
    """A runner's permission for one professional: what, and until when."""

    id: int
    athlete_id: int
    professional_id: int
    scopes: frozenset[Scope]
    created_at: datetime
    expires_at: datetime | None = None
    revoked_at: datetime | None = None

    def active(self, now: datetime) -> bool:
        """In force at ``now``: not revoked and not past its expiry."""
        if self.revoked_at is not None and self.revoked_at <= now:
            return False
        return self.expires_at is None or now < self.expires_at

    def allows(self, scope: Scope | None, now: datetime) -> bool:
        """Whether the grant lets its professional do ``scope`` at ``now`` (None: any grant in
        force, e.g. the runner's Today)."""
        if not self.active(now):
            return False
        return scope is None or scope in self.scopes


def normalise_email(text: str) -> str:
    """The account name as stored: trimmed, lower case; a malformed address is refused."""
    email = text.strip().lower()
    if not EMAIL.match(email):
        raise InvalidInputError(
            f"'{text.strip()[:80]}' is not an e-mail address.",
            hint="Give the address the person uses, like anna@example.org.",
        )
    return email


def check_password(password: str) -> None:
    """Refuse a password too short (or absurdly long) to use."""
    if len(password) < PASSWORD_MIN_CHARS:
        raise InvalidInputError(
            f"The password is too short: use at least {PASSWORD_MIN_CHARS} characters.",
            hint="A few unrelated words make a long password that is easy to remember.",
        )
    if len(password) > PASSWORD_MAX_CHARS:
        raise InvalidInputError(
            f"The password is too long: use at most {PASSWORD_MAX_CHARS} characters."
        )


LOGIN_WINDOW_S = 15 * 60
ACCOUNT_FAILURES_ALLOWED = 5
ADDRESS_FAILURES_ALLOWED = 20
"""Failed logins allowed in ``LOGIN_WINDOW_S`` per account and per network address before
logins are refused until the oldest failure leaves the window: the limits OWASP's
Authentication Cheat Sheet ("Login throttling") and NIST SP 800-63B section 5.2.2 (at most
100 consecutive failures) allow; docs/server.md, "Logins"."""


def login_wait_s(
    *, account_failures: Iterable[datetime], address_failures: Iterable[datetime], now: datetime
) -> int:
    """Seconds until the next login attempt is allowed (0: allowed now), from the times of
    the recent failed logins for the account and from the address."""
    wait = 0.0
    for times, allowed in (
        (account_failures, ACCOUNT_FAILURES_ALLOWED),
        (address_failures, ADDRESS_FAILURES_ALLOWED),
    ):
        recent = sorted(t for t in times if (now - t).total_seconds() < LOGIN_WINDOW_S)
        if len(recent) >= allowed:
            # Allowed again once enough of them have left the window.
            oldest_that_counts = recent[len(recent) - allowed]
            wait = max(wait, LOGIN_WINDOW_S - (now - oldest_that_counts).total_seconds())
    return int(wait + 0.999) if wait > 0 else 0
