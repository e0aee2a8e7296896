"""Security of the dashboard: headers, anti-forgery tokens, same-origin and body-size checks.

* **Headers** on every response (:class:`SecurityHeadersMiddleware`): a Content-Security-Policy
  with no inline script or style (``script-src 'self'; style-src 'self'``), ``frame-ancestors
  'none'``, ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: same-origin`` (so a
  same-site form post keeps its ``Origin``), and ``Cache-Control: no-store`` on pages and API
  answers (they hold health data).
* **Forms** (pages) use a signed double-submit token (:class:`CsrfTokens`): a random nonce in an
  ``HttpOnly; SameSite=Strict`` cookie, and in each form (hidden field) or HTMX request (header
  ``X-CSRF-Token``) the HMAC-SHA256 of that nonce under ``settings.secret_key`` (or a random
  per-process key). A forged request from another site has neither the cookie nor a token that
  matches it.
* **The JSON API** accepts only non-simple content types on unsafe methods
  (``application/json``, ``application/octet-stream``), which a cross-site page cannot send
  without a CORS preflight, and the app grants no CORS.
* **Every unsafe request** (pages and API) is refused when the browser says it comes from
  another site (``Sec-Fetch-Site: cross-site``/``same-site``) or its ``Origin`` is not this
  server: scheme, host and port all compared (:func:`check_same_origin`).
* **Host names** are always checked (DNS-rebinding guard) by Starlette's
  ``TrustedHostMiddleware`` against :func:`allowed_hosts_for`: this computer's names only.
* **Reach**: ``backstride serve`` listens on a loopback address only (:func:`require_loopback`);
  the local dashboard has no login, so nothing beyond this computer may reach it. The server
  mode (``serve --server``, every request logged in, ``web.access``) may listen elsewhere and
  adds its ``server_names`` to the host names accepted.
* **Bodies** are capped while they stream (:class:`BodyLimitMiddleware`): uploads at
  ``settings.upload_max_mb``, anything else at :data:`FORM_MAX_BYTES`.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
import secrets
from collections.abc import Awaitable, Callable, Iterable
from urllib.parse import unquote, urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backstride.errors import (
    ConfigError,
    ForbiddenRequestError,
    PayloadTooLargeError,
    UnsupportedMediaTypeError,
)
from backstride.web.asgi import UNSAFE_METHODS, HttpMiddleware

CSRF_COOKIE = "backstride_csrf"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
FORM_MAX_BYTES = 1024 * 1024

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    )
)

SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("content-security-policy", CONTENT_SECURITY_POLICY),
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "same-origin"),
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-resource-policy", "same-origin"),
    ("permissions-policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
)

_NONCE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


class SecurityHeadersMiddleware(HttpMiddleware):
    """Adds the security headers to every HTTP response (pure ASGI, streams untouched)."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        is_static = str(scope.get("path", "")).startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                apply_headers(headers, static=is_static)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def apply_headers(headers: MutableHeaders, *, static: bool = False) -> None:
    """Set the security headers (and ``no-store`` on dynamic answers) where missing."""
    for name, value in SECURITY_HEADERS:
        if name not in headers:
            headers[name] = value
    if not static and "cache-control" not in headers:
        headers["cache-control"] = "no-store"


class BodyLimitMiddleware:
    """Refuses request bodies over a cap, judged by Content-Length and while streaming.

    A declared Content-Length over the cap is answered at once with ``render_error`` (the app's
    one error renderer); a body that grows past the cap while streaming raises
    :class:`PayloadTooLargeError` where the route reads it, and the exception handler renders
    it. Paths starting with one of ``upload_paths`` get ``upload_max_bytes``; every other body
    gets ``default_max_bytes``.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        render_error: Callable[[Request, Exception], Awaitable[Response]],
        upload_max_bytes: int,
        upload_paths: Iterable[str],
        default_max_bytes: int = FORM_MAX_BYTES,
    ) -> None:
        self.app = app
        self.render_error = render_error
        self.upload_max_bytes = upload_max_bytes
        self.upload_paths = tuple(upload_paths)
        self.default_max_bytes = default_max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        is_upload = path.startswith(self.upload_paths)
        limit = self.upload_max_bytes if is_upload else self.default_max_bytes
        declared = Headers(scope=scope).get("content-length")
        received = 0

        def too_large() -> PayloadTooLargeError:
            mb = limit / (1024 * 1024)
            if is_upload:
                return PayloadTooLargeError(
                    f"The upload is larger than the limit of {mb:.3g} MB.",
                    hint="Upload fewer files at once, or raise upload_max_mb in the settings.",
                )
            return PayloadTooLargeError(f"The request is larger than the limit of {mb:.3g} MB.")

        if declared is not None and declared.isdigit() and int(declared) > limit:
            response = await self.render_error(Request(scope), too_large())
            await response(scope, receive, send)
            return

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise too_large()
            return message

        await self.app(scope, limited_receive, send)


class CsrfTokens:
    """Signed double-submit tokens: ``token = HMAC-SHA256(key, nonce)``, nonce in a cookie."""

    def __init__(self, secret: str | None) -> None:
        raw = secret.encode() if secret else secrets.token_bytes(32)
        self._key = hashlib.sha256(b"backstride-csrf\x00" + raw).digest()

    @staticmethod
    def new_nonce() -> str:
        return secrets.token_urlsafe(32)

    @staticmethod
    def valid_nonce(nonce: str | None) -> bool:
        return bool(nonce) and _NONCE.match(nonce or "") is not None

    def token_for(self, nonce: str) -> str:
        return hmac.new(self._key, nonce.encode(), hashlib.sha256).hexdigest()

    def verify(self, nonce: str | None, token: str | None) -> bool:
        if not nonce or not token or not self.valid_nonce(nonce):
            return False
        return hmac.compare_digest(self.token_for(nonce), token)


def forged_request_error() -> ForbiddenRequestError:
    return ForbiddenRequestError(
        "This form has expired or was sent from another site, so nothing was changed.",
        hint="Reload the page and try again.",
    )


async def check_same_origin(request: Request) -> None:
    """Refuse unsafe requests that a browser marks as coming from another site."""
    if request.method not in UNSAFE_METHODS:
        return
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        raise forged_request_error()
    origin = request.headers.get("origin")
    if origin is None:
        return
    here = origin_of(request.url.scheme, request.headers.get("host", ""))
    if here is None or origin_of_header(origin) != here:
        raise forged_request_error()


Origin = tuple[str, str, int]
"""(scheme, host name, port): two URLs are the same origin when all three are equal."""
DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(scheme: str, netloc: str) -> Origin | None:
    """The origin of ``scheme://netloc`` (the port made explicit), or None if malformed."""
    scheme = scheme.lower()
    if scheme not in DEFAULT_PORTS or not netloc or any(c in netloc for c in "/?#@\\ "):
        return None
    try:
        parts = urlsplit(f"{scheme}://{netloc}")
        port = parts.port
    except ValueError:
        return None
    if not parts.hostname:
        return None
    return scheme, parts.hostname.lower(), port if port is not None else DEFAULT_PORTS[scheme]


