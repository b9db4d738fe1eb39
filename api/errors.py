"""Every error the service answers with is an RFC 9457 problem document.

The library raises :mod:`inclusion_kg.graph.errors` types; this module is the one place
that turns them into HTTP (mirrored by the CLI's exit codes in ``api/cli/_app.py``):

=====================  ======  =============================================
library error          status  problem ``type`` (under :data:`PROBLEM_BASE`)
=====================  ======  =============================================
``InputError``         400     ``input-error``
``ValidationFailed``   422     ``validation-failed`` (+ ``report``)
``NotFound``           404     ``not-found``
``Conflict``           409     ``conflict``
``Forbidden``          403     ``forbidden``
``QueryTimeout``       503     ``query-timeout``
``BackendUnavailable`` 503     ``backend-unavailable``
request validation     422     ``invalid-request`` (+ ``errors``)
anything else          500     ``about:blank``; never a traceback
=====================  ======  =============================================

A body is ``application/problem+json``: ``type``, ``title``, ``status``, ``detail`` (what
went wrong and what to do, written for a person) and ``instance`` (the request path),
plus extension members where they help.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from inclusion_kg.api.conneg import NotAcceptable
from inclusion_kg.graph.errors import (
    BackendUnavailable,
    Conflict,
    Forbidden,
    IkgError,
    InputError,
    NotFound,
    QueryTimeout,
    ValidationFailed,
)

__all__ = [
    "PROBLEM_BASE",
    "PROBLEM_JSON",
    "HTTPProblem",
    "ProblemResponse",
    "install_error_handlers",
    "problem_response",
]

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://w3id.org/inclusion-kg/problems/"
"""Stable base of the problem ``type`` IRIs (independent of a deployment's base IRI)."""

_LIBRARY_ERRORS: tuple[tuple[type[IkgError], int, str, str], ...] = (
    # Most specific first: ValidationFailed is an InputError.
    (ValidationFailed, 422, "validation-failed", "Data fails validation"),
    (InputError, 400, "input-error", "Bad input"),
    (NotFound, 404, "not-found", "Not found"),
    (Conflict, 409, "conflict", "Conflict with existing data"),
    (Forbidden, 403, "forbidden", "Forbidden"),
    (QueryTimeout, 503, "query-timeout", "Query timed out"),
    (BackendUnavailable, 503, "backend-unavailable", "Store unavailable"),
)


class ProblemResponse(JSONResponse):
    """A JSON response served as ``application/problem+json``."""

    media_type = PROBLEM_JSON


class HTTPProblem(Exception):
    """Raised by routes and dependencies to answer with a problem document.

    Args:
        status: the HTTP status code.
        detail: what went wrong and what to do, for a person.
        title: a short summary; defaults to the status phrase.
        type_: the problem type IRI; defaults to ``about:blank``.
        headers: extra response headers (``WWW-Authenticate``, ``Allow``…).
        extensions: extra members of the problem document.
    """

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        title: str | None = None,
        type_: str = "about:blank",
        headers: Mapping[str, str] | None = None,
        extensions: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.title = title
        self.type = type_
        self.headers = dict(headers or {})
        self.extensions = dict(extensions or {})


def problem_response(
    request: Request,
    status: int,
    detail: str,
    *,
    title: str | None = None,
    type_: str = "about:blank",
    headers: Mapping[str, str] | None = None,
    extensions: Mapping[str, Any] | None = None,
) -> ProblemResponse:
    """Build an RFC 9457 problem response for ``request``."""
    body: dict[str, Any] = {
        "type": type_,
        "title": title or _phrase(status),
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    for key, value in (extensions or {}).items():
        body.setdefault(key, value)
    return ProblemResponse(jsonable_encoder(body), status_code=status, headers=dict(headers or {}))


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _report_json(report: object) -> object:
    """Turn a validation report into JSON-ready data, whatever shape it has."""
    if report is None:
        return None
    to_dict = getattr(report, "to_dict", None)
    if callable(to_dict):
        return to_dict()
    model_dump = getattr(report, "model_dump", None)
    if callable(model_dump):
        return model_dump(mode="json")
    if dataclasses.is_dataclass(report) and not isinstance(report, type):
        return dataclasses.asdict(report)
    return str(report)


def _library_error(request: Request, exc: Exception) -> ProblemResponse:
    for kind, status, slug, title in _LIBRARY_ERRORS:
        if isinstance(exc, kind):
            extensions: dict[str, Any] = {}
            if isinstance(exc, ValidationFailed):
                try:
                    extensions["report"] = jsonable_encoder(_report_json(exc.report))
                except Exception:  # a report that cannot be shown must not hide the 422
                    log.exception("could not serialise a validation report")
            return problem_response(
                request,
                status,
                str(exc) or title,
                title=title,
                type_=PROBLEM_BASE + slug,
                extensions=extensions,
            )
    log.error("unmapped library error on %s: %r", request.url.path, exc)
    return problem_response(
        request, 500, str(exc) or "Internal error.", type_=PROBLEM_BASE + "error"
    )


def _http_problem(request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, HTTPProblem)  # noqa: S101 - registered for this type only
    return problem_response(
        request,
        exc.status,
        exc.detail,
        title=exc.title,
        type_=exc.type,
        headers=exc.headers,
        extensions=exc.extensions,
    )


def _http_exception(request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, StarletteHTTPException)  # noqa: S101 - registered for this type only
    detail = exc.detail if isinstance(exc.detail, str) else _phrase(exc.status_code)
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"Nothing is served at {request.url.path}; see /docs for the routes."
    elif exc.status_code == 405:
        allowed = (exc.headers or {}).get("Allow", "")
        detail = f"{request.method} is not allowed on {request.url.path}" + (
            f"; use {allowed}." if allowed else "."
        )
    return problem_response(request, exc.status_code, detail, headers=exc.headers)


def _not_acceptable(request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, NotAcceptable)  # noqa: S101 - registered for this type only
    return problem_response(
        request,
        406,
        str(exc),
        type_=PROBLEM_BASE + "not-acceptable",
        extensions={"acceptable": list(exc.offers)},
    )


def _request_validation(request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, RequestValidationError)  # noqa: S101 - registered for this type only
    errors = [
        {
            "loc": list(error.get("loc", ())),
            "msg": error.get("msg", ""),
            "type": error.get("type", ""),
        }
        for error in exc.errors()
    ]
    where = "; ".join(
        f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}" for error in errors
    )
    return problem_response(
        request,
        422,
        f"The request does not fit this route: {where}." if where else "Invalid request.",
        title="Invalid request",
        type_=PROBLEM_BASE + "invalid-request",
        extensions={"errors": errors},
    )


def _unexpected(request: Request, exc: Exception) -> ProblemResponse:
    log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem_response(
        request,
        500,
        "The server hit an unexpected error; it has been logged. Please report it with the "
        "time and the request you sent.",
    )


def install_error_handlers(app: FastAPI) -> None:
    """Register the problem-details handlers on ``app``."""
    app.add_exception_handler(IkgError, _library_error)
    app.add_exception_handler(HTTPProblem, _http_problem)
    app.add_exception_handler(StarletteHTTPException, _http_exception)
    app.add_exception_handler(NotAcceptable, _not_acceptable)
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(Exception, _unexpected)
