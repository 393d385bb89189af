"""Issue 14, "File names in error lines": what the command line prints never carries a
file name's newline, bidi override or terminal escape raw, whatever path prints it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from occugraph.cli import main
from occugraph.terminal import printable
from tests.conftest import SEEDS

NAMES = {
    "newline": "two\nlines.txt",
    "override": "invoice\u202etxt.exe",  # shown raw, it reads "invoiceexe.txt"
    "title": "retitle\x1b]0;owned\x07.txt",  # ESC ] 0 ; ... BEL sets the window's title
}
RAW = ("\n", "\u202e", "\x1b", "\x07")


def shown(text: str) -> list[str]:
    """The lines of ``text`` that hold a character no printed line may hold."""
    return [line for line in text.split("\n") if any(c in line for c in RAW[1:])]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A folder of one seed and three files with hostile names (two empty, one not a
    document), and its store, built once."""
    folder = tmp_path_factory.mktemp("names")
    docs = folder / "docs"
    docs.mkdir()
    shutil.copy(next(SEEDS.glob("000_*.txt")), docs)
    (docs / NAMES["newline"]).write_text("")
    (docs / NAMES["override"]).write_text("")
    (docs / NAMES["title"]).write_bytes(b"\x00 not text")
    return docs, str(folder / "store")


def test_printable_escapes_what_moves_the_cursor_or_reorders_a_line() -> None:
    assert printable(NAMES["override"]) == "invoice\\u202etxt.exe"
    assert printable(NAMES["title"]) == "retitle\\x1b]0;owned\\x07.txt"
    assert printable("a\u2066b\u2069c\u200fd") == "a\\u2066b\\u2069c\\u200fd"
    assert printable("a\x9b31mb\u2028c\tz") == "a\\x9b31mb\\u2028c\\tz"  # C1 CSI, LS, tab
    assert printable("undecodable \udcff byte") == "undecodable \\udcff byte"
    assert printable("Maîtres d'hôtel, 看護師, ممرضة") == "Maîtres d'hôtel, 看護師, ممرضة"


def test_build_gives_each_bad_file_one_escaped_line(corpus: tuple[Path, str]) -> None:
    docs, store = corpus
    result = CliRunner(env={"COLUMNS": None}).invoke(main, ["build", str(docs), "--store", store])
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    assert len(lines) == 3, lines  # one per bad file: the newline did not split one
    assert not shown(result.stderr) and not shown(result.stdout)
    assert {line.split(": ")[0].rsplit("/", 1)[1].removesuffix(":1") for line in lines} == {
        "two\\nlines.txt",
        "invoice\\u202etxt.exe",
        "retitle\\x1b]0;owned\\x07.txt",
    }


def test_sources_shows_the_names_escaped(corpus: tuple[Path, str]) -> None:
    docs, store = corpus
    CliRunner(env={"COLUMNS": None}).invoke(main, ["build", str(docs), "--store", store])
    result = CliRunner(env={"COLUMNS": None}).invoke(main, ["sources", "--store", store])
    assert result.exit_code == 0
    assert not shown(result.stdout)
    rows = [line for line in result.stdout.splitlines() if "docs/" in line]
    assert len(rows) == 4  # one line per file: no name was wrapped or split
    assert any("invoice\\u202etxt.exe" in row for row in rows)


def test_a_strict_build_fails_on_one_escaped_line(corpus: tuple[Path, str], tmp_path: Path) -> None:
    docs, _ = corpus
    result = CliRunner(env={"COLUMNS": None}).invoke(
        main, ["build", str(docs), "--store", str(tmp_path / "store"), "--strict"]
    )
    assert result.exit_code == 1
    assert not shown(result.stderr)
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1


def test_errors_about_a_given_name_are_escaped(tmp_path: Path) -> None:
    query = tmp_path / "bad\u202equery\x1b[2J.rq"
    query.write_text("SELECT ?x WHERE { ?x ")
    store = tmp_path / "store\x1b]0;owned\x07"
    for args in (
        ["query", str(query), "--store", str(store)],
        ["describe", "nurse\x1b]0;owned\x07", "--store", str(store)],
        ["sources", "--store", str(store)],
        ["serve", "--store", str(store), "--port", "not\u202ea-port"],
    ):
        result = CliRunner(env={"COLUMNS": None}).invoke(main, args)
        assert result.exit_code in (1, 2), args
        assert not shown(result.stderr), (args, result.stderr)
        assert result.stderr.count("\n") == len(result.stderr.splitlines())
