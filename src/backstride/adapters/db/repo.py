"""What every repository shares: it runs its queries in the caller's session, which owns the
transaction, and stores a new row at once so that its id and defaults are known.

The queries a server runs on most requests (the login, the day's diary reads, the list of
runners) are built once, at import, with named parameters (``bindparam``), and run with
their values. Building a ``select()`` and working out its cache key costs more than running
the statement (a few tenths of a millisecond each, against a few hundredths for PostgreSQL
to answer); a statement built once carries its cache key, and runs the same SQL."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import Protocol, TypeVar

from sqlalchemy.orm import Session

from backstride.adapters.db.tables import Base

RowT = TypeVar("RowT", bound=Base)
T = TypeVar("T")


class OfAthlete(Protocol):
    @property
    def athlete_id(self) -> int: ...


AthleteRowT = TypeVar("AthleteRowT", bound=OfAthlete)


def by_athlete(
    athlete_ids: Collection[int], rows: Iterable[AthleteRowT], read: Callable[[AthleteRowT], T]
) -> dict[int, list[T]]:
    """Each of ``athlete_ids`` → what ``read`` makes of its ``rows``, in their order (an
    athlete without rows gets an empty list)."""
    found: dict[int, list[T]] = {a: [] for a in athlete_ids}
    for row in rows:
        found[row.athlete_id].append(read(row))
    return found


class Repo:
    """The queries of one kind of record, in ``session``."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _insert(self, row: RowT) -> RowT:
        """Add ``row`` and write it now; returned with its new id and column defaults."""
        self.session.add(row)
        self.session.flush()
        return row
