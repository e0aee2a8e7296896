"""Password hashes: Argon2id through pwdlib, with its recommended parameters.

pwdlib's ``PasswordHash.recommended()`` is Argon2id with the argon2-cffi defaults (RFC 9106's
second recommended option: 64 MiB of memory, 3 passes, 4 lanes). A hash made with weaker
parameters is upgraded at the next login (``verify_and_update``).
"""

from __future__ import annotations

from functools import lru_cache

from pwdlib import PasswordHash

DUMMY_PASSWORD = "not-a-password-anyone-has"  # noqa: S105 - hashed once, for timing only


@lru_cache(maxsize=1)
def _hasher() -> PasswordHash:
    return PasswordHash.recommended()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher().hash(DUMMY_PASSWORD)


def hash_password(password: str) -> str:
    """The Argon2id hash of ``password`` (salted; a string to store)."""
    return _hasher().hash(password)


def verify_password(password: str, stored: str | None) -> tuple[bool, str | None]:
    """(matches, a new hash to store or None). With no stored hash (an unknown account or
    one without a password) a dummy hash is checked, so the answer takes as long."""
    if not stored:
        _hasher().verify(password, _dummy_hash())
        return False, None
    try:
        return _hasher().verify_and_update(password, stored)
    except Exception:  # noqa: BLE001 - a damaged stored hash is a failed login, not a crash
        return False, None
