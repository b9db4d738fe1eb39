"""``ikg import``: import workbooks (XLSX/CSV) or an RDF file as one validated batch."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from inclusion_kg.api.cli._app import OutputFormat, app, handle_errors, print_json
from inclusion_kg.api.cli._store import (
    DataDirOption,
    StoreOption,
    opened_store,
    store_settings,
    table_console,
)
from inclusion_kg.graph.errors import InputError, ValidationFailed

__all__ = ["import_command"]


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        msg = f"{path}: cannot read the file ({error.strerror or error})."
        raise InputError(msg) from None


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as error:
        msg = f"{path}: cannot write the file ({error.strerror or error})."
        raise InputError(msg) from None


@app.command("import")
@handle_errors
def import_command(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="An XLSX workbook, CSV files named by kind (actors.csv…), or an RDF file."
        ),
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(help="Kind of a CSV file not named by kind: place, actor, council, …"),
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option("--template", help="Write the empty import workbook to this file and exit."),
    ] = None,
    example: Annotated[
        Path | None,
        typer.Option("--example", help="Write the example workbook (the seed data) and exit."),
    ] = None,
    output: Annotated[
        OutputFormat, typer.Option("--output", "-o", help="table or json.")
    ] = OutputFormat.table,
    data_dir: DataDirOption = None,
    store: StoreOption = None,
) -> None:
    """Import as one batch (a named graph with PROV-O), validated as a whole.

    Every row is loaded, or nothing, with a report naming the sheet, row and column of each problem.

    The columns are in docs/import-template.md; `ikg import --template t.xlsx` writes the
    empty workbook.
    """
    from inclusion_kg.graph.bootstrap import ensure_seeded
    from inclusion_kg.graph.workbook import import_files, template_file

    if template is not None or example is not None:
        for target, name in ((template, "import-template.xlsx"), (example, "import-example.xlsx")):
            if target is not None:
                _write(target, template_file(name))
                typer.echo(f"wrote {target}", err=True)
        return
    if not files:
        msg = "Give files to import, or --template OUT.xlsx to get the template."
        raise InputError(msg)
    uploads = [(str(path), _read(path)) for path in files]
    settings = store_settings(data_dir, store)
    err = Console(stderr=True)
    with opened_store(settings) as opened:
        if settings.load_seeds:
            ensure_seeded(opened)
        try:
            outcome = import_files(opened, uploads, kind=kind, agent="cli", base=settings.base_iri)
        except ValidationFailed as error:
            if error.report is not None:
                err.print(error.report.text(), markup=False, highlight=False)
            raise
    report = outcome.batch.report
    if output is OutputFormat.json:
        print_json(
            {
                "graphs": list(outcome.batch.graphs),
                "quads": outcome.batch.quads,
                "files": list(outcome.files),
                "entities": outcome.counts,
                "report": report.to_dict() if report is not None else None,
            }
        )
        return
    table = Table("graph", "quads", "rows", "warnings", "infos")
    counts = report.counts if report is not None else {}
    table.add_row(
        "\n".join(outcome.batch.graphs),
        str(outcome.batch.quads),
        ", ".join(f"{n} {k}" for k, n in outcome.counts.items()) or "-",
        str(counts.get("Warning", 0)),
        str(counts.get("Info", 0)),
    )
    table_console().print(table)
