"""The shape files themselves: in sync with the ontology and schemes, self-describing, and
written for people.

- every sh:in list of concepts equals the concepts of one scheme under ontology/schemes/,
  and every controlled property has such a list;
- the SPARQL notion of a "concrete actor kind" equals the classes the actor-type scheme names;
- every file opens with a comment header and an owl:Ontology node with dcterms:description;
- every constraint carries an English sh:message that names its property;
- the shapes are valid SHACL (shacl-shacl) and use only terms the ontology defines.
"""

from __future__ import annotations

from collections import Counter

import pytest
from pyshacl.entrypoints import meta_validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS

from inclusion_kg.graph import resources
from inclusion_kg.graph.namespaces import IKG, VOCAB
from inclusion_kg.graph.validate import IKGSH

IKG_NS = Namespace("https://w3id.org/inclusion-kg/ontology#")

# each controlled property and the scheme its values come from (ontology/ikg.ttl definitions)
CONTROLLED = {
    IKG.partnershipType: "partnership-type",
    IKG.formality: "formality",
    IKG.roleEquality: "role-equality",
    IKG.resourceExchanged: "resource-type",
    IKG.policyArea: "policy-area",
    IKG.partnerRole: "partner-role",
    IKG.targetGroup: "target-group",
    IKG.eligibleLegalStatus: "legal-status",
    IKG.memberSelection: "member-selection",
}

CONSTRAINT_PARAMETERS = {
    SH["class"], SH.datatype, SH.nodeKind, SH.minCount, SH.maxCount, SH.minInclusive,
    SH.minExclusive, SH.maxInclusive, SH.maxExclusive, SH.pattern, SH.languageIn,
    SH.uniqueLang, SH["in"], SH.hasValue, SH["or"], SH["and"], SH["not"], SH.xone,
    SH.qualifiedValueShape, SH.node, SH.equals, SH.disjoint, SH.closed,
}  # fmt: skip


@pytest.fixture(scope="module")
def shapes() -> Graph:
    graph = Graph()
    for shape_file in resources.shape_files():
        graph.parse(data=shape_file.read_bytes(), format="turtle")
    return graph


@pytest.fixture(scope="module")
def schemes() -> Graph:
    graph = Graph()
    for scheme_file in resources.scheme_files():
        graph.parse(data=scheme_file.read_bytes(), format="turtle")
    return graph


@pytest.fixture(scope="module")
def ontology() -> Graph:
    graph = Graph()
    for source in [resources.ontology_file(), resources.external_vocabulary_file()]:
        graph.parse(data=source.read_bytes(), format="turtle")
    return graph


def concepts_of(schemes: Graph, scheme: str) -> list[URIRef]:
    return sorted(
        c for c in schemes.subjects(SKOS.inScheme, VOCAB[scheme]) if isinstance(c, URIRef)
    )


def in_lists(shapes: Graph) -> list[tuple[URIRef, URIRef, list[object]]]:
    """(shape, path, values) of every sh:in."""
    found = []
    for shape, head in shapes.subject_objects(SH["in"]):
        path = shapes.value(shape, SH.path)
        found.append((shape, path, list(Collection(shapes, head))))
    return found


# --- in sync with the schemes ----------------------------------------------------------------


def test_every_concept_list_is_exactly_one_scheme(shapes: Graph, schemes: Graph) -> None:
    concept_lists = [
        (shape, values)
        for shape, _path, values in in_lists(shapes)
        if values and all(str(v).startswith(str(VOCAB)) for v in values)
    ]
    assert len(concept_lists) == len(CONTROLLED)
    for shape, values in concept_lists:
        assert len(values) == len(set(values)), f"{shape} lists a concept twice"
        scheme_names = {str(v)[len(str(VOCAB)) :].split("/")[0] for v in values}
        assert len(scheme_names) == 1, f"{shape} mixes schemes {scheme_names}"
        (scheme,) = scheme_names
        assert sorted(values) == concepts_of(schemes, scheme), (
            f"{shape} is out of sync with {scheme}"
        )


@pytest.mark.parametrize(
    ("prop", "scheme"), CONTROLLED.items(), ids=[str(p).split("#")[1] for p in CONTROLLED]
)
def test_every_controlled_property_has_its_scheme_as_closed_list(
    shapes: Graph, schemes: Graph, prop: URIRef, scheme: str
) -> None:
    lists = [values for _shape, path, values in in_lists(shapes) if path == prop]
    assert len(lists) == 1, f"{prop} needs exactly one sh:in list"
    assert sorted(lists[0]) == concepts_of(schemes, scheme)


def test_the_mapping_above_covers_every_scheme_of_a_controlled_property(schemes: Graph) -> None:
    # schemes with no closed list here: actor types (classes instead), sectors (ikg:sector, an
    # annotation of classes) and measures (ikg:measure, written by the analytics, which are
    # not part of the data contract)
    all_schemes = {
        str(s)[len(str(VOCAB)) :] for s in schemes.subjects(RDF.type, SKOS.ConceptScheme)
    }
    assert all_schemes - set(CONTROLLED.values()) == {"actor-type", "sector", "measure"}


