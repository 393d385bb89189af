"""The pages in a real browser: headless Chromium driven by Playwright, against ``occugraph
serve`` running as a process on a seeds build.

What the TestClient tests cannot see is checked here: the SPARQL editor's script runs a
query and draws its answer, the saved-query forms submit, links are followed by clicking,
and the occupation page is rendered to a screenshot (``tests/artifacts/occupation.png``).

The browser is Debian's ``chromium`` (``/usr/bin/chromium``), never one Playwright downloads;
``.ci/run`` installs it. Without it, or without the playwright package, these tests skip.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from occugraph.testing import occugraph_serve

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install -y chromium)", allow_module_level=True)
sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="the playwright package is not installed (pip install -e '.[test]')",
)

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
OCCUPATION = "/occupations/ProbationOfficersAndCorrectionalTreatmentSpecialists"
TITLE = "Probation Officers and Correctional Treatment Specialists"
LEVELS_QUERY = """PREFIX occ: <https://graph.org.ai/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?level ?label WHERE { ?level a occ:ProficiencyLevel ; rdfs:label ?label } ORDER BY ?label"""
WAIT = 15_000  # ms


@contextmanager
def serving_seeds(folder: Path, seeds_link: Path) -> Iterator[str]:
    """Over the shared seeds build: without an update token the server only reads it."""
    with occugraph_serve(seeds_link, log=folder / "serve.log") as running:
        yield running.base


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, seeds_link: Path) -> Iterator[str]:
    with serving_seeds(tmp_path_factory.mktemp("browser"), seeds_link) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(WAIT)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page
        assert not errors, f"script errors on the page: {errors}"
    finally:
        context.close()


def run_in_editor(page: Page, server: str, query: str) -> None:
    page.goto(f"{server}/")
    page.fill("#editor textarea", query)
    page.click("#editor button[type=submit]")


def test_the_editor_shows_a_select_as_a_table(page: Page, server: str) -> None:
    run_in_editor(page, server, LEVELS_QUERY)
    table = page.locator("#output table#results")
    table.wait_for()
    assert table.locator("th").all_inner_texts() == ["level", "label"]
    labels = table.locator("tr td:nth-child(2)").all_inner_texts()
    assert labels == ["Advanced", "Developing", "Emerging", "Proficient"]
    link = table.locator("a", has_text="https://graph.org.ai/levels/Proficient")
    assert link.get_attribute("href") == "/levels/Proficient"
    assert page.inner_text("#summary").startswith("4 rows")
    # The query is kept in the address, so the page can be shared and reloaded.
    assert "query=" in page.url
    page.reload()
    page.locator("#output table#results").wait_for()
    assert page.locator("#output table#results tr").count() == 5


def test_the_editor_shows_errors_ask_and_construct(page: Page, server: str) -> None:
    run_in_editor(page, server, "SELECT ?x WHERE {")
    error = page.locator("#error")
    error.wait_for()
    assert error.inner_text().startswith("Error 400:") and "syntax" in error.inner_text()

    run_in_editor(page, server, "ASK { ?level a <https://graph.org.ai/ontology#ProficiencyLevel> }")
    page.locator("#answer").wait_for()
    assert page.inner_text("#answer") == "yes"

    run_in_editor(
        page,
        server,
        "CONSTRUCT { ?l a <https://graph.org.ai/ontology#ProficiencyLevel> } "
        "WHERE { ?l a <https://graph.org.ai/ontology#ProficiencyLevel> }",
    )
    page.locator("#graph").wait_for()
    assert "<https://graph.org.ai/levels/Proficient>" in page.inner_text("#graph")
    assert page.inner_text("#summary").startswith("4 triples")


def test_the_editor_shows_markup_in_results_as_text(page: Page, server: str) -> None:
    markup = '"><img src=x onerror="window.pwned=1">'
    run_in_editor(page, server, f"SELECT ?text WHERE {{ BIND('{markup}' AS ?text) }}")
    page.locator("#results td").wait_for()
    assert page.inner_text("#results td") == markup
    assert page.locator("#output img").count() == 0
    assert page.evaluate("window.pwned") is None


def test_a_saved_query_runs_from_its_form_on_the_home_page(page: Page, server: str) -> None:
    page.goto(f"{server}/")
    form = page.locator("#query-noc-job-titles form")
    form.locator("input[name=occupation]").fill("21-1092.00")
    form.locator("button").click()
    page.wait_for_url("**/queries/noc-job-titles?occupation=21-1092.00")
    cells = page.locator("#results td").all_inner_texts()
    assert "caseworker, corrections - case manager" in cells
    assert "program worker, corrections - youth worker" in cells
    assert page.inner_text("#row-count") == "8 rows"


def test_an_optional_parameter_left_blank_is_not_sent(page: Page, server: str) -> None:
    page.goto(f"{server}/queries/competency-statements")
    page.fill("#params input[name=occupation]", "21-1092.00")
    page.click("#params button")
    page.wait_for_url("**/queries/competency-statements?occupation=21-1092.00")
    assert page.inner_text("#row-count") == "40 rows"


def test_the_occupation_page_shows_its_levels_and_links_work(page: Page, server: str) -> None:
    page.goto(f"{server}{OCCUPATION}")
    assert page.inner_text("h1") == TITLE
    headings = page.locator("#competencies .level h3 a").all_inner_texts()
    assert headings == ["Emerging", "Developing", "Proficient", "Advanced"]
    assert page.locator("#competencies .level").nth(2).locator("ol li").count() == 10
    assert page.locator("#diagram svg").is_visible()
    page.locator("#competencies .level h3 a", has_text="Proficient").click()
    page.wait_for_url(f"{server}/levels/Proficient")
    assert page.inner_text("h1") == "Proficient"
    page.go_back()
    page.locator("#diagram svg a[href='/noc/2016/4155']").click()
    page.wait_for_url(f"{server}/noc/2016/4155")
    assert "Probation and parole officers and related occupations" in page.inner_text("h1")


def test_a_screenshot_of_the_occupation_page(page: Page, server: str) -> None:
    page.goto(f"{server}{OCCUPATION}")
    page.locator("#diagram svg").wait_for()
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "occupation.png"
    target.unlink(missing_ok=True)
    page.screenshot(path=str(target), full_page=True)
    data = target.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width = int.from_bytes(data[16:20], "big")
    height = int.from_bytes(data[20:24], "big")
    assert width == 1280 and height > 3000
    assert len(data) > 100_000
