"""``/api/v1/partnerships``: list, read, create, replace, patch and delete partnerships.

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
from inclusion_kg.api.schemas.partnerships import (
    PARTNERSHIP_EXAMPLE,
    PartnershipDetail,
    PartnershipIn,
    PartnershipPatch,
    PartnershipSummary,
)
from inclusion_kg.graph.catalog.entities import describe, entity_types, labels_of
from inclusion_kg.graph.catalog.listings import list_partnerships
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

KIND = "partnership"
router = APIRouter(prefix=f"{API}/partnerships", tags=["partnerships"])

SortParam = Annotated[
    str,
    Query(pattern=r"^-?(label|start_date|end_date)$", description=SORT_DOC, examples=["label"]),
]

_CREATE_EXAMPLES = {
    "valid": {
        "summary": "A network in Palermo",
        "value": {**PARTNERSHIP_EXAMPLE, "slug": "palermo-welcome-network"},
    },
    "invalid": {
        "summary": "Refused by the shapes (422): no formality and one partner",
        "value": {
            "labels": {"en": "Lonely partnership"},
            "partners": [{"actor": "iom", "role": "lead"}],
            "partnership_types": ["network"],
        },
    },
}
_PATCH_EXAMPLES = {
    "rename": {
        "summary": "Add an Italian name (the other names stay)",
        "value": {"labels": {"it": "Rete di accoglienza di Palermo"}},
    },
    "remove": {"summary": "Remove the end date", "value": {"end_date": None}},
}


@router.get(
    "",
    response_model=Page[PartnershipSummary],
    responses=LISTING_RESPONSES,
    summary="List partnerships",
)
def listing(
    request: Request,
    response: Response,
    store: StoreDep,
    settings: SettingsDep,
    listing: ListingDep,
    sort: SortParam = "label",
    partnership_type: Annotated[
        list[str],
        Query(alias="type", description="Partnership-type slugs.", examples=[["funding"]]),
    ] = [],  # noqa: B006 - FastAPI copies defaults
    formality: Annotated[
        list[str], Query(description="Formality slugs.", examples=[["formal-agreement"]])
    ] = [],  # noqa: B006
    role_equality: Annotated[
        list[str], Query(description="Role-equality slugs.", examples=[["eye-to-eye"]])
    ] = [],  # noqa: B006
    policy_area: Annotated[
        list[str], Query(description="Policy-area slugs.", examples=[["reception"]])
    ] = [],  # noqa: B006
    actor: Annotated[
        str | None, Query(max_length=300, description="A partner (slug or IRI).", examples=["iom"])
    ] = None,
    city: Annotated[
        str | None,
        Query(max_length=300, description="Served city or a partner's city.", examples=["gdansk"]),
    ] = None,
    country: Annotated[
        str | None,
        Query(max_length=300, description="Country slug, IRI or ISO code.", examples=["PL"]),
    ] = None,
    project: Annotated[
        str | None, Query(max_length=300, description="Funding project.", examples=["admin4all"])
    ] = None,
) -> Any:
    """List partnerships.

    Filter by type, formality, role equality, policy area, partner, place and funding project. Sort
    keys: ``label``, ``start_date``, ``end_date``.
    """
    page = list_partnerships(
        store,
        sorted_by(listing, sort),
        partnership_type=partnership_type,
        formality=formality,
        role_equality=role_equality,
        policy_area=policy_area,
        actor=actor,
        city=city,
        country=country,
        project=project,
        base=settings.base_iri,
    )
    return listing_response(request, response, store, settings, page, PartnershipSummary)


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
    response_model=PartnershipDetail,
    responses=READ_RESPONSES,
    summary="Read a partnership",
)
def read(request: Request, store: StoreDep, settings: SettingsDep, slug: SlugPath) -> Any:
    """Read a partnership.

    Its fields (as PUT takes them), the partners with their names and roles, every statement with
    the graphs asserting it, and the batches that mention it (provenance).
    """
    jsonld = wants_jsonld(request)
    data = _detail(store, settings, slug)
    if jsonld:
        return jsonld_response(
            request, describe(store, data["id"], timeout=settings.query_timeout), settings
        )
    partners = data.get("partners") or []
    names = labels_of(store, [p["actor"] for p in partners], timeout=settings.query_timeout)
    data["partner_details"] = [
        {"id": p["actor"], "label": names.get(p["actor"], p["actor"]), "role": p.get("role")}
        for p in partners
    ]
    return build_model(PartnershipDetail, data)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=WriteResult,
    responses=WRITE_RESPONSES,
    summary="Create a partnership",
)
def create(
    store: StoreDep,
    settings: SettingsDep,
    _: WriteAccess,
    body: Annotated[PartnershipIn, Body(openapi_examples=_CREATE_EXAMPLES)],
) -> Any:
    """Create a partnership at ``id/partnership/{slug}`` (slug from ``labels.en`` unless given).

    409 if the IRI exists; 422 with the SHACL report if it breaks a shape.
    """
    result = create_entity(
        store, kind_spec(KIND), record_of(body), slug=body.slug, base=settings.base_iri
    )
    slug = result.iri.rsplit("/", 1)[-1]
    return write_response(result, status=201, location=f"{API}/partnerships/{slug}")


@router.put(
    "/{slug}",
    response_model=WriteResult,
    responses=WRITE_RESPONSES,
    summary="Replace a partnership",
)
def replace(
    store: StoreDep,
    settings: SettingsDep,
    _: WriteAccess,
    slug: SlugPath,
    body: Annotated[PartnershipIn, Body(openapi_examples={"valid": _CREATE_EXAMPLES["valid"]})],
) -> Any:
    """Replace what the partnership record holds; statements it does not cover stay.

    Unchanged statements stay in the graph they came from; removed ones are removed from
    every graph and recorded in the write's batch graph.
    """
    iri = entity_iri("partnership", slug, settings.base_iri)
    result = replace_entity(store, kind_spec(KIND), iri, record_of(body), base=settings.base_iri)
    return write_response(result)


@router.patch(
    "/{slug}",
    response_model=WriteResult,
    responses=WRITE_RESPONSES,
    summary="Update a partnership (JSON Merge Patch)",
)
def patch(
    store: StoreDep,
    settings: SettingsDep,
    _: WriteAccess,
    slug: SlugPath,
    body: Annotated[PartnershipPatch, Body(openapi_examples=_PATCH_EXAMPLES)],
) -> Any:
    """Apply a JSON Merge Patch (RFC 7396).

    Present fields replace, null removes a field, objects such as ``labels`` merge by language,
    lists are replaced whole.
    """
    iri = entity_iri("partnership", slug, settings.base_iri)
    result = patch_entity(
        store, kind_spec(KIND), iri, record_of(body, partial=True), base=settings.base_iri
    )
    return write_response(result)


@router.delete(
    "/{slug}",
    response_model=WriteResult,
    responses=WRITE_RESPONSES,
    summary="Delete a partnership",
)
def delete(
    store: StoreDep,
    settings: SettingsDep,
    _: WriteAccess,
    slug: SlugPath,
    cascade: CascadeParam = False,
) -> Any:
    """Delete a partnership (and the nodes it owns) from every data graph.

    Refused with 409 (listing them) while other entities point at it, unless ``cascade=true``.
    """
    iri = entity_iri("partnership", slug, settings.base_iri)
    try:
        result = delete_entity(store, kind_spec(KIND), iri, cascade=cascade, base=settings.base_iri)
    except StillReferenced as error:
        raise still_referenced(error) from None
    return write_response(result)
