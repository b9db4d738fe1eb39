"""Third-party SPARQL clients against the live server: SPARQLWrapper and rdflib's stores.

These are what analysts' notebooks use; if they work unmodified, the endpoint speaks the
protocol the way the ecosystem expects.
"""

from __future__ import annotations

import httpx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from SPARQLWrapper import JSON, POST, TURTLE, XML, SPARQLWrapper

pytestmark = pytest.mark.integration

EX = "http://example.org/"
DATA = f"""
<{EX}alice> <{EX}knows> <{EX}bob> .
<{EX}alice> <{EX}name> "Alice"@en .
<{EX}bob> <{EX}name> "Bob"@en .
"""


@pytest.fixture
def loaded_server(live_server: str, http: httpx.Client, auth: dict[str, str]) -> str:
    response = http.put(
        "/store",
        params={"graph": f"{EX}people"},
        content=DATA,
        headers={"Content-Type": "text/turtle", **auth},
    )
    assert response.status_code == 201
    return live_server


@pytest.mark.parametrize("method", ["GET", POST])
def test_sparqlwrapper_select_json(loaded_server: str, method: str) -> None:
    sparql = SPARQLWrapper(f"{loaded_server}/sparql")
    sparql.setMethod(method)
    sparql.setReturnFormat(JSON)
    sparql.setQuery(f"SELECT ?name WHERE {{ ?p <{EX}name> ?name }} ORDER BY ?name")
    result = sparql.queryAndConvert()
    assert isinstance(result, dict)
    assert result["head"]["vars"] == ["name"]
    names = [(b["name"]["value"], b["name"]["xml:lang"]) for b in result["results"]["bindings"]]
    assert names == [("Alice", "en"), ("Bob", "en")]


def test_sparqlwrapper_ask_xml(loaded_server: str) -> None:
    sparql = SPARQLWrapper(f"{loaded_server}/sparql")
    sparql.setReturnFormat(XML)
    sparql.setQuery(f"ASK {{ <{EX}alice> <{EX}knows> <{EX}bob> }}")
    document = sparql.queryAndConvert()
    boolean = document.getElementsByTagName("boolean")[0]  # type: ignore[union-attr]
    assert boolean.firstChild.data == "true"


# SPARQLWrapper 2.0 converts RDF through rdflib's deprecated ConjunctiveGraph.
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize("return_format", [TURTLE, XML])
def test_sparqlwrapper_construct(loaded_server: str, return_format: str) -> None:
    sparql = SPARQLWrapper(f"{loaded_server}/sparql")
    sparql.setReturnFormat(return_format)
    sparql.setQuery(f"CONSTRUCT {{ ?s <{EX}knows> ?o }} WHERE {{ ?s <{EX}knows> ?o }}")
    converted = sparql.queryAndConvert()
    graph = (
        Graph().parse(data=converted, format="turtle")
        if isinstance(converted, bytes)
        else converted
    )
    assert isinstance(graph, Graph)
    expected = Graph()
    expected.add((URIRef(f"{EX}alice"), URIRef(f"{EX}knows"), URIRef(f"{EX}bob")))
    assert isomorphic(graph, expected)


def test_rdflib_sparqlstore_queries(loaded_server: str) -> None:
    store = SPARQLStore(query_endpoint=f"{loaded_server}/sparql")
    graph = Graph(store)
    try:
        rows = list(
            graph.query(f"SELECT ?o WHERE {{ <{EX}alice> <{EX}knows> ?o }}")  # type: ignore[arg-type]
        )
        assert [row[0] for row in rows] == [URIRef(f"{EX}bob")]  # type: ignore[index]
        assert (URIRef(f"{EX}bob"), URIRef(f"{EX}name"), Literal("Bob", lang="en")) in graph
        assert len(list(graph.triples((URIRef(f"{EX}alice"), None, None)))) == 2
    finally:
        store.close()


def test_rdflib_sparqlupdatestore_updates_with_the_token(
    live_server: str, auth: dict[str, str], http: httpx.Client
) -> None:
    store = SPARQLUpdateStore(
        query_endpoint=f"{live_server}/sparql",
        update_endpoint=f"{live_server}/update",
        headers=auth,
    )
    named = URIRef(f"{EX}notes")
    graph = Graph(store, identifier=named)
    try:
        graph.add((URIRef(f"{EX}carol"), URIRef(f"{EX}name"), Literal("Carol")))
        # rdflib wraps the update of a named graph in GRAPH <notes> { … } itself
        graph.update(f"INSERT DATA {{ <{EX}carol> <{EX}knows> <{EX}dave> }}")
        # and sends the graph's queries with default-graph-uri=<notes>
        rows = list(graph.query(f"SELECT ?o WHERE {{ <{EX}carol> ?p ?o }}"))  # type: ignore[arg-type]
        assert {row[0] for row in rows} == {Literal("Carol"), URIRef(f"{EX}dave")}  # type: ignore[index]
        graph.remove((URIRef(f"{EX}carol"), URIRef(f"{EX}name"), None))
        health = http.get("/health").json()
        assert health["triples"] == 1
        other = Graph(store, identifier=URIRef(f"{EX}elsewhere"))
        assert list(other.query(f"ASK {{ <{EX}carol> ?p ?o }}")) == [False]  # type: ignore[arg-type]
    finally:
        store.close()


def test_rdflib_sparqlupdatestore_without_token_is_refused(
    live_server: str, http: httpx.Client
) -> None:
    store = SPARQLUpdateStore(
        query_endpoint=f"{live_server}/sparql", update_endpoint=f"{live_server}/update"
    )
    graph = Graph(store, identifier=URIRef(f"{EX}notes"))
    try:
        with pytest.raises(Exception, match="401"):
            graph.add((URIRef(f"{EX}x"), URIRef(f"{EX}y"), Literal(1)))
    finally:
        store.close()
    assert http.get("/health").json()["triples"] == 0
