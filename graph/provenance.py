"""The PROV-O self-description every batch (named graph) carries inside itself.

The data contract (docs/HELPERS-CONTRACT.md, "Batch provenance")::

    <graph-iri> a prov:Entity, dcat:Dataset ;
        dcterms:title "…"@en ;
        prov:generatedAtTime "…"^^xsd:dateTime ;
        prov:wasAttributedTo <agent> ;
        prov:hadPrimarySource <document> ;
        void:triples N .

``void:triples`` counts every triple of the graph, the description included (the seeds do
the same), so ``SELECT (COUNT(*) AS ?n) { GRAPH <g> { ?s ?p ?o } }`` equals it right after
the load.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, Triple

from inclusion_kg.graph.namespaces import BASE
from inclusion_kg.graph.store import GraphInfo

__all__ = [
    "DCAT",
    "DCTERMS",
    "PROV",
    "VOID",
    "agent_iri",
    "describe_batch",
    "describes_itself",
    "graph_info",
    "source_iri",
    "with_description",
]

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
PROV = "http://www.w3.org/ns/prov#"
DCAT = "http://www.w3.org/ns/dcat#"
DCTERMS = "http://purl.org/dc/terms/"
VOID = "http://rdfs.org/ns/void#"
XSD = "http://www.w3.org/2001/XMLSchema#"

_ENTITY = NamedNode(PROV + "Entity")
_DATASET = NamedNode(DCAT + "Dataset")
_TITLE = NamedNode(DCTERMS + "title")
_GENERATED = NamedNode(PROV + "generatedAtTime")
_ATTRIBUTED = NamedNode(PROV + "wasAttributedTo")
_SOURCE = NamedNode(PROV + "hadPrimarySource")
_TRIPLES = NamedNode(VOID + "triples")
_SINGLE_VALUED = (_GENERATED, _TRIPLES)

_SHORT = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs:",
    PROV: "prov:",
    DCAT: "dcat:",
    DCTERMS: "dcterms:",
    VOID: "void:",
    "https://w3id.org/inclusion-kg/ontology#": "ikg:",
}


def agent_iri(name: str, base: str = BASE) -> str:
    """Return the IRI of an agent (a person or a program) under ``{base}id/agent/``.

    >>> agent_iri("Ana María")
    'https://w3id.org/inclusion-kg/id/agent/ana-mar-a'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "unknown"
    return f"{base}id/agent/{slug}"


def source_iri(data: bytes) -> str:
    """Name a document by its content when it has no IRI of its own: ``urn:sha256:<hex>``.

    >>> source_iri(b"")
    'urn:sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
    """
    return "urn:sha256:" + hashlib.sha256(data).hexdigest()


def describes_itself(quads: Iterable[Quad], graph: str) -> bool:
    """Whether ``graph`` already types itself ``prov:Entity`` inside itself."""
    name = NamedNode(graph)
    return any(
        quad.graph_name == name
        and quad.subject == name
        and quad.predicate == RDF_TYPE
        and quad.object == _ENTITY
        for quad in quads
    )


def describe_batch(
    graph: str,
    *,
    title: str,
    source: str,
    agent: str,
    triples: int,
    generated_at: datetime | None = None,
) -> list[Quad]:
    """Return the description quads of a batch, all inside the batch's graph.

    Raises:
        ValueError: an IRI is not valid.
    """
    name = NamedNode(graph)
    when = (generated_at or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    stamp = when.isoformat().replace("+00:00", "Z")
    statements: list[tuple[NamedNode, NamedNode | Literal]] = [
        (RDF_TYPE, _ENTITY),
        (RDF_TYPE, _DATASET),
        (_TITLE, Literal(title, language="en")),
        (_GENERATED, Literal(stamp, datatype=NamedNode(XSD + "dateTime"))),
        (_ATTRIBUTED, NamedNode(agent)),
        (_SOURCE, NamedNode(source)),
        (_TRIPLES, Literal(str(triples), datatype=NamedNode(XSD + "integer"))),
    ]
    return [Quad(name, predicate, obj, name) for predicate, obj in statements]


def with_description(
    quads: Sequence[Quad],
    graph: str,
    *,
    title: str,
    source: str,
    agent: str,
    generated_at: datetime | None = None,
) -> list[Quad]:
    """Return ``quads`` plus the description of ``graph`` (unless it already has one).

    ``void:triples`` is computed so that it counts every distinct triple of the graph once
    the description is in: the data's triples in ``graph`` plus the description's. Stale
    ``prov:generatedAtTime`` / ``void:triples`` statements about the graph are replaced.

    Raises:
        ValueError: an IRI is not valid.
    """
    if describes_itself(quads, graph):
        return list(quads)
    name = NamedNode(graph)
    kept = [
        quad
        for quad in quads
        if not (
            quad.graph_name == name and quad.subject == name and quad.predicate in _SINGLE_VALUED
        )
    ]
    description = describe_batch(
        graph, title=title, source=source, agent=agent, triples=0, generated_at=generated_at
    )
    data_triples = {quad.triple for quad in kept if quad.graph_name == name}
    added = [quad for quad in description[:-1] if quad.triple not in data_triples]
    count = len(data_triples) + len(added) + 1  # + the void:triples statement itself
    triples = Quad(name, _TRIPLES, Literal(str(count), datatype=NamedNode(XSD + "integer")), name)
    return [*kept, *added, triples]


def _short(iri: str) -> str:
    for namespace, prefix in _SHORT.items():
        if iri.startswith(namespace):
            return prefix + iri[len(namespace) :]
    return iri


def _text(term: object) -> str:
    if isinstance(term, NamedNode | Literal | BlankNode):
        return term.value
    if isinstance(term, Triple | DefaultGraph):
        return str(term)
    return str(term)


def graph_info(
    iri: str,
    triples: int,
    description: Iterable[tuple[NamedNode, NamedNode | BlankNode | Literal | Triple]],
) -> GraphInfo:
    """Build a :class:`GraphInfo` from the statements a graph makes about itself.

    ``title`` prefers an English title; every statement not mapped to a field goes to
    ``extra`` under a short name (``void:triples``, ``ikg:confidence``), values joined by ", ".
    """
    title: str | None = None
    title_is_english = False
    fields: dict[str, str] = {}
    extra: dict[str, list[str]] = {}
    for predicate, obj in description:
        if predicate == _TITLE and isinstance(obj, Literal):
            english = (obj.language or "").lower().startswith("en")
            if title is None or (english and not title_is_english):
                title, title_is_english = obj.value, english
            continue
        key = {
            _GENERATED: "generated_at",
            _ATTRIBUTED: "attributed_to",
            _SOURCE: "source",
        }.get(predicate)
        if key is not None and key not in fields:
            fields[key] = _text(obj)
            continue
        value = _short(obj.value) if isinstance(obj, NamedNode) else _text(obj)
        extra.setdefault(_short(predicate.value), []).append(value)
    return GraphInfo(
        iri=iri,
        triples=triples,
        title=title,
        generated_at=fields.get("generated_at"),
        attributed_to=fields.get("attributed_to"),
        source=fields.get("source"),
        extra={key: ", ".join(sorted(values)) for key, values in sorted(extra.items())},
    )
