"""graph/validate.py: the report, datasets, focus nodes, files and neighbourhoods."""

from __future__ import annotations

import json
from pathlib import Path

import pyshacl
import pytest
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD

from inclusion_kg.graph.errors import InputError
from inclusion_kg.graph.namespaces import BASE, IKG
from inclusion_kg.graph.validate import (
    IKGSH,
    Severity,
    ValidationReport,
    ValidationResult,
    _class_hierarchy,
    _data_graph,
    _ontology,
    _read_report,
    _shapes,
    neighbourhood,
    parse_files,
    short_name,
    validate_files,
    validate_graph,
)

DATA = Path(__file__).parent / "data"
P = "partnership:admin4all-funding"


# --- the report ---------------------------------------------------------------------------------


def make_result(
    severity: Severity, focus: str = "https://w3id.org/inclusion-kg/id/actor/x"
) -> ValidationResult:
    return ValidationResult(
        focus_node=URIRef(focus),
        result_path=RDFS.label,
        value=Literal("X"),
        message="rdfs:label must be a language-tagged string.",
        severity=severity,
        source_shape=IKGSH["Label_Shape-label-tagged"],
        constraint_component=SH.DatatypeConstraintComponent,
    )


def test_an_empty_report_conforms() -> None:
    report = ValidationReport()
    assert report.conforms
    assert report.counts == {"Violation": 0, "Warning": 0, "Info": 0}
    assert report.text() == "0 violations, 0 warnings, 0 infos: conforms"


def test_warnings_and_infos_do_not_block() -> None:
    report = ValidationReport((make_result(Severity.WARNING), make_result(Severity.INFO)))
    assert report.conforms
    assert report.counts == {"Violation": 0, "Warning": 1, "Info": 1}
    assert report.summary() == "0 violations, 1 warning, 1 info: conforms"


def test_a_violation_blocks() -> None:
    report = ValidationReport(
        (make_result(Severity.VIOLATION), make_result(Severity.VIOLATION, "urn:x:y"))
    )
    assert not report.conforms
    assert len(report.violations) == 2
    assert report.warnings == ()
    assert report.infos == ()
    assert report.summary() == "2 violations, 0 warnings, 0 infos: does not conform"


def test_the_text_report_shows_severity_focus_path_message_and_value() -> None:
    text = ValidationReport((make_result(Severity.VIOLATION),)).text()
    lines = text.splitlines()
    assert lines[0] == "Violation  id:actor/x  rdfs:label"
    assert lines[1] == "    rdfs:label must be a language-tagged string."
    assert lines[2] == '    value: "X"'
    assert lines[3] == "    shape: ikgsh:Label_Shape-label-tagged"
    assert lines[-1] == "1 violation, 0 warnings, 0 infos: does not conform"


def test_the_json_report_has_full_iris() -> None:
    data = json.loads(json.dumps(ValidationReport((make_result(Severity.WARNING),)).to_dict()))
    assert data["conforms"] is True
    assert data["counts"] == {"Violation": 0, "Warning": 1, "Info": 0}
    assert data["results"] == [
        {
            "severity": "Warning",
            "focus_node": "https://w3id.org/inclusion-kg/id/actor/x",
            "path": str(RDFS.label),
            "value": '"X"',
            "message": "rdfs:label must be a language-tagged string.",
            "source_shape": str(IKGSH["Label_Shape-label-tagged"]),
            "source_constraint": None,
            "constraint_component": str(SH.DatatypeConstraintComponent),
        }
    ]


def test_results_are_sorted_violations_first(kit) -> None:
    report = kit.check(
        remove="actor:palermo-migrant-council ikg:hasBudget ?b ; ikg:hasOwnInitiativeRight ?o",
        add='actor:iom rdfs:label "IOM" .',
    )
    assert [r.severity for r in report] == [Severity.VIOLATION, Severity.WARNING, Severity.INFO]


