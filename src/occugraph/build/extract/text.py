"""Line-level helpers the extractors share: line ends, bullets, blank-line blocks."""

from __future__ import annotations

import re

from occugraph.errors import InputError

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
    """Collapse runs of white space to one space and strip the ends.

    ``str.split`` splits on exactly the characters ``\\s`` matches, at a fraction
    of a regex's cost: every sentence and list item goes through here.

    >>> clean("  two\\t words \\n")
    'two words'
    """
    return " ".join(text.split())


def strip_bom(text: str) -> str:
    """Drop a leading byte-order mark, which editors on Windows like to add.

    >>> strip_bom("\\ufeff---")
    '---'
    """
    return text[1:] if text.startswith("\ufeff") else text


MAX_CHARS = 512 * 1024
MAX_LINES = 5_000
"""Text kinds (career articles, job descriptions, NOC profiles) longer than these are
refused: real ones are a few kilobytes and lines, and their readers run patterns on
every line and sentence, so only a bound on size bounds the time."""


def check_size(text: str, lines: list[str]) -> None:
    """Refuse a text document too large to be read in bounded time.

    >>> check_size("a\\n" * 5_001, ["a"] * 5_001)
    Traceback (most recent call last):
    occugraph.errors.InputError: <input>:5001: the document has 5,001 lines; at most 5,000 are read
    """
    if len(text) > MAX_CHARS:
        raise InputError(
            f"the document is {len(text) / 1024:,.0f} KB; "
            f"at most {MAX_CHARS // 1024} KB of this kind is read"
        )
    if len(lines) > MAX_LINES:
        raise InputError(
            f"the document has {len(lines):,} lines; at most {MAX_LINES:,} are read",
            line=MAX_LINES + 1,
        )


def head(text: str) -> str:
    """What content sniffing reads of a text document: its first MAX_CHARS and MAX_LINES.

    >>> head("a\\n" * 20_000).count("\\n")
    5000
    """
    lines = text[:MAX_CHARS].splitlines(keepends=True)
    return "".join(lines[:MAX_LINES])


MAX_SENTENCE = 1_000
"""Sentence readers skip longer "sentences": real ones are a fifth of this, and the
pattern readers are not linear in a sentence's length, so a megabyte with no full
stop (a data dump, an attack) must not reach them."""


def next_nonblank(lines: list[str]) -> list[int | None]:
    """For each line, the index of the next non-blank line after it, or None.

    One pass from the end, so that readers who look ahead stay linear in the
    number of lines.

    >>> next_nonblank(["a", "", " ", "b", ""])
    [3, 3, 3, None, None]
    """
    found: list[int | None] = [None] * len(lines)
    following: int | None = None
    for index in range(len(lines) - 1, -1, -1):
        found[index] = following
        if lines[index].strip():
            following = index
    return found


_LINE_END = re.compile(r"\r\n|\r|\n")


def line_at(text: str, offset: int) -> int:
    """The 1-based line holding character ``offset``, counting any line end.

    Python's json counts only LF, so a CR-only file would otherwise be "all line 1".

    >>> line_at("a\\r\\nb\\rc", 5)
    3
    """
    return len(_LINE_END.findall(text, 0, max(0, offset))) + 1


_MARKDOWN_OPENER = re.compile(r"\s{0,3}(#{1,6})\s+")
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
    match = _MARKDOWN_OPENER.match(line)
    if match is None:
        return None
    # The closing sequence is stripped by hand: as a regex ('(.*?)\s*#*\s*$') it
    # backtracks quadratically over long runs of spaces and '#'.
    text = line[match.end() :].rstrip().rstrip("#").rstrip()
    if not text:
        return None
    return len(match.group(1)), text


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


_ODD = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")  # control characters but \t \n \r \f


def looks_binary(text: str) -> bool:
    """Whether text is really bytes: NULs, control characters or decoding debris.

    >>> looks_binary("plain words\\n")
    False
    >>> looks_binary("PK\\x03\\x04\\x00\\x00 payload")
    True
    """
    if "\x00" in text:
        return True
    return len(_ODD.findall(text)) > max(2, len(text) // 100)
