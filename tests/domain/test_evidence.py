"""The evidence registry: every source once, cited by key, and docs/evidence.md built from it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from backstride.domain.evidence import EVIDENCE, SECTIONS, Strength, cite, find_citations, keys_in
from backstride.domain.evidence.document import evidence_markdown
from backstride.domain.guidance import RULES, rules_by_source

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "evidence.md"


def test_docs_evidence_md_is_generated_from_the_registry() -> None:
    expected = evidence_markdown(rules_by_source())
    assert DOC.read_text(encoding="utf-8") == expected, (
        "docs/evidence.md is out of date: run .venv/bin/python tools/gen_evidence_doc.py"
    )


def test_every_source_has_its_summary_use_reference_and_kind() -> None:
    labels = [s.label for s in EVIDENCE.values()]
    assert len(labels) == len(set(labels))
    for key, s in EVIDENCE.items():
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", key), key
        assert s.key == key and s.section in SECTIONS
        assert isinstance(s.strength, Strength) and s.strength.words
        assert len(s.summary) > 60 and len(s.use) > 15 and len(s.citation) > 15, key
        assert "EVIDENCE" not in s.summary + s.use + s.citation
        assert "[R" not in s.summary + s.use + s.citation


def test_cite_writes_the_labels_and_find_citations_links_them_back() -> None:
    text = cite("frandsen-2025", "nielsen-2014", note="a note")
    assert text == "Frandsen 2025; Nielsen 2014 (a note)"
    pieces = find_citations(text)
    assert [p.key for p in pieces if p.key] == ["frandsen-2025", "nielsen-2014"]
    assert "".join(p.text for p in pieces) == text
    assert keys_in(["Cook, Kester & Brunet 1985; Malisoux 2015"]) == ("cook-1985", "malisoux-2015")
    with pytest.raises(KeyError):
        cite("no-such-source")


@pytest.mark.parametrize("key", sorted(EVIDENCE))
def test_each_label_finds_its_own_source(key: str) -> None:
    assert keys_in([f"see {EVIDENCE[key].label}."]) == (key,)


def test_every_rule_rests_on_sources_of_the_registry() -> None:
    cited = {k for r in RULES for k in r.evidence}
    assert cited <= set(EVIDENCE)
    assert {"frandsen-2025", "silbernagel-2007", "nice-ng59"} <= cited


def test_a_source_s_label_is_written_only_in_the_registry() -> None:
    """Code and templates cite by key (``cite("frandsen-2025")``, ``{frandsen-2025}`` in a
    parameter's source); only the registry spells "Frandsen 2025" (docstrings and comments
    aside)."""
    import ast

    from backstride.domain.evidence import find_citations

    src = ROOT / "src" / "backstride"
    found: list[str] = []
    for path in sorted(src.rglob("*.py")):
        if "evidence" in path.relative_to(src).parts[:2]:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if id(node) not in docstrings and any(p.key for p in find_citations(node.value)):
                    found.append(f"{path.relative_to(src)}:{node.lineno}")
    for path in sorted((src / "web" / "templates").rglob("*.html")):
        if any(p.key for p in find_citations(path.read_text(encoding="utf-8"))):
            found.append(str(path.relative_to(src)))
    assert not found, found
