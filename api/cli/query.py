"""``ikg query``: run SPARQL on the store; a table for people, any result format on request."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from inclusion_kg.api.cli._app import OutputFormat, app, handle_errors
from inclusion_kg.api.cli._store import (
    DataDirOption,
    StoreOption,
    opened_store,
    store_settings,
    table_console,
    term_text,
)
from inclusion_kg.graph.errors import InputError

__all__ = ["query"]


def _query_text(sparql: str | None, file: Path | None) -> str:
    if file is not None:
        try:
            return file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            msg = f"{file}: cannot read the query ({error})."
            raise InputError(msg) from None
    if sparql is None or sparql == "-":
        return sys.stdin.read()
    return sparql


@app.command()
@handle_errors
def query(
    sparql: Annotated[
        str | None, typer.Argument(help="The query; '-' or nothing reads it from stdin.")
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", "-f", help="Read the query from a file.")
    ] = None,
    output: Annotated[
        OutputFormat,
        typer.Option("--output", "-o", help="table, or json (SPARQL JSON; JSON-LD for graphs)."),
    ] = OutputFormat.table,
    media_type: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="Write the raw result in this media type (text/csv, text/turtle, …).",
        ),
    ] = None,
    default_graph: Annotated[
        list[str] | None, typer.Option("--default-graph", help="Graph IRI for the default graph.")
    ] = None,
    named_graph: Annotated[
        list[str] | None, typer.Option("--named-graph", help="Graph IRI for GRAPH patterns.")
    ] = None,
    timeout: Annotated[
        float | None, typer.Option(help="Seconds before the query is stopped (IKG_QUERY_TIMEOUT).")
    ] = None,
    data_dir: DataDirOption = None,
    store: StoreOption = None,
) -> None:
    """Run a SELECT, ASK, CONSTRUCT or DESCRIBE query over the store.

    The default graph is the union of all graphs unless the query (FROM) or the options
    name the dataset.
    """
    from pyoxigraph import (
        QueryBoolean,
        QueryResultsFormat,
        QuerySolutions,
        RdfFormat,
        parse,
        parse_query_results,
    )

    text = _query_text(sparql, file)
    settings = store_settings(data_dir, store)
    err = Console(stderr=True)
    with opened_store(settings) as opened:
        wanted = media_type
        if wanted is None and output is OutputFormat.json:
            wanted = "json"
        result = opened.query(
            text,
            media_type=None if wanted in (None, "json") else wanted,
            default_graph_uris=default_graph or (),
            named_graph_uris=named_graph or (),
            timeout=timeout,
        )
        if wanted == "json" and result.kind == "graph":
            result = opened.query(
                text,
                media_type="application/ld+json",
                default_graph_uris=default_graph or (),
                named_graph_uris=named_graph or (),
                timeout=timeout,
            )
        data = b"".join(result.chunks)
    if result.truncated:
        err.print(f"note: the result was cut at {settings.max_rows} rows (IKG_MAX_ROWS).")
    if wanted is not None:
        sys.stdout.buffer.write(data)
        if not data.endswith(b"\n"):
            sys.stdout.buffer.write(b"\n")
        return
    console = table_console()
    if result.kind == "graph":
        table = Table("subject", "predicate", "object")
        for quad in parse(data, RdfFormat.N_TRIPLES):
            table.add_row(
                term_text(quad.subject), term_text(quad.predicate), term_text(quad.object)
            )
        console.print(table)
        return
    parsed = parse_query_results(data, QueryResultsFormat.JSON)
    if isinstance(parsed, QueryBoolean):
        console.print("true" if parsed else "false")
        return
    assert isinstance(parsed, QuerySolutions)  # noqa: S101
    variables = parsed.variables
    table = Table(*(variable.value for variable in variables))
    count = 0
    for solution in parsed:
        table.add_row(*(term_text(solution[variable]) for variable in variables))
        count += 1
    console.print(table)
    err.print(f"{count} row{'s' if count != 1 else ''}")
