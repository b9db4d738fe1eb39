"""Incremental validation of a write finds what full validation finds.

Each example is a write (quads removed, quads added) on the seeded store. The reference is
pySHACL over the *whole* store after the write (graph/validate.py, as ``ikg validate``
does); the incremental validation (graph/incremental.py) sees only the neighbourhood of
what the write touches. For every example:

- the Violations the write introduces (full after minus full before) are exactly the
  incremental Violations;
- every incremental result (any severity) is a result of full validation after the write;
- the expected Violations, derived by hand from shapes/*.ttl, are there.

The write's quads go to a batch graph that describes itself, as the REST API writes them.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, serialize
from rdflib import URIRef

from inclusion_kg.graph.edits import new_api_graph
from inclusion_kg.graph.incremental import (
    Change,
    extract_neighbourhood,
    shape_reads,
    validate_change,
)
from inclusion_kg.graph.provenance import agent_iri, with_description
from inclusion_kg.graph.records import kind_spec, to_triples
from inclusion_kg.graph.store.oxigraph import OxigraphStore, insert_data
from inclusion_kg.graph.validate import Severity, ValidationReport, ValidationResult

BASE = "https://w3id.org/inclusion-kg/"
IKG = BASE + "ontology#"
ID = BASE + "id/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
MPI = NamedNode(BASE + "graph/study-2020-mpi-press-release")
IOM = NamedNode(BASE + "graph/study-2020-iom-press-release")


def key(result: ValidationResult) -> tuple[str, str, str, str, str]:
    return (
        result.severity.value,
        str(result.focus_node),
        str(result.result_path or ""),
        str(result.source_shape),
        str(result.value or ""),
    )


def violations(report: ValidationReport) -> set[tuple[str, str, str, str, str]]:
    return {key(r) for r in report.results if r.severity is Severity.VIOLATION}


def added(kind: str, iri: str, record: dict[str, object]) -> tuple[Quad, ...]:
    graph = new_api_graph()
    quads = [
        Quad(t.subject, t.predicate, t.object, NamedNode(graph))
        for t in to_triples(kind_spec(kind), iri, record)
    ]
    return tuple(
        with_description(
            quads, graph, title="test write", source="urn:test", agent=agent_iri("test")
        )
    )


def apply(store: OxigraphStore, change: Change) -> OxigraphStore:
    """A copy of the store with the change applied (the store itself is left alone)."""
    copy = OxigraphStore.in_memory(store.settings)
    copy.load(b"".join(store.dump("application/n-quads")), "application/n-quads")
    if change.removed:
        body = (serialize(list(change.removed), format=RdfFormat.N_QUADS) or b"").decode()
        copy.update(f"DELETE DATA {{ {_graphs(body)} }}")
    if change.added:
        copy.update(insert_data(change.added))
    return copy


def _graphs(nquads: str) -> str:
    parts = []
    for line in nquads.splitlines():
        s, p, rest = line.split(" ", 2)
        obj, graph = rest.rstrip(" .").rsplit(" ", 1)
        parts.append(f"GRAPH {graph} {{ {s} {p} {obj} }}")
    return " ".join(parts)


def described(quads: tuple[Quad, ...]) -> tuple[Quad, ...]:
    """The quads with their batch graph's self-description (every batch has one)."""
    graph = str(quads[0].graph_name).strip("<>")
    return tuple(
        with_description(
            quads, graph, title="test write", source="urn:test", agent=agent_iri("test")
        )
    )


def partnership(slug: str, **fields: object) -> dict[str, object]:
    record: dict[str, object] = {
        "labels": {"en": f"Partnership {slug}"},
        "partners": [
            {"actor": "iom", "role": "partner"},
            {"actor": "municipality-of-palermo", "role": "lead"},
        ],
        "partnership_types": ["network"],
        "formality": "informal",
        "policy_areas": ["reception"],
        "evidence": ["document/iom-press-release-2020-05-28"],
    }
    record.update(fields)
    return {k: v for k, v in record.items() if v is not None}


def _quads(
    subject: str, predicate: str, graphs: tuple[NamedNode, ...], obj: object
) -> tuple[Quad, ...]:
    term = obj if isinstance(obj, NamedNode | Literal) else NamedNode(str(obj))
    return tuple(Quad(NamedNode(subject), NamedNode(predicate), term, g) for g in graphs)


