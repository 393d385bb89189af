"""YAML frontmatter, read safely: plain values only, no aliases, bounded in size.

``yaml.safe_load`` (YAML 1.1, https://yaml.org/spec/1.1/) already refuses tags
that would run code (``!!python/object``), but it still expands aliases, and a
few lines of anchors and aliases ("billion laughs") describe gigabytes once
anything walks them. No frontmatter needs an alias, so the loader here refuses
one before anything is built. It also turns what PyYAML lets escape as a plain
``ValueError`` (an integer of 5,000 digits, a date like 2024-13-45) into an
``InputError`` on the value's line, and refuses blocks larger than any real
frontmatter, since the pure-Python parser needed for the alias check is slow.

That careful parser costs about a millisecond a page, which a corpus of a hundred
thousand pages feels. So a block is first read by libyaml (PyYAML's C parser, about
seven times faster), when that is safe: few enough brackets that its recursive composer
stays shallow, and no alias in what it composed (an alias shows as a node met twice,
found before anything is constructed, so nothing is expanded). Whatever libyaml refuses
or finds is read again by the careful parser, so every error reads as before.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import Node

from occugraph.errors import InputError

MAX_CHARS = 64 * 1024
"""Larger frontmatter is refused: a real one is under a kilobyte."""


MAX_BRACKETS = 64
"""More flow brackets than this, and a block goes to the careful parser only: libyaml's
composer recurses once per level of nesting."""


class _Checked(yaml.constructor.SafeConstructor):
    """What both loaders do alike: values that cannot be read, and tags that are not
    plain YAML, are refused on their file line."""

    first_line: int

    def _file_line(self, mark: Any) -> int:
        return self.first_line + int(mark.line)

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as error:
            shown = str(node.value) if isinstance(node.value, str) else node.tag
            shown = shown if len(shown) <= 40 else shown[:37] + "..."
            kind = node.tag.rsplit(":", 1)[-1]
            reason = str(error).split(";")[0]  # not Python's advice on raising its limits
            raise InputError(
                f"frontmatter value {shown!r} cannot be read as {kind}: {reason}",
                line=self._file_line(node.start_mark),
            ) from None

    def refuse_tag(self, node: Node) -> Any:
        raise InputError(
            f"frontmatter tag {node.tag!r} is not allowed: only plain YAML values are read",
            line=self._file_line(node.start_mark),
        )


class _Loader(_Checked, yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses aliases and unknown tags, naming the file line."""

    def __init__(self, stream: str, *, first_line: int) -> None:
        super().__init__(stream)
        self.first_line = first_line

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            event: Any = self.peek_event()  # type: ignore[no-untyped-call]
            raise InputError(
                f"YAML aliases are not allowed in frontmatter (found *{event.anchor})",
                line=self._file_line(event.start_mark),
            )
        return super().compose_node(parent, index)


class _FastLoader(_Checked, yaml.CSafeLoader):
    """libyaml's parser and composer with the checked constructor."""

    def __init__(self, stream: str, *, first_line: int) -> None:
        super().__init__(stream)
        self.first_line = first_line


class _NeedsCarefulParserError(Exception):
    """What libyaml read needs the careful parser: an alias (refused by name), or no mapping."""


def _refuse_tag(loader: _Loader | _FastLoader, node: Node) -> Any:
    return loader.refuse_tag(node)


_Loader.add_constructor(None, _refuse_tag)
_FastLoader.add_constructor(None, _refuse_tag)


def read(lines: list[str], *, first_line: int) -> tuple[dict[Any, Any], dict[str, int]]:
    """The frontmatter mapping and the 1-based line of each top-level key.

    ``first_line`` is the file line of ``lines[0]``.

    >>> read(["title: Electricians", "code: 47-2111.00"], first_line=2)
    ({'title': 'Electricians', 'code': '47-2111.00'}, {'title': 2, 'code': 3})
    >>> read(["a: &x [1]", "b: *x"], first_line=2)
    Traceback (most recent call last):
    occugraph.errors.InputError: <input>:3: YAML aliases are not allowed in frontmatter (found *x)
    """
    block = "\n".join(lines)
    if len(block) > MAX_CHARS:
        raise InputError(
            f"frontmatter is {len(block) / 1024:.0f} KB; at most {MAX_CHARS // 1024} KB is read",
            line=first_line - 1,
        )
    if block.count("[") + block.count("{") <= MAX_BRACKETS:
        try:
            return _read_fast(block, first_line)
        except (yaml.YAMLError, _NeedsCarefulParserError):
            pass  # the careful parser says what is wrong, as it always has
    try:
        loader = _Loader(block, first_line=first_line)  # it checks the characters at once
    except yaml.reader.ReaderError as error:
        raise InputError(
            f"invalid YAML in frontmatter: character U+{error.character:04X} is not allowed",
            line=first_line + block.count("\n", 0, error.position),
        ) from None
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        line = first_line + mark.line if mark is not None else first_line - 1
        problem = " ".join(str(problem).split())  # one line, whatever PyYAML wrote
        raise InputError(f"invalid YAML in frontmatter: {problem}", line=line) from None
    except RecursionError:
        raise InputError("frontmatter YAML is nested too deeply", line=first_line) from None
    finally:
        loader.dispose()
    if not isinstance(node, yaml.MappingNode) or not isinstance(data, dict):
        raise InputError(
            "frontmatter is not a mapping of keys to values (expected 'key: value' lines)",
            line=first_line - 1,
        )
    return data, _key_lines(node, first_line)


def _read_fast(block: str, first_line: int) -> tuple[dict[Any, Any], dict[str, int]]:
    loader = _FastLoader(block, first_line=first_line)
    try:
        node = loader.get_single_node()
        if node is not None:
            _refuse_aliases(node)
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    if not isinstance(node, yaml.MappingNode) or not isinstance(data, dict):
        raise _NeedsCarefulParserError  # not a mapping: the careful parser says so
    return data, _key_lines(node, first_line)


def _refuse_aliases(root: Node) -> None:
    """Raise if a node is reached twice: that is what an alias composes to."""
    seen: set[int] = set()
    todo = [root]
    while todo:
        node = todo.pop()
        if id(node) in seen:
            raise _NeedsCarefulParserError
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            todo.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            todo.extend(node.value)


def _key_lines(node: yaml.MappingNode, first_line: int) -> dict[str, int]:
    return {
        key.value: first_line + key.start_mark.line
        for key, _ in node.value
        if isinstance(key, yaml.ScalarNode)
    }
