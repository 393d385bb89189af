"""YAML frontmatter: libyaml reads what it safely can, the careful parser the rest, alike."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from occugraph.build.extract import frontmatter
from occugraph.errors import InputError

BLOCKS = [
    ["$id: https://graph.org.ai/occupations/47-2111.00", "$type: Occupation", 'code: "47-2111.00"'],
    [
        "code:",
        "  code: null",
        "title:",
        "  title: null",
        "description: Install, maintain",
        "  and repair.",
    ],
    ['example: "Adobe Acrobat"', "hotTechnology: true", "inDemand: false", "commodityCode: '432'"],
    ["taskId: 2882", "when: 2024-01-31", "share: 0.5", "tags: [a, b]", "nested: {x: 1}"],
    ["title: >", "  folded", "  text", "list:", "  - one", "  - two"],
]


def careful(lines: list[str]) -> tuple[dict[Any, Any], dict[str, int]]:
    """What the pure-Python parser alone reads (more brackets than the fast path takes)."""
    padding = [
        "pad: " + "[" * (frontmatter.MAX_BRACKETS + 1) + "]" * (frontmatter.MAX_BRACKETS + 1)
    ]
    data, lines_of_keys = frontmatter.read(lines + padding, first_line=2)
    del data["pad"], lines_of_keys["pad"]
    return data, lines_of_keys


@pytest.mark.parametrize("lines", BLOCKS)
def test_both_parsers_read_a_block_alike(lines: list[str]) -> None:
    assert frontmatter.read(lines, first_line=2) == careful(lines)


def test_the_fast_path_reads_a_plain_block() -> None:
    data, _ = frontmatter._read_fast("a: 1\nb: two", first_line=2)
    assert data == {"a": 1, "b": "two"}


@pytest.mark.parametrize(
    ("lines", "message", "line"),
    [
        (["a: &x [1]", "b: *x"], "YAML aliases are not allowed in frontmatter (found *x)", 3),
        (["title: Electricians", "  bad: indent: x"], "mapping values are not allowed here", 3),
        (["when: 2024-13-45"], "cannot be read as timestamp", 2),
        (["run: !!python/object/apply:os.system ['x']"], "is not allowed", 2),
        (["- a", "- b"], "not a mapping", 1),
    ],
)
def test_what_libyaml_refuses_or_finds_reads_as_the_careful_parser_says(
    lines: list[str], message: str, line: int
) -> None:
    with pytest.raises(InputError) as caught:
        frontmatter.read(lines, first_line=2)
    assert message in caught.value.message
    assert caught.value.line == line


def test_deep_brackets_never_reach_libyaml() -> None:
    deep = ["code: " + "[" * 5_000 + "]" * 5_000]
    with pytest.raises(InputError, match="nested too deeply"):
        frontmatter.read(deep, first_line=2)


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30),
)
KEYS = st.text(st.characters(min_codepoint=97, max_codepoint=122), min_size=1, max_size=8)


@settings(max_examples=200, derandomize=True, database=None)
@given(
    st.dictionaries(KEYS, st.one_of(SCALARS, st.lists(SCALARS, max_size=4)), min_size=1, max_size=8)
)
def test_any_plain_mapping_reads_alike(mapping: dict[str, Any]) -> None:
    lines = yaml.safe_dump(mapping, allow_unicode=True, sort_keys=False).splitlines()
    try:
        expected = careful(lines)
    except InputError:
        with pytest.raises(InputError):
            frontmatter.read(lines, first_line=2)
        return
    assert frontmatter.read(lines, first_line=2) == expected
