"""graph.org.ai's own pages, as a user points occugraph at them: a sample of real occupations
with all their sub-pages, read straight from the archive in ../shared (never copied here).

The sample: three occupations with their pages in both generations (``Standards.org.ai``,
``Occupations.org.ai`` with every task, technology and tool page), the ``Tasks.org.ai`` page
of each of their tasks, the twelve index pages and the page templates. What the tests expect
is read from the pages' own frontmatter with plain regular expressions, not from occugraph.
"""

from __future__ import annotations

import re
import tarfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import QuerySolutions, Store

from occugraph.build import BuildReport, build
from occugraph.build.link import Resolution
from occugraph.build.manifest_file import read_manifest
from occugraph.store.embedded import open_read_only
from tests.conftest import ROOT, ClientFactory, select

ARCHIVE = ROOT.parent / "shared" / "corpora" / "graph.org.ai" / "graph.org.ai-onet.tar.xz"
OCCUPATIONS = {
    "Electricians": ("47-2111.00", "Electricians"),
    "Registered Nurses": ("29-1141.00", "RegisteredNurses"),
    "Accountants and Auditors": ("13-2011.00", "AccountantsAndAuditors"),
}
GO = "https://graph.org.ai/"

pytestmark = pytest.mark.skipif(not ARCHIVE.exists(), reason=f"no archive at {ARCHIVE}")


def wanted(name: str, task_ids: set[str]) -> bool:
    parts = name.split("/")
    if parts[0] == "Occupations.org.ai":
        return len(parts) > 1 and (parts[1] in OCCUPATIONS or parts[1] == "[Occupation].mdx")
    if parts[0] == "Standards.org.ai":
        slugs = {f"{slug}.mdx" for _, slug in OCCUPATIONS.values()} | {"[Occupation].mdx"}
        return parts[-1] in slugs or (len(parts) == 3 and parts[-1].endswith(".md"))
    if parts[0] == "Tasks.org.ai":
        found = re.search(r"_(\d+)\.md$", parts[-1])
        return ("[" in name and name.endswith(".mdx")) or bool(found and found[1] in task_ids)
    return False


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample, unpacked: the archive is read twice (task ids first, then the pages)."""
    folder = tmp_path_factory.mktemp("graph.org.ai")
    with tarfile.open(ARCHIVE, "r:xz") as archive:
        members = archive.getmembers()
    task_ids = {
        Path(m.name).stem
        for m in members
        if m.isfile()
        and m.name.split("/")[1:2]
        and m.name.split("/")[1] in OCCUPATIONS
        and "/Tasks/" in m.name
    }
    chosen = [m for m in members if m.isfile() and wanted(m.name, task_ids)]
    with tarfile.open(ARCHIVE, "r:xz") as archive:
        archive.extractall(folder, members=chosen, filter="data")
    return folder


@pytest.fixture(scope="module")
def built(
    sample: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[BuildReport, Store, Path]]:
    link = tmp_path_factory.mktemp("graph.org.ai-store") / "store"
    report = build([sample], store=link)
    yield report, open_read_only(link), link


def frontmatter(path: Path, key: str) -> str | None:
    found = re.search(rf'^{re.escape(key)}: "?([^"\n]*)"?$', path.read_text(encoding="utf-8"), re.M)
    return found[1] if found else None


def pages(sample: Path, pattern: str) -> list[Path]:
    return sorted(sample.glob(pattern))


# --- every page read for what it is ----------------------------------------------------


def test_every_page_shape_is_read_as_its_kind(
    built: tuple[BuildReport, Store, Path], sample: Path
) -> None:
    report, _, _ = built
    kinds = Counter(e.kind for e in report.entries if not e.error)
    expected = {
        "onet-page": 2 * len(OCCUPATIONS),
        "onet-task": 2 * len(pages(sample, "Occupations.org.ai/*/Tasks/*.mdx")),
        "onet-technology": len(pages(sample, "Occupations.org.ai/*/Technology/*.mdx")),
        "onet-tool": len(pages(sample, "Occupations.org.ai/*/Tools/*.mdx")),
    }
    assert kinds == expected
    assert expected["onet-task"] > 60 and expected["onet-tool"] > 100


def test_the_pages_of_one_occupation_share_one_copy_of_their_keys(
    built: tuple[BuildReport, Store, Path],
) -> None:
    """An occupation's tool pages give equal link keys and resolve alike: the build, and
    the manifest read back, keep one object of each for all of them (so 114k entries fit
    in memory), and one copy stays apart from another occupation's."""
    report, _, link = built
    manifest = read_manifest(link)
    assert manifest is not None
    for entries in (report.entries, manifest.entries):
        tools = {
            name: [e for e in entries if e.kind == "onet-tool" and f"/{name}/" in e.source.path]
            for name in ("Electricians", "Registered Nurses")
        }
        electricians, nurses = tools["Electricians"], tools["Registered Nurses"]
        assert len(electricians) > 20 and len(nurses) > 20
        assert len({id(e.keys) for e in electricians}) == 1
        assert len({id(e.resolution) for e in electricians}) == 1
        assert electricians[0].resolution is not None
        assert electricians[0].resolution.code == "47-2111.00"
        assert nurses[0].keys is not electricians[0].keys
        assert nurses[0].resolution == Resolution(
            code="29-1141.00", method="code", title=nurses[0].keys and nurses[0].keys.title
        )


