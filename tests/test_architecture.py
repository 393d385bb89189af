"""The package's shape: layers in data-flow order, no import cycles, a kind in three modules.

docs/ARCHITECTURE.md draws these layers; this test keeps the drawing true. It reads every
module's imports (function-level ones included) with ``ast``, so it sees what a reader of
the code sees, whatever runs first.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from occugraph.build.kinds import kinds

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "occugraph"

LAYERS: list[tuple[str, list[str]]] = [
    (
        "foundation",
        [
            "occugraph",
            "occugraph.errors",
            "occugraph.slugs",
            "occugraph.files",
            "occugraph.ids",
            "occugraph.vocabulary",
            "occugraph.formats",
            "occugraph.settings",
            "occugraph.sparql_text",
            "occugraph.terminal",
        ],
    ),
    ("store", ["occugraph.store.*"]),
    (
        "build: files and records",
        ["occugraph.build.sources", "occugraph.build.reference", "occugraph.build.records.*"],
    ),
    ("build: extract", ["occugraph.build.extract.*"]),
    ("build: autocoder", ["occugraph.build.autocoder"]),
    ("build: link", ["occugraph.build.elements", "occugraph.build.link"]),
    ("build: rdf", ["occugraph.build.rdf.*"]),
    ("build: kinds", ["occugraph.build.kinds"]),
    (
        "build: what a build keeps and where it writes",
        [
            "occugraph.build.manifest",
            "occugraph.build.manifest_file",
            "occugraph.build.parallel",
            "occugraph.build.targets",
        ],
    ),
    ("build: the pipeline", ["occugraph.build.pipeline", "occugraph.build"]),
    ("query", ["occugraph.query.*"]),
    (
        "server: HTTP helpers and page data",
        [
            "occugraph.server.negotiate",
            "occugraph.server.http",
            "occugraph.server.protocol",
            "occugraph.server.pages.*",
        ],
    ),
    (
        "server: the served build",
        ["occugraph.server.graph", "occugraph.server.answers", "occugraph.server.cache"],
    ),
    ("server: views", ["occugraph.server.views.*"]),
    ("server: the app", ["occugraph.server.app", "occugraph.server"]),
    ("server: running it", ["occugraph.server.run"]),
    (
        "command line and test servers",
        ["occugraph.cli_options", "occugraph.cli", "occugraph.testing"],
    ),
]
"""Lowest first; a module may import its own layer and the layers before it."""


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    """Every module of the package (the links to the data folders hold no Python)."""
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


MODULES = modules()


def layer_of(module: str) -> int:
    """The index of the layer whose most specific entry names the module."""
    best: tuple[int, int] | None = None  # (specificity, layer)
    for index, (_, entries) in enumerate(LAYERS):
        for entry in entries:
            base = entry.removesuffix(".*")
            named = module == base or (entry.endswith(".*") and module.startswith(base + "."))
            if named and (best is None or len(base) > best[0]):
                best = (len(base), index)
    if best is None:
        raise LookupError(f"{module} is in no layer of tests/test_architecture.py")
    return best[1]


def imported(module: str) -> Iterator[tuple[str, int]]:
    """The package's modules that ``module`` imports, with the line of each import."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in MODULES:
                    yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                if candidate in MODULES:
                    yield candidate, node.lineno
                elif base in MODULES:
                    yield base, node.lineno


GRAPH = {module: sorted({target for target, _ in imported(module)}) for module in MODULES}


def test_every_module_has_a_layer() -> None:
    unplaced = []
    for module in MODULES:
        try:
            layer_of(module)
        except LookupError:
            unplaced.append(module)
    assert unplaced == []


def test_no_module_imports_a_layer_above_its_own() -> None:
    upward = [
        f"{module}:{line} imports {target} "
        f"({LAYERS[layer_of(module)][0]} → {LAYERS[layer_of(target)][0]})"
        for module in MODULES
        for target, line in imported(module)
        if layer_of(target) > layer_of(module)
    ]
    assert upward == []


def test_there_is_no_import_cycle() -> None:
    state: dict[str, str] = {}
    path: list[str] = []
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        state[module] = "open"
        path.append(module)
        for target in GRAPH[module]:
            if state.get(target) == "open":
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target)
        path.pop()
        state[module] = "done"

    for module in MODULES:
        if module not in state:
            visit(module)
    assert cycles == []


def test_the_walker_sees_function_level_and_package_imports() -> None:
    """The checks above are only as good as the import reader: it must find both kinds."""
    assert "occugraph.query.validate" in GRAPH["occugraph.cli"]  # imported inside a command
    assert "occugraph.build.extract" in GRAPH["occugraph.build.kinds"]  # `from package import`


def test_the_layer_check_catches_an_upward_import() -> None:
    assert layer_of("occugraph.build.records.noc_profile") < layer_of("occugraph.build.link")
    assert layer_of("occugraph.server.http") < layer_of("occugraph.server.views.sparql")
    assert layer_of("occugraph.store.embedded") < layer_of("occugraph.query.workers")


# --- a source kind is three modules ---------------------------------------------------

