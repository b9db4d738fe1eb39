"""Records <-> RDF (graph/records.py), the listing text search, and the JSON-LD compactor."""

from __future__ import annotations

import json

import pytest
from pyoxigraph import Literal, NamedNode
from rdflib import Graph
from rdflib.compare import isomorphic

from inclusion_kg.graph.catalog.entities import describe
from inclusion_kg.graph.catalog.query import text_pattern
from inclusion_kg.graph.errors import InputError
from inclusion_kg.graph.incremental import to_rdflib
from inclusion_kg.graph.jsonld import compact, context
from inclusion_kg.graph.records import (
    concept_iri,
    from_triples,
    kind_spec,
    ref_iri,
    slugify,
    to_triples,
)
from inclusion_kg.graph.store.oxigraph import OxigraphStore

ID = "https://w3id.org/inclusion-kg/id/"
VOCAB = "https://w3id.org/inclusion-kg/vocab/"


def test_slugs_and_references() -> None:
    assert slugify("Rada Imigrantów i Imigrantek (Gdańsk)") == "rada-imigrantow-i-imigrantek-gdansk"
    assert slugify("Δήμος") == ""
    assert ref_iri("palermo", "city") == ID + "city/palermo"
    assert ref_iri("actor/iom", "city") == ID + "actor/iom"
    assert ref_iri("https://example.org/x", "actor") == "https://example.org/x"
    assert concept_iri("housing", "policy-area") == VOCAB + "policy-area/housing"
    with pytest.raises(InputError, match="not a reference"):
        ref_iri("two words", "actor")
    with pytest.raises(InputError, match="not a valid IRI"):
        ref_iri("http://exa mple.org", "actor")


def test_partnership_record_round_trip() -> None:
    spec = kind_spec("partnership")
    iri = ID + "partnership/x"
    record = {
        "labels": {"en": "X", "it": "Ics"},
        "partners": [{"actor": "iom", "role": "funder"}, {"actor": "dg-empl", "role": "lead"}],
        "partnership_types": ["funding"],
        "formality": "grant",
        "start_date": "2020-05",
        "policy_areas": ["housing", "employment"],
    }
    triples = to_triples(spec, iri, record)
    # type + 2 labels + 2 x (hasParticipation, type, participant, role) + type + formality
    # + date + 2 policy areas
    assert len(triples) == 1 + 2 + 8 + 1 + 1 + 1 + 2
    dates = [t.object for t in triples if t.predicate.value.endswith("startDate")]
    assert dates == [
        Literal("2020-05", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#gYearMonth"))
    ]
    back = from_triples(spec, iri, triples)
    assert back == {
        "labels": {"en": "X", "it": "Ics"},
        "partners": [
            {"actor": ID + "actor/dg-empl", "role": "lead"},
            {"actor": ID + "actor/iom", "role": "funder"},
        ],
        "partnership_types": ["funding"],
        "formality": "grant",
        "policy_areas": ["employment", "housing"],
        "start_date": "2020-05",
    }


def test_values_that_cannot_be_written() -> None:
    spec = kind_spec("actor")
    with pytest.raises(InputError, match="not an actor kind"):
        to_triples(spec, ID + "actor/x", {"kind": "Dragon"})
    with pytest.raises(InputError, match="not a language tag"):
        to_triples(spec, ID + "actor/x", {"labels": {"english!": "X"}})
    with pytest.raises(InputError, match="not a number"):
        to_triples(kind_spec("project"), ID + "project/x", {"budget": {"value": "lots"}})


def test_text_search_ignores_case_and_accents() -> None:
    import re

    pattern = re.compile(text_pattern("GDANSK"), re.IGNORECASE)
    assert pattern.search("Gdańsk")
    assert pattern.search("gdansk")
    assert pattern.search("GDAŃSK")
    assert not pattern.search("Gdynia")
    assert re.search(text_pattern("sant'egidio"), "Community of Sant\u2019Egidio", re.IGNORECASE)


@pytest.mark.parametrize(
    "entity",
    [
        "partnership/admin4all-funding",
        "actor/gdansk-migrant-council",
        "document/iom-press-release-2020-05-28",
    ],
)
def test_jsonld_parses_back_to_the_same_triples(base_store: OxigraphStore, entity: str) -> None:
    triples = describe(base_store, ID + entity)
    assert triples
    document = compact(triples, context()["@context"])
    parsed = Graph().parse(data=json.dumps(document), format="json-ld")
    expected = Graph()
    for t in triples:
        expected.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    assert isomorphic(parsed, expected)
