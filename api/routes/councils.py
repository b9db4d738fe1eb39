"""``/api/v1/councils``: list, read, create, replace, patch and delete migrant councils.

Reads are open; writes need ``Authorization: Bearer <IKG_API_TOKEN>`` and are validated
incrementally against the SHACL shapes (a Violation is a 422 with the report and nothing
changes). Every applied write is a batch graph with its PROV-O record (see
docs/decisions/0005-rest-api.md).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request, Response, status

from inclusion_kg.api.deps import SettingsDep, StoreDep, WriteAccess
from inclusion_kg.api.rest import (
    API,
    LISTING_RESPONSES,
    READ_RESPONSES,
    SORT_DOC,
    WRITE_RESPONSES,
    CascadeParam,
    ListingDep,
    SlugPath,
    build_model,
    common_detail,
    jsonld_response,
    label_from,
    listing_response,
    record_of,
    sorted_by,
    still_referenced,
    wants_jsonld,
    write_response,
)
from inclusion_kg.api.schemas.common import Page, WriteResult
from inclusion_kg.api.schemas.councils import (
    COUNCIL_EXAMPLE,
    CouncilDetail,
    CouncilIn,
    CouncilPatch,
    CouncilSummary,
)
from inclusion_kg.graph.catalog.entities import describe, entity_types
from inclusion_kg.graph.catalog.listings import list_councils
from inclusion_kg.graph.edits import (
    StillReferenced,
    create_entity,
    current_record,
    delete_entity,
    patch_entity,
    replace_entity,
)
from inclusion_kg.graph.records import entity_iri, kind_spec

__all__ = ["router"]

KIND = "council"
router = APIRouter(prefix=f"{API}/councils", tags=["councils"])

SortParam = Annotated[
    str,
    Query(pattern=r"^-?(label)$", description=SORT_DOC, examples=["label"]),
]

_CREATE_EXAMPLES = {
    "valid": {
        "summary": "A council with budget and initiative",
        "value": {**COUNCIL_EXAMPLE, "slug": "milan-migrant-council"},
    },
    "invalid": {
        "summary": "Refused by the shapes (422): two cities",
        "value": {"labels": {"en": "Council of two cities"}, "based_in": ["palermo", "gdansk"]},
    },
}
_PATCH_EXAMPLES = {
    "rename": {
        "summary": "Add an Italian name (the other names stay)",
        "value": {"labels": {"it": "Consulta delle culture"}},
    },
    "remove": {"summary": "Forget the member count", "value": {"member_count": None}},
}


@router.get(
    "",
    response_model=Page[CouncilSummary],
    responses=LISTING_RESPONSES,
    summary="List migrant councils",
)
def listing(
    request: Request,
    response: Response,
    store: StoreDep,
    settings: SettingsDep,
    listing: ListingDep,
    sort: SortParam = "label",
    city: Annotated[
        str | None, Query(max_length=300, description="City slug or IRI.", examples=["palermo"])
    ] = None,
    country: Annotated[
        str | None,
        Query(max_length=300, description="Country slug, IRI or ISO code.", examples=["IT"]),
    ] = None,
    has_budget: Annotated[
        bool | None,
        Query(
            description="true: councils with a budget; false: without one or unknown.",
            examples=[True],
        ),
    ] = None,
    has_own_initiative_right: Annotated[
        bool | None, Query(description="Own-initiative right.", examples=[True])
    ] = None,
) -> Any:
    """List migrant councils with their city, budget and own-initiative right (the study's test of.

    Meaningful migrant involvement). Sort key: ``label``.
    """
    page = list_councils(
        store,
        sorted_by(listing, sort),
        city=city,
        country=country,
        has_budget=has_budget,
        has_own_initiative_right=has_own_initiative_right,
        base=settings.base_iri,
    )
    return listing_response(request, response, store, settings, page, CouncilSummary)


def _detail(store: Any, settings: Any, slug: str) -> dict[str, Any]:
    spec = kind_spec(KIND)
    iri = entity_iri(spec.iri_kind, slug, settings.base_iri)
    record = current_record(store, spec, iri, settings.base_iri)
    return {
        **record,
        "id": iri,
        "slug": slug,
        "label": label_from(record, iri),
        "types": entity_types(store, iri, timeout=settings.query_timeout),
        **common_detail(store, settings, iri),
    }


@router.get(
    "/{slug}",
    response_model=CouncilDetail,
    responses=READ_RESPONSES,
    summary="Read a migrant council",
)
def read(request: Request, store: StoreDep, settings: SettingsDep, slug: SlugPath) -> Any:
    """Read a migrant council.

    Its fields (as PUT takes them), every statement with the graphs asserting it, and the batches
    that mention it (provenance).
    """
    jsonld = wants_jsonld(request)
    data = _detail(store, settings, slug)
    if jsonld:
        return jsonld_response(
            request, describe(store, data["id"], timeout=settings.query_timeout), settings
        )
    return build_model(CouncilDetail, data)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=WriteResult,
    responses=WRITE_RESPONSES,
    summary="Create a migrant council",
)
def create(
    store: StoreDep,
    settings: SettingsDep,
    _: WriteAccess,
    body: Annotated[CouncilIn, Body(openapi_examples=_CREATE_EXAMPLES)],
) -> Any:
    """Create a migrant council at ``id/actor/{slug}`` (slug from ``labels.en`` unless given).

    409 if the IRI exists; 422 with the SHACL report if it breaks a shape.
    """
    result = create_entity(
        store, kind_spec(KIND), record_of(body), slug=body.slug, base=settings.base_iri
    )
    slug = result.iri.rsplit("/", 1)[-1]
    return write_response(result, status=201, location=f"{API}/councils/{slug}")


@router.put(
    "/{slug}",
    response_model=WriteResult,
    responses=WRITE_RESPONSES,
    summary="Replace a migrant council",
)
def replace(
    store: StoreDep,
    settings: SettingsDep,
    _: WriteAccess,
    slug: SlugPath,
    body: Annotated[CouncilIn, Body(openapi_examples={"valid": _CREATE_EXAMPLES["valid"]})],
) -> Any:
    """Replace what the migrant council record holds; statements it does not cover stay.

    Unchanged statements stay in the graph they came from; removed ones are removed from
    every graph and recorded in the write's batch graph.
    """
    iri = entity_iri("actor", slug, settings.base_iri)
    result = replace_entity(store, kind_spec(KIND), iri, record_of(body), base=settings.base_iri)
    return write_response(result)


@router.patch(
    "/{slug}",
    response_model=WriteResult,
    responses=WRITE_RESPONSES,
    summary="Update a migrant council (JSON Merge Patch)",
)
def patch(
    store: StoreDep,
    settings: SettingsDep,
    _: WriteAccess,
    slug: SlugPath,
    body: Annotated[CouncilPatch, Body(openapi_examples=_PATCH_EXAMPLES)],
) -> Any:
    """Apply a JSON Merge Patch (RFC 7396).

    Present fields replace, null removes a field, objects such as ``labels`` merge by language,
    lists are replaced whole.
    """
    iri = entity_iri("actor", slug, settings.base_iri)
    result = patch_entity(
        store, kind_spec(KIND), iri, record_of(body, partial=True), base=settings.base_iri
    )
    return write_response(result)


@router.delete(
    "/{slug}",
    response_model=WriteResult,
    responses=WRITE_RESPONSES,
    summary="Delete a migrant council",
)
def delete(
    store: StoreDep,
    settings: SettingsDep,
    _: WriteAccess,
    slug: SlugPath,
    cascade: CascadeParam = False,
) -> Any:
    """Delete a migrant council (and the nodes it owns) from every data graph.

    Refused with 409 (listing them) while other entities point at it, unless ``cascade=true``.
    """
    iri = entity_iri("actor", slug, settings.base_iri)
    try:
        result = delete_entity(store, kind_spec(KIND), iri, cascade=cascade, base=settings.base_iri)
    except StillReferenced as error:
        raise still_referenced(error) from None
    return write_response(result)
