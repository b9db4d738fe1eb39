"""``/store``: the SPARQL 1.1 Graph Store HTTP Protocol over the named graphs (batches).

=======  ================  =====================================================  ========
method   target            effect                                                 token
=======  ================  =====================================================  ========
GET      ``?graph=<iri>``  the graph, in the negotiated RDF format; 404 if absent  no
GET      ``?default``      the default graph, i.e. the union every query sees     no
GET      (none)            the whole dataset as N-Quads or TriG                   no
PUT      ``?graph=<iri>``  replace the graph by the body (201 new, 200 replaced)  yes
POST     ``?graph=<iri>``  add the body as a new graph (201; 409 if it has data)  yes
POST     (none)            add the body as a new graph the server names (201)     yes
DELETE   ``?graph=<iri>``  drop the graph (204; 404 if absent)                    yes
=======  ================  =====================================================  ========

Every graph is a batch (DESIGN.md, "Store"), and every write goes through
:func:`inclusion_kg.graph.load.load_batch`: the body is parsed, the batch describes itself
with PROV-O (so a GET returns the data *and* that description), it is validated against
the SHACL shapes (a Violation is a 422 carrying the report; nothing is written), and it is
written in one transaction. Batches are replaced or dropped whole, never merged into, and
writes to ``?default`` are refused (405): here the default graph is the union of the
batches. See docs/decisions/0003-graph-store-batches.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, status
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from inclusion_kg.api import conneg
from inclusion_kg.api.deps import SettingsDep, StoreDep, WriteAccess
from inclusion_kg.api.errors import PROBLEM_BASE, HTTPProblem
from inclusion_kg.api.protocol import check_iri
from inclusion_kg.api.routes.sparql import choose_media_type, stream_response
from inclusion_kg.graph.load import BatchResult, load_batch
from inclusion_kg.graph.store import QueryResponse, Store

__all__ = ["BatchWritten", "router"]

router = APIRouter(tags=["graph store"])

GraphParam = Annotated[str | None, Query(description="IRI of the named graph (batch) to act on.")]
DefaultParam = Annotated[
    str | None,
    Query(description="Present (as '?default') to act on the default graph."),
]
FormatParam = Annotated[
    str | None,
    Query(alias="format", description="RDF format by short name; overrides Accept."),
]

_READ_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The graph in the negotiated RDF format.",
        "content": {media: {} for media in conneg.GRAPH_TYPES},
    },
    404: {"description": "The store has no such graph."},
    406: {"description": "No acceptable RDF format."},
}
_WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    201: {"description": "The graph did not exist and was created."},
    400: {"description": "The body does not parse, or the target is missing."},
    401: {"description": "Missing or wrong bearer token."},
    405: {"description": "Writes to the default graph are refused; name a graph."},
    409: {"description": "POST to a graph that already holds data; PUT replaces it."},
    413: {"description": "The body is larger than IKG_MAX_UPLOAD_BYTES."},
    415: {"description": "Unsupported RDF Content-Type."},
    422: {"description": "The data fails validation."},
}
_RDF_BODY = {
    "requestBody": {
        "content": {media: {"schema": {"type": "string"}} for media in conneg.GRAPH_TYPES},
        "required": True,
    }
}


def _target(graph: str | None, default: str | None, *, required: bool) -> str | None:
    """Return the graph IRI, ``""`` for the default graph, or None for the whole store."""
    if graph is not None and default is not None:
        msg = "Name either ?graph=<iri> or ?default, not both."
        raise HTTPProblem(400, msg, type_=PROBLEM_BASE + "protocol-error")
    if graph is not None:
        check_iri(graph)
        return graph
    if default is not None:
        return ""
    if required:
        msg = "Name the graph to act on with ?graph=<iri> (or ?default to read the default graph)."
        raise HTTPProblem(400, msg, type_=PROBLEM_BASE + "protocol-error")
    return None


def _refuse_default() -> HTTPProblem:
    return HTTPProblem(
        405,
        "The default graph here is the union of the named graphs (each one a batch with its "
        "own provenance), so it cannot be written as such. Write to a named graph with "
        "?graph=<iri>.",
        title="Default graph is read-only",
        type_=PROBLEM_BASE + "default-graph-read-only",
        headers={"Allow": "GET, HEAD"},
    )


def _graph_exists(store: Store, iri: str) -> bool:
    return store.ask(f"ASK {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")


@router.get("/store", summary="Read a graph (Graph Store Protocol)", responses=_READ_RESPONSES)
def get_graph(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    graph: GraphParam = None,
    default: DefaultParam = None,
    format_name: FormatParam = None,
) -> Response:
    """Return one named graph, the default graph, or the whole dataset."""
    target = _target(graph, default, required=False)
    if target is None:
        media = choose_media_type(request, conneg.DATASET_TYPES, format_name)
        return stream_response(
            QueryResponse("graph", media, iter(store.dump(media))), headers={"Vary": "Accept"}
        )
    media = choose_media_type(request, conneg.GRAPH_TYPES, format_name)
    if target == "":
        result = store.query(
            "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
            media_type=media,
            timeout=settings.query_timeout,
        )
        return stream_response(result, headers={"Vary": "Accept"})
    chunks = iter(store.dump(media, graph=target))  # NotFound (404) for a missing graph
    return stream_response(QueryResponse("graph", media, chunks), headers={"Vary": "Accept"})


@dataclass(frozen=True)
class RdfUpload:
    """An uploaded RDF body and its canonical media type."""

    data: bytes
    media_type: str


async def _rdf_upload(request: Request) -> RdfUpload:
    return RdfUpload(await request.body(), _body_type(request))


Upload = Annotated[RdfUpload, Depends(_rdf_upload)]


def _body_type(request: Request) -> str:
    media, _ = conneg.parse_content_type(request.headers.get("content-type"))
    canonical = conneg.canonical_rdf_type(media)
    if canonical is None:
        shown = f"'{media}'" if media else "no Content-Type"
        raise HTTPProblem(
            415,
            f"The body has {shown}; send RDF as one of: {', '.join(conneg.GRAPH_TYPES)}.",
            title="Unsupported Media Type",
            type_=PROBLEM_BASE + "protocol-error",
        )
    return canonical


class BatchWritten(BaseModel):
    """What a Graph Store write put in the store."""

    graphs: list[str] = Field(description="The named graphs written (one batch each).")
    quads: int = Field(description="Quads written, the batch's PROV-O description included.")
    validation: dict[str, Any] | None = Field(
        default=None,
        description="The SHACL report (Warnings and Infos; a Violation refuses the write "
        "with 422), or null when validation did not run.",
    )


def _written(result: BatchResult, *, created: bool, request: Request) -> JSONResponse:
    body = BatchWritten(
        graphs=list(result.graphs),
        quads=result.quads,
        validation=result.report.to_dict() if result.report is not None else None,
    )
    headers = {}
    if created and result.graphs:
        location = request.url.replace_query_params(graph=result.graphs[0])
        headers["Location"] = str(location)
    return JSONResponse(
        body.model_dump(mode="json"),
        status_code=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        headers=headers,
    )


TitleParam = Annotated[
    str | None,
    Query(description="English title of the batch (dcterms:title of its description)."),
]
SourceParam = Annotated[
    str | None,
    Query(
        description="IRI of the document the data comes from (prov:hadPrimarySource); "
        "by default the SHA-256 of the body."
    ),
]


@router.put(
    "/store",
    summary="Replace a graph (Graph Store Protocol)",
    status_code=status.HTTP_200_OK,
    response_model=BatchWritten,
    responses=_WRITE_RESPONSES,
    openapi_extra=_RDF_BODY,
)
def put_graph(
    request: Request,
    _: WriteAccess,
    store: StoreDep,
    upload: Upload,
    graph: GraphParam = None,
    default: DefaultParam = None,
    title: TitleParam = None,
    source: SourceParam = None,
) -> JSONResponse:
    """Replace a named graph (batch) by the body: validated, described, in one transaction.

    201 when the graph is new, 200 when it replaced one; 422 with the report when the data
    breaks a shape (nothing is written).
    """
    target = _target(graph, default, required=True)
    if not target:
        raise _refuse_default()
    if source is not None:
        check_iri(source)
    existed = _graph_exists(store, target)
    result = load_batch(
        store,
        upload.data,
        upload.media_type,
        graph=target,
        replace=True,
        title=title,
        source=source,
        label="The request body",
    )
    return _written(result, created=not existed, request=request)


@router.post(
    "/store",
    summary="Add a new graph (Graph Store Protocol)",
    status_code=status.HTTP_201_CREATED,
    response_model=BatchWritten,
    responses=_WRITE_RESPONSES,
    openapi_extra=_RDF_BODY,
)
def post_graph(
    request: Request,
    _: WriteAccess,
    store: StoreDep,
    upload: Upload,
    graph: GraphParam = None,
    default: DefaultParam = None,
    title: TitleParam = None,
    source: SourceParam = None,
) -> JSONResponse:
    """Add the body as a new batch: in ``?graph=<iri>``, or in a graph the server names.

    Without ``?graph`` the server mints ``…/graph/batch-…`` (TriG and N-Quads keep the
    graphs they name) and answers 201 with its ``Location``. A graph that already holds
    data is a 409: batches are replaced whole (PUT) or dropped (DELETE), never merged
    into, so each keeps one provenance record.
    """
    if graph is None and default is None:
        target: str | None = None
    else:
        target = _target(graph, default, required=True)
        if not target:
            raise _refuse_default()
    if source is not None:
        check_iri(source)
    result = load_batch(
        store,
        upload.data,
        upload.media_type,
        graph=target,
        title=title,
        source=source,
        label="The request body",
    )
    return _written(result, created=True, request=request)


@router.delete(
    "/store",
    summary="Drop a graph (Graph Store Protocol)",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses={
        204: {"description": "Dropped."},
        401: {"description": "Missing or wrong bearer token."},
        404: {"description": "The store has no such graph."},
        405: {"description": "The default graph cannot be dropped; name a graph."},
    },
)
def delete_graph(
    _: WriteAccess,
    store: StoreDep,
    graph: GraphParam = None,
    default: DefaultParam = None,
) -> Response:
    """Drop a named graph and everything in it."""
    target = _target(graph, default, required=True)
    if not target:
        raise _refuse_default()
    store.drop_graph(target)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
