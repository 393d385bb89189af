"""Canadian NOC unit-group profiles, as plain text copied from a job-bank style page.

A profile is a header naming the unit group and its code, then sections found by
their headings: sub-roles and employers ("About this job"), example job titles,
duties (grouped under a sub-role when headed), work environment and career paths.
The code's length gives the classification: 4 digits are NOC 2016, 5 digits NOC
2021 (https://noc.esdc.gc.ca/). Optional sections may be missing; only the code
and the title are required.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from occugraph.build.extract import Extractor, education, layout, salaries
from occugraph.build.extract.text import bullet_item, check_size, clean, head, lines_of, strip_bom
from occugraph.build.records.noc_profile import DutyGroup, NocProfile, SubRole
from occugraph.errors import InputError

KIND = "noc-profile"

_HEAD_LINES = 5
_HEADER_MAX = 160  # a header is a short line; prose that mentions a code is not one
_DASHES = " \t-\u2013\u2014:|,#"
# Versions of the NOC, which must not be read as a code when they stand alone.
_YEAR = r"(?:2011|2016|2021)"
_NOC_CODE = re.compile(
    rf"\(?\s*\bNOC\b(?:\s*(?P<year>{_YEAR})\b(?:\s*(?:version|v\.?)\s*\d+(?:\.\d+)*)?)?"
    rf"[\s:#\-\u2013\u2014]*(?P<code>(?!{_YEAR}\b)\d{{4,5}})\b\s*\)?",
    re.IGNORECASE,
)
# "NOC" and a code a digit short or too long: a profile with a malformed code, reported as one.
_NOC_NUMBER = re.compile(
    rf"\bNOC\b(?:\s*{_YEAR}\b)?[\s:#\-\u2013\u2014]*(?P<code>(?!{_YEAR}\b)(?:\d{{3}}|\d{{6,8}}))\b",
    re.IGNORECASE,
)
# "NOC" (or "NOC code") as a label on its own line, the code on the line after it.
_NOC_LABEL = re.compile(rf"^\W*NOC(?:\s+{_YEAR})?(?:\s+code)?\W*$", re.IGNORECASE)
_CODE_ALONE = re.compile(r"^\W*(?P<code>\d{4,5})\W*$")
# Banners a job site puts near the title ("High opportunity occupation"): never the title.
_BANNER = re.compile(
    r"^\W*(?:(?:high|good|top|very high) (?:opportunity|demand|outlook)(?: occupation| job)?|"
    r"in[- ]demand(?: occupation| job)?|hot job|featured(?: occupation)?|new|trending|"
    r"apprenticeable trade|red seal trade|regulated occupation)\W*$",
    re.IGNORECASE,
)
# "72200 - Electricians ..." or "Electricians (72200)": a code with no "NOC" before it.
# Possessive: '\s*#*\s*' alone backtracks quadratically over a long run of spaces.
_CODE_FIRST = re.compile(r"^\s*+#*+\s*+(?P<code>\d{4,5})\b(?:\s*[-\u2013\u2014:.|])?\s+(?=[^\W\d])")
_CODE_LAST = re.compile(r"\(\s*(?P<code>\d{4,5})\s*\)\s*$")

_SECTIONS = {
    "about": (
        "about this job|about the job|about this occupation|about this group|"
        "about this unit group|overview|description|lead statement"
    ),
    "titles": (
        "common job titles|job titles|example titles|sample titles|example job titles|"
        "sample job titles|examples of job titles|illustrative examples|index of titles"
    ),
    "duties": "duties|main duties|duties and responsibilities|main duties and responsibilities",
    "environment": "work environment|working conditions|work conditions",
    "career": "career paths|career path|career progression",
    "requirements": "employment requirements|education|requirements|job requirements",
    "other": (
        "career paths and resources|additional resources|additional information|"
        "exclusions|inclusions|classified elsewhere|similar occupations classified elsewhere|"
        "related occupations|job outlook|wages|labour market information|skills|"
        "interests|knowledge|quick facts|job details|breakdown summary|"
        "noc hierarchy breakdown|profile"
    ),
}
_HEADINGS = {name: section for section, names in _SECTIONS.items() for name in names.split("|")}

_EMPLOYER_LABEL = re.compile(
    r"^(?:people|workers|persons|those|they|employees)\b|employ|workplace|work setting|"
    r"where (?:they|people|workers) work",
    re.IGNORECASE,
)
_EMPLOYER_ITEM = re.compile(
    r"^(?:work for|work in|work at|are employed|employed|may be self-employed|"
    r"are self-employed)\b",
    re.IGNORECASE,
)
# What the people are like, listed among where they work: "are detail-oriented", "enjoy ...".
_TRAIT = re.compile(
    r"^(?:are|is|be|must|should|need|needs|have|has|enjoy|like|love|can|may|tend|want|"
    r"prefer|need to|thrive)\b",
    re.IGNORECASE,
)
_EMPLOYER_SENTENCE = re.compile(r"\b(?:are|may be|is) (?:self-)?employed\b|\bwork for\b", re.I)
_DUTY_INTRO = re.compile(
    r"\bfollowing duties\b|\bsome or all of\b|\bduties include\b|\bperforms? the following\b",
    re.IGNORECASE,
)
_PLACEHOLDER = re.compile(
    r"\bnot (?:currently |yet )?available\b|\bno (?:information|data|resources?)\b|"
    r"\bcoming soon\b|\bnot applicable\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
_TITLE_WORDS = 12  # a duty-group title is a short noun phrase, not a sentence


@dataclass
class _Entry:
    """One logical line of a section: a bullet item (with its wrapped lines) or a text line."""

    text: str
    bullet: bool
    after_blank: bool
    wrapped: list[str] = field(default_factory=list)  # joined once, at the end of the section


def looks_like(text: str) -> bool:
    """True if a "NOC" code heads the text, or a code heads titled and duty sections.

    >>> looks_like("Electricians (NOC 72200)\\n\\nDuties\\n- install wiring")
    True
    >>> looks_like("Electricians install wiring.")
    False
    """
    lines = lines_of(head(strip_bom(text)))
    first = [line for line in lines if line.strip()][:_HEAD_LINES]
    if (
        any(
            len(line) <= _HEADER_MAX and (_NOC_CODE.search(line) or _NOC_NUMBER.search(line))
            for line in first
        )
        or _labelled_code(first) is not None
    ):
        return True
    if not any(_CODE_FIRST.match(line) or _CODE_LAST.search(line) for line in first):
        return False
    found = {_HEADINGS.get(_heading_name(line)) for line in lines}
    if any(layout.lead_in_role(line) == "duties" for line in lines):
        found.add("duties")  # "X perform some or all of the following duties:" heads them
    return {"titles", "duties"} <= found


def _labelled_code(first: list[str]) -> int | None:
    """The index of a code that follows a line reading just "NOC", if the head has one."""
    for index in range(len(first) - 1):
        if _NOC_LABEL.match(first[index]) and _CODE_ALONE.match(first[index + 1]):
            return index + 1
    return None


def extract(text: str) -> NocProfile:
    """Read a NOC unit-group profile.

    >>> profile = extract("Electricians (NOC 72200)\\n\\nDuties\\n- install wiring")
    >>> profile.code, profile.version, profile.duty_groups[0].duties
    ('72200', '2021', ['install wiring'])

    :raises InputError: if the first lines carry no NOC code or no title.
    """
    lines = lines_of(strip_bom(text))
    check_size(text, lines)
    index, code, year, title = _header(lines)
    version: Literal["2016", "2021"] = "2016" if len(code) == 4 else "2021"
    warnings: list[str] = []
    if year is not None and year != version:
        warnings.append(f"the header says NOC {year} but code {code} is a NOC {version} code")
    if not title:
        index, title = _title_nearby(lines, index)
    sections = _sections(lines[index + 1 :])
    sub_roles, employers, characteristics = _about(sections.get("about", []))
    requirements = [entry.text for entry in sections.get("requirements", [])]
    return NocProfile(
        code=code,
        version=version,
        title=title,
        sub_roles=sub_roles,
        employers=employers,
        characteristics=characteristics,
        job_titles=_job_titles(sections.get("titles", [])),
        duty_groups=_duties(sections.get("duties", [])),
        work_environment=_prose_items(sections.get("environment", [])),
        career_paths=[
            item
            for item in _prose_items(sections.get("career", []))
            if not _PLACEHOLDER.search(item)
        ],
        degrees=[degree for text in requirements for degree in education.degrees(text)],
        salaries=salaries.stated_pay(lines[index + 1 :]),
        warnings=warnings,
    )


def _header(lines: list[str]) -> tuple[int, str, str | None, str]:
    """The header line's index, its code, any NOC year it names, and the title left on it."""
    first = [i for i, line in enumerate(lines) if line.strip()][:_HEAD_LINES]
    if not first:
        raise InputError("empty document: expected a NOC profile", line=1)
    for i in first:
        match = _NOC_CODE.search(lines[i]) if len(lines[i]) <= _HEADER_MAX else None
        if match:
            return i, match.group("code"), match.group("year"), _rest(lines[i], match)
    labelled = _labelled_code([lines[i] for i in first])
    if labelled is not None:
        i = first[labelled]
        above = [j for j in first[: labelled - 1] if not _BANNER.match(lines[j])]
        title = clean(lines[above[-1]].strip(_DASHES)) if above else ""
        return i, _CODE_ALONE.match(lines[i]).group("code"), None, title  # type: ignore[union-attr]
    for i in first:
        match = _CODE_FIRST.match(lines[i]) or _CODE_LAST.search(lines[i])
        if match:
            return i, match.group("code"), None, _rest(lines[i], match)
    for i in first:
        number = _NOC_NUMBER.search(lines[i]) if len(lines[i]) <= _HEADER_MAX else None
        if number:
            code = number.group("code")
            raise InputError(
                f"NOC code {code} has {len(code)} digits: expected 4 (NOC 2016) or 5 (NOC 2021)",
                line=i + 1,
            )
    raise InputError(
        "no NOC code: expected 'NOC' and a 4- or 5-digit code in the first lines",
        line=first[0] + 1,
    )


