"""Use cases for the pain diary: add, edit, delete and list entries, red-flag triage, "seen"
records, check-ins, and the pain-monitoring report.

Every result is a frozen dataclass with ``to_json()``. Red-flag triage always comes first in
a result (``triage`` is the first key of the JSON) so that every interface shows it first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from backstride.adapters.db.body_repos import PainRepo, ProfileRepo, RedFlagSeenRepo
from backstride.adapters.db.repos import ActivityRepo
from backstride.adapters.db.tables import ActivityRow
from backstride.domain.activity import RUN_SPORTS
from backstride.domain.pain import (
    MAX_NOTES_CHARS,
    PAIN_RULES,
    RED_FLAG_SOURCE,
    RED_FLAGS,
    Advice,
    MorningWeek,
    OpenRedFlag,
    PainEntry,
    PainWhen,
    RunPainCheck,
    RunRef,
    SeenRecord,
    Triage,
    advise_entry,
    check_day,
    check_runs,
    claudication_advice,
    known_red_flags,
    open_red_flags,
    pain_zone,
    parse_feels,
    parse_red_flags,
    parse_score,
    parse_sites,
    parse_when,
    triage,
    usual_level,
    weekly_morning_trend,
)
from backstride.errors import InvalidInputError
from backstride.services.body import open_flag_json
from backstride.services.context import App

RUN_SPORT_VALUES = tuple(s.value for s in RUN_SPORTS)


# --- views ------------------------------------------------------------------------------------


def entry_json(e: PainEntry) -> dict[str, Any]:
    urgency = e.urgency
    return {
        "id": e.id,
        "day": e.day.isoformat(),
        "when": e.when.value,
        "score": e.score,
        "zone": pain_zone(e.score),
        "activity_id": e.activity_id,
        "where": [s.value for s in e.where],
        "feels": [f.value for f in e.feels],
        "walking_leg_symptoms": e.walking_leg_symptoms,
        "eases_sitting": e.eases_sitting,
        "red_flags": [f.value for f in e.red_flags],
        "urgency": urgency.value if urgency else None,
        "notes": e.notes,
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
            "headline": t.headline,
            "what_it_may_mean": t.what_it_may_mean,
            "where_to_go": t.where_to_go,
            "meanwhile": t.meanwhile,
            "source": t.source,
        }


def advice_json(a: Advice) -> dict[str, Any]:
    return {"code": a.code, "text": a.text, "source": a.source, "blocks_plans": a.blocks_plans}


def triage_red_flags(names: Sequence[str]) -> TriageView | None:
    """Triage the recognisable red flags among ``names`` (unknown names are ignored here; the
    use cases refuse them). Lets an interface show an emergency message even when another
    part of the input is wrong."""
    result = triage(known_red_flags(names))
    return TriageView(result) if result else None


@dataclass(frozen=True, slots=True)
class PainSaved:
    """An added or edited entry, with the triage, the leg-pattern advice and coaching lines."""

    entry: PainEntry
    triage: TriageView | None
    claudication: Advice | None
    advice: tuple[str, ...]
    linked_automatically: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "triage": self.triage.to_json() if self.triage else None,
            "entry": entry_json(self.entry),
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

    def to_json(self) -> dict[str, Any]:
        return {
            "open_red_flags": [open_flag_json(o) for o in self.open_red_flags],
            "entries": [entry_json(e) for e in self.entries],
        }


@dataclass(frozen=True, slots=True)
class SeenSaved:
    record: SeenRecord
    closed: bool  # the flag was open and this record closes it
    still_open: tuple[OpenRedFlag, ...]

    def to_json(self) -> dict[str, Any]:
        r = self.record
        return {
            "id": r.id,
            "flag": r.flag.value,
            "on": r.on.isoformat(),
            "by": r.by,
            "notes": r.notes,
            "closed": self.closed,
            "still_open": [open_flag_json(o) for o in self.still_open],
        }


# --- input ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PainInput:
    """A new entry as typed: names are checked against the vocabularies."""

    day: date
    when: str
    score: object
    activity_id: int | None = None
    where: Sequence[str] = ()
    feels: Sequence[str] = ()
    walking_leg_symptoms: bool = False
    eases_sitting: bool = False
    red_flags: Sequence[str] = ()
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class PainChanges:
    """Fields to change on an entry; None leaves a field as it is. An empty list clears a list
    (``where``, ``feels``, ``red_flags``); ``unlink_activity`` removes the session link."""

    day: date | None = None
    when: str | None = None
    score: object | None = None
    activity_id: int | None = None
    unlink_activity: bool = False
    where: Sequence[str] | None = None
    feels: Sequence[str] | None = None
    walking_leg_symptoms: bool | None = None
    eases_sitting: bool | None = None
    red_flags: Sequence[str] | None = None
    notes: str | None = None


def _clean_notes(notes: str | None) -> str | None:
    if notes is None:
        return None
    text = notes.strip()
    if len(text) > MAX_NOTES_CHARS:
        raise InvalidInputError(f"Notes are limited to {MAX_NOTES_CHARS:,} characters.")
    return text or None


def _runs_on(app_repo: ActivityRepo, athlete_id: int, day: date) -> list[ActivityRow]:
    return app_repo.list_rows(athlete_id, since=day, until=day, sports=RUN_SPORT_VALUES)


def _check_link(entry: PainEntry, row: ActivityRow) -> None:
    """The linked session must fit the entry's day."""
    if entry.when is PainWhen.NEXT_MORNING:
        expected = row.local_date + timedelta(days=1)
        if entry.day != expected:
            raise InvalidInputError(
                f"Activity {row.id} was on {row.local_date.isoformat()}, so its next-morning "
                f"check-in belongs on {expected.isoformat()}, not {entry.day.isoformat()}.",
            )
    elif entry.day != row.local_date:
        raise InvalidInputError(
            f"Activity {row.id} was on {row.local_date.isoformat()}, but this {entry.when.value} "
            f"entry is dated {entry.day.isoformat()}.",
            hint="Give the session's date with --on, or leave out --activity.",
        )


