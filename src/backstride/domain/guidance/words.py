"""Small formatting helpers shared by the rules (numbers, days, paces, sentences)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from backstride.domain.activity import Sport, Surface

_RUN_SPORTS = (Sport.RUN, Sport.TRAIL_RUN, Sport.TREADMILL_RUN)
_UNEVEN = (Surface.TRAIL, Surface.MIXED)


# ---------------------------------------------------------------------------------------------
# Helpers


def _km(metres: float | None, digits: int = 1) -> float | None:
    return None if metres is None else round(metres / 1000.0, digits)


def _pct(ratio: float) -> int:
    return int(round(ratio * 100.0))


def _on(day: date) -> str:
    return day.strftime("%a %d %b").replace(" 0", " ")


def _pace(speed_m_s: float) -> str:
    s = 1000.0 / speed_m_s
    return f"{int(s // 60)}:{int(round(s % 60)):02d} min/km"


def _f(value: float, digits: int = 1) -> str:
    return f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:.0f}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _join_sentences(parts: Sequence[str]) -> str:
    return "; ".join(parts)
