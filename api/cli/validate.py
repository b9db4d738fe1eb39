"""``ikg validate``: check RDF files, or the shipped seeds, against the SHACL shapes."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from inclusion_kg.api.cli._app import OutputFormat, app, handle_errors, print_json
from inclusion_kg.graph import resources
from inclusion_kg.graph.errors import InputError
from inclusion_kg.graph.validate import FileLike, validate_files

__all__ = ["validate"]


@app.command()
@handle_errors
def validate(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="RDF files (.ttl .trig .nt .nq .jsonld .rdf); none means the shipped seeds.",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        OutputFormat,
        typer.Option("--format", "-f", help="table: a report for people; json: for programs."),
    ] = OutputFormat.table,
    seeds: Annotated[
        bool,
        typer.Option(
            "--seeds",
            help="Validate the files together with the shipped seeds they may refer to.",
        ),
    ] = False,
) -> None:
    """Validate RDF against the SHACL shapes and print every result.

    The files are validated together, as one dataset.
    Exits 1 if any result is a Violation; Warnings and Infos are printed but pass.
    Exits 2 if a file cannot be read or parsed.
    """
    # rdflib logs a traceback for every ill-typed literal ("abc"^^xsd:integer); the report
    # names each one already, so keep the terminal for the report
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)
    sources: list[FileLike] = list(files or [])
    if seeds or not sources:
        seed_files = resources.seed_files()
        if not seed_files:
            msg = "no seed files are shipped (seeds/*.trig); name the files to validate"
            raise InputError(msg)
        sources = [*seed_files, *sources]
    report = validate_files(sources)
    if output_format is OutputFormat.json:
        print_json(report.to_dict())
    else:
        typer.echo(report.text())
    if not report.conforms:
        raise typer.Exit(1)
