"""Validate data against the SHACL shapes, with a report that people and programs can read.

The shapes (``shapes/*.ttl``) and the ontology (``ontology/ikg.ttl``, the bundled external
terms and the SKOS schemes) are parsed once per process and cached. pySHACL runs with
``inference="none"``: RDFS inference would make validation two to three times slower and buys
nothing, because SHACL class checks (``sh:class``, ``sh:targetClass``) already follow
``rdfs:subClassOf`` — but only the subclass axioms found in the data graph. pySHACL's answer
is ``ont_graph``: on every call it copies ("inoculates") each class and property of the
ontology, with all its RDFS/OWL axioms, into the graph it validates (about 0.3 s for our
ontology, more than validating a write). SHACL uses none of those axioms but
``rdfs:subClassOf``, so the validator adds just the ontology's subclass triples, computed once,
to its copy of the data: an ``ikg:Municipality`` counts as an ``ikg:Actor`` for a few
milliseconds.

A :class:`~rdflib.Dataset` is validated as the union of its graphs, because data lives in
named graphs (one per batch). Two adjustments make the batches' self-description checkable
(``shapes/provenance.ttl``):

* each named graph of data (all but ``…/graph/ontology``, ``…/graph/inferred`` and
  ``…/graph/analytics``) is typed ``ikgsh:NamedGraph`` in the union, so a shape can ask that it
  describes itself;
* statements whose subject is a named graph's IRI count only when made inside that graph, so
  a description kept elsewhere does not pass for the graph's own.

The ontology graph itself is left out of the data (its class hierarchy is added from the
bundled ontology, as above).

:func:`validate_graph` takes optional focus nodes, and :func:`neighbourhood` cuts out what
validating them needs, so a write can be validated by what it touches rather than by the size
of the store::

    touched = [id_iri("partnership", "admin4all-funding")]
    report = validate_graph(neighbourhood(union, touched), focus_nodes=touched)
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache, lru_cache
from importlib.resources.abc import Traversable
from os import PathLike, fspath
from pathlib import Path
from typing import Any
from xml.sax import SAXParseException

from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.term import Node

from inclusion_kg.graph import resources
from inclusion_kg.graph.errors import InputError
from inclusion_kg.graph.namespaces import BASE, PREFIXES

__all__ = [
    "GENERATED_GRAPHS",
    "IKGSH",
    "RDF_FORMATS",
    "Severity",
    "ValidationReport",
    "ValidationResult",
    "neighbourhood",
    "parse_files",
    "short_name",
    "validate_files",
    "validate_graph",
]

IKGSH = Namespace("https://w3id.org/inclusion-kg/shapes#")
"""The namespace of the shapes (``ikgsh:Partnership_Shape`` …)."""

GENERATED_GRAPHS: frozenset[str] = frozenset({"ontology", "inferred", "analytics"})
"""Names (the last segment of ``…/graph/{name}``) of graphs the service generates.

