"""``/sparql``: the SPARQL 1.1 Protocol query operation, and the service description.

- ``GET /sparql?query=…``, ``POST`` a form (``query=…``) or ``POST`` the query as
  ``application/sparql-query``; ``default-graph-uri`` and ``named-graph-uri`` (repeatable)
  name the dataset;
- the result format follows ``Accept`` (or ``?format=json|xml|csv|tsv|turtle|…``):
  SPARQL JSON/XML/CSV/TSV for SELECT, JSON/XML for ASK, Turtle, N-Triples, JSON-LD,
  RDF/XML, N-Quads or TriG for CONSTRUCT/DESCRIBE; 406 when none fits;
- small results (up to 256 KiB) go out as one plain response; larger ones stream in 1 MiB
  pieces. Either way the start of the result is read before the status line is sent (so a
  syntax error is a 400 and a timeout a 503);
- every query runs with ``timeout=IKG_QUERY_TIMEOUT`` in a query worker process; the
  routes are ``async`` and await that worker without taking a thread (the embedded
  backends' ``aquery``), so a cheap query costs no thread hand-off and a long one holds
  neither a thread nor the event loop; a backend without ``aquery`` (the remote one) is
  queried in a worker thread;
- ``GET /sparql`` without a query returns a SPARQL service description (``sd:``).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterator
from typing import Any

import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse
from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, serialize

from inclusion_kg.api import conneg
from inclusion_kg.api.app import SERVICE_NAME, service_version
from inclusion_kg.api.deps import StoreDep, get_settings, get_store
from inclusion_kg.api.errors import PROBLEM_BASE, HTTPProblem
from inclusion_kg.api.protocol import (
    SPARQL_QUERY,
    Operation,
    operation_form,
    read_operation,
    with_base,
)
from inclusion_kg.graph.settings import Settings
from inclusion_kg.graph.store import QueryResponse, Store

__all__ = [
    "SMALL_RESULT",
    "STREAM_CHUNK",
    "TRUNCATED_HEADER",
    "choose_media_type",
    "router",
    "stream_response",
]

TRUNCATED_HEADER = "Ikg-Result-Truncated"
"""Response header set to ``true`` when a result was cut at ``IKG_MAX_ROWS``."""

log = logging.getLogger(__name__)

router = APIRouter(tags=["sparql"])

_OFFERS: dict[str, tuple[str, ...]] = {
    "solutions": conneg.SOLUTION_TYPES,
    "boolean": conneg.BOOLEAN_TYPES,
    "graph": conneg.GRAPH_TYPES,
}
_DESCRIPTION_TYPES = (conneg.TURTLE, conneg.JSON_LD, conneg.RDF_XML, conneg.N_TRIPLES)
_PREFIXES = {
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "formats": "http://www.w3.org/ns/formats/",
    "dcterms": "http://purl.org/dc/terms/",
    "void": "http://rdfs.org/ns/void#",
}
_FORMAT_IRIS = {
    conneg.JSON: "SPARQL_Results_JSON",
    conneg.XML: "SPARQL_Results_XML",
    conneg.CSV: "SPARQL_Results_CSV",
    conneg.TSV: "SPARQL_Results_TSV",
    conneg.TURTLE: "Turtle",
    conneg.N_TRIPLES: "N-Triples",
    conneg.JSON_LD: "JSON-LD",
    conneg.RDF_XML: "RDF_XML",
    conneg.N_QUADS: "N-Quads",
    conneg.TRIG: "TriG",
}
_RDF_FORMATS = {
    conneg.TURTLE: RdfFormat.TURTLE,
    conneg.N_TRIPLES: RdfFormat.N_TRIPLES,
    conneg.JSON_LD: RdfFormat.JSON_LD,
    conneg.RDF_XML: RdfFormat.RDF_XML,
}


async def _query_operation(request: Request) -> Operation | None:
    return await read_operation(
        request,
        "query",
        direct_type=SPARQL_QUERY,
        dataset_params=("default-graph-uri", "named-graph-uri"),
    )


def choose_media_type(request: Request, offers: tuple[str, ...], format_name: str | None) -> str:
    """Pick the response media type from ``?format=`` or the ``Accept`` header.

    Raises:
        NotAcceptable: nothing the client accepts is on offer (406).
        HTTPProblem: 400 for an unknown ``format`` name.
    """
    if format_name:
        return conneg.media_type_for_format(format_name, offers)
    return conneg.negotiate(request.headers.get("accept"), offers)


SMALL_RESULT = 256 * 1024
"""Results up to this many bytes go out as one plain response, with a Content-Length."""
STREAM_CHUNK = 1 << 20
"""Bytes per piece of a streamed (large) result: each piece is one hop to a worker thread."""


def _regroup(chunks: Iterator[bytes], size: int) -> Iterator[bytes]:
    """Yield the bytes of ``chunks`` in pieces of at least ``size`` (but the last)."""
    pending: list[bytes] = []
    held = 0
    for chunk in chunks:
        pending.append(chunk)
        held += len(chunk)
        if held >= size:
            yield b"".join(pending)
            pending.clear()
            held = 0
    if pending:
        yield b"".join(pending)


def stream_response(result: QueryResponse, *, headers: dict[str, str] | None = None) -> Response:
    """Answer with a store result, computing its start before the response starts.

    A small result (up to :data:`SMALL_RESULT` bytes) is read whole and sent as a plain
    response: no chunked encoding and no thread hop per chunk. A larger one streams in
    pieces of :data:`STREAM_CHUNK` bytes. Errors that the engine raises before producing
    anything (a syntax error, a timeout) thus still become a proper status code; one raised
    mid-stream can only cut the response short, and is logged. A result cut at
    ``IKG_MAX_ROWS`` carries the header ``Ikg-Result-Truncated: true``.
    """
    chunks = result.chunks
    head: list[bytes] = []
    held = 0
    small = True
    for chunk in chunks:
        head.append(chunk)
        held += len(chunk)
        if held > SMALL_RESULT:
            small = False
            break

    headers = dict(headers or {})
    if getattr(result, "truncated", False):
        headers[TRUNCATED_HEADER] = "true"
    if small:
        return Response(b"".join(head), media_type=result.media_type, headers=headers)

    def rest() -> Iterator[bytes]:
        yield b"".join(head)
        head.clear()
        try:
            yield from _regroup(chunks, STREAM_CHUNK)
        except Exception:
            log.exception("a query result failed after its response had started")
            raise

    return StreamingResponse(rest(), media_type=result.media_type, headers=headers)


_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Query results in the negotiated format, or the service description.",
        "content": {media: {} for media in (*conneg.SOLUTION_TYPES, *conneg.GRAPH_TYPES)},
    },
    400: {"description": "Malformed query, or an update sent here."},
    406: {"description": "No acceptable result format."},
    415: {"description": "POST with an unsupported Content-Type."},
    503: {"description": "The query ran past IKG_QUERY_TIMEOUT."},
}


def _parameter(name: str, description: str, *, repeat: bool = False) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if repeat:
        schema = {"type": "array", "items": schema}
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
        **({"explode": True} if repeat else {}),
    }


_FORMAT_PARAMETER = _parameter(
    "format",
    "Result format by short name (json, xml, csv, tsv, turtle, ntriples, jsonld, rdfxml, "
    "nquads, trig); overrides Accept.",
)
_GET_PARAMETERS = [
    _parameter("query", "The SPARQL query; without it, the service description."),
    _parameter("default-graph-uri", "Default graph(s).", repeat=True),
    _parameter("named-graph-uri", "Named graph(s).", repeat=True),
    _FORMAT_PARAMETER,
]
# The routes take the request alone and read their parameters themselves (documented
# here instead of in the signature): FastAPI's dependency solving and parameter
# validation cost about a fifth of a cheap query's time on this endpoint.


@router.get(
    "/sparql",
    name="sparql_query",
    summary="SPARQL 1.1 query (GET), or the service description",
    response_class=Response,
    responses=_RESPONSES,
    openapi_extra={"parameters": _GET_PARAMETERS},
)
async def query_get(request: Request) -> Response:
    """Answer a query sent with GET, or describe the service when there is none."""
    operation = await _query_operation(request)
    store = await get_store(request)
    format_name = request.query_params.get("format")
    if operation is None:  # the description lists the graphs: a store read, in a thread
        return await anyio.to_thread.run_sync(service_description, request, store, format_name)
    return await run_query(request, operation, store, await get_settings(request), format_name)


@router.post(
    "/sparql",
    openapi_extra={
        "parameters": [_FORMAT_PARAMETER],
        "requestBody": {
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "query": {"type": "string"},
                            "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                            "named-graph-uri": {"type": "array", "items": {"type": "string"}},
                        },
                        "required": ["query"],
                    }
                },
                SPARQL_QUERY: {"schema": {"type": "string"}},
            },
            "required": True,
        },
    },
    summary="SPARQL 1.1 query (POST)",
    response_class=Response,
    responses=_RESPONSES,
)
async def query_post(request: Request) -> Response:
    """Answer a query sent with POST, as a form or as ``application/sparql-query``."""
    operation = await _query_operation(request)
    if operation is None:  # pragma: no cover - a POST always carries an operation or fails
        msg = "The POST carries no query."
        raise HTTPProblem(400, msg)
    store = await get_store(request)
    settings = await get_settings(request)
    return await run_query(request, operation, store, settings, request.query_params.get("format"))


async def run_query(
    request: Request,
    operation: Operation,
    store: StoreDep,
    settings: Settings,
    format_name: str | None,
) -> Response:
    """Run ``operation`` on ``store`` and stream its result in the negotiated format.

    Relative IRIs resolve against ``IKG_BASE_IRI``; the query is cut off after
    ``IKG_QUERY_TIMEOUT`` seconds (503).
    """
    form = operation_form(operation.text)
    if form == "update":
        raise HTTPProblem(
            400,
            "This is a SPARQL Update; the query endpoint only runs queries. Send it to "
            "/update as a POST (application/sparql-update, or a form with update=…) with "
            "'Authorization: Bearer <IKG_API_TOKEN>'.",
            title="Update sent to the query endpoint",
            type_=PROBLEM_BASE + "protocol-error",
        )
    media = None if form is None else choose_media_type(request, _OFFERS[form], format_name)
    text = with_base(operation.text, settings.base_iri)
    dataset = {
        "default_graph_uris": operation.default_graph_uris,
        "named_graph_uris": operation.named_graph_uris,
        "timeout": settings.query_timeout,
    }
    aquery = getattr(store, "aquery", None)
    if aquery is None:  # a backend without an async path: the whole answer in a thread
        return await anyio.to_thread.run_sync(
            functools.partial(_answer_in_thread, request, store, text, media, format_name, dataset)
        )
    result: QueryResponse = await aquery(text, media_type=media, **dataset)
    if form is None:
        # The scanner could not tell the form but the engine could: negotiate now.
        wanted = choose_media_type(request, _OFFERS[result.kind], format_name)
        if wanted != result.media_type:
            _close(result)
            result = await aquery(text, media_type=wanted, **dataset)
    return stream_response(result, headers={"Vary": "Accept"})


def _answer_in_thread(
    request: Request,
    store: Store,
    text: str,
    media: str | None,
    format_name: str | None,
    dataset: dict[str, Any],
) -> Response:
    """Query and read the start of the result where blocking is fine (a worker thread)."""
    result = store.query(text, media_type=media, **dataset)
    if media is None:
        wanted = choose_media_type(request, _OFFERS[result.kind], format_name)
        if wanted != result.media_type:
            _close(result)
            result = store.query(text, media_type=wanted, **dataset)
    return stream_response(result, headers={"Vary": "Accept"})


def _close(result: QueryResponse) -> None:
    close = getattr(result.chunks, "close", None)
    if close is not None:
        close()


def _description_triples(endpoint: str, store: StoreDep) -> list[Triple]:
    service = NamedNode(endpoint)
    rdf_type = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

    def node(prefix: str, local: str) -> NamedNode:
        return NamedNode(_PREFIXES[prefix] + local)

    triples = [
        Triple(service, rdf_type, node("sd", "Service")),
        Triple(service, node("sd", "endpoint"), service),
        Triple(service, node("sd", "supportedLanguage"), node("sd", "SPARQL11Query")),
        Triple(service, node("sd", "feature"), node("sd", "UnionDefaultGraph")),
        Triple(
            service,
            node("sd", "defaultEntailmentRegime"),
            NamedNode("http://www.w3.org/ns/entailment/Simple"),
        ),
        Triple(
            service,
            node("dcterms", "title"),
            Literal(f"{SERVICE_NAME} SPARQL endpoint", language="en"),
        ),
        Triple(service, node("dcterms", "hasVersion"), Literal(service_version())),
    ]
    for media, name in _FORMAT_IRIS.items():
        del media
        triples.append(Triple(service, node("sd", "resultFormat"), node("formats", name)))
    dataset = BlankNode()
    default_graph = BlankNode()
    triples += [
        Triple(service, node("sd", "defaultDataset"), dataset),
        Triple(dataset, rdf_type, node("sd", "Dataset")),
        Triple(dataset, node("sd", "defaultGraph"), default_graph),
        Triple(default_graph, rdf_type, node("sd", "Graph")),
    ]
    try:
        graphs = store.graphs()
    except Exception:  # the description must not fail because the store is busy
        log.exception("service description: could not list the named graphs")
        graphs = []
    for info in graphs:
        named = BlankNode()
        graph = BlankNode()
        triples += [
            Triple(dataset, node("sd", "namedGraph"), named),
            Triple(named, rdf_type, node("sd", "NamedGraph")),
            Triple(named, node("sd", "name"), NamedNode(info.iri)),
            Triple(named, node("sd", "graph"), graph),
            Triple(graph, rdf_type, node("sd", "Graph")),
            Triple(graph, node("void", "triples"), Literal(str(info.triples), datatype=_INTEGER)),
        ]
        if info.title:
            triples.append(Triple(graph, node("dcterms", "title"), Literal(info.title)))
    update = request_update_endpoint(endpoint)
    triples += [
        Triple(update, rdf_type, node("sd", "Service")),
        Triple(update, node("sd", "endpoint"), update),
        Triple(update, node("sd", "supportedLanguage"), node("sd", "SPARQL11Update")),
    ]
    return triples


_INTEGER = NamedNode("http://www.w3.org/2001/XMLSchema#integer")


def request_update_endpoint(endpoint: str) -> NamedNode:
    """Return the IRI of the update endpoint that sits beside ``endpoint``."""
    return NamedNode(endpoint.rsplit("/", 1)[0] + "/update")


def service_description(request: Request, store: StoreDep, format_name: str | None) -> Response:
    """Describe this endpoint with the SPARQL 1.1 Service Description vocabulary."""
    media = choose_media_type(request, _DESCRIPTION_TYPES, format_name)
    endpoint = str(request.url.replace(query="", fragment=""))
    body = serialize(
        _description_triples(endpoint, store),
        format=_RDF_FORMATS[media],
        prefixes=_PREFIXES,
    )
    return Response(body, media_type=media, headers={"Vary": "Accept"})
