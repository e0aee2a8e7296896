"""Rules of the form family."""

from __future__ import annotations

import statistics

from backstride.domain.evidence import cite
from backstride.domain.guidance.finding import Finding
from backstride.domain.guidance.message import Say
from backstride.domain.guidance.rule import rule
from backstride.domain.guidance.state import GuidanceState, RunFacts
from backstride.domain.guidance.words import _pct
from backstride.domain.params import GuidanceParams

# ---------------------------------------------------------------------------------------------
# Form (§4; implication 9)


def expected_cadence_spm(speed_m_s: float, p: GuidanceParams) -> float:
    """The step rate a recreational runner typically uses at ``speed_m_s`` (own choice [R])."""
    return p.stride_ref_spm + p.stride_spm_per_m_s * (speed_m_s - p.stride_ref_speed_m_s)


@rule(
    about="Few steps per minute for your pace (overstriding)",
    family="form",
    ids=("form.stride",),
    params=(
        "stride_min_cadence_spm",
        "stride_min_runs",
        "stride_min_speed_m_s",
        "stride_ref_speed_m_s",
        "stride_ref_spm",
        "stride_shortfall",
        "stride_spm_per_m_s",
        "stride_window_days",
    ),
    evidence=(
        "heiderscheit-2011",
        "lieberman-2015",
    ),
    words={
        "stride.title": "Long strides for your pace",
        "stride.reason": (
            "On your last {runs} runs you took about {cadence:.0f} steps a minute at about "
            "{speed:pace}. Runners at that pace usually take about {expected:.0f}; yours is "
            "more than {p.stride_shortfall:pct} % below that. Few, long steps mean the foot "
            "lands far in front of the body (overstriding), which brakes every step and loads "
            "the knees, hips and back more."
        ),
        "stride.action": (
            "Raise your step rate gradually by 5-10 %, to about {low:.0f}-{high:.0f} steps a "
            "minute, with shorter, quicker steps at the same pace (a metronome app helps). Ask "
            "a running coach or physiotherapist to look at your stride."
        ),
    },
)
def rule_stride(state: GuidanceState, p: GuidanceParams, say: Say) -> list[Finding]:
    judged: list[tuple[RunFacts, float, float]] = []
    for r in state.runs_since(p.stride_window_days):
        speed = r.speed_m_s
        if r.cadence_spm is None or speed is None:
            continue
        if r.cadence_spm < p.stride_min_cadence_spm or speed < p.stride_min_speed_m_s:
            continue
        judged.append((r, r.cadence_spm, expected_cadence_spm(speed, p)))
    if len(judged) < p.stride_min_runs:
        return []
    shortfall = statistics.median(1.0 - c / e for _, c, e in judged)
    if shortfall <= p.stride_shortfall:
        return []
    cadence = statistics.median(c for _, c, _ in judged)
    expected = statistics.median(e for _, _, e in judged)
    speeds = [r.speed_m_s for r, _, _ in judged if r.speed_m_s]
    speed = statistics.median(speeds)
    low, high = cadence * 1.05, cadence * 1.10
    return [
        Finding(
            id="form.stride",
            level="caution",
            **say.words(
                "stride",
                runs=len(judged),
                cadence=cadence,
                speed=speed,
                expected=expected,
                low=low,
                high=high,
            ),
            evidence={
                "typical_cadence_spm": round(cadence, 0),
                "expected_cadence_spm": round(expected, 0),
                "shortfall_pct": _pct(shortfall),
                "typical_speed_m_s": round(speed, 2),
                "runs": len(judged),
            },
            source=cite("heiderscheit-2011", "lieberman-2015"),
        )
    ]
