"""What every repository shares (adapters/db/repo.py)."""

from __future__ import annotations

from dataclasses import dataclass

from backstride.adapters.db.repo import by_athlete


@dataclass
class _Row:
    athlete_id: int
    value: str


def test_by_athlete_keeps_row_order_and_gives_every_athlete_a_list() -> None:
    rows = [_Row(2, "b1"), _Row(1, "a1"), _Row(2, "b2")]
    assert by_athlete([1, 2, 3], rows, lambda r: r.value.upper()) == {
        1: ["A1"],
        2: ["B1", "B2"],
        3: [],
    }
