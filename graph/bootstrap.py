"""Seed an empty store: the ontology graph and one graph per seed file, each only once.

:func:`ensure_seeded` is what ``ikg serve`` runs at start-up (``settings.load_seeds``). It
is idempotent: a graph that is already in the store is left alone, so a second start, or
a start after an interrupted one, adds only what is missing and never duplicates.

- ``…/graph/ontology`` gets ``ontology/ikg.ttl``, the bundled external terms and the SKOS
  concept schemes, described like any batch.
- Each ``seeds/*.trig`` file is loaded with the named graphs it declares (they describe
  themselves, per the data contract). Seeds are validated in CI, not at every start, so
  that a fresh service is ready in well under five seconds.
"""

from __future__ import annotations

from collections.abc import Iterable

from pyoxigraph import NamedNode, Quad, RdfFormat, serialize

from inclusion_kg.graph import resources
from inclusion_kg.graph.namespaces import BASE
from inclusion_kg.graph.provenance import agent_iri, source_iri, with_description
from inclusion_kg.graph.store import Store
from inclusion_kg.graph.store.formats import parse_rdf

__all__ = ["ONTOLOGY_GRAPH", "ensure_seeded", "has_graph"]

ONTOLOGY_GRAPH = BASE + "graph/ontology"
"""The named graph of the ontology, its concept schemes and the external terms."""

ONTOLOGY_IRI = BASE + "ontology"


def has_graph(store: Store, iri: str) -> bool:
    """Whether the store has a named graph ``iri`` with at least one triple."""
    return store.ask(f"ASK {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")


def _write(store: Store, quads: Iterable[Quad]) -> None:
    store.load(serialize(list(quads), format=RdfFormat.N_QUADS) or b"", "application/n-quads")


def _ontology_quads() -> list[Quad]:
    graph = NamedNode(ONTOLOGY_GRAPH)
    quads: list[Quad] = []
    data = b""
    for resource in [
        resources.ontology_file(),
        resources.external_vocabulary_file(),
        *resources.scheme_files(),
    ]:
        content = resource.read_bytes()
        data += content
        parsed = parse_rdf(content, "text/turtle", label=resource.name)
        quads += [Quad(q.subject, q.predicate, q.object, graph) for q in parsed]
    return (
        with_description(
            quads,
            ONTOLOGY_GRAPH,
            title=(
                "The inclusion-kg ontology, its SKOS concept schemes and the external terms "
                "it reuses"
            ),
            source=ONTOLOGY_IRI,
            agent=agent_iri("inclusion-kg"),
        )
        if quads
        else []
    )


def ensure_seeded(store: Store) -> list[str]:
    """Load the ontology graph and the seed graphs that the store does not have yet.

    Returns:
        The IRIs of the graphs loaded now (empty when everything was there).

    Raises:
        InputError: a shipped file does not parse (a packaging bug).
        BackendUnavailable: the store cannot be written.
    """
    loaded: list[str] = []
    if not has_graph(store, ONTOLOGY_GRAPH):
        _write(store, _ontology_quads())
        loaded.append(ONTOLOGY_GRAPH)
    for resource in resources.seed_files():
        content = resource.read_bytes()
        quads = parse_rdf(content, "application/trig", label=resource.name)
        names = sorted({q.graph_name.value for q in quads if isinstance(q.graph_name, NamedNode)})
        missing = [name for name in names if not has_graph(store, name)]
        if not missing:
            continue
        selected = [
            q
            for q in quads
            if isinstance(q.graph_name, NamedNode) and q.graph_name.value in missing
        ]
        for name in missing:
            selected = with_description(
                selected,
                name,
                title=f"Seed data from {resource.name}",
                source=source_iri(content),
                agent=agent_iri("inclusion-kg seed curation"),
            )
        _write(store, selected)
        loaded.extend(missing)
    return loaded
