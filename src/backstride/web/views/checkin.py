"""The Check-in pages' view models: the form (its vocabularies and warning-sign questions,
grouped by urgency), a saved check-in, and the triage that comes first.

Red flags always win: the triage of any red flag shows *before* the site's header (the
emergency notice of ``base.html`` for emergency signs, the ``urgent`` block for
see-a-doctor signs)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi import Request

from backstride.domain.pain import (
    RED_FLAGS,
    PainEntry,
    PainFeel,
    PainSite,
    PainWhen,
    Urgency,
    advise_entry,
    claudication_advice,
    suspected_flags,
)
from backstride.errors import BackstrideError, NotFoundError
from backstride.services.body import get_profile
from backstride.services.context import App
from backstride.services.diary import (
    TriageView,
    checkin_context,
    list_pain,
    pain_rules,
    red_flag_questions,
    suspicion_json,
    triage_red_flags,
)
from backstride.web.context import runner_today
from backstride.web.emergency import emergency_notice_for
from backstride.web.views import words
from backstride.web.views.pain import run_checks


def flag_groups() -> list[tuple[str, str, list[dict[str, Any]]]]:
    questions = [q.to_json() for q in red_flag_questions()]
    return [
        (
            "emergency",
            "Emergency signs: is any of this new?",
            [q for q in questions if q["urgency"] == Urgency.EMERGENCY.value],
        ),
        (
            "same-day",
            "See-a-doctor-today signs: is any of this so?",
            [q for q in questions if q["urgency"] == Urgency.SAME_DAY.value],
        ),
        (
            "prompt",
            "See-a-doctor signs: is any of this so?",
            [q for q in questions if q["urgency"] == Urgency.PROMPT.value],
        ),
    ]


def checkin_page_context(
    app: App,
    *,
    on: date,
    values: dict[str, Any] | None = None,
    form_error: BackstrideError | None = None,
    triage_first: TriageView | None = None,
) -> dict[str, Any]:
    guess = checkin_context(app, day=on)
    return {
        "on": on,
        "today": runner_today(),
        "guess": guess,
        "values": values or {"day": on.isoformat(), "when": guess.when.value},
        "form_error": form_error,
        "triage_first": triage_first,
        "whens": [w.value for w in PainWhen],
        "sites": [s.value for s in PainSite],
        "feels": [f.value for f in PainFeel],
        "flag_groups": flag_groups(),
        "w": words,
    }


def find_entry(app: App, entry_id: int) -> PainEntry:
    """One diary entry by id (the services list entries; there is no single read)."""
    for entry in list_pain(app).entries:
        if entry.id == entry_id:
            return entry
    raise NotFoundError(
        f"There is no pain entry with id {entry_id}.", hint="The Diary page lists every entry."
    )


def triage_first(request: Request, view: TriageView | None) -> TriageView | None:
    """The triage to show before the header, unless the emergency notice of every page
    already shows these emergency signs first."""
    if view is None:
        return None
    if view.urgency == Urgency.EMERGENCY.value:
        notice = emergency_notice_for(request)
        shown = {o.flag for o in notice.flags} if notice is not None else set()
        emergency = {f for f in view.triage.flags if RED_FLAGS[f].urgency is Urgency.EMERGENCY}
        if emergency <= shown:
            return None
    return view


def saved_entry_data(app: App, entry_id: int) -> dict[str, Any]:
    entry = find_entry(app, entry_id)
    open_flags = {o.flag for o in list_pain(app).open_red_flags}
    profile = get_profile(app).profile
    view = triage_red_flags([f.value for f in entry.red_flags], profile.risk)
    stenosis = profile.has_stenosis
    return {
        "entry": entry,
        "to_confirm": [suspicion_json(x, profile.risk) for x in suspected_flags(entry)],
        "triage": view,
        "flags_open": any(f in open_flags for f in entry.red_flags),
        "claudication": (
            claudication_advice(has_stenosis_diagnosis=stenosis)
            if entry.has_claudication_pattern
            else None
        ),
        "advice": advise_entry(entry, rules=pain_rules(app)) if view is None else (),
        "runs": run_checks(app, entry),
        "run_day": (
            entry.day - timedelta(days=1) if entry.when is PainWhen.NEXT_MORNING else entry.day
        ),
        "w": words,
    }


def edit_context(entry: PainEntry, **extra: Any) -> dict[str, Any]:
    return {
        "entry": entry,
        "values": {
            "day": entry.day.isoformat(),
            "when": entry.when.value,
            "score": str(entry.score),
            "where": [s.value for s in entry.where],
            "feels": [f.value for f in entry.feels],
            "walking_leg_symptoms": "1" if entry.walking_leg_symptoms else "",
            "eases_sitting": "1" if entry.eases_sitting else "",
            "red_flags": [f.value for f in entry.red_flags],
            "notes": entry.notes or "",
            "worse_coughing": "1" if entry.worse_coughing else "",
        },
        "form_error": None,
        "today": runner_today(),
        "whens": [w.value for w in PainWhen],
        "sites": [s.value for s in PainSite],
        "feels": [f.value for f in PainFeel],
        "flag_groups": flag_groups(),
        "triage_first": None,
        "guess": None,
        "w": words,
        **extra,
    }
