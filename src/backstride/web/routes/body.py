"""The body pages (issue #5): Profile & screening, Check-in, Diary, Self-tests and Shoes.

Server-rendered like the rest of the dashboard. Every form carries the anti-forgery token
(``security.check_csrf``) and works without JavaScript (post, then a 303 redirect); with htmx
the page's sections are swapped in place and an invalid form comes back with its message
(status 422, 404 or 409) and the values as typed. Nothing is stored when a form is refused.

Red flags always win. The check-in is a plain post followed by a full page: its answer shows
the triage of any red flag *before* the site's header and navigation (the emergency notice of
``base.html`` for emergency signs, the ``urgent`` block for see-a-doctor signs), and so does a
check-in refused for another reason (a score of 11, a date in the future).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import Response

from backstride.domain.dates import parse_day
from backstride.domain.pain import (
    OUTCOME_WORDS,
    RED_FLAGS,
    PainEntry,
    PainFeel,
    PainSite,
    PainWhen,
    RunPainCheck,
    Urgency,
    advise_entry,
    claudication_advice,
    suspected_flags,
)
from backstride.domain.selftest import TESTS, SelfTestName
from backstride.errors import BackstrideError, InvalidInputError, NotFoundError
from backstride.services.body import (
    add_clearance,
    add_selftest,
    get_clearance_state,
    get_profile,
    latest_screening,
    list_clearances,
    record_screening,
    screening_questions,
    selftest_report,
    set_profile,
    training_status_for,
)
from backstride.services.context import App
from backstride.services.diary import (
    PainChanges,
    PainInput,
    PainReport,
    TriageView,
    add_pain,
    answer_warning_signs,
    checkin_context,
    delete_pain,
    edit_pain,
    list_pain,
    pain_report,
    pain_rules,
    red_flag_questions,
    suspicion_json,
    triage_red_flags,
)
from backstride.services.shoes import add_shoe, list_shoes, retire_shoe, set_default_shoe
from backstride.web import body_views as words
from backstride.web.body_views import (
    PainChartInput,
    daily_load_chart,
    pain_load_chart,
    wear_bar,
    window_start,
)
from backstride.web.context import runner_today
from backstride.web.deps import TodayDep, WebDep, WebState
from backstride.web.emergency import emergency_notice_for
from backstride.web.reads import cached_load_report
from backstride.web.schemas.common import MAX_ID
from backstride.web.security import CSRF_FIELD, check_csrf
from backstride.web.templating import is_htmx, render

router = APIRouter(include_in_schema=False)

EntryId = Annotated[int, Path(ge=1, le=MAX_ID, description="The pain entry's id.")]

DIARY_WEEKS = 8
WEEK_CHOICES = (4, 8, 12, 26)


# --- reading forms --------------------------------------------------------------------------------


async def _read_form(request: Request, web: WebState) -> FormData:
    raw = await request.form()
    token = raw.get(CSRF_FIELD)
    check_csrf(request, web.csrf, token if isinstance(token, str) and token else None)
    return raw


def _text(raw: FormData, key: str) -> str:
    value = raw.get(key)
    return value.strip() if isinstance(value, str) else ""


def _many(raw: FormData, key: str) -> list[str]:
    return [v.strip() for v in raw.getlist(key) if isinstance(v, str) and v.strip()]


def _checked(raw: FormData, key: str) -> bool:
    return _text(raw, key) in ("1", "on", "yes", "true")


def _day(text: str, *, what: str, default: date | None = None) -> date:
    """A form's date; blank means ``default`` (today when not given)."""
    if not text:
        return default or runner_today()
    return parse_day(text, what=f"date for {what}")


def _when(text: str) -> str:
    if not text:
        raise InvalidInputError(
            "Say when: before, during or after a run, the morning after, or a rest day."
        )
    return text


def _optional_day(text: str, *, what: str) -> date | None:
    return _day(text, what=what) if text else None


def _int(text: str, *, what: str) -> int | None:
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise InvalidInputError(f"'{text}' is not a whole number for {what}.") from None


