"""Degrees, fields of study and hiring requirements, as prose states them.

What a job asks for before hiring is told in sentences like any other: 'at
least a bachelor's degree in geology or a related field', 'must pass a
background check'. Reading those answers a different question from skill
reading (what qualifies someone, not what they are good at) with lexicons of its
own, so it lives apart from :mod:`occugraph.extract.prose`. Like every prose
lexicon it is pattern-based and occupation-neutral: no entry may name a fact of
one occupation.
"""

from __future__ import annotations

import re
from typing import cast

from occugraph.build.extract import lexicon
from occugraph.build.extract.text import MAX_SENTENCE
from occugraph.build.records.prose import Degree, Requirement, RequirementKind

# --- degrees and fields of study ----------------------------------------------

_LEVELS = lexicon.table(
    r"high[- ]school diploma|\bGED\b|secondary school diploma|completion of secondary school"
    r"=high school diploma;"
    r" \bassociate(?:['\u2019]s)?\s+(?:degree|of)\b|\bassociate['\u2019]s\b=associate;"
    r" \bbachelor|\bbaccalaureate\b|\bB\.?S\.?N\b|\bB\.?Sc\b|four-year degree|undergraduate degree"
    r"=bachelor;"
    r" \bmaster['\u2019]s\b|\bmasters?\s+(?:degree|of)\b|\bM\.?S\.?N\b|\bMBA\b|\bgraduate degree"
    r"=master; \bdoctora(?:te|l)\b|\bPh\.?\s?D\b|\bdoctor of\b=doctorate;"
    r" \bcertificate\b|\bdiploma program=certificate"
)
_LEVEL_PATTERNS = lexicon.compiled(_LEVELS, flags=re.I)
_LEVEL_WORDS = lexicon.Needed(
    "diploma ged associate bachelor baccalaureate sn s.n degree master mba doctor ph certificate "
    "secondary bsc b.sc"
)
_FIELD_INTRO = re.compile(
    r"\b(?:degrees?|diplomas?|certificates?|major(?:ing)?|studies|programs?|"
    r"(?:science|arts|applied science))\s+in\s+"
    r"(?:an?\s+)?(?:(?:related\s+)?(?:field|area|discipline)s?\s+(?:like|such as|including)\s+)?",
    re.I,
)
_FIELD_WORDS = lexicon.Needed("degree diploma certificate major studies program science arts")
# 'Nursing degrees': case-sensitive, so a sentence without 'degree' cannot match.
_BEFORE_DEGREE = re.compile(r"(?<![\w'’])([A-Za-z]+)(?:\s+([A-Za-z]+))?\s+degrees?\b")
_FIELD_STOP = lexicon.words(
    """is are was were could can will would may might should must from at with to that which for
    program programs degree degrees typically usually often generally and or the as by provides
    provide offer offers give gives help helps etc"""
)
_BEFORE_DEGREE_STOP = lexicon.words(
    """the a an this that these those your their his her any such some many most each other
    advanced graduate undergraduate college university relevant related specific academic formal
    accredited professional higher postsecondary online required preferred four-year two-year
    have has hold holds earn earned obtain get need needs with require requires of in or and
    bachelor bachelors master masters associate associates doctoral new good great"""
)