def test_index_pages_and_templates_get_one_clear_line_each(
    built: tuple[BuildReport, Store, Path], sample: Path
) -> None:
    report, _, _ = built
    errors = report.errors
    index_pages = pages(sample, "Standards.org.ai/ONET/*.md")
    templates = [p for p in sample.rglob("*.mdx") if p.name.startswith("[")]
    assert len(index_pages) == 12 and len(templates) == 7
    assert len(errors) == len(index_pages) + len(templates)
    for page in index_pages:
        assert [e for e in errors if e.startswith(f"{page}:")] == [f"{page}: empty file"]
    for page in templates:
        (line,) = [e for e in errors if e.startswith(f"{page}:")]
        assert "a page template, not a page about one thing" in line and "{" in line


def test_a_code_based_id_is_an_alias_not_a_disagreement(
    built: tuple[BuildReport, Store, Path],
) -> None:
    report, _, _ = built
    assert not [note for note in report.notes if "disagrees" in note]


# --- one node per thing ----------------------------------------------------------------


def test_both_occupation_iris_are_one_node(built: tuple[BuildReport, Store, Path]) -> None:
    _, store, _ = built
    for code, slug in OCCUPATIONS.values():
        canonical, alias = GO + f"occupations/{slug}", GO + f"occupations/{code}"
        same = f"ASK {{ <{canonical}> <http://www.w3.org/2002/07/owl#sameAs> <{alias}> }}"
        assert bool(store.query(same, use_default_graph_as_union=True))
        about = select(
            store,
            f"SELECT DISTINCT ?kind WHERE {{ GRAPH graphs:links {{ ?s occ:about <{canonical}> }}"
            " ?s occ:sourceKind ?kind }",
        )
        assert {row[0] for row in about} == {
            "onet-page",
            "onet-task",
            "onet-technology",
            "onet-tool",
        }
        assert select(store, f"SELECT ?t WHERE {{ <{alias}> a ?t }}") == []


def test_a_tasks_two_iris_are_one_task(
    built: tuple[BuildReport, Store, Path], sample: Path
) -> None:
    _, store, _ = built
    (page,) = pages(sample, "Occupations.org.ai/Electricians/Tasks/2875.mdx")
    text = re.search(r"^# (.*)$", page.read_text(encoding="utf-8"), re.M)
    assert text is not None
    (tasks_page,) = pages(sample, "Tasks.org.ai/**/*_2875.md")
    canonical = frontmatter(tasks_page, "$id")
    assert canonical == GO + "tasks/ConnectWiresToCircuitBreakersTransformersOrOtherCo_2875"
    rows = select(
        store,
        "SELECT DISTINCT ?id ?type ?label ?alias ?g WHERE { "
        "GRAPH ?g { ?task occ:onetTaskId ?id ; rdfs:label ?label } "
        "OPTIONAL { ?task occ:taskType ?type } "
        "OPTIONAL { ?task <http://www.w3.org/2002/07/owl#sameAs> ?alias } "
        f"VALUES ?task {{ <{canonical}> }} }}",
    )
    assert {row[:4] for row in rows} == {
        ("2875", "Core", text[1], GO + "occupations/47-2111.00/tasks/2875")
    }
    assert len({row[4] for row in rows}) == 2  # stated by both pages, into one node


def test_task_ids_and_types_are_the_pages_own(
    built: tuple[BuildReport, Store, Path], sample: Path
) -> None:
    _, store, _ = built
    for title, (_, slug) in OCCUPATIONS.items():
        task_pages = pages(sample, f"Occupations.org.ai/{title}/Tasks/*.mdx")
        stated = Counter(frontmatter(page, "taskType") for page in task_pages)
        found = select(
            store,
            "SELECT ?type (COUNT(DISTINCT ?task) AS ?n) WHERE { "
            f"<{GO}occupations/{slug}> occ:hasTask ?task . ?task occ:onetTaskId ?id ; "
            "occ:taskType ?type } GROUP BY ?type",
        )
        typed = {kind: n for kind, n in stated.items() if kind != "n/a"}  # O*NET's "no type"
        assert {(row[0], int(row[1] or 0)) for row in found} == set(typed.items()), title
        assert sum(stated.values()) == len(task_pages) > 10


