"""The seeds satisfy the data contract: the SHACL shapes, and a manifest entry per file."""

from __future__ import annotations

from collections import defaultdict
from importlib.resources import files

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, XSD
from rdflib.term import Node

from inclusion_kg.graph.namespaces import BASE, IKG, graph_iri
from inclusion_kg.graph.resources import (
    external_vocabulary_file,
    ontology_file,
    scheme_files,
    seed_files,
)
from inclusion_kg.graph.seeds import STUDY_GRAPHS, seed_dataset
from inclusion_kg.graph.validate import Severity, validate_graph

SCHEMA_URL = URIRef("https://schema.org/url")
KIND = BASE + "vocab/seed-kind/"
CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")


def test_seed_dataset_has_no_violations_and_no_warnings() -> None:
    report = validate_graph(seed_dataset())
    assert not report.by_severity(Severity.VIOLATION), report.text()
    # both councils have a budget and every partnership cites its evidence
    assert not report.by_severity(Severity.WARNING), report.text()
    assert report.conforms


def test_study_graphs_conform_without_enrichment() -> None:
    dataset = seed_dataset()
    for graph in list(dataset.graphs()):
        if graph.identifier not in STUDY_GRAPHS:
            dataset.remove_graph(graph)
    assert {graph.identifier for graph in dataset.graphs() if len(graph)} == set(STUDY_GRAPHS)
    report = validate_graph(dataset)
    assert not report.by_severity(Severity.VIOLATION), report.text()


@pytest.fixture(scope="module")
def manifest() -> Graph:
    graph = Graph()
    graph.parse(data=(files("inclusion_kg.seeds") / "manifest.ttl").read_bytes(), format="turtle")
    return graph


def test_manifest_lists_every_seed_file_once(manifest: Graph, seed_texts: dict[str, bytes]) -> None:
    listed = [str(name) for name in manifest.objects(None, DCTERMS.identifier)]
    assert sorted(listed) == sorted(seed_texts) == sorted(seed.name for seed in seed_files())
    catalogue = URIRef(BASE + "seeds/manifest")
    assert (catalogue, RDF.type, DCAT.Catalog) in manifest
    assert len(set(manifest.objects(catalogue, DCAT.dataset))) == len(seed_texts)


@pytest.mark.parametrize("name", [seed.name for seed in seed_files()])
def test_manifest_entry_matches_the_file(
    name: str, manifest: Graph, seed_texts: dict[str, bytes]
) -> None:
    (distribution,) = manifest.subjects(DCTERMS.identifier, Literal(name))
    (dataset,) = manifest.subjects(DCAT.distribution, distribution)
    assert isinstance(dataset, URIRef)
    stem = name.removesuffix(".trig")
    assert dataset == graph_iri(stem)
    assert (dataset, DCTERMS.license, CC_BY) in manifest
    kind = "seed" if stem.startswith("study-") else "enrichment"
    assert list(manifest.objects(dataset, DCTERMS.type)) == [URIRef(KIND + kind)]

    graph = Graph()
    for triple in seed_dataset().graph(dataset):
        graph.add(triple)
    sources = set(manifest.objects(dataset, DCTERMS.source))
    primary = set(graph.objects(dataset, PROV.hadPrimarySource))
    if kind == "seed":
        # the source document, with the page it was read from
        assert sources == primary
        (document,) = sources
        (url,) = manifest.objects(document, SCHEMA_URL)
        assert (document, SCHEMA_URL, url) in graph
        assert isinstance(url, Literal)
        assert url.datatype == XSD.anyURI
        assert not list(manifest.objects(dataset, IKG.confidence))
    else:
        assert primary <= sources
        assert sources <= set(graph.objects(dataset, PROV.wasDerivedFrom))
        assert list(manifest.objects(dataset, IKG.confidence)) == list(
            graph.objects(dataset, IKG.confidence)
        )


# SHACL does not check rdfs:domain and rdfs:range; a reasoner would draw conclusions from
# them (a recommendation with a policy area would become a practice, project, partnership or
# service). The seeds use every ikg: property only on the classes the ontology names.
def _ontology() -> Graph:
    graph = Graph()
    for source in (ontology_file(), external_vocabulary_file(), *scheme_files()):
        graph.parse(data=source.read_bytes(), format="turtle")
    return graph


def _classes(ontology: Graph, expression: Node) -> set[Node | None]:
    members = ontology.value(expression, OWL.unionOf)
    return set(Collection(ontology, members)) if members is not None else {expression}


def test_seed_data_fits_the_ontology_domains_and_ranges() -> None:
    ontology = _ontology()
    dataset = seed_dataset()
    asserted: dict[Node, set[Node]] = defaultdict(set)
    for graph in (ontology, dataset):
        for node, _, cls in graph.triples((None, RDF.type, None)):
            asserted[node].add(cls)

    def types(node: Node) -> set[Node | None]:
        return {
            above
            for cls in asserted[node]
            for above in ontology.transitive_objects(cls, RDFS.subClassOf)
        }

    misfits = []
    for subject, prop, value in set(dataset.triples((None, None, None))):
        if not str(prop).startswith(str(IKG._NS)):
            continue
        for declared in ontology.transitive_objects(prop, RDFS.subPropertyOf):
            for domain in ontology.objects(declared, RDFS.domain):
                if not types(subject) & _classes(ontology, domain):
                    misfits.append(("domain", subject, prop))
            if isinstance(value, Literal):
                continue
            for range_ in ontology.objects(declared, RDFS.range):
                if not types(value) & _classes(ontology, range_):
                    misfits.append(("range", value, prop))
    assert misfits == []
