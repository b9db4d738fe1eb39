"""JSON-LD for the REST API: the published ``@context`` and a small, exact compactor.

The context (served at ``/api/v1/context.jsonld``) declares the project's prefixes, so
documents read ``"ikg:basedIn": {"@id": "id:city/palermo"}`` instead of full IRIs, plus a
few plain-JSON terms (``label``, ``altLabel``) for clients that write JSON-LD by hand.

:func:`compact` turns triples into a JSON-LD document that uses that context, one node
object per subject in ``@graph``. It writes every term explicitly (``@value`` with
``@language`` or ``@type``, ``@id`` for IRIs), so a JSON-LD processor reading the document
with the context gets back exactly the same triples (tests parse it with rdflib and compare
graphs). No remote context is ever fetched here: the context is a Python dict.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from inclusion_kg.graph.namespaces import BASE, PREFIXES

__all__ = ["CONTEXT_PATH", "compact", "context", "context_prefixes"]

CONTEXT_PATH = "/api/v1/context.jsonld"
"""Where the service publishes the context."""

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def context_prefixes(base: str = BASE) -> dict[str, str]:
    """Return prefix -> namespace for the context, longest namespaces matched first."""
    prefixes = dict(PREFIXES)
    prefixes.update(
        {
            "void": "http://rdfs.org/ns/void#",
            "id": f"{base}id/",
            "vocab": f"{base}vocab/",
            "graph": f"{base}graph/",
            "ikgsh": f"{base}shapes#",
        }
    )
    return prefixes


def context(base: str = BASE) -> dict[str, Any]:
    """Return the JSON-LD context document (``{"@context": {...}}``)."""
    terms: dict[str, Any] = {"@version": 1.1}
    terms.update(context_prefixes(base))
    terms.update(
        {
            "label": {"@id": "rdfs:label", "@container": "@language"},
            "altLabel": {"@id": "skos:altLabel", "@container": "@language"},
            "description": {"@id": "dcterms:description", "@container": "@language"},
            "basedIn": {"@id": "ikg:basedIn", "@type": "@id"},
            "country": {"@id": "ikg:country", "@type": "@id"},
            "policyArea": {"@id": "ikg:policyArea", "@type": "@id"},
        }
    )
    return {"@context": terms}


def _compact_iri(iri: str, prefixes: Iterable[tuple[str, str]]) -> str:
    for prefix, namespace in prefixes:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            local = iri[len(namespace) :]
            if not local.startswith("//") and ":" not in local.split("/")[0]:
                return f"{prefix}:{local}"
    return iri


def _node_id(term: NamedNode | BlankNode, prefixes: Iterable[tuple[str, str]]) -> str:
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return _compact_iri(term.value, prefixes)


def compact(
    triples: Iterable[Triple], context_ref: str | Mapping[str, Any], base: str = BASE
) -> dict[str, Any]:
    """Write triples as a JSON-LD document: ``{"@context": context_ref, "@graph": [...]}``.

    ``context_ref`` is the URL of the published context (or the context itself, inline).
    Node objects are sorted by subject, properties by name and values by their text.
    """
    prefixes = sorted(context_prefixes(base).items(), key=lambda item: -len(item[1]))
    pairs = [(prefix, namespace) for prefix, namespace in prefixes]
    nodes: dict[str, dict[str, Any]] = {}
    for triple in triples:
        subject, predicate, obj = triple.subject, triple.predicate, triple.object
        if not isinstance(subject, NamedNode | BlankNode):
            continue
        key = _node_id(subject, pairs)
        node = nodes.setdefault(key, {"@id": key})
        if predicate.value == _RDF_TYPE and isinstance(obj, NamedNode):
            node.setdefault("@type", []).append(_compact_iri(obj.value, pairs))
            continue
        name = _compact_iri(predicate.value, pairs)
        value: Any
        if isinstance(obj, NamedNode | BlankNode):
            value = {"@id": _node_id(obj, pairs)}
        elif isinstance(obj, Literal):
            if obj.language:
                value = {"@value": obj.value, "@language": obj.language}
            elif obj.datatype.value == _XSD_STRING:
                value = {"@value": obj.value}
            else:
                value = {"@value": obj.value, "@type": _compact_iri(obj.datatype.value, pairs)}
        else:
            continue
        node.setdefault(name, []).append(value)
    graph = []
    for key in sorted(nodes):
        node = nodes[key]
        ordered: dict[str, Any] = {"@id": node["@id"]}
        if "@type" in node:
            ordered["@type"] = sorted(set(node["@type"]))
        for name in sorted(k for k in node if not k.startswith("@")):
            ordered[name] = sorted(node[name], key=lambda v: (str(v.get("@id", "")), str(v)))
        graph.append(ordered)
    return {"@context": context_ref, "@graph": graph}
