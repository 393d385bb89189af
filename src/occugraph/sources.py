"""Reading source files: find them, hash them, decode them, and refuse what is not text."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from occugraph import ids
from occugraph.errors import InputError

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


def discover(paths: Iterable[Path]) -> list[Path]:
    """Files under the given paths, in a stable order; hidden files and folders are skipped."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                child
                for child in sorted(path.rglob("*"))
                if child.is_file()
                and not any(part.startswith(".") for part in child.relative_to(path).parts)
            )
        elif path.exists():
            found.append(path)
        else:
            raise InputError("no such file or directory", path=str(path))
    return found


def hash_file(path: Path) -> tuple[bytes, Source]:
    data = path.read_bytes()
    source = Source(
        path=str(path), name=path.name, sha256=hashlib.sha256(data).hexdigest(), size=len(data)
    )
    return data, source


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
    if b"\x00" in data:
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
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
