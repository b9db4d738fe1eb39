"""GraphML, the Gephi CSV pair (and its zip) and graphology JSON carry the same content as the
GEXF: read back (networkx and igraph for GraphML, the csv module, json and graphology's own
deserialiser), they equal what the analytics computed."""

from __future__ import annotations

import csv
import io
import json
import math
import zipfile
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import igraph
import networkx as nx
import pytest

from inclusion_kg.graph.export import (
    NETWORK_FORMATS,
    ExportOptions,
    iter_edges_csv,
    iter_graphml,
    iter_graphology,
    iter_nodes_csv,
    prepare,
    write_zip,
)
from inclusion_kg.graph.export.network import PALETTE
from inclusion_kg.graph.network.projection import NetworkFilter, OxigraphRunner, Period

A = "https://w3id.org/inclusion-kg/id/actor/"
LIST_KEYS = ("partnerships", "partnership_types", "policy_areas", "partnership_labels")
NUMBER_KEYS = (
    "strength",
    "c_formality",
    "c_duration",
    "c_recency",
    "c_multiplexity",
    "c_shared_funding",
    "c_equality",
    "c_sources",
    "n_partnerships",
    "n_sources",
    "distance",
)

CASES: list[tuple[str, ExportOptions]] = [
    ("handmade", ExportOptions()),
    ("handmade", ExportOptions(network_filter=NetworkFilter(cities=frozenset({"alphaville"})))),
    (
        "handmade",
        ExportOptions(network_filter=NetworkFilter(period=Period(as_of=date(2019, 6, 1)))),
    ),
    ("handmade", ExportOptions(language="it")),
    ("seeds", ExportOptions()),
    ("seeds", ExportOptions(network_filter=NetworkFilter(countries=frozenset({"IT"})))),
]
IDS = ["handmade", "handmade-alphaville", "handmade-2019", "handmade-it", "seeds", "seeds-IT"]


def same(read: Any, value: Any) -> bool:
    if isinstance(value, float) and not isinstance(read, bool):
        return read == pytest.approx(value, rel=1e-9, abs=1e-12)
    return bool(read == value)


def hexcolour(attributes: dict[str, Any]) -> str:
    r, g, b = PALETTE.get(attributes.get("actor_type_label", ""), (176, 176, 176))
    return f"#{r:02x}{g:02x}{b:02x}"


@pytest.fixture(params=CASES, ids=IDS)
def case(request: pytest.FixtureRequest, expected: Callable[..., Any]) -> tuple[Any, Any]:
    source, options = request.param
    runner: OxigraphRunner = request.getfixturevalue(source)
    return prepare(runner, options), expected(runner, options)


# --- GraphML ------------------------------------------------------------------------------


def test_graphml_reads_back_with_networkx(case: tuple[Any, Any], tmp_path: Path) -> None:
    network, want = case
    path = tmp_path / "network.graphml"
    path.write_bytes(b"".join(iter_graphml(network)))
    read = nx.read_graphml(path)
    assert isinstance(read, nx.Graph)
    assert not read.is_directed()
    assert set(read.nodes) == set(want.nodes)
    for node, values in want.nodes.items():
        data = read.nodes[node]
        assert data["label"] == want.labels[node]
        assert data["color"] == hexcolour(values)
        for key, value in values.items():
            assert same(data[key], value), (node, key, data[key], value)
            assert type(data[key]) is type(value), (node, key)
    assert {frozenset(e) for e in read.edges} == set(want.edges)
    for a, b, data in read.edges(data=True):
        values = want.edges[frozenset((a, b))]
        assert data["weight"] == values["weight"]
        for key in NUMBER_KEYS:
            assert data[key] == values[key], key
        for key in LIST_KEYS:  # lists are JSON arrays in a string key
            assert json.loads(data[key]) == values[key], key
    assert read.graph["layer"] == "partnerships"


