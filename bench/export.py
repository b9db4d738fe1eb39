"""Benchmark of the network exports: a synthetic 100k-actor network written as GEXF.

``python -m bench.export [--actors 100000] [--degree 6] [--seed 1] [--validate] [--all]
[--repeat 3] [--no-peer]``

The data come from ``bench.generate.generate_actors`` (the ikg ontology, n-ary partnerships
with periods), bulk-loaded into an in-memory pyoxigraph store. The stages are timed
separately: generate + load, projection (``project_network``), metrics
(``compute_metrics``), then each export written to a temporary file (GEXF static and
dynamic; with ``--all`` also GraphML, graphology JSON and the CSV zip). The target is a
GEXF write of the 100k-actor network (with its metrics) in under 10 s; projection and
metrics are the analytics' cost (docs/analytics.md) and are reported apart. ``--validate``
also checks the static GEXF against the GEXF 1.3 schema with lxml (slow and memory-hungry
at this size).

The target is then measured as it is met in use: the first export of a network (a fresh
``ExportNetwork``, its types declared anew), the median of ``--repeat`` rounds, with the
writer's own choice of one or two processes, forced to one and to two, and dynamic; the
cases are taken in turn in each round, so that a shared machine's slow and fast spells
hit them alike. The peer,
measured in the same run on the same network, is ``networkx.write_gexf`` (its default
1.2draft; lists joined into strings and missing values left out, which networkx needs);
``--no-peer`` skips it (it takes over a minute and several GB at 100k actors).
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from inclusion_kg.graph.export import (
    ExportNetwork,
    iter_gexf,
    iter_graphml,
    iter_graphology,
    write_zip,
)
from inclusion_kg.graph.export.gexf import PARALLEL_EDGES
from inclusion_kg.graph.export.network import ExportNetwork as _ExportNetwork
from inclusion_kg.graph.export.parallel import idle_cpu
from inclusion_kg.graph.network.metrics import MetricsConfig, compute_metrics
from inclusion_kg.graph.network.projection import OxigraphRunner, project_network

TARGET_SECONDS = 10.0


def timed(label: str, func: Callable[[], Any]) -> tuple[Any, float]:
    """Run ``func``; print wall-clock and CPU seconds (CPU is what a busy machine can't skew)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = func()
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    print(f"{label:<34}{seconds:>9.2f} s wall {cpu_seconds:>9.2f} s CPU", flush=True)
    return result, seconds


def write(chunks: Iterator[bytes], path: Path) -> int:
    size = 0
    with path.open("wb") as out:
        for chunk in chunks:
            out.write(chunk)
            size += len(chunk)
    return size


def from_rdf(actors: int, degree: float, seed: int, folder: Path) -> Callable[[], ExportNetwork]:
    from bench.generate import generate_actors

    data = folder / "network.nq"

    def generate() -> int:
        count = 0
        with data.open("w", encoding="utf-8") as out:
            for line in generate_actors(actors, degree, seed, quads=True):
                out.write(line)
                count += 1
        return count

    quads, _ = timed("generate N-Quads", generate)
    store = ox.Store()

    def load() -> None:
        store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)

    timed("bulk load (pyoxigraph, memory)", load)
    data.unlink()
    print(f"  {quads:,} quads")
    network, _ = timed("projection", lambda: project_network(OxigraphRunner(store)))
    print(f"  {network.graph.number_of_nodes():,} actors, {network.graph.number_of_edges():,} ties")
    metrics, _ = timed("metrics", lambda: compute_metrics(network.graph, MetricsConfig(seed=seed)))
    return lambda: _ExportNetwork.from_partnership_network(network, metrics)


def networkx_gexf(network: ExportNetwork, path: Path) -> float:
    """The peer: ``networkx.write_gexf`` (its default 1.2draft) of the same network.

    networkx refuses list values and None, so lists become space-joined strings and
    missing values are left out (what a user of it would have to do); the copy is not
    timed. Returns the seconds ``write_gexf`` took.
    """
    import networkx as nx

    def plain(attributes: dict[str, Any]) -> dict[str, Any]:
        return {
            k: " ".join(map(str, v)) if isinstance(v, list | tuple) else v
            for k, v in attributes.items()
        }

    graph: nx.Graph[str] = nx.Graph()
    for node in network.nodes(spells=False):
        graph.add_node(node.id, **plain(node.attributes))
    for edge in network.edges(spells=False):
        graph.add_edge(edge.source, edge.target, weight=edge.weight, **plain(edge.attributes))
    start = time.perf_counter()
    nx.write_gexf(graph, path)
    return time.perf_counter() - start


