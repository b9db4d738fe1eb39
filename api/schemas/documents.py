"""Source documents: reports, press releases, web pages (``/api/v1/documents``)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from inclusion_kg.api.schemas.common import GraphRef, Ref, Statement

__all__ = ["DocumentDetail", "DocumentSummary"]


class DocumentSummary(BaseModel):
    """A source document in a listing."""

    id: str
    label: str
    kind: str | None = Field(examples=["PressRelease"])
    title: str | None
    issued: str | None = Field(examples=["2020-05-28"])
    publishers: list[Ref]
    url: str | None


class DocumentDetail(BaseModel):
    """A source document: what it says about itself and what cites it as evidence."""

    id: str
    slug: str
    label: str
    types: list[str]
    evidence_for: list[Ref] = Field(description="Entities derived from it (prov:wasDerivedFrom).")
    statements: list[Statement]
    provenance: list[GraphRef]
