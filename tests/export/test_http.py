"""``/api/v1/exports``: media types, file names, filters, streaming dumps and problem details,
through the ``client`` fixture (TestClient over create_app) on a seeded store."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import igraph
import networkx as nx
import pytest
from fastapi.testclient import TestClient
from lxml import etree
from pyoxigraph import RdfFormat, parse

from inclusion_kg.graph.export import ExportOptions
from inclusion_kg.graph.network.projection import NetworkFilter, OxigraphRunner, Period
from inclusion_kg.graph.settings import Settings

E = "/api/v1/exports"
G = "{http://gexf.net/1.3}"
MPI = "https://w3id.org/inclusion-kg/graph/study-2020-mpi-press-release"


@pytest.fixture
def settings(seeded_settings: Settings) -> Settings:
    return seeded_settings


def disposition(response: Any) -> str:
    header = response.headers["content-disposition"]
    assert header.startswith("attachment; filename=")
    return str(header.split("filename=", 1)[1].strip('"'))


def test_index_lists_every_download(client: TestClient) -> None:
    response = client.get(E)
    assert response.status_code == 200
    data = response.json()
    hrefs = {item["href"].rsplit("/", 1)[1]: item["media_type"] for item in data["network"]}
    assert hrefs["network.gexf"] == "application/gexf+xml"
    assert hrefs["network-csv.zip"] == "application/zip"
    dumps = {item["href"].rsplit("/", 1)[1] for item in data["dumps"]}
    assert dumps == {"dump.nq", "dump.nt", "dump.ttl", "dump.trig", "dump.jsonld"}
    assert "city" in data["filters"]


def test_network_downloads(
    client: TestClient,
    seeds: OxigraphRunner,
    expected: Callable[..., Any],
    validate_gexf: Callable[[bytes], etree._Element],
    tmp_path: Path,
) -> None:
    want = expected(seeds, ExportOptions())
    response = client.get(f"{E}/network.gexf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/gexf+xml"
    assert disposition(response) == "inclusion-kg-network.gexf"
    root = validate_gexf(response.content)
    assert {n.get("id") for n in root.iter(f"{G}node")} == set(want.nodes)
    assert root.find(f"{G}graph").get("mode") == "static"

    response = client.get(f"{E}/network.gexf", params={"dynamic": "true"})
    assert disposition(response) == "inclusion-kg-network-dynamic.gexf"
    assert validate_gexf(response.content).find(f"{G}graph").get("mode") == "dynamic"

    response = client.get(f"{E}/network.graphml")
    assert response.headers["content-type"] == "application/graphml+xml"
    assert disposition(response) == "inclusion-kg-network.graphml"
    path = tmp_path / "network.graphml"
    path.write_bytes(response.content)
    assert set(nx.read_graphml(path).nodes) == set(want.nodes)
    assert igraph.Graph.Read_GraphML(str(path)).ecount() == len(want.edges)

    response = client.get(f"{E}/network.json")
    assert response.headers["content-type"] == "application/json"
    assert disposition(response) == "inclusion-kg-network.json"
    data = response.json()
    assert {n["key"] for n in data["nodes"]} == set(want.nodes)
    assert len(data["edges"]) == len(want.edges)

    response = client.get(f"{E}/network-csv.zip")
    assert response.headers["content-type"] == "application/zip"
    assert disposition(response) == "inclusion-kg-network-csv.zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as bundle:
        assert bundle.namelist() == ["nodes.csv", "edges.csv", "metadata.json"]
        rows = list(csv.DictReader(io.StringIO(bundle.read("nodes.csv").decode())))
    assert {row["Id"] for row in rows} == set(want.nodes)

    for table, header in (("nodes", "Id,Label,"), ("edges", "Source,Target,Type,Weight,")):
        response = client.get(f"{E}/network-{table}.csv")
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        assert disposition(response) == f"inclusion-kg-{table}.csv"
        assert response.text.startswith(header)


def test_filters_match_the_analytics(
    client: TestClient,
    seeds: OxigraphRunner,
    expected: Callable[..., Any],
    validate_gexf: Callable[[bytes], etree._Element],
) -> None:
    options = ExportOptions(
        network_filter=NetworkFilter(cities=frozenset({"palermo"})), language="it"
    )
    want = expected(seeds, options)
    response = client.get(
        f"{E}/network.gexf", params={"city": "palermo", "lang": "it", "dynamic": "true"}
    )
    assert response.status_code == 200
    assert disposition(response) == "inclusion-kg-network-palermo-dynamic.gexf"
    root = validate_gexf(response.content)
    assert {n.get("id") for n in root.iter(f"{G}node")} == set(want.nodes)
    assert {n.get("id"): n.get("label") for n in root.iter(f"{G}node")} == want.labels
    assert len(list(root.iter(f"{G}edge"))) == len(want.edges)

    response = client.get(
        f"{E}/network.json",
        params=[("country", "PL"), ("country", "IT"), ("from", "2013"), ("to", "2016")],
    )
    assert response.status_code == 200
    assert disposition(response) == "inclusion-kg-network-it-pl-2013-2016.json"
    data = response.json()
    assert data["attributes"]["filter"]["countries"] == ["IT", "PL"]
    assert data["attributes"]["filter"]["period"] == {
        "as_of": None,
        "from_year": 2013,
        "to_year": 2016,
    }
    period_want = expected(
        seeds,
        ExportOptions(
            network_filter=NetworkFilter(
                countries=frozenset({"PL", "IT"}),
                period=Period(from_year=2013, to_year=2016),
            )
        ),
    )
    assert {n["key"] for n in data["nodes"]} == set(period_want.nodes)
    assert len(data["edges"]) == len(period_want.edges)

    response = client.get(
        f"{E}/network-edges.csv", params={"actor_type": "PublicAuthority", "metrics": "false"}
    )
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text)))
    publics = expected(
        seeds,
        ExportOptions(network_filter=NetworkFilter(actor_types=frozenset({"PublicAuthority"}))),
    )
    assert {frozenset((r["Source"], r["Target"])) for r in rows} == set(publics.edges)


@pytest.mark.parametrize(
    ("params", "status", "text"),
    [
        ({"actor_type": "dragon"}, 400, "unknown actor type 'dragon'"),
        ({"layer": "friends"}, 400, "unknown layer 'friends'"),
        ({"from": "2020", "to": "2019"}, 400, "year range is reversed"),
        ({"as_of": "2020-01-01", "from": "2019"}, 400, "either an as-of date or a year range"),
        ({"as_of": "yesterday"}, 422, "as_of"),
        ({"min_sources": "-1"}, 422, "min_sources"),
        ({"dynamic": "perhaps"}, 422, "dynamic"),
        ({"lang": "en<script>"}, 422, "lang"),
    ],
)
def test_bad_filters_are_problem_documents(
    client: TestClient, params: dict[str, str], status: int, text: str
) -> None:
    response = client.get(f"{E}/network.gexf", params=params)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status
    assert text in json.dumps(problem)
    assert "content-disposition" not in response.headers


@pytest.mark.parametrize(
    ("extension", "media_type", "fmt"),
    [
        ("nq", "application/n-quads", RdfFormat.N_QUADS),
        ("nt", "application/n-triples", RdfFormat.N_TRIPLES),
        ("ttl", "text/turtle; charset=utf-8", RdfFormat.TURTLE),
        ("trig", "application/trig", RdfFormat.TRIG),
        ("jsonld", "application/ld+json", RdfFormat.JSON_LD),
    ],
)
def test_dumps(client: TestClient, extension: str, media_type: str, fmt: RdfFormat) -> None:
    whole = client.get(f"{E}/dump.{extension}")
    assert whole.status_code == 200
    assert whole.headers["content-type"] == media_type
    assert disposition(whole) == f"inclusion-kg-dump.{extension}"
    everything = list(parse(whole.content, fmt))
    one = client.get(f"{E}/dump.{extension}", params={"graph": MPI})
    assert one.status_code == 200
    assert disposition(one) == f"inclusion-kg-study-2020-mpi-press-release.{extension}"
    graph = list(parse(one.content, fmt))
    assert 0 < len(graph) < len(everything)
    if fmt in (RdfFormat.N_QUADS, RdfFormat.TRIG, RdfFormat.JSON_LD):
        assert {q.graph_name.value for q in graph} == {MPI}
        counted = client.get(
            "/sparql",
            params={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
            headers={"Accept": "application/sparql-results+json"},
        )
        total = int(counted.json()["results"]["bindings"][0]["n"]["value"])
        assert len(everything) == total


def test_dump_errors(client: TestClient) -> None:
    missing = client.get(f"{E}/dump.nq", params={"graph": "https://w3id.org/inclusion-kg/graph/no"})
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    bad = client.get(f"{E}/dump.ttl", params={"graph": "not an iri"})
    assert bad.status_code == 400
    assert bad.headers["content-type"] == "application/problem+json"
    unknown = client.get(f"{E}/dump.rdf")
    assert unknown.status_code == 422
    assert unknown.headers["content-type"] == "application/problem+json"
