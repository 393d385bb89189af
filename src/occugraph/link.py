"""Links: which occupation each document is about, and which O*NET elements a phrase names.

Resolution needs the whole corpus: a job description titled "Nurse" may only be
recognisable through the job titles a NOC profile lists. So documents that state
a code are resolved first, their titles join the index, then titles, then
mentions in running text. Ambiguity is reported, never guessed.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from anyascii import anyascii
from pydantic import BaseModel, ConfigDict, Field

from occugraph.records import (
    AnyRecord,
    CareerArticle,
    CompetencyFramework,
    JobDescription,
    NocProfile,
    OnetPage,
)
from occugraph.reference import Element, Reference

_CODE = re.compile(r"^\d{2}-\d{4}\.\d{2}$")
_MAX_TITLE_WORDS = 8


class Resolution(BaseModel):
    """How one document was tied to an occupation (or why it was not)."""

    model_config = ConfigDict(frozen=True)

    code: str | None = Field(None, description="The O*NET-SOC code it resolved to.")
    method: str | None = Field(None, description="code, noc-code, title, job-title or mentions.")
    title: str | None = Field(None, description="The document's own name for its occupation.")
    problem: str | None = Field(None, description="Why it could not be resolved, for the report.")


# --- normalising titles ----------------------------------------------------


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def title_tokens(text: str) -> tuple[str, ...]:
    """Lower-case, ASCII, singular tokens: the form titles are compared in.

    >>> title_tokens("Registered Nurses'")
    ('registered', 'nurse')
    """
    folded = anyascii(text).lower().replace("'", "")
    return tuple(_singular(word) for word in re.findall(r"[a-z0-9]+", folded))


def title_variants(title: str) -> set[tuple[str, ...]]:
    """The ways a listed job title is written in running text.

    NOC lists titles inverted ("nurse, registered") and joins alternatives with a
    dash ("nurse, registered - charge nurse").

    >>> sorted(" ".join(v) for v in title_variants("nurse, registered - charge nurse"))
    ['charge nurse', 'registered nurse']
    """
    variants: set[tuple[str, ...]] = set()
    for part in re.split(r"\s+[-–—/]\s+|\s*/\s*", title):
        head, comma, modifier = part.partition(",")
        name = f"{modifier} {head}" if comma and modifier.strip() else part
        tokens = title_tokens(name)
        if tokens:
            variants.add(tokens)
    return variants


def _conjunct_parts(title: str) -> list[tuple[str, ...]]:
    """'A Officers and B Specialists' names two jobs; keep parts that are jobs on their own."""
    parts = re.split(r",\s*(?:and\s+)?|\s+and\s+", title)
    if len(parts) < 2:
        return []
    found = []
    for part in parts:
        words = part.split()
        if len(words) >= 2 and words[-1].lower().endswith("s"):
            found.append(title_tokens(part))
    return found


class TitleIndex:
    """Normalised title → O*NET codes, in tiers from most to least trusted."""

    def __init__(self, reference: Reference) -> None:
        self.exact: dict[tuple[str, ...], set[str]] = defaultdict(set)
        self.parts: dict[tuple[str, ...], set[str]] = defaultdict(set)
        self.corpus: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for code, occupation in reference.occupations.items():
            self.exact[title_tokens(occupation.title)].add(code)
            for part in _conjunct_parts(occupation.title):
                self.parts[part].add(code)

    def learn(self, titles: Iterable[str], code: str) -> None:
        for title in titles:
            for variant in title_variants(title):
                self.corpus[variant].add(code)

    def lookup(self, title: str) -> tuple[set[str], str]:
        """Candidate codes for a title and the tier that gave them."""
        variants = title_variants(title) | {title_tokens(title)}
        for tier, table in (
            ("title", self.exact),
            ("job-title", self.corpus),
            ("title", self.parts),
        ):
            found = set().union(*(table.get(v, set()) for v in variants))
            if found:
                return found, tier
        return set(), "title"

    def mentions(self, text: str) -> Counter[str]:
        """How often each occupation's titles occur in running text."""
        tokens = title_tokens(text)
        counts: Counter[str] = Counter()
        for start in range(len(tokens)):
            for size in range(_MAX_TITLE_WORDS, 0, -1):
                gram = tokens[start : start + size]
                if len(gram) < size:
                    continue
                codes = self.exact.get(gram) or self.corpus.get(gram) or self.parts.get(gram)
                if codes and len(codes) == 1:
                    counts[next(iter(codes))] += 1
                    break
        return counts


# --- resolving documents ---------------------------------------------------


def stated_code(record: AnyRecord) -> str | None:
    if isinstance(record, OnetPage):
        return record.code
    if isinstance(record, CompetencyFramework):
        return record.occupation.soc
    return None


def stated_title(record: AnyRecord) -> str | None:
    if isinstance(record, OnetPage | JobDescription | NocProfile):
        return record.title
    if isinstance(record, CompetencyFramework):
        return record.occupation.title
    return record.title


def _titles_learned_from(record: AnyRecord) -> list[str]:
    if isinstance(record, NocProfile):
        return [record.title, *record.job_titles, *(role.title for role in record.sub_roles)]
    title = stated_title(record)
    return [title] if title else []


