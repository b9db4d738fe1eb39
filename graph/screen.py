"""Validate a large batch in time linear in its size: screen every node fast, judge the few.

pySHACL costs about 4-5 ms per focus node here (rdflib lookups, a SPARQL evaluation per
node for each SPARQL-based constraint), so validating a million-triple load node by node
would take a quarter of an hour. :func:`validate_batch` gives the same report in two steps:

1. **Screen.** Every focus node of the batch is checked against every shape that targets
   it, in plain Python over an index of the batch (plus what the store holds around it),
   and the SPARQL-based constraints run once per shape over all its focus nodes at once,
   in pyoxigraph. The screen is *sound*: it may flag a node that turns out fine, but it
   never passes a node for which pySHACL would report anything (Violation, Warning or
   Info). Every constraint it does not know how to screen (a new kind of shape, a complex
   path) flags all the nodes the shape targets, so new shapes stay correct, only slower.
2. **Judge.** pySHACL validates each flagged node against the shape that flagged it: the
   property shape alone when only that one did, else the whole node shape (the shapes'
   pySHACL objects are built once per process, as for
   :func:`inclusion_kg.graph.incremental.validate_focus`), over the neighbourhood the
   shapes read (the node's own statements, the statements pointing at it along the
   predicates read backwards or targeted, and the ``rdf:type`` and other one-step reads of
   its neighbours; see :func:`~inclusion_kg.graph.incremental.shape_reads`). Its report
   is the result: a shape that flags nothing has no result to give.

The data seen is what :func:`~inclusion_kg.graph.validate.validate_graph` sees for a dataset:
the union of the batch's graphs (minus any ``…/graph/ontology`` quads), every data graph
typed ``ikgsh:NamedGraph``, statements about a graph's IRI counted only inside that graph,
the ontology's class hierarchy added; plus, from the store, what the shapes read around the
batch's nodes in every other graph (the batch's own graphs are being written, the ontology
graph is replaced by the bundled class hierarchy).

The focus nodes are every subject of the batch (IRIs and blank nodes), each graph of data
it fills, and the objects of the predicates a shape targets the objects of
(``sh:targetObjectsOf ikg:budget``): the nodes a full validation of the batch would target.
Nodes already in the store that the batch only points at are not validated again, and
blank nodes of the store are not followed (the data contract names every node with an IRI).
``tests/store/test_screen.py`` checks that the report equals ``validate_graph``'s on the
shape tests' fixtures.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any, cast

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, QuerySolutions, Triple
from pyoxigraph import Store as OxStore
from rdflib import Literal as RdfLiteral
from rdflib import URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.paths import NegatedPath
from rdflib.paths import Path as RdfPath
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Node, Variable

from inclusion_kg.graph import incremental, validate
from inclusion_kg.graph.namespaces import BASE

if TYPE_CHECKING:
    from inclusion_kg.graph.store import Store

__all__ = ["Screened", "judge", "screen", "validate_batch"]

Term = NamedNode | BlankNode | Literal
Subject = NamedNode | BlankNode
Checker = Callable[["_Index", Term], bool]
"""A compiled constraint: True when the node *may* fail it (sound, never the reverse)."""

_RDF_TYPE = NamedNode(str(RDF.type))
_SUBCLASS = NamedNode(str(RDFS.subClassOf))
_NAMED_GRAPH = NamedNode(str(validate.IKGSH.NamedGraph))
_XSD_STRING = str(XSD.string)
_LANG_STRING = str(RDF.langString)
_CHUNK = 200
"""IRIs per VALUES block when fetching context from the store."""
_SPARQL_CHUNK = 2000
"""Focus nodes per VALUES block when screening a SPARQL-based constraint."""

# Parameters of a shape that never produce a result by themselves.
_INERT = frozenset(
    str(term)
    for term in (
        RDF.type,
        SH.path,
        SH.message,
        SH.severity,
        SH.name,
        SH.description,
        SH.order,
        SH.group,
        SH.property,
        SH.sparql,
        SH.targetClass,
        SH.targetNode,
        SH.targetSubjectsOf,
        SH.targetObjectsOf,
        SH.declare,
        SH.prefixes,
        SH.qualifiedMinCount,
        SH.qualifiedMaxCount,
        SH.qualifiedValueShapesDisjoint,
        SH.defaultValue,
        RDFS.label,
        RDFS.comment,
    )
)


_NOTHING: frozenset[Term] = frozenset()
_NO_PREDICATES: dict[NamedNode, Any] = {}

# ---------------------------------------------------------------------------------------
# The batch, indexed
# ---------------------------------------------------------------------------------------


@dataclass
class _Index:
    """The union graph being validated, by subject and (for some predicates) by object."""

    incoming_predicates: frozenset[NamedNode]
    out: dict[Term, dict[NamedNode, set[Term]]] = field(default_factory=dict)
    into: dict[Term, dict[NamedNode, set[Subject]]] = field(default_factory=dict)
    superclasses: dict[str, frozenset[str]] = field(default_factory=dict)
    type_cache: dict[Term, frozenset[str]] = field(default_factory=dict)
    type_sets: dict[frozenset[str], frozenset[str]] = field(default_factory=dict)

    def add(self, subject: Subject, predicate: NamedNode, obj: Term) -> None:
        by_predicate = self.out.get(subject)
        if by_predicate is None:
            by_predicate = self.out[subject] = {}
        values = by_predicate.get(predicate)
        if values is None:
            by_predicate[predicate] = {obj}
        else:
            values.add(obj)
        if predicate in self.incoming_predicates:
            self.into.setdefault(obj, {}).setdefault(predicate, set()).add(subject)

    def values(self, node: Term, predicate: NamedNode) -> AbstractSet[Term]:
        by_predicate = self.out.get(node)
        if by_predicate is None:
            return _NOTHING
        return by_predicate.get(predicate, _NOTHING)

    def inverse(self, node: Term, predicate: NamedNode) -> set[Subject]:
        return self.into.get(node, {}).get(predicate, set())

    def types(self, node: Term) -> frozenset[str]:
        """The classes of ``node``, with every superclass (ontology and batch hierarchy)."""
        known = self.type_cache.get(node)
        if known is not None:
            return known
        found: set[str] = set()
        for kind in self.values(node, _RDF_TYPE):
            if isinstance(kind, NamedNode):
                found |= self.superclasses.get(kind.value, frozenset({kind.value}))
            elif isinstance(kind, BlankNode):
                found.add("_:" + kind.value)
        frozen = frozenset(found)
        known = self.type_cache[node] = self.type_sets.setdefault(frozen, frozen)  # shared
        return known


def _graph_name(iri: str) -> str | None:
    marker = "/graph/"
    return iri.rsplit(marker, 1)[1] if marker in iri else None


def _closure(pairs: Iterable[tuple[str, str]]) -> dict[str, frozenset[str]]:
    direct: dict[str, set[str]] = {}
    for sub, sup in pairs:
        direct.setdefault(sub, set()).add(sup)
    closure: dict[str, frozenset[str]] = {}
    for start in direct:
        seen = {start}
        stack = [start]
        while stack:
            for parent in direct.get(stack.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    stack.append(parent)
        closure[start] = frozenset(seen)
    return closure


@cache
def _ontology_subclasses() -> tuple[tuple[str, str], ...]:
    return tuple((str(sub), str(sup)) for sub, _, sup in validate._class_hierarchy())


# ---------------------------------------------------------------------------------------
# Compiling the shapes into screens
# ---------------------------------------------------------------------------------------


def _term(node: Node) -> Term | None:
    """The pyoxigraph term equal to an rdflib term of the shapes graph."""
    if isinstance(node, URIRef):
        return NamedNode(str(node))
    if isinstance(node, RdfLiteral):
        if node.language:
            return Literal(str(node), language=node.language)
        if node.datatype is None:
            return Literal(str(node))
        return Literal(str(node), datatype=NamedNode(str(node.datatype)))
    return None


_ACTUAL: dict[str, type | tuple[type, ...]] = {
    str(XSD.integer): int,
    str(XSD.float): float,
    str(XSD.decimal): Decimal,
    str(XSD.boolean): bool,
    str(XSD.date): date,
    str(XSD.time): time,
    str(XSD.dateTime): datetime,
}


@lru_cache(maxsize=1 << 16)
def _rdflib_literal(lexical: str, datatype: str, language: str | None) -> RdfLiteral:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ill-typed literals: the datatype check says so
        if language:
            return RdfLiteral(lexical, lang=language)
        if datatype == _XSD_STRING:
            return RdfLiteral(lexical)
        return RdfLiteral(lexical, datatype=URIRef(datatype))


def _rdflib_of(value: Literal) -> RdfLiteral:
    return _rdflib_literal(value.value, value.datatype.value, value.language)


_RDFS_LITERAL = str(RDFS.Literal)
_RDFS_DATATYPE = str(RDFS.Datatype)


def _has_datatype(value: Term, rule: str) -> bool:
    """PySHACL's sh:datatype test (DatatypeConstraintComponent), on a pyoxigraph term."""
    if not isinstance(value, Literal):
        return False
    if value.language:
        return rule in (_LANG_STRING, _RDFS_LITERAL)
    datatype = value.datatype.value
    if datatype == rule:
        literal = _rdflib_of(value)
        if getattr(literal, "ill_typed", None) is True:
            return False
        if rule == _XSD_STRING:
            return isinstance(literal.value, str | bytes)
        expected = _ACTUAL.get(rule)
        return expected is None or isinstance(literal.value, expected)
    if rule == _RDFS_LITERAL:
        return True
    return rule == _RDFS_DATATYPE and datatype != _XSD_STRING


