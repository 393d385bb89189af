"""Build a 1,016-occupation corpus (about 5,000 documents) and time what matters at scale.

.venv/bin/python benchmarks/build_scale.py [--corpus DIR] [--runs 3] [--occupations 1016]

Without --corpus, benchmarks/make_corpus.py writes the corpus into a temporary
folder. Each run, side by side on one machine:

- full build: `occugraph build` into an empty store, run as a child process whose
  peak memory is read from getrusage(RUSAGE_CHILDREN) (the largest process, pool
  workers included) and sampled from /proc (the whole process tree, RSS and PSS);
- bulk load: the same statements exported as N-Quads and loaded by Oxigraph's own
  `Store.bulk_load` into an empty store, in a child process: the floor a build
  can approach; the ratio is full build / bulk load within the run;
- rebuild, nothing changed;
- rebuild, one document changed (a career article gains a paragraph);
- rebuild, one document added (another NOC profile for an occupation, teaching the
  corpus a new job title, so every article's mention count is checked again).

Each rebuild is measured twice: as the `occugraph build` command (its wall time,
and the time its summary line reports, without interpreter start-up and imports),
and as a call of build() in a fresh process (wall and CPU time of the call; the
CPU time depends least on what else the machine runs). The changed and added
cases apply a new change before each of the two.

The first run also checks that the incremental builds left exactly the statements
a full build of the same files gives (build times and blank-node labels aside), and
that `occugraph build` shows its progress bar with documents per second on a terminal.
"""

from __future__ import annotations

import argparse
import json
import os
import pty
import re
import resource
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import RdfFormat

from occugraph.store.embedded import open_read_only

ROOT = Path(__file__).resolve().parents[1]
TIMES = ("http://www.w3.org/ns/prov#generatedAtTime", "http://www.w3.org/ns/prov#endedAtTime")
# Runs a command and prints the resources of its process tree (children waited for).
CHILD = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": time.perf_counter() - started, "code": done.returncode,
    "stdout": done.stdout, "stderr": done.stderr[-2000:], "maxrss_kb": usage.ru_maxrss,
    "cpu": usage.ru_utime + usage.ru_stime}))
"""
# Calls build() in a fresh process: its own wall and CPU time, without start-up and imports.
DRIVER = """
import json, sys, time
from pathlib import Path
from occugraph.build import build
wall, cpu = time.perf_counter(), time.process_time()
report = build([Path(sys.argv[1])], store=Path(sys.argv[2]))
print(json.dumps({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
    "written": report.written, "removed": report.removed}))
