"""What the store commands (load, query, graphs, drop-graph, dump, restore) share.

Every command takes ``--data-dir`` and ``--store`` (overriding ``IKG_DATA_DIR`` and
``IKG_STORE``), opens the store for the length of the command and closes it, so the
on-disk store's lock is held only while the command runs. A running ``ikg serve`` holds
that lock: the command then says so (exit 1) instead of waiting.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from pyoxigraph import BlankNode, Literal, NamedNode, Triple
from rich.console import Console

from inclusion_kg.api.cli._app import load_settings
from inclusion_kg.graph.namespaces import PREFIXES
from inclusion_kg.graph.settings import Settings
from inclusion_kg.graph.store import Store, open_store

__all__ = [
    "DataDirOption",
    "StoreBackend",
    "StoreOption",
    "opened_store",
    "store_settings",
    "table_console",
    "term_text",
]


class StoreBackend(StrEnum):
    """The backends a store command can open (``IKG_STORE``)."""

    oxigraph = "oxigraph"
    memory = "memory"
    remote = "remote"


DataDirOption = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Folder of the on-disk store (IKG_DATA_DIR; data/store)."),
]
StoreOption = Annotated[
    StoreBackend | None,
    typer.Option("--store", help="Backend: oxigraph (on disk), memory or remote (IKG_STORE)."),
]


def store_settings(data_dir: Path | None, store: StoreBackend | None) -> Settings:
    """Settings from ``IKG_*`` with the store flags applied."""
    return load_settings(data_dir=data_dir, store=store.value if store is not None else None)


@contextmanager
def opened_store(settings: Settings) -> Iterator[Store]:
    """Open the configured store for the duration of a command, then close it.

    Raises:
        BackendUnavailable: the store is locked by another process or unreachable.
    """
    store = open_store(settings)
    try:
        yield store
    finally:
        store.close()


def table_console() -> Console:
    """A console for tables on stdout: the terminal's width, or 200 columns into a pipe."""
    console = Console()
    return console if console.is_terminal else Console(width=200)


_SHORT = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


def term_text(term: object) -> str:
    """Render an RDF term for a table: prefixed names, ``"text"@lang``, ``value^^xsd:type``.

    >>> term_text(NamedNode("https://w3id.org/inclusion-kg/ontology#Partnership"))
    'ikg:Partnership'
    >>> term_text(Literal("Palermo", language="it"))
    '"Palermo"@it'
    """
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        for prefix, namespace in _SHORT:
            if term.value.startswith(namespace) and len(term.value) > len(namespace):
                return f"{prefix}:{term.value[len(namespace) :]}"
        return f"<{term.value}>"
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, Literal):
        if term.language:
            return f'"{term.value}"@{term.language}'
        datatype = term_text(term.datatype)
        if datatype == "xsd:string":
            return f'"{term.value}"'
        if datatype in ("xsd:integer", "xsd:decimal", "xsd:boolean", "xsd:double"):
            return term.value
        return f'"{term.value}"^^{datatype}'
    if isinstance(term, Triple):
        return (
            f"<< {term_text(term.subject)} {term_text(term.predicate)} {term_text(term.object)} >>"
        )
    return str(term)
