"""``/api/v1/exports``: downloads of the partnership network and RDF dumps of the store.

=================================  ==========================  ==================================
path                               media type                  what
=================================  ==========================  ==================================
``network.gexf``                   ``application/gexf+xml``    GEXF 1.3 (``?dynamic=true``: with
                                                               periods for Gephi's timeline)
``network.graphml``                ``application/graphml+xml`` GraphML
``network-csv.zip``                ``application/zip``         Gephi spreadsheet pair + metadata
                                                               (``?dynamic=true``: with a
                                                               ``timeset`` column)
``network-nodes.csv``              ``text/csv``                the node table alone (ditto)
``network-edges.csv``              ``text/csv``                the edge table alone (ditto)
``network.json``                   ``application/json``        graphology's serialised JSON
``dump.nq`` ``.nt`` ``.ttl``       the RDF format's type       the store, or ``?graph=<iri>``
``.trig`` ``.jsonld``
=================================  ==========================  ==================================

Network downloads take the analytics' filters as query parameters (``city``, ``country``,
``policy_area``, ``actor_type`` — each repeatable —, ``as_of``, ``from``, ``to``,
``formal_only``, ``min_sources``, ``layer``, ``aggregate_units``) plus ``lang`` and
``metrics``; a filter the analytics refuse (an unknown actor type or layer, a reversed or
mixed period) is a 400 problem document, a value of the wrong type a 422; ``dynamic`` on a
download that has no dynamic form (GraphML, JSON, the dumps) is a 400. GEXF and GraphML
have no registered media type: the ``+xml`` types are the ones in common use. Every
download names its file in ``Content-Disposition``. Routes are plain ``def`` (the
projection, metrics and serialisation block, so they run in the thread pool) and the bodies
are streamed.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import IO, TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse

from inclusion_kg.api.deps import StoreDep
from inclusion_kg.api.protocol import check_iri
from inclusion_kg.graph.errors import InputError
from inclusion_kg.graph.export import (
    GEXF_MEDIA_TYPE,
    GRAPHML_MEDIA_TYPE,
    GRAPHOLOGY_MEDIA_TYPE,
    NETWORK_FORMATS,
    RDF_DUMP_FORMATS,
    ZIP_MEDIA_TYPE,
    dump_rdf,
)
from inclusion_kg.graph.store import Store

# The network projection and writers (networkx, numpy, scipy) are imported by the routes
# that use them, not with this module: registering the routes must not load them.
if TYPE_CHECKING:
    from inclusion_kg.graph.export.network import ExportNetwork, ExportOptions
    from inclusion_kg.graph.network.projection import NetworkFilter

__all__ = ["PREFIX", "DumpExtension", "router"]

PREFIX = "/api/v1/exports"
router = APIRouter(prefix=PREFIX, tags=["exports"])

_FILE_STEM = "inclusion-kg"
_ZIP_CHUNK = 1 << 20


class DumpExtension(StrEnum):
    """File extensions of the RDF dumps."""

    nq = "nq"
    nt = "nt"
    ttl = "ttl"
    trig = "trig"
    jsonld = "jsonld"


@dataclass(frozen=True)
class NetworkQuery:
    """The export options a request asked for."""

    options: ExportOptions
    suffix: str


def network_query(
    city: Annotated[
        list[str] | None, Query(description="City IRI, slug or label (repeatable).")
    ] = None,
    country: Annotated[
        list[str] | None,
        Query(description="Country IRI, slug, label or ISO code (repeatable)."),
    ] = None,
    policy_area: Annotated[
        list[str] | None, Query(description="Policy-area concept, slug or label (repeatable).")
    ] = None,
    actor_type: Annotated[
        list[str] | None,
        Query(description="Actor type: NGO, migrant-council, PublicAuthority, … (repeatable)."),
    ] = None,
    as_of: Annotated[date | None, Query(description="Ties active on this date.")] = None,
    from_year: Annotated[
        int | None, Query(alias="from", description="First year of a period (inclusive).")
    ] = None,
    to_year: Annotated[
        int | None, Query(alias="to", description="Last year of a period (inclusive).")
    ] = None,
    formal_only: Annotated[
        bool, Query(description="Only formal agreements (formality rank 4).")
    ] = False,
    min_sources: Annotated[
        int, Query(ge=0, description="Ties backed by at least this many documents.")
    ] = 0,
    layer: Annotated[
        str, Query(description="partnerships, funding (shared projects) or services.")
    ] = "partnerships",
    aggregate_units: Annotated[
        bool, Query(description="Merge sub-organisations into their top-most parent.")
    ] = False,
    lang: Annotated[
        str, Query(description="Label language (English fallback).", pattern=r"^[A-Za-z-]{1,35}$")
    ] = "en",
    metrics: Annotated[bool, Query(description="Add the analytics' node metrics.")] = True,
) -> NetworkQuery:
    """Read the analytics' filters from the query string.

    Raises:
        InputError: a period the analytics refuse (reversed, or a date with years).
    """
    from inclusion_kg.graph.export.network import ExportOptions
    from inclusion_kg.graph.network.projection import NetworkFilter, Period

    network_filter = NetworkFilter(
        cities=frozenset(city or ()),
        countries=frozenset(country or ()),
        policy_areas=frozenset(policy_area or ()),
        actor_types=frozenset(actor_type or ()),
        period=Period(as_of=as_of, from_year=from_year, to_year=to_year),
        min_formality_rank=4 if formal_only else 0,
        min_sources=min_sources,
    )
    options = ExportOptions(
        network_filter=network_filter,
        language=lang.lower(),
        layer=layer,
        aggregate_units=aggregate_units,
        metrics=metrics,
    )
    return NetworkQuery(options, _suffix(network_filter, layer))


NetworkQueryDep = Annotated[NetworkQuery, Depends(network_query)]

CsvDynamic = Annotated[
    bool,
    Query(
        description="Add a `timeset` column for Gephi's timeline: each element's "
        "periods as Gephi's interval set, `<[2010-01-01, 2011-12-31];[2016-01-01, "
        "Infinity]>` (closed intervals of ISO dates, `-Infinity` / `Infinity` for an "
        "unknown start / an ongoing end, empty when always present), the same periods as "
        "`network.gexf?dynamic=true`."
    ),
]
"""The ``dynamic`` switch of the CSV downloads."""


_FALSE = frozenset({"0", "f", "false", "n", "no", "off"})
"""The texts FastAPI reads as a false ``bool`` query parameter."""


async def static_only(request: Request) -> None:
    """Refuse ``dynamic`` on a download that has no dynamic form (GraphML, JSON, dumps).

    ``dynamic=false`` asks for nothing and passes.

    Raises:
        InputError: the query string asks for ``dynamic`` (any value but a false one).
    """
    value = request.query_params.get("dynamic")
    if value is not None and value.strip().lower() not in _FALSE:
        msg = (
            f"dynamic does not apply to {request.url.path.rsplit('/', 1)[-1]}: only "
            "network.gexf and the CSV downloads have a dynamic form"
        )
        raise InputError(msg)


_STATIC_ONLY = [Depends(static_only)]


def _slug(value: str) -> str:
    tail = value.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return re.sub(r"[^A-Za-z0-9]+", "-", tail).strip("-").lower()[:40]


def _suffix(network_filter: NetworkFilter, layer: str) -> str:
    """A short file-name suffix naming the main filters (``-palermo-2020``)."""
    bits: list[str] = []
    if layer != "partnerships":
        bits.append(layer)
    for values in (network_filter.cities, network_filter.countries):
        bits.extend(_slug(v) for v in sorted(values))
    period = network_filter.period
    if period.as_of is not None:
        bits.append(period.as_of.isoformat())
    elif period.from_year is not None or period.to_year is not None:
        bits.append(f"{period.from_year or ''}-{period.to_year or ''}".strip("-"))
    suffix = "-".join(b for b in bits if b)
    return f"-{suffix}" if suffix else ""


def _disposition(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


def _streamed(chunks: Iterator[bytes], media_type: str, filename: str) -> StreamingResponse:
    """Stream ``chunks``, computing the first one now so early errors keep their status."""
    first = next(chunks, b"")

    def body() -> Iterator[bytes]:
        if first:
            yield first
        yield from chunks

    return StreamingResponse(body(), media_type=media_type, headers=_disposition(filename))


def _network(store: Store, query: NetworkQuery) -> ExportNetwork:
    from inclusion_kg.graph.export.network import prepare

    return prepare(store, query.options)


_NETWORK_DOC: dict[int | str, dict[str, Any]] = {
    400: {
        "description": "A filter the analytics refuse (unknown actor type or layer, period); "
        "dynamic on a download without a dynamic form (GraphML, JSON)."
    },
    422: {"description": "A parameter of the wrong type (a malformed date, a negative count)."},
}


def _content(media_type: str, description: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"description": description, "content": {media_type: {}}}, **_NETWORK_DOC}


@router.get("", summary="List the downloads")
def list_exports(request: Request) -> dict[str, Any]:
    """Return every download with its URL and media type."""
    base = str(request.url_for("export_gexf")).rsplit("/", 1)[0]
    network = {
        "network.gexf": GEXF_MEDIA_TYPE,
        "network.gexf?dynamic=true": GEXF_MEDIA_TYPE,
        "network.graphml": GRAPHML_MEDIA_TYPE,
        "network-csv.zip": ZIP_MEDIA_TYPE,
        "network-csv.zip?dynamic=true": ZIP_MEDIA_TYPE,
        "network-nodes.csv": "text/csv",
        "network-nodes.csv?dynamic=true": "text/csv",
        "network-edges.csv": "text/csv",
        "network-edges.csv?dynamic=true": "text/csv",
        "network.json": GRAPHOLOGY_MEDIA_TYPE,
    }
    dumps = {f"dump.{spec.extension}": spec.media_type for spec in RDF_DUMP_FORMATS.values()}
    return {
        "network": [{"href": f"{base}/{path}", "media_type": m} for path, m in network.items()],
        "dumps": [{"href": f"{base}/{path}", "media_type": m} for path, m in dumps.items()],
        "filters": [
            "city",
            "country",
            "policy_area",
            "actor_type",
            "as_of",
            "from",
            "to",
            "formal_only",
            "min_sources",
            "layer",
            "aggregate_units",
            "lang",
            "metrics",
        ],
    }


@router.get(
    "/network.gexf",
    name="export_gexf",
    summary="The network as GEXF 1.3 (Gephi)",
    response_class=StreamingResponse,
    responses=_content(GEXF_MEDIA_TYPE, "GEXF 1.3, valid against the GEXF 1.3 schema."),
)
def export_gexf(
    store: StoreDep,
    query: NetworkQueryDep,
    dynamic: Annotated[
        bool, Query(description="Periods on nodes and edges for Gephi's timeline.")
    ] = False,
) -> StreamingResponse:
    """Download the actor network as GEXF 1.3, with metrics, colours and sizes."""
    fmt = NETWORK_FORMATS["gexf-dynamic" if dynamic else "gexf"]
    name = f"{_FILE_STEM}-network{query.suffix}{'-dynamic' if dynamic else ''}.gexf"
    return _streamed(fmt.write(_network(store, query)), fmt.media_type, name)


@router.get(
    "/network.graphml",
    summary="The network as GraphML",
    response_class=StreamingResponse,
    dependencies=_STATIC_ONLY,
    responses=_content(GRAPHML_MEDIA_TYPE, "GraphML; list attributes are JSON strings."),
)
def export_graphml(store: StoreDep, query: NetworkQueryDep) -> StreamingResponse:
    """Download the actor network as GraphML."""
    fmt = NETWORK_FORMATS["graphml"]
    name = f"{_FILE_STEM}-network{query.suffix}.graphml"
    return _streamed(fmt.write(_network(store, query)), fmt.media_type, name)


@router.get(
    "/network.json",
    summary="The network as graphology JSON (sigma.js)",
    response_class=StreamingResponse,
    dependencies=_STATIC_ONLY,
    responses=_content(GRAPHOLOGY_MEDIA_TYPE, "graphology's serialisation format."),
)
def export_graphology(store: StoreDep, query: NetworkQueryDep) -> StreamingResponse:
    """Download the actor network as graphology's serialised JSON."""
    fmt = NETWORK_FORMATS["graphology"]
    name = f"{_FILE_STEM}-network{query.suffix}.json"
    return _streamed(fmt.write(_network(store, query)), fmt.media_type, name)


