"""The FastAPI application: ``create_app(settings)`` builds one, with nothing global.

How settings flow (docs/CONVENTIONS.md section 2): the CLI builds one ``Settings`` →
``create_app(settings)`` keeps it on ``app.state.settings`` → the lifespan opens
``open_store(settings)``, seeds an empty store when ``settings.load_seeds``, yields
``{"store": store}`` as lifespan state and closes the store on shutdown →
``deps.get_store`` hands it to each request.

Routers are listed by module name in :data:`ROUTERS`; each module under
``inclusion_kg.api.routes`` exposes a ``router``. Add new resources there.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from importlib.resources import files
from pathlib import Path
from typing import Any

import anyio.to_thread
from fastapi import APIRouter, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from inclusion_kg.api.errors import install_error_handlers
from inclusion_kg.api.metrics import Metrics, MetricsMiddleware
from inclusion_kg.api.middleware import BodySizeLimit
from inclusion_kg.graph.settings import Settings
from inclusion_kg.graph.store import open_store

__all__ = ["DOCS_ASSETS", "ROUTERS", "SERVICE_NAME", "create_app", "service_version"]

log = logging.getLogger(__name__)

SERVICE_NAME = "inclusion-kg"
DOCS_ASSETS = "/docs/assets"
"""Where the Swagger UI and ReDoc assets are served."""

ROUTERS: tuple[str, ...] = (
    # Service and protocol endpoints (issue 3). /sparql first: routes are matched in
    # order, and it is the route that has to answer fastest.
    "sparql",  # /sparql      SPARQL 1.1 Protocol, query
    "home",  # /            landing page (the full web UI replaces it)
    "health",  # /health /metrics
    "update",  # /update      SPARQL 1.1 Protocol, update (bearer token)
    "store",  # /store       SPARQL 1.1 Graph Store HTTP Protocol
    # REST resources under /api/v1 and linked data (issue 4)
    "actors",  # /api/v1/actors
    "councils",  # /api/v1/councils
    "cities",  # /api/v1/cities
    "countries",  # /api/v1/countries
    "partnerships",  # /api/v1/partnerships
    "projects",  # /api/v1/projects
    "services",  # /api/v1/services
    "documents",  # /api/v1/documents
    "vocabularies",  # /api/v1/vocabularies
    "imports",  # /api/v1/imports
    "linked_data",  # /id/…, /vocab/…, /api/v1/context.jsonld
    "exports",  # /api/v1/exports  network downloads (GEXF, GraphML, CSV, JSON), RDF dumps
    "analytics",  # /api/v1/analytics  network metrics, indicators, explain, compare, runs
    # REST resources under /api/v1 and analytics: add their module names here, e.g.
    # "actors", "cities", "partnerships", "projects", "services", "validation",
    # "analytics", "exports", "entities". Each module under api/routes/ exposes `router`.
)
"""Modules of ``inclusion_kg.api.routes`` whose ``router`` the app includes, in order."""


def service_version() -> str:
    """Return the installed version of inclusion-kg."""
    try:
        return version("inclusion-kg")
    except PackageNotFoundError:  # running from a bare checkout
        return "0+unknown"


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[dict[str, Any]]:
    """Open the store (and seed it) before serving; close it after."""
    settings: Settings = app.state.settings
    store = await anyio.to_thread.run_sync(open_store, settings)
    try:
        if settings.load_seeds:
            from inclusion_kg.graph.bootstrap import ensure_seeded

            await anyio.to_thread.run_sync(ensure_seeded, store)
        log.info("store ready (%s)", settings.store)
        yield {"store": store}
    finally:
        await anyio.to_thread.run_sync(store.close)


def _router(name: str) -> APIRouter:
    router: APIRouter = import_module(f"inclusion_kg.api.routes.{name}").router
    return router


def create_app(settings: Settings) -> FastAPI:
    """Build the service for ``settings``.

    Reads are open to everyone (CORS ``*``: the data is public and writes need a bearer
    token, never a cookie, so a foreign page gains nothing); every write needs
    ``Authorization: Bearer <IKG_API_TOKEN>``. Request bodies are capped at
    ``settings.max_upload_bytes``.
    """
    current = service_version()
    app = FastAPI(
        title=SERVICE_NAME,
        version=current,
        summary="Knowledge graph of the actors and partnerships of migrant inclusion in "
        "European cities.",
        description=(
            "SPARQL 1.1 endpoint (`/sparql`, `/update`), SPARQL 1.1 Graph Store HTTP "
            "Protocol (`/store`), REST resources and analytics. Reads are open; writes need "
            "`Authorization: Bearer <IKG_API_TOKEN>`. Errors are RFC 9457 problem details."
        ),
        lifespan=_lifespan,
        docs_url=None,  # served by _install_docs, from local assets
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.metrics = Metrics(current)
    install_error_handlers(app)

    # Middleware added last runs first: metrics see every request, 413s and preflights too.
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_upload_bytes)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "HEAD", "POST", "PUT", "DELETE"],
        allow_headers=["Accept", "Content-Type", "Authorization"],
        expose_headers=[
            "Content-Type",
            "Content-Length",
            "Location",
            "WWW-Authenticate",
            "Ikg-Result-Truncated",
        ],
        max_age=600,
    )
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)

    for name in ROUTERS:
        app.include_router(_router(name))
    _install_docs(app)
    return app


def _install_docs(app: FastAPI) -> None:
    """Serve ``/docs`` (Swagger UI) and ``/redoc`` with assets shipped in a package.

    FastAPI's own pages load their scripts from a CDN; DESIGN.md wants nothing loaded from
    one (offline deployments, no third-party requests from an analyst's browser). The
    assets come from the ``fastapi-offline`` wheel.
    """
    assets = Path(str(files("fastapi_offline") / "static"))
    app.mount(DOCS_ASSETS, StaticFiles(directory=assets), name="docs-assets")
    openapi_url = app.openapi_url or "/openapi.json"

    @app.get("/docs", include_in_schema=False)
    def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=root + openapi_url,
            title=f"{SERVICE_NAME} API",
            swagger_js_url=f"{root}{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{root}{DOCS_ASSETS}/favicon.png",
        )

    @app.get("/redoc", include_in_schema=False)
    def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_redoc_html(
            openapi_url=root + openapi_url,
            title=f"{SERVICE_NAME} API",
            redoc_js_url=f"{root}{DOCS_ASSETS}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{DOCS_ASSETS}/favicon.png",
            with_google_fonts=False,
        )
