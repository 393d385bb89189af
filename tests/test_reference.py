"""Loading the reference data in data/: counts, NOC codes, and the crosswalk's gaps."""

from __future__ import annotations

import shutil
from pathlib import Path

from occugraph.build.reference import data_dir, load_reference


def test_counts_of_the_shipped_lists() -> None:
    reference = load_reference()
    assert len(reference.occupations) == 1016
    assert len(reference.elements) == 161
    assert reference.sectors["62"] == "Health Care and Social Assistance"


def test_noc_codes_get_their_leading_zeros_back() -> None:
    reference = load_reference()
    assert reference.noc_groups[("2016", "0011")].title == "Legislators"
    assert reference.noc_groups[("2021", "00010")].title == "Legislators"
    assert reference.noc_to_onet[("2021", "00010")] == ["11-1031.00"]


def test_a_renumbered_onet_code_is_followed_by_its_unchanged_title() -> None:
    # The crosswalk says 11-9199.04 (O*NET 20); the same title is 11-3071.04 today.
    reference = load_reference()
    assert "11-3071.04" in reference.noc_to_onet[("2016", "0113")]
    assert "NOC 2016 0113 → O*NET 11-9199.04" not in reference.unresolved_crosswalk
    assert len(reference.unresolved_crosswalk) == 164


def test_the_concordance_says_which_changes_are_exact() -> None:
    reference = load_reference()
    rows = {(c.noc2016, c.noc2021): c.exact for c in reference.concordance}
    assert rows[("3012", "31301")] is True  # a code and name change only
    assert rows[("2173", "21231")] is False  # part split off to another group


def test_a_title_that_lost_a_character_gives_way_to_the_concordance_s() -> None:
    # Issue 14: the crosswalk's row 6511 reads "Ma\ufffdtres d'h\ufffdtel" (a wrong encoding).
    reference = load_reference()
    assert reference.noc_groups[("2016", "6511")].title == "Maîtres d'hôtel and hosts/hostesses"
    assert reference.damaged == {"crosswalk/noc2016_onet20.csv": 1}
    assert reference.damaged_titles() == []
    warnings, details = reference.notes()
    assert warnings == []  # nothing damaged reaches the graph: the detail is for --verbose
    assert details[0] == (
        "reference data: rows holding U+FFFD, by file: data/crosswalk/noc2016_onet20.csv (1); "
        "a NOC title holding it is taken clean from the NOC 2021 <-> 2016 concordance where "
        "that has it"
    )


def test_a_damaged_title_that_reaches_the_graph_is_a_warning(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(data_dir(), data)
    occupations = data / "onet/Occupation Data.txt"
    text = occupations.read_text(encoding="utf-8")
    occupations.write_text(
        text.replace("\tElectricians\t", "\tElectr\ufffdcians\t"), encoding="utf-8"
    )
    reference = load_reference(data)
    assert reference.damaged == {
        "crosswalk/noc2016_onet20.csv": 1,
        "onet/Occupation Data.txt": 1,
    }
    [warning], _ = reference.notes()
    assert warning == (
        "reference data: 1 title(s) hold U+FFFD, a character lost to a wrong encoding, and are "
        "in the graph so, e.g. O*NET 47-2111.00 'Electr\ufffdcians'; rows holding it, by file: "
        "data/crosswalk/noc2016_onet20.csv (1), data/onet/Occupation Data.txt (1)"
    )
