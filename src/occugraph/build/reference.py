"""The reference data in ``data/``: O*NET occupations and elements, NOC, NAICS, crosswalks.

Loaded once per process; everything else asks this module, never the files.
"""

from __future__ import annotations

import csv
import hashlib
import os
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from occugraph.files import REFERENCE_DATA

DATA_FILES = (
    "onet/Occupation Data.txt",
    "onet/Content Model Elements.tsv",
    "crosswalk/noc2016_onet20.csv",
    "crosswalk/noc2021_onet26.csv",
    "crosswalk/noc_2021_2016.csv",
    "naics/sectors.csv",
    "onet/tasks.tsv.gz",
    "titles/abbreviations.tsv",
    "titles/stop_words.txt",
)


def data_dir() -> Path:
    return Path(os.environ.get("OCCUGRAPH_DATA", REFERENCE_DATA))


@dataclass(frozen=True)
class OnetOccupation:
    code: str
    title: str
    description: str


@dataclass(frozen=True)
class Element:
    element_id: str
    name: str
    domain: str  # Skill, Knowledge, Ability, Generalized Work Activity
    path: str


@dataclass(frozen=True)
class NocGroup:
    version: str  # "2016" or "2021"
    code: str
    title: str


@dataclass(frozen=True)
class Concordance:
    """One row of the NOC 2016 → 2021 concordance."""

    noc2016: str
    noc2021: str
    change: str
    note: str

    @property
    def exact(self) -> bool:
        """A code or name change only: the group itself did not split, merge or move."""
        return all(part.strip().startswith("VC") for part in self.change.split(","))


@dataclass
class Reference:
    occupations: dict[str, OnetOccupation]
    elements: list[Element]
    noc_groups: dict[tuple[str, str], NocGroup]
    noc_to_onet: dict[tuple[str, str], list[str]]
    concordance: list[Concordance]
    sectors: dict[str, str]
    fingerprint: str
    unresolved_crosswalk: list[str] = field(default_factory=list)
    damaged: dict[str, int] = field(default_factory=dict)
    """Rows holding U+FFFD (text that lost a character to a wrong encoding), by file."""

    def damaged_titles(self) -> list[str]:
        """The names that reach the graph holding U+FFFD."""
        named = [
            *(f"O*NET {o.code} {o.title!r}" for o in self.occupations.values()),
            *(f"element {e.element_id} {e.name!r}" for e in self.elements),
            *(f"NOC {g.version} {g.code} {g.title!r}" for g in self.noc_groups.values()),
            *(f"NAICS {code} {title!r}" for code, title in self.sectors.items()),
        ]
        return [name for name in named if BAD in name]

    def notes(self) -> tuple[list[str], list[str]]:
        """What a full build says about the reference data: warnings every user sees (a
        damaged title that reaches the graph) and details for ``--verbose`` (rows left out
        or repaired: nothing a user can act on)."""
        files = ", ".join(f"data/{name} ({rows})" for name, rows in sorted(self.damaged.items()))
        kept = self.damaged_titles()
        warnings = (
            [
                f"reference data: {len(kept)} title(s) hold U+FFFD, a character lost to a "
                f"wrong encoding, and are in the graph so, e.g. {'; '.join(kept[:3])}; rows "
                f"holding it, by file: {files}"
            ]
            if kept
            else []
        )
        details = (
            [
                f"reference data: rows holding U+FFFD, by file: {files}; a NOC title holding "
                "it is taken clean from the NOC 2021 <-> 2016 concordance where that has it"
            ]
            if self.damaged and not kept
            else []
        )
        if self.unresolved_crosswalk:
            skipped = self.unresolved_crosswalk
            details.append(
                f"data/crosswalk: {len(skipped)} rows name O*NET codes that are not in "
                f"the current O*NET list and were left out, e.g. {'; '.join(skipped[:3])}"
            )
        return warnings, details

    def onet_to_noc(self, code: str) -> list[tuple[str, str]]:
        return [key for key, codes in self.noc_to_onet.items() if code in codes]

    def through_concordance(self, noc: tuple[str, str]) -> list[str]:
        """The O*NET codes of the NOC 2021 groups a NOC 2016 group became: for a 2016
        group whose own crosswalk rows name only retired O*NET codes."""
        version, code = noc
        if version != "2016":
            return []
        found: list[str] = []
        for row in self.concordance:
            if row.noc2016 == code:
                found += [
                    c for c in self.noc_to_onet.get(("2021", row.noc2021), []) if c not in found
                ]
        return found


