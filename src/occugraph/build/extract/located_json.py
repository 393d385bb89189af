"""JSON (RFC 8259) read strictly, so that every error can name a path and a line.

``json.loads`` keeps no positions, so a value of the wrong type is located by
walking the text again along its path. It also accepts what an export must not
hold: repeated keys in one object (RFC 8259 leaves their meaning open, and
``json`` silently keeps the last, losing a level), escapes that stand for half a
character (``"\\ud800"``, which no RDF store can write), and numbers too long to
convert (a ``ValueError`` rather than a ``JSONDecodeError``). Each of those is
an ``InputError`` here.
"""

from __future__ import annotations

import json
import json.decoder
import json.scanner
import re
from typing import Any

from occugraph.build.extract.text import clean, line_at
from occugraph.errors import InputError

Path = tuple[str | int, ...]

_SPACE = re.compile(r"[ \t\n\r]*")
_LONG_NUMBER = re.compile(r"(?<!\d)\d{4000,}")  # json refuses integers of over 4300 digits
_LONE_SURROGATE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


class _DuplicateKeyError(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key
        self.offset: int | None = None  # where the object holding it starts, once known


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKeyError(key)
            seen.add(key)
    return result


class Reader:
    """The parsed document plus its text, so that type errors can name a line.

    >>> Reader('{"a": 1,\\n "a": 2}').parse()
    Traceback (most recent call last):
    occugraph.errors.InputError: <input>:1: invalid JSON: the key 'a' appears twice in one object
    """

    def __init__(self, text: str) -> None:
        self.source = text

    def parse(self) -> Any:
        if not self.source.strip():
            raise InputError("empty document: expected a JSON object", line=1)
        try:
            value = json.loads(self.source, object_pairs_hook=_unique)
            # Lone surrogates cannot be encoded: find them by trying.
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except json.JSONDecodeError as error:
            ends_early = error.pos >= len(self.source.rstrip()) or error.msg.startswith(
                "Unterminated string"
            )
            hint = " (the document ends early: truncated?)" if ends_early else ""
            raise InputError(
                f"invalid JSON: {error.msg.removesuffix(' starting at')}{hint}",
                line=line_at(self.source, error.pos),
            ) from None
        except _DuplicateKeyError as error:
            offset = _duplicate_offset(self.source)
            raise InputError(
                f"invalid JSON: the key {error.key!r} appears twice in one object",
                line=None if offset is None else line_at(self.source, offset),
            ) from None
        except UnicodeEncodeError:
            found = _LONE_SURROGATE.search(self.source)
            raise InputError(
                "invalid JSON: a \\u escape stands for half a character (a lone surrogate)",
                line=line_at(self.source, found.start()) if found else None,
            ) from None
        except ValueError as error:  # an integer too long to convert
            found = _LONG_NUMBER.search(self.source)
            what = f"a number of {len(found.group())} digits" if found else "a number"
            raise InputError(
                f"invalid JSON: {what} is too long to read",
                line=line_at(self.source, found.start()) if found else None,
            ) from error
        except RecursionError:
            raise InputError("JSON is nested too deeply to read", line=None) from None
        return value

    def line(self, path: Path) -> int | None:
        return locate(self.source, path)

    def fail(self, path: Path, expected: str, value: Any) -> InputError:
        return InputError(
            f"{dotted(path)}: expected {expected}, got {show(value)}", line=self.line(path)
        )

    def expect(self, value: Any, kind: type, path: Path, expected: str) -> None:
        if not isinstance(value, kind):
            raise self.fail(path, expected, value)

    def text(self, value: Any, path: Path, *, numbers: bool = False) -> str | None:
        """Optional text; numbers allowed where exports write codes or versions as numbers."""
        if value is None:
            return None
        if numbers and isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            raise self.fail(path, "a string", value)
        return clean(value) or None


def _duplicate_offset(text: str) -> int | None:
    """Where the first object with a repeated key starts.

    Only json's pure-Python scanner says where each object starts, and it is slow,
    so it runs only once a repeated key is known to be there.
    """
    decoder = json.JSONDecoder(object_pairs_hook=_unique)
    parse_object: Any = getattr(json.decoder, "JSONObject")  # noqa: B009 (not in the stubs)

    def located(s_and_end: tuple[str, int], *args: Any) -> Any:
        try:
            return parse_object(s_and_end, *args)
        except _DuplicateKeyError as error:
            error.offset = s_and_end[1] - 1 if error.offset is None else error.offset
            raise

    setattr(decoder, "parse_object", located)  # noqa: B010
    scan: Any = getattr(json.scanner, "py_make_scanner")(decoder)  # noqa: B009
    start = _SPACE.match(text)
    try:
        scan(text, start.end() if start else 0)
    except _DuplicateKeyError as error:
        return error.offset
    except (ValueError, RecursionError, StopIteration):
        return None
    return None


def locate(text: str, path: Path) -> int | None:
    """The line where the value at ``path`` starts, found by walking the JSON text.

    json.loads keeps no positions, so on error the path is walked again with
    ``raw_decode`` to skip over values.

    >>> locate('{"a": {\\n"b": [1,\\n 2]}}', ("a", "b", 1))
    3
    """
    decoder = json.JSONDecoder()

    def skip(pos: int) -> int:
        match = _SPACE.match(text, pos)
        return match.end() if match else pos

    try:
        pos = skip(0)
        for step in path:
            in_object = isinstance(step, str)
            if text[pos] != ("{" if in_object else "["):
                return None
            found, pos, index = None, skip(pos + 1), 0
            while text[pos] not in "}]":
                if in_object:
                    key, pos = decoder.raw_decode(text, pos)
                    pos = skip(skip(pos) + 1)  # past the ':'
                else:
                    key = index
                if key == step:
                    found = pos
                pos = skip(decoder.raw_decode(text, pos)[1])
                pos, index = (skip(pos + 1) if text[pos] == "," else pos), index + 1
            if found is None:
                return None
            pos = found
    except (ValueError, IndexError, RecursionError):
        return None
    return line_at(text, pos)


def dotted(path: Path) -> str:
    """A path as the message names it: ``framework.levels[2]``."""
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
    return out or "the document"


def show(value: Any) -> str:
    """A value as the message shows it: its type for containers, else a short repr."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "null"
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."
