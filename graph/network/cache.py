"""Reuse projections and metrics between requests while the store has not changed.

Reading the store (:func:`~inclusion_kg.graph.network.projection.fetch`) and computing the
metrics are the slow parts of every analytics request, and most requests ask again about
a network already computed (page 2 of a ranking, another city, one tie's explanation).
:class:`AnalyticsCache` keeps the last few of them, keyed by

- the **store version** (:func:`store_version`): the store's identity and its write
  counter (``store.workers.generation`` of :class:`~inclusion_kg.graph.store.oxigraph.
  OxigraphStore`, raised by every write that goes through the store, and the only way
  the service writes). A store without such a counter (the remote backend, which others
  may write to) is never cached: every request reads it afresh;
- the **analysis parameters** (:class:`AnalysisParams`): the filter, layer, language,
  unit aggregation and metrics configuration, plus the reference date when it is
  "today", so a cached network never outlives its day.

The version is read *before* the store is, so a cached value always reflects a state at
least as new as its key; a write raises the counter and the next request recomputes.
Cached values are shared between threads and must be treated as read-only.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Generic, TypeVar

# The analytics themselves (networkx, numpy, scipy) are imported on first use, so the
# service registers its analytics routes without loading them (a faster start-up).
if TYPE_CHECKING:
    from inclusion_kg.graph.network.indicators import CityIndicators
    from inclusion_kg.graph.network.metrics import MetricsConfig, MetricsResult
    from inclusion_kg.graph.network.projection import (
        NetworkFilter,
        PartnershipNetwork,
        RawData,
        SelectRunner,
    )

__all__ = ["Analysis", "AnalysisParams", "AnalyticsCache", "store_version"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def store_version(store: object) -> tuple[int, int] | None:
    """Return ``(id(store), write counter)``, or None when the store exposes no counter.

    >>> store_version(object()) is None
    True
    """
    workers = getattr(store, "workers", None)
    generation = getattr(workers, "generation", None)
    if not isinstance(generation, int) or isinstance(generation, bool):
        return None
    return id(store), generation


def _network_filter() -> NetworkFilter:
    from inclusion_kg.graph.network.projection import NetworkFilter

    return NetworkFilter()


def _metrics_config() -> MetricsConfig:
    from inclusion_kg.graph.network.metrics import MetricsConfig

    return MetricsConfig()


@dataclass(frozen=True)
class AnalysisParams:
    """Everything an analysis depends on besides the data (hashable: a cache key).

    Attributes:
        network_filter: which actors and ties to keep.
        layer: ``partnerships``, ``funding`` or ``services``.
        language: label language (English fallback).
        aggregate_units: merge sub-organisations into their top-most parent.
        metrics: how metrics are computed (backends, seed).
    """

    network_filter: NetworkFilter = field(default_factory=_network_filter)
    layer: str = "partnerships"
    language: str = "en"
    aggregate_units: bool = False
    metrics: MetricsConfig = field(default_factory=_metrics_config)

    def reference(self, today: date | None = None) -> date:
        """The date strength is assessed at (the period's reference)."""
        return self.network_filter.period.reference(today)


class Analysis:
    """One projected network; its metrics and city indicators are computed on first use.

    Exactly what ``ikg analyze`` computes for the same parameters: the network of the
    asked layer, :func:`compute_metrics` on it, and the indicators on the partnerships
    layer (projected separately when another layer is asked).
    """

    def __init__(self, raw: RawData, params: AnalysisParams) -> None:
        from inclusion_kg.graph.network.projection import build_network

        self.raw = raw
        self.params = params
        self.network: PartnershipNetwork = build_network(
            raw,
            params.network_filter,
            layer=params.layer,
            language=params.language,
            aggregate_units=params.aggregate_units,
        )
        self._lock = threading.Lock()
        self._metrics: MetricsResult | None = None
        self._indicators: dict[str, CityIndicators] | None = None
        self._partnerships: PartnershipNetwork | None = None

    @property
    def metrics(self) -> MetricsResult:
        """Every metric of the network (computed once)."""
        with self._lock:
            if self._metrics is None:
                from inclusion_kg.graph.network.metrics import compute_metrics

                self._metrics = compute_metrics(self.network.graph, self.params.metrics)
            return self._metrics

    @property
    def partnerships_network(self) -> PartnershipNetwork:
        """The partnerships-layer network the indicators are computed on."""
        if self.params.layer == "partnerships":
            return self.network
        with self._lock:
            if self._partnerships is None:
                from inclusion_kg.graph.network.projection import build_network

                self._partnerships = build_network(
                    self.raw,
                    self.params.network_filter,
                    language=self.params.language,
                    aggregate_units=self.params.aggregate_units,
                )
            return self._partnerships

    @property
    def indicators(self) -> dict[str, CityIndicators]:
        """The study's indicators per city (computed once, on the partnerships layer).

        The cities are those of the city filter, else every city with an actor, a
        partnership or a council (as :func:`city_indicators` chooses).
        """
        from inclusion_kg.graph.network.indicators import city_indicators

        network = self.partnerships_network
        with self._lock:
            if self._indicators is None:
                self._indicators = city_indicators(network)
            return self._indicators

    def city(self, city: str) -> CityIndicators:
        """The indicators of one city (its IRI), also outside the default selection."""
        with self._lock:
            found = self._indicators.get(city) if self._indicators is not None else None
        if found is not None:
            return found
        from inclusion_kg.graph.network.indicators import city_indicators

        return city_indicators(self.partnerships_network, {city})[city]


class _Memo(Generic[K, V]):
    """A small thread-safe LRU map that computes each missing key once (single flight)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()
        self._pending: dict[K, threading.Lock] = {}
        self.hits = 0
        self.misses = 0

    def get(self, key: K, compute: Callable[[], V], *, stale: Callable[[K], bool]) -> V:
        with self._lock:
            if key in self._data:
                self.hits += 1
                self._data.move_to_end(key)
                return self._data[key]
            gate = self._pending.setdefault(key, threading.Lock())
        with gate:
            with self._lock:
                if key in self._data:  # computed by the thread we waited for
                    self.hits += 1
                    return self._data[key]
                self.misses += 1
            try:
                value = compute()
                with self._lock:
                    for old in [k for k in self._data if stale(k)]:
                        del self._data[old]
                    self._data[key] = value
                    while len(self._data) > self.size:
                        self._data.popitem(last=False)
            finally:
                with self._lock:
                    self._pending.pop(key, None)
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)


class AnalyticsCache:
    """The last few store reads and analyses, per store version (module docstring).

    Args:
        max_analyses: analyses kept (each holds a network, its metrics and indicators).
        max_reads: store reads kept (one per label language).
    """

    def __init__(self, max_analyses: int = 4, max_reads: int = 2) -> None:
        self._reads: _Memo[tuple[Any, ...], RawData] = _Memo(max_reads)
        self._analyses: _Memo[tuple[Any, ...], Analysis] = _Memo(max_analyses)

    @property
    def stats(self) -> dict[str, int]:
        """Hits, misses and sizes (for tests and the operator)."""
        return {
            "read_hits": self._reads.hits,
            "read_misses": self._reads.misses,
            "analysis_hits": self._analyses.hits,
            "analysis_misses": self._analyses.misses,
            "reads": len(self._reads),
            "analyses": len(self._analyses),
        }

    def clear(self) -> None:
        """Forget everything."""
        self._reads.clear()
        self._analyses.clear()

    @staticmethod
    def _stale(version: tuple[int, int]) -> Callable[[tuple[Any, ...]], bool]:
        def stale(key: tuple[Any, ...]) -> bool:
            old = key[0]
            return bool(old[0] == version[0] and old[1] != version[1])

        return stale

    def raw(self, store: SelectRunner, language: str = "en") -> RawData:
        """Return what :func:`fetch` reads, from the cache while the store is unchanged.

        Raises:
            InputError, QueryTimeout, BackendUnavailable: as :func:`fetch` raises them.
        """
        from inclusion_kg.graph.network.projection import fetch

        version = store_version(store)
        if version is None:
            return fetch(store, language)
        return self._reads.get(
            (version, language), lambda: fetch(store, language), stale=self._stale(version)
        )

    def analysis(self, store: SelectRunner, params: AnalysisParams) -> Analysis:
        """Return the analysis for ``params``, from the cache while the store is unchanged.

        Raises:
            InputError: as :func:`build_network` raises it (unknown layer or actor type).
        """
        version = store_version(store)
        if version is None:
            return Analysis(self.raw(store, params.language), params)
        key = (version, params, params.reference())
        return self._analyses.get(
            key,
            lambda: Analysis(self.raw(store, params.language), params),
            stale=self._stale(version),
        )