def _rest(line: str, match: re.Match[str]) -> str:
    """What is left of the header line once the code is cut out: the title, if any."""
    left, right = line[: match.start()], line[match.end() :]
    if match.group(0).lstrip().startswith("(") != match.group(0).rstrip().endswith(")"):
        # The match took one parenthesis of a pair: drop its partner so the title stays balanced.
        left, right = left.rstrip(" ("), right.lstrip(" )")
    return clean(f"{left.strip(_DASHES)} {right.strip(_DASHES)}")


def _title_nearby(lines: list[str], index: int) -> tuple[int, str]:
    """A header with only a code: the title is the line below it, else the line above.

    Returns the index of the last header line (sections start after it) and the title.
    """
    below = next(
        (
            i
            for i in range(index + 1, len(lines))
            if lines[i].strip() and not _BANNER.match(lines[i])
        ),
        None,
    )
    if below is not None and _heading_name(lines[below]) not in _HEADINGS:
        return below, clean(lines[below].strip(_DASHES))
    above = [i for i in range(index) if lines[i].strip() and not _BANNER.match(lines[i])]
    if above and _heading_name(lines[above[-1]]) not in _HEADINGS:
        return index, clean(lines[above[-1]].strip(_DASHES))
    raise InputError("the NOC header names no unit-group title", line=index + 1)