_NODE_KINDS: dict[Node, tuple[type, ...]] = {
    SH.IRI: (NamedNode,),
    SH.BlankNode: (BlankNode,),
    SH.Literal: (Literal,),
    SH.BlankNodeOrIRI: (BlankNode, NamedNode),
    SH.BlankNodeOrLiteral: (BlankNode, Literal),
    SH.IRIOrLiteral: (NamedNode, Literal),
}


def _language_ok(value: Term, wanted: set[str]) -> bool:
    if not isinstance(value, Literal) or not value.language:
        return False
    lang = value.language.lower()
    return "*" in wanted or lang in wanted or lang.split("-")[0] in wanted


def _compare(value: Term, bound: RdfLiteral) -> int | None:
    """``value`` compared with ``bound`` the way pySHACL does, or None if not comparable."""
    from pyshacl.rdfutil.compare import compare_literal

    if not isinstance(value, Literal):
        return None
    literal = _rdflib_of(value)
    if literal.value is None or getattr(literal, "ill_typed", None) is True:
        return None
    if isinstance(literal.value, str) != isinstance(bound.value, str):
        return None
    try:
        compare: Callable[[RdfLiteral, RdfLiteral], int] = compare_literal
        result = compare(literal, bound)
    except (TypeError, NotImplementedError):
        return None
    return result


