"""``/api/v1/countries``: countries, their cities and migrant councils."""

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
from inclusion_kg.api.schemas.places import CountryDetail, CountrySummary
from inclusion_kg.graph.catalog.entities import country_profile, describe
from inclusion_kg.graph.catalog.listings import list_countries

__all__ = ["router"]

router = APIRouter(prefix=f"{API}/countries", tags=["places"])

SortParam = Annotated[
    str,
    Query(pattern=r"^-?(label|code)$", description=SORT_DOC, examples=["label"]),
]

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
    sort: SortParam = "label",
) -> Any:
    """List countries with their ISO 3166 code and number of cities.

    Sort keys: ``label``, ``code``.
    """
    page = list_countries(store, sorted_by(listing, sort), base=settings.base_iri)
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