def resolve(records: Mapping[str, AnyRecord], reference: Reference) -> dict[str, Resolution]:
    """Resolve every document of a corpus; keys are whatever the caller uses for documents."""
    index = TitleIndex(reference)
    resolved: dict[str, Resolution] = {}
    claimed = Counter(
        code
        for record in records.values()
        if (code := stated_code(record)) in reference.occupations
    )

    for key, record in records.items():
        code = stated_code(record)
        if code and code in reference.occupations:
            resolved[key] = Resolution(code=code, method="code", title=stated_title(record))
        elif isinstance(record, NocProfile):
            candidates = reference.noc_to_onet.get((record.version, record.code), [])
            if len(candidates) > 1:
                # The crosswalk is many-to-many; the corpus may say which one is meant.
                candidates = [c for c in candidates if claimed[c]] or candidates
            if len(candidates) == 1:
                resolved[key] = Resolution(
                    code=candidates[0], method="noc-code", title=record.title
                )
    for key, resolution in resolved.items():
        if resolution.code:
            index.learn(_titles_learned_from(records[key]), resolution.code)

    for key, record in records.items():
        if key not in resolved:
            resolved[key] = _resolve_by_text(record, index, reference)
    return resolved


def _resolve_by_text(record: AnyRecord, index: TitleIndex, reference: Reference) -> Resolution:
    title = stated_title(record)
    code = stated_code(record)
    if code and not _CODE.match(code):
        problem = f"code {code!r} is not an O*NET-SOC code"
    elif code:
        problem = f"code {code} is not in the O*NET occupation list"
    else:
        problem = None
    if isinstance(record, NocProfile):
        candidates = reference.noc_to_onet.get((record.version, record.code), [])
        problem = (
            f"NOC {record.version} {record.code} maps to {len(candidates)} O*NET "
            f"occupations ({', '.join(candidates) or 'none'})"
        )
    if title:
        codes, tier = index.lookup(title)
        if len(codes) == 1:
            return Resolution(code=next(iter(codes)), method=tier, title=title)
        if codes:
            problem = (
                f"title {title!r} matches {len(codes)} occupations ({', '.join(sorted(codes))})"
            )
    if isinstance(record, CareerArticle):
        counts = index.mentions(" ".join(f"{s.heading or ''}. {s.text}" for s in record.sections))
        ranked = counts.most_common(2)
        if ranked and ranked[0][1] >= 2 and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            return Resolution(code=ranked[0][0], method="mentions", title=title)
        problem = problem or "no occupation title is mentioned often enough to tell"
    return Resolution(title=title, problem=problem or f"no occupation matches title {title!r}")


# --- naming O*NET elements -------------------------------------------------

_DOMAIN_PREFERENCE = {"Skill": 0, "Knowledge": 1, "Ability": 2, "Generalized Work Activity": 3}
_CONJUNCTIONS = {"and", "or", "&"}


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", anyascii(text).lower().replace("'", ""))


class ElementMatcher:
    """Finds the O*NET elements a phrase names, including shared heads.

    "Inductive and deductive reasoning" names Inductive Reasoning and Deductive
    Reasoning: the head "reasoning" is written once for both.
    """

    def __init__(self, elements: Iterable[Element]) -> None:
        self.by_words: dict[tuple[str, ...], Element] = {}
        for element in sorted(elements, key=lambda e: _DOMAIN_PREFERENCE[e.domain]):
            self.by_words.setdefault(tuple(_words(element.name)), element)
        self.longest = max(len(words) for words in self.by_words)

    def named_in(self, phrase: str) -> list[Element]:
        words = _words(phrase)
        found: dict[str, Element] = {}
        for start in range(len(words)):
            for size in range(min(self.longest, len(words) - start), 0, -1):
                element = self.by_words.get(tuple(words[start : start + size]))
                if element:
                    found.setdefault(element.element_id, element)
                    break
        for words_of, element in self.by_words.items():
            if (
                len(words_of) >= 2
                and element.element_id not in found
                and _shares_head(words, words_of)
            ):
                found[element.element_id] = element
        return sorted(found.values(), key=lambda e: _first_index(words, e))

    def element_for_skill(self, phrase: str) -> Element | None:
        """The element a whole skill phrase is, if it is one ('active listening')."""
        return self.by_words.get(tuple(_words(phrase)))


def _shares_head(words: list[str], name: tuple[str, ...]) -> bool:
    """'inductive and deductive reasoning' contains 'inductive … reasoning' for a coordination."""
    for cut in range(1, len(name)):
        modifier, head = name[:cut], name[cut:]
        for start in range(len(words) - len(modifier)):
            if tuple(words[start : start + len(modifier)]) != modifier:
                continue
            rest = words[start + len(modifier) :]
            if not rest or rest[0] not in _CONJUNCTIONS:
                continue
            for gap in range(2, 5):
                if tuple(rest[gap : gap + len(head)]) == head:
                    return True
    return False


def _first_index(words: list[str], element: Element) -> int:
    first = _words(element.name)[0]
    return words.index(first) if first in words else len(words)
