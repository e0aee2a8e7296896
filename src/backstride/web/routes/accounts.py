"""Server mode: log in (password or the login server), register (when open), log out.

The login cookie (``web.access.SESSION_COOKIE``) holds a random token; it is ``HttpOnly``,
``SameSite=Lax`` (so a link from an e-mail opens the page logged in; unsafe requests still
need the form token and a same-origin check) and ``Secure`` unless ``cookie_secure`` is off.
While the browser visits the login server, the attempt's state, nonce and PKCE verifier wait
in a short-lived cookie signed with the server's secret.
"""

from __future__ import annotations

import base64
import hmac
import json
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from backstride.domain.access import Role
from backstride.errors import BackstrideError, LoginRequiredError, TooManyAttemptsError
from backstride.services.accounts import (
    NewLogin,
    begin_oidc_login,
    finish_oidc_login,
    login_with_password,
    logout,
    register,
)
from backstride.web.access import SESSION_COOKIE, viewer_of
from backstride.web.deps import WebDep, WebState
from backstride.web.security import CSRF_FIELD, check_csrf, local_redirect
from backstride.web.templating import render

router = APIRouter(include_in_schema=False)

OIDC_COOKIE = "backstride_oidc"
OIDC_COOKIE_MAX_AGE_S = 600


def _home(role: Role) -> str:
    return "/runners" if role is Role.PROFESSIONAL else "/"


def _logged_in(web: WebState, login: NewLogin, target: str | None) -> Response:
    default = _home(login.account.role)
    location = local_redirect(target, default=default) if target else default
    if login.account.role is Role.PROFESSIONAL and location == "/":
        location = "/runners"
    response = RedirectResponse(location, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        login.token,
        max_age=int((login.expires_at - datetime.now(UTC)).total_seconds()),
        httponly=True,
        secure=web.settings.cookie_secure,
        samesite="lax",
        path="/",
    )
    return response


def _page(
    request: Request,
    web: WebState,
    *,
    template: str = "pages/login.html",
    error: BackstrideError | None = None,
    values: dict[str, str] | None = None,
) -> HTMLResponse:
    context: dict[str, Any] = {
        "error": error,
        "values": values or {},
        "next": (values or {}).get("next") or request.query_params.get("next", ""),
        "oidc": web.settings.oidc_configured,
        "oidc_name": web.settings.oidc_name,
        "registration_open": web.settings.registration == "open",
    }
    status = error.http_status if error is not None else 200
    headers = None
    if isinstance(error, TooManyAttemptsError):
        headers = {"Retry-After": str(error.retry_after_s)}
    return render(request, template, context, status_code=status, headers=headers)


async def _form(request: Request, web: WebState) -> dict[str, str]:
    raw = await request.form()
    form = {k: v for k, v in raw.items() if isinstance(v, str)}
    check_csrf(request, web.csrf, form.get(CSRF_FIELD))
    return form


def _address(request: Request) -> str:
    return request.client.host if request.client is not None else "unknown"


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, web: WebDep) -> Response:
    viewer = viewer_of(request)
    if viewer is not None:
        return RedirectResponse(_home(viewer.login.account.role), status_code=303)
    return _page(request, web)


@router.post("/login", response_class=HTMLResponse)
async def login_post(request: Request, web: WebDep) -> Response:
    form = await _form(request, web)
    email, password = form.get("email", ""), form.get("password", "")
    values = {"email": email[:254], "next": form.get("next", "")}
    try:
        login = await run_in_threadpool(
            lambda: login_with_password(
                web.app,
                email=email,
                password=password,
                address=_address(request),
                now=datetime.now(UTC),
            )
        )
    except BackstrideError as exc:
        return _page(request, web, error=exc, values=values)
    return _logged_in(web, login, form.get("next"))


@router.get("/register", response_class=HTMLResponse)
async def register_page(request: Request, web: WebDep) -> Response:
    return _page(request, web, template="pages/register.html")


