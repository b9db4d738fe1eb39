"""Point lookups are answered in process, with the same bytes a query worker would give.

A lookup is one triple pattern with a constant subject (``<s> ?p ?o``) and at most a
LIMIT; anything else goes to a worker. The in-process path must not change a single
byte of any answer, must hand lookups with many rows to a worker (so the row cap and the
deadline still apply), and must see every write.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from inclusion_kg.graph.errors import InputError
from inclusion_kg.graph.settings import Settings
from inclusion_kg.graph.sparql import inspect_operation
from inclusion_kg.graph.store import QueryResponse
from inclusion_kg.graph.store.oxigraph import LOOKUP_ROWS, OxigraphStore

EX = "http://example.org/"
SMALL = f"<{EX}small>"
BIG = f"<{EX}big>"


def _data(rows_of_big: int) -> bytes:
    lines = [f'{SMALL} <{EX}p> "one" .', f"{SMALL} <{EX}q> <{EX}other> ."]
    lines += [f'{BIG} <{EX}n> "{n}" .' for n in range(rows_of_big)]
    return ("\n".join(lines) + "\n").encode()


def _settings(tmp_path: Path, **changes: object) -> Settings:
    values: dict[str, object] = {"data_dir": tmp_path / "store", "load_seeds": False}
    values.update(changes)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture(params=["memory", "disk"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[OxigraphStore]:
    settings = _settings(tmp_path)
    opened = (
        OxigraphStore.in_memory(settings)
        if request.param == "memory"
        else OxigraphStore.on_disk(tmp_path / "db", settings)
    )
    opened.load(_data(LOOKUP_ROWS + 5), "application/n-triples", graph=EX + "g")
    try:
        yield opened
    finally:
        opened.close()


def _body(response: QueryResponse) -> bytes:
    return b"".join(response.chunks)


def _via_worker(store: OxigraphStore, sparql: str, media_type: str | None) -> QueryResponse:
    """The same query with a FILTER(true) added: not a lookup, so a worker runs it."""
    return store.query(sparql.replace("}", " FILTER(true) }"), media_type=media_type)


@pytest.mark.parametrize(
    ("sparql", "lookup"),
    [
        (f"SELECT ?p ?o WHERE {{ {SMALL} ?p ?o }}", f"{EX}small"),
        (f"PREFIX ex: <{EX}> select * {{ ex:small ?p ?o . }} LIMIT 3", f"{EX}small"),
        (f"BASE <{EX}> ASK {{ <small> a <T> }}", f"{EX}small"),
        (f'SELECT ?p {{ {SMALL} ?p "one"@en }}', f"{EX}small"),
        (f"SELECT DISTINCT ?o {{ {SMALL} <{EX}p> ?o }}", f"{EX}small"),
        # not lookups
        ("SELECT * { ?s ?p ?o }", None),
        (f"SELECT * {{ {SMALL} ?p ?o . ?o ?q ?r }}", None),
        (f"SELECT * {{ {SMALL} ?p ?o FILTER(?o != 1) }}", None),
        (f"SELECT * {{ {SMALL} ?p ?o }} OFFSET 5", None),
        (f"SELECT * {{ {SMALL} ?p ?o }} ORDER BY ?o", None),
        (f"SELECT * FROM <{EX}g> {{ {SMALL} ?p ?o }}", None),  # noqa: S608
        (f"SELECT * {{ {SMALL} <{EX}p>* ?o }}", None),
        (f"SELECT (COUNT(*) AS ?n) {{ {SMALL} ?p ?o }}", None),
        (f"CONSTRUCT WHERE {{ {SMALL} ?p ?o }}", None),
        (f"SELECT * {{ SERVICE <{EX}sparql> {{ {SMALL} ?p ?o }} }}", None),
        ("SELECT * { ex:small ?p ?o }", None),  # undeclared prefix: the engine says so
    ],
)
def test_what_counts_as_a_lookup(sparql: str, lookup: str | None) -> None:
    assert inspect_operation(sparql).lookup == lookup


@pytest.mark.parametrize(
    "media_type",
    [
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ],
)
def test_a_lookup_answered_here_is_byte_for_byte_a_workers_answer(
    store: OxigraphStore, media_type: str
) -> None:
    sparql = f"SELECT ?p ?o WHERE {{ {SMALL} ?p ?o }}"
    idle_before = store.workers.idle
    here = store.query(sparql, media_type=media_type)
    assert store.workers.idle == idle_before  # no worker was forked or used
    there = _via_worker(store, sparql, media_type)
    assert (here.kind, here.media_type, here.truncated) == (
        there.kind,
        there.media_type,
        there.truncated,
    )
    assert _body(here) == _body(there)
    assert b"one" in _body(store.query(sparql, media_type=media_type))


def test_an_ask_lookup(store: OxigraphStore) -> None:
    yes = store.query(
        f'ASK {{ {SMALL} <{EX}p> "one" }}', media_type="application/sparql-results+json"
    )
    no = store.query(
        f'ASK {{ {SMALL} <{EX}p> "two" }}', media_type="application/sparql-results+json"
    )
    assert yes.kind == "boolean"
    assert b"true" in _body(yes)
    assert b"false" in _body(no)


def test_the_async_path_gives_the_same_answers(store: OxigraphStore) -> None:
    media = "application/sparql-results+json"
    for sparql in (f"SELECT ?p ?o WHERE {{ {SMALL} ?p ?o }}", f"SELECT ?n {{ {BIG} ?p ?n }}"):
        here = asyncio.run(store.aquery(sparql, media_type=media))
        assert _body(here) == _body(store.query(sparql, media_type=media))


def test_a_lookup_with_many_rows_goes_to_a_worker_and_keeps_every_row(
    store: OxigraphStore,
) -> None:
    response = store.query(f"SELECT ?n {{ {BIG} ?p ?n }}", media_type="text/csv")
    assert response.truncated is False
    assert _body(response).count(b"\n") == 1 + LOOKUP_ROWS + 5  # header and every row
    assert store.workers.idle == 1  # a worker answered and stays warm


def test_the_row_cap_still_cuts_a_lookup(tmp_path: Path) -> None:
    store = OxigraphStore.in_memory(_settings(tmp_path, max_rows=10))
    try:
        store.load(_data(50), "application/n-triples")
        response = store.query(f"SELECT ?n {{ {BIG} ?p ?n }}", media_type="text/csv")
        assert response.truncated is True
        assert _body(response).count(b"\n") == 1 + 10
        small = store.query(f"SELECT ?o {{ {SMALL} ?p ?o }}", media_type="text/csv")
        assert small.truncated is False
        assert _body(small).count(b"\n") == 1 + 2
    finally:
        store.close()


def test_a_write_is_seen_by_the_next_lookup(store: OxigraphStore) -> None:
    sparql = f"SELECT ?o {{ {SMALL} ?p ?o }}"
    assert _body(store.query(sparql, media_type="text/csv")).count(b"\n") == 3
    # grow the subject past what a lookup may answer here: the count kept must not hide it
    many = "\n".join(f'{SMALL} <{EX}m> "{n}" .' for n in range(LOOKUP_ROWS)) + "\n"
    store.load(many.encode(), "application/n-triples", graph=EX + "more")
    after = store.query(sparql, media_type="text/csv")
    assert _body(after).count(b"\n") == 3 + LOOKUP_ROWS


def test_errors_of_a_lookup_are_the_usual_errors(store: OxigraphStore) -> None:
    with pytest.raises(InputError):
        store.query(f"SELECT ?p ?o WHERE {{ {SMALL} ?p ?o }}", media_type="text/turtle")
