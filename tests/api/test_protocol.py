"""SPARQL Protocol helpers: telling operations apart and the update dataset parameters."""

from __future__ import annotations

import pytest

from inclusion_kg.api.errors import HTTPProblem
from inclusion_kg.api.protocol import apply_protocol_dataset, check_iri, operation_form, with_base


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SELECT * { ?s ?p ?o }", "solutions"),
        ("select (1 AS ?x) {}", "solutions"),
        ("ASK {}", "boolean"),
        ("CONSTRUCT { <s> <p> 1 } WHERE {}", "graph"),
        ("DESCRIBE <http://example.org/>", "graph"),
        (
            "# a comment with SELECT in it\nBASE <http://example.org/>\n"
            "PREFIX ex: <http://example.org/#>\nPREFIX : <http://x/>\nASK { ?s ?p ?o }",
            "boolean",
        ),
        ("PREFIX ex: <http://e/>\nINSERT DATA { ex:a ex:b 1 }", "update"),
        ("CLEAR ALL", "update"),
        ("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "update"),
        ("LOAD <http://example.org/data.ttl>", "update"),
        ("", None),
        ("HELLO", None),
    ],
)
def test_operation_form(text: str, expected: str | None) -> None:
    assert operation_form(text) == expected


def test_using_clauses_go_before_the_where_of_each_modify() -> None:
    update = (
        "PREFIX dc: <http://purl.org/dc/terms/>\n"
        "CLEAR ALL ;\n"
        "INSERT DATA { GRAPH <http://g/1> { <http://d/1> a <http://T> } } ;\n"
        "INSERT { GRAPH <http://out> { ?s a dc:X } } "
        'WHERE { ?s a <http://T> . FILTER(?s != "WHERE;{") }'
    )
    rewritten = apply_protocol_dataset(update, ["http://g/1", "http://g/2"], ["http://g/3"])
    expected_tail = (
        "INSERT { GRAPH <http://out> { ?s a dc:X } } "
        "USING <http://g/1> USING <http://g/2> USING NAMED <http://g/3> "
        'WHERE { ?s a <http://T> . FILTER(?s != "WHERE;{") }'
    )
    assert rewritten.endswith(expected_tail)
    # INSERT DATA and CLEAR take no dataset: untouched
    assert rewritten.count("USING <http://g/1>") == 1


def test_delete_where_and_data_operations_are_left_alone() -> None:
    update = "DELETE WHERE { ?s ?p ?o } ; DELETE DATA { <http://a> <http://b> 1 }"
    assert apply_protocol_dataset(update, ["http://g"], []) == update


def test_no_parameters_no_change() -> None:
    update = "INSERT { ?s a <http://T> } WHERE { ?s ?p ?o }"
    assert apply_protocol_dataset(update, [], []) is update


@pytest.mark.parametrize(
    "update",
    [
        "WITH <http://example/addresses> "
        "DELETE { ?p <http://n> 'Bill' } WHERE { ?p <http://n> 'Bill' }",
        "INSERT { ?s a <http://T> } USING <http://g> WHERE { ?s ?p ?o }",
    ],
)
def test_protocol_dataset_and_text_dataset_conflict(update: str) -> None:
    """SPARQL 1.1 Protocol 2.2.3: both at once is an error (W3C bad_update_dataset_conflict)."""
    with pytest.raises(HTTPProblem) as raised:
        apply_protocol_dataset(update, [], ["http://example/people"])
    assert raised.value.status == 400


@pytest.mark.parametrize("iri", ["http://example.org/g", "urn:x:1", "https://w3id.org/a#b"])
def test_check_iri_accepts_absolute_iris(iri: str) -> None:
    check_iri(iri)


@pytest.mark.parametrize("iri", ["relative", "http://a b", "http://x>", "", "<http://x>"])
def test_check_iri_refuses_what_would_break_out_of_angle_brackets(iri: str) -> None:
    with pytest.raises(HTTPProblem):
        check_iri(iri)


BASE = "https://w3id.org/inclusion-kg/"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "SELECT * { <id/city/palermo> ?p ?o }",
            f"BASE <{BASE}> SELECT * {{ <id/city/palermo> ?p ?o }}",
        ),
        (
            "INSERT DATA { <http://a> <http://b> <> }",
            f"BASE <{BASE}> INSERT DATA {{ <http://a> <http://b> <> }}",
        ),
        ("ASK { <http://a.example/x> ?p ?o }", "ASK { <http://a.example/x> ?p ?o }"),
        (
            'ASK { ?s ?p "<relative>" } # <also-relative>',
            'ASK { ?s ?p "<relative>" } # <also-relative>',
        ),
        (
            "SELECT * { ?s ?p ?o FILTER(?o < 3 && ?o > 1) }",
            "SELECT * { ?s ?p ?o FILTER(?o < 3 && ?o > 1) }",
        ),
    ],
)
def test_with_base_only_touches_text_with_relative_iris(text: str, expected: str) -> None:
    assert with_base(text, BASE) == expected
