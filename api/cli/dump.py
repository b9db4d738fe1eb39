"""``ikg dump`` writes the store (or one graph) out; ``ikg restore`` replaces it by a dump.

N-Quads round-trips without loss: every graph, blank node, language tag and datatype comes
back (blank node labels are renamed, which RDF allows). Empty named graphs hold no quad,
so a dump does not carry them.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from inclusion_kg.api.cli._app import app, handle_errors
from inclusion_kg.api.cli._store import DataDirOption, StoreOption, opened_store, store_settings
from inclusion_kg.graph.errors import InputError

__all__ = ["dump", "restore"]

FormatOption = Annotated[
    str,
    typer.Option(
        "--format",
        help=(
            "Media type: application/n-quads (default), application/trig; "
            "any RDF type with --graph."
        ),
    ),
]


@app.command()
@handle_errors
def dump(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
    media_type: FormatOption = "application/n-quads",
    graph: Annotated[str | None, typer.Option(help="Dump only this named graph.")] = None,
    data_dir: DataDirOption = None,
    store: StoreOption = None,
) -> None:
    """Write every graph of the store (or one) as N-Quads, TriG or another RDF format."""
    with opened_store(store_settings(data_dir, store)) as opened:
        chunks = opened.dump(media_type, graph=graph)
        if output is None:
            for chunk in chunks:
                sys.stdout.buffer.write(chunk)
            sys.stdout.buffer.flush()
            return
        partial = output.with_name(output.name + ".part")
        try:
            with partial.open("wb") as target:
                for chunk in chunks:
                    target.write(chunk)
            partial.replace(output)
        except OSError as error:
            partial.unlink(missing_ok=True)
            msg = f"{output}: cannot write the dump ({error.strerror or error})."
            raise InputError(msg) from None


@app.command()
@handle_errors
def restore(
    file: Annotated[Path, typer.Argument(help="A dump written by `ikg dump` ('-' for stdin).")],
    media_type: FormatOption = "application/n-quads",
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Do not ask before replacing everything.")
    ] = False,
    data_dir: DataDirOption = None,
    store: StoreOption = None,
) -> None:
    """Replace everything in the store by a dump, in one transaction."""
    if str(file) == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            data = file.read_bytes()
        except OSError as error:
            msg = f"{file}: cannot read the dump ({error.strerror or error})."
            raise InputError(msg) from None
    if not yes:
        typer.confirm("This replaces everything in the store. Continue?", abort=True, err=True)
    with opened_store(store_settings(data_dir, store)) as opened:
        count = opened.restore([data], media_type)
    typer.echo(f"restored {count} quads", err=True)
