"""Receiving uploads: streamed from the request to files on disk, chunk by chunk.

Nothing is held whole in memory: the multipart body is fed, as it arrives, to
``python_multipart``'s incremental parser, and each file part is written to its own file in a
fresh temporary folder under the data directory. The size cap is enforced by
:class:`backstride.web.security.BodyLimitMiddleware` while the body streams (and up front from
Content-Length). File names are reduced to a safe basename; the original name is kept for the
import report.

For the forms, the anti-forgery token may come as the ``X-CSRF-Token`` header (HTMX) or as the
``csrf_token`` field, which must then come before the first file (browsers send fields in page
order), so a forged upload is refused before any of its bytes touch the disk.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, NoReturn, ParamSpec, TypeVar

from anyio import to_thread
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from backstride.errors import (
    BackstrideError,
    DiskFullError,
    InvalidInputError,
    ReadOnlyStorageError,
)
from backstride.services.dashboard import UploadedFile

P = ParamSpec("P")
T = TypeVar("T")

MAX_FILES = 5000
MAX_FIELDS = 20
MAX_FIELD_BYTES = 4096
_UNSAFE_CHARS = re.compile(r"[^A-Za-z0-9._ ()+\-]")


async def run_import(
    request: Request, func: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs
) -> T:
    """Run a (long, blocking) import on the app's import threads, so that it does not hold
    one of the few threads that answer the other requests (``app.REQUEST_THREADS``)."""
    limiter = getattr(request.app.state, "import_limiter", None)
    return await to_thread.run_sync(functools.partial(func, *args, **kwargs), limiter=limiter)


def safe_basename(name: str, *, fallback: str = "upload") -> str:
    """The last path component of ``name``, reduced to plain characters, at most 120 long."""
    base = re.split(r"[\\/]", name)[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    base = _UNSAFE_CHARS.sub("_", base).strip(" .")
    if len(base) > 120:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 110 - len(ext)] + dot + ext) if dot and len(ext) <= 10 else base[:120]
    return base or fallback


def display_name(name: str) -> str:
    """The uploaded name as shown to the runner: its basename, printable characters only."""
    base = re.split(r"[\\/]", name)[-1]
    clean = "".join(ch for ch in base if ch.isprintable())
    return clean[:200] or "upload"


def disk_error(exc: OSError) -> BackstrideError | None:
    """What to tell the runner when saving an upload failed: a full or read-only disk gets
    its own error (507/503); None for any other failure (raised as it was)."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFullError(
            "The disk is full, so the upload could not be saved and nothing was imported. "
            "Nothing stored before was lost.",
            hint="Free some space on the disk that holds backstride's data, then upload again.",
        )
    if exc.errno == errno.EROFS:
        return ReadOnlyStorageError(
            "backstride's data folder is on a read-only disk, so the upload could not be saved "
            "and nothing was imported.",
            hint="Make the data folder writable (or set data_dir to a writable one), then upload "
            "again.",
        )
    return None


def reraise_disk_error(exc: OSError) -> NoReturn:
    """Raise :func:`disk_error`'s answer for ``exc``, or ``exc`` itself."""
    error = disk_error(exc)
    if error is None:
        raise exc
    raise error from exc


class UploadFolder:
    """A temporary folder under ``root`` that is removed, with its files, on close."""

    def __init__(self, root: Path) -> None:
        try:
            root.mkdir(parents=True, exist_ok=True)
            self.path = Path(tempfile.mkdtemp(prefix="upload-", dir=root))
        except OSError as exc:
            reraise_disk_error(exc)
        self._used: set[str] = set()

    def new_file(self, original_name: str) -> tuple[Path, str]:
        """A fresh path for an uploaded file, named after ``original_name`` (made safe)."""
        base = safe_basename(original_name)
        candidate = base
        stem, dot, ext = base.partition(".")
        n = 2
        while candidate.lower() in self._used:
            candidate = f"{stem} ({n}){dot}{ext}"
            n += 1
        self._used.add(candidate.lower())
        return self.path / candidate, display_name(original_name)

    def close(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)

    def __enter__(self) -> UploadFolder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass
class ReceivedForm:
    """What a multipart upload held: text fields and the saved files, in order."""

    fields: dict[str, str] = field(default_factory=dict)
    files: list[UploadedFile] = field(default_factory=list)


