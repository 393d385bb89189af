"""`occugraph.slugs.slug` must reproduce lodash's `upperFirst(camelCase(title))` exactly.

The expected values in tests/data/slugs.tsv were produced by real lodash with
tests/data/make_slugs.js (see that file to regenerate). Layout: a `title<TAB>slug`
header, then the 1,016 O*NET occupation titles in file order, then awkward inputs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from occugraph.slugs import slug

TABLE = Path(__file__).parent / "data" / "slugs.tsv"
ONET_TITLES = 1016
ONET_FILE = Path("/work/shared/data/onet/Occupation Data.txt")


def _load() -> list[tuple[str, str]]:
    # Decode bytes and split on "\n" only: universal newlines / str.splitlines() would
    # also break on characters such as \x0b or \u2028 that may appear in titles.
    lines = TABLE.read_bytes().decode("utf-8").split("\n")
    assert lines[0] == "title\tslug"
    assert lines[-1] == ""
    rows = [tuple(line.split("\t")) for line in lines[1:-1]]
    assert all(len(row) == 2 for row in rows)
    return [(title, expected) for title, expected in rows]


ROWS = _load()
ONET_ROWS = ROWS[:ONET_TITLES]


@pytest.mark.parametrize(("title", "expected"), ROWS, ids=[f"row{i}" for i in range(len(ROWS))])
def test_slug_matches_lodash(title: str, expected: str) -> None:
    assert slug(title) == expected


def test_table_shape() -> None:
    assert len(ROWS) >= ONET_TITLES + 40
    titles = [title for title, _ in ROWS]
    assert len(set(titles)) == len(titles)
    assert len({title for title, _ in ONET_ROWS}) == ONET_TITLES


@pytest.mark.skipif(not ONET_FILE.exists(), reason="O*NET source file not available")
def test_onet_rows_are_the_onet_titles() -> None:
    lines = ONET_FILE.read_bytes().decode("utf-8").split("\r\n")[1:]
    titles = [line.split("\t")[1] for line in lines if line]
    assert [title for title, _ in ONET_ROWS] == titles


def _collisions(titles: Iterable[str], key: Callable[[str], str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for title in titles:
        groups[key(title)].add(title)
    return {frozenset(group) for group in groups.values() if len(group) > 1}


def test_onet_slugs_distinct_or_collide_like_lodash() -> None:
    expected = dict(ONET_ROWS)
    ours = _collisions(expected, slug)
    assert ours == _collisions(expected, expected.__getitem__)
    if not ours:
        assert len({slug(title) for title in expected}) == ONET_TITLES
