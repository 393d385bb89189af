"""Reading files: what is refused, and how the refusal is located."""

from __future__ import annotations

from pathlib import Path

import pytest

from occugraph.build.sources import MAX_BYTES, decode, discover, hash_file
from occugraph.errors import InputError


@pytest.mark.parametrize(
    ("data", "message", "line"),
    [
        (b"", "empty file", None),
        (b" \n\t\n", "empty file", None),
        (b"line one\nline two\x00\x01", "binary file (NUL byte at offset 17)", 2),
        (b"caf\xe9\nau lait", "not UTF-8 text: byte 0xe9 at offset 3 cannot be decoded", 1),
        (b"ok\nok\n\xff", "not UTF-8 text: byte 0xff at offset 6 cannot be decoded", 3),
    ],
)
def test_refused_bytes_say_what_and_where(data: bytes, message: str, line: int | None) -> None:
    with pytest.raises(InputError) as caught:
        decode(data)
    assert caught.value.message == message
    assert caught.value.line == line


def test_a_file_over_the_limit_is_refused_without_decoding() -> None:
    with pytest.raises(InputError, match=r"file is 5\.0 MB"):
        decode(b"a" * 5_000_000)
    assert len(decode(b"a" * MAX_BYTES)) == MAX_BYTES


def test_line_ends_and_bom_are_normalised() -> None:
    assert decode(b"\xef\xbb\xbfone\r\ntwo\rthree\n") == "one\ntwo\nthree\n"


def test_discovery_is_sorted_and_skips_hidden_folders_and_files_but_documents(
    tmp_path: Path,
) -> None:
    names = ["b.txt", "a/c.txt", ".gitignore", ".DS_Store", ".git/x.txt", "a/.d.txt"]
    for name in [*names, ".40 caliber pistols.mdx", ".cache/page.mdx"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    assert [Path(p).relative_to(tmp_path).as_posix() for p in discover([tmp_path])] == [
        ".40 caliber pistols.mdx",
        "a/.d.txt",
        "a/c.txt",
        "b.txt",
    ]
    with pytest.raises(InputError, match="no such file"):
        discover([tmp_path / "missing"])


def test_the_source_iri_comes_from_the_content(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text("same")
    (tmp_path / "two.txt").write_text("same")
    _, one = hash_file(tmp_path / "one.txt")
    _, two = hash_file(tmp_path / "two.txt")
    assert one.iri == two.iri == "https://graph.org.ai/sources/0967115f2813a354"
    assert one.sha256.startswith(one.iri.rsplit("/", 1)[1])


def test_discovery_sorts_by_part_as_paths_do(tmp_path: Path) -> None:
    """A folder's files before a sibling whose name extends the folder's ("a" < "a b"),
    as pathlib orders them; comparing whole strings would not ("a b/" < "a/")."""
    for name in ["a b/x.txt", "a/x.txt", "a-b.txt", "a/b/c.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    found = discover([tmp_path])
    assert [Path(p).relative_to(tmp_path).as_posix() for p in found] == [
        "a/b/c.txt",
        "a/x.txt",
        "a b/x.txt",
        "a-b.txt",
    ]
    assert found == [str(p) for p in sorted(tmp_path.rglob("*.txt"))]
