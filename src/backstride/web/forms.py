"""The pages' forms: reading a posted form, checking it with the JSON API's own model
(``check_form``: a refusal in the runner's words), and answering it.

Every form carries the anti-forgery token (``security.check_csrf``) and works without
JavaScript (post, then a 303 redirect); with htmx the page's sections are swapped in place
and an invalid form comes back with its message (status 422, 404 or 409) and the values as
typed. Nothing is stored when a form is refused."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import Response

from backstride.domain.dates import DATE_HINT, check_day, parse_day
from backstride.errors import BackstrideError, InvalidInputError
from backstride.services.context import App
from backstride.web.context import runner_today
from backstride.web.deps import WebState
from backstride.web.security import CSRF_FIELD, check_csrf
from backstride.web.templating import is_htmx, render
from backstride.web.views import words

# --- reading forms ---


async def read_form(request: Request, web: WebState) -> FormData:
    raw = await request.form()
    token = raw.get(CSRF_FIELD)
    check_csrf(request, web.csrf, token if isinstance(token, str) and token else None)
    return raw


def field_text(raw: FormData, key: str) -> str:
    value = raw.get(key)
    return value.strip() if isinstance(value, str) else ""


def field_list(raw: FormData, key: str) -> list[str]:
    return [v.strip() for v in raw.getlist(key) if isinstance(v, str) and v.strip()]


def field_checked(raw: FormData, key: str) -> bool:
    return field_text(raw, key) in ("1", "on", "yes", "true")


def form_day(text: str, *, what: str, default: date | None = None) -> date:
    """A form's date; blank means ``default`` (today when not given)."""
    if not text:
        return default or runner_today()
    return parse_day(text, what=f"date for {what}")


def whole_number(text: str, *, what: str) -> int | None:
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise InvalidInputError(f"'{text}' is not a whole number for {what}.") from None


def typed_values(raw: FormData, *multi: str) -> dict[str, Any]:
    """The form as typed, to fill it again after a refusal."""
    out: dict[str, Any] = {
        k: v for k, v in raw.items() if isinstance(v, str) and k != CSRF_FIELD and k not in multi
    }
    for key in multi:
        out[key] = field_list(raw, key)
    return out


def saved_redirect(url: str, form: str) -> RedirectResponse:
    return RedirectResponse(f"{url}?saved={form}#{form}", status_code=303)


# --- pages whose sections htmx swaps ---


@dataclass(frozen=True, slots=True)
class SectionsPage:
    """A page whose sections htmx swaps after each form: its template, partial and data."""

    key: str
    url: str
    template: str
    partial: str
    load: Callable[[App, date], dict[str, Any]]  # (app, the day the page is about)


