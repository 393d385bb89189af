"""Verbs, and the duty phrases built from them.

A duty is something the worker does, so reading duties is reading verbs: the
lexicon of work verbs, their -ing forms ('responsible for conducting ...'), and
the sentence shapes that introduce a list of activities. Skill reading needs the
same verbs for 'the ability to ...' phrases, and career-path reading to tell
where a list of roles ends, so the verbs and the duty readers built on them live here, below
both :mod:`occugraph.extract.prose` and the extractors, rather than inside one
of them.
"""

from __future__ import annotations

import re

from occugraph.build.extract import lexicon
from occugraph.build.extract.text import MAX_SENTENCE, clean

# --- verbs ------------------------------------------------------------------

VERBS = lexicon.words(
    """address adjust administer advise advocate analyse analyze answer apply approve arrange
    assemble assess assign assist attend audit build calculate calibrate care carry check clean
    coach collaborate collect communicate compile complete comply conduct configure connect
    consult contact coordinate counsel create deliver design determine develop diagnose direct
    discuss dispense document draft draw educate enforce ensure enter establish estimate evaluate
    examine explain facilitate file fix follow gather guide handle help hire identify implement
    inform inspect install instruct interpret interview investigate issue keep lay lead liaise lift
    listen load locate maintain make manage measure meet mentor modify monitor negotiate notify
    observe obtain operate order organise organize oversee participate perform place plan prepare
    prescribe present prioritize process produce promote protect provide read receive recommend
    record refer remain repair replace report represent research resolve respond restore review run
    schedule screen search secure serve set show solve start stay submit supervise support take
    teach test testify track train transport treat troubleshoot update upgrade use verify visit
    wire work write
    bake bill chart clear compound compute cut fill fit frame fry garnish give grill grind hang
    haul invoice mark polish post reconcile remove revise send sketch suggest tell unload weigh
    weld"""
)
_ADD_E = re.compile(r"(?:at|ut|iz|is|ur|ir|id|ak|ag|dg|ov|iv|av|uc|ic|ac|[bcdfgkpt]l)$")


def base_verb(word: str) -> str:
    """The base form of a verb in -ing ('conducting' -> 'conduct'); other words unchanged.

    >>> [base_verb(w) for w in ("conducting", "planning", "issuing", "supervising", "addressing")]
    ['conduct', 'plan', 'issue', 'supervise', 'address']
    """
    lower = word.lower()
    if not lower.endswith("ing") or len(lower) < 6:
        return word
    stem = lower[:-3]
    if stem in VERBS:
        return stem
    if stem + "e" in VERBS:
        return stem + "e"
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "lsfz":
        return stem[:-1]
    return stem + "e" if _ADD_E.search(stem) else stem


def gerund(verb: str) -> str:
    """The -ing form of a base verb ('make' -> 'making', 'plan' -> 'planning').

    >>> [gerund(w) for w in ("make", "plan", "remain", "analyze", "be")]
    ['making', 'planning', 'remaining', 'analyzing', 'being']
    """
    if verb.endswith("ie"):
        return verb[:-2] + "ying"
    if verb.endswith("e") and len(verb) > 2 and not verb.endswith(("ee", "ye", "oe")):
        return verb[:-1] + "ing"
    if re.fullmatch(r"[^aeiou]*[aeiou][bdgmnprt]", verb):
        return verb + verb[-1] + "ing"
    return verb + "ing"


# --- duty phrases -------------------------------------------------------------

_LEAD_CLAUSE = re.compile(
    r"^(?:so|well|also|then|additionally|typically|often|usually|during|when|after|before|in|at|"
    r"on|once|if|as|while|with|for|each|every|throughout|most|some)\b"
    r"(?:[^,]{0,40}?\s(?=(?:they|you|he|she|we|i)\s)|[^,]{0,80},\s*)",
    re.I,
)
_GERUND_TRIGGER = re.compile(
    r"\b(?:include|includes|including|involve|involves|involving|ranging from|such as|"
    r"(?<!who )(?<!that )(?<!which )(?:is|are)(?: about)?|responsible for|by)\s+(?=\w+ing\b)",
    re.I,
)
_TO_TRIGGER = re.compile(
    r"\b(?:important|essential|necessary|crucial|vital|expected|required)\s+to\s+(?=\w)", re.I
)
_SUBJECT_VERB = re.compile(
    r"^(?!(?:this|these|those|that|it|there|which|what|such)\b)"
    r"(?:(?P<pronoun>they|you|we|i)|(?:[a-z'-]+\s+){0,2}[a-z'-]+[^s\W]s|some|many|most|others)\s+"
    r"(?:(?:\w+ly|also|often|then|may|might|must|will|can|should|need to|needs to|have to|"
    r"has to|are expected to|are required to)\s+)*(?P<verb>[a-z]+)\b",
    re.I,
)
# After 'they'/'you' almost any word is a verb; these are the ones that do not describe work.
_NOT_DUTIES = frozenset(
    "are is was were have has had be been do does did can could will would may might must should"
    " not just need want like love enjoy find know think say feel see hear earn spend get got go"
    " come become tend face make take seem".split()
)
_TAIL = re.compile(r",\s*(?:which|so that|while|but)\b.*$|\s+so that\b.*$", re.I)


