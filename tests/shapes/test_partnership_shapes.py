"""shapes/partnership.ttl: partnerships, participations, periods and policy areas.

Each test breaks one thing in data/valid.ttl; expected results follow the data contract
(docs/HELPERS-CONTRACT.md). Where one break necessarily trips two rules (a participation
without a participant also leaves its partnership with one partner), the test names both.
"""

from __future__ import annotations

import pytest
from rdflib import BNode, Literal
from rdflib.namespace import PROV, XSD

from inclusion_kg.graph.namespaces import IKG
from inclusion_kg.graph.validate import IKGSH, Severity

P = "partnership:admin4all-funding"
IOM = "participation:admin4all-funding--iom"
DG = "participation:admin4all-funding--dg-empl"


# --- partners -------------------------------------------------------------------------------


def test_a_partnership_needs_two_participations(kit) -> None:
    report = kit.check(remove=f"{P} ikg:hasParticipation {IOM} . {IOM} ?p ?o")
    assert kit.shapes_of(report) == {
        "Partnership_Shape-hasParticipation-count",
        "Partnership_Shape-partners",
    }
    result = kit.result_of(report, "Partnership_Shape-hasParticipation-count")
    assert result.focus_node == kit.iri(P)
    assert result.result_path == IKG.hasParticipation
    assert result.severity is Severity.VIOLATION
    assert "at least two ikg:hasParticipation" in result.message


def test_a_partnership_needs_two_distinct_partners(kit) -> None:
    # both participations name DG EMPL: two participations, one partner
    report = kit.check(
        remove=f"{IOM} ikg:participant ?a", add=f"{IOM} ikg:participant actor:dg-empl ."
    )
    assert kit.shapes_of(report) == {"Partnership_Shape-partners", "Participation_Shape-iri"}
    result = kit.result_of(report, "Partnership_Shape-partners")
    assert result.focus_node == kit.iri(P)
    assert result.severity is Severity.VIOLATION
    assert result.value is None
    assert "has 1 distinct partner(s)" in result.message
    assert "at least two distinct actors" in result.message


def test_a_partnership_without_participations_has_zero_partners(kit) -> None:
    report = kit.check(remove=f"{P} ikg:hasParticipation ?x . ?x ?p ?o")
    assert kit.shapes_of(report) == {
        "Partnership_Shape-hasParticipation-count",
        "Partnership_Shape-partners",
    }
    assert (
        "has 0 distinct partner(s)" in kit.result_of(report, "Partnership_Shape-partners").message
    )


def test_has_participation_must_point_to_a_participation(kit) -> None:
    add = f"{P} ikg:hasParticipation participation:admin4all-funding--nobody ."
    result = kit.only(kit.check(add=add), "Partnership_Shape-hasParticipation-class")
    assert result.focus_node == kit.iri(P)
    assert result.value == kit.iri("participation:admin4all-funding--nobody")
    assert "ikg:Participation" in result.message


def test_three_partners_are_fine(kit) -> None:
    add = f"""{P} ikg:hasParticipation participation:admin4all-funding--mpi-europe .
    participation:admin4all-funding--mpi-europe a ikg:Participation ;
        ikg:participant actor:mpi-europe ; ikg:partnerRole role:expert ."""
    assert kit.check(add=add).results == ()


# --- controlled values ------------------------------------------------------------------------


def test_a_partnership_needs_a_type(kit) -> None:
    result = kit.only(
        kit.check(remove=f"{P} ikg:partnershipType ?t"), "Partnership_Shape-partnershipType-count"
    )
    assert result.focus_node == kit.iri(P)
    assert result.result_path == IKG.partnershipType
    assert "ikg:partnershipType" in result.message


def test_several_types_are_fine(kit) -> None:
    assert kit.check(add=f"{P} ikg:partnershipType pt:capacity-building .").results == ()


@pytest.mark.parametrize(
    ("prop", "bad", "scheme"),
    [
        ("partnershipType", "fm:grant", "partnership-type"),
        ("formality", "pt:funding", "formality"),
        ("roleEquality", "eq:eye-to-eye-ish", "role-equality"),
        ("resourceExchanged", "pt:funding", "resource-type"),
    ],
)
def test_controlled_values_come_from_their_scheme(kit, prop: str, bad: str, scheme: str) -> None:
    report = kit.check(remove=f"{P} ikg:{prop} ?v", add=f"{P} ikg:{prop} {bad} .")
    result = kit.only(report, f"Partnership_Shape-{prop}-in")
    assert result.focus_node == kit.iri(P)
    assert result.result_path == IKG[prop]
    assert result.value == kit.iri(bad)
    assert f"ikg:{prop}" in result.message
    assert f"{scheme} scheme" in result.message