def test_a_commodity_is_one_node_shared_by_occupations(
    built: tuple[BuildReport, Store, Path], sample: Path
) -> None:
    _, store, _ = built
    spreadsheets = [
        page
        for page in pages(sample, "Occupations.org.ai/*/Technology/*.mdx")
        if frontmatter(page, "commodityCode") == "43232110"
    ]
    users = {page.parts[-3] for page in spreadsheets}
    assert len(users) >= 2
    found = select(
        store,
        "SELECT DISTINCT ?o ?title WHERE { ?o occ:usesCommodity ?c . ?c rdfs:label ?title "
        f"VALUES ?c {{ <{GO}unspsc/43232110> }} }}",
    )
    expected = {GO + f"occupations/{OCCUPATIONS[title][1]}" for title in users}
    assert {row[0] for row in found} == expected
    assert {row[1] for row in found} == {frontmatter(spreadsheets[0], "commodityTitle")}


def test_hot_technologies_carry_their_flags(
    built: tuple[BuildReport, Store, Path], sample: Path
) -> None:
    _, store, _ = built
    hot = {
        frontmatter(page, "example")
        for page in pages(sample, "Occupations.org.ai/Electricians/Technology/*.mdx")
        if frontmatter(page, "hotTechnology") == "true"
    }
    found = select(
        store,
        f"SELECT ?name WHERE {{ <{GO}occupations/Electricians> occ:usesTechnology ?t . "
        "?t occ:hotTechnology true ; rdfs:label ?name }",
    )
    assert {row[0] for row in found} == hot and len(hot) >= 5


def test_the_work_activity_chain_reaches_the_content_model(
    built: tuple[BuildReport, Store, Path], sample: Path
) -> None:
    _, store, _ = built
    (tasks_page,) = pages(sample, "Tasks.org.ai/**/*_2875.md")
    activity, iwa, dwa = (
        frontmatter(tasks_page, key) for key in ("activitySlug", "iwaSlug", "dwaSlug")
    )
    chain = select(
        store,
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "SELECT DISTINCT ?dwa ?dwaLabel ?iwa ?iwaLabel ?gwa ?gwaLabel WHERE { "
        "<https://graph.org.ai/tasks/ConnectWiresToCircuitBreakersTransformersOrOtherCo_2875> "
        "occ:detailedWorkActivity ?dwa . ?dwa skos:broader ?iwa ; rdfs:label ?dwaLabel . "
        "?iwa skos:broader ?gwa ; rdfs:label ?iwaLabel . "
        "?gwa a occ:WorkActivity ; skos:prefLabel ?gwaLabel }",
    )
    assert len(chain) == 1
    found_dwa, dwa_label, found_iwa, iwa_label, found_gwa, gwa_label = chain[0]
    assert (found_dwa, found_iwa, found_gwa) == (
        f"{GO}dwa/{dwa}",
        f"{GO}iwa/{iwa}",
        f"{GO}activities/{activity}",
    )
    assert dwa_label == "Install electrical components, equipment, or systems."
    assert iwa_label and iwa_label.lower().replace(" ", "") == str(iwa).lower()
    assert gwa_label and gwa_label.replace(" ", "").lower() == str(activity).lower()


# --- queries and pages ---------------------------------------------------------------------


def test_the_server_answers_aliases_with_301s(
    built: tuple[BuildReport, Store, Path], client_factory: ClientFactory
) -> None:
    _, _, link = built
    with client_factory(store=link) as client:
        for alias, canonical in [
            ("/occupations/47-2111.00", "/occupations/Electricians"),
            (
                "/occupations/47-2111.00/tasks/2875",
                "/tasks/ConnectWiresToCircuitBreakersTransformersOrOtherCo_2875",
            ),
        ]:
            answer = client.get(alias, follow_redirects=False)
            assert answer.status_code == 301
            assert answer.headers["location"].endswith(canonical)
        technology = client.get(
            "/occupations/47-2111.00/technology/Adobe%20Acrobat", headers={"Accept": "text/turtle"}
        )
        assert technology.status_code == 200 and "43232202" in technology.text
        page = client.get("/occupations/Electricians", headers={"Accept": "text/html"})
        assert page.status_code == 200
        text = page.text
        tasks = text[text.index('id="tasks"') : text.index('id="products"')]
        assert tasks.index(">Core<") < tasks.index(">Supplemental<")
        assert tasks.rindex(">Core<") < tasks.index(">Supplemental<")
        products = text[text.index('id="products"') :]
        assert "Adobe Acrobat" in products and 'class="hot"' in products
        assert "Tools" in products


def test_saved_queries_reach_an_occupation_by_either_iri(
    built: tuple[BuildReport, Store, Path],
) -> None:
    from occugraph.query.saved import find

    _, store, _ = built
    answers = [
        find("onet-tasks").run(store, {"occupation": value})
        for value in (GO + "occupations/47-2111.00", "47-2111.00")
    ]
    by_alias, by_code = (
        [list(row) for row in answer] for answer in answers if isinstance(answer, QuerySolutions)
    )
    assert by_alias and by_alias == by_code
