"""The ``occugraph`` command line: thin click wrappers over build, query and describe."""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import click
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
from occugraph.build.manifest_file import read_manifest
from occugraph.build.targets import RemoteTarget
from occugraph.cli_options import (
    layout_option,
    open_store,
    opener,
    settings_options,
    store_option,
    store_or_url_option,
)
from occugraph.errors import OccugraphError
from occugraph.formats import DESCRIPTIONS, EXPORTS
from occugraph.query.describe import describe
from occugraph.query.export import export_store
from occugraph.query.results import ALL_FORMATS, render
from occugraph.query.saved import QueryError, find, resolve_occupation, saved_queries
from occugraph.query.serialize import serialize_triples
from occugraph.settings import Settings
from occugraph.store.embedded import current_build, open_read_only
from occugraph.store.remote import RemoteStore
from occugraph.terminal import cell, printable

PROGRESS_FROM = 20
"""Show a progress bar when at least this many files are read."""


class _Commands(click.Group):
    """Every command's errors that a user can act on become one line on stderr and exit 1,
    with what the user gave (a file name, a value) escaped by :func:`printable`."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OccugraphError as error:
            raise click.ClickException(printable(str(error))) from None
        except click.ClickException as error:
            error.message = printable(error.message)  # type: ignore[misc]  # click's Final
            raise


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
    "--full",
    is_flag=True,
    help="Read every file again and write the store anew, whatever the last build left.",
)
@click.option(
    "--verbose",
    "-v",
    is_flag=True,
    help="Also print notes nothing can be done about (reference-data rows left out).",
)
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
    full: bool,
    verbose: bool,
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

        where = open_store(store, store_layout)
        try:
            with parallel.executor(executor):
                report = build(
                    list(paths) or [Path("seeds")],
                    store=RemoteTarget(where) if isinstance(where, RemoteStore) else where,
                    strict=strict,
                    full=full,
                    progress=progress,
                )
        finally:
            if isinstance(where, RemoteStore):
                where.close()
    for line in report.errors:
        click.echo(printable(line), err=True)
    for line in [*report.notes, *(report.details if verbose else [])]:
        click.echo(f"note: {printable(line)}", err=True)
    _summary(report)


def _summary(report: BuildReport) -> None:
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(report.kinds.items())) or "none"
    if report.up_to_date:
        state = "no graph changed" if report.errors else "up to date"
    else:
        state = f"{report.written} graph(s) written, {report.removed} removed"
    if report.errors:  # a store that leaves files out is not "up to date" with them
        state += f"; {len(report.errors)} file(s) rejected (listed above)"
    click.echo(f"Built {printable(report.store)} in {report.seconds:.2f}s: {state}")
    click.echo(f"  files:       {report.files} ({kinds})")
    click.echo(f"  occupations: {len(report.occupations)}")
    click.echo(f"  triples:     {report.triples}")
    click.echo(f"  errors:      {len(report.errors)}")


def _console() -> Console:
    """Standard output for tables: as wide as the terminal (or $COLUMNS); unlimited when
    piped, so that a line is never cut or wrapped for a program reading it."""
    if sys.stdout.isatty() or os.environ.get("COLUMNS", "").isdigit():
        return Console()
    return Console(width=100_000)


@main.command()
@store_option
def sources(store_dir: Path) -> None:
    """List what was built from what: file, kind, occupation, graph."""
    manifest = read_manifest(store_dir)
    if manifest is None:
        raise click.ClickException("no build yet: run 'occugraph build' first")
    table = Table("file", "kind", "occupation", "resolved by", "graph")
    for column in table.columns:
        column.overflow = "fold"  # a path or IRI is broken across lines, never cut short
    for entry in manifest.entries:
        resolution = entry.resolution
        if entry.error is None or entry.kept:
            graph = entry.source.iri + (" (previous version)" if entry.kept else "")
        else:
            graph = "rejected: no graph"
        table.add_row(
            cell(entry.source.path),
            cell(entry.kind or "-"),
            cell((resolution.code if resolution else None) or entry.error or "unresolved"),
            cell((resolution.method if resolution else None) or "-"),
            cell(graph),
        )
    _console().print(table)


@main.command("describe")
@click.argument("resource", metavar="OCCUPATION|IRI")
@store_option
@click.option(
    "--format",
    "format_",
    type=click.Choice(DESCRIPTIONS),
    default="turtle",
    show_default=True,
)
def describe_command(resource: str, store_dir: Path, format_: str) -> None:
    """Print what the graph says about one IRI, or about an occupation named by its
    O*NET-SOC code or title (as saved queries take an occupation)."""
    store = open_read_only(store_dir)
    try:
        node = resolve_occupation(store, resource)
    except ValueError as error:
        raise QueryError(
            f"{resource!r} is not an occupation's IRI, code or title ({error})"
        ) from None
    click.echo(serialize_triples(describe(store, node.value), format_))


@main.command("validate")
@store_option
@click.option(
    "--format",
    "format_",
    type=click.Choice(["table", "turtle"]),
    default="table",
    show_default=True,
    help="table: each result's severity, shape, focus node and message, then the counts; "
    "turtle: the W3C SHACL validation report graph.",
)
def validate_command(store_dir: Path, format_: str) -> None:
    """Check the build against the SHACL shapes; exit 1 on violations."""
    from occugraph.query.validate import validate  # pyshacl and rdflib: slow to import

    found = validate(open_read_only(store_dir))
    if format_ == "turtle":
        click.echo(found.report, nl=False)
    else:
        table = Table("severity", "shape", "focus node", "message")
        for result in found.results:
            table.add_row(*map(cell, (result.severity, result.shape, result.focus, result.message)))
        if found.results:
            _console().print(table)
        counts = Counter({"Violation": 0, "Warning": 0})
        counts.update(result.severity for result in found.results)
        said = ", ".join(f"{n} {severity.lower()}(s)" for severity, n in counts.items())
        click.echo(f"{'Conforms' if found.conforms else 'Does not conform'}: {said}")
    sys.exit(0 if found.conforms else 1)


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
    store_dir: Path,
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
        result = saved.run(open_read_only(store_dir), values)
    except SyntaxError as error:  # a file given by path that is not SPARQL
        raise click.ClickException(f"{name}: {error}") from None
    click.echo(render(result, format_, width=_console().width), nl=False)


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
        table.add_row(cell(saved.name), cell(saved.title), cell(params or "-"))
    _console().print(table)


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
def export_command(format_: str, graph: str | None, output: Path | None, store_dir: Path) -> None:
    """Export the graph (or one named graph) as Turtle, JSON-LD, N-Triples, N-Quads or TriG."""
    export_store(open_read_only(store_dir), format_=format_, graph=graph, output=output)


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
    opened = opener(store, store_layout, timeout=chosen.time_limit)
    if isinstance(opened, Path) and current_build(opened) is None:
        click.echo(
            f"occugraph: no build at {printable(str(opened))} yet: the graph's pages and "
            f"queries answer 503 until 'occugraph build --store {printable(str(opened))}' "
            "writes one",
            err=True,
        )
    serve(opened, chosen, host=host, port=port, processes=processes, access_log=access_log)


if __name__ == "__main__":
    main()
