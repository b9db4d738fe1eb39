"""Partnership network analytics: projection, tie strength, metrics, indicators, write-back.

The map (docs/analytics.md has the definitions):

- :mod:`~inclusion_kg.graph.network.projection` one SPARQL SELECT -> the actor network
  (``project_network``, ``NetworkFilter``, ``Period``, layers, unit aggregation)
- :mod:`~inclusion_kg.graph.network.strength`   partnership strength (``StrengthWeights``,
  ``score_tie``, ``explain``)
- :mod:`~inclusion_kg.graph.network.metrics`    centralities, communities, cohesion, brokerage,
  mixing, with igraph / networkit / scipy above a size threshold (``compute_metrics``)
- :mod:`~inclusion_kg.graph.network.indicators` the study's three indicators per city
- :mod:`~inclusion_kg.graph.network.timeline`   ``compare`` two dates: ties formed and dissolved
- :mod:`~inclusion_kg.graph.network.writeback`  results as RDF in the analytics graph
- :mod:`~inclusion_kg.graph.network.vocabulary` the ontology facts the analytics read
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from inclusion_kg.graph.network.indicators import CityIndicators, city_indicators
    from inclusion_kg.graph.network.metrics import MetricsConfig, MetricsResult, compute_metrics
    from inclusion_kg.graph.network.projection import (
        NetworkFilter,
        OxigraphRunner,
        PartnershipNetwork,
        Period,
        SelectRunner,
        build_network,
        fetch,
        project_network,
    )
    from inclusion_kg.graph.network.strength import (
        StrengthWeights,
        TieExplanation,
        explain,
        score_tie,
    )
    from inclusion_kg.graph.network.timeline import NetworkChange, compare
    from inclusion_kg.graph.network.writeback import ANALYTICS_GRAPH, WriteResult, write_analytics

__all__ = [
    "ANALYTICS_GRAPH",
    "CityIndicators",
    "MetricsConfig",
    "MetricsResult",
    "NetworkChange",
    "NetworkFilter",
    "OxigraphRunner",
    "PartnershipNetwork",
    "Period",
    "SelectRunner",
    "StrengthWeights",
    "TieExplanation",
    "WriteResult",
    "build_network",
    "city_indicators",
    "compare",
    "compute_metrics",
    "explain",
    "fetch",
    "project_network",
    "score_tie",
    "write_analytics",
]

# The names above are imported on first use (PEP 562), not with the package: the modules
# that define them import networkx, numpy and scipy, and ``ikg serve`` would pay for those
# at every start-up only to register the analytics routes (tests/api/test_startup_imports.py).
_LAZY: dict[str, str] = {
    "ANALYTICS_GRAPH": "writeback",
    "CityIndicators": "indicators",
    "MetricsConfig": "metrics",
    "MetricsResult": "metrics",
    "NetworkChange": "timeline",
    "NetworkFilter": "projection",
    "OxigraphRunner": "projection",
    "PartnershipNetwork": "projection",
    "Period": "projection",
    "SelectRunner": "projection",
    "StrengthWeights": "strength",
    "TieExplanation": "strength",
    "WriteResult": "writeback",
    "build_network": "projection",
    "city_indicators": "indicators",
    "compare": "timeline",
    "compute_metrics": "metrics",
    "explain": "strength",
    "fetch": "projection",
    "project_network": "projection",
    "score_tie": "strength",
    "write_analytics": "writeback",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        msg = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
