"""Links: which occupation each document is about.

Resolution needs the whole corpus: a job description titled "Nurse" may only be
recognisable through the job titles a NOC profile lists. So documents that state
a code are resolved first, their titles join the index and the things they describe
(an O*NET task id) are tied to their occupation; a NOC 2016 code whose crosswalk row
names a retired O*NET code goes through the NOC 2021 group that replaced it. Then a
document that states no occupation goes with the one a thing it describes is tied to (a
graph.org.ai task page names only its task id), then titles, then mentions in running
text, and last the autocoder (:mod:`occugraph.build.autocoder`) ranks O*NET occupations
by the evidence of its title, description and duties: it decides when its best
candidate scores at least :data:`ACCEPT`. Nothing else is guessed: an unresolved
document is about no occupation, and the report names its best candidates.

Resolution reads only each document's :class:`LinkKeys` (its codes and titles,
already tokenised), never the whole record, so a rebuild can resolve a corpus of
thousands of documents from what the previous build kept of each.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache

from anyascii import anyascii
from pydantic import BaseModel, ConfigDict, Field

from occugraph import ids
from occugraph.build.autocoder import Candidate, ranker, singular
from occugraph.build.records import OccupationClaim, Record, stated_onet_code
from occugraph.build.reference import Reference

_CODE = re.compile(r"^\d{2}-\d{4}\.\d{2}$")
_MAX_TITLE_WORDS = 8
_TEXT_CHARS = 4000
"""What the autocoder reads of a document's description, at most."""

ACCEPT = 0.4
"""The autocoder's least score to decide (chosen on tests/data/autocoder/titles.tsv)."""
TITLE_SURE = 0.4
"""A title this similar to one of the chosen occupation's titles is evidence enough..."""
TEXT_MIN = 0.08
"""...else its text must be this similar (cosine) to the occupation's description and
tasks: one word in common with a title and vague duties do not make an 'Underwater
Basket Weaver' a textile machine operator."""


class Resolution(BaseModel):
    """How one document was tied to an occupation (or why it was not)."""

    model_config = ConfigDict(frozen=True)

    code: str | None = Field(None, description="The O*NET-SOC code it resolved to.")
    method: str | None = Field(
        None,
        description="code, noc-code, noc-concordance, shared-id, title, job-title, mentions "
        "or autocoder.",
    )
    title: str | None = Field(None, description="The document's own name for its occupation.")
    problem: str | None = Field(None, description="Why it could not be resolved, for the report.")
    score: float | None = Field(None, description="The autocoder's score of the code.")
    runner_up: Candidate | None = Field(None, description="The autocoder's second choice.")
    candidates: list[Candidate] | None = Field(
        None,
        description="The autocoder's ranking, when it was asked: the next build of the same "
        "content, code and reference data keeps it instead of ranking again.",
    )


# --- normalising titles ----------------------------------------------------


_singular = singular
_WORD = re.compile(r"[a-z0-9]+").findall
_SINGULAR: dict[str, str] = {}  # articles repeat their words: look each up once


def title_tokens(text: str) -> tuple[str, ...]:
    """Lower-case, ASCII, singular tokens: the form titles are compared in.

    >>> title_tokens("Registered Nurses'")
    ('registered', 'nurse')
    """
    folded = anyascii(text).lower().replace("'", "")
    if len(_SINGULAR) > 500_000:
        _SINGULAR.clear()
    return tuple(_SINGULAR.get(w) or _SINGULAR.setdefault(w, _singular(w)) for w in _WORD(folded))


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


# --- what resolution needs of a document -------------------------------------

Key = tuple[str, ...]


def _joined(variants: Iterable[Key]) -> list[str]:
    return sorted({" ".join(variant) for variant in variants if variant})


class LinkKeys(BaseModel):
    """What resolution and the links graph need of one document, tokenised once.

    Title forms are token tuples joined by spaces (tokens hold no spaces).
    """

    model_config = ConfigDict(frozen=True)

    code: str | None = Field(None, description="The O*NET-SOC code the document states.")
    title: str | None = Field(None, description="Its own name for its occupation.")
    noc: tuple[str, str] | None = Field(None, description="(version, code) of a NOC profile.")
    learned: list[str] = Field(
        default_factory=list, description="Title forms the corpus learns once it is resolved."
    )
    lookup: list[str] = Field(default_factory=list, description="Forms of its stated title.")
    job_titles: list[str] = Field(
        default_factory=list, description="IRIs of the job titles it lists (links graph)."
    )
    article: bool = Field(False, description="Falls back on counting mentions in its text.")
    identifiers: list[str] = Field(
        default_factory=list,
        description="Things it describes that another document may tie to an occupation.",
    )
    text: str = Field("", description="Its description, for the autocoder.")
    duties: list[str] = Field(
        default_factory=list, description="Duties it states, to link to O*NET tasks."
    )


