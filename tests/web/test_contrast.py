"""The dashboard's palette meets WCAG 2.1 AA contrast, computed from ``static/app.css``."""

from __future__ import annotations

import re

import pytest

from backstride.web.templating import STATIC_DIR

CSS = (STATIC_DIR / "app.css").read_text(encoding="utf-8")
ROOT = CSS[CSS.index(":root {") : CSS.index("}", CSS.index(":root {"))]
PALETTE = dict(re.findall(r"--([a-z0-9-]+):\s*(#[0-9a-fA-F]{6})\s*;", ROOT))

TEXT = 4.5  # WCAG 1.4.3: normal text
GRAPHIC = 3.0  # WCAG 1.4.11: chart marks, input borders, focus indicators

# (foreground, background, minimum ratio)
PAIRS = [
    ("text", "bg", TEXT),
    ("text", "surface", TEXT),
    ("muted", "bg", TEXT),
    ("muted", "surface", TEXT),
    ("link", "bg", TEXT),
    ("link", "surface", TEXT),
    ("on-accent", "accent", TEXT),
    ("accent", "bg", TEXT),
    ("ok", "ok-bg", TEXT),
    ("caution", "caution-bg", TEXT),
    ("alert", "alert-bg", TEXT),
    ("info", "info-bg", TEXT),
    ("contested", "contested-bg", TEXT),
    ("contested", "surface", TEXT),
    ("field-border", "bg", GRAPHIC),
    ("field-border", "surface", GRAPHIC),
    ("focus", "bg", GRAPHIC),
    ("focus", "surface", GRAPHIC),
] + [
    (name, background, GRAPHIC)
    for name in sorted(PALETTE)
    if name.startswith("c-") and name not in ("c-elevation-fill", "c-zone")
    for background in ("bg", "surface")
]


def luminance(hex_colour: str) -> float:
    """Relative luminance (WCAG 2.1 definition)."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_formula_matches_known_values() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_palette_is_parsed() -> None:
    assert {"bg", "text", "muted", "accent", "c-pace", "c-hr"} <= set(PALETTE)


@pytest.mark.parametrize(("fg", "bg", "minimum"), PAIRS, ids=[f"{f}-on-{b}" for f, b, _ in PAIRS])
def test_colour_pair_meets_aa(fg: str, bg: str, minimum: float) -> None:
    ratio = contrast(PALETTE[fg], PALETTE[bg])
    assert ratio >= minimum, f"--{fg} on --{bg}: {ratio:.2f}:1 < {minimum}:1"


def test_no_colour_is_written_outside_the_palette() -> None:
    body = CSS[CSS.index("}", CSS.index(":root {")) :]
    stray = re.findall(r"#[0-9a-fA-F]{3,6}\b", body)
    assert stray == []


@pytest.mark.parametrize("name", ["charts.css", "pages.css"])
def test_the_stylesheets_after_app_css_use_only_its_palette(name: str) -> None:
    css = (STATIC_DIR / name).read_text(encoding="utf-8")
    assert re.findall(r"#[0-9a-fA-F]{3,6}\b", css) == []
    used = set(re.findall(r"var\(--([a-z0-9-]+)", css))
    assert used and used <= set(re.findall(r"--([a-z0-9-]+):", ROOT)), used


def test_every_page_links_the_dashboard_stylesheets_in_their_order() -> None:
    """charts.css and pages.css continue app.css: the phone layout (pages.css) overrides the
    charts and tables, so the order of the links is the order of the rules."""
    base = (STATIC_DIR.parent / "templates" / "base.html").read_text(encoding="utf-8")
    links = re.findall(r'href="/static/([a-z]+\.css)', base)
    assert links[:3] == ["app.css", "charts.css", "pages.css"]
