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

__all__ = [
    "ANALYTICS_GRAPH",
    "WriteResult",
    "analytics_ntriples",
    "analytics_triples",
    "write_analytics",
]

ANALYTICS_GRAPH = f"{BASE}graph/analytics"
"""The named graph that holds the latest analytics run."""

_XSD = "http://www.w3.org/2001/XMLSchema#"
_PROV = "http://www.w3.org/ns/prov#"

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


def _text(value: str) -> str:
    """An N-Triples string literal's body: backslash, quote and line breaks escaped."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def _lexical(value: Any) -> str | None:
    """The N-Triples literal of a measurement value; None for missing, NaN or infinite.

    Booleans are ``xsd:boolean``, integers ``xsd:integer``, other numbers ``xsd:double``
    (Python's shortest round-trip representation).
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return f'"{"true" if value else "false"}"^^<{_XSD}boolean>'
    if isinstance(value, int):
        return f'"{value}"^^<{_XSD}integer>'
    number = float(value)
    if math.isnan(number) or math.isinf(number):
        return None
    return f'"{number!r}"^^<{_XSD}double>'


def analytics_ntriples(
    network: PartnershipNetwork,
    metrics: MetricsResult | None = None,
    indicators: dict[str, CityIndicators] | None = None,
    *,
    started: datetime | None = None,
    ended: datetime | None = None,
    include_ties: bool = True,
    base: str = BASE,
) -> tuple[bytes, str, int, int]:
    """Write one analytics run as N-Triples text; return it, the run IRI, triples, measurements.

    The statements are those of :func:`analytics_triples`, formatted directly (a
    network of 300,000 ties gives some 15 million of them: building a pyoxigraph term
    for each takes longer than everything else). Arguments as :func:`analytics_triples`.
    """
    ended = ended or datetime.now(UTC)
    started = started or ended
    stamp = ended.strftime("%Y%m%dT%H%M%S%fZ")
    run_iri = f"{base}id/analytics-run/{stamp}"
    run = f"<{run_iri}>"
    graph = f"<{base}graph/analytics>"
    agent = f"<{base}id/agent/inclusion-kg-analytics>"
    ikg = str(IKG._NS)
    a = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    generated_by = f"<{_PROV}wasGeneratedBy>"
    date_time = f"^^<{_XSD}dateTime>"
    measurement_type = f"<{ikg}Measurement>"
    measure_p, entity_p, value_p = f"<{ikg}measure>", f"<{ikg}measuredEntity>", f"<{ikg}value>"
    lines: list[str] = []
    add = lines.append
    counter = 0
    measures: dict[str, str] = {}

    def measurement(subject: str, slug: str, value: Any) -> None:
        nonlocal counter
        lexical = _lexical(value)
        if lexical is None:
            return
        counter += 1
        measure = measures.get(slug)
        if measure is None:
            measure = measures[slug] = f"<{base}vocab/measure/{slug}>"
        node = f"<{run_iri}/m{counter}>"
        add(
            f"{node} {a} {measurement_type} .\n{node} {measure_p} {measure} .\n"
            f"{node} {entity_p} {subject} .\n{node} {value_p} {lexical} .\n"
            f"{node} {generated_by} {run} .\n"
        )

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
    title = f"Network analytics run of {ended.isoformat()}"
    add(f"{run} {a} <{ikg}AnalyticsRun> .\n")
    add(f'{run} {label} "{_text(title)}"@en .\n')
    add(f'{run} <{_PROV}startedAtTime> "{started.isoformat()}"{date_time} .\n')
    add(f'{run} <{_PROV}endedAtTime> "{ended.isoformat()}"{date_time} .\n')
    add(f"{run} <{_PROV}wasAssociatedWith> {agent} .\n")
    add(f'{run} <{ikg}asOf> "{network.reference.isoformat()}"^^<{_XSD}date> .\n')
    parameters_text = _text(json.dumps(parameters, sort_keys=True))
    add(f'{run} <{ikg}parameters> "{parameters_text}" .\n')
    add(f"{agent} {a} <{_PROV}SoftwareAgent> .\n")
    add(f'{agent} {label} "inclusion-kg network analytics"@en .\n')
    fixed = 9

    # ties ------------------------------------------------------------------------------
    tie_lines = 0
    if include_ties:
        used: set[str] = set()
        tie_type, endpoint = f"<{ikg}Tie>", f"<{ikg}tieEndpoint>"
        partnerships = network.layer == "partnerships"
        for u, v, data in network.graph.edges(data=True):
            first, second = (u, v) if u <= v else (v, u)
            slug = f"{local_name(first)}--{local_name(second)}"
            if slug in used:
                slug += "-" + hashlib.sha256(f"{first} {second}".encode()).hexdigest()[:8]
            used.add(slug)
            tie = f"<{base}id/tie/{slug}>"
            add(
                f"{tie} {a} {tie_type} .\n{tie} {endpoint} <{first}> .\n"
                f"{tie} {endpoint} <{second}> .\n"
            )
            tie_lines += 3
            measurement(tie, "tie-weight", data.get("weight"))
            if partnerships:
                measurement(tie, "tie-strength", data.get("strength"))
                for component in COMPONENTS:
                    measurement(tie, _COMPONENT_MEASURES[component], data.get(f"c_{component}"))

    # actors, network and cities -----------------------------------------------------------
    if metrics is not None:
        for actor, values in metrics.nodes.items():
            subject = f"<{actor}>"
            for key, slug in _NODE_MEASURES.items():
                measurement(subject, slug, values.get(key))
        measurement(run, "network-density", metrics.summary.get("density"))
        measurement(run, "modularity", metrics.modularity)
        measurement(run, "cross-sector-tie-share", metrics.cross_sector.share)
        measurement(run, "ei-index", metrics.cross_sector.ei_index)
        measurement(run, "type-assortativity", metrics.assortativity)
        for city, density in metrics.density_by_city.items():
            measurement(f"<{city}>", "city-density", density.density)
    for city, result in (indicators or {}).items():
        subject = f"<{city}>"
        measurement(subject, "whole-of-community-coverage", result.coverage.share)
        civil = result.civil_society
        measurement(subject, "civil-society-tie-share", civil.share)
        measurement(subject, "civil-society-mean-strength", civil.mean_strength)
        measurement(subject, "civil-society-equality", civil.mean_equality)
        measurement(subject, "civil-society-eye-to-eye-share", civil.eye_to_eye_share)
        measurement(subject, "migrant-participation", result.migrant_participation.score)

    # the graph describes itself (void:triples counts itself too) -------------------------
    count = fixed + tie_lines + 5 * counter + 7
    add(f"{graph} {a} <{_PROV}Entity> .\n")
    add(f"{graph} {a} <http://www.w3.org/ns/dcat#Dataset> .\n")
    add(f'{graph} <http://purl.org/dc/terms/title> "Network analytics (latest run)"@en .\n')
    add(f'{graph} <{_PROV}generatedAtTime> "{ended.isoformat()}"{date_time} .\n')
    add(f"{graph} {generated_by} {run} .\n")
    add(f"{graph} <{_PROV}wasAttributedTo> {agent} .\n")
    add(f'{graph} <http://rdfs.org/ns/void#triples> "{count}"^^<{_XSD}integer> .\n')
    return "".join(lines).encode(), run_iri, count, counter


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
    data, run, _, measurements = analytics_ntriples(
        network,
        metrics,
        indicators,
        started=started,
        ended=ended,
        include_ties=include_ties,
        base=base,
    )
    triples = [quad.triple for quad in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
    return triples, run, measurements


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
    data, run, _, measurements = analytics_ntriples(
        network, metrics, indicators, started=started, include_ties=include_ties, base=base
    )
    graph = f"{base}graph/analytics"
    size = writer.replace_graph(graph, data, "application/n-triples")
    return WriteResult(graph=graph, run=run, triples=size, measurements=measurements)