def resolves_alike(old: LinkKeys, new: LinkKeys, resolution: Resolution) -> bool:
    """Whether a document whose keys went from ``old`` to ``new`` still resolves as it
    did (to ``resolution``) and teaches the rest of the corpus the same, whatever the
    other documents say: its keys are the same, or it states its code and only its text
    changed (text ranks only documents that state none). An article's mentions are
    counted in text its keys do not hold: never alike.

    >>> code = Resolution(code="47-2111.00", method="code")
    >>> old = LinkKeys(code="47-2111.00", text="Installs wiring.")
    >>> resolves_alike(old, old.model_copy(update={"text": "Repairs wiring."}), code)
    True
    >>> resolves_alike(old, old.model_copy(update={"code": "47-2111.01"}), code)
    False
    """
    if old.article or new.article:
        return False
    if old == new:
        return True
    textless = {"text": "", "duties": []}
    return resolution.method == "code" and (
        old.model_copy(update=textless) == new.model_copy(update=textless)
    )


def listed_job_titles(claim: OccupationClaim) -> list[str]:
    """The job titles a document lists that name a job (a NOC list, a posting's title)."""
    return [title for title in claim.job_titles if title_variants(title)]


@lru_cache(maxsize=1 << 14)
def _forms(title: str) -> frozenset[Key]:
    """A title's variants and its tokens: the same occupation title recurs on every page
    about it (hundreds, in graph.org.ai's corpus)."""
    return frozenset(title_variants(title) | {title_tokens(title)})


def link_keys(record: Record) -> LinkKeys:
    """What resolution and the links graph need of a record, tokenised once.

    >>> from occugraph.build.records.job_description import JobDescription
    >>> keys = link_keys(JobDescription(title="Registered Nurse"))
    >>> keys.lookup, keys.job_titles
    (['registered nurse'], ['https://graph.org.ai/jobtitles/RegisteredNurse'])
    """
    claim = record.claim()
    title = claim.title
    names = [title, *claim.other_names] if title else claim.other_names
    return LinkKeys(
        code=claim.code or stated_onet_code(claim.text),
        title=title,
        noc=claim.noc,
        learned=_joined(form for t in names for form in _forms(t)),
        lookup=_joined(_forms(title)) if title else [],
        job_titles=[ids.job_title(t) for t in listed_job_titles(claim)],
        article=claim.text is not None,
        identifiers=claim.identifiers,
        text=(claim.description or "")[:_TEXT_CHARS],
        duties=claim.duties,
    )


def mention_tokens(record: Record) -> str | None:
    """The running text a document is judged by, if any, as title tokens joined by spaces.

    >>> from occugraph.build.records.career_article import CareerArticle
    >>> from occugraph.build.records.prose import Section
    >>> mention_tokens(CareerArticle(sections=[Section(text="Nurses' duties")]))
    'nurse duty'
    """
    text = record.claim().text
    return None if text is None else " ".join(title_tokens(text))


# --- the title index -------------------------------------------------------

_REFERENCE_TABLES: dict[str, tuple[dict[Key, set[str]], dict[Key, set[str]]]] = {}


def _reference_tables(reference: Reference) -> tuple[dict[Key, set[str]], dict[Key, set[str]]]:
    tables = _REFERENCE_TABLES.get(reference.fingerprint)
    if tables is None:
        exact: dict[Key, set[str]] = defaultdict(set)
        parts: dict[Key, set[str]] = defaultdict(set)
        for code, occupation in reference.occupations.items():
            exact[title_tokens(occupation.title)].add(code)
            for part in _conjunct_parts(occupation.title):
                parts[part].add(code)
        tables = _REFERENCE_TABLES[reference.fingerprint] = (dict(exact), dict(parts))
    return tables


