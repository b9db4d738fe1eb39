"""OWL reasoning with HermiT (graph/reason.py): consistency, culprits named, inferences.

Expected values are hand-derived from the ontology's axioms and the fixture
(tests/ontology/data/fixture.trig lists them in its header). Each HermiT run costs a JVM
start (one to a few seconds), so the consistent fixture is reasoned over once per session.
"""

from __future__ import annotations

import json
import socket
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, VOID, XSD
from typer.testing import CliRunner

from inclusion_kg.api.cli import app
from inclusion_kg.graph.namespaces import CV, IKG, ORG, graph_iri, id_iri
from inclusion_kg.graph.reason import (
    INFERRED_GRAPH,
    REASONER_AGENT,
    InconsistentData,
    ReasoningReport,
    _PropertyAxioms,
    _rule_closure,
    materialise,
    reason,
)

ID = "https://w3id.org/inclusion-kg/id/"
CITY_HALL = id_iri("actor", "test-palermo-city-hall")
COUNCIL = id_iri("actor", "test-palermo-council")
DIALOGUE = id_iri("partnership", "test-palermo-council-dialogue")
FIXTURE_GRAPH = graph_iri("test-reasoning-fixture")


# ---------------------------------------------------------------------------------------
# The ontology and consistent data
# ---------------------------------------------------------------------------------------


def test_ontology_alone_is_consistent_with_every_class_satisfiable() -> None:
    report = reason()
    assert report.consistent, report.message
    assert report.unsatisfiable == ()
    assert len(report.inferred) == 0  # the schemes' concepts are fully typed already
    assert report.individuals > 100  # the SKOS concepts and schemes


def test_fixture_is_consistent(fixture_report: ReasoningReport) -> None:
    assert fixture_report.consistent, fixture_report.message
    assert fixture_report.clashes == ()
    assert fixture_report.message.startswith("Consistent:")


@pytest.mark.parametrize(
    "cls",
    [
        IKG.PublicAuthority,
        IKG.Actor,
        CV.PublicOrganisation,
        ORG.Organization,
        FOAF.Agent,
        PROV.Agent,
    ],
)
def test_municipality_inferred_to_be_its_superclasses(
    fixture_report: ReasoningReport, cls: URIRef
) -> None:
    assert (CITY_HALL, RDF.type, cls) in fixture_report.inferred


def test_asserted_and_trivial_types_are_not_repeated(fixture_report: ReasoningReport) -> None:
    assert (CITY_HALL, RDF.type, IKG.Municipality) not in fixture_report.inferred
    assert (CITY_HALL, RDF.type, OWL.Thing) not in fixture_report.inferred


def test_domain_types_a_participation(fixture_report: ReasoningReport) -> None:
    """The fixture types its participations; the council's is still an org:Membership."""
    participation = id_iri("participation", "test-palermo-council-dialogue--test-palermo-council")
    assert (participation, RDF.type, ORG.Membership) in fixture_report.inferred
    assert (participation, RDF.type, CV.Participation) in fixture_report.inferred


def test_has_partner_materialised_from_the_chain(fixture_report: ReasoningReport) -> None:
    inferred = fixture_report.inferred
    assert set(inferred.objects(DIALOGUE, IKG.hasPartner)) == {CITY_HALL, COUNCIL}
    assert (CITY_HALL, IKG.partnerIn, DIALOGUE) in inferred
    assert (COUNCIL, IKG.partnerIn, DIALOGUE) in inferred


def test_inverse_and_transitive_values(fixture_report: ReasoningReport) -> None:
    inferred = fixture_report.inferred
    iom, office, desk = (
        id_iri("actor", s) for s in ("test-iom", "test-iom-italy", "test-iom-palermo")
    )
    assert (desk, IKG.subOrganisationOf, iom) in inferred  # transitive
    assert (iom, IKG.hasSubOrganisation, desk) in inferred  # inverse of the inferred one
    assert (office, IKG.hasSubOrganisation, desk) in inferred  # inverse of an asserted one
    palermo, italy = id_iri("city", "test-palermo"), id_iri("country", "test-italy")
    assert (palermo, IKG.within, italy) in inferred  # ikg:country is a sub-property of within
    dg_empl, project = id_iri("actor", "test-dg-empl"), id_iri("project", "test-inclusion")
    assert (dg_empl, IKG.funds, project) in inferred  # inverse of ikg:funder


def test_counts_by_predicate_and_class(fixture_report: ReasoningReport) -> None:
    counts = fixture_report.counts()
    assert counts["predicates"]["ikg:hasPartner"] == 2
    assert counts["predicates"]["ikg:partnerIn"] == 2
    assert sum(counts["predicates"].values()) == len(fixture_report.inferred)
    # eight actors in the fixture, all asserted with a concrete kind only
    assert counts["classes"]["ikg:Actor"] == 8