def test_concrete_actor_kinds_are_the_classes_of_the_actor_type_scheme(
    ontology: Graph, schemes: Graph
) -> None:
    # Actor_Shape-kind-*: a concrete kind is a subclass of ikg:Actor other than these three
    abstract = {IKG.Actor, IKG.PublicAuthority, IKG.CivilSocietyOrganisation}
    subclasses = set(ontology.transitive_subjects(RDFS.subClassOf, IKG.Actor)) - abstract
    assert subclasses == set(schemes.objects(None, IKG.actorClass))


# --- self-description and messages ---------------------------------------------------------------


@pytest.mark.parametrize("shape_file", resources.shape_files(), ids=lambda f: f.name)
def test_each_file_describes_itself(shape_file) -> None:
    text = shape_file.read_text(encoding="utf-8")
    assert text.startswith("# inclusion-kg SHACL shapes: ")
    graph = Graph().parse(data=text, format="turtle")
    node = URIRef("https://w3id.org/inclusion-kg/shapes/" + shape_file.name.removesuffix(".ttl"))
    assert (node, RDF.type, OWL.Ontology) in graph
    description = graph.value(node, DCTERMS.description)
    assert isinstance(description, Literal)
    assert description.language == "en"
    assert graph.value(node, DCTERMS.title) is not None


def test_recommended_shapes_never_block(shapes: Graph) -> None:
    recommended = Graph().parse(
        data=next(f for f in resources.shape_files() if f.name == "recommended.ttl").read_bytes(),
        format="turtle",
    )
    constraints = list(recommended.subjects(SH.path, None))
    assert constraints
    for shape in constraints:
        assert recommended.value(shape, SH.severity) in (SH.Warning, SH.Info), shape
    # and nothing else is softer than a Violation
    for shape, severity in shapes.subject_objects(SH.severity):
        assert shape in constraints, f"{shape} has severity {severity} outside recommended.ttl"


def constraint_nodes(shapes: Graph) -> list[URIRef]:
    """Every shape that carries a constraint parameter, and every SPARQL constraint."""
    nodes = {s for s, p, _o in shapes if p in CONSTRAINT_PARAMETERS}
    nodes |= set(shapes.objects(None, SH.sparql))
    # the members of sh:or lists are parts of one constraint, whose message is on the owner
    members = {m for head in shapes.objects(None, SH["or"]) for m in Collection(shapes, head)}
    qualified = set(shapes.objects(None, SH.qualifiedValueShape))
    return sorted(n for n in nodes - members - qualified if isinstance(n, URIRef | object))


def test_every_constraint_has_an_english_message(shapes: Graph) -> None:
    nodes = constraint_nodes(shapes)
    assert len(nodes) > 100
    for node in nodes:
        messages = list(shapes.objects(node, SH.message))
        assert len(messages) == 1, f"{node} needs one sh:message"
        assert isinstance(messages[0], Literal)
        assert messages[0].language == "en", node


def test_node_shapes_with_sparql_have_no_message_of_their_own(shapes: Graph) -> None:
    # pySHACL would add it to every SPARQL result of the shape
    for shape in shapes.subjects(SH.sparql, None):
        assert shapes.value(shape, SH.message) is None, shape


def test_every_property_message_names_its_property(shapes: Graph) -> None:
    for shape, path in shapes.subject_objects(SH.path):
        if shapes.value(shape, SH.message) is None:
            continue
        message = str(shapes.value(shape, SH.message))
        prop = path if isinstance(path, URIRef) else shapes.value(path, SH.inversePath)
        assert isinstance(prop, URIRef)
        if prop == RDF.type:  # names the expected class instead
            expected = shapes.value(shape, SH.hasValue)
            assert expected is not None, shape
            assert str(expected).split("#")[-1] in message, shape
            continue
        local = str(prop).split("#")[-1].split("/")[-1]
        assert local in message, f"the message of {shape} does not name {local}"


def test_shapes_are_named_after_their_class_or_concern(shapes: Graph) -> None:
    for shape in set(shapes.subjects(RDF.type, SH.NodeShape)) | set(
        shapes.subjects(RDF.type, SH.PropertyShape)
    ):
        assert isinstance(shape, URIRef), shape
        assert str(shape).startswith(str(IKGSH)), shape
        local = str(shape)[len(str(IKGSH)) :]
        assert "_Shape" in local, shape
    for shape in shapes.subjects(SH.targetClass, None):
        for cls in shapes.objects(shape, SH.targetClass):
            if str(cls).startswith(str(IKG_NS)):
                name = f"{IKGSH}{str(cls).split('#')[1]}_Shape"
                assert str(shape) == name or str(shape).startswith(name + "-"), shape


def test_the_shapes_are_valid_shacl(shapes: Graph) -> None:
    conforms, _graph, text = meta_validate(shapes)
    assert conforms, text


def test_the_shapes_use_only_terms_of_the_ontology(shapes: Graph) -> None:
    used = {
        t
        for triple in shapes
        for t in triple
        if isinstance(t, URIRef) and str(t).startswith(str(IKG_NS))
    }
    for term in used:
        IKG[str(term).split("#")[1]]  # IKG is closed: an unknown name raises


def test_no_shape_is_defined_twice_by_accident(shapes: Graph) -> None:
    # node shapes may span files (recommended.ttl adds to them); property shapes may not
    paths = Counter(s for s in shapes.subjects(SH.path, None))
    assert max(paths.values()) == 1
