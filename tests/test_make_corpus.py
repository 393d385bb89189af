"""benchmarks/make_corpus.py: a synthetic corpus that builds, resolves and is reproducible."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from occugraph.build import BuildReport, build
from tests.conftest import ROOT

SCRIPT = ROOT / "benchmarks" / "make_corpus.py"
KINDS = {"onet-page", "competency-framework", "noc-profile", "career-article", "job-description"}


def make_corpus(out: Path, *, occupations: int = 12, seed: int = 1) -> list[dict[str, str]]:
    command = [sys.executable, str(SCRIPT), "--occupations", str(occupations), "--seed", str(seed)]
    subprocess.run([*command, "--out", str(out)], check=True, capture_output=True)
    with (out / "index.tsv").open(newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, str]]]:
    out = tmp_path_factory.mktemp("synthetic") / "corpus"
    return out, make_corpus(out)


@pytest.fixture(scope="module")
def report(
    corpus: tuple[Path, list[dict[str, str]]], tmp_path_factory: pytest.TempPathFactory
) -> BuildReport:
    out, _ = corpus
    return build([out / "documents"], store=tmp_path_factory.mktemp("store") / "store")


def test_twelve_occupations_give_about_five_documents_each(
    corpus: tuple[Path, list[dict[str, str]]],
) -> None:
    out, index = corpus
    assert len({row["code"] for row in index}) == 12
    assert 55 <= len(index) <= 60
    assert {row["kind"] for row in index} == KINDS
    assert sorted(str(p.relative_to(out)) for p in (out / "documents").rglob("*.txt")) == sorted(
        row["file"] for row in index
    )


def test_the_corpus_says_it_is_synthetic(corpus: tuple[Path, list[dict[str, str]]]) -> None:
    out, index = corpus
    assert "synthetic" in (out / "README.md").read_text().lower()
    for row in index:
        assert "synthetic" in (out / row["file"]).read_text().lower(), row


def test_it_builds_without_errors_each_document_its_kind_and_occupation(
    corpus: tuple[Path, list[dict[str, str]]], report: BuildReport
) -> None:
    out, index = corpus
    assert report.errors == []
    expected = {str(out / row["file"]): (row["kind"], row["code"]) for row in index}
    found = {
        e.source.path: (e.kind, e.resolution.code if e.resolution else None) for e in report.entries
    }
    assert found == expected


def test_the_same_seed_gives_the_same_bytes_and_another_seed_does_not(
    corpus: tuple[Path, list[dict[str, str]]], tmp_path: Path
) -> None:
    out, _ = corpus
    again, other = tmp_path / "again", tmp_path / "other"
    make_corpus(again)
    make_corpus(other, seed=2)

    def files(folder: Path) -> dict[str, bytes]:
        return {
            str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()
        }

    assert files(again) == files(out)
    assert files(other) != files(out)
