"""What a build keeps for the next one: the manifest, and the records beside the store.

The manifest (``manifest.sqlite3`` in each build's directory, :mod:`manifest_file`) lists
every file with what resolution and the report need of it, about 650 bytes a file, and
a summary: the files as scanned (size and time) and the build's report, all a rebuild
that finds nothing changed reads.
The records themselves are kept in one SQLite file next to the store
(``<store>.records/records.sqlite3``), keyed by the content hash of their file
and the code that extracted them, and read only when a document's graph is
written again. SQLite writes a whole batch in one transaction, so a killed build
leaves at worst records nobody names, never a torn one.
"""

from __future__ import annotations

import errno
import hashlib
import os
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import cache, reduce
from operator import or_
from pathlib import Path
from typing import Annotated, Any, NamedTuple, TypeVar

from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from occugraph.build.kinds import kinds
from occugraph.build.link import LinkKeys, Resolution, TitleIndex
from occugraph.build.rdf.document import EXTRACTOR_VERSION
from occugraph.build.records import Record
from occugraph.build.sources import Source, hash_file
from occugraph.store.embedded import no_space

CODE = (
    "build/extract",
    "build/kinds.py",
    "build/elements.py",
    "build/records",
    "build/sources.py",
    "build/reference.py",
    "build/link.py",
    "build/rdf",
    "slugs.py",
    "ids.py",
    "vocabulary.py",
)
"""The modules that turn files into graphs: a change to them rebuilds every graph."""


class Entry(BaseModel):
    """One file of the corpus as a build left it; the manifest is a list of these."""

    source: Source
    kind: str | None = None
    error: str | None = None
    warnings: list[str] = Field(default_factory=list)
    keys: LinkKeys | None = Field(None, description="Set when the file gave a record.")
    mentions: list[tuple[str, int]] | None = Field(
        None, description="The occupations an article mentions most, as of this build's index."
    )
    resolution: Resolution | None = None
    graph_key: str | None = Field(None, description="Changes whenever the graph would.")
    triples: int | None = Field(None, description="Statements its graph held when written.")
    built_at: datetime | None = None
    kept: bool = Field(False, description="A broken file's previous version, still built.")
    mtime_ns: int | None = Field(None, description="The file's modification time when read.")

    @property
    def notes(self) -> list[str]:
        """What a build says about this file besides an error."""
        said = [f"{self.source.path}: [{self.kind}] {w}" for w in self.warnings]
        if self.resolution and self.resolution.problem:
            said.append(
                f"{self.source.path}: [{self.kind}] occupation not resolved: "
                f"{self.resolution.problem}"
            )
        return said


Frozen = TypeVar("Frozen", LinkKeys, Resolution)


class Interned:
    """One object for equal link keys, and for equal resolutions.

    The pages of one occupation mostly give equal keys and resolve alike (graph.org.ai's
    hundred of them each); both models are frozen, so their entries can share one
    object. A large corpus's entries then take half the memory. Values are told apart by
    a digest of their JSON, so unequal ones cost little to remember.
    """

    def __init__(self) -> None:
        self._seen: dict[bytes, LinkKeys | Resolution] = {}

    def __call__(self, value: Frozen) -> Frozen:
        key = hashlib.blake2b(value.model_dump_json().encode(), digest_size=16).digest()
        found = self._seen.setdefault(type(value).__name__.encode() + key, value)
        assert isinstance(found, type(value))
        return found

    def entry(self, entry: Entry) -> Entry:
        if entry.keys is not None:
            entry.keys = self(entry.keys)
        if entry.resolution is not None:
            entry.resolution = self(entry.resolution)
        return entry


class Manifest(BaseModel):
    built_at: datetime
    reference_key: str
    code_key: str = ""
    build: str = Field("", description="The build directory this manifest describes.")
    scanned_ns: int = Field(0, description="When this build started reading the files.")
    triples: int = Field(0, description="Statements in the store of that build.")
    corpus: dict[str, list[str]] = Field(
        default_factory=dict, description="Title forms the corpus taught the title index."
    )
    entries: list[Entry]


