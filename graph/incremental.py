"""Validate a write by what it touches: the changed nodes, their neighbourhood, the shapes.

Validating a whole store takes minutes at a million triples (pySHACL over the full graph
takes 2-3 minutes here, and 0.75 s even with ``focus_nodes``, because pySHACL still walks
every shape's targets). A write changes a handful of statements, so :func:`validate_change`
validates only the nodes whose results the write can change, over a small graph cut out of
the store with a few SPARQL queries:

1. **The change.** A :class:`Change` lists the quads to remove and the quads to add. Its
   *net* effect on the union graph (what every query sees) is computed against the store:
   a statement removed from one graph but still asserted in another has not changed.
2. **Focus nodes.** Every subject the change writes about; the object of a changed
   statement whose predicate some shape reads backwards (``^ikg:hasParticipation``) or
   targets (``sh:targetObjectsOf ikg:budget``); and when a node's ``rdf:type`` or
   ``ikg:participant`` changes, the nodes pointing at it, whose ``sh:class`` checks and
   two-step paths (``ikg:hasParticipation/ikg:participant``) read those statements.
3. **Neighbourhood.** For each focus node: its outgoing statements, its incoming statements
   along the backward-read predicates, and, for each neighbour, the statements the shapes
   read one step away (``rdf:type``, ``ikg:participant``) — all taken from the store with
   the change applied. The ontology's class hierarchy is added by the validator, and the
   ``skos:inScheme`` of each concept the neighbourhood points at from the shipped schemes.
   For a partnership that is about 130 triples.
4. **Validation.** The shapes that target a focus node run on it, through pySHACL's own
   shape objects (built once per process) with ``inference="none"``. The result is the
   same :class:`~inclusion_kg.graph.validate.ValidationReport` as a full validation's,
   restricted to the focus nodes; tests check that the two agree.

Which predicates are read backwards, targeted or read one step away is derived from the
shapes (inverse and sequence paths, ``sh:targetObjectsOf``, ``sh:class``) plus what the
SPARQL-based constraints read (:data:`SPARQL_READS`). A new SPARQL constraint that reads
further has to be added there; ``tests/rest/test_incremental.py`` compares the incremental
result with full validation for each kind of write.

Blank nodes are not followed (the data contract names every node with an IRI).
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, QuerySolutions, Triple
from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.namespace import RDF, SH, SKOS
from rdflib.term import Node

from inclusion_kg.graph import validate as _validate
from inclusion_kg.graph.errors import InputError
from inclusion_kg.graph.namespaces import BASE, IKG
from inclusion_kg.graph.records import term_value
from inclusion_kg.graph.store import Row, Store
from inclusion_kg.graph.validate import Severity

__all__ = [
    "SPARQL_READS",
    "Change",
    "ChangeReport",
    "Neighbourhood",
    "ShapeReads",
    "check_change",
    "extract_neighbourhood",
    "net_effect",
    "shape_reads",
    "to_rdflib",
    "validate_change",
    "validate_focus",
]

log = logging.getLogger(__name__)

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_TYPE = str(RDF.type)
_CHUNK = 200
"""IRIs per VALUES block."""

SPARQL_READS: dict[str, frozenset[str]] = {
    # ikgsh:Partnership_Shape-partners: $this ikg:hasParticipation/ikg:participant ?actor
    "remote": frozenset({str(IKG.participant)}),
    # ikgsh:Participation_Shape-iri: ?partnership ikg:hasParticipation $this
    "reverse": frozenset({str(IKG.hasParticipation)}),
}
"""What the SPARQL-based constraints of ``shapes/`` read beyond their focus node's own
outgoing statements: ``remote`` predicates one step away, ``reverse`` predicates pointing
at the focus node. (The actor-kind constraints read ``rdf:type`` and the class hierarchy;
the period constraint and the provenance constraints read only the focus node.)"""


@dataclass(frozen=True)
class Change:
    """A write: quads to remove from the store and quads to add, applied together.

    Attributes:
        removed: quads to delete, each from its own graph.
        added: quads to insert, each into its graph.
    """

    removed: tuple[Quad, ...] = ()
    added: tuple[Quad, ...] = ()

    @property
    def subjects(self) -> frozenset[str]:
        """IRIs of the subjects the change writes about."""
        return frozenset(
            term_value(q.subject)
            for q in (*self.removed, *self.added)
            if isinstance(q.subject, NamedNode)
        )


@dataclass(frozen=True)
class ShapeReads:
    """Which statements around a focus node the shapes read (see the module docstring).

    Attributes:
        reverse: predicates read from object to subject (inverse paths, SPARQL).
        object_targets: predicates whose objects a shape targets (``sh:targetObjectsOf``).
        remote: predicates read on a neighbour of the focus node (``rdf:type`` for
            ``sh:class``, the later steps of sequence paths, SPARQL).
    """

    reverse: frozenset[str]
    object_targets: frozenset[str]
    remote: frozenset[str]


@dataclass(frozen=True)
class Neighbourhood:
    """What validating a change needs: the focus nodes and the graph around them.

    Attributes:
        focus: the nodes to validate.
        triples: the statements around them, with the change applied.
        queries: SPARQL queries it took to cut them out of the store.
    """

    focus: tuple[URIRef, ...]
    triples: frozenset[tuple[Node, Node, Node]] = field(default_factory=frozenset)
    queries: int = 0


# ---------------------------------------------------------------------------------------
# Terms
# ---------------------------------------------------------------------------------------


def to_rdflib(term: object) -> Node:
    """Convert a pyoxigraph term to the equal rdflib term.

    Raises:
        InputError: the term is an RDF-star triple term.
    """
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
    msg = f"RDF-star triple terms ({term}) cannot be validated."
    raise InputError(msg)


def _triple(quad: Quad) -> tuple[Node, Node, Node]:
    return (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object))


# ---------------------------------------------------------------------------------------
# What the shapes read
# ---------------------------------------------------------------------------------------


@cache
def shape_reads() -> ShapeReads:
    """Derive from the shapes which statements beyond a node's own the validation reads."""
    shapes = _validate._shapes()
    reverse: set[str] = set(SPARQL_READS["reverse"])
    remote: set[str] = set(SPARQL_READS["remote"])
    object_targets = {str(p) for p in shapes.objects(None, SH.targetObjectsOf)}
    for shape, path in shapes.subject_objects(SH.path):
        _path_reads(shapes, path, reverse, remote, first=True)
        if (shape, SH["class"], None) in shapes or (shape, SH.node, None) in shapes:
            remote.add(_RDF_TYPE)
    if (None, SH["class"], None) in shapes:
        remote.add(_RDF_TYPE)
    return ShapeReads(frozenset(reverse), frozenset(object_targets), frozenset(remote))


