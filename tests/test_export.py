"""``occugraph export`` on the seeds and on the two-occupation corpus: every format reads
back (with rdflib and with pyoxigraph) as exactly what the store holds."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

import pytest
import rdflib
from click.testing import CliRunner
from pyld import jsonld
from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    RdfFormat,
    Store,
    Triple,
    parse,
    serialize,
)
from rdflib.compare import isomorphic

from occugraph.build import BuildReport
from occugraph.cli import main
from occugraph.errors import OccugraphError
from occugraph.formats import EXPORTS
from occugraph.query import export
from occugraph.query.export import export_store

OCCUPATION = "https://graph.org.ai/occupations/ProbationOfficersAndCorrectionalTreatmentSpecialists"
OCC = "https://graph.org.ai/ontology#"
PROV = "http://www.w3.org/ns/prov#"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
ONTOLOGY_GRAPH = NamedNode("https://graph.org.ai/graphs/ontology")

# rdflib 7.6 parses N-Quads and TriG through its deprecated ConjunctiveGraph, whatever the
# caller passes; ignore exactly those two messages.
RDFLIB_DEFAULT_CONTEXT_WARNING = pytest.mark.filterwarnings(
    "ignore:Dataset.default_context is deprecated, use Dataset.default_graph instead."
    ":DeprecationWarning"
)
RDFLIB_CONJUNCTIVE_GRAPH_WARNING = pytest.mark.filterwarnings(
    "ignore:ConjunctiveGraph is deprecated, use Dataset instead.:DeprecationWarning"
)

STORES = ["seeds_build", "corpus_build"]
TRIPLE_FORMATS = {"turtle": RdfFormat.TURTLE, "ntriples": RdfFormat.N_TRIPLES}
QUAD_FORMATS = {"nquads": RdfFormat.N_QUADS, "trig": RdfFormat.TRIG}
RDFLIB_NAMES = {"turtle": "turtle", "ntriples": "nt", "nquads": "nquads", "trig": "trig"}


def built(request: pytest.FixtureRequest, name: str) -> tuple[BuildReport, Store]:
    value: tuple[BuildReport, Store] = request.getfixturevalue(name)
    return value


Exports = Callable[[Store, str], bytes]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Exports:
    """The whole store exported in a format through ``-o``, once per store and format."""
    directory = tmp_path_factory.mktemp("exports")
    done: dict[tuple[int, str], bytes] = {}

    def export_once(store: Store, format_: str) -> bytes:
        key = (id(store), format_)
        if key not in done:
            target = directory / f"{len(done)}.{format_}"
            export_store(store, format_=format_, graph=None, output=target)
            done[key] = target.read_bytes()
        return done[key]

    return export_once


def store_triples(store: Store, graph: NamedNode | BlankNode | None = None) -> set[Triple]:
    return {quad.triple for quad in store.quads_for_pattern(None, None, None, graph)}


def has_blank(terms: Iterable[object]) -> bool:
    return any(isinstance(term, BlankNode | rdflib.BNode) for term in terms)


def to_rdflib(triples: Iterable[Triple]) -> rdflib.Graph:
    text = (serialize(triples, format=RdfFormat.N_TRIPLES) or b"").decode()
    return rdflib.Graph().parse(data=text, format="nt")


def assert_same_triples(expected: set[Triple], actual: set[Triple]) -> None:
    """Equal, blank nodes up to renaming: the ground triples exactly, the rest isomorphic."""
    ground = {t for t in expected if not has_blank(t)}
    assert {t for t in actual if not has_blank(t)} == ground
    blank, actual_blank = expected - ground, actual - {t for t in actual if not has_blank(t)}
    assert len(actual_blank) == len(blank)
    assert isomorphic(to_rdflib(blank), to_rdflib(actual_blank))


def rdflib_term(term: object) -> rdflib.term.Node:
    if isinstance(term, NamedNode):
        return rdflib.URIRef(term.value)
    assert isinstance(term, Literal)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    plain = term.datatype.value == str(rdflib.XSD.string)
    return rdflib.Literal(term.value, datatype=None if plain else term.datatype.value)


def assert_same_rdflib(expected: set[Triple], actual: rdflib.Graph) -> None:
    """As ``assert_same_triples``, for what rdflib read."""
    ground = {tuple(rdflib_term(term) for term in t) for t in expected if not has_blank(t)}
    assert {t for t in actual if not has_blank(t)} == ground
    blank = rdflib.Graph()
    for triple in actual:
        if has_blank(triple):
            blank.add(triple)
    assert isomorphic(blank, to_rdflib({t for t in expected if has_blank(t)}))


@pytest.mark.parametrize("store_name", STORES)
@pytest.mark.parametrize("format_", TRIPLE_FORMATS)
def test_triple_formats_hold_the_union_of_all_graphs(
    request: pytest.FixtureRequest, store_name: str, format_: str, exported: Exports
) -> None:
    _, store = built(request, store_name)
    data = exported(store, format_)
    expected = store_triples(store)
    assert any(has_blank(t) for t in expected)  # the ontology's owl:unionOf list
    assert_same_triples(expected, {q.triple for q in parse(data, TRIPLE_FORMATS[format_])})
    graph = rdflib.Graph().parse(data=data.decode(), format=RDFLIB_NAMES[format_])
    assert_same_rdflib(expected, graph)


@pytest.mark.parametrize("store_name", STORES)
def test_the_union_writes_a_triple_held_by_several_graphs_once(
    request: pytest.FixtureRequest, store_name: str, exported: Exports
) -> None:
    _, store = built(request, store_name)
    lines = exported(store, "ntriples").decode().splitlines()
    assert len(lines) == len(set(lines)) == len(store_triples(store)) < len(store)


@pytest.mark.parametrize("store_name", STORES)
@pytest.mark.parametrize("format_", QUAD_FORMATS)
@RDFLIB_DEFAULT_CONTEXT_WARNING
@RDFLIB_CONJUNCTIVE_GRAPH_WARNING
def test_quad_formats_keep_every_named_graph(
    request: pytest.FixtureRequest, store_name: str, format_: str, exported: Exports
) -> None:
    _, store = built(request, store_name)
    data = exported(store, format_)
    quads = list(parse(data, QUAD_FORMATS[format_]))
    assert len(quads) == len(store)
    assert {q.graph_name for q in quads} == set(store.named_graphs())
    ground = {q for q in store if not has_blank(q)}
    assert {q for q in quads if not has_blank(q)} == ground
    for graph in store.named_graphs():
        in_export = {q.triple for q in quads if q.graph_name == graph}
        assert_same_triples(store_triples(store, graph), in_export)

    dataset = rdflib.Dataset()
    dataset.parse(data=data.decode(), format=RDFLIB_NAMES[format_])
    names = {g.identifier for g in dataset.graphs()} - {rdflib.graph.DATASET_DEFAULT_GRAPH_ID}
    assert names == {rdflib.URIRef(g.value) for g in store.named_graphs()}
    for graph in store.named_graphs():
        assert_same_rdflib(store_triples(store, graph), dataset.graph(rdflib.URIRef(graph.value)))


def test_trig_and_turtle_use_the_ontology_prefixes(seeds_store: Store, exported: Exports) -> None:
    for format_ in ("turtle", "trig"):
        text = exported(seeds_store, format_).decode()
        assert "@prefix occ: <https://graph.org.ai/ontology#> ." in text
        assert " occ:onetCode " in text or "\tocc:onetCode " in text
    trig = exported(seeds_store, "trig").decode()
    assert "<https://graph.org.ai/graphs/ontology> {" in trig


def expand(document: dict[str, Any]) -> set[Triple]:
    """The triples a JSON-LD processor reads from the document (PyLD's toRdf)."""
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads"})
    quads = list(parse(nquads.encode(), RdfFormat.N_QUADS))
    assert all(q.graph_name == DefaultGraph() for q in quads)
    return {q.triple for q in quads}


@pytest.mark.parametrize("store_name", STORES)
def test_jsonld_expands_to_exactly_the_store_triples(
    request: pytest.FixtureRequest, store_name: str, exported: Exports
) -> None:
    _, store = built(request, store_name)
    data = exported(store, "jsonld")
    expected = store_triples(store)
    assert_same_triples(expected, expand(json.loads(data)))
    assert_same_triples(expected, {q.triple for q in parse(data, RdfFormat.JSON_LD)})


def nodes(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {node["id"]: node for node in document["@graph"]}


def test_jsonld_is_compacted_and_nests_by_occupation(seeds_store: Store, exported: Exports) -> None:
    document = json.loads(exported(seeds_store, "jsonld"))
    assert document["@context"]["tasks"]["@id"] == "occ:hasTask"
    occupation = nodes(document)[OCCUPATION]
    assert occupation["code"] == "21-1092.00"
    assert occupation["label"] == "Probation Officers and Correctional Treatment Specialists"
    assert "Occupation" in occupation["type"]
    assert occupation["jobZone"] == "https://graph.org.ai/jobzones/4"
    tasks = occupation["tasks"]
    assert len(tasks) > 20 and all(isinstance(task, dict) for task in tasks)
    assert all(task["id"].startswith("https://graph.org.ai/tasks/") for task in tasks)
    assert all(task["type"] == "Task" and task["label"] for task in tasks)
    skills = {skill["id"]: skill for skill in occupation["skills"]}
    assert skills["https://graph.org.ai/skills/ActiveListening"]["label"] == "Active Listening"
    [framework] = occupation["frameworks"]
    assert framework["version"] == "v.26.05"
    assert framework["frameworkFor"] == OCCUPATION  # a link back, not a copy
    statement = next(s for s in framework["statements"] if s["id"].endswith("/proficient/2"))
    assert statement["level"] == "https://graph.org.ai/levels/Proficient"
    assert statement["position"] == 2  # a canonical xsd:integer is a JSON number
    assert statement["framework"] == framework["id"]
    # Only "part of" links nest: what is not part of an occupation stays top level.
    assert nodes(document)["https://graph.org.ai/levels/Proficient"]["rank"] == 3
    assert "https://graph.org.ai/jobzones/4" in nodes(document)


def test_jsonld_keys_are_the_context_terms(seeds_store: Store, exported: Exports) -> None:
    document = json.loads(exported(seeds_store, "jsonld"))
    keys: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, dict):
            keys.update(value)
            for inner in value.values():
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    walk(document["@graph"])
    assert {"id", "type", "label", "code", "tasks", "skills", "frameworks", "statements"} <= keys
    assert not [key for key in keys if key.startswith(("occ:", "https://graph.org.ai/"))]


def test_jsonld_of_the_corpus_nests_each_occupation(
    corpus_build: tuple[BuildReport, Store], capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    _, store = corpus_build
    by_id = nodes(json.loads(to_stdout(capsysbinary, store, "jsonld")))
    for slug, code in [("Electricians", "47-2111.00"), ("RegisteredNurses", "29-1141.00")]:
        occupation = by_id[f"https://graph.org.ai/occupations/{slug}"]
        assert occupation["code"] == code
        assert all(isinstance(task, dict) and task["label"] for task in occupation["tasks"])
        assert occupation["frameworks"][0]["statements"]


def to_stdout(
    capsysbinary: pytest.CaptureFixture[bytes], store: Store, format_: str, graph: str | None = None
) -> bytes:
    """What ``export_store`` writes to standard output (``sys.stdout.buffer``)."""
    capsysbinary.readouterr()
    export_store(store, format_=format_, graph=graph, output=None)
    return capsysbinary.readouterr().out


def source_graph(report: BuildReport, kind: str) -> str:
    return next(e.source.iri for e in report.entries if e.kind == kind)


@pytest.mark.parametrize("format_", ["nquads", "trig", "turtle", "ntriples", "jsonld"])
def test_graph_exports_only_that_graph_with_its_provenance(
    seeds_build: tuple[BuildReport, Store],
    format_: str,
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    report, store = seeds_build
    graph = source_graph(report, "competency-framework")
    data = to_stdout(capsysbinary, store, format_, graph)
    expected = store_triples(store, NamedNode(graph))
    if format_ in QUAD_FORMATS:
        quads = set(parse(data, QUAD_FORMATS[format_]))
        assert quads == {Quad(t.subject, t.predicate, t.object, NamedNode(graph)) for t in expected}
        triples = {q.triple for q in quads}
    elif format_ == "jsonld":
        triples = expand(json.loads(data))
    else:
        triples = {q.triple for q in parse(data, TRIPLE_FORMATS[format_])}
    assert triples == expected
    assert len(triples) == sum(
        1 for _ in store.quads_for_pattern(None, None, None, NamedNode(graph))
    )
    source = NamedNode(graph)
    assert Triple(source, RDF_TYPE, NamedNode(OCC + "SourceDocument")) in triples
    assert Triple(source, NamedNode(OCC + "sourceKind"), Literal("competency-framework")) in triples
    assert any(
        t.subject == source and t.predicate.value == PROV + "wasGeneratedBy" for t in triples
    )


def test_graph_with_blank_nodes_round_trips(
    seeds_store: Store, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    data = to_stdout(capsysbinary, seeds_store, "turtle", ONTOLOGY_GRAPH.value)
    expected = store_triples(seeds_store, ONTOLOGY_GRAPH)
    assert any(has_blank(t) for t in expected)
    assert_same_triples(expected, {q.triple for q in parse(data, RdfFormat.TURTLE)})
    assert_same_rdflib(expected, rdflib.Graph().parse(data=data.decode(), format="turtle"))


def test_an_unknown_graph_is_a_clear_error(seeds_store: Store, tmp_path: Path) -> None:
    target = tmp_path / "out.nq"
    with pytest.raises(OccugraphError) as error:
        export_store(
            seeds_store, format_="nquads", graph="https://graph.org.ai/sources/0", output=target
        )
    assert str(error.value) == (
        "no named graph <https://graph.org.ai/sources/0>; see `occugraph sources`"
    )
    assert not target.exists() and list(tmp_path.iterdir()) == []


def test_a_graph_that_is_not_an_iri_is_a_clear_error(seeds_store: Store) -> None:
    with pytest.raises(OccugraphError, match=r"--graph 'sources/0' is not an IRI"):
        export_store(seeds_store, format_="turtle", graph="sources/0", output=None)


def test_output_file_is_replaced_whole_and_leaves_no_temporary_file(
    seeds_store: Store, tmp_path: Path
) -> None:
    target = tmp_path / "graph.nq"
    target.write_text("previous\n")
    target.chmod(0o640)
    export_store(seeds_store, format_="nquads", graph=None, output=target)
    assert [p.name for p in tmp_path.iterdir()] == ["graph.nq"]
    assert len(list(parse(target.read_bytes(), RdfFormat.N_QUADS))) == len(seeds_store)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


@pytest.mark.parametrize(
    ("failure", "raised"),
    [
        (RuntimeError("boom"), RuntimeError),
        (OSError(28, "No space left on device"), OccugraphError),
    ],
)
def test_a_failed_export_leaves_the_previous_file_intact(
    seeds_store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    failure: Exception,
    raised: type[Exception],
) -> None:
    target = tmp_path / "graph.ttl"
    target.write_text("previous\n")
    written: list[Path] = []

    def fail_half_way(store: Store, format_: str, graph: NamedNode | None, out: IO[bytes]) -> None:
        out.write(b"@prefix occ: <https://graph.org.ai/ontology#> .\n")
        out.flush()
        written.extend(p for p in tmp_path.iterdir() if p != target)
        raise failure

    monkeypatch.setattr(export, "write_export", fail_half_way)
    with pytest.raises(raised) as error:
        export_store(seeds_store, format_="turtle", graph=None, output=target)
    if raised is OccugraphError:
        assert str(error.value) == f"{target}: cannot write the export: No space left on device"
    assert len(written) == 1 and written[0].name.startswith(".graph.ttl.")  # it was there
    assert target.read_text() == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]


def test_output_into_a_missing_directory_is_a_clear_error(
    seeds_store: Store, tmp_path: Path
) -> None:
    with pytest.raises(OccugraphError, match="cannot write the export: No such file or direct"):
        export_store(seeds_store, format_="trig", graph=None, output=tmp_path / "no" / "g.trig")


def test_cli_exports_nquads_to_standard_output(seeds_build: tuple[BuildReport, Store]) -> None:
    report, store = seeds_build
    result = CliRunner().invoke(main, ["export", "--format", "nquads", "--store", report.store])
    assert result.exit_code == 0, result.stderr
    assert set(parse(result.stdout_bytes, RdfFormat.N_QUADS)) == set(store)
    assert result.stderr == ""


def test_cli_writes_a_file_with_o(seeds_build: tuple[BuildReport, Store], tmp_path: Path) -> None:
    report, store = seeds_build
    target = tmp_path / "occupations.jsonld"
    graph = source_graph(report, "onet-page")
    args = ["export", "--format", "jsonld", "--graph", graph, "-o", str(target)]
    result = CliRunner().invoke(main, [*args, "--store", report.store])
    assert (result.exit_code, result.stdout) == (0, "")
    assert expand(json.loads(target.read_text())) == store_triples(store, NamedNode(graph))


def test_cli_reports_an_unknown_graph_on_stderr(seeds_build: tuple[BuildReport, Store]) -> None:
    report, _ = seeds_build
    graph = "https://graph.org.ai/sources/ffffffffffffffff"
    result = CliRunner().invoke(main, ["export", "--graph", graph, "--store", report.store])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert f"no named graph <{graph}>; see `occugraph sources`" in result.stderr


def test_export_formats_match_the_design() -> None:
    assert EXPORTS == ("turtle", "jsonld", "ntriples", "nquads", "trig")
