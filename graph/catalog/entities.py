"""One entity: its statements, relations, provenance, and the profiles of cities and countries.

Each function runs one SPARQL SELECT (or a few for a profile) on the store and returns
JSON-ready dicts. IRIs stay full IRIs; labels are English where the data has one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from inclusion_kg.graph.catalog.query import PREFIXES, iri, label_of
from inclusion_kg.graph.namespaces import BASE
from inclusion_kg.graph.provenance import graph_info
from inclusion_kg.graph.records import actor_kinds, local_name, term_value
from inclusion_kg.graph.store import Row, Store

__all__ = [
    "actor_relations",
    "city_profile",
    "country_profile",
    "describe",
    "describe_many",
    "entity_types",
    "incoming",
    "labels_of",
    "project_relations",
    "provenance",
    "statements",
    "summary_triples",
]

IKG = "https://w3id.org/inclusion-kg/ontology#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
OWNING = (IKG + "hasParticipation", IKG + "budget")
"""Properties whose objects are described together with their subject (owned nodes)."""
LIST_CAP = 500
"""Most rows a section of a profile lists (counts are always complete)."""


def _select(store: Store, query: str, timeout: float | None) -> list[Row]:
    return store.select(PREFIXES + query, timeout=timeout)


def _value(row: Mapping[str, object], name: str) -> str | None:
    term = row.get(name)
    if isinstance(term, NamedNode | Literal | BlankNode):
        return term.value
    return None


def _ref(row: Mapping[str, object], name: str, label: str) -> dict[str, str] | None:
    value = _value(row, name)
    if value is None:
        return None
    return {"id": value, "label": _value(row, label) or local_name(value)}


def entity_types(store: Store, entity: str, *, timeout: float | None = None) -> list[str]:
    """Return the classes of an entity (IRIs, sorted); empty when the store does not know it."""
    rows = _select(store, f"SELECT DISTINCT ?t WHERE {{ {iri(entity)} a ?t }}", timeout)
    return sorted(v for row in rows if (v := _value(row, "t")) is not None)


def labels_of(store: Store, iris: Iterable[str], *, timeout: float | None = None) -> dict[str, str]:
    """Return an English (else any) label for each IRI that has one."""
    ordered = sorted(set(iris))
    found: dict[str, str] = {}
    for start in range(0, len(ordered), 200):
        values = " ".join(iri(i) for i in ordered[start : start + 200])
        rows = _select(
            store,
            f"SELECT ?s ?l WHERE {{ VALUES ?s {{ {values} }} ?s rdfs:label|skos:prefLabel ?l }}",
            timeout,
        )
        for row in rows:
            subject, label = row.get("s"), row.get("l")
            if isinstance(subject, NamedNode) and isinstance(label, Literal):
                english = (label.language or "").startswith("en")
                if subject.value not in found or english:
                    found[subject.value] = label.value
    return found


def statements(store: Store, entity: str, *, timeout: float | None = None) -> list[dict[str, Any]]:
    """Return every outgoing statement of an entity, grouped by property.

    Each item: ``{"property", "values": [{"value", "type": "iri"|"literal"|"bnode",
    "language", "datatype", "label", "graphs"}]}`` — ``graphs`` are the named graphs
    (batches) asserting the statement, so every fact shows where it comes from.
    """
    rows = _select(
        store,
        f"SELECT ?p ?o ?ol (GROUP_CONCAT(DISTINCT STR(?g); separator=' ') AS ?graphs) WHERE {{ "
        f"GRAPH ?g {{ {iri(entity)} ?p ?o }} {label_of('?o', '?ol')} }} GROUP BY ?p ?o ?ol",
        timeout,
    )
    by_property: dict[str, list[dict[str, Any]]] = {}
    seen: set[tuple[str, str]] = set()
    for row in rows:
        predicate, obj = row.get("p"), row.get("o")
        if not isinstance(predicate, NamedNode) or obj is None:
            continue
        key = (predicate.value, str(obj))
        if key in seen:  # a second English label of the object
            continue
        seen.add(key)
        value: dict[str, Any] = {
            "value": term_value(obj),
            "type": "iri"
            if isinstance(obj, NamedNode)
            else "bnode"
            if isinstance(obj, BlankNode)
            else "literal",
            "language": obj.language if isinstance(obj, Literal) else None,
            "datatype": obj.datatype.value
            if isinstance(obj, Literal) and not obj.language
            else None,
            "label": _value(row, "ol"),
            "graphs": sorted((_value(row, "graphs") or "").split()),
        }
        by_property.setdefault(predicate.value, []).append(value)
    return [
        {
            "property": prop,
            "values": sorted(values, key=lambda v: (v["value"], v["language"] or "")),
        }
        for prop, values in sorted(by_property.items())
    ]


def incoming(
    store: Store, entity: str, *, limit: int = LIST_CAP, timeout: float | None = None
) -> list[dict[str, Any]]:
    """Return statements pointing at an entity: ``{"subject", "label", "property"}``."""
    rows = _select(
        store,
        f"SELECT DISTINCT ?s ?sl ?p WHERE {{ ?s ?p {iri(entity)} . FILTER(isIRI(?s)) "
        "FILTER(?p NOT IN (rdf:subject, rdf:object, dcterms:subject)) "
        f"{label_of('?s', '?sl')} }} ORDER BY ?p ?s LIMIT {limit}",
        timeout,
    )
    out = []
    seen: set[tuple[str, str]] = set()
    for row in rows:
        subject, predicate = _value(row, "s"), _value(row, "p")
        if subject is None or predicate is None or (subject, predicate) in seen:
            continue
        seen.add((subject, predicate))
        out.append(
            {
                "subject": subject,
                "label": _value(row, "sl") or local_name(subject),
                "property": predicate,
            }
        )
    return out


def provenance(store: Store, entity: str, *, timeout: float | None = None) -> list[dict[str, Any]]:
    """Return the named graphs (batches) that mention an entity, with their description.

    Each item: ``{"graph", "statements", "title", "generated_at", "attributed_to",
    "source"}``; ``statements`` counts the statements of that graph that mention it.
    """
    rows = _select(
        store,
        f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ {{ GRAPH ?g {{ {iri(entity)} ?p ?o }} }} UNION "
        f"{{ GRAPH ?g {{ ?s ?p {iri(entity)} }} }} }} GROUP BY ?g",
        timeout,
    )
    counts: dict[str, int] = {}
    for row in rows:
        named, number = _value(row, "g"), _value(row, "n")
        if named is not None and number is not None:
            counts[named] = int(number)
    if not counts:
        return []
    values = " ".join(iri(g) for g in sorted(counts))
    described = _select(
        store,
        f"SELECT ?g ?p ?o WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?g ?p ?o }} }}",
        timeout,
    )
    statements_of: dict[str, list[tuple[NamedNode, Any]]] = {}
    for row in described:
        name, predicate, obj = row.get("g"), row.get("p"), row.get("o")
        if isinstance(name, NamedNode) and isinstance(predicate, NamedNode) and obj is not None:
            statements_of.setdefault(name.value, []).append((predicate, obj))
    out = []
    for named, count in sorted(counts.items()):
        info = graph_info(named, 0, statements_of.get(named, ()))
        out.append(
            {
                "graph": named,
                "statements": count,
                "title": info.title,
                "generated_at": info.generated_at,
                "attributed_to": info.attributed_to,
                "source": info.source,
            }
        )
    return out


def describe_many(
    store: Store, entities: Sequence[str], *, timeout: float | None = None
) -> list[Triple]:
    """Return the description of entities, from the union of all graphs.

    That is their outgoing statements and those of the nodes they own (participations,
    budgets).
    """
    if not entities:
        return []
    values = " ".join(iri(e) for e in sorted(set(entities)))
    owning = " ".join(f"<{p}>" for p in OWNING)
    rows = _select(
        store,
        f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?x {{ {values} }} "
        f"{{ ?x ?p ?o BIND(?x AS ?s) }} UNION "
        f"{{ VALUES ?own {{ {owning} }} ?x ?own ?s . FILTER(isIRI(?s)) ?s ?p ?o }} }}",
        timeout,
    )
    return _triples(rows)


def describe(store: Store, entity: str, *, timeout: float | None = None) -> list[Triple]:
    """Return the description of one entity (see :func:`describe_many`)."""
    return describe_many(store, [entity], timeout=timeout)


def summary_triples(
    store: Store, entities: Sequence[str], *, timeout: float | None = None
) -> list[Triple]:
    """Return the type and names (rdfs:label, skos:altLabel) of entities: a listing in RDF."""
    if not entities:
        return []
    values = " ".join(iri(e) for e in entities)
    rows = _select(
        store,
        f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} "
        "VALUES ?p { rdf:type rdfs:label skos:altLabel } ?s ?p ?o }",
        timeout,
    )
    return _triples(rows)


def _triples(rows: Iterable[Row]) -> list[Triple]:
    out = []
    for row in rows:
        subject, predicate, obj = row.get("s"), row.get("p"), row.get("o")
        if (
            isinstance(subject, NamedNode | BlankNode)
            and isinstance(predicate, NamedNode)
            and isinstance(obj, NamedNode | BlankNode | Literal)
        ):
            out.append(Triple(subject, predicate, obj))
    return sorted(set(out), key=str)


# ---------------------------------------------------------------------------------------
# Relations
# ---------------------------------------------------------------------------------------


def actor_relations(store: Store, actor: str, *, timeout: float | None = None) -> dict[str, Any]:
    """Return an actor's partnerships (with all partners and roles), services and projects."""
    rows = _select(
        store,
        f"SELECT ?partnership ?pl ?myRole ?partner ?partnerLabel ?role WHERE {{ "
        f"{{ SELECT ?partnership ?mine WHERE {{ ?mine ikg:participant {iri(actor)} . "
        "?partnership ikg:hasParticipation ?mine } } "
        "OPTIONAL { ?mine ikg:partnerRole ?myRole } "
        "?partnership ikg:hasParticipation ?part . ?part ikg:participant ?partner . "
        "OPTIONAL { ?part ikg:partnerRole ?role } "
        f"{label_of('?partnership', '?pl')} {label_of('?partner', '?partnerLabel')} }} "
        f"ORDER BY ?partnership ?partner LIMIT {LIST_CAP * 10}",
        timeout,
    )
    partnerships: dict[str, dict[str, Any]] = {}
    for row in rows:
        ref = _ref(row, "partnership", "pl")
        if ref is None:
            continue
        entry = partnerships.setdefault(ref["id"], {**ref, "roles": set(), "partners": {}})
        if (role := _value(row, "myRole")) is not None:
            entry["roles"].add(local_name(role))
        partner = _ref(row, "partner", "partnerLabel")
        if partner is not None:
            current = entry["partners"].setdefault(partner["id"], {**partner, "roles": set()})
            if (other := _value(row, "role")) is not None:
                current["roles"].add(local_name(other))
    services = _select(
        store,
        f"SELECT ?s ?sl (GROUP_CONCAT(DISTINCT STR(?pa); separator=' ') AS ?areas) WHERE {{ "
        f"?s ikg:provider {iri(actor)} . OPTIONAL {{ ?s ikg:policyArea ?pa }} "
        f"{label_of('?s', '?sl')} }} GROUP BY ?s ?sl ORDER BY ?s LIMIT {LIST_CAP}",
        timeout,
    )
    projects = _select(
        store,
        f"SELECT ?p ?pl ?role WHERE {{ VALUES (?prop ?role) {{ (ikg:funder 'funder') "
        f"(ikg:implementer 'implementer') }} ?p ?prop {iri(actor)} . "
        f"{label_of('?p', '?pl')} }} ORDER BY ?p ?role LIMIT {LIST_CAP}",
        timeout,
    )
    project_roles: dict[str, dict[str, Any]] = {}
    for row in projects:
        ref = _ref(row, "p", "pl")
        if ref is not None:
            project_roles.setdefault(ref["id"], {**ref, "roles": []})["roles"].append(
                _value(row, "role") or ""
            )
    return {
        "partnerships": [
            {
                "id": entry["id"],
                "label": entry["label"],
                "roles": sorted(entry["roles"]),
                "partners": [
                    {**p, "roles": sorted(p["roles"])}
                    for _, p in sorted(entry["partners"].items())
                    if p["id"] != actor
                ],
            }
            for _, entry in sorted(partnerships.items())
        ],
        "services": [
            {
                **(_ref(row, "s", "sl") or {}),
                "policy_areas": sorted(local_name(a) for a in (_value(row, "areas") or "").split()),
            }
            for row in services
            if _value(row, "s") is not None
        ],
        "projects": [
            {**entry, "roles": sorted(set(entry["roles"]))}
            for _, entry in sorted(project_roles.items())
        ],
    }


