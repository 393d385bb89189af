"""Extractors: one module per source kind, each a pure function from text to a record.

Every module exposes ``KIND``, ``looks_like(text) -> bool`` (content sniffing,
never the file name) and ``extract(text) -> Record`` (raises ``InputError``).
"""

from __future__ import annotations

from types import ModuleType

from occugraph.build.extract import (
    career_article,
    competency_framework,
    job_description,
    noc_profile,
    onet_page,
)
from occugraph.build.records import AnyRecord
from occugraph.errors import InputError

# Most specific first: a career article is what prose is when nothing else fits.
EXTRACTORS: tuple[ModuleType, ...] = (
    onet_page,
    competency_framework,
    noc_profile,
    job_description,
    career_article,
)

KINDS: tuple[str, ...] = tuple(module.KIND for module in EXTRACTORS)


def detect_kind(text: str) -> str:
    """The source kind of a document, judged from its content alone."""
    for module in EXTRACTORS:
        if module.looks_like(text):
            return str(module.KIND)
    raise InputError("not a known kind of source document (" + ", ".join(KINDS) + ")")


def extract(text: str, kind: str | None = None) -> AnyRecord:
    """Extract the record of a document, detecting its kind unless given."""
    kind = kind or detect_kind(text)
    for module in EXTRACTORS:
        if kind == module.KIND:
            try:
                record: AnyRecord = module.extract(text)
            except InputError as error:
                raise error.located(kind=kind) from None
            except RecursionError:  # each extractor guards its parser; this guards the rest
                raise InputError("the document is nested too deeply to read", kind=kind) from None
            return record
    raise InputError(f"unknown source kind {kind!r}")
