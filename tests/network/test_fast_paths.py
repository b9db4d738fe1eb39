"""The vectorised code paths give the reference numbers.

- ``score_table`` (all ties at once, numpy) equals ``score_tie`` (one tie, Python) on
  random evidence;
- ``fetch`` reads the same records through pyoxigraph directly as through ``select``;
- the fast metrics (numpy, scipy, igraph) equal networkx on small graphs, isolates and
  several components included;
- ``unknown_filter_values`` names what a filter cannot match.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import networkx as nx
import numpy as np
import pytest

from inclusion_kg.graph.errors import InputError
from inclusion_kg.graph.network.metrics import (
    MetricsConfig,
    compute_metrics,
    cross_sector_share,
    density_by_city,
    eigenvector,
    pagerank,
    structural_holes,
    weighted_degree,
)
from inclusion_kg.graph.network.projection import (
    NetworkFilter,
    OxigraphRunner,
    build_network,
    fetch,
    unknown_filter_values,
)
from inclusion_kg.graph.network.strength import (
    COMPONENTS,
    SharedPartnership,
    StrengthWeights,
    TieEvidence,
    TieTable,
    effective_equality_rank,
    score_table,
    score_tie,
)

ROLE = "https://w3id.org/inclusion-kg/vocab/partner-role/"
NX = MetricsConfig(backend="networkx")
FAST = MetricsConfig(backend="fast", betweenness_networkx_max=0)


# --- strength -------------------------------------------------------------------------


def _random_partnership(rng: random.Random, index: int) -> SharedPartnership:
    start = date(2010, 1, 1) + timedelta(days=rng.randrange(4000)) if rng.random() < 0.8 else None
    end = None
    if rng.random() < 0.5:
        base = start or date(2012, 1, 1)
        end = base + timedelta(days=rng.randrange(3000))
    roles = (rng.choice(["funder", "partner", "mentor", None]), rng.choice(["partner", None]))
    return SharedPartnership(
        iri=f"p{index}",
        formality_rank=rng.choice([None, 1, 2, 3, 4]),
        equality_rank=rng.choice([None, None, 1, 2, 3, 4]),
        types=frozenset(rng.sample(["t1", "t2", "t3", "t4"], rng.randrange(4))),
        areas=frozenset(rng.sample(["a1", "a2", "a3", "a4", "a5"], rng.randrange(5))),
        sources=frozenset(rng.sample(["d1", "d2", "d3"], rng.randrange(4))),
        funded_by=frozenset({"proj"}) if rng.random() < 0.2 else frozenset(),
        start=start,
        end=end,
        roles=tuple(ROLE + r if r else None for r in roles),  # type: ignore[arg-type]
    )


def _table(ties: list[TieEvidence]) -> TieTable:
    """The columns the projection builds, from plain evidence objects."""
    parts = [p for tie in ties for p in tie.partnerships]
    names: dict[str, dict[str, int]] = {"types": {}, "areas": {}, "sources": {}}

    def ragged(which: str) -> tuple[np.ndarray, np.ndarray]:
        ids = names[which]
        ptr, flat = [0], []
        for p in parts:
            flat.extend(ids.setdefault(v, len(ids)) for v in sorted(getattr(p, which)))
            ptr.append(len(flat))
        return np.asarray(ptr, dtype=np.int64), np.asarray(flat, dtype=np.int64)

    def ordinal(day: date | None) -> float:
        return np.nan if day is None else float(day.toordinal())

    equality = []
    for p in parts:
        rank = effective_equality_rank(p.equality_rank, p.roles)
        equality.append(np.nan if rank is None else float(rank))
    return TieTable(
        n_ties=len(ties),
        tie=np.asarray([i for i, t in enumerate(ties) for _ in t.partnerships], dtype=np.int64),
        partnership=np.arange(len(parts), dtype=np.int64),
        formality=np.asarray(
            [np.nan if p.formality_rank is None else p.formality_rank for p in parts], dtype=float
        ),
        equality=np.asarray(equality, dtype=float),
        start=np.asarray([ordinal(p.start) for p in parts], dtype=float),
        end=np.asarray([ordinal(p.end) for p in parts], dtype=float),
        funded=np.asarray([bool(p.funded_by) for p in parts], dtype=bool),
        types=ragged("types"),
        areas=ragged("areas"),
        sources=ragged("sources"),
        shared_projects=np.asarray([bool(t.shared_projects) for t in ties], dtype=bool),
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_score_table_equals_score_tie(seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 - test data
    ties = []
    for i in range(300):
        count = rng.choice([0, 1, 1, 1, 2, 3, 5]) if i else 0  # tie 0: projects only
        partnerships = tuple(_random_partnership(rng, 10 * i + k) for k in range(count))
        projects = frozenset({"proj"}) if rng.random() < 0.1 or not count else frozenset()
        ties.append(TieEvidence(partnerships, projects))
    weights = StrengthWeights(duration=0.3, sources_half=2.0)
    for reference in (date(2015, 6, 1), date(2020, 1, 1), date(2031, 12, 31)):
        scores, components = score_table(_table(ties), reference, weights)
        for i, evidence in enumerate(ties):
            expected = score_tie(evidence, reference, weights)
            assert scores[i] == expected.score, i  # the same operations: bit for bit
            for k in COMPONENTS:
                assert components[k][i] == expected.components[k], (i, k)


def test_build_network_evidence_is_built_on_demand(testville: OxigraphRunner) -> None:
    net = build_network(fetch(testville), reference=date(2020, 1, 1))
    ties = net.ties
    assert len(ties) == net.graph.number_of_edges() == 8
    assert set(ties) == {tuple(sorted(e)) for e in net.graph.edges()}
    a, b = "https://w3id.org/inclusion-kg/id/actor/a", "https://w3id.org/inclusion-kg/id/actor/b"
    assert (a, b) in ties
    assert (b, a) not in ties  # keys are sorted pairs
    evidence = ties[(a, b)]
    assert ties[(a, b)] is evidence  # built once
    assert [p.iri.rsplit("/", 1)[-1] for p in evidence.partnerships] == ["p1", "p3"]
    p3 = evidence.partnerships[1]
    assert p3.roles == (ROLE + "member", ROLE + "member")
    assert p3.start == date(2019, 1, 1)
    assert p3.end is None
    edge = net.graph.edges[a, b]
    assert score_tie(evidence, date(2020, 1, 1)).score == edge["strength"]
    with pytest.raises(KeyError):
        ties[(a, "nobody")]


# --- fetch ----------------------------------------------------------------------------


def test_fetch_reads_the_same_through_select(testville: OxigraphRunner) -> None:
    class SelectOnly:
        def select(self, sparql: str):
            return testville.select(sparql)

    direct = fetch(testville)
    through_select = fetch(SelectOnly())
    assert direct == through_select
    assert direct.rows > 0


def test_unknown_filter_values(testville: OxigraphRunner) -> None:
    raw = fetch(testville)
    known = NetworkFilter(
        cities=frozenset(
            {"Testville", "otherburg", "https://w3id.org/inclusion-kg/id/city/testville"}
        ),
        countries=frozenset({"IT", "poland", "Italy"}),
        policy_areas=frozenset({"housing", "Housing", "health"}),
        actor_types=frozenset({"NGO", "migrant-council"}),
    )
    assert unknown_filter_values(raw, known) == {}
    unknown = NetworkFilter(
        cities=frozenset({"Atlantis", "Italy"}),  # a country is not a city
        countries=frozenset({"XX"}),
        policy_areas=frozenset({"astrology"}),
        actor_types=frozenset({"Dragon"}),
    )
    assert unknown_filter_values(raw, unknown) == {
        "cities": ["Atlantis", "Italy"],
        "countries": ["XX"],
        "policy_areas": ["astrology"],
        "actor_types": ["Dragon"],
    }


# --- metrics ----------------------------------------------------------------------------


@pytest.fixture(scope="module", params=[3, 4])
def graph(request) -> nx.Graph:
    """A weighted power-law graph with a second component, isolates and node attributes."""
    rng = random.Random(request.param)  # noqa: S311 - test data
    base = nx.powerlaw_cluster_graph(120, 2, 0.4, seed=request.param)
    base.add_edges_from([(200, 201), (201, 202), (202, 200)])  # a triangle apart
    base.add_nodes_from([300, 301])  # isolates
    g = nx.relabel_nodes(base, {n: f"n{n:04d}" for n in base})
    sectors = ["public", "civil-society", "private"]
    for node in g:
        sector = rng.choice(sectors)
        g.nodes[node].update(
            sector=sector,
            sector_label=sector.upper(),
            actor_type=rng.choice(["M", "N", "S", "T"]),
        )
        if rng.random() < 0.9:
            city = rng.choice(["c1", "c2", "c3"])
            g.nodes[node].update(city=city, city_label=city.title())
    for _, _, data in g.edges(data=True):
        data["weight"] = rng.uniform(0.05, 1.0)
        data["distance"] = 1 / data["weight"]
    return g


def test_strength_pagerank_eigenvector_agree(graph: nx.Graph) -> None:
    assert weighted_degree(graph, FAST)[0] == pytest.approx(weighted_degree(graph, NX)[0])
    fast, method = pagerank(graph, FAST)
    assert method.backend == "scipy"
    assert fast == pytest.approx(pagerank(graph, NX)[0], abs=1e-12)
    fast_eigen, method = eigenvector(graph, FAST)
    reference, _ = eigenvector(graph, NX)
    assert method.backend == "scipy"
    assert fast_eigen == pytest.approx(reference, abs=1e-9)
    assert fast_eigen["n0300"] == 0.0  # off the largest component


def test_mixing_and_density_agree(graph: nx.Graph) -> None:
    fast, slow = cross_sector_share(graph, FAST), cross_sector_share(graph, NX)
    assert (fast.ties, fast.cross, fast.by_sector_pair) == (
        slow.ties,
        slow.cross,
        slow.by_sector_pair,
    )
    assert fast.share == slow.share
    assert fast.weighted_share == pytest.approx(slow.weighted_share)
    assert fast.ei_index == slow.ei_index
    assert "CIVIL-SOCIETY|PUBLIC" in fast.by_sector_pair  # counted by sector label
    fast_density, slow_density = density_by_city(graph, FAST), density_by_city(graph, NX)
    assert fast_density.keys() == slow_density.keys() == {"c1", "c2", "c3"}
    for city, expected in slow_density.items():
        found = fast_density[city]
        assert (found.label, found.actors, found.ties, found.density) == (
            expected.label,
            expected.actors,
            expected.ties,
            expected.density,
        )
        assert found.mean_strength == pytest.approx(expected.mean_strength)


def test_burt_measures_without_triangles() -> None:
    # a star and a path: no triangle, so constraint is sum of p_ij^2 and size = degree
    g = nx.Graph(
        [("h", "a", {"weight": 1.0}), ("h", "b", {"weight": 3.0}), ("b", "c", {"weight": 1.0})]
    )
    g.add_node("lonely")
    constraint, size, _ = structural_holes(g, FAST)
    assert constraint["h"] == pytest.approx(0.25**2 + 0.75**2)
    assert size["h"] == pytest.approx(2.0)
    assert constraint["lonely"] is None
    assert size["lonely"] is None
    reference, reference_size, _ = structural_holes(g, NX)
    assert constraint == pytest.approx(reference)
    assert size == pytest.approx(reference_size)


def test_compute_metrics_fast_summary_and_nodes_agree(graph: nx.Graph) -> None:
    slow = compute_metrics(graph, NX)
    fast = compute_metrics(graph, FAST)
    assert fast.summary == pytest.approx(slow.summary)
    assert fast.summary["components"] == 4  # the big one, the triangle, two isolates
    assert fast.summary["isolates"] == 2
    assert fast.methods["arrays"].backend == "numpy"
    assert "arrays" not in slow.methods
    for node in graph:
        for metric in ("strength", "degree", "pagerank", "eigenvector", "core", "constraint"):
            assert fast.nodes[node][metric] == pytest.approx(slow.nodes[node][metric], abs=1e-9)
    assert fast.density_by_city.keys() == slow.density_by_city.keys()
    assert fast.assortativity == pytest.approx(slow.assortativity)


def test_betweenness_samples_follow_the_work_budget() -> None:
    config = MetricsConfig()
    assert config.samples(10_000, 30_000) == 256  # 20M / 30k = 666, capped at 256
    assert config.samples(100_000, 300_000) == 66  # 20M / 300k
    assert config.samples(1_000_000, 3_000_000) == 32  # the floor
    assert config.samples(20, 30) == 20  # never more sources than actors
    assert MetricsConfig(betweenness_samples=16).samples(100_000, 300_000) == 16  # the cap wins
    with pytest.raises(InputError):
        MetricsConfig(betweenness_work=0)


def test_ntriples_writer_escapes_and_counts(testville: OxigraphRunner) -> None:
    import pyoxigraph as ox

    from inclusion_kg.graph.network.indicators import city_indicators
    from inclusion_kg.graph.network.projection import project_network
    from inclusion_kg.graph.network.writeback import _text, analytics_ntriples

    tricky = 'a "quoted" \\ back\nslash\r'
    parsed = next(
        iter(
            ox.parse(
                f'<http://e/s> <http://e/p> "{_text(tricky)}" .'.encode(),
                format=ox.RdfFormat.N_TRIPLES,
            )
        )
    )
    assert parsed.object.value == tricky
    network = project_network(testville, reference=date(2020, 1, 1))
    metrics = compute_metrics(network.graph)
    data, run, count, measurements = analytics_ntriples(
        network, metrics, city_indicators(network), include_ties=False
    )
    triples = list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
    assert len(triples) == len(set(triples)) == count
    assert measurements == sum(1 for t in triples if t.object.value.endswith("#Measurement"))
    assert not any(t.object.value.endswith("#Tie") for t in triples)
    assert run.startswith("https://w3id.org/inclusion-kg/id/analytics-run/")
