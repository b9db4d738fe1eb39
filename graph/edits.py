"""Writes to single entities: create, replace, patch and delete, validated and recorded.

Each write is computed as a :class:`~inclusion_kg.graph.incremental.Change` (quads to
remove, quads to add), validated incrementally against the SHACL shapes
(:func:`~inclusion_kg.graph.incremental.validate_change`), and applied in one SPARQL
Update (one transaction), or not at all: a Violation raises
:class:`~inclusion_kg.graph.errors.ValidationFailed` with the report and nothing changes.
Writes to one store are serialised by a lock, so the check and the update see the same data.

How edits and provenance work (docs/decisions/0005-rest-api.md):

- **Minimal change.** A replacement compares the entity's new statements with those the
  store holds: statements that stay are left in the graph they came from (a seed keeps
  its source), statements that go are removed from *every* data graph that asserts them,
  new statements are added. Only the properties the kind manages are rewritten
  (:attr:`~inclusion_kg.graph.records.KindSpec.managed_predicates`); other statements
  about the entity (``owl:sameAs`` from enrichment, comments) stay.
- **One batch per write.** The added statements go into a new named graph
  ``…/graph/api-<time>-<random>`` that describes itself like every batch (PROV-O:
  title, time, ``prov:wasAttributedTo`` the agent, ``prov:hadPrimarySource`` the request
  by its SHA-256, ``void:triples``), names the entities it touched with
  ``dcterms:subject``, and records every statement it removed as an ``rdf:Statement``
  (reification, so the statement is described, not asserted) with ``dcterms:isPartOf``
  the graph it was removed from. The ``void:triples`` count of each graph that lost
  statements is updated in the same transaction.
- The generated graphs (ontology, inferred, analytics) are never edited.
"""

from __future__ import annotations

import json
import secrets
import threading
import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, Triple, serialize

from inclusion_kg.graph.errors import Conflict, InputError, NotFound, ValidationFailed
from inclusion_kg.graph.incremental import Change, check_change
from inclusion_kg.graph.namespaces import BASE
from inclusion_kg.graph.provenance import agent_iri, source_iri, with_description
from inclusion_kg.graph.records import (
    IKG,
    RDF_TYPE,
    KindSpec,
    entity_iri,
    from_triples,
    kind_spec,
    slugify,
    term_value,
    to_triples,
)
from inclusion_kg.graph.store import Store
from inclusion_kg.graph.validate import (
    GENERATED_GRAPHS,
    ValidationReport,
    ValidationResult,
    short_name,
)

__all__ = [
    "EditResult",
    "Reference",
    "StillReferenced",
    "apply_change",
    "create_entity",
    "current_record",
    "delete_entity",
    "entity_exists",
    "generated_graphs",
    "merge_patch",
    "new_api_graph",
    "patch_entity",
    "replace_entity",
]

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_DCTERMS = "http://purl.org/dc/terms/"
_VOID_TRIPLES = "http://rdfs.org/ns/void#triples"
_XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
_RECORD_PREDICATES = (_RDF + "subject", _RDF + "predicate", _RDF + "object", _DCTERMS + "subject")
"""Statements that describe other statements or writes, not references between entities."""

_LOCKS: weakref.WeakKeyDictionary[object, threading.Lock] = weakref.WeakKeyDictionary()
_LOCKS_GUARD = threading.Lock()


def _lock(store: Store) -> threading.Lock:
    with _LOCKS_GUARD:
        lock = _LOCKS.get(store)
        if lock is None:
            lock = _LOCKS[store] = threading.Lock()
        return lock


@dataclass(frozen=True)
class EditResult:
    """What a write did.

    Attributes:
        iri: the entity written.
        action: ``created``, ``replaced``, ``updated``, ``deleted`` or ``unchanged``.
        graph: the write's batch graph (None when nothing changed).
        added: statements added (the batch's description not counted).
        removed: statements removed.
        report: the validation report (Warnings and Infos; Violations stop a write).
        deleted: other entities a cascading delete removed.
        preexisting: Violations the touched nodes already had before the write (the write
            did not introduce them, so they did not block it).
    """

    iri: str
    action: str
    graph: str | None
    added: int
    removed: int
    report: ValidationReport
    deleted: tuple[str, ...] = ()
    preexisting: tuple[ValidationResult, ...] = ()


