"""The ``occugraph`` command line: thin click wrappers over build, query and describe."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from occugraph.build import BuildReport, build, parallel
from occugraph.build.manifest import read_manifest
from occugraph.build.targets import RemoteTarget
from occugraph.errors import OccugraphError
from occugraph.formats import DESCRIPTIONS, EXPORTS
from occugraph.query.describe import describe
from occugraph.query.export import export_store
from occugraph.query.results import ALL_FORMATS, render
from occugraph.query.saved import find, saved_queries
from occugraph.query.serialize import serialize_triples
from occugraph.settings import Settings
from occugraph.store.embedded import open_read_only, store_path
from occugraph.store.remote import LAYOUTS, RemoteStore, is_url

PROGRESS_FROM = 20
"""Show a progress bar when at least this many files are read."""

store_option = click.option(
    "--store",
    "store_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Store location (default ./.occugraph/store or $OCCUGRAPH_STORE).",
)
store_or_url_option = click.option(
    "--store",
    "store",
    default=None,
    metavar="DIR|URL",
    help="Store location (default ./.occugraph/store or $OCCUGRAPH_STORE), or the URL of "
    "a SPARQL 1.1 store (http:// or https://; see --store-layout).",
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


def _store(store: str | None, layout: str, *, timeout: float = 60.0) -> Path | RemoteStore:
    """The embedded store's link, or the remote store a URL names."""
    opened = _opener(store, layout, timeout=timeout)
    return opened if isinstance(opened, Path) else opened()


def _opener(store: str | None, layout: str, *, timeout: float) -> Path | Callable[[], RemoteStore]:
    """The embedded store's link, or how to open the remote store a URL names (each
    server process opens its own)."""
    named = store or os.environ.get("OCCUGRAPH_STORE")
    if named is not None and is_url(named):
        return partial(RemoteStore, named, layout=layout, timeout=timeout)
    return store_path(store)


