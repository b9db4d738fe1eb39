"""The Typer application every ``ikg`` command registers on, and what they share.

Errors from the library are mapped to exit codes here, once, mirroring the HTTP mapping:
input the user can fix exits 2, data that fails validation or a failing backend exits 1.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any, ParamSpec, TypeVar

import typer

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
from inclusion_kg.graph.settings import Settings

__all__ = ["OutputFormat", "app", "exit_code_for", "handle_errors", "load_settings", "print_json"]

app = typer.Typer(
    name="ikg",
    help="inclusion-kg: the knowledge graph of migrant-inclusion actors and partnerships.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

P = ParamSpec("P")
R = TypeVar("R")


class OutputFormat(StrEnum):
    """How a command prints its result: a table for people or JSON for programs."""

    table = "table"
    json = "json"


def exit_code_for(error: IkgError) -> int:
    """Return the exit code for a library error (2: fix your input; 1: the data or backend)."""
    if isinstance(error, ValidationFailed | Conflict | QueryTimeout | BackendUnavailable):
        return 1
    if isinstance(error, InputError | NotFound | Forbidden):
        return 2
    return 1


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn an :class:`IkgError` into a one-line message on stderr and its exit code."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except IkgError as error:
            typer.echo(f"ikg: error: {error}", err=True)
            raise typer.Exit(exit_code_for(error)) from None

    return wrapper


def load_settings(**overrides: Any) -> Settings:
    """Build settings from ``IKG_*`` variables, then apply the flags that were given."""
    settings = Settings()
    given = {key: value for key, value in overrides.items() if value is not None}
    return settings.model_copy(update=given) if given else settings


def print_json(data: object) -> None:
    """Print ``data`` as indented JSON on stdout."""
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")
