"""A build killed with SIGKILL at any moment leaves a store that opens, old or new, never half."""

from __future__ import annotations

import csv
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from occugraph.build import build
from occugraph.store import current_build, open_read_only
from tests.conftest import ROOT, SEEDS, select

PAGES = 300
TRIALS = 6


def write_onet_pages(folder: Path, count: int) -> None:
    """Real O*NET occupations as onet-page documents: enough work for a kill to land in."""
    folder.mkdir(parents=True)
    with (ROOT / "data/onet/Occupation Data.txt").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))[:count]
    for row in rows:
        description = row["Description"].replace('"', "'")
        (folder / f"{row['O*NET-SOC Code']}.md").write_text(
            f'---\ncode: {row["O*NET-SOC Code"]}\ntitle: "{row["Title"]}"\n'
            f'description: "{description}"\n---\n# {row["Title"]}\n\n## Tasks\n\n'
            f'<Tasks occupation="x"></Tasks>\n'
        )


def graphs(link: Path) -> int:
    rows = select(
        open_read_only(link),
        """SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE {
        GRAPH ?g { ?g a occ:SourceDocument } }""",
    )
    return int(rows[0][0] or 0)


def test_killed_builds_leave_the_old_or_the_new_store(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    write_onet_pages(pages, PAGES)
    link = tmp_path / "store"
    build([SEEDS], store=link)
    seeds_only = current_build(link)
    command = [
        sys.executable,
        "-m",
        "occugraph.cli",
        "build",
        str(SEEDS),
        str(pages),
        "--store",
        str(link),
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    full_time = time.perf_counter() - started
    full_graphs = graphs(link)
    assert full_graphs == PAGES + 5

    outcomes = set()
    chance = random.Random(7)
    for _ in range(TRIALS):
        # Go back to the seeds-only store, then kill a full build part-way.
        build([SEEDS], store=link)
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(chance.uniform(0.05, full_time))
        process.send_signal(signal.SIGKILL)
        process.wait()
        count = graphs(link)  # the store opens, whatever moment the kill hit
        assert count in (5, full_graphs)
        outcomes.add(count)
    assert current_build(link) != seeds_only or outcomes == {5}
    finished = build([SEEDS, pages], store=link)
    clean = build([SEEDS, pages], store=tmp_path / "clean")
    assert finished.triples == clean.triples
    assert graphs(link) == full_graphs
