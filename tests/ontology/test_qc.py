"""The ontology's quality-control queries (ontology/qc/*-violation.rq), COB style.

Every query must return no row over the shipped ontology with the SHACL shapes added
(so the shapes are checked to use declared ikg: terms only); and each query must catch
the defect it is written for, shown on a deliberately broken copy of the ontology.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from inclusion_kg.graph.namespaces import IKG, VOCAB
from inclusion_kg.graph.ontology import ontology_graph, qc_queries, qc_violations
from inclusion_kg.graph.resources import qc_query_files, shape_files

QUERIES = sorted(qc_queries())


@pytest.fixture(scope="module")
def with_shapes() -> Graph:
    graph = ontology_graph()
    for source in shape_files():
        graph.parse(data=source.read_bytes(), format="turtle")
    return graph


def test_every_qc_file_is_a_violation_query() -> None:
    names = [source.name for source in qc_query_files()]
    assert names
    assert all(name.endswith("-violation.rq") for name in names)
    assert len(QUERIES) == len(names)


@pytest.mark.parametrize("name", QUERIES)
def test_shipped_ontology_passes(name: str, with_shapes: Graph) -> None:
    rows = list(with_shapes.query(qc_queries()[name]))
    assert rows == [], "\n".join(f"{row[0]}: {row[1]}" for row in rows)


def test_qc_violations_is_empty_for_the_shipped_ontology() -> None:
    assert qc_violations() == {}


# Each breakage adds or removes a few triples; the named query must then return the term.
ORPHAN = IKG._NS["Orphan"]
SCHEME_CONCEPT = URIRef(f"{VOCAB}policy-area/housing")


def _drop_labels(graph: Graph) -> URIRef:
    graph.remove((IKG.Actor, RDFS.label, None))
    return IKG.Actor


def _drop_definition(graph: Graph) -> URIRef:
    graph.remove((IKG.hasPartner, SKOS.definition, None))
    return IKG.hasPartner


def _second_english_label(graph: Graph) -> URIRef:
    graph.add((IKG.City, RDFS.label, Literal("town", lang="en")))
    return IKG.City


def _unaligned_class(graph: Graph) -> URIRef:
    graph.add((ORPHAN, RDF.type, OWL.Class))
    graph.add((ORPHAN, RDFS.label, Literal("orphan", lang="en")))
    graph.add((ORPHAN, SKOS.definition, Literal("A class aligned to nothing.", lang="en")))
    return ORPHAN


def _concept_without_scheme(graph: Graph) -> URIRef:
    graph.remove((SCHEME_CONCEPT, SKOS.inScheme, None))
    return SCHEME_CONCEPT


def _concept_without_label(graph: Graph) -> URIRef:
    graph.remove((SCHEME_CONCEPT, SKOS.prefLabel, None))
    return SCHEME_CONCEPT


def _property_without_domain(graph: Graph) -> URIRef:
    graph.remove((IKG.basedIn, RDFS.domain, None))
    return IKG.basedIn


def _undeclared_term(graph: Graph) -> URIRef:
    typo = IKG._NS["Partnersip"]
    graph.add((IKG.hasPartner, RDFS.range, typo))
    return typo


def _punned_term(graph: Graph) -> URIRef:
    graph.add((IKG.basedIn, RDF.type, OWL.DatatypeProperty))
    return IKG.basedIn


def _date_range(graph: Graph) -> URIRef:
    graph.add((IKG.startDate, RDFS.range, XSD.date))
    return IKG.startDate


def _anonymous_domain_only(graph: Graph) -> URIRef:
    """A union domain still counts as a domain: breaking the range is what is caught."""
    graph.remove((IKG.budget, RDFS.range, None))
    graph.add((IKG.budget, RDFS.domain, BNode()))
    return IKG.budget


BREAKAGES: list[tuple[str, Callable[[Graph], URIRef]]] = [
    ("label-violation", _drop_labels),
    ("definition-violation", _drop_definition),
    ("label-language-violation", _second_english_label),
    ("alignment-violation", _unaligned_class),
    ("concept-violation", _concept_without_scheme),
    ("concept-violation", _concept_without_label),
    ("domain-range-violation", _property_without_domain),
    ("domain-range-violation", _anonymous_domain_only),
    ("undeclared-term-violation", _undeclared_term),
    ("undeclared-term-violation", _punned_term),
    ("datatype-violation", _date_range),
]


def test_every_query_has_a_breakage() -> None:
    assert {name for name, _ in BREAKAGES} == set(QUERIES)


@pytest.mark.parametrize(("name", "breakage"), BREAKAGES, ids=[b.__name__ for _, b in BREAKAGES])
def test_a_broken_ontology_makes_the_query_return_rows(
    name: str, breakage: Callable[[Graph], URIRef]
) -> None:
    graph = ontology_graph()
    term = breakage(graph)
    rows = list(graph.query(qc_queries()[name]))
    assert term in {row[0] for row in rows}, f"{name} missed the breakage of {term}"
