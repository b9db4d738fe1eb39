"""``ikg graphs`` lists the batches with their provenance; ``ikg drop-graph`` removes one."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

import typer
from rich.table import Table

from inclusion_kg.api.cli._app import OutputFormat, app, handle_errors, print_json
from inclusion_kg.api.cli._store import (
    DataDirOption,
    StoreOption,
    opened_store,
    store_settings,
    table_console,
)
from inclusion_kg.graph.namespaces import BASE

__all__ = ["drop_graph", "graphs"]


@app.command()
@handle_errors
def graphs(
    output: Annotated[
        OutputFormat, typer.Option("--output", "-o", help="table or json.")
    ] = OutputFormat.table,
    data_dir: DataDirOption = None,
    store: StoreOption = None,
) -> None:
    """List the named graphs (batches): size, title, time, agent and source."""
    with opened_store(store_settings(data_dir, store)) as opened:
        infos = opened.graphs()
    if output is OutputFormat.json:
        print_json([asdict(info) for info in infos])
        return
    table = Table("graph", "triples", "title", "generated", "by", "source")
    for info in infos:
        table.add_row(
            _short(info.iri, "graph/"),
            str(info.triples),
            info.title or "",
            info.generated_at or "",
            _short(info.attributed_to, "id/agent/"),
            _short(info.source, "id/"),
        )
    table_console().print(table)


def _short(iri: str | None, below: str) -> str:
    """Show IRIs under the project's base by their path (``graph/…``, ``id/…``)."""
    if iri is None:
        return ""
    marker = BASE + below
    return iri[len(BASE) :] if iri.startswith(marker) else iri


@app.command("drop-graph")
@handle_errors
def drop_graph(
    graph: Annotated[str, typer.Argument(help="IRI of the graph to remove.")],
    data_dir: DataDirOption = None,
    store: StoreOption = None,
) -> None:
    """Remove one named graph (a batch) and everything in it."""
    with opened_store(store_settings(data_dir, store)) as opened:
        opened.drop_graph(graph)
    typer.echo(f"dropped <{graph}>", err=True)