def _km(text: str, *, what: str) -> float | None:
    if not text:
        return None
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise InvalidInputError(f"'{text}' is not a distance in km for {what}.") from None


def pain_recorded(raw: FormData) -> bool:
    """Any pain in a check-in: a score above 0, a place, a feeling or a leg symptom."""
    score = _text(raw, "score")
    return (
        (score.isdigit() and int(score) > 0)
        or not score.isdigit()
        or bool(_many(raw, "where") or _many(raw, "feels"))
        or any(
            _checked(raw, k) for k in ("walking_leg_symptoms", "eases_sitting", "worse_coughing")
        )
    )


def _values(raw: FormData, *multi: str) -> dict[str, Any]:
    """The form as typed, to fill it again after a refusal."""
    out: dict[str, Any] = {
        k: v for k, v in raw.items() if isinstance(v, str) and k != CSRF_FIELD and k not in multi
    }
    for key in multi:
        out[key] = _many(raw, key)
    return out


def _saved_redirect(url: str, form: str) -> RedirectResponse:
    return RedirectResponse(f"{url}?saved={form}#{form}", status_code=303)


@dataclass(frozen=True, slots=True)
class SectionsPage:
    """A page whose sections htmx swaps after each form: its template, partial and data."""

    key: str
    url: str
    template: str
    partial: str
    load: Callable[[App, date], dict[str, Any]]  # (app, the day the page is about)