@pytest.mark.parametrize(
    ("term", "text"),
    [
        (IKG.Partnership, "ikg:Partnership"),
        (URIRef("https://w3id.org/inclusion-kg/id/city/palermo"), "id:city/palermo"),
        (URIRef("https://w3id.org/inclusion-kg/vocab/formality/grant"), "vocab:formality/grant"),
        (URIRef("https://w3id.org/inclusion-kg/graph/analytics"), "graph:analytics"),
        (URIRef("http://example.org/x"), "<http://example.org/x>"),
        (Literal("Palermo", lang="it"), '"Palermo"@it'),
        (Literal("5", datatype=XSD.integer), '"5"^^xsd:integer'),
        (Literal("plain"), '"plain"'),
        (Literal('say "hi"'), '"say \\"hi\\""'),
        (BNode("b0"), "_:b0"),
        ("^ikg:hasParticipation", "^ikg:hasParticipation"),
        (None, ""),
    ],
)
def test_short_names_for_people(term, text: str) -> None:
    assert short_name(term) == text


# --- what gets validated --------------------------------------------------------------------------


def test_class_checks_follow_the_ontology_hierarchy(kit) -> None:
    # the data never says that a municipality is an actor or a city a place
    graph = kit.graph()
    assert (None, RDFS.subClassOf, None) not in graph
    assert validate_graph(graph).conforms
    assert (IKG.Municipality, RDFS.subClassOf, IKG.PublicAuthority) in _class_hierarchy()


def test_the_class_hierarchy_gives_what_pyshacl_ont_graph_gives(kit) -> None:
    # pySHACL's own way: mix the whole ontology into the data on every call
    add = """actor:iom a ikg:NGO . actor:x a ikg:PublicAuthority ; rdfs:label "X"@en .
        service:palermo-language-courses ikg:provider city:palermo ;
            ikg:competentAuthority actor:iom .
        partnership:admin4all-funding ikg:areaServed actor:iom ."""
    graph = kit.graph(add=add, remove="city:palermo ikg:country ?c")
    data = _data_graph(graph)
    _conforms, report_graph, _text = pyshacl.validate(
        data, shacl_graph=_shapes(), ont_graph=_ontology(), inference="none"
    )
    theirs = _read_report(report_graph).results
    ours = validate_graph(graph).results
    assert len(ours) >= 6
    assert ours == theirs


def test_validation_leaves_data_shapes_and_ontology_unchanged(kit) -> None:
    graph = kit.graph(add='actor:iom rdfs:label "IOM" .')
    before, shapes_before, hierarchy = len(graph), len(_shapes()), len(_class_hierarchy())
    dataset = kit.dataset({"graph:study-test": 'actor:iom rdfs:label "IOM" .'})
    quads_before = len(list(dataset.quads((None, None, None, None))))
    validate_graph(graph)
    validate_graph(dataset)
    assert len(graph) == before
    assert len(list(dataset.quads((None, None, None, None)))) == quads_before
    assert len(_shapes()) == shapes_before
    assert len(_class_hierarchy()) == hierarchy


def test_focus_nodes_limit_what_is_validated(kit) -> None:
    graph = kit.graph(add='actor:iom rdfs:label "IOM" . city:palermo rdfs:label "Palermo" .')
    assert {r.focus_node for r in validate_graph(graph)} == {
        kit.iri("actor:iom"),
        kit.iri("city:palermo"),
    }
    focused = validate_graph(graph, focus_nodes=[kit.iri("actor:iom")])
    assert {r.focus_node for r in focused} == {kit.iri("actor:iom")}


def test_no_focus_node_means_nothing_to_validate(kit) -> None:
    report = validate_graph(kit.graph(add='actor:iom rdfs:label "IOM" .'), focus_nodes=[])
    assert report.results == ()


def test_a_blank_node_cannot_be_a_focus_node(kit) -> None:
    with pytest.raises(ValueError, match="focus nodes must be"):
        validate_graph(kit.graph(), focus_nodes=[BNode()])


# --- neighbourhood: enough to validate what a write touches ---------------------------------------


