"""Load a batch of user data: parse, describe, validate, then write all of it or nothing.

Every load is a batch in a named graph of its own, which describes itself with PROV-O
(:mod:`inclusion_kg.graph.provenance`), so it can be listed, replaced or dropped as a unit.
The steps, in order, with nothing written before the last one:

1. Parse the whole document with pyoxigraph (:func:`~inclusion_kg.graph.store.formats.parse_rdf`):
   a syntax error is an :class:`~inclusion_kg.graph.errors.InputError` with line and
   column; remote JSON-LD contexts and RDF/XML entity bombs are refused.
2. Put triples into the batch graph: ``graph`` if given, otherwise a fresh
   ``…/graph/batch-<time>-<random>``; quads that name their own graph (TriG, N-Quads)
   keep it. A graph that already holds data is a :class:`~inclusion_kg.graph.errors.Conflict`
   unless ``replace`` is set.
3. Add the batch's self-description to each graph that lacks one.
4. Validate with :func:`inclusion_kg.graph.validate.validate_graph`, focused on the
   batch's subjects, with their neighbourhood from the store as context (so a partnership
   may point to an actor loaded in another batch). A Violation raises
   :class:`~inclusion_kg.graph.errors.ValidationFailed` carrying the report.
5. Write everything in one transaction (``Store.load`` of N-Quads, or
   ``Store.replace_graph``).
"""

from __future__ import annotations

import secrets
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, cast

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, RdfFormat, serialize

from inclusion_kg.graph.errors import Conflict, InputError, ValidationFailed
from inclusion_kg.graph.namespaces import BASE
from inclusion_kg.graph.provenance import agent_iri, source_iri, with_description
from inclusion_kg.graph.store.formats import parse_rdf

if TYPE_CHECKING:
    from rdflib.term import Node

    from inclusion_kg.graph.store import Store
    from inclusion_kg.graph.validate import ValidationReport

__all__ = ["BatchResult", "load_batch", "new_batch_graph"]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_CONTEXT_CHUNK = 200
"""IRIs per context query (a VALUES block) when fetching the neighbourhood from the store."""


@dataclass(frozen=True)
class BatchResult:
    """What a load wrote.

    Attributes:
        graphs: the named graphs written (one per batch).
        quads: the number of distinct quads written, descriptions included.
        report: the validation report (Warnings and Infos only, since a Violation stops the
            load), or None when validation did not run.
    """

    graphs: tuple[str, ...]
    quads: int
    report: ValidationReport | None = None


