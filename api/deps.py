"""Typed dependencies shared by every router: settings, the store, write access.

Use them as annotations (the full-stack FastAPI template's ``SessionDep`` pattern)::

    @router.get("/things")
    def list_things(store: StoreDep) -> ...: ...

    @router.post("/things")
    def add_thing(store: StoreDep, _: WriteAccess) -> ...: ...

(or ``dependencies=[Depends(require_write_access)]`` on a router whose every route writes).

Nothing here is global: the settings hang on ``app.state`` (set by ``create_app``) and the
store is lifespan state, so every app built in a test has its own.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from inclusion_kg.api.errors import PROBLEM_BASE, HTTPProblem
from inclusion_kg.graph.errors import BackendUnavailable
from inclusion_kg.graph.settings import Settings
from inclusion_kg.graph.store import Store

__all__ = [
    "SettingsDep",
    "StoreDep",
    "WriteAccess",
    "get_settings",
    "get_store",
    "require_write_access",
]

REALM = "inclusion-kg"


async def get_settings(request: Request) -> Settings:
    """Return the settings the app was built with (async: no thread hop to read a field)."""
    settings: Settings = request.app.state.settings
    return settings


async def get_store(request: Request) -> Store:
    """Return the store opened by the app's lifespan (async: no thread hop).

    Raises:
        BackendUnavailable: the app runs without its lifespan (no store was opened).
    """
    store: Store | None = getattr(request.state, "store", None)
    if store is None:
        msg = "The store is not open; the service is starting or shutting down."
        raise BackendUnavailable(msg)
    return store


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]

_bearer = HTTPBearer(
    auto_error=False,
    description="Writes need `Authorization: Bearer <IKG_API_TOKEN>`; reads are open.",
)


def require_write_access(
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Let a write through only with ``Authorization: Bearer <IKG_API_TOKEN>``.

    The comparison runs in constant time (:func:`secrets.compare_digest`).

    Raises:
        HTTPProblem: 403 when the server has no token configured (writes are disabled);
            401 with ``WWW-Authenticate: Bearer`` when the token is missing or wrong.
    """
    expected = settings.api_token
    if not expected:
        raise HTTPProblem(
            403,
            "Writes are disabled on this server because no API token is configured. "
            "Set the IKG_API_TOKEN environment variable and restart the service, then send "
            "'Authorization: Bearer <token>'.",
            title="Writes disabled",
            type_=PROBLEM_BASE + "writes-disabled",
        )
    if credentials is None:
        raise HTTPProblem(
            401,
            "This request writes to the store and needs 'Authorization: Bearer <token>' "
            "with the server's IKG_API_TOKEN.",
            title="Authentication required",
            type_=PROBLEM_BASE + "unauthorized",
            headers={"WWW-Authenticate": f'Bearer realm="{REALM}"'},
        )
    if not secrets.compare_digest(credentials.credentials.encode(), expected.encode()):
        raise HTTPProblem(
            401,
            "The bearer token is not the server's IKG_API_TOKEN.",
            title="Invalid token",
            type_=PROBLEM_BASE + "unauthorized",
            headers={"WWW-Authenticate": f'Bearer realm="{REALM}", error="invalid_token"'},
        )


WriteAccess = Annotated[None, Depends(require_write_access)]
"""Annotate a (``_``-named) route parameter with this to require the bearer token."""