class TitleIndex:
    """Normalised title → O*NET codes, in tiers from most to least trusted."""

    def __init__(self, reference: Reference) -> None:
        # The reference tiers are shared between indexes and never changed.
        self.exact, self.parts = _reference_tables(reference)
        self.corpus: dict[Key, set[str]] = defaultdict(set)
        self._sizes: dict[str, list[int]] | None = None
        self._table: dict[str, list[str]] | None = None

    def learn(self, titles: Iterable[str], code: str) -> None:
        for title in titles:
            self.learn_forms(_joined(title_variants(title)), code)

    def learn_forms(self, forms: Iterable[str], code: str) -> None:
        for form in forms:
            self.corpus[tuple(form.split())].add(code)
        self._sizes = self._table = None

    def lookup(self, title: str) -> tuple[set[str], str]:
        """Candidate codes for a title and the tier that gave them."""
        return self.lookup_forms(_joined(title_variants(title) | {title_tokens(title)}))

    def lookup_forms(self, forms: Iterable[str]) -> tuple[set[str], str]:
        variants = [tuple(form.split()) for form in forms]
        for tier, table in (
            ("title", self.exact),
            ("job-title", self.corpus),
            ("title", self.parts),
        ):
            found = set().union(*(table.get(v, set()) for v in variants))
            if found:
                return found, tier
        return set(), "title"

    def named_by_reference(self, forms: Iterable[str]) -> set[str]:
        """Codes whose O*NET title (or a part of it) is one of these forms exactly."""
        found: set[str] = set()
        for form in forms:
            key = tuple(form.split())
            found |= self.exact.get(key, set()) | self.parts.get(key, set())
        return found

    def mentions(self, text: str) -> Counter[str]:
        """How often each occupation's titles occur in running text."""
        return self.count_mentions(title_tokens(text))

    def count_mentions(self, tokens: Sequence[str]) -> Counter[str]:
        """Longest matches first; a match is not counted again inside a longer one."""
        sizes = self._first_tokens()
        counts: Counter[str] = Counter()
        start, end = 0, len(tokens)
        while start < end:
            step = 1
            for size in sizes.get(tokens[start], ()):
                if start + size > end:
                    continue
                gram = tuple(tokens[start : start + size])
                codes = self.exact.get(gram) or self.corpus.get(gram) or self.parts.get(gram)
                if codes and len(codes) == 1:
                    counts[next(iter(codes))] += 1
                    step = size
                    break
            start += step
        return counts

    def _first_tokens(self) -> dict[str, list[int]]:
        """First token of every title form → the lengths of those forms, longest first."""
        if self._sizes is None:
            lengths: dict[str, set[int]] = defaultdict(set)
            for table in (self.exact, self.corpus, self.parts):
                for key in table:
                    if 0 < len(key) <= _MAX_TITLE_WORDS:
                        lengths[key[0]].add(len(key))
            self._sizes = {first: sorted(n, reverse=True) for first, n in lengths.items()}
        return self._sizes

    def effective(self, key: Key) -> frozenset[str]:
        """What counting a mention of this exact form finds."""
        return frozenset(self.exact.get(key) or self.corpus.get(key) or self.parts.get(key) or ())

    def corpus_table(self) -> dict[str, list[str]]:
        """What the corpus taught, as plain data (a manifest keeps it for the next build)."""
        if self._table is None:
            self._table = {" ".join(k): sorted(codes) for k, codes in self.corpus.items()}
        return self._table

    def changed_forms(self, before: Mapping[str, Sequence[str]]) -> list[str]:
        """Forms whose mentions count differently than under an earlier corpus table."""
        now = self.corpus_table()
        changed = []
        for form in set(now) | set(before):
            key = tuple(form.split())
            if now.get(form) == list(before.get(form, [])) or key in self.exact:
                continue  # the reference tier wins whatever the corpus says
            old = frozenset(before.get(form, ())) or frozenset(self.parts.get(key, ()))
            if old != self.effective(key):
                changed.append(form)
        return sorted(changed)


# --- resolving documents ---------------------------------------------------

Mentions = Callable[[str, TitleIndex], list[tuple[str, int]]]
"""The two occupations mentioned most in a document, with their counts."""


def resolve(records: Mapping[str, Record], reference: Reference) -> dict[str, Resolution]:
    """Resolve every document of a corpus; keys are whatever the caller uses for documents."""
    tokens = {key: mention_tokens(record) for key, record in records.items()}

    def mentions(key: str, index: TitleIndex) -> list[tuple[str, int]]:
        return index.count_mentions((tokens[key] or "").split()).most_common(2)

    keys = {key: link_keys(record) for key, record in records.items()}
    return resolve_keys(keys, reference, mentions)[0]


