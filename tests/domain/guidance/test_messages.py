"""A rule's words are templates declared with the rule (issue 15, point 1), written in the
runner's units (issue 14, point 4).

Every template of the registry renders with the defaults and with every documented override
(the overrides of ``test_words.CASES``), in kilometres and in miles; a template names only
the thresholds its rule declares, and only kinds of values :class:`Voice` knows; every
template is used by its rule's check. In miles the words change, never the decision.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backstride.domain.day import StartFacts, combine
from backstride.domain.guidance import (
    RULES,
    Rule,
    compute_findings,
    plan_today,
    rule,
    run_caps,
)
from backstride.domain.guidance.message import SPECS, Voice, preview, template_fields
from backstride.domain.params import DEFAULT_GUIDANCE_PARAMS as P
from backstride.domain.params import GuidanceParams
from backstride.errors import InvalidInputError
from tests.domain.guidance.test_words import CASES
from tests.domain.guidance_world import World, calm, days_ago, route

ALL_OVERRIDES = P.with_overrides({name: case.override for name, case in CASES.items()})
PYTHON_SPEC = re.compile(r"^(\.\d+f|d|g|)$")


def _templates() -> list[tuple[Rule, str, str]]:
    return [(r, key, text) for r in RULES for key, text in r.words.items()]


@pytest.mark.parametrize("r", RULES, ids=lambda r: r.name)
def test_every_rule_declares_its_words(r: Rule) -> None:
    assert r.words, r.name
    assert any(key.endswith(".title") for key in r.words), r.name


@pytest.mark.parametrize("units", ["km", "mi"])
@pytest.mark.parametrize("name", ["defaults", "all overrides", *sorted(CASES)])
def test_every_template_renders_with_the_documented_overrides(name: str, units: str) -> None:
    params = {"defaults": P, "all overrides": ALL_OVERRIDES}.get(name)
    if params is None:
        params = P.with_overrides({name: CASES[name].override})
    for r, key, text in _templates():
        shown = preview(text, params, units, samples=True)
        assert "{" not in shown and "}" not in shown, (r.name, key, shown)
        if units == "mi":
            assert not re.search(r"\d km\b", shown), (r.name, key, shown)


@pytest.mark.parametrize("name", sorted(CASES))
def test_an_override_changes_the_templates_that_name_it(name: str) -> None:
    changed = P.with_overrides({name: CASES[name].override})
    naming = [
        (r, k, t) for r, k, t in _templates() if any(f.param == name for f in template_fields(t))
    ]
    for r, key, text in naming:
        assert preview(text, changed, samples=True) != preview(text, P, samples=True), (r.name, key)


@pytest.mark.parametrize("r", RULES, ids=lambda r: r.name)
def test_no_template_names_a_threshold_its_rule_does_not_declare(r: Rule) -> None:
    named = {f.param for text in r.words.values() for f in template_fields(text) if f.param}
    assert named <= set(r.params), (r.name, sorted(named - set(r.params)))


def test_declaring_words_with_an_undeclared_threshold_is_refused() -> None:
    with pytest.raises(ValueError, match="undeclared parameters: spike_reduce_ratio"):
        rule(
            about="x",
            family="load",
            ids=("load.x",),
            params=("spike_caution_ratio",),
            words={"x.title": "above {p.spike_reduce_ratio:over} %"},
        )(lambda state, p, say: [])


@pytest.mark.parametrize("r", RULES, ids=lambda r: r.name)
def test_templates_use_plain_names_and_known_kinds(r: Rule) -> None:
    for key, text in r.words.items():
        for f in template_fields(text):
            if f.param is None:
                assert re.fullmatch(r"[a-z_]+", f.name), (r.name, key, f.name)
            else:
                assert f.param in GuidanceParams.__dataclass_fields__, (r.name, key, f.name)
            assert f.spec in SPECS or PYTHON_SPEC.match(f.spec), (r.name, key, f.spec)


@pytest.mark.parametrize("r", RULES, ids=lambda r: r.name)
def test_every_template_is_used_by_its_check(r: Rule) -> None:
    source = inspect.getsource(inspect.getmodule(r.check))  # type: ignore[arg-type]
    body = source.split("words={", 1)[0] + "".join(
        part.split("},\n)", 1)[1] for part in source.split("words={")[1:]
    )
    for key in r.words:
        group = key.rsplit(".", 1)[0]
        prefix = f'"{key.split(".", 1)[0]}.'
        assert f'"{key}"' in body or f'"{group}"' in body or prefix in body, (r.name, key)


def test_the_voice_writes_kilometres_or_miles() -> None:
    km, mi = Voice("km"), Voice("mi")
    assert km.format("{d:dist} and {k:km}", d=3200.0, k=5.0) == "3.2 km and 5 km"
    assert mi.format("{d:dist} and {k:km}", d=3200.0, k=5.0) == "2 mi and 3.1 mi"
    assert km.format("{h:m}", h=80.0) == "80 m" and mi.format("{h:m}", h=80.0) == "262 ft"
    assert km.format("{s:pace}", s=1000 / 300) == "5:00 min/km"
    assert mi.format("{s:pace}", s=1000 / 300) == "8:03 min/mi"
    assert km.format("{r:over} % and {r:pct} %", r=1.25) == "25 % and 125 %"
    assert mi.distance(1609.344, zeros=True) == "1.0 mi"
    with pytest.raises(InvalidInputError):
        Voice("furlongs")


def test_a_finding_s_numbers_follow_the_units() -> None:
    w = calm()
    w.shoes = [replace(s, start_km=700.0) for s in w.shoes]
    worn = next(f for f in compute_findings(w.state()) if f.id == "gear.shoes_worn")
    km_rows = dict(worn.numbers("km"))
    mi_rows = dict(worn.numbers("mi"))
    assert km_rows["Check them at"] == "500 km" and mi_rows["Check them at"] == "311 mi"
    assert all(" km" not in v for v in mi_rows.values()), mi_rows
    worn_mi = next(f for f in compute_findings(w.state(), P, "mi") if f.id == "gear.shoes_worn")
    assert "past the 311 mi mark" in worn_mi.reason and " km" not in worn_mi.reason


# --- one decision, whatever the units ------------------------------------------------------------

KNOWN = StartFacts(
    screened=True, profile_set=True, has_activities=True, has_recent_runs=True, has_plan=False
)


def _answer(w: World, units: str, params: GuidanceParams = P):  # type: ignore[no-untyped-def]
    state = w.state()
    findings = compute_findings(state, params, units)
    return combine(
        on=w.today,
        findings=findings,
        advice=plan_today(state, findings, params, units),
        caps=run_caps(state, findings, params, units),
        planned=None,
        start=KNOWN,
        open_flags=state.open_red_flags,
        units=units,
    )


def _numbers(caps: dict[str, Any] | None) -> dict[str, Any] | None:
    """The caps' JSON without its words."""
    return None if caps is None else {k: v for k, v in caps.items() if k != "why"}


