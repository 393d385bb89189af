"""The query pool: answers in spool files, time limits that really stop a query."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import pytest

from occugraph.build import BuildReport
from occugraph.store import current_build
from occugraph.workers import Job, QueryFailedError, QueryPool, QueryTimeoutError

PATHOLOGICAL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
LEVELS = """PREFIX occ: <https://graph.org.ai/ontology#>
SELECT ?level WHERE { ?level a occ:ProficiencyLevel } ORDER BY ?level"""


@pytest.fixture(scope="module")
def store_dir(seeds_build: tuple[BuildReport, object]) -> Path:
    build = current_build(Path(seeds_build[0].store))
    assert build is not None
    return build / "oxigraph"


def test_answers_are_written_in_the_asked_format(store_dir: Path) -> None:
    async def scenario() -> None:
        pool = QueryPool(store_dir, size=1, time_limit=30)
        try:
            answer = await pool.run(Job(LEVELS, solution_format="json"))
            data = json.loads(Path(answer.path).read_text())
            assert [b["level"]["value"].rsplit("/", 1)[1] for b in data["results"]["bindings"]] == [
                "Advanced",
                "Developing",
                "Emerging",
                "Proficient",
            ]
            assert (answer.form, answer.rows, answer.truncated) == ("solutions", 4, False)
            capped = await pool.run(Job(LEVELS, solution_format="csv", max_rows=3))
            assert (capped.rows, capped.truncated) == (3, True)
            assert len(Path(capped.path).read_text().splitlines()) == 4  # header + 3
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