class _Commands(click.Group):
    """Every command's errors that a user can act on become one line on stderr and exit 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OccugraphError as error:
            raise click.ClickException(str(error)) from None


@click.group(cls=_Commands)
@click.version_option(package_name="occugraph")
def main() -> None:
    """Build and query a knowledge graph of occupations, tasks and skills."""


@main.command("build")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@store_or_url_option
@layout_option
@click.option("--strict", is_flag=True, help="Fail the whole build if any file is bad.")
@click.option(
    "--executor",
    metavar="dask://HOST:PORT",
    default=None,
    help="Extract and map on this Dask distributed scheduler (occugraph[dask]) instead of "
    "local processes; its workers must reach the files and .occugraph/ by the same paths.",
)
def build_command(
    paths: tuple[Path, ...],
    store: str | None,
    store_layout: str,
    strict: bool,
    executor: str | None,
) -> None:
    """Build the graph from source documents (default: seeds/), into the embedded store
    or a SPARQL 1.1 store at a URL."""
    err = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]} docs/s"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(phase: str, done: int, total: int) -> None:
            if total < PROGRESS_FROM:
                return
            if phase not in tasks:
                tasks[phase] = bar.add_task(phase, total=total, rate="-")
            elapsed = bar.tasks[tasks[phase]].elapsed or 1e-9
            bar.update(tasks[phase], completed=done, total=total, rate=f"{done / elapsed:.0f}")

        where = _store(store, store_layout)
        try:
            with parallel.executor(executor):
                report = build(
                    list(paths) or [Path("seeds")],
                    store=RemoteTarget(where) if isinstance(where, RemoteStore) else where,
                    strict=strict,
                    progress=progress,
                )
        finally:
            if isinstance(where, RemoteStore):
                where.close()
    for line in report.errors:
        click.echo(line, err=True)
    for line in report.notes:
        click.echo(f"note: {line}", err=True)
    _summary(report)


def _summary(report: BuildReport) -> None:
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(report.kinds.items())) or "none"
    state = (
        "up to date"
        if report.up_to_date
        else (f"{report.written} graph(s) written, {report.removed} removed")
    )
    click.echo(f"Built {report.store} in {report.seconds:.2f}s: {state}")
    click.echo(f"  files:       {report.files} ({kinds})")
    click.echo(f"  occupations: {len(report.occupations)}")
    click.echo(f"  triples:     {report.triples}")
    click.echo(f"  errors:      {len(report.errors)}")


@main.command()
@store_option
def sources(store_dir: Path | None) -> None:
    """List what was built from what: file, kind, occupation, graph."""
    manifest = read_manifest(store_path(store_dir))
    if manifest is None:
        raise click.ClickException("no build yet: run 'occugraph build' first")
    table = Table("file", "kind", "occupation", "resolved by", "graph")
    for entry in manifest.entries:
        resolution = entry.resolution
        table.add_row(
            entry.source.path,
            entry.kind or "-",
            (resolution.code if resolution else None) or entry.error or "unresolved",
            (resolution.method if resolution else None) or "-",
            entry.source.iri,
        )
    Console(width=200).print(table)


@main.command("describe")
@click.argument("iri")
@store_option
@click.option(
    "--format",
    "format_",
    type=click.Choice(DESCRIPTIONS),
    default="turtle",
    show_default=True,
)
def describe_command(iri: str, store_dir: Path | None, format_: str) -> None:
    """Print what the graph says about one IRI."""
    triples = describe(open_read_only(store_path(store_dir)), iri)
    click.echo(serialize_triples(triples, format_))


@main.command("validate")
@store_option
def validate_command(store_dir: Path | None) -> None:
    """Check the build against the SHACL shapes; exit 1 on violations."""
    from occugraph.query.validate import validate  # pyshacl and rdflib: slow to import

    conforms, text = validate(open_read_only(store_path(store_dir)))
    click.echo(text)
    sys.exit(0 if conforms else 1)


@main.command("query")
@click.argument("name")
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A parameter value; repeat for several.",
)
@click.option(
    "--format", "format_", type=click.Choice(ALL_FORMATS), default="table", show_default=True
)
@store_option
@settings_options("queries")
def query_command(
    name: str,
    params: tuple[str, ...],
    format_: str,
    store_dir: Path | None,
    queries: tuple[Path, ...],
) -> None:
    """Run a saved query (by NAME) or any SPARQL file (FILE.rq) over all named graphs."""
    values: dict[str, str] = {}
    for param in params:
        key, equals, value = param.partition("=")
        if not equals:
            raise click.BadParameter(f"expected NAME=VALUE, got {param!r}", param_hint="--param")
        values[key.strip()] = value
    saved = find(name, queries)
    try:
        result = saved.run(open_read_only(store_path(store_dir)), values)
    except SyntaxError as error:  # a file given by path that is not SPARQL
        raise click.ClickException(f"{name}: {error}") from None
    click.echo(render(result, format_), nl=False)


@main.command("queries")
@settings_options("queries")
def queries_command(queries: tuple[Path, ...]) -> None:
    """List the saved queries and their parameters."""
    found = saved_queries(queries)
    table = Table("name", "title", "parameters")
    for saved in found.values():
        params = ", ".join(
            f"{name}: {p.type}{'' if p.required else ' (optional)'}"
            for name, p in saved.params.items()
        )
        table.add_row(saved.name, saved.title, params or "-")
    Console(width=200).print(table)


@main.command("export")
@click.option(
    "--format", "format_", type=click.Choice(EXPORTS), default="turtle", show_default=True
)
@click.option("--graph", default=None, help="Only this named graph (a source's IRI, ...).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file (atomically) instead of standard output.",
)
@store_option
def export_command(
    format_: str, graph: str | None, output: Path | None, store_dir: Path | None
) -> None:
    """Export the graph (or one named graph) as Turtle, JSON-LD, N-Triples, N-Quads or TriG."""
    export_store(open_read_only(store_path(store_dir)), format_=format_, graph=graph, output=output)


@main.command("serve")
@store_or_url_option
@layout_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option(
    "--processes",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Server processes sharing the port, each with its own --workers (one per core "
    "serves cached answers fastest).",
)
@click.option(
    "--access-log/--no-access-log",
    default=True,
    show_default=True,
    help="Log a line for each request (off, logging costs nothing).",
)
@settings_options(*Settings.model_fields)
def serve_command(
    store: str | None,
    store_layout: str,
    host: str,
    port: int,
    processes: int,
    access_log: bool,
    **settings: Any,
) -> None:
    """Serve the graph: SPARQL endpoint, saved queries, dereferenceable IRIs, pages."""
    from occugraph.server.run import serve

    chosen = Settings(**settings)
    opened = _opener(store, store_layout, timeout=chosen.time_limit)
    serve(opened, chosen, host=host, port=port, processes=processes, access_log=access_log)


if __name__ == "__main__":
    main()
