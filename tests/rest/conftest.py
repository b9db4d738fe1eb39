"""Fixtures of the REST tests: a seeded in-memory store and full validation to compare with.

``seeded_store`` is a fresh in-memory store with the ontology graph and the seeds (the
same content ``ikg serve`` starts with). ``full_report(store)`` validates the whole store
the slow way (dump -> rdflib dataset -> pySHACL over everything), the reference the
incremental validation is compared with.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from rdflib import Dataset

from inclusion_kg.graph.bootstrap import ensure_seeded
from inclusion_kg.graph.settings import Settings
from inclusion_kg.graph.store import Store
from inclusion_kg.graph.store.oxigraph import OxigraphStore
from inclusion_kg.graph.validate import ValidationReport, validate_graph


def fresh_seeded_store() -> OxigraphStore:
    store = OxigraphStore.in_memory(Settings.model_construct(query_timeout=30.0))
    ensure_seeded(store)
    return store


@pytest.fixture
def seeded_store() -> Iterator[OxigraphStore]:
    store = fresh_seeded_store()
    try:
        yield store
    finally:
        store.close()


def dump(store: Store) -> bytes:
    """The whole store as sorted N-Quads lines (to compare before and after)."""
    lines = b"".join(store.dump("application/n-quads")).splitlines()
    return b"\n".join(sorted(lines))


def full_report(store: Store) -> ValidationReport:
    """Validate everything in the store (the reference for the incremental validation)."""
    dataset = Dataset()
    dataset.parse(data=b"".join(store.dump("application/n-quads")), format="nquads")
    return validate_graph(dataset)


@pytest.fixture
def full_validation() -> Callable[[Store], ValidationReport]:
    return full_report


@pytest.fixture(scope="module")
def base_store() -> Iterator[OxigraphStore]:
    """One seeded store per module, for tests that do not change it."""
    store = fresh_seeded_store()
    try:
        yield store
    finally:
        store.close()


@pytest.fixture(scope="module")
def base_report(base_store: OxigraphStore) -> ValidationReport:
    """Full validation of the seeded store, once per module."""
    return full_report(base_store)