_DOCTEST = re.compile(r"^\s*(>>>|\.\.\.) ")


@pytest.mark.parametrize("kind", kinds(), ids=lambda kind: kind.name)
def test_a_kind_is_its_record_extractor_and_mapping_modules(kind: object) -> None:
    """Adding a kind is three files: nothing else in the package names its record type."""
    from occugraph.build.kinds import Kind

    assert isinstance(kind, Kind)
    record = kind.extractor.record
    mapping_module = kind.mapping.write.__module__
    own = {
        record.__module__,
        kind.extractor.extract.__module__,
        mapping_module,
    }
    stem = record.__module__.rpartition(".")[2]
    assert own == {
        f"occugraph.build.records.{stem}",
        f"occugraph.build.extract.{stem}",
        f"occugraph.build.rdf.{stem}",
    }
    assert kind.name == stem.replace("_", "-")
    naming = re.compile(rf"\b{record.__name__}\b")
    elsewhere = [
        f"{module}:{number}"
        for module, path in MODULES.items()
        if module not in own
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if naming.search(line) and not _DOCTEST.match(line)
    ]
    assert elsewhere == []


# --- adding a kind, for real ------------------------------------------------------------

NEW_KIND = {
    "build/records/course_outline.py": '''
"""The record of a ``course-outline``: a training course's title and topics."""
from typing import Literal

from occugraph.build.records import OccupationClaim, Record


class CourseOutline(Record):
    kind: Literal["course-outline"] = "course-outline"
    title: str
    topics: list[str]

    def claim(self) -> OccupationClaim:
        return OccupationClaim(title=self.title)
''',
    "build/extract/course_outline.py": '''
"""A ``course-outline``: 'COURSE OUTLINE: <title>' then one topic per '* ' line."""
from occugraph.build.extract import Extractor
from occugraph.build.records.course_outline import CourseOutline
from occugraph.errors import InputError


def looks_like(text: str) -> bool:
    return text.startswith("COURSE OUTLINE:")


def extract(text: str) -> CourseOutline:
    first, *rest = text.splitlines()
    title = first.removeprefix("COURSE OUTLINE:").strip()
    if not title:
        raise InputError("the outline has no title", line=1)
    topics = [line[2:].strip() for line in rest if line.startswith("* ")]
    return CourseOutline(title=title, topics=topics)


EXTRACTOR = Extractor(
    kind="course-outline",
    record=CourseOutline,
    precedence=35,
    looks_like=looks_like,
    extract=extract,
)
''',
    "build/rdf/course_outline.py": '''
"""A ``course-outline``: its topics are tasks of the occupation it trains for."""
from occugraph.build.rdf.document import DocumentGraph, RecordMapping
from occugraph.build.records.course_outline import CourseOutline


def write(graph: DocumentGraph, outline: CourseOutline) -> None:
    graph.stated_title(outline.title)
    graph.tasks(outline.topics)


MAPPING = RecordMapping(CourseOutline, write)
''',
}

PROBE = """
import sys
from pathlib import Path
from occugraph.build import build
from occugraph.build.kinds import kind_names
from occugraph.store.embedded import open_read_only

report = build([Path(sys.argv[1])], store=Path(sys.argv[2]))
store = open_read_only(Path(sys.argv[2]))
tasks = store.query(
    "SELECT ?label WHERE { GRAPH ?g { ?o <https://graph.org.ai/ontology#hasTask> ?t . "
    "?t <http://www.w3.org/2000/01/rdf-schema#label> ?label } "
    "GRAPH <https://graph.org.ai/graphs/links> { ?g <https://graph.org.ai/ontology#about> ?o } "
    "?o <https://graph.org.ai/ontology#onetCode> '47-2111.00' }",
    use_default_graph_as_union=True,
)
print(kind_names())
print(sorted(e.kind for e in report.entries), report.errors)
print(sorted(row[0].value for row in tasks))
"""


def test_a_new_kind_is_three_new_files_and_nothing_else(tmp_path: Path) -> None:
    """The walk-through of docs/ARCHITECTURE.md, done: a copy of the package gets a kind's
    record, extractor and mapping, and builds documents of that kind."""
    import shutil
    import subprocess
    import sys

    package = tmp_path / "site" / "occugraph"
    shutil.copytree(PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    for name, text in NEW_KIND.items():
        (package / name).write_text(text.lstrip())
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "outline.txt").write_text(
        "COURSE OUTLINE: Electricians\n* Read blueprints\n* Install wiring\nnot a topic\n"
    )
    (documents / "broken.txt").write_text("COURSE OUTLINE:\n* Nothing\n")
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(documents), str(tmp_path / "store")],
        env={**os.environ, "PYTHONPATH": str(package.parent)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    names, kinds_built, tasks = result.stdout.splitlines()
    assert "course-outline" in names
    assert names.index("course-outline") < names.index("job-description")
    assert kinds_built == (
        "['course-outline', 'course-outline'] "
        "['documents/broken.txt:1: [course-outline] the outline has no title']".replace(
            "documents/", f"{documents}/"
        )
    )
    assert tasks == "['Install wiring', 'Read blueprints']"