def _path_reads(
    graph: Graph, path: Node, reverse: set[str], remote: set[str], *, first: bool
) -> None:
    if isinstance(path, URIRef):
        if not first:
            remote.add(str(path))
        return
    if (path, RDF.first, None) in graph:
        for index, step in enumerate(graph.items(path)):
            _path_reads(graph, step, reverse, remote, first=first and index == 0)
        return
    inverse = graph.value(path, SH.inversePath)
    if isinstance(inverse, URIRef):
        reverse.add(str(inverse))
        return
    for predicate in (SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath):
        inner = graph.value(path, predicate)
        if inner is not None:
            _path_reads(graph, inner, reverse, remote, first=False)
            return
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        for step in graph.items(alternatives):
            _path_reads(graph, step, reverse, remote, first=first)


# ---------------------------------------------------------------------------------------
# Cutting the neighbourhood out of the store
# ---------------------------------------------------------------------------------------


def _select(store: Store, query: str) -> list[Row]:
    """Run one of this module's own SELECTs over the union of all graphs.

    On the embedded store it goes straight to pyoxigraph: these queries are built here
    from IRIs, so the request-path checks (:func:`~inclusion_kg.graph.sparql.check_query`,
    a Python scanner that costs a few milliseconds per query) buy nothing on a write's
    critical path. Any other backend gets :meth:`Store.select`.
    """
    from inclusion_kg.graph.store.oxigraph import OxigraphStore, solution_row

    if isinstance(store, OxigraphStore):
        result = store.oxigraph.query(query, use_default_graph_as_union=True)
        if isinstance(result, QuerySolutions):
            variables = result.variables
            return [solution_row(solution, variables) for solution in result]
    return store.select(query)


