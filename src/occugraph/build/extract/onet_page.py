"""O*NET occupation pages: MDX with YAML frontmatter and headed component tags.

The page itself holds almost no data: the frontmatter names the occupation and
the body says which O*NET tables are shown where (``<Tasks occupation="…">``).
So the record keeps the frontmatter fields as stated and, per markdown heading,
the component tags under it. YAML is read by :mod:`~occugraph.extract.frontmatter`;
headings follow CommonMark ATX headings (https://spec.commonmark.org/0.31.2/#atx-headings).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from urllib.parse import unquote, urlsplit

from occugraph.build.extract import Extractor, frontmatter
from occugraph.build.extract.text import check_size, clean, lines_of, strip_bom
from occugraph.build.records.onet_page import ComponentTag, OnetPage, PageSection
from occugraph.errors import InputError
from occugraph.slugs import slug

KIND = "onet-page"

_FENCE = re.compile(r"^\s*---\s*$")
_CLOSE = re.compile(r"^\s*(?:---|\.\.\.)\s*$")
# A frontmatter key that only an occupation page would carry, quoted or not.
_PAGE_KEY = re.compile(r"""^\s*["']?(?:title|code|\$id)["']?\s*:""")
_SOC_CODE = re.compile(r"^\d{2}-\d{4}\.\d{2}$")
_HEADING = re.compile(r" {0,3}(#{1,6})[ \t]+")  # the closing '#'s are cut by _heading
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_CODE_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# A JSX-like opening or self-closing tag whose name starts with a capital letter;
# closing tags start with '</' and so never match.
# Names and {expressions} stop at '<', so that text full of '<A' or '<A b={' cannot make
# every '<' scan to the end of the body (quadratic time); quoted values may hold '<'.
_TAG = re.compile(
    r"""<([A-Z][\w.]*)((?:\s+[^\s=/<>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|\{[^}<]*\}))?)*)\s*/?>"""
)
_ATTRIBUTE = re.compile(r"""([^\s=/<>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|\{([^}<]*)\}))?""")
# How far to look for a frontmatter key when only sniffing the kind.
_SNIFF_LINES = 80


def looks_like(text: str) -> bool:
    """True if the text opens with a frontmatter block naming a title, code or $id.

    Cheap on purpose: the block is not parsed, so an unterminated or broken one is
    still recognised and then reported by ``extract``.

    >>> looks_like("---\\ntitle: Electricians\\n---\\n# Electricians")
    True
    >>> looks_like("# Electricians")
    False
    """
    lines = lines_of(strip_bom(text))
    start = _first_nonblank(lines)
    if start is None or not _FENCE.match(lines[start]):
        return False
    for line in lines[start + 1 : start + 1 + _SNIFF_LINES]:
        if _CLOSE.match(line):
            return False
        if _PAGE_KEY.match(line):
            return True
    return False


def extract(text: str) -> OnetPage:
    """Read an O*NET page's frontmatter and its headed component tags.

    >>> page = extract("---\\ntitle: Electricians\\ncode: 47-2111.00\\n---\\n"
    ...                "## Tasks\\n<Tasks occupation=\\"Electricians\\" />")
    >>> page.code, page.sections[0].components[0].attributes
    ('47-2111.00', {'occupation': 'Electricians'})

    :raises InputError: for missing or broken frontmatter, or a bad title, code or $id.
    """
    lines = lines_of(strip_bom(text))
    check_size(text, lines)
    start = _first_nonblank(lines)
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

    def field(key: str) -> str | None:
        return _text_field(fields, key, key_lines.get(key, start + 1))

    title = field("title")
    if not title:
        raise InputError("frontmatter has no 'title'", line=key_lines.get("title", start + 1))
    code = field("code")
    if code is not None and not _SOC_CODE.match(code):
        raise InputError(
            f"frontmatter 'code': expected an O*NET-SOC code like 15-1252.00, got {code!r}",
            line=key_lines.get("code", start + 1),
        )
    stated_id = field("$id")
    warnings: list[str] = []
    if stated_id is not None:
        warning = _check_id(stated_id, title, line=key_lines.get("$id", start + 1))
        if warning:
            warnings.append(warning)
    sections, stray = _sections(lines[end + 1 :])
    if stray:
        warnings.append(f"{stray} component tag(s) before the first heading were ignored")
    return OnetPage(
        stated_id=stated_id,
        stated_type=field("$type"),
        code=code,
        title=title,
        description=field("description"),
        source=field("source"),
        sections=sections,
        warnings=warnings,
    )


def _first_nonblank(lines: list[str]) -> int | None:
    return next((i for i, line in enumerate(lines) if line.strip()), None)


def _text_field(fields: dict[Any, Any], key: str, line: int) -> str | None:
    """A frontmatter value as text; YAML may have read a number or a date instead."""
    value = fields.get(key)
    if value is None:
        return None
    if not isinstance(value, str | int | float | date):  # a date is a datetime too
        kind = "mapping" if isinstance(value, dict) else type(value).__name__
        raise InputError(f"frontmatter {key!r}: expected text, got a {kind}", line=line)
    text = clean(str(value))
    if _SURROGATE.search(text):
        raise InputError(
            f"frontmatter {key!r}: a \\u escape stands for half a character (a lone surrogate)",
            line=line,
        )
    return text or None


def _check_id(stated_id: str, title: str, *, line: int) -> str | None:
    """Reject an $id that is not an absolute URL; a warning if it is not the title's slug."""
    try:
        parts = urlsplit(stated_id)
    except ValueError:  # e.g. 'http://[::1' (an unclosed IPv6 address)
        parts = None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.netloc
        or " " in stated_id
    ):
        raise InputError(
            f"frontmatter '$id': expected an absolute http(s) URL, got {stated_id!r}", line=line
        )
    last = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1])
    expected = slug(title)
    if last != expected:
        return (
            f"$id {stated_id} disagrees with the slug of its title {title!r}: "
            f"expected the last segment {expected!r}, got {last!r}"
        )
    return None