def test_graphml_reads_back_with_igraph(case: tuple[Any, Any], tmp_path: Path) -> None:
    network, want = case
    path = tmp_path / "network.graphml"
    path.write_bytes(b"".join(iter_graphml(network)))
    read = igraph.Graph.Read_GraphML(str(path))
    assert not read.is_directed()
    assert read.vcount() == len(want.nodes)
    assert read.ecount() == len(want.edges)
    ids = read.vs["id"]
    assert set(ids) == set(want.nodes)
    for vertex in read.vs:
        values = want.nodes[vertex["id"]]
        assert vertex["label"] == want.labels[vertex["id"]]
        for key, value in values.items():
            # igraph keeps every number as a float, and booleans as booleans
            got = vertex[key]
            expected_value = float(value) if type(value) is int else value
            assert same(got, expected_value), (vertex["id"], key, got, value)
    for edge in read.es:
        pair = frozenset((ids[edge.source], ids[edge.target]))
        values = want.edges[pair]
        assert edge["weight"] == values["weight"]
        for key in NUMBER_KEYS:
            assert edge[key] == float(values[key]), key
        for key in LIST_KEYS:
            assert json.loads(edge[key]) == values[key], key


def test_graphml_declares_types_from_all_values(handmade: OxigraphRunner) -> None:
    text = b"".join(iter_graphml(prepare(handmade))).decode()
    assert 'attr.name="degree" attr.type="int"' in text
    assert 'attr.name="strength" attr.type="double"' in text
    assert 'attr.name="has_budget" attr.type="boolean"' in text
    assert 'attr.name="partnership_types" attr.type="string"' in text
    assert "<desc>a JSON array of strings</desc>" in text
    assert "None" not in text


# --- CSV ----------------------------------------------------------------------------------


def _typed(cell: str, kind: str) -> Any:
    if cell == "":
        return None
    if kind in ("integer", "long"):
        return int(cell)
    if kind == "double":
        return float(cell)
    if kind == "boolean":
        return {"true": True, "false": False}[cell]
    if kind == "liststring":
        return json.loads(cell)
    return cell


def _read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def test_csv_pair_reads_back(case: tuple[Any, Any]) -> None:
    network, want = case
    nodes_data = b"".join(iter_nodes_csv(network))
    edges_data = b"".join(iter_edges_csv(network))
    assert nodes_data.startswith(b"Id,Label,")
    assert edges_data.startswith(b"Source,Target,Type,Weight")
    types = {**network.node_types, "color": "string", "size": "double"}
    rows = _read_csv(nodes_data)
    assert {row["Id"] for row in rows} == set(want.nodes)
    for row in rows:
        values = want.nodes[row["Id"]]
        assert row["Label"] == want.labels[row["Id"]]
        assert row["color"] == hexcolour(values)
        for key, kind in types.items():
            if key in ("label", "color", "size"):
                continue
            got = _typed(row[key], kind)
            if key in values:
                assert same(got, values[key]), (row["Id"], key, got, values[key])
            else:
                assert got is None, (row["Id"], key)
    rows = _read_csv(edges_data)
    assert len(rows) == len(want.edges)
    for row in rows:
        values = want.edges[frozenset((row["Source"], row["Target"]))]
        assert row["Type"] == "Undirected"
        assert float(row["Weight"]) == values["weight"]
        for key in NUMBER_KEYS:
            assert _typed(row[key], network.edge_types[key]) == values[key], key
        for key in LIST_KEYS:
            assert json.loads(row[key]) == values[key], key


