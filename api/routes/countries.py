"""``/api/v1/countries``: countries, their cities and migrant councils."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from inclusion_kg.api.deps import SettingsDep, StoreDep
from inclusion_kg.api.rest import (
    API,
    LISTING_RESPONSES,
    READ_RESPONSES,
    ListingDep,
    SlugPath,
    build_model,
    common_detail,
    entity_or_404,
    jsonld_response,
    listing_response,
    wants_jsonld,
)
from inclusion_kg.api.routes.cities import english_label
from inclusion_kg.api.schemas.common import Page
from inclusion_kg.api.schemas.places import CountryDetail, CountrySummary
from inclusion_kg.graph.catalog.entities import country_profile, describe
from inclusion_kg.graph.catalog.listings import list_countries

__all__ = ["router"]

router = APIRouter(prefix=f"{API}/countries", tags=["places"])

NOTATION = "http://www.w3.org/2004/02/skos/core#notation"


@router.get(
    "",
    response_model=Page[CountrySummary],
    responses=LISTING_RESPONSES,
    summary="List countries",
)
def countries(
    request: Request,
    response: Response,
    store: StoreDep,
    settings: SettingsDep,
    listing: ListingDep,
) -> Any:
    """List countries with their ISO 3166 code and number of cities.

    Sort keys: ``label``, ``code``.
    """
    page = list_countries(store, listing, base=settings.base_iri)
    return listing_response(request, response, store, settings, page, CountrySummary)


@router.get(
    "/{slug}",
    response_model=CountryDetail,
    responses=READ_RESPONSES,
    summary="A country",
)
def country(request: Request, store: StoreDep, settings: SettingsDep, slug: SlugPath) -> Any:
    """A country: its code, its cities (with their number of actors) and migrant councils."""
    jsonld = wants_jsonld(request)
    iri, _types = entity_or_404(
        store, settings, "country", slug, ("Country",), "country", "countries"
    )
    if jsonld:
        return jsonld_response(
            request, describe(store, iri, timeout=settings.query_timeout), settings
        )
    common = common_detail(store, settings, iri)
    codes = [
        v["value"] for s in common["statements"] if s["property"] == NOTATION for v in s["values"]
    ]
    data = {
        "id": iri,
        "slug": slug,
        "label": english_label(common["statements"], slug),
        "code": codes[0] if codes else None,
        **country_profile(store, iri, timeout=settings.query_timeout),
        **common,
    }
    return build_model(CountryDetail, data)
