"""A chunked upload (no Content-Length) is cut off at the cap while it streams, against a real
server: 413, and never more than the cap on disk meanwhile."""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.databases import DbBackend
from tests.web.conftest import LiveServer, make_settings, start_server

CAP_BYTES = 64 * 1024
CHUNK_BYTES = 8 * 1024
SENT_BYTES = 40 * CHUNK_BYTES  # five times the cap


@pytest.fixture(scope="module")
def capped(tmp_path_factory: pytest.TempPathFactory, db_backend: DbBackend) -> Iterator[LiveServer]:
    root = tmp_path_factory.mktemp("cap")
    settings = make_settings(
        root, db=db_backend.new_url(root), upload_max_mb=CAP_BYTES / (1024 * 1024)
    )
    server = start_server(settings)
    yield server
    server.stop()


def _bytes_on_disk(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.glob("*/*") if p.is_file())


def _send_chunked(
    server: LiveServer, path: str, headers: dict[str, str], head: bytes, tail: bytes
) -> tuple[int, int]:
    """Send ``head``, then zeros in chunks up to SENT_BYTES, then ``tail``, chunked; return
    the answer's status and the most bytes seen in the upload folder meanwhile."""
    uploads = server.settings.data_dir / "uploads"
    port = int(server.url.rsplit(":", 1)[1])
    most = 0
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        lines = [f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Transfer-Encoding: chunked"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())

        def chunk(data: bytes) -> None:
            if data:  # an empty chunk would end the body
                sock.sendall(f"{len(data):x}\r\n".encode() + data + b"\r\n")

        try:
            chunk(head)
            for _ in range(SENT_BYTES // CHUNK_BYTES):
                chunk(b"\0" * CHUNK_BYTES)
                time.sleep(0.01)  # let the server write what it accepts
                if uploads.is_dir():
                    most = max(most, _bytes_on_disk(uploads))
            chunk(tail)
            sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed before the whole body was sent
        answer = b""
        while b"\r\n" not in answer:
            data = sock.recv(4096)
            if not data:
                break
            answer += data
    status = re.match(rb"HTTP/1\.1 (\d{3})", answer)
    assert status, answer[:200]
    return int(status.group(1)), most


def test_a_chunked_api_upload_is_cut_off_at_the_cap(capped: LiveServer) -> None:
    status, most = _send_chunked(
        capped,
        "/api/imports?name=big.fit",
        {"Content-Type": "application/octet-stream"},
        b"",
        b"",
    )
    assert status == 413
    assert most <= CAP_BYTES  # (0 when the server refused before writing a byte)
    assert not any((capped.settings.data_dir / "uploads").glob("*/*"))


def test_a_chunked_form_upload_is_cut_off_at_the_cap(capped: LiveServer) -> None:
    with httpx.Client(base_url=capped.url) as client:
        page = client.get("/import")
        token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text)
        assert token
        cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    boundary = "cutoff"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="big.fit"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    status, most = _send_chunked(
        capped,
        "/import",
        {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "X-CSRF-Token": token.group(1),
            "Cookie": cookie,
        },
        head,
        f"\r\n--{boundary}--\r\n".encode(),
    )
    assert status == 413
    assert most <= CAP_BYTES  # (0 when the server refused before writing a byte)
    assert not any((capped.settings.data_dir / "uploads").glob("*/*"))