_ValueTest = Callable[["_Index", Term], bool]
"""Whether one value node certainly conforms (an under-approximation)."""
_ValuesOf = Callable[["_Index", Term], AbstractSet[Term]]
"""The value nodes of a path at a focus node."""
_SetCheck = Callable[["_Index", AbstractSet[Term]], bool]
"""A check on all the value nodes of a path at once: True when they *may* fail it."""


def _lacks(wanted: Term | None) -> _SetCheck:
    return lambda _index, values: wanted not in values


def _any_of(tests: Sequence[_ValueTest]) -> _ValueTest:
    return lambda index, value: any(test(index, value) for test in tests)


def _duplicate_language(_index: _Index, values: AbstractSet[Term]) -> bool:
    seen: set[str] = set()
    for value in values:
        if isinstance(value, Literal) and value.language:
            lang = value.language.lower()
            if lang in seen:
                return True
            seen.add(lang)
    return False


def _qualified(inner: _ValueTest, low: int) -> _SetCheck:
    return lambda index, values: sum(1 for v in values if inner(index, v)) < low


def _property_checker(
    values_of: _ValuesOf,
    low: int,
    high: int,
    per_value: Sequence[_ValueTest],
    on_set: Sequence[_SetCheck],
) -> Checker:
    """One property shape's constraints as one checker (values looked up once)."""

    def check(index: _Index, node: Term) -> bool:
        values = values_of(index, node)
        count = len(values)
        if count < low or 0 <= high < count:
            return True
        for test in per_value:
            for value in values:
                if not test(index, value):
                    return True
        return any(check(index, values) for check in on_set)

    return check


