"""Hostile and broken input, the full form: the malformed corpus, long runs, the long fuzz.

1. The malformed corpus of ``tests/test_hostile_input.py`` (``BAD``: empty, binary, wrongly
   encoded, truncated, mistyped, unrelated, huge, deep, YAML bombs) beside the five seeds,
   built once with ``occugraph.build.build``: the error lines (one per bad file, one line,
   naming the file), the statements of the bad files in the store (none), what the
   seeds built, and the slowest file to read (each file read ``--repeat`` times as the
   build reads it, ``occugraph.parallel.extract_one``).
2. The long runs of one piece (``LONG_RUNS`` × ``PLACES`` of the same test) at
   ``--run-length`` characters, not the tests' 100,000: the slowest reader.
3. The properties of ``tests/test_fuzz.py`` under the ``--profile`` hypothesis profile
   (``fuzz-long``: 3,000 examples a property, new ones each run): examples run per
   property, calls per reader and how they ended, anything raised but ``InputError``
   (must be none), and the slowest example.

Exits 1 if a check fails. Run from the project root, as a module (it imports the tests):

.venv/bin/python -m tests.reliability.hostile_input [--run-length 500000] [--repeat 3]
    [--profile fuzz-long]
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib
import os
import shutil
import statistics
import tempfile
import time
import traceback
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyoxigraph import NamedNode

from occugraph import ids
from occugraph.build import build
from occugraph.build.parallel import extract_one
from occugraph.errors import InputError
from occugraph.store.embedded import open_read_only
from tests.conftest import SEEDS
from tests.reliability.checks import finish, show_command
from tests.test_hostile_input import BAD, LONG_RUNS, PLACES


def malformed_corpus(repeat: int) -> list[str]:
    """Build the malformed corpus; print its figures; return the failed checks."""
    failed = []
    with tempfile.TemporaryDirectory(prefix="hostile-input-") as folder:
        corpus = Path(folder) / "corpus"
        shutil.copytree(SEEDS, corpus)
        for name, (data, _, _) in BAD.items():
            (corpus / name).write_bytes(data)
        started = time.perf_counter()
        report = build([corpus], store=Path(folder) / "store")
        seconds = time.perf_counter() - started
        store = open_read_only(Path(folder) / "store")

        by_kind: Counter[str] = Counter()
        one_line = 0
        statements = 0
        times = {}
        for name, (data, kind, _) in BAD.items():
            path = corpus / name
            by_kind[kind or "no kind (refused before detection)"] += 1
            lines = [e for e in report.errors if e.startswith(f"{path}:")]
            if len(lines) == 1 and "\n" not in lines[0]:
                one_line += 1
            else:
                failed.append(f"{name}: {len(lines)} error lines")
            source = NamedNode(ids.source(hashlib.sha256(data).hexdigest()))
            statements += sum(1 for _ in store.quads_for_pattern(None, None, None, source))
            statements += sum(1 for _ in store.quads_for_pattern(source, None, None))
            runs = []
            for _ in range(repeat):
                start = time.perf_counter()
                extract_one(str(path), data, True)
                runs.append(time.perf_counter() - start)
            times[name] = statistics.median(runs)
        built = {g.value for g in store.named_graphs() if g.value.startswith(ids.BASE + "sources/")}

    print(f"\n## 1. Malformed corpus: {len(BAD)} bad files beside the 5 seeds\n")
    for kind, count in sorted(by_kind.items()):
        print(f"  {count:3} files whose line names {kind}")
    slowest = sorted(times.items(), key=lambda item: -item[1])[:5]
    print(f"  error lines: {len(report.errors)}; one line naming its file: {one_line}")
    print(f"  statements of the bad files in the store: {statements}")
    print(f"  kinds built: {dict(sorted(report.kinds.items()))}; source graphs: {len(built)}")
    print(f"  occupations: {sorted(report.occupations)}; the whole build: {seconds:.2f} s")
    print(f"  median time to read a bad file, of {repeat}: the slowest five:")
    for name, taken in slowest:
        print(f"    {taken * 1000:8.1f} ms  {name} ({len(BAD[name][0]):,} bytes)")
    print(f"  all {len(times)}: median {statistics.median(times.values()) * 1000:.1f} ms")
    failed += [f"{statements} statements of bad files"] if statements else []
    failed += [] if len(report.errors) == len(BAD) else ["not one error per bad file"]
    failed += [] if len(built) == 5 else [f"{len(built)} source graphs, not 5"]
    return failed


def long_runs(length: int) -> list[str]:
    """Each long run through each place; print the slowest; fail past 10 s."""
    taken = []
    for piece in LONG_RUNS:
        run = piece * (length // len(piece))
        for read, before, after in PLACES:
            text = before + (run.replace('"', "'") if before.endswith('"') else run) + after
            start = time.perf_counter()
            with contextlib.suppress(InputError):
                read(text)
            taken.append((time.perf_counter() - start, f"{read.__module__}.{read.__name__}", piece))
    taken.sort(reverse=True)
    print(f"\n## 2. Long runs: {len(LONG_RUNS)} pieces × {len(PLACES)} places, {length:,} chars\n")
    for seconds, reader, piece in taken[:5]:
        print(f"  {seconds:7.3f} s  {reader} on {piece!r}")
    times = [s for s, _, _ in taken]
    print(f"  {len(taken)} reads in {sum(times):.1f} s; median {statistics.median(times):.3f} s")
    return [f"{reader} took {s:.0f} s on {p!r}" for s, reader, p in taken if s > 10]


@dataclass
class Reader:
    calls: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    slowest: float = 0.0
    slowest_text: str = ""  # the start of the text of the slowest call, to try it again
    raised: dict[str, str] = field(default_factory=dict)  # what was raised -> an example


def fuzz(profile: str) -> list[str]:
    """Run every property of tests/test_fuzz.py, counting what each reader did."""
    os.environ["OCCUGRAPH_FUZZ"] = profile  # read when tests.test_fuzz is imported
    module: Any = importlib.import_module("tests.test_fuzz")
    readers: dict[str, Reader] = defaultdict(Reader)

    def watched(read: Callable[[str], object]) -> Callable[[str], object]:
        name = f"{read.__module__.removeprefix('occugraph.')}.{read.__name__}"

        def call(text: str) -> object:
            seen = readers[name]
            seen.calls += 1
            start = time.perf_counter()
            try:
                result = read(text)
            except InputError:
                seen.outcomes["InputError"] += 1
                raise
            except BaseException as error:
                what = f"{type(error).__name__}: {str(error)[:120]}"
                seen.raised.setdefault(what, repr(text[:200]))
                raise
            finally:
                if (taken := time.perf_counter() - start) > seen.slowest:
                    seen.slowest, seen.slowest_text = taken, f"{len(text):,} chars: {text[:160]!r}"
            seen.outcomes["returned"] += 1
            return result

        return call

    module.READERS = tuple(watched(read) for read in module.READERS)
    failed = []
    print(f"\n## 3. Fuzzing, profile {profile}\n")
    slowest: tuple[float, str] = (0.0, "")
    for name in sorted(n for n in dir(module) if n.startswith("test_")):
        test = getattr(module, name)
        inner = test.hypothesis.inner_test
        examples: list[float] = []

        def timed(
            *args: Any,
            inner: Callable[..., None] = inner,
            examples: list[float] = examples,
            **kwargs: Any,
        ) -> None:
            start = time.perf_counter()
            try:
                inner(*args, **kwargs)
            finally:
                examples.append(time.perf_counter() - start)

        test.hypothesis.inner_test = timed
        started = time.perf_counter()
        try:
            test()
            outcome = "passed"
        except Exception as error:  # a property that fails: reported, and the run goes on
            outcome = f"FAILED: {type(error).__name__}"
            failed.append(f"{name}: {traceback.format_exception_only(error)[-1].strip()}")
        slowest = max(slowest, (max(examples, default=0.0), name))
        print(
            f"  {name}: {len(examples):,} examples in {time.perf_counter() - started:.1f} s, "
            f"slowest {max(examples, default=0) * 1000:.0f} ms, {outcome}"
        )
    print("\n  reader: calls; returned / InputError; anything else raised; slowest call")
    for name, seen in sorted(readers.items()):
        print(
            f"  {name}: {seen.calls:,}; {seen.outcomes['returned']:,} / "
            f"{seen.outcomes['InputError']:,}; {len(seen.raised)}; {seen.slowest * 1000:.0f} ms"
        )
        print(f"    slowest on {seen.slowest_text}")
        for what, example in seen.raised.items():
            failed.append(f"{name} raised {what} on {example}")
    print(f"\n  slowest example: {slowest[0] * 1000:.0f} ms, in {slowest[1]}")
    return failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--run-length", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", default="fuzz-long")
    args = parser.parse_args()
    started = show_command("tests.reliability.hostile_input")
    failed = malformed_corpus(args.repeat) + long_runs(args.run_length) + fuzz(args.profile)
    finish(failed, started)


if __name__ == "__main__":
    main()
