"""A small OpenID Connect login server for the tests, run in-process on loopback.

Discovery, keys, an authorization endpoint that logs in whoever the test chose (no form),
and a token endpoint that checks the client, the code, the redirect URI and the PKCE
verifier, and signs an RS256 ID token with the nonce it was given. No network.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import uvicorn
from joserfc import jwt
from joserfc.jwk import RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from tests.web.conftest import free_port

CLIENT_ID = "backstride-test"
CLIENT_SECRET = "test-client-secret"


@dataclass
class Person:
    subject: str
    email: str
    name: str
    email_verified: bool = True


@dataclass
class Provider:
    issuer: str
    key: RSAKey
    person: Person
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    tamper_nonce: bool = False
    server: uvicorn.Server | None = None
    thread: threading.Thread | None = None

    def stop(self) -> None:
        if self.server is not None and self.thread is not None:
            self.server.should_exit = True
            self.thread.join(timeout=10)


def _app(provider: Provider) -> Starlette:
    async def discovery(_: Request) -> Response:
        return JSONResponse(
            {
                "issuer": provider.issuer,
                "authorization_endpoint": f"{provider.issuer}/authorize",
                "token_endpoint": f"{provider.issuer}/token",
                "jwks_uri": f"{provider.issuer}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
            }
        )

    async def jwks(_: Request) -> Response:
        return JSONResponse({"keys": [provider.key.as_dict(private=False)]})

    async def authorize(request: Request) -> Response:
        q = request.query_params
        if q.get("client_id") != CLIENT_ID or q.get("code_challenge_method") != "S256":
            return JSONResponse({"error": "invalid_request"}, status_code=400)
        code = secrets.token_urlsafe(16)
        provider.codes[code] = {
            "redirect_uri": q["redirect_uri"],
            "nonce": q.get("nonce", ""),
            "challenge": q.get("code_challenge", ""),
        }
        target = q["redirect_uri"] + "?" + urlencode({"code": code, "state": q.get("state", "")})
        return RedirectResponse(target, status_code=302)

    async def token(request: Request) -> Response:
        form = await request.form()
        auth = request.headers.get("authorization", "")
        client_ok = form.get("client_secret") == CLIENT_SECRET
        if auth.startswith("Basic "):
            pair = base64.b64decode(auth[6:]).decode()
            client_ok = pair == f"{CLIENT_ID}:{CLIENT_SECRET}"
        kept = provider.codes.pop(str(form.get("code", "")), None)
        if not client_ok or kept is None or form.get("redirect_uri") != kept["redirect_uri"]:
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        verifier = str(form.get("code_verifier", ""))
        digest = hashlib.sha256(verifier.encode()).digest()
        challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        if challenge != kept["challenge"]:
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        now = int(time.time())
        person = provider.person
        claims: dict[str, Any] = {
            "iss": provider.issuer,
            "sub": person.subject,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": "forged" if provider.tamper_nonce else kept["nonce"],
            "email": person.email,
            "email_verified": person.email_verified,
            "name": person.name,
        }
        id_token = jwt.encode({"alg": "RS256", "kid": provider.key.kid}, claims, provider.key)
        return JSONResponse(
            {
                "access_token": secrets.token_urlsafe(16),
                "token_type": "Bearer",
                "id_token": id_token,
            }
        )

    return Starlette(
        routes=[
            Route("/.well-known/openid-configuration", discovery),
            Route("/jwks", jwks),
            Route("/authorize", authorize),
            Route("/token", token, methods=["POST"]),
        ]
    )


def start_provider(person: Person) -> Provider:
    port = free_port()
    key = RSAKey.generate_key(2048, parameters={"kid": "test-key"})
    provider = Provider(issuer=f"http://127.0.0.1:{port}", key=key, person=person)
    config = uvicorn.Config(_app(provider), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="test-oidc-provider", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test login server did not start")
        time.sleep(0.05)
    provider.server, provider.thread = server, thread
    return provider
