"""The on-disk store: an ordinary Oxigraph store, replaced atomically by each build.

``store`` is a symbolic link to the current build's Oxigraph directory under
``store.builds/``. A build writes a copy (RocksDB checkpoint: hard links, so it
is cheap), changes the copy, and swaps the link with one rename. A build killed
at any moment leaves the link pointing at the previous, intact store, and a
reader never sees a half-written one. Oxigraph's own tools open ``store``
like any other store.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pyoxigraph import Store

from occugraph.errors import OccugraphError

DEFAULT_STORE = Path(".occugraph/store")


MANIFEST = "manifest.sqlite3"
"""What a build keeps in its folder beside the store (:mod:`occugraph.build.manifest_file`);
a write through the endpoint copies it into the build it makes."""


def store_path(path: str | os.PathLike[str] | None = None) -> Path:
    return Path(path or os.environ.get("OCCUGRAPH_STORE") or DEFAULT_STORE)


def builds_dir(link: Path) -> Path:
    return link.with_name(link.name + ".builds")


def current_build(link: Path) -> Path | None:
    """The directory of the current build, or None before the first build."""
    if link.is_symlink():
        target = link.resolve()
        return target.parent if target.is_dir() else None
    if link.exists():
        raise OccugraphError(
            f"{link} exists but was not made by occugraph build (expected a link into "
            f"{builds_dir(link)}/); remove it or choose another --store",
            path=str(link),
        )
    return None


def open_read_only(link: Path) -> Store:
    build = current_build(link)
    if build is None:
        raise OccugraphError(f"no store at {link}: run 'occugraph build' first", path=str(link))
    return Store.read_only(str(build / "oxigraph"))


class StoreBusyError(OccugraphError):
    """Another build (or server write) holds the store; try again when it is done."""


class StoreFullError(OccugraphError):
    """The disk holding the store filled up during a build; the store is unchanged."""


@contextmanager
def next_build(link: Path, *, empty: bool = False) -> Iterator[tuple[Store, Path]]:
    """A writable copy of the current store (an empty store if ``empty``); it becomes
    current only if the block succeeds.

    Whatever stops the block (an error, a full disk), the half-written copy is removed
    and the link still names the previous build.
    """
    root = builds_dir(link)
    root.mkdir(parents=True, exist_ok=True)
    with (root / ".lock").open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreBusyError(f"another build is writing {link}", path=str(link)) from None
        previous = current_build(link)
        _remove_builds(root, keep={previous})
        build = root / uuid.uuid4().hex[:12]
        store: Store | None = None
        try:
            build.mkdir()
            if previous is not None and not empty:
                Store.read_only(str(previous / "oxigraph")).backup(str(build / "oxigraph"))
            store = Store(str(build / "oxigraph"))
            yield store, build
            store.flush()
            store = None  # closed before the swap
            _swap_link(link, build)
        except BaseException as error:
            store = None
            shutil.rmtree(build, ignore_errors=True)
            if no_space(error):
                raise StoreFullError(
                    "no space left on the device for the new build; it was abandoned and "
                    "the store is unchanged (free some space and build again)",
                    path=str(link),
                ) from error
            raise
        _remove_builds(root, keep={build, previous})


def no_space(error: BaseException) -> bool:
    """Whether an error is a full disk (or quota), as Python, RocksDB or SQLite say it.

    >>> no_space(OSError(28, "No space left on device"))
    True
    >>> no_space(OSError("IO error: No space left on device: While appending to file"))
    True
    >>> no_space(RuntimeError("database or disk is full")), no_space(KeyboardInterrupt())
    (True, False)
    """
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    return isinstance(error, Exception) and any(words in str(error) for words in _FULL)


_FULL = ("No space left on device", "Disk quota exceeded", "database or disk is full")


def _swap_link(link: Path, build: Path) -> None:
    link.parent.mkdir(parents=True, exist_ok=True)
    temporary = link.with_name(f".{link.name}.{build.name}.tmp")
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(os.path.relpath(build / "oxigraph", link.parent))
    os.replace(temporary, link)


def _remove_builds(root: Path, *, keep: set[Path | None]) -> None:
    """Builds killed half-way, and those older than the previous one (a server may still
    be reading the previous one)."""
    kept = {path.resolve() for path in keep if path is not None}
    for build in root.iterdir():
        if build.is_dir() and build.resolve() not in kept:
            shutil.rmtree(build, ignore_errors=True)