def _is_verb(word: str, *, gerund: bool, lead: str = "") -> bool:
    lower = word.lower().strip(",.;:")
    if lower == lead:
        return True
    if gerund:
        return lower.endswith("ing") and base_verb(lower) in VERBS
    return lower in VERBS


def _verb_list(text: str, *, gerund: bool, lead: str = "") -> list[str]:
    """'maintain records, prepare reports, and testify' -> three duty phrases.

    ``lead`` is a verb already known from its subject ('they survey ...') though not
    in the lexicon.
    """
    text = _TAIL.sub("", text).rstrip(" .!?")
    joiner = (
        r"(,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+(?=\w+ing\b))"
        if gerund
        else r"(,\s*(?:and\s+|or\s+)?)"
    )
    parts = re.split(joiner, text)
    pieces: list[str] = [parts[0]]
    for separator, piece in zip(parts[1::2], parts[2::2], strict=True):
        words = piece.split()
        if words and _is_verb(words[0], gerund=gerund) and len(pieces[-1].split()) > 1:
            pieces.append(piece)
        elif words and _is_verb(words[0], gerund=gerund):  # 'monitoring and assessing X'
            pieces[-1] += separator + " ".join([base_verb(words[0]), *words[1:]])
        else:
            pieces[-1] += separator + piece
    phrases: list[str] = []
    for piece in pieces:
        words = piece.split()
        if len(words) < 2 or not _is_verb(words[0], gerund=gerund, lead=lead):
            continue
        first = base_verb(words[0]) if gerund else words[0].lower()
        phrases.append(clean(" ".join([first.capitalize(), *words[1:]])))
    return phrases


def duty_phrases(sentence: str) -> list[str]:
    """The activities a sentence says the worker does, as verb phrases.

    >>> duty_phrases("Inspectors also regularly visit sites, test samples, and file reports.")
    ['Visit sites', 'Test samples', 'File reports']
    >>> duty_phrases("A typical day may include reviewing plans and meeting with clients.")
    ['Review plans', 'Meet with clients']
    """
    if len(sentence) > MAX_SENTENCE or sentence.rstrip().endswith("?"):
        return []
    text = _LEAD_CLAUSE.sub("", sentence.strip())
    trigger = _GERUND_TRIGGER.search(text)
    if trigger and _is_verb(text[trigger.end() :].split()[0], gerund=True):
        return _verb_list(text[trigger.end() :], gerund=True)
    trigger = _TO_TRIGGER.search(text)
    if trigger and _is_verb(text[trigger.end() :].split()[0], gerund=False):
        return _verb_list(text[trigger.end() :], gerund=False)
    match = _SUBJECT_VERB.match(text)
    if match is None:
        return []
    verb = match.group("verb").lower()
    if _is_verb(verb, gerund=False) or (
        match.group("pronoun") and verb not in _NOT_DUTIES and not verb.endswith(("ed", "ing"))
    ):
        return _verb_list(text[match.start("verb") :], gerund=False, lead=verb)
    return []


def item_duty(item: str) -> str | None:
    """A list item under a duties heading, as a duty phrase if it starts with a verb.

    >>> item_duty("Inspecting wiring for faults"), item_duty("Valid licence")
    ('Inspect wiring for faults', None)
    """
    words = item.rstrip(" .;").split()
    if not words:
        return None
    if _is_verb(words[0], gerund=True):
        return " ".join([base_verb(words[0]).capitalize(), *words[1:]])
    if not _is_verb(words[0], gerund=False):
        return None
    return " ".join([words[0].capitalize(), *words[1:]])
