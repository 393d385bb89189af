"""No ``Host`` header sends a client elsewhere: redirects are paths, or under ``--public-url``.

A proxy that passes the client's ``Host`` through used to let any client choose the host
that ``Location`` named (``/occupations/21-1092.00`` redirected to
``http://evil.example/occupations/...``). Each server here is a real ``occugraph serve`` over
the seeds, asked with a forged ``Host``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import httpx2
import pytest
from click.testing import CliRunner
from pyoxigraph import NamedNode, RdfFormat, parse
from starlette.requests import Request

from occugraph.cli import main
from occugraph.server.views.urls import location
from occugraph.settings import Settings
from occugraph.testing import Server, occugraph_serve

PUBLIC = "https://data.example.org/"
EVIL = {"Host": "evil.example"}
ALIASES = {  # O*NET codes, which the graph names its occupations by as well
    "occupations/21-1092.00": "occupations/ProbationOfficersAndCorrectionalTreatmentSpecialists",
    "occupations/33-3021.00": "occupations/DetectivesAndCriminalInvestigators",
}
QUERY = "application/sparql-query"


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory, seeds_link: Path) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("plain") / "serve.log"
    with occugraph_serve(seeds_link, log=log, options=("--workers", "1")) as server:
        yield server


@pytest.fixture(scope="module")
def public(tmp_path_factory: pytest.TempPathFactory, seeds_link: Path) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("public") / "serve.log"
    options = ("--workers", "1", "--public-url", PUBLIC.rstrip("/"))
    with occugraph_serve(seeds_link, log=log, options=options) as server:
        yield server


@pytest.mark.parametrize(("alias", "canonical"), ALIASES.items())
def test_a_redirect_is_a_path_whatever_the_host(plain: Server, alias: str, canonical: str) -> None:
    for headers in (EVIL, {}):
        moved = httpx2.get(f"{plain.base}/{alias}", headers=headers, follow_redirects=False)
        assert moved.status_code == 301
        assert moved.headers["location"] == "/" + canonical
    followed = httpx2.get(
        f"{plain.base}/{alias}",
        headers={"Accept": "text/turtle"},
        follow_redirects=True,
        timeout=30,
    )
    assert followed.status_code == 200 and followed.url.path == "/" + canonical


@pytest.mark.parametrize(("alias", "canonical"), ALIASES.items())
def test_a_redirect_is_under_the_public_url(public: Server, alias: str, canonical: str) -> None:
    moved = httpx2.get(f"{public.base}/{alias}", headers=EVIL, follow_redirects=False)
    assert moved.status_code == 301
    assert moved.headers["location"] == PUBLIC + canonical


@pytest.mark.parametrize("path", ["queries/", "sparql/", "occupations/", "ontology/"])
def test_other_paths_do_not_redirect(plain: Server, path: str) -> None:
    answer = httpx2.get(f"{plain.base}/{path}", headers=EVIL, follow_redirects=False)
    assert answer.status_code < 300 or answer.status_code >= 400
    assert "evil.example" not in answer.headers.get("location", "")


def test_absolute_urls_in_answers_are_under_the_public_url(public: Server) -> None:
    with httpx2.Client(base_url=public.base, headers=EVIL, timeout=30) as client:
        described = client.get("/sparql", headers={"Accept": "text/turtle"})
        assert described.status_code == 200
        assert "evil.example" not in described.text
        assert f"<{PUBLIC}sparql>" in described.text
        listed = client.get("/queries.json").json()
        assert {q["url"] for q in listed} == {f"{PUBLIC}queries/{q['name']}" for q in listed}
        constructed = client.post(
            "/sparql", content="CONSTRUCT { <s> <p> 1 } WHERE {}", headers={"Content-Type": QUERY}
        )
        [triple] = parse(constructed.content, RdfFormat.TURTLE)
        assert triple.subject == NamedNode(PUBLIC + "s")  # relative IRIs resolve under it


def test_without_a_public_url_absolute_urls_follow_the_request(plain: Server) -> None:
    """As before: they name the server as this client addressed it, and redirect no one."""
    with httpx2.Client(base_url=plain.base, timeout=30) as client:
        constructed = client.post(
            "/sparql", content="CONSTRUCT { <s> <p> 1 } WHERE {}", headers={"Content-Type": QUERY}
        )
        [triple] = parse(constructed.content, RdfFormat.TURTLE)
        assert triple.subject == NamedNode(f"{plain.base}/s")


def test_the_public_url_is_checked_and_ends_with_a_slash() -> None:
    assert Settings(public_url="https://data.example.org/graph").public_url == PUBLIC + "graph/"
    for wrong in (
        "ftp://data.example.org/",
        "data.example.org",
        "https://x/?a=1",
        "https://x/\r\n",
    ):
        refused = CliRunner().invoke(main, ["serve", "--public-url", wrong])
        assert refused.exit_code == 2, refused.output
        assert "Invalid value for '--public-url'" in refused.output


def _request(public: str | None = None, root: str = "") -> Request:
    graph = SimpleNamespace(settings=Settings(public_url=public))
    app = SimpleNamespace(state=SimpleNamespace(graph=graph))
    return Request({"type": "http", "app": app, "root_path": root, "path": "/", "headers": []})


def test_a_location_never_names_another_host() -> None:
    assert location(_request(), "occupations/X") == "/occupations/X"
    assert location(_request(root="/graph"), "occupations/X") == "/graph/occupations/X"
    assert location(_request(PUBLIC), "occupations/X") == PUBLIC + "occupations/X"
    # An IRI https://graph.org.ai//evil.example/x would be a host to a browser as //...
    assert location(_request(), "/evil.example/x") == "/.//evil.example/x"
    assert location(_request(PUBLIC), "/evil.example/x") == PUBLIC + "/evil.example/x"
