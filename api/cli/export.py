"""``ikg export FORMAT -o FILE``: the partnership network for Gephi and other tools, or RDF.

Network formats take the same filters as ``ikg analyze`` and carry its metrics; RDF
formats dump the store (or one graph with ``--graph``). docs/exports.md has the details.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from inclusion_kg.api.cli._app import app, handle_errors
from inclusion_kg.api.cli._store import DataDirOption, StoreOption, opened_store, store_settings
from inclusion_kg.graph.errors import InputError

if TYPE_CHECKING:
    from inclusion_kg.graph.export import ExportNetwork

__all__ = ["ExportFormat", "export"]


class ExportFormat(StrEnum):
    """What ``ikg export`` writes."""

    gexf = "gexf"
    gexf_dynamic = "gexf-dynamic"
    graphml = "graphml"
    csv = "csv"
    graphology = "graphology"
    turtle = "turtle"
    ntriples = "ntriples"
    nquads = "nquads"
    trig = "trig"
    jsonld = "jsonld"


_NETWORK = {"gexf", "gexf-dynamic", "graphml", "csv", "graphology"}
_DYNAMIC = {"gexf", "gexf-dynamic", "csv"}
"""The formats ``--dynamic`` applies to (periods for Gephi's timeline)."""


def _date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        msg = f"--as-of expects a date as YYYY-MM-DD, got {value!r}"
        raise InputError(msg) from None


@app.command()
@handle_errors
def export(
    fmt: Annotated[
        ExportFormat,
        typer.Argument(
            metavar="FORMAT",
            help="gexf, gexf-dynamic, graphml, csv, graphology (the network); "
            "turtle, ntriples, nquads, trig, jsonld (RDF dump of the store).",
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write (default: stdout). csv: a .zip bundle, or a folder that "
            "receives nodes.csv and edges.csv (a .csv path is refused: there are two tables).",
        ),
    ] = None,
    dynamic: Annotated[
        bool,
        typer.Option(
            "--dynamic",
            help="Periods for Gephi's timeline: gexf (as gexf-dynamic) or csv (a "
            "'timeset' column in nodes.csv and edges.csv).",
        ),
    ] = False,
    graph: Annotated[
        str | None, typer.Option("--graph", help="RDF dumps: only this named graph (IRI).")
    ] = None,
    language: Annotated[
        str, typer.Option("--lang", help="Label language (English fallback).")
    ] = "en",
    city: Annotated[
        list[str] | None, typer.Option("--city", help="City IRI, slug or label (repeatable).")
    ] = None,
    country: Annotated[
        list[str] | None,
        typer.Option("--country", help="Country IRI, slug, label or ISO code (repeatable)."),
    ] = None,
    policy_area: Annotated[
        list[str] | None,
        typer.Option("--policy-area", help="Policy-area concept, slug or label (repeatable)."),
    ] = None,
    actor_type: Annotated[
        list[str] | None,
        typer.Option("--actor-type", help="Actor type: NGO, migrant-council, … (repeatable)."),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Ties active on this date (YYYY-MM-DD).")
    ] = None,
    from_year: Annotated[
        int | None, typer.Option("--from", help="First year of a period (inclusive).")
    ] = None,
    to_year: Annotated[
        int | None, typer.Option("--to", help="Last year of a period (inclusive).")
    ] = None,
    formal_only: Annotated[
        bool, typer.Option("--formal-only", help="Only formal agreements (formality rank 4).")
    ] = False,
    min_sources: Annotated[
        int, typer.Option("--min-sources", min=0, help="Ties backed by at least N documents.")
    ] = 0,
    layer: Annotated[
        str, typer.Option("--layer", help="partnerships, funding (shared projects) or services.")
    ] = "partnerships",
    aggregate_units: Annotated[
        bool,
        typer.Option("--aggregate-units", help="Merge sub-organisations into their parent."),
    ] = False,
    metrics: Annotated[
        bool, typer.Option("--metrics/--no-metrics", help="Add the analytics' node metrics.")
    ] = True,
    data_dir: DataDirOption = None,
    store: StoreOption = None,
) -> None:
    """Export the partnership network (GEXF, GraphML, CSV, graphology) or dump RDF.

    Network exports take the analytics' filters and carry its metrics: node label (in
    --lang), actor type, sector, city, country, centralities and community; edge weight =
    partnership strength with its components and the partnership types. gexf-dynamic (or
    gexf --dynamic) adds periods so Gephi's timeline replays how the network grew; csv
    --dynamic adds the same periods as a 'timeset' column.
    """
    from inclusion_kg.graph.export import NETWORK_FORMATS, ExportOptions, dump_rdf, prepare
    from inclusion_kg.graph.network.projection import NetworkFilter, Period

    name = fmt.value
    if dynamic and name not in _DYNAMIC:
        msg = f"--dynamic applies to gexf and csv only, not to {name}"
        raise InputError(msg)
    if name not in _NETWORK:
        with opened_store(store_settings(data_dir, store)) as opened:
            chunks = dump_rdf(opened, name, graph=graph)
            _emit(chunks, output)
        return
    if graph is not None:
        msg = "--graph applies to RDF dumps; filter the network with --city, --actor-type, …"
        raise InputError(msg)
    if dynamic and name == "gexf":
        name = "gexf-dynamic"
    network_filter = NetworkFilter(
        cities=frozenset(city or ()),
        countries=frozenset(country or ()),
        policy_areas=frozenset(policy_area or ()),
        actor_types=frozenset(actor_type or ()),
        period=Period(as_of=_date(as_of), from_year=from_year, to_year=to_year),
        min_formality_rank=4 if formal_only else 0,
        min_sources=min_sources,
    )
    options = ExportOptions(
        network_filter=network_filter,
        language=language,
        layer=layer,
        aggregate_units=aggregate_units,
        metrics=metrics,
    )
    if name == "csv" and output is None:
        msg = "csv needs -o: a .zip file, or a folder for nodes.csv and edges.csv"
        raise InputError(msg)
    if name == "csv" and output is not None and output.suffix.lower() == ".csv":
        msg = (
            f"csv writes two tables: give -o a .zip file or a folder for nodes.csv and "
            f"edges.csv, not {output}"
        )
        raise InputError(msg)
    err = Console(stderr=True)
    with (
        opened_store(store_settings(data_dir, store)) as opened,
        err.status("projecting the network and computing metrics…"),
    ):
        network = prepare(opened, options)
    # One-shot process: what is alive now (store rows, records, the graph) stays alive, so
    # keep the cyclic GC from re-scanning it while millions of strings are written.
    gc.freeze()
    try:
        if name == "csv" and output is not None:
            _write_csv(network, output, dynamic=dynamic)
        else:
            _emit(NETWORK_FORMATS[name].write(network), output)
    finally:
        gc.unfreeze()
    err.print(
        f"exported {network.number_of_nodes} actors and {network.number_of_edges} ties"
        + (f" to {output}" if output is not None else ""),
        highlight=False,
    )


def _write_csv(network: ExportNetwork, output: Path, *, dynamic: bool = False) -> None:
    """A ``.zip`` bundle, or ``nodes.csv`` and ``edges.csv`` in the folder ``output``.

    ``dynamic`` adds the ``timeset`` column to both tables.
    """
    from inclusion_kg.graph.export import NETWORK_FORMATS, write_chunks, write_zip

    if output.suffix.lower() == ".zip":
        partial = output.with_name(output.name + ".part")
        try:
            with partial.open("wb") as target:
                write_zip(network, target, dynamic=dynamic)
            partial.replace(output)
        except OSError as error:
            partial.unlink(missing_ok=True)
            msg = f"{output}: cannot write the export ({error.strerror or error})."
            raise InputError(msg) from None
        return
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        msg = f"{output}: cannot create the folder ({error.strerror or error})."
        raise InputError(msg) from None
    suffix = "-dynamic" if dynamic else ""
    write_chunks(NETWORK_FORMATS[f"nodes-csv{suffix}"].write(network), output / "nodes.csv")
    write_chunks(NETWORK_FORMATS[f"edges-csv{suffix}"].write(network), output / "edges.csv")


def _emit(chunks: Iterable[bytes], output: Path | None) -> None:
    """Write chunks to ``output`` atomically, or to stdout."""
    from inclusion_kg.graph.export import write_chunks

    if output is None:
        for chunk in chunks:
            sys.stdout.buffer.write(chunk)
        sys.stdout.buffer.flush()
        return
    write_chunks(chunks, output)
