"""Ties formed and dissolved between two dates on Testville (data/testville.trig).

As of 2018-06-01: P1, P2, P4, P5 -> A-B, A-C, A-E2, A-F.
As of 2020-01-01: P1, P3, P4, P5, P6, P7 -> A-B, A-D, B-D, A-E2, A-F, G-H, B-C.
"""

from __future__ import annotations

from datetime import date

import pytest

from inclusion_kg.graph.network.projection import NetworkFilter, OxigraphRunner, fetch
from inclusion_kg.graph.network.timeline import compare

A = "https://w3id.org/inclusion-kg/id/actor/"


def names(ties) -> list[str]:
    return ["-".join(sorted((t.source.removeprefix(A), t.target.removeprefix(A)))) for t in ties]


def test_formed_and_dissolved(testville: OxigraphRunner) -> None:
    change = compare(testville, date(2018, 6, 1), date(2020, 1, 1))
    assert sorted(names(change.formed)) == ["a-d", "b-c", "b-d", "g-h"]
    assert names(change.dissolved) == ["a-c"]
    assert sorted(names(change.persisted)) == ["a-b", "a-e2", "a-f"]
    assert change.actors_entered == [A + "d", A + "g", A + "h"]
    assert change.actors_left == []
    assert (change.summary_a["edges"], change.summary_b["edges"]) == (4, 7)


def test_persisting_ties_grow_with_duration(testville: OxigraphRunner) -> None:
    change = compare(fetch(testville), date(2018, 6, 1), date(2020, 1, 1))
    a_f = next(t for t in change.persisted if {t.source, t.target} == {A + "a", A + "f"})
    # P5 since 2013-01-01: 1977 days at 2018-06-01, 2556 days at 2020-01-01
    d = lambda days: (days / 365.25) / (days / 365.25 + 2)  # noqa: E731
    assert a_f.delta == pytest.approx(0.15 * (d(2556) - d(1977)))


def test_filters_apply_to_both_dates(testville: OxigraphRunner) -> None:
    change = compare(
        testville, date(2018, 6, 1), date(2020, 1, 1), NetworkFilter(min_formality_rank=4)
    )
    assert names(change.formed) == []
    assert sorted(names(change.persisted)) == ["a-b", "a-f"]
    data = change.as_dict()
    assert data["as_of_a"] == "2018-06-01"
    assert data["persisted"][0]["delta"] is not None
