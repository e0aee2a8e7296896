"""Daily guidance, stride and cadence.

Each finding fires on its threshold and stays quiet just below it.

Every test starts from the calm baseline of :mod:`tests.domain.guidance_world` (no finding
above ``info``) and changes one thing.
"""

from __future__ import annotations

from backstride.domain.guidance import (
    expected_cadence_spm,
)
from backstride.domain.params import DEFAULT_GUIDANCE_PARAMS as P
from tests.domain.guidance_world import (
    calm,
    set_cadence,
)

# --- form --------------------------------------------------------------------------------------


def test_expected_cadence_rises_with_speed() -> None:
    assert expected_cadence_spm(2.5, P) == 160.0
    assert expected_cadence_spm(3.0, P) == 165.0


def test_cadence_well_below_the_pace_suggests_overstriding() -> None:
    w = calm()
    set_cadence(w, 148.0)  # 10.3 % below 165
    f = w.get("form.stride")
    assert f.level == "caution"
    assert f.evidence["expected_cadence_spm"] == 165
    assert "5-10 %" in f.action and ("coach" in f.action and "physiotherapist" in f.action)
    assert "Heiderscheit 2011" in f.source


def test_cadence_just_within_10_percent_is_fine() -> None:
    w = calm()
    set_cadence(w, 149.0)  # 9.7 % below
    assert "form.stride" not in w.ids()


def test_run_walk_sessions_are_not_judged_for_stride() -> None:
    w = calm()
    set_cadence(w, 130.0, km=4.0)  # walk breaks: low cadence and slow
    assert "form.stride" not in w.ids()
