"""Extractors: one module per source kind, each a pure function from text to a record.

A kind's module declares ``EXTRACTOR``: its name, the record it returns, how to tell a
document of its kind from its content alone (never its file name) and how to read one,
raising ``InputError`` with the line where it goes wrong. The other modules here are what
extractors share (text handling, prose, salaries, education, frontmatter, located JSON).
:mod:`occugraph.build.kinds` finds the declarations.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from occugraph.build.records import Record

R = TypeVar("R", bound=Record, covariant=True)


@dataclass(frozen=True)
class Extractor(Generic[R]):
    """How one source kind is recognised and read."""

    kind: str
    """The kind's name, e.g. ``"noc-profile"``: what reports and the graph call it."""
    record: type[R]
    precedence: int
    """Kinds are tried lowest first: the most specific first, free prose last."""
    looks_like: Callable[[str], bool]
    extract: Callable[[str], R]
