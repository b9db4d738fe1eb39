"""Controlled vocabularies: SKOS concept schemes (``/api/v1/vocabularies``)."""

from __future__ import annotations

from pydantic import BaseModel, Field

__all__ = ["Concept", "SchemeDetail", "SchemeSummary"]


class SchemeSummary(BaseModel):
    """A concept scheme."""

    id: str = Field(examples=["https://w3id.org/inclusion-kg/vocab/policy-area"])
    slug: str = Field(examples=["policy-area"])
    label: str = Field(examples=["Policy areas"])
    definition: str | None
    concepts: int = Field(examples=[14])


class Concept(BaseModel):
    """A concept: its slug is what filters and writes take."""

    id: str = Field(examples=["https://w3id.org/inclusion-kg/vocab/policy-area/housing"])
    slug: str = Field(examples=["housing"])
    label: str = Field(examples=["housing"])
    labels: dict[str, str]
    definition: str | None
    broader: list[str]
    notation: str | None
    actor_class: str | None = Field(description="Actor types: the ontology class.")


class SchemeDetail(SchemeSummary):
    """A concept scheme and its concepts."""

    items: list[Concept]
