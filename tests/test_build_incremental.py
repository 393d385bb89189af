"""Incremental builds of a generated corpus give exactly what a full build gives.

Each test changes, adds or removes documents, rebuilds the existing store, and
compares every statement with a full build of the same files into a new store
(build times and blank-node labels aside).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from pyoxigraph import RdfFormat

from occugraph.build import BuildReport, build, manifest_file, pipeline, targets
from occugraph.build.manifest import Manifest
from occugraph.build.manifest_file import patch_manifest, read_summary
from occugraph.build.sources import discover
from occugraph.build.targets import LocalTarget
from occugraph.store import embedded
from occugraph.store.embedded import open_read_only
from tests.conftest import ROOT

TIMES = ("http://www.w3.org/ns/prov#generatedAtTime", "http://www.w3.org/ns/prov#endedAtTime")
WRANGLER = "Chief Gizmo Wranglers"  # a job title no O*NET occupation has


def statements(store: Path) -> Counter[str]:
    return normalised((open_read_only(store).dump(format=RdfFormat.N_QUADS) or b"").decode())


def normalised(nquads: str) -> Counter[str]:
    """N-Quads lines, build times and blank-node labels aside."""
    return Counter(
        re.sub(r"_:\w+", "_:", line)
        for line in nquads.splitlines()
        if not any(time in line for time in TIMES)
    )


def same_as_full_build(corpus: Path, store: Path, tmp_path: Path, rebuilt: BuildReport) -> None:
    """The store holds what a full build of the same files gives, and says how much."""
    fresh = tmp_path / f"fresh-{uuid.uuid4().hex[:8]}" / "store"
    report = build([corpus], store=fresh)
    assert statements(store) == statements(fresh)
    assert rebuilt.triples == report.triples == len(open_read_only(store))
    assert [(e.source.path, e.resolution) for e in rebuilt.entries] == [
        (e.source.path, e.resolution) for e in report.entries
    ]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("generated") / "corpus"
    command = [sys.executable, str(ROOT / "benchmarks" / "make_corpus.py")]
    command += ["--occupations", "8", "--seed", "3", "--out", str(out)]
    subprocess.run(command, check=True, capture_output=True)
    return out


@pytest.fixture
def corpus(generated: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(generated, folder)
    return folder / "documents"


def kind_of(corpus: Path, kind: str) -> list[Path]:
    """The generated documents of one kind, from the corpus's index."""
    rows = [line.split("\t") for line in (corpus.parent / "index.tsv").read_text().splitlines()]
    return [corpus.parent / file for file, found, _ in rows[1:] if found == kind]


