"""Line-level helpers the extractors share: line ends, bullets, blank-line blocks."""

from __future__ import annotations

import re

# Bullet characters seen in exported web pages and word processors, plus
# markdown-style '-', '*', '+' and numbered items ("1.", "2)", "a.").
_BULLET = re.compile(r"^\s*(?:[•·▪▫◦‣⁃●○■□➢➤►▶✓✔\-*+–—]|\(?\d{1,3}[.)]|\(?[a-z][.)])\s+")


def lines_of(text: str) -> list[str]:
    """Split on any line end (LF, CRLF, CR), keeping no line terminators."""
    return text.splitlines()


def bullet_item(line: str) -> str | None:
    """The text of a bulleted line, or None if the line is not a bullet item.

    >>> bullet_item("  • install wiring in new buildings")
    'install wiring in new buildings'
    >>> bullet_item("Duties") is None
    True
    """
    match = _BULLET.match(line)
    if match is None:
        return None
    item = line[match.end() :].strip()
    return item or None


def clean(text: str) -> str:
    """Collapse runs of white space to one space and strip the ends."""
    return re.sub(r"\s+", " ", text).strip()


def strip_bom(text: str) -> str:
    """Drop a leading byte-order mark, which editors on Windows like to add.

    >>> strip_bom("\\ufeff---")
    '---'
    """
    return text[1:] if text.startswith("\ufeff") else text


_LINE_END = re.compile(r"\r\n|\r|\n")


def line_at(text: str, offset: int) -> int:
    """The 1-based line holding character ``offset``, counting any line end.

    Python's json counts only LF, so a CR-only file would otherwise be "all line 1".

    >>> line_at("a\\r\\nb\\rc", 5)
    3
    """
    return len(_LINE_END.findall(text, 0, max(0, offset))) + 1


_MARKDOWN_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "for",
        "from",
        "in",
        "into",
        "nor",
        "of",
        "on",
        "or",
        "per",
        "the",
        "to",
        "vs",
        "with",
    ]
)


def markdown_heading(line: str) -> tuple[int, str] | None:
    """The depth and text of an ATX heading ('## Duties' -> (2, 'Duties')), else None.

    >>> markdown_heading("## What You'll Do ##")
    (2, "What You'll Do")
    >>> markdown_heading("#hashtag") is None
    True
    """
    match = _MARKDOWN_HEADING.match(line)
    if match is None or not match.group(2):
        return None
    return len(match.group(1)), match.group(2)


def heading_text(line: str, *, max_words: int = 12) -> str | None:
    """The text of a line that could be a heading, or None for prose, bullets and blanks.

    Web pages lose their markup when copied as text, so a heading is only a short
    line that does not end like a sentence; callers add what context they need
    (what follows it, Title Case) before trusting it.

    >>> heading_text("## Duties:")
    'Duties'
    >>> heading_text("**Skills and Qualities**")
    'Skills and Qualities'
    >>> heading_text("They inspect wiring.") is None
    True
    """
    markdown = markdown_heading(line)
    text = markdown[1] if markdown else line.strip()
    if not text or (markdown is None and bullet_item(line) is not None):
        return None
    text = text.strip("*_ ").rstrip(":").strip()
    if not text or not re.search(r"[^\W\d_]", text) or len(text.split()) > max_words:
        return None
    if markdown is None and re.search(r"[.,;!]$", text):
        return None
    return text


def is_title_case(text: str) -> bool:
    """Whether most words are capitalised, as headings are ('Daily Tasks and Duties').

    >>> is_title_case("How to Become an Electrician")
    True
    >>> is_title_case("the wiring was checked by")
    False
    """
    words = re.findall(r"[^\W\d_][\w'’-]*", text)
    if not words or not words[0][0].isupper():
        return False
    major = [word for word in words if word.lower() not in _SMALL_WORDS]
    capitalised = sum(1 for word in major if word[0].isupper())
    return capitalised >= 0.7 * len(major)


def looks_binary(text: str) -> bool:
    """Whether text is really bytes: NULs, control characters or decoding debris.

    >>> looks_binary("plain words\\n")
    False
    >>> looks_binary("PK\\x03\\x04\\x00\\x00 payload")
    True
    """
    if "\x00" in text:
        return True
    odd = sum(1 for char in text if (ord(char) < 32 and char not in "\t\n\r\f") or char == "\ufffd")
    return odd > max(2, len(text) // 100)
