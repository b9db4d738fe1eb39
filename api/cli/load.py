"""``ikg load``: load RDF files as batches, validated, described with PROV-O, all or nothing."""

from __future__ import annotations

import getpass
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
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

if TYPE_CHECKING:
    from inclusion_kg.graph.load import BatchResult

__all__ = ["EXTENSIONS", "load", "media_type_for"]

EXTENSIONS: dict[str, str] = {
    ".ttl": "text/turtle",
    ".turtle": "text/turtle",
    ".nt": "application/n-triples",
    ".nq": "application/n-quads",
    ".trig": "application/trig",
    ".jsonld": "application/ld+json",
    ".json": "application/ld+json",
    ".rdf": "application/rdf+xml",
    ".owl": "application/rdf+xml",
    ".xml": "application/rdf+xml",
    ".n3": "text/n3",
}
"""File extension -> media type, for files loaded without ``--format``."""

PROGRESS_FROM = 1 << 20
"""Files this large (1 MiB) or larger get a progress bar while they are parsed."""


def media_type_for(path: Path, given: str | None) -> str:
    """Return ``given``, or the media type the file's extension stands for.

    Raises:
        InputError: the extension is unknown and no format was given.
    """
    if given:
        return given
    try:
        return EXTENSIONS[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(EXTENSIONS))
        msg = (
            f"{path}: unknown extension {path.suffix or '(none)'!r}; "
            f"use one of {known}, or --format."
        )
        raise InputError(msg) from None


def _stage_reporter(progress: Progress, task: TaskID, name: str) -> Callable[[str], None]:
    """Show the stage a load is in (validating, writing) on its progress bar."""

    def report(what: str) -> None:
        progress.update(task, description=f"{what} {name}")
        progress.refresh()  # show the stage now, even when it is over before the next tick

    return report


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        msg = f"{path}: cannot read the file ({error.strerror or error})."
        raise InputError(msg) from None


@app.command()
@handle_errors
def load(
    files: Annotated[list[Path], typer.Argument(help="RDF files: .ttl .nt .nq .trig .jsonld .rdf")],
    graph: Annotated[
        str | None,
        typer.Option(help="Graph IRI of the batch (default: a new …/graph/batch-… per file)."),
    ] = None,
    media_type: Annotated[
        str | None,
        typer.Option("--format", help="Media type of the files (default: by extension)."),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(
            help="IRI of the source document (prov:hadPrimarySource; default: urn:sha256:…)."
        ),
    ] = None,
    agent: Annotated[
        str | None,
        typer.Option(
            help="IRI of who loads the data (prov:wasAttributedTo; default: your user name)."
        ),
    ] = None,
    title: Annotated[str | None, typer.Option(help="English title of the batch.")] = None,
    replace_graph: Annotated[
        bool, typer.Option("--replace", help="Replace the graph if it already holds data.")
    ] = False,
    check: Annotated[
        bool,
        typer.Option("--validate/--no-validate", help="Run the SHACL gate before writing (on)."),
    ] = True,
    output: Annotated[
        OutputFormat, typer.Option("--output", "-o", help="table or json.")
    ] = OutputFormat.table,
    data_dir: DataDirOption = None,
    store: StoreOption = None,
) -> None:
    """Load RDF files, each a batch in its own named graph with PROV-O provenance.

    Every file is parsed and all are validated together before anything is written, then
    everything is written in one transaction: a Violation anywhere writes nothing. With
    --graph and several files, the files form one batch.
    """
    from inclusion_kg.graph.bootstrap import ensure_seeded
    from inclusion_kg.graph.load import Document, load_documents
    from inclusion_kg.graph.provenance import agent_iri

    settings = store_settings(data_dir, store)
    who = agent or agent_iri(getpass.getuser(), settings.base_iri)
    err = Console(stderr=True)
    documents = [
        Document(_read(path), media_type_for(path, media_type), str(path), title or _title(path))
        for path in files
    ]
    combine = graph is not None and len(files) > 1
    if combine and title is None:
        documents[0] = replace(documents[0], title=_title(*files))
    size = sum(len(document.data) for document in documents)
    names = ", ".join(path.name for path in files)
    with opened_store(settings) as opened:
        if settings.load_seeds:
            ensure_seeded(opened)
        progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TimeRemainingColumn(),
            console=err,
            transient=True,
            disable=size < PROGRESS_FROM,
        )
        with progress:
            task = progress.add_task(f"parsing {names}", total=size)
            try:
                results = load_documents(
                    opened,
                    documents,
                    graph=graph,
                    source=source,
                    agent=who,
                    replace=replace_graph,
                    validate=check,
                    combine=combine,
                    base=settings.base_iri,
                    progress=partial(progress.advance, task),
                    stage=_stage_reporter(progress, task, names),
                )
            except ValidationFailed as error:
                progress.stop()
                if error.report is not None:
                    err.print(error.report.text(), markup=False, highlight=False)
                raise
    labels = [", ".join(str(p) for p in files)] if combine else [str(p) for p in files]
    _report(list(zip(labels, results, strict=True)), output, err)


def _title(*paths: Path) -> str:
    return "Batch loaded from " + ", ".join(path.name for path in paths)


def _report(rows: Sequence[tuple[str, BatchResult]], output: OutputFormat, err: Console) -> None:
    if output is OutputFormat.json:
        print_json(
            [
                {
                    "file": label,
                    "graphs": list(result.graphs),
                    "quads": result.quads,
                    "report": result.report.to_dict() if result.report is not None else None,
                }
                for label, result in rows
            ]
        )
        return
    table = Table("file", "graph", "quads", "warnings", "infos")
    for label, result in rows:
        counts = result.report.counts if result.report is not None else {}
        table.add_row(
            label,
            "\n".join(result.graphs),
            str(result.quads),
            str(counts.get("Warning", "-")),
            str(counts.get("Info", "-")),
        )
    table_console().print(table)
    for label, result in rows:
        if result.report is not None and len(result.report):
            err.print(f"{label}:", markup=False)
            err.print(result.report.text(), markup=False, highlight=False)