"""
BULK_LOAD = """
import sys, time
from pyoxigraph import RdfFormat, Store
store = Store(sys.argv[2])
started = time.perf_counter()
store.bulk_load(path=sys.argv[1], format=RdfFormat.N_QUADS)
store.flush()
print(f"loaded {len(store)} in {time.perf_counter() - started:.3f}s")
"""


@dataclass
class Measured:
    wall: float
    inside: float | None  # the build's own figure, from its summary
    cpu: float
    maxrss_mb: float
    tree_rss_mb: float
    tree_pss_mb: float
    stdout: str


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        todo += [int(child) for child in children]
    return found


def _memory(pids: list[int]) -> tuple[float, float]:
    rss = pss = 0.0
    for pid in pids:
        try:
            text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        for line in text.splitlines():
            if line.startswith("Rss:"):
                rss += int(line.split()[1]) / 1024
            elif line.startswith("Pss:"):
                pss += int(line.split()[1]) / 1024
    return rss, pss


def measure(command: Sequence[str]) -> Measured:
    """Run a command in a child process; its time, CPU and peak memory with its workers."""
    process = subprocess.Popen(
        [sys.executable, "-c", CHILD, *command], stdout=subprocess.PIPE, text=True
    )
    peak = [0.0, 0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            rss, pss = _memory(_tree(process.pid)[1:])  # the command, not the wrapper
            peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)
            done.wait(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    out, _ = process.communicate()
    done.set()
    sampler.join()
    result = json.loads(out)
    if result["code"] != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result['stderr']}")
    inside = re.search(r"Built .* in ([\d.]+)s", result["stdout"])
    return Measured(
        result["wall"],
        float(inside.group(1)) if inside else None,
        result["cpu"],
        result["maxrss_kb"] / 1024,
        peak[0],
        peak[1],
        result["stdout"],
    )


def call_build(documents: Path, store: Path) -> dict[str, float]:
    """build() in a fresh process: its wall and CPU time (of the build, not the interpreter)."""
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, str(documents), str(store)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(done.stdout)
    if result["written"] > 5:  # a changed occugraph source file rebuilds everything
        raise SystemExit(f"the rebuild wrote {result['written']} graphs: was the code edited?")
    return result


def occugraph(documents: Path, store: Path) -> list[str]:
    return [sys.executable, "-m", "occugraph.cli", "build", str(documents), "--store", str(store)]


def build_and_bulk_load(documents: Path, store: Path, here: Path) -> tuple[Measured, Measured]:
    """A full build into ``store``, then Oxigraph's own bulk load of what it wrote."""
    full = measure(occugraph(documents, store))
    nquads = here / "all.nq"
    open_read_only(store).dump(str(nquads), format=RdfFormat.N_QUADS)
    loaded = measure([sys.executable, "-c", BULK_LOAD, str(nquads), str(here / "bulk")])
    nquads.unlink()
    shutil.rmtree(here / "bulk")
    return full, loaded


def statements(store: Path) -> Counter[str]:
    """Every statement of a store as N-Quads text, build times left out.

    Blank nodes (the ontology's) get new labels on every load, so labels are dropped.
    """
    data = open_read_only(store).dump(format=RdfFormat.N_QUADS) or b""
    return Counter(
        re.sub(r"_:\w+", "_:", line)
        for line in data.decode().splitlines()
        if not any(t in line for t in TIMES)
    )


