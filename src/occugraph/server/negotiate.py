"""Content negotiation: which format a request gets.

The order of precedence follows Datasette and linked-data servers: an explicit
``?format=``, then a path suffix (``.ttl``), then the ``Accept`` header with its
q-values (RFC 9110 §12.5.1, parsed by python-mimeparse). ``None`` means nothing
offered fits, which the server answers with 406.
"""

from __future__ import annotations

from collections.abc import Sequence

import mimeparse
from starlette.exceptions import HTTPException
from starlette.requests import Request

from occugraph.formats import FORMATS, Format, by_media_type, by_suffix


def page_or_json(request: Request, listed: str) -> Format:
    """HTML or JSON for a page that is also data: a ``.json`` path or ``?format=`` says
    which, else the Accept header; 406 saying how ``listed`` come otherwise."""
    path_says = "json" if request.url.path.endswith(".json") else None
    fmt = choose(
        ["html", "json"],
        explicit=path_says or request.query_params.get("format"),
        accept=request.headers.get("accept"),
    )
    if fmt is None:
        raise HTTPException(406, f"{listed} come as text/html or application/json")
    return fmt


def choose(
    offered: Sequence[str], *, explicit: str | None = None, accept: str | None = None
) -> Format | None:
    """The format to answer in, from format names ``offered`` in order of preference.

    >>> choose(["html", "turtle"], accept="text/turtle;q=0.9, text/html;q=0.5").name
    'turtle'
    >>> choose(["html", "turtle"], explicit="ttl").name
    'turtle'
    >>> choose(["turtle"], accept="image/png") is None
    True
    """
    if explicit:
        wanted = FORMATS.get(explicit) or by_suffix(explicit) or by_media_type(explicit)
        return wanted if wanted and wanted.name in offered else None
    if not accept or not accept.strip():
        return FORMATS[offered[0]]
    # mimeparse breaks ties in favour of the last candidate: list the preferred last.
    candidates: list[tuple[str, Format]] = []
    for name in reversed(offered):
        fmt = FORMATS[name]
        candidates += [(alias, fmt) for alias in fmt.aliases]
        candidates.append((fmt.media_type, fmt))
    try:
        best = mimeparse.best_match([media for media, _ in candidates], accept)
    except (ValueError, IndexError):
        return FORMATS[offered[0]]
    return next((fmt for media, fmt in candidates if media == best), None) if best else None
