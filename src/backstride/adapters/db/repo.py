"""What every repository shares: it runs its queries in the caller's session, which owns the
transaction, and stores a new row at once so that its id and defaults are known.

The queries a server runs on most requests (the login, the day's diary reads, the list of
runners) are built once, at import, with named parameters (``bindparam``), and run with
their values. Building a ``select()`` and working out its cache key costs more than running
the statement (a few tenths of a millisecond each, against a few hundredths for PostgreSQL
to answer); a statement built once carries its cache key, and runs the same SQL."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import Any, Protocol, TypeVar

from sqlalchemy import BindParameter, ColumnElement, Integer, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
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


_IDS_IN: BindParameter[list[int]] = bindparam("ids", expanding=True)
_IDS_ARRAY: BindParameter[Any] = bindparam("ids", type_=ARRAY(Integer))


def one_of_ids(column: ColumnElement[int]) -> dict[bool, ColumnElement[bool]]:
    """``column`` is one of the list parameter ``ids``, spelt for PostgreSQL (key True) and
    for SQLite (False); a repository picks by :attr:`Repo.on_postgresql`.

    PostgreSQL gets ``= ANY(:ids)``, one array parameter: the same SQL whatever the number of
    ids, so psycopg converts it once and PostgreSQL prepares it. An expanding ``IN`` is
    written out at each execution with one parameter per id (SQLAlchemy's "post-compile"
    step, then psycopg's conversion of a statement it has not seen), about a tenth of the
    list of runners' CPU time. SQLite has no arrays: ``IN``."""
    return {True: column == any_(_IDS_ARRAY), False: column.in_(_IDS_IN)}


class Repo:
    """The queries of one kind of record, in ``session``."""

    def __init__(self, session: Session) -> None:
        self.session = session

    @property
    def on_postgresql(self) -> bool:
        return self.session.get_bind().dialect.name == "postgresql"

    def _insert(self, row: RowT) -> RowT:
        """Add ``row`` and write it now; returned with its new id and column defaults."""
        self.session.add(row)
        self.session.flush()
        return row
