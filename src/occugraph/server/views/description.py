"""The SPARQL Service Description (https://www.w3.org/TR/sparql11-service-description/)
with a VoID description of the dataset (https://www.w3.org/TR/void/), answered to a
GET on the endpoint without a query.
"""

from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode, QuerySolutions, Triple
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from occugraph.query.serialize import serialize_triples
from occugraph.server.app import served
from occugraph.server.negotiate import FORMATS, RDF, RESULTS, choose
from occugraph.vocabulary import LABEL, A, dct, term

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"

# The service description names formats by their "Unique URIs for File Formats"
# (https://www.w3.org/ns/formats/), as sd:resultFormat asks.
W3C_FORMATS = {
    "json": "SPARQL_Results_JSON",
    "xml": "SPARQL_Results_XML",
    "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV",
    "turtle": "Turtle",
    "jsonld": "JSON-LD",
    "ntriples": "N-Triples",
    "rdfxml": "RDF_XML",
}

_GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"


def sd(name: str) -> NamedNode:
    return NamedNode(SD + name)


def void(name: str) -> NamedNode:
    return NamedNode(VOID + name)


def graph_sizes(request: Request) -> list[tuple[str, int]]:
    """Triples per named graph, counted once per build."""
    graph = served(request)
    if "sizes" not in graph.cache:
        result = graph.lookup.query(_GRAPH_SIZES)
        assert isinstance(result, QuerySolutions)
        graph.cache["sizes"] = [(row["g"].value, int(row["n"].value)) for row in result]
    sizes: list[tuple[str, int]] = graph.cache["sizes"]  # type: ignore[assignment]
    return sizes


async def service_description(request: Request) -> Response:
    fmt = choose(
        ["turtle", "jsonld", "ntriples", "rdfxml", "html"],
        explicit=request.query_params.get("format"),
        accept=request.headers.get("accept"),
    )
    if fmt is None:
        raise HTTPException(
            406,
            "the service description is served as " + ", ".join(FORMATS[f].media_type for f in RDF),
        )
    if fmt.name == "html":
        from occugraph.server.views.home import home

        return await home(request)
    triples = describe_service(request)
    return Response(
        serialize_triples(triples, fmt.name),
        media_type=fmt.content_type,
        headers={"Vary": "Accept"},
    )


def describe_service(request: Request) -> list[Triple]:
    graph = served(request)
    endpoint = NamedNode(str(request.url_for("sparql")))
    service, dataset, default = BlankNode(), NamedNode(str(request.url_for("home"))), BlankNode()
    sizes = graph_sizes(request)
    built = graph.modified
    triples = [
        Triple(service, A, sd("Service")),
        Triple(service, sd("endpoint"), endpoint),
        Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        Triple(
            service,
            sd("defaultEntailmentRegime"),
            NamedNode("http://www.w3.org/ns/entailment/Simple"),
        ),
        Triple(service, sd("defaultDataset"), dataset),
        Triple(dataset, A, sd("Dataset")),
        Triple(dataset, A, void("Dataset")),
        Triple(dataset, LABEL, Literal("occugraph: occupations, tasks, skills and NOC links")),
        Triple(dataset, void("sparqlEndpoint"), endpoint),
        Triple(dataset, void("uriSpace"), Literal("https://graph.org.ai/")),
        Triple(dataset, void("triples"), term(sum(n for _, n in sizes))),
        Triple(dataset, sd("defaultGraph"), default),
        Triple(default, A, sd("Graph")),
        Triple(default, void("triples"), term(sum(n for _, n in sizes))),
    ]
    if built is not None:
        triples.append(Triple(dataset, dct("modified"), term(built)))
    if graph.settings.update_token is not None:
        triples.append(Triple(service, sd("supportedLanguage"), sd("SPARQL11Update")))
    for name in (*RESULTS, *RDF):
        format_iri = NamedNode(f"http://www.w3.org/ns/formats/{W3C_FORMATS[name]}")
        triples.append(Triple(service, sd("resultFormat"), format_iri))
    for iri, count in sizes:
        named, described = BlankNode(), BlankNode()
        triples += [
            Triple(dataset, sd("namedGraph"), named),
            Triple(named, sd("name"), NamedNode(iri)),
            Triple(named, sd("graph"), described),
            Triple(described, A, sd("Graph")),
            Triple(described, void("triples"), term(count)),
        ]
    return triples
