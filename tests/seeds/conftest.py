"""Fixtures for the seed tests: the seed files, stores holding them, and their graphs.

- ``seed_texts``      {file name: TriG text} of every shipped seed file.
- ``seed_store``      a pyoxigraph store with every seed graph, plus the ontology, schemes and
                      external terms in ``…/graph/ontology``, as the service holds them.
- ``seeds_only_store`` a pyoxigraph store with the seed graphs and nothing else.
- ``run``             runs a SPARQL SELECT on a store with the default graph as the union of
                      all graphs (or of the given graphs) and returns rows of plain values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pyoxigraph as ox
import pytest

from inclusion_kg.graph.namespaces import graph_iri
from inclusion_kg.graph.resources import (
    external_vocabulary_file,
    ontology_file,
    scheme_files,
    seed_files,
)

Row = tuple[str | None, ...]
Runner = Callable[..., list[Row]]


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, bytes]:
    return {seed.name: seed.read_bytes() for seed in seed_files()}


def _store(seed_texts: dict[str, bytes], *, with_ontology: bool) -> ox.Store:
    store = ox.Store()
    for text in seed_texts.values():
        store.load(text, format=ox.RdfFormat.TRIG)
    if with_ontology:
        ontology = ox.NamedNode(str(graph_iri("ontology")))
        for source in (ontology_file(), external_vocabulary_file(), *scheme_files()):
            store.load(source.read_bytes(), format=ox.RdfFormat.TURTLE, to_graph=ontology)
    return store


@pytest.fixture(scope="session")
def seed_store(seed_texts: dict[str, bytes]) -> ox.Store:
    return _store(seed_texts, with_ontology=True)


@pytest.fixture(scope="session")
def seeds_only_store(seed_texts: dict[str, bytes]) -> ox.Store:
    return _store(seed_texts, with_ontology=False)


def _value(term: object) -> str | None:
    if term is None:
        return None
    value = getattr(term, "value", None)
    return str(value) if value is not None else str(term)


@pytest.fixture(scope="session")
def run() -> Runner:
    def run(store: ox.Store, sparql: str, graphs: Sequence[str] | None = None) -> list[Row]:
        if graphs is None:
            solutions = store.query(sparql, use_default_graph_as_union=True)
        else:
            solutions = store.query(sparql, default_graph=[ox.NamedNode(graph) for graph in graphs])
        assert isinstance(solutions, ox.QuerySolutions)
        width = len(solutions.variables)
        return [tuple(_value(row[index]) for index in range(width)) for row in solutions]

    return run
