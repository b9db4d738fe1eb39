"""Migrant councils: consultative bodies of migrants (``/api/v1/councils``)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from inclusion_kg.api.schemas.common import (
    ConceptRef,
    EntityRef,
    GraphRef,
    LangMap,
    LangMultiMap,
    Ref,
    Statement,
)

__all__ = ["CouncilDetail", "CouncilFields", "CouncilIn", "CouncilPatch", "CouncilSummary"]

COUNCIL_EXAMPLE: dict[str, Any] = {
    "labels": {"en": "Migrant council of Milan"},
    "based_in": ["milan"],
    "has_budget": True,
    "has_own_initiative_right": True,
    "member_selection": "elected",
    "term_length_years": 5,
    "member_count": 21,
    "advises": ["municipality-of-milan"],
    "established_by": ["municipality-of-milan"],
}


class CouncilFields(BaseModel):
    """The fields of a migrant council; in a PATCH each is optional and null removes it."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [COUNCIL_EXAMPLE]})

    labels: LangMap | None = Field(default=None, description="Names by language; 'en' required.")
    alt_labels: LangMultiMap | None = None
    description: LangMap | None = None
    based_in: list[EntityRef] | None = Field(default=None, description="Its city (exactly one).")
    has_budget: bool | None = Field(
        default=None, description="A budget of its own (missing or false: a Warning)."
    )
    has_own_initiative_right: bool | None = None
    member_selection: ConceptRef | None = Field(
        default=None, description="elected, appointed, appointed-on-recommendation or mixed."
    )
    term_length_years: float | None = Field(default=None, description="Years per term (> 0).")
    member_count: int | None = Field(default=None, description="Number of members (>= 0).")
    advises: list[EntityRef] | None = Field(default=None, description="Authorities it advises.")
    established_by: list[EntityRef] | None = Field(default=None, description="Who set it up.")
    start_date: str | None = Field(default=None, description="When its first term began.")
    url: list[str] | None = None


class CouncilIn(CouncilFields):
    """A new migrant council (POST) or the full replacement of one (PUT)."""

    labels: LangMap = Field(description="Names by language; 'en' required.")
    slug: str | None = Field(
        default=None,
        description="POST only: the IRI's last segment (default: made from labels.en).",
        pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$",
        max_length=80,
    )


class CouncilPatch(CouncilFields):
    """A JSON Merge Patch of a migrant council."""


class CouncilSummary(BaseModel):
    """A migrant council in a listing."""

    id: str
    label: str
    city: Ref | None
    country: Ref | None
    has_budget: bool | None
    has_own_initiative_right: bool | None
    member_selection: str | None


class CouncilDetail(CouncilFields):
    """A migrant council: its fields, statements and provenance."""

    id: str
    slug: str
    label: str
    types: list[str]
    statements: list[Statement]
    provenance: list[GraphRef]
