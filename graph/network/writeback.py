"""Write metrics and indicators back as RDF, into the analytics named graph.

The graph ``https://w3id.org/inclusion-kg/graph/analytics`` is *replaced* on every write
(one transaction through the store's ``replace_graph``), so it always holds one run:

.. code-block:: turtle

    <…/graph/analytics> a prov:Entity , dcat:Dataset ; dcterms:title "…"@en ;
        prov:generatedAtTime "…"^^xsd:dateTime ; prov:wasGeneratedBy <run> ;
        prov:wasAttributedTo agent:inclusion-kg-analytics ; void:triples N .
    <run> a ikg:AnalyticsRun ; rdfs:label "…"@en ; prov:startedAtTime … ; prov:endedAtTime … ;
        ikg:asOf "2020-05-28"^^xsd:date ; ikg:parameters "{…json…}" .
    <run/m1> a ikg:Measurement ; ikg:measure measure:pagerank ;
        ikg:measuredEntity actor:iom ; ikg:value 0.12e0 ; prov:wasGeneratedBy <run> .
    <…/id/tie/dg-empl--iom> a ikg:Tie ; ikg:tieEndpoint actor:dg-empl , actor:iom .

Measures are the concepts of ``ontology/schemes/measures.ttl``. SPARQL then answers
"which actors broker most in Palermo?" without running the analytics again.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from inclusion_kg.graph.namespaces import BASE, IKG
from inclusion_kg.graph.network.strength import COMPONENTS
from inclusion_kg.graph.network.vocabulary import local_name

if TYPE_CHECKING:
    from inclusion_kg.graph.network.indicators import CityIndicators
    from inclusion_kg.graph.network.metrics import MetricsResult
    from inclusion_kg.graph.network.projection import GraphWriter, PartnershipNetwork

__all__ = ["ANALYTICS_GRAPH", "WriteResult", "analytics_triples", "write_analytics"]

ANALYTICS_GRAPH = f"{BASE}graph/analytics"
"""The named graph that holds the latest analytics run."""

_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
_PROV = "http://www.w3.org/ns/prov#"
_DCTERMS_TITLE = ox.NamedNode("http://purl.org/dc/terms/title")
_DCAT_DATASET = ox.NamedNode("http://www.w3.org/ns/dcat#Dataset")
_VOID_TRIPLES = ox.NamedNode("http://rdfs.org/ns/void#triples")

_NODE_MEASURES = {
    "strength": "strength",
    "degree": "degree",
    "pagerank": "pagerank",
    "eigenvector": "eigenvector",
    "betweenness": "betweenness",
    "community": "community",
    "core": "core-number",
    "articulation_point": "articulation-point",
    "constraint": "constraint",
    "effective_size": "effective-size",
}
_COMPONENT_MEASURES = {
    "formality": "tie-formality",
    "duration": "tie-duration",
    "recency": "tie-recency",
    "multiplexity": "tie-multiplexity",
    "shared_funding": "tie-shared-funding",
    "equality": "tie-equality",
    "sources": "tie-sources",
}


def _ikg(name: str) -> ox.NamedNode:
    return ox.NamedNode(str(IKG[name]))


def _measure(slug: str, base: str) -> ox.NamedNode:
    return ox.NamedNode(f"{base}vocab/measure/{slug}")


def _literal(value: Any) -> ox.Literal | None:
    """Return a typed literal for a measurement value, None for missing or NaN."""
    if value is None:
        return None
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(_XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(_XSD + "integer"))
    number = float(value)
    if math.isnan(number) or math.isinf(number):
        return None
    return ox.Literal(repr(number), datatype=ox.NamedNode(_XSD + "double"))


@dataclass(frozen=True)
class WriteResult:
    """What a write-back produced.

    Attributes:
        graph: the named graph written.
        run: the IRI of the analytics run.
        triples: triples in the graph.
        measurements: ikg:Measurement nodes written.
    """

    graph: str
    run: str
    triples: int
    measurements: int


def analytics_triples(
    network: PartnershipNetwork,
    metrics: MetricsResult | None = None,
    indicators: dict[str, CityIndicators] | None = None,
    *,
    started: datetime | None = None,
    ended: datetime | None = None,
    include_ties: bool = True,
    base: str = BASE,
) -> tuple[list[ox.Triple], str, int]:
    """Build the triples of one analytics run; return them, the run IRI and measurements.

    Args:
        network: the projected network (its filter, weights and period become parameters).
        metrics: node, network and city metrics to write.
        indicators: the city indicators to write.
        started: when the run started (default: now).
        ended: when it ended (default: now).
        include_ties: write one ikg:Tie per edge with its weight, strength and components.
        base: the IRI base (``Settings.base_iri``).
    """
    ended = ended or datetime.now(UTC)
    started = started or ended
    stamp = ended.strftime("%Y%m%dT%H%M%S%fZ")
    run_iri = f"{base}id/analytics-run/{stamp}"
    run = ox.NamedNode(run_iri)
    graph = ox.NamedNode(f"{base}graph/analytics")
    agent = ox.NamedNode(f"{base}id/agent/inclusion-kg-analytics")
    date_time = ox.NamedNode(_XSD + "dateTime")
    triples: list[ox.Triple] = []
    add = triples.append
    was_generated_by = ox.NamedNode(_PROV + "wasGeneratedBy")
    counter = 0

    def measurement(subject: ox.NamedNode, slug: str, value: Any) -> None:
        nonlocal counter
        literal = _literal(value)
        if literal is None:
            return
        counter += 1
        node = ox.NamedNode(f"{run_iri}/m{counter}")
        add(ox.Triple(node, _RDF_TYPE, _ikg("Measurement")))
        add(ox.Triple(node, _ikg("measure"), _measure(slug, base)))
        add(ox.Triple(node, _ikg("measuredEntity"), subject))
        add(ox.Triple(node, _ikg("value"), literal))
        add(ox.Triple(node, was_generated_by, run))

    parameters: dict[str, Any] = {
        "layer": network.layer,
        "filter": network.filter.as_dict(),
        "reference_date": network.reference.isoformat(),
        "strength_weights": network.weights.as_dict(),
        "aggregated_units": network.metadata.get("aggregated_units", False),
        "merged_units": network.metadata.get("merged_units", {}),
        "language": network.metadata.get("language", "en"),
    }
    if metrics is not None:
        parameters["methods"] = {
            name: {"backend": m.backend, "algorithm": m.algorithm, "exact": m.exact, "note": m.note}
            for name, m in metrics.methods.items()
        }
    add(ox.Triple(run, _RDF_TYPE, _ikg("AnalyticsRun")))
    add(
        ox.Triple(
            run, _LABEL, ox.Literal(f"Network analytics run of {ended.isoformat()}", language="en")
        )
    )
    add(
        ox.Triple(
            run,
            ox.NamedNode(_PROV + "startedAtTime"),
            ox.Literal(started.isoformat(), datatype=date_time),
        )
    )
    add(
        ox.Triple(
            run,
            ox.NamedNode(_PROV + "endedAtTime"),
            ox.Literal(ended.isoformat(), datatype=date_time),
        )
    )
    add(ox.Triple(run, ox.NamedNode(_PROV + "wasAssociatedWith"), agent))
    add(
        ox.Triple(
            run,
            _ikg("asOf"),
            ox.Literal(network.reference.isoformat(), datatype=ox.NamedNode(_XSD + "date")),
        )
    )
    add(ox.Triple(run, _ikg("parameters"), ox.Literal(json.dumps(parameters, sort_keys=True))))
    add(ox.Triple(agent, _RDF_TYPE, ox.NamedNode(_PROV + "SoftwareAgent")))
    add(ox.Triple(agent, _LABEL, ox.Literal("inclusion-kg network analytics", language="en")))

    # ties ------------------------------------------------------------------------------
    if include_ties:
        used: set[str] = set()
        for u, v, data in network.graph.edges(data=True):
            a, b = sorted((u, v))
            slug = f"{local_name(a)}--{local_name(b)}"
            if slug in used:
                slug += "-" + hashlib.sha256(f"{a} {b}".encode()).hexdigest()[:8]
            used.add(slug)
            tie = ox.NamedNode(f"{base}id/tie/{slug}")
            add(ox.Triple(tie, _RDF_TYPE, _ikg("Tie")))
            add(ox.Triple(tie, _ikg("tieEndpoint"), ox.NamedNode(a)))
            add(ox.Triple(tie, _ikg("tieEndpoint"), ox.NamedNode(b)))
            measurement(tie, "tie-weight", data.get("weight"))
            if network.layer == "partnerships":
                measurement(tie, "tie-strength", data.get("strength"))
                for component in COMPONENTS:
                    measurement(tie, _COMPONENT_MEASURES[component], data.get(f"c_{component}"))

    # actors, network and cities -----------------------------------------------------------
    if metrics is not None:
        for actor, values in metrics.nodes.items():
            subject = ox.NamedNode(actor)
            for key, slug in _NODE_MEASURES.items():
                measurement(subject, slug, values.get(key))
        measurement(run, "network-density", metrics.summary.get("density"))
        measurement(run, "modularity", metrics.modularity)
        measurement(run, "cross-sector-tie-share", metrics.cross_sector.share)
        measurement(run, "ei-index", metrics.cross_sector.ei_index)
        measurement(run, "type-assortativity", metrics.assortativity)
        for city, density in metrics.density_by_city.items():
            measurement(ox.NamedNode(city), "city-density", density.density)
    for city, result in (indicators or {}).items():
        subject = ox.NamedNode(city)
        measurement(subject, "whole-of-community-coverage", result.coverage.share)
        civil = result.civil_society
        measurement(subject, "civil-society-tie-share", civil.share)
        measurement(subject, "civil-society-mean-strength", civil.mean_strength)
        measurement(subject, "civil-society-equality", civil.mean_equality)
        measurement(subject, "civil-society-eye-to-eye-share", civil.eye_to_eye_share)
        measurement(subject, "migrant-participation", result.migrant_participation.score)

    # the graph describes itself (void:triples counts itself too) -------------------------
    add(ox.Triple(graph, _RDF_TYPE, ox.NamedNode(_PROV + "Entity")))
    add(ox.Triple(graph, _RDF_TYPE, _DCAT_DATASET))
    add(
        ox.Triple(
            graph, _DCTERMS_TITLE, ox.Literal("Network analytics (latest run)", language="en")
        )
    )
    add(
        ox.Triple(
            graph,
            ox.NamedNode(_PROV + "generatedAtTime"),
            ox.Literal(ended.isoformat(), datatype=date_time),
        )
    )
    add(ox.Triple(graph, was_generated_by, run))
    add(ox.Triple(graph, ox.NamedNode(_PROV + "wasAttributedTo"), agent))
    add(
        ox.Triple(
            graph,
            _VOID_TRIPLES,
            ox.Literal(str(len(triples) + 1), datatype=ox.NamedNode(_XSD + "integer")),
        )
    )
    return triples, run_iri, counter


def write_analytics(
    writer: GraphWriter,
    network: PartnershipNetwork,
    metrics: MetricsResult | None = None,
    indicators: dict[str, CityIndicators] | None = None,
    *,
    started: datetime | None = None,
    include_ties: bool = True,
    base: str = BASE,
) -> WriteResult:
    """Replace the analytics graph with this run's results, in one transaction.

    Raises:
        InputError, BackendUnavailable: as the store's ``replace_graph`` raises them.
    """
    triples, run, measurements = analytics_triples(
        network, metrics, indicators, started=started, include_ties=include_ties, base=base
    )
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    assert data is not None  # noqa: S101 - serialize without output returns bytes
    graph = f"{base}graph/analytics"
    size = writer.replace_graph(graph, data, "application/n-triples")
    return WriteResult(graph=graph, run=run, triples=size, measurements=measurements)