def sections_context(
    data: dict[str, Any],
    *,
    saved: str | None = None,
    errors: dict[str, BackstrideError] | None = None,
    values: dict[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    return {**data, "saved": saved, "errors": errors or {}, "values": values or {}, "w": words}


async def answer_form(
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
        context = sections_context(data, errors={form: exc}, values={form: values})
        template = page.partial if is_htmx(request) else page.template
        return render(request, template, context, active=page.key, status_code=exc.http_status)
    if is_htmx(request):
        data = await run_in_threadpool(page.load, web.app, runner_today())
        return render(request, page.partial, sections_context(data, saved=form), active=page.key)
    return saved_redirect(page.url, form)


async def sections_form(
    request: Request,
    web: WebState,
    page: SectionsPage,
    *,
    form: str,
    model: type[Model],
    fields: Fields,
    save: Callable[[WebState, Model], object],
    lists: Sequence[str] = (),
    prepare: Callable[[FormData, dict[str, Any]], object] | None = None,
) -> Response:
    """A form of a sections page: its fields checked by ``model`` (the API's), then ``save``
    (the API's use case too). ``prepare`` completes the fields the model takes from the form
    as posted, or refuses it."""
    raw = await read_form(request, web)
    data = form_data(raw, fields, lists=lists)

    def action() -> object:
        if prepare is not None:
            prepare(raw, data)
        return save(web, check_form(model, data, fields))

    values = typed_values(raw, *lists)
    return await answer_form(request, web, page, form=form, action=action, values=values)


async def show_sections(
    request: Request, web: WebState, page: SectionsPage, on: date, saved: str | None
) -> Response:
    data = await run_in_threadpool(page.load, web.app, on)
    return render(request, page.template, sections_context(data, saved=saved), active=page.key)


# --- checking forms with the API's models ---


@dataclass(frozen=True, slots=True)
class FormField:
    """How a form names one of its fields to the runner, and how a refused value is told.

    A refused value is told in the domain's own words when ``check`` (the domain's parser or
    check for that field, the one the CLI uses) refuses it too; else in words built here from
    ``what`` and ``kind``. ``missing`` is what a blank required field says."""

    what: str
    kind: str = ""
    check: Callable[[str], object] | None = None
    missing: str | None = None


Fields = Mapping[str, FormField]
Model = TypeVar("Model", bound=BaseModel)

_KINDS = {"int": "a whole number", "float": "a number", "date": "a date", "bool": "yes or no"}


def form_data(
    raw: FormData, fields: Fields, *, lists: Sequence[str] = (), boxes: Sequence[str] = ()
) -> dict[str, Any]:
    """The posted fields the model knows, trimmed; a blank one is left out (the model's
    default applies, or its ``missing`` words). ``lists`` are repeated fields (ticked
    choices), ``boxes`` checkboxes (true when ticked)."""
    data: dict[str, Any] = {}
    for key in fields:
        if key in lists:
            data[key] = field_list(raw, key)
        elif key in boxes:
            data[key] = field_checked(raw, key)
        elif value := field_text(raw, key):
            data[key] = value
    return data


def check_form(model: type[Model], data: Mapping[str, Any], fields: Fields) -> Model:
    """``data`` checked by the model the JSON API checks the same record with. A refusal
    (422, nothing stored) names the first refused field, in the order of ``fields``, in the
    runner's words."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        order = list(fields)
        errors = sorted(
            exc.errors(include_url=False),
            key=lambda e: order.index(e["loc"][0]) if e["loc"][0] in order else len(order),
        )
        raise refusal(errors[0], fields) from None


def refusal(error: Mapping[str, Any], fields: Fields) -> InvalidInputError:
    """One refused field in the runner's words (never pydantic's own text)."""
    key = str(error["loc"][0])
    field = fields.get(key, FormField(what=key.replace("_", " ")))
    kind: str = error["type"]
    value = error.get("input")
    text = "" if value is None or isinstance(value, dict) else str(value)
    if kind == "missing" or (kind == "string_too_short" and not text):
        if field.missing:
            return InvalidInputError(field.missing)
        if field.check is not None and (told := _told(field.check, "")) is not None:
            return told
        return InvalidInputError(f"Give {field.what}.")
    if field.check is not None and not isinstance(value, list):
        told = _told(field.check, text)
        if told is not None:
            return told
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    if any(_is_day(ctx.get(k)) for k in _BOUND_WORDS):  # outside the dates backstride keeps
        return _told(_day_check(field.what), text) or InvalidInputError(
            f"'{text}' is not a date for {field.what}.", hint=DATE_HINT
        )
    prefix = kind.split("_")[0]
    if prefix in _KINDS or kind.endswith("_parsing") or kind.endswith("_type"):
        what_kind = field.kind or _KINDS.get(prefix, "a value backstride can read")
        hint = DATE_HINT if prefix == "date" else None
        return InvalidInputError(f"'{text}' is not {what_kind} for {field.what}.", hint=hint)
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = ", ".join(
            f"{_BOUND_WORDS[k]} {_shown(v)}" for k, v in ctx.items() if k in _BOUND_WORDS
        )
        return InvalidInputError(f"{text} is out of range for {field.what}: {bound}.")
    if kind in ("string_too_long", "too_long"):
        most = ctx.get("max_length")
        return InvalidInputError(
            f"Too long: {field.what}.",
            hint=f"Keep it to {most} characters or items." if most else None,
        )
    return InvalidInputError(f"'{text}' is not one of the choices for {field.what}.")


_BOUND_WORDS = {"ge": "at least", "gt": "above", "le": "at most", "lt": "below"}


def _is_day(limit: object) -> bool:
    if isinstance(limit, date):
        return True
    try:
        date.fromisoformat(str(limit))
    except ValueError:
        return False
    return True


def _shown(limit: object) -> str:
    return f"{limit:g}" if isinstance(limit, float) else str(limit)


def _day_check(what: str) -> Callable[[str], object]:
    return lambda text: check_day(date.fromisoformat(text), what=f"date for {what}")


def _told(check: Callable[[str], object], text: str) -> InvalidInputError | None:
    """The domain's own refusal of ``text``, if it refuses it."""
    try:
        check(text)
    except InvalidInputError as exc:
        return exc
    except (ValueError, TypeError):
        return None
    return None
