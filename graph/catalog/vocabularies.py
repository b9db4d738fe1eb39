"""The SKOS concept schemes in the store: policy areas, target groups, actor types and more.

The schemes ship with the ontology (``ontology/schemes/*.ttl``, loaded into the ontology
graph) and seeds may add more (the governance practices of the study); both are read
from the store, so what the API lists is what SPARQL sees.
"""

from __future__ import annotations

from typing import Any

from pyoxigraph import Literal, NamedNode

from inclusion_kg.graph.catalog.query import PREFIXES, iri
from inclusion_kg.graph.namespaces import BASE
from inclusion_kg.graph.records import local_name
from inclusion_kg.graph.store import Store

__all__ = ["list_schemes", "scheme_concepts_of", "scheme_iri"]


def scheme_iri(slug: str, base: str = BASE) -> str:
    """Return the IRI of a scheme from its slug: ``{base}vocab/{slug}``."""
    return f"{base}vocab/{slug}"


def _text(term: object) -> str | None:
    return term.value if isinstance(term, Literal | NamedNode) else None


def list_schemes(
    store: Store, *, base: str = BASE, timeout: float | None = None
) -> list[dict[str, Any]]:
    """List the concept schemes with their English name, definition and size."""
    rows = store.select(
        PREFIXES + "SELECT ?s (SAMPLE(?l) AS ?label) (SAMPLE(?d) AS ?definition) "
        "(COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a skos:ConceptScheme . "
        'OPTIONAL { ?s skos:prefLabel|rdfs:label ?l FILTER(langMatches(lang(?l), "en")) } '
        'OPTIONAL { ?s skos:definition ?d FILTER(langMatches(lang(?d), "en")) } '
        "OPTIONAL { ?c skos:inScheme ?s } } GROUP BY ?s ORDER BY ?s",
        timeout=timeout,
    )
    out = []
    for row in rows:
        scheme = row.get("s")
        if not isinstance(scheme, NamedNode):
            continue
        prefix = f"{base}vocab/"
        slug = (
            scheme.value[len(prefix) :]
            if scheme.value.startswith(prefix)
            else local_name(scheme.value)
        )
        out.append(
            {
                "id": scheme.value,
                "slug": slug,
                "label": _text(row.get("label")) or slug,
                "definition": _text(row.get("definition")),
                "concepts": int(_text(row.get("n")) or 0),
            }
        )
    return out


def scheme_concepts_of(
    store: Store, scheme: str, *, timeout: float | None = None
) -> list[dict[str, Any]]:
    """Return the concepts of a scheme.

    Each with its slug, English label, definition, other names, broader concepts and (for
    actor types) the ontology class.
    """
    rows = store.select(
        PREFIXES + "SELECT ?c ?p ?o WHERE { "
        f"?c skos:inScheme {iri(scheme)} . "
        "VALUES ?p { skos:prefLabel rdfs:label skos:altLabel skos:definition skos:broader "
        "skos:notation ikg:actorClass } ?c ?p ?o } ORDER BY ?c",
        timeout=timeout,
    )
    concepts: dict[str, dict[str, Any]] = {}
    for row in rows:
        concept, predicate, obj = row.get("c"), row.get("p"), row.get("o")
        if not isinstance(concept, NamedNode) or not isinstance(predicate, NamedNode):
            continue
        entry = concepts.setdefault(
            concept.value,
            {
                "id": concept.value,
                "slug": local_name(concept.value),
                "label": local_name(concept.value),
                "labels": {},
                "definition": None,
                "broader": [],
                "notation": None,
                "actor_class": None,
            },
        )
        name = local_name(predicate.value)
        if isinstance(obj, Literal):
            lang = obj.language or ""
            if name in ("prefLabel", "label") and lang:
                entry["labels"].setdefault(lang, obj.value)
                english = lang.startswith("en")
                if english and (name == "prefLabel" or entry["label"] == entry["slug"]):
                    entry["label"] = obj.value
            elif name == "definition" and (lang.startswith("en") or entry["definition"] is None):
                entry["definition"] = obj.value
            elif name == "notation":
                entry["notation"] = obj.value
        elif isinstance(obj, NamedNode):
            if name == "broader":
                entry["broader"].append(obj.value)
            elif name == "actorClass":
                entry["actor_class"] = local_name(obj.value)
    for entry in concepts.values():
        entry["broader"] = sorted(set(entry["broader"]))
    return list(concepts.values())
