"""RDF dumps of the whole store or one named graph, streamed, through :meth:`Store.dump`.

=========  ============================  ==========  ====================================
format     media type                    extension   whole store
=========  ============================  ==========  ====================================
nquads     ``application/n-quads``       ``.nq``     ``Store.dump``, 20,000 quads a chunk
ntriples   ``application/n-triples``     ``.nt``     the N-Quads stream without graph names
turtle     ``text/turtle``               ``.ttl``    one graph after another, names dropped
trig       ``application/trig``          ``.trig``   one ``GRAPH`` block per named graph
jsonld     ``application/ld+json``       ``.jsonld`` ``[{"@id": graph, "@graph": […]}, …]``
=========  ============================  ==========  ====================================

Memory. N-Quads and N-Triples are streamed in fixed-size chunks from one snapshot, so a
dump of any size holds one chunk at a time. Turtle, TriG and JSON-LD group statements by
subject (and by graph), which needs a whole graph at once: they are serialised **one named
graph at a time** (memory grows with the largest graph, not with the store), by
pyoxigraph's own serialisers; rdflib is not used because it would hold the same graph as
Python objects, several times larger and slower. One graph in TriG or JSON-LD keeps its
graph name; in Turtle and N-Triples (triples only) it does not. A whole-store Turtle or
N-Triples dump is the merge of every graph (RDF union: graph names are lost, blank nodes
keep their labels, so none are merged by accident).

Consistency. A whole-store dump in Turtle, TriG or JSON-LD reads graph by graph (not one
snapshot): a batch written during the dump may or may not be in it. Triples in the
unnamed default graph (the service never writes there; every batch is a named graph)
appear only in N-Quads and N-Triples dumps.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from pyoxigraph import Quad, RdfFormat, parse, serialize

from inclusion_kg.graph.errors import InputError, NotFound
from inclusion_kg.graph.namespaces import PREFIXES
from inclusion_kg.graph.store import Store

__all__ = ["RDF_DUMP_FORMATS", "RdfDumpFormat", "dump_rdf", "rdf_dump_format"]

_NQUADS = "application/n-quads"
_CHUNK = 20_000


@dataclass(frozen=True)
class RdfDumpFormat:
    """One RDF dump format: its short name, media type and file extension."""

    name: str
    media_type: str
    extension: str
    rdf_format: RdfFormat


RDF_DUMP_FORMATS: dict[str, RdfDumpFormat] = {
    f.name: f
    for f in (
        RdfDumpFormat("nquads", "application/n-quads", "nq", RdfFormat.N_QUADS),
        RdfDumpFormat("ntriples", "application/n-triples", "nt", RdfFormat.N_TRIPLES),
        RdfDumpFormat("turtle", "text/turtle", "ttl", RdfFormat.TURTLE),
        RdfDumpFormat("trig", "application/trig", "trig", RdfFormat.TRIG),
        RdfDumpFormat("jsonld", "application/ld+json", "jsonld", RdfFormat.JSON_LD),
    )
}
"""Short name -> format."""


def rdf_dump_format(value: str) -> RdfDumpFormat:
    """Find a dump format by short name, extension or media type.

    Raises:
        InputError: no such format.

    >>> rdf_dump_format("ttl").name, rdf_dump_format("application/n-quads").name
    ('turtle', 'nquads')
    """
    wanted = value.strip().lower().lstrip(".")
    for spec in RDF_DUMP_FORMATS.values():
        if wanted in (spec.name, spec.extension, spec.media_type):
            return spec
    known = ", ".join(RDF_DUMP_FORMATS)
    msg = f"unknown RDF dump format {value!r}; use one of {known}"
    raise InputError(msg)


class _ChunkReader(io.RawIOBase):
    """A readable stream over an iterator of byte chunks (for pyoxigraph's parser)."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        super().__init__()
        self._chunks = iter(chunks)
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while not self._pending:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._pending = chunk
        count = min(len(buffer), len(self._pending))
        buffer[:count] = self._pending[:count]
        self._pending = self._pending[count:]
        return count


def _quads(chunks: Iterable[bytes]) -> Iterator[Quad]:
    stream = io.BufferedReader(_ChunkReader(chunks), buffer_size=1 << 20)
    return parse(stream, RdfFormat.N_QUADS)


def _as_triples(chunks: Iterable[bytes]) -> Iterator[bytes]:
    quads = _quads(chunks)
    while batch := list(islice(quads, _CHUNK)):
        yield serialize([q.triple for q in batch], format=RdfFormat.N_TRIPLES) or b""


def _graph_block(spec: RdfDumpFormat, chunks: Iterable[bytes]) -> bytes:
    """One graph's N-Quads re-serialised as TriG (with prefixes) or JSON-LD (a list)."""
    quads = list(_quads(chunks))
    if not quads:
        return b""
    prefixes = PREFIXES if spec.rdf_format == RdfFormat.TRIG else None
    return serialize(quads, format=spec.rdf_format, prefixes=prefixes) or b""


def _jsonld_members(block: bytes) -> bytes:
    """The members of a serialised JSON-LD array (the text between ``[`` and ``]``)."""
    inner = block.strip()
    if inner.startswith(b"[") and inner.endswith(b"]"):
        return inner[1:-1].strip()
    return inner


def _per_graph(graphs: list[str], produce: Callable[[str], bytes]) -> Iterator[bytes]:
    for iri in graphs:
        try:
            block = produce(iri)
        except NotFound:  # dropped since the list was read
            continue
        if block:
            yield block


def dump_rdf(store: Store, fmt: str, *, graph: str | None = None) -> Iterator[bytes]:
    """Return the chunks of a dump of the whole store or of one named graph.

    Errors that can be known before writing (an unknown format, a missing graph) are
    raised by this call, not while iterating.

    Args:
        store: the store.
        fmt: a format name, extension or media type (:data:`RDF_DUMP_FORMATS`).
        graph: one named graph's IRI; None for the whole store.

    Raises:
        InputError: unknown format or invalid graph IRI.
        NotFound: the store has no such graph.
    """
    spec = rdf_dump_format(fmt)
    if graph is not None:
        if spec.rdf_format in (RdfFormat.N_QUADS, RdfFormat.N_TRIPLES, RdfFormat.TURTLE):
            return iter(store.dump(spec.media_type, graph=graph))
        source = store.dump(_NQUADS, graph=graph)  # raises NotFound now
        single = _graph_block(spec, source)
        if spec.rdf_format == RdfFormat.JSON_LD:
            return iter([b"[" + _jsonld_members(single) + b"]\n"])
        return iter([single])
    if spec.rdf_format == RdfFormat.N_QUADS:
        return iter(store.dump(_NQUADS))
    if spec.rdf_format == RdfFormat.N_TRIPLES:
        return _as_triples(store.dump(_NQUADS))
    graphs = [info.iri for info in store.graphs()]

    def turtle(iri: str) -> bytes:
        return b"".join(store.dump(spec.media_type, graph=iri))

    def block(iri: str) -> bytes:
        return _graph_block(spec, store.dump(_NQUADS, graph=iri))

    if spec.rdf_format == RdfFormat.TURTLE:
        return _per_graph(graphs, turtle)
    if spec.rdf_format == RdfFormat.TRIG:
        return _per_graph(graphs, block)
    return _jsonld_array(_per_graph(graphs, lambda iri: _jsonld_members(block(iri))))


def _jsonld_array(members: Iterator[bytes]) -> Iterator[bytes]:
    yield b"["
    first = True
    for member in members:
        if not member:
            continue
        yield member if first else b",\n" + member
        first = False
    yield b"]\n"
