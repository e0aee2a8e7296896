"""OpenID Connect login through Authlib: the authorization code flow with PKCE and a nonce.

The login server's settings come from its discovery document
(``ISSUER/.well-known/openid-configuration``); its ID token is checked with its published
keys (signature, issuer, audience, expiry, nonce) before anyone is logged in.
"""

from __future__ import annotations

import threading
import warnings
from dataclasses import dataclass
from typing import Any

import httpx
from authlib.common.security import generate_token
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

from backstride.errors import LoginRequiredError

TIMEOUT_S = 10.0
SCOPES = "openid email profile"


@dataclass(frozen=True, slots=True)
class LoginStart:
    """Where to send the browser, and what to keep until it comes back."""

    url: str
    state: str
    nonce: str
    verifier: str


@dataclass(frozen=True, slots=True)
class Identity:
    issuer: str
    subject: str
    email: str | None
    email_verified: bool
    name: str


def _failed(what: str) -> LoginRequiredError:
    return LoginRequiredError(
        f"The login server did not let you in: {what}.",
        hint="Try again; if it keeps failing, tell the person who runs this server.",
    )


class OidcClient:
    """One login server (issuer) and this server's client registration with it."""

    def __init__(self, issuer: str, client_id: str, client_secret: str) -> None:
        self.issuer = issuer.rstrip("/")
        self.client_id = client_id
        self.client_secret = client_secret
        self._metadata: dict[str, Any] | None = None
        self._lock = threading.Lock()

    def _get_json(self, url: str) -> dict[str, Any]:
        try:
            response = httpx.get(url, timeout=TIMEOUT_S, follow_redirects=False)
            response.raise_for_status()
            data = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise _failed("it could not be reached") from exc
        if not isinstance(data, dict):
            raise _failed("it answered something unexpected")
        return data

    def metadata(self) -> dict[str, Any]:
        with self._lock:
            if self._metadata is None:
                data = self._get_json(f"{self.issuer}/.well-known/openid-configuration")
                if str(data.get("issuer", "")).rstrip("/") != self.issuer:
                    raise _failed("its discovery document names another issuer")
                for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
                    if not data.get(key):
                        raise _failed(f"its discovery document has no {key}")
                data["jwks"] = self._get_json(str(data["jwks_uri"]))
                self._metadata = data
            return self._metadata

    def _client(self, redirect_uri: str) -> Any:
        with warnings.catch_warnings():
            # Authlib 1.7+ announces a move of this client to httpx2; httpx is what we have.
            warnings.filterwarnings("ignore", message=".*httpx module is deprecated.*")
            from authlib.integrations.httpx_client import OAuth2Client
        return OAuth2Client(
            client_id=self.client_id,
            client_secret=self.client_secret,
            scope=SCOPES,
            redirect_uri=redirect_uri,
            code_challenge_method="S256",
            timeout=TIMEOUT_S,
        )

    def start(self, redirect_uri: str) -> LoginStart:
        """The authorization URL for a new login attempt (fresh state, nonce, PKCE)."""
        meta = self.metadata()
        nonce = generate_token(32)
        verifier = generate_token(64)
        with self._client(redirect_uri) as client:
            url, state = client.create_authorization_url(
                meta["authorization_endpoint"], nonce=nonce, code_verifier=verifier
            )
        return LoginStart(url=url, state=state, nonce=nonce, verifier=verifier)

    def finish(self, *, code: str, redirect_uri: str, nonce: str, verifier: str) -> Identity:
        """Exchange the code for tokens and check the ID token; the person it names."""
        meta = self.metadata()
        try:
            with self._client(redirect_uri) as client:
                token = client.fetch_token(
                    meta["token_endpoint"], code=code, code_verifier=verifier
                )
        except Exception as exc:  # noqa: BLE001 - any failure of the exchange refuses the login
            raise _failed("the login could not be completed") from exc
        raw = token.get("id_token")
        if not raw:
            raise _failed("it sent no identity")
        algorithms = meta.get("id_token_signing_alg_values_supported") or ["RS256"]
        try:
            decoded = jwt.decode(
                raw,
                KeySet.import_key_set(meta["jwks"]),
                registry=JWSRegistry(algorithms=list(algorithms)),
            )
            claims = CodeIDToken(
                decoded.claims,
                decoded.header,
                {"iss": {"values": [self.issuer, self.issuer + "/"]}},
                {
                    "nonce": nonce,
                    "client_id": self.client_id,
                    "access_token": token.get("access_token"),
                },
            )
            claims.validate(leeway=60)
        except (JoseError, ValueError, KeyError) as exc:
            raise _failed("its identity did not check out") from exc
        except Exception as exc:  # noqa: BLE001 - Authlib's claim errors: refuse
            raise _failed("its identity did not check out") from exc
        subject = str(claims.get("sub") or "")
        if not subject:
            raise _failed("its identity names nobody")
        email = claims.get("email")
        return Identity(
            issuer=self.issuer,
            subject=subject,
            email=str(email) if email else None,
            email_verified=bool(claims.get("email_verified")),
            name=str(claims.get("name") or ""),
        )