class _Compiler:
    """Turn the shapes graph into checkers; anything unknown becomes 'may fail'."""

    def __init__(self) -> None:
        self.graph = validate._shapes()

    def params(self, shape: Node) -> dict[str, list[Node]]:
        found: dict[str, list[Node]] = {}
        for predicate, obj in self.graph.predicate_objects(shape):
            found.setdefault(str(predicate), []).append(obj)
        return found

    def value_test(self, shape: Node) -> _ValueTest | None:
        """A test that a value node conforms to a node shape (sh:or members), or None.

        Only shapes made of value-type constraints are understood; None means 'unknown'.
        """
        tests: list[_ValueTest] = []
        for name, objects in self.params(shape).items():
            if name in (str(RDF.type), str(RDFS.comment), str(RDFS.label), str(SH.message)):
                continue
            for obj in objects:
                test = self.single_value_test(name, obj)
                if test is None:
                    return None
                tests.append(test)
        return lambda index, value: all(test(index, value) for test in tests)

    def single_value_test(self, name: str, obj: Node) -> _ValueTest | None:
        """The test of one value-level constraint parameter, or None when unknown."""
        if name == str(SH.datatype):
            rule = str(obj)
            return lambda _index, value: _has_datatype(value, rule)
        if name == str(SH.pattern):
            return self.pattern_test(obj, None)
        if name == str(SH["class"]):
            wanted = str(obj)
            return lambda index, value: (
                not isinstance(value, Literal) and (wanted in index.types(value))
            )
        if name == str(SH.nodeKind):
            allowed = _NODE_KINDS.get(obj, ())
            return lambda _index, value: isinstance(value, allowed)
        if name == str(SH["in"]):
            members = {_term(item) for item in self.graph.items(obj)}
            return lambda _index, value: value in members
        if name == str(SH.languageIn):
            languages = {str(item).lower() for item in self.graph.items(obj)}
            return lambda _index, value: _language_ok(value, languages)
        bounds: dict[str, Callable[[int], bool]] = {
            str(SH.minInclusive): lambda c: c >= 0,
            str(SH.minExclusive): lambda c: c > 0,
            str(SH.maxInclusive): lambda c: c <= 0,
            str(SH.maxExclusive): lambda c: c < 0,
        }
        if name in bounds and isinstance(obj, RdfLiteral):
            accept = bounds[name]

            def in_range(_index: _Index, value: Term) -> bool:
                compared = _compare(value, obj)
                return compared is not None and accept(compared)

            return in_range
        return None

    def pattern_test(self, pattern: Node, flags: Node | None) -> _ValueTest:
        flag_bits = 0
        for char in str(flags or ""):
            flag_bits |= {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.X}.get(
                char, 0
            )
        regex = re.compile(str(pattern), flag_bits)
        return lambda _index, value: (
            not isinstance(value, BlankNode) and (regex.search(value.value) is not None)
        )

    def path(self, path: Node) -> _ValuesOf | None:
        if isinstance(path, URIRef):
            predicate = NamedNode(str(path))
            return lambda index, node: index.values(node, predicate)
        inverse = self.graph.value(path, SH.inversePath)
        if isinstance(inverse, URIRef) and len(list(self.graph.predicate_objects(path))) == 1:
            predicate = NamedNode(str(inverse))
            return lambda index, node: set(index.inverse(node, predicate))
        return None

    def property_checks(self, shape: Node) -> list[Checker] | None:
        """The checker of one property shape; None when something in it is unknown.

        The values are looked up once per focus node; then the counts, the checks on the
        value set, and every per-value test in one pass.
        """
        params = self.params(shape)
        paths = params.get(str(SH.path), [])
        if len(paths) != 1 or str(SH.property) in params or str(SH.sparql) in params:
            return None  # nested property shapes and SPARQL on a path: pySHACL judges
        values_of = self.path(paths[0])
        if values_of is None:
            return None
        low, high = 0, -1
        per_value: list[_ValueTest] = []
        on_set: list[_SetCheck] = []
        for name, objects in params.items():
            if name in _INERT or (name == str(SH.deactivated) and objects == [RdfLiteral(False)]):
                continue
            for obj in objects:
                if name == str(SH.minCount):
                    low = max(low, int(obj))  # type: ignore[call-overload]
                elif name == str(SH.maxCount):
                    count = int(obj)  # type: ignore[call-overload]
                    high = count if high < 0 else min(high, count)
                elif name == str(SH.hasValue):
                    on_set.append(_lacks(_term(obj)))
                elif name == str(SH.uniqueLang):
                    if obj == RdfLiteral(True):
                        on_set.append(_duplicate_language)
                elif name == str(SH.pattern):
                    flags = params.get(str(SH.flags), [None])[0]
                    per_value.append(self.pattern_test(obj, flags))
                elif name == str(SH.flags):
                    continue
                elif name == str(SH["or"]):
                    members = [self.value_test(member) for member in self.graph.items(obj)]
                    per_value.append(_any_of([m for m in members if m is not None]))
                elif name == str(SH.qualifiedValueShape):
                    inner = self.value_test(obj)
                    low_count = params.get(str(SH.qualifiedMinCount))
                    if inner is None or str(SH.qualifiedMaxCount) in params or not low_count:
                        return None
                    on_set.append(_qualified(inner, int(low_count[0])))  # type: ignore[call-overload]
                else:
                    test = self.single_value_test(name, obj)
                    if test is None:
                        return None
                    per_value.append(test)
        return [_property_checker(values_of, low, high, per_value, on_set)]

    def node_checks(self, shape: Node) -> tuple[list[_Part] | None, list[Node]]:
        """Checkers for a targeted node shape, by part, and its SPARQL-based constraints.

        A part is one property shape (judged alone when it flags a node) or the node
        shape's own constraints (part ``None``: the whole shape is judged).
        """
        parts: list[_Part] = []
        own: list[Checker] = []
        sparql: list[Node] = []
        for name, objects in self.params(shape).items():
            if name in _INERT and name not in (str(SH.property), str(SH.sparql)):
                continue
            for obj in objects:
                if name == str(SH.property):
                    more = self.property_checks(obj)
                    if more is None:
                        return None, []
                    parts.append(_Part(obj, tuple(more)))
                elif name == str(SH.sparql):
                    sparql.append(obj)
                else:
                    test = self.single_value_test(name, obj)
                    if test is None:
                        return None, []
                    own.append(_negated(test))
        if own:
            parts.append(_Part(None, tuple(own)))
        return parts, sparql


def _negated(test: _ValueTest) -> Checker:
    return lambda index, node: not test(index, node)


@dataclass(frozen=True, eq=False)
class _Part:
    """Checkers of one property shape (``shape``), or of a node shape's own constraints."""

    shape: Node | None
    checks: tuple[Checker, ...]


@dataclass(frozen=True, eq=False)
class _Sparql:
    """A SPARQL-based constraint, ready to run over many focus nodes at once."""

    query: str | None
    """The SELECT with ``$this`` as ``?this`` and a ``{VALUES}`` slot; None: unknown."""
    predicates: frozenset[str] | None
    """The predicates it reads; None when it reads any (a variable predicate)."""


