"""A dump is consumed by whichever server thread is free; pyoxigraph iterators must not be.

Regression: schemathesis streamed /api/v1/exports/dump.nq and pyoxigraph panicked with
"QuadIter is unsendable", which killed the whole server process.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pyoxigraph

from inclusion_kg.graph.settings import Settings
from inclusion_kg.graph.store.oxigraph import OxigraphStore


def test_dump_chunks_can_be_pulled_from_different_threads(tmp_path) -> None:
    store = OxigraphStore.in_memory(Settings(store="memory", data_dir=tmp_path))
    try:
        ex = "https://example.org/"
        lines = "".join(f'<{ex}s{i}> <{ex}p> "{i}" <{ex}g> .\n' for i in range(25_000))
        store.load(lines.encode(), "application/n-quads")
        chunks = store.dump("application/n-quads")
        pulled: list[bytes] = []
        with ThreadPoolExecutor(max_workers=4) as pool:
            while True:
                # each next() from a fresh thread, as a threadpool-driven response does
                chunk = pool.submit(next, chunks, None).result()
                if chunk is None:
                    break
                pulled.append(chunk)
        quads = list(pyoxigraph.parse(b"".join(pulled), format=pyoxigraph.RdfFormat.N_QUADS))
        assert len(quads) == 25_000
    finally:
        store.close()