They are not batches, so they need no self-description; the ontology graph is not data and is
left out of validation altogether.
"""

RDF_FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".trig": "trig",
    ".nt": "nt",
    ".nq": "nquads",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
}
"""rdflib parser for each file extension :func:`parse_files` reads."""

_SHORT_PREFIXES: dict[str, str] = {
    **PREFIXES,
    "id": BASE + "id/",
    "graph": BASE + "graph/",
    "vocab": BASE + "vocab/",
    "ikgsh": str(IKGSH),
    "sh": str(SH),
    "void": "http://rdfs.org/ns/void#",
}
# longest namespace first, so "id:" wins over a shorter namespace that also matches
_BY_LENGTH = sorted(_SHORT_PREFIXES.items(), key=lambda item: len(item[1]), reverse=True)


# ---------------------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------------------


class Severity(StrEnum):
    """How serious a result is: a Violation blocks a write, a Warning or an Info is reported."""

    VIOLATION = "Violation"
    WARNING = "Warning"
    INFO = "Info"

    @classmethod
    def from_iri(cls, iri: Node | None) -> Severity:
        """Map ``sh:Violation`` / ``sh:Warning`` / ``sh:Info`` to a severity (default Violation)."""
        if iri == SH.Warning:
            return cls.WARNING
        if iri == SH.Info:
            return cls.INFO
        return cls.VIOLATION

    @property
    def rank(self) -> int:
        """0 for Violation, 1 for Warning, 2 for Info: the order results are listed in."""
        return (Severity.VIOLATION, Severity.WARNING, Severity.INFO).index(self)


def short_name(term: Node | str | None) -> str:
    """Write a term the way a person reads it, with the project's prefixes.

    IRIs become prefixed names (``id:partnership/admin4all-funding``, ``ikg:formality``) or
    stay in angle brackets; literals keep their language tag or (prefixed) datatype; a string
    (a property path already written out) is returned as is.

    >>> short_name(URIRef("https://w3id.org/inclusion-kg/ontology#formality"))
    'ikg:formality'
    >>> short_name(Literal("5", datatype=XSD.integer))
    '"5"^^xsd:integer'
    """
    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        for prefix, namespace in _BY_LENGTH:
            if text.startswith(namespace) and len(text) > len(namespace):
                local = text[len(namespace) :]
                if not any(char.isspace() or char in "<>\"'" for char in local):
                    return f"{prefix}:{local}"
        return f"<{text}>"
    if isinstance(term, Literal):
        lexical = json.dumps(str(term), ensure_ascii=False)
        if term.language:
            return f"{lexical}@{term.language}"
        if term.datatype is not None and term.datatype != XSD.string:
            return f"{lexical}^^{short_name(term.datatype)}"
        return lexical
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


@dataclass(frozen=True)
class ValidationResult:
    """One problem SHACL found: where, what, how serious, and which shape said so.

    Attributes:
        focus_node: The node the problem is about (an entity, a participation, a graph).
        result_path: The property concerned: an IRI for a plain property, a SPARQL property
            path written with prefixes (``^ikg:hasParticipation``) for a complex one, or
            ``None`` when the problem is about the node as a whole.
        value: The offending value, when there is one (a result about the node as a whole,
            without a path, does not repeat the focus node here).
        message: What is wrong and what was expected, for a person.
        severity: Violation, Warning or Info.
        source_shape: The shape that produced the result (``ikgsh:Partnership_Shape-formality-in``).
        constraint_component: The SHACL constraint component (``sh:MinCountConstraintComponent``).
        source_constraint: For SPARQL-based constraints, the constraint node
            (``ikgsh:Partnership_Shape-partners``); otherwise ``None``.
    """

    focus_node: Node
    result_path: URIRef | str | None
    value: Node | None
    message: str
    severity: Severity
    source_shape: Node
    constraint_component: URIRef | None = None
    source_constraint: Node | None = None

    @property
    def shape(self) -> Node:
        """The most specific shape: the SPARQL constraint if there is one, else the source shape."""
        if isinstance(self.source_constraint, URIRef):
            return self.source_constraint
        return self.source_shape

    def to_dict(self) -> dict[str, str | None]:
        """Return the result as JSON-ready strings (full IRIs, literals in Turtle notation)."""
        return {
            "severity": self.severity.value,
            "focus_node": _full(self.focus_node),
            "path": _full(self.result_path),
            "value": _full(self.value),
            "message": self.message,
            "source_shape": _full(self.source_shape),
            "source_constraint": _full(self.source_constraint),
            "constraint_component": _full(self.constraint_component),
        }

    def _sort_key(self) -> tuple[int, str, str, str, str]:
        return (
            self.severity.rank,
            str(self.focus_node),
            str(self.result_path or ""),
            self.message,
            str(self.value or ""),
        )


def _full(term: Node | str | None) -> str | None:
    if term is None:
        return None
    if isinstance(term, str) and not isinstance(term, Node):
        return term
    if isinstance(term, URIRef):
        return str(term)
    return short_name(term)


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of a validation: every result, Violations first.

    ``conforms`` is true when there is no Violation; Warnings and Infos do not block.
    """

    results: tuple[ValidationResult, ...] = field(default_factory=tuple)

    @property
    def conforms(self) -> bool:
        """Whether the data may be written: no result has severity Violation."""
        return not any(result.severity is Severity.VIOLATION for result in self.results)

    @property
    def counts(self) -> dict[str, int]:
        """The number of results of each severity, ``{"Violation": n, "Warning": n, "Info": n}``."""
        counts = {severity.value: 0 for severity in Severity}
        for result in self.results:
            counts[result.severity.value] += 1
        return counts

    @property
    def violations(self) -> tuple[ValidationResult, ...]:
        """The results that block a write."""
        return self.by_severity(Severity.VIOLATION)

    @property
    def warnings(self) -> tuple[ValidationResult, ...]:
        """The results of severity Warning."""
        return self.by_severity(Severity.WARNING)

    @property
    def infos(self) -> tuple[ValidationResult, ...]:
        """The results of severity Info."""
        return self.by_severity(Severity.INFO)

    def by_severity(self, severity: Severity) -> tuple[ValidationResult, ...]:
        """Return the results of one severity."""
        return tuple(result for result in self.results if result.severity is severity)

    def __iter__(self) -> Iterator[ValidationResult]:
        return iter(self.results)

    def __len__(self) -> int:
        return len(self.results)

    def summary(self) -> str:
        """One line: the counts and whether the data conforms.

        >>> ValidationReport().summary()
        '0 violations, 0 warnings, 0 infos: conforms'
        """
        counts = self.counts
        parts = [
            _plural(counts["Violation"], "violation"),
            _plural(counts["Warning"], "warning"),
            _plural(counts["Info"], "info"),
        ]
        verdict = "conforms" if self.conforms else "does not conform"
        return f"{', '.join(parts)}: {verdict}"

    def to_dict(self) -> dict[str, Any]:
        """Return the report as a JSON-ready dict: conforms, counts and the results."""
        return {
            "conforms": self.conforms,
            "counts": self.counts,
            "results": [result.to_dict() for result in self.results],
        }

    def text(self) -> str:
        """Render the report for a person: one block per result, then the summary line.

        Each block reads ``SEVERITY  focus-node  path``, then the message and the value found::

            Violation  id:partnership/x  ikg:formality
                A partnership has exactly one ikg:formality (informal, network, …).
        """
        lines: list[str] = []
        for result in self.results:
            head = f"{result.severity.value:<9}  {short_name(result.focus_node)}"
            if result.result_path is not None:
                head += f"  {short_name(result.result_path)}"
            lines.append(head)
            lines.append(f"    {result.message}")
            if result.value is not None:
                lines.append(f"    value: {short_name(result.value)}")
            lines.append(f"    shape: {short_name(result.shape)}")
        if lines:
            lines.append("")
        lines.append(self.summary())
        return "\n".join(lines)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


