"""``/api/v1/projects``: list, read, create, replace, patch and delete funding projects.

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
from inclusion_kg.api.schemas.projects import (
    PROJECT_EXAMPLE,
    ProjectDetail,
    ProjectIn,
    ProjectPatch,
    ProjectSummary,
)
from inclusion_kg.graph.catalog.entities import describe, entity_types, project_relations
from inclusion_kg.graph.catalog.listings import list_projects
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

KIND = "project"
router = APIRouter(prefix=f"{API}/projects", tags=["projects"])

SortParam = Annotated[
    str,
    Query(pattern=r"^-?(label|start_date)$", description=SORT_DOC, examples=["label"]),
]

_CREATE_EXAMPLES = {
    "valid": {
        "summary": "A project funded by DG EMPL",
        "value": {**PROJECT_EXAMPLE, "slug": "welcoming-cities-2025"},
    },
    "invalid": {
        "summary": "Refused by the shapes (422): a negative budget in lower-case currency",
        "value": {
            "labels": {"en": "Broken budget"},
            "funders": ["dg-empl"],
            "implementers": ["iom"],
            "budget": {"value": -5, "currency": "eur"},
        },
    },
}
_PATCH_EXAMPLES = {
    "rename": {
        "summary": "Add an Italian name (the other names stay)",
        "value": {"labels": {"it": "Città accoglienti 2025"}},
    },
    "remove": {"summary": "Remove the budget", "value": {"budget": None}},
}


@router.get(
    "",
    response_model=Page[ProjectSummary],
    responses=LISTING_RESPONSES,
    summary="List funding projects",
)
def listing(
    request: Request,
    response: Response,
    store: StoreDep,
    settings: SettingsDep,
    listing: ListingDep,
    sort: SortParam = "label",
    funder: Annotated[
        str | None,
        Query(max_length=300, description="A funder (slug or IRI).", examples=["dg-empl"]),
    ] = None,
    implementer: Annotated[
        str | None, Query(max_length=300, description="An implementer.", examples=["iom"])
    ] = None,
    actor: Annotated[
        str | None, Query(max_length=300, description="A funder or implementer.", examples=["iom"])
    ] = None,
    policy_area: Annotated[
        list[str], Query(description="Policy-area slugs.", examples=[["social-inclusion"]])
    ] = [],  # noqa: B006 - FastAPI copies defaults
) -> Any:
    """List funding projects.

    Filter by funder, implementer, either, policy area and name. Sort keys: ``label``,
    ``start_date``.
    """
    page = list_projects(
        store,
        sorted_by(listing, sort),
        funder=funder,
        implementer=implementer,
        actor=actor,
        policy_area=policy_area,
        base=settings.base_iri,
    )
    return listing_response(request, response, store, settings, page, ProjectSummary)


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
    response_model=ProjectDetail,
    responses=READ_RESPONSES,
    summary="Read a funding project",
)
def read(request: Request, store: StoreDep, settings: SettingsDep, slug: SlugPath) -> Any:
    """Read a funding project.

    Its fields (as PUT takes them), the partnerships and services it funds, every statement with the
    graphs asserting it, and the batches that mention it (provenance).
    """
    jsonld = wants_jsonld(request)
    data = _detail(store, settings, slug)
    if jsonld:
        return jsonld_response(
            request, describe(store, data["id"], timeout=settings.query_timeout), settings
        )
    funded = project_relations(store, data["id"], timeout=settings.query_timeout)
    data["funds_partnerships"] = funded["partnerships"]
    data["funds_services"] = funded["services"]
    return build_model(ProjectDetail, data)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=WriteResult,
    responses=WRITE_RESPONSES,
    summary="Create a funding project",
)
def create(
    store: StoreDep,
    settings: SettingsDep,
    _: WriteAccess,
    body: Annotated[ProjectIn, Body(openapi_examples=_CREATE_EXAMPLES)],
) -> Any:
    """Create a funding project at ``id/project/{slug}`` (slug from ``labels.en`` unless given).

    409 if the IRI exists; 422 with the SHACL report if it breaks a shape.
    """
    result = create_entity(
        store, kind_spec(KIND), record_of(body), slug=body.slug, base=settings.base_iri
    )
    slug = result.iri.rsplit("/", 1)[-1]
    return write_response(result, status=201, location=f"{API}/projects/{slug}")


@router.put(
    "/{slug}",
    response_model=WriteResult,
    responses=WRITE_RESPONSES,
    summary="Replace a funding project",
)
def replace(
    store: StoreDep,
    settings: SettingsDep,
    _: WriteAccess,
    slug: SlugPath,
    body: Annotated[ProjectIn, Body(openapi_examples={"valid": _CREATE_EXAMPLES["valid"]})],
) -> Any:
    """Replace what the funding project record holds; statements it does not cover stay.

    Unchanged statements stay in the graph they came from; removed ones are removed from
    every graph and recorded in the write's batch graph.
    """
    iri = entity_iri("project", slug, settings.base_iri)
    result = replace_entity(store, kind_spec(KIND), iri, record_of(body), base=settings.base_iri)
    return write_response(result)


@router.patch(
    "/{slug}",
    response_model=WriteResult,
    responses=WRITE_RESPONSES,
    summary="Update a funding project (JSON Merge Patch)",
)
def patch(
    store: StoreDep,
    settings: SettingsDep,
    _: WriteAccess,
    slug: SlugPath,
    body: Annotated[ProjectPatch, Body(openapi_examples=_PATCH_EXAMPLES)],
) -> Any:
    """Apply a JSON Merge Patch (RFC 7396).

    Present fields replace, null removes a field, objects such as ``labels`` merge by language,
    lists are replaced whole.
    """
    iri = entity_iri("project", slug, settings.base_iri)
    result = patch_entity(
        store, kind_spec(KIND), iri, record_of(body, partial=True), base=settings.base_iri
    )
    return write_response(result)


@router.delete(
    "/{slug}",
    response_model=WriteResult,
    responses=WRITE_RESPONSES,
    summary="Delete a funding project",
)
def delete(
    store: StoreDep,
    settings: SettingsDep,
    _: WriteAccess,
    slug: SlugPath,
    cascade: CascadeParam = False,
) -> Any:
    """Delete a funding project (and the nodes it owns) from every data graph.

    Refused with 409 (listing them) while other entities point at it, unless ``cascade=true``.
    """
    iri = entity_iri("project", slug, settings.base_iri)
    try:
        result = delete_entity(store, kind_spec(KIND), iri, cascade=cascade, base=settings.base_iri)
    except StillReferenced as error:
        raise still_referenced(error) from None
    return write_response(result)