@router.get(
    "/network-nodes.csv",
    summary="The node table (Gephi spreadsheet)",
    response_class=StreamingResponse,
    responses=_content(
        "text/csv",
        "Id, Label (with dynamic=true: timeset), then the node attributes.",
    ),
)
def export_nodes_csv(
    store: StoreDep, query: NetworkQueryDep, dynamic: CsvDynamic = False
) -> StreamingResponse:
    """Download ``nodes.csv`` alone (``dynamic=true``: with a ``timeset`` column)."""
    fmt = NETWORK_FORMATS["nodes-csv-dynamic" if dynamic else "nodes-csv"]
    name = f"{_FILE_STEM}-nodes{query.suffix}{'-dynamic' if dynamic else ''}.csv"
    return _streamed(fmt.write(_network(store, query)), fmt.media_type, name)


@router.get(
    "/network-edges.csv",
    summary="The edge table (Gephi spreadsheet)",
    response_class=StreamingResponse,
    responses=_content(
        "text/csv",
        "Source, Target, Type, Weight (with dynamic=true: timeset), then the edge attributes.",
    ),
)
def export_edges_csv(
    store: StoreDep, query: NetworkQueryDep, dynamic: CsvDynamic = False
) -> StreamingResponse:
    """Download ``edges.csv`` alone (``dynamic=true``: with a ``timeset`` column)."""
    fmt = NETWORK_FORMATS["edges-csv-dynamic" if dynamic else "edges-csv"]
    name = f"{_FILE_STEM}-edges{query.suffix}{'-dynamic' if dynamic else ''}.csv"
    return _streamed(fmt.write(_network(store, query)), fmt.media_type, name)