def _resolve_link(
    repo: ActivityRepo, athlete_id: int, entry: PainEntry, *, explicit: bool
) -> tuple[PainEntry, bool]:
    """Validate an explicit link; link an unlinked during/after entry to the day's only run."""
    if entry.activity_id is not None:
        _check_link(entry, repo.get_row(athlete_id, entry.activity_id))
        return entry, False
    if explicit or entry.when not in (PainWhen.DURING, PainWhen.AFTER):
        return entry, False
    runs = _runs_on(repo, athlete_id, entry.day)
    if len(runs) == 1:
        return replace(entry, activity_id=runs[0].id), True
    return entry, False


def _saved(app: App, entry: PainEntry, linked: bool) -> PainSaved:
    with app.store.session() as session:
        stenosis = ProfileRepo(session).get(app.athlete_id).has_stenosis
    result = triage(entry.red_flags)
    return PainSaved(
        entry=entry,
        triage=TriageView(result) if result else None,
        claudication=(
            claudication_advice(has_stenosis_diagnosis=stenosis)
            if entry.has_claudication_pattern
            else None
        ),
        advice=advise_entry(entry) if result is None else (),
        linked_automatically=linked,
    )


# --- use cases --------------------------------------------------------------------------------


def add_pain(app: App, data: PainInput, *, today: date) -> PainSaved:
    """Validate and store one entry. Refused with :class:`InvalidInputError`, nothing stored:
    a score outside 0-10, a date in the future, an unknown red flag, place or kind of pain."""
    entry = PainEntry(
        day=check_day(data.day, today=today, what="pain entry"),
        when=parse_when(data.when),
        score=parse_score(data.score),
        where=parse_sites(data.where),
        feels=parse_feels(data.feels),
        walking_leg_symptoms=data.walking_leg_symptoms,
        eases_sitting=data.eases_sitting,
        red_flags=parse_red_flags(data.red_flags),
        notes=_clean_notes(data.notes),
        activity_id=data.activity_id,
    )
    with app.store.session() as session:
        entry, linked = _resolve_link(
            ActivityRepo(session), app.athlete_id, entry, explicit=data.activity_id is not None
        )
        new_id = PainRepo(session).add(app.athlete_id, entry)
    return _saved(app, replace(entry, id=new_id), linked)


