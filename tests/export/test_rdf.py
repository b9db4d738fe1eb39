"""RDF dumps: every format parses back to exactly the store's data (whole store or one graph),
N-Quads and N-Triples stream in chunks, and errors come before the first byte."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import (
    BlankNode,
    CanonicalizationAlgorithm,
    Dataset,
    DefaultGraph,
    Quad,
    RdfFormat,
    parse,
)

from inclusion_kg.graph.errors import InputError, NotFound
from inclusion_kg.graph.export import RDF_DUMP_FORMATS, dump_rdf
from inclusion_kg.graph.export.rdf import _as_triples, rdf_dump_format
from inclusion_kg.graph.store import Store

DATA = Path(__file__).parent / "data"
HANDMADE = "https://w3id.org/inclusion-kg/graph/test-export"
SECOND = "https://w3id.org/inclusion-kg/graph/test-second"
SECOND_TTL = b"""
@prefix ikg: <https://w3id.org/inclusion-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/inclusion-kg/id/actor/xm> rdfs:label "Comune di Citt\xc3\xa0 Alfa"@it ;
    ikg:budget [ <https://schema.org/value> 12.5 ; <https://schema.org/currency> "EUR" ] .
"""


@pytest.fixture
def loaded(store: Store) -> Store:
    store.load((DATA / "handmade.trig").read_bytes(), "application/trig")
    store.load(SECOND_TTL, "text/turtle", graph=SECOND)
    return store


def canonical(quads: list[Quad], *, drop_graph: bool = False) -> set[str]:
    """Quads as canonical strings (blank nodes relabelled the same way on both sides)."""
    dataset = Dataset(
        Quad(q.subject, q.predicate, q.object, DefaultGraph()) if drop_graph else q for q in quads
    )
    dataset.canonicalize(CanonicalizationAlgorithm.UNSTABLE)
    return {str(q) for q in dataset}


def store_quads(store: Store, graph: str | None = None) -> list[Quad]:
    data = b"".join(store.dump("application/n-quads", graph=graph))
    return list(parse(data, RdfFormat.N_QUADS))


def read_back(data: bytes, name: str) -> list[Quad]:
    fmt = RDF_DUMP_FORMATS[name].rdf_format
    return list(parse(data, fmt))


@pytest.mark.parametrize("name", list(RDF_DUMP_FORMATS))
def test_whole_store_round_trips(loaded: Store, name: str) -> None:
    data = b"".join(dump_rdf(loaded, name))
    read = read_back(data, name)
    everything = store_quads(loaded)
    assert len(everything) > 100
    if name in ("turtle", "ntriples"):  # triples only: the merge of every graph
        assert canonical(read) == canonical(everything, drop_graph=True)
    else:
        assert canonical(read) == canonical(everything)
        assert {q.graph_name.value for q in read} == {HANDMADE, SECOND}


@pytest.mark.parametrize("name", list(RDF_DUMP_FORMATS))
def test_one_graph_round_trips(loaded: Store, name: str) -> None:
    data = b"".join(dump_rdf(loaded, name, graph=SECOND))
    read = read_back(data, name)
    graph = store_quads(loaded, SECOND)
    assert len(graph) == 4
    if name in ("turtle", "ntriples"):
        assert canonical(read) == canonical(graph, drop_graph=True)
    else:  # N-Quads, TriG and JSON-LD keep the graph name
        assert canonical(read) == canonical(graph)
        assert {q.graph_name.value for q in read} == {SECOND}
    assert any(isinstance(q.object, BlankNode) for q in read)


def test_trig_and_jsonld_of_the_store_are_one_block_per_graph(loaded: Store) -> None:
    trig = b"".join(dump_rdf(loaded, "trig")).decode()
    assert trig.count(f"<{HANDMADE}> {{") == 1
    assert trig.count(f"<{SECOND}> {{") == 1
    assert "@prefix ikg: <https://w3id.org/inclusion-kg/ontology#> ." in trig
    jsonld = b"".join(dump_rdf(loaded, "jsonld"))
    import json

    data = json.loads(jsonld)
    assert sorted(item["@id"] for item in data) == [HANDMADE, SECOND]


def test_errors_come_before_the_first_byte(loaded: Store) -> None:
    with pytest.raises(NotFound):
        dump_rdf(loaded, "nquads", graph="https://w3id.org/inclusion-kg/graph/nope")
    with pytest.raises(NotFound):
        dump_rdf(loaded, "jsonld", graph="https://w3id.org/inclusion-kg/graph/nope")
    with pytest.raises(InputError):
        dump_rdf(loaded, "rdfxml")


def test_formats_by_name_extension_or_media_type() -> None:
    assert rdf_dump_format("nq").name == "nquads"
    assert rdf_dump_format(".jsonld").name == "jsonld"
    assert rdf_dump_format("text/turtle").name == "turtle"
    assert rdf_dump_format("TriG").media_type == "application/trig"


def test_ntriples_rechunks_lines_split_across_chunks() -> None:
    lines = b"".join(
        f'<http://e/s{i}> <http://e/p> "v{i}" <http://e/g{i % 3}> .\n'.encode()
        for i in range(50_001)
    )

    def chunks() -> Iterator[bytes]:  # cut mid-line, at odd sizes
        for start in range(0, len(lines), 7_777):
            yield lines[start : start + 7_777]

    out = list(_as_triples(chunks()))
    assert len(out) == 3  # 20,000 triples a chunk
    triples = list(parse(b"".join(out), RdfFormat.N_TRIPLES))
    assert len(triples) == 50_001
    assert str(triples[-1].object) == '"v50000"'


def test_nquads_of_a_large_store_stream_in_chunks(store: Store) -> None:
    data = b"".join(f'<http://e/s{i}> <http://e/p> "{i}" .\n'.encode() for i in range(45_000))
    store.load(data, "application/n-triples", graph="https://w3id.org/inclusion-kg/graph/big")
    chunks = list(dump_rdf(store, "nquads"))
    assert len(chunks) >= 3
    assert sum(chunk.count(b"\n") for chunk in chunks) == 45_000