@dataclass(frozen=True, eq=False)
class _Screen:
    """One targeting shape: whom it targets, its checks, its SPARQL constraints."""

    nodes: frozenset[str]
    classes: frozenset[str]
    subjects_of: frozenset[NamedNode]
    objects_of: frozenset[NamedNode]
    shape: Node
    """The node shape."""
    parts: tuple[_Part, ...] | None
    """Its checkers by part; None when some constraint cannot be screened."""
    sparql: tuple[_Sparql, ...]


def _predicates_read(algebra: Any) -> frozenset[str] | None:
    """Every predicate IRI a SPARQL algebra reads, or None if it reads a variable one."""
    found: set[str] = set()

    def visit_path(path: Any) -> bool:
        if isinstance(path, URIRef):
            found.add(str(path))
            return True
        if isinstance(path, Variable):
            return False
        if isinstance(path, NegatedPath):
            return False  # reads every predicate but a few
        if isinstance(path, RdfPath):
            parts = [getattr(path, name, None) for name in ("arg", "path")]
            parts += list(getattr(path, "args", []) or [])
            return all(visit_path(part) for part in parts if part is not None)
        return False

    def visit(node: Any) -> bool:
        if isinstance(node, CompValue):
            for key, value in node.items():
                if key == "triples":
                    for _s, predicate, _o in value:
                        if not visit_path(predicate):
                            return False
                elif not visit(value):
                    return False
        elif isinstance(node, list | tuple):
            return all(visit(item) for item in node)
        return True

    return frozenset(found) if visit(algebra) else None


def _sparql(compiler: _Compiler, constraint: Node) -> _Sparql:
    graph = compiler.graph
    select = graph.value(constraint, SH.select)
    params = {str(p) for p in graph.predicates(constraint, None)}
    known = {str(RDF.type), str(SH.select), str(SH.message), str(SH.prefixes), str(SH.severity)}
    if select is None or params - known:
        return _Sparql(None, None)
    prefixes: list[str] = []
    for holder in graph.objects(constraint, SH.prefixes):
        for declaration in graph.objects(holder, SH.declare):
            prefix = graph.value(declaration, SH.prefix)
            namespace = graph.value(declaration, SH.namespace)
            prefixes.append(f"PREFIX {prefix}: <{namespace}>")
    text = str(select)
    if re.search(r"\$(?!this\b)\w+", text):  # other pre-bound variables ($shapesGraph …)
        return _Sparql(None, None)
    body = "\n".join(prefixes) + "\n" + text.replace("$this", "?this")
    brace = body.find("{")
    if brace < 0:
        return _Sparql(None, None)
    query = body[: brace + 1] + " {VALUES} " + body[brace + 1 :]
    try:
        algebra = validate._prepared(body).algebra
    except Exception:
        return _Sparql(None, None)
    return _Sparql(query, _predicates_read(algebra))


@cache
def _screens() -> tuple[_Screen, ...]:
    """Compile every targeting shape once per process."""
    compiler = _Compiler()
    screens: list[_Screen] = []
    for target in incremental._shape_index().targets:
        node = target.shape.node
        parts: list[_Part] | None
        sparql: list[Node] = []
        if (node, SH.path, None) in compiler.graph:  # a property shape with targets
            checks = compiler.property_checks(node)
            parts = None if checks is None else [_Part(None, tuple(checks))]
        else:
            parts, sparql = compiler.node_checks(node)
        screens.append(
            _Screen(
                nodes=frozenset(str(n) for n in target.nodes),
                classes=frozenset(str(c) for c in target.classes),
                subjects_of=frozenset(NamedNode(str(p)) for p in target.subjects_of),
                objects_of=frozenset(NamedNode(str(p)) for p in target.objects_of),
                shape=target.shape.node,
                parts=None if parts is None else tuple(parts),
                sparql=tuple(_sparql(compiler, c) for c in sparql),
            )
        )
    return tuple(screens)


@dataclass(frozen=True)
class _ScreenIndex:
    """The screens by what they target, so each node finds its shapes in a few lookups."""

    by_node: dict[str, tuple[_Screen, ...]]
    by_class: dict[str, tuple[_Screen, ...]]
    by_subject_of: dict[NamedNode, tuple[_Screen, ...]]
    by_object_of: dict[NamedNode, tuple[_Screen, ...]]


@cache
def _screen_index() -> _ScreenIndex:
    by_node: dict[str, list[_Screen]] = {}
    by_class: dict[str, list[_Screen]] = {}
    by_subject_of: dict[NamedNode, list[_Screen]] = {}
    by_object_of: dict[NamedNode, list[_Screen]] = {}
    for shape in _screens():
        for iri in shape.nodes:
            by_node.setdefault(iri, []).append(shape)
        for cls in shape.classes:
            by_class.setdefault(cls, []).append(shape)
        for predicate in shape.subjects_of:
            by_subject_of.setdefault(predicate, []).append(shape)
        for predicate in shape.objects_of:
            by_object_of.setdefault(predicate, []).append(shape)

    def frozen(found: dict[Any, list[_Screen]]) -> dict[Any, tuple[_Screen, ...]]:
        return {key: tuple(shapes) for key, shapes in found.items()}

    return _ScreenIndex(
        frozen(by_node), frozen(by_class), frozen(by_subject_of), frozen(by_object_of)
    )


