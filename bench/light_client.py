"""The benchmarks' light HTTP client: the timed requests cost the benchmark's own process
(on the same cores as the server) about a fifth of httpx's CPU."""

from __future__ import annotations

import http.client
import json
import select as io_select
from http.cookies import SimpleCookie
from typing import Any

import httpx


class PlainClient:
    """A light keep-alive HTTP/1.1 client for the timed requests: one ``http.client``
    connection, the request headers httpx sends, and the cookies the server sets (a session
    from an httpx login, the form cookie of a page) kept and sent back as a browser would. A
    connection the server closed while it was unused is opened again before the request."""

    def __init__(self, base: str, cookies: dict[str, str] | None = None) -> None:
        host, port = base.removeprefix("http://").split(":")
        self._conn = http.client.HTTPConnection(host, int(port), timeout=60)
        self._host = f"{host}:{port}"
        self.cookies = dict(cookies or {})

    @classmethod
    def after(cls, base: str, client: httpx.Client) -> PlainClient:
        """A light client with the cookies of ``client`` (logged in with httpx)."""
        return cls(base, {c.name: str(c.value) for c in client.cookies.jar})

    def request(self, method: str, path: str, *, json_body: Any = None) -> int:
        headers = {
            "Host": self._host,
            "Accept": "*/*",
            "Accept-Encoding": "gzip, deflate",
            "Connection": "keep-alive",
            "User-Agent": "server-bench",
        }
        body = None
        if json_body is not None:
            body = json.dumps(json_body, separators=(",", ":")).encode()
            headers["Content-Type"] = "application/json"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        sock = self._conn.sock
        if sock is not None and io_select.select([sock], [], [], 0)[0]:
            # Readable while idle: the server closed the kept-alive connection (uvicorn after
            # 5 s unused). As httpx does, a new connection rather than a failed request.
            self._conn.close()
        try:
            self._conn.request(method, path, body=body, headers=headers)
            answer = self._conn.getresponse()
            answer.read()
        except (OSError, http.client.HTTPException):
            self._conn.close()  # a new connection for the next request
            raise
        for header in answer.headers.get_all("set-cookie") or ():
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return answer.status