# ---------------------------------------------------------------------------------------
# Shapes and ontology, parsed once
# ---------------------------------------------------------------------------------------


@cache
def _shapes() -> Graph:
    """Parse every shape file once; the result is shared, so it must never be modified."""
    graph = Graph()
    for shape_file in resources.shape_files():
        graph.parse(data=shape_file.read_bytes(), format="turtle")
    return graph


@cache
def _ontology() -> Graph:
    """Parse the ontology, external terms and schemes once; shared, never modified."""
    graph = Graph()
    sources = [resources.ontology_file(), resources.external_vocabulary_file()]
    for source in [*sources, *resources.scheme_files()]:
        graph.parse(data=source.read_bytes(), format="turtle")
    return graph


@cache
def _class_hierarchy() -> tuple[tuple[Node, Node, Node], ...]:
    """Return the ontology's ``rdfs:subClassOf`` triples between named classes, once.

    This is all of the ontology that SHACL needs: ``sh:class`` and ``sh:targetClass`` follow
    ``rdfs:subClassOf`` in the data graph, and so do the SPARQL constraints
    (``rdfs:subClassOf+``). It gives the same results as pySHACL's ``ont_graph``, without
    copying every OWL axiom into the data on every call.
    """
    return tuple(
        (subclass, RDFS.subClassOf, superclass)
        for subclass, superclass in _ontology().subject_objects(RDFS.subClassOf)
        if isinstance(subclass, URIRef) and isinstance(superclass, URIRef)
    )


# ---------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------


@lru_cache(maxsize=512)
def _prepared(text: str) -> Query:
    return prepareQuery(text)


class _PreparedQueryGraph(Graph):
    """A graph that parses each distinct SPARQL text once.

    pySHACL sends the text of a SPARQL-based constraint to ``query`` once per focus node, with
    ``$this`` in ``initBindings``; parsing (pyparsing) costs about 0.1 s each time, far more
    than evaluating. The text is the same for every focus node, so the parsed query is reused.
    """

    def query(self, query_object: str | Query, *args: Any, **kwargs: Any) -> Result:
        if isinstance(query_object, str):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)