def _sections(body: list[str]) -> tuple[list[PageSection], int]:
    """Headed sections with their tags, and how many tags came before any heading."""
    headed: list[tuple[str, int, list[str]]] = []
    stray: list[str] = []
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
        heading = _heading(line)
        if heading:
            headed.append((clean(heading[1]), heading[0], []))
        elif headed:
            headed[-1][2].append(line)
        else:
            stray.append(line)
    sections = [
        PageSection(heading=text, level=level, components=_tags("\n".join(chunk)))
        for text, level, chunk in headed
    ]
    return sections, len(_tags("\n".join(stray)))


def _heading(line: str) -> tuple[int, str] | None:
    """Level and text of an ATX heading; the closing '#'s need a space or tab before them.

    Cut by hand: as a regex ('(.*?)(?:[ \\t]+#+)?[ \\t]*$') a long run of spaces backtracks
    quadratically.

    >>> _heading("## Tasks ##"), _heading("# C#"), _heading("#5")
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


def _tags(chunk: str) -> list[ComponentTag]:
    """Component tags in a chunk of body text; a tag may span lines, as JSX allows."""
    return [
        ComponentTag(name=match.group(1), attributes=_attributes(match.group(2)))
        for match in _TAG.finditer(chunk)
    ]


def _attributes(source: str) -> dict[str, str]:
    attributes: dict[str, str] = {}
    for match in _ATTRIBUTE.finditer(source):
        name, double, single, expression = match.groups()
        if double is not None:
            attributes[name] = double
        elif single is not None:
            attributes[name] = single
        elif expression is not None:
            # A JSX expression: keep a string literal's text, else the expression itself.
            attributes[name] = expression.strip().strip("\"'`")
        else:
            attributes[name] = "true"  # A bare JSX attribute means true.
    return attributes


EXTRACTOR = Extractor(
    kind=KIND, record=OnetPage, precedence=10, looks_like=looks_like, extract=extract
)
