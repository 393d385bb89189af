"""uvicorn's HTTP/1.1 protocol with a deadline for each request's head.

uvicorn alone keeps a connection that has sent nothing, or sends its headers a byte at
a time, forever; hostile clients meet this limit before the app does.
"""

from __future__ import annotations

import asyncio
import json

_TOO_SLOW_BODY = json.dumps(
    {"ok": False, "status": 408, "error": "the request's headers came too slowly"}
).encode()
TOO_SLOW = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\nconnection: close\r\n"
    + f"content-length: {len(_TOO_SLOW_BODY)}\r\n\r\n".encode()
    + _TOO_SLOW_BODY
)


def guarded_http(head_timeout: float) -> type[asyncio.Protocol]:
    """uvicorn's h11 protocol with a deadline of ``head_timeout`` seconds for a request's
    head, counted from the connection or from the previous answer. uvicorn alone keeps a
    connection that has sent nothing, or sends its headers a byte at a time, forever."""
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class GuardedH11Protocol(H11Protocol):
        head_timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self.arm()

        def arm(self) -> None:
            self.disarm()
            self.head_timer = self.loop.call_later(head_timeout, self.too_slow)

        def disarm(self) -> None:
            if self.head_timer is not None:
                self.head_timer.cancel()
                self.head_timer = None

        def handle_events(self) -> None:
            super().handle_events()
            if self.cycle is not None and not self.cycle.response_complete:
                self.disarm()  # a request arrived: the app's own time limits apply

        def on_response_complete(self) -> None:
            if not self.transport.is_closing():
                self.arm()
            super().on_response_complete()

        def connection_lost(self, exc: Exception | None) -> None:
            self.disarm()
            super().connection_lost(exc)

        def too_slow(self) -> None:
            self.head_timer = None
            if self.transport.is_closing():
                return
            if self.conn.their_state is h11.IDLE and self.conn.trailing_data[0]:
                self.transport.write(TOO_SLOW)  # h11 sends nothing before a request's head
            self.transport.close()

    return GuardedH11Protocol
