"""The network over time: as of one date against another, ties formed and dissolved.

Every projection can be asked *as of* a date or over a range of years
(:class:`~inclusion_kg.graph.network.projection.Period`). :func:`compare` reads the store
once and projects it at two dates, then reports what changed: ties formed (present at
the second date only), dissolved (at the first only), and persisting ties with their
change in strength (strength moves with duration and recency even when nothing else
changes).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any

import networkx as nx

from inclusion_kg.graph.network.projection import (
    NetworkFilter,
    PartnershipNetwork,
    Period,
    RawData,
    SelectRunner,
    build_network,
    fetch,
)
from inclusion_kg.graph.network.strength import StrengthWeights

__all__ = ["NetworkChange", "TieChange", "compare", "network_summary"]


@dataclass(frozen=True)
class TieChange:
    """A tie at the two dates (strength None where it is absent)."""

    source: str
    target: str
    strength_a: float | None
    strength_b: float | None

    @property
    def delta(self) -> float | None:
        """Strength at the second date minus the first (None if either is absent)."""
        if self.strength_a is None or self.strength_b is None:
            return None
        return self.strength_b - self.strength_a


@dataclass(frozen=True)
class NetworkChange:
    """What changed between two dates.

    Attributes:
        as_of_a: the first date.
        as_of_b: the second date.
        formed: ties present at ``as_of_b`` only.
        dissolved: ties present at ``as_of_a`` only.
        persisted: ties present at both.
        actors_entered: actors with a tie at ``as_of_b`` and none at ``as_of_a``.
        actors_left: actors with a tie at ``as_of_a`` and none at ``as_of_b``.
        summary_a: size, density and total strength at ``as_of_a``.
        summary_b: the same at ``as_of_b``.
    """

    as_of_a: date
    as_of_b: date
    formed: list[TieChange]
    dissolved: list[TieChange]
    persisted: list[TieChange]
    actors_entered: list[str]
    actors_left: list[str]
    summary_a: dict[str, Any]
    summary_b: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        data = asdict(self)
        data["as_of_a"] = self.as_of_a.isoformat()
        data["as_of_b"] = self.as_of_b.isoformat()
        for key in ("formed", "dissolved", "persisted"):
            for item, tie in zip(data[key], getattr(self, key), strict=True):
                item["delta"] = tie.delta
        return data


def network_summary(network: PartnershipNetwork | nx.Graph[str]) -> dict[str, Any]:
    """Return the size, density and total tie weight of a network.

    >>> g = nx.Graph([("a", "b", {"weight": 0.5})])
    >>> g.add_node("c")
    >>> network_summary(g)  # doctest: +NORMALIZE_WHITESPACE
    {'nodes': 3, 'edges': 1, 'active_actors': 2, 'density': 0.3333333333333333,
     'total_weight': 0.5}
    """
    graph = network if isinstance(network, nx.Graph) else network.graph
    n, m = graph.number_of_nodes(), graph.number_of_edges()
    return {
        "nodes": n,
        "edges": m,
        "active_actors": sum(1 for _, d in graph.degree() if d > 0),
        "density": 2 * m / (n * (n - 1)) if n > 1 else None,
        "total_weight": float(sum(w for *_, w in graph.edges(data="weight", default=1.0))),
    }


def compare(
    source: SelectRunner | RawData,
    as_of_a: date,
    as_of_b: date,
    network_filter: NetworkFilter | None = None,
    *,
    layer: str = "partnerships",
    weights: StrengthWeights | None = None,
    language: str = "en",
    aggregate_units: bool = False,
) -> NetworkChange:
    """Project the network as of two dates (one store read) and list what changed.

    The filter's own period is replaced by each date in turn; its other conditions apply
    to both. Strength is assessed at each date.

    Raises:
        InputError: as :func:`~inclusion_kg.graph.network.projection.build_network`.
    """
    raw = source if isinstance(source, RawData) else fetch(source, language)
    base = network_filter or NetworkFilter()
    networks = [
        build_network(
            raw,
            replace(base, period=Period(as_of=day)),
            layer=layer,
            weights=weights,
            language=language,
            aggregate_units=aggregate_units,
        )
        for day in (as_of_a, as_of_b)
    ]
    ga, gb = networks[0].graph, networks[1].graph

    def key(u: str, v: str) -> tuple[str, str]:
        return (u, v) if u < v else (v, u)

    ties_a = {key(u, v): float(w) for u, v, w in ga.edges(data="weight", default=1.0)}
    ties_b = {key(u, v): float(w) for u, v, w in gb.edges(data="weight", default=1.0)}
    formed = [TieChange(*k, None, ties_b[k]) for k in sorted(ties_b.keys() - ties_a.keys())]
    dissolved = [TieChange(*k, ties_a[k], None) for k in sorted(ties_a.keys() - ties_b.keys())]
    persisted = [TieChange(*k, ties_a[k], ties_b[k]) for k in sorted(ties_a.keys() & ties_b.keys())]
    active_a = {n for n, d in ga.degree() if d > 0}
    active_b = {n for n, d in gb.degree() if d > 0}
    return NetworkChange(
        as_of_a=as_of_a,
        as_of_b=as_of_b,
        formed=formed,
        dissolved=dissolved,
        persisted=persisted,
        actors_entered=sorted(active_b - active_a),
        actors_left=sorted(active_a - active_b),
        summary_a=network_summary(networks[0]),
        summary_b=network_summary(networks[1]),
    )