def change_one(documents: Path, index: list[dict[str, str]], n: int) -> Path:
    """Add a paragraph to one career article (the middle one of the index)."""
    articles = [row for row in index if row["kind"] == "career-article"]
    path = documents.parent / articles[len(articles) // 2]["file"]
    text = path.read_text()
    path.write_text(
        text.rstrip("\n")
        + f"\n\nMost employers also expect them to review safety procedures {n} times a "
        "year and to document incident reports within tight deadlines.\n"
    )
    return path


def add_one(documents: Path, index: list[dict[str, str]], n: int) -> Path:
    """Another NOC profile for one occupation (a third of the way down the index)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import make_corpus  # the generator, for one more synthetic document

    profiles = [row for row in index if row["kind"] == "noc-profile"]
    code = profiles[len(profiles) // 3]["code"]
    occupation = next(o for o in make_corpus.occupations(1016, 1) if o.code == code)
    elements = sorted(
        e.name
        for e in make_corpus.load_reference().elements
        if e.domain in ("Skill", "Ability", "Knowledge")
    )
    writer = make_corpus.Writer(occupation, 99 + n, elements)
    writer.job_titles.append(f"principal {writer.one.lower()} {n}")  # new to the corpus
    path = documents / code / f"90{n}_added.txt"
    path.write_text(make_corpus.noc_profile(writer))
    return path


def progress_bar(documents: Path, store: Path) -> str:
    """Run a build on a pseudo-terminal; what its progress bar showed."""
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "120", "TERM": "xterm"}
    process = subprocess.Popen(
        occugraph(documents, store), stdout=follower, stderr=follower, env=env
    )
    os.close(follower)
    seen = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        elif process.poll() is not None:
            break
    process.wait()
    os.close(leader)
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", seen.decode(errors="replace"))
    rates = re.findall(r"reading.*?(\d+)/(\d+)\s+(\d+) docs/s", text)
    if not rates:
        return "no progress bar seen"
    done, total, rate = rates[-1]
    return (
        f"{len(rates)} progress-bar updates seen; the last: {done}/{total} documents, {rate} docs/s"
    )


@dataclass
class Figures:
    samples: dict[str, list[float]] = field(default_factory=dict)

    def add(self, name: str, value: float | None) -> None:
        if value is not None:
            self.samples.setdefault(name, []).append(value)

    def line(self, name: str, unit: str) -> str:
        values = self.samples.get(name, [])
        if not values:
            return f"{name:58s} -"
        return (
            f"{name:58s} median {statistics.median(values):9.3f}{unit}  "
            f"(min {min(values):.3f}, max {max(values):.3f}, n={len(values)})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, help="a folder written by make_corpus.py")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--occupations", type=int, default=1016)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        corpus = args.corpus
        if corpus is None:
            corpus = work / "corpus"
            subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "benchmarks" / "make_corpus.py"),
                    "--occupations",
                    str(args.occupations),
                    "--out",
                    str(corpus),
                ],
                check=True,
            )
        index = [
            dict(zip(("file", "kind", "code"), line.split("\t"), strict=True))
            for line in (corpus / "index.tsv").read_text().splitlines()[1:]
        ]
        print(f"corpus {corpus}: {len(index)} documents; load average {os.getloadavg()[0]:.1f}")
        figures = Figures()
        for run in range(1, args.runs + 1):
            here = work / f"run{run}"
            documents = here / "documents"
            shutil.copytree(corpus / "documents", documents)
            store = here / "store"
            full, loaded = build_and_bulk_load(documents, store, here)
            unchanged = measure(occugraph(documents, store))
            calls = {"nothing changed": call_build(documents, store)}
            change_one(documents, index, 1)
            changed = measure(occugraph(documents, store))
            change_one(documents, index, 2)
            calls["one changed"] = call_build(documents, store)
            add_one(documents, index, 1)
            added = measure(occugraph(documents, store))
            add_one(documents, index, 2)
            calls["one added"] = call_build(documents, store)
            for name, m in (("full build", full), ("bulk load", loaded)):
                figures.add(f"{name}: wall s", m.wall)
                figures.add(f"{name}: CPU s (all processes)", m.cpu)
                figures.add(f"{name}: peak RSS, largest process MB", m.maxrss_mb)
                figures.add(f"{name}: peak PSS, process tree MB", m.tree_pss_mb)
                figures.add(f"{name}: peak RSS, process tree MB", m.tree_rss_mb)
            figures.add("full build: the build's own s", full.inside)
            figures.add("ratio full build / bulk load (wall)", full.wall / loaded.wall)
            for name, m in (("nothing changed", unchanged), ("one changed", changed),
                            ("one added", added)):  # fmt: skip
                figures.add(f"rebuild, {name}: occugraph build, wall s", m.wall)
                figures.add(f"rebuild, {name}: occugraph build, its own s", m.inside)
                figures.add(f"rebuild, {name}: build() wall s", calls[name]["wall"])
                figures.add(f"rebuild, {name}: build() CPU s", calls[name]["cpu"])
            print(
                f"run {run}: full {full.wall:.1f}s, bulk load {loaded.wall:.1f}s, "
                f"rebuilds {unchanged.wall:.2f}/{changed.wall:.2f}/{added.wall:.2f}s; "
                f"load average {os.getloadavg()[0]:.1f}",
                flush=True,
            )
            if run == 1:
                fresh = here / "fresh"
                subprocess.run(occugraph(documents, fresh), check=True, capture_output=True)
                same = statements(store) == statements(fresh)
                print(f"incremental result identical to a full build of the same files: {same}")
                print("progress bar:", progress_bar(documents, here / "tty-store"))
                print(full.stdout.strip())
            shutil.rmtree(here)
        print()
        for name in sorted(figures.samples):
            print(figures.line(name, ""))
    print(f"\nmax RSS of this script's children: "
          f"{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
