"""The evidence pages and API (issue 14.6): built from the registry, and every "Source:" on a
page links to them."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from backstride.domain.evidence import EVIDENCE


def test_the_evidence_index_lists_every_source_with_a_link(client: TestClient) -> None:
    r = client.get("/evidence")
    assert r.status_code == 200
    for key in EVIDENCE:
        assert f'href="/evidence/{key}"' in r.text, key
    assert "Training load and injury" in r.text
    assert "EVIDENCE.md" not in r.text


def test_a_source_page_has_its_summary_reference_and_the_rules_resting_on_it(
    client: TestClient,
) -> None:
    r = client.get("/evidence/frandsen-2025")
    assert r.status_code == 200
    s = EVIDENCE["frandsen-2025"]
    assert s.summary.split(".")[0] in r.text
    assert "doi:10.1136/bjsports-2024-109380" in r.text
    assert "A run much longer than your longest run of the last 30 days" in r.text
    assert "Study that followed a group of people over time" in r.text


def test_an_unknown_source_is_a_404_page_and_a_404_in_the_api(client: TestClient) -> None:
    assert client.get("/evidence/no-such-study").status_code == 404
    r = client.get("/api/evidence/no-such-study")
    assert r.status_code == 404
    assert "no-such-study" in r.json()["error"]["message"]


def test_the_api_lists_every_source_with_its_rules(client: TestClient) -> None:
    data = client.get("/api/evidence").json()
    assert [d["key"] for d in data] == list(EVIDENCE)
    one = client.get("/api/evidence/silbernagel-2007").json()
    assert one["label"] == "Silbernagel 2007" and one["strength"] == "trial"
    assert "pain.high_during" in one["rules"]
    assert one["href"] == "/evidence/silbernagel-2007"
    schema = client.get("/openapi.json").json()
    assert "/api/evidence" in schema["paths"] and "/api/evidence/{key}" in schema["paths"]


def test_sources_on_the_today_page_link_to_their_evidence_pages(client: TestClient) -> None:
    page = client.get("/today").text
    links = set(re.findall(r'class="cite" href="/evidence/([a-z0-9-]+)"', page))
    assert links, "the Today page cites no source with a link"
    assert links <= set(EVIDENCE)
    for key in links:
        assert client.get(f"/evidence/{key}").status_code == 200


def test_the_api_schema_lists_the_finding_ids_of_the_rule_registry(client: TestClient) -> None:
    from backstride.domain.guidance import finding_ids

    schema = client.get("/openapi.json").json()
    finding = schema["components"]["schemas"]["FindingOut"]["properties"]["id"]
    assert finding["enum"] == list(finding_ids())
