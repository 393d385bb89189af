"""The query pool: answers through the pipe or a spool file, time limits that really stop a
query, and answers matched to their jobs."""

from __future__ import annotations

import asyncio
import json
import time
from multiprocessing.connection import Connection
from pathlib import Path

import pytest

from occugraph.query import workers
from occugraph.query.workers import Job, QueryFailedError, QueryPool, QueryTimeoutError
from occugraph.store.embedded import current_build

PATHOLOGICAL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
LEVELS = """PREFIX occ: <https://graph.org.ai/ontology#>
SELECT ?level WHERE { ?level a occ:ProficiencyLevel } ORDER BY ?level"""
GO = "https://graph.org.ai/"
ORDER = ["Advanced", "Developing", "Emerging", "Proficient"]


@pytest.fixture(scope="module")
def store_dir(seeds_link: Path) -> Path:
    build = current_build(seeds_link)
    assert build is not None
    return build / "oxigraph"


def test_answers_are_written_in_the_asked_format(store_dir: Path) -> None:
    async def scenario() -> None:
        pool = QueryPool(store_dir, size=1, time_limit=30)
        try:
            answer = await pool.run(Job(LEVELS, solution_format="json"))
            data = json.loads(answer.read())
            assert [b["level"]["value"].rsplit("/", 1)[1] for b in data["results"]["bindings"]] == [
                "Advanced",
                "Developing",
                "Emerging",
                "Proficient",
            ]
            assert (answer.form, answer.rows, answer.truncated) == ("solutions", 4, False)
            capped = await pool.run(Job(LEVELS, solution_format="csv", max_rows=3))
            assert (capped.rows, capped.truncated) == (3, True)
            assert len(capped.read().splitlines()) == 4  # header + 3
            with pytest.raises(QueryFailedError, match="syntax"):
                await pool.run(Job("SELECT ?x WHERE {"))
        finally:
            pool.close()

    asyncio.run(scenario())


def test_a_query_past_its_limit_is_stopped_while_others_are_answered(store_dir: Path) -> None:
    async def scenario() -> tuple[float, list[int]]:
        pool = QueryPool(store_dir, size=2, time_limit=2.0)
        try:
            # Let both workers start before timing anything.
            await asyncio.gather(pool.run(Job(LEVELS)), pool.run(Job(LEVELS)))
            started = time.perf_counter()
            slow = asyncio.create_task(pool.run(Job(PATHOLOGICAL)))
            answered = []
            while not slow.done():
                answer = await pool.run(Job(LEVELS))
                answered.append(answer.rows)
                await asyncio.sleep(0.05)
            with pytest.raises(QueryTimeoutError, match="time limit of 2 s"):
                await slow
            stopped_after = time.perf_counter() - started
            # The killed worker was replaced: two queries still run side by side.
            await asyncio.gather(pool.run(Job(LEVELS)), pool.run(Job(LEVELS)))
            assert len(pool.workers) == 2
            return stopped_after, answered
        finally:
            pool.close()

    stopped_after, answered = asyncio.run(scenario())
    assert 2.0 <= stopped_after < 10
    assert len(answered) >= 5 and set(answered) == {4}


def _chatty_serve(store_dir: str, spool: str, conn: Connection) -> None:
    """A worker that sends its first answer twice, as a confused worker might."""

    class Chatty:
        sent = 0

        def send(self, message: object) -> None:
            conn.send(message)
            self.sent += 1
            if self.sent == 2:  # the first answer, after "ready"
                conn.send(message)

        def recv(self) -> object:
            return conn.recv()

    workers._serve(store_dir, spool, Chatty())  # type: ignore[arg-type]


def test_a_stray_answer_replaces_its_worker_and_shifts_no_answer(
    store_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workers, "_serve", _chatty_serve)
    count_levels = LEVELS.replace("SELECT ?level", "SELECT (COUNT(*) AS ?n)").replace(
        " ORDER BY ?level", ""
    )

    async def scenario() -> None:
        pool = QueryPool(store_dir, size=1, time_limit=30)
        try:
            first = await pool.run(Job(LEVELS, solution_format="csv"))
            assert first.read().decode().split() == ["level", *(f"{GO}levels/{n}" for n in ORDER)]
            (worker,) = pool.workers
            with pytest.raises(QueryFailedError, match="out of turn") as failed:
                await pool.run(Job(count_levels, solution_format="csv"))
            assert failed.value.status == 500
            assert not worker.process.is_alive() and worker not in pool.workers
            # The replacement answers each job with its own answer.
            counted = await pool.run(Job(count_levels, solution_format="csv"))
            assert counted.read().decode().split() == ["n", "4"]
        finally:
            pool.close()

    asyncio.run(scenario())


def test_big_answers_go_through_a_spool_file_and_small_ones_through_the_pipe(
    store_dir: Path,
) -> None:
    everything = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"

    async def scenario() -> None:
        pool = QueryPool(store_dir, size=1, time_limit=30)
        try:
            small = await pool.run(Job(LEVELS, solution_format="csv"))
            big = await pool.run(Job(everything, solution_format="csv", max_rows=20_000))
            assert small.path is None and small.body is not None
            assert big.path is not None and Path(big.path).stat().st_size > workers.INLINE_LIMIT
            assert (big.rows, big.truncated) == (20_000, True)
            assert len(big.read().splitlines()) == 20_001
            assert not Path(big.path).exists()
            assert list(pool.spool.iterdir()) == []
        finally:
            pool.close()

    asyncio.run(scenario())


@pytest.mark.parametrize("format", ["json", "xml", "tsv", "csv"])
def test_an_answer_kept_under_the_cap_by_its_own_limit_is_written_whole_and_counted(
    tmp_path: Path, format: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under its cap, Oxigraph's own writer writes the answer; the solutions are still
    counted right, whatever the values hold (markup, quotes, newlines)."""
    from pyoxigraph import Literal, NamedNode, Quad, Store

    store = Store()
    tricky = ["<result>a</result>", 'say "hi"\nthere', "tab\there", "},{", "plain"]
    for number, text in enumerate(tricky):
        store.add(Quad(NamedNode(f"{GO}s{number}"), NamedNode(f"{GO}p"), Literal(text)))
    query = f"SELECT ?s ?o WHERE {{ ?s <{GO}p> ?o }} ORDER BY ?s LIMIT 4"
    if format != "csv":  # CSV's rows cannot be told from its lines: always written here
        monkeypatch.setattr(workers, "write_solutions", not_this_writer)
    under = workers.execute(store, Job(query, solution_format=format, max_rows=4), tmp_path)
    assert (under.rows, under.truncated) == (4, False)
    monkeypatch.undo()
    over = workers.execute(store, Job(query, solution_format=format, max_rows=3), tmp_path)
    assert (over.rows, over.truncated) == (3, True)
    if format == "json":
        values = [b["o"]["value"] for b in json.loads(under.read())["results"]["bindings"]]
        assert values == tricky[:4]


def not_this_writer(*args: object, **kwargs: object) -> tuple[int, bool]:
    raise AssertionError("the answer was written solution by solution")