EXAMPLES: dict[str, tuple[Change, set[tuple[str, str]]]] = {
    # name: (change, expected violations as (focus node, source shape local name))
    "valid partnership": (
        Change(added=added("partnership", ID + "partnership/p1", partnership("p1"))),
        set(),
    ),
    "no formality, unknown role equality": (
        Change(
            added=added(
                "partnership",
                ID + "partnership/p2",
                partnership("p2", formality=None, role_equality="sideways"),
            )
        ),
        {
            (ID + "partnership/p2", "Partnership_Shape-formality-count"),
            (ID + "partnership/p2", "Partnership_Shape-roleEquality-in"),
        },
    ),
    "one partner, unknown role": (
        Change(
            added=added(
                "partnership",
                ID + "partnership/p3",
                partnership("p3", partners=[{"actor": "iom", "role": "boss"}]),
            )
        ),
        {
            (ID + "partnership/p3", "Partnership_Shape-hasParticipation-count"),
            (ID + "partnership/p3", "Partnership_Shape-partners"),
            (ID + "participation/p3--iom", "Participation_Shape-partnerRole-in"),
        },
    ),
    "partner that is not an actor": (
        Change(
            added=added(
                "partnership",
                ID + "partnership/p4",
                partnership(
                    "p4",
                    partners=[
                        {"actor": "iom", "role": "partner"},
                        {"actor": "city/palermo", "role": "lead"},
                    ],
                ),
            )
        ),
        {(ID + "participation/p4--palermo", "Participation_Shape-participant-class")},
    ),
    "an actor loses its kind (its referrers break)": (
        Change(removed=_quads(ID + "actor/dg-empl", RDF_TYPE, (MPI,), NamedNode(IKG + "EUBody"))),
        {
            (
                ID + "participation/admin4all-funding--dg-empl",
                "Participation_Shape-participant-class",
            ),
            (ID + "project/admin4all", "FundingProject_Shape-funder-class"),
            (ID + "project/admin4all-phase-2", "FundingProject_Shape-funder-class"),
        },
    ),
    "a partnership drops a participation (the participation is orphaned)": (
        Change(
            removed=_quads(
                ID + "partnership/admin4all-funding",
                IKG + "hasParticipation",
                (MPI,),
                NamedNode(ID + "participation/admin4all-funding--iom"),
            )
        ),
        {
            (ID + "partnership/admin4all-funding", "Partnership_Shape-hasParticipation-count"),
            (ID + "partnership/admin4all-funding", "Partnership_Shape-partners"),
            (ID + "participation/admin4all-funding--iom", "Participation_Shape-partnership-count"),
        },
    ),
    "a second English label": (
        Change(
            added=described(
                _quads(
                    ID + "actor/iom",
                    "http://www.w3.org/2000/01/rdf-schema#label",
                    (NamedNode(BASE + "graph/api-test"),),
                    Literal("UN Migration", language="en"),
                )
            )
        ),
        {(ID + "actor/iom", "Label_Shape-label-unique")},
    ),
    "a project with a bad budget": (
        Change(
            added=added(
                "project",
                ID + "project/pr1",
                {
                    "labels": {"en": "Project one"},
                    "funders": ["dg-empl"],
                    "implementers": ["iom"],
                    "budget": {"value": -5, "currency": "eur"},
                },
            )
        ),
        {
            (ID + "amount/pr1-budget", "MonetaryAmount_Shape-value-range"),
            (ID + "amount/pr1-budget", "MonetaryAmount_Shape-currency-pattern"),
        },
    ),
    "a council in two cities": (
        Change(
            added=added(
                "council",
                ID + "actor/c1",
                {
                    "labels": {"en": "Council one"},
                    "based_in": ["palermo", "gdansk"],
                    "has_budget": True,
                    "has_own_initiative_right": True,
                },
            )
        ),
        {(ID + "actor/c1", "MigrantCouncil_Shape-basedIn-count")},
    ),
}


def shape_name(result: ValidationResult) -> str:
    return str(result.shape).rsplit("#", 1)[-1]


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_incremental_equals_full_validation(
    name: str,
    base_store: OxigraphStore,
    base_report: ValidationReport,
    full_validation: Callable[[OxigraphStore], ValidationReport],
) -> None:
    change, expected = EXAMPLES[name]
    incremental = validate_change(base_store, change)
    after = apply(base_store, change)
    try:
        full = full_validation(after)
    finally:
        after.close()
    introduced = violations(full) - violations(base_report)
    assert violations(incremental) == introduced
    assert {key(r) for r in incremental.results} <= {key(r) for r in full.results}
    found = {(str(r.focus_node), shape_name(r)) for r in incremental.violations}
    assert found == expected


def test_the_neighbourhood_is_small(base_store: OxigraphStore) -> None:
    change = EXAMPLES["valid partnership"][0]
    neighbourhood = extract_neighbourhood(base_store, change)
    # the partnership, its two participations and the batch graph
    assert {str(f) for f in neighbourhood.focus} >= {
        ID + "partnership/p1",
        ID + "participation/p1--iom",
        ID + "participation/p1--municipality-of-palermo",
    }
    assert len(neighbourhood.triples) < 200


def test_reads_are_derived_from_the_shapes() -> None:
    reads = shape_reads()
    assert IKG + "hasParticipation" in reads.reverse
    assert IKG + "budget" in reads.object_targets
    assert {RDF_TYPE, IKG + "participant"} <= reads.remote


def test_an_actor_losing_its_kind_focuses_on_what_points_at_it(
    base_store: OxigraphStore,
) -> None:
    change = EXAMPLES["an actor loses its kind (its referrers break)"][0]
    focus = {str(f) for f in extract_neighbourhood(base_store, change).focus}
    assert ID + "project/admin4all" in focus
    assert ID + "participation/admin4all-funding--dg-empl" in focus
    assert URIRef(ID + "actor/dg-empl") in {URIRef(f) for f in focus}
