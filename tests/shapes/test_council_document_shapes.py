"""shapes/migrant-council.ttl, shapes/document.ttl and shapes/recommended.ttl.

Each test breaks one thing in data/valid.ttl; expected results follow the data contract
(docs/HELPERS-CONTRACT.md) and, for recommended.ttl, the study's words: a council without a
budget is an "empty exercise" (Warning), an unknown own-initiative right an Info.
"""

from __future__ import annotations

import pytest
from rdflib.namespace import DCTERMS, PROV, RDFS

from inclusion_kg.graph.namespaces import IKG, SCHEMA
from inclusion_kg.graph.validate import Severity

COUNCIL = "actor:palermo-migrant-council"
DOC = "document:mpi-press-release-2020-05-28"
REC = "recommendation:give-councils-a-budget"
EVENT = "event:webinar-2020-05-28"


# --- migrant councils: Violations -------------------------------------------------------------


@pytest.mark.parametrize(
    ("prop", "second"),
    [
        ("hasOwnInitiativeRight", "false"),
        ("memberSelection", "ms:appointed"),
        ("termLengthYears", "4.0"),
        ("memberCount", '"30"^^xsd:nonNegativeInteger'),
    ],
)
def test_council_properties_have_at_most_one_value(kit, prop: str, second: str) -> None:
    result = kit.only(
        kit.check(add=f"{COUNCIL} ikg:{prop} {second} ."), f"MigrantCouncil_Shape-{prop}-count"
    )
    assert result.focus_node == kit.iri(COUNCIL)
    assert result.result_path == IKG[prop]
    assert result.severity is Severity.VIOLATION
    assert f"at most one ikg:{prop}" in result.message


def test_has_budget_at_most_once(kit) -> None:
    report = kit.check(add=f"{COUNCIL} ikg:hasBudget false .")
    # the false value is also the study's "empty exercise" warning
    assert kit.shapes_of(report) == {
        "MigrantCouncil_Shape-hasBudget-count",
        "MigrantCouncil_Shape-hasBudget-false",
    }
    result = kit.result_of(report, "MigrantCouncil_Shape-hasBudget-count")
    assert result.severity is Severity.VIOLATION
    assert "at most one ikg:hasBudget" in result.message


@pytest.mark.parametrize("value", ['"yes"', "1", '"true"'])
def test_has_budget_is_a_boolean(kit, value: str) -> None:
    report = kit.check(
        remove=f"{COUNCIL} ikg:hasBudget ?b", add=f"{COUNCIL} ikg:hasBudget {value} ."
    )
    assert kit.shapes_of(report) == {
        "MigrantCouncil_Shape-hasBudget-datatype",
        "MigrantCouncil_Shape-hasBudget-false",
    }
    result = kit.result_of(report, "MigrantCouncil_Shape-hasBudget-datatype")
    assert result.severity is Severity.VIOLATION
    assert "xsd:boolean" in result.message


def test_own_initiative_right_is_a_boolean(kit) -> None:
    report = kit.check(
        remove=f"{COUNCIL} ikg:hasOwnInitiativeRight ?b",
        add=f'{COUNCIL} ikg:hasOwnInitiativeRight "yes" .',
    )
    result = kit.only(report, "MigrantCouncil_Shape-hasOwnInitiativeRight-datatype")
    assert result.result_path == IKG.hasOwnInitiativeRight
    assert "xsd:boolean" in result.message


def test_member_selection_comes_from_its_scheme(kit) -> None:
    report = kit.check(
        remove=f"{COUNCIL} ikg:memberSelection ?m",
        add=f"{COUNCIL} ikg:memberSelection role:member .",
    )
    result = kit.only(report, "MigrantCouncil_Shape-memberSelection-in")
    assert result.value == kit.iri("role:member")
    assert "member-selection scheme" in result.message


