"""``/update``: the SPARQL 1.1 Protocol update operation, for holders of the API token.

``POST /update`` with ``application/sparql-update`` or a form ``update=…``, and
``Authorization: Bearer <IKG_API_TOKEN>``; without the token the answer is 401 with
``WWW-Authenticate: Bearer``. ``using-graph-uri`` / ``using-named-graph-uri`` (repeatable)
become ``USING`` / ``USING NAMED`` clauses. The update is applied atomically: all of it or
none of it; success is 204 No Content.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, status
from fastapi.responses import Response

from inclusion_kg.api.deps import SettingsDep, StoreDep, WriteAccess
from inclusion_kg.api.errors import PROBLEM_BASE, HTTPProblem
from inclusion_kg.api.protocol import (
    SPARQL_UPDATE,
    Operation,
    apply_protocol_dataset,
    operation_form,
    read_operation,
    with_base,
)

__all__ = ["router"]

router = APIRouter(tags=["sparql"])


async def _update_operation(request: Request) -> Operation:
    operation = await read_operation(
        request,
        "update",
        direct_type=SPARQL_UPDATE,
        dataset_params=("using-graph-uri", "using-named-graph-uri"),
    )
    if operation is None:  # pragma: no cover - only POST reaches here
        msg = "The request carries no update."
        raise HTTPProblem(400, msg)
    return operation


@router.post(
    "/update",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    summary="SPARQL 1.1 Update (bearer token required)",
    openapi_extra={
        "requestBody": {
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "update": {"type": "string"},
                            "using-graph-uri": {"type": "array", "items": {"type": "string"}},
                            "using-named-graph-uri": {
                                "type": "array",
                                "items": {"type": "string"},
                            },
                        },
                        "required": ["update"],
                    }
                },
                SPARQL_UPDATE: {"schema": {"type": "string"}},
            },
            "required": True,
        }
    },
    responses={
        400: {"description": "Malformed update, or a query sent here."},
        401: {"description": "Missing or wrong bearer token."},
        403: {"description": "Writes disabled (no IKG_API_TOKEN), or a refused LOAD/SERVICE."},
        415: {"description": "POST with an unsupported Content-Type."},
    },
)
def update(
    _: WriteAccess,
    operation: Annotated[Operation, Depends(_update_operation)],
    store: StoreDep,
    settings: SettingsDep,
) -> Response:
    """Apply a SPARQL 1.1 Update atomically; relative IRIs resolve against IKG_BASE_IRI."""
    if operation_form(operation.text) in {"solutions", "boolean", "graph"}:
        raise HTTPProblem(
            400,
            "This is a SPARQL query; the update endpoint only applies updates. Send it to /sparql.",
            title="Query sent to the update endpoint",
            type_=PROBLEM_BASE + "protocol-error",
        )
    text = apply_protocol_dataset(
        operation.text, operation.default_graph_uris, operation.named_graph_uris
    )
    text = with_base(text, settings.base_iri)
    store.update(text, timeout=settings.query_timeout)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
