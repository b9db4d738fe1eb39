"""Serve one N-Quads/N-Triples file with rdflib-endpoint (a peer in the SPARQL benchmark).

``python -m bench._rdflib_server FILE PORT``: parses FILE into an rdflib Dataset (default
graph = union), prints one JSON line with the parse time, then serves ``/sparql`` on
127.0.0.1:PORT. rdflib-endpoint is a benchmark-only install (``pip install rdflib-endpoint``).
"""

from __future__ import annotations

import json
import sys
import time


def main() -> None:
    import uvicorn
    from rdflib import Dataset
    from rdflib_endpoint import SparqlEndpoint

    path, port = sys.argv[1], int(sys.argv[2])
    t0 = time.perf_counter()
    ds = Dataset(default_union=True)
    ds.parse(path, format="nquads" if path.endswith(".nq") else "nt")
    seconds = time.perf_counter() - t0
    print(json.dumps({"load_seconds": seconds, "quads": len(ds)}), flush=True)
    app = SparqlEndpoint(graph=ds, path="/sparql")
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
