"""Where does a query's time go in our server? Layer by layer, same data, same query.

``python -m bench.layers --triples 100000`` fills one on-disk store (pyoxigraph's bulk
loader), then times the cheap lookup and the 100k-row result through each layer:

1. ``pyoxigraph``: ``Store.query`` + ``serialize`` to SPARQL JSON, in this process;
2. ``OxigraphStore.query``: our store backend (query workers, spool file, row cap), in
   this process, chunks consumed;
3. ``GET /health`` on ``ikg serve``: the HTTP stack alone (uvicorn, FastAPI, middleware);
4. ``POST /sparql`` on ``ikg serve``: everything;
5. ``oxigraph serve`` on a copy of the same store, for reference.

Medians over ``--runs`` runs; one client, sequential, keep-alive (http.client).
"""

from __future__ import annotations

import argparse
import http.client
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.generate import generate
from bench.sparql import (
    JSON_RESULTS,
    QUERIES,
    free_port,
    lookup_query,
    spawn,
    stop,
    tool,
    wait_ready,
)


def _median(f: Callable[[int], object], runs: int) -> float:
    f(0)  # warm-up
    times = []
    for i in range(1, runs + 1):
        t0 = time.perf_counter()
        f(i)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _http(port: int) -> Callable[[str, str, bytes | None], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def call(method: str, path: str, body: bytes | None) -> bytes:
        headers = {"Accept": JSON_RESULTS}
        if body is not None:
            headers["Content-Type"] = "application/sparql-query"
        conn.request(method, path, body=body, headers=headers)
        r = conn.getresponse()
        data = r.read()
        if r.status != 200:
            msg = f"HTTP {r.status}: {data[:200]!r}"
            raise RuntimeError(msg)
        return data

    return call


def _pyoxigraph(store_dir: Path, rows_q: str, runs: int, big: int) -> tuple[float, float]:
    import pyoxigraph as ox

    ref = ox.Store(str(store_dir))

    def direct(q: str) -> bytes:
        out = io.BytesIO()
        result = ref.query(q, use_default_graph_as_union=True)
        result.serialize(out, ox.QueryResultsFormat.JSON)
        return out.getvalue()

    return _median(lambda i: direct(lookup_query(i)), runs), _median(lambda _i: direct(rows_q), big)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.layers", description=__doc__.split("\n")[0])
    p.add_argument("--triples", type=int, default=100_000)
    p.add_argument(
        "--runs", type=int, default=200, help="runs of the lookup (the 100k rows: runs/20)"
    )
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)

    import pyoxigraph as ox

    from inclusion_kg.graph.settings import Settings
    from inclusion_kg.graph.store.oxigraph import OxigraphStore

    work = Path(tempfile.mkdtemp(prefix="ikg-layers-"))
    procs = []
    try:
        data = work / "data.nq"
        with data.open("w", encoding="utf-8") as f:
            f.writelines(generate(args.triples, args.seed, quads=True))
        store_dir = work / "store"
        s = ox.Store(str(store_dir))
        s.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
        s.flush()
        del s
        shutil.copytree(store_dir, work / "oxigraph-store")
        rows_q = QUERIES["rows100k"]
        big = max(5, args.runs // 20)
        res: dict[str, tuple[float, float]] = {}

        # 1. pyoxigraph in process
        res["1 pyoxigraph Store.query + serialize (in process)"] = _pyoxigraph(
            store_dir, rows_q, args.runs, big
        )

        # 2. our store backend in process
        settings = Settings(data_dir=store_dir, load_seeds=False, store="oxigraph")
        store = OxigraphStore.on_disk(store_dir, settings)
        try:

            def backend(q: str) -> int:
                r = store.query(q, media_type=JSON_RESULTS)
                return sum(len(c) for c in r.chunks)

            res["2 OxigraphStore.query (workers, spool), in process"] = (
                _median(lambda i: backend(lookup_query(i)), args.runs),
                _median(lambda _i: backend(rows_q), big),
            )
        finally:
            store.close()

        # 3-4. ikg serve
        ikg = tool("ikg") or "ikg"
        port = free_port()
        env = {
            "IKG_DATA_DIR": str(store_dir),
            "IKG_LOAD_SEEDS": "false",
            "IKG_STORE": "oxigraph",
            "IKG_HOST": "127.0.0.1",
            "IKG_PORT": str(port),
        }
        proc = spawn([ikg, "serve"], work / "ikg.log", env)
        procs.append(proc)
        wait_ready(f"http://127.0.0.1:{port}/health", proc, 120, work / "ikg.log")
        call = _http(port)
        health = _median(lambda _i: call("GET", "/health", None), args.runs)
        res["3 ikg serve GET /health (HTTP stack only)"] = (health, health)
        res["4 ikg serve POST /sparql"] = (
            _median(lambda i: call("POST", "/sparql", lookup_query(i).encode()), args.runs),
            _median(lambda _i: call("POST", "/sparql", rows_q.encode()), big),
        )
        stop(proc)

        # 5. oxigraph serve
        port = free_port()
        exe = tool("oxigraph") or "oxigraph"
        where = str(work / "oxigraph-store")
        cmd = [
            exe,
            "serve",
            "--location",
            where,
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ]
        proc = spawn(cmd, work / "oxigraph.log")
        procs.append(proc)
        wait_ready(
            f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", proc, 120, work / "oxigraph.log"
        )
        call = _http(port)
        res["5 oxigraph serve POST /query"] = (
            _median(lambda i: call("POST", "/query", lookup_query(i).encode()), args.runs),
            _median(lambda _i: call("POST", "/query", rows_q.encode()), big),
        )
    finally:
        for proc in procs:
            stop(proc)
        shutil.rmtree(work, ignore_errors=True)

    print(f"{args.triples:,} triples, {os.cpu_count()} CPUs; medians, one sequential client")
    print(f"{'layer':55} {'cheap lookup':>14} {'100k rows':>12}")
    for name, (a, b) in res.items():
        print(f"{name:55} {a * 1000:11.2f} ms {b * 1000:9.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
