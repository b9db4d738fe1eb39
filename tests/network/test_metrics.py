"""Metrics: hand-derived values on Testville, and agreement of every fast backend with networkx.

Testville at 2020-01-01 (strengths from test_strength.py): w(A,B) = 0.7625,
w(A,C) = 0.5184, w(A,D) = w(B,D) = 0.3875, w(B,C) = 0.4125; E2 and F hang on A; G-H apart;
E and I isolated; n = 10.
"""

from __future__ import annotations

import random
from datetime import date

import networkx as nx
import pytest

from inclusion_kg.graph.errors import InputError
from inclusion_kg.graph.network.metrics import (
    MetricsConfig,
    betweenness,
    bridges_and_articulation_points,
    communities,
    compute_metrics,
    core_numbers,
    cross_sector_share,
    density_by_city,
    eigenvector,
    pagerank,
    structural_holes,
    type_assortativity,
)
from inclusion_kg.graph.network.projection import OxigraphRunner, project_network

A = "https://w3id.org/inclusion-kg/id/actor/"
NX = MetricsConfig(backend="networkx")
FAST = MetricsConfig(backend="fast", betweenness_networkx_max=0)


@pytest.fixture(scope="module")
def network(testville: OxigraphRunner):
    return project_network(testville, reference=date(2020, 1, 1))


@pytest.fixture(scope="module")
def result(network):
    return compute_metrics(network.graph)


def short(nodes) -> list[str]:
    return sorted(n.removeprefix(A) for n in nodes)


def test_bridges_and_articulation_points(result) -> None:
    # A-E2, A-F and G-H are the only edges on no cycle; only A separates a component.
    assert sorted(tuple(short(e)) for e in result.bridges) == [("a", "e2"), ("a", "f"), ("g", "h")]
    assert short(result.articulation_points) == ["a"]


def test_core_numbers(result) -> None:
    # {A, B, C, D}: every member has >= 2 neighbours inside; no 3-core (C, D have 2).
    cores = {k.removeprefix(A): v["core"] for k, v in result.nodes.items()}
    assert cores == {
        "a": 2,
        "b": 2,
        "c": 2,
        "d": 2,
        "e2": 1,
        "f": 1,
        "g": 1,
        "h": 1,
        "e": 0,
        "i": 0,
    }


def test_betweenness_by_hand(result) -> None:
    # A is on the shortest path of (E2|F) x (F|B|C|D) -> 7 pairs, and of C-D (via A:
    # 1/0.5184 + 1/0.3875 = 4.51 < via B: 1/0.4125 + 1/0.3875 = 5.00); B-C goes direct
    # (2.42 < 1/0.7625 + 1/0.5184 = 3.24). Normalised by 2/((n-1)(n-2)) = 2/72.
    b = {k.removeprefix(A): v["betweenness"] for k, v in result.nodes.items()}
    assert b["a"] == pytest.approx(8 * 2 / 72)
    assert all(v == 0 for k, v in b.items() if k != "a")


def test_strength_is_weighted_degree(result, network) -> None:
    g = network.graph
    want = g.edges[A + "a", A + "d"]["weight"] + g.edges[A + "b", A + "d"]["weight"]
    assert result.nodes[A + "d"]["strength"] == pytest.approx(want)
    assert result.nodes[A + "i"]["strength"] == 0


def test_structural_holes_pendant_nodes(result) -> None:
    # F's only partner is A: p_FA = 1, no indirect path -> constraint 1, effective size 1
    assert result.nodes[A + "f"]["constraint"] == pytest.approx(1.0)
    assert result.nodes[A + "f"]["effective_size"] == pytest.approx(1.0)
    assert result.nodes[A + "i"]["constraint"] is None  # isolate: undefined


def test_cross_sector_share(result) -> None:
    # 8 ties, only B-C (NGO - migrant-led org) stays within civil society
    x = result.cross_sector
    assert (x.ties, x.cross, x.share, x.ei_index) == (8, 7, 7 / 8, 6 / 8)