@dataclass(frozen=True)
class Reference:
    """A statement that points at an entity, found when deleting it."""

    subject: str
    predicate: str
    graph: str
    partnership: str | None = None


class StillReferenced(Conflict):
    """An entity cannot be deleted because other entities still point at it."""

    def __init__(self, message: str, references: Sequence[Reference]) -> None:
        super().__init__(message)
        self.references = tuple(references)


@dataclass
class _Plan:
    removed: list[Quad] = field(default_factory=list)
    added: list[Triple] = field(default_factory=list)
    subjects: set[str] = field(default_factory=set)


def generated_graphs(base: str = BASE) -> tuple[str, ...]:
    """The graphs the service generates (never edited through the REST API)."""
    return tuple(f"{base}graph/{name}" for name in sorted(GENERATED_GRAPHS))


def new_api_graph(base: str = BASE, now: datetime | None = None) -> str:
    """Mint the IRI of a write's batch graph: ``{base}graph/api-<UTC time>-<random>``."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return f"{base}graph/api-{stamp}-{secrets.token_hex(3)}"


def _not_generated(base: str) -> str:
    return f"FILTER(?g NOT IN ({', '.join(f'<{g}>' for g in generated_graphs(base))}))"


def _quad(row: Mapping[str, object]) -> Quad | None:
    subject, predicate, obj, graph = row.get("s"), row.get("p"), row.get("o"), row.get("g")
    if (
        isinstance(subject, NamedNode | BlankNode)
        and isinstance(predicate, NamedNode)
        and isinstance(obj, NamedNode | BlankNode | Literal)
        and isinstance(graph, NamedNode)
    ):
        return Quad(subject, predicate, obj, graph)
    return None


def _entity_quads(store: Store, spec: KindSpec, iri: str, base: str) -> list[Quad]:
    """Every quad about ``iri`` and the nodes it owns (participations, budget)."""
    owning = " ".join(f"<{p}>" for p in sorted(spec.owning_predicates))
    owned = (
        f"UNION {{ VALUES ?own {{ {owning} }} <{iri}> ?own ?s . FILTER(isIRI(?s)) "
        "GRAPH ?g { ?s ?p ?o } }"
        if owning
        else ""
    )
    rows = store.select(
        f"SELECT ?s ?p ?o ?g WHERE {{ {{ BIND(<{iri}> AS ?s) GRAPH ?g {{ ?s ?p ?o }} }} "
        f"{owned} {_not_generated(base)} }}"
    )
    return [quad for row in rows if (quad := _quad(row)) is not None]


def entity_exists(store: Store, spec: KindSpec, iri: str) -> bool:
    """Whether ``iri`` is typed with one of the kind's classes."""
    classes = " ".join(f"<{IKG}{name}>" for name in spec.classes)
    return store.ask(f"ASK {{ VALUES ?c {{ {classes} }} <{iri}> a ?c }}")


def _kind_types(spec: KindSpec) -> frozenset[str]:
    return frozenset(IKG + name for name in (*spec.classes, spec.fixed_class or "") if name)


def _managed(spec: KindSpec, iri: str, quad: Quad) -> bool:
    if term_value(quad.subject) != iri:
        return True  # an owned node belongs wholly to its entity
    if quad.predicate.value == RDF_TYPE:
        return isinstance(quad.object, NamedNode) and quad.object.value in _kind_types(spec)
    return quad.predicate.value in spec.managed_predicates


def current_record(store: Store, spec: KindSpec, iri: str, base: str = BASE) -> dict[str, Any]:
    """Read the record of an entity from the store.

    Raises:
        NotFound: the store has no entity of this kind at ``iri``.
    """
    if not entity_exists(store, spec, iri):
        raise _not_found(spec, iri)
    quads = _entity_quads(store, spec, iri, base)
    return from_triples(spec, iri, [q.triple for q in quads], base)


def _not_found(spec: KindSpec, iri: str) -> NotFound:
    return NotFound(
        f"There is no {spec.name} {short_name_iri(iri)}; list them at /api/v1/{spec.name}s "
        f"or create one with POST."
    )