def resolve_keys(
    keys: Mapping[str, LinkKeys],
    reference: Reference,
    mentions: Mentions,
    ranked: Mapping[str, list[Candidate]] | None = None,
) -> tuple[dict[str, Resolution], TitleIndex]:
    """Resolve a corpus from its documents' keys; also returns the title index it learned.

    ``ranked``: the autocoder's rankings of documents a previous build ranked, by key,
    valid while their content, the code and the reference data are the same.
    """
    index = TitleIndex(reference)
    resolved: dict[str, Resolution] = {}
    claimed = Counter(k.code for k in keys.values() if k.code in reference.occupations)

    for key, k in keys.items():
        if k.code and k.code in reference.occupations:
            resolved[key] = Resolution(code=k.code, method="code", title=k.title)
        elif k.noc is not None:
            candidates, method = reference.noc_to_onet.get(k.noc, []), "noc-code"
            if not candidates:
                candidates, method = reference.through_concordance(k.noc), "noc-concordance"
            if len(candidates) > 1:
                # The crosswalk is many-to-many; the corpus may say which one is meant,
                # or the profile's own titles may name exactly one of them.
                candidates = [c for c in candidates if claimed[c]] or candidates
            if len(candidates) > 1:
                named = index.named_by_reference(k.learned)
                candidates = [c for c in candidates if c in named] or candidates
            if len(candidates) == 1:
                resolved[key] = Resolution(code=candidates[0], method=method, title=k.title)
    tied: dict[str, set[str]] = defaultdict(set)  # identifier -> the codes it is tied to
    for key, resolution in resolved.items():
        if resolution.code:
            index.learn_forms(keys[key].learned, resolution.code)
            for identifier in keys[key].identifiers:
                tied[identifier].add(resolution.code)

    for key, k in keys.items():
        if key in resolved:
            continue
        codes = set().union(*(tied.get(identifier, set()) for identifier in k.identifiers))
        if len(codes) == 1 and not k.code:
            resolved[key] = Resolution(code=codes.pop(), method="shared-id", title=k.title)
        else:
            earlier = ranked.get(key) if ranked else None
            resolved[key] = _resolve_by_text(key, k, index, reference, mentions, earlier)
    return resolved, index


def _resolve_by_text(
    key: str,
    k: LinkKeys,
    index: TitleIndex,
    reference: Reference,
    mentions: Mentions,
    earlier: list[Candidate] | None = None,
) -> Resolution:
    title, code = k.title, k.code
    if code and not _CODE.match(code):
        problem: str | None = f"code {code!r} is not an O*NET-SOC code"
    elif code:
        problem = f"code {code} is not in the O*NET occupation list"
    else:
        problem = None
    if k.noc is not None:
        candidates = reference.noc_to_onet.get(k.noc, []) or reference.through_concordance(k.noc)
        problem = (
            f"NOC {k.noc[0]} {k.noc[1]} maps to {len(candidates)} O*NET "
            f"occupations ({', '.join(candidates) or 'none'})"
        )
    codes: set[str] = set()
    if title:
        codes, tier = index.lookup_forms(k.lookup)
        if len(codes) == 1:
            return Resolution(code=next(iter(codes)), method=tier, title=title)
        if codes:
            problem = (
                f"title {title!r} matches {len(codes)} occupations ({', '.join(sorted(codes))})"
            )
    if k.article:
        ranked = mentions(key, index)
        if ranked and ranked[0][1] >= 2 and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            return Resolution(code=ranked[0][0], method="mentions", title=title)
        problem = problem or "no occupation title is mentioned often enough to tell"
    problem = problem or f"no occupation matches title {title!r}"
    text = " ".join([k.text, *k.duties]).strip()
    if k.noc is not None or not (title or text):
        return Resolution(title=title, problem=problem)  # a NOC code's ambiguity stands
    ranking = earlier if earlier is not None else ranker(reference).rank(title, text, top=5)
    ranks = ranking
    if codes:  # the title named several occupations: the evidence chooses among them
        ranks = [c for c in ranks if c.code in codes] or ranks
    if (
        ranks
        and ranks[0].score >= ACCEPT
        and (ranks[0].title >= TITLE_SURE or ranks[0].text >= TEXT_MIN)
    ):
        return Resolution(
            code=ranks[0].code,
            method="autocoder",
            title=title,
            score=ranks[0].score,
            runner_up=ranks[1] if len(ranks) > 1 else None,
            candidates=ranking,
        )
    best = "; ".join(
        f"{c.code} {reference.occupations[c.code].title} ({c.score:.2f})" for c in ranks[:3]
    )
    return Resolution(
        title=title, problem=f"{problem}; best candidates: {best or 'none'}", candidates=ranking
    )
