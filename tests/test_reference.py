"""Loading the reference data in data/: counts, NOC codes, and the crosswalk's gaps."""

from __future__ import annotations

from occugraph.build.reference import load_reference


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