def test_dates_outside_the_owl2_datatype_map_are_accepted(
    turtle: Callable[[str], Graph],
) -> None:
    """HermiT alone refuses xsd:gYear; the reasoner runs it with --ignoreUnsupportedDatatypes."""
    data = turtle(
        'id:p a ikg:Partnership ; ikg:startDate "2019"^^xsd:gYear ; '
        'ikg:endDate "2020-05"^^xsd:gYearMonth . '
        'id:e a ikg:Event ; ikg:startDate "2020-05-28"^^xsd:date .'
    )
    report = reason(data)
    assert report.consistent, report.message


def test_rules_find_every_value_hermit_knows(fixture_dataset: Dataset) -> None:
    """HermiT's own property realisation (-Y) lists only "known" instances; the OWL 2 RL
    rules must find all of them (and more: the sub-property values HermiT leaves as
    "possible instances")."""
    by_hermit = reason(fixture_dataset, property_values="hermit")
    by_rules = reason(fixture_dataset, property_values="rules")
    assert by_hermit.consistent
    hermit_values = {t for t in by_hermit.inferred if t[1] != RDF.type}
    rule_values = {t for t in by_rules.inferred if t[1] != RDF.type}
    assert hermit_values
    assert hermit_values <= rule_values
    assert {t for t in by_hermit.inferred if t[1] == RDF.type} == {
        t for t in by_rules.inferred if t[1] == RDF.type
    }


def test_property_values_can_be_left_out(fixture_dataset: Dataset) -> None:
    report = reason(fixture_dataset, property_values="none")
    assert report.consistent
    assert {p for _, p, _ in report.inferred} == {RDF.type}


def test_rule_closure_by_hand() -> None:
    """Chains of three steps, symmetry, transitivity and inverses, without Java."""
    ex = "http://example.org/"
    names = ("p", "q", "r", "chain", "sym", "trans", "inv", "sup")
    p, q, r, chain, sym, trans, inv, sup = (URIRef(ex + n) for n in names)
    a, b, c, d = (URIRef(ex + n) for n in "abcd")
    ontology = Graph()
    for prop in (p, q, r, chain, sym, trans, inv, sup):
        ontology.add((prop, RDF.type, OWL.ObjectProperty))
    ontology.add((sym, RDF.type, OWL.SymmetricProperty))
    ontology.add((trans, RDF.type, OWL.TransitiveProperty))
    ontology.add((inv, OWL.inverseOf, p))
    ontology.add((trans, URIRef("http://www.w3.org/2000/01/rdf-schema#subPropertyOf"), sup))
    steps = Graph().parse(
        data=f"<{chain}> <{OWL.propertyChainAxiom}> ( <{p}> <{q}> <{r}> ) .", format="turtle"
    )
    ontology += steps
    axioms = _PropertyAxioms.read(ontology)
    facts = {(a, p, b), (b, q, c), (c, r, d), (a, sym, b)}
    facts |= {(a, trans, b), (b, trans, c), (c, trans, d)}
    closed = _rule_closure(facts, axioms)
    assert (a, chain, d) in closed
    assert (b, sym, a) in closed
    assert {(a, trans, c), (a, trans, d), (b, trans, d)} <= closed
    assert (b, inv, a) in closed
    assert (a, sup, d) in closed  # transitive closure, then the super-property
    assert (a, chain, c) not in closed


# ---------------------------------------------------------------------------------------
# Inconsistent data: the individual at fault is named
# ---------------------------------------------------------------------------------------


def test_two_disjoint_kinds_name_the_individual(turtle: Callable[[str], Graph]) -> None:
    report = reason(turtle("id:actor\\/x a ikg:NGO , ikg:Municipality ; ikg:basedIn id:city\\/y ."))
    assert not report.consistent
    assert f"<{ID}actor/x>" in report.message
    assert "ikg:NGO" in report.message
    assert "ikg:Municipality" in report.message
    assert [c.individual for c in report.clashes] == [f"{ID}actor/x"]
    assert set(report.clashes[0].classes) == {str(IKG.NGO), str(IKG.Municipality)}
    assert len(report.inferred) == 0


def test_a_range_clash_names_the_value(turtle: Callable[[str], Graph]) -> None:
    report = reason(turtle("id:p a ikg:Partnership ; ikg:hasParticipation id:q . id:q a ikg:NGO ."))
    assert not report.consistent
    assert [c.individual for c in report.clashes] == [f"{ID}q"]
    assert "value of ikg:hasParticipation" in report.message


