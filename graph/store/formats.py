"""Media types the store reads and writes, and a parser that never fetches or blows up.

Two families, both handled natively by pyoxigraph (no rdflib on this path):

- RDF serialisations (:data:`RDF_MEDIA_TYPES`): Turtle, N-Triples, N-Quads, TriG, RDF/XML,
  JSON-LD (and N3 for input). CONSTRUCT/DESCRIBE results, dumps and uploads use them.
- SPARQL result formats (:data:`RESULT_MEDIA_TYPES`): JSON, XML, CSV, TSV, for SELECT and ASK.

:func:`parse_rdf` is the one way data enters the store. It parses everything before
anything is written, renames blank nodes (two uploads that both say ``_:b0`` mean two
nodes), turns syntax errors into :class:`~inclusion_kg.graph.errors.InputError` with the
parser's line and column, and refuses the two inputs that would make a parser reach out or
run away: JSON-LD remote contexts (pyoxigraph has no document loader set, so it refuses
them itself) and RDF/XML entity declarations that expand exponentially ("billion laughs";
pyoxigraph expands internal entities without a limit).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import IO, Literal

from pyoxigraph import Quad, QueryResultsFormat, RdfFormat, parse

from inclusion_kg.graph.errors import InputError

__all__ = [
    "DATASET_MEDIA_TYPES",
    "GRAPH_MEDIA_TYPES",
    "RDF_MEDIA_TYPES",
    "RESULT_MEDIA_TYPES",
    "ResultKind",
    "media_type_essence",
    "media_type_of",
    "parse_rdf",
    "rdf_format",
    "result_format",
]

ResultKind = Literal["solutions", "boolean", "graph"]

RDF_MEDIA_TYPES: dict[str, RdfFormat] = {
    "text/turtle": RdfFormat.TURTLE,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "application/n-quads": RdfFormat.N_QUADS,
    "application/trig": RdfFormat.TRIG,
    "application/rdf+xml": RdfFormat.RDF_XML,
    "application/ld+json": RdfFormat.JSON_LD,
    "text/n3": RdfFormat.N3,
}
"""Canonical media type -> pyoxigraph format, for data in and graphs out."""

_RDF_ALIASES: dict[str, str] = {
    "application/x-turtle": "text/turtle",
    "text/plain": "application/n-triples",
    "application/xml": "application/rdf+xml",
    "text/xml": "application/rdf+xml",
    "application/json": "application/ld+json",
    "application/x-trig": "application/trig",
    "text/x-nquads": "application/n-quads",
}

GRAPH_MEDIA_TYPES: tuple[str, ...] = (
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
    "application/n-quads",
    "application/trig",
)
"""What a CONSTRUCT/DESCRIBE result or one graph can be written as (first: the default)."""

DATASET_MEDIA_TYPES: tuple[str, ...] = ("application/n-quads", "application/trig")
"""What a dump of the whole store (several graphs) can be written as."""

RESULT_MEDIA_TYPES: dict[str, QueryResultsFormat] = {
    "application/sparql-results+json": QueryResultsFormat.JSON,
    "application/sparql-results+xml": QueryResultsFormat.XML,
    "text/csv": QueryResultsFormat.CSV,
    "text/tab-separated-values": QueryResultsFormat.TSV,
}
"""Canonical media type -> pyoxigraph format, for SELECT and ASK results."""

_RESULT_ALIASES: dict[str, str] = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "text/tsv": "text/tab-separated-values",
}


def media_type_essence(media_type: str) -> str:
    """Return the media type without parameters, lower-cased.

    >>> media_type_essence("Text/Turtle; charset=utf-8")
    'text/turtle'
    """
    return media_type.split(";", 1)[0].strip().lower()


def media_type_of(fmt: QueryResultsFormat | RdfFormat) -> str:
    """Return the canonical media type of a format, without parameters.

    >>> media_type_of(QueryResultsFormat.TSV)
    'text/tab-separated-values'
    """
    if isinstance(fmt, QueryResultsFormat):
        for media_type, known in RESULT_MEDIA_TYPES.items():
            if known == fmt:
                return media_type
    else:
        for media_type, rdf in RDF_MEDIA_TYPES.items():
            if rdf == fmt:
                return media_type
    return media_type_essence(fmt.media_type)


def rdf_format(media_type: str) -> RdfFormat:
    """Return the RDF format of a media type (aliases such as ``text/plain`` accepted).

    Raises:
        InputError: the media type is not an RDF serialisation the store knows.

    >>> rdf_format("text/turtle; charset=utf-8").name
    'Turtle'
    """
    essence = media_type_essence(media_type)
    essence = _RDF_ALIASES.get(essence, essence)
    try:
        return RDF_MEDIA_TYPES[essence]
    except KeyError:
        known = ", ".join(RDF_MEDIA_TYPES)
        msg = f"Unknown RDF media type {media_type!r}; use one of: {known}."
        raise InputError(msg) from None


def result_format(kind: ResultKind, media_type: str | None) -> QueryResultsFormat | RdfFormat:
    """Return the format a result of ``kind`` is written in for ``media_type``.

    ``None`` picks SPARQL JSON for solutions and booleans and N-Triples for graphs.

    Raises:
        InputError: the media type does not fit the kind of result (CSV for a CONSTRUCT,
            Turtle for a SELECT) or is unknown.

    >>> result_format("solutions", None).media_type
    'application/sparql-results+json'
    >>> result_format("graph", "text/turtle").name
    'Turtle'
    """
    if kind == "graph":
        if media_type is None:
            return RdfFormat.N_TRIPLES
        essence = media_type_essence(media_type)
        essence = _RDF_ALIASES.get(essence, essence)
        if essence in GRAPH_MEDIA_TYPES:
            return RDF_MEDIA_TYPES[essence]
        known = ", ".join(GRAPH_MEDIA_TYPES)
        msg = (
            f"A CONSTRUCT or DESCRIBE result cannot be written as {media_type!r}; "
            f"use one of: {known}."
        )
        raise InputError(msg)
    if media_type is None:
        return QueryResultsFormat.JSON
    essence = media_type_essence(media_type)
    essence = _RESULT_ALIASES.get(essence, essence)
    if essence in RESULT_MEDIA_TYPES:
        return RESULT_MEDIA_TYPES[essence]
    what = "a SELECT" if kind == "solutions" else "an ASK"
    known = ", ".join(RESULT_MEDIA_TYPES)
    msg = f"The result of {what} query cannot be written as {media_type!r}; use one of: {known}."
    raise InputError(msg)


# ---------------------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------------------

MAX_ENTITY_EXPANSION = 1 << 20
"""Bytes one RDF/XML entity may expand to (1 MiB); more is refused as an expansion attack."""

_DOCTYPE_SUBSET = re.compile(rb"<!DOCTYPE[^\[>]*\[(.*?)\]\s*>", re.DOTALL)
_ENTITY_DECL = re.compile(rb"""<!ENTITY\s+(%\s*)?([^\s"'%]+)\s+(?:"([^"]*)"|'([^']*)')""")
_ENTITY_REF = re.compile(rb"[&%]([A-Za-z_:][\w.:-]*);")


def _check_rdf_xml_entities(data: bytes, label: str) -> None:
    """Refuse RDF/XML whose internal entities would expand past a sane size.

    An entity's size is its text with every reference to another declared entity replaced
    by that entity's size; the document's expansion is the sum over its references. Only
    the internal subset can declare entities (pyoxigraph never reads an external DTD).
    """
    subset = _DOCTYPE_SUBSET.search(data)
    if subset is None:
        return
    values: dict[bytes, bytes] = {}
    for match in _ENTITY_DECL.finditer(subset.group(1)):
        values.setdefault(match.group(2), match.group(3) or match.group(4) or b"")
    sizes: dict[bytes, int] = {}

    def size(name: bytes, depth: int = 0) -> int:
        if name in sizes:
            return sizes[name]
        if depth > 64:  # a reference cycle or absurd nesting: the parser fails on it anyway
            return MAX_ENTITY_EXPANSION + 1
        value = values[name]
        total = len(value)
        for ref in _ENTITY_REF.finditer(value):
            if ref.group(1) in values:
                total += size(ref.group(1), depth + 1) - len(ref.group(0))
            if total > MAX_ENTITY_EXPANSION:
                break
        sizes[name] = total
        return total

    body = data[subset.end() :]
    expanded = len(body)
    for name in values:
        if size(name) > MAX_ENTITY_EXPANSION:
            msg = (
                f"{label}: the RDF/XML entity {name.decode(errors='replace')!r} expands to more "
                f"than {MAX_ENTITY_EXPANSION} bytes; entity expansion this large is refused."
            )
            raise InputError(msg)
    for ref in _ENTITY_REF.finditer(body):
        if ref.group(1) in values:
            expanded += sizes[ref.group(1)]
    limit = max(16 * len(data), 16 * MAX_ENTITY_EXPANSION)
    if expanded > limit:
        msg = (
            f"{label}: the RDF/XML entity references expand the document to about {expanded} "
            f"bytes; expansion past {limit} bytes is refused."
        )
        raise InputError(msg)


class _ProgressReader(io.RawIOBase):
    """A read-only stream over bytes that reports how far the parser has read."""

    def __init__(self, data: bytes, progress: Callable[[int], None]) -> None:
        super().__init__()
        self._view = memoryview(data)
        self._position = 0
        self._progress = progress

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        count = min(len(buffer), len(self._view) - self._position)
        buffer[:count] = self._view[self._position : self._position + count]
        self._position += count
        self._progress(count)
        return count


def parse_rdf(
    data: bytes,
    media_type: str,
    *,
    label: str = "The data",
    base_iri: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[Quad]:
    """Parse a whole RDF document into quads, blank nodes renamed apart.

    Args:
        data: the document.
        media_type: its media type (see :func:`rdf_format`).
        label: how error messages name the document (a file name, "The body").
        base_iri: base for relative IRIs; ``None`` makes relative IRIs an error.
        progress: called with the number of bytes consumed as parsing advances.

    Returns:
        Every quad; triples of triple-only formats are in the default graph.

    Raises:
        InputError: unknown media type, a syntax error (with line and column), a JSON-LD
            remote context, or an RDF/XML entity expansion attack.
    """
    fmt = rdf_format(media_type)
    if fmt == RdfFormat.RDF_XML and b"<!ENTITY" in data:
        _check_rdf_xml_entities(data, label)
    source: bytes | IO[bytes] = data
    if progress is not None:
        source = io.BufferedReader(_ProgressReader(data, progress), buffer_size=1 << 20)
    try:
        return list(parse(source, fmt, base_iri=base_iri, rename_blank_nodes=True))
    except SyntaxError as error:
        detail = str(error)
        if "LoadDocumentCallback" in detail:
            msg = (
                f"{label} refers to a remote JSON-LD @context, which the service never fetches; "
                "put the context inline."
            )
            raise InputError(msg) from None
        msg = f"{label} is not valid {fmt.name}: {detail}"
        raise InputError(msg) from None
    except (ValueError, UnicodeDecodeError) as error:
        msg = f"{label} is not valid {fmt.name}: {error}"
        raise InputError(msg) from None
