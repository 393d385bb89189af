"""career-article: free prose about a job, as copied from a blog or careers site.

Such pages have no markup left: headings survive only as short lines, and the
page furniture (related-post lists, view counters, breadcrumbs, cookie banners)
is mixed into the text. The extractor first drops that furniture (see
:mod:`~occugraph.extract.furniture`), then splits the rest into headed sections
and reads each sentence with the shared readers (:mod:`~occugraph.extract.prose`,
:mod:`~occugraph.extract.duties`, :mod:`~occugraph.extract.education`,
:mod:`~occugraph.extract.salaries`), using a section's heading to decide what
its sentences are about (duties, skills, career paths).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from occugraph.build.extract import Extractor, education, layout, lexicon, prose, salaries
from occugraph.build.extract.duties import VERBS, duty_phrases, item_duty
from occugraph.build.extract.furniture import without_junk
from occugraph.build.extract.text import (
    MAX_SENTENCE,
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
from occugraph.build.records.career_article import CareerArticle
from occugraph.build.records.prose import Degree, Requirement, SalaryFigure, Section
from occugraph.errors import InputError

KIND = "career-article"

# --- sections -----------------------------------------------------------------


class _Part(NamedTuple):
    """A paragraph or list item, split into sentences once: every reader walks them."""

    text: str
    bullet: bool
    sentences: list[str]


def _part(text: str, *, bullet: bool) -> _Part:
    return _Part(text, bullet, prose.sentences(text))


@dataclass
class _Block:
    heading: str | None
    parts: list[_Part] = field(default_factory=list)

    def sentences(self) -> list[str]:
        return [s for part in self.parts for s in part.sentences]


def _heading_at(lines: list[str], index: int, following: int | None) -> str | None:
    """The heading a line stands for, judged with its neighbours (``following``: the next text)."""
    line = lines[index]
    text = heading_text(line)
    if text is None or following is None or layout.has_money(line):
        return None  # 'Median annual salary: $84,960' is a fact, not a heading
    if ";" in text or re.search(r":\s+\S", text):
        return None  # 'Primary skills include: a; b' is a list on one line
    if markdown_heading(line):
        return text
    if line.rstrip().endswith(":"):
        return text if len(text.split()) <= 8 else None
    before_blank = index == 0 or not lines[index - 1].strip()
    after_blank = index + 1 < len(lines) and not lines[index + 1].strip()
    return text if is_title_case(text) or (before_blank and after_blank) else None


def _blocks(lines: list[str]) -> list[_Block]:
    blocks = [_Block(None)]
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks[-1].parts.append(_part(clean(" ".join(paragraph)), bullet=False))
            paragraph.clear()

    following = next_nonblank(lines)
    for index, line in enumerate(lines):
        heading = _heading_at(lines, index, following[index])
        item = bullet_item(line)
        if not line.strip():
            flush()
        elif heading is not None:
            flush()
            blocks.append(_Block(heading))
        elif item is not None:
            flush()
            blocks[-1].parts.append(_part(item, bullet=True))
        else:
            paragraph.append(line.strip())
            if re.search(r"[.!?:\"”)]$", line.strip()):
                flush()
    flush()
    return blocks


_LABEL = re.compile(r"^\s*[A-Z]{2,20}\s*$")


def _title(lines: list[str]) -> tuple[str | None, list[str]]:
    """The first line when it reads as a title, and the lines after it."""
    for index, line in enumerate(lines):
        if not line.strip() or _LABEL.match(line):
            continue  # 'CAREER' over the title is the site's section label
        markdown = markdown_heading(line)
        text = heading_text(line)
        if (markdown and markdown[0] == 1) or (
            markdown is None and text and not line.rstrip().endswith(":")
        ):
            return text, lines[index + 1 :]
        break
    return None, lines


# --- what each section is about ---------------------------------------------------

_TOPICS: tuple[tuple[str, str], ...] = (
    (
        "skills",
        r"skills?|qualities|traits|competenc\w*|abilities|strengths|attributes|"
        r"what it takes",
    ),
    (
        "education",
        r"educat\w*|degrees?|training|qualifications?|requirements?|licen[cs]\w*|"
        r"certif\w*|schools?|how to become",
    ),
    ("salary", r"salar\w*|pay|wages?|earn\w*|income"),
    (
        "career",
        r"careers?|advancement|advance|growth|outlook|promotions?|progress\w*|paths?|"
        r"future|opportunit\w*|speciali[sz]\w*",
    ),
    (
        "duties",
        r"do|does|duties|duty|responsibilit\w*|tasks?|day in the life|typical day|roles?|"
        r"daily|day-to-day|work involves|on the job|job description",
    ),
)


_TOPIC_PATTERNS = tuple((topic, re.compile(rf"\b(?:{p})\b", re.I)) for topic, p in _TOPICS)


def _topics(heading: str | None) -> list[str]:
    """Every topic a heading names, most specific first ('Pay and Outlook': salary, career)."""
    return [topic for topic, pattern in _TOPIC_PATTERNS if heading and pattern.search(heading)]


# --- specialisations and career paths ---------------------------------------------

_SPECIAL_CUE = re.compile(
    r"\bspeciali[sz](?:e|es|ed|ing|ation|ations)\b|\bspecialt(?:y|ies)\b", re.I
)
_LIST_INTRO = re.compile(r"\b(?:such as|including|include|includes|like)\s+", re.I)
_SPECIAL_WORDS = lexicon.Needed("special")
_PATH_CUE = re.compile(r"advance|promot|mov(?:e|ing) (?:up|into)|career ladder|career path", re.I)
_PATH_WORDS = lexicon.Needed("advance promot mov career")
_SKILL_CUE = re.compile(r"\bskill|qualit|trait", re.I)
_SKILL_WORDS = lexicon.Needed("skill qualit trait")
_PATHS = re.compile(
    r"\b(?:mov(?:e|ing) (?:up )?(?:in)?to|becom(?:e|ing)|advance (?:to|into)(?: become)?|"
    r"promoted to|progress(?:ion)? (?:to|into)|pursue|step into|(?:could|can|may) (?:also )?be|"
    r"work as|(?:roles?|positions?),? such as)\s+",
    re.I,
)
_TARGET_END = re.compile(
    r"[;.()]|(?:^|\s)(?:is|are|was|were|who|which|that|where|with|by|after|once|if|when|within|"
    r"in order|such as|to|for|and (?:then|later))\b",
    re.I,
)
_GENERIC = frozenset({"roles", "role", "positions", "position", "opportunities", "career", "field"})
_NOT_A_ROLE = re.compile(
    r"(?:good|great|better|best|nice|perfect|lot|big|part|way|option|must|"
    r"chance|fit|able|sure)\b",
    re.I,
)


_FOLLOWING_LIST = re.compile(
    r"^\W*(?:these|they|those|some|common|popular|examples?|options|areas|fields|"
    r"specialit|specialt|speciali[sz]ations?|such as|including|like)\b",
    re.I,
)


# '... work in areas such as ...': the list names kinds of work, not just any things.
_KINDS_OF = re.compile(
    r"\b(?:areas|fields|roles|specialt(?:y|ies)|niches|sectors|settings|disciplines|types|kinds)"
    r"\s+$",
    re.I,
)


def _list_items(text: str) -> list[str]:
    """The items of an inline list, up to the end of its clause ('a, b and c': three)."""
    text = re.split(r"[.;:]\s|\.$", text)[0]
    last_and = r"|\s+and\s+(?=[^,]*$)" if "," in text else ""
    items = re.split(rf",\s*(?:and\s+|or\s+)?|\s+or\s+(?:an?\s+)?{last_and}", text)
    return [clean(item) for item in items if clean(item)]


def _specialisations(sentences: list[str]) -> list[str]:
    found: dict[str, None] = {}  # an ordered set: a list's 'in' makes long articles quadratic
    for index, sentence in enumerate(sentences):
        if len(sentence) > MAX_SENTENCE or not _SPECIAL_WORDS.maybe(sentence):
            continue
        cue = _SPECIAL_CUE.search(sentence)
        if cue is None:
            continue
        direct = re.match(r"\s+in\s+([^,.]+(?:,[^.]+|\s+or\s+[^.]+))", sentence[cue.end() :])
        intro = _LIST_INTRO.search(sentence, cue.end())
        follower = sentences[index + 1] if index + 1 < len(sentences) else ""
        follower = follower if len(follower) <= MAX_SENTENCE else ""
        if direct and (inner := _LIST_INTRO.search(direct.group(1))):
            # 'specialize in a type of care, like oncology or ...': the list is after 'like'.
            items = _list_items(direct.group(1)[inner.end() :])
        elif direct and not re.match(r"(?:certain|some|specific|several|many) ", direct.group(1)):
            items = _list_items(direct.group(1))
        elif intro:
            items = _list_items(sentence[intro.end() :])
        elif (
            (intro := _LIST_INTRO.search(follower))
            and (_FOLLOWING_LIST.match(follower) or _KINDS_OF.search(follower, 0, intro.start()))
            and re.search(r",| or ", follower)
        ):
            # Only a sentence that goes on about the specialities ('These include ...'),
            # not any later list ('... in cities like Seattle').
            items = _list_items(follower[intro.end() :])
        else:
            continue
        for item in items:
            item = re.sub(
                r"^(?:working|work|focusing|focus) (?:with|in|on) |^(?:the|an?) ",
                "",
                item,
                flags=re.I,
            ).lower()
            if 0 < len(item.split()) <= 8:
                found.setdefault(item)
    return list(found)


def _career_paths(sentences: list[str]) -> list[str]:
    """Advancement targets: 'become a senior analyst or a team lead' -> both roles."""
    found: dict[str, None] = {}
    verbs = "|".join(sorted(VERBS | {"become", "go", "move"}))
    for sentence in (s for s in sentences if len(s) <= MAX_SENTENCE):
        for match in _PATHS.finditer(sentence):
            listed = "such as" in match.group(0).lower()
            rest = re.split(rf"\s+(?:and|or)\s+(?=(?:{verbs})\b)", sentence[match.end() :])[0]
            for item in re.split(r",\s*(?:and\s+|or\s+)?|\s+or\s+(?=an?\s|the\s|\w+ing\b)", rest):
                if re.match(r"\w+ing\b", item) and not listed:
                    break
                end = _TARGET_END.search(item)
                item = (
                    re.sub(
                        r"^(?:an?|the|one)\s+", "", item[: end.start()] if end else item, flags=re.I
                    )
                    .strip()
                    .lower()
                )
                if not item or len(item.split()) > 6:
                    break
                if (
                    item in _GENERIC
                    or re.fullmatch(r"\w+(?:ed|ly)", item)
                    or _NOT_A_ROLE.match(item)
                    or item.startswith(("becoming", "being"))
                ):
                    break
                found.setdefault(item)
                if end:
                    break
    return list(found)


# --- the extractor ------------------------------------------------------------------


def looks_like(text: str) -> bool:
    """Running prose: several sentences and enough words, and nothing structured.

    >>> looks_like("Welders join metal parts with heat. " * 30), looks_like('{"title": "Welder"}')
    (True, False)
    """
    text = head(strip_bom(text)).strip()
    if not text or looks_binary(text) or text[0] in "{[<" or text.startswith("---"):
        return False
    lines = [line.strip() for line in lines_of(text) if line.strip()]
    keyed = sum(1 for line in lines if re.match(r"^[\w\s\"'-]{1,40}:\s", line))
    delimited = sum(
        1
        for line in lines
        if line.count("\t") >= 2 or (line.count(",") >= 3 and not re.search(r"\.\s", line))
    )
    if keyed > len(lines) / 2 or delimited > len(lines) / 2:
        return False
    running = [line for line in lines if len(line.split()) >= 8 and re.search(r"[.!?]", line)]
    words = sum(len(line.split()) for line in running)
    # Each running line holds at least one sentence: split them only when there are few.
    sentences = len(running) >= 5 or sum(len(prose.sentences(line)) for line in running) >= 5
    if words >= 150 and sentences and words >= 0.5 * sum(len(line.split()) for line in lines):
        return True
    # A shorter page laid out as an article: its headings and statements outweigh a posting's.
    posting, article = layout.evidence(text)
    return words >= _ARTICLE_WORDS and article >= 2 and article > posting


_ARTICLE_WORDS = 40  # of running prose: a page of headings and lists alone is no article


def _duty_lists(block: _Block) -> set[int]:
    """Parts of a block's bullet lists that are lists of duties: most items start with a verb.

    A list is written one way, so its few items that begin with a verb no lexicon knows
    ('Grill, bake and fry ...') are duties like the rest.
    """
    found: set[int] = set()
    run: list[int] = []
    for index, part in enumerate([*block.parts, _Part("", False, [])]):
        if part.bullet:
            run.append(index)
            continue
        if len(run) >= 3 and sum(1 for i in run if item_duty(block.parts[i].text)) >= 0.6 * len(
            run
        ):
            found.update(run)
        run = []
    return found


def _figures(sentences: list[str], heading: str | None) -> list[SalaryFigure]:
    """Salary figures of some sentences; under a pay heading, a bare yearly figure is a salary.

    'The lowest 10 percent earned less than $50,440' names no period, but under 'Pay'
    a figure in the thousands is what a year pays.
    """
    found: list[SalaryFigure] = []
    for sentence in sentences:
        for figure in salaries.salaries(sentence):
            if figure.period is None and heading is not None and figure.amount >= 1000:
                figure = figure.model_copy(update={"period": "year"})
            found.append(figure)
    return found


def _unique_degrees(found: list[Degree]) -> list[Degree]:
    """One degree per level and field list; a bare mention adds nothing to a fuller one."""
    with_fields = {degree.level for degree in found if degree.fields}
    kept: dict[tuple[str, tuple[str, ...]], Degree] = {}
    for degree in found:
        if degree.fields or degree.level not in with_fields:
            kept.setdefault((degree.level, tuple(degree.fields)), degree)
    return list(kept.values())


def extract(text: str) -> CareerArticle:
    """Read a career article: sections, then what the sentences in them state.

    >>> extract("## Duties\\nThey weld frames and grind seams.").duties
    ['Weld frames and grind seams']
    """
    text = strip_bom(text)
    if not text.strip():
        raise InputError("the document is empty", line=1)
    check_size(text, lines_of(text))
    if looks_binary(text):
        bad = next(
            (
                i
                for i, line in enumerate(lines_of(text), 1)
                if re.search(r"[\x00-\x08\x0e-\x1f\ufffd]", line)
            ),
            None,
        )
        raise InputError("the document is binary, not text", line=bad)
    title, rest = _title(without_junk(lines_of(text)))
    every_block = _blocks(rest)
    blocks = [block for block in every_block if block.parts]
    everything = [sentence for block in blocks for sentence in block.sentences()]
    # Ordered sets: with lists, 'not in' makes a long article quadratic.
    duties: dict[str, None] = {}
    skills: dict[str, None] = {}
    requirements: dict[Requirement, None] = {}
    career: list[str] = []
    figures: list[SalaryFigure] = []
    for block in blocks:
        topics = _topics(block.heading)
        topic = topics[0] if topics else None
        # What the list under a lead-in holds, whatever the heading says.
        role = layout.lead_in_role(f"{block.heading}:") if block.heading else None
        listed = _duty_lists(block)
        for index, (text, bullet, sentences) in enumerate(block.parts):
            if not bullet:
                role = layout.lead_in_role(text)
                if role == "skills" and ":" in text:
                    skills.update(
                        dict.fromkeys(map(prose.normalise_skill, layout.inline_list(text)))
                    )
                    role = None
                    continue
            if bullet and (role == "duties" or index in listed):
                duties.update(dict.fromkeys([item_duty(text) or text.rstrip(" .;")]))
                continue
            if topic == "duties" and not (not bullet and role):
                found = [d for s in sentences for d in duty_phrases(s)]
                bullet_duty = item_duty(text) if bullet and not found else None
                duties.update(dict.fromkeys(d for d in [*found, bullet_duty] if d))
            if (topic == "skills" or role == "skills") and bullet:
                skills.update(dict.fromkeys(prose.item_skills(text)))
            if "salary" in topics or not bullet:
                figures += _figures(sentences, block.heading if "salary" in topics else None)
            for sentence in sentences:
                if topic != "duties" and "career" not in topics:
                    requirements.update(dict.fromkeys(education.requirements(sentence)))
                about_skills = topic == "skills" or bool(
                    _SKILL_WORDS.maybe(sentence) and _SKILL_CUE.search(sentence)
                )
                skills.update(
                    dict.fromkeys(
                        prose.skill_phrases(
                            sentence, qualities=about_skills, loose=topic == "skills"
                        )
                    )
                )
                if "career" in topics or (
                    _PATH_WORDS.maybe(sentence) and _PATH_CUE.search(sentence)
                ):
                    career.append(sentence)
    fields = [f for sentence in everything for f in education.fields_of_study(sentence)]
    return CareerArticle(
        title=title,
        occupation=layout.occupation_in_title(title) if title else None,
        sections=[
            Section(heading=b.heading, text="\n".join(part.text for part in b.parts))
            for b in blocks
        ],
        duties=list(duties),
        skills=list(skills),
        degrees=_unique_degrees(
            [
                d
                # A fact box's value stands alone like a heading ('Associate's degree').
                for sentence in [*everything, *(b.heading for b in every_block if b.heading)]
                for d in education.degrees(sentence)
            ]
        ),
        fields_of_study=list(dict.fromkeys(fields)),
        requirements=list(requirements),
        salaries=figures,
        specialisations=_specialisations(everything),
        career_paths=_career_paths(career),
    )


EXTRACTOR = Extractor(
    kind=KIND, record=CareerArticle, precedence=90, looks_like=looks_like, extract=extract
)