def _graph_name(iri: Node) -> str | None:
    """Return ``name`` for an IRI ``…/graph/{name}``, else ``None``."""
    text = str(iri)
    marker = "/graph/"
    if not isinstance(iri, URIRef) or marker not in text:
        return None
    return text.rsplit(marker, 1)[1]


def _data_graph(data: Graph) -> Graph:
    """Copy ``data`` into a fresh graph that pySHACL may validate in place."""
    graph = _PreparedQueryGraph()
    if not isinstance(data, Dataset):
        for triple in data:
            graph.add(triple)
        return graph
    names: set[Node] = set()
    batches: list[Node] = []
    for context in data.graphs():
        identifier = context.identifier
        if identifier == DATASET_DEFAULT_GRAPH_ID or len(context) == 0:
            continue
        names.add(identifier)
        if _graph_name(identifier) not in GENERATED_GRAPHS:
            batches.append(identifier)
    for subject, predicate, obj, context_name in data.quads((None, None, None, None)):
        name: Node | None = (
            context_name.identifier if isinstance(context_name, Graph) else context_name
        )
        if name is not None and _graph_name(name) == "ontology":
            continue
        if subject in names and subject != name:
            continue  # a graph's description counts only inside the graph itself
        graph.add((subject, predicate, obj))
    for name in batches:
        graph.add((name, RDF.type, IKGSH.NamedGraph))
    return graph


def _focus_list(focus_nodes: Iterable[Node]) -> list[str]:
    focus: list[str] = []
    for node in focus_nodes:
        if not isinstance(node, URIRef) or not re.match(r"(?i)(https?|urn|file):", str(node)):
            msg = f"focus nodes must be http(s), urn or file IRIs, got {node!r}"
            raise ValueError(msg)
        focus.append(str(node))
    return focus


def validate_graph(
    data: Graph | Dataset, *, focus_nodes: Iterable[Node] | None = None
) -> ValidationReport:
    """Validate data against the shapes, with the ontology's class hierarchy.

    Args:
        data: The data. A :class:`~rdflib.Dataset` is validated as the union of its graphs
            (see the module docstring for how named graphs are treated); any other graph as
            it is. Neither is modified.
        focus_nodes: Validate only these nodes (IRIs), against every shape that targets
            them. ``None`` validates every node; an empty collection validates nothing.

    Returns:
        The report; ``report.conforms`` is false when any result is a Violation.

    Raises:
        ValueError: A focus node is not an IRI (pySHACL cannot focus on a blank node).
    """
    focus = None if focus_nodes is None else _focus_list(focus_nodes)
    if focus is not None and not focus:
        return ValidationReport()
    graph = _data_graph(data)
    for triple in _class_hierarchy():
        graph.add(triple)
    import pyshacl  # imported on first use: it adds about a second to every start-up

    _conforms, report_graph, _text = pyshacl.validate(
        graph,
        shacl_graph=_shapes(),
        inference="none",
        inplace=True,  # validates the fresh copy made above
        advanced=False,
        focus_nodes=focus,
    )
    if not isinstance(report_graph, Graph):  # pySHACL returns a failure object on errors
        msg = f"SHACL validation could not run: {report_graph}"
        raise RuntimeError(msg)
    return _read_report(report_graph)


def _read_report(report: Graph) -> ValidationReport:
    results: list[ValidationResult] = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(node, SH.focusNode)
        if focus is None:
            continue
        value = report.value(node, SH.value)
        path = _path(report, report.value(node, SH.resultPath))
        if path is None and value == focus:
            value = None  # a node-level result repeats the focus node as its value
        component = report.value(node, SH.sourceConstraintComponent)
        messages = sorted(str(m) for m in report.objects(node, SH.resultMessage))
        message = _shorten_iris(" ".join(messages)) or f"{short_name(component)} failed"
        results.append(
            ValidationResult(
                focus_node=focus,
                result_path=path,
                value=value,
                message=message,
                severity=Severity.from_iri(report.value(node, SH.resultSeverity)),
                source_shape=report.value(node, SH.sourceShape) or BNode(),
                constraint_component=component if isinstance(component, URIRef) else None,
                source_constraint=report.value(node, SH.sourceConstraint),
            )
        )
    results.sort(key=ValidationResult._sort_key)
    return ValidationReport(results=tuple(results))


