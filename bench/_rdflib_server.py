"""Serve one N-Quads/N-Triples file with rdflib-endpoint (a peer in the SPARQL benchmark).

``python -m bench._rdflib_server FILE``: parses FILE once into an rdflib Dataset (default
graph = union) and prints one JSON line with the parse time. Then, for each port number
it reads on stdin, it kills the endpoint it served before (if any) and forks a fresh one
serving ``/sparql`` on 127.0.0.1:PORT from the parsed data and the app built once, and
prints ``forked PORT``.

Why a fork: rdflib-endpoint evaluates queries on its event loop and cannot cancel them, so
after a client-side timeout the server stays busy with the abandoned query. The benchmark
then asks for a fresh endpoint, which costs a fork instead of re-parsing the file (about a
minute per million triples). The endpoint itself is the unmodified rdflib-endpoint app.
Closing stdin stops everything. rdflib-endpoint is a benchmark-only install
(``pip install rdflib-endpoint``).
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import signal
import sys
import time


def _serve(app: object, port: int) -> None:
    import uvicorn

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)  # type: ignore[arg-type]


def _kill(pid: int | None) -> None:
    if pid is None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def main() -> None:
    import uvicorn  # noqa: F401  (imported before the fork, so children do not import)
    from rdflib import Dataset
    from rdflib_endpoint import SparqlEndpoint

    path = sys.argv[1]
    t0 = time.perf_counter()
    ds = Dataset(default_union=True)
    ds.parse(path, format="nquads" if path.endswith(".nq") else "nt")
    seconds = time.perf_counter() - t0
    # The app is built once: its constructor computes the service description's statistics
    # with a SPARQL aggregate over the whole graph (minutes at 1M triples in rdflib).
    t1 = time.perf_counter()
    app = SparqlEndpoint(graph=ds, path="/sparql")
    app_seconds = time.perf_counter() - t1
    # Keep the parsed graph out of the collector's sight: a full collection in a child
    # would touch every object and copy the parent's whole heap page by page.
    gc.freeze()
    print(
        json.dumps({"load_seconds": seconds, "app_seconds": app_seconds, "quads": len(ds)}),
        flush=True,
    )
    child: int | None = None
    try:
        for line in sys.stdin:
            port = int(line.strip())
            _kill(child)
            child = os.fork()
            if child == 0:  # the endpoint
                try:
                    _serve(app, port)
                finally:
                    os._exit(0)
            print(f"forked {port}", flush=True)
    finally:
        _kill(child)


if __name__ == "__main__":
    main()