def _shapes_of(shapes: _ScreenIndex, index: _Index, node: Term) -> set[_Screen]:
    """The shapes that target ``node``."""
    found: set[_Screen] = set()
    if isinstance(node, NamedNode):
        found.update(shapes.by_node.get(node.value, ()))
    for cls in index.types(node):
        found.update(shapes.by_class.get(cls, ()))
    for predicate in index.out.get(node, {}):
        found.update(shapes.by_subject_of.get(predicate, ()))
    for predicate in index.into.get(node, {}):
        found.update(shapes.by_object_of.get(predicate, ()))
    return found


class _Targeting:
    """:func:`_shapes_of`, remembered by what decides it: most nodes look alike."""

    def __init__(self, shapes: _ScreenIndex, index: _Index) -> None:
        self.shapes = shapes
        self.index = index
        self.subjects_of = tuple(shapes.by_subject_of)
        self.objects_of = tuple(shapes.by_object_of)
        self.known: dict[tuple[object, ...], tuple[_Screen, ...]] = {}

    def __call__(self, node: Term) -> tuple[_Screen, ...]:
        index = self.index
        out = index.out.get(node, _NO_PREDICATES)
        into = index.into.get(node, _NO_PREDICATES)
        key = (
            index.types(node),
            tuple(p in out for p in self.subjects_of),
            tuple(p in into for p in self.objects_of),
            bool(self.shapes.by_node)
            and isinstance(node, NamedNode)
            and node.value in self.shapes.by_node,
        )
        found = self.known.get(key)
        if found is None:
            found = self.known[key] = tuple(_shapes_of(self.shapes, index, node))
        elif key[3]:  # a targeted IRI: its own shapes, not another node's
            found = tuple(_shapes_of(self.shapes, index, node))
        return found


# ---------------------------------------------------------------------------------------
# Context from the store
# ---------------------------------------------------------------------------------------


def _select(store: Store, query: str) -> Iterator[dict[str, object]]:
    from inclusion_kg.graph.store.oxigraph import OxigraphStore

    if isinstance(store, OxigraphStore):
        result = store.oxigraph.query(query, use_default_graph_as_union=True)
        if isinstance(result, QuerySolutions):
            names = [variable.value for variable in result.variables]
            for solution in result:
                yield {name: solution[name] for name in names}
            return
    yield from store.select(query)


def _fetch(
    store: Store,
    nodes: Iterable[NamedNode],
    excluded: Sequence[str],
    *,
    outgoing: frozenset[NamedNode] | None = None,
    incoming: frozenset[NamedNode] = frozenset(),
) -> Iterator[tuple[Subject, NamedNode, Term]]:
    """Statements around ``nodes`` in the store's other graphs (outgoing, some incoming)."""
    ordered = sorted({node.value for node in nodes})
    skip = ", ".join(f"<{iri}>" for iri in excluded)
    out_values = "" if outgoing is None else "VALUES ?p { " + " ".join(map(str, outgoing)) + " }"
    parts = [f"{{ {out_values} GRAPH ?g {{ ?x ?p ?o }} BIND(?x AS ?s) }}"]
    if incoming:
        in_values = "VALUES ?p { " + " ".join(map(str, incoming)) + " }"
        parts.append(f"{{ {in_values} GRAPH ?g {{ ?s ?p ?x }} BIND(?x AS ?o) }}")
    for start in range(0, len(ordered), _CHUNK):
        chunk = " ".join(f"<{iri}>" for iri in ordered[start : start + _CHUNK])
        query = (
            f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?x {{ {chunk} }} "
            f"{' UNION '.join(parts)} FILTER(?g NOT IN ({skip})) }}"
        )
        for row in _select(store, query):
            subject, predicate, obj = row["s"], row["p"], row["o"]
            if (
                isinstance(subject, NamedNode | BlankNode)
                and isinstance(predicate, NamedNode)
                and isinstance(obj, NamedNode | BlankNode | Literal)
            ):
                yield subject, predicate, obj


def _store_has_other_data(store: Store, excluded: Sequence[str]) -> bool:
    skip = ", ".join(f"<{iri}>" for iri in excluded)
    rows = list(
        _select(
            store,
            f"SELECT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g NOT IN ({skip})) }} LIMIT 1",
        )
    )
    return bool(rows)


# ---------------------------------------------------------------------------------------
# Screening and judging
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Screened:
    """What the screen found.

    Attributes:
        focus: how many focus nodes were screened.
        work: what pySHACL has to judge: (shape, nodes that may fail it), where the shape
            is a node shape, or one of its property shapes when only that one flagged them.
        triples: the neighbourhood of the flagged nodes, as rdflib triples.
    """

    focus: int
    work: tuple[tuple[Node, tuple[Node, ...]], ...]
    triples: frozenset[tuple[Node, Node, Node]]

    @property
    def flagged(self) -> tuple[Node, ...]:
        """The nodes pySHACL has to judge."""
        nodes = {node for _, nodes in self.work for node in nodes}
        return tuple(sorted(nodes, key=lambda n: (type(n).__name__, str(n))))


