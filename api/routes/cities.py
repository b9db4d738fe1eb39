"""``/api/v1/cities``: cities and their profiles (actors, services, partnerships, councils)."""

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
from inclusion_kg.api.schemas.common import Page
from inclusion_kg.api.schemas.places import CityDetail, CitySummary
from inclusion_kg.graph.catalog.entities import city_profile, describe
from inclusion_kg.graph.catalog.listings import list_cities
from inclusion_kg.graph.records import local_name

__all__ = ["references_of", "router"]

router = APIRouter(prefix=f"{API}/cities", tags=["places"])

SortParam = Annotated[
    str,
    Query(pattern=r"^-?(label|country)$", description=SORT_DOC, examples=["label"]),
]

IKG = "https://w3id.org/inclusion-kg/ontology#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def references_of(statements: list[dict[str, Any]], prop: str) -> list[dict[str, str]]:
    """The IRI values of one property among an entity's statements, as references."""
    for statement in statements:
        if statement["property"] == prop:
            return [
                {"id": v["value"], "label": v["label"] or local_name(v["value"])}
                for v in statement["values"]
                if v["type"] == "iri"
            ]
    return []


def english_label(statements: list[dict[str, Any]], fallback: str) -> str:
    """The English rdfs:label among an entity's statements (any label, else ``fallback``)."""
    for statement in statements:
        if statement["property"] == RDFS_LABEL:
            values = statement["values"]
            english = [v["value"] for v in values if (v["language"] or "").startswith("en")]
            if english or values:
                return str((english or [values[0]["value"]])[0])
    return fallback


@router.get(
    "",
    response_model=Page[CitySummary],
    responses=LISTING_RESPONSES,
    summary="List cities",
)
def cities(
    request: Request,
    response: Response,
    store: StoreDep,
    settings: SettingsDep,
    listing: ListingDep,
    sort: SortParam = "label",
    country: Annotated[
        str | None,
        Query(max_length=300, description="Country slug, IRI or ISO code.", examples=["IT"]),
    ] = None,
) -> Any:
    """List cities with their country and counts of actors and migrant councils.

    Sort keys: ``label``, ``country``.
    """
    page = list_cities(store, sorted_by(listing, sort), country=country, base=settings.base_iri)
    return listing_response(request, response, store, settings, page, CitySummary)


@router.get(
    "/{slug}",
    response_model=CityDetail,
    responses=READ_RESPONSES,
    summary="A city's profile",
)
def city(request: Request, store: StoreDep, settings: SettingsDep, slug: SlugPath) -> Any:
    """A city's profile.

    Actors by kind, services by policy area, partnerships, migrant councils with budget and own-
    initiative right, the study's practices found there, and the indicators of the analytics graph
    when analytics have been run.
    """
    jsonld = wants_jsonld(request)
    iri, _types = entity_or_404(store, settings, "city", slug, ("City",), "city", "cities")
    if jsonld:
        return jsonld_response(
            request, describe(store, iri, timeout=settings.query_timeout), settings
        )
    common = common_detail(store, settings, iri)
    data = {
        "id": iri,
        "slug": slug,
        "label": english_label(common["statements"], slug),
        "country": references_of(common["statements"], IKG + "country"),
        **city_profile(store, iri, base=settings.base_iri, timeout=settings.query_timeout),
        **common,
    }
    return build_model(CityDetail, data)
