"""The analytics on the shipped seeds, through the real in-memory Oxigraph store.

The study (MPI Europe press release of 28 May 2020): Palermo's and Gdansk's migrant
councils have a budget and leeway to develop their own initiatives.
"""

from __future__ import annotations

import pytest

from inclusion_kg.graph.network.indicators import city_indicators
from inclusion_kg.graph.network.metrics import compute_metrics
from inclusion_kg.graph.network.projection import project_network

CITY = "https://w3id.org/inclusion-kg/id/city/"


@pytest.fixture(scope="module")
def seeded():
    from inclusion_kg.graph.bootstrap import ensure_seeded
    from inclusion_kg.graph.settings import Settings
    from inclusion_kg.graph.store.oxigraph import OxigraphStore

    store = OxigraphStore.in_memory(Settings(store="memory", load_seeds=False))
    ensure_seeded(store)
    yield store
    store.close()


@pytest.fixture(scope="module")
def network(seeded):
    return project_network(seeded)


@pytest.mark.parametrize("city", ["palermo", "gdansk"])
def test_councils_count_as_participation_with_budget(network, city: str) -> None:
    participation = city_indicators(network)[CITY + city].migrant_participation
    assert participation.council_exists
    assert participation.has_budget
    assert participation.councils[0].has_budget is True
    assert participation.score >= 2 / 3


def test_metrics_run_on_the_seeds(network) -> None:
    assert network.graph.number_of_edges() > 0
    result = compute_metrics(network.graph)
    assert sum(v["pagerank"] for v in result.nodes.values()) == pytest.approx(1.0)
    for _, _, data in network.graph.edges(data=True):
        assert 0 < data["strength"] <= 1
