"""Funding projects (``/api/v1/projects``)."""

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

__all__ = [
    "Budget",
    "ProjectDetail",
    "ProjectFields",
    "ProjectIn",
    "ProjectPatch",
    "ProjectSummary",
]

PROJECT_EXAMPLE: dict[str, Any] = {
    "labels": {"en": "Welcoming Cities 2025"},
    "funders": ["dg-empl"],
    "implementers": ["iom"],
    "budget": {"value": 250000, "currency": "EUR"},
    "start_date": "2025-01-01",
    "end_date": "2026-12-31",
    "policy_areas": ["social-inclusion"],
    "participating_places": ["palermo", "gdansk"],
}


class Budget(BaseModel):
    """An amount of money: a non-negative value and an ISO 4217 currency code."""

    model_config = ConfigDict(extra="forbid")

    value: float | None = Field(default=None, examples=[250000])
    currency: str | None = Field(default=None, examples=["EUR"])


class ProjectFields(BaseModel):
    """The fields of a funding project; in a PATCH each is optional and null removes it."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [PROJECT_EXAMPLE]})

    labels: LangMap | None = Field(default=None, description="Names by language; 'en' required.")
    alt_labels: LangMultiMap | None = None
    description: LangMap | None = None
    funders: list[EntityRef] | None = Field(default=None, description="At least one funding actor.")
    implementers: list[EntityRef] | None = Field(
        default=None, description="At least one implementer."
    )
    budget: Budget | None = None
    start_date: str | None = None
    end_date: str | None = None
    policy_areas: list[ConceptRef] | None = None
    programme: list[EntityRef] | None = Field(default=None, description="Funding programmes.")
    participating_places: list[EntityRef] | None = None
    url: list[str] | None = None


class ProjectIn(ProjectFields):
    """A new funding project (POST) or the full replacement of one (PUT)."""

    labels: LangMap = Field(description="Names by language; 'en' required.")
    slug: str | None = Field(
        default=None,
        description="POST only: the IRI's last segment (default: made from labels.en).",
        pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$",
        max_length=80,
    )


class ProjectPatch(ProjectFields):
    """A JSON Merge Patch of a funding project."""


class ProjectSummary(BaseModel):
    """A funding project in a listing."""

    id: str
    label: str
    funders: list[Ref]
    implementers: list[Ref]
    policy_areas: list[str]
    start_date: str | None
    end_date: str | None


class ProjectDetail(ProjectFields):
    """A funding project: its fields, what it funds, statements and provenance."""

    id: str
    slug: str
    label: str
    types: list[str]
    funds_partnerships: list[Ref]
    funds_services: list[Ref]
    statements: list[Statement]
    provenance: list[GraphRef]
