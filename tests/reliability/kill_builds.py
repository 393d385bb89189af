"""Kill builds with SIGKILL at random moments and check what each one leaves behind.

The script writes two editions of a corpus: the seeds plus a few hundred O*NET pages
made from ``data/onet/Occupation Data.txt`` (old), and the same with some pages
revised, some removed and some added (new). It builds each edition cleanly, once, as
the reference. Each trial then starts from a copy of the old store, runs
``occugraph build`` on the new edition as a subprocess and sends it SIGKILL after a
random delay: trial i of n waits a random moment of the i-th n-th of the longest of three
uninterrupted builds, so the kills cover start-up, extraction, writing and the swap (a
build that finishes first runs again, killed earlier). After the kill, the checks:

- the store opens;
- every saved query answers, and answers as it does on the clean build of the same
  edition (``xsd:dateTime`` values aside);
- every named graph holds exactly its old or its new triples (compared graph by graph
  with the clean builds, build times aside), and the store as a whole is old or new;
- the next build completes, equals a clean build of the new edition (the same quads,
  build times aside) and leaves no half-written build behind.

The script prints each trial (when the kill landed, what it hit, the outcome) and a
summary, and exits 1 if any check failed. ``tests/test_build_killed.py`` runs the same
trials in a reduced form.

.venv/bin/python -m tests.reliability.kill_builds [--pages 300] [--changed 100] [--turnover 20]
    [--trials 30] [--seed 1]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import (
    BlankNode,
    CanonicalizationAlgorithm,
    Dataset,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QuerySolutions,
    Triple,
)

from occugraph.build import build
from occugraph.build.sources import hash_file
from occugraph.query.saved import saved_queries
from occugraph.store.embedded import builds_dir, current_build, open_read_only

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
OCCUPATION_DATA = ROOT / "data" / "onet" / "Occupation Data.txt"
PROV = "http://www.w3.org/ns/prov#"
BUILD_TIMES = frozenset({NamedNode(PROV + "generatedAtTime"), NamedNode(PROV + "endedAtTime")})
DATE_TIME = NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")
SEED_SOURCE = next(SEEDS.glob("004_*.txt"))
RETRIES = 10
"""Attempts at a trial whose build keeps finishing before its kill moment."""
TIMINGS = 3
"""Uninterrupted builds timed to set the window the kills are spread over."""
# A value for each parameter name a saved query requires: the seeds' occupation
# (probation officers, NOC 4155), one of its skills and one of the seed documents.
PARAMS = {
    "occupation": "21-1092.00",
    "noc": "4155",
    "skill": "https://graph.org.ai/skills/Communication",
    "element": "Active Listening",
    "label": "probation@en",
    "source": hash_file(SEED_SOURCE)[1].iri,
    "product": "Spreadsheet software",
    "activity": "Getting Information",
}

Snapshot = dict[str, frozenset[Triple]]
"""Each named graph's triples, blank nodes canonicalized and build times left out."""
Answers = dict[str, list[tuple[str, ...]]]
"""Each saved query's rows as sorted plain values, date-times left out."""


# -- the corpus ------------------------------------------------------------------


@dataclass(frozen=True)
class Corpus:
    """Two editions of one corpus, as build paths, and what changed between them."""

    old: list[Path]
    new: list[Path]
    pages: int
    changed: int
    removed: int
    added: int

    def describe(self) -> str:
        seeds = len(list(SEEDS.iterdir()))
        return (
            f"{seeds} seeds + {self.pages} O*NET pages; the new edition revises "
            f"{self.changed}, removes {self.removed} and adds {self.added}"
        )


def write_page(path: Path, row: dict[str, str], *, revised: bool) -> None:
    """One onet-page document; the revised edition has a new description and more sections."""
    code, title = row["O*NET-SOC Code"], row["Title"]
    description = row["Description"].replace('"', "'")
    sections = ["Tasks"]
    if revised:
        description += " Revised edition."
        sections += ["Skills", "Knowledge"]
    body = "".join(f'## {name}\n\n<{name} occupation="x"></{name}>\n\n' for name in sections)
    path.write_text(
        f'---\ncode: {code}\ntitle: "{title}"\ndescription: "{description}"\n---\n'
        f"# {title}\n\n{body}",
        encoding="utf-8",
    )


