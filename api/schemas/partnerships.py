"""Partnerships: n-ary ties between actors, with roles (``/api/v1/partnerships``)."""

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
    "Partner",
    "PartnerRef",
    "PartnershipDetail",
    "PartnershipFields",
    "PartnershipIn",
    "PartnershipPatch",
    "PartnershipSummary",
]

PARTNERSHIP_EXAMPLE: dict[str, Any] = {
    "labels": {"en": "Palermo welcome network: IOM and the Municipality of Palermo"},
    "partners": [
        {"actor": "iom", "role": "partner"},
        {"actor": "municipality-of-palermo", "role": "lead"},
    ],
    "partnership_types": ["network"],
    "formality": "informal",
    "role_equality": "near-equal",
    "policy_areas": ["reception"],
    "resources_exchanged": ["expertise"],
    "start_date": "2021-03",
    "area_served": ["palermo"],
    "evidence": ["document/iom-press-release-2020-05-28"],
}


class Partner(BaseModel):
    """One partner: the actor (slug or IRI) and its role (partner-role slug)."""

    model_config = ConfigDict(extra="forbid")

    actor: EntityRef = Field(description="Actor slug ('iom') or IRI.", examples=["iom"])
    role: ConceptRef | None = Field(
        default=None,
        description="Partner-role slug (funder, implementer, lead, partner…).",
        examples=["implementer"],
    )


class PartnershipFields(BaseModel):
    """The fields of a partnership; in a PATCH each is optional and null removes it."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [PARTNERSHIP_EXAMPLE]})

    labels: LangMap | None = Field(default=None, description="Names by language; 'en' required.")
    alt_labels: LangMultiMap | None = None
    description: LangMap | None = None
    partners: list[Partner] | None = Field(
        default=None, description="At least two distinct actors, each with one role."
    )
    partnership_types: list[ConceptRef] | None = Field(
        default=None, description="Partnership-type slugs (funding, co-design, network…)."
    )
    formality: ConceptRef | None = Field(
        default=None, description="informal, network, contract, grant or formal-agreement."
    )
    role_equality: ConceptRef | None = Field(
        default=None, description="hierarchical, partly-equal, near-equal or eye-to-eye."
    )
    policy_areas: list[ConceptRef] | None = Field(default=None, description="Policy-area slugs.")
    resources_exchanged: list[ConceptRef] | None = Field(
        default=None, description="Resource-type slugs."
    )
    start_date: str | None = Field(default=None, description="YYYY-MM-DD, YYYY-MM or YYYY.")
    end_date: str | None = Field(default=None, description="Not before start_date.")
    area_served: list[EntityRef] | None = Field(default=None, description="Places served.")
    funded_by: list[EntityRef] | None = Field(default=None, description="Funding projects.")
    evidence: list[EntityRef] | None = Field(default=None, description="Source documents.")


class PartnershipIn(PartnershipFields):
    """A new partnership (POST) or the full replacement of one (PUT)."""

    labels: LangMap = Field(description="Names by language; 'en' required.")
    slug: str | None = Field(
        default=None,
        description="POST only: the IRI's last segment (default: made from labels.en).",
        pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$",
        max_length=80,
    )


class PartnershipPatch(PartnershipFields):
    """A JSON Merge Patch of a partnership (a list such as partners is replaced whole)."""


class PartnershipSummary(BaseModel):
    """A partnership in a listing."""

    id: str
    label: str
    partnership_types: list[str]
    formality: str | None
    role_equality: str | None
    policy_areas: list[str]
    partners: list[Ref]
    start_date: str | None
    end_date: str | None


class PartnerRef(Ref):
    """A partner in a partnership's detail."""

    role: ConceptRef | None


class PartnershipDetail(PartnershipFields):
    """A partnership: its fields (as PUT takes them), partners with names, provenance."""

    id: str
    slug: str
    label: str
    types: list[str]
    partner_details: list[PartnerRef] = Field(description="The partners with their names.")
    statements: list[Statement]
    provenance: list[GraphRef]