def test_a_union_domain_clash_is_explained(turtle: Callable[[str], Graph]) -> None:
    """ikg:policyArea's domain is a union of classes that an actor is disjoint with."""
    report = reason(turtle("id:x a ikg:NGO ; ikg:policyArea pa:housing ."))
    assert not report.consistent
    assert f"<{ID}x>" in report.message
    assert "subject of ikg:policyArea" in report.message


def test_a_functional_property_merging_disjoint_actors(turtle: Callable[[str], Graph]) -> None:
    report = reason(
        turtle(
            "id:pa a ikg:Participation ; ikg:participant id:a , id:b . "
            "id:a a ikg:NGO . id:b a ikg:Municipality ."
        )
    )
    assert not report.consistent
    assert report.clashes[0].individual == f"{ID}pa"
    assert "functional property ikg:participant" in report.message


def test_an_irreflexive_property_on_itself(turtle: Callable[[str], Graph]) -> None:
    report = reason(turtle("id:x a ikg:NGO ; ikg:partnersWith id:x ."))
    assert not report.consistent
    assert "irreflexive" in report.message
    assert report.clashes[0].individual == f"{ID}x"


def test_a_literal_outside_the_range(turtle: Callable[[str], Graph]) -> None:
    report = reason(turtle('id:c a ikg:MigrantCouncil ; ikg:hasBudget "yes" .'))
    assert not report.consistent
    assert "xsd:boolean" in report.message
    assert report.clashes[0].individual == f"{ID}c"


def test_an_ill_typed_literal_is_named_without_running_hermit(
    turtle: Callable[[str], Graph],
) -> None:
    data = turtle('id:c a ikg:MigrantCouncil ; ikg:memberCount "many"^^xsd:nonNegativeInteger .')
    report = reason(data)
    assert not report.consistent
    assert report.clashes[0].individual == f"{ID}c"
    assert "not a valid xsd:nonNegativeInteger" in report.message
    assert report.durations.hermit == 0


def test_same_as_between_disjoint_individuals(turtle: Callable[[str], Graph]) -> None:
    report = reason(turtle("id:a a ikg:NGO ; owl:sameAs id:b . id:b a ikg:City ."))
    assert not report.consistent
    assert {c.individual for c in report.clashes} <= {f"{ID}a", f"{ID}b"}
    assert "owl:sameAs" in report.message


def test_bisection_narrows_what_local_checks_cannot_explain(
    turtle: Callable[[str], Graph],
) -> None:
    """A class expression in the data (complement of ikg:Actor) is beyond the local checks;
    further HermiT runs narrow the inconsistency to the one subject."""
    report = reason(
        turtle(
            "id:x a ikg:NGO , [ a owl:Class ; owl:complementOf ikg:Actor ] . "
            "id:y a ikg:NGO . id:z a ikg:City ."
        ),
        explain_runs=6,
    )
    assert not report.consistent
    assert [c.individual for c in report.clashes] == [f"{ID}x"]
    assert f"<{ID}x>" in report.message


# ---------------------------------------------------------------------------------------
# Input handling: datasets, owl:imports, temporary files
# ---------------------------------------------------------------------------------------


def test_dataset_union_without_the_inferred_graph(fixture_dataset: Dataset) -> None:
    """A stale inferred graph is not reasoned over: here it holds an inconsistency."""
    stale = fixture_dataset.graph(INFERRED_GRAPH)
    stale.add((CITY_HALL, RDF.type, IKG.NGO))
    other = fixture_dataset.graph(graph_iri("test-other"))
    other.add((id_iri("actor", "test-other"), RDF.type, IKG.SocialEnterprise))
    report = reason(fixture_dataset, property_values="none")
    assert report.consistent, report.message
    assert (id_iri("actor", "test-other"), RDF.type, IKG.Actor) in report.inferred


