"""The SPARQL 1.1 Protocol over real HTTP: a uvicorn server on loopback, plain httpx.

The first test runs every case of the W3C SPARQL 1.1 Protocol test manifest
(tests/data/w3c/sparql11-protocol-manifest.ttl, copied from the W3C test suite) as it
is written, with two adaptations the manifest itself allows: queries go to ``/sparql``
and updates to ``/update`` (with the bearer token), and the data files the dataset
cases name (``data1.rdf`` …) are stood in for by one triple each,
``<dataN.rdf> a foaf:Document``, which is what their ASK queries look for.

The other tests add what the manifest does not cover: every result format, 406, the
parser's message on a 400, 401, 413, the service description, CORS, streaming, and a
query cut off by the time limit while other queries are still served.
"""

from __future__ import annotations

import csv
import io
import json
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from rdflib import RDF, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.query import Result

from inclusion_kg.graph.settings import Settings

pytestmark = pytest.mark.integration

MANIFEST = Path(__file__).parents[1] / "data" / "w3c" / "sparql11-protocol-manifest.ttl"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
FOAF_DOCUMENT = "http://xmlns.com/foaf/0.1/Document"
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

HTTP_TIMEOUT = 120.0
"""Seconds a test waits for an answer: generous, since a loaded CI machine is slow."""

RESULT_TYPES = {
    "boolean": {"application/sparql-results+json", "application/sparql-results+xml"},
    "tabular": {
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    },
    "RDF": {
        "text/turtle",
        "application/n-triples",
        "application/rdf+xml",
        "application/ld+json",
        "application/n-quads",
        "application/trig",
    },
}


@dataclass
class ProtocolRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    expected_status: set[int]
    expected_boolean: bool | None
    expected_format: str | None


@dataclass
class ProtocolCase:
    name: str
    title: str
    graphs: list[str] = field(default_factory=list)
    requests: list[ProtocolRequest] = field(default_factory=list)


def _rdf_list(graph: Graph, head: object) -> list[object]:
    return list(graph.items(head))  # type: ignore[arg-type]


def _status_classes(values: Iterator[object]) -> set[int]:
    classes = set()
    for value in values:
        code = str(value).removeprefix(str(HTS)).removeprefix("StatusCode")
        classes.add(int(code[0]))
    return classes


def load_manifest() -> list[ProtocolCase]:
    graph = Graph().parse(MANIFEST, format="turtle")
    (manifest,) = graph.subjects(RDF.type, MF.Manifest)
    cases = []
    for entry in _rdf_list(graph, graph.value(manifest, MF.entries)):
        name = str(entry).rsplit("#", 1)[1]
        case = ProtocolCase(name, str(graph.value(entry, MF.name)))
        for data in graph.objects(entry, UT.graphData):
            case.graphs.append(str(graph.value(data, RDFS_LABEL)))
        action = graph.value(entry, MF.action)
        for request in _rdf_list(graph, graph.value(action, HT.requests)):
            headers = {
                str(graph.value(header, HT.fieldName)): str(graph.value(header, HT.fieldValue))
                for header in _rdf_list(graph, graph.value(request, HT.headers))
            }
            body_node = graph.value(request, HT.body)
            body = None
            if body_node is not None:
                encoding = str(graph.value(body_node, CNT.characterEncoding) or "UTF-8")
                body = str(graph.value(body_node, CNT.chars)).encode(encoding.lower())
            response = graph.value(request, HT.resp)
            boolean = graph.value(response, MF.expectedBoolean)
            expected_format = graph.value(response, MF.expectedFormat)
            case.requests.append(
                ProtocolRequest(
                    method=str(graph.value(request, HT.methodName)),
                    path=str(graph.value(request, HT.absolutePath)),
                    headers=headers,
                    body=body,
                    expected_status=_status_classes(graph.objects(response, MF.expectedStatus)),
                    expected_boolean=None if boolean is None else bool(boolean.toPython()),
                    expected_format=None if expected_format is None else str(expected_format),
                )
            )
        cases.append(case)
    return cases


CASES = load_manifest()


def test_the_manifest_is_read_whole() -> None:
    """34 entries, 39 requests in the W3C file (counted by hand in the Turtle)."""
    assert len(CASES) == 34
    assert sum(len(case.requests) for case in CASES) == 39


