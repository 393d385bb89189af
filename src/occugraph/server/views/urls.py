"""The URLs the server writes for its clients: where a redirect sends them, and the absolute
URLs its answers hold (the SPARQL endpoint's, a saved query's, a base IRI).

With ``--public-url`` they are all under it. Without, a redirect's ``Location`` is a path
(``/occupations/Electricians``; RFC 9110 §10.2.2 allows a relative reference), so that no
``Host`` header a proxy passes through can send a client to another host; a URL that must be
absolute (an IRI in RDF, the base of a query's relative IRIs) is the one the request used,
as before: it names the server as this client addressed it, and sends no one anywhere.
"""

from __future__ import annotations

from starlette.requests import Request

from occugraph.server.graph import served


def location(request: Request, path: str) -> str:
    """Where a redirect to the app's ``path`` (without its leading ``/``) sends a client.

    A path that would begin ``//`` (a host, to a browser) is written ``/.//``, which
    resolves to the same path on the same host.
    """
    public = served(request).settings.public_url
    if public is not None:
        return public + path
    reference = str(request.scope.get("root_path", "")) + "/" + path
    return "/." + reference if reference.startswith(("//", "/\\")) else reference


def absolute(request: Request, route: str, /, **params: str) -> str:
    """The absolute URL of ``route``: under the public URL when there is one, else as the
    request addressed the server."""
    public = served(request).settings.public_url
    if public is None:
        return str(request.url_for(route, **params))
    return public + str(request.app.url_path_for(route, **params)).lstrip("/")


def absolute_here(request: Request) -> str:
    """This request's absolute URL (its query too), as :func:`absolute` makes a route's."""
    public = served(request).settings.public_url
    if public is None:
        return str(request.url)
    query = request.url.query
    here = public + request.url.path.removeprefix(str(request.scope.get("root_path", "")))[1:]
    return here + ("?" + query if query else "")
