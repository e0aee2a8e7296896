"""Profile, screening, clearance, plan gate and self-test use cases."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from backstride.errors import InvalidInputError
from backstride.services.body import (
    add_clearance,
    add_selftest,
    get_clearance_state,
    get_heart_profile,
    get_plan_gate,
    get_profile,
    list_clearances,
    record_screening,
    screening_questions,
    selftest_report,
    set_profile,
)
from backstride.services.context import App
from tests.databases import dump

TODAY = date(2025, 3, 31)


def snapshot(db_url: str) -> list[str]:
    return dump(db_url)


def all_no() -> dict[str, object]:
    out: dict[str, object] = {q.question.key: False for q in screening_questions()}
    out["regularly-active"] = True
    return out


def test_profile_is_empty_until_set_and_only_given_fields_change(app: App) -> None:
    empty = get_profile(app)
    assert not empty.stored and empty.to_json()["conditions"] == []
    set_profile(
        app, today=TODAY, birth_year=1962, sex="female", conditions=["lumbar-spinal-stenosis"]
    )
    view = set_profile(app, today=TODAY, resting_hr_bpm=58, max_hr_bpm=172)
    data = view.to_json()
    assert data["birth_year"] == 1962 and data["sex"] == "female"
    assert data["conditions"] == ["lumbar-spinal-stenosis"]
    assert data["spine_conditions"] == ["lumbar-spinal-stenosis"]
    assert (data["resting_hr_bpm"], data["max_hr_bpm"]) == (58, 172)
    cleared = set_profile(app, today=TODAY, conditions=["none"], past_injuries=["none"])
    assert cleared.to_json()["conditions"] == []


def test_heart_profile_for_trimp(app: App) -> None:
    assert get_heart_profile(app).to_json() == {
        "birth_year": None,
        "sex": "unspecified",
        "resting_hr_bpm": None,
        "max_hr_bpm": None,
    }
    set_profile(app, today=TODAY, birth_year=1970, sex="male", resting_hr_bpm=52, max_hr_bpm=180)
    heart = get_heart_profile(app)
    assert (heart.birth_year, heart.sex, heart.resting_hr_bpm, heart.max_hr_bpm) == (
        1970,
        "male",
        52,
        180,
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"birth_year": 2030},
        {"sex": "other"},
        {"resting_hr_bpm": 15},
        {"max_hr_bpm": 260},
        {"conditions": ["sciatica"]},
        {"experience": "expert"},
        {"resting_hr_bpm": 90, "max_hr_bpm": 85},
    ],
)
def test_invalid_profile_changes_store_nothing(
    app: App, db_url: str, changes: dict[str, object]
) -> None:
    set_profile(app, today=TODAY, birth_year=1962)
    before = snapshot(db_url)
    with pytest.raises(InvalidInputError):
        set_profile(app, today=TODAY, **changes)  # type: ignore[arg-type]
    assert snapshot(db_url) == before


def test_screening_then_clearance_flow(app: App) -> None:
    assert get_clearance_state(app).to_json()["status"] == "not-screened"
    answers = {**all_no(), "chest-discomfort": True}
    saved = record_screening(app, answers, on=date(2025, 3, 1), today=TODAY)
    data = saved.to_json()
    assert data["yes_to"] == ["chest-discomfort"]
    assert data["clearance"]["status"] == "needed"
    assert data["clearance"]["reasons"][0]["since"] == "2025-03-01"
    result = add_clearance(
        app, on=date(2025, 3, 5), by="  Dr   Jones ", restrictions="easy runs", today=TODAY
    )
    state = result.to_json()["state"]
    assert state["status"] == "cleared" and state["plans_allowed"]
    assert state["clearance"]["by"] == "Dr Jones"
    assert state["reasons"][0]["covered"] is True
    assert [c.by for c in list_clearances(app).clearances] == ["Dr Jones"]


def test_screening_and_clearance_refuse_bad_input_and_store_nothing(app: App, db_url: str) -> None:
    before = snapshot(db_url)
    with pytest.raises(InvalidInputError, match="in the future"):
        record_screening(app, all_no(), on=TODAY + timedelta(days=1), today=TODAY)
    with pytest.raises(InvalidInputError, match="missing"):
        record_screening(app, {"chest-discomfort": False}, on=TODAY, today=TODAY)
    with pytest.raises(InvalidInputError, match="in the future"):
        add_clearance(app, on=TODAY + timedelta(days=1), by="Dr A", today=TODAY)
    with pytest.raises(InvalidInputError, match="who gave"):
        add_clearance(app, on=TODAY, by=" ", today=TODAY)
    assert snapshot(db_url) == before


def test_plan_gate_with_stenosis_waits_for_screening_and_clearance(app: App) -> None:
    set_profile(app, today=TODAY, conditions=["lumbar-spinal-stenosis"])
    gate = get_plan_gate(app)
    assert not gate.allowed and gate.clearance.to_json()["status"] == "needed"
    assert any("lumbar spinal stenosis" in r for r in gate.reasons)
    record_screening(app, all_no(), on=date(2025, 3, 1), today=TODAY)
    add_clearance(app, on=date(2025, 3, 2), by="Dr Jones", today=TODAY)
    gate = get_plan_gate(app)
    assert gate.allowed and gate.reasons == ()
    assert gate.to_json()["clearance"]["status"] == "cleared"


def test_selftest_add_and_report(app: App) -> None:
    set_profile(app, today=TODAY, sex="female")
    saved = add_selftest(
        app, name="trunk-flexor-hold", value="2:00", on=date(2025, 2, 1), today=TODAY
    )
    assert saved.to_json()["value"] == 120.0 and saved.to_json()["unit"] == "s"
    add_selftest(app, name="trunk-extensor-hold", value="100", on=date(2025, 2, 1), today=TODAY)
    add_selftest(app, name="sit-and-reach", value="45", on=date(2025, 3, 20), today=TODAY)
    data = selftest_report(app, today=TODAY).to_json()
    assert data["sex"] == "female"
    tests = {t["test"]: t for t in data["tests"]}
    assert tests["sit-and-reach"]["rating"] == "below-average"
    assert tests["trunk-flexor-hold"]["latest"]["shown"] == "120 s"
    assert tests["trunk-flexor-hold"]["how_to"]
    assert tests["straight-leg-raise-left"]["latest"] is None
    flex = next(r for r in data["ratios"] if r["name"] == "flexion/extension")
    assert (flex["value"], flex["ok"]) == (1.2, False)
    assert data["retest_due"] == ["trunk-flexor-hold", "trunk-extensor-hold"]  # 58 days ago


def test_selftest_refuses_bad_input_and_stores_nothing(app: App, db_url: str) -> None:
    before = snapshot(db_url)
    with pytest.raises(InvalidInputError, match="not a known self-test"):
        add_selftest(app, name="plank", value="60", on=TODAY, today=TODAY)
    with pytest.raises(InvalidInputError, match="out of range"):
        add_selftest(app, name="straight-leg-raise-left", value="190", on=TODAY, today=TODAY)
    with pytest.raises(InvalidInputError, match="in the future"):
        add_selftest(
            app, name="sit-and-reach", value="30", on=TODAY + timedelta(days=1), today=TODAY
        )
    assert snapshot(db_url) == before
