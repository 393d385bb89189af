"""One build served from several machines: the README's "Serving replicas", run.

A build is a folder that never changes once written (``store.builds/<id>/``) and a link
(``store``) naming the current one. Copied elsewhere, link and folder, it serves alike
from every copy, and serving it writes nothing in it, so a shared read-only volume
serves as well. A new build reaches a replica when its folder and then the link are
copied over: the replica's next request is answered from it, the others go on with the
build they have until their turn.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest

from occugraph.build import build
from occugraph.store.embedded import current_build
from occugraph.testing import Server, occugraph_serve
from tests.conftest import SEEDS

PAGE = "/occupations/ProbationOfficersAndCorrectionalTreatmentSpecialists"
ADDED = "They also inspect safety procedures daily."
QUERY = "/queries/occupation-tasks.json?occupation=21-1092.00"


def publish(origin: Path, replica: Path) -> None:
    """What ``rsync -a origin/store.builds/ replica/store.builds/`` and then ``rsync -a
    origin/store replica/`` do: every build folder first, the link last, so a replica's
    link never names a folder not yet whole."""
    builds = replica / "store.builds"
    for folder in (origin / "store.builds").iterdir():  # the build folders, not the lock
        if not folder.is_dir():
            continue
        if not (builds / folder.name).exists():
            shutil.copytree(folder, builds / folder.name, symlinks=True)
    link = replica / "store.new"
    link.symlink_to(os.readlink(origin / "store"))
    link.replace(replica / "store")  # a rename: atomic, as rsync's own


def files(folder: Path) -> dict[str, tuple[int, int]]:
    """Each file under ``folder`` with its size and modification time."""
    return {
        str(path.relative_to(folder)): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in folder.rglob("*")
        if path.is_file()
    }


@pytest.fixture
def origin(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """The build machine: a corpus of its own (to change later) built into ``store``."""
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    built = tmp_path / "origin"
    build([corpus], store=built / "store")
    yield corpus, built


def test_copies_of_a_build_serve_alike_and_a_new_build_reaches_each_in_turn(
    origin: tuple[Path, Path], tmp_path: Path
) -> None:
    corpus, built = origin
    replicas = [tmp_path / "a", tmp_path / "b"]
    for replica in replicas:
        (replica / "store.builds").mkdir(parents=True)
        publish(built, replica)
    before = [files(replica) for replica in replicas]
    with (
        occugraph_serve(replicas[0] / "store", log=tmp_path / "a.log") as a,
        occugraph_serve(replicas[1] / "store", log=tmp_path / "b.log") as b,
    ):
        pages = [get(server, PAGE) for server in (a, b)]
        assert pages[0].text == pages[1].text and "Probation Officers" in pages[0].text
        assert pages[0].headers["ETag"] == pages[1].headers["ETag"]  # one build, one tag
        answers = [get(server, QUERY).json() for server in (a, b)]
        assert answers[0] == answers[1] and len(answers[0]["results"]["bindings"]) > 10
        assert ADDED not in pages[0].text

        # A new build on the build machine, published to the first replica only.
        first = current_build(built / "store")
        article = next(corpus.glob("002_*.txt"))
        article.write_text(article.read_text(encoding="utf-8") + f"\n{ADDED}\n")
        assert build([corpus], store=built / "store").written == 1
        assert current_build(built / "store") != first
        publish(built, replicas[0])
        new, old = get(a, PAGE), get(b, PAGE)
        assert new.headers["ETag"] != old.headers["ETag"] == pages[1].headers["ETag"]
        assert old.text == pages[1].text
        latest = current_build(built / "store")
        assert latest is not None and first is not None
        assert health(a)["build"] == latest.name and health(b)["build"] == first.name

        publish(built, replicas[1])
        assert get(b, PAGE).headers["ETag"] == new.headers["ETag"]
        assert health(b)["build"] == latest.name
    # Serving wrote nothing in the copies: a read-only volume would have done as well.
    after = files(replicas[1])
    assert after.items() >= before[1].items()
    assert {name.split("/")[1] for name in set(after) - set(before[1])} == {latest.name}


def get(server: Server, path: str) -> httpx2.Response:
    response = httpx2.get(server.base + path, headers={"Accept": "text/html"}, timeout=60)
    assert response.status_code == 200, response.text[:300]
    return response


def health(server: Server) -> dict[str, object]:
    answer: dict[str, object] = httpx2.get(server.base + "/health", timeout=30).json()
    return answer
