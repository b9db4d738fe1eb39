"""``ikg serve``: run the HTTP service (SPARQL endpoint, Graph Store, REST, UI) with uvicorn."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from inclusion_kg.api.cli._app import app, handle_errors, load_settings

__all__ = ["Backend", "serve"]


class Backend(StrEnum):
    """The store backends ``IKG_STORE`` can name."""

    oxigraph = "oxigraph"
    memory = "memory"
    remote = "remote"


@app.command()
@handle_errors
def serve(
    host: Annotated[
        str | None, typer.Option(help="Address to bind (IKG_HOST; default 127.0.0.1).")
    ] = None,
    port: Annotated[
        int | None, typer.Option(min=0, max=65535, help="Port to bind (IKG_PORT; default 8000).")
    ] = None,
    data_dir: Annotated[
        Path | None,
        typer.Option(help="Folder of the on-disk store (IKG_DATA_DIR; default data/store)."),
    ] = None,
    store: Annotated[
        Backend | None,
        typer.Option(help="Backend: oxigraph (on disk), memory or remote (IKG_STORE)."),
    ] = None,
    seeds: Annotated[
        bool | None,
        typer.Option(
            "--seeds/--no-seeds",
            help="Load the ontology and seed data into an empty store (IKG_LOAD_SEEDS; on).",
        ),
    ] = None,
    log_level: Annotated[
        str, typer.Option(help="uvicorn log level: critical, error, warning, info, debug.")
    ] = "info",
    access_log: Annotated[
        bool,
        typer.Option(
            "--access-log/--no-access-log",
            help="Log every request (off by default: one log line costs about as much as "
            "answering a cheap query; /metrics counts requests per route).",
        ),
    ] = False,
) -> None:
    """Serve the knowledge graph over HTTP until interrupted (Ctrl-C).

    Reads are open; writes (/update, /store, REST) need IKG_API_TOKEN as a bearer token.
    """
    import uvicorn

    from inclusion_kg.api.app import create_app

    settings = load_settings(
        host=host,
        port=port,
        data_dir=data_dir,
        store=store.value if store is not None else None,
        load_seeds=seeds,
    )
    if settings.store == "oxigraph":
        # Fail here, with one readable line, if another process holds the store's lock;
        # inside the lifespan the same error would come wrapped in uvicorn's traceback.
        from inclusion_kg.graph.store import open_store

        open_store(settings).close()
    if not settings.api_token:
        typer.echo(
            "ikg: note: IKG_API_TOKEN is not set, so writes are refused; reads are open.",
            err=True,
        )
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level=log_level,
        access_log=access_log,
        timeout_graceful_shutdown=5,
    )
