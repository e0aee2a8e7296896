"""The one exception hierarchy of backstride.

Every error raised on purpose subclasses :class:`BackstrideError`. Each carries a message
written for a runner (what happened, to what) and an optional hint (what to do next), plus
the exit code the CLI uses and the HTTP status the web app answers with.
This module imports nothing from backstride.
"""

from __future__ import annotations


class BackstrideError(Exception):
    """Root of all errors backstride raises on purpose."""

    exit_code: int = 1
    http_status: int = 500

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class ConfigError(BackstrideError):
    """A bad setting or configuration file."""

    exit_code = 2
    http_status = 500


class ActivityFileError(BackstrideError):
    """An activity file could not be used."""

    http_status = 422


class UnsupportedFormatError(ActivityFileError):
    """The file is not a format backstride reads, or not an activity."""


class NotAnActivityError(UnsupportedFormatError):
    """A well-formed file that holds no activity (settings, workout, route, ...).

    Importers report these as *skipped*, not failed.
    """


class CorruptFileError(ActivityFileError):
    """The file is damaged: truncated, bad checksum, malformed."""


class UnsafeFileError(ActivityFileError):
    """The file or archive tries something hostile (entities, zip bomb, path escape)."""


class DuplicateActivityError(BackstrideError):
    """The activity is already stored."""

    http_status = 409


class NotFoundError(BackstrideError):
    """Something asked for does not exist."""

    http_status = 404


class InvalidInputError(BackstrideError):
    """A value given by the user is out of range or malformed."""

    http_status = 422


class PayloadTooLargeError(InvalidInputError):
    """A request body (an upload) larger than the configured cap."""

    http_status = 413


class UnsupportedMediaTypeError(InvalidInputError):
    """A request body in a content type this endpoint does not accept."""

    http_status = 415


class ForbiddenRequestError(BackstrideError):
    """A request that looks forged: from another site, or without a valid form token."""

    http_status = 403


class ConflictError(BackstrideError):
    """The request clashes with the current state (e.g. a plan already running)."""

    http_status = 409


class StorageError(BackstrideError):
    """The database is locked, unreachable or its schema is out of date."""

    http_status = 503


class DiskFullError(StorageError):
    """The disk holding the database (or an upload) has no space left; nothing was stored."""

    http_status = 507


class ReadOnlyStorageError(StorageError):
    """The database is on a read-only disk or folder: opened for viewing only."""


class DamagedDatabaseError(StorageError):
    """The database file is damaged, or is not a database at all."""


class ForeignDatabaseError(StorageError):
    """The database file belongs to another program; backstride leaves it untouched."""

    exit_code = 2


class DatabaseReplacedError(StorageError):
    """The database file was removed or replaced while backstride had it open."""


class LoginRequiredError(BackstrideError):
    """Server mode: the request has no valid login (or the login was refused)."""

    http_status = 401


class AccessDeniedError(BackstrideError):
    """Server mode: the account may not see or change this (no grant, or not this scope)."""

    http_status = 403


class TooManyAttemptsError(BackstrideError):
    """Server mode: too many failed logins; ``retry_after_s`` says when to try again."""

    http_status = 429

    def __init__(self, message: str, *, hint: str | None = None, retry_after_s: int = 60) -> None:
        super().__init__(message, hint=hint)
        self.retry_after_s = retry_after_s
