"""Plumbing shared by the REST resources under ``/api/v1``.

- content negotiation between JSON (the default, typed by the pydantic models of
  :mod:`inclusion_kg.api.schemas`) and JSON-LD (``Accept: application/ld+json``), whose
  ``@context`` is the document published at ``/api/v1/context.jsonld``;
- listing parameters (``limit``, ``offset``, ``sort``, ``q``), ``next``/``prev`` links in
  the body and in a ``Link`` header;
- the write endpoints' common steps (kind spec, IRI from slug, result and errors);
- the OpenAPI description of the problem responses every route can give.

Routes are plain ``def`` functions: the store is synchronous, so FastAPI runs them in its
thread pool. Reads are bounded by ``IKG_QUERY_TIMEOUT`` (503 past it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ValidationError
from pyoxigraph import Triple

from inclusion_kg.api import conneg
from inclusion_kg.api.deps import SettingsDep
from inclusion_kg.api.errors import PROBLEM_BASE, PROBLEM_JSON, HTTPProblem
from inclusion_kg.api.schemas.common import Problem
from inclusion_kg.graph.catalog.entities import (
    entity_types,
    provenance,
    statements,
    summary_triples,
)
from inclusion_kg.graph.catalog.listings import Listing
from inclusion_kg.graph.catalog.query import Page
from inclusion_kg.graph.edits import EditResult, StillReferenced
from inclusion_kg.graph.jsonld import CONTEXT_PATH, compact
from inclusion_kg.graph.records import KindSpec, kind_spec, local_name
from inclusion_kg.graph.settings import Settings
from inclusion_kg.graph.store import Store

__all__ = [
    "API",
    "JSON",
    "LISTING_RESPONSES",
    "READ_RESPONSES",
    "SLUG_PATTERN",
    "WRITE_RESPONSES",
    "CascadeParam",
    "ListingDep",
    "SlugPath",
    "build_model",
    "context_url",
    "entity_or_404",
    "jsonld_response",
    "label_from",
    "listing_response",
    "problem_doc",
    "ref_list",
    "sorted_by",
    "still_referenced",
    "wants_jsonld",
    "write_response",
]

API = "/api/v1"
JSON = "application/json"
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

M = TypeVar("M", bound=BaseModel)


# ---------------------------------------------------------------------------------------
# OpenAPI: the problem responses
# ---------------------------------------------------------------------------------------


def problem_doc(description: str, status: int, detail: str) -> dict[str, Any]:
    """The OpenAPI description of a problem response, with an example."""
    return {
        "description": description,
        "content": {
            PROBLEM_JSON: {
                "schema": Problem.model_json_schema(ref_template="#/components/schemas/{model}"),
                "example": {
                    "type": PROBLEM_BASE + "…",
                    "title": description,
                    "status": status,
                    "detail": detail,
                    "instance": "/api/v1/…",
                },
            }
        },
    }


_BAD = problem_doc("Bad input", 400, "city='x y' is not a reference; give a full IRI or a slug.")
_NOT_FOUND = problem_doc("Not found", 404, "There is no actor id:actor/nobody.")
_NOT_ACCEPTABLE = problem_doc(
    "Not acceptable", 406, "Ask for one of: application/json, application/ld+json."
)
_INVALID = problem_doc(
    "Invalid request or data",
    422,
    "The write breaks the shapes (1 violation); nothing was written.",
)
_UNAVAILABLE = problem_doc("Store unavailable or query timed out", 503, "The query ran too long.")

LISTING_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "A page of items (JSON), or their names and types (JSON-LD).",
        "content": {conneg.JSON_LD: {"schema": {"type": "object"}}},
    },
    400: _BAD,
    406: _NOT_ACCEPTABLE,
    422: _INVALID,
    503: _UNAVAILABLE,
}
"""Responses of a listing route (the 200 JSON schema comes from its response model)."""

READ_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The resource (JSON), or its RDF description (JSON-LD).",
        "content": {conneg.JSON_LD: {"schema": {"type": "object"}}},
    },
    400: _BAD,
    404: _NOT_FOUND,
    406: _NOT_ACCEPTABLE,
    422: _INVALID,
    503: _UNAVAILABLE,
}
"""Responses of a route reading one resource."""

WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _BAD,
    401: problem_doc("Missing or wrong bearer token", 401, "This request writes to the store…"),
    403: problem_doc("Writes disabled (no IKG_API_TOKEN)", 403, "Writes are disabled…"),
    404: _NOT_FOUND,
    409: problem_doc("Conflict", 409, "id:actor/iom already exists; PUT replaces it."),
    413: problem_doc("Body too large", 413, "The body is larger than IKG_MAX_UPLOAD_BYTES."),
    422: _INVALID,
    503: _UNAVAILABLE,
}
"""Responses of a write route (plus its success response)."""


# ---------------------------------------------------------------------------------------
# Parameters
# ---------------------------------------------------------------------------------------

SlugPath = Annotated[
    str,
    Path(
        description="The last segment of the entity's IRI (lower-case letters, digits, hyphens).",
        pattern=SLUG_PATTERN,
        max_length=80,
        examples=["iom"],
    ),
]
CascadeParam = Annotated[
    bool,
    Query(
        description="Also delete the partnerships that take part through it and remove the "
        "other statements pointing at it (the shapes then check what is left).",
        examples=[False],
    ),
]


def listing_params(
    settings: SettingsDep,
    limit: Annotated[
        int, Query(ge=1, le=1000, description="Items per page (1-1000).", examples=[50])
    ] = 50,
    offset: Annotated[
        int, Query(ge=0, le=1_000_000, description="Items to skip.", examples=[0])
    ] = 0,
    q: Annotated[
        str | None,
        Query(
            max_length=100,
            description="Text in a name (rdfs:label or skos:altLabel, any language), "
            "ignoring case and accents.",
            examples=["gdansk"],
        ),
    ] = None,
) -> Listing:
    """Collect the paging parameters every listing takes."""
    return Listing(limit=limit, offset=offset, q=q, timeout=settings.query_timeout)


ListingDep = Annotated[Listing, Depends(listing_params)]


def sorted_by(listing: Listing, sort: str) -> Listing:
    """The listing with its sort key (a route's ``sort`` parameter)."""
    return replace(listing, sort=sort)


SORT_DOC = "Sort key; '-' in front for descending."


# ---------------------------------------------------------------------------------------
# Representations
# ---------------------------------------------------------------------------------------


def wants_jsonld(request: Request) -> bool:
    """Whether the client asked for JSON-LD rather than plain JSON.

    Raises:
        NotAcceptable: it accepts neither (406, listing both).
    """
    chosen = conneg.negotiate(request.headers.get("accept"), (JSON, conneg.JSON_LD), aliases={})
    return chosen == conneg.JSON_LD


def context_url(request: Request) -> str:
    """The absolute URL of the published JSON-LD context."""
    return str(request.base_url).rstrip("/") + CONTEXT_PATH


def jsonld_response(
    request: Request,
    triples: Iterable[Triple],
    settings: Settings,
    *,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """Answer with triples as JSON-LD that uses the published context."""
    document = compact(triples, context_url(request), settings.base_iri)
    return JSONResponse(
        document,
        media_type=conneg.JSON_LD,
        headers={"Vary": "Accept", **(headers or {})},
    )


def _link(request: Request, offset: int) -> str:
    return str(request.url.include_query_params(offset=offset))


def listing_response(
    request: Request,
    response: Response,
    store: Store,
    settings: Settings,
    page: Page,
    model: type[BaseModel],
) -> Any:
    """Answer a listing: the typed page (JSON) or the items' names and types (JSON-LD).

    Both carry ``Link`` headers to the next and previous pages.
    """
    next_url = (
        _link(request, page.offset + page.limit) if page.offset + page.limit < page.total else None
    )
    prev_url = _link(request, max(page.offset - page.limit, 0)) if page.offset > 0 else None
    links = [
        f'<{url}>; rel="{rel}"' for url, rel in ((next_url, "next"), (prev_url, "prev")) if url
    ]
    headers = {"Link": ", ".join(links)} if links else {}
    if wants_jsonld(request):
        ids = [item["id"] for item in page.items]
        triples = summary_triples(store, ids, timeout=settings.query_timeout)
        return jsonld_response(
            request, triples, settings, headers={**headers, "Ikg-Total": str(page.total)}
        )
    for name, value in headers.items():
        response.headers[name] = value
    response.headers["Vary"] = "Accept"
    items = [build_model(model, item) for item in page.items]
    return {
        "items": items,
        "total": page.total,
        "limit": page.limit,
        "offset": page.offset,
        "next": next_url,
        "prev": prev_url,
    }


def build_model(model: type[M], data: Mapping[str, Any]) -> M:
    """Build a response model, dropping fields whose stored values do not fit it.

    Data in the store may break the shapes (a batch loaded before a shape existed); a
    reader still gets the entity, and the values appear under ``statements``.
    """
    values = dict(data)
    for _ in range(len(values) + 1):
        try:
            return model.model_validate(values)
        except ValidationError as error:
            bad = {str(e["loc"][0]) for e in error.errors() if e.get("loc")}
            removable = {key for key in bad if key in values and key not in ("id", "label", "slug")}
            if not removable:
                raise
            for key in removable:
                values.pop(key)
    return model.model_validate(values)


def label_from(record: Mapping[str, Any], iri: str) -> str:
    """The English label of a record (any label, else the IRI's last segment)."""
    labels = record.get("labels")
    if isinstance(labels, Mapping) and labels:
        return str(labels.get("en") or next(iter(labels.values())))
    return local_name(iri)


def entity_or_404(
    store: Store,
    settings: Settings,
    kind: str,
    slug: str,
    classes: Sequence[str],
    what: str,
    listing: str,
) -> tuple[str, list[str]]:
    """Return the IRI and classes of ``id/{kind}/{slug}`` if it has one of ``classes``.

    Raises:
        HTTPProblem: 404 when the store has no such entity.
    """
    iri = f"{settings.base_iri}id/{kind}/{slug}"
    types = entity_types(store, iri, timeout=settings.query_timeout)
    wanted = {f"https://w3id.org/inclusion-kg/ontology#{name}" for name in classes}
    if not wanted & set(types):
        raise HTTPProblem(
            404,
            f"There is no {what} '{slug}' ({iri}); list them at {API}/{listing}.",
            title="Not found",
            type_=PROBLEM_BASE + "not-found",
        )
    return iri, types


def common_detail(store: Store, settings: Settings, iri: str) -> dict[str, Any]:
    """The statements and provenance every detail carries."""
    return {
        "statements": statements(store, iri, timeout=settings.query_timeout),
        "provenance": provenance(store, iri, timeout=settings.query_timeout),
    }


def ref_list(values: Iterable[str], labels: Mapping[str, str]) -> list[dict[str, str]]:
    """Turn IRIs into ``{id, label}`` references."""
    return [{"id": value, "label": labels.get(value, local_name(value))} for value in values]


# ---------------------------------------------------------------------------------------
# Writes
# ---------------------------------------------------------------------------------------


def spec(name: str) -> KindSpec:
    """The record spec of a writable kind."""
    return kind_spec(name)


def write_response(
    result: EditResult, *, status: int = 200, location: str | None = None
) -> JSONResponse:
    """Answer a write with its :class:`~inclusion_kg.api.schemas.common.WriteResult`."""
    body = {
        "id": result.iri,
        "action": result.action,
        "graph": result.graph,
        "added": result.added,
        "removed": result.removed,
        "deleted": list(result.deleted),
        "validation": result.report.to_dict(),
        "preexisting_violations": [r.to_dict() for r in result.preexisting],
    }
    headers = {"Location": location} if location else {}
    return JSONResponse(body, status_code=status, headers=headers)


def still_referenced(error: StillReferenced) -> HTTPProblem:
    """Turn a refused delete into a 409 problem listing what still points at the entity."""
    return HTTPProblem(
        409,
        str(error),
        title="Still referenced",
        type_=PROBLEM_BASE + "still-referenced",
        extensions={
            "references": [
                {
                    "subject": ref.subject,
                    "property": ref.predicate,
                    "graph": ref.graph,
                    "partnership": ref.partnership,
                }
                for ref in error.references
            ]
        },
    )


def record_of(body: BaseModel, *, partial: bool = False) -> dict[str, Any]:
    """The record a write body describes (without ``slug``); a PATCH keeps explicit nulls."""
    data = body.model_dump(exclude_unset=partial, exclude_none=not partial, mode="json")
    data.pop("slug", None)
    return data


Handler = Callable[..., Any]
