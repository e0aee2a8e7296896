"""Use cases for the outcome measures: record a score, list them with their change against the
minimal important change, and say which are due for a retest (docs/measures.md)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from backstride.adapters.db.data_repos import MeasureRepo
from backstride.domain.measures import (
    INSTRUMENTS,
    RETEST_EVERY_DAYS,
    Instrument,
    MeasureChange,
    MeasureScore,
    RetestDue,
    compute_changes,
    format_score,
    parse_instrument,
    retests_due,
    score_peg,
    score_psfs,
    score_single,
)
from backstride.errors import InvalidInputError
from backstride.services.context import App


@dataclass(frozen=True, slots=True)
class MeasureInput:
    """What the runner (or her clinician) entered; which fields count depends on the
    instrument: ``score`` (pain, walk, recorded + ``name``), ``peg`` (3 answers) or
    ``activities`` (PSFS)."""

    instrument: str
    day: date
    score: float | None = None
    peg: tuple[float, float, float] | None = None
    activities: tuple[tuple[str, float], ...] = ()
    name: str | None = None
    notes: str | None = None


def parse_activity(text: str) -> tuple[str, float]:
    """``"Running 20 minutes=4"`` -> ``("Running 20 minutes", 4.0)``."""
    label, sep, value = text.rpartition("=")
    if not sep or not label.strip():
        raise InvalidInputError(
            f"'{text}' is not an activity with a rating.",
            hint='Write it as "ACTIVITY=RATING", e.g. "Running 20 minutes=4".',
        )
    try:
        return label.strip(), float(value)
    except ValueError as exc:
        raise InvalidInputError(
            f"'{value.strip()}' in '{text}' is not a rating from 0 to 10."
        ) from exc


def build_score(data: MeasureInput) -> MeasureScore:
    instrument = parse_instrument(data.instrument)
    if instrument is Instrument.PEG:
        if data.peg is None:
            raise InvalidInputError(
                "The PEG needs its three answers.",
                hint="Give --pain, --enjoyment and --general, each 0-10.",
            )
        pain, enjoyment, general = data.peg
        scored = score_peg(pain=pain, enjoyment=enjoyment, general=general)
    elif instrument is Instrument.PSFS:
        scored = score_psfs(data.activities)
    else:
        if data.score is None:
            hint = "Give --minutes (0-30)." if instrument is Instrument.WALK else "Give --score N."
            raise InvalidInputError(
                f"The {INSTRUMENTS[instrument].title} needs a score.", hint=hint
            )
        scored = score_single(instrument, data.score, name=data.name)
    notes = (data.notes or "").strip() or None
    return MeasureScore(data.day, scored.instrument, scored.score, scored.items, scored.name, notes)


def score_json(s: MeasureScore) -> dict[str, Any]:
    spec = INSTRUMENTS[s.instrument]
    return {
        "id": s.id,
        "date": s.day.isoformat(),
        "instrument": s.instrument.value,
        "title": s.name or spec.title,
        "score": round(s.score, 2),
        "score_text": format_score(s.instrument, s.score),
        "items": [{"label": i.label, "value": i.value} for i in s.items],
        "name": s.name,
        "notes": s.notes,
    }


def change_json(c: MeasureChange) -> dict[str, Any]:
    spec = c.spec
    return {
        "instrument": c.instrument.value,
        "title": c.name or spec.title,
        "first": score_json(c.first),
        "last": score_json(c.last),
        "count": c.count,
        "change": round(c.change, 2),
        "verdict": c.verdict,
        "better": spec.better,
        "minimal_important_change": spec.mic,
        "minimal_important_change_text": spec.mic_text,
        "source": spec.source,
    }


def retest_json(r: RetestDue, *, today: date) -> dict[str, Any]:
    return {
        "instrument": r.instrument.value,
        "title": INSTRUMENTS[r.instrument].title,
        "last_on": r.last_on.isoformat(),
        "due_on": r.due_on.isoformat(),
        "overdue_days": r.overdue_days(today),
    }


@dataclass(frozen=True, slots=True)
class MeasureList:
    today: date
    scores: tuple[MeasureScore, ...]
    changes: tuple[MeasureChange, ...]
    due: tuple[RetestDue, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.today.isoformat(),
            "scores": [score_json(s) for s in self.scores],
            "changes": [change_json(c) for c in self.changes],
            "retest_due": [retest_json(r, today=self.today) for r in self.due],
            "retest_every_days": RETEST_EVERY_DAYS,
        }


def add_measure(app: App, data: MeasureInput, *, today: date) -> MeasureScore:
    """Store one score; a date after ``today`` is refused."""
    if data.day > today:
        raise InvalidInputError(
            f"{data.day.isoformat()} is in the future.", hint="Record a score on or before today."
        )
    score = build_score(data)
    with app.store.session() as session:
        return MeasureRepo(session).add(app.athlete_id, score)


def list_measures(
    app: App, *, today: date, since: date | None = None, until: date | None = None
) -> MeasureList:
    """The scores in ``[since, until]`` (until defaults to ``today``), their change, and which
    measures are due for a retest on ``today``."""
    end = until or today
    with app.store.read_session() as session:
        every = MeasureRepo(session).list(app.athlete_id, until=today)
    shown = tuple(s for s in every if (since is None or s.day >= since) and s.day <= end)
    return MeasureList(
        today=today,
        scores=shown,
        changes=compute_changes(shown),
        due=retests_due(every, today=today),
    )


def delete_measure(app: App, measure_id: int) -> None:
    with app.store.session() as session:
        MeasureRepo(session).delete(app.athlete_id, measure_id)


def instrument_choices() -> Sequence[str]:
    return tuple(i.value for i in Instrument)
