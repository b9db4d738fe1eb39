"""Write-back of a Testville run into the analytics graph, read back with SPARQL."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from inclusion_kg.graph.network.indicators import city_indicators
from inclusion_kg.graph.network.metrics import compute_metrics
from inclusion_kg.graph.network.projection import OxigraphRunner, project_network
from inclusion_kg.graph.network.writeback import ANALYTICS_GRAPH, write_analytics

DATA = Path(__file__).parent / "data"
PREFIXES = """PREFIX ikg: <https://w3id.org/inclusion-kg/ontology#>
PREFIX measure: <https://w3id.org/inclusion-kg/vocab/measure/>
PREFIX actor: <https://w3id.org/inclusion-kg/id/actor/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX void: <http://rdfs.org/ns/void#>
"""


@pytest.fixture
def store() -> OxigraphRunner:
    runner = OxigraphRunner()
    runner.load((DATA / "testville.trig").read_bytes(), "application/trig")
    return runner


def run(store: OxigraphRunner, when: datetime):
    network = project_network(store, reference=date(2020, 1, 1))
    metrics = compute_metrics(network.graph)
    return write_analytics(store, network, metrics, city_indicators(network), started=when)


def value(store: OxigraphRunner, measure: str, subject: str) -> float:
    rows = store.select(
        PREFIXES
        + f"""SELECT ?v WHERE {{ GRAPH <{ANALYTICS_GRAPH}> {{
            ?m ikg:measure measure:{measure} ; ikg:measuredEntity {subject} ; ikg:value ?v }} }}"""
    )
    assert len(rows) == 1
    return float(rows[0]["v"].value)


def test_values_read_back(store: OxigraphRunner) -> None:
    result = run(store, datetime(2026, 1, 1, tzinfo=UTC))
    assert result.measurements > 100
    tie = store.select(
        PREFIXES + """SELECT ?t WHERE { ?t a ikg:Tie ; ikg:tieEndpoint actor:a , actor:b }"""
    )
    assert len(tie) == 1
    assert value(store, "tie-strength", f"<{tie[0]['t'].value}>") == pytest.approx(0.7625)
    assert value(store, "betweenness", "actor:a") == pytest.approx(16 / 72)
    assert value(store, "core-number", "actor:i") == 0
    testville = "<https://w3id.org/inclusion-kg/id/city/testville>"
    assert value(store, "whole-of-community-coverage", testville) == pytest.approx(6 / 14)
    assert value(store, "migrant-participation", testville) == 1.0
    assert value(store, "city-density", testville) == pytest.approx(7 / 15)


def test_graph_describes_itself_and_is_replaced(store: OxigraphRunner) -> None:
    first = run(store, datetime(2026, 1, 1, tzinfo=UTC))
    second = run(store, datetime(2026, 1, 2, tzinfo=UTC))
    assert first.run != second.run
    assert first.triples == second.triples
    rows = store.select(
        PREFIXES
        + f"""SELECT ?run ?n ?params WHERE {{ GRAPH <{ANALYTICS_GRAPH}> {{
            <{ANALYTICS_GRAPH}> void:triples ?n ; prov:wasGeneratedBy ?run .
            ?run a ikg:AnalyticsRun ; ikg:parameters ?params }} }}"""
    )
    assert len(rows) == 1
    assert rows[0]["run"].value == second.run
    assert int(rows[0]["n"].value) == second.triples
    parameters = json.loads(rows[0]["params"].value)
    assert parameters["layer"] == "partnerships"
    assert parameters["methods"]["betweenness"]["backend"] == "networkx"
    # the data graph is untouched
    assert store.select(PREFIXES + "SELECT ?p WHERE { ?p a ikg:Partnership }")
