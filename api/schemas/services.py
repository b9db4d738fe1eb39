"""Services for migrants (``/api/v1/services``)."""

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

__all__ = ["ServiceDetail", "ServiceFields", "ServiceIn", "ServicePatch", "ServiceSummary"]

SERVICE_EXAMPLE: dict[str, Any] = {
    "labels": {"en": "Italian courses for newcomers in Palermo"},
    "providers": ["municipality-of-palermo"],
    "policy_areas": ["language"],
    "target_groups": ["newcomers", "refugees"],
    "eligible_legal_statuses": ["beneficiary-of-international-protection"],
    "area_served": ["palermo"],
}


class ServiceFields(BaseModel):
    """The fields of a service; in a PATCH each is optional and null removes it."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [SERVICE_EXAMPLE]})

    labels: LangMap | None = Field(default=None, description="Names by language; 'en' required.")
    alt_labels: LangMultiMap | None = None
    description: LangMap | None = None
    providers: list[EntityRef] | None = Field(
        default=None, description="At least one providing actor."
    )
    policy_areas: list[ConceptRef] | None = Field(
        default=None, description="At least one policy area."
    )
    target_groups: list[ConceptRef] | None = Field(default=None, description="Target-group slugs.")
    eligible_legal_statuses: list[ConceptRef] | None = Field(
        default=None, description="Legal-status slugs."
    )
    area_served: list[EntityRef] | None = None
    funded_by: list[EntityRef] | None = None
    competent_authority: list[EntityRef] | None = None
    url: list[str] | None = None


class ServiceIn(ServiceFields):
    """A new service (POST) or the full replacement of one (PUT)."""

    labels: LangMap = Field(description="Names by language; 'en' required.")
    slug: str | None = Field(
        default=None,
        description="POST only: the IRI's last segment (default: made from labels.en).",
        pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$",
        max_length=80,
    )


class ServicePatch(ServiceFields):
    """A JSON Merge Patch of a service."""


class ServiceSummary(BaseModel):
    """A service in a listing."""

    id: str
    label: str
    providers: list[Ref]
    policy_areas: list[str]
    target_groups: list[str]
    area_served: list[Ref]


class ServiceDetail(ServiceFields):
    """A service: its fields, statements and provenance."""

    id: str
    slug: str
    label: str
    types: list[str]
    statements: list[Statement]
    provenance: list[GraphRef]
