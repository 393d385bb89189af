"""How often linking finds the right O*NET occupation, and the right O*NET task for a duty.

.venv/bin/python -m benchmarks.autocoder_quality [--verbose]

Reads the gold sets in tests/data/autocoder/ (written for occugraph, in its own words):

- ``titles.tsv``: job-board titles, some with a few duties (``|``-separated), and the
  O*NET-SOC code each is about (none: no O*NET occupation, it must stay unresolved).
  Each row is resolved as a job description on its own (no other document to learn job
  titles from), through the whole of ``link.resolve``: accuracy counts an unresolved
  row as wrong.
- ``duties.tsv``: duties with the O*NET task of the given occupation they restate, or
  none. Prints precision and recall of the duty -> task links at several thresholds; the
  build uses ``occugraph.build.rdf.links.RESTATES``.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from occugraph.build.autocoder import task_matcher
from occugraph.build.link import ACCEPT, resolve
from occugraph.build.rdf.links import RESTATES
from occugraph.build.records.job_description import JobDescription
from occugraph.build.reference import load_reference

GOLD = Path(__file__).resolve().parents[1] / "tests" / "data" / "autocoder"


def rows(name: str) -> list[dict[str, str]]:
    with (GOLD / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def posting(row: dict[str, str]) -> JobDescription:
    duties = [d.strip() for d in (row["text"] or "").split("|") if d.strip()]
    return JobDescription(title=row["title"], responsibilities=duties)


def title_accuracy(verbose: bool = False) -> tuple[int, int]:
    """(right, all) over titles.tsv."""
    reference = load_reference()
    gold = rows("titles.tsv")
    right = 0
    for n, row in enumerate(gold):
        found = resolve({str(n): posting(row)}, reference)[str(n)]
        right += found.code == (row["code"] or None)
        if verbose and found.code != (row["code"] or None):
            print(
                f"  wrong: {row['title']!r}: {found.code} ({found.method}, {found.score}), "
                f"expected {row['code']}; {found.problem or ''}"
            )
    return right, len(gold)


def duty_links(threshold: float) -> tuple[float, float]:
    """(precision, recall) of duty -> task links at a threshold, over duties.tsv."""
    coder = task_matcher(load_reference())
    gold = rows("duties.tsv")
    made = right = 0
    for row in gold:
        (match,) = coder.match_duties(row["code"], [row["duty"]])
        if match.score >= threshold:
            made += 1
            right += match.task.task_id == row["task_id"]
    expected = sum(1 for row in gold if row["task_id"])
    return (right / made if made else 1.0), right / expected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    right, total = title_accuracy(args.verbose)
    codes = len({row["code"] for row in rows("titles.tsv") if row["code"]})
    print(
        f"titles.tsv: {right}/{total} linked right = {right / total:.3f} "
        f"({codes} occupations; autocoder accepts from {ACCEPT})"
    )
    print("duties.tsv: threshold  precision  recall")
    for threshold in (0.1, 0.15, 0.2, 0.25, RESTATES, 0.35, 0.4):
        precision, recall = duty_links(threshold)
        mark = "  <- the build's" if threshold == RESTATES else ""
        print(f"            {threshold:<9}  {precision:.3f}      {recall:.3f}{mark}")


if __name__ == "__main__":
    main()