def write_corpus(folder: Path, *, pages: int, changed: int, turnover: int) -> Corpus:
    """Old edition: pages 0..pages. New: pages turnover..pages+turnover, the first
    ``changed`` of those kept pages revised."""
    with OCCUPATION_DATA.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))[: pages + turnover]
    if len(rows) < pages + turnover or changed + turnover > pages:
        raise ValueError("not enough O*NET occupations for that corpus")
    old, new = folder / "old", folder / "new"
    old.mkdir(parents=True)
    new.mkdir(parents=True)
    for number, row in enumerate(rows):
        name = f"{row['O*NET-SOC Code']}.md"
        if number < pages:
            write_page(old / name, row, revised=False)
        if number >= turnover:
            write_page(new / name, row, revised=number < turnover + changed)
    return Corpus([SEEDS, old], [SEEDS, new], pages, changed, turnover, turnover)


# -- what a store holds -----------------------------------------------------------


def snapshot(link: Path) -> Snapshot:
    graphs: dict[str, list[Quad]] = {}
    for quad in open_read_only(link):
        if quad.predicate not in BUILD_TIMES:
            graphs.setdefault(str(quad.graph_name), []).append(quad)
    found: Snapshot = {}
    for name, quads in graphs.items():
        if any(isinstance(t, BlankNode) for q in quads for t in (q.subject, q.object)):
            dataset = Dataset(quads)
            dataset.canonicalize(CanonicalizationAlgorithm.UNSTABLE)
            quads = list(dataset)
        found[name] = frozenset(q.triple for q in quads)
    return found


def _plain(term: object) -> str:
    if isinstance(term, Literal) and term.datatype == DATE_TIME:
        return "<dateTime>"
    if isinstance(term, BlankNode):
        return "_:b"
    return "" if term is None else str(term)


def saved_answers(link: Path) -> Answers:
    """Every saved query run on the store; raises if one does not answer."""
    store = open_read_only(link)
    answers: Answers = {}
    for name, saved in saved_queries().items():
        values = {p: PARAMS[p] for p, declared in saved.params.items() if declared.required}
        result = saved.run(store, values)
        if isinstance(result, QuerySolutions):
            rows = [tuple(_plain(term) for term in row) for row in result]
        elif isinstance(result, QueryBoolean):
            rows = [(str(bool(result)),)]
        else:
            rows = [tuple(_plain(term) for term in triple) for triple in result]
        answers[name] = sorted(rows)
    return answers


@dataclass(frozen=True)
class Edition:
    """A clean build of one edition: what a store of it must hold and answer."""

    snapshot: Snapshot
    answers: Answers


def clean_build(paths: list[Path], link: Path) -> Edition:
    build(paths, store=link)
    return Edition(snapshot(link), saved_answers(link))


# -- one trial --------------------------------------------------------------------


def build_command(paths: list[Path], link: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "occugraph.cli",
        "build",
        *map(str, paths),
        "--store",
        str(link),
    ]


def build_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def timed_build(paths: list[Path], link: Path) -> float:
    """Seconds an uninterrupted ``occugraph build`` subprocess takes."""
    started = time.perf_counter()
    subprocess.run(build_command(paths, link), check=True, capture_output=True, env=build_env())
    return time.perf_counter() - started


def process_group(group: int) -> list[int]:
    """Live processes of a process group, from /proc."""
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == group and fields[0] != "Z":
                members.append(int(entry.name))
    return members


@dataclass(frozen=True)
class Killed:
    """A build sent SIGKILL; ``pid`` is also its process group (it and its workers)."""

    pid: int
    after: float
    finished_first: bool
    orphans: int


