"""The server's settings, in one table: the command line makes an option of each (with its
default and help) and the app reads them, as Datasette's settings table does.

>>> Settings().time_limit, Settings(workers=8).workers
(10.0, 8)
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Settings(BaseModel):
    """How ``occugraph serve`` runs queries and guards itself."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    workers: int = Field(
        4,
        ge=1,
        le=64,
        description="Query worker processes. Twice the cores keeps them all busy: a worker "
        "waits on its pipe between queries.",
    )
    time_limit: float = Field(
        10.0, ge=0.1, description="Seconds a query may run before it is stopped (503)."
    )
    max_waiting: int = Field(
        1000,
        ge=0,
        description="Queries that may wait for a busy worker (a page runs several); more are "
        "refused at once (503 with Retry-After) and /health reports the server saturated.",
    )
    max_query_memory: int = Field(
        2048,
        ge=64,
        description="MiB of memory a query's worker may take for itself; a query that needs "
        "more is stopped (503).",
    )
    max_rows: int = Field(
        10_000,
        ge=1,
        description="Rows a query answer may hold; larger answers are cut and flagged.",
    )
    max_body: int = Field(
        16 * 1024 * 1024,
        ge=1,
        description="Bytes a request body may hold (queries, updates, Graph Store uploads); "
        "larger ones get 413.",
    )
    head_timeout: float = Field(
        10.0,
        ge=0.1,
        description="Seconds a client has to send a request's headers, after connecting or "
        "after the previous answer; slower connections are closed.",
    )
    body_timeout: float = Field(
        30.0,
        ge=0.1,
        description="Seconds a client has to send a request's body once its headers are in; "
        "slower ones get 408 and are closed.",
    )
    update_token: str | None = Field(
        None,
        description="Accept SPARQL Update and Graph Store writes carrying this bearer token "
        "(or $OCCUGRAPH_UPDATE_TOKEN). Without it the server is read-only.",
    )
    queries: tuple[Path, ...] = Field(
        (),
        description="A folder of saved queries (.rq) to offer besides occugraph's own; "
        "repeat for several. A query there replaces occugraph's own of the same name.",
    )
    public_url: str | None = Field(
        None,
        description="The server's public base URL (e.g. https://data.example.org/), used for "
        "the absolute URLs it writes: redirects' Location, the SPARQL endpoint's base IRI, "
        "the service description and saved query links. Without it redirects are paths on "
        "whatever host the client asked, and other URLs follow the request.",
    )

    @field_validator("public_url")
    @classmethod
    def _public_base(cls, url: str | None) -> str | None:
        """An http(s) URL with a host and no query, user or fragment, ending in ``/``.

        >>> Settings(public_url="https://data.example.org/graph").public_url
        'https://data.example.org/graph/'
        """
        if url is None:
            return None
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("give an http:// or https:// URL, such as https://data.example.org/")
        if parts.query or parts.fragment or "@" in parts.netloc or "?" in url or "#" in url:
            raise ValueError("a base URL holds no user, query or fragment")
        if not url.isascii() or any(c.isspace() or ord(c) < 0x20 or ord(c) == 0x7F for c in url):
            raise ValueError("give the URL in ASCII (xn-- for an international host), no spaces")
        return url if url.endswith("/") else url + "/"

    ENVIRONMENT: ClassVar[dict[str, str]] = {"update_token": "OCCUGRAPH_UPDATE_TOKEN"}
    """Settings also read from the environment (a token given there stays out of ``ps``)."""
    SECRET: ClassVar[frozenset[str]] = frozenset({"update_token"})
    """Settings whose value is never shown (no default is printed in ``--help``)."""
