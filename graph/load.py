"""Load batches of user data: parse, describe, validate, then write all of it or nothing.

Every load is a batch in a named graph of its own, which describes itself with PROV-O
(:mod:`inclusion_kg.graph.provenance`), so it can be listed, replaced or dropped as a unit.
The steps, in order, with nothing written before the last one:

1. Parse each document once, with pyoxigraph
   (:func:`~inclusion_kg.graph.store.formats.parse_rdf`): a syntax error is an
   :class:`~inclusion_kg.graph.errors.InputError` with line and column; remote JSON-LD
   contexts and RDF/XML entity bombs are refused.
2. Put triples into the batch graph: ``graph`` if given, otherwise a fresh
   ``…/graph/batch-<time>-<random>`` per document; quads that name their own graph (TriG,
   N-Quads) keep it. A graph that already holds data is a
   :class:`~inclusion_kg.graph.errors.Conflict` unless ``replace`` is set.
3. Add the batch's self-description to each graph that lacks one.
4. Validate everything together with :func:`inclusion_kg.graph.screen.validate_batch`,
   focused on the batch's nodes, with their neighbourhood from the store as context (so a
   partnership may point to an actor loaded in another batch); it takes time linear in the
   batch. A Violation anywhere raises :class:`~inclusion_kg.graph.errors.ValidationFailed`
   carrying the report.
5. Write everything in one transaction: the parsed quads go straight to pyoxigraph
   (``Store.extend``, never ``bulk_load``) on the embedded store, as N-Quads through
   ``Store.load`` on any other backend, or through ``Store.replace_graph``.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING

from pyoxigraph import BlankNode, DefaultGraph, NamedNode, Quad, RdfFormat, serialize

from inclusion_kg.graph.errors import BackendUnavailable, Conflict, InputError, ValidationFailed
from inclusion_kg.graph.gcpause import paused
from inclusion_kg.graph.namespaces import BASE
from inclusion_kg.graph.provenance import agent_iri, with_description
from inclusion_kg.graph.store.formats import parse_rdf

if TYPE_CHECKING:
    from inclusion_kg.graph.store import Store
    from inclusion_kg.graph.validate import ValidationReport, ValidationResult

__all__ = ["BatchResult", "Document", "load_batch", "load_documents", "new_batch_graph"]

_GRAPH_CHUNK = 200
"""Graph IRIs per query (a VALUES block) when checking which graphs already hold data."""


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


def _assign_graphs(
    quads: list[Quad], graph: str | None, base: str, label: str
) -> dict[str, list[Quad]]:
    """Put every quad into its batch graph; return the quads grouped by graph IRI."""
    target = _named(graph) if graph is not None else None
    fresh: NamedNode | None = None
    by_graph: dict[NamedNode, list[Quad]] = {}
    for quad in quads:
        name: NamedNode | BlankNode | DefaultGraph = quad.graph_name
        if isinstance(name, NamedNode) and (target is None or name == target):
            placed = quad  # already where it belongs: no copy
        elif isinstance(name, DefaultGraph):
            if target is None:
                fresh = fresh or NamedNode(new_batch_graph(base))
                name = fresh
            else:
                name = target
            placed = Quad(quad.subject, quad.predicate, quad.object, name)
        elif isinstance(name, BlankNode):
            msg = f"{label} names a graph with a blank node; batches need IRIs."
            raise InputError(msg)
        else:
            msg = (
                f"{label} puts data into graph {name}, but the load targets {target}; leave out "
                "the target graph to keep the file's own graphs, or use a triples format."
            )
            raise InputError(msg)
        bucket = by_graph.get(name)
        if bucket is None:
            by_graph[name] = [placed]
        else:
            bucket.append(placed)
    return {name.value: bucket for name, bucket in by_graph.items()}


def _validator() -> ModuleType | None:
    """Return :mod:`inclusion_kg.graph.screen` if validation is installed (imported lazily)."""
    try:
        import_module("inclusion_kg.graph.validate")
    except ModuleNotFoundError as error:
        if error.name == "inclusion_kg.graph.validate":
            return None
        raise
    return import_module("inclusion_kg.graph.screen")


@dataclass(frozen=True)
class Document:
    """One RDF document to load.

    Attributes:
        data: the document's bytes.
        media_type: its media type (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML).
        label: how messages name it (a file name).
        title: the English title of its batch; None says where it was loaded from.
    """

    data: bytes
    media_type: str
    label: str = "The data"
    title: str | None = None


@dataclass
class _Unit:
    """One batch being prepared: its documents' quads, graphs and descriptions."""

    label: str
    title: str
    source: str
    by_graph: dict[str, list[Quad]]
    graphs: list[str] = field(default_factory=list)
    described: list[Quad] = field(default_factory=list)