def _values(iris: Sequence[str]) -> str:
    return " ".join(f"<{iri}>" for iri in iris)


def _graph_filter(excluded: Sequence[str]) -> str:
    if not excluded:
        return ""
    return f"FILTER(?g NOT IN ({', '.join(f'<{iri}>' for iri in excluded)}))"


def _fetch(
    store: Store,
    nodes: Iterable[str],
    *,
    excluded: Sequence[str],
    outgoing: frozenset[str] | None = None,
    incoming: frozenset[str] = frozenset(),
) -> tuple[set[Quad], int]:
    """Fetch the quads around ``nodes`` and count the queries it took.

    Outgoing quads (all, or only ``outgoing`` predicates) and incoming quads along the
    ``incoming`` predicates.
    """
    ordered = sorted(set(nodes))
    found: set[Quad] = set()
    queries = 0
    out_values = "" if outgoing is None else f"VALUES ?p {{ {_values(sorted(outgoing))} }}"
    in_values = f"VALUES ?p {{ {_values(sorted(incoming))} }}"
    for start in range(0, len(ordered), _CHUNK):
        chunk = _values(ordered[start : start + _CHUNK])
        parts = [f"{{ {out_values} GRAPH ?g {{ ?x ?p ?o }} BIND(?x AS ?s) }}"]
        if incoming:
            parts.append(f"{{ {in_values} GRAPH ?g {{ ?s ?p ?x }} BIND(?x AS ?o) }}")
        query = (
            f"SELECT ?s ?p ?o ?g WHERE {{ VALUES ?x {{ {chunk} }} "
            f"{' UNION '.join(parts)} {_graph_filter(excluded)} }}"
        )
        queries += 1
        for row in _select(store, query):
            subject, predicate, obj, graph = row["s"], row["p"], row["o"], row["g"]
            if (
                isinstance(subject, NamedNode | BlankNode)
                and isinstance(predicate, NamedNode)
                and isinstance(obj, NamedNode | BlankNode | Literal)
                and isinstance(graph, NamedNode)
            ):
                found.add(Quad(subject, predicate, obj, graph))
    return found, queries


def _apply(fetched: set[Quad], change: Change, keep: Any) -> set[tuple[Any, Any, Any]]:
    """Return the triples of ``fetched`` after the change.

    Added quads count when ``keep`` accepts them (those the fetch would have found).
    """
    removed = set(change.removed)
    after = {q for q in fetched if q not in removed}
    after.update(q for q in change.added if keep(q))
    return {(q.subject, q.predicate, q.object) for q in after if not isinstance(q.object, Triple)}


def net_effect(
    store: Store, change: Change, *, excluded: Sequence[str] = ()
) -> tuple[set[tuple[Any, Any, Any]], set[tuple[Any, Any, Any]]]:
    """Return the statements the change removes from and adds to the union graph.

    A statement that stays asserted in another graph is not removed; one that the store
    already asserts is not added.
    """
    fetched, _ = _fetch(store, change.subjects, excluded=excluded)
    before = {(q.subject, q.predicate, q.object) for q in fetched}
    after = _apply(fetched, change, lambda q: term_value(q.subject) in change.subjects)
    return before - after, after - before