RACY_NS = 2_000_000_000
"""A file changed this close to the previous scan is read again even if it looks unchanged."""


class Outcome(BaseModel):
    """What a build's report says of the files, taken from the manifest's entries."""

    entries: int = Field(description="Entries of the manifest (a broken file's previous one too).")
    kinds: dict[str, int]
    errors: list[str]
    notes: list[str] = Field(description="Warnings and unresolved occupations, per file.")
    occupations: list[str]


def outcome(entries: list[Entry]) -> Outcome:
    good = [e for e in entries if not e.error]
    return Outcome(
        entries=len(entries),
        kinds=Counter(e.kind for e in good if e.kind),
        errors=[e.error for e in entries if e.error],
        notes=[note for entry in entries for note in entry.notes],
        occupations=sorted({e.resolution.code for e in good if e.resolution and e.resolution.code}),
    )


class Summary(Outcome):
    """What a rebuild needs to tell that nothing changed, and to report so."""

    reference_key: str
    code_key: str
    build: str
    scanned_ns: int
    triples: int
    files: list[tuple[str, int, int]] = Field(
        description="Path, size and modification time of every file the build read."
    )

    def unchanged(self, paths: list[str]) -> bool:
        """The same files as then, each with the size and time it had (none of them
        modified too close to that scan to tell by its time)."""
        return self.changed(paths, most=0) == []

    def changed(self, paths: list[str], *, most: int) -> list[str] | None:
        """The files to read again (another size or time than then, or a time too close
        to that scan to tell), if the files are the same as then and there are at most
        ``most`` of them; else None."""
        if len(paths) != len(self.files):
            return None
        limit = self.scanned_ns - RACY_NS
        changed = []
        for path, (known, size, mtime_ns) in zip(paths, self.files, strict=True):
            if path != known:
                return None
            if mtime_ns < limit:
                stat = _stat(path)
                if stat is not None and (stat.st_size, stat.st_mtime_ns) == (size, mtime_ns):
                    continue
            changed.append(path)
            if len(changed) > most:
                return None
        return changed


def summarize(manifest: Manifest) -> Summary | None:
    """The summary of a manifest, or None if a file's modification time is not known."""
    files = []
    for entry in manifest.entries:
        if not entry.kept:
            if entry.mtime_ns is None:
                return None
            files.append((entry.source.path, entry.source.size, entry.mtime_ns))
    return Summary(
        reference_key=manifest.reference_key,
        code_key=manifest.code_key,
        build=manifest.build,
        scanned_ns=manifest.scanned_ns,
        triples=manifest.triples,
        files=files,
        **outcome(manifest.entries).model_dump(),
    )


class ScannedFile(NamedTuple):
    path: str
    data: bytes | None  # None: not read (the manifest's hash holds, or it is not hashed yet)
    source: Source | None  # None: not hashed yet; the worker that extracts it reads it
    mtime_ns: int


def scan(paths: list[str], usable: Manifest | None) -> list[ScannedFile]:
    """Hash every file, except those whose size and modification time the manifest has.

    Like git's index: a file modified too close to the previous scan to tell by its
    time is read again. With no manifest to tell known contents by, no file is read
    here: each is read, hashed and extracted at once by a worker.
    """
    if usable is None:
        return [ScannedFile(path, None, None, _mtime_ns(path)) for path in paths]
    known = {e.source.path: e for e in usable.entries if not e.kept}
    limit = usable.scanned_ns - RACY_NS
    files = []
    for path in paths:
        stat, entry = _stat(path), known.get(path)
        mtime_ns = 0 if stat is None else stat.st_mtime_ns
        if (
            stat is not None
            and entry is not None
            and entry.mtime_ns == mtime_ns < limit
            and entry.source.size == stat.st_size
        ):
            files.append(ScannedFile(path, None, entry.source, mtime_ns))
            continue
        try:
            data, source = hash_file(path)
        except OSError:  # its worker tries again, and says why it cannot
            files.append(ScannedFile(path, None, None, mtime_ns))
            continue
        files.append(ScannedFile(path, data, source, mtime_ns))
    return files


