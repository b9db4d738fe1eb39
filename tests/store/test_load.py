"""Batches: parse, describe with PROV-O, validate against the store, write all or nothing;
and seeding an empty store exactly once. Run on every backend."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from pyoxigraph import NamedNode, Quad, RdfFormat, parse

from inclusion_kg.graph.bootstrap import ONTOLOGY_GRAPH, ensure_seeded
from inclusion_kg.graph.errors import Conflict, InputError, ValidationFailed
from inclusion_kg.graph.load import load_batch
from inclusion_kg.graph.provenance import describes_itself, source_iri, with_description
from inclusion_kg.graph.resources import seed_files
from inclusion_kg.graph.store import Store

BASE = "https://w3id.org/inclusion-kg/"
BATCH = BASE + "graph/test-batch"
AGENT = BASE + "id/agent/tester"
SOURCE = BASE + "id/document/test-source"
IKG = "https://w3id.org/inclusion-kg/ontology#"
StoreFactory = Callable[..., Store]

ACTOR = f"""
@prefix ikg: <{IKG}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<{BASE}id/actor/test-ngo> a ikg:NGO ;
    rdfs:label "Test NGO"@en ;
    ikg:basedIn <{BASE}id/city/palermo> .
""".encode()
"""Three triples about an NGO based in Palermo, a city the seed graphs describe."""


def graph_size(store: Store, graph: str) -> int:
    rows = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(rows[0]["n"].value)  # type: ignore[attr-defined]


def test_a_batch_describes_itself(any_store: Store) -> None:
    result = load_batch(
        any_store,
        ACTOR,
        "text/turtle",
        graph=BATCH,
        source=SOURCE,
        agent=AGENT,
        title="Test batch",
        validate=False,
    )
    # 3 data triples + 7 description triples (2 types, title, time, agent, source, count)
    assert result.graphs == (BATCH,)
    assert result.quads == 10
    assert graph_size(any_store, BATCH) == 10
    (info,) = any_store.graphs()
    assert (info.iri, info.triples, info.title) == (BATCH, 10, "Test batch")
    assert (info.attributed_to, info.source) == (AGENT, SOURCE)
    assert info.extra["void:triples"] == "10"
    assert info.extra["rdf:type"] == "dcat:Dataset, prov:Entity"
    assert info.generated_at is not None
    assert datetime.fromisoformat(info.generated_at).tzinfo is not None


def test_without_a_graph_a_new_batch_graph_is_minted(any_store: Store) -> None:
    first = load_batch(any_store, ACTOR, "text/turtle", validate=False)
    second = load_batch(any_store, ACTOR, "text/turtle", validate=False)
    assert first.graphs != second.graphs
    for graph in (*first.graphs, *second.graphs):
        assert graph.startswith(BASE + "graph/batch-")
    info = {i.iri: i for i in any_store.graphs()}
    assert info[first.graphs[0]].source == source_iri(ACTOR)


def test_trig_keeps_its_graphs_and_a_mismatch_is_refused(any_store: Store) -> None:
    trig = (
        f"<{BASE}graph/a> {{ <{BASE}id/x> <{BASE}p> 1 }} "
        f"<{BASE}graph/b> {{ <{BASE}id/y> <{BASE}p> 2 }}"
    )
    result = load_batch(any_store, trig.encode(), "application/trig", validate=False)
    assert result.graphs == (BASE + "graph/a", BASE + "graph/b")
    with pytest.raises(InputError, match="targets"):
        load_batch(any_store, trig.encode(), "application/trig", graph=BATCH, validate=False)


def test_an_existing_graph_is_a_conflict_unless_replaced(any_store: Store) -> None:
    load_batch(any_store, ACTOR, "text/turtle", graph=BATCH, validate=False)
    with pytest.raises(Conflict):
        load_batch(any_store, ACTOR, "text/turtle", graph=BATCH, validate=False)
    other = f'<{BASE}id/z> <{BASE}p> "z" .'.encode()
    result = load_batch(
        any_store, other, "application/n-triples", graph=BATCH, replace=True, validate=False
    )
    assert graph_size(any_store, BATCH) == result.quads == 1 + 7
    assert not any_store.ask(f"ASK {{ <{BASE}id/actor/test-ngo> ?p ?o }}")


def test_a_syntax_error_writes_nothing(any_store: Store) -> None:
    broken = ACTOR + b'<http://e/a> <http://e/b> "never closed .\n'
    with pytest.raises(InputError, match="line"):
        load_batch(any_store, broken, "text/turtle", graph=BATCH, label="broken.ttl")
    assert len(any_store) == 0


def test_validation_uses_the_store_as_context_and_refuses_violations(any_store: Store) -> None:
    ensure_seeded(any_store)
    before = len(any_store)
    result = load_batch(any_store, ACTOR, "text/turtle", graph=BATCH, agent=AGENT)
    assert result.report is not None
    assert result.report.conforms
    assert graph_size(any_store, BATCH) == 10
    nowhere = ACTOR.replace(b"test-ngo", b"other-ngo").replace(b"city/palermo", b"city/atlantis")
    with pytest.raises(ValidationFailed) as caught:
        load_batch(any_store, nowhere, "text/turtle", graph=BASE + "graph/other", agent=AGENT)
    assert caught.value.report is not None
    assert not caught.value.report.conforms
    assert len(any_store) == before + 10


def test_seeding_happens_once(any_store: Store) -> None:
    loaded = ensure_seeded(any_store)
    assert loaded[0] == ONTOLOGY_GRAPH
    seed_graphs = set()
    for resource in seed_files():
        quads = parse(resource.read_bytes(), RdfFormat.TRIG)
        seed_graphs |= {q.graph_name.value for q in quads if isinstance(q.graph_name, NamedNode)}
    assert set(loaded[1:]) == seed_graphs
    size = len(any_store)
    assert ensure_seeded(any_store) == []
    assert len(any_store) == size
    info = {i.iri: i for i in any_store.graphs()}
    assert set(info) == {ONTOLOGY_GRAPH, *seed_graphs}
    for graph in info.values():  # every graph describes itself, and its count is right
        assert graph.extra["void:triples"] == str(graph.triples), graph.iri


def test_with_description_counts_every_triple_once() -> None:
    g = NamedNode(BATCH)
    data = [
        Quad(NamedNode(BASE + "id/a"), NamedNode(BASE + "p"), NamedNode(BASE + "id/b"), g),
        Quad(NamedNode(BASE + "id/a"), NamedNode(BASE + "p"), NamedNode(BASE + "id/b"), g),
    ]
    when = datetime(2020, 5, 28, 12, 0, tzinfo=UTC)
    described = with_description(
        data, BATCH, title="t", source=SOURCE, agent=AGENT, generated_at=when
    )
    assert describes_itself(described, BATCH)
    # one distinct data triple + 7 description triples
    assert len(set(described)) == 8
    counts = [q.object.value for q in described if q.predicate.value.endswith("void#triples")]
    assert counts == ["8"]
    stamps = [q.object.value for q in described if q.predicate.value.endswith("generatedAtTime")]
    assert stamps == ["2020-05-28T12:00:00Z"]
    assert with_description(described, BATCH, title="x", source=SOURCE, agent=AGENT) == described
