"""shapes/actor.ttl: labels, actor kinds, actor links, cities, regions and countries.

Each test breaks one thing in data/valid.ttl; the expected result (shape, focus node, path,
severity, what the message names) is read off the data contract in docs/HELPERS-CONTRACT.md.
"""

from __future__ import annotations

import pytest
from rdflib import Literal
from rdflib.namespace import RDFS, SKOS

from inclusion_kg.graph.namespaces import IKG
from inclusion_kg.graph.validate import Severity

LABELLED = [
    "actor:iom",  # Actor
    "city:palermo",  # Place
    "partnership:admin4all-funding",  # Partnership
    "project:admin4all",  # FundingProject
    "programme:amif",  # FundingProgramme
    "service:palermo-language-courses",  # Service (as a PublicService)
    "event:webinar-2020-05-28",  # Event
    "document:mpi-press-release-2020-05-28",  # SourceDocument (as a PressRelease)
    "practice:migrant-council-with-budget",  # GovernancePractice
    "recommendation:give-councils-a-budget",  # Recommendation
]


def test_valid_graph_has_no_result_at_all(kit) -> None:
    report = kit.check()
    assert report.results == (), report.text()
    assert report.conforms


# --- labels ------------------------------------------------------------------------------


@pytest.mark.parametrize("node", LABELLED)
def test_every_labelled_kind_needs_an_english_label(kit, node: str) -> None:
    report = kit.check(remove=f"{node} rdfs:label ?label", add=f'{node} rdfs:label "Nome"@it .')
    result = kit.only(report, "Labelled_Shape-label-en")
    assert result.focus_node == kit.iri(node)
    assert result.result_path == RDFS.label
    assert result.severity is Severity.VIOLATION
    assert "English" in result.message
    assert "@en" in result.message


@pytest.mark.parametrize("node", LABELLED)
def test_every_labelled_kind_needs_a_label(kit, node: str) -> None:
    result = kit.only(kit.check(remove=f"{node} rdfs:label ?label"), "Labelled_Shape-label-en")
    assert result.focus_node == kit.iri(node)


def test_a_regional_english_tag_counts_as_english(kit) -> None:
    report = kit.check(
        remove="actor:iom rdfs:label ?label",
        add='actor:iom rdfs:label "International Organization for Migration"@en-GB .',
    )
    assert report.results == (), report.text()


def test_a_label_needs_a_language_tag(kit) -> None:
    result = kit.only(kit.check(add='actor:iom rdfs:label "IOM" .'), "Label_Shape-label-tagged")
    assert result.focus_node == kit.iri("actor:iom")
    assert result.result_path == RDFS.label
    assert result.value == Literal("IOM")
    assert result.severity is Severity.VIOLATION
    assert "language-tagged" in result.message


def test_any_labelled_node_needs_language_tags_not_only_the_listed_kinds(kit) -> None:
    add = 'participation:admin4all-funding--iom rdfs:label "IOM as implementer" .'
    result = kit.only(kit.check(add=add), "Label_Shape-label-tagged")
    assert result.focus_node == kit.iri("participation:admin4all-funding--iom")


def test_at_most_one_label_per_language(kit) -> None:
    result = kit.only(
        kit.check(add='actor:iom rdfs:label "UN Migration"@en .'), "Label_Shape-label-unique"
    )
    assert result.focus_node == kit.iri("actor:iom")
    assert result.result_path == RDFS.label
    assert "one rdfs:label per language" in result.message
    assert "skos:altLabel" in result.message


def test_labels_in_different_languages_are_fine(kit) -> None:
    report = kit.check(
        add='actor:iom rdfs:label "Organizzazione internazionale per le migrazioni"@it .'
    )
    assert report.results == ()


def test_an_alternative_label_needs_a_language_tag(kit) -> None:
    result = kit.only(
        kit.check(add='actor:iom skos:altLabel "OIM" .'), "Label_Shape-altLabel-tagged"
    )
    assert result.focus_node == kit.iri("actor:iom")
    assert result.result_path == SKOS.altLabel
    assert result.value == Literal("OIM")
    assert "skos:altLabel" in result.message


def test_several_alternative_labels_in_one_language_are_fine(kit) -> None:
    assert kit.check(add='actor:iom skos:altLabel "UN Migration"@en .').results == ()


# --- actor kinds -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "abstract", ["ikg:Actor", "ikg:PublicAuthority", "ikg:CivilSocietyOrganisation"]
)
def test_an_actor_needs_a_concrete_kind(kit, abstract: str) -> None:
    report = kit.check(add=f'actor:somebody a {abstract} ; rdfs:label "Somebody"@en .')
    result = kit.only(report, "Actor_Shape-kind-missing")
    assert result.focus_node == kit.iri("actor:somebody")
    assert result.severity is Severity.VIOLATION
    assert result.result_path is None
    assert "no concrete kind" in result.message
    assert "id:actor/somebody" in result.message  # {$this} filled in, with a prefix


def test_an_actor_with_two_concrete_kinds_is_refused(kit) -> None:
    result = kit.only(kit.check(add="actor:iom a ikg:NGO ."), "Actor_Shape-kind-several")
    assert result.focus_node == kit.iri("actor:iom")
    assert result.severity is Severity.VIOLATION
    assert "ikg:InternationalOrganisation" in result.message
    assert "ikg:NGO" in result.message


