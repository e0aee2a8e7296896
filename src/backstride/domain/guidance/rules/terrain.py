"""Rules of the terrain family."""

from __future__ import annotations

from datetime import timedelta

from backstride.domain.evidence import cite
from backstride.domain.guidance.finding import Finding
from backstride.domain.guidance.message import Say
from backstride.domain.guidance.rule import rule
from backstride.domain.guidance.state import GuidanceState, RunFacts
from backstride.domain.guidance.words import _UNEVEN, _pct
from backstride.domain.pain import PainWhen
from backstride.domain.params import GuidanceParams

# ---------------------------------------------------------------------------------------------
# Terrain (§4; implication 8)


def _sensitive_to(state: GuidanceState, run: RunFacts) -> bool:
    """A back that dislikes arching: a spine condition, or pain of 3+ linked to that run."""
    if state.profile.spine_conditions:
        return True
    for e in state.pain:
        linked = e.activity_id == run.activity_id or (
            e.activity_id is None
            and (
                (e.when in (PainWhen.DURING, PainWhen.AFTER) and e.day == run.day)
                or (e.when is PainWhen.NEXT_MORNING and e.day == run.day + timedelta(days=1))
            )
        )
        if linked and e.score >= 3:
            return True
    return False


@rule(
    about="Steep or long downhills",
    family="terrain",
    ids=("terrain.downhill",),
    params=(
        "downhill_grade_pct",
        "downhill_long_drop_m",
        "downhill_steep_m",
        "terrain_recent_days",
    ),
    evidence=(
        "gottschall-kram-2005",
        "levine-2007",
    ),
    words={
        "steep": (
            "{steep:dist} of steep descent (steeper than {p.downhill_grade_pct:neg0} %; "
            "backstride notes {p.downhill_steep_m:m} or more)"
        ),
        "drop": (
            "one continuous descent of {drop:m} (backstride notes {p.downhill_long_drop_m:m} or "
            "more)"
        ),
        "downhill.title": "Long or steep downhill running",
        "downhill.reason": (
            "Your run on {run_on:on}, in the last {p.terrain_recent_days} days, had {parts}. "
            "Running downhill adds jolt and braking to every step and arches the lower back "
            "more{sensitive}"
        ),
        "sensitive": ", which is what a back with stenosis or arching-sensitive pain dislikes.",
        "downhill.action": (
            "Run on flat routes for now; on a hill, walk the steep downhill parts or go round "
            "the other way so the steep part is uphill."
        ),
    },
)
def rule_downhill(state: GuidanceState, p: GuidanceParams, say: Say) -> list[Finding]:
    hits: list[tuple[RunFacts, float, float]] = []
    for r in state.runs_since(p.terrain_recent_days):
        steep = r.descent_steeper_than_m(p.downhill_grade_pct) or 0.0
        drop = r.longest_descent_drop_m or 0.0
        if steep >= p.downhill_steep_m or drop >= p.downhill_long_drop_m:
            hits.append((r, steep, drop))
    if not hits:
        return []
    r, steep, drop = max(hits, key=lambda h: (h[1], h[2], h[0].day))
    sensitive = any(_sensitive_to(state, h[0]) for h in hits)
    parts = []
    if steep >= p.downhill_steep_m:
        parts.append(say("steep", steep=steep))
    if drop >= p.downhill_long_drop_m:
        parts.append(say("drop", drop=round(drop, 0)))  # as its number below
    return [
        Finding(
            id="terrain.downhill",
            level="reduce" if sensitive else "caution",
            **say.words(
                "downhill",
                run_on=r.day,
                parts=" and ".join(parts),
                sensitive=say("sensitive") if sensitive else ".",
            ),
            evidence={
                "run_on": r.day.isoformat(),
                "activity_id": r.activity_id,
                "steep_descent_m": round(steep, 0),
                "steep_grade_pct": p.downhill_grade_pct,
                "longest_descent_drop_m": round(drop, 0),
                "descent_steeper_than_5pct_m": (
                    round(r.steep_descent_5pct_m, 0) if r.steep_descent_5pct_m is not None else None
                ),
            },
            source=cite("gottschall-kram-2005", "levine-2007"),
            asks="run_easy" if sensitive else "run",
        )
    ]


@rule(
    about="Mostly trail or uneven ground",
    family="terrain",
    ids=("terrain.uneven",),
    params=(
        "uneven_share",
        "uneven_window_days",
    ),
    evidence=("voloshina-ferris-2015",),
    words={
        "uneven.title": "Mostly uneven ground",
        "uneven.reason": (
            "{share:pct} % of your running in the last {p.uneven_window_days} days was on "
            "trails or mixed ground (backstride notes {p.uneven_share:pct} % or more). On "
            "uneven ground every step is a little different, which tires the trunk and legs "
            "sooner; while you build up, even ground is kinder."
        ),
        "uneven.action": "Do most runs on road, track or smooth paths for now.",
    },
)
def rule_uneven(state: GuidanceState, p: GuidanceParams, say: Say) -> list[Finding]:
    if not state.careful:
        return []
    runs = [r for r in state.runs_since(p.uneven_window_days) if r.distance_m]
    total = sum(r.distance_m or 0.0 for r in runs)
    rough = sum(r.distance_m or 0.0 for r in runs if r.surface in _UNEVEN)
    if total <= 0 or rough / total < p.uneven_share:
        return []
    return [
        Finding(
            id="terrain.uneven",
            level="caution",
            **say.words("uneven", share=rough / total),
            evidence={
                "uneven_km": round(rough / 1000.0, 1),
                "total_km": round(total / 1000.0, 1),
                "uneven_share_pct": _pct(rough / total),
            },
            source=cite("voloshina-ferris-2015"),
        )
    ]
