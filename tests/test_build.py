"""Builds over changing and broken corpora: incremental, atomic, forgiving."""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from occugraph.build import build
from occugraph.build.manifest_file import read_manifest
from occugraph.build.parallel import PARALLEL_FROM
from occugraph.cli import main
from occugraph.errors import OccugraphError
from occugraph.store.embedded import current_build, open_read_only
from tests.conftest import SEEDS, select

FRAMEWORK_SEED = next(SEEDS.glob("001_*"))
ONET_SEED = next(SEEDS.glob("000_*"))


def copy_seeds(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    return corpus


def bad_files(corpus: Path) -> dict[str, str]:
    """One file of each kind of breakage, and the message its error line must contain."""
    framework = json.loads(FRAMEWORK_SEED.read_text())
    framework["occupation"]["jobZone"] = "four"
    onet = ONET_SEED.read_text()
    files = {
        "empty.txt": (b"", "empty file"),
        "binary.bin": (bytes(range(256)) * 4, "binary file"),
        "latin1.txt": ("Électricien à Montréal\n".encode("latin-1"), "not UTF-8 text"),
        "truncated.json": (FRAMEWORK_SEED.read_bytes()[:3000], "[competency-framework]"),
        "unrelated.json": (
            b'{"name": "left-pad", "version": "1.3.0", "dependencies": {}}',
            "not a known kind",
        ),
        "zone.json": (json.dumps(framework).encode(), "jobZone"),
        "unterminated.md": (onet.replace("\n---\n#", "\n#", 1).encode(), "frontmatter"),
        "bad-id.md": (onet.replace("$id: https://", "$id: not-a-url//", 1).encode(), "$id"),
        "huge.txt": (b"word " * 1_000_000, "5.0 MB"),
    }
    for name, (data, _) in files.items():
        (corpus / name).write_bytes(data)
    return {name: message for name, (_, message) in files.items()}


def test_each_bad_file_gets_one_located_line_and_the_rest_builds(tmp_path: Path) -> None:
    corpus = copy_seeds(tmp_path)
    expected = bad_files(corpus)
    report = build([corpus], store=tmp_path / "store")
    assert len(report.errors) == len(expected)
    for name, message in expected.items():
        [line] = [e for e in report.errors if e.startswith(str(corpus / name) + ":")]
        assert message in line, line
    assert sorted(report.kinds.values()) == [1, 1, 1, 1, 1]
    assert report.occupations == {"21-1092.00"}
    # The line for truncated JSON says where it stopped.
    [truncated] = [e for e in report.errors if "truncated.json" in e]
    assert truncated.split(":")[1].isdigit()


def test_strict_builds_nothing_when_a_file_is_bad(tmp_path: Path) -> None:
    corpus = copy_seeds(tmp_path)
    (corpus / "empty.txt").write_bytes(b"")
    with pytest.raises(OccugraphError, match="1 bad file"):
        build([corpus], store=tmp_path / "store", strict=True)
    assert current_build(tmp_path / "store") is None


def test_an_unchanged_corpus_is_up_to_date_and_one_change_rewrites_one_graph(
    tmp_path: Path,
) -> None:
    corpus, link = copy_seeds(tmp_path), tmp_path / "store"
    first = build([corpus], store=link)
    assert (first.written, first.up_to_date) == (5, False)
    build_dir = current_build(link)
    again = build([corpus], store=link)
    assert (again.written, again.removed, again.up_to_date) == (0, 0, True)
    assert current_build(link) == build_dir and again.triples == first.triples

    job = next(corpus.glob("004_*"))
    job.write_text(job.read_text().replace("Conduct interviews", "Hold interviews"))
    changed = build([corpus], store=link)
    assert (changed.written, changed.removed, changed.up_to_date) == (1, 1, False)
    store = open_read_only(link)
    tasks = [
        t
        for (t,) in select(
            store, "SELECT ?t WHERE { ?x rdfs:label ?t FILTER(STRSTARTS(?t, 'Hold interviews')) }"
        )
    ]
    assert tasks == ["Hold interviews with probationers to assess their progress"]
    # Identical to a full build of the same files, build times aside.
    fresh = build([corpus], store=tmp_path / "fresh")
    assert changed.triples == fresh.triples
    timeless = """SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o }
                  FILTER(?p NOT IN (prov:generatedAtTime, prov:endedAtTime)
                         && !isBlank(?s) && !isBlank(?o)) }"""
    assert sorted(select(store, timeless)) == sorted(
        select(open_read_only(tmp_path / "fresh"), timeless)
    )


def test_a_file_that_breaks_keeps_its_previous_graph(tmp_path: Path) -> None:
    corpus, link = copy_seeds(tmp_path), tmp_path / "store"
    build([corpus], store=link)
    framework = next(corpus.glob("001_*"))
    framework.write_text(framework.read_text()[:500])
    report = build([corpus], store=link)
    [error] = report.errors
    assert "kept the previous version" in error
    assert select(
        open_read_only(link), "SELECT (COUNT(?s) AS ?n) WHERE { ?s a occ:CompetencyStatement }"
    ) == [("40",)]
    framework.unlink()
    gone = build([corpus], store=link)
    assert gone.errors == [] and gone.removed == 1
    assert select(
        open_read_only(link), "SELECT (COUNT(?s) AS ?n) WHERE { ?s a occ:CompetencyStatement }"
    ) == [("0",)]


def test_cli_build_prints_a_summary_and_errors_on_stderr(tmp_path: Path) -> None:
    corpus = copy_seeds(tmp_path)
    (corpus / "empty.txt").write_bytes(b"")
    result = CliRunner().invoke(main, ["build", str(corpus), "--store", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    assert f"{corpus / 'empty.txt'}: empty file" in result.stderr
    assert (
        "files:       6 (1 career-article, 1 competency-framework, 1 job-description, "
        "1 noc-profile, 1 onet-page)" in result.stdout
    )
    assert "occupations: 1" in result.stdout and "errors:      1" in result.stdout
    manifest = read_manifest(tmp_path / "s")
    assert manifest is not None and len(manifest.entries) == 6


def test_a_stated_id_that_disagrees_with_the_title_is_reported(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    page = ONET_SEED.read_text()
    stated = page.split("$id: ")[1].split("\n")[0]
    (corpus / "page.md").write_text(page.replace(stated, stated + "Extra"))
    report = build([corpus], store=tmp_path / "store")
    assert report.errors == []
    [note] = [n for n in report.notes if "$id" in n]
    assert note.startswith(f"{corpus / 'page.md'}: [onet-page] ")
    assert "disagrees with the slug of its title" in note
    # The stated $id is kept as given, not rewritten.
    rows = select(open_read_only(tmp_path / "store"), "SELECT ?id WHERE { ?s occ:statedId ?id }")
    assert rows == [(stated + "Extra",)]


@pytest.mark.parametrize("notes", [0, PARALLEL_FROM], ids=["in-process", "worker-pool"])
def test_a_copy_is_built_once_and_each_blank_file_is_reported(tmp_path: Path, notes: int) -> None:
    """Files of one content are told apart by their hash in path order, whether the build
    hashed them itself (a manifest to compare with) or its workers did (none)."""
    corpus = copy_seeds(tmp_path)
    original = corpus / ONET_SEED.name
    copy = corpus / "zz-copy.md"
    copy.write_bytes(original.read_bytes())
    for name in ("blank-a.txt", "blank-b.txt"):
        (corpus / name).write_bytes(b" \n\n")
    (corpus / "notes").mkdir()
    for n in range(notes):  # enough files for the worker pool
        (corpus / "notes" / f"{n:02}.txt").write_text(f"Note {n}: the lift is out of order.\n")
    store = tmp_path / "store"
    first = build([corpus], store=store)
    assert first.files == len(list(SEEDS.iterdir())) + 3 + notes
    assert f"{copy}: same content as {original}; built once" in first.errors
    for name in ("blank-a.txt", "blank-b.txt"):
        [line] = [e for e in first.errors if e.startswith(f"{corpus / name}:")]
        assert "empty file" in line
    assert sum(first.kinds.values()) == 5
    os.utime(copy, ns=(0, 0))  # hashed by the build this time, the others known
    os.utime(corpus / "blank-b.txt", ns=(0, 0))
    second = build([corpus], store=store)
    assert sorted(second.errors) == sorted(first.errors)
    assert second.written == 0


def test_a_file_that_cannot_be_read_gets_one_line_until_it_can(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file the build may not read (its mode, or gone since it was listed) is one
    located line, in every build, first or not, until it can be read."""
    corpus = copy_seeds(tmp_path)
    locked = corpus / "locked.txt"
    locked.write_text("Nothing here is about an occupation.\n")
    readable = Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        if path.name == locked.name:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return readable(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    store = tmp_path / "store"
    for _ in range(2):  # no manifest yet, then a manifest that knows the file
        report = build([corpus], store=store)
        [line] = [e for e in report.errors if e.startswith(f"{locked}:")]
        assert line == f"{locked}: cannot read the file (Permission denied)"
        assert sum(report.kinds.values()) == 5
        assert report.occupations == {"21-1092.00"}
    monkeypatch.undo()
    report = build([corpus], store=store)
    [line] = [e for e in report.errors if e.startswith(f"{locked}:")]
    assert "not a known kind" in line
