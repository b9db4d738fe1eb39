"""shapes/funding.ttl and shapes/service.ttl: projects, programmes, money and services.

Each test breaks one thing in data/valid.ttl; expected results follow the data contract
(docs/HELPERS-CONTRACT.md).
"""

from __future__ import annotations

import pytest
from rdflib import Literal
from rdflib.namespace import XSD

from inclusion_kg.graph.namespaces import IKG, SCHEMA
from inclusion_kg.graph.validate import Severity

PROJECT = "project:admin4all"
AMOUNT = "amount:admin4all"
SERVICE = "service:palermo-language-courses"


# --- funding projects -----------------------------------------------------------------------


@pytest.mark.parametrize("prop", ["funder", "implementer"])
def test_a_project_needs_a_funder_and_an_implementer(kit, prop: str) -> None:
    result = kit.only(
        kit.check(remove=f"{PROJECT} ikg:{prop} ?a"), f"FundingProject_Shape-{prop}-count"
    )
    assert result.focus_node == kit.iri(PROJECT)
    assert result.result_path == IKG[prop]
    assert result.severity is Severity.VIOLATION
    assert f"at least one ikg:{prop}" in result.message


@pytest.mark.parametrize("prop", ["funder", "implementer"])
def test_funders_and_implementers_are_actors(kit, prop: str) -> None:
    result = kit.only(
        kit.check(add=f"{PROJECT} ikg:{prop} programme:amif ."),
        f"FundingProject_Shape-{prop}-class",
    )
    assert result.value == kit.iri("programme:amif")
    assert f"ikg:{prop}" in result.message
    assert "actor" in result.message


def test_several_funders_are_fine(kit) -> None:
    assert kit.check(add=f"{PROJECT} ikg:funder actor:palermo-municipality .").results == ()


def test_a_project_is_part_of_a_programme(kit) -> None:
    result = kit.only(
        kit.check(add=f"{PROJECT} ikg:partOfProgramme project:admin4all ."),
        "FundingProject_Shape-partOfProgramme-class",
    )
    assert result.result_path == IKG.partOfProgramme
    assert "ikg:FundingProgramme" in result.message


def test_participating_places_are_places(kit) -> None:
    result = kit.only(
        kit.check(add=f"{PROJECT} ikg:participatingPlace actor:iom ."),
        "FundingProject_Shape-participatingPlace-class",
    )
    assert result.value == kit.iri("actor:iom")


def test_project_dates_are_in_order(kit) -> None:
    report = kit.check(
        remove=f"{PROJECT} ikg:endDate ?e", add=f'{PROJECT} ikg:endDate "2016"^^xsd:gYear .'
    )
    assert kit.only(report, "Period_Shape-order").focus_node == kit.iri(PROJECT)


# --- budgets and amounts -----------------------------------------------------------------------


def test_at_most_one_budget(kit) -> None:
    add = f"""{PROJECT} ikg:budget amount:other .
        amount:other a schema:MonetaryAmount ; schema:value 5.0 ; schema:currency "EUR" ."""
    result = kit.only(kit.check(add=add), "Budget_Shape-budget-count")
    assert result.focus_node == kit.iri(PROJECT)
    assert result.result_path == IKG.budget
    assert "At most one ikg:budget" in result.message


def test_a_budget_is_a_monetary_amount_not_a_number(kit) -> None:
    report = kit.check(remove=f"{PROJECT} ikg:budget ?b", add=f"{PROJECT} ikg:budget 1000000.0 .")
    # the number is also checked as an amount (it is the object of ikg:budget)
    assert kit.shapes_of(report) == {
        "Budget_Shape-budget-class",
        "MonetaryAmount_Shape-value-count",
        "MonetaryAmount_Shape-currency-count",
    }
    result = kit.result_of(report, "Budget_Shape-budget-class")
    assert result.focus_node == kit.iri(PROJECT)
    assert result.value == Literal("1000000.0", datatype=XSD.decimal)
    assert "schema:MonetaryAmount" in result.message


@pytest.mark.parametrize("holder", [SERVICE, "actor:palermo-migrant-council"])
def test_budgets_of_services_and_councils_are_checked_too(kit, holder: str) -> None:
    add = f"""{holder} ikg:budget amount:small .
        amount:small a schema:MonetaryAmount ; schema:value -13000.0 ; schema:currency "PLN" ."""
    result = kit.only(kit.check(add=add), "MonetaryAmount_Shape-value-range")
    assert result.focus_node == kit.iri("amount:small")
    assert kit.check(add=add.replace("-13000.0", "13000.0")).results == ()


def test_an_untyped_budget_node_is_still_checked(kit) -> None:
    report = kit.check(
        remove=f"{AMOUNT} a ?t ; schema:value ?v", add=f"{AMOUNT} schema:value -1.0 ."
    )
    assert kit.shapes_of(report) == {
        "Budget_Shape-budget-class",
        "MonetaryAmount_Shape-value-range",
    }
    assert kit.result_of(report, "MonetaryAmount_Shape-value-range").focus_node == kit.iri(AMOUNT)


def test_an_amount_needs_a_value(kit) -> None:
    result = kit.only(
        kit.check(remove=f"{AMOUNT} schema:value ?v"), "MonetaryAmount_Shape-value-count"
    )
    assert result.focus_node == kit.iri(AMOUNT)
    assert result.result_path == SCHEMA.value
    assert "exactly one schema:value" in result.message


def test_an_amount_has_one_value(kit) -> None:
    result = kit.only(
        kit.check(add=f"{AMOUNT} schema:value 5.0 ."), "MonetaryAmount_Shape-value-count"
    )
    assert result.focus_node == kit.iri(AMOUNT)