def test_a_literal_is_not_a_concept(kit) -> None:
    report = kit.check(remove=f"{P} ikg:formality ?v", add=f'{P} ikg:formality "grant" .')
    result = kit.only(report, "Partnership_Shape-formality-in")
    assert result.value == Literal("grant")


def test_a_partnership_needs_a_formality(kit) -> None:
    result = kit.only(
        kit.check(remove=f"{P} ikg:formality ?v"), "Partnership_Shape-formality-count"
    )
    assert result.result_path == IKG.formality
    assert "exactly one ikg:formality" in result.message


def test_a_partnership_has_only_one_formality(kit) -> None:
    result = kit.only(
        kit.check(add=f"{P} ikg:formality fm:contract ."), "Partnership_Shape-formality-count"
    )
    assert result.focus_node == kit.iri(P)


def test_role_equality_is_optional(kit) -> None:
    assert kit.check(remove=f"{P} ikg:roleEquality ?v").results == ()


def test_a_partnership_has_at_most_one_role_equality(kit) -> None:
    result = kit.only(
        kit.check(add=f"{P} ikg:roleEquality eq:eye-to-eye ."),
        "Partnership_Shape-roleEquality-count",
    )
    assert result.result_path == IKG.roleEquality
    assert "at most one ikg:roleEquality" in result.message


# --- links ------------------------------------------------------------------------------------


def test_evidence_must_be_a_source_document(kit) -> None:
    result = kit.only(
        kit.check(add=f"{P} prov:wasDerivedFrom actor:iom ."),
        "Partnership_Shape-wasDerivedFrom-class",
    )
    assert result.result_path == PROV.wasDerivedFrom
    assert result.value == kit.iri("actor:iom")
    assert "ikg:SourceDocument" in result.message


def test_area_served_must_be_a_place(kit) -> None:
    result = kit.only(
        kit.check(add=f"{P} ikg:areaServed actor:iom ."), "Partnership_Shape-areaServed-class"
    )
    assert result.result_path == IKG.areaServed
    assert result.value == kit.iri("actor:iom")
    assert "place" in result.message


def test_funded_by_must_be_a_funding_project(kit) -> None:
    result = kit.only(
        kit.check(add=f"{P} ikg:fundedBy programme:amif ."), "Partnership_Shape-fundedBy-class"
    )
    assert result.result_path == IKG.fundedBy
    assert result.value == kit.iri("programme:amif")
    assert "ikg:FundingProject" in result.message


# --- participations ----------------------------------------------------------------------------


def test_a_participation_must_be_an_iri(kit) -> None:
    add = f"""{P} ikg:hasParticipation [ a ikg:Participation ;
        ikg:participant actor:mpi-europe ; ikg:partnerRole role:expert ] ."""
    result = kit.only(kit.check(add=add), "Participation_Shape-iri-kind")
    assert isinstance(result.focus_node, BNode)
    assert result.severity is Severity.VIOLATION
    assert "IRI" in result.message
    assert "blank node" in result.message


def test_a_participation_is_named_after_partnership_and_actor(kit) -> None:
    remove = f"{P} ikg:hasParticipation {IOM} . {IOM} ?p ?o"
    add = f"""{P} ikg:hasParticipation participation:iom-in-admin4all .
    participation:iom-in-admin4all a ikg:Participation ;
        ikg:participant actor:iom ; ikg:partnerRole role:implementer ."""
    result = kit.only(kit.check(remove=remove, add=add), "Participation_Shape-iri")
    assert result.focus_node == kit.iri("participation:iom-in-admin4all")
    assert result.severity is Severity.VIOLATION
    assert "should be named id:participation/admin4all-funding--iom" in result.message


def test_a_participation_needs_a_participant(kit) -> None:
    report = kit.check(remove=f"{IOM} ikg:participant ?a")
    assert kit.shapes_of(report) == {
        "Participation_Shape-participant-count",
        "Partnership_Shape-partners",
    }
    result = kit.result_of(report, "Participation_Shape-participant-count")
    assert result.focus_node == kit.iri(IOM)
    assert result.result_path == IKG.participant
    assert "exactly one ikg:participant" in result.message


