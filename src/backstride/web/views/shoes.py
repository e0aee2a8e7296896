"""The Shoes page's view models: each pair with its wear bar, the rotation nudge."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from backstride.domain.units import to_distance
from backstride.services.context import App
from backstride.services.shoes import list_shoes
from backstride.web.charts import Scale
from backstride.web.context import runner_today
from backstride.web.formatting import units as display_units


def shoes_data(app: App, on: date) -> dict[str, Any]:
    shoes = list_shoes(app, today=on)
    pairs = []
    for view in shoes.shoes:
        s = view.to_json()
        s["bar"] = wear_bar(
            distance_km=s["distance_km"],
            inspect_km=s["inspect_km"],
            retire_km=s["retire_km"],
            state=s["state"],
            name=s["name"],
        )
        pairs.append(s)
    data = shoes.to_json()
    return {
        "pairs": pairs,
        "rotation": data["rotation"],
        "unknown_gear": data["unknown_gear"],
        "sources": data["sources"],
        "today": runner_today(),
    }


@dataclass(frozen=True, slots=True)
class WearBar:
    """A pair's distance against its inspect and retire marks, in SVG units."""

    width: int
    height: int
    track_x: float
    track_w: float
    fill_w: float
    css: str
    inspect_x: float
    retire_x: float
    inspect_label: str
    retire_label: str
    inspect_anchor: str
    retire_anchor: str
    title: str


def wear_bar(
    *, distance_km: float, inspect_km: float, retire_km: float, state: str, name: str
) -> WearBar:
    """The bar spans 0 to a little past the larger of the retire mark and the distance."""
    width, height, pad = 320, 56, 6.0
    top = max(retire_km * 1.1, distance_km * 1.05, 1.0)
    scale = Scale(0.0, top, pad, width - pad)
    fill = max(0.0, min(distance_km, top))
    inspect_x = round(scale(inspect_km), 1)
    retire_x = round(scale(retire_km), 1)

    def anchor(x: float) -> str:
        return "end" if x > 100 else "start"

    return WearBar(
        width=width,
        height=height,
        track_x=pad,
        track_w=width - 2 * pad,
        fill_w=round(scale(fill) - pad, 1),
        css=f"wear-fill wear-{state}",
        inspect_x=inspect_x,
        retire_x=retire_x,
        inspect_label=f"inspect {_limit(inspect_km)}",
        retire_label=f"replace {_limit(retire_km)}",
        inspect_anchor=anchor(inspect_x),
        retire_anchor=anchor(retire_x),
        title=(
            f"{name}: {_limit(distance_km)}; inspect at {_limit(inspect_km)}, replace by "
            f"{_limit(retire_km)}"
        ),
    )


def _limit(km: float) -> str:
    """A shoe distance (given in km) in the runner's units, whole: ``500 km``, ``311 mi``."""
    units = display_units()
    return f"{to_distance(km * 1000.0, units):.0f} {units}"
