"""The inclusion-kg ontology as an rdflib graph, read from the installed package.

The graph holds ``ikg.ttl``, its SKOS schemes and the declarations of the external terms
it reuses. The files are parsed once per process (:func:`functools.cache`); every call of
:func:`ontology_graph` then returns a fresh graph, so a caller may add to it without
changing what the next caller sees. Nothing is fetched: the external terms are bundled
(``imports/external.ttl``) and the ontology has no ``owl:imports``.

>>> from inclusion_kg.graph.namespaces import IKG
>>> IKG.Municipality in ontology_terms("class")
True
>>> ontology_version_iri()
rdflib.term.URIRef('https://w3id.org/inclusion-kg/ontology/0.1.0')
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Literal, get_args

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF
from rdflib.query import ResultRow
from rdflib.term import Node

from inclusion_kg.graph.errors import InputError
from inclusion_kg.graph.namespaces import IKG, bind_prefixes, graph_iri
from inclusion_kg.graph.resources import (
    external_vocabulary_file,
    ontology_file,
    qc_query_files,
    scheme_files,
)

__all__ = [
    "ONTOLOGY_GRAPH",
    "ONTOLOGY_IRI",
    "TermKind",
    "ontology_graph",
    "ontology_terms",
    "ontology_version_iri",
    "qc_queries",
    "qc_violations",
]

ONTOLOGY_IRI = URIRef("https://w3id.org/inclusion-kg/ontology")
"""The IRI of the ``owl:Ontology`` (its versions are ``…/ontology/MAJOR.MINOR.PATCH``)."""

ONTOLOGY_GRAPH = graph_iri("ontology")
"""The named graph the ontology, its schemes and the external terms are stored in."""

TermKind = Literal["class", "object_property", "datatype_property", "annotation_property"]
"""The kinds of term ``ikg.ttl`` declares."""

_KIND_TYPES: dict[str, URIRef] = {
    "class": OWL.Class,
    "object_property": OWL.ObjectProperty,
    "datatype_property": OWL.DatatypeProperty,
    "annotation_property": OWL.AnnotationProperty,
}

Triple = tuple[Node, Node, Node]


def _parse(sources: Iterable[tuple[str, bytes]]) -> tuple[Triple, ...]:
    graph = Graph()
    for name, data in sources:
        try:
            graph.parse(data=data, format="turtle", publicID=ONTOLOGY_IRI)
        except Exception as error:  # rdflib raises many parser error types
            msg = f"cannot parse the shipped ontology file {name}: {error}"
            raise InputError(msg) from error
    return tuple(graph)


@cache
def _core_triples() -> tuple[Triple, ...]:
    """Triples of ``ikg.ttl`` alone."""
    source = ontology_file()
    return _parse([(source.name, source.read_bytes())])


@cache
def _all_triples() -> tuple[Triple, ...]:
    """Triples of ``ikg.ttl``, the schemes and the external declarations."""
    sources = [ontology_file(), *scheme_files(), external_vocabulary_file()]
    return _parse((source.name, source.read_bytes()) for source in sources)


def ontology_graph(*, schemes: bool = True) -> Graph:
    """Return the ontology as a new rdflib graph, prefixes bound.

    Args:
        schemes: include the SKOS concept schemes and the external declarations (the
            default, what reasoning, validation and the store need). With ``False`` the
            graph holds ``ikg.ttl`` alone.

    Returns:
        A fresh :class:`~rdflib.Graph` named :data:`ONTOLOGY_GRAPH`; changing it changes
        nothing for other callers.

    Raises:
        InputError: a shipped file does not parse (a broken installation or edit).
    """
    graph = Graph(identifier=ONTOLOGY_GRAPH)
    for triple in _all_triples() if schemes else _core_triples():
        graph.add(triple)
    return bind_prefixes(graph)


def ontology_terms(kind: TermKind | None = None) -> list[URIRef]:
    """Return the terms ``ikg.ttl`` declares in the ``ikg:`` namespace, sorted.

    Args:
        kind: only classes, object, datatype or annotation properties; ``None`` for all.

    Raises:
        ValueError: ``kind`` is not one of :data:`TermKind`.
    """
    if kind is not None and kind not in _KIND_TYPES:
        msg = f"unknown term kind {kind!r}; use one of {', '.join(get_args(TermKind))}"
        raise ValueError(msg)
    types = [_KIND_TYPES[kind]] if kind else list(_KIND_TYPES.values())
    namespace = str(IKG._NS)
    return sorted(
        {
            subject
            for subject, predicate, obj in _core_triples()
            if predicate == RDF.type
            and obj in types
            and isinstance(subject, URIRef)
            and str(subject).startswith(namespace)
        }
    )


def ontology_version_iri() -> URIRef:
    """Return the ``owl:versionIRI`` of the shipped ontology.

    Raises:
        InputError: ``ikg.ttl`` does not state exactly one version IRI.
    """
    versions = sorted(
        {
            obj
            for subject, predicate, obj in _core_triples()
            if subject == ONTOLOGY_IRI and predicate == OWL.versionIRI and isinstance(obj, URIRef)
        }
    )
    if len(versions) != 1:
        msg = f"ikg.ttl must state exactly one owl:versionIRI, found {len(versions)}"
        raise InputError(msg)
    return versions[0]


def qc_queries() -> dict[str, str]:
    """Return the ontology's quality-control queries, ``{name: SPARQL}``, sorted by name.

    Each ``ontology/qc/*-violation.rq`` selects defects: any row it returns is one.
    """
    return {
        source.name.removesuffix(".rq"): source.read_text(encoding="utf-8")
        for source in qc_query_files()
    }


def qc_violations(graph: Graph | None = None) -> dict[str, list[ResultRow]]:
    """Run every quality-control query and return the defects found, by query name.

    Args:
        graph: the graph to check; by default :func:`ontology_graph`. Add the SHACL shapes
            to it to check that they use only declared ``ikg:`` terms.

    Returns:
        ``{query name: rows}`` for the queries that returned rows; empty when all pass.
    """
    target = ontology_graph() if graph is None else graph
    found: dict[str, list[ResultRow]] = {}
    for name, query in qc_queries().items():
        rows = [row for row in target.query(query) if isinstance(row, ResultRow)]
        if rows:
            found[name] = rows
    return found