def test_a_participation_has_one_participant(kit) -> None:
    report = kit.check(add=f"{IOM} ikg:participant actor:mpi-europe .")
    # the second participant also does not match the participation's name
    assert kit.shapes_of(report) == {
        "Participation_Shape-participant-count",
        "Participation_Shape-iri",
    }
    assert kit.result_of(report, "Participation_Shape-participant-count").focus_node == kit.iri(IOM)


def test_a_participant_must_be_an_actor(kit) -> None:
    # a node named like the actor, so that only the class is wrong
    add = f"""{IOM} ikg:participant city:iom . city:iom a ikg:City ; rdfs:label "Iom"@en ;
        ikg:country country:italy ."""
    report = kit.check(remove=f"{IOM} ikg:participant ?a", add=add)
    result = kit.only(report, "Participation_Shape-participant-class")
    assert result.focus_node == kit.iri(IOM)
    assert result.value == kit.iri("city:iom")
    assert "actor" in result.message


def test_a_participation_needs_a_role(kit) -> None:
    result = kit.only(
        kit.check(remove=f"{IOM} ikg:partnerRole ?r"), "Participation_Shape-partnerRole-count"
    )
    assert result.focus_node == kit.iri(IOM)
    assert result.result_path == IKG.partnerRole
    assert "exactly one ikg:partnerRole" in result.message


def test_a_participation_has_one_role(kit) -> None:
    report = kit.check(add=f"{IOM} ikg:partnerRole role:lead .")
    assert kit.only(report, "Participation_Shape-partnerRole-count").focus_node == kit.iri(IOM)


def test_a_role_comes_from_the_partner_role_scheme(kit) -> None:
    report = kit.check(
        remove=f"{IOM} ikg:partnerRole ?r", add=f"{IOM} ikg:partnerRole pt:funding ."
    )
    result = kit.only(report, "Participation_Shape-partnerRole-in")
    assert result.value == kit.iri("pt:funding")
    assert "partner-role scheme" in result.message


def test_a_participation_belongs_to_a_partnership(kit) -> None:
    # a second partnership of DG EMPL and IOM that forgets the IOM participation
    add = """partnership:admin4all-copy a ikg:Partnership ; rdfs:label "Copy"@en ;
        ikg:partnershipType pt:funding ; ikg:formality fm:grant ;
        prov:wasDerivedFrom document:mpi-press-release-2020-05-28 ;
        ikg:hasParticipation participation:admin4all-copy--dg-empl ,
                             participation:admin4all-copy--iom .
    participation:admin4all-copy--dg-empl a ikg:Participation ;
        ikg:participant actor:dg-empl ; ikg:partnerRole role:funder .
    participation:admin4all-copy--iom a ikg:Participation ;
        ikg:participant actor:iom ; ikg:partnerRole role:implementer ."""
    assert kit.check(add=add).results == ()
    report = kit.check(
        add=add.replace(",\n                             participation:admin4all-copy--iom", "")
    )
    assert kit.shapes_of(report) == {
        "Participation_Shape-partnership-count",  # the orphan
        "Partnership_Shape-hasParticipation-count",  # the copy, left with one participation
        "Partnership_Shape-partners",
    }
    result = kit.result_of(report, "Participation_Shape-partnership-count")
    assert result.focus_node == kit.iri("participation:admin4all-copy--iom")
    assert result.result_path == "^ikg:hasParticipation"
    assert result.severity is Severity.VIOLATION
    assert "exactly one partnership" in result.message


def test_a_participation_belongs_to_only_one_partnership(kit) -> None:
    add = f"""partnership:admin4all-copy a ikg:Partnership ; rdfs:label "Copy"@en ;
        ikg:partnershipType pt:funding ; ikg:formality fm:grant ;
        prov:wasDerivedFrom document:mpi-press-release-2020-05-28 ;
        ikg:hasParticipation {IOM} , {DG} ."""
    report = kit.check(add=add)
    partnership_counts = [
        r for r in report if r.shape == IKGSH["Participation_Shape-partnership-count"]
    ]
    assert {r.focus_node for r in partnership_counts} == {kit.iri(IOM), kit.iri(DG)}
    # the copy's participations are not named after it
    assert kit.shapes_of(report) == {
        "Participation_Shape-partnership-count",
        "Participation_Shape-iri",
    }


