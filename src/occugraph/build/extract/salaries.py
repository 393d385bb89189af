"""Money figures in prose, with what the sentence says about each.

Pay is stated in free text ('around $59,860 a year, according to the BLS'), and
reading it takes cues no other prose reader needs: currency marks, multipliers,
pay periods, statistics (median, starting, up to) and the publisher credited.
Those cues and the figure parsing live here, apart from the sentence and skill
readers in :mod:`occugraph.extract.prose`.
"""

from __future__ import annotations

import re
from typing import Literal, cast

from occugraph.build.extract import layout, lexicon
from occugraph.build.extract.text import MAX_SENTENCE
from occugraph.build.records.prose import SalaryFigure

_MONEY = re.compile(
    r"(?P<pre>US\$|USD\s?|C\$|CA\$|CAD\s?|A\$|AU\$|AUD\s?|\u00a3|GBP\s?|\u20ac|EUR\s?|\$)?\s?"
    r"(?<![\d.,])(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?P<dec>\.\d+)?\s?"
    r"(?P<mult>[kK]\b|thousand\b|million\b)?"
    r"(?:\s?(?P<post>USD|CAD|AUD|GBP|EUR|dollars|euros|pounds)\b)?"
)
_CURRENCY = {
    "$": "USD",
    "us$": "USD",
    "c$": "CAD",
    "ca$": "CAD",
    "a$": "AUD",
    "au$": "AUD",
    "\u00a3": "GBP",
    "\u20ac": "EUR",
    "dollars": "USD",
    "euros": "EUR",
    "pounds": "GBP",
}
Period = Literal["year", "month", "week", "hour"]
_PERIODS = lexicon.compiled(
    lexicon.table(
        r"hourly|per hour|an hour|/\s?h(?:ou)?r\b=hour; weekly|per week|a week|/\s?wk\b=week;"
        r" monthly|per month|a month|/\s?mo\b=month;"
        r" annual(?:ly)?|yearly|per year|a year|per annum|/\s?y(?:ea)?r\b=year"
    ),
    flags=re.I,
)
_STATISTICS = lexicon.compiled(
    lexicon.table(
        r"median=median; average|mean=mean; starting|entry[- ]level|start at|begin at=starting;"
        r" up to|as much as|top out=maximum; at least|as little as=minimum"
    ),
    flags=re.I,
)
_APPROXIMATE = re.compile(
    r"\b(?:around|about|approximately|roughly|nearly|almost|close to|"
    r"an estimated|estimated)\s*$|~\s*$",
    re.I,
)
_SOURCE = re.compile(
    r"\b(?i:according to|as of|as per|per|data from|reported by|source:)\s+(?:the\s+)?"
    r"((?:[A-Z][\w.&'’-]*)(?:\s+(?:of|for|and|on|&|the|[A-Z][\w.&'’-]*))*)"
    r"(?:\s*\(([A-Z]{2,})\))?"
)
_MONTHS = re.compile(r"^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", re.I)
_DIGIT = re.compile(r"\d")


def _cue(
    table: tuple[tuple[re.Pattern[str], str], ...], text: str, *, last: bool = False
) -> str | None:
    """The name of the cue nearest the figure: the first in text after it, the last before."""
    hits = [(match.start(), name) for pattern, name in table for match in pattern.finditer(text)]
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
    # Every figure has a digit; most sentences have none, and _MONEY is slow to rule out.
    if len(sentence) > MAX_SENTENCE or not _DIGIT.search(sentence):
        return []
    matches = [m for m in _MONEY.finditer(sentence) if m.group("pre") or m.group("post")]
    source = salary_source(sentence) if matches else None
    figures: list[SalaryFigure] = []
    joint = sentence[matches[0].end() : matches[1].start()] if len(matches) == 2 else ""
    ranged = bool(re.fullmatch(r"\s*(?:to|and|or|-|\u2013)\s*", joint))
    overall = _cue(_PERIODS, sentence) if matches else None
    salaried = bool(re.search(r"salar", sentence, re.I))
    previous_end = 0
    for index, match in enumerate(matches):
        amount = float(match.group("num").replace(",", "") + (match.group("dec") or ""))
        multiplier = (match.group("mult") or "").lower()
        amount *= 1000 if multiplier in {"k", "thousand"} else 1e6 if multiplier == "million" else 1
        prefix = (match.group("post") or match.group("pre")).strip().lower()
        currency = _CURRENCY.get(prefix, prefix.upper())
        before = sentence[previous_end : match.start()]
        # A cue after a figure is its own only up to the next figure: in "$124,170
        # ($59.70/hour)" the hour belongs to the second.
        following = matches[index + 1].start() if index + 1 < len(matches) else len(sentence)
        after = sentence[match.end() : min(match.end() + 40, following)]
        previous_end = match.end()
        period = cast(
            Period | None, _cue(_PERIODS, after) or _cue(_PERIODS, before, last=True) or overall
        )
        if period is None and salaried and amount >= 1000:
            period = "year"
        statistic = _cue(_STATISTICS, before, last=True)
        if ranged:
            statistic = statistic or ("range-low" if index == 0 else "range-high")
        approximate = bool(_APPROXIMATE.search(before))
        figures.append(
            SalaryFigure(
                amount=amount,
                currency=currency,
                period=period,
                statistic=statistic,
                approximate=approximate,
                source=source,
                text=sentence,
            )
        )
    return figures


def stated_pay(lines: list[str]) -> list[SalaryFigure]:
    """The pay a page's lines state with a period: 'Pay: $24 - $30 per hour', fact boxes.

    A figure with no period ('a $75 credit', '$500 bonus') is no wage, so it is left out.

    >>> [(s.amount, s.period) for s in stated_pay(["Median salary", "$51,590", "A $75 credit"])]
    [(51590.0, 'year')]
    """
    return [
        figure
        for text in layout.money_lines(lines)
        for figure in salaries(text)
        if figure.period is not None
    ]
