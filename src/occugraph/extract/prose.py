"""Sentence-level reading that career articles and job descriptions share.

Prose about a job states the same few facts in endlessly varied words: the
skills it takes, the degree and its fields, what must be passed or held before
hiring, and what it pays. Each helper here reads one sentence (or list item)
and returns what it states, so both prose extractors agree on the wording of
the records. Everything is pattern-based and occupation-neutral on purpose: no
lexicon entry may name a fact of one occupation.
"""

from __future__ import annotations

import re
from typing import Literal, cast

from occugraph.extract.text import clean
from occugraph.records import Degree, Requirement, RequirementKind, SalaryFigure


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _table(text: str) -> tuple[tuple[str, str], ...]:
    """'pattern=phrase; pattern=phrase' as pairs: lexicons stay one glance long."""
    pairs = (item.strip().rsplit("=", 1) for item in text.split(";") if item.strip())
    return tuple((pattern, phrase) for pattern, phrase in pairs)


# --- sentences --------------------------------------------------------------

_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9$£€])")
_ABBREVIATIONS = _words(
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
        start = 0
        for match in _BOUNDARY.finditer(line):
            word = line[start : match.start()].split()[-1:] or [""]
            token = word[0].lower()
            if token in _ABBREVIATIONS or re.fullmatch(r"(?:[a-z]\.)*[a-z]", token):
                continue
            found.append(line[start : match.end()])
            start = match.end()
        found.append(line[start:])
    return [sentence for sentence in map(clean, found) if sentence]


# --- verbs ------------------------------------------------------------------

VERBS = _words(
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
    wire work write"""
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


# --- skills -----------------------------------------------------------------

_SKILL_STOP = _words(
    """the a an your their his her our its this these those that which who whom what of in on
    for with to from by at into need needs needed have has had having require requires required
    requiring demonstrate demonstrates possess possesses use uses build develop show bring learn
    hone improve gain get include includes including is are was were be been being will can could
    should would must may might also some many other such most more all any both very it you they
    we one use using than skill skills"""
)
_SKILL_ADJECTIVES = _words(
    """strong excellent good great solid effective exceptional outstanding superb sound proven
    demonstrated essential soft hard basic advanced necessary relevant key important vital
    specific needed must-have top core fundamental well-developed highly adequate superior
    exemplary impeccable robust certain different various additional"""
)
_SKILL_SPELLING = dict(_table(
    "problemsolving=problem-solving; problem solving=problem-solving;"
    " decision making=decision-making; decisionmaking=decision-making; judgement=judgment;"
    " judgments=judgment; judgements=judgment;"
    " listening=active listening; communications=communication; communicating=communication;"
    " time-management=time management"
))
# Verb phrases after "ability to" / "able to" that name a standard skill.
_VERB_SKILLS = _table(
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
_QUALITIES = _table(
    r"empath(?:y|etic)=empathy; compassion(?:ate)?=compassion; patience=patience;"
    r" integrity=integrity; ethics|ethical=ethics; honesty=honesty; flexib(?:le|ility)=flexibility;"
    r" adaptab(?:le|ility)=adaptability; creativ(?:e|ity)=creativity; resilien(?:t|ce)=resilience;"
    r" professionalism=professionalism; leadership=leadership; teamwork|team player=teamwork;"
    r" attention to detail|detail[- ]oriented=attention to detail; stamina=stamina;"
    r" critical thinking|think critically=critical thinking; time management=time management;"
    r" problem[- ]?solv(?:ing|er)=problem-solving; decision[- ]making=decision-making;"
    r" conflict resolution|resolve conflicts?=conflict resolution; communicator=communication;"
    r" listener=active listening; multi-?task(?:ing|er)=multitasking; judg(?:e)?ment=judgment;"
    r" customer service=customer service; manual dexterity=manual dexterity"
)
_PRONOUN = re.compile(r"\b(?:you|your|they|them|their|he|she|his|her|it|we|our|what|who)\b", re.I)
_ABILITY = re.compile(r"\b(?:ability|abilities|able|capacity|capable)\s+(?:to|of)\s+", re.I)
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


def _skills_before_word(sentence: str) -> list[tuple[int, str]]:
    """'strong communication and interpersonal skills' -> communication, interpersonal."""
    found: list[tuple[int, str]] = []
    for match in re.finditer(r"\bskills?\b", sentence, re.I):
        words = list(re.finditer(r"[\w'\u2019/&-]+|,", sentence[: match.start()]))
        taken: list[re.Match[str]] = []
        for word in reversed(words):
            lower = word.group().lower()
            if lower not in {",", "and", "or", "&"} and (
                lower in _SKILL_STOP or not re.fullmatch(r"[a-z][a-z'\u2019/-]*", lower)
                or len(taken) > 9
            ):
                break
            taken.insert(0, word)
        item: list[re.Match[str]] = []
        for word in [*taken, None]:
            if word is not None and word.group().lower() not in {",", "and", "or", "&", "/"}:
                item.append(word)
                continue
            while item and item[0].group().lower() in _SKILL_ADJECTIVES:
                item.pop(0)
            if 0 < len(item) <= 3:
                phrase = " ".join(part.group() for part in item)
                for piece in phrase.split("/"):
                    found.append((item[0].start(), normalise_skill(piece)))
            item = []
    return found


def _skills_after_ability(sentence: str, *, loose: bool) -> list[tuple[int, str]]:
    """'the ability to listen actively' -> active listening; loose also keeps 'building trust'."""
    found: list[tuple[int, str]] = []
    for match in _ABILITY.finditer(sentence):
        rest = sentence[match.end() :]
        end = _CLAUSE_END.search(rest)
        clause = rest[: end.start()] if end else rest
        for piece in re.split(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", clause):
            piece = re.sub(r"^to\s+", "", clean(piece).lower())
            for pattern, skill in _VERB_SKILLS:
                if re.match(pattern, piece):
                    found.append((match.start(), skill))
                    break
            else:
                words = piece.split()
                if loose and 1 < len(words) <= 4 and words[0] in VERBS \
                        and not _PRONOUN.search(piece):
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
    found = _skills_before_word(sentence) + _skills_after_ability(sentence, loose=loose)
    if qualities:
        for pattern, skill in _QUALITIES:
            for match in re.finditer(rf"\b(?:{pattern})\b", sentence, re.I):
                found.append((match.start(), skill))
    ordered: list[str] = []
    for _, skill in sorted(found, key=lambda pair: pair[0]):
        if skill and skill not in ordered:
            ordered.append(skill)
    return ordered


def item_skills(item: str) -> list[str]:
    """Skills from a short list item without a verb ('Patience and manual dexterity').

    >>> item_skills("Excellent customer service and teamwork")
    ['customer service', 'teamwork']
    """
    found = skill_phrases(item, qualities=True)
    if found or len(item.split()) > 6 or re.search(r"[.;]\s", item):
        return found
    items: list[str] = []
    for part in re.split(r"\s*(?:,|\band\b|&|/)\s*", item.rstrip(".")):
        words = [word for word in part.lower().split() if word not in _SKILL_ADJECTIVES]
        if words and not any(word in _SKILL_STOP for word in words):
            items.append(normalise_skill(" ".join(words)))
    return items


# --- degrees and fields of study ----------------------------------------------

_LEVELS = _table(
    r"high[- ]school diploma|\bGED\b|secondary school diploma=high school diploma;"
    r" \bassociate(?:['\u2019]s)?\s+(?:degree|of)\b|\bassociate['\u2019]s\b=associate;"
    r" \bbachelor|\bbaccalaureate\b|\bB\.?S\.?N\b|four-year degree|undergraduate degree=bachelor;"
    r" \bmaster['\u2019]s\b|\bmasters?\s+(?:degree|of)\b|\bM\.?S\.?N\b|\bMBA\b|\bgraduate degree"
    r"=master; \bdoctora(?:te|l)\b|\bPh\.?\s?D\b|\bdoctor of\b=doctorate;"
    r" \bcertificate\b|\bdiploma program=certificate"
)
_FIELD_INTRO = re.compile(
    r"\b(?:degrees?|diplomas?|certificates?|major(?:ing)?|studies|programs?|"
    r"(?:science|arts|applied science))\s+in\s+"
    r"(?:an?\s+)?(?:(?:related\s+)?(?:field|area|discipline)s?\s+(?:like|such as|including)\s+)?",
    re.I,
)
_FIELD_STOP = _words(
    """is are was were could can will would may might should must from at with to that which for
    program programs degree degrees typically usually often generally and or the as by provides
    provide offer offers give gives help helps etc"""
)
_BEFORE_DEGREE_STOP = _words(
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
    for match in _FIELD_INTRO.finditer(sentence):
        fields += _field_list(sentence[match.end() :])
    for match in re.finditer(r"(?<![\w'’])([A-Za-z]+)(?:\s+([A-Za-z]+))?\s+degrees?\b", sentence):
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
    for pattern, level in _LEVELS:
        if match := re.search(pattern, sentence, re.I):
            starts[level] = match.start()
    if not starts:
        return []
    lower = sentence.lower()
    required: bool | None = None
    if re.search(r"prefer|a plus|an advantage|desirable|optional|nice to have|could consider",
                 lower):
        required = False
    elif re.search(r"requir|must|\bneed|necessary|mandatory|at least|minimum|essential", lower):
        required = True
    # Each level takes the fields named between it and the next level mentioned.
    ordered = sorted(starts, key=starts.__getitem__)
    ends = [starts[level] for level in ordered[1:]] + [len(sentence)]
    fields = [fields_of_study(sentence[starts[level] : end]) for level, end in zip(
        ordered, ends, strict=True)]
    if not any(fields):
        fields = [fields_of_study(sentence)] * len(ordered)
    return [Degree(level=level, fields=found, required=required, text=sentence)
            for level, found in zip(ordered, fields, strict=True)]


# --- requirements -------------------------------------------------------------

_REQUIREMENTS = _table(
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
    if not implied and not _REQUIREMENT_CUE.search(sentence):
        return []
    return [
        Requirement(kind=cast(RequirementKind, kind), text=sentence)
        for pattern, kind in _REQUIREMENTS
        if re.search(pattern, sentence, re.I)
    ]


# --- salaries -----------------------------------------------------------------

_MONEY = re.compile(
    r"(?P<pre>US\$|USD\s?|C\$|CA\$|CAD\s?|A\$|AU\$|AUD\s?|\u00a3|GBP\s?|\u20ac|EUR\s?|\$)?\s?"
    r"(?<![\d.,])(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?P<dec>\.\d+)?\s?"
    r"(?P<mult>[kK]\b|thousand\b|million\b)?"
    r"(?:\s?(?P<post>USD|CAD|AUD|GBP|EUR|dollars|euros|pounds)\b)?"
)
_CURRENCY = {"$": "USD", "us$": "USD", "c$": "CAD", "ca$": "CAD", "a$": "AUD", "au$": "AUD",
             "\u00a3": "GBP", "\u20ac": "EUR", "dollars": "USD", "euros": "EUR", "pounds": "GBP"}
Period = Literal["year", "month", "week", "hour"]
_PERIODS = _table(
    r"hourly|per hour|an hour|/\s?h(?:ou)?r\b=hour; weekly|per week|a week|/\s?wk\b=week;"
    r" monthly|per month|a month|/\s?mo\b=month;"
    r" annual(?:ly)?|yearly|per year|a year|per annum|/\s?y(?:ea)?r\b=year"
)
_STATISTICS = _table(
    r"median=median; average|mean=mean; starting|entry[- ]level|start at|begin at=starting;"
    r" up to|as much as|top out=maximum; at least|as little as=minimum"
)
_APPROXIMATE = re.compile(r"\b(?:around|about|approximately|roughly|nearly|almost|close to|"
                          r"an estimated|estimated)\s*$|~\s*$", re.I)
_SOURCE = re.compile(
    r"\b(?i:according to|as of|as per|per|data from|reported by|source:)\s+(?:the\s+)?"
    r"((?:[A-Z][\w.&'’-]*)(?:\s+(?:of|for|and|on|&|the|[A-Z][\w.&'’-]*))*)"
    r"(?:\s*\(([A-Z]{2,})\))?"
)
_MONTHS = re.compile(r"^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", re.I)


def _cue(table: tuple[tuple[str, str], ...], text: str, *, last: bool = False) -> str | None:
    """The name of the cue nearest the figure: the first in text after it, the last before."""
    hits = [(match.start(), name) for pattern, name in table
            for match in re.finditer(pattern, text, re.I)]
    return (max(hits) if last else min(hits))[1] if hits else None


def salary_source(sentence: str) -> str | None:
    """The publisher a sentence credits for its figures, as written.

    >>> salary_source("According to the Bureau of Labor Statistics (BLS), pay rose.")
    'Bureau of Labor Statistics (BLS)'
    """
    for match in _SOURCE.finditer(sentence):
        name = re.sub(r"\s+(?:of|for|and|on|&|the)$", "", match.group(1)).rstrip(".,")
        if _MONTHS.match(name) or re.search(r"\d", name):
            continue
        return f"{name} ({match.group(2)})" if match.group(2) else name
    acronym = re.search(r"\((BLS|ONS|StatCan|[A-Z]{3,5})\)", sentence)
    return acronym.group(1) if acronym else None


def salaries(sentence: str) -> list[SalaryFigure]:
    """Every money figure in a sentence, with what the sentence says about it.

    >>> [(s.amount, s.period, s.statistic, s.approximate) for s in salaries(
    ...     "Apprentices start at about $18.50 per hour.")]
    [(18.5, 'hour', 'starting', True)]
    """
    matches = [m for m in _MONEY.finditer(sentence) if m.group("pre") or m.group("post")]
    source = salary_source(sentence) if matches else None
    figures: list[SalaryFigure] = []
    joint = sentence[matches[0].end() : matches[1].start()] if len(matches) == 2 else ""
    ranged = bool(re.fullmatch(r"\s*(?:to|and|or|-|\u2013)\s*", joint))
    previous_end = 0
    for index, match in enumerate(matches):
        amount = float(match.group("num").replace(",", "") + (match.group("dec") or ""))
        multiplier = (match.group("mult") or "").lower()
        amount *= 1000 if multiplier in {"k", "thousand"} else 1e6 if multiplier == "million" else 1
        prefix = (match.group("post") or match.group("pre")).strip().lower()
        currency = _CURRENCY.get(prefix, prefix.upper())
        before = sentence[previous_end : match.start()]
        after = sentence[match.end() : match.end() + 40]
        previous_end = match.end()
        period = cast(Period | None, _cue(_PERIODS, after) or _cue(_PERIODS, before, last=True)
                      or _cue(_PERIODS, sentence))
        if period is None and re.search(r"salar", sentence, re.I) and amount >= 1000:
            period = "year"
        statistic = _cue(_STATISTICS, before, last=True)
        if ranged:
            statistic = statistic or ("range-low" if index == 0 else "range-high")
        approximate = bool(_APPROXIMATE.search(before))
        figures.append(SalaryFigure(amount=amount, currency=currency, period=period,
                                    statistic=statistic, approximate=approximate,
                                    source=source, text=sentence))
    return figures