@pytest.mark.parametrize(
    ("value", "shape"),
    [("5", "datatype"), ('"5"', "datatype"), ("0.0", "range"), ("-2.5", "range")],
)
def test_term_length_is_a_positive_decimal(kit, value: str, shape: str) -> None:
    report = kit.check(
        remove=f"{COUNCIL} ikg:termLengthYears ?t", add=f"{COUNCIL} ikg:termLengthYears {value} ."
    )
    if value == '"5"':  # not a number at all: not comparable with 0 either
        assert kit.shapes_of(report) == {
            "MigrantCouncil_Shape-termLengthYears-datatype",
            "MigrantCouncil_Shape-termLengthYears-range",
        }
        return
    result = kit.only(report, f"MigrantCouncil_Shape-termLengthYears-{shape}")
    assert result.result_path == IKG.termLengthYears
    assert "ikg:termLengthYears" in result.message


@pytest.mark.parametrize(
    "value", ["-1", '"-1"^^xsd:nonNegativeInteger', "21.0", '"21"', '"21"^^xsd:decimal']
)
def test_member_count_is_a_non_negative_integer(kit, value: str) -> None:
    report = kit.check(
        remove=f"{COUNCIL} ikg:memberCount ?n", add=f"{COUNCIL} ikg:memberCount {value} ."
    )
    result = kit.only(report, "MigrantCouncil_Shape-memberCount-datatype")
    assert result.result_path == IKG.memberCount
    assert "xsd:nonNegativeInteger" in result.message


# the store returns an xsd:nonNegativeInteger as an xsd:integer (test_store_datatypes.py)
@pytest.mark.parametrize("value", ["21", "0", '"0"^^xsd:nonNegativeInteger'])
def test_member_count_may_be_an_xsd_integer_of_at_least_0(kit, value: str) -> None:
    report = kit.check(
        remove=f"{COUNCIL} ikg:memberCount ?n", add=f"{COUNCIL} ikg:memberCount {value} ."
    )
    assert report.conforms, report.text()
    assert report.results == ()


def test_a_council_is_based_in_a_city(kit) -> None:
    result = kit.only(
        kit.check(remove=f"{COUNCIL} ikg:basedIn ?c"), "MigrantCouncil_Shape-basedIn-count"
    )
    assert result.focus_node == kit.iri(COUNCIL)
    assert result.result_path == IKG.basedIn
    assert "exactly one city" in result.message


def test_a_council_is_based_in_one_city(kit) -> None:
    add = f"""city:monreale a ikg:City ; rdfs:label "Monreale"@en ; ikg:country country:italy .
        {COUNCIL} ikg:basedIn city:monreale ."""
    assert kit.only(kit.check(add=add), "MigrantCouncil_Shape-basedIn-count").focus_node == kit.iri(
        COUNCIL
    )


def test_a_council_is_based_in_a_city_not_a_region(kit) -> None:
    report = kit.check(
        remove=f"{COUNCIL} ikg:basedIn ?c", add=f"{COUNCIL} ikg:basedIn region:sicily ."
    )
    result = kit.only(report, "MigrantCouncil_Shape-basedIn-class")
    assert result.value == kit.iri("region:sicily")
    assert "ikg:City" in result.message


def test_a_council_advises_an_actor(kit) -> None:
    result = kit.only(
        kit.check(add=f"{COUNCIL} ikg:advises city:palermo ."), "MigrantCouncil_Shape-advises-class"
    )
    assert result.result_path == IKG.advises
    assert result.value == kit.iri("city:palermo")


def test_a_council_is_established_by_an_actor(kit) -> None:
    report = kit.check(add=f"{COUNCIL} ikg:establishedBy city:palermo .")
    # not an actor (Violation), hence not a public authority either (Warning)
    assert kit.shapes_of(report) == {
        "MigrantCouncil_Shape-establishedBy-class",
        "MigrantCouncil_Shape-establishedBy-authority",
    }
    assert (
        kit.result_of(report, "MigrantCouncil_Shape-establishedBy-class").severity
        is Severity.VIOLATION
    )


# --- migrant councils: the study's recommendations (Warning / Info) ----------------------------


def test_a_council_without_a_budget_is_an_empty_exercise(kit) -> None:
    report = kit.check(remove=f"{COUNCIL} ikg:hasBudget ?b")
    result = kit.only(report, "MigrantCouncil_Shape-hasBudget-missing")
    assert result.focus_node == kit.iri(COUNCIL)
    assert result.result_path == IKG.hasBudget
    assert result.severity is Severity.WARNING
    assert "empty exercise" in result.message
    assert report.conforms  # a Warning does not block


