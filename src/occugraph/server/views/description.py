"""The SPARQL Service Description (https://www.w3.org/TR/sparql11-service-description/)
with a VoID description of the dataset (https://www.w3.org/TR/void/), answered to a
GET on the endpoint without a query.
"""

from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode, QuerySolutions, Triple
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from occugraph.files import own_query
from occugraph.formats import FORMATS, GRAPHS, RESULTS, offered_as
from occugraph.query.saved import Queryable
from occugraph.query.serialize import serialize_triples
from occugraph.server.answers import graph_sizes
from occugraph.server.graph import served
from occugraph.server.negotiate import choose
from occugraph.server.views.editor import editor
from occugraph.server.views.urls import absolute
from occugraph.vocabulary import LABEL, RDFS, A, dct, term

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"


COMMENT = NamedNode(RDFS + "comment")


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
        return await editor(request)
    triples = describe_service(request, await distinct_triples(request))
    return Response(
        serialize_triples(triples, fmt.name),
        media_type=fmt.content_type,
        headers={"Vary": "Accept"},
    )


async def distinct_triples(request: Request) -> int:
    """The union default graph's size, counted once per build off the event loop."""
    graph = served(request)
    kept = graph.build_id is not None  # a remote store may change unseen: nothing kept
    if kept and graph.cache.distinct_triples is not None:
        return graph.cache.distinct_triples
    count = await run_in_threadpool(_count_distinct, graph.lookup)
    if kept:
        graph.cache.distinct_triples = count
    return count


def _count_distinct(store: Queryable) -> int:
    """Runs on a thread of its own, where the result is read and dropped (pyoxigraph
    results must be dropped on the thread that made them)."""
    result = store.query(own_query("count-distinct"))
    assert isinstance(result, QuerySolutions)
    count = next(iter(result))["n"]
    assert isinstance(count, Literal)
    del result
    return int(count.value)


def describe_service(request: Request, distinct: int) -> list[Triple]:
    """The service and its dataset: each named graph's size, and the union default graph's
    distinct triples (a triple several documents state counts once there), which is the
    dataset's ``void:triples`` too; the sum of the graphs' sizes is said in a comment."""
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
        Triple(dataset, void("triples"), term(distinct)),
        Triple(dataset, COMMENT, Literal(_statements(sizes), language="en")),
        Triple(dataset, sd("defaultGraph"), default),
        Triple(default, A, sd("Graph")),
        Triple(default, void("triples"), term(distinct)),
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


def _statements(sizes: list[tuple[str, int]]) -> str:
    """
    >>> _statements([("g1", 3), ("g2", 1)])
    '4 statements in 2 named graphs, a triple counted once per graph that states it'
    """
    total = sum(n for _, n in sizes)
    per = "a triple counted once per graph that states it"
    return f"{total} statements in {len(sizes)} named graphs, {per}"