def _read_file(spool: IO[bytes]) -> Iterator[bytes]:
    try:
        spool.seek(0)
        while chunk := spool.read(_ZIP_CHUNK):
            yield chunk
    finally:
        spool.close()


@router.get(
    "/network-csv.zip",
    summary="The Gephi spreadsheet pair, zipped",
    response_class=StreamingResponse,
    responses=_content(
        ZIP_MEDIA_TYPE,
        "nodes.csv, edges.csv and metadata.json (with dynamic=true: both tables have a "
        "timeset column, declared in metadata.json).",
    ),
)
def export_csv_zip(
    store: StoreDep, query: NetworkQueryDep, dynamic: CsvDynamic = False
) -> StreamingResponse:
    """Download ``nodes.csv``, ``edges.csv`` and ``metadata.json`` in one zip.

    The zip is written to a temporary file (in memory up to 16 MiB) and then streamed.
    With ``dynamic=true`` both tables carry a ``timeset`` column for Gephi's timeline.
    """
    from inclusion_kg.graph.export.tables import write_zip

    network = _network(store, query)
    spool = tempfile.SpooledTemporaryFile(max_size=16 << 20)  # noqa: SIM115 - closed by _read_file
    try:
        write_zip(network, spool, dynamic=dynamic)
    except BaseException:
        spool.close()
        raise
    name = f"{_FILE_STEM}-network{query.suffix}{'-dynamic' if dynamic else ''}-csv.zip"
    return StreamingResponse(
        _read_file(spool), media_type=ZIP_MEDIA_TYPE, headers=_disposition(name)
    )


