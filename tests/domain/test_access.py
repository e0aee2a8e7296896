"""Rules of the server mode's sharing and logins (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backstride.domain.access import (
    ACCOUNT_FAILURES_ALLOWED,
    ADDRESS_FAILURES_ALLOWED,
    LOGIN_WINDOW_S,
    PASSWORD_MIN_CHARS,
    Grant,
    Scope,
    check_password,
    describe_scopes,
    format_scopes,
    login_wait_s,
    normalise_email,
    parse_scopes,
)
from backstride.errors import InvalidInputError

NOW = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)


def _grant(scopes: frozenset[Scope], **kw: datetime | None) -> Grant:
    return Grant(1, 1, 2, scopes, NOW - timedelta(days=1), **kw)  # type: ignore[arg-type]


def test_adjusting_the_plan_includes_reading_it() -> None:
    assert parse_scopes(["plan-adjust"]) == {Scope.PLAN, Scope.PLAN_ADJUST}
    assert parse_scopes(["report, diary"]) == {Scope.REPORT, Scope.DIARY}


def test_unknown_or_no_scope_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="not something a runner can share"):
        parse_scopes(["everything"])
    with pytest.raises(InvalidInputError, match="at least one"):
        parse_scopes([])


@given(st.sets(st.sampled_from(list(Scope)), min_size=1))
def test_scopes_round_trip_through_their_stored_form(scopes: set[Scope]) -> None:
    parsed = parse_scopes([format_scopes(scopes)])
    assert parsed == parse_scopes([s.value for s in scopes])
    assert describe_scopes(parsed)


@given(
    st.sets(st.sampled_from(list(Scope)), min_size=1),
    st.sampled_from(list(Scope)),
    st.integers(-1000, 1000),
    st.integers(-1000, 1000),
)
def test_a_grant_allows_only_its_scopes_while_in_force(
    scopes: set[Scope], asked: Scope, expires_in_s: int, revoked_in_s: int
) -> None:
    grant = _grant(
        frozenset(scopes),
        expires_at=NOW + timedelta(seconds=expires_in_s),
        revoked_at=NOW + timedelta(seconds=revoked_in_s),
    )
    in_force = expires_in_s > 0 and revoked_in_s > 0
    assert grant.active(NOW) is in_force
    assert grant.allows(asked, NOW) is (in_force and asked in scopes)
    assert grant.allows(None, NOW) is in_force


def test_a_grant_without_expiry_lasts_until_revoked() -> None:
    assert _grant(frozenset({Scope.REPORT})).allows(Scope.REPORT, NOW + timedelta(days=3650))


@given(st.lists(st.integers(0, 2 * LOGIN_WINDOW_S), max_size=40))
def test_login_wait_follows_the_failures_in_the_window(ages_s: list[int]) -> None:
    times = [NOW - timedelta(seconds=a) for a in ages_s]
    recent = sorted(a for a in ages_s if a < LOGIN_WINDOW_S)
    wait = login_wait_s(account_failures=times, address_failures=[], now=NOW)
    if len(recent) < ACCOUNT_FAILURES_ALLOWED:
        assert wait == 0
    else:
        assert 0 < wait <= LOGIN_WINDOW_S
        later = NOW + timedelta(seconds=wait)
        assert login_wait_s(account_failures=times, address_failures=[], now=later) == 0


def test_one_address_trying_many_accounts_is_slowed_too() -> None:
    times = [NOW - timedelta(seconds=i) for i in range(ADDRESS_FAILURES_ALLOWED)]
    assert login_wait_s(account_failures=[], address_failures=times, now=NOW) > 0
    assert login_wait_s(account_failures=[], address_failures=times[:-1], now=NOW) == 0


def test_addresses_and_passwords() -> None:
    assert normalise_email("  Anna@Example.ORG ") == "anna@example.org"
    for bad in ("anna", "anna@", "@example.org", "a b@example.org", "anna@example"):
        with pytest.raises(InvalidInputError):
            normalise_email(bad)
    with pytest.raises(InvalidInputError, match=str(PASSWORD_MIN_CHARS)):
        check_password("x" * (PASSWORD_MIN_CHARS - 1))
    check_password("x" * PASSWORD_MIN_CHARS)
    with pytest.raises(InvalidInputError):
        check_password("x" * 1000)
