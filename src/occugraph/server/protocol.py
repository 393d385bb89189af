"""uvicorn's HTTP/1.1 protocol (httptools) with deadlines for each request's head and body.

uvicorn alone keeps a connection that has sent nothing, or sends its headers or its body
a byte at a time, forever; hostile clients meet these limits before the app does. The
head's deadline counts from the connection or from the previous answer, the body's from
the end of the head; once the whole request is in, the app's own time limits apply.

A request asking to upgrade to HTTP/2 in clear text (``Upgrade: h2c``) is answered over
HTTP/1.1 without the two warnings uvicorn logs for an upgrade it does not support.
"""

from __future__ import annotations

import asyncio
import json
import re


def _timed_out(what: str) -> bytes:
    body = json.dumps(
        {"ok": False, "status": 408, "error": f"the request's {what} came too slowly"}
    )
    return (
        b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\n"
        + f"connection: close\r\ncontent-length: {len(body)}\r\n\r\n{body}".encode()
    )


TOO_SLOW_HEAD = _timed_out("headers")
TOO_SLOW_BODY = _timed_out("body")


_H2C = re.compile(rb"\r\nupgrade:[ \t]*h2c[ \t]*\r\n", re.IGNORECASE)


def _without_h2c(data: bytes) -> bytes:
    r"""The head in ``data`` with an ``Upgrade: h2c`` header renamed, so that httptools
    parses the request (and its body) as plain HTTP/1.1 instead of stopping at the upgrade.

    >>> _without_h2c(b"POST / HTTP/1.1\r\nUpgrade: h2c\r\n\r\nUpgrade: h2c\r\n")
    b'POST / HTTP/1.1\r\nX-Declined-Upgrade: h2c\r\n\r\nUpgrade: h2c\r\n'
    """
    head, end, rest = data.partition(b"\r\n\r\n")
    return _H2C.sub(b"\r\nX-Declined-Upgrade: h2c\r\n", head + b"\r\n")[:-2] + end + rest


def guarded_http(head_timeout: float, body_timeout: float) -> type[asyncio.Protocol]:
    """The protocol class for ``uvicorn.run(http=...)`` with these two deadlines (seconds)."""
    import httptools
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    class GuardedHttpToolsProtocol(HttpToolsProtocol):
        timer: asyncio.TimerHandle | None = None
        heard = False
        """Whether any of the next request has arrived since the last answer."""

        def arm(self, seconds: float, answer: bytes) -> None:
            self.disarm()
            self.timer = self.loop.call_later(seconds, self.too_slow, answer)

        def disarm(self) -> None:
            if self.timer is not None:
                self.timer.cancel()
                self.timer = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self.arm(head_timeout, TOO_SLOW_HEAD)

        in_head = True
        """Whether the bytes arriving are a request's head (not yet its body)."""

        def data_received(self, data: bytes) -> None:
            self.heard = True
            if self.in_head and b"h2c" in data:
                data = _without_h2c(data)
            super().data_received(data)

        def on_headers_complete(self) -> None:
            self.in_head = False
            super().on_headers_complete()
            self.arm(body_timeout, TOO_SLOW_BODY)  # disarmed at once if there is no body

        def on_message_complete(self) -> None:
            self.in_head = True
            super().on_message_complete()
            self.disarm()

        def on_response_complete(self) -> None:
            queued = bool(self.pipeline)  # a pipelined request already in: no deadline for it
            self.heard = False
            super().on_response_complete()
            if not queued and not self.transport.is_closing():
                self.arm(head_timeout, TOO_SLOW_HEAD)

        def connection_lost(self, exc: Exception | None) -> None:
            self.disarm()
            super().connection_lost(exc)

        def _unsupported_upgrade_warning(self) -> None:
            """``Upgrade: h2c`` (Java's HTTP client asks it on every new connection) is
            declined quietly, as RFC 9110 section 7.8 lets a server do. Its ``Upgrade``
            header is renamed before the parser sees it (:func:`_without_h2c`); one that
            gets through all the same (a head split inside that header) stopped the
            parser, which is replaced so the connection goes on serving HTTP/1.1."""
            if self._get_upgrade() != b"h2c":
                super()._unsupported_upgrade_warning()
                return
            self.parser = httptools.HttpRequestParser(self)

        def too_slow(self, answer: bytes) -> None:
            self.timer = None
            if self.transport.is_closing():
                return
            idle = self.cycle is None or self.cycle.response_complete
            waiting_for_body = not idle and not self.cycle.response_started
            if (idle and self.heard) or waiting_for_body:
                self.transport.write(answer)
            if waiting_for_body:
                self.cycle.disconnected = True  # the app reading the body is told at once
                self.cycle.message_event.set()
            self.transport.close()

    return GuardedHttpToolsProtocol