@router.post("/register", response_class=HTMLResponse)
async def register_post(request: Request, web: WebDep) -> Response:
    form = await _form(request, web)
    values = {"email": form.get("email", "")[:254], "name": form.get("name", "")[:200]}
    try:
        login = await run_in_threadpool(
            lambda: register(
                web.app,
                email=form.get("email", ""),
                name=form.get("name", ""),
                password=form.get("password", ""),
                now=datetime.now(UTC),
            )
        )
    except BackstrideError as exc:
        return _page(request, web, template="pages/register.html", error=exc, values=values)
    return _logged_in(web, login, None)


@router.post("/logout")
async def logout_post(request: Request, web: WebDep) -> Response:
    await _form(request, web)
    token = request.cookies.get(SESSION_COOKIE)
    await run_in_threadpool(lambda: logout(web.app, token))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, secure=web.settings.cookie_secure, samesite="lax"
    )
    return response


# --- OpenID Connect ---------------------------------------------------------------------------


def _callback_url(request: Request) -> str:
    return str(request.url_for("oidc_callback"))


def _sign(web: WebState, data: dict[str, str]) -> str:
    payload = base64.urlsafe_b64encode(json.dumps(data).encode()).decode()
    return f"{payload}.{web.csrf.token_for(payload)}"


def _unsign(web: WebState, value: str | None) -> dict[str, str] | None:
    if not value or "." not in value:
        return None
    payload, _, signature = value.rpartition(".")
    if not hmac.compare_digest(web.csrf.token_for(payload), signature):
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(payload.encode()))
    except ValueError:
        return None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        return None
    issued = float(data.get("at", "0") or 0)
    if datetime.now(UTC).timestamp() - issued > OIDC_COOKIE_MAX_AGE_S:
        return None
    return data


@router.get("/login/oidc")
async def oidc_start(request: Request, web: WebDep) -> Response:
    try:
        start = await run_in_threadpool(
            lambda: begin_oidc_login(web.app, redirect_uri=_callback_url(request))
        )
    except BackstrideError as exc:
        return _page(request, web, error=exc)
    response = RedirectResponse(start.url, status_code=303)
    kept = {
        "state": start.state,
        "nonce": start.nonce,
        "verifier": start.verifier,
        "next": local_redirect(request.query_params.get("next"), default=""),
        "at": str(datetime.now(UTC).timestamp()),
    }
    response.set_cookie(
        OIDC_COOKIE,
        _sign(web, kept),
        max_age=OIDC_COOKIE_MAX_AGE_S,
        httponly=True,
        secure=web.settings.cookie_secure,
        samesite="lax",
        path="/login/oidc",
    )
    return response


@router.get("/login/oidc/callback", name="oidc_callback")
async def oidc_callback(request: Request, web: WebDep) -> Response:
    kept = _unsign(web, request.cookies.get(OIDC_COOKIE))
    state = request.query_params.get("state", "")
    code = request.query_params.get("code", "")
    error: BackstrideError | None = None
    login: NewLogin | None = None
    if kept is None or not state or not hmac.compare_digest(kept.get("state", ""), state):
        error = LoginRequiredError(
            "This login attempt has expired or did not start here.",
            hint="Start again from the login page.",
        )
    elif not code:
        error = LoginRequiredError(
            "The login server did not let you in.", hint="Try again from the login page."
        )
    else:
        try:
            login = await run_in_threadpool(
                lambda: finish_oidc_login(
                    web.app,
                    code=code,
                    redirect_uri=_callback_url(request),
                    nonce=kept.get("nonce", ""),
                    verifier=kept.get("verifier", ""),
                    now=datetime.now(UTC),
                )
            )
        except BackstrideError as exc:
            error = exc
    if login is None:
        response: Response = _page(request, web, error=error)
    else:
        response = _logged_in(web, login, (kept or {}).get("next") or None)
    response.delete_cookie(OIDC_COOKIE, path="/login/oidc")
    return response