_IRI_IN_TEXT = re.compile(r"https?://[^\s<>\"'(){},;…]+")


def _shorten_iris(message: str) -> str:
    """Write the IRIs that SPARQL messages fill in ({$this}, {?value}) with prefixes.

    >>> _shorten_iris("Actor https://w3id.org/inclusion-kg/id/actor/x has no kind.")
    'Actor id:actor/x has no kind.'
    """

    def shorten(match: re.Match[str]) -> str:
        iri = match.group(0)
        trail = len(iri) - len(iri.rstrip(".:!?"))
        core, rest = (iri[:-trail], iri[-trail:]) if trail else (iri, "")
        if core.endswith(("/", "#")):
            return iri  # a namespace, shown on purpose
        name = short_name(URIRef(core))
        return (core if name.startswith("<") else name) + rest

    return _IRI_IN_TEXT.sub(shorten, message)


def _path(graph: Graph, path: Node | None) -> URIRef | str | None:
    """Return a predicate path as its IRI, any other SHACL path in SPARQL syntax."""
    if path is None or isinstance(path, URIRef):
        return path
    return _path_text(graph, path)


def _path_text(graph: Graph, path: Node) -> str:
    if isinstance(path, URIRef):
        return short_name(path)
    if (path, RDF.first, None) in graph:
        return "/".join(_path_text(graph, step) for step in graph.items(path))
    unary = {
        SH.inversePath: ("^", ""),
        SH.zeroOrMorePath: ("", "*"),
        SH.oneOrMorePath: ("", "+"),
        SH.zeroOrOnePath: ("", "?"),
    }
    for predicate, (before, after) in unary.items():
        inner = graph.value(path, predicate)
        if inner is not None:
            text = _path_text(graph, inner)
            if not isinstance(inner, URIRef):
                text = f"({text})"
            return f"{before}{text}{after}"
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_path_text(graph, step) for step in graph.items(alternatives)) + ")"
    return short_name(path)


# ---------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------

FileLike = str | PathLike[str] | Traversable


def _read(source: FileLike) -> tuple[str, bytes]:
    if isinstance(source, str | PathLike):
        path = Path(fspath(source))
        try:
            return str(path), path.read_bytes()
        except OSError as error:
            msg = f"{path}: cannot read the file ({error.strerror or error})"
            raise InputError(msg) from None
    return source.name, source.read_bytes()


def _format_for(name: str) -> str:
    suffix = Path(name).suffix.lower()
    try:
        return RDF_FORMATS[suffix]
    except KeyError:
        known = ", ".join(sorted(RDF_FORMATS))
        msg = f"{name}: unknown RDF file extension {suffix or '(none)'!r}; use one of {known}"
        raise InputError(msg) from None


def _remote_contexts(document: object) -> Iterator[str]:
    """Yield every JSON-LD context reference that a parser would fetch."""
    if isinstance(document, list):
        for item in document:
            yield from _remote_contexts(item)
    elif isinstance(document, dict):
        for key, value in document.items():
            if key in ("@context", "@import"):
                contexts = value if isinstance(value, list) else [value]
                yield from (item for item in contexts if isinstance(item, str))
            yield from _remote_contexts(value)


def _check_json_ld(name: str, data: bytes) -> None:
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        where = f", line {error.lineno}" if isinstance(error, json.JSONDecodeError) else ""
        msg = f"{name}{where}: not valid JSON-LD ({error})"
        raise InputError(msg) from None
    for reference in _remote_contexts(document):
        msg = (
            f"{name}: the JSON-LD context {reference!r} would be fetched from the network, "
            "which inclusion-kg never does; put the context inline"
        )
        raise InputError(msg)


def _first_bad_line(data: bytes, rdf_format: str) -> int | None:
    """Find the first line that does not parse on its own (N-Triples and N-Quads)."""
    for number, line in enumerate(data.decode("utf-8", errors="replace").splitlines(), 1):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                Dataset().parse(data=line, format=rdf_format)
        except Exception:  # any failure marks the line
            return number
    return None


