"""Sentence-level reading that career articles and job descriptions share.

Prose about a job states the same few facts in endlessly varied words. This
module splits text into sentences and reads the skills a sentence (or list
item) names, so both prose extractors agree on the wording of the records; the
degrees, requirements, pay and duties a sentence states are read by
:mod:`~occugraph.extract.education`, :mod:`~occugraph.extract.salaries` and
:mod:`~occugraph.extract.duties`. Everything is pattern-based and
occupation-neutral on purpose: no lexicon entry may name a fact of one
occupation.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from occugraph.build.extract import lexicon
from occugraph.build.extract.duties import VERBS, gerund
from occugraph.build.extract.text import MAX_SENTENCE, clean

# --- sentences --------------------------------------------------------------

# A run of stops is matched from its first stop only: from each of them in turn, a long
# run ('......') would be scanned again and again.
_BOUNDARY = re.compile(r"(?<![.!?])[.!?]+[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9$£€])")
_INITIALS = re.compile(r"(?:[a-z]\.)*[a-z]")  # 'u.s', 'j'
_ABBREVIATIONS = lexicon.words(
    "e.g i.e etc vs dr mr mrs ms st no inc ltd co jr sr approx dept est fig ft lb lbs hr hrs"
    " yr yrs mo wk min max avg a.m p.m jan feb mar apr jun jul aug sep sept oct nov dec"
)


def sentences(text: str) -> list[str]:
    """Split text into sentences; a line end always ends one.

    >>> sentences("Pay rose. According to the U.S. Bureau of Labor Statistics, it is $5.")
    ['Pay rose.', 'According to the U.S. Bureau of Labor Statistics, it is $5.']
    """
    found: list[str] = []
    for line in text.splitlines():
        start = last = 0
        for match in _BOUNDARY.finditer(line):
            # The word before the stop; it starts after the last boundary, kept or not.
            word = line[last : match.start()].split()[-1:] or [""]
            last = match.end()
            token = word[0].lower()
            if token in _ABBREVIATIONS or _INITIALS.fullmatch(token):
                continue
            found.append(line[start : match.end()])
            start = match.end()
        found.append(line[start:])
    return [sentence for sentence in map(clean, found) if sentence]


# --- skills -----------------------------------------------------------------

_SKILL_STOP = lexicon.words(
    """the a an your their his her our its this these those that which who whom what of in on
    for with to from by at into need needs needed have has had having require requires required
    requiring demonstrate demonstrates possess possesses use uses build develop show bring learn
    hone improve gain get include includes including is are was were be been being will can could
    should would must may might also some many other such most more all any both very it you they
    we one use using than so skill skills"""
)
_SKILL_ADJECTIVES = lexicon.words(
    """strong excellent good great solid effective exceptional outstanding superb sound proven
    demonstrated essential soft hard basic advanced necessary relevant key important vital
    specific needed must-have top core fundamental well-developed highly adequate superior
    exemplary impeccable robust certain different various additional"""
)
_SKILL_SPELLING = dict(
    lexicon.table(
        "problemsolving=problem-solving; problem solving=problem-solving;"
        " decision making=decision-making; decisionmaking=decision-making; judgement=judgment;"
        " judgments=judgment; judgements=judgment;"
        " listening=active listening; communications=communication; communicating=communication;"
        " time-management=time management"
    )
)
# Verb phrases after "ability to" / "able to" that name a standard skill.
_VERB_SKILLS = lexicon.table(
    r"listen=active listening; communicat=communication; write\b=writing; speak\b=speaking;"
    r" manage (?:\w+ )?time=time management;"
    r" (?:make|exercise|use|show) (?:\w+ )?judg(?:e)?ments?=judgment;"
    r" (?:make|take) (?:\w+ )?decisions=decision-making; solve (?:\w+ )?problems=problem-solving;"
    r" think critically=critical thinking; work independently=working independently;"
    r" (?:resolve|manage|handle|deal with|defuse) (?:\w+ )?conflicts?=conflict resolution;"
    r" be adaptable|adapt\b=adaptability; multi-?task=multitasking; lead\b=leadership;"
    r" work (?:well )?(?:in|as part of|on|with) (?:a |the )?teams?=teamwork;"
    r" (?:show|feel|have|demonstrate) empathy|empathi[sz]e=empathy"
)
# Nouns for qualities, read only where the text is about skills or qualities.
_QUALITIES = lexicon.table(
    r"empath(?:y|etic)=empathy; compassion(?:ate)?=compassion; patience=patience;"
    r" integrity=integrity; ethics|ethical=ethics; honesty=honesty; flexib(?:le|ility)=flexibility;"
    r" adaptab(?:le|ility)=adaptability; creativ(?:e|ity)=creativity; resilien(?:t|ce)=resilience;"
    r" professionalism=professionalism; leadership=leadership; teamwork|team player=teamwork;"
    r" attention to detail|detail[- ]oriented=attention to detail;"
    r" physical stamina=physical stamina; (?<!physical )stamina=stamina;"
    r" physical strength=physical strength;"
    r" critical thinking|think critically=critical thinking; time management=time management;"
    r" problem[- ]?solv(?:ing|er)=problem-solving; decision[- ]making=decision-making;"
    r" conflict resolution|resolve conflicts?=conflict resolution; communicator=communication;"
    r" listener=active listening; multi-?task(?:ing|er)=multitasking; judg(?:e)?ment=judgment;"
    r" customer service=customer service; manual dexterity=manual dexterity"
)
_VERB_SKILL_PATTERNS = lexicon.compiled(_VERB_SKILLS)
_QUALITY_PATTERNS = lexicon.compiled(_QUALITIES, flags=re.I, words=True)
# Matches where any of them would: most sentences name no quality, and one search is
# much cheaper than one per pattern.
_ANY_QUALITY = re.compile(r"\b(?:" + "|".join(p for p, _ in _QUALITIES) + r")\b", re.I)
_PRONOUN = re.compile(r"\b(?:you|your|they|them|their|he|she|his|her|it|we|our|what|who)\b", re.I)
_ABILITY = re.compile(r"\b(?:ability|abilities|able|capacity|capable)\s+(?:to|of)\s+", re.I)
_ABILITY_WORDS = lexicon.Needed("abilit able capacity")
_TOKEN = re.compile(r"[\w'\u2019/&-]+|,")
_SKILLS = re.compile(r"\bskills?\b", re.I)
_SKILL_WORD = lexicon.Needed("skill")
_CLAUSE_END = re.compile(
    r"[.;:!?()]|\s(?:is|are|was|were|will|so|while|because|when|even|which|who|since|as well|"
    r"in order|all)\b|,\s*(?:all|even|often|while|so|but|because|which)\b",
    re.I,
)


def normalise_skill(phrase: str) -> str:
    """Lower-case a skill phrase and fold common spellings ('Problem Solving' -> 'problem-solving').

    >>> normalise_skill("  Judgement ")
    'judgment'
    """
    phrase = clean(phrase.lower().replace("’", "'"))
    return _SKILL_SPELLING.get(phrase, phrase)


_PREPOSITIONS = frozenset("to of for in on with at by from into".split())


def _skills_before_word(sentence: str) -> list[tuple[int, str]]:
    """'strong communication and interpersonal skills' -> communication, interpersonal."""
    found: list[tuple[int, str]] = []
    skills = list(_SKILLS.finditer(sentence)) if _SKILL_WORD.maybe(sentence) else []
    if not skills:  # most sentences: then there is nothing to tokenise
        return found
    # The words are found once; each 'skills' walks back from its place among them.
    tokens = list(_TOKEN.finditer(sentence))
    starts = [token.start() for token in tokens]
    for match in skills:
        taken: list[re.Match[str]] = []
        stopper = ""
        for index in range(bisect_left(starts, match.start()) - 1, -1, -1):
            word = tokens[index]
            if word.end() > match.start():  # 'soft-skills': the word ends where 'skills' starts
                word = _TOKEN.match(sentence, word.start(), match.start()) or word
            lower = word.group().lower()
            if lower not in {",", "and", "or", "&"} and (
                lower in _SKILL_STOP
                or not re.fullmatch(r"[a-z][a-z'\u2019/-]*", lower)
                or len(taken) > 9
            ):
                stopper = lower
                break
            taken.append(word)
        taken.reverse()
        item: list[re.Match[str]] = []
        # 'attention to detail, math skills': walking back stopped inside a phrase whose
        # head ('attention to') it cannot see, so its first item is only that phrase's tail.
        tail = stopper in _PREPOSITIONS
        for token in [*taken, None]:
            if token is not None and token.group().lower() not in {",", "and", "or", "&", "/"}:
                item.append(token)
                continue
            while item and item[0].group().lower() in _SKILL_ADJECTIVES:
                item.pop(0)
            if tail and item:
                tail, item = False, []
            if 0 < len(item) <= 3:
                phrase = " ".join(part.group() for part in item)
                for piece in phrase.split("/"):
                    found.append((item[0].start(), normalise_skill(piece)))
            item = []
    return found


def _skills_after_ability(sentence: str, *, loose: bool) -> list[tuple[int, str]]:
    """'the ability to listen actively' -> active listening; loose also keeps 'building trust'."""
    found: list[tuple[int, str]] = []
    if not _ABILITY_WORDS.maybe(sentence):
        return found
    end = -1  # where the last clause ended (len(sentence) if it ran to the end)
    for match in _ABILITY.finditer(sentence):
        if end < match.end():  # else this clause ends where the last one did
            found_end = _CLAUSE_END.search(sentence, match.end())
            end = found_end.start() if found_end else len(sentence)
        clause = sentence[match.end() : end]
        for piece in re.split(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", clause):
            piece = re.sub(r"^to\s+", "", clean(piece).lower())
            for pattern, skill in _VERB_SKILL_PATTERNS:
                if pattern.match(piece):
                    found.append((match.start(), skill))
                    break
            else:
                words = piece.split()
                if (
                    loose
                    and 1 < len(words) <= 4
                    and words[0] in VERBS
                    and not _PRONOUN.search(piece)
                ):
                    found.append((match.start(), " ".join([gerund(words[0]), *words[1:]])))
    return found


def skill_phrases(sentence: str, *, qualities: bool = False, loose: bool = False) -> list[str]:
    """The skill phrases a sentence names, normalised and in order of mention.

    ``qualities`` also reads nouns such as 'empathy' (only where the text is about
    skills, since elsewhere they describe the work); ``loose`` keeps any short
    'ability to ...' phrase as a gerund, for sections that list qualities.

    >>> skill_phrases("They need good organizational, problemsolving, and decision-making skills.")
    ['organizational', 'problem-solving', 'decision-making']
    >>> skill_phrases("The ability to listen actively and to manage your time is key.")
    ['active listening', 'time management']
    """
    if len(sentence) > MAX_SENTENCE:
        return []
    found = _skills_before_word(sentence) + _skills_after_ability(sentence, loose=loose)
    if qualities and _ANY_QUALITY.search(sentence):
        for pattern, skill in _QUALITY_PATTERNS:
            for match in pattern.finditer(sentence):
                found.append((match.start(), skill))
    ordered: list[str] = []
    for _, skill in sorted(found, key=lambda pair: pair[0]):
        if skill and skill not in ordered:
            ordered.append(skill)
    return ordered


_KNOWING = re.compile(
    r"^(?:[\w-]+\s+){0,2}?(?:knowledge of|familiarity with|familiar with|"
    r"experience (?:with|in|using)|proficien\w* (?:in|with)|comfortable with|skilled in|"
    r"expertise in|understanding of)\s+"
    r"(?:the\s+|an?\s+)?(?P<what>.+)$",
    re.I,
)
_KNOWN_END = re.compile(r"\s+(?:such as|including|like|e\.g\.)\b|\s*[.;:(]")


def known_skills(item: str) -> list[str]:
    """What a 'knowledge of X' list item names: the things known, one per item.

    A shared head is kept whole ('hand and power tools'); a list of names is split.

    >>> known_skills("Familiarity with PHP or Python")
    ['php', 'python']
    >>> known_skills("Knowledge of hand and power tools")
    ['hand and power tools']
    >>> known_skills("3 years of experience with React")
    []
    """
    match = _KNOWING.match(item.strip()) if len(item) <= MAX_SENTENCE else None
    if match is None or re.search(r"\d", item):
        return []
    what = _KNOWN_END.split(match.group("what"), maxsplit=1)[0]
    parts = [clean(part) for part in re.split(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", what)]
    parts = [part for part in parts if part]
    if len(parts) > 1 and len(parts[0].split()) == 1 and len(parts[-1].split()) > 1:
        parts = [clean(what)]  # 'hand and power tools': one head noun shared
    return [normalise_skill(part) for part in parts if len(part.split()) <= 5]


def item_skills(item: str) -> list[str]:
    """Skills from a short list item without a verb ('Patience and manual dexterity').

    >>> item_skills("Excellent customer service and teamwork")
    ['customer service', 'teamwork']
    """
    if len(item) > MAX_SENTENCE:
        return []
    if known := known_skills(item):
        return known
    found = skill_phrases(item, qualities=True, loose=True)
    if found or len(item.split()) > 6 or re.search(r"[.;]\s", item):
        return found
    items: list[str] = []
    for part in re.split(r"\s*(?:,|\band\b|&|/)\s*", item.rstrip(".")):
        words = [word for word in part.lower().split() if word not in _SKILL_ADJECTIVES]
        if words and not any(word in _SKILL_STOP for word in words):
            items.append(normalise_skill(" ".join(words)))
    return items