def new_batch_graph(base: str = BASE, now: datetime | None = None) -> str:
    """Mint the IRI of a new batch graph: ``{base}graph/batch-<UTC time>-<random>``."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"{base}graph/batch-{stamp}-{secrets.token_hex(3)}"


def _named(iri: str) -> NamedNode:
    try:
        return NamedNode(iri)
    except ValueError as error:
        msg = f"<{iri}> is not a valid graph IRI: {error}"
        raise InputError(msg) from None


def _assign_graphs(quads: list[Quad], graph: str | None, base: str, label: str) -> list[Quad]:
    target = _named(graph) if graph is not None else None
    fresh: NamedNode | None = None
    placed: list[Quad] = []
    for quad in quads:
        name: NamedNode | BlankNode | DefaultGraph = quad.graph_name
        if isinstance(name, DefaultGraph):
            if target is None:
                fresh = fresh or NamedNode(new_batch_graph(base))
                name = fresh
            else:
                name = target
        elif target is not None and name != target:
            msg = (
                f"{label} puts data into graph {name}, but the load targets {target}; leave out "
                "the target graph to keep the file's own graphs, or use a triples format."
            )
            raise InputError(msg)
        if isinstance(name, BlankNode):
            msg = f"{label} names a graph with a blank node; batches need IRIs."
            raise InputError(msg)
        placed.append(Quad(quad.subject, quad.predicate, quad.object, name))
    return placed


def _validator() -> ModuleType | None:
    """Return :mod:`inclusion_kg.graph.validate` if it is installed (imported lazily)."""
    try:
        return import_module("inclusion_kg.graph.validate")
    except ModuleNotFoundError as error:
        if error.name == "inclusion_kg.graph.validate":
            return None
        raise


def _to_rdflib(term: object) -> Node:
    from rdflib import BNode, URIRef
    from rdflib import Literal as RdfLiteral

    if isinstance(term, NamedNode):
        return URIRef(term.value)
    if isinstance(term, BlankNode):
        return BNode(term.value)
    if isinstance(term, Literal):
        if term.language:
            return RdfLiteral(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return RdfLiteral(term.value)
        return RdfLiteral(term.value, datatype=URIRef(term.datatype.value))
    msg = f"RDF-star triple terms ({term}) are not supported in batches."
    raise InputError(msg)


def _context(
    store: Store, quads: Sequence[Quad], graphs: Iterable[str]
) -> list[tuple[Node, Node, Node]]:
    """Fetch from the store what validating the batch's nodes needs around them.

    That is the outgoing statements of every IRI the batch mentions and the incoming ones
    of every IRI it describes, from every graph except the batch's own (they are being
    written) and the ontology (the validator brings its own).
    """
    mentioned = sorted(
        {t.value for q in quads for t in (q.subject, q.object) if isinstance(t, NamedNode)}
    )
    described = sorted({q.subject.value for q in quads if isinstance(q.subject, NamedNode)})
    excluded = ", ".join(f"<{iri}>" for iri in [*graphs, BASE + "graph/ontology"])
    triples: list[tuple[Node, Node, Node]] = []
    for iris, pattern in ((mentioned, "?x ?p ?o"), (described, "?o ?p ?x")):
        for start in range(0, len(iris), _CONTEXT_CHUNK):
            values = " ".join(f"<{iri}>" for iri in iris[start : start + _CONTEXT_CHUNK])
            rows = store.select(
                f"SELECT ?x ?p ?o WHERE {{ VALUES ?x {{ {values} }} "
                f"GRAPH ?g {{ {pattern} }} FILTER(?g NOT IN ({excluded})) }}"
            )
            for row in rows:
                subject, obj = (
                    (row["x"], row["o"]) if pattern == "?x ?p ?o" else (row["o"], row["x"])
                )
                triples.append((_to_rdflib(subject), _to_rdflib(row["p"]), _to_rdflib(obj)))
    return triples


def _validate(
    module: ModuleType, store: Store, quads: Sequence[Quad], graphs: Sequence[str], label: str
) -> ValidationReport:
    from rdflib import Dataset, Graph, URIRef

    dataset: Dataset = Dataset()
    with warnings.catch_warnings():
        # rdflib warns about ill-typed literals ("abc"^^xsd:integer); SHACL reports them.
        warnings.simplefilter("ignore")
        named: dict[str, Graph] = {}
        for quad in quads:
            name = quad.graph_name
            assert isinstance(name, NamedNode)  # noqa: S101 - _assign_graphs named every quad
            if name.value not in named:
                named[name.value] = dataset.graph(URIRef(name.value))
            named[name.value].add(
                (_to_rdflib(quad.subject), _to_rdflib(quad.predicate), _to_rdflib(quad.object))
            )
        for subject, predicate, obj in _context(store, quads, graphs):
            dataset.add((subject, predicate, obj))
    focus = sorted({URIRef(q.subject.value) for q in quads if isinstance(q.subject, NamedNode)})
    report: ValidationReport = module.validate_graph(dataset, focus_nodes=focus)
    if not report.conforms:
        violations = report.violations
        first = violations[0]
        msg = (
            f"{label} breaks the shapes ({len(violations)} violation"
            f"{'s' if len(violations) != 1 else ''}); nothing was written. First: "
            f"{first.message} [{module.short_name(first.focus_node)}]"
        )
        raise ValidationFailed(msg, report)
    return report


def load_batch(
    store: Store,
    data: bytes,
    media_type: str,
    *,
    graph: str | None = None,
    source: str | None = None,
    agent: str | None = None,
    title: str | None = None,
    label: str = "The data",
    replace: bool = False,
    validate: bool = True,
    base: str = BASE,
    progress: Callable[[int], None] | None = None,
    stage: Callable[[str], None] | None = None,
) -> BatchResult:
    """Load one batch of RDF into the store, validated, described and all at once.

    Args:
        store: where to write.
        data: the document.
        media_type: its media type (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML).
        graph: the batch's graph IRI; None mints a fresh one (TriG/N-Quads graphs are kept).
        source: the IRI of the document the data comes from (``prov:hadPrimarySource``);
            None names the data by its SHA-256 (``urn:sha256:…``).
        agent: the IRI of who loads it (``prov:wasAttributedTo``); None is ``…/id/agent/ikg``.
        title: the batch's English title; None says where it was loaded from.
        label: how messages name the data (a file name).
        replace: replace a graph that already holds data instead of refusing.
        validate: run the SHACL gate (when the validation module is installed).
        base: base IRI for minted graph IRIs.
        progress: called with bytes parsed, for progress bars.
        stage: called with "validating" and "writing" as the load moves on.

    Raises:
        InputError: the data does not parse, is empty, or puts data in a graph other than
            ``graph``.
        Conflict: a target graph already holds data and ``replace`` is false.
        ValidationFailed: the data breaks a shape with severity Violation.
    """
    quads = _assign_graphs(
        parse_rdf(data, media_type, label=label, progress=progress), graph, base, label
    )
    if not quads:
        msg = f"{label} holds no triples."
        raise InputError(msg)
    graphs = sorted({q.graph_name.value for q in quads if isinstance(q.graph_name, NamedNode)})
    if replace and len(graphs) > 1:
        msg = f"{label} fills {len(graphs)} graphs; replace works on one graph at a time."
        raise InputError(msg)
    if not replace:
        for name in graphs:
            if store.ask(f"ASK {{ GRAPH <{name}> {{ ?s ?p ?o }} }}"):
                msg = (
                    f"The store already has graph <{name}> (a batch loaded before). Load into a "
                    "new graph, drop that one first, or replace it (--replace, or PUT /store)."
                )
                raise Conflict(msg)
    # One pass groups the quads by graph, so each description costs O(its graph), not
    # O(the batch); the document is hashed once, not once per graph.
    by_graph: dict[str, list[Quad]] = {name: [] for name in graphs}
    for quad in quads:
        by_graph[cast(NamedNode, quad.graph_name).value].append(quad)
    batch_title = title or f"Batch loaded from {label}"
    batch_source = source or source_iri(data)
    batch_agent = agent or agent_iri("ikg", base)
    described: list[Quad] = []
    for name in graphs:
        described += with_description(
            by_graph.pop(name),
            name,
            title=batch_title,
            source=batch_source,
            agent=batch_agent,
        )
    report = None
    module = _validator() if validate else None
    if module is not None:
        if stage is not None:
            stage("validating")
        report = _validate(module, store, described, graphs, label)
    if stage is not None:
        stage("writing")
    payload = serialize(described, format=RdfFormat.N_QUADS) or b""
    if replace:
        written = store.replace_graph(graphs[0], payload, "application/n-quads")
    else:
        written = store.load(payload, "application/n-quads")
    return BatchResult(graphs=tuple(graphs), quads=written, report=report)