def _source(documents: Sequence[Document]) -> str:
    digest = hashlib.sha256()
    for document in documents:
        digest.update(document.data)
    return "urn:sha256:" + digest.hexdigest()


def _parse(
    documents: Sequence[Document],
    *,
    graph: str | None,
    base: str,
    combine: bool,
    progress: Callable[[int], None] | None,
) -> list[_Unit]:
    """Parse each document once and group the quads into batches (one, or one per document)."""
    parsed = [
        _assign_graphs(
            parse_rdf(doc.data, doc.media_type, label=doc.label, progress=progress),
            graph,
            base,
            doc.label,
        )
        for doc in documents
    ]
    if combine:
        label = ", ".join(doc.label for doc in documents)
        merged: dict[str, list[Quad]] = {}
        for part in parsed:
            for name, quads in part.items():
                merged.setdefault(name, []).extend(quads)
        title = documents[0].title if documents and documents[0].title else None
        return [_Unit(label, title or f"Batch loaded from {label}", _source(documents), merged)]
    return [
        _Unit(doc.label, doc.title or f"Batch loaded from {doc.label}", _source([doc]), part)
        for doc, part in zip(documents, parsed, strict=True)
    ]


def _existing(store: Store, graphs: Sequence[str]) -> list[str]:
    """The graphs among ``graphs`` that already hold data in the store."""
    found: list[str] = []
    for start in range(0, len(graphs), _GRAPH_CHUNK):
        values = " ".join(f"<{iri}>" for iri in graphs[start : start + _GRAPH_CHUNK])
        rows = store.select(
            f"SELECT DISTINCT ?g WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
        )
        found += [str(getattr(row["g"], "value", row["g"])) for row in rows]
    return sorted(found)


def _check_graphs(store: Store, units: Sequence[_Unit], *, replace: bool) -> list[str]:
    """Find each batch's graphs; refuse graphs filled twice, or already in the store."""
    owner: dict[str, str] = {}
    for unit in units:
        if not unit.by_graph:
            msg = f"{unit.label} holds no triples."
            raise InputError(msg)
        unit.graphs = sorted(unit.by_graph)
        for name in unit.graphs:
            if name in owner:
                msg = (
                    f"{owner[name]} and {unit.label} both put data into graph <{name}>; a "
                    "batch is one graph loaded at once: load them together with --graph, "
                    "or one after the other."
                )
                raise InputError(msg)
            owner[name] = unit.label
    graphs = sorted(owner)
    if replace and (len(units) > 1 or len(graphs) > 1):
        what = f"{len(graphs)} graphs" if len(units) == 1 else f"{len(units)} batches"
        msg = f"{units[0].label} fills {what}; replace works on one graph at a time."
        raise InputError(msg)
    if not replace:
        taken = _existing(store, graphs)
        if taken:
            msg = (
                f"The store already has graph <{taken[0]}> (a batch loaded before). Load into "
                "a new graph, drop that one first, or replace it (--replace, or PUT /store)."
            )
            raise Conflict(msg)
    return graphs


def _describe(unit: _Unit, agent: str) -> None:
    # The quads come grouped by graph, so each description costs O(its graph), not
    # O(the batch).
    for name in unit.graphs:
        unit.described += with_description(
            unit.by_graph.pop(name), name, title=unit.title, source=unit.source, agent=agent
        )


def _results_of(
    units: Sequence[_Unit], report: ValidationReport
) -> list[tuple[ValidationResult, ...]]:
    """Split a report's results by the batch whose node each is about."""
    if len(units) == 1:
        return [report.results]
    owner: dict[str, int] = {}
    for number, unit in enumerate(units):
        for name in unit.graphs:
            owner.setdefault(name, number)
        for quad in unit.described:
            owner.setdefault(_key(quad.subject), number)
    split: list[list[ValidationResult]] = [[] for _ in units]
    for result in report.results:
        focus = result.focus_node
        key = f"_:{focus}" if type(focus).__name__ == "BNode" else str(focus)
        split[owner.get(key, 0)].append(result)
    return [tuple(results) for results in split]


def _key(term: object) -> str:
    return f"_:{term.value}" if isinstance(term, BlankNode) else str(getattr(term, "value", term))


