"""Derive ``data/onet/tasks.tsv.gz`` (the O*NET task statements) from graph.org.ai's corpus.

.venv/bin/python -m benchmarks.derive_onet_tasks [--archive PATH]

Reads every ``Occupations.org.ai/{Title}/Tasks/{task id}.mdx`` page of the archive in
../shared/corpora/graph.org.ai (its frontmatter names the task id, its type and the
occupation's code; its first heading is the statement) and writes one row per task:
occupation code, task id, task type, statement, sorted by code and task id. Running it
again on the same archive writes the same bytes (gzip without a timestamp).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import re
import tarfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = ROOT.parent / "shared" / "corpora" / "graph.org.ai" / "graph.org.ai-onet.tar.xz"
OUT = ROOT / "data" / "onet" / "tasks.tsv.gz"
_PAGE = re.compile(r"Occupations\.org\.ai/[^/]+/Tasks/\d+\.mdx$")
_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)
_HEADING = re.compile(r"^# (.+)$", re.M)


def task_row(text: str) -> tuple[str, str, str, str] | None:
    """(code, task id, type, statement) of one task page, or None if it is not one."""
    front = _FRONT.match(text)
    heading = _HEADING.search(text)
    if front is None or heading is None:
        return None
    meta = yaml.safe_load(front.group(1))
    if not isinstance(meta, dict) or meta.get("$type") != "Task":
        return None
    code, task_id = str(meta.get("occupationCode", "")), str(meta.get("taskId", ""))
    if not code or not task_id.isdigit():
        return None
    return code, task_id, str(meta.get("taskType") or ""), heading.group(1).strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--archive", type=Path, default=ARCHIVE)
    args = parser.parse_args()
    rows: set[tuple[str, str, str, str]] = set()
    with tarfile.open(args.archive, mode="r:xz") as archive:
        for member in archive:
            if not (member.isfile() and _PAGE.search(member.name)):
                continue
            handle = archive.extractfile(member)
            if handle is not None and (row := task_row(handle.read().decode("utf-8"))):
                rows.add(row)
    text = io.StringIO()
    writer = csv.writer(text, delimiter="\t", lineterminator="\n")
    writer.writerow(["code", "task_id", "type", "statement"])
    writer.writerows(sorted(rows, key=lambda row: (row[0], int(row[1]))))
    OUT.write_bytes(gzip.compress(text.getvalue().encode(), mtime=0))
    print(f"{OUT.relative_to(ROOT)}: {len(rows)} tasks, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
