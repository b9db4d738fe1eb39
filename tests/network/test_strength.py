"""Partnership strength on the Testville graph, every value derived by hand.

Reference date 2020-01-01 unless stated. Days / 365.25 give years; duration is
y / (y + 2); recency 2 ** (-gap / 2); multiplexity x / (x + 2); sources n / (n + 1).
"""

from __future__ import annotations

from datetime import date

import pytest

from inclusion_kg.graph.errors import InputError, NotFound
from inclusion_kg.graph.network.projection import OxigraphRunner, project_network
from inclusion_kg.graph.network.strength import (
    SharedPartnership,
    StrengthWeights,
    TieEvidence,
    score_tie,
)

A = "https://w3id.org/inclusion-kg/id/actor/"
REF = date(2020, 1, 1)
W = StrengthWeights()


def years(days: int) -> float:
    return days / 365.25


def sat(x: float, half: float) -> float:
    return x / (x + half)


def expected(components: dict[str, float]) -> float:
    w = W.weights()
    return sum(w[k] * components[k] for k in w) / sum(w.values())


@pytest.fixture(scope="module")
def network(testville: OxigraphRunner):
    return project_network(testville, reference=REF)


def components(network, a: str, b: str) -> dict[str, float]:
    return network.explain(A + a, A + b).components


def test_a_b_two_partnerships(network) -> None:
    # P1 (formal agreement, eye to eye, 2 types, 2 areas, d1 d2, 2016-01-01..) and
    # P3 (informal, near-equal, network, social inclusion, d3, 2019-01-01..):
    # formality max(4, 1)/4 = 1; union 2016-01-01..2020-01-01 = 1461 days = 4 y -> 4/6;
    # ongoing -> 1; 3 types + 3 areas -> x = 4 -> 4/6; no funding -> 0;
    # equality (4 + 3) / 2 / 4 = 0.875; sources 3 -> 3/4. Score 0.7625.
    c = components(network, "a", "b")
    assert c == pytest.approx(
        {
            "formality": 1.0,
            "duration": 4 / 6,
            "recency": 1.0,
            "multiplexity": 4 / 6,
            "shared_funding": 0.0,
            "equality": 0.875,
            "sources": 0.75,
        }
    )
    assert network.graph.edges[A + "a", A + "b"]["strength"] == pytest.approx(0.7625)
    assert network.graph.edges[A + "a", A + "b"]["n_partnerships"] == 2


def test_a_c_ended_grant_funded_hierarchical_by_roles(network) -> None:
    # P2: grant (3/4); 2018-01-01..2018-12-31 inclusive = 365 days; ended 366 days before
    # the reference -> 2 ** (-years(366) / 2); funded by proj1 -> 1; no roleEquality but
    # A is funder and C implementer -> hierarchical 1/4; one source -> 1/2.
    c = components(network, "a", "c")
    want = {
        "formality": 0.75,
        "duration": sat(years(365), 2),
        "recency": 2 ** (-years(366) / 2),
        "multiplexity": 0.0,
        "shared_funding": 1.0,
        "equality": 0.25,
        "sources": 0.5,
    }
    assert c == pytest.approx(want)
    assert network.graph.edges[A + "a", A + "c"]["weight"] == pytest.approx(expected(want))


def test_gyear_dates_and_partly_equal(network) -> None:
    # P4 E2-A: contract 3/4; "2017"^^gYear .. "2021"^^gYear -> 2017-01-01 .. 2021-12-31,
    # ongoing at the reference; 2017-01-01..2020-01-01 = 1095 days; partly equal 2/4.
    c = components(network, "a", "e2")
    assert c["duration"] == pytest.approx(sat(years(1095), 2))
    assert c["recency"] == 1.0
    assert c["equality"] == 0.5


def test_three_partner_partnership_projects_to_a_triangle(network) -> None:
    # P3 has A, B, D: ties A-D and B-D come from P3 alone (informal 1/4, 365 days,
    # near-equal 3/4, one source). Score = .25*.25 + .15*d + .15 + .1*.75 + .1*.5
    d = sat(years(365), 2)
    for pair in (("a", "d"), ("b", "d")):
        edge = network.graph.edges[A + pair[0], A + pair[1]]
        assert edge["strength"] == pytest.approx(0.0625 + 0.15 * d + 0.15 + 0.075 + 0.05)


def test_every_edge_keeps_components_and_they_sum_to_the_score(network) -> None:
    for u, v in network.graph.edges():
        explanation = network.explain(u, v)
        assert sum(explanation.contributions.values()) == pytest.approx(explanation.score)
        assert 0.0 <= explanation.score <= 1.0


def test_explain_unknown_pair(network) -> None:
    with pytest.raises(NotFound, match="share no tie"):
        network.explain(A + "a", A + "i")
    with pytest.raises(NotFound, match="not in the network"):
        network.explain(A + "a", A + "nobody")


def test_explain_lists_partnerships(network) -> None:
    explanation = network.explain(A + "b", A + "a")
    assert explanation.partnerships == (
        "https://w3id.org/inclusion-kg/id/partnership/p1",
        "https://w3id.org/inclusion-kg/id/partnership/p3",
    )
    details = explanation.extra["partnership_details"]
    assert [d["formality_rank"] for d in details] == [4, 1]


def test_custom_weights_change_the_score(testville: OxigraphRunner) -> None:
    only_formality = StrengthWeights(
        formality=1, duration=0, recency=0, multiplexity=0, shared_funding=0, equality=0, sources=0
    )
    net = project_network(testville, weights=only_formality, reference=REF)
    assert net.graph.edges[A + "a", A + "c"]["strength"] == pytest.approx(0.75)
    assert net.graph.edges[A + "g", A + "h"]["strength"] == pytest.approx(0.5)


def test_weights_are_validated() -> None:
    with pytest.raises(InputError):
        StrengthWeights(
            formality=0,
            duration=0,
            recency=0,
            multiplexity=0,
            shared_funding=0,
            equality=0,
            sources=0,
        )
    with pytest.raises(InputError, match="unknown strength weight"):
        StrengthWeights.from_mapping({"trust": 1.0})
    assert StrengthWeights.from_mapping({"formality": 2.0}).formality == 2.0


def test_no_evidence_scores_zero() -> None:
    tie = score_tie(TieEvidence(), REF)
    assert tie.score == 0.0


def test_recency_half_life() -> None:
    # ended exactly two Julian years (730.5 days ~ 730 days) before: close to one half
    p = SharedPartnership("p", start=date(2010, 1, 1), end=date(2018, 1, 1))
    c = score_tie(TieEvidence((p,)), date(2020, 1, 1)).components
    assert c["recency"] == pytest.approx(2 ** (-years(730) / 2))
