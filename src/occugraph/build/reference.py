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


def _rows(path: Path, delimiter: str) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def _noc_code(raw: str, version: str) -> str:
    """The crosswalk files drop leading zeros; NOC codes are 4 (2016) or 5 (2021) digits."""
    return raw.strip().zfill(4 if version == "2016" else 5)


@cache
def load_reference(directory: Path | None = None) -> Reference:
    root = directory or data_dir()
    digest = hashlib.sha256()
    for name in DATA_FILES:
        digest.update((root / name).read_bytes())

    occupations = {
        row["O*NET-SOC Code"]: OnetOccupation(
            row["O*NET-SOC Code"], row["Title"].strip(), row["Description"].strip()
        )
        for row in _rows(root / "onet/Occupation Data.txt", "\t")
    }
    elements = [
        Element(row["element_id"], row["name"].strip(), row["domain"], row["path"])
        for row in _rows(root / "onet/Content Model Elements.tsv", "\t")
    ]

    by_title = {occupation.title: code for code, occupation in occupations.items()}
    noc_groups: dict[tuple[str, str], NocGroup] = {}
    noc_to_onet: dict[tuple[str, str], list[str]] = defaultdict(list)
    unresolved: list[str] = []
    for version, name in (("2016", "noc2016_onet20.csv"), ("2021", "noc2021_onet26.csv")):
        for row in _rows(root / "crosswalk" / name, ","):
            if not row["noc"].strip().isdigit():
                unresolved.append(f"NOC {version} {row['noc']!r} → O*NET {row['onet']}")
                continue
            code = _noc_code(row["noc"], version)
            title = row["noc_title"].removeprefix(row["noc"]).strip()
            noc_groups[(version, code)] = NocGroup(version, code, title)
            # Older O*NET releases renumbered some occupations but kept their titles.
            onet = row["onet"] if row["onet"] in occupations else by_title.get(row["onet_title"])
            if onet is None:
                unresolved.append(f"NOC {version} {code} → O*NET {row['onet']}")
            elif onet not in noc_to_onet[(version, code)]:
                noc_to_onet[(version, code)].append(onet)

    concordance: list[Concordance] = []
    for row in _rows(root / "crosswalk/noc_2021_2016.csv", ","):
        old, new = _noc_code(row["NOC2016"], "2016"), _noc_code(row["NOC2021"], "2021")
        noc_groups.setdefault(("2016", old), NocGroup("2016", old, row["NOC2016_Title"].strip()))
        noc_groups.setdefault(("2021", new), NocGroup("2021", new, row["NOC2021_Title"].strip()))
        concordance.append(Concordance(old, new, row["Change_type"], row["Notes"].strip()))

    sectors = {row["code"]: row["title"] for row in _rows(root / "naics/sectors.csv", ",")}
    return Reference(
        occupations=occupations,
        elements=elements,
        noc_groups=noc_groups,
        noc_to_onet=dict(noc_to_onet),
        concordance=concordance,
        sectors=sectors,
        fingerprint=digest.hexdigest(),
        unresolved_crosswalk=unresolved,
    )
