"""Actors: organisations and public bodies (``/api/v1/actors``)."""

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
from inclusion_kg.graph.records import actor_kinds

__all__ = [
    "ActorDetail",
    "ActorFields",
    "ActorIn",
    "ActorPartnership",
    "ActorPatch",
    "ActorProject",
    "ActorService",
    "ActorSummary",
    "PartnerOfActor",
]

KIND_PATTERN = (
    "^("
    + "|".join(sorted({*actor_kinds(), *(slug for slug in actor_kinds().values() if slug)}))
    + ")$"
)
"""The actor kinds a write takes: class names and actor-type slugs."""

ACTOR_EXAMPLE: dict[str, Any] = {
    "kind": "NGO",
    "labels": {"en": "Refugee Welcome Palermo", "it": "Benvenuto Rifugiati Palermo"},
    "alt_labels": {"en": ["RWP"]},
    "description": {"en": "Volunteers who welcome newcomers in Palermo."},
    "based_in": ["palermo"],
    "url": ["https://example.org/rwp"],
}


class ActorFields(BaseModel):
    """The fields of an actor; in a PATCH each is optional and null removes it."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [ACTOR_EXAMPLE]})

    kind: str | None = Field(
        default=None,
        pattern=KIND_PATTERN,
        description="Actor class (NGO, Municipality, …) or actor-type slug (ngo, municipality…); "
        "see /api/v1/vocabularies/actor-type.",
    )
    labels: LangMap | None = Field(
        default=None, description="Names by language tag; exactly one per language, 'en' required."
    )
    alt_labels: LangMultiMap | None = Field(default=None, description="Other names by language.")
    description: LangMap | None = Field(default=None, description="A description by language.")
    based_in: list[EntityRef] | None = Field(
        default=None,
        description="Places: 'city/<slug>', 'region/<slug>', 'country/<slug>', an "
        "IRI, or a bare city slug.",
    )
    sub_organisation_of: list[EntityRef] | None = Field(default=None, description="Parent actors.")
    member_of: list[EntityRef] | None = Field(default=None, description="Networks it belongs to.")
    url: list[str] | None = Field(default=None, description="Web pages.")


class ActorIn(ActorFields):
    """A new actor (POST) or the full replacement of one (PUT)."""

    kind: str = Field(
        description="Actor class (NGO, Municipality, …) or actor-type slug (ngo, municipality…).",
        pattern=KIND_PATTERN,
    )
    labels: LangMap = Field(description="Names by language tag; 'en' required.")
    slug: str | None = Field(
        default=None,
        description="POST only: the IRI's last segment (default: made from labels.en).",
        pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$",
        max_length=80,
    )


class ActorPatch(ActorFields):
    """A JSON Merge Patch (RFC 7396) of an actor: present fields replace, null removes."""


class ActorSummary(BaseModel):
    """An actor in a listing."""

    id: str
    label: str
    kind: str | None = Field(description="Its actor class.")
    based_in: list[Ref]
    country: list[Ref]


class PartnerOfActor(Ref):
    """Another partner of a partnership, with its roles."""

    roles: list[str]


class ActorPartnership(Ref):
    """A partnership the actor takes part in: its roles and the other partners."""

    roles: list[str] = Field(description="The actor's roles (partner-role slugs).")
    partners: list[PartnerOfActor]


class ActorService(Ref):
    """A service the actor provides."""

    policy_areas: list[ConceptRef]


class ActorProject(Ref):
    """A project the actor funds or implements."""

    roles: list[str] = Field(description="funder and/or implementer.")


class ActorDetail(ActorFields):
    """An actor: its fields (as PUT takes them), relations, statements and provenance."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(examples=["https://w3id.org/inclusion-kg/id/actor/iom"])
    slug: str = Field(examples=["iom"])
    label: str = Field(examples=["International Organization for Migration"])
    types: list[str] = Field(description="All its classes (IRIs).")
    partnerships: list[ActorPartnership]
    services: list[ActorService]
    projects: list[ActorProject]
    statements: list[Statement] = Field(description="Every statement about it, with its graphs.")
    provenance: list[GraphRef] = Field(description="The batches that mention it.")