def project_relations(
    store: Store, project: str, *, timeout: float | None = None
) -> dict[str, Any]:
    """Return what a project funds: partnerships and services."""
    rows = _select(
        store,
        f"SELECT ?x ?xl ?kind WHERE {{ ?x ikg:fundedBy {iri(project)} . "
        "VALUES (?cls ?kind) { (ikg:Partnership 'partnership') (ikg:Service 'service') "
        "(ikg:PublicService 'service') (ikg:Event 'event') } ?x a ?cls . "
        f"{label_of('?x', '?xl')} }} ORDER BY ?x LIMIT {LIST_CAP}",
        timeout,
    )
    out: dict[str, list[dict[str, str]]] = {"partnerships": [], "services": [], "events": []}
    seen: set[str] = set()
    for row in rows:
        ref = _ref(row, "x", "xl")
        kind = _value(row, "kind")
        if ref is not None and kind is not None and ref["id"] not in seen:
            seen.add(ref["id"])
            out[kind + "s"].append(ref)
    return out


# ---------------------------------------------------------------------------------------
# City and country profiles
# ---------------------------------------------------------------------------------------


def _count_by(store: Store, query: str, key: str, timeout: float | None) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in _select(store, query, timeout):
        name, count = _value(row, key), _value(row, "n")
        if name is not None and count is not None:
            counts[local_name(name)] = int(count)
    return dict(sorted(counts.items()))