def test_a_council_with_budget_false_is_an_empty_exercise(kit) -> None:
    report = kit.check(remove=f"{COUNCIL} ikg:hasBudget ?b", add=f"{COUNCIL} ikg:hasBudget false .")
    result = kit.only(report, "MigrantCouncil_Shape-hasBudget-false")
    assert result.severity is Severity.WARNING
    assert "empty exercise" in result.message
    assert report.conforms


def test_an_unknown_own_initiative_right_is_an_info(kit) -> None:
    report = kit.check(remove=f"{COUNCIL} ikg:hasOwnInitiativeRight ?b")
    result = kit.only(report, "MigrantCouncil_Shape-hasOwnInitiativeRight-missing")
    assert result.severity is Severity.INFO
    assert "ikg:hasOwnInitiativeRight" in result.message
    assert report.conforms


def test_no_own_initiative_right_is_recorded_knowledge_not_a_gap(kit) -> None:
    report = kit.check(
        remove=f"{COUNCIL} ikg:hasOwnInitiativeRight ?b",
        add=f"{COUNCIL} ikg:hasOwnInitiativeRight false .",
    )
    assert report.results == ()


def test_a_council_established_by_a_non_authority_is_a_warning(kit) -> None:
    report = kit.check(
        remove=f"{COUNCIL} ikg:establishedBy ?a", add=f"{COUNCIL} ikg:establishedBy actor:iom ."
    )
    result = kit.only(report, "MigrantCouncil_Shape-establishedBy-authority")
    assert result.severity is Severity.WARNING
    assert result.value == kit.iri("actor:iom")
    assert "public authority" in result.message


def test_a_partnership_without_evidence_is_a_warning(kit) -> None:
    report = kit.check(remove="partnership:admin4all-funding prov:wasDerivedFrom ?d")
    result = kit.only(report, "Partnership_Shape-wasDerivedFrom-missing")
    assert result.focus_node == kit.iri("partnership:admin4all-funding")
    assert result.result_path == PROV.wasDerivedFrom
    assert result.severity is Severity.WARNING
    assert "evidence" in result.message
    assert report.conforms


# --- source documents -------------------------------------------------------------------------


def test_a_document_needs_a_title(kit) -> None:
    result = kit.only(
        kit.check(remove=f"{DOC} dcterms:title ?t"), "SourceDocument_Shape-title-count"
    )
    assert result.focus_node == kit.iri(DOC)  # an ikg:PressRelease is an ikg:SourceDocument
    assert result.result_path == DCTERMS.title
    assert "dcterms:title" in result.message


def test_a_title_is_language_tagged(kit) -> None:
    result = kit.only(
        kit.check(add=f'{DOC} dcterms:title "Front Line" .'), "SourceDocument_Shape-title-datatype"
    )
    assert "language-tagged" in result.message


def test_a_document_has_at_most_one_issue_date(kit) -> None:
    result = kit.only(
        kit.check(add=f'{DOC} dcterms:issued "2020-05-29"^^xsd:date .'),
        "SourceDocument_Shape-issued-count",
    )
    assert result.result_path == DCTERMS.issued


@pytest.mark.parametrize(
    "value", ['"2020-05-28"', '"2020-05"^^xsd:gYearMonth', '"2020-05-28T09:00:00Z"^^xsd:dateTime']
)
def test_an_issue_date_is_an_xsd_date(kit, value: str) -> None:
    report = kit.check(remove=f"{DOC} dcterms:issued ?d", add=f"{DOC} dcterms:issued {value} .")
    result = kit.only(report, "SourceDocument_Shape-issued-datatype")
    assert "xsd:date" in result.message


def test_a_publisher_is_an_actor(kit) -> None:
    result = kit.only(
        kit.check(add=f"{DOC} dcterms:publisher city:palermo ."),
        "SourceDocument_Shape-publisher-class",
    )
    assert result.result_path == DCTERMS.publisher
    assert result.value == kit.iri("city:palermo")


