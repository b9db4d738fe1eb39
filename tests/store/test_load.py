"""Batches: parse, describe with PROV-O, validate against the store, write all or nothing;
and seeding an empty store exactly once. Run on every backend."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from pyoxigraph import NamedNode, Quad, RdfFormat, parse

from inclusion_kg.graph.bootstrap import ONTOLOGY_GRAPH, ensure_seeded
from inclusion_kg.graph.errors import Conflict, InputError, ValidationFailed
from inclusion_kg.graph.load import Document, load_batch, load_documents
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


# ---------------------------------------------------------------------------------------
# Loads of many graphs and several documents (issue 3: loading at scale)
# ---------------------------------------------------------------------------------------


def many_graphs(count: int, *, unlabelled: int | None = None) -> bytes:
    """N-Quads: one NGO per graph ``graph/many-{i}``; the NGO of graph ``unlabelled`` has
    no label (a Violation: every actor needs an English label)."""
    lines = []
    for i in range(count):
        actor, graph = f"<{BASE}id/actor/ngo-{i}>", f"<{BASE}graph/many-{i}>"
        lines.append(f"{actor} <{RDF_TYPE}> <{IKG}NGO> {graph} .")
        if i != unlabelled:
            lines.append(f'{actor} <{RDFS_LABEL}> "NGO {i}"@en {graph} .')
    return ("\n".join(lines) + "\n").encode()


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def test_many_named_graphs_load_each_described(any_store: Store) -> None:
    data = many_graphs(120)
    result = load_batch(any_store, data, "application/n-quads", agent=AGENT)
    names = tuple(sorted(f"{BASE}graph/many-{i}" for i in range(120)))
    assert result.graphs == names
    assert result.report is not None
    assert result.report.results == ()
    # 2 data triples + 7 description triples per graph
    assert result.quads == 120 * 9
    assert len(any_store) == 120 * 9
    info = {i.iri: i for i in any_store.graphs()}
    assert set(info) == set(names)
    for graph in info.values():
        assert (graph.triples, graph.extra["void:triples"]) == (9, "9")
        assert graph.attributed_to == AGENT


def test_a_violation_in_the_last_graph_writes_nothing(any_store: Store) -> None:
    data = many_graphs(120, unlabelled=119)
    with pytest.raises(ValidationFailed, match="ngo-119") as caught:
        load_batch(any_store, data, "application/n-quads", label="many.nq")
    assert caught.value.report is not None
    assert [str(v.focus_node) for v in caught.value.report.violations] == [
        f"{BASE}id/actor/ngo-119"
    ]
    assert str(caught.value).startswith("many.nq breaks the shapes (1 violation)")
    assert len(any_store) == 0


def test_several_documents_are_validated_together_then_written_at_once(
    any_store: Store,
) -> None:
    good = Document(ACTOR, "text/turtle", "good.ttl")
    unlabelled = f"<{BASE}id/actor/mute> <{RDF_TYPE}> <{IKG}NGO> .".encode()
    bad = Document(unlabelled, "application/n-triples", "bad.nt")
    with pytest.raises(ValidationFailed, match=r"^bad\.nt breaks the shapes"):
        load_documents(any_store, [good, bad], validate=True)
    assert len(any_store) == 0  # good.ttl was not written either
    other = Document(ACTOR.replace(b"test-ngo", b"other-ngo"), "text/turtle", "other.ttl")
    first, second = load_documents(any_store, [good, other], validate=False)
    assert first.graphs != second.graphs
    assert (first.quads, second.quads) == (10, 10)
    assert len(any_store) == 20


def test_two_documents_cannot_fill_one_graph_unless_combined(any_store: Store) -> None:
    one = Document(ACTOR, "text/turtle", "one.ttl")
    two = Document(f'<{BASE}id/z> <{BASE}p> "z" .'.encode(), "application/n-triples", "two.nt")
    with pytest.raises(InputError, match="one batch"):
        load_documents(any_store, [one, two], graph=BATCH, validate=False)
    (result,) = load_documents(any_store, [one, two], graph=BATCH, combine=True, validate=False)
    assert result.graphs == (BATCH,)
    assert graph_size(any_store, BATCH) == result.quads == 3 + 1 + 7
    trig = f"<{BASE}graph/a> {{ <{BASE}id/x> <{BASE}p> 1 }}".encode()
    with pytest.raises(InputError, match="both put data into graph"):
        load_documents(
            any_store,
            [
                Document(trig, "application/trig", "a.trig"),
                Document(trig, "application/trig", "b.trig"),
            ],
            validate=False,
        )


def test_context_from_the_store_counts_for_class_checks(any_store: Store) -> None:
    place = f"""
    @prefix ikg: <{IKG}> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    <{BASE}id/city/testville> a ikg:City ; rdfs:label "Testville"@en ;
        ikg:country <{BASE}id/country/xx> .
    <{BASE}id/country/xx> a ikg:Country ; rdfs:label "Xland"@en ;
        <http://www.w3.org/2004/02/skos/core#notation> "XX" .
    <{BASE}id/actor/elsewhere> a ikg:NGO ; rdfs:label "Elsewhere"@en .
    """.encode()
    load_batch(any_store, place, "text/turtle", graph=BASE + "graph/places", validate=False)
    based = ACTOR.replace(b"city/palermo", b"city/testville")
    result = load_batch(any_store, based, "text/turtle", graph=BATCH, agent=AGENT)
    assert result.report is not None
    assert result.report.conforms
    wrong = ACTOR.replace(b"test-ngo", b"wrong-ngo").replace(b"city/palermo", b"actor/elsewhere")
    with pytest.raises(ValidationFailed) as caught:  # an actor is not a place
        load_batch(any_store, wrong, "text/turtle", graph=BASE + "graph/wrong", agent=AGENT)
    assert caught.value.report is not None
    shapes = {str(r.shape).rsplit("#", 1)[1] for r in caught.value.report.violations}
    assert shapes == {"Actor_Shape-basedIn"}


def test_progress_counts_every_byte_and_stages_come_in_order(any_store: Store) -> None:
    data = many_graphs(30)
    parsed: list[int] = []
    stages: list[str] = []
    load_batch(
        any_store,
        data,
        "application/n-quads",
        progress=parsed.append,
        stage=stages.append,
    )
    assert sum(parsed) == len(data)
    assert stages == ["validating", "writing"]
    stages.clear()
    load_batch(any_store, ACTOR, "text/turtle", validate=False, stage=stages.append)
    assert stages == ["writing"]
