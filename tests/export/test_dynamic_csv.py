"""Dynamic Gephi spreadsheet CSV: a ``timeset`` column on nodes.csv and edges.csv.

Expected intervals are derived by hand from tests/export/data/handmade.trig (its header
lists the periods) or from hand-made networks; every interval is also checked against the
dynamic GEXF's spells, the static tables against the plain writer, and the CLI's files
against the HTTP downloads for the same filters.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from fastapi.testclient import TestClient
from lxml import etree
from typer.testing import CliRunner, Result

from inclusion_kg.api.cli import app
from inclusion_kg.api.cli import export as export_module
from inclusion_kg.graph.export import (
    NETWORK_FORMATS,
    ExportNetwork,
    ExportOptions,
    Interval,
    iter_edges_csv,
    iter_gexf,
    iter_nodes_csv,
    prepare,
    write_zip,
)
from inclusion_kg.graph.export.tables import TIME_INTERVAL, interval_text
from inclusion_kg.graph.network.projection import NetworkFilter, OxigraphRunner, Period
from inclusion_kg.graph.network.strength import SharedPartnership, TieEvidence
from inclusion_kg.graph.store import Store

DATA = Path(__file__).parent / "data"
A = "https://w3id.org/inclusion-kg/id/actor/"
G = "{http://gexf.net/1.3}"
E = "/api/v1/exports"
STATIC_NODE_HEADER = ["Id", "Label", "actor_type", "actor_type_label", "sector"]
STATIC_EDGE_HEADER = ["Source", "Target", "Type", "Weight", "strength", "c_formality"]


def rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def header(data: bytes) -> list[str]:
    return next(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def node_times(data: bytes) -> dict[str, str]:
    return {row["Id"].removeprefix(A): row[TIME_INTERVAL] for row in rows(data)}


def edge_times(data: bytes) -> dict[frozenset[str], str]:
    return {
        frozenset((row["Source"].removeprefix(A), row["Target"].removeprefix(A))): row[
            TIME_INTERVAL
        ]
        for row in rows(data)
    }


# --- hand-derived intervals -------------------------------------------------------------------


def test_handmade_intervals_are_the_hand_derived_ones(handmade: OxigraphRunner) -> None:
    network = prepare(handmade)
    nodes = b"".join(iter_nodes_csv(network, dynamic=True))
    edges = b"".join(iter_edges_csv(network, dynamic=True))
    assert header(nodes)[:3] == ["Id", "Label", TIME_INTERVAL]
    assert header(edges)[:5] == ["Source", "Target", "Type", "Weight", TIME_INTERVAL]
    assert node_times(nodes) == {
        "xm": "<[2010-01-01, Infinity]>",  # P3 from 2010, P1 ongoing
        "xn": "<[2010-01-01, Infinity]>",
        "xc": "<[2015-01-01, Infinity]>",  # its own start "2015"^^gYear, open end
        "ym": "",  # P5 has no dates: always present
        "yn": "",
        "z": "",  # no ties, no dates
    }
    assert edge_times(edges) == {
        # P2: "2018"^^gYear .. "2020-06"^^gYearMonth, started and ended
        frozenset({"xm", "xc"}): "<[2018-01-01, 2020-06-30]>",
        # P3 (2010-2011) then P1 (2016, ongoing): two intervals, the second open-ended
        frozenset({"xm", "xn"}): "<[2010-01-01, 2011-12-31];[2016-01-01, Infinity]>",
        # P4: 2019-03-15 .. "2021"^^gYear (the last day of 2021)
        frozenset({"xm", "ym"}): "<[2019-03-15, 2021-12-31]>",
        frozenset({"xm", "yn"}): "<[2019-03-15, 2021-12-31]>",
        frozenset({"ym", "yn"}): "",  # P4 and the undated P5: always
    }
    # quoted as one CSV cell (the interval holds commas), exactly as written
    assert b',"<[2010-01-01, 2011-12-31];[2016-01-01, Infinity]>",' in edges


def test_a_finished_partnership_bounds_its_edge_and_node_rows(handmade: OxigraphRunner) -> None:
    # only P4 (language, 2019-03-15 .. "2021"^^gYear) is kept: its partners exist just then
    network = prepare(
        handmade,
        ExportOptions(network_filter=NetworkFilter(policy_areas=frozenset({"language"}))),
    )
    nodes = node_times(b"".join(iter_nodes_csv(network, dynamic=True)))
    edges = edge_times(b"".join(iter_edges_csv(network, dynamic=True)))
    p4 = "<[2019-03-15, 2021-12-31]>"
    assert {k: nodes[k] for k in ("xm", "ym", "yn")} == {"xm": p4, "ym": p4, "yn": p4}
    assert edges == {
        frozenset({"xm", "ym"}): p4,
        frozenset({"xm", "yn"}): p4,
        frozenset({"ym", "yn"}): p4,  # P5 (undated) is not in the language area
    }


def test_hand_made_network_started_ended_and_open_bounds() -> None:
    graph: nx.Graph[str] = nx.Graph()
    graph.add_edge("a", "b", weight=1.0)
    graph.add_edge("c", "d", weight=2.0)
    graph.add_node("e")
    graph.add_node("f")
    ties = {
        ("a", "b"): TieEvidence(
            (SharedPartnership("p", start=date(2018, 1, 1), end=date(2018, 12, 31)),)
        ),
        # unknown start, known end
        ("c", "d"): TieEvidence((SharedPartnership("q", end=date(2012, 5, 31)),)),
    }
    periods = {"e": Interval(None, date(2009, 2, 28)), "f": Interval(date(2020, 7, 1))}
    network = ExportNetwork(graph, ties=ties, node_periods=periods)
    assert node_times(b"".join(iter_nodes_csv(network, dynamic=True))) == {
        "a": "<[2018-01-01, 2018-12-31]>",
        "b": "<[2018-01-01, 2018-12-31]>",
        "c": "<[-Infinity, 2012-05-31]>",
        "d": "<[-Infinity, 2012-05-31]>",
        "e": "<[-Infinity, 2009-02-28]>",
        "f": "<[2020-07-01, Infinity]>",
    }
    assert edge_times(b"".join(iter_edges_csv(network, dynamic=True))) == {
        frozenset({"a", "b"}): "<[2018-01-01, 2018-12-31]>",
        frozenset({"c", "d"}): "<[-Infinity, 2012-05-31]>",
    }


def test_interval_text() -> None:
    d = date
    assert interval_text(()) == ""
    assert interval_text([Interval(d(2018, 1, 1), d(2018, 12, 31))]) == (
        "<[2018-01-01, 2018-12-31]>"
    )
    assert interval_text([Interval(None, None)]) == "<[-Infinity, Infinity]>"
    assert interval_text(
        [Interval(d(2018, 1, 1), d(2018, 12, 31)), Interval(d(2021, 1, 1), None)]
    ) == ("<[2018-01-01, 2018-12-31];[2021-01-01, Infinity]>")


# --- the static tables are untouched ----------------------------------------------------------


@pytest.mark.parametrize("source", ["handmade", "seeds"])
def test_static_tables_have_no_time_column_and_equal_dynamic_minus_it(
    source: str, request: pytest.FixtureRequest
) -> None:
    network = prepare(request.getfixturevalue(source), ExportOptions(metrics=False))
    for writer, static_header, position in (
        (iter_nodes_csv, STATIC_NODE_HEADER, 2),
        (iter_edges_csv, STATIC_EDGE_HEADER, 4),
    ):
        static = b"".join(writer(network))
        assert static == b"".join(writer(network, dynamic=False))
        assert TIME_INTERVAL.encode() not in static
        assert header(static)[: len(static_header)] == static_header
        dynamic = b"".join(writer(network, dynamic=True))
        static_rows = list(csv.reader(io.StringIO(static.decode(), newline="")))
        dynamic_rows = list(csv.reader(io.StringIO(dynamic.decode(), newline="")))
        assert len(static_rows) == len(dynamic_rows)
        for plain, timed in zip(static_rows, dynamic_rows, strict=True):
            assert timed[:position] + timed[position + 1 :] == plain
        # the only change is one cell per line: the bytes differ by exactly that
        assert dynamic.count(b"\r\n") == static.count(b"\r\n")


def test_static_zip_metadata_declares_no_time_column(handmade: OxigraphRunner) -> None:
    network = prepare(handmade, ExportOptions(metrics=False))
    buffer = io.BytesIO()
    write_zip(network, buffer)
    with zipfile.ZipFile(buffer) as bundle:
        metadata = json.loads(bundle.read("metadata.json"))
        assert bundle.read("nodes.csv") == b"".join(iter_nodes_csv(network))
    assert TIME_INTERVAL not in metadata["node_columns"]
    assert TIME_INTERVAL not in metadata["edge_columns"]
    assert "time_interval" not in metadata
    assert list(metadata) == [
        "title",
        "nodes",
        "edges",
        "node_columns",
        "edge_columns",
        "lists",
        "network",
    ]


def test_dynamic_zip_declares_the_column(handmade: OxigraphRunner) -> None:
    network = prepare(handmade, ExportOptions(metrics=False))
    buffer = io.BytesIO()
    write_zip(network, buffer, dynamic=True)
    with zipfile.ZipFile(buffer) as bundle:
        assert bundle.namelist() == ["nodes.csv", "edges.csv", "metadata.json"]
        nodes = bundle.read("nodes.csv")
        edges = bundle.read("edges.csv")
        metadata = json.loads(bundle.read("metadata.json"))
    assert nodes == b"".join(iter_nodes_csv(network, dynamic=True))
    assert edges == b"".join(iter_edges_csv(network, dynamic=True))
    # the declared columns are the header, in order
    assert list(metadata["node_columns"]) == header(nodes)
    assert list(metadata["edge_columns"]) == header(edges)
    assert metadata["node_columns"][TIME_INTERVAL] == "interval-set"
    assert metadata["edge_columns"][TIME_INTERVAL] == "interval-set"
    assert metadata["time_interval"]["column"] == TIME_INTERVAL
    assert metadata["time_interval"]["open_start"] == "-Infinity"
    assert metadata["time_interval"]["open_end"] == "Infinity"
    assert metadata["network"]["layer"] == "partnerships"


# --- the dynamic GEXF says the same -----------------------------------------------------------


def _gexf_times(element: etree._Element) -> str:
    spells = element.find(f"{G}spells")
    found = (
        [element] if spells is None else list(spells.findall(f"{G}spell"))
    )  # one period: on the element itself
    bounds = [(e.get("start"), e.get("end")) for e in found]
    if bounds == [(None, None)]:
        return ""
    inner = ";".join(f"[{s or '-Infinity'}, {e or 'Infinity'}]" for s, e in bounds)
    return f"<{inner}>"


GEXF_CASES = [
    ("handmade", ExportOptions()),
    ("handmade", ExportOptions(network_filter=NetworkFilter(cities=frozenset({"alphaville"})))),
    (
        "handmade",
        ExportOptions(network_filter=NetworkFilter(period=Period(as_of=date(2019, 6, 1)))),
    ),
    ("handmade", ExportOptions(network_filter=NetworkFilter(min_formality_rank=4))),
    ("seeds", ExportOptions()),
    ("seeds", ExportOptions(network_filter=NetworkFilter(countries=frozenset({"PL"})))),
]


@pytest.mark.parametrize(
    ("source", "options"),
    GEXF_CASES,
    ids=["handmade", "handmade-alphaville", "handmade-2019", "handmade-formal", "seeds", "PL"],
)
def test_intervals_equal_the_dynamic_gexf_spells(
    source: str,
    options: ExportOptions,
    request: pytest.FixtureRequest,
    validate_gexf: Callable[[bytes], etree._Element],
) -> None:
    network = prepare(request.getfixturevalue(source), options)
    root = validate_gexf(b"".join(iter_gexf(network, dynamic=True)))
    gexf_nodes = {n.get("id"): _gexf_times(n) for n in root.iter(f"{G}node")}
    gexf_edges = {
        frozenset((e.get("source"), e.get("target"))): _gexf_times(e) for e in root.iter(f"{G}edge")
    }
    csv_nodes = {
        r["Id"]: r[TIME_INTERVAL] for r in rows(b"".join(iter_nodes_csv(network, dynamic=True)))
    }
    csv_edges = {
        frozenset((r["Source"], r["Target"])): r[TIME_INTERVAL]
        for r in rows(b"".join(iter_edges_csv(network, dynamic=True)))
    }
    assert csv_nodes == gexf_nodes  # every node, with its interval (or none)
    assert csv_edges == gexf_edges
    if source == "seeds" and not options.network_filter.countries:
        assert any(csv_edges.values())  # the seeds have dated partnerships


def test_network_formats_name_the_dynamic_tables(handmade: OxigraphRunner) -> None:
    network = prepare(handmade, ExportOptions(metrics=False))
    assert b"".join(NETWORK_FORMATS["nodes-csv-dynamic"].write(network)) == b"".join(
        iter_nodes_csv(network, dynamic=True)
    )
    assert b"".join(NETWORK_FORMATS["edges-csv-dynamic"].write(network)) == b"".join(
        iter_edges_csv(network, dynamic=True)
    )
    assert NETWORK_FORMATS["edges-csv-dynamic"].media_type == "text/csv"


# --- CLI and HTTP -----------------------------------------------------------------------------


@pytest.fixture
def served(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> tuple[TestClient, Store]:
    """The app's own store holds handmade.trig; ``ikg export`` reads that same store."""
    store: Store = client.app_state["store"]
    store.load((DATA / "handmade.trig").read_bytes(), "application/trig")

    @contextmanager
    def opened(_settings: object) -> Iterator[Store]:
        yield store

    monkeypatch.setattr(export_module, "opened_store", opened)
    return client, store


