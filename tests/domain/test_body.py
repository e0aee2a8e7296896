"""Profile validation, the screening questions, and the clearance logic."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backstride.domain.body import (
    QUESTIONS_BY_KEY,
    SCREENING_QUESTIONS,
    SPINE_CONDITIONS,
    Clearance,
    Condition,
    Experience,
    Profile,
    Screening,
    clearance_needed,
    parse_conditions,
    parse_screening,
    training_status,
    validate_clearance,
    validate_profile,
)
from backstride.errors import InvalidInputError

TODAY = date(2025, 3, 31)
HEALTH_KEYS = [q.key for q in SCREENING_QUESTIONS if q.kind == "health"]


def answers(**yes: bool) -> dict[str, object]:
    """All "no" (and regularly active), except the keys given (underscores for dashes)."""
    out: dict[str, object] = {q.key: False for q in SCREENING_QUESTIONS}
    out["regularly-active"] = True
    for key, value in yes.items():
        out[key.replace("_", "-")] = value
    return out


def screening(day: date = date(2025, 3, 1), **yes: bool) -> Screening:
    return parse_screening(answers(**yes), answered_on=day)


def test_conditions_vocabulary_and_spine_group() -> None:
    assert [c.value for c in Condition] == [
        "lumbar-spinal-stenosis",
        "disc-herniation",
        "spondylolisthesis",
        "other-spine",
        "hip-problem",
        "osteoporosis",
        "recent-illness",
        "heart-condition",
        "immunosuppression",
        "long-term-steroids",
        "past-cancer",
    ]
    assert {c.value for c in SPINE_CONDITIONS} == {
        "lumbar-spinal-stenosis",
        "disc-herniation",
        "spondylolisthesis",
        "other-spine",
    }
    assert parse_conditions(["hip-problem,lumbar_spinal_stenosis"]) == (
        Condition.LUMBAR_SPINAL_STENOSIS,
        Condition.HIP_PROBLEM,
    )
    with pytest.raises(InvalidInputError, match="not a known condition"):
        parse_conditions(["sciatica"])


def test_screening_covers_par_q_and_acsm_domains() -> None:
    domains = " ".join(q.domain for q in SCREENING_QUESTIONS)
    for word in ("heart", "blood pressure", "medication", "bones", "balance", "kidney"):
        assert word in domains
    kinds = {q.kind for q in SCREENING_QUESTIONS}
    assert kinds == {"health", "habit", "intensity"}  # the ACSM 2015 inputs
    assert len(QUESTIONS_BY_KEY) == len(SCREENING_QUESTIONS)


def test_screening_refuses_missing_unknown_or_non_yes_no_answers() -> None:
    partial = answers()
    del partial["chest-discomfort"]
    with pytest.raises(InvalidInputError, match="missing: chest-discomfort"):
        parse_screening(partial, answered_on=TODAY)
    with pytest.raises(InvalidInputError, match="Unknown screening question"):
        parse_screening({**answers(), "smoker": True}, answered_on=TODAY)
    with pytest.raises(InvalidInputError, match="yes or no"):
        parse_screening({**answers(), "chest-discomfort": 3}, answered_on=TODAY)
    parsed = parse_screening({**answers(), "chest-discomfort": "Yes"}, answered_on=TODAY)
    assert parsed.answers["chest-discomfort"] is True


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        (Profile(birth_year=2020), "not plausible"),
        (Profile(birth_year=1899), "not plausible"),
        (Profile(resting_hr_bpm=20), "resting heart rate"),
        (Profile(max_hr_bpm=240), "maximum heart rate"),
        (Profile(resting_hr_bpm=120, max_hr_bpm=110), "must be below"),
        (Profile(past_injuries=("",)), "past injury"),
    ],
)
def test_implausible_profiles_are_refused(profile: Profile, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        validate_profile(profile, today=TODAY)


def test_a_plausible_profile_passes() -> None:
    p = Profile(birth_year=1962, resting_hr_bpm=58, max_hr_bpm=172)
    assert validate_profile(p, today=TODAY) is p


def test_without_screening_plans_wait() -> None:
    state = clearance_needed(Profile(), None, [])
    assert state.status == "not-screened"
    assert not state.plans_allowed
    assert "backstride screen" in state.message


def test_all_no_answers_need_no_clearance() -> None:
    state = clearance_needed(Profile(), screening(), [])
    assert state.status == "not-needed"
    assert state.plans_allowed
    assert state.reasons == ()


@pytest.mark.parametrize("key", HEALTH_KEYS)
def test_any_yes_to_a_health_question_needs_clearance(key: str) -> None:
    state = clearance_needed(Profile(), screening(**{key: True}), [])
    assert state.status == "needed" and not state.plans_allowed
    assert [r.code for r in state.uncovered] == [f"screening:{key}"]
    assert "PAR-Q+" in state.uncovered[0].source


@pytest.mark.parametrize("key", ["regularly-active", "wants-hard-training"])
def test_habit_and_intensity_answers_shape_advice_only(key: str) -> None:
    values = answers(**{key: True})
    if key == "wants-hard-training":
        values["regularly-active"] = False
    state = clearance_needed(Profile(), parse_screening(values, answered_on=TODAY), [])
    assert state.status == "not-needed"


def test_not_regularly_active_gets_a_start_gently_note() -> None:
    state = clearance_needed(Profile(), screening(regularly_active=False), [])
    assert any("ACSM" in n for n in state.notes)


@pytest.mark.parametrize("condition", sorted(SPINE_CONDITIONS))
def test_a_spine_condition_needs_clearance_even_before_screening(condition: Condition) -> None:
    state = clearance_needed(Profile(conditions=(condition,)), None, [])
    assert state.status == "needed"
    assert state.uncovered[0].code == f"condition:{condition.value}"


@pytest.mark.parametrize("condition", [Condition.HEART_CONDITION, Condition.OSTEOPOROSIS])
def test_heart_condition_and_osteoporosis_need_clearance(condition: Condition) -> None:
    state = clearance_needed(Profile(conditions=(condition,)), screening(), [])
    assert state.status == "needed"


@pytest.mark.parametrize("condition", [Condition.HIP_PROBLEM, Condition.RECENT_ILLNESS])
def test_hip_problem_and_recent_illness_add_notes_not_a_block(condition: Condition) -> None:
    state = clearance_needed(Profile(conditions=(condition,)), screening(), [])
    assert state.status == "not-needed"
    assert state.notes


def test_a_clearance_covers_profile_conditions_whatever_its_date() -> None:
    profile = Profile(conditions=(Condition.LUMBAR_SPINAL_STENOSIS,))
    cleared = [Clearance(on=date(2020, 1, 1), by="Dr Jones")]
    state = clearance_needed(profile, screening(), cleared)
    assert state.status == "cleared" and state.plans_allowed
    assert state.clearance == cleared[0]
    assert "Dr Jones" in state.message


def test_with_a_spine_condition_and_a_clearance_the_screening_is_still_asked_for() -> None:
    profile = Profile(conditions=(Condition.DISC_HERNIATION,))
    state = clearance_needed(profile, None, [Clearance(on=date(2025, 3, 1), by="Dr A")])
    assert state.status == "not-screened"


def test_a_clearance_older_than_a_yes_answer_does_not_cover_it() -> None:
    answered = screening(date(2025, 3, 10), chest_discomfort=True)
    before = [Clearance(on=date(2025, 3, 9), by="Dr A")]
    state = clearance_needed(Profile(), answered, before)
    assert state.status == "needed"
    assert "came before something new" in state.message
    same_day = [*before, Clearance(on=date(2025, 3, 10), by="Dr B", restrictions="easy only")]
    cleared = clearance_needed(Profile(), answered, same_day)
    assert cleared.status == "cleared"
    assert "Restrictions: easy only" in cleared.message


def test_the_leg_symptom_pattern_needs_clearance_only_without_stenosis() -> None:
    since = date(2025, 3, 12)
    plain = clearance_needed(Profile(), screening(), [], claudication_since=since)
    assert plain.status == "needed"
    assert plain.uncovered[0].code == "pattern:walking-leg-symptoms"
    assert "NASS 2011" in plain.uncovered[0].source
    earlier = [Clearance(on=date(2025, 3, 11), by="Dr A")]
    assert clearance_needed(Profile(), screening(), earlier, claudication_since=since).status == (
        "needed"
    )
    later = [Clearance(on=date(2025, 3, 12), by="Dr A")]
    assert clearance_needed(Profile(), screening(), later, claudication_since=since).status == (
        "cleared"
    )
    stenosis = Profile(conditions=(Condition.LUMBAR_SPINAL_STENOSIS,))
    known = clearance_needed(stenosis, screening(), later, claudication_since=since)
    assert [r.code for r in known.reasons] == ["condition:lumbar-spinal-stenosis"]


@given(st.lists(st.sampled_from(HEALTH_KEYS), unique=True))
def test_clearance_is_needed_exactly_when_a_health_answer_is_yes(keys: list[str]) -> None:
    values = answers(**dict.fromkeys(keys, True))
    state = clearance_needed(Profile(), parse_screening(values, answered_on=TODAY), [])
    assert (state.status == "needed") == bool(keys)
    assert {r.code for r in state.reasons} == {f"screening:{k}" for k in keys}


def test_clearance_validation() -> None:
    with pytest.raises(InvalidInputError, match="in the future"):
        validate_clearance(Clearance(on=date(2025, 4, 1), by="Dr A"), today=TODAY)
    with pytest.raises(InvalidInputError, match="who gave"):
        validate_clearance(Clearance(on=TODAY, by="  "), today=TODAY)


# --- training status from the records (issue 13.3) -----------------------------------------------


def runs_every(days: int, weeks: int) -> list[date]:
    return [TODAY - timedelta(days=k) for k in range(0, 7 * weeks, days)]


def test_four_weeks_of_two_runs_make_a_returning_runner_regular() -> None:
    s = training_status(Experience.RETURNING, runs_every(3, 4), today=TODAY)
    assert (s.experience, s.from_records) == (Experience.REGULAR, True)
    assert "each of the last 4 weeks" in s.reason


def test_one_thin_week_keeps_her_own_answer() -> None:
    days = [
        d for d in runs_every(3, 4) if not TODAY - timedelta(days=14) < d <= TODAY - timedelta(7)
    ]
    s = training_status(Experience.NEW, days, today=TODAY)
    assert (s.experience, s.from_records) == (Experience.NEW, False)


def test_a_regular_runner_after_two_weeks_off_is_returning() -> None:
    s = training_status(Experience.REGULAR, [TODAY - timedelta(days=20)], today=TODAY)
    assert (s.experience, s.from_records) == (Experience.RETURNING, True)
    assert "20 days ago" in s.reason


def test_without_runs_or_an_answer_nothing_is_known() -> None:
    s = training_status(None, [], today=TODAY)
    assert (s.experience, s.from_records) == (None, False)


def test_regular_records_replace_the_not_exercising_regularly_note() -> None:
    lazy = parse_screening(answers(regularly_active=False), answered_on=date(2025, 1, 1))
    before = clearance_needed(Profile(), lazy, [])
    assert any("not exercising regularly" in n for n in before.notes)
    after = clearance_needed(Profile(), lazy, [], regularly_active=True)
    assert not any("not exercising regularly" in n for n in after.notes)
    assert any("exercising regularly now" in n for n in after.notes)
