"""``ikg ontology-docs``: write the Markdown reference of the ontology (docs/ontology.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from inclusion_kg.api.cli._app import app, handle_errors
from inclusion_kg.graph.errors import InputError
from inclusion_kg.graph.ontology_docs import render_ontology_markdown

__all__ = ["ontology_docs"]


@app.command("ontology-docs")
@handle_errors
def ontology_docs(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write (e.g. docs/ontology.md); standard output if not given.",
            dir_okay=False,
        ),
    ] = None,
) -> None:
    """Generate the ontology reference: classes, properties and concept schemes.

    The page is generated from the shipped ontology files and is the same for the same
    files, so a committed copy can be checked for staleness.
    """
    page = render_ontology_markdown()
    if output is None:
        sys.stdout.write(page)
        return
    try:
        output.write_text(page, encoding="utf-8")
    except OSError as error:
        msg = f"{output}: cannot write the file ({error.strerror or error})"
        raise InputError(msg) from None
    typer.echo(f"wrote {output}", err=True)
