"""Query inspection and the fetch policy, on hand-written requests."""

from __future__ import annotations

import pytest

from inclusion_kg.graph.errors import Forbidden, InputError
from inclusion_kg.graph.sparql import (
    check_fetches,
    check_query,
    check_update,
    inspect_operation,
    url_allowed,
)


@pytest.mark.parametrize(
    ("sparql", "form"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "select"),
        ("prefix ex: <http://e/> # a comment\nask { ?s ex:p ?o }", "ask"),
        ("BASE <http://e/> CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "construct"),
        ("DESCRIBE <http://e/a>", "describe"),
        ("INSERT DATA { <http://e/a> <http://e/b> 'select' }", "update"),
        ("LOAD <http://e/x>", "update"),
        ("WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "update"),
        ("{ nonsense", None),
    ],
)
def test_form(sparql: str, form: str | None) -> None:
    assert inspect_operation(sparql).form == form


@pytest.mark.parametrize(
    ("sparql", "urls"),
    [
        (
            "SELECT * { SERVICE <http://a.example/sparql> { ?s ?p ?o } }",
            ["http://a.example/sparql"],
        ),
        ("SELECT * { service silent <http://a.example/> {} }", ["http://a.example/"]),
        ("PREFIX a: <http://a.example/> SELECT * { SERVICE a:q {} }", ["http://a.example/q"]),
        ("PREFIX : <http://a.example/> SELECT * { SERVICE :q\\.x {} }", ["http://a.example/q.x"]),
        ("BASE <http://a.example/x/> SELECT * { SERVICE <../y> {} }", ["http://a.example/y"]),
        ("SELECT * { SERVICE <http://a.example\\u003a8080/> {} }", ["http://a.example:8080/"]),
        ("SELECT * { SERVICE ?endpoint {} }", [None]),
        ("SELECT * { SERVICE undeclared:q {} }", [None]),
        ("LOAD SILENT <http://a.example/d.ttl> INTO GRAPH <http://g/>", ["http://a.example/d.ttl"]),
        ("S\\u0045RVICE <http://a.example/>", ["http://a.example/"]),
    ],
)
def test_fetches_are_found_and_resolved(sparql: str, urls: list[str | None]) -> None:
    assert [fetch.url for fetch in inspect_operation(sparql).fetches] == urls


@pytest.mark.parametrize(
    "sparql",
    [
        'SELECT ?x { BIND("SERVICE <http://a/>" AS ?x) }',
        "SELECT ?x { BIND('''LOAD\n<http://a/>''' AS ?x) }",
        "SELECT ?x { ?x <http://e/p> ?o } # SERVICE <http://a/>",
        "PREFIX ex: <http://e/> SELECT ?service { ?service ex:service ex:load }",
        "SELECT ?x { ?x <http://e/SERVICE> <http://e/LOAD> }",
        'SELECT ?x { ?x ?p "a \\" SERVICE <http://a/> \\"" }',
    ],
)
def test_look_alikes_are_not_fetches(sparql: str) -> None:
    operation = inspect_operation(sparql)
    assert operation.fetches == ()
    assert operation.checked


def test_outer_limit_and_dataset() -> None:
    nested = "SELECT * { { SELECT * { ?s ?p ?o } LIMIT 99999999 } } LIMIT 10"
    assert inspect_operation(nested).limit == 10
    assert inspect_operation("SELECT * { { SELECT * { ?s ?p ?o } LIMIT 5 } }").limit is None
    assert inspect_operation("SELECT * FROM NAMED <http://g/> { ?s ?p ?o }").has_dataset
    assert not inspect_operation("SELECT * { GRAPH <http://g/> { ?s ?p ?o } }").has_dataset


def test_allow_list_matches_at_a_boundary() -> None:
    allowed = ["http://a.example", "https://b.example/sparql/"]
    assert url_allowed("http://a.example", allowed)
    assert url_allowed("http://a.example/sparql?x=1", allowed)
    assert not url_allowed("http://a.example.evil/", allowed)
    assert not url_allowed("http://a.exampleX/", allowed)
    assert url_allowed("https://b.example/sparql/q", allowed)
    assert not url_allowed("https://b.example/other", allowed)


def test_check_fetches() -> None:
    allowed = ["http://a.example/"]
    check_fetches(inspect_operation("SELECT * { SERVICE <http://a.example/q> {} }"), allowed)
    with pytest.raises(Forbidden, match="allow-list"):
        check_fetches(inspect_operation("SELECT * { SERVICE <http://b.example/q> {} }"), allowed)
    with pytest.raises(Forbidden, match="cannot be checked"):
        check_fetches(inspect_operation("SELECT * { SERVICE ?e {} }"), allowed)
    with pytest.raises(Forbidden, match="pragmas"):
        check_fetches(inspect_operation('DEFINE get:soft "replace" SELECT * { ?s ?p ?o }'), [])
    with pytest.raises(Forbidden):  # unreadable and mentions SERVICE: refused, to be safe
        check_fetches(inspect_operation("SELECT * { SERVICE \x00 <http://a/> {} }"), [])


def test_check_query_and_update_tell_them_apart() -> None:
    with pytest.raises(InputError, match="Update"):
        check_query("DROP ALL", [])
    with pytest.raises(InputError, match="Expected a SELECT"):
        check_query("ASK {}", [], ("select",))
    with pytest.raises(InputError, match="query"):
        check_update("SELECT * {}", [])
    with pytest.raises(Forbidden):
        check_update("LOAD <http://a.example/x.ttl>", [])
    assert check_update("LOAD <http://a.example/x.ttl>", ["http://a.example/"]).form == "update"
