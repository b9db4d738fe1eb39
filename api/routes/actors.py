"""``/api/v1/actors``: list, read, create, replace, patch and delete actors.

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
from inclusion_kg.api.schemas.actors import (
    ACTOR_EXAMPLE,
    ActorDetail,
    ActorIn,
    ActorPatch,
    ActorSummary,
)
from inclusion_kg.api.schemas.common import Page, WriteResult
from inclusion_kg.graph.catalog.entities import actor_relations, describe, entity_types
from inclusion_kg.graph.catalog.listings import list_actors
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

router = APIRouter(prefix=f"{API}/actors", tags=["actors"])

SortParam = Annotated[
    str,
    Query(pattern=r"^-?(label|kind|city)$", description=SORT_DOC, examples=["label"]),
]

_CREATE_EXAMPLES = {
    "ngo": {
        "summary": "An NGO in Palermo",
        "value": {**ACTOR_EXAMPLE, "slug": "refugee-welcome-palermo"},
    },
    "no-english-name": {
        "summary": "Refused by the shapes (422): no English label",
        "value": {"kind": "NGO", "labels": {"it": "Solo italiano"}, "slug": "solo-italiano"},
    },
}
_PATCH_EXAMPLES = {
    "add-italian-name": {
        "summary": "Add an Italian name (other names stay)",
        "value": {"labels": {"it": "Organizzazione internazionale per le migrazioni"}},
    },
    "remove-urls": {"summary": "Remove the web pages", "value": {"url": None}},
}

TypeParam = Annotated[
    list[str],
    Query(
        alias="type",
        description="Actor kinds (NGO, Municipality, … or actor-type slugs; PublicAuthority and "
        "CivilSocietyOrganisation mean their subclasses). Repeat for several.",
        examples=[["Municipality"]],
    ),
]
PolicyParam = Annotated[
    list[str],
    Query(
        description="Policy-area slugs the actor works in (through partnerships, services "
        "or projects).",
        examples=[["social-inclusion"]],
    ),
]


@router.get(
    "",
    response_model=Page[ActorSummary],
    responses=LISTING_RESPONSES,
    summary="List actors",
)
def actors(
    request: Request,
    response: Response,
    store: StoreDep,
    settings: SettingsDep,
    listing: ListingDep,
    sort: SortParam = "label",
    types: TypeParam = [],  # noqa: B006 - FastAPI copies defaults
    city: Annotated[
        str | None, Query(max_length=300, description="City slug or IRI.", examples=["gdansk"])
    ] = None,
    country: Annotated[
        str | None,
        Query(max_length=300, description="Country slug, IRI or ISO code.", examples=["IT"]),
    ] = None,
    policy_area: PolicyParam = [],  # noqa: B006
    project: Annotated[
        str | None,
        Query(max_length=300, description="Funding project slug or IRI.", examples=["admin4all"]),
    ] = None,
) -> Any:
    """List actors: filter by kind, city, country, policy area, funding project and name.

    Sort keys: ``label``, ``kind``, ``city`` (``-`` for descending). ``Accept:
    application/ld+json`` answers with the page's actors as JSON-LD (types and names).
    """
    page = list_actors(
        store,
        sorted_by(listing, sort),
        types=types,
        city=city,
        country=country,
        policy_area=policy_area,
        project=project,
        base=settings.base_iri,
    )
    return listing_response(request, response, store, settings, page, ActorSummary)


def actor_detail(store: Any, settings: Any, slug: str, spec_name: str = "actor") -> dict[str, Any]:
    """The JSON of one actor (or council)."""
    spec = kind_spec(spec_name)
    iri = entity_iri(spec.iri_kind, slug, settings.base_iri)
    record = current_record(store, spec, iri, settings.base_iri)
    timeout = settings.query_timeout
    return {
        **record,
        "id": iri,
        "slug": slug,
        "label": label_from(record, iri),
        "types": entity_types(store, iri, timeout=timeout),
        **common_detail(store, settings, iri),
    }


@router.get(
    "/{slug}",
    response_model=ActorDetail,
    responses=READ_RESPONSES,
    summary="Read an actor",
)
def actor(request: Request, store: StoreDep, settings: SettingsDep, slug: SlugPath) -> Any:
    """Read an actor.

    Its fields (as PUT takes them), partnerships with partners and roles, services, projects, every
    statement with the graphs asserting it, and provenance.
    """
    jsonld = wants_jsonld(request)
    data = actor_detail(store, settings, slug)
    if jsonld:
        return jsonld_response(
            request, describe(store, data["id"], timeout=settings.query_timeout), settings
        )
    data.update(actor_relations(store, data["id"], timeout=settings.query_timeout))
    return build_model(ActorDetail, data)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=WriteResult,
    responses=WRITE_RESPONSES,
    summary="Create an actor",
)
def create_actor(
    store: StoreDep,
    settings: SettingsDep,
    _: WriteAccess,
    body: Annotated[ActorIn, Body(openapi_examples=_CREATE_EXAMPLES)],
) -> Any:
    """Create an actor at ``id/actor/{slug}`` (slug from ``labels.en`` unless given).

    409 if the IRI exists; 422 with the SHACL report if the actor breaks a shape.
    """
    result = create_entity(
        store, kind_spec("actor"), record_of(body), slug=body.slug, base=settings.base_iri
    )
    slug = result.iri.rsplit("/", 1)[-1]
    return write_response(result, status=201, location=f"{API}/actors/{slug}")


@router.put(
    "/{slug}",
    response_model=WriteResult,
    responses=WRITE_RESPONSES,
    summary="Replace an actor",
)
def replace_actor(
    store: StoreDep,
    settings: SettingsDep,
    _: WriteAccess,
    slug: SlugPath,
    body: Annotated[ActorIn, Body(openapi_examples={"ngo": _CREATE_EXAMPLES["ngo"]})],
) -> Any:
    """Replace what an actor record holds (kind, names, places, …); other statements stay.

    Unchanged statements stay in the graph they came from; removed ones are removed from
    every graph and recorded in the write's batch graph.
    """
    iri = entity_iri("actor", slug, settings.base_iri)
    result = replace_entity(store, kind_spec("actor"), iri, record_of(body), base=settings.base_iri)
    return write_response(result)


@router.patch(
    "/{slug}",
    response_model=WriteResult,
    responses=WRITE_RESPONSES,
    summary="Update an actor (JSON Merge Patch)",
)
def patch_actor(
    store: StoreDep,
    settings: SettingsDep,
    _: WriteAccess,
    slug: SlugPath,
    body: Annotated[ActorPatch, Body(openapi_examples=_PATCH_EXAMPLES)],
) -> Any:
    """Apply a JSON Merge Patch (RFC 7396).

    Present fields replace, null removes a field, objects such as ``labels`` merge by language.
    """
    iri = entity_iri("actor", slug, settings.base_iri)
    result = patch_entity(
        store, kind_spec("actor"), iri, record_of(body, partial=True), base=settings.base_iri
    )
    return write_response(result)


@router.delete(
    "/{slug}",
    response_model=WriteResult,
    responses=WRITE_RESPONSES,
    summary="Delete an actor",
)
def delete_actor(
    store: StoreDep,
    settings: SettingsDep,
    _: WriteAccess,
    slug: SlugPath,
    cascade: CascadeParam = False,
) -> Any:
    """Delete an actor from every data graph.

    Refused with 409 (listing them) while partnerships or other entities point at it,
    unless ``cascade=true``.
    """
    iri = entity_iri("actor", slug, settings.base_iri)
    try:
        result = delete_entity(
            store, kind_spec("actor"), iri, cascade=cascade, base=settings.base_iri
        )
    except StillReferenced as error:
        raise still_referenced(error) from None
    return write_response(result)