@pytest.mark.parametrize("value", ["1000000", '"1000000.0"^^xsd:double'])
def test_an_amount_value_is_a_decimal(kit, value: str) -> None:
    report = kit.check(remove=f"{AMOUNT} schema:value ?v", add=f"{AMOUNT} schema:value {value} .")
    result = kit.only(report, "MonetaryAmount_Shape-value-datatype")
    assert result.result_path == SCHEMA.value
    assert "xsd:decimal" in result.message


@pytest.mark.parametrize("value", ['"1000000"', '"a lot"^^xsd:decimal'])
def test_an_amount_value_that_is_no_number_is_neither_decimal_nor_in_range(kit, value: str) -> None:
    # SHACL: a value that cannot be compared with 0 fails sh:minInclusive as well
    report = kit.check(remove=f"{AMOUNT} schema:value ?v", add=f"{AMOUNT} schema:value {value} .")
    assert kit.shapes_of(report) == {
        "MonetaryAmount_Shape-value-datatype",
        "MonetaryAmount_Shape-value-range",
    }


def test_an_amount_is_not_negative(kit) -> None:
    report = kit.check(remove=f"{AMOUNT} schema:value ?v", add=f"{AMOUNT} schema:value -0.5 .")
    result = kit.only(report, "MonetaryAmount_Shape-value-range")
    assert result.value == Literal("-0.5", datatype=XSD.decimal)
    assert "not below 0" in result.message


def test_a_zero_amount_is_fine(kit) -> None:
    assert (
        kit.check(remove=f"{AMOUNT} schema:value ?v", add=f"{AMOUNT} schema:value 0.0 .").results
        == ()
    )


def test_an_amount_needs_a_currency(kit) -> None:
    result = kit.only(
        kit.check(remove=f"{AMOUNT} schema:currency ?c"), "MonetaryAmount_Shape-currency-count"
    )
    assert result.result_path == SCHEMA.currency
    assert "schema:currency" in result.message


def test_an_amount_has_one_currency(kit) -> None:
    result = kit.only(
        kit.check(add=f'{AMOUNT} schema:currency "PLN" .'), "MonetaryAmount_Shape-currency-count"
    )
    assert result.focus_node == kit.iri(AMOUNT)


@pytest.mark.parametrize("currency", ['"eur"', '"EURO"', '"€"', '"EUR"@en', '"E1R"'])
def test_a_currency_is_an_iso_4217_shaped_code(kit, currency: str) -> None:
    report = kit.check(
        remove=f"{AMOUNT} schema:currency ?c", add=f"{AMOUNT} schema:currency {currency} ."
    )
    result = kit.only(report, "MonetaryAmount_Shape-currency-pattern")
    assert result.focus_node == kit.iri(AMOUNT)
    assert result.result_path == SCHEMA.currency
    assert "ISO 4217" in result.message


# --- services ----------------------------------------------------------------------------------


def test_a_service_needs_a_provider(kit) -> None:
    result = kit.only(
        kit.check(remove=f"{SERVICE} ikg:provider ?p"), "Service_Shape-provider-count"
    )
    assert result.focus_node == kit.iri(SERVICE)  # an ikg:PublicService is an ikg:Service
    assert result.result_path == IKG.provider
    assert "at least one ikg:provider" in result.message


def test_a_provider_is_an_actor(kit) -> None:
    result = kit.only(
        kit.check(add=f"{SERVICE} ikg:provider city:palermo ."), "Service_Shape-provider-class"
    )
    assert result.value == kit.iri("city:palermo")


def test_a_provider_typed_only_outside_the_ontology_is_refused(kit) -> None:
    # an org:Organization is not an ikg:Actor (the subclass link goes the other way)
    add = f"""actor:acme a org:Organization ; rdfs:label "ACME"@en .
        {SERVICE} ikg:provider actor:acme ."""
    assert kit.only(kit.check(add=add), "Service_Shape-provider-class").value == kit.iri(
        "actor:acme"
    )


def test_a_service_needs_a_policy_area(kit) -> None:
    result = kit.only(
        kit.check(remove=f"{SERVICE} ikg:policyArea ?p"), "Service_Shape-policyArea-count"
    )
    assert result.result_path == IKG.policyArea
    assert "at least one ikg:policyArea" in result.message


@pytest.mark.parametrize(
    ("prop", "scheme"), [("targetGroup", "target-group"), ("eligibleLegalStatus", "legal-status")]
)
def test_target_groups_and_legal_statuses_come_from_their_schemes(
    kit, prop: str, scheme: str
) -> None:
    result = kit.only(
        kit.check(add=f"{SERVICE} ikg:{prop} pa:housing ."), f"Service_Shape-{prop}-in"
    )
    assert result.focus_node == kit.iri(SERVICE)
    assert result.result_path == IKG[prop]
    assert result.value == kit.iri("pa:housing")
    assert f"{scheme} scheme" in result.message


@pytest.mark.parametrize(
    ("prop", "bad", "expected"),
    [
        ("areaServed", "actor:iom", "place"),
        ("fundedBy", "programme:amif", "ikg:FundingProject"),
        ("competentAuthority", "actor:iom", "public authority"),
    ],
)
def test_service_links_point_to_the_right_kind(kit, prop: str, bad: str, expected: str) -> None:
    result = kit.only(kit.check(add=f"{SERVICE} ikg:{prop} {bad} ."), f"Service_Shape-{prop}-class")
    assert result.result_path == IKG[prop]
    assert result.value == kit.iri(bad)
    assert expected in result.message