@dataclass
class _Part:
    headers: dict[bytes, bytes] = field(default_factory=dict)
    name: str = ""
    filename: str | None = None
    data: bytearray = field(default_factory=bytearray)
    sink: IO[bytes] | None = None
    path: Path | None = None
    shown_name: str = ""


def _bad_form(detail: str) -> InvalidInputError:
    return InvalidInputError(
        f"The upload could not be read: {detail}.", hint="Choose the files again and retry."
    )


async def receive_files(
    request: Request,
    folder: UploadFolder,
    *,
    file_field: str,
    before_first_file: Callable[[dict[str, str]], None] | None = None,
) -> ReceivedForm:
    """Stream a ``multipart/form-data`` body into ``folder``; return its fields and files.

    ``before_first_file`` sees the text fields received so far, just before the first file
    part is written (the anti-forgery check); it raises to refuse the upload.
    """
    content_type = request.headers.get("content-type", "")
    media, params = parse_options_header(content_type)
    if media != b"multipart/form-data" or b"boundary" not in params:
        raise _bad_form("it was not sent as a file upload form (multipart/form-data)")
    form = ReceivedForm()
    part = _Part()
    header_name = bytearray()
    header_value = bytearray()
    checked = before_first_file is None

    def on_part_begin() -> None:
        nonlocal part
        part = _Part()

    def on_header_field(data: bytes, start: int, end: int) -> None:
        header_name.extend(data[start:end])

    def on_header_value(data: bytes, start: int, end: int) -> None:
        header_value.extend(data[start:end])

    def on_header_end() -> None:
        part.headers[bytes(header_name).lower()] = bytes(header_value)
        header_name.clear()
        header_value.clear()

    def on_headers_finished() -> None:
        nonlocal checked
        _, options = parse_options_header(part.headers.get(b"content-disposition", b""))
        part.name = options.get(b"name", b"").decode("utf-8", "replace")
        raw_filename = options.get(b"filename")
        if raw_filename is None:
            if len(form.fields) >= MAX_FIELDS:
                raise _bad_form("too many form fields")
            return
        part.filename = raw_filename.decode("utf-8", "replace")
        if part.name != file_field or not part.filename:
            return  # an empty file input, or a file under another name: ignored
        if not checked:
            assert before_first_file is not None
            before_first_file(dict(form.fields))
            checked = True
        if len(form.files) >= MAX_FILES:
            raise _bad_form(f"more than {MAX_FILES} files")
        part.path, part.shown_name = folder.new_file(part.filename)
        part.sink = part.path.open("wb")

    def on_part_data(data: bytes, start: int, end: int) -> None:
        if part.sink is not None:
            part.sink.write(data[start:end])
        elif part.filename is None:
            if len(part.data) + (end - start) > MAX_FIELD_BYTES:
                raise _bad_form(f"the field '{part.name}' is too long")
            part.data.extend(data[start:end])

    def on_part_end() -> None:
        if part.sink is not None:
            part.sink.close()
            assert part.path is not None
            form.files.append(UploadedFile(path=part.path, original_name=part.shown_name))
        elif part.filename is None and part.name:
            form.fields[part.name] = part.data.decode("utf-8", "replace")

    parser = MultipartParser(
        params[b"boundary"],
        {
            "on_part_begin": on_part_begin,
            "on_part_data": on_part_data,
            "on_part_end": on_part_end,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_headers_finished": on_headers_finished,
        },
    )
    try:
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
    except FormParserError as exc:
        raise _bad_form("the form data is malformed") from exc
    except OSError as exc:  # writing a part to disk failed
        reraise_disk_error(exc)
    finally:
        if part.sink is not None and not part.sink.closed:
            with contextlib.suppress(OSError):  # the error on its way out says more
                part.sink.close()
    if not checked:
        assert before_first_file is not None
        before_first_file(dict(form.fields))
    return form


async def receive_body(request: Request, path: Path) -> int:
    """Stream a raw request body into ``path``; returns its size in bytes."""
    size = 0
    try:
        with path.open("wb") as sink:
            async for chunk in request.stream():
                sink.write(chunk)
                size += len(chunk)
    except OSError as exc:
        reraise_disk_error(exc)
    return size
