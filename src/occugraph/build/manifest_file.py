"""The manifest on disk: one SQLite file a build, a row a file of the corpus.

A rebuild that finds nothing changed reads three columns of each row (path, size,
modification time) and the report, never the entries themselves; one that finds a few
pages changed reads their rows alone, and writes a copy of the file with those rows
replaced. Every write goes to a file under a temporary name that is then renamed into
place: a reader sees the whole manifest or the one before, never half of either.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from pydantic import ValidationError

from occugraph.build.manifest import Entry, Interned, Manifest, Summary, summarize
from occugraph.store.embedded import MANIFEST, current_build

_SCHEMA = (
    "CREATE TABLE head (manifest TEXT NOT NULL, summary TEXT)",
    "CREATE TABLE entries (path TEXT NOT NULL, sha TEXT NOT NULL, size INTEGER NOT NULL, "
    "mtime_ns INTEGER, kept INTEGER NOT NULL, entry TEXT NOT NULL)",
)
_INDEXES = (
    "CREATE INDEX entries_by_path ON entries (path)",
    "CREATE INDEX entries_by_sha ON entries (sha)",
)


def _row(entry: Entry) -> tuple[str, str, int, int | None, int, str]:
    source = entry.source
    data = entry.model_dump_json(exclude_defaults=True)
    return source.path, source.sha256, source.size, entry.mtime_ns, int(entry.kept), data


def _summary_head(summary: Summary | None) -> str | None:
    return None if summary is None else summary.model_dump_json(exclude={"files"})


@contextmanager
def _written(path: Path, *, copy_of: Path | None = None) -> Iterator[sqlite3.Connection]:
    """A database (a copy of ``copy_of``, or a new one) written under a temporary name and
    renamed to ``path`` when the block ends well; removed when it does not (a full disk)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        if copy_of is not None:
            shutil.copyfile(copy_of, temporary)
        with closing(sqlite3.connect(temporary, isolation_level=None)) as db:
            db.execute("PRAGMA journal_mode = OFF")  # a temporary file: renamed whole or lost
            db.execute("PRAGMA synchronous = OFF")
            db.execute("BEGIN")
            yield db
            db.execute("COMMIT")
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_manifest(folder: Path, manifest: Manifest) -> None:
    """Write the whole manifest into ``folder``, taking the place of the one there."""
    head = manifest.model_dump_json(exclude={"entries"}, exclude_defaults=True)
    with _written(folder / MANIFEST) as db:
        for statement in _SCHEMA:
            db.execute(statement)
        db.execute("INSERT INTO head VALUES (?, ?)", (head, _summary_head(summarize(manifest))))
        db.executemany("INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?)", map(_row, manifest.entries))
        for statement in _INDEXES:
            db.execute(statement)


def patch_manifest(source: Path, folder: Path, entries: list[Entry], **head: object) -> None:
    """Copy the manifest in ``source`` into ``folder`` (the same folder: in place) with
    the rows of ``entries`` (files read again, by path) replaced and the fields ``head``
    of the manifest and its summary set. The report stays as it was: the caller makes
    sure these files say what they said before."""
    with _written(folder / MANIFEST, copy_of=source / MANIFEST) as db:
        db.executemany(
            "UPDATE entries SET sha = ?, size = ?, mtime_ns = ?, entry = ? "
            "WHERE path = ? AND kept = 0",
            [
                (sha, size, mtime_ns, data, path)
                for path, sha, size, mtime_ns, _, data in map(_row, entries)
            ],
        )
        manifest, summary = db.execute("SELECT manifest, summary FROM head").fetchone()
        changed = json.dumps({**json.loads(manifest), **head})
        if summary is not None:
            summary = json.dumps({**json.loads(summary), **head})
        db.execute("UPDATE head SET manifest = ?, summary = ?", (changed, summary))


@contextmanager
def _reading(folder: Path) -> Iterator[sqlite3.Connection | None]:
    path = folder / MANIFEST
    if not path.exists():
        yield None
        return
    try:
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as db:
            yield db
    except sqlite3.DatabaseError:  # not a manifest (any more): as good as none
        yield None


def read_manifest_in(folder: Path) -> Manifest | None:
    with _reading(folder) as db:
        if db is None:
            return None
        try:
            (head,) = db.execute("SELECT manifest FROM head").fetchone()
            interned = Interned()
            rows = db.execute("SELECT entry FROM entries ORDER BY rowid")
            entries = [interned.entry(Entry.model_validate_json(row)) for (row,) in rows]
            return Manifest.model_validate({**json.loads(head), "entries": entries})
        except (sqlite3.DatabaseError, ValidationError, TypeError):
            return None  # written by an older occugraph: everything is built again


def read_summary(folder: Path) -> Summary | None:
    with _reading(folder) as db:
        if db is None:
            return None
        try:
            row = db.execute("SELECT summary FROM head").fetchone()
            if row is None or row[0] is None:
                return None
            files = db.execute(
                "SELECT path, size, mtime_ns FROM entries WHERE kept = 0 ORDER BY rowid"
            ).fetchall()
            return Summary.model_validate({**json.loads(row[0]), "files": files})
        except (sqlite3.DatabaseError, ValidationError):
            return None


def read_entries(folder: Path, paths: Iterable[str]) -> dict[str, list[Entry]]:
    """The entries of these files (a broken file's previous version too), by path."""
    found: dict[str, list[Entry]] = {}
    with _reading(folder) as db:
        if db is None:
            return found
        for path in paths:
            rows = db.execute("SELECT entry FROM entries WHERE path = ? ORDER BY rowid", (path,))
            found[path] = [Entry.model_validate_json(row) for (row,) in rows]
    return found


def files_with(folder: Path, prefix: str) -> list[tuple[str, str]]:
    """Path and SHA-256 of the files of the manifest whose content hash starts with
    ``prefix`` (a whole hash: the files with that content; a duplicate's entry too)."""
    with _reading(folder) as db:
        if db is None:
            return []
        rows = db.execute(
            "SELECT path, sha FROM entries WHERE sha >= ? AND sha < ? ORDER BY rowid",
            (prefix, prefix + "~"),
        )
        return [(path, sha) for path, sha in rows]


def read_manifest(store: Path) -> Manifest | None:
    """The manifest of the current build of the embedded store at ``store``."""
    build = current_build(store)
    return None if build is None else read_manifest_in(build)
