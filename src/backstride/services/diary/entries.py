"""Adding, editing, deleting and listing pain entries, answering warning signs and recording
a clinician's visit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from backstride.domain.body import Clearance, Profile
from backstride.domain.pain import (
    MAX_NOTES_CHARS,
    RED_FLAGS,
    PainEntry,
    PainWhen,
    SeenOutcome,
    SeenRecord,
    advise_entry,
    awaiting_clearance,
    check_day,
    claudication_advice,
    open_red_flags,
    parse_feels,
    parse_outcome,
    parse_red_flags,
    parse_score,
    parse_sites,
    parse_when,
    suspected_flags,
    triage,
)
from backstride.domain.text import clean_line, clean_text
from backstride.errors import InvalidInputError
from backstride.services.context import App
from backstride.services.diary import views

if TYPE_CHECKING:
    from backstride.adapters.db.repos import ActivityRepo
    from backstride.adapters.db.tables import ActivityRow


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
    return app_repo.list_rows(athlete_id, since=day, until=day, sports=views.RUN_SPORT_VALUES)


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


def _saved(
    app: App, entry: PainEntry, linked: bool, *, profile: Profile | None = None
) -> views.PainSaved:
    """What a saved entry answers; ``profile``: the runner's, when the caller read it in its
    own unit of work (else it is read here)."""
    from backstride.adapters.db.body_repos import ProfileRepo

    if profile is None:
        with app.store.read_session() as session:
            profile = ProfileRepo(session).get(app.athlete_id)
    context = profile.risk
    rules = views.pain_rules(app)
    result = triage(entry.red_flags, context)
    return views.PainSaved(
        entry=entry,
        triage=views.TriageView(result) if result else None,
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


def add_pain(app: App, data: PainInput, *, today: date) -> views.PainSaved:
    """Validate and store one entry. Refused with :class:`InvalidInputError`, nothing stored:
    a score outside 0-10, a date in the future, an unknown red flag, place or kind of pain."""
    from backstride.adapters.db.body_repos import PainRepo, ProfileRepo
    from backstride.adapters.db.repos import ActivityRepo

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
        profile = ProfileRepo(session).get(app.athlete_id)  # in the same transaction
    return _saved(app, replace(entry, id=new_id), linked, profile=profile)


def edit_pain(app: App, entry_id: int, changes: PainChanges, *, today: date) -> views.PainSaved:
    """Change an entry; the same checks as :func:`add_pain` apply to the result."""
    from backstride.adapters.db.body_repos import PainRepo
    from backstride.adapters.db.repos import ActivityRepo

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
) -> views.PainSaved:
    """The runner's answer to the warning signs backstride asked about: ``present`` become red
    flags of the entry (triaged at once), ``absent`` are recorded as ruled out."""
    from backstride.adapters.db.body_repos import PainRepo

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


def delete_pain(app: App, entry_id: int) -> views.PainDeleted:
    from backstride.adapters.db.body_repos import PainRepo

    with app.store.session() as session:
        PainRepo(session).delete(app.athlete_id, entry_id)
    return views.PainDeleted(entry_id)


def pain_entries(
    app: App, *, since: date | None = None, until: date | None = None
) -> tuple[PainEntry, ...]:
    """The entries of :func:`list_pain` alone (one read: no red flags, no clearances)."""
    return tuple(app.reads.pain_list(app.athlete_id, since=since, until=until))


def list_pain(app: App, *, since: date | None = None, until: date | None = None) -> views.PainList:
    reads, aid = app.reads, app.athlete_id
    with reads.batch():
        entries = reads.pain_list(aid, since=since, until=until)
        everything = reads.pain_list(aid)
        seen = reads.seen(aid)
        clearances = reads.clearances(aid)
        context = reads.profile(aid).risk
    return views.PainList(
        tuple(entries),
        open_red_flags(everything, seen, context),
        awaiting_clearance(everything, seen, [c.on for c in clearances]),
        views.pain_rules(app),
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
) -> views.SeenSaved:
    """Record that a professional saw the runner about ``flag`` on ``on``, and what they said
    about training (``may-train``, ``may-not``, ``not-known``).

    Only "may train" lets training start again: it is stored as a clearance too (dated ``on``,
    with a note naming the flag), so a running plan resumes, one step back. Otherwise walking
    and gentle mobility only, until a later visit says "may train" or a clearance is recorded.
    """
    from backstride.adapters.db.body_repos import (
        ClearanceRepo,
        PainRepo,
        ProfileRepo,
        RedFlagSeenRepo,
    )

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
    return views.SeenSaved(
        replace(record, id=new_id),
        closed=record.flag in before and record.flag not in {o.flag for o in after},
        still_open=after,
        awaiting=awaiting_clearance(entries, seen, cleared),
        clearance=clearance,
    )