def city_profile(
    store: Store, city: str, *, base: str = BASE, timeout: float | None = None
) -> dict[str, Any]:
    """Return a city's profile.

    Actors by kind, services by policy area, partnerships, migrant councils (budget,
    own-initiative right) and analytics indicators if present.
    """
    place = iri(city)
    kinds = " ".join(f"ikg:{name}" for name in actor_kinds())
    actors = _select(
        store,
        f"SELECT ?a ?al ?cls WHERE {{ ?a ikg:basedIn {place} . ?a a ?cls . "
        f"FILTER(?cls IN ({kinds.replace(' ', ', ')})) "
        f"{label_of('?a', '?al')} }} ORDER BY ?cls ?a LIMIT {LIST_CAP}",
        timeout,
    )
    by_kind = _count_by(
        store,
        f"SELECT ?cls (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a ikg:basedIn {place} . "
        f"?a a ?cls . FILTER(?cls IN ({kinds.replace(' ', ', ')})) }} GROUP BY ?cls",
        "cls",
        timeout,
    )
    services = _count_by(
        store,
        "SELECT ?pa (COUNT(DISTINCT ?s) AS ?n) WHERE { { SELECT DISTINCT ?s WHERE { "
        f"?s ikg:areaServed|(ikg:provider/ikg:basedIn) {place} . "
        "FILTER EXISTS { VALUES ?cls { ikg:Service ikg:PublicService } ?s a ?cls } } } "
        "?s ikg:policyArea ?pa } GROUP BY ?pa",
        "pa",
        timeout,
    )
    partnerships = _select(
        store,
        "SELECT ?p ?pl ?formality ?equality WHERE { "
        "{ SELECT DISTINCT ?p WHERE { "
        f"?p ikg:areaServed|(ikg:hasParticipation/ikg:participant/ikg:basedIn) {place} . "
        "FILTER EXISTS { ?p a ikg:Partnership } } } "
        "OPTIONAL { ?p ikg:formality ?formality } OPTIONAL { ?p ikg:roleEquality ?equality } "
        f"{label_of('?p', '?pl')} }} ORDER BY ?p LIMIT {LIST_CAP}",
        timeout,
    )
    councils = _select(
        store,
        "SELECT ?c ?cl ?budget ?initiative ?selection WHERE { "
        f"?c a ikg:MigrantCouncil ; ikg:basedIn {place} . "
        "OPTIONAL { ?c ikg:hasBudget ?budget } "
        "OPTIONAL { ?c ikg:hasOwnInitiativeRight ?initiative } "
        "OPTIONAL { ?c ikg:memberSelection ?selection } "
        f"{label_of('?c', '?cl')} }} ORDER BY ?c",
        timeout,
    )
    indicators = _select(
        store,
        f"SELECT ?measure ?value ?asOf WHERE {{ GRAPH <{base}graph/analytics> {{ "
        f"?m ikg:measuredEntity {place} ; ikg:measure ?measure ; ikg:value ?value . "
        "OPTIONAL { ?m prov:wasGeneratedBy/ikg:asOf ?asOf } } } ORDER BY ?measure",
        timeout,
    )
    practices = _select(
        store,
        f"SELECT DISTINCT ?x ?xl WHERE {{ {place} ikg:practises ?x . {label_of('?x', '?xl')} }} "
        "ORDER BY ?x",
        timeout,
    )
    seen_partnerships: dict[str, dict[str, Any]] = {}
    for row in partnerships:
        ref = _ref(row, "p", "pl")
        if ref is not None and ref["id"] not in seen_partnerships:
            formality, equality = _value(row, "formality"), _value(row, "equality")
            seen_partnerships[ref["id"]] = {
                **ref,
                "formality": local_name(formality) if formality else None,
                "role_equality": local_name(equality) if equality else None,
            }
    seen_actors: dict[str, dict[str, Any]] = {}
    for row in actors:
        ref = _ref(row, "a", "al")
        if ref is not None and ref["id"] not in seen_actors:
            seen_actors[ref["id"]] = {**ref, "kind": local_name(_value(row, "cls") or "")}
    council_entries: dict[str, dict[str, Any]] = {}
    for row in councils:
        ref = _ref(row, "c", "cl")
        if ref is None or ref["id"] in council_entries:
            continue
        selection = _value(row, "selection")
        council_entries[ref["id"]] = {
            **ref,
            "has_budget": _bool(_value(row, "budget")),
            "has_own_initiative_right": _bool(_value(row, "initiative")),
            "member_selection": local_name(selection) if selection else None,
        }
    return {
        "actors_by_kind": by_kind,
        "actors": list(seen_actors.values()),
        "services_by_policy_area": services,
        "partnerships": list(seen_partnerships.values()),
        "migrant_councils": list(council_entries.values()),
        "practices": [ref for row in practices if (ref := _ref(row, "x", "xl")) is not None],
        "indicators": [
            {
                "measure": local_name(_value(row, "measure") or ""),
                "value": _number(_value(row, "value")),
                "as_of": _value(row, "asOf"),
            }
            for row in indicators
        ],
    }


