"""A source document's original text, at ``/sources/{hash}/text``.

The store holds what was extracted, not the files; the build's manifest names where each
file was read. The file is served when it is still there (the path as the build gave it,
from the server's folder) and still the same document (its SHA-256 is the one built).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from occugraph.build.manifest_file import files_with
from occugraph.server.graph import served

MOST_BYTES = 16 * 1024 * 1024


def _read(path: str, sha256: str) -> bytes | None:
    file = Path(path)
    try:
        if not file.is_file() or file.stat().st_size > MOST_BYTES:
            return None
        data = file.read_bytes()
    except OSError:
        return None
    return data if hashlib.sha256(data).hexdigest() == sha256 else None


async def source_text(request: Request) -> Response:
    key = request.path_params["hash"]
    graph = served(request)
    if graph.remote is not None or graph.build_id is None or graph.build is None:
        raise HTTPException(404, "this server reads a remote store: it has no source files")
    if len(key) != 16 or any(c not in "0123456789abcdef" for c in key):
        raise HTTPException(404, f"/sources/{key} is not a source document")
    found = await run_in_threadpool(files_with, graph.build, key)
    if not found:
        raise HTTPException(404, f"the build read no document /sources/{key}")
    path, sha256 = found[0]
    data = await run_in_threadpool(_read, path, sha256)
    if data is None:
        raise HTTPException(
            404, f"the original of /sources/{key} is no longer at {path} as the build read it"
        )
    return Response(data, media_type="text/plain; charset=utf-8")
