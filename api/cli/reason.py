"""``ikg reason``: check RDF files, or the shipped seeds, for OWL consistency and infer."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from inclusion_kg.api.cli._app import OutputFormat, app, handle_errors, print_json
from inclusion_kg.api.cli._store import table_console
from inclusion_kg.graph import resources
from inclusion_kg.graph.errors import InputError
from inclusion_kg.graph.reason import ReasoningReport, inferred_dataset
from inclusion_kg.graph.reason import reason as run_reasoner
from inclusion_kg.graph.validate import FileLike, parse_files

__all__ = ["PropertyValuesOption", "reason"]


class PropertyValuesOption(StrEnum):
    """How ``ikg reason`` infers object-property values."""

    rules = "rules"
    hermit = "hermit"
    none = "none"


@app.command("reason")
@handle_errors
def reason(
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
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the inferred graph (with its PROV-O description) to this TriG file.",
            dir_okay=False,
        ),
    ] = None,
    property_values: Annotated[
        PropertyValuesOption,
        typer.Option(
            help="Infer object-property values by OWL 2 RL rules (fast), by HermiT, or not."
        ),
    ] = PropertyValuesOption.rules,
    timeout: Annotated[
        float, typer.Option(min=1.0, help="Seconds HermiT may run before it is stopped.")
    ] = 600.0,
) -> None:
    """Check the ontology and the data together with the HermiT OWL reasoner.

    Prints whether they are consistent and how many triples the reasoner infers, by
    predicate and by class. Exits 1 if the data is inconsistent, naming the individuals
    at fault; exits 2 if a file cannot be read or parsed. The files are reasoned over
    together, as one dataset.
    """
    sources: list[FileLike] = list(files or [])
    if not sources:
        sources = list(resources.seed_files())
        if not sources:
            msg = "no seed files are shipped (seeds/*.trig); name the files to reason over"
            raise InputError(msg)
    dataset = parse_files(sources)
    report = run_reasoner(dataset, property_values=property_values.value, timeout=timeout)
    if output is not None and report.consistent:
        trig = inferred_dataset(report, dataset).serialize(format="trig", encoding="utf-8")
        output.write_bytes(trig)
    if output_format is OutputFormat.json:
        print_json(report.as_dict())
    else:
        _print_table(report)
    if output is not None:
        if report.consistent:
            typer.echo(f"wrote {len(report.inferred):,} inferred triples to {output}", err=True)
        else:
            typer.echo(f"nothing written to {output}: the data is inconsistent", err=True)
    if not report.consistent:
        raise typer.Exit(1)


def _print_table(report: ReasoningReport) -> None:
    console = table_console()
    typer.echo(report.message)
    if report.consistent:
        counts = report.counts()
        if counts["predicates"]:
            table = Table("predicate", "inferred triples", title="Inferred triples by predicate")
            for name, count in counts["predicates"].items():
                table.add_row(name, f"{count:,}")
            console.print(table)
        if counts["classes"]:
            table = Table("class", "individuals", title="Inferred types by class")
            for name, count in counts["classes"].items():
                table.add_row(name, f"{count:,}")
            console.print(table)
    d = report.durations
    typer.echo(
        f"{report.reasoner}. Took {d.total:.1f} s (prepare {d.prepare:.1f} s, "
        f"HermiT {d.hermit:.1f} s, inference {d.inference:.1f} s)."
    )