def extract_neighbourhood(
    store: Store,
    change: Change,
    *,
    excluded: Sequence[str] | None = None,
    trusted: Iterable[str] = (),
    before: bool = False,
) -> Neighbourhood:
    """Cut out of the store what validating ``change`` needs, with the change applied.

    ``excluded`` names graphs to leave out (default: the ontology graph, whose class
    hierarchy the validator brings itself). ``trusted`` names subjects the caller wrote
    itself and need not be validated (a write's own batch description and change
    records, built by :mod:`inclusion_kg.graph.provenance`); they stay in the graph as
    context. With ``before``, the same focus nodes are cut out of the store as it is,
    without the change (to tell the Violations a change introduces from those it finds).
    """
    reads = shape_reads()
    skip = [f"{BASE}graph/ontology"] if excluded is None else list(excluded)
    subjects = change.subjects

    # 1. the subjects: everything about them, and what points back at them
    fetched, queries = _fetch(store, subjects, excluded=skip, incoming=reads.reverse)
    subject_quads = {q for q in fetched if term_value(q.subject) in subjects}
    prior = {(q.subject, q.predicate, q.object) for q in subject_quads}
    after = _apply(subject_quads, change, lambda q: term_value(q.subject) in subjects)
    changed = prior ^ after

    # 2. the focus nodes
    skip_focus = set(trusted)
    focus = set(subjects) - skip_focus
    pointed_at: set[str] = set()
    for subject, predicate, obj in changed:
        if isinstance(obj, NamedNode) and (
            predicate.value in reads.reverse or predicate.value in reads.object_targets
        ):
            focus.add(obj.value)
        if predicate.value in reads.remote and isinstance(subject, NamedNode):
            pointed_at.add(subject.value)
    if pointed_at:
        rows = []
        ordered = sorted(pointed_at)
        for start in range(0, len(ordered), _CHUNK):
            queries += 1
            chunk = _values(ordered[start : start + _CHUNK])
            rows += _select(
                store,
                f"SELECT DISTINCT ?n WHERE {{ VALUES ?x {{ {chunk} }} "
                f"GRAPH ?g {{ ?n ?p ?x }} FILTER(isIRI(?n)) {_graph_filter(skip)} }}",
            )
        focus.update(row["n"].value for row in rows if isinstance(row["n"], NamedNode))
        focus.update(
            term_value(q.subject)
            for q in change.added
            if isinstance(q.subject, NamedNode)
            and isinstance(q.object, NamedNode)
            and q.object.value in pointed_at
        )

    # 3. the focus nodes' own statements and what points back at them
    focus -= skip_focus
    others = focus - subjects
    if others:
        more, count = _fetch(store, others, excluded=skip, incoming=reads.reverse)
        fetched |= more
        queries += count

    def around_focus(quad: Quad) -> bool:
        if term_value(quad.subject) in focus:
            return True
        return (
            isinstance(quad.object, NamedNode)
            and quad.object.value in focus
            and quad.predicate.value in reads.reverse
        )

    applied = Change() if before else change
    view = _apply(fetched, applied, around_focus)

    # 4. what the shapes read one step away
    neighbours = {
        term.value
        for subject, _, obj in view
        for term in (subject, obj)
        if isinstance(term, NamedNode) and term.value not in focus
    }
    if neighbours:
        remote, count = _fetch(store, neighbours, excluded=skip, outgoing=reads.remote)
        queries += count
        view |= _apply(
            remote,
            applied,
            lambda q: term_value(q.subject) in neighbours and q.predicate.value in reads.remote,
        )

    triples = {_triple(Quad(s, p, o)) for s, p, o in view}
    triples |= _scheme_membership({o for _, _, o in triples if isinstance(o, URIRef)})
    return Neighbourhood(
        focus=tuple(URIRef(iri) for iri in sorted(focus)),
        triples=frozenset(triples),
        queries=queries,
    )


