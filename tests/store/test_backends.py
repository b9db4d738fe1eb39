"""The Store contract, run against every backend (on-disk Oxigraph, in-memory Oxigraph, and a
real SPARQL server over HTTP). Expected values are hand-derived from the small inputs."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from pyoxigraph import (
    CanonicalizationAlgorithm,
    Dataset,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    parse,
    parse_query_results,
)

from inclusion_kg.graph.errors import Forbidden, InputError, NotFound, QueryTimeout
from inclusion_kg.graph.store import QueryResponse, Store
from inclusion_kg.graph.store.oxigraph import OxigraphStore

EX = "http://example.org/"
G1, G2 = EX + "graph/one", EX + "graph/two"
StoreFactory = Callable[..., Store]
Recorder = Any  # the recorder fixture: .url and .paths

TURTLE = f"""
@prefix ex: <{EX}> .
ex:palermo ex:name "Palermo"@it, "Palermo"@en ; ex:population 1000 ;
    ex:founded "0734"^^<http://www.w3.org/2001/XMLSchema#gYear> .
ex:council ex:in ex:palermo ; ex:member [ ex:name "someone" ] .
""".encode()
"""Counted by hand: palermo has two names, a population and a founding year (4); the
council has ``in`` and ``member`` (2); the blank node has a name (1). Total 7."""
TURTLE_TRIPLES = 7


def text(response: QueryResponse) -> str:
    return b"".join(response.chunks).decode()


def rows(store: Store, sparql: str, **kwargs: object) -> list[dict[str, str]]:
    response = store.query(sparql, media_type="application/sparql-results+json", **kwargs)  # type: ignore[arg-type]
    data = json.loads(text(response))
    return [{k: v["value"] for k, v in row.items()} for row in data["results"]["bindings"]]


def canonical(nquads: bytes) -> set[str]:
    dataset = Dataset(parse(nquads, RdfFormat.N_QUADS))
    dataset.canonicalize(CanonicalizationAlgorithm.UNSTABLE)
    return {str(quad) for quad in dataset}


# -- load, query, graphs, drop ---------------------------------------------------------


def test_load_query_graphs_drop(any_store: Store) -> None:
    assert any_store.load(TURTLE, "text/turtle", graph=G1) == TURTLE_TRIPLES
    assert len(any_store) == TURTLE_TRIPLES
    found = rows(any_store, f"SELECT ?n WHERE {{ <{EX}palermo> <{EX}name> ?n }} ORDER BY ?n")
    assert found == [{"n": "Palermo"}, {"n": "Palermo"}]
    infos = {info.iri: info for info in any_store.graphs()}
    assert set(infos) == {G1}
    assert infos[G1].triples == TURTLE_TRIPLES
    any_store.drop_graph(G1)
    assert len(any_store) == 0
    with pytest.raises(NotFound):
        any_store.drop_graph(G1)


def test_default_graph_is_the_union_unless_the_dataset_is_named(any_store: Store) -> None:
    any_store.load(f'<{EX}a> <{EX}p> "1" .'.encode(), "application/n-triples", graph=G1)
    any_store.load(f'<{EX}b> <{EX}p> "2" .'.encode(), "application/n-triples", graph=G2)
    union = "SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o"
    assert [r["o"] for r in rows(any_store, union)] == ["1", "2"]
    from_one = f"SELECT ?o FROM <{G1}> WHERE {{ ?s ?p ?o }}"  # noqa: S608
    assert [r["o"] for r in rows(any_store, from_one)] == ["1"]
    assert [r["o"] for r in rows(any_store, union, default_graph_uris=[G2])] == ["2"]
    named = "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert [r["g"] for r in rows(any_store, named, named_graph_uris=[G1])] == [G1]
    assert any_store.ask(f"ASK {{ GRAPH <{G2}> {{ ?s ?p '2' }} }}")
    assert [r["o"].value for r in any_store.select(union)] == ["1", "2"]


@pytest.mark.parametrize(
    ("media_type", "fmt"),
    [
        ("application/sparql-results+json", QueryResultsFormat.JSON),
        ("application/sparql-results+xml", QueryResultsFormat.XML),
        ("text/tab-separated-values", QueryResultsFormat.TSV),
    ],
)
def test_select_result_formats(any_store: Store, media_type: str, fmt: QueryResultsFormat) -> None:
    any_store.load(TURTLE, "text/turtle", graph=G1)
    response = any_store.query("SELECT * WHERE { ?s ?p ?o }", media_type=media_type)
    assert (response.kind, response.media_type, response.truncated) == (
        "solutions",
        media_type,
        False,
    )
    parsed = parse_query_results(b"".join(response.chunks), fmt)
    assert isinstance(parsed, QuerySolutions)
    assert len(list(parsed)) == TURTLE_TRIPLES


def test_csv_and_ask(any_store: Store) -> None:
    any_store.load(TURTLE, "text/turtle", graph=G1)
    csv = text(
        any_store.query(
            f"SELECT ?p WHERE {{ <{EX}council> ?p ?o }} ORDER BY ?p", media_type="text/csv"
        )
    )
    assert csv.splitlines() == ["p", f"{EX}in", f"{EX}member"]
    response = any_store.query(f"ASK {{ <{EX}council> <{EX}in> <{EX}palermo> }}")
    assert response.kind == "boolean"
    assert json.loads(text(response))["boolean"] is True


@pytest.mark.parametrize(
    "media_type",
    ["text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"],
)
def test_construct_result_formats(any_store: Store, media_type: str) -> None:
    any_store.load(TURTLE, "text/turtle", graph=G1)
    response = any_store.query("CONSTRUCT WHERE { ?s ?p ?o }", media_type=media_type)
    assert (response.kind, response.media_type) == ("graph", media_type)
    fmt = RdfFormat.from_media_type(media_type)
    assert fmt is not None
    assert len(list(parse(b"".join(response.chunks), fmt))) == TURTLE_TRIPLES


def test_media_type_must_fit_the_result(any_store: Store) -> None:
    with pytest.raises(InputError, match="cannot be written"):
        any_store.query("SELECT * WHERE { ?s ?p ?o }", media_type="text/turtle")
    with pytest.raises(InputError, match="cannot be written"):
        any_store.query("CONSTRUCT WHERE { ?s ?p ?o }", media_type="text/csv")


def test_syntax_errors_are_input_errors(any_store: Store) -> None:
    with pytest.raises(InputError):
        any_store.query("SELECT * WHERE { ?s ?p }")
    with pytest.raises(InputError):
        any_store.update("INSERT DATA { <a:b> <a:c> }")
    with pytest.raises(InputError, match="update"):
        any_store.query(f"INSERT DATA {{ <{EX}a> <{EX}b> <{EX}c> }}")


# -- atomicity ---------------------------------------------------------------------------


def test_a_syntax_error_in_the_middle_leaves_the_store_unchanged(any_store: Store) -> None:
    any_store.load(TURTLE, "text/turtle", graph=G1)
    good = "".join(f'<{EX}s{i}> <{EX}p> "{i}" .\n' for i in range(500))
    bad = good + f'<{EX}broken> <{EX}p> "unterminated .\n' + good.replace("s", "t")
    with pytest.raises(InputError, match="line 501"):
        any_store.load(bad.encode(), "application/n-triples", graph=G2)
    assert len(any_store) == TURTLE_TRIPLES
    assert [info.iri for info in any_store.graphs()] == [G1]
    with pytest.raises(InputError):
        any_store.replace_graph(G1, bad.encode(), "application/n-triples")
    assert len(any_store) == TURTLE_TRIPLES


def test_replace_graph(any_store: Store) -> None:
    any_store.load(TURTLE, "text/turtle", graph=G1)
    any_store.load(f'<{EX}x> <{EX}p> "1" .'.encode(), "application/n-triples", graph=G2)
    assert (
        any_store.replace_graph(G1, f'<{EX}y> <{EX}p> "2" .'.encode(), "application/n-triples") == 1
    )
    assert {(i.iri, i.triples) for i in any_store.graphs()} == {(G1, 1), (G2, 1)}


def test_update(any_store: Store) -> None:
    any_store.update(f"INSERT DATA {{ GRAPH <{G1}> {{ <{EX}a> <{EX}b> 'c'@fr }} }}")
    assert rows(any_store, "SELECT ?o WHERE { ?s ?p ?o }") == [{"o": "c"}]
    with pytest.raises(InputError, match="query"):
        any_store.update("SELECT * WHERE { ?s ?p ?o }")


# -- dump and restore --------------------------------------------------------------------

ROUND_TRIP = f"""
<{EX}a> <{EX}label> "Bürgermeister"@de <{G1}> .
<{EX}a> <{EX}label> "mayor"@en-GB <{G1}> .
<{EX}a> <{EX}count> "12"^^<http://www.w3.org/2001/XMLSchema#integer> <{G1}> .
<{EX}a> <{EX}date> "2020-05-28"^^<http://www.w3.org/2001/XMLSchema#date> <{G1}> .
<{EX}a> <{EX}odd> "x"^^<{EX}datatype> <{G1}> .
<{EX}a> <{EX}text> "line one\\nline \\"two\\"\\ttab" <{G1}> .
<{EX}a> <{EX}node> _:b1 <{G1}> .
_:b1 <{EX}next> _:b2 <{G1}> .
_:b2 <{EX}label> "end" <{G1}> .
_:b1 <{EX}also> <{EX}a> <{G2}> .
<{EX}c> <{EX}in> <{EX}default> .
""".encode()
"""Eleven quads: language tags, datatypes (builtin and custom), escapes, a chain of blank
nodes, a blank node shared by two graphs, and a triple in the default graph."""


def test_dump_restore_round_trip_is_lossless(store_factory: StoreFactory) -> None:
    source = store_factory()
    assert source.load(ROUND_TRIP, "application/n-quads") == 11
    dumped = b"".join(source.dump())
    assert canonical(dumped) == canonical(ROUND_TRIP)
    target = store_factory()
    target.load(TURTLE, "text/turtle", graph=G2)  # replaced by the restore
    assert target.restore(iter([dumped])) == 11
    assert canonical(b"".join(target.dump())) == canonical(ROUND_TRIP)


def test_dump_one_graph(any_store: Store) -> None:
    any_store.load(ROUND_TRIP, "application/n-quads")
    turtle = b"".join(any_store.dump("text/turtle", graph=G2))
    assert len(list(parse(turtle, RdfFormat.TURTLE))) == 1
    with pytest.raises(NotFound):
        list(any_store.dump("text/turtle", graph=EX + "graph/none"))
    with pytest.raises(InputError, match="named graphs"):
        any_store.dump("text/turtle")


def test_restore_with_a_broken_dump_changes_nothing(any_store: Store) -> None:
    any_store.load(TURTLE, "text/turtle", graph=G1)
    with pytest.raises(InputError):
        any_store.restore([ROUND_TRIP, b"<broken"])
    assert len(any_store) == TURTLE_TRIPLES


# -- what a request may fetch ------------------------------------------------------------


def test_service_and_load_are_refused_and_nothing_is_fetched(
    any_store: Store, recorder: Recorder
) -> None:
    url = recorder.url
    refused_queries = [
        f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"PREFIX r: <{url}/> SELECT * WHERE {{ SERVICE SILENT r:sparql {{ ?s ?p ?o }} }}",
        f"BASE <{url}/> SELECT * WHERE {{ service <relative> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE { BIND(<http://127.0.0.1/> AS ?e) SERVICE ?e { ?s ?p ?o } }",
        f"SELECT * WHERE {{ S\\u0045RVICE <{url}/escaped> {{ ?s ?p ?o }} }}",
    ]
    for query in refused_queries:
        with pytest.raises(Forbidden):
            any_store.query(query)
    with pytest.raises(Forbidden):
        any_store.update(f"LOAD <{url}/data.ttl> INTO GRAPH <{G1}>")
    with pytest.raises(Forbidden):
        any_store.update(f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}/x> {{ ?s ?p ?o }} }}")
    # FROM / FROM NAMED choose graphs of the store; they never download anything.
    from_url = f"SELECT * FROM <{url}/data.ttl> WHERE {{ ?s ?p ?o }}"  # noqa: S608
    assert rows(any_store, from_url) == []
    assert recorder.paths == []


def test_the_words_in_literals_and_comments_are_not_refused(any_store: Store) -> None:
    query = (
        "# SERVICE <http://127.0.0.1:9/> and LOAD in a comment\n"
        'SELECT ?x WHERE { BIND("SERVICE <http://127.0.0.1:9/>" AS ?x) }'
    )
    assert rows(any_store, query) == [{"x": "SERVICE <http://127.0.0.1:9/>"}]


def test_remote_json_ld_context_is_refused(any_store: Store, recorder: Recorder) -> None:
    document = json.dumps(
        {"@context": f"{recorder.url}/context.jsonld", "@id": EX + "a", "name": "x"}
    )
    with pytest.raises(InputError, match="@context"):
        any_store.load(document.encode(), "application/ld+json", graph=G1)
    assert recorder.paths == []


def test_rdf_xml_entity_expansion_is_refused(any_store: Store) -> None:
    entities = '<!ENTITY e0 "aaaaaaaaaa">' + "".join(
        f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 9)
    )
    document = (
        f'<?xml version="1.0"?><!DOCTYPE rdf:RDF [{entities}]>'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://e/">'
        '<rdf:Description rdf:about="http://x/a"><e:p>&e8;</e:p></rdf:Description></rdf:RDF>'
    )
    with pytest.raises(InputError, match="entity"):
        any_store.load(document.encode(), "application/rdf+xml", graph=G1)
    assert len(any_store) == 0


# -- result size and time ----------------------------------------------------------------


def test_results_are_cut_at_max_rows(store_factory: StoreFactory) -> None:
    store = store_factory(max_rows=5)
    data = "".join(f'<{EX}s{i}> <{EX}p> "{i}" .\n' for i in range(20))
    store.load(data.encode(), "application/n-triples", graph=G1)
    response = store.query("SELECT * WHERE { ?s ?p ?o }")
    assert response.truncated
    assert len(json.loads(text(response))["results"]["bindings"]) == 5
    response = store.query("SELECT * WHERE { ?s ?p ?o } LIMIT 3")
    assert not response.truncated
    response = store.query("CONSTRUCT WHERE { ?s ?p ?o }", media_type="text/turtle")
    assert response.truncated
    assert len(list(parse(b"".join(response.chunks), RdfFormat.TURTLE))) == 5
    exactly = store.query("SELECT * WHERE { ?s ?p ?o } ORDER BY ?o OFFSET 15")
    assert not exactly.truncated
    with pytest.raises(InputError, match="more than 5 rows"):
        store.select("SELECT * WHERE { ?s ?p ?o }", timeout=10)


EXPENSIVE = (
    f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a <{EX}p> ?x . ?b <{EX}p> ?y . "
    'FILTER(REGEX(CONCAT(STR(?x), "-", STR(?y)), "^(a|b)*zz$")) }'
)
"""A cross join of every pair of 4,000 triples through a regex: 16 million evaluations,
seconds of work on any machine, so a short deadline always cuts it."""


def _expensive_data() -> bytes:
    return "".join(f'<{EX}s{i}> <{EX}p> "v{i}" .\n' for i in range(4000)).encode()


def test_a_query_past_its_deadline_is_stopped_while_others_are_answered(
    store_factory: StoreFactory, backend: str
) -> None:
    store = store_factory()
    store.load(_expensive_data(), "application/n-triples", graph=G1)
    outcome: dict[str, object] = {}

    def expensive() -> None:
        try:
            store.query(EXPENSIVE, timeout=1.5)
        except QueryTimeout as error:
            outcome["timeout"] = error

    worker = threading.Thread(target=expensive)
    worker.start()
    running: set[int] = set()
    if isinstance(store, OxigraphStore):
        deadline = time.monotonic() + 10
        while not store.workers.active and time.monotonic() < deadline:
            time.sleep(0.01)
        running = set(store.workers.active)
        assert len(running) == 1
    answer = store.ask(f"ASK {{ <{EX}s7> <{EX}p> 'v7' }}", timeout=10)
    if isinstance(store, OxigraphStore):
        # answered while the expensive query's worker was still running
        assert running <= store.workers.active or "timeout" not in outcome
    worker.join(timeout=60)
    assert answer is True
    assert isinstance(outcome.get("timeout"), QueryTimeout)
    for pid in running:  # really cancelled: the worker process is gone
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert store.ask(f"ASK {{ <{EX}s8> <{EX}p> 'v8' }}", timeout=10) is True


def test_allow_listed_service_and_load_do_fetch(
    store_factory: StoreFactory, backend: str, request: pytest.FixtureRequest
) -> None:
    if backend == "remote":
        pytest.skip("the remote server would fetch from itself; the policy check is the same")
    server = request.getfixturevalue("oxigraph_server")
    with httpx.Client() as client:
        client.post(
            server.update_url,
            content=f"DROP ALL ; INSERT DATA {{ GRAPH <{G2}> {{ <{EX}far> <{EX}p> 'away'@en }} }}",
            headers={"Content-Type": "application/sparql-update"},
        ).raise_for_status()
    store = store_factory(allowed_urls=(server.url + "/",))
    found = store.select(
        f"SELECT ?o WHERE {{ SERVICE <{server.query_url}> {{ GRAPH ?g {{ ?s ?p ?o }} }} }}",
        timeout=20,
    )
    assert [row["o"].value for row in found] == ["away"]  # type: ignore[attr-defined]
    store.update(f"LOAD <{server.url}/store?graph={G2}> INTO GRAPH <{G1}>")
    assert [(info.iri, info.triples) for info in store.graphs()] == [(G1, 1)]
