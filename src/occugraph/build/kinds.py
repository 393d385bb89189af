"""The source kinds: a record, an extractor and an RDF mapping each, found by name.

A kind is three modules: its record (``records/NAME.py``), its extractor
(``extract/NAME.py``, which declares ``EXTRACTOR``) and its RDF mapping
(``rdf/NAME.py``, which declares ``MAPPING`` for the record type the extractor returns).
This module lists the ``extract`` and ``rdf`` packages for those declarations, as Django
finds its management commands by listing a folder, and pairs them by record type, so a
new kind touches no other file. Everything after extraction dispatches on the record's
type through :func:`kind_of`, never on its name or with ``isinstance`` chains.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from types import ModuleType
from typing import Any

from occugraph.build import extract as extract_package
from occugraph.build import rdf as rdf_package
from occugraph.build.extract import Extractor
from occugraph.build.rdf.document import DocumentGraph, RecordMapping
from occugraph.build.records import Record
from occugraph.errors import InputError, OccugraphError


@dataclass(frozen=True)
class Kind:
    """One source kind: how its documents are read and how their records are written."""

    extractor: Extractor[Any]
    mapping: RecordMapping[Any]

    @property
    def name(self) -> str:
        return self.extractor.kind


def _declared(package: ModuleType, name: str) -> list[Any]:
    """The ``name`` attribute of every module of ``package`` that has one."""
    found = []
    for module in pkgutil.iter_modules(package.__path__):
        imported = importlib.import_module(f"{package.__name__}.{module.name}")
        if hasattr(imported, name):
            found.append(getattr(imported, name))
    return found


@cache
def kinds() -> tuple[Kind, ...]:
    """Every kind, in the order detection tries them: the most specific first.

    >>> [kind.name for kind in kinds()][-1]
    'career-article'
    """
    mappings: dict[type[Record], RecordMapping[Any]] = {}
    for mapping in _declared(rdf_package, "MAPPING"):
        if mapping.record in mappings:
            raise OccugraphError(f"two RDF mappings for {mapping.record.__name__}")
        mappings[mapping.record] = mapping
    found = []
    for extractor in sorted(_declared(extract_package, "EXTRACTOR"), key=lambda e: e.precedence):
        mapping = mappings.pop(extractor.record, None)
        if mapping is None:
            raise OccugraphError(
                f"kind {extractor.kind!r}: no module of occugraph.build.rdf declares a "
                f"MAPPING for {extractor.record.__name__}"
            )
        found.append(Kind(extractor, mapping))
    if mappings:
        unread = ", ".join(sorted(record.__name__ for record in mappings))
        raise OccugraphError(f"RDF mappings for records no extractor returns: {unread}")
    return tuple(found)


@cache
def _by_record() -> dict[type[Record], Kind]:
    return {kind.extractor.record: kind for kind in kinds()}


def kind_names() -> list[str]:
    return [kind.name for kind in kinds()]


def kind_of(record: Record) -> Kind:
    """The kind a record belongs to, by its type."""
    return _by_record()[type(record)]


def detect_kind(text: str) -> str:
    """The source kind of a document, judged from its content alone."""
    for kind in kinds():
        if kind.extractor.looks_like(text):
            return kind.name
    raise InputError("not a known kind of source document (" + ", ".join(kind_names()) + ")")


def extract(text: str, kind: str | None = None) -> Record:
    """Extract the record of a document, detecting its kind unless given."""
    name = kind or detect_kind(text)
    found = next((k for k in kinds() if k.name == name), None)
    if found is None:
        raise InputError(f"unknown source kind {name!r}")
    try:
        record: Record = found.extractor.extract(text)
    except InputError as error:
        raise error.located(kind=name) from None
    except RecursionError:  # each extractor guards its parser; this guards the rest
        raise InputError("the document is nested too deeply to read", kind=name) from None
    return record


def write_graph(graph: DocumentGraph, record: Record, built_at: datetime) -> list[str]:
    """The N-Quads lines of a document's graph: its provenance, then what its kind says."""
    graph.provenance(record.kind, built_at)
    kind_of(record).mapping.write(graph, record)
    return graph.out.lines
