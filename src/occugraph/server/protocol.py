"""uvicorn's HTTP/1.1 protocol (httptools) with deadlines for each request's head and body.

uvicorn alone keeps a connection that has sent nothing, or sends its headers or its body
a byte at a time, forever; hostile clients meet these limits before the app does. The
head's deadline counts from the connection or from the previous answer, the body's from
the end of the head; once the whole request is in, the app's own time limits apply.
"""

from __future__ import annotations

import asyncio
import json


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


def guarded_http(head_timeout: float, body_timeout: float) -> type[asyncio.Protocol]:
    """The protocol class for ``uvicorn.run(http=...)`` with these two deadlines (seconds)."""
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

        def data_received(self, data: bytes) -> None:
            self.heard = True
            super().data_received(data)

        def on_headers_complete(self) -> None:
            super().on_headers_complete()
            self.arm(body_timeout, TOO_SLOW_BODY)  # disarmed at once if there is no body

        def on_message_complete(self) -> None:
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
