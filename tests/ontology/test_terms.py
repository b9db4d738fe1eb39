"""The ontology's terms and its OWL 2 DL structure, checked without a reasoner.

- ``IKG`` in graph/namespaces.py lists exactly the terms ikg.ttl declares;
- :func:`ontology_graph` gives a fresh, prefixed graph each time, and nothing is imported;
- the global restrictions of OWL 2 DL that are easy to break by hand hold: no punning
  among our terms, no reserved vocabulary redeclared, only simple properties in
  functional, inverse-functional, irreflexive and asymmetric axioms, every datatype of
  the OWL 2 datatype map;
- the shipped seeds use only declared classes and properties (so ontology + data stay in
  OWL 2 DL, with nothing left to a parser's guess).
"""

from __future__ import annotations

from collections import defaultdict

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, XSD

from inclusion_kg.graph.namespaces import IKG
from inclusion_kg.graph.ontology import (
    ONTOLOGY_GRAPH,
    ONTOLOGY_IRI,
    ontology_graph,
    ontology_terms,
    ontology_version_iri,
)
from inclusion_kg.graph.resources import seed_files

DECLARATIONS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
RESERVED = (str(RDF), str(RDFS), str(OWL), str(XSD))
BUILT_IN = {RDF.type, RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy, OWL.sameAs}


def test_ikg_namespace_equals_the_ontology_terms() -> None:
    declared = {str(term).split("#", 1)[1] for term in ontology_terms()}
    in_code = set(IKG.__annotations__)
    assert in_code - declared == set(), "in graph/namespaces.py but not in ikg.ttl"
    assert declared - in_code == set(), "in ikg.ttl but not in graph/namespaces.py"


def test_ikg_namespace_is_closed() -> None:
    assert IKG.Partnership == URIRef("https://w3id.org/inclusion-kg/ontology#Partnership")
    with pytest.raises(AttributeError):
        _ = IKG.Partnersip


@pytest.mark.parametrize(
    ("kind", "example"),
    [
        ("class", IKG.Municipality),
        ("object_property", IKG.hasPartner),
        ("datatype_property", IKG.hasBudget),
        ("annotation_property", IKG.rank),
    ],
)
def test_terms_by_kind(kind: str, example: URIRef) -> None:
    terms = ontology_terms(kind)
    assert example in terms
    assert terms == sorted(terms)


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown term kind"):
        ontology_terms("individual")


def test_version_iri_stays_0_1_0() -> None:
    assert ontology_version_iri() == URIRef("https://w3id.org/inclusion-kg/ontology/0.1.0")


def test_ontology_graph_is_fresh_named_and_prefixed() -> None:
    first = ontology_graph()
    first.add((IKG.Actor, RDFS.comment, URIRef("urn:x-test:changed")))
    second = ontology_graph()
    assert (IKG.Actor, RDFS.comment, URIRef("urn:x-test:changed")) not in second
    assert second.identifier == ONTOLOGY_GRAPH
    assert dict(second.namespaces())["ikg"] == URIRef(str(IKG._NS))
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in second
    core = ontology_graph(schemes=False)
    assert len(core) < len(second)
    assert (URIRef("http://www.w3.org/ns/org#Organization"), RDF.type, OWL.Class) not in core


def test_nothing_is_imported() -> None:
    assert list(ontology_graph().triples((None, OWL.imports, None))) == []


# ---------------------------------------------------------------------------------------
# OWL 2 DL global restrictions
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def graph() -> Graph:
    return ontology_graph()


def test_no_term_is_declared_as_two_kinds(graph: Graph) -> None:
    kinds: dict[URIRef, set[URIRef]] = defaultdict(set)
    for kind in DECLARATIONS:
        for subject in graph.subjects(RDF.type, kind):
            if isinstance(subject, URIRef):
                kinds[subject].add(kind)
    assert {term: k for term, k in kinds.items() if len(k) > 1} == {}


