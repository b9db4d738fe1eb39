"""The exception tree of inclusion-kg.

Every error the library raises on purpose derives from :class:`IkgError`, so a front end
maps them in one place (``inclusion_kg.api.errors`` for HTTP, the CLI for exit codes) and
never lets one surface as a 500::

    IkgError
    ├── InputError            bad input the caller can fix       (HTTP 400/422, exit 2)
    │   └── ValidationFailed  data breaks SHACL or OWL           (HTTP 422, exit 1)
    ├── NotFound              unknown IRI, graph or resource     (HTTP 404, exit 2)
    ├── Conflict              write clashes with existing data   (HTTP 409, exit 1)
    ├── QueryTimeout          a query ran past its time limit    (HTTP 503, exit 1)
    ├── Forbidden             a request asks for something not allowed (HTTP 403, exit 2)
    └── BackendUnavailable    the store cannot be reached        (HTTP 503, exit 1)

Messages are written for the person who has to act: what is wrong and what to do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from inclusion_kg.graph.validate import ValidationReport

__all__ = [
    "BackendUnavailable",
    "Conflict",
    "Forbidden",
    "IkgError",
    "InputError",
    "NotFound",
    "QueryTimeout",
    "ValidationFailed",
]


class IkgError(Exception):
    """Root of every error inclusion-kg raises on purpose."""


class InputError(IkgError):
    """The caller's input cannot be used: a syntax error, a wrong type, an unknown format."""


class ValidationFailed(InputError):
    """Data violates the SHACL shapes or makes the ontology inconsistent.

    Carries the report so that front ends can show every result, not only the first.
    """

    def __init__(self, message: str, report: ValidationReport | None = None) -> None:
        super().__init__(message)
        self.report = report


class NotFound(IkgError):
    """An IRI, named graph or resource that the store does not hold."""


class Conflict(IkgError):
    """A write that would clash with existing data (e.g. deleting a referenced actor)."""


class QueryTimeout(IkgError):
    """A query ran past its configured time limit and was cancelled."""


class Forbidden(IkgError):
    """A request asks for something the service refuses, such as fetching a remote URL."""


class BackendUnavailable(IkgError):
    """The store (a remote SPARQL endpoint, or a locked on-disk store) cannot be used."""
