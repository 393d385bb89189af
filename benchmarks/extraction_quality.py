"""Extraction quality on the real-layout set (tests/data/real-layouts): what each kind gets right.

For every document of the set the script detects its kind from its content (as a build
does), extracts its record, and resolves all the records together with the build's own
link resolution (:func:`occugraph.build.link.resolve`, the entry point the pipeline uses).
It then compares what the records say with the gold file, ``gold.yaml``.

Per gold kind it prints: kind accuracy (detected kind = gold kind), occupation accuracy
(resolved O*NET-SOC code = gold code), precision and recall of duties, job titles,
skills, degrees and salaries, and the number of occupations minted outside O*NET (an
unresolved document gets an occupation node of its own; each distinct such node counts).

How facts are matched (one-to-one, best pair first, micro-averaged over the kind's documents):

- duties, job titles and skills: both texts are normalised (ASCII, case-folded, punctuation
  dropped, stop words removed, a crude suffix stem: -ing, -ed, -es, -s, then a final -e),
  skills also lose filler words ("strong", "excellent", "skills", "knowledge of", ...).
  Two texts match when the F1 of their token overlap is at least 0.8 (the same words,
  order free; a duty rewritten "Installing pipes" -> "Install pipes" still matches).
- degrees: the normalised level ('bachelor', 'associate', ...), exactly.
- salaries: amount within 1 % and the same pay period.

A fact type a document's gold leaves out (an onet-page has no duties) counts nothing.
A document whose kind is misdetected is still scored on what its (wrong) record says,
and a document that fails to extract scores zero recall.

Run: ``.venv/bin/python benchmarks/extraction_quality.py`` (``--verbose`` lists misses).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from hashlib import sha256
from pathlib import Path
from typing import Any

import yaml
from anyascii import anyascii

from occugraph import ids
from occugraph.build import kinds, link
from occugraph.build.rdf.document import occupation_iri
from occugraph.build.records import Record
from occugraph.build.reference import load_reference
from occugraph.build.sources import Source
from occugraph.errors import InputError

SET = Path(__file__).resolve().parent.parent / "tests" / "data" / "real-layouts"
THRESHOLD = 0.8
FACTS = ("duties", "job_titles", "skills", "degrees", "salaries")

_STOP = frozenset(
    "a an the and or of to for in on with by at as from their them they it its is are be "
    "such any all each".split()
)
_FILLER = frozenset(
    "strong excellent good great proven solid sound keen basic skill skills knowledge "
    "ability able familiarity understanding".split()
)


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    return word[:-1] if len(word) > 3 and word.endswith("e") else word


def tokens(text: str, *, skill: bool = False) -> Counter[str]:
    words = re.findall(r"[a-z0-9+#]+", anyascii(text).casefold())
    drop = _STOP | _FILLER if skill else _STOP
    return Counter(_stem(word) for word in words if word not in drop)


def overlap(a: Counter[str], b: Counter[str]) -> float:
    """F1 of two token multisets: 1.0 for the same words, 0.0 for none shared."""
    if not a or not b:
        return 1.0 if a == b else 0.0
    common = sum((a & b).values())
    return 2 * common / (sum(a.values()) + sum(b.values()))


def matched(gold: Sequence[Any], found: Sequence[Any], same: Callable[[Any, Any], float]) -> int:
    """How many gold facts are matched one-to-one by found ones, best pairs first."""
    pairs = sorted(
        ((same(g, f), i, j) for i, g in enumerate(gold) for j, f in enumerate(found)),
        reverse=True,
    )
    used_gold: set[int] = set()
    used_found: set[int] = set()
    for score, i, j in pairs:
        if score < THRESHOLD:
            break
        if i not in used_gold and j not in used_found:
            used_gold.add(i)
            used_found.add(j)
    return len(used_gold)


def _text_same(*, skill: bool = False) -> Callable[[Any, Any], float]:
    return lambda g, f: overlap(tokens(g, skill=skill), tokens(f, skill=skill))


def _salary_same(g: Any, f: Any) -> float:
    (amount, period), (found_amount, found_period) = g, f
    close = abs(float(amount) - found_amount) <= 0.01 * float(amount)
    return 1.0 if close and period == found_period else 0.0


SAME: dict[str, Callable[[Any, Any], float]] = {
    "duties": _text_same(),
    "job_titles": _text_same(),
    "skills": _text_same(skill=True),
    "degrees": lambda g, f: 1.0 if g == f else 0.0,
    "salaries": _salary_same,
}


def facts(record: Record | None) -> dict[str, list[Any]]:
    """What a record states, whatever its kind, as the fact types of the gold file."""
    if record is None:
        return {fact: [] for fact in FACTS}
    data: dict[str, Any] = record.__dict__
    duties = list(data.get("duties") or data.get("responsibilities") or [])
    for group in data.get("duty_groups") or []:
        duties += group.duties
    return {
        "duties": duties,
        "job_titles": list(record.claim().job_titles),
        "skills": list(data.get("skills") or []),
        "degrees": [degree.level for degree in data.get("degrees") or []],
        "salaries": [(s.amount, s.period) for s in data.get("salaries") or []],
    }


class Tally:
    def __init__(self) -> None:
        self.docs = 0
        self.kind_right = 0
        self.occupation_right = 0
        self.counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # hit, found, gold

    def row(self, name: str) -> list[str]:
        cells = [name, str(self.docs), _ratio(self.kind_right, self.docs)]
        cells.append(_ratio(self.occupation_right, self.docs))
        for fact in FACTS:
            hit, found, gold = self.counts[fact]
            cells.append(f"{_ratio(hit, found)} / {_ratio(hit, gold)}" if gold or found else "-")
        return cells


def _ratio(part: int, whole: int) -> str:
    return f"{part / whole:.2f}" if whole else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    parser.add_argument("--set", type=Path, default=SET, help="folder with gold.yaml and docs/")
    args = parser.parse_args(argv)
    gold: dict[str, dict[str, Any]] = yaml.safe_load((args.set / "gold.yaml").read_text())
    records: dict[str, Record] = {}
    detected: dict[str, str | None] = {}
    for name in gold:
        text = (args.set / "docs" / name).read_text(encoding="utf-8")
        try:
            detected[name] = kinds.detect_kind(text)
            records[name] = kinds.extract(text, detected[name])
        except InputError as error:
            detected.setdefault(name, None)
            if args.verbose:
                print(f"{name}: {error}")
    reference = load_reference()
    resolved = link.resolve(records, reference)
    tallies: dict[str, Tally] = defaultdict(Tally)
    minted: set[str] = set()
    onet = {ids.occupation(o.title) for o in reference.occupations.values()}
    for name, expected in gold.items():
        resolution = resolved.get(name)
        code = resolution.code if resolution else None
        if name in records and resolution is not None:
            # The node the build hangs the document's statements on, as it writes it.
            data = (args.set / "docs" / name).read_bytes()
            source = Source(path=name, name=name, sha256=sha256(data).hexdigest(), size=len(data))
            node = occupation_iri(source, resolution, reference)
            if node.startswith(ids.occupation("")) and node not in onet:
                minted.add(node.removeprefix(ids.occupation("")))
        found = facts(records.get(name))
        for tally in (tallies[expected["kind"]], tallies["all"]):
            tally.docs += 1
            tally.kind_right += detected[name] == expected["kind"]
            tally.occupation_right += code == expected["code"]
            for fact in FACTS:
                if fact not in expected:
                    continue
                wanted = [tuple(g) if fact == "salaries" else g for g in expected[fact]]
                hit = matched(wanted, found[fact], SAME[fact])
                counts = tally.counts[fact]
                counts[0] += hit
                counts[1] += len(found[fact])
                counts[2] += len(wanted)
                if (
                    args.verbose
                    and tally is tallies["all"]
                    and (hit < len(wanted) or hit < len(found[fact]))
                ):
                    print(f"{name} {fact}: gold {wanted}\n    found {found[fact]}")
        if args.verbose and (detected[name] != expected["kind"] or code != expected["code"]):
            print(
                f"{name}: kind {detected[name]} (gold {expected['kind']}), occupation {code}"
                f" (gold {expected['code']}) {resolution.problem if resolution else ''}"
            )
    header = ["kind", "docs", "kind acc", "occupation acc"] + [f"{f} P / R" for f in FACTS]
    rows = [tallies[k].row(k) for k in sorted(tallies) if k != "all"] + [tallies["all"].row("all")]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, ["-" * w for w in widths], *rows]:
        print("| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + " |")
    print(f"\nfake occupations (minted outside O*NET's list): {len(minted)}")
    if minted:
        print("  " + ", ".join(sorted(minted)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
