"""Compact notation for the word lists and pattern tables of the prose readers.

The prose readers (sentences and skills, education, salaries, duties) each keep
lexicons: sets of words and 'pattern=phrase' tables. Written as one long string
a lexicon stays one glance long; this module turns that notation into sets and
pairs in one place, so every reader parses it alike and none has to import
another just for the notation.
"""

from __future__ import annotations

import re


def words(text: str) -> frozenset[str]:
    """The whitespace-separated words of text, as a set.

    >>> sorted(words("care cure care"))
    ['care', 'cure']
    """
    return frozenset(text.split())


def table(text: str) -> tuple[tuple[str, str], ...]:
    """'pattern=phrase; pattern=phrase' as pairs: lexicons stay one glance long.

    >>> table("hourly|per hour=hour; weekly=week")
    (('hourly|per hour', 'hour'), ('weekly', 'week'))
    """
    pairs = (item.strip().rsplit("=", 1) for item in text.split(";") if item.strip())
    return tuple((pattern, phrase) for pattern, phrase in pairs)


class Needed:
    """The words some case-insensitive patterns need: a cheap test before running them.

    Python's ``re`` has no fast scan for a case-insensitive pattern, so ruling one
    out costs a try at every position of the text. Most sentences hold none of the
    words a lexicon's patterns need, and one case-sensitive search of the lower-cased
    text for all of them rules out every pattern at once. ``words`` are lower-case
    ASCII, each pattern must contain one of them whatever it matches, and text
    outside ASCII is never ruled out (``re.I`` also folds 'ſ' onto 's', 'ı' onto 'i').

    >>> levels = Needed("bachelor master")
    >>> levels.maybe("A Master's degree"), levels.maybe("Pay rose.")
    (True, False)
    """

    def __init__(self, words: str) -> None:
        self._any = re.compile("|".join(map(re.escape, words.split())))

    def maybe(self, text: str) -> bool:
        return not text.isascii() or self._any.search(text.lower()) is not None


def compiled(
    pairs: tuple[tuple[str, str], ...], *, flags: int = 0, words: bool = False
) -> tuple[tuple[re.Pattern[str], str], ...]:
    """A table with its patterns compiled once (``words``: matched as whole words).

    Readers run every pattern of a table on every sentence; through ``re``'s cache
    each call would cost a lookup and more than the match itself.

    >>> [(p.pattern, phrase) for p, phrase in compiled(table("pay|wage=pay"), words=True)]
    [('\\\\b(?:pay|wage)\\\\b', 'pay')]
    """
    return tuple(
        (re.compile(rf"\b(?:{pattern})\b" if words else pattern, flags), phrase)
        for pattern, phrase in pairs
    )
