"""``/api/v1/documents``: the source documents that evidence the data."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from inclusion_kg.api.deps import SettingsDep, StoreDep
from inclusion_kg.api.rest import (
    API,
    LISTING_RESPONSES,
    READ_RESPONSES,
    SORT_DOC,
    ListingDep,
    SlugPath,
    build_model,
    common_detail,
    entity_or_404,
    jsonld_response,
    listing_response,
    sorted_by,
    wants_jsonld,
)
from inclusion_kg.api.routes.cities import english_label
from inclusion_kg.api.schemas.common import Page
from inclusion_kg.api.schemas.documents import DocumentDetail, DocumentSummary
from inclusion_kg.graph.catalog.entities import describe, incoming
from inclusion_kg.graph.catalog.listings import DOCUMENT_CLASSES, list_documents

__all__ = ["router"]

router = APIRouter(prefix=f"{API}/documents", tags=["documents"])

SortParam = Annotated[
    str,
    Query(pattern=r"^-?(label|issued)$", description=SORT_DOC, examples=["label"]),
]

DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"


@router.get(
    "",
    response_model=Page[DocumentSummary],
    responses=LISTING_RESPONSES,
    summary="List source documents",
)
def documents(
    request: Request,
    response: Response,
    store: StoreDep,
    settings: SettingsDep,
    listing: ListingDep,
    sort: SortParam = "label",
    publisher: Annotated[
        str | None,
        Query(max_length=300, description="Publisher (actor slug or IRI).", examples=["iom"]),
    ] = None,
) -> Any:
    """List source documents (reports, press releases, web pages).

    Sort keys: ``label``, ``issued``.
    """
    page = list_documents(
        store, sorted_by(listing, sort), publisher=publisher, base=settings.base_iri
    )
    return listing_response(request, response, store, settings, page, DocumentSummary)


@router.get(
    "/{slug}",
    response_model=DocumentDetail,
    responses=READ_RESPONSES,
    summary="A source document",
)
def document(request: Request, store: StoreDep, settings: SettingsDep, slug: SlugPath) -> Any:
    """A source document and the entities derived from it (``prov:wasDerivedFrom``)."""
    jsonld = wants_jsonld(request)
    iri, types = entity_or_404(
        store, settings, "document", slug, DOCUMENT_CLASSES, "document", "documents"
    )
    if jsonld:
        return jsonld_response(
            request, describe(store, iri, timeout=settings.query_timeout), settings
        )
    common = common_detail(store, settings, iri)
    evidence = [
        {"id": ref["subject"], "label": ref["label"]}
        for ref in incoming(store, iri, timeout=settings.query_timeout)
        if ref["property"] == DERIVED
    ]
    data = {
        "id": iri,
        "slug": slug,
        "label": english_label(common["statements"], slug),
        "types": types,
        "evidence_for": evidence,
        **common,
    }
    return build_model(DocumentDetail, data)
