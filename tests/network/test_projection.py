"""Projection of the Testville graph: nodes, layers, filters, aggregation, periods.

Edges at reference 2020-01-01 without filters (see data/testville.trig):
A-B (P1, P3), A-C (P2), A-D (P3), B-D (P3), A-E2 (P4), A-F (P5), G-H (P6), B-C (P7).
"""

from __future__ import annotations

from datetime import date

import pytest

from inclusion_kg.graph.errors import InputError
from inclusion_kg.graph.network.projection import (
    NetworkFilter,
    OxigraphRunner,
    Period,
    fetch,
    parse_date_bounds,
    project_network,
    resolve_actor_type,
)

A = "https://w3id.org/inclusion-kg/id/actor/"
REF = date(2020, 1, 1)


def pairs(network) -> set[str]:
    return {"-".join(sorted(x.removeprefix(A) for x in e)) for e in network.graph.edges()}


def test_one_select_reads_everything(testville: OxigraphRunner) -> None:
    calls = []

    class Counting:
        def select(self, sparql: str):
            calls.append(sparql)
            return testville.select(sparql)

    raw = fetch(Counting())
    assert len(calls) == 1
    assert len(raw.actors) == 10
    assert len(raw.partnerships) == 7
    assert set(raw.projects) == {"https://w3id.org/inclusion-kg/id/project/proj1"}
    assert len(raw.services) == 1


def test_default_network(testville: OxigraphRunner) -> None:
    net = project_network(testville, reference=REF)
    assert net.graph.number_of_nodes() == 10  # every actor, isolates E and I included
    assert pairs(net) == {"a-b", "a-c", "a-d", "b-d", "a-e2", "a-f", "g-h", "b-c"}
    assert net.metadata["aggregated_units"] is False


def test_node_attributes(testville: OxigraphRunner) -> None:
    net = project_network(testville, reference=REF)
    b = net.graph.nodes[A + "b"]
    assert b["label"] == "NGO Alpha"
    assert b["actor_type"].endswith("#NGO")  # most specific of NGO, CSO, Actor
    assert b["sector_label"] == "civil-society"
    assert b["city_label"] == "Testville"
    assert b["country"].endswith("/country/italy")
    e = net.graph.nodes[A + "e"]
    assert "city" not in e
    assert e["country"].endswith("/country/italy")
    f = net.graph.nodes[A + "f"]
    assert f["has_budget"] is True
    assert f["has_own_initiative_right"] is True


def test_language(testville: OxigraphRunner) -> None:
    net = project_network(testville, language="it", reference=REF)
    assert net.graph.nodes[A + "a"]["label"] == "Comune di Cittàtest"
    assert net.graph.nodes[A + "a"]["city_label"] == "Cittàtest"
    assert net.graph.nodes[A + "b"]["label"] == "NGO Alpha"  # English fallback


def test_city_filter_keeps_outside_partners(testville: OxigraphRunner) -> None:
    net = project_network(testville, NetworkFilter(cities=frozenset({"Otherburg"})), reference=REF)
    assert set(net.graph) == {A + "g", A + "h", A + "i"}
    assert pairs(net) == {"g-h"}
    by_slug = project_network(
        testville, NetworkFilter(cities=frozenset({"testville"})), reference=REF
    )
    assert A + "i" not in by_slug.graph
    assert A + "e" not in by_slug.graph
    assert pairs(by_slug) == {"a-b", "a-c", "a-d", "b-d", "a-e2", "a-f", "b-c"}


def test_country_filter_by_iso_code(testville: OxigraphRunner) -> None:
    net = project_network(testville, NetworkFilter(countries=frozenset({"PL"})), reference=REF)
    assert set(net.graph) == {A + "g", A + "h", A + "i"}
    italy = project_network(testville, NetworkFilter(countries=frozenset({"IT"})), reference=REF)
    assert A + "e" in italy.graph  # based in the country itself


def test_policy_area_filter(testville: OxigraphRunner) -> None:
    flt = NetworkFilter(policy_areas=frozenset({"political-participation"}))
    net = project_network(testville, flt, reference=REF)
    assert pairs(net) == {"a-f", "g-h"}
    by_label = project_network(
        testville, NetworkFilter(policy_areas=frozenset({"Housing"})), reference=REF
    )
    assert pairs(by_label) == {"a-b"}
    # only P1 counts now: formality 1, one source... multiplexity 2 types + 2 areas -> 2/4
    assert by_label.explain(A + "a", A + "b").components["multiplexity"] == pytest.approx(0.5)


def test_actor_type_filter(testville: OxigraphRunner) -> None:
    flt = NetworkFilter(actor_types=frozenset({"PublicAuthority", "migrant-council"}))
    net = project_network(testville, flt, reference=REF)
    assert set(net.graph) == {A + "a", A + "f", A + "g", A + "h"}
    assert pairs(net) == {"a-f", "g-h"}
    with pytest.raises(InputError, match="unknown actor type"):
        project_network(testville, NetworkFilter(actor_types=frozenset({"dragon"})))


