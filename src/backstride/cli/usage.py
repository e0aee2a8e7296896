"""A usage mistake in a command's options: rendered like every error, exit status 2."""

from __future__ import annotations

from backstride.errors import InvalidInputError


class OptionUsageError(InvalidInputError):
    """Options that do not go together, or a required choice left out (exit 2)."""

    exit_code = 2
