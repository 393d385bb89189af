"""Hostile and broken input: one clear error line each, nothing in the graph, the rest built.

The corpus is written next to copies of the five seeds: every kind of breakage a
source file can have (empty, binary, wrongly encoded, truncated, mistyped, of an
unrelated schema, huge, deeply nested, YAML bombs, malformed codes). One build
reads it all; each bad file must cost one error line that names the file (and its
kind, once detected) and says what is wrong, and nothing more.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from pyoxigraph import NamedNode, Store

from occugraph import ids
from occugraph.build import BuildReport, build
from occugraph.build.extract import (
    career_article,
    competency_framework,
    job_description,
    noc_profile,
    onet_page,
)
from occugraph.build.kinds import detect_kind
from occugraph.errors import InputError
from occugraph.store.embedded import open_read_only
from tests.conftest import SEEDS

ONET, FRAMEWORK, CAREER, NOC, JOB = (next(SEEDS.glob(f"00{n}_*")) for n in range(5))
BUILD_SECONDS = 60  # a loose bound: the build takes a few seconds; a regex gone quadratic, hours


def _framework(**changes: object) -> bytes:
    """The framework seed with parts replaced: ``occupation__jobZone='four'``."""
    document = json.loads(FRAMEWORK.read_text())
    for path, value in changes.items():
        *parents, last = path.split("__")
        target = document
        for part in parents:
            target = target[part]
        target[last] = value
    return json.dumps(document).encode()


def _onet(old: str, new: str) -> bytes:
    page = ONET.read_text()
    assert old in page
    return page.replace(old, new, 1).encode()


def _cut(path: Path, size: int) -> bytes:
    return path.read_bytes()[:size]


_LAUGHS = "\n".join(
    [
        "---",
        "title: Laughs",
        "code: 21-1092.00",
        'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
        *(
            f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]"
            for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
        ),
        "---",
        "# Laughs",
    ]
)
_NOT_ACTIVITIES = "Officers supervise offenders in the community and write reports for courts. "

# name -> (bytes, the kind its line must name or None, words its line must contain)
BAD: dict[str, tuple[bytes, str | None, tuple[str, ...]]] = {
    # Nothing, or nothing that is text.
    "empty.txt": (b"", None, ("empty file",)),
    "blank.txt": (b"  \n\t\n   \n", None, ("empty file",)),
    "bom-only.txt": (b"\xef\xbb\xbf \xc2\xa0\n", None, ("empty file",)),
    "binary.bin": (bytes(range(256)) * 4, None, ("binary file", "NUL")),
    "image.png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), None, ("binary file",)),
    # Text, but not UTF-8.
    "latin1.txt": ("Électricien à Montréal\n".encode("latin-1"), None, ("not UTF-8", "0xc9")),
    "utf16-bom.txt": (JOB.read_text().encode("utf-16"), None, ("UTF-16", "byte-order mark")),
    "utf16-no-bom.txt": (JOB.read_text().encode("utf-16-le"), None, ("UTF-16LE", "every other")),
    "shift-jis.txt": (
        "電気技師の職務内容\n配線を設置する".encode("shift_jis"),
        None,
        ("not UTF-8",),
    ),
    # Truncated: each kind cut where it can no longer be read. Prose cut elsewhere is
    # shorter prose and builds; only too little text, or half a character, is bad.
    "cut-onet-1.md": (_cut(ONET, 60), None, ("not a known kind",)),
    "cut-onet-2.md": (_cut(ONET, 200), "onet-page", ("unterminated frontmatter",)),
    "cut-onet-3.md": (_cut(ONET, 500), "onet-page", ("unterminated frontmatter",)),
    "cut-framework-1.json": (_cut(FRAMEWORK, 100), None, ("not a known kind",)),
    "cut-framework-2.json": (_cut(FRAMEWORK, 3000), "competency-framework", ("truncated",)),
    "cut-framework-3.json": (_cut(FRAMEWORK, 7000), "competency-framework", ("truncated",)),
    "cut-framework-4.json": (
        _cut(FRAMEWORK, FRAMEWORK.stat().st_size - 3),
        "competency-framework",
        ("truncated",),
    ),
    "cut-career.txt": (_cut(CAREER, 300), None, ("not a known kind",)),
    "cut-career-mid-character.txt": (
        _cut(CAREER, CAREER.read_bytes().index("’".encode()) + 1),
        None,
        ("not UTF-8", "byte 0xe2"),
    ),
    "cut-noc.txt": (_cut(NOC, 20), None, ("not a known kind",)),
    "cut-job.txt": (
        _cut(JOB, JOB.read_bytes().index(b"\n")),
        "job-description",
        ("only a title", "Probation Officer"),
    ),
    # Values of the wrong type.
    "levels-string.json": (
        _framework(framework__levels="emerging, proficient"),
        "competency-framework",
        ("framework.levels", "expected an object of levels or a list"),
    ),
    "statements-numbers.json": (
        _framework(framework__levels={"emerging": {"label": "E", "statements": [1, 2]}}),
        "competency-framework",
        ("statements[0]", "expected a string", "got 1"),
    ),
    "zone-four.json": (
        _framework(occupation__jobZone="four"),
        "competency-framework",
        ("occupation.jobZone", "expected an integer 1-5", "'four'"),
    ),
    "zone-superscript.json": (
        _framework(occupation__jobZone="\u00b2"),
        "competency-framework",
        ("occupation.jobZone", "expected an integer 1-5"),
    ),
    "sector-object.json": (
        _framework(occupation__sector={"code": "62"}),
        "competency-framework",
        ("occupation.sector", "expected a string, got an object"),
    ),
    "title-list.md": (
        _onet("title: Probation", "title:\n  - Probation"),
        "onet-page",
        ("'title'", "expected text, got a list"),
    ),
    "code-number.md": (
        _onet("code: 21-1092.00", "code: 211092"),
        "onet-page",
        ("'code'", "expected an O*NET-SOC code", "'211092'"),
    ),
    "code-merged.md": (
        _onet("code: 21-1092.00", "<<: {code: 12}"),
        "onet-page",
        ("'code'", "expected an O*NET-SOC code"),
    ),
    "id-ipv6.md": (
        _onet("$id: https://graph.org.ai", "$id: http://[::1"),
        "onet-page",
        ("'$id'", "absolute http(s) URL"),
    ),
    "title-surrogate.md": (
        _onet(
            "title: Probation Officers and Correctional Treatment Specialists", 'title: "\\ud800"'
        ),
        "onet-page",
        ("'title'", "lone surrogate"),
    ),
    "statement-surrogate.json": (
        FRAMEWORK.read_bytes().replace(b"Case folders", b"Case \\udc00 folders", 1),
        "competency-framework",
        ("lone surrogate",),
    ),
    "date-invalid.md": (
        _onet("code: 21-1092.00", "code: 2024-13-45"),
        "onet-page",
        ("'2024-13-45'", "cannot be read"),
    ),
    "number-huge.md": (
        _onet("code: 21-1092.00", "code: " + "9" * 5000),
        "onet-page",
        ("cannot be read",),
    ),
    "number-huge.json": (
        _framework().replace(b'"label": "Emerging"', b'"label": ' + b"9" * 5000),
        "competency-framework",
        ("5000 digits", "too long"),
    ),
    # Unrelated schemas.
    "package.json": (
        b'{"name": "left-pad", "version": "1.3.0", "main": "index.js", "dependencies": {}}',
        None,
        ("not a known kind",),
    ),
    "map.geojson": (
        b'{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": '
        b'{"type": "Point", "coordinates": [-75.69, 45.42]}, "properties": {"name": "Ottawa"}}]}',
        None,
        ("not a known kind",),
    ),
    "table.csv": (
        b"soc,title,zone\n21-1092.00,Probation Officers,4\n47-2111.00,Electricians,3\n",
        None,
        ("not a known kind",),
    ),
    "page.html": (
        b"<!doctype html><html><head><title>Careers</title></head><body><h1>Probation "
        b"Officer</h1><p>" + _NOT_ACTIVITIES.encode() * 30 + b"</p></body></html>",
        None,
        ("not a known kind",),
    ),
    "config.yaml": (
        b"---\nversion: 2\nservices:\n  web:\n    image: nginx\n    ports: ['80:80']\n",
        None,
        ("not a known kind",),
    ),
    # Huge.
    "one-word-line.txt": (b"a" * 1_500_000, None, ("not a known kind",)),
    "prose-line.txt": (
        (_NOT_ACTIVITIES * (1_500_000 // len(_NOT_ACTIVITIES))).encode(),
        "career-article",
        ("KB", "at most 512 KB"),
    ),
    "many-lines.txt": (
        b"Probation Officer Job Description\n\nDuties:\n" + b"- Weld\n" * 60_000,
        "job-description",
        ("60,003 lines", "at most 5,000"),
    ),
    # Deep.
    "deep.json": (
        b'{"framework": {"version": "1", "levels": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}",
        "competency-framework",
        ("nested too deeply",),
    ),
    "deep-frontmatter.md": (
        b"---\ntitle: Deep\ncode: " + b"[" * 50_000 + b"\n---\n# Deep\n",
        "onet-page",
        ("frontmatter",),
    ),
    # YAML bombs and code.
    "laughs.md": (_LAUGHS.encode(), "onet-page", ("YAML aliases are not allowed", "*a")),
    "python-object.md": (
        _onet("$type: Occupation", "$type: !!python/object/apply:os.system ['echo pwned']"),
        "onet-page",
        ("tag", "python/object/apply:os.system", "not allowed"),
    ),
    "python-name.md": (
        _onet("source: ONET", "source: !!python/name:os.system ''"),
        "onet-page",
        ("tag", "python/name:os.system", "not allowed"),
    ),
    # Structure that cannot be right.
    "noc-six-digits.txt": (
        NOC.read_bytes().replace(b"(NOC 4155)", b"(NOC 415500)", 1),
        "noc-profile",
        ("415500", "6 digits", "expected 4"),
    ),
    "levels-none.json": (
        _framework(framework__levels={}),
        "competency-framework",
        ("framework.levels", "no levels"),
    ),
    "levels-duplicate.json": (
        b'{"framework": {"version": "1", "levels": {\n'
        b'"emerging": {"statements": ["A \xe2\x80\x94 b"]},\n'
        b'"emerging": {"statements": []}}}}',
        "competency-framework",
        ("'emerging'", "appears twice"),
    ),
    "levels-duplicate-list.json": (
        _framework(framework__levels=[{"key": "a", "statements": []}, {"key": "a"}]),
        "competency-framework",
        ("duplicate level key 'a'",),
    ),
    "title-only.txt": (b"Welder Job Description\n", "job-description", ("only a title", "Welder")),
}


def _graphs(store: Store) -> set[str]:
    return {graph.value for graph in store.named_graphs()}


def _built(tmp_path: Path) -> tuple[BuildReport, Path, float]:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    for name, (data, _, _) in BAD.items():
        (corpus / name).write_bytes(data)
    started = time.perf_counter()
    report = build([corpus], store=tmp_path / "store")
    return report, corpus, time.perf_counter() - started


def test_the_corpus_holds_distinct_files() -> None:
    """Identical files would be reported as duplicates, not for what is wrong with them."""
    contents = [data for data, _, _ in BAD.values()]
    assert len({hashlib.sha256(data).digest() for data in contents}) == len(contents)


def test_each_bad_file_costs_one_clear_line_and_the_rest_builds(tmp_path: Path) -> None:
    report, corpus, seconds = _built(tmp_path)
    assert seconds < BUILD_SECONDS, f"the build took {seconds:.0f} s"
    assert len(report.errors) == len(BAD), "\n".join(report.errors)
    for name, (_, kind, words) in BAD.items():
        [line] = [error for error in report.errors if error.startswith(f"{corpus / name}:")]
        assert "\n" not in line and len(line) < 400, line
        assert (f"[{kind}]" in line) if kind else ("] " not in line), line
        for word in words:
            assert word in line, f"{word!r} not in {line!r}"
    assert sorted(report.kinds.values()) == [1, 1, 1, 1, 1]
    assert report.occupations == {"21-1092.00"}

    store = open_read_only(tmp_path / "store")
    sources = {graph for graph in _graphs(store) if graph.startswith(ids.BASE + "sources/")}
    assert len(sources) == 5
    for name, (data, _, _) in BAD.items():
        iri = ids.source(hashlib.sha256(data).hexdigest())
        assert not store.contains_named_graph(NamedNode(iri)), name
        assert not list(store.quads_for_pattern(NamedNode(iri), None, None)), name


# Runs of one piece that made a reader quadratic or worse (each took minutes at 100 KB).
LONG_RUNS = [".", "A. ", "skill ", "ability to ", "degree in ", "become ", "0,", "1.", " ", "\t"]
LONG_RUNS += ["<A ", '<A b="', "<A b={", "# a #", "a, ", " \u2014 ", "$1,", "such as a, "]
# Where each run goes: (reader, text before it, text after it).
PLACES: list[tuple[Callable[[str], object], str, str]] = [
    (onet_page.extract, "---\ntitle: X\n---\n## H\n", ""),
    (onet_page.extract, "---\ntitle: X\ndescription: ", "\n---\n"),
    (competency_framework.extract, '{"framework": {"version": "1", "levels": {"a": ["', '"]}}}'),
    (noc_profile.extract, "", " (NOC 72200)\n\nDuties\n- a"),
    (noc_profile.extract, "Electricians (NOC 72200)\n\nDuties\n", ""),
    (job_description.extract, "Job Title: Welder\n\nSkills:\n- ", ""),
    (career_article.extract, "## Duties\nThey ", "."),
    (career_article.extract, "## Skills\n", "."),
    (career_article.extract, "## Career Paths\nYou can ", "."),
    (detect_kind, "", ""),
]


@pytest.mark.parametrize("piece", LONG_RUNS)
def test_a_long_run_of_one_piece_is_read_in_bounded_time(piece: str) -> None:
    run = piece * (100_000 // len(piece))
    for read, before, after in PLACES:
        text = before + (run.replace('"', "'") if before.endswith('"') else run) + after
        started = time.perf_counter()
        with contextlib.suppress(InputError):
            read(text)
        seconds = time.perf_counter() - started
        assert seconds < 10, f"{read.__module__}.{read.__name__} took {seconds:.0f} s"
