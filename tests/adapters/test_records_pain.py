"""A stored pain row to a :class:`PainEntry`: the JSON list columns decoded once per distinct
text give the entry that decoding every row gives, and refuse the same rows."""

from __future__ import annotations

import json
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backstride.adapters.db import records
from backstride.domain.pain import PainEntry, PainFeel, PainSite, PainWhen, RedFlag


def decoded_every_time(row: Any) -> PainEntry:
    """The conversion with every column decoded on its own (the reference)."""
    return PainEntry(
        id=row.id,
        day=row.day,
        when=PainWhen(row.moment),
        score=int(row.score),
        where=tuple(PainSite(s) for s in records.load_texts(row.sites)),
        feels=tuple(PainFeel(f) for f in records.load_texts(row.feels)),
        walking_leg_symptoms=bool(row.walking_leg_symptoms),
        eases_sitting=bool(row.eases_sitting),
        red_flags=tuple(RedFlag(f) for f in records.load_texts(row.red_flags)),
        notes=row.notes,
        activity_id=row.activity_id,
        worse_coughing=bool(row.worse_coughing),
        ruled_out=tuple(RedFlag(f) for f in records.load_texts(row.ruled_out_flags)),
    )


def column(values: list[str]) -> st.SearchStrategy[str | None]:
    """A stored JSON list of some of ``values`` (any order, repeats), or NULL, or not a list."""
    return st.one_of(
        st.none(),
        st.just("[]"),
        st.just("{}"),
        st.lists(st.sampled_from(values), max_size=3).map(json.dumps),
    )


FLAGS = [f.value for f in RedFlag]
rows = st.builds(
    SimpleNamespace,
    id=st.integers(1, 10_000),
    day=st.just(date(2026, 5, 4)),
    moment=st.sampled_from([w.value for w in PainWhen if w is not PainWhen.REST_DAY]),
    score=st.integers(0, 10),
    sites=column([s.value for s in PainSite]),
    feels=column([f.value for f in PainFeel]),
    walking_leg_symptoms=st.booleans(),
    eases_sitting=st.booleans(),
    red_flags=column(FLAGS[:4]),
    notes=st.none() | st.just("after hills"),
    activity_id=st.none() | st.integers(1, 50),
    worse_coughing=st.booleans(),
    ruled_out_flags=column(FLAGS[4:8]),
)


@settings(max_examples=300, deadline=None)
@given(row=rows)
def test_decoding_once_per_text_gives_the_same_entry(row: SimpleNamespace) -> None:
    assert records.pain_entry(row) == decoded_every_time(row)


def test_a_repeated_text_gives_equal_entries_and_an_unknown_name_is_still_refused() -> None:
    base = {
        "id": 1,
        "day": date(2026, 5, 4),
        "moment": "after",
        "score": 3,
        "sites": '["low-back", "leg-left"]',
        "feels": "[]",
        "walking_leg_symptoms": False,
        "eases_sitting": False,
        "red_flags": "[]",
        "notes": None,
        "activity_id": 7,
        "worse_coughing": False,
        "ruled_out_flags": None,
    }
    first = records.pain_entry(SimpleNamespace(**base))
    again = records.pain_entry(SimpleNamespace(**base | {"id": 2}))
    assert first.where == again.where == (PainSite.LOW_BACK, PainSite.LEG_LEFT)
    assert again.id == 2
    for _ in range(2):  # a failed decoding is not remembered as a success
        with pytest.raises(ValueError, match="no-such-place"):
            records.pain_entry(SimpleNamespace(**base | {"sites": '["no-such-place"]'}))