def origin_of_header(value: str) -> Origin | None:
    """The origin an ``Origin`` header names (``scheme://host[:port]``); None for ``null``."""
    scheme, sep, netloc = value.strip().partition("://")
    return origin_of(scheme, netloc) if sep else None


def check_csrf(request: Request, tokens: CsrfTokens, form_token: str | None) -> None:
    """Refuse a form post whose token (header or field) does not match its cookie."""
    token = request.headers.get(CSRF_HEADER) or form_token
    if not tokens.verify(request.cookies.get(CSRF_COOKIE), token):
        raise forged_request_error()


def require_content_type(request: Request, *allowed: str) -> None:
    """Refuse an API body unless its content type is one of ``allowed`` (non-simple types)."""
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media not in allowed:
        raise UnsupportedMediaTypeError(
            f"This endpoint takes {' or '.join(allowed)}, not '{media or 'no content type'}'.",
            hint="Set the Content-Type header.",
        )


def local_redirect(target: str | None, *, default: str) -> str:
    """``target`` when it is a path on this server, else ``default``.

    Judged after percent-decoding (twice, so an encoded ``%2F`` or ``%5C`` hides nothing): the
    path must start with a single ``/`` and hold no backslash (``/\\evil.example`` is another
    host to a browser), no control character (CR/LF would split the header) and no scheme or
    host of its own.
    """
    if not target:
        return default
    decoded = unquote(unquote(target))
    for text in (target, decoded):
        if not text.startswith("/") or text.startswith("//") or "\\" in text:
            return default
        if any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in text):
            return default
        parts = urlsplit(text)
        if parts.scheme or parts.netloc:
            return default
    if not target.isascii():
        return default
    return target


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
"""Host names (as in a Host header) of this computer; IPv6 literals keep their brackets."""


def is_loopback(host: str) -> bool:
    """Whether the bind address ``host`` is reachable from this computer only."""
    bare = host.strip().strip("[]").lower()
    if bare == "localhost":
        return True
    try:
        return ipaddress.ip_address(bare).is_loopback
    except ValueError:
        return False


def require_loopback(host: str, *, login_required: bool = False) -> None:
    """Refuse to serve on an address other computers can reach, unless every request needs
    a login (``login_required``: server mode with an account or a login server configured).

    The local dashboard has no login: whoever reaches it can read and change the runner's
    health data, so it listens on a loopback address only.
    """
    if is_loopback(host) or login_required:
        return
    raise ConfigError(
        f"backstride serve will not listen on {host}: the dashboard has no login, so anyone "
        "who can reach this computer over the network could read and change your health data.",
        hint="Leave out --host and BACKSTRIDE_HOST to serve on 127.0.0.1 (this computer only). "
        "To look from another device, forward the port over SSH, e.g. "
        "ssh -L 8765:127.0.0.1:8765 this-computer, and open http://127.0.0.1:8765 there. "
        "To serve several people with logins, see the server mode (backstride serve --server, "
        "docs/server.md).",
    )


def allowed_hosts_for(bind_host: str) -> list[str]:
    """Host names the dashboard answers to (the DNS-rebinding guard): this computer's names,
    plus the bind address when it is another loopback address (127.0.0.2). Never any host:
    a server bound to every interface still answers only to loopback names."""
    hosts = list(LOOPBACK_HOSTS)
    if is_loopback(bind_host):
        bare = bind_host.strip().strip("[]").lower()
        name = f"[{bare}]" if ":" in bare else bare
        if name not in hosts:
            hosts.append(name)
    return hosts
