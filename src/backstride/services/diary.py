"""Use cases for the pain diary: add, edit, delete and list entries, red-flag triage, "seen"
records, check-ins, and the pain-monitoring report.

Every result is a frozen dataclass with ``to_json()``. Red-flag triage always comes first in
a result (``triage`` is the first key of the JSON) so that every interface shows it first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from backstride.adapters.db.body_repos import (
    ClearanceRepo,
    PainRepo,
    ProfileRepo,
    RedFlagSeenRepo,
)
from backstride.adapters.db.repos import ActivityRepo
from backstride.adapters.db.tables import ActivityRow
from backstride.domain.activity import RUN_SPORTS
from backstride.domain.body import Clearance
from backstride.domain.pain import (
    MAX_NOTES_CHARS,
    OUTCOME_WORDS,
    PAIN_RULES,
    RED_FLAG_SOURCE,
    RED_FLAGS,
    URGENCY_WORDS,
    Advice,
    AwaitingClearance,
    MorningWeek,
    OpenRedFlag,
    PainEntry,
    PainRules,
    PainWhen,
    RiskContext,
    RunPainCheck,
    RunRef,
    SeenOutcome,
    SeenRecord,
    Suspicion,
    Triage,
    advise_entry,
    awaiting_clearance,
    check_day,
    check_runs,
    claudication_advice,
    flag_urgencies,
    known_red_flags,
    open_red_flags,
    pain_zone,
    parse_feels,
    parse_outcome,
    parse_red_flags,
    parse_score,
    parse_sites,
    parse_when,
    suspected_flags,
    triage,
    usual_level,
    weekly_morning_trend,
)
from backstride.domain.params import DEFAULT_GUIDANCE_PARAMS
from backstride.domain.text import clean_line, clean_text
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
    worse_coughing: bool = False
    ruled_out: Sequence[str] = ()


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
    worse_coughing: bool | None = None
    ruled_out: Sequence[str] | None = None


def _clean_notes(notes: str | None) -> str | None:
    """Notes as stored: control characters and terminal escape sequences removed."""
    if notes is None:
        return None
    text = clean_text(notes)
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
        profile = ProfileRepo(session).get(app.athlete_id)
    context = profile.risk
    rules = pain_rules(app)
    result = triage(entry.red_flags, context)
    return PainSaved(
        entry=entry,
        triage=TriageView(result) if result else None,
        claudication=(
            claudication_advice(has_stenosis_diagnosis=profile.has_stenosis)
            if entry.has_claudication_pattern
            else None
        ),
        advice=advise_entry(entry, rules=rules) if result is None else (),
        linked_automatically=linked,
        to_confirm=suspected_flags(entry),
        context=context,
        rules=rules,
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
        worse_coughing=data.worse_coughing,
        ruled_out=parse_red_flags(data.ruled_out),
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
    if changes.worse_coughing is not None:
        fields["worse_coughing"] = changes.worse_coughing
    if changes.ruled_out is not None:
        fields["ruled_out"] = parse_red_flags(changes.ruled_out)
    if changes.unlink_activity:
        fields["activity_id"] = None
    elif changes.activity_id is not None:
        fields["activity_id"] = changes.activity_id
    if not fields:
        raise InvalidInputError(
            "Nothing to change.", hint="Give at least one option, e.g. --score or --notes."
        )
    # A sign now reported is no longer ruled out, and the other way round.
    if "red_flags" in fields and "ruled_out" not in fields:
        fields["ruled_out"] = tuple(f for f in current.ruled_out if f not in fields["red_flags"])
    if "ruled_out" in fields and "red_flags" not in fields:
        fields["red_flags"] = tuple(f for f in current.red_flags if f not in fields["ruled_out"])
    entry = replace(current, **fields)  # __post_init__ re-validates
    relink = "day" in fields or "activity_id" in fields or "when" in fields
    with app.store.session() as session:
        repo = ActivityRepo(session)
        if entry.activity_id is not None and relink:
            _check_link(entry, repo.get_row(app.athlete_id, entry.activity_id))
        PainRepo(session).update(app.athlete_id, entry_id, entry)
    return _saved(app, entry, False)


def answer_warning_signs(
    app: App,
    entry_id: int,
    *,
    present: Sequence[str] = (),
    absent: Sequence[str] = (),
    today: date,
) -> PainSaved:
    """The runner's answer to the warning signs backstride asked about: ``present`` become red
    flags of the entry (triaged at once), ``absent`` are recorded as ruled out."""
    yes = parse_red_flags(present)
    no = parse_red_flags(absent)
    both = set(yes) & set(no)
    if both:
        names = ", ".join(sorted(f.value for f in both))
        raise InvalidInputError(f"A warning sign cannot be both present and absent: {names}.")
    if not yes and not no:
        raise InvalidInputError("Say which warning signs are present or not.")
    with app.store.session() as session:
        current = PainRepo(session).get(app.athlete_id, entry_id)
    flags = [f.value for f in current.red_flags if f not in no] + [f.value for f in yes]
    ruled = [f.value for f in current.ruled_out if f not in yes] + [f.value for f in no]
    return edit_pain(app, entry_id, PainChanges(red_flags=flags, ruled_out=ruled), today=today)


def delete_pain(app: App, entry_id: int) -> PainDeleted:
    with app.store.session() as session:
        PainRepo(session).delete(app.athlete_id, entry_id)
    return PainDeleted(entry_id)


def list_pain(app: App, *, since: date | None = None, until: date | None = None) -> PainList:
    with app.store.session() as session:
        entries = PainRepo(session).list(app.athlete_id, since=since, until=until)
        everything = PainRepo(session).list(app.athlete_id)
        seen = RedFlagSeenRepo(session).list(app.athlete_id)
        clearances = ClearanceRepo(session).list(app.athlete_id)
        context = ProfileRepo(session).get(app.athlete_id).risk
    return PainList(
        tuple(entries),
        open_red_flags(everything, seen, context),
        awaiting_clearance(everything, seen, [c.on for c in clearances]),
        pain_rules(app),
    )


def record_seen(
    app: App,
    *,
    flag: str,
    on: date,
    today: date,
    by: str | None = None,
    notes: str | None = None,
    outcome: str | SeenOutcome = SeenOutcome.NOT_KNOWN,
) -> SeenSaved:
    """Record that a professional saw the runner about ``flag`` on ``on``, and what they said
    about training (``may-train``, ``may-not``, ``not-known``).

    Only "may train" lets training start again: it is stored as a clearance too (dated ``on``,
    with a note naming the flag), so a running plan resumes, one step back. Otherwise walking
    and gentle mobility only, until a later visit says "may train" or a clearance is recorded.
    """
    check_day(on, today=today, what="visit")
    parsed = parse_red_flags([flag])
    if len(parsed) != 1:
        raise InvalidInputError("Give exactly one red flag with --flag.")
    said = outcome if isinstance(outcome, SeenOutcome) else parse_outcome(outcome)
    by_text = clean_line(by) if by else None
    if by_text and len(by_text) > 500:
        raise InvalidInputError("--by is limited to 500 characters.")
    note_text = _clean_notes(notes)
    record = SeenRecord(flag=parsed[0], on=on, by=by_text or None, notes=note_text, outcome=said)
    clearance: Clearance | None = None
    if said is SeenOutcome.MAY_TRAIN:
        about = RED_FLAGS[record.flag].plain
        clearance = Clearance(
            on=on,
            by=by_text or "the clinician who saw you",
            notes=(
                f"After a warning sign ({record.flag.value}: {about}): may train."
                + (f" {note_text}" if note_text else "")
            )[:500],
        )
    with app.store.session() as session:
        entries = PainRepo(session).list(app.athlete_id)
        context = ProfileRepo(session).get(app.athlete_id).risk
        seen_repo = RedFlagSeenRepo(session)
        before = {o.flag for o in open_red_flags(entries, seen_repo.list(app.athlete_id))}
        new_id = seen_repo.add(app.athlete_id, record)
        if clearance is not None:
            clearance = replace(clearance, id=ClearanceRepo(session).add(app.athlete_id, clearance))
        seen = seen_repo.list(app.athlete_id)
        after = open_red_flags(entries, seen, context)
        cleared = [c.on for c in ClearanceRepo(session).list(app.athlete_id)]
    return SeenSaved(
        replace(record, id=new_id),
        closed=record.flag in before and record.flag not in {o.flag for o in after},
        still_open=after,
        awaiting=awaiting_clearance(entries, seen, cleared),
        clearance=clearance,
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
    awaiting: tuple[AwaitingClearance, ...] = ()
    rules: PainRules = PAIN_RULES

    def to_json(self) -> dict[str, Any]:
        r = self.rules
        return {
            "open_red_flags": [open_flag_json(o) for o in self.open_red_flags],
            "awaiting_clearance": [awaiting_json(a) for a in self.awaiting],
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
        profile = ProfileRepo(session).get(app.athlete_id)
        cleared = [c.on for c in ClearanceRepo(session).list(app.athlete_id)]
    rules = pain_rules(app)
    runs = [RunRef(r.id, r.local_date) for r in rows]
    recent = [e for e in entries if e.day >= start]
    pattern = any(e.has_claudication_pattern for e in recent)
    stenosis = profile.has_stenosis
    return PainReport(
        since=start,
        until=today,
        usual_level=usual_level(entries, on=today, rules=rules),
        runs=check_runs(runs, entries, rules=rules),
        weeks=weekly_morning_trend(recent, rules=rules),
        open_red_flags=open_red_flags(everything, seen, profile.risk),
        claudication=claudication_advice(has_stenosis_diagnosis=stenosis) if pattern else None,
        awaiting=awaiting_clearance(everything, seen, cleared),
        rules=rules,
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
    """The red-flag questions of a check-in: the emergency signs, the see-a-doctor-today
    signs, then the see-a-doctor-within-days signs (NICE CKS; BASS 2018; IFOMPT 2020)."""
    return tuple(
        RedFlagQuestion(flag.value, info.urgency.value, info.question, info.plain)
        for flag, info in RED_FLAGS.items()
    )