def _index_batch(
    quads: Iterable[Quad], graphs: Sequence[str], reads: incremental.ShapeReads
) -> tuple[_Index, set[Term]]:
    """Index the batch's union graph; return it with the batch's focus nodes."""
    incoming = frozenset(NamedNode(p) for p in reads.reverse | reads.object_targets)
    index = _Index(incoming_predicates=incoming)
    names = {NamedNode(name) for name in graphs}
    skipped = {name for name in names if _graph_name(name.value) == "ontology"}
    extra: set[Term] = set()  # focus nodes whose statements the union leaves out
    object_targets = {NamedNode(p) for p in reads.object_targets}
    hierarchy: list[tuple[str, str]] = list(_ontology_subclasses())
    out, into = index.out, index.into
    for quad in quads:  # index.add, inlined: this loop runs once per quad of the batch
        subject, predicate, obj, graph = quad  # unpacking is cheaper than four attributes
        if isinstance(obj, Triple) or isinstance(subject, Triple):
            continue
        if skipped and graph in skipped:
            extra.add(subject)
            continue
        if subject in names and subject != graph:
            extra.add(subject)
            continue  # a graph's description counts only inside the graph itself
        by_predicate = out.get(subject)
        if by_predicate is None:
            out[subject] = {predicate: {obj}}
        else:
            values = by_predicate.get(predicate)
            if values is None:
                by_predicate[predicate] = {obj}
            else:
                values.add(obj)
        if predicate in incoming:
            into.setdefault(obj, {}).setdefault(predicate, set()).add(subject)
            if predicate in object_targets:
                extra.add(obj)  # a literal too: pySHACL targets it (and reports it)
        elif predicate == _SUBCLASS and isinstance(obj, NamedNode):
            hierarchy.append((subject.value, obj.value))
    focus = set(out) | extra
    for name in names:
        if _graph_name(name.value) not in validate.GENERATED_GRAPHS:
            index.add(name, _RDF_TYPE, _NAMED_GRAPH)
            focus.add(name)
    index.superclasses = _closure(hierarchy)
    return index, focus


def _add_context(
    store: Store,
    index: _Index,
    focus: set[Term],
    graphs: Sequence[str],
    reads: incremental.ShapeReads,
) -> None:
    excluded = [*graphs, BASE + "graph/ontology"]
    if not _store_has_other_data(store, excluded):
        return
    names = {NamedNode(name) for name in graphs}
    iris = [node for node in focus if isinstance(node, NamedNode)]
    incoming = index.incoming_predicates
    found = list(_fetch(store, iris, excluded, incoming=incoming))
    for subject, predicate, obj in found:
        if subject not in names:
            index.add(subject, predicate, obj)
    neighbours: set[NamedNode] = set()
    for node in iris:
        for values in index.out.get(node, {}).values():
            neighbours.update(v for v in values if isinstance(v, NamedNode))
        for subjects in index.into.get(node, {}).values():
            neighbours.update(s for s in subjects if isinstance(s, NamedNode))
    neighbours -= set(iris)
    remote = frozenset(NamedNode(p) for p in reads.remote)
    for subject, predicate, obj in _fetch(store, neighbours, excluded, outgoing=remote):
        if subject not in names:
            index.add(subject, predicate, obj)


def _sparql_flags(index: _Index, targeted: dict[_Sparql, list[Term]]) -> dict[_Sparql, set[Term]]:
    """Run each SPARQL constraint over all its focus nodes in pyoxigraph: who may fail it."""
    flags: dict[_Sparql, set[Term]] = {}
    runnable = {c: nodes for c, nodes in targeted.items() if c.query is not None}
    for constraint, nodes in targeted.items():
        if constraint.query is None:
            flags[constraint] = set(nodes)
        else:  # no VALUES for blank nodes and literals: pySHACL judges them
            flags[constraint] = {n for n in nodes if not isinstance(n, NamedNode)}
    if not runnable:
        return flags
    wanted: set[NamedNode] | None = set()
    for constraint in runnable:
        if constraint.predicates is None:
            wanted = None
            break
        wanted |= {NamedNode(p) for p in constraint.predicates}  # type: ignore[operator]
    store = OxStore()
    store.extend(_union_quads(index, wanted))
    for constraint, nodes in runnable.items():
        iris = [n for n in nodes if isinstance(n, NamedNode)]
        for start in range(0, len(iris), _SPARQL_CHUNK):
            values = "VALUES ?this { " + " ".join(map(str, iris[start : start + _SPARQL_CHUNK]))
            query = constraint.query.replace("{VALUES}", values + " }")  # type: ignore[union-attr]
            result = store.query(query)
            if isinstance(result, QuerySolutions):
                for solution in result:
                    this = solution["this"]
                    if isinstance(this, NamedNode | BlankNode):
                        flags[constraint].add(this)
    return flags