# --- periods ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ('"2017-01-01"^^xsd:date', '"2020-12-31"^^xsd:date'),
        ('"2017-01-01"^^xsd:date', '"2017-01-01"^^xsd:date'),  # one day
        ('"2020-05-28"^^xsd:date', '"2020"^^xsd:gYear'),  # same year, less precise
        ('"2020-05-28"^^xsd:date', '"2020-05"^^xsd:gYearMonth'),
        ('"2020"^^xsd:gYear', '"2020-01-15"^^xsd:date'),
        ('"2019-12"^^xsd:gYearMonth', '"2020"^^xsd:gYear'),
    ],
)
def test_an_end_on_or_after_the_start_is_fine(kit, start: str, end: str) -> None:
    report = kit.check(
        remove=f"{P} ikg:startDate ?s ; ikg:endDate ?e",
        add=f"{P} ikg:startDate {start} ; ikg:endDate {end} .",
    )
    assert report.results == (), report.text()


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ('"2017-01-01"^^xsd:date', '"2016-12-31"^^xsd:date'),
        ('"2020-05-28"^^xsd:date', '"2019"^^xsd:gYear'),
        ('"2020-05-28"^^xsd:date', '"2020-04"^^xsd:gYearMonth'),
        ('"2020"^^xsd:gYear', '"2019-12-31"^^xsd:date'),
        ('"2020-03"^^xsd:gYearMonth', '"2020-02-29"^^xsd:date'),
    ],
)
def test_an_end_before_the_start_is_refused(kit, start: str, end: str) -> None:
    report = kit.check(
        remove=f"{P} ikg:startDate ?s ; ikg:endDate ?e",
        add=f"{P} ikg:startDate {start} ; ikg:endDate {end} .",
    )
    result = kit.only(report, "Period_Shape-order")
    assert result.focus_node == kit.iri(P)
    assert result.result_path == IKG.endDate
    assert result.severity is Severity.VIOLATION
    end_lexical = end.split('"')[1]
    assert result.value == Literal(end_lexical, datatype=XSD[end.rsplit(":", 1)[1]])
    assert f"ends ({end_lexical}) before it starts ({start.split(chr(34))[1]})" in result.message


@pytest.mark.parametrize("prop", ["startDate", "endDate"])
def test_at_most_one_start_and_one_end(kit, prop: str) -> None:
    report = kit.check(add=f'{P} ikg:{prop} "2018-06-01"^^xsd:date .')
    result = kit.result_of(report, f"Period_Shape-{prop}-count")
    assert result.focus_node == kit.iri(P)
    assert result.result_path == IKG[prop]
    assert f"At most one ikg:{prop}" in result.message


@pytest.mark.parametrize(
    "value",
    [
        '"2020-05-28"',
        '"2020-05-28T10:00:00Z"^^xsd:dateTime',
        "2020",
        '"2020-13-01"^^xsd:date',
        '"May 2020"^^xsd:gYearMonth',
    ],
)
@pytest.mark.parametrize("prop", ["startDate", "endDate"])
def test_dates_are_xsd_dates_or_year_months_or_years(kit, prop: str, value: str) -> None:
    report = kit.check(remove=f"{P} ikg:{prop} ?d", add=f"{P} ikg:{prop} {value} .")
    result = kit.only(report, f"Period_Shape-{prop}-datatype")
    assert result.focus_node == kit.iri(P)
    assert result.result_path == IKG[prop]
    assert "xsd:date" in result.message
    assert "xsd:gYear" in result.message


def test_periods_are_checked_on_anything_dated(kit) -> None:
    add = f'{IOM} ikg:startDate "2019-01-01"^^xsd:date ; ikg:endDate "2018-01-01"^^xsd:date .'
    result = kit.only(kit.check(add=add), "Period_Shape-order")
    assert result.focus_node == kit.iri(IOM)


# --- policy areas -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "node",
    [
        P,
        "service:palermo-language-courses",
        "project:admin4all",
        "practice:migrant-council-with-budget",
    ],
)
def test_policy_areas_come_from_their_scheme(kit, node: str) -> None:
    result = kit.only(
        kit.check(add=f"{node} ikg:policyArea tg:migrants ."), "PolicyArea_Shape-policyArea-in"
    )
    assert result.focus_node == kit.iri(node)
    assert result.result_path == IKG.policyArea
    assert result.value == kit.iri("tg:migrants")
    assert "policy-area scheme" in result.message
