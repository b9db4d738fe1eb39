"""Fixtures of the ontology and reasoning tests: a realistic batch of our own (not the seeds).

- ``fixture_path``     tests/ontology/data/fixture.trig (its header lists what it should infer)
- ``fixture_dataset``  that file parsed into a fresh rdflib Dataset
- ``fixture_report``   the reasoning report over it (HermiT runs once per session)
- ``turtle``           ``turtle("id:x a ikg:NGO .")``: a graph from a snippet, prefixes given
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Dataset, Graph

from inclusion_kg.graph.reason import ReasoningReport, reason

DATA = Path(__file__).parent / "data"

PREFIXES = """
@prefix rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl:  <http://www.w3.org/2002/07/owl#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix ikg:  <https://w3id.org/inclusion-kg/ontology#> .
@prefix id:   <https://w3id.org/inclusion-kg/id/> .
@prefix pa:   <https://w3id.org/inclusion-kg/vocab/policy-area/> .
@prefix role: <https://w3id.org/inclusion-kg/vocab/partner-role/> .
"""


def parse_fixture() -> Dataset:
    dataset = Dataset()
    dataset.parse(DATA / "fixture.trig", format="trig")
    return dataset


@pytest.fixture
def fixture_path() -> Path:
    return DATA / "fixture.trig"


@pytest.fixture
def fixture_dataset() -> Dataset:
    return parse_fixture()


@pytest.fixture(scope="session")
def fixture_report() -> ReasoningReport:
    return reason(parse_fixture())


@pytest.fixture
def turtle() -> Callable[[str], Graph]:
    def parse(snippet: str) -> Graph:
        return Graph().parse(data=PREFIXES + snippet, format="turtle")

    return parse
