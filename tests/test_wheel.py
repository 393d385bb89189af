"""occugraph as a user meets it: a wheel installed into a fresh virtualenv, run from a folder
that is not the project.

Everything the package reads (the ontology, the saved queries, the reference data, its own
SPARQL and templates) must come from inside the wheel. The wheel is built from this checkout
(``pip wheel``), installed with its dependencies from the package index into a new venv,
and its ``occugraph`` command builds, queries, exports and serves from a temporary folder,
where no ``data/``, ``ontology/`` or ``queries/`` is within reach. What it exports must be
what the checkout's own code exports, statement for statement.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest

from occugraph.build import BuildReport
from occugraph.testing import free_port, running
from tests.conftest import ROOT, SEEDS

pytestmark = pytest.mark.skipif(
    os.environ.get("OCCUGRAPH_SKIP_WHEEL") == "1", reason="OCCUGRAPH_SKIP_WHEEL=1"
)

TIMES = re.compile(r'"\d{4}-\d\d-\d\dT[^"]*"\^\^<http://www.w3.org/2001/XMLSchema#dateTime>')
BLANKS = re.compile(r"_:[0-9a-f]+")


class Installed:
    """The wheel's ``occugraph`` in its own venv, run in ``folder`` (a user's folder)."""

    def __init__(self, venv: Path, folder: Path) -> None:
        self.venv, self.folder = venv, folder

    @property
    def command(self) -> str:
        return str(self.venv / "bin" / "occugraph")

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        environment = {k: v for k, v in os.environ.items() if not k.startswith("OCCUGRAPH_")}
        environment.pop("PYTHONPATH", None)
        return subprocess.run(
            [self.command, *args],
            cwd=self.folder,
            capture_output=True,
            text=True,
            env=environment,
            timeout=300,
        )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    work = tmp_path_factory.mktemp("wheel")
    # A copy of the checkout, so no earlier build's leftovers (setuptools' build/) get in.
    source = work / "source"
    leftovers = {".git", ".venv", "build", "dist", ".occugraph"}
    shutil.copytree(
        ROOT,
        source,
        symlinks=True,
        ignore=lambda folder, names: leftovers & set(names) if Path(folder) == ROOT else [],
    )
    wheels = work / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels), "."],
        cwd=source,
        check=True,
        timeout=600,
    )
    (wheel,) = wheels.glob("occugraph-*.whl")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
        check=True,
        timeout=900,
    )
    folder = work / "user"
    shutil.copytree(SEEDS, folder / "documents")
    yield Installed(venv, folder)


def normalised(nquads: str) -> list[str]:
    """N-Quads with build times and blank-node labels blanked, sorted: two builds of the
    same files compare equal."""
    return sorted(BLANKS.sub("_:b", TIMES.sub('"T"', line)) for line in nquads.splitlines())


def test_the_package_is_imported_from_the_venv_not_the_checkout(installed: Installed) -> None:
    python = str(installed.venv / "bin" / "python")
    where = subprocess.run(
        [python, "-c", "import occugraph.files as f; print(f.ONTOLOGY); print(f.SAVED_QUERIES)"],
        cwd=installed.folder,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert all(path.startswith(str(installed.venv)) for path in where), where
    assert all(Path(path).exists() for path in where)


def test_build_query_and_export_from_a_users_folder(
    installed: Installed, seeds_build: tuple[BuildReport, object]
) -> None:
    built = installed.run("build", "documents")
    assert built.returncode == 0, built.stderr
    assert "files:       5 (1 career-article, 1 competency-framework" in built.stdout
    assert (installed.folder / ".occugraph" / "store").is_symlink()

    listed = installed.run("queries")
    assert listed.returncode == 0, listed.stderr
    names = {path.stem for path in (ROOT / "queries").glob("*.rq")}
    assert len(names) >= 20 and all(name in listed.stdout for name in names)

    answer = installed.run(
        "query", "described-by-sources", "-p", "occupation=21-1092.00", "-p", "min_sources=5"
    )
    assert (answer.returncode, answer.stdout) == (0, "yes\n"), answer.stderr

    exported = installed.run("export", "--format", "nquads", "-o", "graph.nq")
    assert exported.returncode == 0, exported.stderr
    from_wheel = normalised((installed.folder / "graph.nq").read_text())
    report, _ = seeds_build
    from_checkout = subprocess.run(
        [
            sys.executable,
            "-m",
            "occugraph.cli",
            "export",
            "--format",
            "nquads",
            "--store",
            str(report.store),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert len(from_wheel) == report.triples
    assert from_wheel == normalised(from_checkout)


def test_a_users_own_saved_queries_sit_beside_occugraphs(installed: Installed) -> None:
    mine = installed.folder / "my-queries"
    mine.mkdir(exist_ok=True)
    (mine / "task-count.rq").write_text(
        "#+ title: Tasks in the graph\n"
        "PREFIX occ: <https://graph.org.ai/ontology#>\n"
        "SELECT (COUNT(DISTINCT ?task) AS ?tasks) WHERE { ?task a occ:Task }\n"
    )
    if not (installed.folder / ".occugraph").exists():
        assert installed.run("build", "documents").returncode == 0
    listed = installed.run("queries", "--queries", "my-queries")
    assert "task-count" in listed.stdout and "occupation-card" in listed.stdout
    answer = installed.run("query", "task-count", "--queries", "my-queries", "--format", "csv")
    assert answer.returncode == 0, answer.stderr
    header, count = answer.stdout.split()
    assert header == "tasks" and int(count) > 10


def test_serve_from_a_users_folder(installed: Installed, tmp_path: Path) -> None:
    if not (installed.folder / ".occugraph").exists():
        assert installed.run("build", "documents").returncode == 0
    port = free_port()
    command = [installed.command, "serve", "--port", str(port), "--workers", "1"]
    environment = {k: v for k, v in os.environ.items() if not k.startswith("OCCUGRAPH_")}
    with (
        running(
            command,
            port=port,
            ready="/health",
            log=tmp_path / "serve.log",
            env=environment,
            cwd=installed.folder,
        ) as server,
        httpx2.Client(base_url=server.base, timeout=30) as client,
    ):
        assert client.get("/health").json()["ok"] is True
        listed = client.get("/queries.json").json()
        assert len(listed) == len(list((ROOT / "queries").glob("*.rq")))
        page = client.get(
            "/occupations/21-1092.00", headers={"Accept": "text/html"}, follow_redirects=True
        )
        assert page.status_code == 200
        assert "Probation Officers and Correctional Treatment Specialists" in page.text
        ontology = client.get("/ontology")
        assert ontology.text == (ROOT / "ontology" / "occugraph.ttl").read_text()
        # The pages' assets ship in the wheel: the editor works with no network.
        documented = client.get("/ontology", headers={"Accept": "text/html"})
        assert documented.status_code == 200 and 'id="nocEquivalent"' in documented.text
        for asset in ("yasgui/yasgui.min.js", "yasgui/yasgui.min.css", "site.js", "favicon.svg"):
            shipped = client.get(f"/static/{asset}")
            assert shipped.status_code == 200, asset
            assert shipped.content == (ROOT / "src/occugraph/server/static" / asset).read_bytes()
        assert client.get("/sparql", headers={"Accept": "text/html"}).text.count("yasgui") >= 2
        context = client.get("/context.jsonld")
        assert context.json() == json.loads((ROOT / "ontology" / "context.jsonld").read_text())
        home = client.get("/", headers={"Accept": "text/html"})
        assert home.status_code == 200 and "<textarea" in home.text