def test_one_changed_added_and_removed_document_each_give_a_full_builds_result(
    corpus: Path, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    first = build([corpus], store=store)
    assert first.errors == [] and first.written == len(first.entries)

    article = kind_of(corpus, "career-article")[0]
    article.write_text(article.read_text() + "\nThey also inspect safety procedures daily.\n")
    changed = build([corpus], store=store)
    assert (changed.written, changed.removed) == (1, 1)
    same_as_full_build(corpus, store, tmp_path, changed)

    posting = kind_of(corpus, "job-description")[0]
    added = posting.with_name("999_added.txt")
    added.write_text(posting.read_text().replace("Paid overtime", "Paid holidays") + "\n")
    grown = build([corpus], store=store)
    assert (grown.written, grown.removed) == (1, 0)
    same_as_full_build(corpus, store, tmp_path, grown)

    kind_of(corpus, "noc-profile")[0].unlink()
    shrunk = build([corpus], store=store)
    assert shrunk.removed >= 1
    same_as_full_build(corpus, store, tmp_path, shrunk)


def test_a_title_a_new_profile_teaches_resolves_an_article_and_is_forgotten_with_it(
    corpus: Path, tmp_path: Path
) -> None:
    """An article resolved by mentions depends on every NOC profile's job titles."""
    (corpus / "wranglers.txt").write_text(
        f"{WRANGLER} keep gizmos in line. " * 3
        + "They work long hours in busy workshops and talk to customers every day. " * 20
        + "\n"
    )
    store = tmp_path / "store"
    before = build([corpus], store=store)
    [article] = [e for e in before.entries if e.source.name == "wranglers.txt"]
    assert article.resolution is not None and article.resolution.code is None

    profile = kind_of(corpus, "noc-profile")[0]
    teacher = corpus / "teaches-wranglers.txt"
    text = profile.read_text()
    bullet = re.search(r"^(\s*\S+ )", text.split("Common job titles")[1].strip("\n"), re.M)
    assert bullet is not None
    teacher.write_text(
        text.replace("Common job titles\n", f"Common job titles\n\n{bullet.group(1)}{WRANGLER}\n")
        .replace("ABOUT THIS JOB\n", f"ABOUT THIS JOB\n\n{bullet.group(1)}{WRANGLER}\n")
        .replace("## Common job titles\n", f"## Common job titles\n\n{bullet.group(1)}{WRANGLER}\n")
    )
    taught = build([corpus], store=store)
    [profile_entry] = [e for e in taught.entries if e.source.name == teacher.name]
    [article] = [e for e in taught.entries if e.source.name == "wranglers.txt"]
    assert profile_entry.resolution is not None and profile_entry.resolution.code
    assert article.resolution is not None
    assert (article.resolution.code, article.resolution.method) == (
        profile_entry.resolution.code,
        "mentions",
    )
    same_as_full_build(corpus, store, tmp_path, taught)

    teacher.unlink()
    forgot = build([corpus], store=store)
    [article] = [e for e in forgot.entries if e.source.name == "wranglers.txt"]
    assert article.resolution is not None and article.resolution.code is None
    same_as_full_build(corpus, store, tmp_path, forgot)


def test_a_rebuild_with_nothing_changed_reads_no_record(corpus: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    first = build([corpus], store=store)
    records = store.with_name(store.name + ".records")
    assert records.is_dir()
    # Take the record store away: a rebuild with nothing changed must not need it.
    shutil.rmtree(records)
    again = build([corpus], store=store)
    assert again.up_to_date and again.records_read == 0
    assert again.triples == first.triples
    assert not records.exists()
    assert [e.resolution for e in again.entries] == [e.resolution for e in first.entries]


def test_a_change_reads_back_only_what_it_needs_and_lost_records_are_rebuilt(
    corpus: Path, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    build([corpus], store=store)
    posting = kind_of(corpus, "job-description")[0]
    posting.write_text(posting.read_text() + "\n* Paid parental leave\n")
    changed = build([corpus], store=store)
    assert changed.written == 1 and changed.records_read == 0

    # Without the record store, a change to the index makes articles be read again
    # from their files: the result is still a full build's.
    shutil.rmtree(store.with_name(store.name + ".records"))
    kind_of(corpus, "noc-profile")[0].unlink()
    same_as_full_build(corpus, store, tmp_path, build([corpus], store=store))


def test_a_damaged_record_store_is_started_again(corpus: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    build([corpus], store=store)
    records = store.with_name(store.name + ".records")
    for path in records.iterdir():
        path.write_bytes(b"this is not a database")
    article = kind_of(corpus, "career-article")[0]
    article.write_text(article.read_text() + "\nThey also keep the workshop tidy.\n")
    same_as_full_build(corpus, store, tmp_path, build([corpus], store=store))


def at_rest(corpus: Path, seconds_ago: int = 3600) -> int:
    """Date every file an hour back, as a corpus at rest is (a file written within two
    seconds of a build's scan is read again by the next build, whatever its time says)."""
    then = time.time_ns() - seconds_ago * 10**9
    for path in corpus.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(then, then))
    return then


def test_a_rebuild_with_nothing_changed_reads_the_summary_not_the_manifest(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hour_ago = at_rest(corpus)
    (corpus / "empty.txt").write_text("")  # an error and a note must survive the summary too
    os.utime(corpus / "empty.txt", ns=(hour_ago, hour_ago))
    store = tmp_path / "store"
    first = build([corpus], store=store)
    manifests_read: list[Path] = []

    def read_manifest(link: Path) -> Manifest | None:
        manifests_read.append(link)
        return manifest_file.read_manifest(link)

    monkeypatch.setattr(targets, "read_manifest", read_manifest)

    again = build([corpus], store=store)
    assert again.up_to_date and manifests_read == []
    assert (again.files, again.kinds, again.errors, again.occupations, again.triples) == (
        first.files,
        first.kinds,
        first.errors,
        first.occupations,
        first.triples,
    )
    assert again.errors == [f"{corpus / 'empty.txt'}: empty file"]
    assert again.notes == [n for n in first.notes if not n.startswith("data/crosswalk")]
    # The entries are there for whoever asks, read from the manifest then.
    assert [e.resolution for e in again.entries] == [e.resolution for e in first.entries]
    assert manifests_read == [store]

    # A touched file (same content, new time) is hashed again, found unchanged, and its
    # time kept, from its own entry alone: the build after that reads the summary only.
    posting = kind_of(corpus, "job-description")[0]
    os.utime(posting, ns=(hour_ago + 10**9, hour_ago + 10**9))
    touched = build([corpus], store=store)
    assert touched.up_to_date and len(manifests_read) == 1
    assert build([corpus], store=store).up_to_date and len(manifests_read) == 1

    # A changed file is not missed: the summary's size and time no longer match. What it
    # gives resolution is as before (a benefit added), so its entry alone is read.
    posting.write_text(posting.read_text() + "\n* Paid parental leave\n")
    os.utime(posting, ns=(hour_ago + 2 * 10**9, hour_ago + 2 * 10**9))
    changed = build([corpus], store=store)
    assert (changed.written, changed.removed, len(manifests_read)) == (1, 1, 1)
    assert build([corpus], store=store).up_to_date and len(manifests_read) == 1
    same_as_full_build(corpus, store, tmp_path, changed)  # reads both manifests

    # A page that states its O*NET code resolves by it whatever its text says: a new
    # description is written from the page's own entry too.
    page = kind_of(corpus, "onet-page")[0]
    text = page.read_text()
    description = next(line for line in text.splitlines() if line.startswith("Conduct"))
    page.write_text(text.replace(description, "Investigate breaches of computer systems.", 1))
    os.utime(page, ns=(hour_ago + 2 * 10**9, hour_ago + 2 * 10**9))
    read = len(manifests_read)
    described = build([corpus], store=store)
    assert (described.written, len(manifests_read)) == (1, read)
    same_as_full_build(corpus, store, tmp_path, described)

    # A new title may change what other documents resolve to: the whole manifest is read.
    text = posting.read_text()
    title = next(line for line in text.splitlines() if line.strip())
    posting.write_text(text.replace(title, "Job title: Chief Gizmo Wrangler", 1))
    os.utime(posting, ns=(hour_ago + 3 * 10**9, hour_ago + 3 * 10**9))
    read = len(manifests_read)
    retitled = build([corpus], store=store)
    assert retitled.written >= 1 and manifests_read[read:] == [store]
    same_as_full_build(corpus, store, tmp_path, retitled)


def test_a_summary_of_another_build_or_of_a_recent_scan_is_not_trusted(
    corpus: Path, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    at_rest(corpus, seconds_ago=0)
    build([corpus], store=store)  # the files were just written: too recent to trust
    summary = read_summary(store.resolve().parent)
    assert summary is not None and not summary.unchanged(discover([corpus]))

    at_rest(corpus)
    build([corpus], store=store)  # every time changed: hashed again, kept
    summary = read_summary(store.resolve().parent)
    assert summary is not None and summary.unchanged(discover([corpus]))
    # A summary left from an older build (copied over by hand, say) names that build.
    assert summary.build == store.resolve().parent.name
    build_dir = store.resolve().parent
    patch_manifest(build_dir, build_dir, [], build="0123456789ab")
    assert LocalTarget(store).summary() is None
    assert build([corpus], store=store).up_to_date


def test_new_code_writes_every_graph_again_into_an_empty_store(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When no graph of the previous build survives, the new build does not copy the old
    store only to remove every graph from it one by one."""
    store = tmp_path / "store"
    first = build([corpus], store=store)
    started_empty: list[bool] = []

    def next_build(link: Path, *, empty: bool = False) -> Any:
        if link == store:
            started_empty.append(empty)
        return embedded.next_build(link, empty=empty)

    monkeypatch.setattr(targets, "next_build", next_build)
    monkeypatch.setattr(pipeline, "code_key", lambda: "a new version of the code")
    rebuilt = build([corpus], store=store)
    assert started_empty == [True]
    assert (rebuilt.written, rebuilt.removed) == (first.written, first.written)
    same_as_full_build(corpus, store, tmp_path, rebuilt)

    # One file changed under the new code: a copy of that store, one graph replaced.
    posting = kind_of(corpus, "job-description")[0]
    posting.write_text(posting.read_text() + "\n* Paid parental leave\n")
    changed = build([corpus], store=store)
    assert started_empty == [True, False] and (changed.written, changed.removed) == (1, 1)
    same_as_full_build(corpus, store, tmp_path, changed)


def test_a_build_of_many_bulk_loads_compacts_the_store(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each bulk load leaves files of its own, and every lookup reads them all; a build that
    made many compacts the store before it becomes current (loads of 32 KB here, so that a
    small corpus makes many)."""
    monkeypatch.setattr(targets, "LOAD_BYTES", 64 * 1024)
    files = {}
    for compact_after in (10**9, 1):
        monkeypatch.setattr(targets, "COMPACT_AFTER", compact_after)
        store = tmp_path / str(compact_after) / "store"
        report = build([corpus], store=store)
        files[compact_after] = len(list(store.resolve().glob("*.sst")))
        assert report.triples == len(open_read_only(store))
    assert files[1] < files[10**9]
    assert statements(tmp_path / "1" / "store") == statements(tmp_path / str(10**9) / "store")
