"""The server's queries on a remote store, run as the embedded store's workers run them."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import httpx2
from pyoxigraph import NamedNode, QueryResultsFormat, RdfFormat, parse, parse_query_results

from occugraph.query.workers import (
    SERVICE_REFUSED,
    Admission,
    Answer,
    Job,
    Load,
    NotAcceptableError,
    QueryFailedError,
    QueryTimeoutError,
    write_answer,
)
from occugraph.sparql_text import calls_service, names_dataset
from occugraph.store.remote import (
    N_TRIPLES,
    RESULTS_JSON,
    RemoteStore,
    accept,
    bind_values,
    conformed,
    reason,
    status_line,
)

RELATIVE_IRI = re.compile(r"<(?![A-Za-z][A-Za-z0-9+.-]*:)[^<>\"{}|^`\\\x00-\x20]*>")
"""An IRI reference without a scheme (or a ``<`` comparison that looks like one)."""


class RemotePool:
    """Runs the server's jobs on the remote store, as ``QueryPool`` runs them in workers.

    The answer comes back as SPARQL JSON or N-Triples and is written out by the same
    writers as the workers' answers (the same formats, the same row cap). At most
    ``size`` queries are in flight to the store, as many as the embedded server has
    workers. The time limit is passed on where the layout has a parameter for it, and
    enforced here always: a request past it is abandoned and the client gets 503.
    """

    def __init__(
        self,
        remote: RemoteStore,
        *,
        size: int = 2,
        time_limit: float = 10.0,
        max_waiting: int = 1000,
    ) -> None:
        self.remote = remote
        self.time_limit = time_limit
        self.slots = asyncio.Semaphore(size)
        self.admission = Admission(size, max_waiting)
        self.spool = Path(tempfile.mkdtemp(prefix="occugraph-spool-"))
        self._client: httpx2.AsyncClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _async_client(self) -> httpx2.AsyncClient:
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:  # connections belong to one loop
            self._client = httpx2.AsyncClient(timeout=None)
            self._loop = loop
        return self._client

    def form(self, job: Job) -> dict[str, str | list[str]]:
        """The protocol's form fields for a job: the bound query and its dataset."""
        query = bind_values(job.query, job.substitutions)
        if job.base_iri is not None and RELATIVE_IRI.search(job.query):
            # Relative IRIs resolve against this server's endpoint, not the store's. Only
            # then: the extra line would shift the line numbers of the store's errors.
            query = f"BASE {NamedNode(job.base_iri)}\n{query}"
        fields: dict[str, str | list[str]] = {"query": query}
        if job.default_graph is not None or job.named_graphs is not None:
            fields["default-graph-uri"] = list(job.default_graph or ())
            fields["named-graph-uri"] = list(job.named_graphs or ())
        elif not names_dataset(job.query):
            fields.update(self.remote.layout.union)
        fields.update(self.remote.layout.time_limit(self.time_limit))
        return fields

    def load(self) -> Load:
        return self.admission.load()

    async def run(self, job: Job) -> Answer:
        url = self.remote.endpoint("query")
        if job.screened and await asyncio.to_thread(calls_service, job.query):
            raise QueryFailedError(400, SERVICE_REFUSED)
        with self.admission.queued():
            await self.slots.acquire()
        try:
            with self.admission.running():  # the wait for a slot is not timed
                async with asyncio.timeout(self.time_limit):
                    raw, media_type = await self._fetch(url, self.form(job), job.query)
        except TimeoutError:
            raise QueryTimeoutError(
                f"the query ran past the time limit of {self.time_limit:g} s and was abandoned"
            ) from None
        finally:
            self.slots.release()
        try:
            return await asyncio.to_thread(self._answer, raw, media_type, job)
        except NotAcceptableError as error:
            raise QueryFailedError(406, str(error)) from None
        except (SyntaxError, ValueError) as error:
            raise QueryFailedError(502, f"the store answered badly: {error}") from None
        finally:
            raw.unlink(missing_ok=True)

    async def _fetch(
        self, url: str, form: dict[str, str | list[str]], query: str
    ) -> tuple[Path, str]:
        """POST the query and spool the store's answer to a file."""
        headers = {"Accept": accept(query)}
        handle, name = tempfile.mkstemp(dir=self.spool, prefix="remote-")
        try:
            with os.fdopen(handle, "wb") as out:
                async with self._async_client().stream(
                    "POST", url, data=form, headers=headers
                ) as response:
                    if response.status_code >= 400:  # said to a client: not the store's URL
                        await response.aread()
                        status = 400 if response.status_code == 400 else 502
                        raise QueryFailedError(
                            status, f"the store answered {status_line(response)}"
                        )
                    if self.remote.layout.cut_short_in(response.headers):
                        raise QueryTimeoutError(
                            f"the query ran past the time limit of {self.time_limit:g} s "
                            "and was stopped by the store"
                        )
                    async for chunk in response.aiter_bytes():
                        out.write(chunk)
        except BaseException as error:
            Path(name).unlink(missing_ok=True)
            if isinstance(error, httpx2.TransportError):
                raise QueryFailedError(502, f"cannot reach the store ({reason(error)})") from None
            raise
        media_type = response.headers.get("content-type", "").split(";")[0].strip()
        return Path(name), media_type

    def _answer(self, raw: Path, media_type: str, job: Job) -> Answer:
        if media_type == N_TRIPLES:
            triples = (quad.triple for quad in parse(path=raw, format=RdfFormat.N_TRIPLES))
            return write_answer(triples, job, self.spool)
        if media_type != RESULTS_JSON:
            raise ValueError(f"unexpected {media_type or 'untyped'} answer")
        if self.remote.layout.virtuoso_json:
            conform(raw, self.remote.layout.conform)
        return write_answer(
            conformed(parse_query_results(path=raw, format=QueryResultsFormat.JSON)),
            job,
            self.spool,
        )

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def close(self) -> None:
        """Remove the spool (the client's connections close with the server's event loop)."""
        shutil.rmtree(self.spool, ignore_errors=True)


def conform(raw: Path, conform: Callable[[bytes], bytes]) -> None:
    """Rewrite a spooled JSON answer as SPARQL 1.1 writes it, line by line (Virtuoso
    writes one solution a line), so a long answer is never held whole."""
    fixed = raw.with_suffix(".relabelled")
    with raw.open("rb") as source, fixed.open("wb") as out:
        for line in source:
            out.write(conform(line))
    fixed.replace(raw)
