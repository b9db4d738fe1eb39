"""The three city indicators on Testville/Otherburg, derived by hand (data/testville.trig)."""

from __future__ import annotations

from datetime import date

import pytest

from inclusion_kg.graph.errors import InputError
from inclusion_kg.graph.network.indicators import city_indicators
from inclusion_kg.graph.network.projection import (
    NetworkFilter,
    OxigraphRunner,
    Period,
    project_network,
)

A = "https://w3id.org/inclusion-kg/id/actor/"
PA = "https://w3id.org/inclusion-kg/vocab/policy-area/"
TESTVILLE = "https://w3id.org/inclusion-kg/id/city/testville"
OTHERBURG = "https://w3id.org/inclusion-kg/id/city/otherburg"


@pytest.fixture(scope="module")
def indicators(testville: OxigraphRunner):
    return city_indicators(project_network(testville, reference=date(2020, 1, 1)))


def test_cities(indicators) -> None:
    assert set(indicators) == {TESTVILLE, OTHERBURG}
    assert indicators[TESTVILLE].label == "Testville"


def test_coverage(indicators) -> None:
    # Testville partnerships joining public A with a non-public partner: P1 (housing,
    # employment), P2 (language), P3 (social inclusion), P4 (reception, with IOM's
    # office), P5 (political participation). P7 (B-C, culture) has no public partner.
    # 6 of the 14 policy areas.
    coverage = indicators[TESTVILLE].coverage
    assert coverage.covered == sorted(
        PA + a
        for a in (
            "housing",
            "employment",
            "language",
            "social-inclusion",
            "reception",
            "political-participation",
        )
    )
    assert coverage.share == pytest.approx(6 / 14)
    assert PA + "culture" in coverage.missing
    assert indicators[OTHERBURG].coverage.share == pytest.approx(1 / 14)


def test_civil_society_partnership(indicators) -> None:
    # Testville ties: A-B, A-C, A-D, B-D, A-E2, A-F, B-C (7). Public-civil: A-B, A-C,
    # A-F (the council is civil society). Equality: 0.875, 0.25, 0.5 -> 1.625/3.
    # Eye to eye: only A-B (P1) -> 1/3.
    civil = indicators[TESTVILLE].civil_society
    assert (civil.ties, civil.public_civil_ties) == (7, 3)
    assert civil.share == pytest.approx(3 / 7)
    assert civil.mean_equality == pytest.approx(1.625 / 3)
    assert civil.eye_to_eye_share == pytest.approx(1 / 3)
    assert civil.pairs == sorted([(A + "a", A + "b"), (A + "a", A + "c"), (A + "a", A + "f")])


def test_civil_society_mean_strength(testville: OxigraphRunner) -> None:
    net = project_network(testville, reference=date(2020, 1, 1))
    civil = city_indicators(net)[TESTVILLE].civil_society
    edges = [net.graph.edges[A + "a", A + x]["strength"] for x in "bcf"]
    assert civil.mean_strength == pytest.approx(sum(edges) / 3)


def test_migrant_participation(indicators) -> None:
    # Testville council: budget and own initiatives -> (1 + 1 + 1) / 3 = 1
    testville = indicators[TESTVILLE].migrant_participation
    assert testville.score == 1.0
    assert testville.council_exists
    assert testville.has_budget
    assert testville.has_own_initiative_right
    # Otherburg council: hasBudget false, initiative not recorded -> 1/3
    otherburg = indicators[OTHERBURG].migrant_participation
    assert otherburg.score == pytest.approx(1 / 3)
    assert otherburg.councils[0].has_budget is False
    assert otherburg.councils[0].has_own_initiative_right is None


def test_city_without_council_scores_zero() -> None:
    runner = OxigraphRunner()
    runner.load(
        b"""@prefix ikg: <https://w3id.org/inclusion-kg/ontology#> .
        <urn:c> a ikg:City . <urn:m> a ikg:Municipality ; ikg:basedIn <urn:c> .""",
        "text/turtle",
    )
    result = city_indicators(project_network(runner))["urn:c"]
    assert result.migrant_participation.score == 0.0
    assert not result.migrant_participation.council_exists
    assert result.coverage.share == 0.0
    assert result.civil_society.share is None


def test_as_of_changes_indicators(testville: OxigraphRunner) -> None:
    # As of 2018-06-01 Testville has P1, P2, P4, P5: no P3 -> social inclusion not covered
    net = project_network(testville, NetworkFilter(period=Period(as_of=date(2018, 6, 1))))
    coverage = city_indicators(net)[TESTVILLE].coverage
    assert coverage.share == pytest.approx(5 / 14)


def test_city_filter_restricts(testville: OxigraphRunner) -> None:
    net = project_network(testville, NetworkFilter(cities=frozenset({"Otherburg"})))
    assert set(city_indicators(net)) == {OTHERBURG}


def test_needs_partnerships_layer(testville: OxigraphRunner) -> None:
    with pytest.raises(InputError):
        city_indicators(project_network(testville, layer="services"))
