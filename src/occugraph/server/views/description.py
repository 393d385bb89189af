"""The SPARQL Service Description (https://www.w3.org/TR/sparql11-service-description/)
with a VoID description of the dataset (https://www.w3.org/TR/void/), answered to a
GET on the endpoint without a query.
"""

from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode, Triple
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from occugraph.formats import FORMATS, GRAPHS, RESULTS, offered_as
from occugraph.query.serialize import serialize_triples
from occugraph.server.answers import graph_sizes
from occugraph.server.graph import served
from occugraph.server.negotiate import choose
from occugraph.server.views.home import home
from occugraph.server.views.urls import absolute
from occugraph.vocabulary import LABEL, A, dct, term

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"


def sd(name: str) -> NamedNode:
    return NamedNode(SD + name)


def void(name: str) -> NamedNode:
    return NamedNode(VOID + name)


async def service_description(request: Request) -> Response:
    fmt = choose(
        [*GRAPHS, "html"],
        explicit=request.query_params.get("format"),
        accept=request.headers.get("accept"),
    )
    if fmt is None:
        raise HTTPException(
            406,
            "the service description is served as " + offered_as(GRAPHS),
        )
    if fmt.name == "html":
        return await home(request)
    triples = describe_service(request)
    return Response(
        serialize_triples(triples, fmt.name),
        media_type=fmt.content_type,
        headers={"Vary": "Accept"},
    )


def describe_service(request: Request) -> list[Triple]:
    graph = served(request)
    endpoint = NamedNode(absolute(request, "sparql"))
    service, dataset, default = BlankNode(), NamedNode(absolute(request, "home")), BlankNode()
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
    # sd:resultFormat names formats by W3C's "Unique URIs for File Formats".
    for name in (*RESULTS, *GRAPHS):
        format_iri = NamedNode(str(FORMATS[name].iri))
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