@pytest.mark.parametrize(
    ("remove", "add", "focus"),
    [
        (f"{P} ikg:formality ?f", "", P),  # own property
        ("participation:admin4all-funding--iom ikg:participant ?a", "", P),  # two steps out
        (
            "",
            "participation:admin4all-funding--iom ikg:participant city:palermo .",
            "participation:admin4all-funding--iom",
        ),
        ("", f"{P} ikg:areaServed actor:iom .", P),  # the type of a value
        (
            f"{P} ikg:hasParticipation participation:admin4all-funding--iom",
            "",
            "participation:admin4all-funding--iom",
        ),
        ("", "actor:iom a ikg:NGO .", "actor:iom"),  # the class hierarchy
    ],
)
def test_the_neighbourhood_finds_what_the_whole_graph_finds(
    kit, remove: str, add: str, focus: str
) -> None:
    graph = kit.graph(remove=remove, add=add)
    node = kit.iri(focus)
    expected = validate_graph(graph, focus_nodes=[node])
    assert not expected.conforms
    cut = neighbourhood(graph, [node])
    assert len(cut) < len(graph) / 2
    assert validate_graph(cut, focus_nodes=[node]).results == expected.results


def test_the_neighbourhood_follows_blank_nodes(kit) -> None:
    graph = kit.graph(
        add='project:admin4all ikg:participatingPlace [ a ikg:City ; rdfs:label "X"@en ] .'
    )
    cut = neighbourhood(graph, [kit.iri("project:admin4all")])
    place = next(
        o
        for o in cut.objects(kit.iri("project:admin4all"), IKG.participatingPlace)
        if isinstance(o, BNode)
    )
    assert (place, RDF.type, IKG.City) in cut


# --- files ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("suffix", "rdf_format"),
    [
        (".ttl", "turtle"),
        (".nt", "nt"),
        (".jsonld", "json-ld"),
        (".rdf", "xml"),
        (".trig", "trig"),
        (".nq", "nquads"),
    ],
)
def test_every_rdf_format_is_read_by_its_extension(
    kit, tmp_path: Path, suffix: str, rdf_format: str
) -> None:
    valid = kit.graph()
    if rdf_format in ("trig", "nquads"):
        dataset = Dataset()
        named = dataset.graph(kit.iri("graph:study-test"))
        for triple in valid:
            named.add(triple)
        text = dataset.serialize(format=rdf_format)
    else:
        text = valid.serialize(format=rdf_format)
    path = tmp_path / f"data{suffix}"
    path.write_text(text, encoding="utf-8")
    parsed = parse_files([path])
    assert len(list(parsed.quads((None, None, None, None)))) == len(valid)
    report = validate_files([path])
    if rdf_format in ("trig", "nquads"):  # a named graph without its self-description
        assert {r.shape for r in report} == {IKGSH["NamedGraph_Shape-type"]}
    else:
        assert report.results == ()