def _bad_syntax_place(error: BadSyntax) -> str:
    """Say where a Turtle/TriG error is: rdflib's own line count is off at the end of a file."""
    text, index = getattr(error, "_str", None), getattr(error, "_i", None)
    if not isinstance(text, bytes) or not isinstance(index, int):
        return f"line {error.lines + 1}"
    newline = b"\n"
    body = text.rstrip()
    if index >= len(body):
        return f"line {body.count(newline) + 1} (end of file)"
    start = text.rfind(newline, 0, index) + 1
    end = text.find(newline, index)
    line = text[start : end if end >= 0 else len(text)].decode("utf-8", errors="replace").strip()
    near = line if len(line) <= 60 else line[:57] + "..."
    return f"line {text.count(newline, 0, index) + 1}, in {near!r}"


def _syntax_message(name: str, data: bytes, rdf_format: str, error: Exception) -> str:
    if isinstance(error, BadSyntax):
        return f"{name}, {_bad_syntax_place(error)}: bad syntax ({getattr(error, '_why', '?')})"
    if isinstance(error, SAXParseException):
        return f"{name}, line {error.getLineNumber()}: {error.getMessage()}"
    if rdf_format in ("nt", "nquads"):
        line = _first_bad_line(data, rdf_format)
        where = f", line {line}" if line is not None else ""
        return f"{name}{where}: {str(error).splitlines()[0]}"
    return f"{name}: {error}"


def parse_files(paths: Iterable[FileLike]) -> Dataset:
    """Parse RDF files into one dataset, choosing the parser by file extension.

    Quad formats (TriG, N-Quads, JSON-LD with graphs) keep their named graphs; triples of the
    other formats go to the default graph. JSON-LD that refers to a remote ``@context`` is
    refused, since parsing it would fetch from the network.

    Raises:
        InputError: A file cannot be read, has an unknown extension or does not parse; the
            message names the file and, where the parser tells, the line.
    """
    dataset = Dataset()
    for source in paths:
        name, data = _read(source)
        rdf_format = _format_for(name)
        if rdf_format == "json-ld":
            _check_json_ld(name, data)
        try:
            with warnings.catch_warnings():
                # rdflib warns about ill-typed literals ("maybe"^^xsd:boolean), which the
                # shapes report properly, and about its own deprecations; neither is a
                # syntax error, even when warnings are errors
                warnings.simplefilter("ignore")
                dataset.parse(data=data, format=rdf_format)
        except Exception as error:  # rdflib's parsers raise many types
            raise InputError(_syntax_message(name, data, rdf_format, error)) from None
    return dataset


def validate_files(paths: Iterable[FileLike]) -> ValidationReport:
    """Parse RDF files (see :func:`parse_files`) and validate them together.

    Raises:
        InputError: A file cannot be read or parsed.
    """
    return validate_graph(parse_files(paths))


# ---------------------------------------------------------------------------------------
# Neighbourhood, for validating what a write touches
# ---------------------------------------------------------------------------------------


def neighbourhood(graph: Graph, nodes: Iterable[Node]) -> Graph:
    """Cut out of ``graph`` what validating ``nodes`` needs.

    That is: every triple with a node as subject or object, and the description (outgoing
    triples) of every node one step away, blank nodes followed to the end. It covers the
    shapes' paths, which are at most two steps long (``ikg:hasParticipation/ikg:participant``,
    ``^ikg:hasParticipation``), and the ``rdf:type`` of every value that ``sh:class`` checks.
    The class hierarchy comes from the ontology at validation time.

    For a :class:`~rdflib.Dataset`, pass a union view (``Dataset(default_union=True)`` or a
    merged graph).
    """
    cut = Graph()
    described: set[Node] = set()

    def describe(start: Node) -> None:
        stack = [start]
        while stack:
            node = stack.pop()
            if node in described:
                continue
            described.add(node)
            for predicate, obj in graph.predicate_objects(node):
                cut.add((node, predicate, obj))
                if isinstance(obj, BNode):
                    stack.append(obj)

    neighbours: set[Node] = set()
    for node in nodes:
        describe(node)
        for obj in graph.objects(node):
            if not isinstance(obj, Literal):
                neighbours.add(obj)
        for subject, predicate in graph.subject_predicates(node):
            cut.add((subject, predicate, node))
            neighbours.add(subject)
    for neighbour in neighbours:
        describe(neighbour)
    return cut