def _sections_context(
    data: dict[str, Any],
    *,
    saved: str | None = None,
    errors: dict[str, BackstrideError] | None = None,
    values: dict[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    return {**data, "saved": saved, "errors": errors or {}, "values": values or {}, "w": words}


async def _answer(
    request: Request,
    web: WebState,
    page: SectionsPage,
    *,
    form: str,
    action: Callable[[], object],
    values: dict[str, Any],
) -> Response:
    """Run a form's action; answer with the sections (htmx) or a redirect, or the refusal."""
    try:
        await run_in_threadpool(action)
    except BackstrideError as exc:
        if exc.http_status >= 500:
            raise
        data = await run_in_threadpool(page.load, web.app, runner_today())
        context = _sections_context(data, errors={form: exc}, values={form: values})
        template = page.partial if is_htmx(request) else page.template
        return render(request, template, context, active=page.key, status_code=exc.http_status)
    if is_htmx(request):
        data = await run_in_threadpool(page.load, web.app, runner_today())
        return render(request, page.partial, _sections_context(data, saved=form), active=page.key)
    return _saved_redirect(page.url, form)


async def _show(
    request: Request, web: WebState, page: SectionsPage, on: date, saved: str | None
) -> Response:
    data = await run_in_threadpool(page.load, web.app, on)
    return render(request, page.template, _sections_context(data, saved=saved), active=page.key)


# --- Profile & screening --------------------------------------------------------------------------


def _profile_data(app: App, on: date) -> dict[str, Any]:
    clearances = list_clearances(app)
    last = latest_screening(app)
    return {
        # The previous answers pre-fill the form: a re-screening changes only what changed.
        "last_screening": (
            {
                "answered_on": last.answered_on,
                "answers": {
                    f"q-{key}": "yes" if yes else "no" for key, yes in last.answers.items()
                },
            }
            if last is not None
            else None
        ),
        "profile": get_profile(app).to_json(),
        "training": training_status_for(app, today=on).to_json(),
        "clearances": clearances.to_json()["clearances"],
        "state": get_clearance_state(app, on=on).to_json(),
        "questions": [q.to_json() for q in screening_questions()],
        "today": on,
    }


PROFILE = SectionsPage(
    "profile", "/profile", "pages/profile.html", "partials/_profile_sections.html", _profile_data
)


@router.get("/profile", response_class=HTMLResponse)
async def profile_page(request: Request, web: WebDep, saved: str | None = None) -> Response:
    return await _show(request, web, PROFILE, runner_today(), saved)


@router.post("/profile", response_class=HTMLResponse)
async def profile_form(request: Request, web: WebDep) -> Response:
    raw = await _read_form(request, web)
    values = _values(raw, "conditions")

    def action() -> object:
        injuries = [
            line.strip() for line in _text(raw, "past_injuries").splitlines() if line.strip()
        ]
        surgery = _optional_day(_text(raw, "spine_surgery_on"), what="the spine operation")
        injection = _optional_day(_text(raw, "spine_injection_on"), what="the spine injection")
        return set_profile(
            web.app,
            today=runner_today(),
            spine_surgery_on=surgery,
            spine_injection_on=injection,
            clear_spine_surgery=surgery is None,
            clear_spine_injection=injection is None,
            pregnant=_checked(raw, "pregnant"),
            birth_year=_int(_text(raw, "birth_year"), what="the birth year"),
            sex=_text(raw, "sex") or None,
            resting_hr_bpm=_int(_text(raw, "resting_hr_bpm"), what="the resting heart rate"),
            max_hr_bpm=_int(_text(raw, "max_hr_bpm"), what="the maximum heart rate"),
            conditions=_many(raw, "conditions"),
            past_injuries=injuries,
            experience=_text(raw, "experience") or None,
        )

    return await _answer(request, web, PROFILE, form="profile", action=action, values=values)


@router.post("/profile/screening", response_class=HTMLResponse)
async def screening_form(request: Request, web: WebDep) -> Response:
    raw = await _read_form(request, web)
    values = _values(raw)
    keys = [q.question.key for q in screening_questions()]

    def action() -> object:
        missing = [k for k in keys if _text(raw, f"q-{k}") not in ("yes", "no")]
        if missing:
            raise InvalidInputError(
                f"Please answer every question ({len(missing)} still open).",
                hint="Choose yes or no for each one.",
            )
        answers = {k: _text(raw, f"q-{k}") for k in keys}
        today = runner_today()
        on = _day(_text(raw, "on"), what="the screening", default=today)
        return record_screening(web.app, answers, on=on, today=today)

    return await _answer(request, web, PROFILE, form="screening", action=action, values=values)


@router.post("/profile/clearances", response_class=HTMLResponse)
async def clearance_form(request: Request, web: WebDep) -> Response:
    raw = await _read_form(request, web)
    values = _values(raw)

    def action() -> object:
        if not _text(raw, "on"):
            raise InvalidInputError("Give the day the physician cleared you.")
        return add_clearance(
            web.app,
            on=_day(_text(raw, "on"), what="the clearance"),
            by=_text(raw, "by"),
            today=runner_today(),
            restrictions=_text(raw, "restrictions") or None,
            notes=_text(raw, "notes") or None,
        )

    return await _answer(request, web, PROFILE, form="clearance", action=action, values=values)


# --- Check-in -------------------------------------------------------------------------------------


def _flag_groups() -> list[tuple[str, str, list[dict[str, Any]]]]:
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


def _checkin_context(
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
        "flag_groups": _flag_groups(),
        "w": words,
    }


@router.get("/checkin", response_class=HTMLResponse)
async def checkin_page(request: Request, web: WebDep, on: TodayDep) -> Response:
    context = await run_in_threadpool(lambda: _checkin_context(web.app, on=on))
    return render(request, "pages/checkin.html", context, active="checkin")


@router.post("/checkin", response_class=HTMLResponse)
async def checkin_form(request: Request, web: WebDep) -> Response:
    raw = await _read_form(request, web)
    multi = ("where", "feels", "red_flags")
    values = _values(raw, *multi)
    flags = _many(raw, "red_flags")
    today = runner_today()
    day = today
    try:
        day = _day(_text(raw, "day"), what="the check-in", default=today)
        score = _text(raw, "score")
        if not score:
            raise InvalidInputError(
                "Choose how much it hurts, from 0 (no pain) to 10 (worst imaginable)."
            )
        if pain_recorded(raw) and not _checked(raw, "flags_asked") and not flags:
            # Red flags always win: pain is never saved without its warning-sign questions.
            raise InvalidInputError(
                "Before saving pain, answer the warning-sign questions below.",
                hint="Tick any that apply; leave them all unticked if none does.",
            )
        data = PainInput(
            day=day,
            when=_when(_text(raw, "when")),
            score=score,
            where=_many(raw, "where"),
            feels=_many(raw, "feels"),
            walking_leg_symptoms=_checked(raw, "walking_leg_symptoms"),
            eases_sitting=_checked(raw, "eases_sitting"),
            red_flags=flags,
            notes=_text(raw, "notes") or None,
            worse_coughing=_checked(raw, "worse_coughing"),
        )
        saved = await run_in_threadpool(add_pain, web.app, data, today=today)
    except InvalidInputError as exc:
        # Nothing was stored; the red flags named are still triaged, before anything else.
        error: BackstrideError = exc
        shown_on = day if day <= today else today
        first = await run_in_threadpool(_triage_first, request, triage_red_flags(flags))
        context = await run_in_threadpool(
            lambda: _checkin_context(
                web.app, on=shown_on, values=values, form_error=error, triage_first=first
            )
        )
        return render(
            request, "pages/checkin.html", context, active="checkin", status_code=exc.http_status
        )
    linked = "&linked=1" if saved.linked_automatically else ""
    return RedirectResponse(f"/checkin/{saved.entry.id}?saved=1{linked}", status_code=303)


def find_entry(app: App, entry_id: int) -> PainEntry:
    """One diary entry by id (the services list entries; there is no single read)."""
    for entry in list_pain(app).entries:
        if entry.id == entry_id:
            return entry
    raise NotFoundError(
        f"There is no pain entry with id {entry_id}.", hint="The Diary page lists every entry."
    )


def _run_checks(app: App, entry: PainEntry) -> list[dict[str, Any]]:
    """The pain rules for the run(s) this entry is about (same day, or the day before for a
    next-morning check-in); empty for a rest day or a day without runs."""
    if entry.when is PainWhen.REST_DAY:
        return []
    run_day = entry.day - timedelta(days=1) if entry.when is PainWhen.NEXT_MORNING else entry.day
    report = pain_report(app, today=max(entry.day, run_day), since=run_day)
    runs = [
        c for c in report.runs if c.day == run_day and (entry.activity_id in (None, c.activity_id))
    ]
    return [_run_row(c) for c in runs]


def _run_row(check: RunPainCheck) -> dict[str, Any]:
    return {
        "activity_id": check.activity_id,
        "day": check.day,
        "before": check.before,
        "during": check.during,
        "during_zone": check.during_zone,
        "after": check.after,
        "after_zone": check.after_zone,
        "next_morning": check.next_morning,
        "usual_level": check.usual_level,
        "settled": check.settled,
        "verdict": check.verdict,
        "reasons": list(check.reasons),
    }


def _triage_first(request: Request, view: TriageView | None) -> TriageView | None:
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


def _saved_data(app: App, entry_id: int) -> dict[str, Any]:
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
        "runs": _run_checks(app, entry),
        "run_day": (
            entry.day - timedelta(days=1) if entry.when is PainWhen.NEXT_MORNING else entry.day
        ),
        "w": words,
    }


@router.get("/checkin/{entry_id}", response_class=HTMLResponse)
async def checkin_saved_page(
    request: Request,
    web: WebDep,
    entry_id: EntryId,
    saved: bool = False,
    linked: bool = False,
) -> Response:
    """A check-in's page. Its red flags' triage comes first right after saving and while a
    flag is still open (not yet recorded as seen)."""
    data = await run_in_threadpool(_saved_data, web.app, entry_id)
    view = data["triage"] if saved or data["flags_open"] else None
    triage_first = await run_in_threadpool(_triage_first, request, view)
    context = {
        **data,
        "saved": saved,
        "linked": linked,
        "triage_first": triage_first,
        "answer_error": None,
    }
    return render(request, "pages/checkin_saved.html", context, active="checkin")


@router.post("/checkin/{entry_id}/warning-signs", response_class=HTMLResponse)
async def warning_signs_form(request: Request, web: WebDep, entry_id: EntryId) -> Response:
    """The runner's answers to the warning signs the entry may describe: each "yes" becomes a
    red flag (its triage comes first on the next page), each "no" is noted as not there."""
    raw = await _read_form(request, web)
    data = await run_in_threadpool(_saved_data, web.app, entry_id)
    asked = [item["flag"] for item in data["to_confirm"]]
    present = [f for f in asked if _text(raw, f"sign-{f}") == "yes"]
    absent = [f for f in asked if _text(raw, f"sign-{f}") == "no"]
    try:
        if not present and not absent:
            raise InvalidInputError("Answer yes or no for at least one sign.")
        await run_in_threadpool(
            lambda: answer_warning_signs(
                web.app, entry_id, present=present, absent=absent, today=runner_today()
            )
        )
    except InvalidInputError as exc:
        context = {
            **data,
            "saved": False,
            "linked": False,
            "triage_first": None,
            "answer_error": exc,
        }
        return render(
            request, "pages/checkin_saved.html", context, active="checkin", status_code=422
        )
    return RedirectResponse(f"/checkin/{entry_id}?saved=1#entry-{entry_id}", status_code=303)


# --- Diary ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DiaryMonth:
    """The calendar month a Diary page shows (``?month=YYYY-MM``), and its neighbours."""

    first: date
    last: date  # the month's last day, or today in the current month
    previous: date
    following: date | None  # None when the next month has not begun

    @property
    def label(self) -> str:
        return f"{self.first:%B %Y}"


def diary_month(month: str | None, *, on: date, today: date) -> DiaryMonth:
    """The month named ``YYYY-MM`` (else the month of ``on``), up to today at the latest."""
    if month:
        try:
            first = date.fromisoformat(f"{month.strip()[:7]}-01")
        except ValueError:
            raise InvalidInputError(
                f"'{month[:20]}' is not a month.", hint="Write it like 2026-11."
            ) from None
    else:
        first = on.replace(day=1)
    first = min(first, today.replace(day=1))
    following = (first + timedelta(days=32)).replace(day=1)
    last = min(following - timedelta(days=1), today)
    return DiaryMonth(
        first=first,
        last=last,
        previous=(first - timedelta(days=1)).replace(day=1),
        following=following if following <= today else None,
    )


def _diary_data(
    web: WebState, *, on: date, weeks: int, since: date | None = None
) -> dict[str, Any]:
    """The diary from ``since`` (default: ``weeks`` weeks back) to ``on``."""
    app = web.app
    since = since or window_start(on, weeks)
    weeks = max(weeks, (on - since).days // 7 + 2)  # the load report covers the window
    report: PainReport = pain_report(app, today=on, since=since)
    load = cached_load_report(web, on=on, weeks=weeks)
    days = [d for d in load.days if since <= d.day <= on]
    entries = list_pain(app, since=since, until=on).entries
    return {
        "on": on,
        "weeks": weeks,
        "week_choices": WEEK_CHOICES,
        "since": since,
        "report": report,
        "runs": [_run_row(c) for c in sorted(report.runs, key=lambda c: c.day, reverse=True)],
        "prompt_flags": [o for o in report.open_red_flags if o.urgency is Urgency.PROMPT],
        "same_day_flags": [o for o in report.open_red_flags if o.urgency is Urgency.SAME_DAY],
        "awaiting": report.awaiting,
        "today": runner_today(),
        "pain_chart": pain_load_chart(PainChartInput(days=days, entries=entries)),
        "load_chart": daily_load_chart(days),
        "month": None,
        "entries": sorted(entries, key=lambda e: (e.day, e.id or 0), reverse=True),
        "rules": report.rules,
        "outcome_words": {k.value: v for k, v in OUTCOME_WORDS.items()},
        "red_flag_words": {f.value: info.plain for f, info in RED_FLAGS.items()},
        "w": words,
    }


def _diary_context(
    web: WebState, on: date, weeks: int, *, month: DiaryMonth | None = None, **extra: Any
) -> dict[str, Any]:
    if month is not None:
        data = _diary_data(web, on=month.last, weeks=weeks, since=month.first)
        data["month"] = month
    else:
        data = _diary_data(web, on=on, weeks=weeks)
    return {**data, "saved": None, **extra}


@router.get("/diary", response_class=HTMLResponse)
async def diary_page(
    request: Request,
    web: WebDep,
    on: TodayDep,
    weeks: Annotated[int | None, Query(ge=1, le=104)] = None,
    month: Annotated[str | None, Query(max_length=20, description="YYYY-MM")] = None,
    saved: str | None = None,
) -> Response:
    """A calendar month at a time (``?month=``, default the month of ``?on=``); ``?weeks=``
    still shows that many weeks up to ``on``."""
    paged = None if weeks and not month else diary_month(month, on=on, today=runner_today())
    context = await run_in_threadpool(
        lambda: _diary_context(web, on, weeks or DIARY_WEEKS, month=paged, saved=saved)
    )
    return render(request, "pages/diary.html", context, active="diary")


def _edit_context(entry: PainEntry, **extra: Any) -> dict[str, Any]:
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
        "flag_groups": _flag_groups(),
        "triage_first": None,
        "guess": None,
        "w": words,
        **extra,
    }


@router.get("/diary/{entry_id}/edit", response_class=HTMLResponse)
async def diary_edit_page(request: Request, web: WebDep, entry_id: EntryId) -> Response:
    entry = await run_in_threadpool(find_entry, web.app, entry_id)
    return render(request, "pages/diary_edit.html", _edit_context(entry), active="diary")


@router.post("/diary/{entry_id}/edit", response_class=HTMLResponse)
async def diary_edit_form(request: Request, web: WebDep, entry_id: EntryId) -> Response:
    """A full-page form (like the check-in): red flags it names are triaged before the
    header, whether the change is saved or refused."""
    raw = await _read_form(request, web)
    entry = await run_in_threadpool(find_entry, web.app, entry_id)
    values = _values(raw, "where", "feels", "red_flags")
    flags = _many(raw, "red_flags")
    try:
        changes = PainChanges(
            day=_day(_text(raw, "day"), what="the entry", default=entry.day),
            when=_text(raw, "when") or entry.when.value,
            score=_text(raw, "score") or entry.score,
            unlink_activity=_checked(raw, "unlink_activity"),
            where=_many(raw, "where"),
            feels=_many(raw, "feels"),
            walking_leg_symptoms=_checked(raw, "walking_leg_symptoms"),
            eases_sitting=_checked(raw, "eases_sitting"),
            red_flags=flags,
            notes=_text(raw, "notes"),
            worse_coughing=_checked(raw, "worse_coughing"),
        )
        saved = await run_in_threadpool(
            lambda: edit_pain(web.app, entry_id, changes, today=runner_today())
        )
    except InvalidInputError as exc:
        view = triage_red_flags(flags)
        first = await run_in_threadpool(_triage_first, request, view)
        context = _edit_context(entry, values=values, form_error=exc, triage_first=first)
        return render(request, "pages/diary_edit.html", context, active="diary", status_code=422)
    if saved.triage is not None:
        # Red flags win: the saved entry's page shows their triage first.
        return RedirectResponse(f"/checkin/{entry_id}?saved=1", status_code=303)
    return RedirectResponse(f"/diary?saved=edit#entry-{entry_id}", status_code=303)


@router.post("/diary/{entry_id}/delete", response_class=HTMLResponse)
async def diary_delete_form(request: Request, web: WebDep, entry_id: EntryId) -> Response:
    raw = await _read_form(request, web)
    await run_in_threadpool(delete_pain, web.app, entry_id)
    if not is_htmx(request):
        return RedirectResponse("/diary?saved=delete", status_code=303)
    on = _day(_text(raw, "on"), what="the diary")
    weeks = _int(_text(raw, "weeks"), what="the weeks shown") or DIARY_WEEKS
    if not 1 <= weeks <= 104:
        weeks = DIARY_WEEKS
    context = await run_in_threadpool(lambda: _diary_context(web, on, weeks, saved="delete"))
    return render(request, "partials/_diary_body.html", context, active="diary")


# --- Self-tests -----------------------------------------------------------------------------------


def _selftests_data(app: App, on: date) -> dict[str, Any]:
    report = selftest_report(app, today=on).to_json()
    return {
        "report": report,
        "tests": [(n.value, TESTS[n].title, TESTS[n].unit) for n in SelfTestName],
        "today": runner_today(),
    }


SELFTESTS = SectionsPage(
    "selftests",
    "/self-tests",
    "pages/selftests.html",
    "partials/_selftests_sections.html",
    _selftests_data,
)


@router.get("/self-tests", response_class=HTMLResponse)
async def selftests_page(
    request: Request, web: WebDep, on: TodayDep, saved: str | None = None
) -> Response:
    return await _show(request, web, SELFTESTS, on, saved)


@router.post("/self-tests", response_class=HTMLResponse)
async def selftest_form(request: Request, web: WebDep) -> Response:
    raw = await _read_form(request, web)

    def action() -> object:
        value = _text(raw, "value")
        if not value:
            raise InvalidInputError("Give the result: seconds, centimetres, degrees or pass/fail.")
        today = runner_today()
        return add_selftest(
            web.app,
            name=_text(raw, "test"),
            value=value,
            on=_day(_text(raw, "on"), what="the self-test", default=today),
            today=today,
        )

    return await _answer(
        request, web, SELFTESTS, form="selftest", action=action, values=_values(raw)
    )


# --- Shoes ----------------------------------------------------------------------------------------


def _shoes_data(app: App, on: date) -> dict[str, Any]:
    shoes = list_shoes(app, today=on)
    pairs = []
    for view in shoes.shoes:
        s = view.to_json()
        s["bar"] = wear_bar(
            distance_km=s["distance_km"],
            inspect_km=s["inspect_km"],
            retire_km=s["retire_km"],
            state=s["state"],
            name=s["name"],
        )
        pairs.append(s)
    data = shoes.to_json()
    return {
        "pairs": pairs,
        "rotation": data["rotation"],
        "unknown_gear": data["unknown_gear"],
        "sources": data["sources"],
        "today": runner_today(),
    }


SHOES = SectionsPage(
    "shoes", "/shoes", "pages/shoes.html", "partials/_shoes_sections.html", _shoes_data
)


@router.get("/shoes", response_class=HTMLResponse)
async def shoes_page(
    request: Request, web: WebDep, on: TodayDep, saved: str | None = None
) -> Response:
    return await _show(request, web, SHOES, on, saved)


@router.post("/shoes", response_class=HTMLResponse)
async def add_shoe_form(request: Request, web: WebDep) -> Response:
    raw = await _read_form(request, web)

    def action() -> object:
        kwargs: dict[str, Any] = {}
        for key, what in (
            ("start_km", "the start distance"),
            ("inspect_km", "the inspect distance"),
            ("retire_km", "the retire distance"),
        ):
            value = _km(_text(raw, key), what=what)
            if value is not None:
                kwargs[key] = value
        return add_shoe(
            web.app,
            _text(raw, "name"),
            today=runner_today(),
            bought_on=_optional_day(_text(raw, "bought_on"), what="the purchase"),
            **kwargs,
        )

    return await _answer(request, web, SHOES, form="add-shoe", action=action, values=_values(raw))


@router.post("/shoes/default", response_class=HTMLResponse)
async def default_shoe_form(request: Request, web: WebDep) -> Response:
    raw = await _read_form(request, web)
    name = _text(raw, "name")
    return await _answer(
        request,
        web,
        SHOES,
        form="pairs",
        action=lambda: set_default_shoe(
            web.app, name, sport=_text(raw, "sport") or "run", today=runner_today()
        ),
        values=_values(raw),
    )


@router.post("/shoes/retire", response_class=HTMLResponse)
async def retire_shoe_form(request: Request, web: WebDep) -> Response:
    raw = await _read_form(request, web)
    name = _text(raw, "name")
    return await _answer(
        request,
        web,
        SHOES,
        form="pairs",
        action=lambda: retire_shoe(web.app, name, today=runner_today()),
        values=_values(raw),
    )
