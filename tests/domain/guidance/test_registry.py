"""The registry of rules: each rule is declared once, and its declaration tells the truth.

The declaration (ids, thresholds read, evidence, words) is checked against what the check
does: the ids it can report and the ``GuidanceParams`` fields its body (and the helpers of its
module it calls) and its message templates read.
"""

from __future__ import annotations

import ast
import inspect
import re
from dataclasses import fields
from pathlib import Path

import pytest

from backstride.domain.evidence import EVIDENCE, keys_in
from backstride.domain.guidance import FAMILIES, RULES, Rule, finding_ids
from backstride.domain.params import GuidanceParams

RULES_DIR = Path(__file__).resolve().parents[3] / "src" / "backstride" / "domain" / "guidance"


def _module_functions(rule: Rule) -> tuple[str, dict[str, ast.FunctionDef]]:
    source = inspect.getsource(inspect.getmodule(rule.check))  # type: ignore[arg-type]
    tree = ast.parse(source)
    return source, {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}


def _reads(rule: Rule) -> tuple[set[str], set[str]]:
    """The finding ids and the parameters the check's body (and its module helpers) names."""
    source, functions = _module_functions(rule)
    seen: set[str] = set()
    ids: set[str] = set()
    params: set[str] = set()

    def walk(name: str) -> None:
        seen.add(name)
        node = functions[name]
        text = ast.get_source_segment(source, node) or ""
        ids.update(re.findall(r'id="([a-z_]+\.[a-z_]+)"', text))
        params.update(re.findall(r"\bp\.(\w+)", text))
        for call in ast.walk(node):
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Name):
                callee = call.func.id
                if callee in functions and callee not in seen and not callee.startswith("rule_"):
                    walk(callee)

    walk(rule.check.__name__)
    return ids, params | rule.params_in_words()


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_a_rule_declares_exactly_the_ids_it_reports(rule: Rule) -> None:
    ids, _ = _reads(rule)
    assert ids == set(rule.ids)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_a_rule_declares_exactly_the_thresholds_it_reads(rule: Rule) -> None:
    _, params = _reads(rule)
    assert params == set(rule.params)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_a_rule_lives_in_the_module_of_its_family(rule: Rule) -> None:
    assert rule.family in FAMILIES
    assert rule.check.__module__ == f"backstride.domain.guidance.rules.{rule.family}"


def test_each_finding_id_belongs_to_one_rule_and_each_rule_is_registered_once() -> None:
    ids = finding_ids()
    assert len(ids) == len(set(ids))
    assert len({r.name for r in RULES}) == len(RULES)


def test_every_rule_module_is_in_the_registry() -> None:
    declared = {r.check.__name__ for r in RULES}
    for path in sorted((RULES_DIR / "rules").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("rule_"):
                assert node.name in declared, (path.name, node.name)


def test_every_threshold_is_read_by_some_rule_or_by_the_day_s_limits() -> None:
    read = {name for r in RULES for name in r.params}
    today = (RULES_DIR / "today.py").read_text(encoding="utf-8")
    read |= set(re.findall(r"\b(?:p|params)\.(\w+)", today))
    unread = sorted(f.name for f in fields(GuidanceParams) if f.name not in read)
    assert not unread, unread


def _cited(rule: Rule) -> set[str]:
    """The evidence keys the check cites: ``cite("key")`` calls and ``*_SOURCE`` texts."""
    source, functions = _module_functions(rule)
    module = inspect.getmodule(rule.check)
    keys: set[str] = set()
    seen = {rule.check.__name__}

    def walk(node: ast.AST) -> None:
        for n in ast.walk(node):
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name):
                if n.func.id == "cite":
                    keys.update(a.value for a in n.args if isinstance(a, ast.Constant))
                callee = n.func.id
                if callee in functions and callee not in seen and not callee.startswith("rule_"):
                    seen.add(callee)
                    walk(functions[callee])
            if isinstance(n, ast.Name) and n.id.endswith("_SOURCE"):
                keys.update(keys_in([getattr(module, n.id)]))

    walk(functions[rule.check.__name__])
    return keys


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_a_rule_declares_exactly_the_evidence_it_cites(rule: Rule) -> None:
    assert rule.evidence, rule.name
    assert _cited(rule) == set(rule.evidence)
    assert all(key in EVIDENCE for key in rule.evidence)
