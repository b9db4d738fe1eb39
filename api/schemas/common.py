"""Models shared by every resource of the REST API."""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

__all__ = [
    "ConceptRef",
    "EntityRef",
    "GraphRef",
    "Lang",
    "LangMap",
    "LangMultiMap",
    "Page",
    "Problem",
    "Ref",
    "Statement",
    "StatementValue",
    "Text",
    "ValidationReportModel",
    "ValidationResultModel",
    "WriteResult",
]

T = TypeVar("T")

Lang = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")]
"""A BCP 47 language tag (``en``, ``pt-BR``)."""
Text = Annotated[str, StringConstraints(min_length=1, max_length=5000)]
"""Non-empty text."""
LangMap = dict[Lang, Text]
"""Text by BCP 47 language tag: ``{"en": "Palermo", "it": "Palermo"}``."""
LangMultiMap = dict[Lang, list[Text]]
"""Several texts by language tag: ``{"en": ["IOM", "UN Migration"]}``."""
EntityRef = Annotated[
    str,
    StringConstraints(
        pattern=r"^(([a-z]+/)?[a-z0-9]+(-[a-z0-9]+)*|https?://[^\s<>\"{}|\\^`]+)$",
        max_length=500,
    ),
]
"""A reference to an entity: a slug (``iom``), ``kind/slug`` (``city/palermo``) or an IRI."""
ConceptRef = Annotated[
    str,
    StringConstraints(
        pattern=r"^([a-z0-9]+(-[a-z0-9]+)*|https?://[^\s<>\"{}|\\^`]+)$", max_length=500
    ),
]
"""A concept: a slug of its scheme (``housing``) or an IRI."""

_IOM = "https://w3id.org/inclusion-kg/id/actor/iom"


class Ref(BaseModel):
    """A link to another entity: its IRI and an English label."""

    id: str = Field(description="The entity's IRI.", examples=[_IOM])
    label: str = Field(
        description="Its English name.", examples=["International Organization for Migration"]
    )


class Page(BaseModel, Generic[T]):
    """One page of a listing, with the total and links to the next and previous pages."""

    items: list[T]
    total: int = Field(description="How many items match the filters in all.", examples=[14])
    limit: int = Field(description="Items per page.", examples=[50])
    offset: int = Field(description="Items skipped before this page.", examples=[0])
    next: str | None = Field(
        default=None, description="URL of the next page (None on the last).", examples=[None]
    )
    prev: str | None = Field(
        default=None, description="URL of the previous page (None on the first).", examples=[None]
    )


class StatementValue(BaseModel):
    """One value of a property, and the named graphs (batches) that assert it."""

    value: str = Field(examples=["https://w3id.org/inclusion-kg/id/city/palermo"])
    type: str = Field(description="iri, literal or bnode.", examples=["iri"])
    language: str | None = Field(default=None, examples=[None])
    datatype: str | None = Field(default=None, examples=[None])
    label: str | None = Field(
        default=None, description="English label of an IRI value.", examples=["Palermo"]
    )
    graphs: list[str] = Field(
        default_factory=list,
        examples=[["https://w3id.org/inclusion-kg/graph/study-2020-mpi-press-release"]],
    )


class Statement(BaseModel):
    """All values of one property of an entity."""

    property: str = Field(examples=["https://w3id.org/inclusion-kg/ontology#basedIn"])
    values: list[StatementValue]


class GraphRef(BaseModel):
    """A named graph (batch) that mentions an entity, with its PROV-O description."""

    graph: str = Field(
        examples=["https://w3id.org/inclusion-kg/graph/study-2020-mpi-press-release"]
    )
    statements: int = Field(description="Its statements that mention the entity.", examples=[6])
    title: str | None = Field(
        default=None, examples=["Seed facts from the MPI Europe press release of 28 May 2020"]
    )
    generated_at: str | None = Field(default=None, examples=["2026-11-22T13:45:00Z"])
    attributed_to: str | None = Field(
        default=None, examples=["https://w3id.org/inclusion-kg/id/agent/inclusion-kg-seed-curation"]
    )
    source: str | None = Field(
        default=None,
        examples=["https://w3id.org/inclusion-kg/id/document/mpi-press-release-2020-05-28"],
    )


class ValidationResultModel(BaseModel):
    """One SHACL result: where (node, path), what (message), how serious."""

    severity: str = Field(examples=["Violation"])
    focus_node: str | None = Field(examples=["https://w3id.org/inclusion-kg/id/partnership/x"])
    path: str | None = Field(
        default=None, examples=["https://w3id.org/inclusion-kg/ontology#formality"]
    )
    value: str | None = Field(default=None, examples=[None])
    message: str = Field(
        examples=[
            "A partnership has exactly one ikg:formality (informal, network, contract, grant or "
            "formal agreement)."
        ]
    )
    source_shape: str | None = Field(
        default=None,
        examples=["https://w3id.org/inclusion-kg/shapes#Partnership_Shape-formality-count"],
    )
    source_constraint: str | None = None
    constraint_component: str | None = None
    sheet: str | None = Field(
        default=None, description="Imports: the sheet or file.", examples=[None]
    )
    row: int | None = Field(
        default=None, description="Imports: the row (1 = header).", examples=[None]
    )
    column: str | None = Field(default=None, description="Imports: the column.", examples=[None])


class ValidationReportModel(BaseModel):
    """A validation report: Violations block a write, Warnings and Infos are reported."""

    conforms: bool = Field(examples=[True])
    counts: dict[str, int] = Field(examples=[{"Violation": 0, "Warning": 0, "Info": 0}])
    results: list[ValidationResultModel] = Field(default_factory=list)


class WriteResult(BaseModel):
    """What a write did, and the batch graph that records it."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "https://w3id.org/inclusion-kg/id/actor/refugee-welcome-palermo",
                    "action": "created",
                    "graph": "https://w3id.org/inclusion-kg/graph/api-20260101T120000000000Z-a1b2c3",
                    "added": 4,
                    "removed": 0,
                    "deleted": [],
                    "validation": {
                        "conforms": True,
                        "counts": {"Violation": 0, "Warning": 0, "Info": 0},
                        "results": [],
                    },
                }
            ]
        }
    )

    id: str = Field(description="The entity written.")
    action: str = Field(description="created, replaced, updated, deleted or unchanged.")
    graph: str | None = Field(
        description="The write's batch graph, with its PROV-O record (None if nothing changed)."
    )
    added: int = Field(description="Statements added.")
    removed: int = Field(description="Statements removed (from every graph asserting them).")
    deleted: list[str] = Field(default_factory=list, description="Partnerships a cascade deleted.")
    validation: ValidationReportModel
    preexisting_violations: list[ValidationResultModel] = Field(
        default_factory=list,
        description="Violations the touched entities already had before the write; the write "
        "did not introduce them, so they did not block it.",
    )


class Problem(BaseModel):
    """An RFC 9457 problem document: every 4xx and 5xx answer."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "type": "https://w3id.org/inclusion-kg/problems/not-found",
                    "title": "Not found",
                    "status": 404,
                    "detail": "There is no actor id:actor/nobody; list them at /api/v1/actors.",
                    "instance": "/api/v1/actors/nobody",
                }
            ]
        },
    )

    type: str
    title: str
    status: int
    detail: str
    instance: str
    report: dict[str, Any] | None = Field(default=None, description="422: the validation report.")
    errors: list[dict[str, Any]] | None = Field(default=None, description="422: request errors.")
