"""The files occugraph ships beside its code: the vocabulary, the saved queries, the
reference data, and the SPARQL its own pages run.

``ontology/``, ``queries/`` and ``data/`` live at the top of the project, where the design
card puts them, and are linked into the package (``src/occugraph/ontology`` →
``../../ontology``), so the wheel carries copies of them and a source checkout reads the
originals: both through :mod:`importlib.resources`, from wherever occugraph is installed.

>>> ONTOLOGY.name, SAVED_QUERIES.name
('occugraph.ttl', 'queries')
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

from occugraph.errors import OccugraphError


def shipped(*parts: str) -> Path:
    """A file or folder inside the installed package, as a path on disk.

    pip unpacks every wheel onto the file system, so this is always a real path (the
    store, rdflib and Starlette's file responses all want one).
    """
    found = files("occugraph").joinpath(*parts)
    if not isinstance(found, Path):
        raise OccugraphError(f"occugraph must be installed on a file system, not in {found}")
    return found


ONTOLOGY = shipped("ontology", "occugraph.ttl")
SHAPES = shipped("ontology", "shapes.ttl")
CONTEXT = shipped("ontology", "context.jsonld")
SAVED_QUERIES = shipped("queries")
REFERENCE_DATA = shipped("data")
OWN_SPARQL = shipped("sparql")
TEMPLATES = shipped("server", "templates")
STATIC = shipped("server", "static")
"""The pages' scripts, styles and icon, and the SPARQL editor's assets (Yasgui)."""


@cache
def own_query(name: str) -> str:
    """The text of one of occugraph's own SPARQL queries (``sparql/NAME.rq``)."""
    return (OWN_SPARQL / f"{name}.rq").read_text(encoding="utf-8")