@cache
def _schemes() -> dict[Node, tuple[tuple[Node, Node, Node], ...]]:
    ontology = _validate._ontology()
    found: dict[Node, list[tuple[Node, Node, Node]]] = {}
    for concept, scheme in ontology.subject_objects(SKOS.inScheme):
        found.setdefault(concept, []).append((concept, SKOS.inScheme, scheme))
    return {concept: tuple(triples) for concept, triples in found.items()}


def _scheme_membership(objects: Iterable[URIRef]) -> set[tuple[Node, Node, Node]]:
    schemes = _schemes()
    return {triple for obj in objects for triple in schemes.get(obj, ())}


# ---------------------------------------------------------------------------------------
# Validating the neighbourhood
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    shape: Any
    nodes: frozenset[Node]
    classes: frozenset[Node]
    subjects_of: frozenset[Node]
    objects_of: frozenset[Node]


@dataclass(frozen=True)
class _Shapes:
    graph: Any
    targets: tuple[_Target, ...]
    superclasses: dict[Node, frozenset[Node]]
    direct: dict[Node, tuple[tuple[Node, Node, Node], ...]]


@cache
def _shape_index() -> _Shapes:
    """Build pySHACL's shape objects once and index them by what they target."""
    from pyshacl.shapes_graph import ShapesGraph

    shapes_graph = ShapesGraph(_validate._shapes(), False, logging.getLogger("pyshacl"))
    targets = []
    for shape in shapes_graph.shapes:
        nodes, classes, implicit, objects_of, subjects_of = shape.target()
        target = _Target(
            shape=shape,
            nodes=frozenset(nodes),
            classes=frozenset(classes) | frozenset(implicit),
            subjects_of=frozenset(subjects_of),
            objects_of=frozenset(objects_of),
        )
        if target.nodes or target.classes or target.subjects_of or target.objects_of:
            targets.append(target)
    direct: dict[Node, set[Node]] = {}
    axioms: dict[Node, list[tuple[Node, Node, Node]]] = {}
    for triple in _validate._class_hierarchy():
        subclass, _, superclass = triple
        direct.setdefault(subclass, set()).add(superclass)
        axioms.setdefault(subclass, []).append(triple)
    closure: dict[Node, frozenset[Node]] = {}
    for start in direct:
        seen = {start}
        stack = [start]
        while stack:
            for parent in direct.get(stack.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    stack.append(parent)
        closure[start] = frozenset(seen)
    return _Shapes(shapes_graph, tuple(targets), closure, {c: tuple(t) for c, t in axioms.items()})


def _hierarchy_of(index: _Shapes, classes: Iterable[Node]) -> set[tuple[Node, Node, Node]]:
    """Return the ``rdfs:subClassOf`` triples above ``classes``.

    That is all of the ontology that class checks, class targets and the SPARQL
    constraints' ``rdfs:subClassOf+`` need.
    """
    wanted: set[Node] = set()
    for cls in classes:
        wanted |= index.superclasses.get(cls, frozenset({cls}))
    return {t for cls in wanted for t in index.direct.get(cls, ())}


def _targets(index: _Shapes, graph: Graph, node: Node) -> list[_Target]:
    types: set[Node] = set()
    for kind in graph.objects(node, RDF.type):
        types |= index.superclasses.get(kind, frozenset({kind}))
    out = set(graph.predicates(node, None))
    into = set(graph.predicates(None, node))
    return [
        target
        for target in index.targets
        if node in target.nodes
        or target.classes & types
        or target.subjects_of & out
        or target.objects_of & into
    ]


def validate_focus(
    triples: Iterable[tuple[Node, Node, Node]], focus: Iterable[Node]
) -> _validate.ValidationReport:
    """Validate ``focus`` nodes over ``triples`` with every shape that targets them.

    The ontology's class hierarchy above the classes present is added; inference is none.
    The result equals :func:`~inclusion_kg.graph.validate.validate_graph` with
    ``focus_nodes`` over the same graph, without rebuilding pySHACL's shapes on every call.
    """
    index = _shape_index()
    graph = focus_graph(index, triples)
    by_shape: dict[int, tuple[_Target, list[Node]]] = {}
    for node in focus:
        for target in _targets(index, graph, node):
            by_shape.setdefault(id(target), (target, []))[1].append(node)
    return run_shapes(graph, ((target.shape, nodes) for target, nodes in by_shape.values()))


def focus_graph(index: _Shapes, triples: Iterable[tuple[Node, Node, Node]]) -> Graph:
    """The data graph to validate: ``triples`` plus the class hierarchy above their classes."""
    graph = _validate._PreparedQueryGraph(bind_namespaces="none")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ill-typed literals: the shapes report them
        for triple in triples:
            graph.add(triple)
    for triple in _hierarchy_of(index, set(graph.objects(None, RDF.type))):
        graph.add(triple)
    return graph


def run_shapes(graph: Graph, work: Iterable[tuple[Any, list[Node]]]) -> _validate.ValidationReport:
    """Validate each ``(pySHACL shape, focus nodes)`` of ``work`` on ``graph``; one report.

    The results are written as pySHACL writes its report graph (blank-node paths copied
    with their structure), then read by the same reader as a full validation.
    """
    from pyshacl.pytypes import SHACLExecutor
    from pyshacl.rdfutil.clone import clone_blank_node

    executor = SHACLExecutor()
    report = Graph(bind_namespaces="none")
    cloned: dict[tuple[int, str], Node] = {}
    for shape, nodes in work:
        _conforms, results = shape.validate(executor, graph, focus=nodes)
        for _text, _node, statements in results:
            for subject, predicate, obj in statements:
                if isinstance(obj, tuple):  # (source graph, node), as in pySHACL's report
                    source, node = obj
                    if isinstance(node, BNode):  # a complex path: copy its structure
                        key = (id(source), str(node))
                        if key not in cloned:
                            cloned[key] = clone_blank_node(source, node, report, keepid=True)
                        obj = cloned[key]
                    else:
                        obj = node
                report.add((subject, predicate, obj))
    return _validate._read_report(report)


@dataclass(frozen=True)
class ChangeReport:
    """The validation of a change.

    Attributes:
        report: the focus nodes after the change: the Violations the change introduces
            (these block it), and every Warning and Info.
        preexisting: Violations the focus nodes already had before the change; they do
            not block it (a write must not make the data worse, and may leave it as bad
            as it was).
    """

    report: _validate.ValidationReport
    preexisting: tuple[_validate.ValidationResult, ...] = ()


def _key(result: _validate.ValidationResult) -> tuple[str, str, str, str]:
    return (
        str(result.focus_node),
        str(result.result_path or ""),
        str(result.shape),
        str(result.value or ""),
    )


def check_change(store: Store, change: Change, *, trusted: Iterable[str] = ()) -> ChangeReport:
    """Validate the store as it would be after ``change``, by what the change touches.

    When the result has Violations, the same focus nodes are validated in the store as it
    is, and the Violations found there too are set apart as pre-existing. ``trusted``
    subjects are not validated (see :func:`extract_neighbourhood`).
    """
    trusted = tuple(trusted)
    neighbourhood = extract_neighbourhood(store, change, trusted=trusted)
    after = validate_focus(neighbourhood.triples, neighbourhood.focus)
    if after.conforms:
        return ChangeReport(after)
    earlier = extract_neighbourhood(store, change, trusted=trusted, before=True)
    known = {_key(r) for r in validate_focus(earlier.triples, earlier.focus).violations}
    kept = tuple(
        r for r in after.results if r.severity is not Severity.VIOLATION or _key(r) not in known
    )
    old = tuple(r for r in after.violations if _key(r) in known)
    return ChangeReport(_validate.ValidationReport(results=kept), old)


def validate_change(
    store: Store, change: Change, *, trusted: Iterable[str] = ()
) -> _validate.ValidationReport:
    """Validate a change; the report's Violations are those the change introduces.

    See :func:`check_change`, which also returns the Violations that were already there.
    """
    return check_change(store, change, trusted=trusted).report
