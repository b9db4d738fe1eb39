"""inclusion-kg core library: the knowledge graph of migrant-inclusion actors.

No web code lives here (ruff TID251 bans it); the front ends in ``inclusion_kg.api`` call
this package. The map:

- :mod:`~inclusion_kg.graph.settings`   ``Settings`` from ``IKG_*`` variables
- :mod:`~inclusion_kg.graph.errors`     the ``IkgError`` tree
- :mod:`~inclusion_kg.graph.namespaces` ``IKG`` closed vocabulary, prefixes, IRI minting
- :mod:`~inclusion_kg.graph.resources`  shipped ontology, schemes, shapes and seeds
- :mod:`~inclusion_kg.graph.ontology`   the ontology as an rdflib graph
- :mod:`~inclusion_kg.graph.validate`   SHACL validation into a typed report
- :mod:`~inclusion_kg.graph.reason`     OWL consistency and inferred types (owlready2 + HermiT)
- :mod:`~inclusion_kg.graph.seeds`      the seed dataset as an rdflib dataset
"""

from __future__ import annotations

from inclusion_kg.graph.errors import (
    BackendUnavailable,
    Conflict,
    Forbidden,
    IkgError,
    InputError,
    NotFound,
    QueryTimeout,
    ValidationFailed,
)
from inclusion_kg.graph.namespaces import IKG, PREFIXES, graph_iri, id_iri, vocab_iri
from inclusion_kg.graph.settings import Settings

__all__ = [
    "IKG",
    "PREFIXES",
    "BackendUnavailable",
    "Conflict",
    "Forbidden",
    "IkgError",
    "InputError",
    "NotFound",
    "QueryTimeout",
    "Settings",
    "ValidationFailed",
    "graph_iri",
    "id_iri",
    "vocab_iri",
]
