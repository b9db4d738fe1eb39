"""Benchmark of the network analytics: the whole suite, store read included, per stage and metric.

``python -m bench analytics [--sizes 1000,10000,100000] [--runs 3] [--networkx] [--write]``
(or ``python -m bench.analytics …``).

Data: ``bench.generate.generate_actors(n, 6)`` — n actors in cities with their partnerships
(n-ary, reified participations, formality, equality, dates, sources), funding projects and
services, written as N-Quads and bulk-loaded into an in-memory pyoxigraph store (the load
is reported, not counted). The projected network has average degree ~6.

The suite, as ``ikg analyze`` and ``/api/v1/analytics`` run it, is timed stage by stage:

- ``fetch``: read the store (:func:`~inclusion_kg.graph.network.projection.fetch`);
- ``build``: project the actor network and score every tie;
- ``metrics``: :func:`~inclusion_kg.graph.network.metrics.compute_metrics` (each metric's
  own time is its ``Method.seconds``), automatic backends;
- ``indicators``: the three indicators of every city;
- with ``--write``, ``writeback``: the analytics graph as N-Triples (not part of the suite).

Each size runs ``--runs`` times; the table shows medians of wall-clock and CPU seconds
(CPU is summed over threads; on a loaded machine it is the better guide to what an idle
one would take), and the load average before and after. ``--networkx`` also times plain
networkx on the same network for the metrics that have a faster backend (weighted
betweenness extrapolated from 16 sources above 2,000 actors). Results go to
``bench/results/analytics-N.json``. Targets: the suite under 5 s at 10,000 actors and under
30 s at 100,000 (2 cores).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox

from bench.generate import generate_actors
from inclusion_kg.graph.network.indicators import city_indicators
from inclusion_kg.graph.network.metrics import MetricsConfig, compute_metrics
from inclusion_kg.graph.network.projection import OxigraphRunner, build_network, fetch
from inclusion_kg.graph.network.writeback import analytics_ntriples

RESULTS = Path(__file__).parent / "results"
STAGES = ("fetch", "build", "metrics", "indicators")


def timed(func: Callable[[], Any]) -> tuple[Any, float, float]:
    """Run ``func``; return its result, wall seconds and CPU seconds (all threads)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = func()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def load_store(n: int, seed: int) -> tuple[OxigraphRunner, float, int]:
    """Generate ``n`` actors as N-Quads in a temporary file and bulk-load them."""
    runner = OxigraphRunner()
    with tempfile.NamedTemporaryFile("w", suffix=".nq", delete=False) as out:
        for line in generate_actors(n, 6.0, seed, quads=True):
            out.write(line)
        path = out.name
    try:
        _, wall, _ = timed(lambda: runner.store.bulk_load(path=path, format=ox.RdfFormat.N_QUADS))
    finally:
        Path(path).unlink()
    return runner, wall, len(runner.store)


def one_run(runner: OxigraphRunner, config: MetricsConfig, write: bool) -> dict[str, Any]:
    """Time the suite once; return wall and CPU seconds per stage and per metric."""
    gc.collect()
    out: dict[str, Any] = {"wall": {}, "cpu": {}}
    raw, out["wall"]["fetch"], out["cpu"]["fetch"] = timed(lambda: fetch(runner))
    network, out["wall"]["build"], out["cpu"]["build"] = timed(lambda: build_network(raw))
    metrics, out["wall"]["metrics"], out["cpu"]["metrics"] = timed(
        lambda: compute_metrics(network.graph, config)
    )
    indicators, out["wall"]["indicators"], out["cpu"]["indicators"] = timed(
        lambda: city_indicators(network)
    )
    out["wall"]["suite"] = sum(out["wall"][s] for s in STAGES)
    out["cpu"]["suite"] = sum(out["cpu"][s] for s in STAGES)
    out["metric_seconds"] = {name: m.seconds for name, m in metrics.methods.items()}
    out["methods"] = {
        name: {"backend": m.backend, "exact": m.exact, "note": m.note}
        for name, m in metrics.methods.items()
    }
    out["nodes"] = network.graph.number_of_nodes()
    out["edges"] = network.graph.number_of_edges()
    out["cities"] = len(indicators)
    if write:
        (data, _, triples, _), out["wall"]["writeback"], out["cpu"]["writeback"] = timed(
            lambda: analytics_ntriples(network, metrics, indicators)
        )
        out["writeback_triples"] = triples
        out["writeback_bytes"] = len(data)
    out["graph"] = network.graph
    return out