@st.composite
def worlds(draw: st.DrawFn) -> World:
    """The calm runner with a random last fortnight: run lengths, pain, a descent, a break."""
    w = calm()
    for s in w.runs():
        if s.day >= days_ago(14):
            s.km = draw(st.floats(min_value=1.0, max_value=30.0))
            s.minutes = s.km * draw(st.floats(min_value=4.5, max_value=8.0))
            s.longest_drop_m = draw(st.floats(min_value=0.0, max_value=300.0))
    if draw(st.booleans()):
        for day in range(draw(st.integers(min_value=3, max_value=20))):
            w.drop_on(days_ago(day))
    for day in draw(st.lists(st.integers(min_value=0, max_value=6), max_size=3)):
        w.entry(days_ago(day), "next-morning", draw(st.integers(min_value=0, max_value=8)))
    if draw(st.booleans()):
        w.routes = [route("Park loop", draw(st.floats(min_value=2.0, max_value=15.0)), 3.0)]
    return w


@settings(max_examples=40, deadline=None)
@given(worlds())
def test_miles_change_the_words_never_the_decision(w: World) -> None:
    km, mi = _answer(w, "km"), _answer(w, "mi")
    assert mi.decision == km.decision
    assert len(mi.reasons) == len(km.reasons)
    assert [(f.id, f.level, f.asks, f.for_later) for f in mi.findings] == [
        (f.id, f.level, f.asks, f.for_later) for f in km.findings
    ]
    assert _numbers(mi.to_json()["caps"]) == _numbers(km.to_json()["caps"])
    assert [f.evidence for f in mi.findings] == [f.evidence for f in km.findings]
    words = [mi.headline, mi.summary, *mi.reasons, *mi.advice.details]
    words += [t for f in mi.findings for t in (f.title, f.reason, f.action)]
    words += [mi.session.what] if mi.session else []
    assert not [t for t in words if re.search(r"\d km\b", t)]


def test_a_cap_reads_in_miles_as_the_converted_distance() -> None:
    w = calm()
    last = [s for s in w.runs() if s.day == days_ago(2)][0]
    last.km, last.minutes = 11.0, 66.0  # a spike: run easy, capped
    km, mi = _answer(w, "km"), _answer(w, "mi")
    assert km.decision == mi.decision == "run_easy"
    assert km.caps is not None and km.caps.cap_m is not None
    miles = km.caps.cap_m / 1609.344
    assert f"no longer than {km.caps.cap_km:g} km" in km.advice.summary
    assert f"no longer than {round(miles, 1):g} mi" in mi.advice.summary
    assert f"At most {round(miles, 1):g} mi" in (mi.session.what if mi.session else "")
    assert _numbers(mi.to_json()["caps"]) == _numbers(km.to_json()["caps"])  # still km
    assert mi.to_json()["session"]["max_km"] == km.to_json()["session"]["max_km"]


def test_the_docs_page_shows_every_rule_s_words_with_the_default_thresholds() -> None:
    from backstride.domain.guidance.document import rules_markdown, word_previews

    page = rules_markdown()
    for part in ("title", "reason", "action"):
        for text in word_previews(part):
            assert text in page, text
    assert "backstride notes steps above 10 % and asks for easy runs above" in page
    assert "{" not in page.split("### The words of each rule")[1]
