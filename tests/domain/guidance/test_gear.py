"""Daily guidance, shoes.

Each finding fires on its threshold and stays quiet just below it.

Every test starts from the calm baseline of :mod:`tests.domain.guidance_world` (no finding
above ``info``) and changes one thing.
"""

from __future__ import annotations

from dataclasses import replace

from tests.domain.guidance_world import (
    World,
    calm,
)

# --- gear --------------------------------------------------------------------------------------


def _shoe_km(w: World, name: str, km: float) -> None:
    used = sum(s.km or 0.0 for s in w.sessions if s.gear == name)
    w.shoes = [replace(s, start_km=round(km - used, 3)) if s.name == name else s for s in w.shoes]


def test_shoes_past_the_inspect_mark() -> None:
    w = calm()
    _shoe_km(w, "Road A", 501.0)
    f = w.get("gear.shoes_worn")
    assert f.evidence["shoe"] == "Road A" and f.evidence["state"] == "inspect"
    assert f.level == "caution" and f.asks == "run"


def test_shoes_past_the_retire_mark_need_replacing() -> None:
    w = calm()
    _shoe_km(w, "Road B", 801.0)
    f = w.get("gear.shoes_worn")
    assert f.evidence["state"] == "retire"
    assert "replacing" in f.title


def test_shoes_just_under_the_inspect_mark() -> None:
    w = calm()
    _shoe_km(w, "Road A", 499.0)
    assert "gear.shoes_worn" not in w.ids()


def test_a_single_pair_is_a_rotation_nudge() -> None:
    w = calm()
    for s in w.sessions:
        if s.gear:
            s.gear = "Road A"
    w.shoes = [w.shoes[0]]
    f = w.get("gear.single_pair")
    assert f.level == "info"
    assert "Malisoux" in f.source


def test_two_pairs_in_rotation_no_nudge() -> None:
    assert "gear.single_pair" not in calm().ids()


def test_worn_shoes_are_named_in_a_grammatical_sentence() -> None:
    w = calm()
    _shoe_km(w, "Road A", 520.0)
    f = w.get("gear.shoes_worn")
    assert f.title == "Your shoes 'Road A' need a check"
    assert f.reason.startswith("Your shoes 'Road A' have about 520 km on them")


def test_a_finding_s_numbers_are_in_words_with_their_units() -> None:
    w = calm()
    _shoe_km(w, "Road A", 520.0)
    numbers = dict(w.get("gear.shoes_worn").numbers())
    assert numbers["Distance on them"] == "520 km"
    assert numbers["Check them at"] == "500 km" and numbers["Shoes"] == "Road A"
    assert all("_" not in label for label in numbers)
