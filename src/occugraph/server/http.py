"""What every view shares about HTTP: templates, streamed answers, the one error shape,
the body limit and the update token's check. It imports no view.

Errors are ``HTTPException``s rendered once, as JSON or as an HTML page, like Datasette's;
an ``OccugraphError`` a view lets through becomes the status it deserves.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from occugraph import files
from occugraph.store.embedded import StoreBusyError, StoreFullError

TEMPLATES = Jinja2Templates(directory=str(files.TEMPLATES))
CHUNK = 64 * 1024
LOG = logging.getLogger("uvicorn.error")


def spooled(path: str, media_type: str, headers: dict[str, str] | None = None) -> Response:
    """Stream an answer from its spool file in chunks, deleting the file once sent."""

    async def chunks() -> AsyncIterator[bytes]:
        try:
            with open(path, "rb") as handle:
                while chunk := handle.read(CHUNK):
                    yield chunk
        finally:
            Path(path).unlink(missing_ok=True)

    return StreamingResponse(chunks(), media_type=media_type, headers=headers)


def wants_html(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "text/html" in accept and "json" not in request.url.path


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    body = {"ok": False, "status": exc.status_code, "error": exc.detail}
    headers = dict(exc.headers or {})
    if wants_html(request):
        return TEMPLATES.TemplateResponse(
            request, "error.html", {"error": body}, status_code=exc.status_code, headers=headers
        )
    return JSONResponse(body, status_code=exc.status_code, headers=headers)


async def client_gone(request: Request, exc: Exception) -> Response:
    """A client that left before its answer (mid-body, or while its query ran) is one line
    in the log, not a traceback; the answer goes nowhere."""
    LOG.info("%s %s: the client went away before its answer", request.method, request.url.path)
    return Response(status_code=499)


async def occugraph_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, StoreBusyError):
        return await http_error(request, HTTPException(503, str(exc), {"Retry-After": "1"}))
    if isinstance(exc, StoreFullError):
        return await http_error(request, HTTPException(507, str(exc)))
    return await http_error(request, HTTPException(400, str(exc)))


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413: at once when Content-Length
    says so, else as soon as the streamed body passes the limit."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_large = HTTPException(
            413, f"the request body is larger than this server takes ({self.limit} bytes)"
        )
        length = dict(scope["headers"]).get(b"content-length", b"0")
        if length.isdigit() and int(length) > self.limit:
            body = {"ok": False, "status": 413, "error": too_large.detail}
            await JSONResponse(body, status_code=413)(scope, receive, send)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise too_large
            return message

        await self.app(scope, limited, send)


def same_token(given: str | None, expected: str | None) -> bool:
    """Compared as bytes: ``compare_digest`` refuses non-ASCII text, and a header holds
    any bytes (Starlette decodes them as Latin-1, so a UTF-8 token arrives that way).

    >>> same_token("s3cret", "s3cret"), same_token("\xff\xfe", "s3cret"), same_token("", "")
    (True, False, False)
    >>> same_token("caf\xc3\xa9", "caf\xe9"), same_token("\u20ac", "x")
    (True, False)
    """
    return bool(given and expected and secrets.compare_digest(_raw(given), expected.encode()))


def _raw(header: str) -> bytes:
    try:
        return header.encode("latin-1")
    except UnicodeEncodeError:
        return header.encode()