def test_files_are_validated_together(kit, tmp_path: Path) -> None:
    # the actor's kind is in one file, its wrong label in the other
    first, second = tmp_path / "a.ttl", tmp_path / "b.ttl"
    first.write_text(
        kit.TURTLE_PREFIXES + 'actor:x a ikg:NGO ; rdfs:label "X"@en .', encoding="utf-8"
    )
    second.write_text(kit.TURTLE_PREFIXES + 'actor:x skos:altLabel "x" .', encoding="utf-8")
    report = validate_files([first, second])
    assert [short_name(r.shape) for r in report] == ["ikgsh:Label_Shape-altLabel-tagged"]


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "bad.ttl",
            "@prefix ex: <http://ex/> .\nex:a ex:b ex:c .\nex:d ex:e ex:f\nex:g ex:h ex:i .\n",
            "bad.ttl, line 4, in 'ex:g ex:h ex:i .': bad syntax",
        ),
        (
            "end.ttl",
            "@prefix ex: <http://ex/> .\nex:a ex:b ex:c .\nex:d ex:e\n\n",
            "end.ttl, line 3 (end of file): bad syntax",
        ),
        ("bad.trig", "GRAPH <http://ex/g> { <http://ex/a> <http://ex/b> }", "bad.trig, line 1"),
        (
            "bad.nt",
            "<http://ex/a> <http://ex/b> <http://ex/c> .\n<http://ex/a> <http://ex/b> .\n",
            "bad.nt, line 2: Invalid line",
        ),
        (
            "bad.nq",
            "<http://a> <http://b> <http://c> <http://d> <http://e> .\n",
            "bad.nq, line 1: Invalid line",
        ),
        (
            "bad.rdf",
            "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>\n<rdf:Description></rdf:RDF>",
            "bad.rdf, line 2: mismatched tag",
        ),
        ("bad.jsonld", '{"@id": "http://a",\n', "bad.jsonld, line 2: not valid JSON-LD"),
        ("bad.ttl", "@prefix ex: <http://ex/> .\nex:a unknown:b ex:c .\n", "bad.ttl, line 2"),
    ],
)
def test_a_syntax_error_names_the_file_and_line(
    tmp_path: Path, name: str, text: str, expected: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        validate_files([path])
    message = str(raised.value)
    assert message.startswith(f"{tmp_path}/{name}")  # the path as given
    assert expected in message


def test_ill_typed_literals_are_reported_not_raised(tmp_path: Path) -> None:
    # rdflib warns while parsing these (an error under -W error): SHACL reports them instead
    text = (DATA / "valid.ttl").read_text(encoding="utf-8")
    text = text.replace('"21"^^xsd:nonNegativeInteger', '"many"^^xsd:nonNegativeInteger')
    text = text.replace("ikg:hasBudget true", 'ikg:hasBudget "maybe"^^xsd:boolean')
    path = tmp_path / "council.ttl"
    path.write_text(text, encoding="utf-8")
    report = validate_files([path])
    assert {short_name(r.shape) for r in report.violations} == {
        "ikgsh:MigrantCouncil_Shape-memberCount-datatype",
        "ikgsh:MigrantCouncil_Shape-hasBudget-datatype",
    }


def test_an_unknown_extension_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("a,b\n", encoding="utf-8")
    with pytest.raises(
        InputError, match=r"data\.csv: unknown RDF file extension '\.csv'; use one of"
    ):
        parse_files([path])


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"missing\.ttl: cannot read the file"):
        parse_files([tmp_path / "missing.ttl"])


@pytest.mark.parametrize(
    "document",
    [
        {"@context": "https://schema.org/", "@id": "http://ex/a"},
        {"@context": ["https://schema.org/", {"ex": "http://ex/"}], "@id": "http://ex/a"},
        {"@context": {"@import": "https://example.org/context.jsonld"}, "@id": "http://ex/a"},
        {"@graph": [{"@context": "https://schema.org/", "@id": "http://ex/a"}]},
    ],
)
def test_json_ld_with_a_remote_context_is_refused_before_parsing(
    tmp_path: Path, document: object
) -> None:
    path = tmp_path / "remote.jsonld"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(InputError, match="would be fetched from the network"):
        parse_files([path])


def test_json_ld_with_an_inline_context_is_read(tmp_path: Path) -> None:
    path = tmp_path / "inline.jsonld"
    document = {
        "@context": {"ikg": str(IKG._NS), "rdfs": str(RDFS)},
        "@id": "https://w3id.org/inclusion-kg/id/actor/x",
        "@type": "ikg:NGO",
        "rdfs:label": {"@value": "X", "@language": "en"},
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    assert validate_files([path]).results == ()


def test_the_packaged_seeds_are_readable_as_files() -> None:
    from inclusion_kg.graph import resources

    seeds = resources.seed_files()
    if not seeds:
        pytest.skip("no seeds shipped")
    dataset = parse_files(seeds)  # Traversable resources, not only paths
    named = [
        g for g in dataset.graphs() if len(g) and str(g.identifier).startswith(BASE + "graph/")
    ]
    assert len(named) == len(seeds)  # one named graph per seed file
