"""``occugraph export``: the whole store, or one named graph, in a W3C RDF syntax.

- Turtle (https://www.w3.org/TR/turtle/) and N-Triples (https://www.w3.org/TR/n-triples/)
  hold one graph: the union of all named graphs, each triple once, or the ``--graph``.
  Turtle uses the ontology's prefixes.
- N-Quads (https://www.w3.org/TR/n-quads/) and TriG (https://www.w3.org/TR/trig/) keep
  the named graphs, so each source document's provenance stays inside its own graph.
- JSON-LD (https://www.w3.org/TR/json-ld11/) is compacted with ontology/context.jsonld
  and framed so that an occupation nests its tasks, skills and frameworks (see
  ``occugraph.serialize.jsonld_document``).

Memory: Turtle, N-Triples, N-Quads and TriG stream from the store to the output, quad by
quad, in constant memory whatever the size of the store; the union drops a triple held
by several graphs with one index lookup per quad instead of a set of the triples seen.
JSON-LD is the exception: compaction and framing work on the whole node map, so a
JSON-LD export holds the exported graph in memory, several times over (PyLD's node
map, the framed tree, the text).

With ``-o FILE`` the export goes to a temporary file beside FILE that is flushed to disk
and then renamed over FILE, so FILE is either the previous file or the complete export,
never a part of one.
"""

from __future__ import annotations

import json
import os
import stat
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from pyoxigraph import NamedNode, Store, Triple, serialize

from occugraph.errors import OccugraphError
from occugraph.formats import EXPORTS, FORMATS
from occugraph.query.serialize import READABLE_PREFIXES, jsonld_document


def export_store(store: Store, *, format_: str, graph: str | None, output: Path | None) -> None:
    """Write the store (or its named graph ``graph``) as ``format_`` to ``output``, a file
    replaced atomically, or to standard output when ``output`` is None.

    :raises OccugraphError: for an unknown format, a ``graph`` that is not an IRI or not a
        named graph of the store, or an output that cannot be written.

    >>> import io, contextlib
    >>> from pyoxigraph import Literal, Quad
    >>> store = Store()
    >>> store.add(Quad(NamedNode("https://graph.org.ai/occupations/Electricians"),
    ...     NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), Literal("Electricians"),
    ...     NamedNode("https://graph.org.ai/sources/0123456789abcdef")))
    >>> export_store(store, format_="nquads", graph="https://example.org/g", output=None)
    Traceback (most recent call last):
    ...
    occugraph.errors.OccugraphError: no named graph <https://example.org/g>; see `occugraph sources`
    """
    if format_ not in EXPORTS:
        raise OccugraphError(f"unknown export format {format_!r}; use one of {EXPORTS}")
    source = named_graph(store, graph)
    if output is None:
        stream = sys.stdout.buffer
        write_export(store, format_, source, stream)
        stream.flush()
        return
    with atomic_output(output) as handle:
        write_export(store, format_, source, handle)


def named_graph(store: Store, iri: str | None) -> NamedNode | None:
    """The named graph ``iri`` of the store, checked; None for all of them.

    >>> named_graph(Store(), "sources/0")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    occugraph.errors.OccugraphError: --graph 'sources/0' is not an IRI (No scheme found ...)
    """
    if iri is None:
        return None
    try:
        node = NamedNode(iri)
    except ValueError as error:
        raise OccugraphError(f"--graph {iri!r} is not an IRI ({error})") from None
    if not store.contains_named_graph(node):
        raise OccugraphError(f"no named graph <{iri}>; see `occugraph sources`")
    return node


def write_export(store: Store, format_: str, graph: NamedNode | None, output: IO[bytes]) -> None:
    """Serialize straight from the store to ``output`` (JSON-LD: through memory)."""
    if format_ == "jsonld":
        triples = (quad.triple for quad in store.quads_for_pattern(None, None, None, graph))
        text = json.dumps(jsonld_document(triples), indent=2, ensure_ascii=False)
        output.write(text.encode() + b"\n")
        return
    rdf_format = FORMATS[format_].rdf
    assert rdf_format is not None  # every export format but JSON-LD is written by Oxigraph
    prefixes = READABLE_PREFIXES  # line formats (N-Triples, N-Quads) have none to use
    if rdf_format.supports_datasets:
        quads = store.quads_for_pattern(None, None, None, graph)
        serialize(quads, output, rdf_format, prefixes=prefixes)
    elif graph is not None:
        store.dump(output, rdf_format, from_graph=graph, prefixes=prefixes)
    else:
        serialize(union(store), output, rdf_format, prefixes=prefixes)


def union(store: Store) -> Iterator[Triple]:
    """Every triple of every graph, once, in constant memory: a triple is written from
    the first graph the store's index lists for it.

    >>> from pyoxigraph import Literal, Quad
    >>> store = Store()
    >>> label = (NamedNode("https://graph.org.ai/levels/Proficient"),
    ...     NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), Literal("Proficient"))
    >>> for source in ("0123456789abcdef", "fedcba9876543210"):
    ...     store.add(Quad(*label, NamedNode(f"https://graph.org.ai/sources/{source}")))
    >>> len(list(union(store)))
    1
    """
    for quad in store.quads_for_pattern(None, None, None, None):
        holders = store.quads_for_pattern(quad.subject, quad.predicate, quad.object, None)
        if next(holders).graph_name == quad.graph_name:
            yield quad.triple


@contextmanager
def atomic_output(target: Path) -> Iterator[IO[bytes]]:
    """A file to write ``target`` through: a temporary file in the same directory,
    flushed to disk and renamed over ``target`` when the block succeeds, removed when it
    fails (``target`` is then untouched).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as directory:
    ...     target = Path(directory) / "graph.nt"
    ...     with atomic_output(target) as handle:
    ...         _ = handle.write(b"")
    ...     [path.name for path in Path(directory).iterdir()]
    ['graph.nt']
    """
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex[:12]}.tmp")
    try:
        handle = temporary.open("xb")
    except OSError as error:
        message = f"cannot write the export: {error.strerror}"
        raise OccugraphError(message, path=str(target)) from None
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            temporary.chmod(stat.S_IMODE(target.stat().st_mode))
        os.replace(temporary, target)
    except BaseException as error:
        temporary.unlink(missing_ok=True)
        if isinstance(error, OSError):
            message = f"cannot write the export: {error.strerror or error}"
            raise OccugraphError(message, path=str(target)) from error
        raise
    _sync_directory(target.parent)


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable (POSIX: the directory entry lives in the directory)."""
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