@pytest.mark.parametrize(
    "value", ["<https://www.migrationpolicy.org/>", '"https://www.migrationpolicy.org/"']
)
def test_a_url_is_an_any_uri_literal(kit, value: str) -> None:
    report = kit.check(remove=f"{DOC} schema:url ?u", add=f"{DOC} schema:url {value} .")
    result = kit.only(report, "SourceDocument_Shape-url-datatype")
    assert result.result_path == SCHEMA.url
    assert "xsd:anyURI" in result.message


# --- recommendations ---------------------------------------------------------------------------


def test_a_recommendation_needs_its_position(kit) -> None:
    result = kit.only(
        kit.check(remove=f"{REC} ikg:listPosition ?n"), "Recommendation_Shape-listPosition-count"
    )
    assert result.focus_node == kit.iri(REC)
    assert result.result_path == IKG.listPosition
    assert "exactly one ikg:listPosition" in result.message


def test_a_recommendation_has_one_position(kit) -> None:
    add = f'{REC} ikg:listPosition "2"^^xsd:positiveInteger .'
    assert kit.only(
        kit.check(add=add), "Recommendation_Shape-listPosition-count"
    ).focus_node == kit.iri(REC)


@pytest.mark.parametrize("value", ["0", "-2", '"0"^^xsd:positiveInteger', '"first"', "1.0"])
def test_a_position_is_a_positive_integer(kit, value: str) -> None:
    report = kit.check(remove=f"{REC} ikg:listPosition ?n", add=f"{REC} ikg:listPosition {value} .")
    result = kit.only(report, "Recommendation_Shape-listPosition-datatype")
    assert "xsd:positiveInteger" in result.message


# the store returns an xsd:positiveInteger as an xsd:integer (test_store_datatypes.py)
def test_a_position_may_be_an_xsd_integer_of_at_least_1(kit) -> None:
    report = kit.check(remove=f"{REC} ikg:listPosition ?n", add=f"{REC} ikg:listPosition 1 .")
    assert report.conforms, report.text()
    assert report.results == ()


@pytest.mark.parametrize(
    ("prop", "shape", "bad", "expected"),
    [
        ("ikg:recommends", "recommends", "actor:iom", "ikg:GovernancePractice"),
        ("dcterms:source", "source", "actor:iom", "ikg:SourceDocument"),
    ],
)
def test_a_recommendation_recommends_practices_and_cites_sources(
    kit, prop: str, shape: str, bad: str, expected: str
) -> None:
    missing = kit.only(kit.check(remove=f"{REC} {prop} ?x"), f"Recommendation_Shape-{shape}-count")
    assert missing.focus_node == kit.iri(REC)
    assert missing.result_path == kit.iri(prop)
    assert prop in missing.message
    wrong = kit.only(kit.check(add=f"{REC} {prop} {bad} ."), f"Recommendation_Shape-{shape}-class")
    assert wrong.value == kit.iri(bad)
    assert expected in wrong.message


# --- events -------------------------------------------------------------------------------------


def test_an_event_needs_a_start_date(kit) -> None:
    result = kit.only(kit.check(remove=f"{EVENT} ikg:startDate ?d"), "Event_Shape-startDate-count")
    assert result.focus_node == kit.iri(EVENT)
    assert result.result_path == IKG.startDate
    assert "exactly one ikg:startDate" in result.message


def test_an_event_has_one_start_date(kit) -> None:
    report = kit.check(add=f'{EVENT} ikg:startDate "2020-05-29"^^xsd:date .')
    assert kit.shapes_of(report) == {"Event_Shape-startDate-count", "Period_Shape-startDate-count"}


@pytest.mark.parametrize(
    ("prop", "bad", "expected"),
    [("organiser", "city:palermo", "actor"), ("presents", "actor:iom", "ikg:SourceDocument")],
)
def test_event_links_point_to_the_right_kind(kit, prop: str, bad: str, expected: str) -> None:
    result = kit.only(kit.check(add=f"{EVENT} ikg:{prop} {bad} ."), f"Event_Shape-{prop}-class")
    assert result.result_path == IKG[prop]
    assert result.value == kit.iri(bad)
    assert expected in result.message


def test_labels_of_documents_are_checked_like_any_other(kit) -> None:
    result = kit.only(
        kit.check(add=f'{DOC} rdfs:label "Press release"@en .'), "Label_Shape-label-unique"
    )
    assert result.result_path == RDFS.label
