"""The vocabulary as a page people read: ``ontology/occugraph.ttl`` documented by pyLODE
(its classes and properties with their labels, definitions, domains, ranges and the
terms they align with), made once per process: the ontology ships with the package.
"""

from __future__ import annotations

import logging
import threading
import warnings

import rdflib

from occugraph import files

_made: list[str] = []
_lock = threading.Lock()


def ontology_document() -> str:
    """pyLODE's HTML page of the ontology; a few seconds the first time, then kept."""
    with _lock:
        if not _made:
            _made.append(_make())
    return _made[0]


def _make() -> str:
    # Importing pyLODE configures the root logger (DEBUG, to stderr) and its page maker
    # leaves a file open: both are put back as they were.
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    quiet = logging.NullHandler()  # so that logging.basicConfig() finds a handler and does nothing
    root.addHandler(quiet)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            from pylode import OntPub

            page: str = OntPub(ontology=_vocabulary()).make_html()
    finally:
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
        root.setLevel(level)
    return page


def _vocabulary() -> rdflib.Graph:
    """The ontology without the concept schemes it also declares (the O*NET and NOC lists
    its data fills): pyLODE would take each for the ontology and title the page with all."""
    graph = rdflib.Graph().parse(files.ONTOLOGY, format="turtle")
    for scheme in list(graph.subjects(rdflib.RDF.type, rdflib.SKOS.ConceptScheme)):
        graph.remove((scheme, None, None))
    # pyLODE reads definitions as Markdown, where the * of "O*NET" would start emphasis.
    for predicate in (rdflib.SKOS.definition, rdflib.RDFS.comment, rdflib.DCTERMS.description):
        for subject, text in list(graph.subject_objects(predicate)):
            if isinstance(text, rdflib.Literal) and "*" in text:
                escaped = rdflib.Literal(str(text).replace("*", "\\*"), lang=text.language)
                graph.remove((subject, predicate, text))
                graph.add((subject, predicate, escaped))
    return graph


def with_header(page: str, header: str) -> str:
    """The page with the site's header (its nav bar and search) at the top of its body.

    >>> with_header("<html><body class='x'><p>doc</p></body></html>", "<header>h</header>")
    "<html><body class='x'><header>h</header><p>doc</p></body></html>"
    """
    start = page.find("<body")
    end = page.find(">", start) + 1 if start >= 0 else 0
    return page[:end] + header + page[end:]
