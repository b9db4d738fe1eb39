"""Content negotiation (RFC 9110 12.5.1); expected picks derived by hand from the q-values."""

from __future__ import annotations

import pytest

from inclusion_kg.api.conneg import (
    BOOLEAN_TYPES,
    CSV,
    GRAPH_TYPES,
    JSON,
    JSON_LD,
    N_TRIPLES,
    RDF_XML,
    SOLUTION_TYPES,
    TSV,
    TURTLE,
    XML,
    NotAcceptable,
    canonical_rdf_type,
    negotiate,
    parse_accept,
    parse_content_type,
)


@pytest.mark.parametrize(
    ("accept", "offers", "expected"),
    [
        (None, SOLUTION_TYPES, JSON),  # no header: the server's first choice
        ("", SOLUTION_TYPES, JSON),
        ("*/*", GRAPH_TYPES, TURTLE),
        ("text/csv", SOLUTION_TYPES, CSV),
        ("text/tab-separated-values", SOLUTION_TYPES, TSV),
        ("application/sparql-results+xml", SOLUTION_TYPES, XML),
        # q-values: XML 1.0 beats CSV 0.9
        ("text/csv;q=0.9, application/sparql-results+xml", SOLUTION_TYPES, XML),
        # the most specific range decides: text/csv is refused although text/* is welcome
        ("text/*, text/csv;q=0", SOLUTION_TYPES, TSV),
        # generic types that SPARQL clients send
        ("application/json", SOLUTION_TYPES, JSON),
        ("application/json", GRAPH_TYPES, JSON_LD),
        ("application/xml", BOOLEAN_TYPES, XML),
        ("application/xml", GRAPH_TYPES, RDF_XML),
        ("text/plain", GRAPH_TYPES, N_TRIPLES),
        # a browser: text/html is not on offer, application/xml;q=0.9 beats */*;q=0.8
        (
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            SOLUTION_TYPES,
            XML,
        ),
        # SPARQLWrapper's JSON header
        (
            "application/sparql-results+json,application/json,text/javascript,"
            "application/javascript",
            SOLUTION_TYPES,
            JSON,
        ),
        # equal q: the server's order wins (Turtle before N-Triples)
        ("application/n-triples, text/turtle", GRAPH_TYPES, TURTLE),
        # parameters other than q are ignored; case does not matter
        ("Text/Turtle; charset=utf-8; q=0.5, application/ld+json;q=0.4", GRAPH_TYPES, TURTLE),
    ],
)
def test_negotiate_picks_the_best_offer(
    accept: str | None, offers: tuple[str, ...], expected: str
) -> None:
    assert negotiate(accept, offers) == expected


@pytest.mark.parametrize(
    ("accept", "offers"),
    [
        ("text/html", SOLUTION_TYPES),
        ("image/png, text/html;q=0.5", GRAPH_TYPES),
        ("text/csv", BOOLEAN_TYPES),  # CSV/TSV define no boolean result
        ("*/*;q=0", SOLUTION_TYPES),
    ],
)
def test_negotiate_refuses_what_is_not_on_offer(accept: str, offers: tuple[str, ...]) -> None:
    with pytest.raises(NotAcceptable) as raised:
        negotiate(accept, offers)
    assert raised.value.offers == offers
    assert accept in str(raised.value)


def test_parse_accept_skips_malformed_elements_and_clamps_q() -> None:
    ranges = parse_accept("garbage, text/turtle;q=7, */html, application/json;q=x")
    assert [(r.essence, r.q) for r in ranges] == [("text/turtle", 1.0), ("application/json", 0.0)]


def test_parse_content_type() -> None:
    assert parse_content_type("Application/SPARQL-Query ; charset=UTF-8") == (
        "application/sparql-query",
        {"charset": "UTF-8"},
    )
    assert parse_content_type(None) == ("", {})


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("text/turtle", TURTLE),
        ("application/x-turtle", TURTLE),
        ("application/json", JSON_LD),
        ("application/n-quads", "application/n-quads"),
        ("text/plain", N_TRIPLES),
        ("image/png", None),
    ],
)
def test_canonical_rdf_type(given: str, expected: str | None) -> None:
    assert canonical_rdf_type(given) == expected
