"""What every repository shares: it runs its queries in the caller's session, which owns the
transaction, and stores a new row at once so that its id and defaults are known."""

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
