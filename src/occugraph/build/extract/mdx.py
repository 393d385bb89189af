"""MDX pages: YAML frontmatter between ``---`` lines, then a Markdown body with JSX components.

The O*NET pages of graph.org.ai (occupations, tasks, technology, tools) all take this
shape; this module reads what they share: the frontmatter (through
:mod:`~occugraph.build.extract.frontmatter`, so every value error names its line), its
fields as text, the ``$id`` check, and the body's headings
(CommonMark ATX headings, https://spec.commonmark.org/0.31.2/#atx-headings), component
tags and Markdown links. Generated pages have defects that are normal input here: a field
that holds a mapping of nulls (``title:\\n  title: null``, what a template's ``{title}``
becomes in YAML), an ``export const`` block before the first heading, components whose
attributes are not quoted (``<Tasks occupation=Electricians />``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from occugraph.build.extract import frontmatter
from occugraph.build.extract.text import check_size, clean, lines_of, strip_bom
from occugraph.errors import InputError

_FENCE = re.compile(r"^\s*---\s*$")
_CLOSE = re.compile(r"^\s*(?:---|\.\.\.)\s*$")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_HEADING = re.compile(r" {0,3}(#{1,6})[ \t]+")  # the closing '#'s are cut by heading()
_CODE_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# A JSX-like opening or self-closing tag whose name starts with a capital letter;
# closing tags start with '</' and so never match. Values are quoted, {expressions}, or
# (in generated pages) bare words.
# Names and {expressions} stop at '<', so that text full of '<A' or '<A b={' cannot make
# every '<' scan to the end of the body (quadratic time); quoted values may hold '<'.
_VALUE = r"""(?:"[^"]*"|'[^']*'|\{[^}<]*\}|[^\s"'=<>`{}/]+)"""
_TAG = re.compile(rf"""<([A-Z][\w.]*)((?:\s+[^\s=/<>]+(?:\s*=\s*{_VALUE})?)*)\s*/?>""")
_ATTRIBUTE = re.compile(
    r"""([^\s=/<>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|\{([^}<]*)\}|([^\s"'=<>`{}/]+)))?"""
)
_LINK = re.compile(r"\[([^\]\n]*)\]\(([^)\n]*)\)")
_PLACEHOLDER = re.compile(r"\{[A-Za-z_]\w*\}")
# How far to look for a frontmatter key when only sniffing the kind.
SNIFF_LINES = 80


@dataclass(frozen=True)
class Tag:
    name: str
    attributes: dict[str, str]


@dataclass(frozen=True)
class Link:
    text: str
    target: str


@dataclass(frozen=True)
class Page:
    """A page's frontmatter and body, with the file line of everything in them."""

    fields: dict[Any, Any]
    key_lines: dict[str, int]
    opening: int
    """The file line of the opening ``---``."""
    body: list[str]
    body_line: int
    """The file line of ``body[0]``."""

    def line(self, key: str) -> int:
        return self.key_lines.get(key, self.opening)

    def text(self, key: str) -> str | None:
        """A frontmatter value as text; YAML may have read a number or a date instead."""
        value = self.fields.get(key)
        if value is None:
            return None
        if not isinstance(value, str | int | float | date):  # a date is a datetime too
            kind = "mapping" if isinstance(value, dict) else type(value).__name__
            raise InputError(
                f"frontmatter {key!r}: expected text, got a {kind}", line=self.line(key)
            )
        text = clean(str(value))
        if _SURROGATE.search(text):
            raise InputError(
                f"frontmatter {key!r}: a \\u escape stands for half a character (a lone surrogate)",
                line=self.line(key),
            )
        return text or None

    def left_empty(self, key: str) -> bool:
        """Whether a field is a mapping holding only nulls, as a generator's ``{key}``
        placeholder comes out: the page meant the value and did not fill it in."""
        value = self.fields.get(key)
        return isinstance(value, dict) and bool(value) and all(v is None for v in value.values())

    def matching(self, key: str, pattern: re.Pattern[str], what: str) -> str | None:
        """A field's text, which must match ``pattern`` (``what`` says what it must be)."""
        value = self.text(key)
        if value is not None and not pattern.match(value):
            raise InputError(
                f"frontmatter {key!r}: expected {what}, got {value!r}", line=self.line(key)
            )
        return value

    def flag(self, key: str) -> bool | None:
        value = self.fields.get(key)
        if value is None or isinstance(value, bool):
            return value
        raise InputError(
            f"frontmatter {key!r}: expected true or false, got {value!r}", line=self.line(key)
        )


def starts_with_frontmatter(text: str, key: re.Pattern[str]) -> bool:
    """True if the text opens with a frontmatter block with a line that ``key`` matches.

    Cheap on purpose: the block is not parsed, so an unterminated or broken one is still
    recognised and then reported by the extractor.
    """
    lines = lines_of(strip_bom(text))
    start = first_nonblank(lines)
    if start is None or not _FENCE.match(lines[start]):
        return False
    for line in lines[start + 1 : start + 1 + SNIFF_LINES]:
        if _CLOSE.match(line):
            return False
        if key.match(line):
            return True
    return False