def edit_pain(app: App, entry_id: int, changes: PainChanges, *, today: date) -> PainSaved:
    """Change an entry; the same checks as :func:`add_pain` apply to the result."""
    with app.store.session() as session:
        current = PainRepo(session).get(app.athlete_id, entry_id)
    fields: dict[str, Any] = {}
    if changes.day is not None:
        fields["day"] = check_day(changes.day, today=today, what="pain entry")
    if changes.when is not None:
        fields["when"] = parse_when(changes.when)
    if changes.score is not None:
        fields["score"] = parse_score(changes.score)
    if changes.where is not None:
        fields["where"] = parse_sites(changes.where)
    if changes.feels is not None:
        fields["feels"] = parse_feels(changes.feels)
    if changes.walking_leg_symptoms is not None:
        fields["walking_leg_symptoms"] = changes.walking_leg_symptoms
    if changes.eases_sitting is not None:
        fields["eases_sitting"] = changes.eases_sitting
    if changes.red_flags is not None:
        fields["red_flags"] = parse_red_flags(changes.red_flags)
    if changes.notes is not None:
        fields["notes"] = _clean_notes(changes.notes)
    if changes.unlink_activity:
        fields["activity_id"] = None
    elif changes.activity_id is not None:
        fields["activity_id"] = changes.activity_id
    if not fields:
        raise InvalidInputError(
            "Nothing to change.", hint="Give at least one option, e.g. --score or --notes."
        )
    entry = replace(current, **fields)  # __post_init__ re-validates
    relink = "day" in fields or "activity_id" in fields or "when" in fields
    with app.store.session() as session:
        repo = ActivityRepo(session)
        if entry.activity_id is not None and relink:
            _check_link(entry, repo.get_row(app.athlete_id, entry.activity_id))
        PainRepo(session).update(app.athlete_id, entry_id, entry)
    return _saved(app, entry, False)


def delete_pain(app: App, entry_id: int) -> PainDeleted:
    with app.store.session() as session:
        PainRepo(session).delete(app.athlete_id, entry_id)
    return PainDeleted(entry_id)


def list_pain(app: App, *, since: date | None = None, until: date | None = None) -> PainList:
    with app.store.session() as session:
        entries = PainRepo(session).list(app.athlete_id, since=since, until=until)
        everything = PainRepo(session).list(app.athlete_id)
        seen = RedFlagSeenRepo(session).list(app.athlete_id)
    return PainList(tuple(entries), open_red_flags(everything, seen))


def record_seen(
    app: App,
    *,
    flag: str,
    on: date,
    today: date,
    by: str | None = None,
    notes: str | None = None,
) -> SeenSaved:
    """Record that a professional saw the runner about ``flag`` on ``on``."""
    check_day(on, today=today, what="visit")
    parsed = parse_red_flags([flag])
    if len(parsed) != 1:
        raise InvalidInputError("Give exactly one red flag with --flag.")
    by_text = " ".join(by.split()) if by else None
    if by_text and len(by_text) > 500:
        raise InvalidInputError("--by is limited to 500 characters.")
    record = SeenRecord(flag=parsed[0], on=on, by=by_text or None, notes=_clean_notes(notes))
    with app.store.session() as session:
        entries = PainRepo(session).list(app.athlete_id)
        seen_repo = RedFlagSeenRepo(session)
        before = {o.flag for o in open_red_flags(entries, seen_repo.list(app.athlete_id))}
        new_id = seen_repo.add(app.athlete_id, record)
        after = open_red_flags(entries, seen_repo.list(app.athlete_id))
    return SeenSaved(
        replace(record, id=new_id),
        closed=record.flag in before and record.flag not in {o.flag for o in after},
        still_open=after,
    )


# --- check-in ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CheckinContext:
    """What a check-in on ``day`` is most likely about."""

    day: date
    when: PainWhen
    activity_id: int | None
    description: str

    def to_json(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "when": self.when.value,
            "activity_id": self.activity_id,
            "description": self.description,
        }


def checkin_context(app: App, *, day: date, when: str | None = None) -> CheckinContext:
    """Guess the check-in: after today's run, else the morning after yesterday's, else a rest
    day. An explicit ``when`` wins; a run is linked only when there is exactly one."""
    with app.store.session() as session:
        repo = ActivityRepo(session)
        today_runs = _runs_on(repo, app.athlete_id, day)
        yesterday_runs = _runs_on(repo, app.athlete_id, day - timedelta(days=1))
    chosen = parse_when(when) if when else None
    if chosen is None:
        if today_runs:
            chosen = PainWhen.AFTER
        elif yesterday_runs:
            chosen = PainWhen.NEXT_MORNING
        else:
            chosen = PainWhen.REST_DAY
    runs = yesterday_runs if chosen is PainWhen.NEXT_MORNING else today_runs
    activity_id = runs[0].id if len(runs) == 1 and chosen is not PainWhen.REST_DAY else None
    words = {
        PainWhen.BEFORE: "before today's session",
        PainWhen.DURING: "during today's run",
        PainWhen.AFTER: "after today's run",
        PainWhen.NEXT_MORNING: "the morning after yesterday's run",
        PainWhen.REST_DAY: "a rest day",
    }
    description = words[chosen]
    if activity_id is not None:
        description += f" (activity {activity_id})"
    return CheckinContext(day, chosen, activity_id, description)


