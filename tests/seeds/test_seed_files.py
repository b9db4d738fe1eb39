"""The seed files: one self-describing named graph each, IRIs by the scheme, sources apart.

Expected values are written out by hand from the two press releases (S0, S2) and
docs/DOMAIN.md, not computed from the data.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from inclusion_kg.graph.namespaces import BASE, IKG, graph_iri
from inclusion_kg.graph.resources import seed_files
from inclusion_kg.graph.seeds import ENRICHMENT_GRAPHS, SEED_GRAPHS, STUDY_GRAPHS, seed_dataset

VOID_TRIPLES = URIRef("http://rdfs.org/ns/void#triples")
MPI = graph_iri("study-2020-mpi-press-release")
IOM = graph_iri("study-2020-iom-press-release")
MPI_RELEASE = URIRef(BASE + "id/document/mpi-press-release-2020-05-28")
IOM_RELEASE = URIRef(BASE + "id/document/iom-press-release-2020-05-28")
PRIMARY_SOURCE = {MPI: MPI_RELEASE, IOM: IOM_RELEASE}

FILE_NAMES = [seed.name for seed in seed_files()]

# the kinds of README's IRI scheme, plus `agent` for the curation agent of the batches
KINDS = (
    "city|region|country|actor|person|partnership|participation|project|programme|service|"
    "practice|recommendation|event|document|amount|agent"
)
SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
ENTITY_IRI = re.compile(rf"^{re.escape(BASE)}id/({KINDS})/({SLUG}(?:--{SLUG})?)$")

# which kind of IRI each class of thing gets
KIND_OF_CLASS = {
    IKG.City: "city",
    IKG.Region: "region",
    IKG.Country: "country",
    IKG.Municipality: "actor",
    IKG.MigrantCouncil: "actor",
    IKG.EUBody: "actor",
    IKG.InternationalOrganisation: "actor",
    IKG.ResearchOrganisation: "actor",
    FOAF.Person: "person",
    IKG.Partnership: "partnership",
    IKG.Participation: "participation",
    IKG.FundingProject: "project",
    IKG.GovernancePractice: "practice",
    IKG.Recommendation: "recommendation",
    IKG.Event: "event",
    IKG.Report: "document",
    IKG.PressRelease: "document",
    IKG.SourceDocument: "document",
    PROV.Agent: "agent",
}

# properties whose facts the press releases do not state: they may only be enrichment
ENRICHMENT_ONLY_PROPERTIES = (
    OWL.sameAs,
    SKOS.exactMatch,
    DCTERMS.identifier,
    IKG.memberCount,
    IKG.memberSelection,
    IKG.termLengthYears,
    IKG.advises,
    IKG.establishedBy,
    IKG.organiser,
    IKG.participatingPlace,
    IKG.within,
    IKG.endDate,
    IKG.confidence,
)
ENRICHMENT_ONLY_ENTITIES = (
    URIRef(BASE + "id/city/vienna"),
    URIRef(BASE + "id/project/admin4all-phase-2"),
    URIRef(BASE + "id/partnership/webinar-2020-05-28-european-cities-on-the-front-line"),
    URIRef(BASE + "id/document/admin4all-event-page-european-cities-on-the-front-line"),
    URIRef(BASE + "id/region/nuts-pl634"),
)


def _parse(text: bytes) -> Dataset:
    dataset = Dataset()
    dataset.parse(data=text, format="trig")
    return dataset


def _only_graph(text: bytes) -> Graph:
    graphs = [graph for graph in _parse(text).graphs() if len(graph)]
    assert len(graphs) == 1
    return graphs[0]


@pytest.fixture(scope="module")
def graphs(seed_texts: dict[str, bytes]) -> dict[URIRef, Graph]:
    """Every seed graph by its IRI, each parsed from its own file."""
    found: dict[URIRef, Graph] = {}
    for text in seed_texts.values():
        graph = _only_graph(text)
        found[URIRef(str(graph.identifier))] = graph
    return found


# --- files and graphs ---------------------------------------------------------------------


def test_ten_seed_files_two_study_and_eight_enrichment() -> None:
    assert len(FILE_NAMES) == 10
    assert sorted(name for name in FILE_NAMES if name.startswith("study-2020-")) == [
        "study-2020-iom-press-release.trig",
        "study-2020-mpi-press-release.trig",
    ]
    assert sum(name.startswith("enrichment-") for name in FILE_NAMES) == 8


@pytest.mark.parametrize("name", FILE_NAMES)
def test_each_file_holds_one_named_graph_named_after_it(
    name: str, seed_texts: dict[str, bytes]
) -> None:
    store = ox.Store()
    store.load(seed_texts[name], format=ox.RdfFormat.TRIG)
    assert not list(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    assert [node.value for node in store.named_graphs()] == [
        str(graph_iri(name.removesuffix(".trig")))
    ]


def test_seed_graph_names_match_the_files(graphs: dict[URIRef, Graph]) -> None:
    assert set(graphs) == set(SEED_GRAPHS)
    assert len(SEED_GRAPHS) == len(set(SEED_GRAPHS)) == len(FILE_NAMES)
    assert all(str(iri).startswith(str(graph_iri("enrichment-"))) for iri in ENRICHMENT_GRAPHS)
    assert set(STUDY_GRAPHS) == {MPI, IOM}


def test_seed_dataset_loads_every_graph_once(graphs: dict[URIRef, Graph]) -> None:
    dataset = seed_dataset()
    loaded = {URIRef(str(graph.identifier)): len(graph) for graph in dataset.graphs() if len(graph)}
    assert loaded == {iri: len(graph) for iri, graph in graphs.items()}
    # the default graph is the union: a plain query sees facts of both kinds of graph
    rows = dataset.query(
        "ASK { ?council ikg:hasBudget true ; ikg:memberCount ?members . FILTER (?members = 21) }",
        initNs={"ikg": str(IKG._NS)},
    )
    assert rows.askAnswer is True


# --- batch provenance ---------------------------------------------------------------------

# hand-counted sizes; a change to a seed file must update both the file and this table
EXPECTED_TRIPLES = {
    "study-2020-mpi-press-release": 272,
    "study-2020-iom-press-release": 144,
    "enrichment-admin4all-project": 31,
    "enrichment-admin4all-webinar": 54,
    "enrichment-gdansk-immigrants-council": 25,
    "enrichment-identifiers-recalled": 99,
    "enrichment-identifiers-verified": 38,
    "enrichment-mpi-research-page": 20,
    "enrichment-palermo-consulta": 25,
    "enrichment-report-front-matter": 16,
}


@pytest.mark.parametrize("name", FILE_NAMES)
def test_void_triples_is_the_exact_size_of_the_graph(
    name: str, seed_texts: dict[str, bytes]
) -> None:
    iri = graph_iri(name.removesuffix(".trig"))
    store = ox.Store()
    store.load(seed_texts[name], format=ox.RdfFormat.TRIG)
    graph_node = ox.NamedNode(str(iri))
    size = sum(1 for _ in store.quads_for_pattern(None, None, None, graph_node))
    stated = [
        quad.object
        for quad in store.quads_for_pattern(graph_node, ox.NamedNode(str(VOID_TRIPLES)), None)
    ]
    assert len(stated) == 1
    assert isinstance(stated[0], ox.Literal)
    assert stated[0].datatype == ox.NamedNode(str(XSD.integer))
    assert int(stated[0].value) == size == len(_only_graph(seed_texts[name]))
    assert size == EXPECTED_TRIPLES[name.removesuffix(".trig")]


@pytest.mark.parametrize("iri", SEED_GRAPHS, ids=lambda iri: str(iri).rsplit("/", 1)[1])
def test_each_graph_describes_itself_inside_itself(
    iri: URIRef, graphs: dict[URIRef, Graph]
) -> None:
    graph = graphs[iri]
    assert {PROV.Entity, DCAT.Dataset} <= set(graph.objects(iri, RDF.type))
    titles = list(graph.objects(iri, DCTERMS.title))
    assert any(isinstance(title, Literal) and title.language == "en" for title in titles)
    (generated,) = graph.objects(iri, PROV.generatedAtTime)
    assert isinstance(generated, Literal)
    assert generated.datatype == XSD.dateTime
    (agent,) = graph.objects(iri, PROV.wasAttributedTo)
    assert agent == URIRef(BASE + "id/agent/inclusion-kg-seed-curation")
    assert (agent, RDF.type, PROV.Agent) in graph
    sources = list(graph.objects(iri, PROV.hadPrimarySource))
    assert sources
    assert all(isinstance(source, URIRef) for source in sources)


@pytest.mark.parametrize("iri", STUDY_GRAPHS, ids=lambda iri: str(iri).rsplit("/", 1)[1])
def test_study_graph_cites_its_press_release(iri: URIRef, graphs: dict[URIRef, Graph]) -> None:
    graph = graphs[iri]
    release = PRIMARY_SOURCE[iri]
    assert list(graph.objects(iri, PROV.hadPrimarySource)) == [release]
    assert (release, RDF.type, IKG.PressRelease) in graph
    assert (release, DCTERMS.issued, Literal("2020-05-28", datatype=XSD.date)) in graph
    # every partnership, recommendation and practice is derived from this release only
    derived = [
        node
        for cls in (IKG.Partnership, IKG.Recommendation, IKG.GovernancePractice)
        for node in graph.subjects(RDF.type, cls)
    ]
    assert derived
    for node in derived:
        assert list(graph.objects(node, PROV.wasDerivedFrom)) == [release], node
    # a study graph claims no confidence: it is a source, not enrichment
    assert not list(graph.objects(iri, IKG.confidence))


EXPECTED_CONFIDENCE = {
    "enrichment-admin4all-project": "H",
    "enrichment-admin4all-webinar": "H",
    "enrichment-gdansk-immigrants-council": "H",
    "enrichment-identifiers-recalled": "M",
    "enrichment-identifiers-verified": "H",
    "enrichment-mpi-research-page": "H",
    "enrichment-palermo-consulta": "H",
    "enrichment-report-front-matter": "H",
}


@pytest.mark.parametrize("iri", ENRICHMENT_GRAPHS, ids=lambda iri: str(iri).rsplit("/", 1)[1])
def test_enrichment_graph_has_confidence_and_source_urls(
    iri: URIRef, graphs: dict[URIRef, Graph]
) -> None:
    graph = graphs[iri]
    (confidence,) = graph.objects(iri, IKG.confidence)
    assert confidence == Literal(EXPECTED_CONFIDENCE[str(iri).rsplit("/", 1)[1]])
    derived = list(graph.objects(iri, PROV.wasDerivedFrom))
    assert set(graph.objects(iri, PROV.hadPrimarySource)) <= set(derived)
    for source in [*derived, *graph.objects(iri, PROV.hadPrimarySource)]:
        assert isinstance(source, URIRef)
        assert str(source).startswith(("http://", "https://"))
        assert not str(source).startswith(BASE)


# --- identifiers --------------------------------------------------------------------------


def _iris_under_base(graph: Graph) -> set[URIRef]:
    return {
        term
        for triple in graph
        for term in triple
        if isinstance(term, URIRef) and str(term).startswith(BASE)
    }


@pytest.mark.parametrize("iri", SEED_GRAPHS, ids=lambda iri: str(iri).rsplit("/", 1)[1])
def test_every_entity_iri_follows_the_id_kind_slug_scheme(
    iri: URIRef, graphs: dict[URIRef, Graph]
) -> None:
    for term in _iris_under_base(graphs[iri]):
        text = str(term)
        if text.startswith((BASE + "ontology#", BASE + "vocab/", BASE + "graph/")):
            continue
        assert ENTITY_IRI.match(text), text


def test_each_thing_gets_the_iri_kind_of_its_class(graphs: dict[URIRef, Graph]) -> None:
    checked = 0
    for graph in graphs.values():
        for cls, kind in KIND_OF_CLASS.items():
            for node in graph.subjects(RDF.type, cls):
                match = ENTITY_IRI.match(str(node))
                assert match, node
                assert match.group(1) == kind, (node, cls)
                checked += 1
    assert checked > 80


def test_participation_iris_name_their_partnership_and_actor(
    graphs: dict[URIRef, Graph],
) -> None:
    seen = 0
    for graph in graphs.values():
        for partnership, participation in graph.subject_objects(IKG.hasParticipation):
            (actor,) = graph.objects(participation, IKG.participant)
            expected = (
                f"{BASE}id/participation/{str(partnership).rsplit('/', 1)[1]}"
                f"--{str(actor).rsplit('/', 1)[1]}"
            )
            assert str(participation) == expected
            seen += 1
    assert seen == 13


# --- the study graphs hold the press releases' facts only ----------------------------------


@pytest.mark.parametrize("iri", STUDY_GRAPHS, ids=lambda iri: str(iri).rsplit("/", 1)[1])
def test_study_graph_holds_no_enrichment(iri: URIRef, graphs: dict[URIRef, Graph]) -> None:
    graph = graphs[iri]
    for prop in ENRICHMENT_ONLY_PROPERTIES:
        assert not list(graph.subject_objects(prop)), prop
    for entity in ENRICHMENT_ONLY_ENTITIES:
        assert not list(graph.triples((entity, None, None))), entity
        assert not list(graph.triples((None, None, entity))), entity
    # the only dated thing the releases state is the release day itself (and the webinar)
    for subject, _ in graph.subject_objects(IKG.startDate):
        assert (subject, RDF.type, IKG.Event) in graph
    # names from the councils' own pages are enrichment
    literals = {str(term) for triple in graph for term in triple if isinstance(term, Literal)}
    assert not {"Consulta delle Culture", "Rada Imigrantów i Imigrantek", "Vienna"} & literals
    assert not list(graph.subjects(RDF.type, IKG.Region))


def test_enrichment_never_retypes_or_renames_study_entities(
    graphs: dict[URIRef, Graph],
) -> None:
    typed_in_study = {
        node for iri in STUDY_GRAPHS for node in graphs[iri].subjects(RDF.type, None)
    } - set(STUDY_GRAPHS)
    for iri in ENRICHMENT_GRAPHS:
        graph = graphs[iri]
        for node in typed_in_study - {URIRef(BASE + "id/agent/inclusion-kg-seed-curation")}:
            assert not list(graph.objects(node, RDF.type)), (iri, node)
            english = [
                label
                for label in graph.objects(node, RDFS.label)
                if isinstance(label, Literal) and label.language == "en"
            ]
            assert not english, (iri, node)


def test_one_label_per_language_across_all_graphs(graphs: dict[URIRef, Graph]) -> None:
    labels: dict[tuple[Node, str | None], set[Literal]] = defaultdict(set)
    for graph in graphs.values():
        for subject, label in graph.subject_objects(RDFS.label):
            assert isinstance(label, Literal)
            assert label.language, (subject, label)
            labels[(subject, label.language)].add(label)
    several = {key: values for key, values in labels.items() if len(values) > 1}
    assert not several


def test_entities_named_by_both_releases_agree(graphs: dict[URIRef, Graph]) -> None:
    mpi, iom = graphs[MPI], graphs[IOM]
    shared = set(mpi.subjects(RDF.type, None)) & set(iom.subjects(RDF.type, None))
    assert {
        URIRef(BASE + f"id/{path}")
        for path in (
            "actor/iom",
            "actor/mpi-europe",
            "actor/european-union",
            "actor/municipality-of-gdansk",
            "city/gdansk",
            "city/brussels",
            "document/european-cities-on-the-front-line-2020",
            "project/admin4all",
            "practice/inclusive-partnerships-with-civil-society",
            "practice/meaningful-migrant-involvement",
        )
    } <= shared
    for node in shared:
        assert set(mpi.objects(node, RDF.type)) == set(iom.objects(node, RDF.type)), node
        assert set(mpi.objects(node, RDFS.label)) == set(iom.objects(node, RDFS.label)), node