def test_two_kinds_from_different_branches_are_refused(kit) -> None:
    report = kit.check(add="actor:palermo-municipality a ikg:MigrantLedOrganisation .")
    result = kit.only(report, "Actor_Shape-kind-several")
    assert result.focus_node == kit.iri("actor:palermo-municipality")


def test_an_implied_superclass_is_not_a_second_kind(kit) -> None:
    # what a reasoner adds: the abstract superclasses of the concrete kind
    add = "actor:palermo-municipality a ikg:PublicAuthority , ikg:Actor , org:Organization ."
    assert kit.check(add=add).results == ()


def test_every_concrete_kind_is_accepted(kit) -> None:
    kinds = [
        "Municipality", "RegionalAuthority", "NationalAuthority", "EUBody", "NGO",
        "MigrantLedOrganisation", "FaithBasedOrganisation", "VolunteerNetwork",
        "SocialEnterprise", "PrivateEmployer", "InternationalOrganisation",
        "ResearchOrganisation", "CityNetwork",
    ]  # fmt: skip
    add = "".join(f'actor:a-{kind} a ikg:{kind} ; rdfs:label "{kind}"@en .\n' for kind in kinds)
    assert kit.check(add=add).results == ()


# --- actor links ---------------------------------------------------------------------------


def test_based_in_must_be_a_place(kit) -> None:
    result = kit.only(kit.check(add="actor:iom ikg:basedIn actor:dg-empl ."), "Actor_Shape-basedIn")
    assert result.focus_node == kit.iri("actor:iom")
    assert result.result_path == IKG.basedIn
    assert result.value == kit.iri("actor:dg-empl")
    assert "ikg:basedIn" in result.message
    assert "place" in result.message


def test_based_in_an_undescribed_node_is_refused(kit) -> None:
    result = kit.only(kit.check(add="actor:iom ikg:basedIn city:nowhere ."), "Actor_Shape-basedIn")
    assert result.value == kit.iri("city:nowhere")


@pytest.mark.parametrize("place", ["city:palermo", "region:sicily", "country:italy"])
def test_based_in_any_kind_of_place_is_fine(kit, place: str) -> None:
    # ikg:City, ikg:Region and ikg:Country are places through rdfs:subClassOf only
    assert kit.check(add=f"actor:iom ikg:basedIn {place} .").results == ()


def test_sub_organisation_of_must_be_an_actor(kit) -> None:
    report = kit.check(add="actor:iom-mediterranean ikg:subOrganisationOf city:palermo .")
    result = kit.only(report, "Actor_Shape-subOrganisationOf")
    assert result.focus_node == kit.iri("actor:iom-mediterranean")
    assert result.result_path == IKG.subOrganisationOf
    assert result.value == kit.iri("city:palermo")
    assert "ikg:subOrganisationOf" in result.message


# --- places -------------------------------------------------------------------------------


@pytest.mark.parametrize(("node", "shape"), [("city:palermo", "City"), ("region:sicily", "Region")])
def test_a_city_or_region_needs_a_country(kit, node: str, shape: str) -> None:
    result = kit.only(kit.check(remove=f"{node} ikg:country ?c"), f"{shape}_Shape-country-count")
    assert result.focus_node == kit.iri(node)
    assert result.result_path == IKG.country
    assert result.severity is Severity.VIOLATION
    assert "exactly one country" in result.message


@pytest.mark.parametrize(("node", "shape"), [("city:palermo", "City"), ("region:sicily", "Region")])
def test_a_city_or_region_has_only_one_country(kit, node: str, shape: str) -> None:
    add = f"""country:malta a ikg:Country ; rdfs:label "Malta"@en ; skos:notation "MT" .
        {node} ikg:country country:malta ."""
    result = kit.only(kit.check(add=add), f"{shape}_Shape-country-count")
    assert result.focus_node == kit.iri(node)


@pytest.mark.parametrize(("node", "shape"), [("city:palermo", "City"), ("region:sicily", "Region")])
def test_the_country_of_a_city_or_region_is_a_country(kit, node: str, shape: str) -> None:
    report = kit.check(remove=f"{node} ikg:country ?c", add=f"{node} ikg:country region:sicily .")
    if node == "region:sicily":  # a region in itself: still one value, of the wrong class
        assert kit.shapes_of(report) == {f"{shape}_Shape-country-class"}
    result = kit.result_of(report, f"{shape}_Shape-country-class")
    assert result.focus_node == kit.iri(node)
    assert result.value == kit.iri("region:sicily")
    assert "ikg:Country" in result.message


def test_a_country_needs_its_iso_code(kit) -> None:
    result = kit.only(
        kit.check(remove="country:italy skos:notation ?n"), "Country_Shape-notation-count"
    )
    assert result.focus_node == kit.iri("country:italy")
    assert result.result_path == SKOS.notation
    assert "ISO 3166" in result.message


def test_a_country_has_one_code(kit) -> None:
    result = kit.only(
        kit.check(add='country:italy skos:notation "IE" .'), "Country_Shape-notation-count"
    )
    assert result.focus_node == kit.iri("country:italy")


@pytest.mark.parametrize("code", ['"ITA"', '"it"', '"I"', "country:it", '"IT "'])
def test_a_country_code_is_two_capital_letters(kit, code: str) -> None:
    report = kit.check(
        remove="country:italy skos:notation ?n", add=f"country:italy skos:notation {code} ."
    )
    result = kit.only(report, "Country_Shape-notation-pattern")
    assert result.focus_node == kit.iri("country:italy")
    assert result.result_path == SKOS.notation
    assert "alpha-2" in result.message
