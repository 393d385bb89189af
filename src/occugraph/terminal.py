"""Text as the command line prints it: one line stays one line and reads as it is stored.

A file name may hold a newline (the error line splits in two), a right-to-left override
U+202E (the rest of the line is shown reversed: ``evil\u202etxt.exe`` reads ``evilexe.txt``)
or a terminal escape such as ``ESC ] 0 ; title BEL`` (it retitles the window, and other
sequences can do worse). Every line the command line prints passes through
:func:`printable`, which writes such characters as Python escapes; the HTML pages escape
the same text their own way (Jinja's autoescape).
"""

from __future__ import annotations

import unicodedata

from rich.text import Text

_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
"""Controls (C0, DEL, C1), formatting characters (the bidi embeddings, overrides and
isolates, zero-width marks), lone surrogates (undecodable bytes of a file name) and the
Unicode line and paragraph separators."""


def printable(text: str) -> str:
    r"""``text`` with every control, bidi or line-breaking character written as its escape.

    >>> printable("evil\x1b]0;owned\x07\u202etxt.exe\nnext")
    'evil\\x1b]0;owned\\x07\\u202etxt.exe\\nnext'
    >>> printable("Maîtres d'hôtel — ok")
    "Maîtres d'hôtel — ok"
    """
    if text.isprintable():  # the common case: nothing to escape (spaces are printable)
        return text
    return "".join(
        char.encode("unicode_escape", "backslashreplace").decode("ascii")
        if unicodedata.category(char) in _ESCAPED_CATEGORIES
        else char
        for char in text
    )


def cell(value: object) -> Text:
    """A table cell of ``value`` as plain text: escaped, and never read as rich markup
    (a title holding ``[bold]`` is shown as written)."""
    return Text(printable(str(value)))