def kill_build(paths: list[Path], link: Path, after: float) -> Killed:
    """Run a build and SIGKILL it after ``after`` seconds. The build leads its own process
    group, so the extraction workers it leaves behind are counted, then killed too."""
    process = subprocess.Popen(
        build_command(paths, link),
        env=build_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        process.wait(timeout=after)
        finished = True
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        finished = False
    time.sleep(0.1)  # time for workers to notice their parent is gone (they do not)
    orphans = process_group(process.pid)
    if orphans:
        os.killpg(process.pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while process_group(process.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
    return Killed(process.pid, after, finished, len(orphans))


def phase(link: Path, old_build: Path, killed: Killed) -> str:
    """Where the kill landed, as the store directory shows it."""
    if killed.finished_first:
        return "finished"
    if current_build(link) != old_build:
        return "after swap"
    others = [b for b in builds_dir(link).iterdir() if b.is_dir() and b != old_build]
    return "writing" if others else "reading"


def compare(found: Snapshot, old: Snapshot, new: Snapshot) -> tuple[set[str], list[str]]:
    """Which editions each graph matches ("old", "new"), and graphs that match neither."""
    states: set[str] = set()
    problems = []
    for name in sorted(set(found) | set(old) | set(new)):
        graph, was, will = found.get(name), old.get(name), new.get(name)
        if was == will:
            if graph != was:
                problems.append(f"graph {name}: differs from both editions (same in both)")
        elif graph == was:
            states.add("old")
        elif graph == will:
            states.add("new")
        else:
            problems.append(f"graph {name}: half-written (neither its old nor its new triples)")
    return states, problems


@dataclass
class Trial:
    number: int
    killed: Killed
    phase: str
    attempts: int = 1
    outcome: str = "?"
    problems: list[str] = field(default_factory=list)
    check_seconds: float = 0.0
    rebuild_seconds: float = 0.0

    def line(self) -> str:
        verdict = "ok" if not self.problems else "FAILED: " + "; ".join(self.problems)
        return (
            f"{self.number:>5}  {self.attempts:>5}  {self.killed.after:7.2f}s  {self.phase:<10}"
            f"  {self.outcome:<7}"
            f"  {self.killed.orphans:>7}  {self.check_seconds:6.2f}s  {self.rebuild_seconds:6.2f}s"
            f"  {verdict}"
        )


HEADER = "trial  tries  kill at  landed in   outcome  orphans   checks  rebuild  verdict"


def check_store(link: Path, old: Edition, new: Edition) -> tuple[str, list[str]]:
    """The outcome ("old" or "new") of a killed build, and what is wrong with the store."""
    try:
        found = snapshot(link)
    except Exception as error:  # the first promise: the store opens
        return "broken", [f"store does not open: {error!r}"]
    states, problems = compare(found, old.snapshot, new.snapshot)
    outcome = states.pop() if len(states) == 1 else "mixed" if states else "?"
    if outcome == "mixed":
        problems.append("some graphs old and some new: the swap was not atomic")
    try:
        answers = saved_answers(link)
    except Exception as error:
        return outcome, [*problems, f"a saved query does not answer: {error!r}"]
    expected = {"old": old, "new": new}.get(outcome)
    if expected is not None:
        problems += [
            f"saved query {name} answers differently from a clean {outcome} build"
            for name in sorted(answers)
            if answers[name] != expected.answers.get(name)
        ]
    return outcome, problems


def check_next_build(paths: list[Path], link: Path, new: Edition) -> list[str]:
    try:
        report = build(paths, store=link)
    except Exception as error:
        return [f"the next build failed: {error!r}"]
    problems = [f"the next build reported: {e}" for e in report.errors]
    if snapshot(link) != new.snapshot:
        problems.append("the next build differs from a clean build of the new edition")
    current = current_build(link)
    kept = [b for b in builds_dir(link).iterdir() if b.is_dir() and b != current]
    if len(kept) > 1:
        problems.append(f"{len(kept)} builds besides the current one left behind")
    stray = list(link.parent.glob(f".{link.name}.*.tmp"))
    if stray:
        problems.append(f"temporary links left behind: {[p.name for p in stray]}")
    return problems


def run_trial(
    number: int,
    after: float,
    corpus: Corpus,
    pristine: Path,
    folder: Path,
    old: Edition,
    new: Edition,
) -> Trial:
    """Copy the old store, kill a build of the new edition in it, check, build again, check.

    A build that finishes before its kill moment is not a trial: it runs again, killed a
    little earlier each time (which also makes the last moments of a build well covered).
    """
    link = folder / "store"
    for attempt in range(1, RETRIES + 1):
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(pristine, folder, symlinks=True)
        old_build = current_build(link) or folder
        killed = kill_build(corpus.new, link, after * 0.9 ** (attempt - 1))
        if not killed.finished_first:
            break
    trial = Trial(number, killed, phase(link, old_build, killed), attempts=attempt)
    started = time.perf_counter()
    trial.outcome, trial.problems = check_store(link, old, new)
    trial.check_seconds = time.perf_counter() - started
    started = time.perf_counter()
    trial.problems += check_next_build(corpus.new, link, new)
    trial.rebuild_seconds = time.perf_counter() - started
    shutil.rmtree(folder)
    return trial


@dataclass
class Trials:
    corpus: Corpus
    old: Edition
    new: Edition
    build_seconds: float
    trials: list[Trial]

    @property
    def failed(self) -> list[Trial]:
        return [t for t in self.trials if t.problems]

    def summary(self) -> str:
        outcomes = {o: sum(t.outcome == o for t in self.trials) for o in ("old", "new")}
        phases: dict[str, int] = {}
        for trial in self.trials:
            phases[trial.phase] = phases.get(trial.phase, 0) + 1
        orphaned = [t.killed.orphans for t in self.trials if t.killed.orphans]
        retried = sum(t.attempts - 1 for t in self.trials)
        return "\n".join(
            [
                f"trials:   {len(self.trials)}, {len(self.failed)} failed",
                f"outcomes: {outcomes['old']} old, {outcomes['new']} new, "
                f"{len(self.trials) - sum(outcomes.values())} other",
                "landed:   " + ", ".join(f"{n} {p}" for p, n in sorted(phases.items())),
                f"retried:  {retried} build(s) finished before their kill moment and were "
                "run again with an earlier one",
                f"orphans:  {len(orphaned)} kill(s) left {sum(orphaned)} extraction worker(s) "
                "running (killed by the script)",
                f"timings:  kills spread over {self.build_seconds:.2f}s; checks median "
                f"{statistics.median(t.check_seconds for t in self.trials):.2f}s; next build "
                f"median {statistics.median(t.rebuild_seconds for t in self.trials):.2f}s",
            ]
        )


def run_trials(
    folder: Path,
    *,
    pages: int,
    changed: int,
    turnover: int,
    trials: int,
    seed: int,
    echo: bool = False,
) -> Trials:
    """Everything the script does, returned rather than printed (unless ``echo``)."""

    def say(text: str) -> None:
        if echo:
            print(text, flush=True)

    corpus = write_corpus(folder / "corpus", pages=pages, changed=changed, turnover=turnover)
    say(f"corpus: {corpus.describe()}")
    pristine = folder / "old"
    old = clean_build(corpus.old, pristine / "store")
    new = clean_build(corpus.new, folder / "new" / "store")
    # How long an uninterrupted build of the new edition over the old store takes: the
    # longest of a few, since a kill moment past the end only means a retry.
    timings = []
    for _ in range(TIMINGS):
        shutil.copytree(pristine, folder / "timing", symlinks=True)
        timings.append(timed_build(corpus.new, folder / "timing" / "store"))
        shutil.rmtree(folder / "timing")
    seconds = max(timings)
    say(
        "uninterrupted builds of the new edition over the old store: "
        + ", ".join(f"{t:.2f}s" for t in timings)
        + f"; kills spread over {seconds:.2f}s"
    )
    say(HEADER)
    chance = random.Random(seed)
    done = []
    for number in range(trials):
        after = seconds * (number + chance.random()) / trials
        trial = run_trial(number + 1, after, corpus, pristine, folder / "trial", old, new)
        say(trial.line())
        done.append(trial)
    return Trials(corpus, old, new, seconds, done)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=300, help="O*NET pages in each edition")
    parser.add_argument("--changed", type=int, default=100, help="pages the new edition revises")
    parser.add_argument("--turnover", type=int, default=20, help="pages removed and added")
    parser.add_argument("--trials", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1, help="for the kill moments")
    args = parser.parse_args()

    python = os.path.relpath(sys.executable)
    print("$", shlex.join([sys.executable if python.startswith("..") else python, *sys.argv]))
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} before")
    with tempfile.TemporaryDirectory(prefix="kill-builds-") as folder:
        result = run_trials(
            Path(folder),
            pages=args.pages,
            changed=args.changed,
            turnover=args.turnover,
            trials=args.trials,
            seed=args.seed,
            echo=True,
        )
    print(result.summary())
    print("all checks passed" if not result.failed else "SOME CHECKS FAILED")
    sys.exit(1 if result.failed else 0)


if __name__ == "__main__":
    main()