def _is_query(request: ProtocolRequest) -> bool:
    content_type = request.headers.get("content-type", "")
    body = request.body or b""
    return (
        content_type.startswith("application/sparql-query")
        or body.startswith(b"query=")
        or "query=" in request.path
    )


def _endpoint(case: ProtocolCase, request: ProtocolRequest) -> str:
    if _is_query(request) or "update" not in case.name:
        return "/sparql"
    return "/update"


def _boolean(response: httpx.Response) -> bool:
    media = response.headers["content-type"].split(";")[0]
    if media == "application/sparql-results+json":
        value = response.json()["boolean"]
        assert isinstance(value, bool)
        return value
    element = ET.fromstring(response.content).find(  # noqa: S314 - our own server's output
        "{http://www.w3.org/2005/sparql-results#}boolean"
    )
    assert element is not None
    return element.text == "true"


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_w3c_protocol_case(case: ProtocolCase, http: httpx.Client, auth: dict[str, str]) -> None:
    for iri in case.graphs:
        loaded = http.put(
            "/store",
            params={"graph": iri},
            content=f"<{iri}> a <{FOAF_DOCUMENT}> .\n",
            headers={"Content-Type": "text/turtle", **auth},
        )
        assert loaded.status_code == 201, loaded.text
    for request in case.requests:
        endpoint = _endpoint(case, request)
        path = request.path.replace("/sparql/", endpoint, 1)
        headers = dict(request.headers)
        if endpoint == "/update":
            headers.update(auth)
        response = http.request(request.method, path, headers=headers, content=request.body)
        assert response.status_code // 100 in request.expected_status, (
            f"{case.name}: {request.method} {path} -> {response.status_code} {response.text}"
        )
        if response.status_code >= 400:
            assert response.headers["content-type"] == "application/problem+json"
        if request.expected_format is not None:
            media = response.headers["content-type"].split(";")[0]
            assert media in RESULT_TYPES[request.expected_format]
        if request.expected_boolean is not None:
            assert _boolean(response) is request.expected_boolean


# --------------------------------------------------------------------------- data helpers


def _url(http: httpx.Client, path: str) -> str:
    return str(http.base_url).rstrip("/") + path


EX = "http://example.org/"
DATA = f"""
<{EX}alice> <{EX}knows> <{EX}bob> .
<{EX}alice> <{EX}age> "42"^^<http://www.w3.org/2001/XMLSchema#integer> .
<{EX}bob> <{EX}name> "Bob"@en .
"""
SELECT = f"SELECT ?s ?o WHERE {{ ?s <{EX}knows> ?o }}"
CONSTRUCT = f"CONSTRUCT {{ ?s <{EX}knows> ?o }} WHERE {{ ?s <{EX}knows> ?o }}"


def _load(
    http: httpx.Client, auth: dict[str, str], graph: str = f"{EX}g1", data: str = DATA
) -> None:
    """Put ``data`` in ``graph`` with SPARQL Update: exactly these triples, nothing added."""
    response = http.post(
        "/update",
        content=f"INSERT DATA {{ GRAPH <{graph}> {{ {data} }} }}",
        headers={"Content-Type": "application/sparql-update", **auth},
    )
    assert response.status_code == 204, response.text


@pytest.fixture
def loaded(http: httpx.Client, auth: dict[str, str]) -> None:
    """Load DATA into graph g1 of the live server."""
    _load(http, auth)


# --------------------------------------------------------------------------- formats


