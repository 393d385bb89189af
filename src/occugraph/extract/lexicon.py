"""Compact notation for the word lists and pattern tables of the prose readers.

The prose readers (sentences and skills, education, salaries, duties) each keep
lexicons: sets of words and 'pattern=phrase' tables. Written as one long string
a lexicon stays one glance long; this module turns that notation into sets and
pairs in one place, so every reader parses it alike and none has to import
another just for the notation.
"""

from __future__ import annotations


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
