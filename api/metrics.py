"""Prometheus metrics of one app: request counts and latencies per route, store size.

Each app owns its :class:`~prometheus_client.CollectorRegistry` (never the process-global
one), so tests and embedders can build as many apps as they like.

Exposed at ``/metrics`` (see :mod:`inclusion_kg.api.routes.health`):

- ``ikg_http_requests_total{method, route, status}`` — finished requests;
- ``ikg_http_request_duration_seconds{method, route}`` — time to the last byte sent;
- ``ikg_store_quads`` — quads in the store, read at scrape time;
- ``ikg_store_up`` — 1 when the store answered the last scrape, else 0;
- ``ikg_build_info{version}`` — always 1.

``route`` is the route's path template (``/store``, ``/api/v1/actors/{slug}``), never the
raw path, so the number of series stays bounded; unmatched paths count as ``unmatched``.
"""

from __future__ import annotations

import time

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["Metrics", "MetricsMiddleware"]

_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


class Metrics:
    """The instruments of one app, in their own registry."""

    def __init__(self, version: str) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "ikg_http_requests",
            "HTTP requests served, by method, route template and status code.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "ikg_http_request_duration_seconds",
            "Time from the request to the last byte of the response, by route template.",
            ["method", "route"],
            buckets=_BUCKETS,
            registry=self.registry,
        )
        self.store_quads = Gauge(
            "ikg_store_quads", "Quads in the store at the last scrape.", registry=self.registry
        )
        self.store_up = Gauge(
            "ikg_store_up",
            "1 if the store answered the last scrape, else 0.",
            registry=self.registry,
        )
        build = Gauge(
            "ikg_build_info", "Version of inclusion-kg.", ["version"], registry=self.registry
        )
        build.labels(version=version).set(1)
        self._series: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}

    def series(self, method: str, route: str, status: int) -> tuple[Counter, Histogram]:
        """The counter and histogram children of one request kind, looked up once.

        ``labels()`` validates and joins its arguments on every call; the children are
        kept in a dict instead (bounded: methods x route templates x status codes).
        """
        key = (method, route, status)
        found = self._series.get(key)
        if found is None:
            found = self._series[key] = (
                self.requests.labels(method=method, route=route, status=str(status)),
                self.latency.labels(method=method, route=route),
            )
        return found

    def render(self) -> bytes:
        """Return the registry in the Prometheus text format."""
        return generate_latest(self.registry)


def _route_label(scope: Scope) -> str:
    route = scope.get("route")
    if isinstance(route, BaseRoute):
        path = getattr(route, "path", None)
        if isinstance(path, str):
            return path
    return "unmatched"


class MetricsMiddleware:
    """Count and time every HTTP request (the response body included, for streams)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on and record its route, status and duration."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def send_and_watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_and_watch)
        finally:
            count, latency = self.metrics.series(
                str(scope.get("method", "")), _route_label(scope), status
            )
            count.inc()
            latency.observe(time.perf_counter() - start)