def _field_list(text: str) -> list[str]:
    fields: list[str] = []
    for item in re.split(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", text):
        words = item.strip().split()
        if not words or words[0].lower() in {"a", "an", "another", "related", "similar", "other"}:
            break
        kept: list[str] = []
        for word in words:
            bare = word.rstrip(".,;:!?")
            if bare.lower() in _FIELD_STOP or not re.fullmatch(r"[A-Za-z][A-Za-z'-]*", bare):
                break
            kept.append(bare.lower())
            if bare != word:
                break
        if not kept or len(kept) > 3:
            break
        fields.append(" ".join(kept))
        if " ".join(kept) != " ".join(words).lower():
            break
    return fields


def fields_of_study(sentence: str) -> list[str]:
    """Fields named as what a degree is in, in order of mention.

    >>> fields_of_study("A degree in civil engineering, surveying, or a related field helps.")
    ['civil engineering', 'surveying']
    >>> fields_of_study("Nursing degrees are offered widely.")
    ['nursing']
    """
    fields: list[str] = []
    if len(sentence) > MAX_SENTENCE:
        return fields
    if _FIELD_WORDS.maybe(sentence):
        for match in _FIELD_INTRO.finditer(sentence):
            fields += _field_list(sentence[match.end() :])
    if "degree" in sentence:
        for match in _BEFORE_DEGREE.finditer(sentence):
            words = [word.lower() for word in match.groups() if word]
            while words and words[0] in _BEFORE_DEGREE_STOP:
                words.pop(0)
            if words and not any(word in _BEFORE_DEGREE_STOP for word in words):
                fields.append(" ".join(words))
    return list(dict.fromkeys(fields))


def degrees(sentence: str) -> list[Degree]:
    """The degree levels a sentence names, each with the fields it gives.

    >>> [(d.level, d.fields, d.required) for d in degrees(
    ...     "You must hold an associate degree in drafting or design.")]
    [('associate', ['drafting', 'design'], True)]
    """
    starts: dict[str, int] = {}
    if len(sentence) > MAX_SENTENCE or not _LEVEL_WORDS.maybe(sentence):
        return []
    for pattern, level in _LEVEL_PATTERNS:
        if match := pattern.search(sentence):
            starts[level] = match.start()
    if not starts:
        return []
    lower = sentence.lower()
    required: bool | None = None
    if re.search(
        r"prefer|a plus|an advantage|desirable|optional|nice to have|could consider", lower
    ):
        required = False
    elif re.search(r"requir|must|\bneed|necessary|mandatory|at least|minimum|essential", lower):
        required = True
    # Each level takes the fields named between it and the next level mentioned.
    ordered = sorted(starts, key=starts.__getitem__)
    ends = [starts[level] for level in ordered[1:]] + [len(sentence)]
    fields = [
        fields_of_study(sentence[starts[level] : end])
        for level, end in zip(ordered, ends, strict=True)
    ]
    if not any(fields):
        fields = [fields_of_study(sentence)] * len(ordered)
    return [
        Degree(level=level, fields=found, required=required, text=sentence)
        for level, found in zip(ordered, fields, strict=True)
    ]


# --- requirements -------------------------------------------------------------

_REQUIREMENTS = lexicon.table(
    r"background (?:check|investigation|screening)|criminal (?:history|record) check"
    r"|security clearance|fingerprint=background-check;"
    r" drug (?:screen|test)|drug and alcohol (?:screen|test)|substance screen=drug-screening;"
    r" fitness (?:test|exam|assessment)|physical (?:ability|agility) test=fitness-test;"
    r" (?<!fitness )(?<!agility )(?<!ability )(?<!drug )\b(?:exam|examination|test)s?\b"
    r"|\bNCLEX=exam;"
    r" \bacademy\b|on-the-job training|apprenticeship|training (?:program|course)|\bresidency\b"
    r"|\b(?:complete|undergo|attend|receive)\w* [\w\s-]{0,30}training=training;"
    r" \blicen[cs]e|\blicensure\b|\blicensed\b=licence; \bcertif(?:ied|ication)s?\b=certification;"
    r" \bexperience\b=experience"
)
_REQUIREMENT_PATTERNS = lexicon.compiled(_REQUIREMENTS, flags=re.I)
_REQUIREMENT_WORDS = lexicon.Needed(
    """background criminal clearance fingerprint drug substance fitness physical exam test nclex
    academy training apprentice residency licen certif experience"""
)
_REQUIREMENT_CUE = re.compile(
    r"requir|\bneed|\bmust\b|have to|has to|\bpass|complet|obtain|\bearn|\bhold|valid|eligib|"
    r"mandatory|necessary|expected|prerequisite|undergo|submit|attend|qualif|licensed|certified|"
    r"apprentice|years? of|accept|minimum|prefer",
    re.I,
)


def requirements(sentence: str, *, implied: bool = False) -> list[Requirement]:
    """The hiring requirements a sentence states, one per kind.

    Prose must say the thing is required ('must pass', 'need'); in a list headed
    'Requirements' that is ``implied`` by the heading.

    >>> [r.kind for r in requirements("Applicants must pass a drug test and hold a valid license.")]
    ['drug-screening', 'licence']
    """
    if (
        len(sentence) > MAX_SENTENCE
        or not _REQUIREMENT_WORDS.maybe(sentence)
        or (not implied and not _REQUIREMENT_CUE.search(sentence))
    ):
        return []
    return [
        Requirement(kind=cast(RequirementKind, kind), text=sentence)
        for pattern, kind in _REQUIREMENT_PATTERNS
        if pattern.search(sentence)
    ]
