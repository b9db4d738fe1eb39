"""Benchmark of the network analytics: every metric on synthetic partnership networks.

``python -m bench.analytics [--sizes 1000,10000,100000] [--no-networkx]``

Networks: Holme-Kim power-law graphs with clustering (``powerlaw_cluster_graph(n, 3, 0.3)``,
average degree ~6), strengths uniform in [0.05, 1], distance 1/strength, 14 actor types in
6 sectors, actors spread over n/100 cities. For each size it times ``compute_metrics`` with
the automatic backend choice (each metric and the whole run), then plain networkx for the
same metric, and prints the ratio networkx / ours. Exact weighted betweenness in networkx is
timed on 16 sources and extrapolated to n (marked ``~``) above 2,000 actors; networkx's
structural holes use its vectorised effective size (fast but wrong on weighted graphs,
networkx#8906; its correct per-node path is far slower) and are skipped above 10,000.
Targets: 10k actors < 5 s, 100k < 30 s for the whole run.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from typing import Any

import networkx as nx

from inclusion_kg.graph.network.metrics import MetricsConfig, compute_metrics

SECTORS = ["public", "civil-society", "social-economy", "private", "international", "research"]
TYPES = [(f"type-{i}", SECTORS[i % len(SECTORS)]) for i in range(14)]


def synthetic(n: int, seed: int = 1) -> nx.Graph:
    rng = random.Random(seed)
    graph = nx.powerlaw_cluster_graph(n, 3, 0.3, seed=seed)
    graph = nx.relabel_nodes(graph, {i: f"https://example.org/actor/{i}" for i in graph})
    cities = max(n // 100, 1)
    for node in graph:
        kind, sector = rng.choice(TYPES)
        graph.nodes[node].update(
            actor_type=kind, sector=sector, city=f"https://example.org/city/{rng.randrange(cities)}"
        )
    for _, _, data in graph.edges(data=True):
        data["weight"] = data["strength"] = rng.uniform(0.05, 1.0)
        data["distance"] = 1.0 / data["weight"]
    return graph


def timed(func: Callable[[], Any]) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def networkx_times(graph: nx.Graph, seed: int) -> dict[str, tuple[float, bool]]:
    """Plain networkx for each metric; (seconds, extrapolated)."""
    n = graph.number_of_nodes()
    out: dict[str, tuple[float, bool]] = {}
    if n <= 2_000:
        out["betweenness"] = (
            timed(lambda: nx.betweenness_centrality(graph, weight="distance")),
            False,
        )
    else:
        k = 16
        seconds = timed(lambda: nx.betweenness_centrality(graph, k=k, weight="distance", seed=seed))
        out["betweenness"] = (seconds * n / k, True)
    out["communities"] = (
        timed(lambda: nx.community.louvain_communities(graph, weight="weight", seed=seed)),
        False,
    )
    out["core"] = (timed(lambda: nx.core_number(graph)), False)
    out["bridges"] = (
        timed(lambda: (list(nx.bridges(graph)), list(nx.articulation_points(graph)))),
        False,
    )
    if n <= 10_000:  # networkx's vectorised effective size builds a dense n x n array
        out["structural_holes"] = (
            timed(
                lambda: (
                    nx.constraint(graph, weight="weight"),
                    nx.effective_size(graph, weight="weight"),
                )
            ),
            False,
        )
    out["assortativity"] = (
        timed(lambda: nx.attribute_assortativity_coefficient(graph, "actor_type")),
        False,
    )
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-networkx", action="store_true", help="skip the plain-networkx runs")
    args = parser.parse_args(argv)
    for n in (int(x) for x in args.sizes.split(",")):
        t0 = time.perf_counter()
        graph = synthetic(n, args.seed)
        built = time.perf_counter() - t0
        print(f"\n== {n:,} actors, {graph.number_of_edges():,} ties (generated in {built:.1f} s)")
        t0 = time.perf_counter()
        result = compute_metrics(graph, MetricsConfig(seed=args.seed))
        total = time.perf_counter() - t0
        reference = {} if args.no_networkx else networkx_times(graph, args.seed)
        print(
            f"{'metric':<18}{'backend':<11}{'exact':<7}{'ours s':>9}{'networkx s':>13}{'ratio':>8}"
        )
        for name, method in result.methods.items():
            ours = method.seconds
            line = f"{name:<18}{method.backend:<11}{method.exact!s:<7}{ours:>9.3f}"
            if name in reference:
                seconds, extrapolated = reference[name]
                mark = "~" if extrapolated else ""
                ratio = seconds / ours if ours > 0 else float("inf")
                line += f"{mark + format(seconds, '.3f'):>13}{ratio:>7.1f}x"
            print(line)
        print(f"{'whole run':<36}{total:>9.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
