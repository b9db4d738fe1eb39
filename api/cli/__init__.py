"""The ``ikg`` command line: one module per command, all registered on one Typer app."""

from __future__ import annotations

from importlib import import_module

from inclusion_kg.api.cli._app import app

__all__ = ["app", "main"]

# Each module registers its command(s) on ``app`` when imported.
COMMANDS: tuple[str, ...] = (
    "serve",
    "validate",
    "load",
    "query",
    "graphs",
    "dump",
    "analyze",
    "reason",
    "ontology_docs",
    "import_",
    "export",
)

for _name in COMMANDS:
    import_module(f"{__name__}.{_name}")


def main() -> None:
    """Entry point of the ``ikg`` console script."""
    app()