def _heading_name(line: str) -> str:
    if bullet_item(line) is not None:
        return ""
    return clean(line.strip().lstrip("#").strip().rstrip(":")).casefold()


def _sections(lines: list[str]) -> dict[str, list[_Entry]]:
    """Entries per known section; what precedes the first heading is the 'about' part."""
    sections: dict[str, list[_Entry]] = {}
    current = sections.setdefault("about", [])
    blank = False
    for line in lines:
        if not line.strip():
            blank = True
            continue
        section = _HEADINGS.get(_heading_name(line))
        if section is not None:
            current = sections.setdefault(section, [])
            blank = False
            continue
        if layout.lead_in_role(line) == "duties":
            # "X perform some or all of the following duties:" starts the duties, headed or not.
            current = sections.setdefault("duties", [])
        item = bullet_item(line)
        if item is not None:
            current.append(_Entry(item, bullet=True, after_blank=blank))
        elif current and current[-1].bullet and not blank and line[:1].isspace():
            current[-1].wrapped.append(line)  # a wrapped bullet
        else:
            current.append(_Entry(clean(line), bullet=False, after_blank=blank))
        blank = False
    for entry in (entry for entries in sections.values() for entry in entries if entry.wrapped):
        entry.text = clean(" ".join([entry.text, *entry.wrapped]))
    return sections