def test_no_class_is_also_an_individual(graph: Graph) -> None:
    classes = set(graph.subjects(RDF.type, OWL.Class))
    individuals = {
        s for s, o in graph.subject_objects(RDF.type) if o in classes and o not in DECLARATIONS
    }
    assert classes & individuals == set()


def test_no_reserved_vocabulary_is_redeclared(graph: Graph) -> None:
    redeclared = {s for s in graph.subjects() if str(s).startswith(RESERVED)}
    assert redeclared == set()


def _non_simple(graph: Graph) -> set[URIRef]:
    """Properties that are transitive or defined by a chain, their inverses, and every
    property they are a sub-property of (OWL 2 Structural Specification, section 11.2)."""
    found = {p for p in graph.subjects(RDF.type, OWL.TransitiveProperty) if isinstance(p, URIRef)}
    found |= {p for p in graph.subjects(OWL.propertyChainAxiom, None) if isinstance(p, URIRef)}
    changed = True
    while changed:
        changed = False
        for sub, sup in graph.subject_objects(RDFS.subPropertyOf):
            if sub in found and isinstance(sup, URIRef) and sup not in found:
                found.add(sup)
                changed = True
        for a, b in graph.subject_objects(OWL.inverseOf):
            for x, y in ((a, b), (b, a)):
                if x in found and isinstance(y, URIRef) and y not in found:
                    found.add(y)
                    changed = True
    return found


def test_only_simple_properties_where_owl2_dl_requires_them(graph: Graph) -> None:
    non_simple = _non_simple(graph)
    assert IKG.hasPartner in non_simple  # the chain
    assert IKG.within in non_simple  # transitive
    restricted = set()
    for kind in (
        OWL.FunctionalProperty,
        OWL.InverseFunctionalProperty,
        OWL.IrreflexiveProperty,
        OWL.AsymmetricProperty,
    ):
        restricted |= set(graph.subjects(RDF.type, kind))
    for restriction in graph.subjects(RDF.type, OWL.Restriction):
        if any(
            (restriction, p, None) in graph
            for p in (
                OWL.cardinality,
                OWL.minCardinality,
                OWL.maxCardinality,
                OWL.qualifiedCardinality,
            )
        ):
            restricted |= set(graph.objects(restriction, OWL.onProperty))
    assert restricted & non_simple == set()
    assert IKG.country in restricted  # functional, and a sub-property (not super) of within


def test_property_chains_are_lists_of_declared_object_properties(graph: Graph) -> None:
    object_properties = set(graph.subjects(RDF.type, OWL.ObjectProperty))
    for prop, head in graph.subject_objects(OWL.propertyChainAxiom):
        steps = list(Collection(graph, head))
        assert len(steps) >= 2, prop
        assert set(steps) <= object_properties, prop


def test_every_used_class_and_property_is_declared(graph: Graph) -> None:
    declared = set()
    for kind in DECLARATIONS:
        declared |= set(graph.subjects(RDF.type, kind))
    used = {p for p in graph.predicates() if p not in BUILT_IN}
    used |= {o for o in graph.objects(None, RDFS.subClassOf) if isinstance(o, URIRef)}
    used |= set(graph.objects(None, RDFS.subPropertyOf))
    used |= {o for o in graph.objects(None, RDFS.domain) if isinstance(o, URIRef)}
    reserved = {u for u in used if str(u).startswith(RESERVED)}
    assert used - reserved - declared == set()


# ---------------------------------------------------------------------------------------
# The seeds stay inside the declared vocabulary
# ---------------------------------------------------------------------------------------


def test_seeds_use_only_declared_terms(graph: Graph) -> None:
    if not seed_files():
        pytest.skip("no seeds shipped")
    dataset = Dataset()
    for source in seed_files():
        dataset.parse(data=source.read_bytes(), format="trig")
    declared = set()
    for kind in DECLARATIONS:
        declared |= set(graph.subjects(RDF.type, kind))
    predicates = {p for _, p, _, _ in dataset.quads((None, None, None, None))}
    classes = {o for _, _, o, _ in dataset.quads((None, RDF.type, None, None))}
    assert predicates - declared - BUILT_IN == set()
    assert classes - declared == set()