def test_owl_imports_are_never_fetched(
    turtle: Callable[[str], Graph], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        msg = "network access attempted"
        raise AssertionError(msg)

    monkeypatch.setattr(socket.socket, "connect", refuse)
    data = turtle(
        "<http://example.org/data> a owl:Ontology ; "
        "owl:imports <http://example.invalid/x.owl> . id:x a ikg:NGO ."
    )
    report = reason(data)
    assert report.consistent, report.message


@pytest.mark.parametrize("snippet", ["id:x a ikg:NGO .", "id:x a ikg:NGO , ikg:City ."])
def test_no_temporary_files_are_left(
    turtle: Callable[[str], Graph],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    snippet: str,
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    reason(turtle(snippet))
    assert list(tmp_path.iterdir()) == []


def test_report_as_json(fixture_report: ReasoningReport) -> None:
    data = fixture_report.as_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["consistent"] is True
    assert data["inferred_triples"] == len(fixture_report.inferred)


# ---------------------------------------------------------------------------------------
# Materialising into graph/inferred
# ---------------------------------------------------------------------------------------


def test_materialise_into_a_dataset(fixture_dataset: Dataset) -> None:
    fixture_dataset.graph(INFERRED_GRAPH).add((CITY_HALL, RDF.type, IKG.NGO))  # stale
    report = materialise(fixture_dataset)
    graph = fixture_dataset.graph(INFERRED_GRAPH)
    assert (CITY_HALL, RDF.type, IKG.NGO) not in graph  # replaced
    assert (DIALOGUE, IKG.hasPartner, COUNCIL) in graph
    assert set(report.inferred) <= set(graph)
    g = INFERRED_GRAPH
    assert {(g, RDF.type, PROV.Entity), (g, RDF.type, DCAT.Dataset)} <= set(graph)
    assert (g, PROV.wasAttributedTo, REASONER_AGENT) in graph
    assert (g, PROV.wasDerivedFrom, FIXTURE_GRAPH) in graph
    assert (g, PROV.hadPrimarySource, id_iri("document", "test-press-release")) in graph
    assert (g, VOID.triples, Literal(len(graph))) in graph
    (title,) = graph.objects(g, DCTERMS.title)
    assert isinstance(title, Literal)
    assert title.language == "en"
    (when,) = graph.objects(g, PROV.generatedAtTime)
    assert isinstance(when, Literal)
    assert when.datatype == XSD.dateTime


def test_materialised_description_passes_the_provenance_shapes(fixture_dataset: Dataset) -> None:
    from inclusion_kg.graph.validate import validate_graph

    materialise(fixture_dataset)
    report = validate_graph(fixture_dataset)
    about_inferred = [r for r in report.results if r.focus_node in (INFERRED_GRAPH, REASONER_AGENT)]
    assert about_inferred == []


def test_materialise_refuses_inconsistent_data(turtle: Callable[[str], Graph]) -> None:
    dataset = Dataset()
    batch = dataset.graph(graph_iri("test-bad"))
    for triple in turtle("id:x a ikg:NGO , ikg:Municipality ."):
        batch.add(triple)
    with pytest.raises(InconsistentData, match=f"<{ID}x>") as raised:
        materialise(dataset)
    assert raised.value.reasoning.clashes[0].individual == f"{ID}x"
    assert len(dataset.graph(INFERRED_GRAPH)) == 0


def test_materialise_into_a_store(store: object, fixture_path: Path) -> None:
    from inclusion_kg.graph.store import Store

    assert isinstance(store, Store)
    store.load(fixture_path.read_bytes(), "application/trig")
    report = materialise(store)
    graphs = {info.iri: info for info in store.graphs()}
    assert str(INFERRED_GRAPH) in graphs
    assert graphs[str(INFERRED_GRAPH)].triples >= len(report.inferred)
    assert store.ask(
        f"ASK {{ GRAPH <{INFERRED_GRAPH}> {{ <{DIALOGUE}> <{IKG.hasPartner}> <{COUNCIL}> }} }}"
    )


# ---------------------------------------------------------------------------------------
# ikg reason
# ---------------------------------------------------------------------------------------


def test_cli_reports_a_consistent_file(fixture_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "inferred.trig"
    result = CliRunner().invoke(app, ["reason", str(fixture_path), "-f", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["consistent"] is True
    assert data["inferred"]["predicates"]["ikg:hasPartner"] == 2
    written = Dataset()
    written.parse(out, format="trig")
    assert (DIALOGUE, IKG.hasPartner, COUNCIL, INFERRED_GRAPH) in written


def test_cli_exits_1_naming_the_individual(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix ikg: <https://w3id.org/inclusion-kg/ontology#> .\n"
        "<https://w3id.org/inclusion-kg/id/actor/x> a ikg:NGO , ikg:Municipality .\n",
        encoding="utf-8",
    )
    out = tmp_path / "inferred.trig"
    result = CliRunner().invoke(app, ["reason", str(bad), "-o", str(out)])
    assert result.exit_code == 1
    assert f"<{ID}actor/x>" in result.stdout
    assert not out.exists()


def test_cli_exits_2_on_an_unreadable_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["reason", str(tmp_path / "missing.ttl")])
    assert result.exit_code == 2


# ---------------------------------------------------------------------------------------
# Failures of the reasoner itself
# ---------------------------------------------------------------------------------------


def test_missing_java_is_backend_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    import owlready2

    from inclusion_kg.graph.errors import BackendUnavailable

    monkeypatch.setattr(owlready2, "JAVA_EXE", "no-such-java-for-ikg-tests")
    with pytest.raises(BackendUnavailable, match="Java"):
        reason()


def test_a_run_past_its_time_limit_is_stopped() -> None:
    from inclusion_kg.graph.errors import QueryTimeout

    with pytest.raises(QueryTimeout, match="time limit"):
        reason(timeout=0.01)
