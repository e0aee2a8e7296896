"""Tables that read at 80 columns: ids, dates and figures whole, words wrapped.

Every listing is built here, so each looks the same: a light frame (a rule under the header,
no side borders) that leaves the width to the words, and columns named in ``whole`` (ids,
dates, distances, paces: what a runner copies or compares) never wrapped nor cut. The other
columns wrap: a long name takes two lines rather than losing its end.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.table import Table


def listing(*headers: str, whole: Iterable[str] = (), **options: Any) -> Table:
    """A table with these column headers; ``whole`` names the columns never wrapped or cut."""
    from rich import box
    from rich.table import Table

    keep = set(whole)
    unknown = keep - set(headers)
    if unknown:
        raise ValueError(f"not a column: {sorted(unknown)}")
    options = {"box": box.SIMPLE_HEAD, "pad_edge": False, "padding": 0, **options}
    table = Table(**options)
    for header in headers:
        if header in keep:
            table.add_column(header, no_wrap=True, min_width=len(header))
        else:
            table.add_column(header, overflow="fold")
    return table


def pairs(**options: Any) -> Table:
    """A two-column table of label and value (no header): labels whole, values wrapped."""
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE, pad_edge=False, show_header=False, **options)
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")
    return table
