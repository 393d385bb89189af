"""Whole answers kept per build, sent again without running the app.

A build never changes, so an answer that is a pure function of the build and of the
request (a dereferenced IRI, a saved query with the same parameters) is the same every
time it is asked for. The view that makes such an answer marks it (:func:`keep_answer`);
this middleware, first in line, keeps it by build and by what in the request can change
it (path and query, ``Accept``, ``Origin``, ``Host``), and answers the same request
again from memory: no routing, no view, no worker. A new build starts an empty cache.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from occugraph.server.graph import Kept, KeptResponse, ResponseKey, ServedGraph

_VARYING = (b"accept", b"origin", b"host")
"""Request headers an answer may depend on: negotiation, CORS, absolute links."""
_BYPASS = frozenset((b"if-none-match", b"if-modified-since", b"authorization", b"range"))
"""Request headers that ask for something else than the kept answer."""


def keep_answer(request: Request) -> None:
    """Mark this request's answer as a pure function of the build and the request."""
    request.state.keep_answer = True


def _key(scope: Scope) -> ResponseKey | None:
    varying: dict[bytes, bytes] = {}
    for name, value in scope["headers"]:
        if name in _BYPASS:
            return None
        if name in _VARYING:
            if name in varying:  # a header given twice: not worth telling apart
                return None
            varying[name] = value
    raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
    return raw_path, scope["query_string"], tuple(varying.get(n, b"") for n in _VARYING)


class AnswerCache:
    """The middleware: kept answers out, answers marked by their view in."""

    def __init__(self, app: ASGIApp, graph: ServedGraph) -> None:
        self.app = app
        self.graph = graph

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = _key(scope) if scope["type"] == "http" and scope["method"] == "GET" else None
        answers = self._answers() if key is not None else None
        if key is None or answers is None:
            await self.app(scope, receive, send)
            return
        kept = answers.answers.get(key)
        if kept is not None:
            start = {"type": "http.response.start", "status": kept.status, "headers": kept.headers}
            await send(start)
            await send({"type": "http.response.body", "body": kept.body})
            return
        started: Message | None = None
        body: list[bytes] | None = []

        async def keeping(message: Message) -> None:
            nonlocal started, body
            if message["type"] == "http.response.start":
                started = message
            elif message["type"] == "http.response.body" and body is not None:
                body.append(message.get("body", b""))
                if message.get("more_body", False) and len(body) > 16:
                    body = None  # streamed at length: not kept
            await send(message)

        await self.app(scope, receive, keeping)
        marked = (scope.get("state") or {}).get("keep_answer", False)
        if marked and started is not None and body is not None and started["status"] == 200:
            headers = list(started.get("headers", []))
            answers.keep(key, KeptResponse(200, headers, b"".join(body)))

    def _answers(self) -> Kept[ResponseKey, KeptResponse] | None:
        """The current build's kept answers; None for a remote store or before a build."""
        if self.graph.remote is not None:
            return None
        try:
            self.graph.build_id  # noqa: B018 -- follows the link to the current build
        except HTTPException:
            return None
        return self.graph.cache.responses