def test_density_by_city(result) -> None:
    testville = result.density_by_city["https://w3id.org/inclusion-kg/id/city/testville"]
    assert (testville.actors, testville.ties) == (6, 7)
    assert testville.density == pytest.approx(7 / 15)
    otherburg = result.density_by_city["https://w3id.org/inclusion-kg/id/city/otherburg"]
    assert (otherburg.actors, otherburg.ties, otherburg.density) == (3, 1, pytest.approx(1 / 3))


def test_methods_are_reported(result) -> None:
    assert result.methods["betweenness"].backend == "networkx"
    assert result.methods["betweenness"].exact
    assert set(result.methods) >= {"pagerank", "eigenvector", "communities", "core", "bridges"}
    assert result.summary["components"] == 4  # {A..F, E2}, {G, H}, {E}, {I}


def test_eigenvector_on_largest_component(result) -> None:
    values = {k.removeprefix(A): v["eigenvector"] for k, v in result.nodes.items()}
    assert values["g"] == values["e"] == 0.0
    assert values["a"] == max(values.values())
    assert sum(v * v for v in values.values()) == pytest.approx(1.0)


def test_pagerank_sums_to_one(result) -> None:
    assert sum(v["pagerank"] for v in result.nodes.values()) == pytest.approx(1.0)


def test_assortativity_by_hand() -> None:
    # two M-N ties only: perfectly disassortative
    g = nx.Graph([("m1", "n1"), ("m2", "n2")])
    nx.set_node_attributes(g, {"m1": "M", "m2": "M", "n1": "N", "n2": "N"}, "actor_type")
    assert type_assortativity(g, config=NX)[0] == pytest.approx(-1.0)
    assert type_assortativity(g, config=FAST)[0] == pytest.approx(-1.0)
    same = nx.Graph([("m1", "m2")])
    nx.set_node_attributes(same, "M", "actor_type")
    assert type_assortativity(same)[0] is None  # one type only: undefined


def test_config_is_validated() -> None:
    with pytest.raises(InputError):
        MetricsConfig(backend="gpu")  # type: ignore[arg-type]


# --- agreement with networkx on small graphs --------------------------------------------


def weighted(graph: nx.Graph, seed: int) -> nx.Graph:
    rng = random.Random(seed)  # noqa: S311 - test data
    g = nx.relabel_nodes(graph, {n: f"n{n:04d}" for n in graph})
    types = ["Municipality", "NGO", "SocialEnterprise"]
    for node in g:
        g.nodes[node]["actor_type"] = rng.choice(types)
        g.nodes[node]["sector"] = g.nodes[node]["actor_type"]
    for _, _, data in g.edges(data=True):
        data["weight"] = rng.uniform(0.1, 1.0)
        data["distance"] = 1 / data["weight"]
    return g


@pytest.fixture(scope="module", params=[1, 2])
def small(request) -> nx.Graph:
    base = nx.powerlaw_cluster_graph(150, 2, 0.3, seed=request.param)
    base.add_edges_from([(150, 151), (151, 152)])  # a pendant path: bridges, cut vertices
    return weighted(base, request.param)


def test_betweenness_igraph_equals_networkx(small) -> None:
    exact, _ = betweenness(small, NX)
    fast, method = betweenness(small, FAST)
    assert method.backend == "igraph"
    assert method.exact
    assert fast == pytest.approx(exact, abs=1e-9)


def test_betweenness_networkit_estimate_is_close(small) -> None:
    exact, _ = betweenness(small, NX)
    config = MetricsConfig(
        betweenness_networkx_max=0, betweenness_exact_max=0, betweenness_samples=150
    )
    estimate, method = betweenness(small, config)
    assert method.backend == "networkit"
    assert not method.exact
    top = max(exact.values())
    assert max(abs(exact[n] - estimate[n]) for n in exact) < 0.3 * top
    assert max(exact, key=exact.get) in sorted(estimate, key=estimate.get)[-5:]


def test_core_bridges_articulation_agree(small) -> None:
    assert core_numbers(small, FAST)[0] == core_numbers(small, NX)[0]
    assert (
        bridges_and_articulation_points(small, FAST)[:2]
        == bridges_and_articulation_points(small, NX)[:2]
    )


