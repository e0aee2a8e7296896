"""Rules of the gear family."""

from __future__ import annotations

from datetime import timedelta

from backstride.domain.guidance.finding import Finding
from backstride.domain.guidance.rule import rule
from backstride.domain.guidance.state import GuidanceState
from backstride.domain.params import GuidanceParams
from backstride.domain.shoes import ROTATION_SOURCE, WEAR_SOURCE

# ---------------------------------------------------------------------------------------------
# Gear (§3; implication 7)


@rule(
    about="Shoes past their inspect distance, or only one pair",
    family="gear",
    ids=(
        "gear.shoes_worn",
        "gear.single_pair",
    ),
    params=(),
    evidence=(
        "cook-1985",
        "malisoux-2015",
    ),
)
def rule_shoes(state: GuidanceState, p: GuidanceParams) -> list[Finding]:
    out: list[Finding] = []
    since = state.today - timedelta(days=27)
    in_use = [
        s
        for s in state.shoes
        if s.shoe.active
        and (
            (s.last_used_on is not None and s.last_used_on >= since)
            or any(sp in s.shoe.default_for for sp in ("run", "trail_run", "treadmill_run"))
        )
    ]
    worn = [s for s in in_use if s.state in ("inspect", "retire")]
    if worn:
        worn.sort(key=lambda s: (s.state != "retire", -s.total_km))
        s = worn[0]
        retire = s.state == "retire"
        need = "need replacing" if retire else "need a check"
        out.append(
            Finding(
                id="gear.shoes_worn",
                level="caution",
                title=f"Your shoes '{s.shoe.name}' {need}",
                reason=(
                    f"Your shoes '{s.shoe.name}' have about {s.total_km:.0f} km on them, past the "
                    f"{(s.shoe.retire_km if retire else s.shoe.inspect_km):.0f} km mark. "
                    "Cushioning wears out with distance. (This rule of thumb comes from "
                    "machine tests of cushioning, not from injury studies.)"
                ),
                evidence={
                    "shoe": s.shoe.name,
                    "km": round(s.total_km, 0),
                    "inspect_km": s.shoe.inspect_km,
                    "retire_km": s.shoe.retire_km,
                    "state": s.state,
                    "others": [w.shoe.name for w in worn[1:]],
                },
                source=WEAR_SOURCE,
                action=(
                    "Plan a new pair, and watch whether your back aches more after runs in these."
                    if retire
                    else "Look for deep creases in the midsole, a worn-through sole or a heel "
                    "that tilts; if they feel flat or leave you sorer, replace them."
                ),
            )
        )
    if state.rotation:
        out.append(
            Finding(
                id="gear.single_pair",
                level="info",
                title="Only one pair of running shoes",
                reason=state.rotation,
                evidence={"pairs_in_use": len(in_use)},
                source=ROTATION_SOURCE,
                action="Consider a second pair and alternate between them.",
            )
        )
    return out