@pytest.mark.parametrize(
    ("accept", "parse_format"),
    [
        ("application/sparql-results+json", "json"),
        ("application/sparql-results+xml", "xml"),
        ("text/csv", "csv"),
        ("text/tab-separated-values", "tsv"),
    ],
)
@pytest.mark.usefixtures("loaded")
def test_select_in_every_result_format(http: httpx.Client, accept: str, parse_format: str) -> None:
    response = http.get("/sparql", params={"query": SELECT}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == accept
    assert "Accept" in response.headers["vary"]
    result = Result.parse(io.BytesIO(response.content), format=parse_format)
    rows = [(str(row[0]), str(row[1])) for row in result]  # type: ignore[index]
    assert rows == [(f"{EX}alice", f"{EX}bob")]


@pytest.mark.usefixtures("loaded")
def test_csv_is_exactly_as_the_w3c_format_says(http: httpx.Client) -> None:
    """SPARQL 1.1 CSV: header of variable names, CRLF line ends, IRIs bare."""
    response = http.get("/sparql", params={"query": SELECT}, headers={"Accept": "text/csv"})
    assert response.content == f"s,o\r\n{EX}alice,{EX}bob\r\n".encode()


@pytest.mark.parametrize(
    "accept", ["application/sparql-results+json", "application/sparql-results+xml"]
)
@pytest.mark.usefixtures("loaded")
def test_ask_in_json_and_xml(http: httpx.Client, accept: str) -> None:
    response = http.get(
        "/sparql",
        params={"query": f"ASK {{ <{EX}alice> <{EX}knows> ?x }}"},
        headers={"Accept": accept},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == accept
    assert _boolean(response) is True


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
        ("application/n-quads", "nquads"),
        ("application/trig", "trig"),
    ],
)
@pytest.mark.usefixtures("loaded")
def test_construct_in_every_rdf_format(http: httpx.Client, accept: str, rdflib_format: str) -> None:
    response = http.post(
        "/sparql",
        content=CONSTRUCT,
        headers={"Content-Type": "application/sparql-query", "Accept": accept},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == accept
    if rdflib_format in {"nquads", "trig"}:
        dataset = Dataset()
        dataset.parse(data=response.content, format=rdflib_format)
        got = Graph()
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            got.add((s, p, o))
    else:
        got = Graph().parse(data=response.content, format=rdflib_format)
    expected = Graph()
    expected.add((URIRef(f"{EX}alice"), URIRef(f"{EX}knows"), URIRef(f"{EX}bob")))
    assert isomorphic(got, expected)


@pytest.mark.parametrize(
    ("query", "accept"),
    [
        (SELECT, "text/html"),
        (SELECT, "application/rdf+xml"),
        ("ASK {}", "text/csv"),
        (CONSTRUCT, "application/sparql-results+json"),
        (CONSTRUCT, "image/png"),
    ],
)
def test_406_when_no_format_fits(http: httpx.Client, query: str, accept: str) -> None:
    response = http.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 406
    problem = response.json()
    assert response.headers["content-type"] == "application/problem+json"
    assert accept in problem["detail"]
    assert problem["acceptable"]


@pytest.mark.usefixtures("loaded")
def test_format_parameter_overrides_accept(http: httpx.Client) -> None:
    response = http.get(
        "/sparql",
        params={"query": SELECT, "format": "csv"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.headers["content-type"].startswith("text/csv")


# --------------------------------------------------------------------------- errors


def test_malformed_query_is_400_with_the_parser_message(http: httpx.Client) -> None:
    response = http.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p "})
    assert response.status_code == 400
    problem = response.json()
    assert response.headers["content-type"] == "application/problem+json"
    # the engine's message names where it stopped: line 1
    assert "1:" in problem["detail"]
    assert problem["instance"] == "/sparql"


def test_update_sent_to_the_query_endpoint_is_400(http: httpx.Client, auth: dict[str, str]) -> None:
    insert = f"INSERT DATA {{ <{EX}a> <{EX}b> 1 }}"
    for response in (
        http.post(
            "/sparql",
            content=insert,
            headers={"Content-Type": "application/sparql-update", **auth},
        ),
        http.post("/sparql", data={"update": insert}, headers=auth),
        http.post("/sparql", data={"query": insert}, headers=auth),
        http.get("/sparql", params={"query": insert}),
    ):
        assert response.status_code == 400
        assert "/update" in response.json()["detail"]
    assert http.get("/health").json()["triples"] == 0


def test_update_without_token_is_401_and_writes_nothing(http: httpx.Client) -> None:
    response = http.post(
        "/update",
        content=f"INSERT DATA {{ <{EX}a> <{EX}b> 1 }}",
        headers={"Content-Type": "application/sparql-update"},
    )
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert http.get("/health").json()["triples"] == 0


def test_update_with_token_writes(http: httpx.Client, auth: dict[str, str]) -> None:
    response = http.post(
        "/update",
        data={"update": f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}a> <{EX}b> 1 }} }}"},
        headers=auth,
    )
    assert response.status_code == 204
    ask = http.get(
        "/sparql",
        params={"query": f"ASK {{ <{EX}a> <{EX}b> 1 }}"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert ask.json()["boolean"] is True


def test_too_large_body_is_413(
    settings_factory: Callable[..., Settings],
    live_server_factory: Callable[[Settings], str],
    auth: dict[str, str],
) -> None:
    base = live_server_factory(settings_factory(max_upload_bytes=4096))
    http = httpx.Client(base_url=base, timeout=HTTP_TIMEOUT)
    big = "".join(f"<{EX}s{i}> <{EX}p> <{EX}o{i}> .\n" for i in range(200))
    assert len(big.encode()) > 4096
    response = http.post(
        "/store",
        params={"graph": f"{EX}big"},
        content=big,
        headers={"Content-Type": "application/n-triples", **auth},
    )
    assert response.status_code == 413
    assert "4,096 bytes" in response.json()["detail"]
    query = http.post("/sparql", data={"query": "ASK { " + "?s ?p ?o . " * 500 + "}"})
    assert query.status_code == 413
    assert http.get("/health").json()["triples"] == 0
    http.close()


# --------------------------------------------------------------------------- description, CORS


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
        (None, "turtle"),
    ],
)
@pytest.mark.usefixtures("loaded")
def test_service_description(http: httpx.Client, accept: str | None, rdflib_format: str) -> None:
    headers = {"Accept": accept} if accept else {}
    response = http.get("/sparql", headers=headers)
    assert response.status_code == 200
    graph = Graph().parse(data=response.content, format=rdflib_format)
    endpoint = URIRef(_url(http, "/sparql"))
    assert (endpoint, RDF.type, SD.Service) in graph
    assert (endpoint, SD.endpoint, endpoint) in graph
    assert (endpoint, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (endpoint, SD.feature, SD.UnionDefaultGraph) in graph
    formats = set(graph.objects(endpoint, SD.resultFormat))
    assert URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in formats
    assert URIRef("http://www.w3.org/ns/formats/Turtle") in formats
    names = {str(name) for name in graph.objects(None, SD.name)}
    assert names == {f"{EX}g1"}
    sizes = [
        size
        for named in graph.subjects(SD.name, URIRef(f"{EX}g1"))
        for g in graph.objects(named, SD.graph)
        for size in graph.objects(g, URIRef("http://rdfs.org/ns/void#triples"))
    ]
    assert sizes == [Literal(3)]
    update = URIRef(_url(http, "/update"))
    assert (update, SD.supportedLanguage, SD.SPARQL11Update) in graph


def test_cors_preflight_allows_browser_clients(http: httpx.Client) -> None:
    response = http.options(
        "/sparql",
        headers={
            "Origin": "https://analyst.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert "POST" in response.headers["access-control-allow-methods"]
    allowed = response.headers["access-control-allow-headers"].lower()
    assert "authorization" in allowed
    assert "content-type" in allowed
    simple = http.get(
        "/sparql",
        params={"query": "ASK {}"},
        headers={"Origin": "https://analyst.example"},
    )
    assert simple.headers["access-control-allow-origin"] == "*"


# --------------------------------------------------------------------------- streaming, time


def test_large_result_streams(http: httpx.Client, auth: dict[str, str]) -> None:
    count = 100_000
    data = "".join(f"<{EX}s{i}> <{EX}p> {i} .\n" for i in range(count))
    _load(http, auth, f"{EX}big", data)
    rows = 0
    with http.stream(
        "GET",
        "/sparql",
        params={"query": f"SELECT ?s ?o WHERE {{ ?s <{EX}p> ?o }}"},
        headers={"Accept": "text/csv"},
    ) as response:
        assert response.status_code == 200
        # streamed: no length known in advance, chunked transfer
        assert "content-length" not in response.headers
        assert response.headers["transfer-encoding"] == "chunked"
        reader = csv.reader(line for line in response.iter_lines())
        header = next(reader)
        assert header == ["s", "o"]
        values = set()
        for row in reader:
            rows += 1
            values.add(int(row[1]))
    assert rows == count
    assert values == set(range(count))


def test_slow_query_times_out_with_503_while_other_queries_are_served(
    settings_factory: Callable[..., Settings],
    live_server_factory: Callable[[Settings], str],
    auth: dict[str, str],
) -> None:
    base = live_server_factory(settings_factory(query_timeout=1.0))
    http = httpx.Client(base_url=base, timeout=HTTP_TIMEOUT)
    data = "".join(f"<{EX}s{i}> <{EX}p> {i} .\n" for i in range(400))
    _load(http, auth, f"{EX}small", data)
    # 400^4 = 2.56e10 combinations: no engine finishes this within a second.
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    outcome: dict[str, object] = {}

    def run_slow() -> None:
        response = httpx.get(f"{base}/sparql", params={"query": slow}, timeout=HTTP_TIMEOUT)
        outcome["response"] = response
        outcome["finished"] = time.monotonic()

    thread = threading.Thread(target=run_slow)
    thread.start()
    cheap_done: list[float] = []
    deadline = time.monotonic() + 120
    while thread.is_alive() and time.monotonic() < deadline:
        cheap = http.get(
            "/sparql",
            params={"query": f"ASK {{ <{EX}s1> <{EX}p> 1 }}"},
            headers={"Accept": "application/sparql-results+json"},
        )
        assert cheap.status_code == 200
        assert cheap.json()["boolean"] is True
        cheap_done.append(time.monotonic())
        time.sleep(0.05)
    thread.join(timeout=120)
    response = outcome["response"]
    assert isinstance(response, httpx.Response)
    assert response.status_code == 503
    problem = response.json()
    assert response.headers["content-type"] == "application/problem+json"
    assert "time" in problem["detail"].lower()
    # at least one cheap query was answered while the slow one was still running
    assert cheap_done
    assert cheap_done[0] < outcome["finished"]  # type: ignore[operator]
    # and the server keeps serving afterwards
    after = http.get("/sparql", params={"query": "ASK {}"})
    assert after.status_code == 200
    http.close()


# --------------------------------------------------------------------------- graph store


PROV = Namespace("http://www.w3.org/ns/prov#")
VOID_TRIPLES = URIRef("http://rdfs.org/ns/void#triples")


def test_graph_store_protocol_round_trip(http: httpx.Client, auth: dict[str, str]) -> None:
    graph = f"{EX}batch"
    url = "/store"
    turtle = {"Content-Type": "text/turtle", **auth}
    assert http.get(url, params={"graph": graph}).status_code == 404
    # writes need the token
    assert http.put(url, params={"graph": graph}, content=DATA).status_code == 401

    created = http.put(
        url, params={"graph": graph, "title": "People"}, content=DATA, headers=turtle
    )
    assert created.status_code == 201
    assert created.json()["graphs"] == [graph]
    assert created.json()["validation"]["conforms"] is True
    assert created.headers["location"].endswith(f"graph={quote(graph, safe='')}")

    replaced = http.put(
        url, params={"graph": graph}, content=f"<{EX}x> <{EX}y> <{EX}z> .", headers=turtle
    )
    assert replaced.status_code == 200
    # a batch is not merged into: POST to a graph with data is a conflict, and changes nothing
    merged = http.post(
        url, params={"graph": graph}, content=f"<{EX}x> <{EX}y> <{EX}w> .", headers=turtle
    )
    assert merged.status_code == 409
    assert "PUT" in merged.json()["detail"]

    got = http.get(url, params={"graph": graph}, headers={"Accept": "application/n-triples"})
    assert got.status_code == 200
    stored = Graph().parse(data=got.content, format="nt")
    # the data, and the batch's PROV-O self-description (data contract), nothing else
    data = {(s, p, o) for s, p, o in stored if s != URIRef(graph)}
    assert data == {(URIRef(f"{EX}x"), URIRef(f"{EX}y"), URIRef(f"{EX}z"))}
    assert (URIRef(graph), RDF.type, PROV.Entity) in stored
    assert stored.value(URIRef(graph), VOID_TRIPLES) == Literal(len(stored))

    bad = http.put(url, params={"graph": graph}, content="<not turtle", headers=turtle)
    assert bad.status_code == 400
    assert "line 1" in bad.json()["detail"]
    assert http.get(url, params={"graph": graph, "format": "nt"}).content == got.content

    assert http.delete(url, params={"graph": graph}, headers=auth).status_code == 204
    assert http.get(url, params={"graph": graph}).status_code == 404
    assert http.delete(url, params={"graph": graph}, headers=auth).status_code == 404


def test_graph_store_post_without_a_graph_mints_one(
    http: httpx.Client, auth: dict[str, str]
) -> None:
    response = http.post("/store", content=DATA, headers={"Content-Type": "text/turtle", **auth})
    assert response.status_code == 201
    (minted,) = response.json()["graphs"]
    assert minted.startswith("https://w3id.org/inclusion-kg/graph/batch-")
    located = http.get(response.headers["location"], headers={"Accept": "text/turtle"})
    assert located.status_code == 200
    assert (URIRef(f"{EX}bob"), URIRef(f"{EX}name"), Literal("Bob", lang="en")) in Graph().parse(
        data=located.content, format="turtle"
    )


def test_graph_store_refuses_data_that_breaks_the_shapes(
    http: httpx.Client, auth: dict[str, str]
) -> None:
    """A City without an English label and without its country: two Violations, nothing written."""
    city = "<https://w3id.org/inclusion-kg/id/city/nowhere>"
    body = f"{city} a <https://w3id.org/inclusion-kg/ontology#City> ."
    response = http.put(
        "/store",
        params={"graph": f"{EX}cities"},
        content=body,
        headers={"Content-Type": "text/turtle", **auth},
    )
    assert response.status_code == 422
    problem = response.json()
    assert problem["report"]["conforms"] is False
    assert problem["report"]["counts"]["Violation"] >= 1
    assert http.get("/health").json()["triples"] == 0


@pytest.mark.usefixtures("loaded")
def test_graph_store_default_graph_reads_the_union_and_refuses_writes(
    http: httpx.Client, auth: dict[str, str]
) -> None:
    url = "/store"
    union = http.get(url, params={"default": ""}, headers={"Accept": "application/n-triples"})
    assert union.status_code == 200
    assert len(Graph().parse(data=union.content, format="nt")) == 3
    for method in ("PUT", "POST", "DELETE"):
        response = http.request(
            method,
            url,
            params={"default": ""},
            content=DATA if method != "DELETE" else None,
            headers={"Content-Type": "application/n-triples", **auth},
        )
        assert response.status_code == 405, method
        assert "?graph=" in response.json()["detail"]


@pytest.mark.usefixtures("loaded")
def test_graph_store_whole_dataset_as_nquads(http: httpx.Client) -> None:
    response = http.get("/store", headers={"Accept": "application/n-quads"})
    assert response.status_code == 200
    dataset = Dataset()
    dataset.parse(data=response.content, format="nquads")
    assert {str(g.identifier) for g in dataset.graphs() if len(g)} == {f"{EX}g1"}


def test_json_body_is_refused_with_415(http: httpx.Client, auth: dict[str, str]) -> None:
    response = http.put(
        "/store",
        params={"graph": f"{EX}g"},
        content=json.dumps({"a": 1}),
        headers={"Content-Type": "image/png", **auth},
    )
    assert response.status_code == 415


def test_graph_iri_must_be_absolute(http: httpx.Client) -> None:
    response = http.get("/store", params={"graph": "relative> <x"})
    assert response.status_code == 400
    assert quote("relative") not in response.json()["type"]


def test_relative_iris_resolve_against_the_base_iri(
    http: httpx.Client, auth: dict[str, str]
) -> None:
    """The service-defined base of SPARQL 1.1 Protocol is IKG_BASE_IRI (W3C update_base_uri)."""
    response = http.get(
        "/sparql",
        params={"query": "SELECT (<id/city/palermo> AS ?iri) {}"},
        headers={"Accept": "text/csv"},
    )
    assert response.text == "iri\r\nhttps://w3id.org/inclusion-kg/id/city/palermo\r\n"
    # a BASE in the text wins
    response = http.get(
        "/sparql",
        params={"query": "BASE <http://other.example/> SELECT (<x> AS ?iri) {}"},
        headers={"Accept": "text/csv"},
    )
    assert response.text == "iri\r\nhttp://other.example/x\r\n"