def _write(store: Store, quads: list[Quad], graphs: Sequence[str], *, replace: bool) -> None:
    """Write every quad in one transaction."""
    from inclusion_kg.graph.store.oxigraph import OxigraphStore

    if replace:
        payload = serialize(quads, format=RdfFormat.N_QUADS) or b""
        store.replace_graph(graphs[0], payload, "application/n-quads")
    elif isinstance(store, OxigraphStore):
        # The quads are parsed already: hand them to pyoxigraph as they are (one
        # transaction), instead of serialising them for Store.load to parse again.
        with store.workers.writing():
            try:
                store.oxigraph.extend(quads)
            except OSError as error:
                msg = f"The store failed while writing: {error}"
                raise BackendUnavailable(msg) from None
    else:
        store.load(serialize(quads, format=RdfFormat.N_QUADS) or b"", "application/n-quads")


def load_documents(
    store: Store,
    documents: Sequence[Document],
    *,
    graph: str | None = None,
    source: str | None = None,
    agent: str | None = None,
    replace: bool = False,
    validate: bool = True,
    combine: bool = False,
    base: str = BASE,
    progress: Callable[[int], None] | None = None,
    stage: Callable[[str], None] | None = None,
) -> list[BatchResult]:
    """Load documents as batches, validated together and written in one transaction.

    Each document is a batch (its own graphs), or with ``combine`` all of them form one.
    Nothing is written unless every document parses and the whole load conforms.

    Args:
        store: where to write.
        documents: what to load.
        graph: the batches' graph IRI; None mints a fresh one per document (TriG/N-Quads
            graphs are kept). Several documents into one graph need ``combine``.
        source: the IRI of the document the data comes from (``prov:hadPrimarySource``);
            None names each batch by the SHA-256 of its bytes (``urn:sha256:…``).
        agent: the IRI of who loads it (``prov:wasAttributedTo``); None is ``…/id/agent/ikg``.
        replace: replace a graph that already holds data instead of refusing (one batch
            of one graph only).
        validate: run the SHACL gate (when the validation module is installed).
        combine: make one batch of all the documents.
        base: base IRI for minted graph IRIs.
        progress: called with bytes parsed, for progress bars.
        stage: called with "validating" and "writing" as the load moves on.

    Returns:
        One result per batch, in the order of the documents.

    Raises:
        InputError: a document does not parse, is empty, or puts data in a graph other than
            ``graph``; two batches fill the same graph.
        Conflict: a target graph already holds data and ``replace`` is false.
        ValidationFailed: the data breaks a shape with severity Violation.
    """
    if graph is not None and len(documents) > 1 and not combine:
        msg = "Several documents go into one graph only as one batch (combine them)."
        raise InputError(msg)
    with paused():  # nothing a load builds is cyclic: see graph/gcpause.py
        return _load(
            store,
            documents,
            graph=graph,
            source=source,
            agent=agent,
            replace=replace,
            validate=validate,
            combine=combine,
            base=base,
            progress=progress,
            stage=stage,
        )


def _load(
    store: Store,
    documents: Sequence[Document],
    *,
    graph: str | None,
    source: str | None,
    agent: str | None,
    replace: bool,
    validate: bool,
    combine: bool,
    base: str,
    progress: Callable[[int], None] | None,
    stage: Callable[[str], None] | None,
) -> list[BatchResult]:
    units = _parse(documents, graph=graph, base=base, combine=combine, progress=progress)
    if source is not None:
        for unit in units:
            unit.source = source
    graphs = _check_graphs(store, units, replace=replace)
    batch_agent = agent or agent_iri("ikg", base)
    for unit in units:
        _describe(unit, batch_agent)
    described = [quad for unit in units for quad in unit.described]
    reports: list[ValidationReport | None] = [None] * len(units)
    module = _validator() if validate else None
    if module is not None:
        if stage is not None:
            stage("validating")
        report: ValidationReport = module.validate_batch(store, described, graphs)
        if not report.conforms:
            violations = report.violations
            first = violations[0]
            where = _results_of(units, type(report)(results=(first,)))
            label = next(u.label for u, found in zip(units, where, strict=True) if found)
            count = len(violations)
            msg = (
                f"{label} breaks the shapes ({count} violation{'s' if count != 1 else ''}); "
                f"nothing was written. First: {first.message} "
                f"[{module.validate.short_name(first.focus_node)}]"
            )
            raise ValidationFailed(msg, report)
        reports = [type(report)(results=part) for part in _results_of(units, report)]
    if stage is not None:
        stage("writing")
    _write(store, described, graphs, replace=replace)
    return [
        BatchResult(graphs=tuple(unit.graphs), quads=len(set(unit.described)), report=found)
        for unit, found in zip(units, reports, strict=True)
    ]


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
    (result,) = load_documents(
        store,
        [Document(data, media_type, label, title)],
        graph=graph,
        source=source,
        agent=agent,
        replace=replace,
        validate=validate,
        base=base,
        progress=progress,
        stage=stage,
    )
    return result