def _about(entries: list[_Entry]) -> tuple[list[SubRole], list[str], list[str]]:
    """Sub-roles ("Label:" then bullets), employers (the group about workplaces), and
    what that group says the workers are like ("are detail-oriented", "enjoy ...")."""
    sub_roles: list[SubRole] = []
    employers: list[str] = []
    characteristics: list[str] = []
    label: str | None = None
    items: list[str] = []

    def flush() -> None:
        if label is None:
            employers.extend(item for item in items if _EMPLOYER_ITEM.match(item))
        elif items and (
            _EMPLOYER_LABEL.search(label) or all(_EMPLOYER_ITEM.match(item) for item in items)
        ):
            # The group about the people mixes where they work with what they are like.
            for item in items:
                trait = _TRAIT.match(item) and not _EMPLOYER_ITEM.match(item)
                (characteristics if trait else employers).append(item)
        elif items:
            sub_roles.append(SubRole(title=label, definitions=list(items)))
        items.clear()

    for entry in entries:
        if entry.bullet:
            items.append(entry.text)
        elif entry.text.endswith(":") or _is_label(entry.text):
            flush()
            label = entry.text.rstrip(":").strip()
        else:
            flush()
            label = None
            employers.extend(s for s in _sentences(entry.text) if _EMPLOYER_SENTENCE.search(s))
    flush()
    return sub_roles, employers, characteristics


def _is_label(text: str) -> bool:
    """A short line with no sentence end, like "Employers", labels the bullets below it."""
    return not text.endswith((".", "!", "?")) and len(text.split()) <= _TITLE_WORDS


def _job_titles(entries: list[_Entry]) -> list[str]:
    """Titles in order, once each: profiles often list the same titles twice."""
    bullets = [entry.text for entry in entries if entry.bullet]
    titles: list[str] = []
    seen: set[str] = set()
    for title in bullets or [entry.text for entry in entries]:
        key = clean(title).casefold()
        if key not in seen:
            seen.add(key)
            titles.append(clean(title))
    return titles


def _duties(entries: list[_Entry]) -> list[DutyGroup]:
    """Duties grouped under the short non-bullet line (a sub-role) that precedes them.

    A lead-in such as "... perform some or all of the following duties:" names no
    sub-role, and a full sentence outside a list is itself a duty.
    """
    groups: list[tuple[str | None, list[str]]] = []
    for entry in entries:
        if not entry.bullet and _DUTY_INTRO.search(entry.text):
            groups.append((None, []))
        elif not entry.bullet and (entry.text.endswith(":") or _is_label(entry.text)):
            groups.append((entry.text.rstrip(":").strip(), []))
        else:
            if not groups:
                groups.append((None, []))
            groups[-1][1].append(entry.text)
    return [DutyGroup(title=title, duties=duties) for title, duties in groups if duties]


def _prose_items(entries: list[_Entry]) -> list[str]:
    """Bullets as they are, prose split into sentences; lead-in lines ending in ':' dropped."""
    items: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        items.extend(_sentences(" ".join(paragraph)))
        paragraph.clear()

    for entry in entries:
        if entry.bullet or entry.text.endswith(":") or entry.after_blank:
            flush()
        if entry.bullet:
            items.append(entry.text)
        elif not entry.text.endswith(":"):
            paragraph.append(entry.text)
    flush()
    return items


def _sentences(text: str) -> list[str]:
    return [clean(part) for part in _SENTENCE_END.split(text) if clean(part)]


EXTRACTOR = Extractor(
    kind=KIND, record=NocProfile, precedence=30, looks_like=looks_like, extract=extract
)
