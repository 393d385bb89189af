"""The store's atomic swap: a failed build leaves the previous store as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, Store

from occugraph.errors import OccugraphError
from occugraph.store.embedded import builds_dir, current_build, next_build, open_read_only
from tests.conftest import term_value

S = NamedNode("https://example.org/s")
P = NamedNode("https://example.org/p")


def quad(value: str) -> Quad:
    return Quad(S, P, Literal(value), DefaultGraph())


def values(store: Store) -> list[str]:
    return sorted(term_value(q.object) for q in store.quads_for_pattern(None, None, None, None))


def test_each_build_starts_from_a_copy_of_the_last(tmp_path: Path) -> None:
    link = tmp_path / "store"
    with next_build(link) as (store, _):
        store.add(quad("one"))
    with next_build(link) as (store, _):
        store.add(quad("two"))
    assert values(open_read_only(link)) == ["one", "two"]
    # The link is what Oxigraph opens; the previous build is kept for readers.
    assert values(Store.read_only(str(link))) == ["one", "two"]
    assert len(list(builds_dir(link).iterdir())) == 3  # two builds and the lock file


def test_a_failed_build_changes_nothing(tmp_path: Path) -> None:
    link = tmp_path / "store"
    with next_build(link) as (store, _):
        store.add(quad("kept"))
    before = current_build(link)
    assert before is not None
    with pytest.raises(RuntimeError), next_build(link) as (store, _):
        store.add(quad("lost"))
        raise RuntimeError("killed half-way")
    assert current_build(link) == before
    assert values(open_read_only(link)) == ["kept"]
    assert {p.name for p in builds_dir(link).iterdir()} == {before.name, ".lock"}


def test_a_plain_directory_is_not_taken_for_a_store(tmp_path: Path) -> None:
    (tmp_path / "store").mkdir()
    with pytest.raises(OccugraphError, match="was not made by occugraph build"):
        current_build(tmp_path / "store")
    with pytest.raises(OccugraphError, match="no store at"):
        open_read_only(tmp_path / "nothing")


def test_two_builds_at_once_are_refused(tmp_path: Path) -> None:
    link = tmp_path / "store"
    with next_build(link), pytest.raises(OccugraphError, match="another build"), next_build(link):
        pass
