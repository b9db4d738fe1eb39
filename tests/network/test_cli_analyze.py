"""``ikg analyze`` on the Testville graph (the store is a pyoxigraph adapter)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from inclusion_kg.api.cli import analyze as analyze_module
from inclusion_kg.api.cli import app
from inclusion_kg.graph.network.projection import OxigraphRunner

DATA = Path(__file__).parent / "data"
A = "https://w3id.org/inclusion-kg/id/actor/"


@pytest.fixture
def store(monkeypatch: pytest.MonkeyPatch) -> OxigraphRunner:
    runner = OxigraphRunner()
    runner.load((DATA / "testville.trig").read_bytes(), "application/trig")

    @contextmanager
    def opened(_settings) -> Iterator[OxigraphRunner]:
        yield runner

    monkeypatch.setattr(analyze_module, "opened_store", opened)
    return runner


def invoke(*args: str):
    return CliRunner().invoke(app, ["analyze", *args])


def test_json_output(store: OxigraphRunner) -> None:
    result = invoke("--as-of", "2020-01-01", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["network"]["edges"] == 7  # as of 2020-01-01: P2 has ended
    assert data["metrics"]["nodes"][A + "a"]["articulation_point"] is True
    testville = data["indicators"]["https://w3id.org/inclusion-kg/id/city/testville"]
    assert testville["migrant_participation"]["score"] == 1.0
    assert data["metrics"]["methods"]["betweenness"]["backend"] == "networkx"


def test_table_output_and_explain(store: OxigraphRunner) -> None:
    result = invoke("--as-of", "2020-01-01", "--explain", "a", "NGO Alpha")
    assert result.exit_code == 0, result.output
    assert "Indicators per city" in result.stdout
    assert "Tie explanation" in result.stdout
    assert "0.762" in result.stdout  # A-B strength


def test_filters_and_layers(store: OxigraphRunner) -> None:
    result = invoke("--city", "Otherburg", "--format", "json")
    assert json.loads(result.stdout)["network"]["edges"] == 1
    result = invoke("--formal-only", "--min-sources", "2", "--format", "json")
    assert json.loads(result.stdout)["network"]["edges"] == 1
    result = invoke("--layer", "services", "--format", "json")
    assert json.loads(result.stdout)["network"]["edges"] == 1


def test_compare(store: OxigraphRunner) -> None:
    result = invoke("--compare", "2018-06-01", "2020-01-01", "--format", "json")
    change = json.loads(result.stdout)["compare"]
    assert len(change["formed"]) == 4
    assert len(change["dissolved"]) == 1


def test_write(store: OxigraphRunner) -> None:
    result = invoke("--as-of", "2020-01-01", "--write")
    assert result.exit_code == 0, result.output
    rows = store.select(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/inclusion-kg/graph/analytics> "
        "{ ?m a <https://w3id.org/inclusion-kg/ontology#Measurement> } }"
    )
    assert int(rows[0]["n"].value) > 100


def test_bad_input_exits_2(store: OxigraphRunner) -> None:
    assert invoke("--as-of", "yesterday").exit_code == 2
    assert invoke("--as-of", "2020-01-01", "--from", "2019").exit_code == 2
    assert invoke("--layer", "friends").exit_code == 2
    assert invoke("--explain", "a", "nobody").exit_code == 2