def invoke(*args: str) -> Result:
    return CliRunner().invoke(app, ["export", *args])


def disposition(response: Any) -> str:
    return str(response.headers["content-disposition"].split("filename=", 1)[1].strip('"'))


@pytest.mark.parametrize(
    ("cli", "params", "suffix"),
    [
        ((), {}, ""),
        (("--city", "alphaville"), {"city": "alphaville"}, "-alphaville"),
        (("--from", "2016", "--to", "2019"), {"from": "2016", "to": "2019"}, "-2016-2019"),
    ],
    ids=["all", "alphaville", "2016-2019"],
)
def test_cli_and_http_give_the_same_bytes(
    served: tuple[TestClient, Store],
    tmp_path: Path,
    cli: tuple[str, ...],
    params: dict[str, str],
    suffix: str,
) -> None:
    client, _ = served
    folder = tmp_path / "tables"
    result = invoke("csv", "--dynamic", "--no-metrics", "-o", str(folder), *cli)
    assert result.exit_code == 0, result.output
    query = {**params, "metrics": "false", "dynamic": "true"}
    for table in ("nodes", "edges"):
        response = client.get(f"{E}/network-{table}.csv", params=query)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        assert disposition(response) == f"inclusion-kg-{table}{suffix}-dynamic.csv"
        written = (folder / f"{table}.csv").read_bytes()
        assert response.content == written
        assert TIME_INTERVAL in header(written)

    bundle = tmp_path / "net.zip"
    assert invoke("csv", "--dynamic", "--no-metrics", "-o", str(bundle), *cli).exit_code == 0
    response = client.get(f"{E}/network-csv.zip", params=query)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    assert disposition(response) == f"inclusion-kg-network{suffix}-dynamic-csv.zip"
    with zipfile.ZipFile(bundle) as mine, zipfile.ZipFile(io.BytesIO(response.content)) as theirs:
        assert mine.namelist() == theirs.namelist() == ["nodes.csv", "edges.csv", "metadata.json"]
        for name in mine.namelist():
            assert mine.read(name) == theirs.read(name), name
        assert mine.read("nodes.csv") == (folder / "nodes.csv").read_bytes()


