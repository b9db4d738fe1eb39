"""Cities and countries (``/api/v1/cities``, ``/api/v1/countries``)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from inclusion_kg.api.schemas.common import GraphRef, Ref, Statement

__all__ = [
    "CityActor",
    "CityCouncil",
    "CityDetail",
    "CityPartnership",
    "CitySummary",
    "CountryCity",
    "CountryDetail",
    "CountrySummary",
    "Indicator",
]


class CitySummary(BaseModel):
    """A city in a listing."""

    id: str
    label: str
    country: list[Ref]
    actors: int = Field(description="Actors based in the city.")
    councils: int = Field(description="Migrant councils of the city.")


class CityActor(Ref):
    """An actor based in the city."""

    kind: str


class CityPartnership(Ref):
    """A partnership serving the city or with a partner based there."""

    formality: str | None
    role_equality: str | None


class CityCouncil(Ref):
    """A migrant council of the city: the study asks whether it has a budget and initiative."""

    has_budget: bool | None
    has_own_initiative_right: bool | None
    member_selection: str | None


class Indicator(BaseModel):
    """A measurement of the city from the analytics graph (if analytics were run)."""

    measure: str = Field(examples=["whole-of-community-coverage"])
    value: float | None = Field(examples=[0.5])
    as_of: str | None = Field(examples=["2020-05-28"])


class CityDetail(BaseModel):
    """A city's profile."""

    id: str
    slug: str
    label: str
    country: list[Ref]
    actors_by_kind: dict[str, int] = Field(examples=[{"Municipality": 1, "MigrantCouncil": 1}])
    actors: list[CityActor]
    services_by_policy_area: dict[str, int] = Field(examples=[{"language": 2}])
    partnerships: list[CityPartnership]
    migrant_councils: list[CityCouncil]
    practices: list[Ref] = Field(description="Governance practices of the study found there.")
    indicators: list[Indicator]
    statements: list[Statement]
    provenance: list[GraphRef]


class CountrySummary(BaseModel):
    """A country in a listing."""

    id: str
    label: str
    code: str | None = Field(description="ISO 3166-1 alpha-2.", examples=["IT"])
    cities: int


class CountryCity(Ref):
    """A city of the country, with its number of actors."""

    actors: int


class CountryDetail(BaseModel):
    """A country: its code, cities and migrant councils."""

    id: str
    slug: str
    label: str
    code: str | None
    cities: list[CountryCity]
    migrant_councils: list[Ref]
    statements: list[Statement]
    provenance: list[GraphRef]
