"""The pain diary as the CLI and the web show it: entries, triage, suspicions and the results
of each use case, as JSON-ready views."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from backstride.domain.activity import RUN_SPORTS
from backstride.domain.body import Clearance
from backstride.domain.pain import (
    OUTCOME_WORDS,
    PAIN_RULES,
    RED_FLAGS,
    URGENCY_WORDS,
    Advice,
    AwaitingClearance,
    OpenRedFlag,
    PainEntry,
    PainRules,
    RiskContext,
    SeenOutcome,
    SeenRecord,
    Suspicion,
    Triage,
    flag_urgencies,
    known_red_flags,
    pain_zone,
    suspected_flags,
    triage,
)
from backstride.domain.params import DEFAULT_GUIDANCE_PARAMS
from backstride.errors import InvalidInputError
from backstride.services.body import awaiting_json, open_flag_json
from backstride.services.context import App

RUN_SPORT_VALUES = tuple(s.value for s in RUN_SPORTS)


# --- views ------------------------------------------------------------------------------------


def pain_rules(app: App) -> PainRules:
    """The pain-monitoring thresholds with the runner's ``guidance_overrides`` applied, so the
    diary and the daily guidance speak of the same numbers."""
    p = DEFAULT_GUIDANCE_PARAMS.with_overrides(app.settings.guidance_overrides)
    return replace(
        PAIN_RULES,
        acceptable_max=p.pain_acceptable_max,
        morning_rise_points=p.morning_rise_points,
        stiffness_rise_share=p.stiffness_rise_share,
        severe_min=p.pain_severe_min,
    )


def entry_json(e: PainEntry, rules: PainRules = PAIN_RULES) -> dict[str, Any]:
    urgency = e.urgency
    return {
        "id": e.id,
        "day": e.day.isoformat(),
        "when": e.when.value,
        "score": e.score,
        "zone": pain_zone(e.score, rules),
        "activity_id": e.activity_id,
        "where": [s.value for s in e.where],
        "feels": [f.value for f in e.feels],
        "walking_leg_symptoms": e.walking_leg_symptoms,
        "eases_sitting": e.eases_sitting,
        "red_flags": [f.value for f in e.red_flags],
        "urgency": urgency.value if urgency else None,
        "notes": e.notes,
        "worse_coughing": e.worse_coughing,
        "ruled_out": [f.value for f in e.ruled_out],
        "to_confirm": [s.flag.value for s in suspected_flags(e)],
    }


@dataclass(frozen=True, slots=True)
class TriageView:
    """The urgent-care answer; interfaces show ``headline`` before anything else."""

    triage: Triage

    @property
    def urgency(self) -> str:
        return self.triage.urgency.value

    @property
    def lines(self) -> tuple[str, ...]:
        return self.triage.lines

    def to_json(self) -> dict[str, Any]:
        t = self.triage
        return {
            "urgency": t.urgency.value,
            "flags": [f.value for f in t.flags],
            **triage_words(t),
        }


def triage_words(t: Triage) -> dict[str, str]:
    """What a triage says, as JSON: its headline first, then what the flags may mean, where
    to go, what to do meanwhile and the source."""
    return {
        "headline": t.headline,
        "what_it_may_mean": t.what_it_may_mean,
        "where_to_go": t.where_to_go,
        "meanwhile": t.meanwhile,
        "source": t.source,
    }


def advice_json(a: Advice) -> dict[str, Any]:
    return {"code": a.code, "text": a.text, "source": a.source, "blocks_plans": a.blocks_plans}


def triage_red_flags(names: Sequence[str], context: RiskContext | None = None) -> TriageView | None:
    """Triage the recognisable red flags among ``names`` (unknown names are ignored here; the
    use cases refuse them). Lets an interface name an emergency even when another part of
    the input is wrong."""
    result = triage(known_red_flags(names), context or RiskContext())
    return TriageView(result) if result else None


def risk_context(app: App) -> RiskContext:
    """What the runner's profile adds to the red flags (thin bones, a weakened immune
    system)."""
    from backstride.adapters.db.body_repos import ProfileRepo

    with app.store.read_session() as session:
        return ProfileRepo(session).get(app.athlete_id).risk


def refusal_with_triage(view: TriageView, exc: InvalidInputError) -> InvalidInputError:
    """A refused entry that names red flags: nothing was stored, so say first how to get help,
    then what to correct, then how to record the sign once corrected."""
    t = view.triage
    flags = " ".join(f"--red-flag {f.value}" for f in t.flags)
    return InvalidInputError(
        f"{t.headline} {t.where_to_go} Nothing was saved, because: {exc.message}",
        hint=(exc.hint + " " if exc.hint else "")
        + f"Record the warning sign once the entry is corrected (for example "
        f"`backstride pain add --when rest-day --score N {flags}`).",
    )


def suspicion_json(s: Suspicion, context: RiskContext) -> dict[str, Any]:
    urgency = flag_urgencies([s.flag], context)[s.flag]
    return {
        "flag": s.flag.value,
        "because": s.because,
        "question": s.question,
        "plain": RED_FLAGS[s.flag].plain,
        "urgency_if_yes": urgency.value,
        "if_yes": URGENCY_WORDS[urgency],
    }


@dataclass(frozen=True, slots=True)
class PainSaved:
    """An added or edited entry, with the triage, the leg-pattern advice and coaching lines."""

    entry: PainEntry
    triage: TriageView | None
    claudication: Advice | None
    advice: tuple[str, ...]
    linked_automatically: bool
    to_confirm: tuple[Suspicion, ...] = ()
    context: RiskContext = field(default_factory=RiskContext)
    rules: PainRules = PAIN_RULES

    def to_json(self) -> dict[str, Any]:
        return {
            "triage": self.triage.to_json() if self.triage else None,
            "to_confirm": [suspicion_json(s, self.context) for s in self.to_confirm],
            "entry": entry_json(self.entry, self.rules),
            "claudication": advice_json(self.claudication) if self.claudication else None,
            "advice": list(self.advice),
            "linked_automatically": self.linked_automatically,
        }


@dataclass(frozen=True, slots=True)
class PainDeleted:
    entry_id: int

    def to_json(self) -> dict[str, Any]:
        return {"deleted": self.entry_id}


@dataclass(frozen=True, slots=True)
class PainList:
    entries: tuple[PainEntry, ...]
    open_red_flags: tuple[OpenRedFlag, ...]
    awaiting: tuple[AwaitingClearance, ...] = ()
    rules: PainRules = PAIN_RULES

    def to_json(self) -> dict[str, Any]:
        return {
            "open_red_flags": [open_flag_json(o) for o in self.open_red_flags],
            "awaiting_clearance": [awaiting_json(a) for a in self.awaiting],
            "entries": [entry_json(e, self.rules) for e in self.entries],
        }


@dataclass(frozen=True, slots=True)
class SeenSaved:
    """A visit recorded; ``may_train`` only when the clinician said so, and then it is also a
    clearance. Otherwise walking and gentle mobility only (``awaiting``)."""

    record: SeenRecord
    closed: bool  # the flag was open and this record closes it
    still_open: tuple[OpenRedFlag, ...]
    awaiting: tuple[AwaitingClearance, ...] = ()
    clearance: Clearance | None = None

    @property
    def may_train(self) -> bool:
        return self.record.outcome is SeenOutcome.MAY_TRAIN and not self.awaiting

    @property
    def lines(self) -> tuple[str, ...]:
        """What the visit means for training, in the runner's words (every surface)."""
        r = self.record
        out = [f"The clinician's answer: {OUTCOME_WORDS[r.outcome]}."]
        if r.outcome is SeenOutcome.MAY_TRAIN:
            out.append(
                "Recorded as a clearance. Training may start again, one step back: a running "
                "plan resumes a week back, and the first runs are easy."
            )
        waiting = [a for a in self.awaiting if a.flag is r.flag]
        if waiting or r.outcome is not SeenOutcome.MAY_TRAIN:
            out.append(
                "Until a clinician says you may train: walking and gentle mobility only, no "
                "running or hard training. When they do, record it: `backstride pain seen "
                f"--flag {r.flag.value} --on DATE --outcome may-train`."
            )
        return tuple(out)

    def to_json(self) -> dict[str, Any]:
        r = self.record
        return {
            "id": r.id,
            "flag": r.flag.value,
            "on": r.on.isoformat(),
            "by": r.by,
            "notes": r.notes,
            "outcome": r.outcome.value,
            "may_train": self.may_train,
            "clearance_recorded": self.clearance is not None,
            "message": list(self.lines),
            "closed": self.closed,
            "still_open": [open_flag_json(o) for o in self.still_open],
            "awaiting_clearance": [awaiting_json(a) for a in self.awaiting],
        }