def test_cli_static_csv_is_unchanged_and_http_static_too(
    served: tuple[TestClient, Store], tmp_path: Path
) -> None:
    client, _ = served
    folder = tmp_path / "static"
    assert invoke("csv", "--no-metrics", "-o", str(folder)).exit_code == 0
    for table in ("nodes", "edges"):
        response = client.get(f"{E}/network-{table}.csv", params={"metrics": "false"})
        assert disposition(response) == f"inclusion-kg-{table}.csv"
        assert response.content == (folder / f"{table}.csv").read_bytes()
        assert TIME_INTERVAL.encode() not in response.content
        explicit = client.get(
            f"{E}/network-{table}.csv", params={"metrics": "false", "dynamic": "false"}
        )
        assert explicit.content == response.content
    response = client.get(f"{E}/network-csv.zip", params={"metrics": "false"})
    assert disposition(response) == "inclusion-kg-network-csv.zip"


def test_dynamic_gexf_and_csv_from_the_cli_agree(
    served: tuple[TestClient, Store],
    tmp_path: Path,
    validate_gexf: Callable[[bytes], etree._Element],
) -> None:
    gexf = tmp_path / "net.gexf"
    assert invoke("gexf", "--dynamic", "--no-metrics", "-o", str(gexf)).exit_code == 0
    folder = tmp_path / "tables"
    assert invoke("csv", "--dynamic", "--no-metrics", "-o", str(folder)).exit_code == 0
    root = validate_gexf(gexf.read_bytes())
    assert {n.get("id"): _gexf_times(n) for n in root.iter(f"{G}node")} == {
        r["Id"]: r[TIME_INTERVAL] for r in rows((folder / "nodes.csv").read_bytes())
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("csv", "--dynamic"), "csv needs -o"),
        (("csv", "--dynamic", "-o", "nodes.csv"), "csv writes two tables"),
        (("csv", "-o", "edges.CSV"), "csv writes two tables"),
        (("graphml", "--dynamic"), "--dynamic applies to gexf and csv only, not to graphml"),
        (("graphology", "--dynamic"), "--dynamic applies to gexf and csv only"),
        (("turtle", "--dynamic"), "--dynamic applies to gexf and csv only, not to turtle"),
        (("csv", "--dynamic", "-o", "x.zip", "--graph", "urn:g"), "--graph applies to RDF"),
    ],
)
def test_bad_combinations_exit_2(
    served: tuple[TestClient, Store],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert list(tmp_path.iterdir()) == []  # nothing written: no folder named like a table


@pytest.mark.parametrize(
    ("path", "params", "status", "text"),
    [
        ("network.graphml", {"dynamic": "true"}, 400, "dynamic does not apply to network.graphml"),
        ("network.json", {"dynamic": "yes"}, 400, "dynamic does not apply to network.json"),
        ("dump.nq", {"dynamic": "true"}, 400, "dynamic does not apply to dump.nq"),
        ("network-nodes.csv", {"dynamic": "perhaps"}, 422, "dynamic"),
        ("network-csv.zip", {"dynamic": "sometimes"}, 422, "dynamic"),
        ("network-edges.csv", {"dynamic": "true", "layer": "friends"}, 400, "unknown layer"),
    ],
)
def test_bad_http_combinations_are_problem_documents(
    served: tuple[TestClient, Store],
    path: str,
    params: dict[str, str],
    status: int,
    text: str,
) -> None:
    client, _ = served
    response = client.get(f"{E}/{path}", params=params)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert text in json.dumps(response.json())
    assert "content-disposition" not in response.headers


def test_index_and_openapi_describe_the_dynamic_tables(served: tuple[TestClient, Store]) -> None:
    client, _ = served
    hrefs = {
        item["href"].rsplit("/", 1)[1]: item["media_type"]
        for item in client.get(E).json()["network"]
    }
    assert hrefs["network-csv.zip?dynamic=true"] == "application/zip"
    assert hrefs["network-nodes.csv?dynamic=true"] == "text/csv"
    assert hrefs["network-edges.csv?dynamic=true"] == "text/csv"
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("network-nodes.csv", "network-edges.csv", "network-csv.zip"):
        parameters = {p["name"]: p for p in paths[f"{E}/{path}"]["get"]["parameters"]}
        assert "timeset" in parameters["dynamic"]["description"], path
    for path in ("network.graphml", "network.json"):
        names = {p["name"] for p in paths[f"{E}/{path}"]["get"]["parameters"]}
        assert "dynamic" not in names, path
        # asking for no dynamic form is no error
        response = client.get(f"{E}/{path}", params={"dynamic": "false", "metrics": "false"})
        assert response.status_code == 200, path