def test_structural_holes_agree(small) -> None:
    # networkx's per-node effective size (its vectorised path has networkx#8906)
    c_nx, s_nx, _ = structural_holes(small, NX)
    c_fast, s_fast, method = structural_holes(small, FAST)
    assert method.backend == "numpy"  # igraph triangles + numpy
    assert c_fast == pytest.approx(c_nx, rel=1e-9)
    assert s_fast == pytest.approx(s_nx, rel=1e-9)


def test_constraint_agrees_with_igraph(small) -> None:
    import igraph as ig

    nodes = list(small)
    index = {n: i for i, n in enumerate(nodes)}
    g = ig.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in small.edges()])
    g.es["weight"] = [d["weight"] for *_, d in small.edges(data=True)]
    reference = dict(zip(nodes, g.constraint(weights="weight"), strict=True))
    ours, _, _ = structural_holes(small, FAST)
    assert ours == pytest.approx(reference, rel=1e-9)


def test_assortativity_agrees(small) -> None:
    assert type_assortativity(small, config=FAST)[0] == pytest.approx(
        type_assortativity(small, config=NX)[0]
    )


def test_pagerank_agrees_with_igraph(small) -> None:
    import igraph as ig

    nodes = list(small)
    index = {n: i for i, n in enumerate(nodes)}
    g = ig.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in small.edges()])
    g.es["weight"] = [d["weight"] for *_, d in small.edges(data=True)]
    reference = dict(zip(nodes, g.pagerank(weights="weight"), strict=True))
    assert pagerank(small)[0] == pytest.approx(reference, abs=1e-7)


def test_eigenvector_agrees_with_igraph(small) -> None:
    import igraph as ig

    largest = small.subgraph(max(nx.connected_components(small), key=len))
    nodes = list(largest)
    index = {n: i for i, n in enumerate(nodes)}
    g = ig.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in largest.edges()])
    g.es["weight"] = [d["weight"] for *_, d in largest.edges(data=True)]
    raw = g.eigenvector_centrality(weights="weight")
    norm = sum(x * x for x in raw) ** 0.5
    reference = dict.fromkeys(small, 0.0) | {n: raw[index[n]] / norm for n in nodes}
    ours, method = eigenvector(small)
    assert ours == pytest.approx(reference, abs=1e-6)
    assert "largest component (150 of 153" in method.note


def test_louvain_agrees_on_planted_communities() -> None:
    planted = nx.planted_partition_graph(4, 20, 0.6, 0.01, seed=7)
    g = weighted(planted, 7)
    truth = sorted(sorted(f"n{n:04d}" for n in block) for block in planted.graph["partition"])
    for config in (NX, FAST):
        found, modularity, method = communities(g, config)
        assert sorted(found) == truth, method
        assert modularity is not None
        assert modularity > 0.5
    _, q_nx, _ = communities(g, NX)
    _, q_fast, _ = communities(g, FAST)
    assert q_fast == pytest.approx(q_nx)


def test_louvain_is_seeded() -> None:
    g = weighted(nx.powerlaw_cluster_graph(120, 2, 0.2, seed=5), 5)
    for config in (NX, FAST):
        assert communities(g, config)[0] == communities(g, config)[0]


def test_compute_metrics_fast_equals_networkx_where_exact(small) -> None:
    a = compute_metrics(small, NX)
    b = compute_metrics(small, FAST)
    for node in small:
        for metric in (
            "strength",
            "pagerank",
            "core",
            "constraint",
            "effective_size",
            "articulation_point",
        ):
            assert b.nodes[node][metric] == pytest.approx(a.nodes[node][metric]), metric
    assert a.bridges == b.bridges
    assert b.methods["communities"].backend == "igraph"


def test_cross_sector_and_density_on_empty_graph() -> None:
    g = nx.Graph()
    assert cross_sector_share(g).share is None
    assert density_by_city(g) == {}
    assert compute_metrics(g).summary["nodes"] == 0