def _bool(text: str | None) -> bool | None:
    if text is None:
        return None
    return text.strip().lower() in ("true", "1")


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def country_profile(store: Store, country: str, *, timeout: float | None = None) -> dict[str, Any]:
    """Return a country's cities (with actor counts) and its migrant councils."""
    place = iri(country)
    cities = _select(
        store,
        f"SELECT ?c ?cl (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?c a ikg:City ; ikg:country {place} . "
        f"OPTIONAL {{ ?a ikg:basedIn ?c }} {label_of('?c', '?cl')} }} GROUP BY ?c ?cl ORDER BY ?c "
        f"LIMIT {LIST_CAP}",
        timeout,
    )
    councils = _select(
        store,
        "SELECT DISTINCT ?x ?xl WHERE { ?x a ikg:MigrantCouncil ; "
        f"ikg:basedIn/ikg:country {place} . "
        f"{label_of('?x', '?xl')} }} ORDER BY ?x LIMIT {LIST_CAP}",
        timeout,
    )
    city_entries: dict[str, dict[str, Any]] = {}
    for row in cities:
        ref = _ref(row, "c", "cl")
        if ref is not None and ref["id"] not in city_entries:
            city_entries[ref["id"]] = {**ref, "actors": int(_value(row, "n") or 0)}
    council_refs: dict[str, dict[str, str]] = {}
    for row in councils:
        ref = _ref(row, "x", "xl")
        if ref is not None:
            council_refs.setdefault(ref["id"], ref)
    return {"cities": list(city_entries.values()), "migrant_councils": list(council_refs.values())}
