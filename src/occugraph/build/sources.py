"""Reading source files: find them, hash them, decode them, and refuse what is not text."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from occugraph import ids
from occugraph.errors import InputError

# UTF-32 first: its little-endian mark starts with UTF-16's.
_BYTE_ORDER_MARKS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
MAX_BYTES = 2 * 1024 * 1024
"""Larger files are refused: no source document of any kind comes near this size."""


class Source(BaseModel):
    """A file as the build saw it. Its IRI, and its named graph's, comes from its content."""

    model_config = ConfigDict(frozen=True)

    path: str
    name: str
    sha256: str
    size: int

    @property
    def iri(self) -> str:
        return ids.source(self.sha256)


DOCUMENT_SUFFIXES = frozenset({".md", ".mdx", ".markdown", ".txt", ".json", ".html", ".htm"})
"""A hidden file with one of these names is a document all the same (graph.org.ai has a tool
page named ``.40 caliber pistols.mdx``); other hidden files (``.gitignore``, ``.DS_Store``)
are not read."""


def discover(paths: Iterable[Path]) -> list[str]:
    """Files under the given paths, in a stable order (by part, as paths sort); hidden
    folders and hidden files other than documents are skipped. Strings, not Paths: a
    hundred thousand Paths take a second."""
    found: list[str] = []
    for path in paths:
        if path.is_dir():
            found.extend(_files_under(str(path)))
        elif path.exists():
            found.append(str(path))
        else:
            raise InputError("no such file or directory", path=str(path))
    return found


def _files_under(folder: str) -> Iterator[str]:
    """Regular files (or links to them) below ``folder``, each folder's entries by name and
    a sub-folder's files where its name sorts (which is how paths sort); links to folders
    left out. ``os.scandir`` tells a file from a folder without a ``stat`` per entry,
    which a corpus of a hundred thousand files notices."""
    with os.scandir(folder) as listing:
        entries = sorted(listing, key=_name)
    for entry in entries:
        hidden = entry.name.startswith(".")
        if entry.is_dir(follow_symlinks=False):
            if not hidden:
                yield from _files_under(entry.path)
        elif entry.is_file() and (not hidden or _suffix(entry.name) in DOCUMENT_SUFFIXES):
            yield entry.path


def _suffix(name: str) -> str:
    """What the name ends with from its last dot, lower-cased; a name such as ``.mdx``
    (all suffix) counts.

    >>> _suffix(".40 caliber pistols.MDX"), _suffix(".mdx"), _suffix(".gitignore")
    ('.mdx', '.mdx', '.gitignore')
    """
    return "." + name.rsplit(".", 1)[1].lower()


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name


def hash_file(path: str | Path) -> tuple[bytes, Source]:
    data = Path(path).read_bytes()
    return data, source_of(path, data)


def source_of(path: str | Path, data: bytes) -> Source:
    path = Path(path)
    return Source(
        path=str(path), name=path.name, sha256=hashlib.sha256(data).hexdigest(), size=len(data)
    )


def decode(data: bytes) -> str:
    """The text of a source file, with one line end (LF) and no byte-order mark.

    >>> decode(b"\\xef\\xbb\\xbfa\\r\\nb")
    'a\\nb'
    """
    if len(data) > MAX_BYTES:
        raise InputError(
            f"file is {len(data) / 1e6:.1f} MB; source documents over "
            f"{MAX_BYTES / 1e6:.1f} MB are not read"
        )
    if not data.strip():
        raise InputError("empty file")
    for mark, encoding in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            raise InputError(
                f"{encoding} text (it starts with a {encoding} byte-order mark); "
                "source documents must be UTF-8"
            )
    if b"\x00" in data:
        wide = _wide_encoding(data)
        if wide:
            raise InputError(
                f"{wide} text without a byte-order mark (every other byte is NUL); "
                "source documents must be UTF-8"
            )
        offset = data.index(b"\x00")
        raise InputError(
            f"binary file (NUL byte at offset {offset})", line=data.count(b"\n", 0, offset) + 1
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InputError(
            f"not UTF-8 text: byte 0x{data[error.start]:02x} at offset "
            f"{error.start} cannot be decoded",
            line=line,
        ) from None
    text = text.removeprefix("\ufeff")
    if not text.strip():  # a byte-order mark, or Unicode spaces, and nothing else
        raise InputError("empty file")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _wide_encoding(data: bytes) -> str | None:
    """'UTF-16LE' or 'UTF-16BE' when NULs fill one byte of each pair, as in UTF-16 Latin text.

    >>> _wide_encoding("Job title".encode("utf-16-le")), _wide_encoding(b"PK\\x03\\x04\\x00")
    ('UTF-16LE', None)
    """
    sample = data[:4096]
    pairs = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if pairs < 4:
        return None
    if odd >= 0.3 * pairs and even <= 0.02 * pairs:
        return "UTF-16LE"
    if even >= 0.3 * pairs and odd <= 0.02 * pairs:
        return "UTF-16BE"
    return None