def short_name_iri(iri: str) -> str:
    """Write an IRI with the project's prefixes (``id:actor/iom``)."""
    from rdflib import URIRef

    return short_name(URIRef(iri))


def merge_patch(target: Mapping[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    """Apply a JSON Merge Patch (RFC 7396): objects merge, null removes, anything else replaces.

    >>> merge_patch({"labels": {"en": "A"}, "url": ["x"]}, {"labels": {"it": "B"}, "url": None})
    {'labels': {'en': 'A', 'it': 'B'}}
    """
    result = dict(target)
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(result.get(key), Mapping):
            result[key] = merge_patch(result[key], value)
        elif isinstance(value, Mapping):
            result[key] = merge_patch({}, value)
        else:
            result[key] = value
    return result


# ---------------------------------------------------------------------------------------
# Applying a change
# ---------------------------------------------------------------------------------------


def _data_block(quads: Iterable[Quad]) -> str:
    by_graph: dict[str, list[Triple]] = {}
    for quad in quads:
        by_graph.setdefault(str(quad.graph_name), []).append(quad.triple)
    parts = []
    for graph, triples in sorted(by_graph.items()):
        body = (serialize(triples, format=RdfFormat.N_TRIPLES) or b"").decode()
        parts.append(f"GRAPH {graph} {{\n{body}}}")
    return "\n".join(parts)


def _void_counts(store: Store, graphs: Iterable[str]) -> dict[str, int]:
    names = " ".join(f"<{g}>" for g in sorted(set(graphs)))
    if not names:
        return {}
    rows = store.select(
        f"SELECT ?g ?n WHERE {{ VALUES ?g {{ {names} }} GRAPH ?g {{ ?g <{_VOID_TRIPLES}> ?n }} }}"
    )
    counts: dict[str, int] = {}
    for row in rows:
        graph, count = row.get("g"), row.get("n")
        if isinstance(graph, NamedNode) and isinstance(count, Literal):
            try:
                counts[graph.value] = int(count.value)
            except ValueError:
                continue
    return counts


def apply_change(
    store: Store,
    plan_removed: Sequence[Quad],
    plan_added: Sequence[Triple],
    *,
    subjects: Iterable[str],
    title: str,
    request: bytes,
    agent: str = "api",
    base: str = BASE,
) -> tuple[str | None, ValidationReport, int, int, tuple[ValidationResult, ...]]:
    """Validate and apply one write.

    Returns:
        The batch graph, the report (Warnings, Infos), statements added and removed, and
        the Violations the touched nodes already had (they do not block a write).

    The caller holds the store's write lock.

    Raises:
        ValidationFailed: the store would break a shape (nothing is written).
        Conflict: a statement to remove involves a blank node (edit that batch instead).
    """
    removed = sorted(set(plan_removed), key=str)
    added = sorted(set(plan_added), key=str)
    for quad in removed:
        if isinstance(quad.subject, BlankNode) or isinstance(quad.object, BlankNode):
            msg = (
                f"The statement {quad.triple} in graph {quad.graph_name} involves a blank node, "
                "which the REST API cannot remove; replace that batch through /store instead."
            )
            raise Conflict(msg)
    if not removed and not added:
        return None, ValidationReport(), 0, 0, ()
    graph = new_api_graph(base)
    name = NamedNode(graph)
    quads = [Quad(t.subject, t.predicate, t.object, name) for t in added]
    subject_term = NamedNode(_DCTERMS + "subject")
    quads += [Quad(name, subject_term, NamedNode(iri), name) for iri in sorted(set(subjects))]
    for index, quad in enumerate(removed, 1):
        record = NamedNode(f"{graph}#removed-{index}")
        source = quad.graph_name
        assert isinstance(source, NamedNode)  # noqa: S101 - quads come from named graphs
        quads += [
            Quad(record, NamedNode(RDF_TYPE), NamedNode(_RDF + "Statement"), name),
            Quad(record, NamedNode(_RDF + "subject"), quad.subject, name),
            Quad(record, NamedNode(_RDF + "predicate"), quad.predicate, name),
            Quad(record, NamedNode(_RDF + "object"), quad.object, name),
            Quad(record, NamedNode(_DCTERMS + "isPartOf"), source, name),
        ]
    quads = with_description(
        quads, graph, title=title, source=source_iri(request), agent=agent_iri(agent, base)
    )
    # keep the void:triples of the graphs that lose statements true
    losses: dict[str, set[Triple]] = {}
    for quad in removed:
        losses.setdefault(term_value(quad.graph_name), set()).add(quad.triple)
    void = NamedNode(_VOID_TRIPLES)
    counts = _void_counts(store, losses)
    removed_all = list(removed)
    for lost_from, count in counts.items():
        node = NamedNode(lost_from)
        old = Literal(str(count), datatype=NamedNode(_XSD_INTEGER))
        left = max(count - len(losses[lost_from]), 0)
        new = Literal(str(left), datatype=NamedNode(_XSD_INTEGER))
        removed_all.append(Quad(node, void, old, node))
        quads.append(Quad(node, void, new, node))
    change = Change(removed=tuple(removed_all), added=tuple(quads))
    # The batch's description and change records are built here; the entities are checked.
    own = {term_value(q.subject) for q in quads if term_value(q.subject).startswith(graph)}
    checked = check_change(store, change, trusted=own | set(counts))
    report = checked.report
    if not report.conforms:
        violations = report.violations
        first = violations[0]
        msg = (
            f"The write breaks the shapes ({len(violations)} violation"
            f"{'s' if len(violations) != 1 else ''}); nothing was written. First: "
            f"{first.message} [{short_name(first.focus_node)}]"
        )
        raise ValidationFailed(msg, report)
    update = []
    if removed_all:
        update.append(f"DELETE DATA {{\n{_data_block(removed_all)}\n}}")
    update.append(f"INSERT DATA {{\n{_data_block(quads)}\n}}")
    store.update(" ;\n".join(update))
    return graph, report, len(added), len(removed), checked.preexisting


def _request_bytes(action: str, iri: str, record: Mapping[str, Any] | None) -> bytes:
    body = {"action": action, "iri": iri, "record": record}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, default=str).encode()


# ---------------------------------------------------------------------------------------
# The four writes
# ---------------------------------------------------------------------------------------


def create_entity(
    store: Store,
    spec: KindSpec,
    record: Mapping[str, Any],
    *,
    slug: str | None = None,
    agent: str = "api",
    base: str = BASE,
) -> EditResult:
    """Create an entity at ``id/{kind}/{slug}``, the slug made from its English label.

    Raises:
        InputError: no slug can be made (no label in Latin letters): give one.
        Conflict: the IRI is taken.
        ValidationFailed: the entity breaks a shape.
    """
    if slug is None:
        labels = record.get("labels")
        name = ""
        if isinstance(labels, Mapping) and labels:
            name = str(labels.get("en") or next(iter(labels.values())))
        slug = slugify(name)
        if not slug:
            msg = (
                "Cannot make an IRI from the labels: give labels.en with Latin letters or "
                "digits, or a slug such as 'refugee-welcome-palermo'."
            )
            raise InputError(msg)
    iri = entity_iri(spec.iri_kind, slug, base)
    triples = to_triples(spec, iri, record, base)
    with _lock(store):
        if store.ask(f"ASK {{ GRAPH ?g {{ <{iri}> ?p ?o }} {_not_generated(base)} }}"):
            msg = (
                f"{short_name_iri(iri)} already exists. Replace it with PUT /api/v1/"
                f"{spec.name}s/{slug}, or create the new one with another slug."
            )
            raise Conflict(msg)
        graph, report, added, removed, preexisting = apply_change(
            store,
            [],
            triples,
            subjects=[iri],
            title=f"REST API: created {spec.name} {short_name_iri(iri)}",
            request=_request_bytes("create", iri, record),
            agent=agent,
            base=base,
        )
    return EditResult(iri, "created", graph, added, removed, report, preexisting=preexisting)


def _replace_plan(
    spec: KindSpec,
    iri: str,
    current: Sequence[Quad],
    new: Sequence[Triple],
    fields: Iterable[str] | None = None,
) -> tuple[list[Quad], list[Triple]]:
    """Compare the entity's statements with the new ones: what to remove, what to add.

    ``fields`` limits the comparison to those fields' statements (a PATCH touches only the
    fields it names); None compares everything the kind manages (a PUT).
    """
    wanted = set(new)
    asserted = {q.triple for q in current}
    if fields is None:
        removed = [q for q in current if _managed(spec, iri, q) and q.triple not in wanted]
        return removed, [t for t in new if t not in asserted]
    names = set(fields)
    predicates = {f.predicate for f in spec.fields if f.name in names}
    if "kind" in names:
        predicates.add(RDF_TYPE)
    owning = predicates & spec.owning_predicates
    owned = {
        term_value(t.object)
        for t in (*asserted, *wanted)
        if term_value(t.subject) == iri and t.predicate.value in owning
    }

    def in_scope(triple: Triple) -> bool:
        subject = term_value(triple.subject)
        if subject == iri:
            if triple.predicate.value == RDF_TYPE:
                return RDF_TYPE in predicates and term_value(triple.object) in _kind_types(spec)
            return triple.predicate.value in predicates
        return subject in owned

    removed = [
        q
        for q in current
        if in_scope(q.triple) and _managed(spec, iri, q) and q.triple not in wanted
    ]
    added = [t for t in new if in_scope(t) and t not in asserted]
    return removed, added


def replace_entity(
    store: Store,
    spec: KindSpec,
    iri: str,
    record: Mapping[str, Any],
    *,
    agent: str = "api",
    base: str = BASE,
    action: str = "replaced",
) -> EditResult:
    """Replace what the kind manages about an entity by ``record`` (minimal change).

    Raises:
        NotFound: no such entity.
        ValidationFailed: the result breaks a shape.
    """
    triples = to_triples(spec, iri, record, base)
    with _lock(store):
        if not entity_exists(store, spec, iri):
            raise _not_found(spec, iri)
        current = _entity_quads(store, spec, iri, base)
        removed, added = _replace_plan(spec, iri, current, triples)
        graph, report, n_added, n_removed, preexisting = apply_change(
            store,
            removed,
            added,
            subjects=[iri],
            title=f"REST API: {action} {spec.name} {short_name_iri(iri)}",
            request=_request_bytes(action, iri, record),
            agent=agent,
            base=base,
        )
    return EditResult(
        iri, action if graph else "unchanged", graph, n_added, n_removed, report, (), preexisting
    )


def patch_entity(
    store: Store,
    spec: KindSpec,
    iri: str,
    patch: Mapping[str, Any],
    *,
    agent: str = "api",
    base: str = BASE,
) -> EditResult:
    """Apply a JSON Merge Patch to the entity's record and write the fields it names.

    Only the statements of the fields in the patch change; the others stay as they are
    (even values a record cannot show, such as a second formality).

    Raises:
        NotFound: no such entity.
        ValidationFailed: the result breaks a shape.
    """
    with _lock(store):
        if not entity_exists(store, spec, iri):
            raise _not_found(spec, iri)
        current = _entity_quads(store, spec, iri, base)
        record = merge_patch(from_triples(spec, iri, [q.triple for q in current], base), patch)
        triples = to_triples(spec, iri, record, base)
        removed, added = _replace_plan(spec, iri, current, triples, fields=patch)
        graph, report, n_added, n_removed, preexisting = apply_change(
            store,
            removed,
            added,
            subjects=[iri],
            title=f"REST API: updated {spec.name} {short_name_iri(iri)}",
            request=_request_bytes("patch", iri, dict(patch)),
            agent=agent,
            base=base,
        )
    return EditResult(
        iri, "updated" if graph else "unchanged", graph, n_added, n_removed, report, (), preexisting
    )


def _references(store: Store, iri: str, own: set[str], base: str) -> list[Reference]:
    predicates = ", ".join(f"<{p}>" for p in _RECORD_PREDICATES)
    rows = store.select(
        f"SELECT DISTINCT ?s ?p ?g ?partnership WHERE {{ GRAPH ?g {{ ?s ?p <{iri}> }} "
        f"FILTER(?p NOT IN ({predicates})) {_not_generated(base)} "
        f"OPTIONAL {{ ?partnership <{IKG}hasParticipation> ?s . "
        f"FILTER(?p = <{IKG}participant>) }} }}"
    )
    found = []
    for row in rows:
        subject, predicate, graph = row.get("s"), row.get("p"), row.get("g")
        partnership = row.get("partnership")
        if not isinstance(subject, NamedNode) or subject.value in own or subject.value == iri:
            continue
        if isinstance(predicate, NamedNode) and isinstance(graph, NamedNode):
            found.append(
                Reference(
                    subject.value,
                    predicate.value,
                    graph.value,
                    partnership.value if isinstance(partnership, NamedNode) else None,
                )
            )
    return sorted(found, key=lambda r: (r.partnership or "", r.subject, r.predicate, r.graph))


def _describe_references(spec: KindSpec, iri: str, references: Sequence[Reference]) -> str:
    partnerships = sorted({r.partnership for r in references if r.partnership})
    others = sorted({(r.subject, r.predicate) for r in references if not r.partnership})
    parts = []
    if partnerships:
        shown = ", ".join(short_name_iri(p) for p in partnerships[:10])
        more = f" and {len(partnerships) - 10} more" if len(partnerships) > 10 else ""
        parts.append(f"{len(partnerships)} partnership(s) it takes part in ({shown}{more})")
    if others:
        shown = ", ".join(f"{short_name_iri(s)} ({short_name_iri(p)})" for s, p in others[:10])
        more = f" and {len(others) - 10} more" if len(others) > 10 else ""
        parts.append(f"{len(others)} statement(s) pointing at it: {shown}{more}")
    return (
        f"Cannot delete {spec.name} {short_name_iri(iri)}: it is still referenced by "
        f"{'; '.join(parts)}. Delete or edit those first, or repeat the request with "
        "?cascade=true to delete those partnerships and remove the other references."
    )


def delete_entity(
    store: Store,
    spec: KindSpec,
    iri: str,
    *,
    cascade: bool = False,
    agent: str = "api",
    base: str = BASE,
) -> EditResult:
    """Delete an entity (all its statements and the nodes it owns) from every data graph.

    With ``cascade``, the partnerships it takes part in are deleted too and every other
    statement pointing at it is removed; the shapes then decide whether what is left is
    valid (a project left without an implementer is a Violation).

    Raises:
        NotFound: no such entity.
        StillReferenced: other entities point at it and ``cascade`` is false.
        ValidationFailed: the deletion would break a shape.
    """
    partnership_spec: KindSpec | None = None
    with _lock(store):
        if not entity_exists(store, spec, iri):
            raise _not_found(spec, iri)
        current = _entity_quads(store, spec, iri, base)
        own = {term_value(q.subject) for q in current}
        references = _references(store, iri, own, base)
        if references and not cascade:
            raise StillReferenced(_describe_references(spec, iri, references), references)
        removed = list(current)
        deleted: list[str] = []
        for partnership in sorted({r.partnership for r in references if r.partnership}):
            partnership_spec = partnership_spec or kind_spec("partnership")
            removed += _entity_quads(store, partnership_spec, partnership, base)
            deleted.append(partnership)
        if references:
            gone = {term_value(q.subject) for q in removed}
            rows = store.select(
                f"SELECT ?s ?p ?o ?g WHERE {{ BIND(<{iri}> AS ?o) GRAPH ?g {{ ?s ?p ?o }} "
                f"{_not_generated(base)} }}"
            )
            removed += [
                quad
                for row in rows
                if (quad := _quad(row)) is not None
                and term_value(quad.subject) not in gone
                and quad.predicate.value not in _RECORD_PREDICATES
            ]
        graph, report, n_added, n_removed, preexisting = apply_change(
            store,
            removed,
            [],
            subjects=[iri, *deleted],
            title=f"REST API: deleted {spec.name} {short_name_iri(iri)}"
            + (f" and {len(deleted)} partnership(s)" if deleted else ""),
            request=_request_bytes("delete", iri, {"cascade": cascade}),
            agent=agent,
            base=base,
        )
    return EditResult(
        iri, "deleted", graph, n_added, n_removed, report, tuple(deleted), preexisting
    )