def networkx_times(graph: nx.Graph[str], seed: int) -> dict[str, tuple[float, bool]]:
    """Plain networkx for each metric with a faster backend; (seconds, extrapolated)."""
    n = graph.number_of_nodes()
    out: dict[str, tuple[float, bool]] = {}

    def seconds(func: Callable[[], Any]) -> float:
        return timed(func)[1]

    if n <= 2_000:
        out["betweenness"] = (
            seconds(lambda: nx.betweenness_centrality(graph, weight="distance")),
            False,
        )
    else:
        k = 16
        spent = seconds(lambda: nx.betweenness_centrality(graph, k=k, weight="distance", seed=seed))
        out["betweenness"] = (spent * n / k, True)
    out["pagerank"] = (seconds(lambda: nx.pagerank(graph, weight="weight", tol=1e-9)), False)
    largest = max(nx.connected_components(graph), key=len)
    out["eigenvector"] = (
        seconds(lambda: nx.eigenvector_centrality_numpy(graph.subgraph(largest), weight="weight")),
        False,
    )
    out["communities"] = (
        seconds(lambda: nx.community.louvain_communities(graph, weight="weight", seed=seed)),
        False,
    )
    out["core"] = (seconds(lambda: nx.core_number(graph)), False)
    out["bridges"] = (
        seconds(lambda: (list(nx.bridges(graph)), list(nx.articulation_points(graph)))),
        False,
    )
    if n <= 10_000:  # networkx's vectorised effective size builds a dense n x n array
        out["structural_holes"] = (
            seconds(
                lambda: (
                    nx.constraint(graph, weight="weight"),
                    nx.effective_size(graph, weight="weight"),
                )
            ),
            False,
        )
    out["assortativity"] = (
        seconds(lambda: nx.attribute_assortativity_coefficient(graph, "actor_type")),
        False,
    )
    return out


def _median(runs: list[dict[str, Any]], kind: str, key: str) -> float | None:
    values = [r[kind][key] for r in runs if key in r[kind]]
    return statistics.median(values) if values else None


def report(n: int, runs: list[dict[str, Any]], extra: dict[str, Any]) -> dict[str, Any]:
    """Print the medians of one size and return them as JSON-ready data."""
    first = runs[0]
    print(
        f"\n== {n:,} actors, {first['edges']:,} ties, {first['cities']:,} cities; "
        f"{len(runs)} run(s); load average {extra['load_before']:.1f} -> "
        f"{extra['load_after']:.1f}; store {extra['quads']:,} quads, "
        f"loaded in {extra['load_seconds']:.1f} s (not counted)"
    )
    print(f"{'stage':<20}{'wall s':>10}{'cpu s':>10}")
    stages: dict[str, Any] = {}
    for stage in (*STAGES, "suite", "writeback"):
        wall, cpu = _median(runs, "wall", stage), _median(runs, "cpu", stage)
        if wall is None or cpu is None:
            continue
        stages[stage] = {"wall": round(wall, 3), "cpu": round(cpu, 3)}
        print(f"{stage:<20}{wall:>10.3f}{cpu:>10.3f}")
    reference = extra.get("networkx", {})
    print(f"\n{'metric':<18}{'backend':<11}{'exact':<7}{'ours s':>9}{'networkx s':>13}{'ratio':>8}")
    metrics: dict[str, Any] = {}
    for name, method in first["methods"].items():
        ours = statistics.median(r["metric_seconds"][name] for r in runs)
        line = f"{name:<18}{method['backend']:<11}{method['exact']!s:<7}{ours:>9.3f}"
        metrics[name] = {**method, "seconds": round(ours, 4)}
        if name in reference:
            seconds, extrapolated = reference[name]
            mark = "~" if extrapolated else ""
            ratio = seconds / ours if ours > 0 else float("inf")
            line += f"{mark + format(seconds, '.3f'):>13}{ratio:>7.1f}x"
            metrics[name]["networkx_seconds"] = round(seconds, 3)
            metrics[name]["networkx_extrapolated"] = extrapolated
        print(line)
    notes = {m["note"] for m in first["methods"].values() if m["note"]}
    for note in sorted(notes):
        print(f"  note: {note}")
    return {
        "actors": n,
        "ties": first["edges"],
        "cities": first["cities"],
        "runs": len(runs),
        "stages": stages,
        "metrics": metrics,
        "writeback_triples": first.get("writeback_triples"),
        **{k: v for k, v in extra.items() if k != "networkx"},
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=3, help="runs per size (medians)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--networkx", action="store_true", help="also time plain networkx")
    parser.add_argument("--write", action="store_true", help="also time the write-back text")
    args = parser.parse_args(argv)
    config = MetricsConfig(seed=args.seed)
    RESULTS.mkdir(exist_ok=True)
    for n in (int(x) for x in args.sizes.split(",")):
        runner, load_seconds, quads = load_store(n, args.seed)
        load_before = os.getloadavg()[0]
        runs = [one_run(runner, config, args.write) for _ in range(max(args.runs, 1))]
        extra: dict[str, Any] = {
            "load_seconds": round(load_seconds, 1),
            "quads": quads,
            "load_before": load_before,
            "load_after": os.getloadavg()[0],
            "cpu_count": os.cpu_count(),
        }
        if args.networkx and n <= 20_000:
            extra["networkx"] = networkx_times(runs[0]["graph"], args.seed)
        summary = report(n, runs, extra)
        (RESULTS / f"analytics-{n}.json").write_text(json.dumps(summary, indent=2) + "\n")
        del runner, runs
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
