"""Rules of the gear family."""

from __future__ import annotations

from datetime import timedelta

from backstride.domain.guidance.finding import Finding
from backstride.domain.guidance.message import Say
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
    words={
        "inspect.title": "Your shoes '{shoe}' need a check",
        "retire.title": "Your shoes '{shoe}' need replacing",
        "worn.reason": (
            "Your shoes '{shoe}' have about {total:km0} on them, past the {mark:km0} mark. "
            "Cushioning wears out with distance. (This rule of thumb comes from machine tests "
            "of cushioning, not from injury studies.)"
        ),
        "inspect.action": (
            "Look for deep creases in the midsole, a worn-through sole or a heel that tilts; if "
            "they feel flat or leave you sorer, replace them."
        ),
        "retire.action": (
            "Plan a new pair, and watch whether your back aches more after runs in these."
        ),
        "one_pair.title": "Only one pair of running shoes",
        "one_pair.reason": "{nudge}",
        "one_pair.action": "Consider a second pair and alternate between them.",
    },
)
def rule_shoes(state: GuidanceState, p: GuidanceParams, say: Say) -> list[Finding]:
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
        key = "retire" if retire else "inspect"
        measured = {
            "shoe": s.shoe.name,
            "total": s.total_km,
            "mark": s.shoe.retire_km if retire else s.shoe.inspect_km,
        }
        out.append(
            Finding(
                id="gear.shoes_worn",
                level="caution",
                title=say(f"{key}.title", **measured),
                reason=say("worn.reason", **measured),
                evidence={
                    "shoe": s.shoe.name,
                    "km": round(s.total_km, 0),
                    "inspect_km": s.shoe.inspect_km,
                    "retire_km": s.shoe.retire_km,
                    "state": s.state,
                    "others": [w.shoe.name for w in worn[1:]],
                },
                source=WEAR_SOURCE,
                action=say(f"{key}.action", **measured),
            )
        )
    if state.rotation:
        out.append(
            Finding(
                id="gear.single_pair",
                level="info",
                **say.words("one_pair", nudge=state.rotation),
                evidence={"pairs_in_use": len(in_use)},
                source=ROTATION_SOURCE,
            )
        )
    return out