def _rows(
    path: Path, delimiter: str, damaged: dict[str, int] | None = None
) -> list[dict[str, str]]:
    """A file's rows; ``damaged`` counts those holding U+FFFD, by file name under data/."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=delimiter))
    if damaged is not None:
        count = sum(1 for row in rows if any(BAD in (v or "") for v in row.values()))
        if count:
            damaged[f"{path.parent.name}/{path.name}"] = count
    return rows


BAD = "\ufffd"
"""The replacement character: what a decoder leaves for bytes it could not read."""


def _noc_code(raw: str, version: str) -> str:
    """The crosswalk files drop leading zeros; NOC codes are 4 (2016) or 5 (2021) digits."""
    return raw.strip().zfill(4 if version == "2016" else 5)


def _name_group(groups: dict[tuple[str, str], NocGroup], group: NocGroup) -> None:
    """Keep the first title a group is given, unless it lost a character (U+FFFD) and this
    one did not: the crosswalk's "Ma\ufffdtres d'h\ufffdtel" gives way to the concordance's
    "Maîtres d'hôtel"."""
    known = groups.get((group.version, group.code))
    if known is None or (BAD in known.title and BAD not in group.title):
        groups[(group.version, group.code)] = group


@cache
def load_reference(directory: Path | None = None) -> Reference:
    root = directory or data_dir()
    digest = hashlib.sha256()
    for name in DATA_FILES:
        digest.update((root / name).read_bytes())
    damaged: dict[str, int] = {}

    occupations = {
        row["O*NET-SOC Code"]: OnetOccupation(
            row["O*NET-SOC Code"], row["Title"].strip(), row["Description"].strip()
        )
        for row in _rows(root / "onet/Occupation Data.txt", "\t", damaged)
    }
    elements = [
        Element(row["element_id"], row["name"].strip(), row["domain"], row["path"])
        for row in _rows(root / "onet/Content Model Elements.tsv", "\t", damaged)
    ]

    by_title = {occupation.title: code for code, occupation in occupations.items()}
    noc_groups: dict[tuple[str, str], NocGroup] = {}
    noc_to_onet: dict[tuple[str, str], list[str]] = defaultdict(list)
    unresolved: list[str] = []
    for version, name in (("2016", "noc2016_onet20.csv"), ("2021", "noc2021_onet26.csv")):
        for row in _rows(root / "crosswalk" / name, ",", damaged):
            if not row["noc"].strip().isdigit():
                unresolved.append(f"NOC {version} {row['noc']!r} → O*NET {row['onet']}")
                continue
            code = _noc_code(row["noc"], version)
            title = row["noc_title"].removeprefix(row["noc"]).strip()
            _name_group(noc_groups, NocGroup(version, code, title))
            # Older O*NET releases renumbered some occupations but kept their titles.
            onet = row["onet"] if row["onet"] in occupations else by_title.get(row["onet_title"])
            if onet is None:
                unresolved.append(f"NOC {version} {code} → O*NET {row['onet']}")
            elif onet not in noc_to_onet[(version, code)]:
                noc_to_onet[(version, code)].append(onet)

    concordance: list[Concordance] = []
    for row in _rows(root / "crosswalk/noc_2021_2016.csv", ",", damaged):
        old, new = _noc_code(row["NOC2016"], "2016"), _noc_code(row["NOC2021"], "2021")
        _name_group(noc_groups, NocGroup("2016", old, row["NOC2016_Title"].strip()))
        _name_group(noc_groups, NocGroup("2021", new, row["NOC2021_Title"].strip()))
        concordance.append(Concordance(old, new, row["Change_type"], row["Notes"].strip()))

    sectors = {row["code"]: row["title"] for row in _rows(root / "naics/sectors.csv", ",", damaged)}
    return Reference(
        occupations=occupations,
        elements=elements,
        noc_groups=noc_groups,
        noc_to_onet=dict(noc_to_onet),
        concordance=concordance,
        sectors=sectors,
        fingerprint=digest.hexdigest(),
        unresolved_crosswalk=unresolved,
        damaged=damaged,
    )