# --- pain-monitoring report -------------------------------------------------------------------


def _run_json(c: RunPainCheck) -> dict[str, Any]:
    return {
        "activity_id": c.activity_id,
        "day": c.day.isoformat(),
        "before": c.before,
        "during": c.during,
        "during_zone": c.during_zone,
        "after": c.after,
        "after_zone": c.after_zone,
        "next_morning": c.next_morning,
        "usual_level": c.usual_level,
        "settled": c.settled,
        "verdict": c.verdict,
        "reasons": list(c.reasons),
    }


def _week_json(w: MorningWeek) -> dict[str, Any]:
    return {
        "week_start": w.week_start.isoformat(),
        "mornings": w.mornings,
        "mean_score": w.mean_score,
        "max_score": w.max_score,
        "stiffness_mornings": w.stiffness_mornings,
        "stiffness_share": w.stiffness_share,
        "pain_trend": w.pain_trend,
        "stiffness_trend": w.stiffness_trend,
    }


@dataclass(frozen=True, slots=True)
class PainReport:
    """The pain-monitoring rules for each run and the weekly morning trend."""

    since: date
    until: date
    usual_level: float | None
    runs: tuple[RunPainCheck, ...]
    weeks: tuple[MorningWeek, ...]
    open_red_flags: tuple[OpenRedFlag, ...]
    claudication: Advice | None

    def to_json(self) -> dict[str, Any]:
        r = PAIN_RULES
        return {
            "open_red_flags": [open_flag_json(o) for o in self.open_red_flags],
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "usual_level": self.usual_level,
            "rules": {
                "safe_max": r.safe_max,
                "acceptable_max": r.acceptable_max,
                "baseline_window_days": r.baseline_window_days,
                "morning_rise_points": r.morning_rise_points,
                "stiffness_rise_share": r.stiffness_rise_share,
                "source": r.source,
                "red_flag_source": RED_FLAG_SOURCE,
            },
            "runs": [_run_json(c) for c in self.runs],
            "weeks": [_week_json(w) for w in self.weeks],
            "claudication": advice_json(self.claudication) if self.claudication else None,
        }


def pain_report(app: App, *, today: date, since: date | None = None) -> PainReport:
    """Runs from ``since`` (default: 8 weeks ago) to ``today`` against the pain rules."""
    start = since or today - timedelta(weeks=8)
    with app.store.session() as session:
        rows = ActivityRepo(session).list_rows(
            app.athlete_id, since=start, until=today, sports=RUN_SPORT_VALUES
        )
        entries = PainRepo(session).list(
            app.athlete_id,
            since=start - timedelta(days=PAIN_RULES.baseline_window_days),
            until=today + timedelta(days=1),
        )
        everything = PainRepo(session).list(app.athlete_id)
        seen = RedFlagSeenRepo(session).list(app.athlete_id)
        stenosis = ProfileRepo(session).get(app.athlete_id).has_stenosis
    runs = [RunRef(r.id, r.local_date) for r in rows]
    recent = [e for e in entries if e.day >= start]
    pattern = any(e.has_claudication_pattern for e in recent)
    return PainReport(
        since=start,
        until=today,
        usual_level=usual_level(entries, on=today),
        runs=check_runs(runs, entries),
        weeks=weekly_morning_trend(recent),
        open_red_flags=open_red_flags(everything, seen),
        claudication=claudication_advice(has_stenosis_diagnosis=stenosis) if pattern else None,
    )


def red_flag_names() -> tuple[str, ...]:
    return tuple(f.value for f in RED_FLAGS)


@dataclass(frozen=True, slots=True)
class RedFlagQuestion:
    """One red-flag question as a check-in form asks it (emergency signs first)."""

    flag: str
    urgency: str
    question: str
    plain: str

    def to_json(self) -> dict[str, Any]:
        return {
            "flag": self.flag,
            "urgency": self.urgency,
            "question": self.question,
            "plain": self.plain,
        }


def red_flag_questions() -> tuple[RedFlagQuestion, ...]:
    """The red-flag questions of a check-in: the five emergency signs, then the six
    see-a-doctor signs (NICE CKS; BASS 2018)."""
    return tuple(
        RedFlagQuestion(flag.value, info.urgency.value, info.question, info.plain)
        for flag, info in RED_FLAGS.items()
    )