def interleaved_medians(
    runs: int, cases: dict[str, Callable[[], Any]]
) -> dict[str, tuple[float, list[float]]]:
    """Median wall-clock seconds of each case over ``runs`` rounds, the cases taken in turn.

    Round-robin, so that a shared machine's slow and fast spells hit every case alike.
    """
    seconds: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, once in cases.items():
            start = time.perf_counter()
            once()
            seconds[name].append(time.perf_counter() - start)
    return {name: (statistics.median(times), times) for name, times in seconds.items()}


def report(label: str, median: float, times: list[float]) -> None:
    shown = ", ".join(f"{s:.2f}" for s in times)
    print(f"{label:<34}{median:>9.2f} s median ({shown})", flush=True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actors", type=int, default=100_000)
    parser.add_argument("--degree", type=float, default=6.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--validate", action="store_true", help="check against GEXF 1.3")
    parser.add_argument("--all", action="store_true", help="also GraphML, JSON, CSV zip")
    parser.add_argument("--no-freeze", action="store_true", help="leave the GC as it is")
    parser.add_argument("--memory", action="store_true", help="trace the writer's allocations")
    parser.add_argument("--repeat", type=int, default=3, help="runs per median")
    parser.add_argument("--no-peer", action="store_true", help="skip networkx.write_gexf")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        fresh = from_rdf(args.actors, args.degree, args.seed, folder)
        network = fresh()
        if not args.no_freeze:
            gc.freeze()  # as `ikg export` does after the projection
        results: dict[str, float] = {}
        gexf = folder / "network.gexf"
        two = network.number_of_edges >= PARALLEL_EDGES and idle_cpu()
        print(f"  edges in two processes: {two} (load average {os.getloadavg()[0]:.1f})")
        size, results["gexf"] = timed("GEXF (static)", lambda: write(iter_gexf(network), gexf))
        print(f"  {size / 1e6:,.1f} MB")
        size, results["gexf-dynamic"] = timed(
            "GEXF (dynamic)", lambda: write(iter_gexf(network, dynamic=True), folder / "d.gexf")
        )
        print(f"  {size / 1e6:,.1f} MB")
        if args.all:
            timed("GraphML", lambda: write(iter_graphml(network), folder / "n.graphml"))
            timed("graphology JSON", lambda: write(iter_graphology(network), folder / "n.json"))

            def zipped() -> None:
                with (folder / "n.zip").open("wb") as out:
                    write_zip(network, out)

            timed("CSV zip", zipped)
        if args.memory:
            tracemalloc.start()
            write(iter_gexf(network), folder / "m.gexf")
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            print(f"  peak Python allocation while writing the GEXF: {peak / 1e6:,.1f} MB")
        if args.validate:
            from lxml import etree

            schema_path = Path(__file__).parent.parent / "tests/export/data/gexf-1.3/gexf.xsd"
            schema = etree.XMLSchema(etree.parse(str(schema_path)))
            valid, _ = timed(
                "GEXF 1.3 schema validation", lambda: schema.validate(etree.parse(str(gexf)))
            )
            print(f"  valid: {valid}")

        # Each write below starts from a fresh ExportNetwork (types declared anew), like
        # the first export of a network: medians of --repeat rounds, the cases in turn.
        def first(parallel: bool | None, dynamic: bool = False) -> Callable[[], int]:
            return lambda: write(iter_gexf(fresh(), parallel=parallel, dynamic=dynamic), gexf)

        medians = interleaved_medians(
            args.repeat,
            {
                "GEXF static, first export": first(None),
                "  in one process": first(False),
                "  in two processes": first(True),
                "GEXF dynamic, first export": first(None, dynamic=True),
            },
        )
        for label, (median, times) in medians.items():
            report(label, median, times)
        ours = medians["GEXF static, first export"][0]
        one = medians["  in one process"][0]
        both = medians["  in two processes"][0]
        print(f"  two processes / one: {one / both:.2f}x faster")
        if not args.no_peer:
            peer = networkx_gexf(network, folder / "networkx.gexf")
            print(f"{'networkx.write_gexf (1.2draft)':<34}{peer:>9.2f} s")
            print(f"  inclusion-kg / networkx: {peer / ours:.1f}x faster (median first export)")
        ok = ours < TARGET_SECONDS
        print(f"target: GEXF of {args.actors:,} actors < {TARGET_SECONDS:.0f} s: "
              f"{'met' if ok else 'MISSED'} ({ours:.2f} s median first export)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
