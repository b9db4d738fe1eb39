"""shapes/provenance.ttl: every named graph of data describes itself, inside itself.

The batch description follows the data contract (docs/HELPERS-CONTRACT.md, "Batch
provenance"); the tests build small datasets whose graph holds one actor plus the
description, and break the description one property at a time.
"""

from __future__ import annotations

import pytest
from rdflib.namespace import DCTERMS, PROV, RDF

from inclusion_kg.graph.namespaces import IKG
from inclusion_kg.graph.validate import Severity, validate_graph

VOID_TRIPLES = "http://rdfs.org/ns/void#triples"

ACTOR = 'actor:iom a ikg:InternationalOrganisation ; rdfs:label "IOM"@en .\n'
DESCRIPTION = """{graph} a prov:Entity , dcat:Dataset ;
    dcterms:title "Test batch"@en ;
    prov:generatedAtTime "2026-11-22T10:00:00Z"^^xsd:dateTime ;
    prov:wasAttributedTo agent:tester ;
    prov:hadPrimarySource document:mpi-press-release-2020-05-28 ;
    void:triples 9 .
"""
BATCH = "graph:study-test"


def batch(graph: str = BATCH, *, drop: str = "", extra: str = "") -> str:
    """The Turtle of a batch graph: one actor and its self-description, edited."""
    lines = [
        line
        for line in DESCRIPTION.format(graph=graph).splitlines()
        if not drop or drop not in line
    ]
    text = "\n".join(lines).rstrip(" ;.\n") + " .\n"
    return ACTOR + text + extra


def test_a_described_batch_conforms(kit) -> None:
    report = validate_graph(kit.dataset({BATCH: batch()}))
    assert report.results == (), report.text()


def test_a_batch_must_describe_itself(kit) -> None:
    report = validate_graph(kit.dataset({BATCH: ACTOR}))
    result = kit.only(report, "NamedGraph_Shape-type")
    assert result.focus_node == kit.iri(BATCH)
    assert result.result_path == RDF.type
    assert result.severity is Severity.VIOLATION
    assert "does not describe itself inside itself" in result.message


def test_a_description_in_the_default_graph_does_not_count(kit) -> None:
    report = validate_graph(kit.dataset({BATCH: ACTOR}, default=DESCRIPTION.format(graph=BATCH)))
    assert kit.only(report, "NamedGraph_Shape-type").focus_node == kit.iri(BATCH)


def test_a_description_in_another_batch_does_not_count(kit) -> None:
    other = "graph:study-other"
    dataset = kit.dataset({BATCH: ACTOR, other: batch(other) + DESCRIPTION.format(graph=BATCH)})
    assert kit.only(validate_graph(dataset), "NamedGraph_Shape-type").focus_node == kit.iri(BATCH)


@pytest.mark.parametrize("name", ["graph:inferred", "graph:analytics"])
def test_generated_graphs_need_no_description(kit, name: str) -> None:
    dataset = kit.dataset({BATCH: batch(), name: 'actor:iom skos:altLabel "IOM"@en .'})
    assert validate_graph(dataset).results == ()


def test_the_ontology_graph_is_not_data(kit) -> None:
    # whatever sits in the ontology graph is not validated as data
    dataset = kit.dataset(
        {BATCH: batch(), "graph:ontology": 'actor:nobody a ikg:Actor ; rdfs:label "x" .'}
    )
    assert validate_graph(dataset).results == ()


def test_data_in_named_graphs_is_validated_as_one_union(kit) -> None:
    # the actor is typed in one batch and wrongly labelled in another
    other = "graph:study-other"
    dataset = kit.dataset(
        {BATCH: batch(), other: batch(other).replace(ACTOR, 'actor:iom rdfs:label "OIM" .\n')}
    )
    result = kit.only(validate_graph(dataset), "Label_Shape-label-tagged")
    assert result.focus_node == kit.iri("actor:iom")


def test_an_empty_named_graph_is_ignored(kit) -> None:
    dataset = kit.dataset({BATCH: batch()})
    dataset.graph(kit.iri("graph:study-empty"))
    assert validate_graph(dataset).results == ()