def test_csv_zip_bundle(handmade: OxigraphRunner) -> None:
    network = prepare(handmade)
    buffer = io.BytesIO()
    write_zip(network, buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as bundle:
        assert bundle.namelist() == ["nodes.csv", "edges.csv", "metadata.json"]
        assert bundle.read("nodes.csv") == b"".join(iter_nodes_csv(network))
        assert bundle.read("edges.csv") == b"".join(iter_edges_csv(network))
        metadata = json.loads(bundle.read("metadata.json"))
    assert metadata["nodes"] == 6
    assert metadata["edges"] == 5
    assert metadata["node_columns"]["Id"] == "string"
    assert metadata["node_columns"]["degree"] == "integer"
    assert metadata["edge_columns"]["Weight"] == "double"
    assert metadata["edge_columns"]["partnership_types"] == "liststring"
    assert metadata["network"]["layer"] == "partnerships"


def test_csv_quotes_labels_with_commas_and_quotes(handmade: OxigraphRunner) -> None:
    rows = _read_csv(b"".join(iter_nodes_csv(prepare(handmade))))
    labels = {row["Id"].removeprefix(A): row["Label"] for row in rows}
    assert labels["xn"] == 'NGO "Quotes" & <Brackets>'
    assert labels["yn"] == "Fundacja Łódź \u2013 Żółć"


# --- graphology JSON ------------------------------------------------------------------------


def test_graphology_json_equals_the_analytics(case: tuple[Any, Any]) -> None:
    network, want = case
    data = json.loads(b"".join(iter_graphology(network)))
    assert data["options"] == {"type": "undirected", "multi": False, "allowSelfLoops": False}
    assert data["attributes"]["layer"] == "partnerships"
    nodes = {n["key"]: n["attributes"] for n in data["nodes"]}
    assert set(nodes) == set(want.nodes)
    for node, values in want.nodes.items():
        attributes = nodes[node]
        assert attributes["label"] == want.labels[node]
        assert attributes["color"] == hexcolour(values)
        for key, value in values.items():
            assert same(attributes[key], value), (node, key)
            assert type(attributes[key]) is type(value), (node, key)
    assert [e["key"] for e in data["edges"]] == [str(i) for i in range(len(want.edges))]
    for edge in data["edges"]:
        assert edge["undirected"] is True
        values = want.edges[frozenset((edge["source"], edge["target"]))]
        assert edge["attributes"]["weight"] == values["weight"]
        for key in (*NUMBER_KEYS, *LIST_KEYS):
            assert edge["attributes"][key] == values[key], key


def test_graphology_json_loads_in_graphology(
    handmade: OxigraphRunner,
    tmp_path: Path,
    graphology_read: Callable[[Sequence[Path]], dict[str, Any]],
) -> None:
    network = prepare(handmade)
    path = tmp_path / "network.json"
    path.write_bytes(b"".join(iter_graphology(network)))
    graph = graphology_read([path])[str(path)]
    assert graph["options"] == {"type": "undirected", "multi": False, "allowSelfLoops": False}
    assert len(graph["nodes"]) == 6
    assert len(graph["edges"]) == 5
    original = json.loads(path.read_bytes())
    assert {n["key"]: n["attributes"] for n in graph["nodes"]} == {
        n["key"]: n["attributes"] for n in original["nodes"]
    }
    assert {e["key"]: e["attributes"] for e in graph["edges"]} == {
        e["key"]: e["attributes"] for e in original["edges"]
    }


def test_same_edge_keys_in_gexf_graphml_and_json(handmade: OxigraphRunner) -> None:
    network = prepare(handmade)
    json_keys = {
        e["key"]: (e["source"], e["target"])
        for e in json.loads(b"".join(iter_graphology(network)))["edges"]
    }
    graphml = nx.read_graphml(io.BytesIO(b"".join(iter_graphml(network))), edge_key_type=str)
    graphml_ids = {d["id"]: tuple(sorted((a, b))) for a, b, d in graphml.edges(data=True)}
    assert graphml_ids == json_keys
    assert set(NETWORK_FORMATS) >= {"gexf", "gexf-dynamic", "graphml", "graphology"}


def test_non_finite_values_are_left_out(tmp_path: Path) -> None:
    from inclusion_kg.graph.export import ExportNetwork

    graph: nx.Graph[str] = nx.Graph()
    graph.add_node("a", score=math.inf, other=1.5)
    graph.add_node("b", score=2.0)
    graph.add_edge("a", "b", weight=1.0)
    network = ExportNetwork(graph)
    data = json.loads(b"".join(iter_graphology(network)))
    assert "score" not in data["nodes"][0]["attributes"]
    assert data["nodes"][1]["attributes"]["score"] == 2.0
    rows = _read_csv(b"".join(iter_nodes_csv(network)))
    assert rows[0]["score"] == ""
    read = nx.read_graphml(io.BytesIO(b"".join(iter_graphml(network))))
    assert "score" not in read.nodes["a"]
