"""The seed dataset: the two 2020 press releases on the study, and enrichment kept apart.

Each ``seeds/*.trig`` file holds one named graph that describes itself inside itself (PROV-O,
DCAT, VoID; ``docs/HELPERS-CONTRACT.md``):

- study graphs, one per press release, with only the facts that release states
  (:data:`STUDY_GRAPHS`);
- enrichment graphs, one per source set and confidence, each with ``ikg:confidence``
  (:data:`ENRICHMENT_GRAPHS`).

``seeds/manifest.ttl`` lists the files and ``seeds/README.md`` says what came from where.

>>> graph_iri("study-2020-mpi-press-release") in STUDY_GRAPHS
True
>>> set(STUDY_GRAPHS) | set(ENRICHMENT_GRAPHS) == set(SEED_GRAPHS)
True
"""

from __future__ import annotations

from rdflib import Dataset, URIRef

from inclusion_kg.graph.namespaces import bind_prefixes, graph_iri
from inclusion_kg.graph.resources import seed_files

__all__ = ["ENRICHMENT_GRAPHS", "SEED_GRAPHS", "STUDY_GRAPHS", "seed_dataset"]

STUDY_GRAPHS: tuple[URIRef, ...] = (
    graph_iri("study-2020-mpi-press-release"),
    graph_iri("study-2020-iom-press-release"),
)
"""The graphs of facts stated in the seed press releases (S0, MPI Europe; S2, IOM)."""

ENRICHMENT_GRAPHS: tuple[URIRef, ...] = (
    graph_iri("enrichment-admin4all-project"),
    graph_iri("enrichment-admin4all-webinar"),
    graph_iri("enrichment-gdansk-immigrants-council"),
    graph_iri("enrichment-identifiers-recalled"),
    graph_iri("enrichment-identifiers-verified"),
    graph_iri("enrichment-mpi-research-page"),
    graph_iri("enrichment-palermo-consulta"),
    graph_iri("enrichment-report-front-matter"),
)
"""The enrichment graphs: facts from other sources, each graph with its ``ikg:confidence``."""

SEED_GRAPHS: tuple[URIRef, ...] = STUDY_GRAPHS + ENRICHMENT_GRAPHS
"""Every named graph the seed files hold, study graphs first; one graph per seed file."""


def seed_dataset() -> Dataset:
    """Parse every shipped seed file into one dataset, one named graph per file.

    The default graph is the union of the named graphs (``default_union=True``), so a
    plain SPARQL query sees all seed facts while ``GRAPH`` still tells them apart.

    Returns:
        A new :class:`rdflib.Dataset` holding the graphs of :data:`SEED_GRAPHS`, with the
        project's prefixes bound.
    """
    dataset = Dataset(default_union=True)
    bind_prefixes(dataset)
    for seed in seed_files():
        dataset.parse(data=seed.read_bytes(), format="trig")
    return dataset
