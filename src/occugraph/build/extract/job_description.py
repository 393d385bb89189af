"""job-description: a job-description template or posting.

Postings share a shape more than a wording: a title line ('X Job Description',
'Job Title: X'), a summary paragraph, then headed lists of responsibilities,
objectives and skills and qualifications. Headings vary ('Duties', "What you'll
do", 'Requirements:', '## Skills'), so a heading is classified by the words in
it, and a list is read by what its heading says it is. Templates sometimes drop
a heading: a bullet group whose items all begin "To ..." states objectives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from occugraph.build.extract import Extractor, education, layout, prose, salaries
from occugraph.build.extract.duties import item_duty
from occugraph.build.extract.furniture import without_junk
from occugraph.build.extract.text import (
    bullet_item,
    check_size,
    clean,
    head,
    heading_text,
    is_title_case,
    lines_of,
    looks_binary,
    markdown_heading,
    next_nonblank,
    strip_bom,
)
from occugraph.build.records import stated_onet_code
from occugraph.build.records.job_description import JobDescription
from occugraph.build.records.prose import Degree, Requirement
from occugraph.errors import InputError

KIND = "job-description"

_TITLE_KEY = re.compile(
    r"^(?:job\s+title|position(?:\s+title)?|role|job\s+description)\s*[:\-\u2013\u2014]\s*(.+)$",
    re.I,
)
_TITLE_SUFFIX = re.compile(
    r"^(.+?)\s+job\s+(?:description|posting|advert(?:isement)?|profile|specification|summary)"
    r"(?:\s+(?:template|sample|example))?(?:\s*(?:\[\d{4}\]|[:|\u2013\u2014]\s.*|\s-\s.*))?$",
    re.I,
)
# What a job board writes before 'Job Description' that is no job: 'Build a', 'Full', 'Our'.
_NOT_TITLE = re.compile(
    r"^(?:build|create|write|use|post|download|get|see|view|browse|find|free|full|sample|"
    r"example|our|the|this|your|an?)\b",
    re.I,
)
# A second 'Key:' inside a key's value ('Role: Accountant Reports to: Controller') ends it.
_NEXT_KEY = re.compile(r"\s+[A-Z][\w/&-]*(?:\s+[\w/&-]+){0,2}:\s")
# Canadian NOC profiles have duty and requirement lists too; they belong to noc-profile.
_NOC = re.compile(r"\bNOC\b|National Occupational Classification|^\s*\d{4,5}\s*[-\u2013\u2014]\s")
_APOSTROPHE = "['\u2019]"
_SECTIONS: tuple[tuple[str, str], ...] = (
    ("objectives", r"objectives?|goals?|aims?|purpose"),
    (
        "skills",
        rf"skills?|qualifications?|requirements?|required|what you{_APOSTROPHE}?ll (?:need|bring)|"
        rf"what you will (?:need|bring)|what we need|nice to have|"
        rf"what we{_APOSTROPHE}?re looking for|who you are|must[- ]haves?|competenc\w*|experience|"
        r"education|abilities|knowledge|preferred",
    ),
    (
        "summary",
        r"summary|overview|about the (?:role|job|position)|introduction|"
        r"^(?:job |position |role )?description$",
    ),
    (
        "responsibilities",
        rf"responsibilit\w*|duties|what you{_APOSTROPHE}?ll do|what you will do|"
        r"tasks|day[- ]to[- ]day|accountabilit\w*|the role|essential functions",
    ),
)
_SECTION_PATTERNS = tuple((kind, re.compile(rf"\b(?:{p})\b", re.I)) for kind, p in _SECTIONS)
_QUALIFICATION = re.compile(
    r"degree|diploma|\bGED\b|certif|licen[cs]|experience|training|apprentice|\byears?\b|"
    r"background check|drug|exam|bachelor|master['\u2019]s|associate|graduate|clearance|"
    r"\bcourse|school|\bcard\b|\bpermit\b",
    re.I,
)
_POSTING_EVIDENCE = 4  # a title line and a list heading, or several headings and keys
_KEY_VALUE = re.compile(r"^\s*([A-Z][\w &/'-]{1,40}):\s+(\S.*)$")  # 'Location: Remote'
_LIST_KINDS = frozenset({"responsibilities", "objectives", "skills"})


def _title_in(line: str) -> str | None:
    """The job title a title line names, if it is one."""
    text = heading_text(line) or ""
    if not text and not re.match(r"^\s*(?:job\s+title|position)\s*:", line, re.I):
        return None
    text = text or clean(line)
    for pattern in (_TITLE_KEY, _TITLE_SUFFIX):
        match = pattern.match(text)
        found = match.group(1) if match else ""
        if pattern is _TITLE_KEY and (second := _NEXT_KEY.search(found)):
            found = found[: second.start()]
        if found and len(found.split()) <= 8 and not _NOT_TITLE.match(found):
            return clean(found.strip("*_# "))
    return None


def _section_kind(heading: str) -> str | None:
    for kind, pattern in _SECTION_PATTERNS:
        if pattern.search(heading):
            return kind
    return None


def _heading(line: str, following: int | None) -> tuple[str, str] | None:
    """(kind, text) when the line heads a section; kind 'other' for unknown headings.

    ``following`` is the index of the next line with text: a heading needs one.
    """
    text = heading_text(line)
    if text is None or following is None or _KEY_VALUE.match(line):
        return None
    kind = _section_kind(text)
    if markdown_heading(line) or (line.rstrip().endswith(":") and len(text.split()) <= 8):
        return kind or "other", text
    if kind is not None or is_title_case(text):
        return kind or "other", text
    return None


@dataclass
class _Group:
    """A run of list items (or paragraphs) under one heading."""

    kind: str | None
    position: int = 0  # 0 for the first group under its heading
    items: list[str] = field(default_factory=list)
    bullets: bool = True


def _groups(lines: list[str]) -> list[_Group]:
    groups: list[_Group] = [_Group(None, bullets=False)]
    kind: str | None = None
    count = 0
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            if groups[-1].bullets:
                groups.append(_Group(kind, count, bullets=False))
            groups[-1].items.append(clean(" ".join(paragraph)))
            paragraph.clear()

    after_blank = True
    following = next_nonblank(lines)
    for index, line in enumerate(lines):
        item = bullet_item(line)
        titled = item is None and _title_in(line) is not None
        heading = None if item or titled else _heading(line, following[index])
        inline = _KEY_VALUE.match(line)
        if not line.strip():
            flush()
            after_blank = True
            continue
        if titled:
            flush()
        elif heading is not None:
            flush()
            kind, count = heading[0], 0
            groups.append(_Group(kind, count, bullets=False))
        elif inline and _section_kind(inline.group(1)):
            flush()
            kind, count = _section_kind(inline.group(1)), 0
            groups.append(_Group(kind, count, [inline.group(2).strip()], bullets=True))
        elif inline and len(line.split()) <= 12:
            flush()  # 'Location: Remote' is not prose
        elif item is not None:
            flush()
            if after_blank or not groups[-1].bullets:
                count += 1 if groups[-1].items else 0
                groups.append(_Group(kind, count))
            groups[-1].items.append(item)
        else:
            paragraph.append(line.strip())
            if kind in {"responsibilities", "objectives"} or re.search(r"[.!?:;]$", line.strip()):
                flush()  # one item per line in lists written without bullet marks
        after_blank = False
    flush()
    return [group for group in groups if group.items]


def looks_like(text: str) -> bool:
    """A posting or template: a job-description title, or its list headings with few paragraphs.

    >>> looks_like("Job Title: Welder\\n\\nWe need a welder."), looks_like("Welders weld.")
    (True, False)
    """
    text = head(strip_bom(text)).strip()
    if not text or looks_binary(text) or text[0] in "{[<" or text.startswith("---"):
        return False
    lines = [line for line in lines_of(text) if line.strip()]
    if any(_NOC.search(line) for line in lines[:6]):
        return False
    posting, article = layout.evidence(text)
    if article > posting:
        return False  # an article about the job: its questions and statistics outweigh
    if posting >= _POSTING_EVIDENCE:
        return True
    if any(_title_in(line) for line in lines[:5]):
        return True
    if sum(1 for line in lines if len(line.split()) >= 25) > 4:
        return False  # running prose (an article): no need to read its lists
    groups = _groups(lines_of(text))
    duties = any(g.kind == "responsibilities" and g.bullets and len(g.items) >= 3 for g in groups)
    return duties and any(g.kind == "skills" for g in groups)


def _is_objective_group(group: _Group) -> bool:
    starts = sum(1 for item in group.items if re.match(r"to\s+\w", item, re.I))
    return group.bullets and starts >= 0.6 * len(group.items)


def extract(text: str) -> JobDescription:
    """Read a job description: title, summary, and what each headed list says.

    >>> posting = extract("Welder Job Description\\n\\nDuties:\\n- Weld frames\\n- Grind seams")
    >>> posting.title, posting.responsibilities
    ('Welder', ['Weld frames', 'Grind seams'])
    """
    text = strip_bom(text)
    if not text.strip():
        raise InputError("the document is empty", line=1)
    lines = lines_of(text)
    check_size(text, lines)
    kept = without_junk(lines)  # job-board ads and share widgets are not the job's
    numbered = [(number, line) for number, line in enumerate(kept, 1) if line.strip()]
    if not numbered:
        start = next(number for number, line in enumerate(lines, 1) if line.strip())
        raise InputError("no job title found: the document is all page furniture", line=start)
    lines = kept
    titled = next(((n, t) for n, line in numbered[:10] if (t := _title_in(line))), None)
    if titled is not None:
        title_line, title = titled
    else:
        first_number, first = numbered[0]
        text_of_first = heading_text(first)
        if text_of_first is None or _section_kind(text_of_first):
            raise InputError(
                "no job title found (expected 'Job Title: ...' or '... Job Description')",
                line=first_number,
            )
        title_line, title, lines = first_number, text_of_first, lines[first_number:]
    summary: list[str] = []
    responsibilities: list[str] = []
    objectives: list[str] = []
    skills: dict[str, None] = {}
    qualifications: list[str] = []
    degrees: list[Degree] = []
    requirements: dict[Requirement, None] = {}  # ordered sets: 'not in' on a list is slow
    seen_list = False
    for group in _groups(lines):
        kind = group.kind
        if kind in {None, "summary"} and group.bullets:
            kind = _list_kind(group.items) or kind
        if (
            kind not in {"skills", "objectives"}
            and (group.position > 0 or kind is None)
            and _is_objective_group(group)
        ):
            kind = "objectives"
        if kind in _LIST_KINDS:
            seen_list = True
        if kind in {None, "summary"} and not seen_list and not group.bullets:
            summary += group.items
        elif kind in {"responsibilities", "objectives"}:
            target = responsibilities if kind == "responsibilities" else objectives
            for item in group.items:
                target += [item] if group.bullets else prose.sentences(item)
        elif kind == "skills":
            for item in group.items:
                qualified = bool(_QUALIFICATION.search(item))
                if group.bullets:
                    skills.update(dict.fromkeys(prose.known_skills(item)))
                if group.bullets and not qualified:
                    skills.update(dict.fromkeys(prose.item_skills(item)))
                for sentence in prose.sentences(item):
                    skills.update(dict.fromkeys(prose.skill_phrases(sentence, qualities=True)))
                    if _QUALIFICATION.search(sentence):
                        qualifications.append(sentence)
                        degrees += education.degrees(sentence)
                        requirements.update(
                            dict.fromkeys(education.requirements(sentence, implied=True))
                        )
    if not (summary or responsibilities or objectives or skills or qualifications):
        raise InputError(
            f"only a title ({title!r}): no summary, responsibilities or skills follow it",
            line=title_line,
        )
    return JobDescription(
        title=title,
        code=stated_onet_code(text),
        summary=" ".join(summary) or None,
        responsibilities=responsibilities,
        objectives=objectives,
        skills=list(skills),
        qualifications=qualifications,
        degrees=degrees,
        requirements=list(requirements),
        salaries=salaries.stated_pay(lines),
    )


def _list_kind(items: list[str]) -> str | None:
    """What an unheaded list holds, by its items: things to do, or things to have.

    Templates put lists under sentences ('The work, not the title.') rather than
    headings; imperative items are responsibilities, qualifications are skills.
    """
    if len(items) < 2:
        return None
    doing = sum(1 for item in items if item_duty(item) is not None)
    having = sum(1 for item in items if _QUALIFICATION.search(item) or prose.item_skills(item))
    if doing >= 0.6 * len(items) and doing > having:
        return "responsibilities"
    if having >= 0.5 * len(items):
        return "skills"
    return None


EXTRACTOR = Extractor(
    kind=KIND, record=JobDescription, precedence=40, looks_like=looks_like, extract=extract
)