def read_page(text: str) -> Page:
    """Split a page into its frontmatter, read, and its body.

    :raises InputError: for a missing, unterminated or broken frontmatter block.
    """
    lines = lines_of(strip_bom(text))
    check_size(text, lines)
    start = first_nonblank(lines)
    if start is None:
        raise InputError("empty document: expected YAML frontmatter between '---' lines", line=1)
    if not _FENCE.match(lines[start]):
        raise InputError("expected YAML frontmatter opening with a '---' line", line=start + 1)
    end = next((i for i in range(start + 1, len(lines)) if _CLOSE.match(lines[i])), None)
    if end is None:
        raise InputError(
            "unterminated frontmatter: the opening '---' has no closing '---' line",
            line=start + 1,
        )
    fields, key_lines = frontmatter.read(lines[start + 1 : end], first_line=start + 2)
    return Page(fields, key_lines, start + 1, lines[end + 1 :], end + 2)


def first_nonblank(lines: list[str]) -> int | None:
    return next((i for i, line in enumerate(lines) if line.strip()), None)


def check_id(page: Page) -> str | None:
    """The page's ``$id``, checked to be an absolute http(s) URL with no placeholder.

    A template (a page whose ``$id`` holds ``{id}`` or ``{code}``) describes the shape of
    pages, not one thing: it is refused.
    """
    stated = page.text("$id")
    if stated is None:
        return None
    line = page.line("$id")
    placeholder = _PLACEHOLDER.search(stated)
    if placeholder:
        raise InputError(
            f"a page template, not a page about one thing: its $id {stated} holds the "
            f"placeholder {placeholder.group(0)}",
            line=line,
        )
    try:
        parts = urlsplit(stated)
    except ValueError:  # e.g. 'http://[::1' (an unclosed IPv6 address)
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc or " " in stated:
        raise InputError(
            f"frontmatter '$id': expected an absolute http(s) URL, got {stated!r}", line=line
        )
    return stated


def heading(line: str) -> tuple[int, str] | None:
    """Level and text of an ATX heading; the closing '#'s need a space or tab before them.

    Cut by hand: as a regex ('(.*?)(?:[ \\t]+#+)?[ \\t]*$') a long run of spaces backtracks
    quadratically.

    >>> heading("## Tasks ##"), heading("# C#"), heading("#5")
    ((2, 'Tasks'), (1, 'C#'), None)
    """
    match = _HEADING.match(line)
    if match is None:
        return None
    text = line[match.end() :].rstrip(" \t")
    bare = text.rstrip("#")
    if bare != text and bare[-1:] in (" ", "\t"):
        text = bare.rstrip(" \t")
    return len(match.group(1)), text


def sections(body: list[str]) -> tuple[list[tuple[str, int, list[str]]], list[str]]:
    """The body's headed sections (text, level, lines), outside code fences, and the
    lines before the first heading."""
    headed: list[tuple[str, int, list[str]]] = []
    before: list[str] = []
    fence: str | None = None
    for line in body:
        opener = _CODE_FENCE.match(line)
        if fence is not None:
            if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence):
                fence = None
            continue
        if opener:
            fence = opener.group(1)
            continue
        found = heading(line)
        if found:
            headed.append((clean(found[1]), found[0], []))
        elif headed:
            headed[-1][2].append(line)
        else:
            before.append(line)
    return headed, before


def first_heading(body: list[str]) -> str | None:
    """The text of the body's first heading, if it has one."""
    headed, _ = sections(body)
    return headed[0][0] if headed and headed[0][0] else None


def tags(chunk: str) -> list[Tag]:
    """Component tags in a chunk of body text; a tag may span lines, as JSX allows.

    >>> tags('<Tasks occupation=Electricians /> <Skills occupation="Nurses" />')
    [Tag(name='Tasks', attributes={'occupation': 'Electricians'}), \
Tag(name='Skills', attributes={'occupation': 'Nurses'})]
    """
    return [Tag(match.group(1), _attributes(match.group(2))) for match in _TAG.finditer(chunk)]


def _attributes(source: str) -> dict[str, str]:
    attributes: dict[str, str] = {}
    for match in _ATTRIBUTE.finditer(source):
        name, double, single, expression, bare = match.groups()
        if double is not None:
            attributes[name] = double
        elif single is not None:
            attributes[name] = single
        elif expression is not None:
            # A JSX expression: keep a string literal's text, else the expression itself.
            attributes[name] = expression.strip().strip("\"'`")
        elif bare is not None:
            attributes[name] = bare
        else:
            attributes[name] = "true"  # A bare JSX attribute means true.
    return attributes


def links(lines: list[str]) -> list[Link]:
    """Markdown links ``[text](target)`` in some lines, in order.

    >>> links(["- [Install wiring.](Tasks/2873.mdx) and [x](y)"])
    [Link(text='Install wiring.', target='Tasks/2873.mdx'), Link(text='x', target='y')]
    """
    return [
        Link(clean(match.group(1)), match.group(2).strip())
        for line in lines
        for match in _LINK.finditer(line)
    ]


def bold_field(lines: list[str], *names: str) -> tuple[str, int] | None:
    """The value of a ``**Name**: value`` line (the first of ``names`` found) and its index.

    >>> bold_field(["x", "**O*NET Code**: 47-2111.00"], "O*NET-SOC Code", "O*NET Code")
    ('47-2111.00', 1)
    """
    for index, line in enumerate(lines):
        for name in names:
            prefix = f"**{name}**:"
            if line.lstrip().startswith(prefix):
                return clean(line.lstrip()[len(prefix) :]), index
    return None
