"""GEXF 1.3: every document the project writes validates against the GEXF 1.3 schema and
reads back, with networkx and with graphology's parser, as exactly what the analytics
computed; the dynamic mode carries the hand-derived periods of handmade.trig."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from lxml import etree

from inclusion_kg.graph.export import ExportNetwork, ExportOptions, iter_gexf, prepare
from inclusion_kg.graph.export.network import PALETTE
from inclusion_kg.graph.network.projection import NetworkFilter, OxigraphRunner, Period

A = "https://w3id.org/inclusion-kg/id/actor/"
G = "{http://gexf.net/1.3}"
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


def _filter(**kwargs: Any) -> NetworkFilter:
    period = kwargs.pop("period", Period())
    return NetworkFilter(period=period, **{k: frozenset(v) for k, v in kwargs.items()})


CASES: list[tuple[str, ExportOptions, bool]] = [
    ("handmade", ExportOptions(), False),
    ("handmade", ExportOptions(), True),
    ("handmade", ExportOptions(network_filter=_filter(cities={"alphaville"})), False),
    ("handmade", ExportOptions(network_filter=_filter(cities={"Betatown"})), True),
    ("handmade", ExportOptions(network_filter=_filter(actor_types={"NGO"})), False),
    ("handmade", ExportOptions(network_filter=_filter(countries={"IT"})), True),
    ("handmade", ExportOptions(network_filter=_filter(policy_areas={"language"})), False),
    (
        "handmade",
        ExportOptions(network_filter=_filter(period=Period(as_of=date(2019, 6, 1)))),
        True,
    ),
    (
        "handmade",
        ExportOptions(network_filter=_filter(period=Period(from_year=2010, to_year=2011))),
        True,
    ),
    ("handmade", ExportOptions(network_filter=NetworkFilter(min_sources=2)), False),
    ("handmade", ExportOptions(network_filter=NetworkFilter(min_formality_rank=4)), True),
    ("handmade", ExportOptions(language="it"), False),
    ("seeds", ExportOptions(), False),
    ("seeds", ExportOptions(), True),
    ("seeds", ExportOptions(network_filter=_filter(cities={"palermo"})), False),
    ("seeds", ExportOptions(network_filter=_filter(countries={"PL"})), True),
    ("seeds", ExportOptions(network_filter=_filter(actor_types={"PublicAuthority"})), False),
    (
        "seeds",
        ExportOptions(network_filter=_filter(period=Period(as_of=date(2020, 5, 28)))),
        True,
    ),
]


def _id(case: tuple[str, ExportOptions, bool]) -> str:
    source, options, dynamic = case
    flt = {k: v for k, v in options.network_filter.as_dict().items() if v not in ([], 0)}
    period = {k: v for k, v in flt.pop("period").items() if v is not None}
    bits = [source, "dynamic" if dynamic else "static", options.language]
    bits += [f"{k}={v}" for k, v in flt.items()] + [f"{k}={v}" for k, v in period.items()]
    return "-".join(str(b) for b in bits)


def same(read: Any, value: Any) -> bool:
    """Equal; floats to 1e-9 (ARPACK's eigenvector differs in the last bits between runs)."""
    if isinstance(value, float) and not isinstance(read, bool):
        return read == pytest.approx(value, rel=1e-9, abs=1e-12)
    return bool(read == value)


def assert_networkx_matches(read: nx.Graph, expected: Any) -> None:
    assert set(read.nodes) == set(expected.nodes)
    for node, values in expected.nodes.items():
        data = read.nodes[node]
        assert data["label"] == expected.labels[node]
        for key, value in values.items():
            assert same(data[key], value), (node, key, data[key], value)
            assert type(data[key]) is type(value), (node, key)
    assert {frozenset(edge) for edge in read.edges} == set(expected.edges)
    for a, b, data in read.edges(data=True):
        values = expected.edges[frozenset((a, b))]
        assert data["weight"] == values["weight"]
        for key in NUMBER_KEYS:
            assert data[key] == values[key], (a, b, key)
        for key in LIST_KEYS:
            assert json.loads(data[key]) == values[key], (a, b, key)


def assert_graphology_matches(graph: dict[str, Any], expected: Any) -> None:
    # graphology guesses the type from the first edge: "mixed" when there is none
    assert graph["options"]["type"] == ("undirected" if expected.edges else "mixed")
    assert graph["options"]["multi"] is False
    nodes = {n["key"]: n["attributes"] for n in graph["nodes"]}
    assert set(nodes) == set(expected.nodes)
    for node, values in expected.nodes.items():
        attributes = nodes[node]
        assert attributes["label"] == expected.labels[node]
        for key, value in values.items():
            assert same(attributes[key], value), (node, key, attributes[key], value)
        r, g, b = PALETTE.get(values.get("actor_type_label", ""), (176, 176, 176))
        assert attributes["color"] == f"rgb({r},{g},{b})"
        assert 5.0 <= attributes["size"] <= 30.0
    edges = {frozenset((e["source"], e["target"])): e for e in graph["edges"]}
    assert len(edges) == len(graph["edges"]) == len(expected.edges)
    assert set(edges) == set(expected.edges)
    for pair, edge in edges.items():
        values = expected.edges[pair]
        assert edge["attributes"]["weight"] == values["weight"]
        for key in NUMBER_KEYS:
            assert edge["attributes"][key] == values[key], (pair, key)
        for key in LIST_KEYS:
            assert edge["attributes"][key] == values[key], (pair, key)


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_gexf_validates_and_reads_back_as_the_analytics(
    case: tuple[str, ExportOptions, bool],
    request: pytest.FixtureRequest,
    tmp_path: Path,
    validate_gexf: Callable[[bytes], etree._Element],
    expected: Callable[..., Any],
    graphology_read: Callable[[Sequence[Path]], dict[str, Any]],
) -> None:
    source, options, dynamic = case
    runner: OxigraphRunner = request.getfixturevalue(source)
    network = prepare(runner, options)
    data = b"".join(iter_gexf(network, dynamic=dynamic))
    root = validate_gexf(data)
    graph = root.find(f"{G}graph")
    assert graph is not None
    assert graph.get("mode") == ("dynamic" if dynamic else "static")
    assert (graph.get("timeformat") == "date") is dynamic
    assert b"None" not in data  # no z="None", no "None" values

    want = expected(runner, options)
    path = tmp_path / "network.gexf"
    path.write_bytes(data)
    read = nx.read_gexf(path)
    assert_networkx_matches(read, want)
    assert_graphology_matches(graphology_read([path])[str(path)], want)
    # and bit for bit what was written: floats round-trip exactly
    for node in network.nodes():
        for key, value in node.attributes.items():
            if isinstance(value, float):
                assert read.nodes[node.id][key] == value, (node.id, key)


def _times(element: etree._Element) -> list[tuple[str | None, str | None]]:
    spells = element.find(f"{G}spells")
    if spells is None:
        if element.get("start") is None and element.get("end") is None:
            return []
        return [(element.get("start"), element.get("end"))]
    assert element.get("start") is None
    assert element.get("end") is None
    return [(s.get("start"), s.get("end")) for s in spells.findall(f"{G}spell")]


def test_dynamic_periods_are_the_hand_derived_ones(
    handmade: OxigraphRunner,
    validate_gexf: Callable[[bytes], etree._Element],
    tmp_path: Path,
) -> None:
    data = b"".join(iter_gexf(prepare(handmade), dynamic=True))
    root = validate_gexf(data)
    nodes = {n.get("id").removeprefix(A): _times(n) for n in root.iter(f"{G}node")}
    assert nodes == {
        "xm": [("2010-01-01", None)],
        "xn": [("2010-01-01", None)],
        "xc": [("2015-01-01", None)],  # the council's own start, "2015"^^xsd:gYear
        "ym": [],  # an undated tie keeps it always there
        "yn": [],
        "z": [],  # no ties, no dates
    }
    edges = {
        frozenset(e.get(k).removeprefix(A) for k in ("source", "target")): _times(e)
        for e in root.iter(f"{G}edge")
    }
    assert edges == {
        # P2 started "2018"^^gYear and ended "2020-06"^^gYearMonth
        frozenset({"xm", "xc"}): [("2018-01-01", "2020-06-30")],
        # P3 (2010-2011, ended) and P1 (2016, ongoing): two spells
        frozenset({"xm", "xn"}): [("2010-01-01", "2011-12-31"), ("2016-01-01", None)],
        # P4 ends "2021"^^gYear: the last day of 2021
        frozenset({"xm", "ym"}): [("2019-03-15", "2021-12-31")],
        frozenset({"xm", "yn"}): [("2019-03-15", "2021-12-31")],
        frozenset({"ym", "yn"}): [],
    }
    path = tmp_path / "dynamic.gexf"
    path.write_bytes(data)
    read = nx.read_gexf(path)
    assert read.graph["mode"] == "dynamic"
    assert read.edges[A + "xc", A + "xm"]["start"] == "2018-01-01"
    assert read.edges[A + "xc", A + "xm"]["end"] == "2020-06-30"
    assert read.edges[A + "xm", A + "xn"]["spells"] == [
        ("2010-01-01", "2011-12-31"),
        ("2016-01-01", "None"),  # networkx reads an open end as the text "None"
    ]
    assert read.nodes[A + "xc"]["start"] == "2015-01-01"
    assert "end" not in read.nodes[A + "xc"]


def test_visualisation_colour_by_type_and_size_by_strength(handmade: OxigraphRunner) -> None:
    network = prepare(handmade)
    root = etree.fromstring(b"".join(iter_gexf(network)))
    viz = {}
    for node in root.iter(f"{G}node"):
        colour = node.find(f"{G}color")
        size = node.find(f"{G}size")
        assert colour is not None
        assert size is not None
        viz[node.get("id").removeprefix(A)] = (
            tuple(int(colour.get(c)) for c in "rgb"),
            float(size.get("value")),
        )
    assert viz["xm"][0] == PALETTE["Municipality"] == (31, 119, 180)
    assert viz["xn"][0] == PALETTE["NGO"]
    assert viz["xc"][0] == PALETTE["MigrantCouncil"]
    assert viz["z"][0] == PALETTE["ResearchOrganisation"]
    # XM has the highest strength (4 ties): size 30; Z is isolated: size 5.
    strengths = {n.id.removeprefix(A): n.attributes["strength"] for n in network.nodes()}
    assert max(strengths, key=strengths.__getitem__) == "xm"
    assert viz["xm"][1] == 30.0
    assert viz["z"][1] == 5.0
    assert viz["xn"][1] == pytest.approx(5 + 25 * strengths["xn"] / strengths["xm"])


def test_labels_in_the_chosen_language_and_escaped(
    handmade: OxigraphRunner, validate_gexf: Callable[[bytes], etree._Element]
) -> None:
    root = validate_gexf(b"".join(iter_gexf(prepare(handmade, ExportOptions(language="it")))))
    labels = {n.get("id").removeprefix(A): n.get("label") for n in root.iter(f"{G}node")}
    assert labels["xm"] == "Comune di Città Alfa"  # Italian label
    assert labels["xn"] == 'NGO "Quotes" & <Brackets>'  # English fallback, XML specials
    assert labels["yn"] == "Fundacja Łódź \u2013 Żółć"
    titles = {
        a.get("id"): a.get("title")
        for block in root.iter(f"{G}attributes")
        if block.get("class") == "node"
        for a in block.iter(f"{G}attribute")
    }
    values = {
        titles[a.get("for")]: a.get("value")
        for n in root.iter(f"{G}node")
        if n.get("id") == A + "xm"
        for a in n.iter(f"{G}attvalue")
    }
    assert values["city_label"] == "Città Alfa"
    assert values["country_label"] == "Italia"


def test_declared_types_come_from_all_values(
    validate_gexf: Callable[[bytes], etree._Element],
    graphology_read: Callable[[Sequence[Path]], dict[str, Any]],
    tmp_path: Path,
) -> None:
    """A hand-made network whose first values would mislead a first-value typing."""
    graph: nx.Graph[str] = nx.Graph()
    graph.add_node("n1", label="One", mixed=1, big=1, flag=True, tags=["a", "b"], odd=1, empty=None)
    graph.add_node("n2", label="Two", mixed=2.5, big=2**40, flag=None, tags="c", odd="x")
    graph.add_node("n3", mixed=None, nan=math.nan, tags=('say "hi"', "a,b", "back\\slash"))
    graph.add_edge("n1", "n2", weight=0.5, kinds=["x"], count=3, note=None)
    graph.add_edge("n2", "n3", weight=2, count=2**33)
    network = ExportNetwork(graph)
    assert network.node_types == {
        "label": "string",
        "mixed": "double",
        "big": "long",
        "flag": "boolean",
        "tags": "liststring",
        "odd": "string",
    }  # "empty" and "nan" have no value at all: not declared
    assert network.edge_types == {"kinds": "liststring", "count": "long"}

    data = b"".join(iter_gexf(network))
    root = validate_gexf(data)
    assert b"None" not in data
    assert b"nan" not in data.lower()
    declared = {
        a.get("title"): a.get("type")
        for block in root.iter(f"{G}attributes")
        if block.get("class") == "node"
        for a in block.iter(f"{G}attribute")
    }
    assert declared == {k: v for k, v in network.node_types.items() if k != "label"}

    path = tmp_path / "handmade.gexf"
    path.write_bytes(data)
    read = nx.read_gexf(path)
    assert read.nodes["n1"]["mixed"] == 1.0
    assert read.nodes["n2"]["big"] == 2**40
    assert read.nodes["n1"]["flag"] is True
    assert "flag" not in read.nodes["n2"]
    assert read.nodes["n3"]["label"] == "n3"  # no label: the local name
    assert json.loads(read.nodes["n2"]["tags"]) == ["c"]
    assert read.edges["n2", "n3"]["count"] == 2**33
    assert read.edges["n2", "n3"]["weight"] == 2.0

    other = graphology_read([path])[str(path)]
    nodes = {n["key"]: n["attributes"] for n in other["nodes"]}
    assert nodes["n3"]["tags"] == ['say "hi"', "a,b", "back\\slash"]
    assert nodes["n1"]["tags"] == ["a", "b"]
    assert nodes["n1"]["odd"] == "1"
    assert nodes["n2"]["odd"] == "x"
    assert "flag" not in nodes["n2"]
    assert "nan" not in nodes["n3"]


def test_control_characters_are_dropped_not_written(
    validate_gexf: Callable[[bytes], etree._Element],
) -> None:
    graph: nx.Graph[str] = nx.Graph()
    graph.add_node("a\x01b", label="bell\x07 and\ttab\nnewline", note="x\x00y")
    root = validate_gexf(b"".join(iter_gexf(ExportNetwork(graph))))
    (node,) = root.iter(f"{G}node")
    assert node.get("id") == "ab"
    assert node.get("label") == "bell and\ttab\nnewline"  # tab and newline kept as refs
    (value,) = node.iter(f"{G}attvalue")
    assert value.get("value") == "xy"


def test_empty_network_is_valid(validate_gexf: Callable[[bytes], etree._Element]) -> None:
    for dynamic in (False, True):
        root = validate_gexf(b"".join(iter_gexf(ExportNetwork(nx.Graph()), dynamic=dynamic)))
        assert root.find(f"{G}graph/{G}nodes").get("count") == "0"


def test_networkx_own_gexf_13_output_is_why_we_write_our_own(
    gexf_schema: etree.XMLSchema, seeds: OxigraphRunner
) -> None:
    """networkx's writer (version="1.3") fails the 1.3 schema on the same network."""
    network = prepare(seeds, ExportOptions(metrics=False))
    graph = nx.Graph()
    for node, data in network.graph.nodes(data=True):
        graph.add_node(node, **{k: v for k, v in data.items() if v is not None})
    for a, b, data in network.graph.edges(data=True):
        graph.add_edge(a, b, weight=data["weight"])
    written = b"".join(line.encode() for line in nx.generate_gexf(graph, version="1.3"))
    assert not gexf_schema.validate(etree.fromstring(written))