def _union_quads(index: _Index, wanted: set[NamedNode] | None) -> Iterator[Quad]:
    for subject, by_predicate in index.out.items():
        for predicate, values in by_predicate.items():
            if wanted is None or predicate in wanted:
                for value in values:
                    yield Quad(cast(Subject, subject), predicate, value)
    for sub, sups in index.superclasses.items():
        for sup in sups:
            if sup != sub:
                yield Quad(NamedNode(sub), _SUBCLASS, NamedNode(sup))


def _neighbourhood(
    index: _Index, flagged: Iterable[Term], reads: incremental.ShapeReads
) -> set[tuple[Term, NamedNode, Term]]:
    """What pySHACL reads to validate ``flagged``: see :mod:`inclusion_kg.graph.incremental`."""
    remote = {NamedNode(p) for p in reads.remote}
    triples: set[tuple[Term, NamedNode, Term]] = set()
    neighbours: set[Term] = set()
    for node in flagged:
        for predicate, values in index.out.get(node, {}).items():
            for value in values:
                triples.add((node, predicate, value))
                if not isinstance(value, Literal):
                    neighbours.add(value)
        for predicate, subjects in index.into.get(node, {}).items():
            for subject in subjects:
                triples.add((subject, predicate, node))
                neighbours.add(subject)
    for neighbour in neighbours:
        for predicate, values in index.out.get(neighbour, {}).items():
            if predicate in remote:
                triples.update((neighbour, predicate, value) for value in values)
    for described, by_predicate in index.out.items():  # the batch's own class hierarchy
        for value in by_predicate.get(_SUBCLASS, ()):
            triples.add((described, _SUBCLASS, value))
    return triples


def screen(store: Store | None, quads: Iterable[Quad], graphs: Sequence[str]) -> Screened:
    """Screen a batch: which of its focus nodes may fail a shape (see the module docstring).

    ``store`` gives the context around the batch (None: the batch alone).
    """
    reads = incremental.shape_reads()
    index, focus = _index_batch(quads, graphs, reads)
    if store is not None:
        _add_context(store, index, focus, graphs, reads)
    whole: dict[_Screen, set[Term]] = {}
    parts: dict[tuple[_Screen, Node], set[Term]] = {}
    targeted: dict[_Sparql, list[Term]] = {}
    owner: dict[_Sparql, _Screen] = {}
    targeting = _Targeting(_screen_index(), index)
    for node in focus:
        for shape in targeting(node):
            if shape.parts is None:
                whole.setdefault(shape, set()).add(node)
            else:
                for part in shape.parts:
                    if any(check(index, node) for check in part.checks):
                        if part.shape is None:
                            whole.setdefault(shape, set()).add(node)
                        else:
                            parts.setdefault((shape, part.shape), set()).add(node)
            for constraint in shape.sparql:
                targeted.setdefault(constraint, []).append(node)
                owner[constraint] = shape
    for constraint, nodes in _sparql_flags(index, targeted).items():
        if nodes:
            whole.setdefault(owner[constraint], set()).update(nodes)
    work: list[tuple[Node, set[Term]]] = [(shape.shape, nodes) for shape, nodes in whole.items()]
    for (shape, property_shape), nodes in parts.items():
        alone = nodes - whole.get(shape, set())  # judged with the whole shape otherwise
        if alone:
            work.append((property_shape, alone))
    flagged = {node for _, nodes in work for node in nodes}
    to_rdflib = incremental.to_rdflib
    triples = frozenset(
        (to_rdflib(s), to_rdflib(p), to_rdflib(o))
        for s, p, o in _neighbourhood(index, flagged, reads)
    )
    ordered = tuple(
        (
            shape,
            tuple(sorted((to_rdflib(n) for n in nodes), key=lambda n: (type(n).__name__, str(n)))),
        )
        for shape, nodes in work
    )
    return Screened(focus=len(focus), work=ordered, triples=triples)


def judge(screened: Screened) -> validate.ValidationReport:
    """Validate the flagged nodes with pySHACL, each against the shapes that flagged it.

    The same pySHACL shape objects and report reading as
    :func:`~inclusion_kg.graph.incremental.validate_focus`; a property shape judged alone
    gives the results it gives inside its node shape.
    """
    shapes = incremental._shape_index()
    graph = incremental.focus_graph(shapes, screened.triples)
    return incremental.run_shapes(
        graph,
        ((shapes.graph.lookup_shape_from_node(node), list(focus)) for node, focus in screened.work),
    )


def validate_batch(
    store: Store | None, quads: Iterable[Quad], graphs: Sequence[str]
) -> validate.ValidationReport:
    """Validate a batch (quads in ``graphs``) with what the store holds around it.

    The same report as :func:`~inclusion_kg.graph.validate.validate_graph` over the batch's
    graphs plus the store's context, focused on the batch's nodes; in time linear in the
    batch (see the module docstring).
    """
    screened = screen(store, quads, graphs)
    if not screened.work:
        return validate.ValidationReport()
    return judge(screened)