@router.get(
    "/dump.{extension}",
    summary="RDF dump of the store or of one graph",
    response_class=StreamingResponse,
    dependencies=_STATIC_ONLY,
    responses={
        200: {
            "description": "The store (or the graph) in the extension's RDF format.",
            "content": {spec.media_type: {} for spec in RDF_DUMP_FORMATS.values()},
        },
        400: {"description": "The graph parameter is not an absolute IRI, or dynamic was given."},
        404: {"description": "The store has no such graph."},
    },
)
def export_dump(
    store: StoreDep,
    extension: DumpExtension,
    graph: Annotated[
        str | None, Query(description="IRI of one named graph (default: the whole store).")
    ] = None,
) -> StreamingResponse:
    """Dump the whole store, or one named graph, as N-Quads, N-Triples, Turtle, TriG or JSON-LD.

    N-Quads and N-Triples stream in chunks; Turtle, TriG and JSON-LD are written one named
    graph at a time. A whole-store Turtle or N-Triples dump merges the graphs.
    """
    spec = next(s for s in RDF_DUMP_FORMATS.values() if s.extension == extension.value)
    if graph is not None:
        check_iri(graph)
    chunks = dump_rdf(store, spec.name, graph=graph)
    name = f"{_FILE_STEM}-{_slug(graph) or 'graph'}" if graph is not None else f"{_FILE_STEM}-dump"
    return _streamed(chunks, spec.media_type, f"{name}.{spec.extension}")
