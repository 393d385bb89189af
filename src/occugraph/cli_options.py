"""The command line's options: where the store is, and the server's settings, each
defined once and shared by the commands that take it."""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError

from occugraph.settings import Settings
from occugraph.store.embedded import store_path
from occugraph.store.remote import LAYOUTS, RemoteStore, is_url
from occugraph.terminal import printable


def _local_store(context: click.Context, parameter: click.Parameter, value: str | None) -> Path:
    """The embedded store's link; a store URL (given or in $OCCUGRAPH_STORE) is refused
    with a line saying which commands take one."""
    named = value or os.environ.get("OCCUGRAPH_STORE")
    if named is not None and is_url(named):
        raise click.BadParameter(
            f"{printable(named)} is a store URL; 'occugraph {context.info_name}' reads an "
            "embedded store (a PATH): only build and serve take a URL",
            param_hint="--store" if value else "$OCCUGRAPH_STORE",
        )
    return store_path(value)


store_option = click.option(
    "--store",
    "store_dir",
    default=None,
    metavar="PATH",
    callback=_local_store,
    help="The embedded store (default ./.occugraph/store or $OCCUGRAPH_STORE).",
)
store_or_url_option = click.option(
    "--store",
    "store",
    default=None,
    metavar="PATH|URL",
    help="The embedded store (default ./.occugraph/store or $OCCUGRAPH_STORE), or the URL "
    "of a SPARQL 1.1 store (http:// or https://; see --store-layout).",
)
layout_option = click.option(
    "--store-layout",
    type=click.Choice(list(LAYOUTS)),
    default="oxigraph",
    show_default=True,
    help="Where a store URL's endpoints are: oxigraph: URL/query, URL/update, URL/store; "
    "virtuoso: URL/sparql, and writes (with credentials) at URL/sparql-auth and "
    "URL/sparql-graph-crud-auth.",
)


def _setting_option(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A click option for one field of :class:`~occugraph.settings.Settings`: its type,
    bounds, default and help all come from the field."""
    field = Settings.model_fields[name]
    bounds = {type(rule).__name__: rule for rule in field.metadata}
    low = getattr(bounds.get("Ge"), "ge", None)
    high = getattr(bounds.get("Le"), "le", None)
    kind: click.ParamType[Any] | None = None
    if field.annotation is int:
        kind = click.IntRange(low, high)
    elif field.annotation is float:
        kind = click.FloatRange(low, high)
    many = field.annotation == tuple[Path, ...]
    if many:
        kind = click.Path(exists=True, file_okay=False, path_type=Path)
    return click.option(
        f"--{name.replace('_', '-')}",
        name,
        type=kind,
        default=None if many else field.default,
        multiple=many,
        show_default=not many and name not in Settings.SECRET,
        envvar=Settings.ENVIRONMENT.get(name),
        metavar="DIR" if many else None,
        help=field.description,
        callback=_checked(name),
    )


def _checked(name: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    """A setting's value as :class:`Settings` takes it (a URL ends in /), or a usage error
    that says why not."""

    def check(context: click.Context, parameter: click.Parameter, value: Any) -> Any:
        if value is None or value == ():
            return value
        try:
            return getattr(Settings(**{name: value}), name)
        except ValidationError as error:
            reason = str(error.errors()[0]["msg"]).removeprefix("Value error, ")
            raise click.BadParameter(reason) from None

    return check


def settings_options(*names: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Options for the named settings, in the order given."""

    def add(command: Callable[..., Any]) -> Callable[..., Any]:
        for name in reversed(names):
            command = _setting_option(name)(command)
        return command

    return add


def open_store(store: str | None, layout: str, *, timeout: float = 60.0) -> Path | RemoteStore:
    """The embedded store's link, or the remote store a URL names."""
    opened = opener(store, layout, timeout=timeout)
    return opened if isinstance(opened, Path) else opened()


def opener(store: str | None, layout: str, *, timeout: float) -> Path | Callable[[], RemoteStore]:
    """The embedded store's link, or how to open the remote store a URL names (each
    server process opens its own)."""
    named = store or os.environ.get("OCCUGRAPH_STORE")
    if named is not None and is_url(named):
        return partial(RemoteStore, named, layout=layout, timeout=timeout)
    return store_path(store)