def _stat(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:  # gone since it was listed: read again, which says so
        return None


def _mtime_ns(path: str) -> int:
    stat = _stat(path)
    return 0 if stat is None else stat.st_mtime_ns


def write_whole(path: Path, data: bytes, before: Callable[[], None] | None = None) -> None:
    """Write a file under a temporary name, then rename it (after calling ``before``):
    readers see all of it or none."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        if before is not None:
            before()
        os.replace(temporary, path)
    except BaseException:  # a full disk, say: leave no half-written file behind
        temporary.unlink(missing_ok=True)
        raise


@cache
def code_key() -> str:
    """A digest of the code that turns files into graphs (read once per process)."""
    digest = hashlib.sha256(EXTRACTOR_VERSION.encode())
    package = Path(__file__).parents[1]
    for name in CODE:
        path = package / name
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(file.name.encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def records_path(store: Path) -> Path:
    return store.with_name(store.name + ".records") / "records.sqlite3"


@cache
def _any_record() -> TypeAdapter[Record]:
    """Reads back a record of any kind, told apart by its ``kind``."""
    records: Any = reduce(or_, (kind.extractor.record for kind in kinds()))
    return TypeAdapter(Annotated[records, Field(discriminator="kind")])


def record_json(record: Record) -> bytes:
    return record.model_dump_json().encode()


class RecordStore:
    """Records by content hash, for one version of the code; opened on first use.

    ``reads`` counts the records and token lists read back, so a caller can tell a
    rebuild that needed none from one that did.
    """

    def __init__(self, path: Path, code: str) -> None:
        self.path, self.code = path, code
        self.reads = 0
        self._db: sqlite3.Connection | None = None
        self._pid = 0

    def _connect(self) -> sqlite3.Connection:
        if self._db is None or self._pid != os.getpid():  # never share one across a fork
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                with _full_disk_said(self.path.parent):
                    self._db = self._open()
            except sqlite3.OperationalError:  # locked, say: the file itself is fine
                raise
            except sqlite3.DatabaseError:  # not a database (any more): start an empty one
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{self.path}{suffix}").unlink(missing_ok=True)
                self._db = self._open()
            self._pid = os.getpid()
        return self._db

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        try:
            # A cache of what the files say: a lost record is extracted again, and a file
            # that is no database any more is started afresh, so nothing waits for the disk.
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = OFF")
            db.execute(
                "CREATE TABLE IF NOT EXISTS records (sha TEXT, code TEXT, record BLOB, "
                "tokens TEXT, PRIMARY KEY (sha, code))"
            )
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def close(self) -> None:
        if self._db is not None and self._pid == os.getpid():
            self._db.close()
        self._db = None

    def save(self, rows: Iterable[tuple[str, bytes, str | None]]) -> None:
        """Save (hash, record JSON, mention tokens) rows in one transaction."""
        db = self._connect()
        with _full_disk_said(self.path.parent), db:
            db.execute("BEGIN")
            db.executemany(
                "INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?)",
                ((sha, self.code, data, tokens) for sha, data, tokens in rows),
            )

    def _one(self, column: str, sha: str) -> object | None:
        if not self.path.exists():
            return None
        row = (
            self._connect()
            .execute(f"SELECT {column} FROM records WHERE sha = ? AND code = ?", (sha, self.code))
            .fetchone()
        )
        if row is None or row[0] is None:
            return None
        self.reads += 1
        found: object = row[0]
        return found

    def record(self, sha: str) -> Record | None:
        data = self._one("record", sha)
        try:
            return None if not isinstance(data, bytes) else _any_record().validate_json(data)
        except ValidationError:
            return None

    def tokens(self, sha: str) -> str | None:
        found = self._one("tokens", sha)
        return found if isinstance(found, str) else None

    def all_tokens(self, shas: set[str]) -> dict[str, str]:
        """The mention tokens of many documents, read in one query."""
        if not shas or not self.path.exists():
            return {}
        rows = self._connect().execute(
            "SELECT sha, tokens FROM records WHERE code = ? AND tokens IS NOT NULL", (self.code,)
        )
        found = {sha: tokens for sha, tokens in rows if sha in shas}
        self.reads += len(found)
        return found

    def has(self, sha: str) -> bool:
        if not self.path.exists():
            return False
        row = (
            self._connect()
            .execute("SELECT 1 FROM records WHERE sha = ? AND code = ?", (sha, self.code))
            .fetchone()
        )
        return row is not None

    def forget(self, shas: set[str]) -> None:
        if shas:
            self._tidy(
                "DELETE FROM records WHERE sha = ? AND code = ?", [(s, self.code) for s in shas]
            )

    def prune(self) -> None:
        """Drop the records other versions of the code extracted."""
        self._tidy("DELETE FROM records WHERE code != ?", [(self.code,)])

    def _tidy(self, statement: str, rows: list[tuple[str, ...]]) -> None:
        """Delete records no build needs; on a full disk they stay, harmless, for a later
        build to delete (the build that tidies is already current by then)."""
        if not self.path.exists():
            return
        try:
            db = self._connect()
            with _full_disk_said(self.path.parent), db:
                db.execute("BEGIN")
                db.executemany(statement, rows)
        except (OSError, sqlite3.OperationalError) as error:
            if not no_space(error):
                raise


FULL_BELOW = 1024 * 1024
"""Free bytes under which a failed SQLite write is put down to a full disk."""


@contextmanager
def _full_disk_said(folder: Path) -> Iterator[None]:
    """Name a full disk as such: SQLite reports one as a "disk I/O error" when its
    shared-memory file cannot grow, which callers would not take for a full disk."""
    try:
        yield
    except sqlite3.OperationalError as error:
        free = os.statvfs(folder)
        if free.f_bavail * free.f_frsize < FULL_BELOW:
            raise OSError(errno.ENOSPC, f"No space left on device: {folder}") from error
        raise


class KeptMentions:
    """Mention counts of career articles: counted for new ones, kept while they still hold.

    A kept count still holds unless a title form that the index learned or forgot
    since it was counted occurs in the article; only then is its text read back.
    Call it as resolution's ``mentions``; ``counted`` is what the next build keeps.
    """

    def __init__(
        self,
        usable: Manifest | None,
        good: list[Entry],
        tokens: dict[str, str],
        records: RecordStore,
        recover: Callable[[Source, RecordStore], tuple[object, str | None]],
    ) -> None:
        self.before = usable.corpus if usable else None
        self.cached = {
            e.source.sha256: e.mentions
            for e in good
            if e.mentions is not None and e.source.sha256 not in tokens
        }
        self.sources = {e.source.sha256: e.source for e in good}
        self.tokens, self.records, self.recover = dict(tokens), records, recover
        self.changed: list[str] | None = None
        self.counted: dict[str, list[tuple[str, int]]] = {}

    def __call__(self, key: str, index: TitleIndex) -> list[tuple[str, int]]:
        counted = self.cached.get(key)
        if counted is not None and self._changed(index):
            tokens = self._tokens(key)
            if tokens is None or any(form in f" {tokens} " for form in self.changed or []):
                counted = None
        if counted is None:
            tokens = self._tokens(key) or ""
            counted = index.count_mentions(tokens.split()).most_common(2)
        self.counted[key] = counted
        return counted

    def _changed(self, index: TitleIndex) -> bool:
        if self.before is None:
            return True
        if self.changed is None:
            self.changed = [f" {form} " for form in index.changed_forms(self.before)]
            if self.changed:  # the articles' text is needed: read it all in one go
                self.tokens = {**self.records.all_tokens(set(self.cached)), **self.tokens}
        return bool(self.changed)

    def _tokens(self, key: str) -> str | None:
        found = self.tokens.get(key) or self.records.tokens(key)
        return found or self.recover(self.sources[key], self.records)[1]
