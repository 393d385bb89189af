"""graph.org.ai slugs: a faithful Python port of lodash's ``upperFirst(camelCase(title))``.

The contract defines ``{Slug}`` as lodash 4's ``_.upperFirst(_.camelCase(title))``. This
module ports the pieces involved (``deburr``, the apostrophe strip, ``words`` with its
ASCII/Unicode word regexes, ``camelCase``'s per-word casing and ``upperFirst``) so that
Python produces byte-identical slugs; ``tests/data/slugs.tsv`` was generated with real
lodash and pins the behaviour.

JavaScript regexes without the ``u`` flag see UTF-16 code units, so the word regexes are
run on a "code unit" string (astral characters split into surrogate pairs) and matches
are joined back into real characters before case mapping, exactly as lodash behaves.

>>> slug("Farmworkers and Laborers, Crop, Nursery, and Greenhouse")
'FarmworkersAndLaborersCropNurseryAndGreenhouse'
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["slug"]

# lodash `deburredLetters` (Latin-1 Supplement and Latin Extended-A), grouped by output.
# fmt: off
_DEBURRED_LETTERS: dict[str, str] = {
    "A": "\xc0\xc1\xc2\xc3\xc4\xc5\u0100\u0102\u0104",
    "a": "\xe0\xe1\xe2\xe3\xe4\xe5\u0101\u0103\u0105", "C": "\xc7\u0106\u0108\u010a\u010c",
    "c": "\xe7\u0107\u0109\u010b\u010d", "D": "\xd0\u010e\u0110", "d": "\xf0\u010f\u0111",
    "E": "\xc8\xc9\xca\xcb\u0112\u0114\u0116\u0118\u011a",
    "e": "\xe8\xe9\xea\xeb\u0113\u0115\u0117\u0119\u011b", "G": "\u011c\u011e\u0120\u0122",
    "g": "\u011d\u011f\u0121\u0123", "H": "\u0124\u0126", "h": "\u0125\u0127",
    "I": "\xcc\xcd\xce\xcf\u0128\u012a\u012c\u012e\u0130",
    "i": "\xec\xed\xee\xef\u0129\u012b\u012d\u012f\u0131", "J": "\u0134", "j": "\u0135",
    "K": "\u0136", "k": "\u0137\u0138", "L": "\u0139\u013b\u013d\u013f\u0141",
    "l": "\u013a\u013c\u013e\u0140\u0142", "N": "\xd1\u0143\u0145\u0147\u014a",
    "n": "\xf1\u0144\u0146\u0148\u014b", "O": "\xd2\xd3\xd4\xd5\xd6\xd8\u014c\u014e\u0150",
    "o": "\xf2\xf3\xf4\xf5\xf6\xf8\u014d\u014f\u0151", "R": "\u0154\u0156\u0158",
    "r": "\u0155\u0157\u0159", "S": "\u015a\u015c\u015e\u0160",
    "s": "\u015b\u015d\u015f\u0161\u017f", "T": "\u0162\u0164\u0166", "t": "\u0163\u0165\u0167",
    "U": "\xd9\xda\xdb\xdc\u0168\u016a\u016c\u016e\u0170\u0172",
    "u": "\xf9\xfa\xfb\xfc\u0169\u016b\u016d\u016f\u0171\u0173", "W": "\u0174", "w": "\u0175",
    "Y": "\xdd\u0176\u0178", "y": "\xfd\xff\u0177", "Z": "\u0179\u017b\u017d",
    "z": "\u017a\u017c\u017e", "Ae": "\xc6", "ae": "\xe6", "Th": "\xde", "th": "\xfe", "ss": "\xdf",
    "IJ": "\u0132", "ij": "\u0133", "Oe": "\u0152", "oe": "\u0153", "'n": "\u0149",
}
# fmt: on
# deburr: map the letters above, then drop combining marks (lodash `reComboMark`).
_COMBO_MARKS = [*range(0x300, 0x370), *range(0xFE20, 0xFE30), *range(0x20D0, 0x2100)]
_DEBURR_MAP: dict[str, str | None] = dict.fromkeys(map(chr, _COMBO_MARKS))
_DEBURR_MAP.update((ch, out) for out, chars in _DEBURRED_LETTERS.items() for ch in chars)
_DEBURR = str.maketrans(_DEBURR_MAP)
_APOS = "['\u2019]"  # lodash `reApos`; stripped (not split on) by camelCase

# Character ranges, verbatim from lodash's source (as regex escapes).
_ASTRAL = r"\ud800-\udfff"
_COMBO = r"\u0300-\u036f\ufe20-\ufe2f\u20d0-\u20ff"
_DINGBAT = r"\u2700-\u27bf"
_LOWER_R = r"a-z\xdf-\xf6\xf8-\xff"
_UPPER_R = r"A-Z\xc0-\xd6\xd8-\xde"
_BREAK_R = (
    r"\xac\xb1\xd7\xf7"  # math operators
    r"\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\xbf"  # non-characters
    r"\u2000-\u206f"  # general punctuation
    r" \t\x0b\f\xa0\ufeff\n\r\u2028\u2029\u1680\u180e\u2000-\u200a\u202f\u205f\u3000"
)
_BREAK, _LOWER, _UPPER = f"[{_BREAK_R}]", f"[{_LOWER_R}]", f"[{_UPPER_R}]"
_MISC = rf"[^{_ASTRAL}{_BREAK_R}\d+{_DINGBAT}{_LOWER_R}{_UPPER_R}]"
_FITZ = r"\ud83c[\udffb-\udfff]"
_REGIONAL = r"(?:\ud83c[\udde6-\uddff]){2}"
_SURR_PAIR = r"[\ud800-\udbff][\udc00-\udfff]"
_OPT_MOD = f"(?:[{_COMBO}]|{_FITZ})?"
_SEQ = rf"[\ufe0e\ufe0f]?{_OPT_MOD}(?:\u200d(?:[^{_ASTRAL}]|{_REGIONAL}|{_SURR_PAIR})"
_SEQ += rf"[\ufe0e\ufe0f]?{_OPT_MOD})*"
_MISC_LOWER, _MISC_UPPER = f"(?:{_LOWER}|{_MISC})", f"(?:{_UPPER}|{_MISC})"
_CONTR_LOWER = f"(?:{_APOS}(?:d|ll|m|re|s|t|ve))?"
_CONTR_UPPER = f"(?:{_APOS}(?:D|LL|M|RE|S|T|VE))?"

# `$` becomes `\Z` (JS `$` without the m flag never matches before a trailing newline);
# re.ASCII makes `\d` and `\b` ASCII-only, as in JS.
_UNICODE_WORD = re.compile(
    "|".join(
        [
            rf"{_UPPER}?{_LOWER}+{_CONTR_LOWER}(?={_BREAK}|{_UPPER}|\Z)",
            rf"{_MISC_UPPER}+{_CONTR_UPPER}(?={_BREAK}|{_UPPER}{_MISC_LOWER}|\Z)",
            f"{_UPPER}?{_MISC_LOWER}+{_CONTR_LOWER}",
            f"{_UPPER}+{_CONTR_UPPER}",
            r"\d*(?:1ST|2ND|3RD|(?![123])\dTH)(?=\b|[a-z_])",
            r"\d*(?:1st|2nd|3rd|(?![123])\dth)(?=\b|[A-Z_])",
            r"\d+",
            f"(?:[{_DINGBAT}]|{_REGIONAL}|{_SURR_PAIR}){_SEQ}",
        ]
    ),
    re.ASCII,
)
_HAS_UNICODE_WORD = re.compile(
    r"[a-z][A-Z]|[A-Z]{2}[a-z]|[0-9][a-zA-Z]|[a-zA-Z][0-9]|[^a-zA-Z0-9 ]"
)
_ASCII_WORD = re.compile(r"[^\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+")
_HAS_UNICODE = re.compile(rf"[\u200d{_ASTRAL}{_COMBO}\ufe0e\ufe0f]")
# lodash `reUnicode`, used by stringToArray: one "symbol" (grapheme-ish cluster).
_SYMBOL = re.compile(
    rf"{_FITZ}(?={_FITZ})|(?:[^{_ASTRAL}][{_COMBO}]?|[{_COMBO}]|{_REGIONAL}|{_SURR_PAIR}"
    rf"|[{_ASTRAL}]){_SEQ}"
)
_NON_BMP = re.compile("[\U00010000-\U0010ffff]")


def _to_units(text: str) -> str:
    """Split astral characters into surrogate pairs, i.e. the string as JS sees it."""

    def pair(m: re.Match[str]) -> str:
        cp = ord(m.group()) - 0x10000
        return chr(0xD800 + (cp >> 10)) + chr(0xDC00 + (cp & 0x3FF))

    return _NON_BMP.sub(pair, text)


def _from_units(units: str) -> str:
    """Join surrogate pairs back into characters (lone surrogates are kept)."""
    return units.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def _upper_first(text: str) -> str:
    """lodash `upperFirst`: upper-case the first symbol (code unit if no unicode)."""
    if text.isascii():  # most words: one code unit is one symbol
        return text[:1].upper() + text[1:]
    units = _to_units(text)
    match = _SYMBOL.match(units) if _HAS_UNICODE.search(units) else None
    head = units[: match.end()] if match else units[:1]
    return _from_units(head).upper() + _from_units(units[len(head) :])


@lru_cache(maxsize=1 << 16)
def slug(title: str) -> str:
    """Return the graph.org.ai slug of ``title``: lodash ``upperFirst(camelCase(title))``.

    Kept for the titles and statements a corpus repeats (a task's text on two pages, a
    work activity's on hundreds).
    """
    units = _to_units(re.sub(_APOS, "", title.translate(_DEBURR)))
    finder = _UNICODE_WORD if _HAS_UNICODE_WORD.search(units) else _ASCII_WORD
    words = [_from_units(word).lower() for word in finder.findall(units)]
    camel = "".join(w if i == 0 else _upper_first(w) for i, w in enumerate(words))
    return _upper_first(camel)