def test_formal_only(testville: OxigraphRunner) -> None:
    net = project_network(testville, NetworkFilter(min_formality_rank=4), reference=REF)
    assert pairs(net) == {"a-b", "a-f"}  # P1 and P5 are formal agreements
    # A-B now rests on P1 alone: equality 4/4, sources d1 d2 -> 2/3
    c = net.explain(A + "a", A + "b").components
    assert c["equality"] == 1.0
    assert c["sources"] == pytest.approx(2 / 3)


def test_min_sources(testville: OxigraphRunner) -> None:
    net = project_network(testville, NetworkFilter(min_sources=2), reference=REF)
    assert pairs(net) == {"a-b"}  # d1 d2 d3; every other tie has one document
    assert net.metadata["ties_below_min_sources"] == 7


def test_as_of(testville: OxigraphRunner) -> None:
    net = project_network(testville, NetworkFilter(period=Period(as_of=date(2018, 6, 1))))
    assert pairs(net) == {"a-b", "a-c", "a-e2", "a-f"}
    assert net.reference == date(2018, 6, 1)
    # P1 has run 2016-01-01..2018-06-01 = 882 days at that date
    c = net.explain(A + "a", A + "b").components
    assert c["duration"] == pytest.approx((882 / 365.25) / (882 / 365.25 + 2))


def test_year_range(testville: OxigraphRunner) -> None:
    net = project_network(
        testville, NetworkFilter(period=Period(from_year=2022, to_year=2023)), reference=REF
    )
    # P4 ended in 2021; P2 in 2018; every other partnership is ongoing
    assert pairs(net) == {"a-b", "a-d", "b-d", "a-f", "g-h", "b-c"}
    assert Period(from_year=2019, to_year=2019).reference() == date(2019, 12, 31)


def test_period_validation() -> None:
    with pytest.raises(InputError):
        Period(as_of=date(2020, 1, 1), from_year=2019)
    with pytest.raises(InputError):
        Period(from_year=2021, to_year=2019)


def test_aggregate_units(testville: OxigraphRunner) -> None:
    net = project_network(testville, aggregate_units=True, reference=REF)
    assert A + "e2" not in net.graph
    assert net.metadata["aggregated_units"] is True
    assert net.metadata["merged_units"] == {A + "e2": A + "e"}
    assert "a-e" in pairs(net)


def test_funding_layer(testville: OxigraphRunner) -> None:
    net = project_network(testville, layer="funding", reference=REF)
    # proj1: funder E, implementer C, and P2 (funded by proj1) has A and C
    assert pairs(net) == {"a-c", "a-e", "c-e"}
    edge = net.graph.edges[A + "a", A + "e"]
    assert edge["weight"] == 1.0
    assert edge["n_projects"] == 1
    before = project_network(
        testville, NetworkFilter(period=Period(as_of=date(2017, 6, 1))), layer="funding"
    )
    assert before.graph.number_of_edges() == 0


def test_services_layer(testville: OxigraphRunner) -> None:
    net = project_network(testville, layer="services", reference=REF)
    assert pairs(net) == {"b-d"}
    assert net.graph.edges[A + "b", A + "d"]["n_services"] == 1


def test_unknown_layer(testville: OxigraphRunner) -> None:
    with pytest.raises(InputError, match="unknown layer"):
        project_network(testville, layer="friendship")


def test_dates() -> None:
    assert parse_date_bounds("2021") == (date(2021, 1, 1), date(2021, 12, 31))
    assert parse_date_bounds("2019-02") == (date(2019, 2, 1), date(2019, 2, 28))
    assert parse_date_bounds("2019-02-03+02:00") == (date(2019, 2, 3), date(2019, 2, 3))
    assert parse_date_bounds("2019-02-03T10:00:00Z") == (date(2019, 2, 3), date(2019, 2, 3))
    assert parse_date_bounds("someday") is None


def test_resolve_actor_type() -> None:
    assert resolve_actor_type("NGO").endswith("#NGO")
    assert resolve_actor_type("https://w3id.org/inclusion-kg/vocab/actor-type/eu-body").endswith(
        "#EUBody"
    )


def test_participation_period_narrows_the_pair() -> None:
    runner = OxigraphRunner()
    runner.load(
        b"""@prefix ikg: <https://w3id.org/inclusion-kg/ontology#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        @prefix a: <https://w3id.org/inclusion-kg/id/actor/> .
        a:x a ikg:NGO . a:y a ikg:NGO . a:z a ikg:NGO .
        <urn:p> a ikg:Partnership ; ikg:startDate "2010-01-01"^^xsd:date ;
          ikg:hasParticipation <urn:px> , <urn:py> , <urn:pz> .
        <urn:px> ikg:participant a:x .
        <urn:py> ikg:participant a:y ; ikg:endDate "2012-12-31"^^xsd:date .
        <urn:pz> ikg:participant a:z ; ikg:startDate "2015-01-01"^^xsd:date .
        """,
        "text/turtle",
    )
    net = project_network(runner, reference=date(2020, 1, 1))
    assert pairs(net) == {"x-y", "x-z"}  # y left before z joined
    later = project_network(runner, NetworkFilter(period=Period(as_of=date(2016, 1, 1))))
    assert pairs(later) == {"x-z"}
