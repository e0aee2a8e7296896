"""The JSON API speaks SI whatever the ``units`` setting, and its schema says so.

Pages show kilometres or miles; the API never converts. Each figure whose name carries its
unit (``distance_m``, ``duration_s``, ``avg_pace_s_per_km``, ``retire_km``...) gets that unit in
its description in the OpenAPI document.
"""

from __future__ import annotations

from typing import Any

SI_NOTE = (
    "Figures are always metric (SI), whatever the units setting (km or mi) the pages use: "
    "distances in metres (names ending _m) or kilometres (_km), durations in seconds (_s), "
    "paces in seconds per kilometre (_s_per_km), heights in metres. Texts written for the "
    "runner (a finding's title, reason and action; the day's headline and summary) follow "
    "the units setting, as on the pages."
)

_SUFFIXES = (
    ("_s_per_km", "seconds per kilometre"),
    ("_m_per_km", "metres per kilometre"),
    ("_km", "kilometres"),
    ("_m", "metres"),
    ("_s", "seconds"),
    ("_bpm", "beats per minute"),
)
_NOTE = "always SI, whatever the units setting"


def unit_of(name: str) -> str | None:
    """The SI unit a field's name declares, or None."""
    for suffix, unit in _SUFFIXES:
        if name.endswith(suffix):
            return unit
    return None


def describe_units(openapi: dict[str, Any]) -> dict[str, Any]:
    """Add the unit to every unit-named property of every schema (idempotent)."""
    for schema in openapi.get("components", {}).get("schemas", {}).values():
        for name, prop in schema.get("properties", {}).items():
            unit = unit_of(name)
            if unit is None or not isinstance(prop, dict):
                continue
            text = prop.get("description", "")
            if _NOTE in text:
                continue
            words = f"In {unit} ({_NOTE})."
            prop["description"] = f"{text} {words}".strip()
    info = openapi.setdefault("info", {})
    if SI_NOTE not in info.get("description", ""):
        info["description"] = f"{info.get('description', '')} {SI_NOTE}".strip()
    return openapi
