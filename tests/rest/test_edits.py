"""Writes to entities (graph/edits.py): minimal changes, provenance, refusals.

Expected values are read off the seeds (seeds/study-2020-*.trig) by hand.
"""

from __future__ import annotations

import pytest
from pyoxigraph import NamedNode

from inclusion_kg.graph.edits import (
    StillReferenced,
    create_entity,
    current_record,
    delete_entity,
    merge_patch,
    patch_entity,
    replace_entity,
)
from inclusion_kg.graph.errors import Conflict, InputError, NotFound, ValidationFailed
from inclusion_kg.graph.records import kind_spec
from inclusion_kg.graph.store.oxigraph import OxigraphStore

BASE = "https://w3id.org/inclusion-kg/"
ID = BASE + "id/"
MPI = BASE + "graph/study-2020-mpi-press-release"
IOM_GRAPH = BASE + "graph/study-2020-iom-press-release"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
PREFIX = """PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> PREFIX void: <http://rdfs.org/ns/void#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def graphs_of(store: OxigraphStore, s: str, p: str, o: str) -> set[str]:
    rows = store.select(f"SELECT ?g WHERE {{ GRAPH ?g {{ {s} {p} {o} }} }}")
    return {row["g"].value for row in rows if isinstance(row["g"], NamedNode)}


def void_count(store: OxigraphStore, graph: str) -> int:
    rows = store.select(
        PREFIX + f"SELECT ?n WHERE {{ GRAPH <{graph}> {{ <{graph}> void:triples ?n }} }}"
    )
    return int(rows[0]["n"].value)


def size(store: OxigraphStore, graph: str) -> int:
    rows = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(rows[0]["n"].value)


def test_create_records_provenance(seeded_store: OxigraphStore) -> None:
    record = {
        "kind": "ngo",
        "labels": {"en": "Refugee Welcome Palermo"},
        "based_in": ["palermo"],
    }
    result = create_entity(seeded_store, kind_spec("actor"), record, agent="api")
    assert result.iri == ID + "actor/refugee-welcome-palermo"
    assert result.action == "created"
    assert result.added == 3  # type, label, basedIn
    graph = result.graph
    assert graph is not None
    assert graph.startswith(BASE + "graph/api-")
    rows = seeded_store.select(
        PREFIX
        + f"""SELECT ?agent ?time ?subject ?n ?title WHERE {{ GRAPH <{graph}> {{
            <{graph}> a prov:Entity ; prov:wasAttributedTo ?agent ; prov:generatedAtTime ?time ;
                dcterms:subject ?subject ; void:triples ?n ; dcterms:title ?title }} }}"""
    )
    assert len(rows) == 1
    row = rows[0]
    assert row["agent"].value == ID + "agent/api"
    assert row["subject"].value == result.iri
    assert int(row["n"].value) == size(seeded_store, graph)
    assert "created actor id:actor/refugee-welcome-palermo" in row["title"].value
    assert current_record(seeded_store, kind_spec("actor"), result.iri) == {
        "kind": "NGO",
        "labels": {"en": "Refugee Welcome Palermo"},
        "based_in": [ID + "city/palermo"],
    }
    with pytest.raises(Conflict, match="already exists"):
        create_entity(seeded_store, kind_spec("actor"), record)


def test_create_needs_a_slug_or_latin_name(seeded_store: OxigraphStore) -> None:
    with pytest.raises(InputError, match=r"give labels\.en"):
        create_entity(seeded_store, kind_spec("actor"), {"kind": "NGO", "labels": {"el": "Δήμος"}})


def test_replace_keeps_unchanged_statements_where_they_were(seeded_store: OxigraphStore) -> None:
    iom = ID + "actor/iom"
    record = current_record(seeded_store, kind_spec("actor"), iom)
    record["alt_labels"] = {"en": ["UN Migration"]}
    before_mpi = void_count(seeded_store, MPI)
    result = replace_entity(seeded_store, kind_spec("actor"), iom, record)
    assert result.action == "replaced"
    # the label stays in both seed graphs; "IOM" leaves both; "UN Migration" is new
    assert graphs_of(
        seeded_store, f"<{iom}>", LABEL, '"International Organization for Migration"@en'
    ) == {MPI, IOM_GRAPH}
    assert result.removed == 2
    assert result.added == 1
    assert (
        graphs_of(
            seeded_store, f"<{iom}>", "<http://www.w3.org/2004/02/skos/core#altLabel>", '"IOM"@en'
        )
        == set()
    )
    assert void_count(seeded_store, MPI) == before_mpi - 1 == size(seeded_store, MPI)
    # the removed statements are described (reified) in the write's batch, not asserted
    rows = seeded_store.select(
        PREFIX
        + f"""SELECT ?from WHERE {{ GRAPH <{result.graph}> {{ ?r a rdf:Statement ;
            rdf:subject <{iom}> ; rdf:predicate skos:altLabel ; rdf:object "IOM"@en ;
            dcterms:isPartOf ?from }} }}"""
    )
    assert {row["from"].value for row in rows} == {MPI, IOM_GRAPH}
    again = replace_entity(seeded_store, kind_spec("actor"), iom, record)
    assert again.action == "unchanged"
    assert again.graph is None


def test_patch_merges_and_null_removes(seeded_store: OxigraphStore) -> None:
    council = ID + "actor/gdansk-migrant-council"
    spec = kind_spec("council")
    patch_entity(
        seeded_store, spec, council, {"labels": {"pl": "Rada Imigrantów"}, "start_date": None}
    )
    record = current_record(seeded_store, spec, council)
    assert record["labels"] == {"en": "Migrant council of Gdansk", "pl": "Rada Imigrantów"}
    assert "start_date" not in record
    assert merge_patch({"a": {"x": 1}, "b": 2}, {"a": {"y": 2}, "b": None}) == {
        "a": {"x": 1, "y": 2}
    }


def test_invalid_write_leaves_the_store_alone(seeded_store: OxigraphStore) -> None:
    before = sorted(b"".join(seeded_store.dump()).splitlines())
    spec = kind_spec("partnership")
    iri = ID + "partnership/admin4all-funding"
    with pytest.raises(ValidationFailed) as caught:
        patch_entity(seeded_store, spec, iri, {"formality": None})
    assert caught.value.report is not None
    assert [r.message for r in caught.value.report.violations] == [
        "A partnership has exactly one ikg:formality (informal, network, contract, grant or "
        "formal agreement)."
    ]
    assert sorted(b"".join(seeded_store.dump()).splitlines()) == before


def test_delete_refused_while_referenced_then_cascade(seeded_store: OxigraphStore) -> None:
    spec = kind_spec("actor")
    council = ID + "actor/palermo-migrant-council"
    with pytest.raises(StillReferenced) as caught:
        delete_entity(seeded_store, spec, council)
    assert {(r.subject, r.partnership) for r in caught.value.references} == {
        (
            ID + "participation/palermo-migrant-council-consultation--palermo-migrant-council",
            ID + "partnership/palermo-migrant-council-consultation",
        )
    }
    assert "?cascade=true" in str(caught.value)
    result = delete_entity(seeded_store, spec, council, cascade=True)
    assert result.deleted == (ID + "partnership/palermo-migrant-council-consultation",)
    assert not seeded_store.ask(f"ASK {{ <{council}> ?p ?o }}")
    assert not seeded_store.ask(
        f"ASK {{ <{ID}partnership/palermo-migrant-council-consultation> ?p ?o }}"
    )
    assert not seeded_store.ask(
        f"ASK {{ <{ID}participation/palermo-migrant-council-consultation"
        "--municipality-of-palermo> ?p ?o }"
    )
    with pytest.raises(NotFound):
        delete_entity(seeded_store, spec, council)


def test_violations_already_there_do_not_block_a_write(seeded_store: OxigraphStore) -> None:
    # a batch loaded without the gate: a partnership with two formalities
    seeded_store.update(
        f"""INSERT DATA {{ GRAPH <{BASE}graph/unchecked> {{
        <{ID}partnership/admin4all-funding> <https://w3id.org/inclusion-kg/ontology#formality>
            <https://w3id.org/inclusion-kg/vocab/formality/contract> }} }}"""
    )
    spec = kind_spec("partnership")
    iri = ID + "partnership/admin4all-funding"
    result = patch_entity(seeded_store, spec, iri, {"labels": {"it": "Finanziamento ADMin4ALL"}})
    assert result.action == "updated"
    assert result.report.conforms
    assert [r.message for r in result.preexisting] == [
        "A partnership has exactly one ikg:formality (informal, network, contract, grant or "
        "formal agreement)."
    ]
    with pytest.raises(ValidationFailed) as caught:
        patch_entity(seeded_store, spec, iri, {"role_equality": "sideways"})
    assert caught.value.report is not None
    assert [str(r.value) for r in caught.value.report.violations] == [
        "https://w3id.org/inclusion-kg/vocab/role-equality/sideways"
    ]
