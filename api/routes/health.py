"""Monitoring: ``/health`` (is the store reachable, how big is it) and ``/metrics`` (Prometheus)."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST
from pydantic import BaseModel

from inclusion_kg.api.app import service_version
from inclusion_kg.api.deps import SettingsDep, StoreDep
from inclusion_kg.api.errors import PROBLEM_BASE, HTTPProblem
from inclusion_kg.api.metrics import Metrics

__all__ = ["Health", "router"]

log = logging.getLogger(__name__)

router = APIRouter(tags=["service"])


class Health(BaseModel):
    """The service is up and its store answers."""

    status: str = "ok"
    store: str
    triples: int
    version: str


@router.get(
    "/health",
    response_model=Health,
    responses={503: {"description": "The store does not answer."}},
)
def health(store: StoreDep, settings: SettingsDep) -> Health:
    """Tell whether the store is reachable, how many quads it holds, and the version.

    Answers 503 (a problem document) when the store cannot be read, so a load balancer or
    orchestrator takes the instance out of service.
    """
    try:
        triples = len(store)
    except Exception as error:
        log.warning("health check: the store does not answer: %s", error)
        raise HTTPProblem(
            503,
            f"The store ({settings.store}) does not answer: {error}",
            title="Store unavailable",
            type_=PROBLEM_BASE + "backend-unavailable",
        ) from error
    return Health(store=settings.store, triples=triples, version=service_version())


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE_LATEST: {}}, "description": "Prometheus text."}},
)
def metrics(request: Request, store: StoreDep) -> Response:
    """Expose request counts, latencies and the store size in the Prometheus text format."""
    instruments: Metrics = request.app.state.metrics
    try:
        instruments.store_quads.set(len(store))
        instruments.store_up.set(1)
    except Exception as error:  # a failing store must not hide the other metrics
        log.warning("metrics: the store does not answer: %s", error)
        instruments.store_up.set(0)
    return Response(instruments.render(), media_type=CONTENT_TYPE_LATEST)
