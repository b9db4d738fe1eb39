"""``/api/v1/vocabularies``: the controlled vocabularies (SKOS concept schemes).

Policy areas, target groups, legal statuses, partnership types, formality, role equality,
partner roles, resource types, member selection, actor types, sectors, measures, and the
governance practices of the study: the slugs they list are what filters and writes take.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request

from inclusion_kg.api.deps import SettingsDep, StoreDep
from inclusion_kg.api.errors import PROBLEM_BASE, HTTPProblem
from inclusion_kg.api.rest import (
    API,
    LISTING_RESPONSES,
    READ_RESPONSES,
    SLUG_PATTERN,
    jsonld_response,
    wants_jsonld,
)
from inclusion_kg.api.schemas.vocabularies import SchemeDetail, SchemeSummary
from inclusion_kg.graph.catalog.entities import describe_many
from inclusion_kg.graph.catalog.vocabularies import list_schemes, scheme_concepts_of

__all__ = ["router"]

router = APIRouter(prefix=f"{API}/vocabularies", tags=["vocabularies"])

SchemePath = Annotated[
    str,
    Path(
        description="The scheme's slug (see GET /api/v1/vocabularies).",
        pattern=SLUG_PATTERN,
        max_length=80,
        examples=["policy-area"],
    ),
]


@router.get(
    "",
    response_model=list[SchemeSummary],
    responses=LISTING_RESPONSES,
    summary="List the vocabularies",
)
def vocabularies(request: Request, store: StoreDep, settings: SettingsDep) -> Any:
    """List the concept schemes with their size."""
    schemes = list_schemes(store, base=settings.base_iri, timeout=settings.query_timeout)
    if wants_jsonld(request):
        triples = describe_many(store, [s["id"] for s in schemes], timeout=settings.query_timeout)
        return jsonld_response(request, triples, settings)
    return schemes


@router.get(
    "/{scheme}",
    response_model=SchemeDetail,
    responses=READ_RESPONSES,
    summary="A vocabulary and its concepts",
)
def vocabulary(request: Request, store: StoreDep, settings: SettingsDep, scheme: SchemePath) -> Any:
    """A concept scheme and its concepts (slug, labels, definition, broader concepts)."""
    jsonld = wants_jsonld(request)
    schemes = {
        s["slug"]: s
        for s in list_schemes(store, base=settings.base_iri, timeout=settings.query_timeout)
    }
    if scheme not in schemes:
        raise HTTPProblem(
            404,
            f"There is no vocabulary '{scheme}'; use one of: {', '.join(sorted(schemes))}.",
            title="Not found",
            type_=PROBLEM_BASE + "not-found",
        )
    summary = schemes[scheme]
    concepts = scheme_concepts_of(store, summary["id"], timeout=settings.query_timeout)
    if jsonld:
        triples = describe_many(
            store, [summary["id"], *(c["id"] for c in concepts)], timeout=settings.query_timeout
        )
        return jsonld_response(request, triples, settings)
    return {**summary, "items": concepts}
