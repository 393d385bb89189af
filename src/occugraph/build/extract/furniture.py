"""Page furniture: the text a web page carries around its article.

A page copied from a blog or careers site brings its furniture along as plain
lines: related-post lists, view counters, breadcrumbs, share widgets, cookie
banners. None of it is about the job, and it must go before headings and
sentences are read, or a related-post title reads as a section heading. Telling
furniture from content is a concern of its own, about page layout rather than
about what the prose says, so it lives here rather than in the extractor.
"""

from __future__ import annotations

import re

from occugraph.build.extract.text import heading_text, is_title_case, markdown_heading

_JUNK_MARKER = re.compile(
    r"^\W*(?:lastest news|latest (?:news|posts|articles)|related (?:news|posts?|articles?|"
    r"stories|reading|content|jobs)|you (?:may|might) also (?:like|enjoy)|recommended"
    r"(?: for you| reading| articles?| posts?)?|read (?:more|next)|more (?:from|stories|articles)"
    r"|popular (?:posts|articles)|trending(?: now)?|share(?: this(?: article| post| page)?)?"
    r"|(?:\d+\s+)?comments?(?:\s*\(\d+\))?|leave a (?:comment|reply)|about the author"
    r"|(?:previous|next) (?:post|article)|tags|categories|related hiring resources"
    r"|frequently asked questions|faqs?)\W*$",
    re.I,
)
_JUNK_LINE = re.compile(
    r"^[\W_]+$"  # rules and lone dashes
    # Counters; the figure is bounded, or '0,0,0,...' would be rescanned from every digit.
    r"|\b\d[\d,.]{0,20}[kK]?\s+(?:views?|comments?|shares?|likes?|reads?)\b"
    r"|^\d+\s+min(?:ute)?s?\s+read\b"
    r"|^(?:home|start)\s*(?:>|»|›|/|→)"  # breadcrumbs
    r"|\s(?:>|»|›)\s.*\s(?:>|»|›)\s"
    r"|^[\w ]{1,30}(?:\s/\s[\w .]{1,30}){2,}$"  # 'Job descriptions / Finance / accountant.'
    r"|\S\s\|\s.*\S\s\|\s"  # menus: 'Overview | Salary | Reviews'
    r"|^\[?(?:image|photo|picture)\s*:.*$"  # alt text left where an image was
    r"|^(?:advertisement|sponsored|skip to (?:main )?content|click here.*|share on \w+)\W*$",
    re.I,
)
# Job-board and template-site boilerplate: ads to the employer reading the page, not the job.
_BOARD = re.compile(
    r"\bpost (?:your|a|this|the) job\b|\bpost this\b.*\bjob boards?\b|\bhey there\b|"
    r"\bready to hire\b|\bsponsor (?:your )?(?:first )?job\b|\bto (?:the )?(?:top )?job boards\b|"
    r"\bjob boards? with one submission\b|^(?:build|create) (?:a|your) job description\b|"
    r"^(?:sign up|log in|post now|report job|show (?:more|less)|apply now)\b|^share\s*:|"
    r"^\W*\w+ data (?:as of|\u2013|-)|^last updated\s*:|^special offer\W*$",
    re.I,
)
_COOKIES = re.compile(
    r"\bcookies?\b.*\b(?:accept|consent|privacy|we use|this site uses)\b"
    r"|\b(?:accept|consent|we use)\b.*\bcookies?\b",
    re.I,
)


_BANNER_CHARS = 1_000  # a cookie banner is short; '.*' over a long line backtracks


def _is_prose(line: str) -> bool:
    return len(line.split()) >= 25 and bool(re.search(r"[.!?]", line))


# An image's credit ('Site / Illustration by A. Name') and the caption or alt text above it.
_CREDIT = re.compile(r"^[^/]{2,60}\s/\s[^/]{2,60}$")
_CREDIT_WORD = re.compile(r"illustrat|photo|image|credit|getty|shutterstock|\u00a9|\(c\)", re.I)
_CAPTION = re.compile(r"^[a-z][^.!?:]{0,100}$")


def _image_lines(lines: list[str]) -> set[int]:
    """Lines of an image left as text: a credit line, and a lower-case caption just above it."""
    found: set[int] = set()
    previous: int | None = None
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        caption = previous is not None and _CAPTION.match(lines[previous].strip())
        if (
            len(stripped.split()) <= 10
            and _CREDIT.match(stripped)
            and (caption or _CREDIT_WORD.search(stripped))
        ):
            found.add(index)
            if caption and previous is not None:
                found.add(previous)
        previous = index
    return found


def without_junk(lines: list[str]) -> list[str]:
    """Blank out page furniture; a junk marker blanks everything up to new prose.

    Lines are blanked, not dropped, so line numbers and paragraph breaks survive.

    >>> without_junk(["Welders join metal.", "Related posts", "Ten tips for welders"])
    ['Welders join metal.', '', '']
    """
    kept: list[str] = []
    in_junk = False
    images = _image_lines(lines)
    for number, line in enumerate(lines):
        stripped = line.strip()
        words = len(stripped.split())
        markdown = markdown_heading(line)
        if stripped and words <= 8 and _JUNK_MARKER.match(stripped):
            in_junk = True
        elif in_junk and (
            _is_prose(stripped) or (markdown is not None and not _JUNK_MARKER.match(markdown[1]))
        ):
            in_junk = False
            # A share widget between sections swallows the next plain heading: give it back.
            previous = next((i for i in range(len(kept) - 1, -1, -1) if lines[i].strip()), None)
            if previous is not None and _is_prose(stripped) and not kept[previous]:
                heading = heading_text(lines[previous])
                if heading and is_title_case(heading) and not _JUNK_MARKER.match(heading):
                    kept[previous] = lines[previous]
        if (
            in_junk
            or number in images
            or (words <= 15 and _JUNK_LINE.search(stripped))
            or (words <= 30 and _BOARD.search(stripped))
            or (words <= 60 and len(stripped) <= _BANNER_CHARS and _COOKIES.search(stripped))
        ):
            kept.append("")
        else:
            kept.append(line)
    return kept