@pytest.mark.parametrize(
    ("drop", "shape", "path", "words"),
    [
        ("dcterms:title", "Dataset_Shape-title-en", DCTERMS.title, "English dcterms:title"),
        (
            "prov:generatedAtTime",
            "Dataset_Shape-generatedAtTime-count",
            PROV.generatedAtTime,
            "prov:generatedAtTime",
        ),
        (
            "prov:wasAttributedTo",
            "Dataset_Shape-wasAttributedTo-count",
            PROV.wasAttributedTo,
            "prov:wasAttributedTo",
        ),
        (
            "prov:hadPrimarySource",
            "Dataset_Shape-hadPrimarySource-count",
            PROV.hadPrimarySource,
            "prov:hadPrimarySource",
        ),
        ("void:triples", "Dataset_Shape-triples-count", VOID_TRIPLES, "void:triples"),
    ],
)
def test_the_description_has_every_field(kit, drop: str, shape: str, path: str, words: str) -> None:
    report = validate_graph(kit.dataset({BATCH: batch(drop=drop)}))
    result = kit.only(report, shape)
    assert result.focus_node == kit.iri(BATCH)
    assert str(result.result_path) == str(path)
    assert result.severity is Severity.VIOLATION
    assert words in result.message


def test_a_batch_is_a_prov_entity(kit) -> None:
    turtle = batch().replace("a prov:Entity , dcat:Dataset", "a dcat:Dataset")
    result = kit.only(validate_graph(kit.dataset({BATCH: turtle})), "Dataset_Shape-type-entity")
    assert result.result_path == RDF.type
    assert "prov:Entity" in result.message


@pytest.mark.parametrize(
    ("old", "new", "shapes"),
    [
        ('"Test batch"@en', '"Lotto di prova"@it', {"Dataset_Shape-title-en"}),
        (
            '"Test batch"@en',
            '"Test batch"',
            {"Dataset_Shape-title-en", "Dataset_Shape-title-datatype"},
        ),
        (
            '"2026-11-22T10:00:00Z"^^xsd:dateTime',
            '"2026-11-22"^^xsd:date',
            {"Dataset_Shape-generatedAtTime-datatype"},
        ),
        ("agent:tester", '"the tester"', {"Dataset_Shape-wasAttributedTo-kind"}),
        (
            "document:mpi-press-release-2020-05-28",
            '"the release"',
            {"Dataset_Shape-hadPrimarySource-kind"},
        ),
        (
            "void:triples 9",
            'void:triples "9"',
            {"Dataset_Shape-triples-datatype", "Dataset_Shape-triples-range"},
        ),
        ("void:triples 9", "void:triples 9.0", {"Dataset_Shape-triples-datatype"}),
        ("void:triples 9", "void:triples -9", {"Dataset_Shape-triples-range"}),
        ("void:triples 9", "void:triples 9 , 10", {"Dataset_Shape-triples-count"}),
    ],
)
def test_the_description_fields_have_the_right_form(
    kit, old: str, new: str, shapes: set[str]
) -> None:
    turtle = batch()
    assert old in turtle
    report = validate_graph(kit.dataset({BATCH: turtle.replace(old, new)}))
    assert kit.shapes_of(report) == shapes, report.text()
    assert {r.focus_node for r in report} == {kit.iri(BATCH)}


def test_an_enrichment_graph_states_its_confidence(kit) -> None:
    name = "graph:enrichment-test"
    result = kit.only(
        validate_graph(kit.dataset({name: batch(name)})), "NamedGraph_Shape-confidence"
    )
    assert result.focus_node == kit.iri(name)
    assert result.result_path == IKG.confidence
    assert result.severity is Severity.VIOLATION
    assert "ikg:confidence" in result.message
    assert "graph:enrichment-test" in result.message  # {$this}, with a prefix


def test_an_enrichment_graph_with_confidence_conforms(kit) -> None:
    name = "graph:enrichment-test"
    dataset = kit.dataset({name: batch(name, extra=f'{name} ikg:confidence "M" .')})
    assert validate_graph(dataset).results == ()


@pytest.mark.parametrize(
    ("value", "shape"), [('"X"', "in"), ('"h"', "in"), ('"H"@en', "in"), ('"H" , "M"', "count")]
)
def test_confidence_is_one_of_h_m_l(kit, value: str, shape: str) -> None:
    name = "graph:enrichment-test"
    dataset = kit.dataset({name: batch(name, extra=f"{name} ikg:confidence {value} .")})
    result = kit.only(validate_graph(dataset), f"Confidence_Shape-confidence-{shape}")
    assert result.focus_node == kit.iri(name)
    assert result.result_path == IKG.confidence


def test_a_study_graph_needs_no_confidence(kit) -> None:
    assert (
        validate_graph(kit.dataset({"graph:study-2020-x": batch("graph:study-2020-x")})).results
        == ()
    )
