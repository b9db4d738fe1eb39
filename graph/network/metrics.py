r"""Network metrics of the partnership network, with a faster backend where networkx is slow.

Every function takes the ``networkx`` graph of a projected network (edge ``weight`` =
strength, ``distance`` = 1 / strength) and returns its values together with a
:class:`Method` that says which backend computed them and whether the result is exact.
:func:`compute_metrics` runs them all.

Backends. networkx is the reference; on large graphs the same quantity comes from a
compiled library (choice measured on synthetic networks of average degree 6, see
docs/analytics.md and bench/analytics.py):

===========================  ==========================  ===================================
metric                       below ``fast_threshold``    at or above it
===========================  ==========================  ===================================
weighted degree, PageRank    networkx                    networkx (scipy inside)
eigenvector                  networkx (ARPACK), largest  same
                             component
betweenness                  networkx exact (n <= 300),  networkit ``EstimateBetweenness``
                             igraph exact (n <= 2,000)   (k sampled sources) above 2,000
Louvain communities          networkx (seeded)           igraph ``community_multilevel``
k-core                       networkx                    igraph ``coreness``
bridges, articulation points networkx                    igraph
constraint, effective size   scipy sparse (networkx's    same
                             per-node path when forced)
type assortativity           networkx                    numpy mixing matrix
===========================  ==========================  ===================================

Formulas (networkx conventions, so values agree across backends):

- strength :math:`s_i = \sum_j w_{ij}`;
- betweenness :math:`b_i = \frac{2}{(n-1)(n-2)} \sum_{s<t,\, s,t \ne i}
  \sigma_{st}(i) / \sigma_{st}` over shortest paths by distance :math:`1/w`
  (brokers; Freeman 1977, Brandes 2001); the sampled estimate uses :math:`k` random
  sources and scales by :math:`n/k` (Geisberger, Sanders & Schultes 2008);
- constraint :math:`c_i = \sum_{j \in N(i)} (p_{ij} + \sum_{q} p_{iq} p_{qj})^2` and
  effective size :math:`e_i = \sum_{j \in N(i)} (1 - \sum_q p_{iq} m_{jq})`, with
  :math:`p_{ij} = w_{ij} / \sum_k w_{ik}` and :math:`m_{jq} = w_{jq} / \max_k w_{jk}`
  (Burt 1992);
- cross-sector tie share :math:`X = |\{(i,j): \mathrm{sector}_i \ne \mathrm{sector}_j\}| / |E_s|`
  over ties :math:`E_s` whose two ends have a known sector, its strength-weighted version,
  and Krackhardt & Stern's E-I index :math:`(E - I)/(E + I)` (Hirschi 2010 reads
  horizontal, cross-sector ties the same way);
- assortativity by actor type: Newman's (2003) :math:`r = (\sum_i e_{ii} - \sum_i a_i b_i)
  / (1 - \sum_i a_i b_i)` over the type-mixing matrix :math:`e`;
- density of a city: :math:`2 m_c / (n_c (n_c - 1))` over the actors based in it and
  the ties among them.

References:
    Brandes, U. (2001). A faster algorithm for betweenness centrality. J. Math. Sociol. 25(2).
    Burt, R. S. (1992). Structural Holes. Harvard University Press.
    Blondel, V. D., et al. (2008). Fast unfolding of communities in large networks. J. Stat.
    Mech. P10008.
    Geisberger, R., Sanders, P., & Schultes, D. (2008). Better approximation of betweenness
    centrality. ALENEX.
    Krackhardt, D., & Stern, R. N. (1988). Informal networks and organizational crises.
    Social Psychology Quarterly 51(2).
    Newman, M. E. J. (2003). Mixing patterns in networks. Phys. Rev. E 67, 026126.
"""

from __future__ import annotations

import itertools
import math
import os
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import networkx as nx
import numpy as np
import scipy.sparse as sp

from inclusion_kg.graph.errors import InputError

if TYPE_CHECKING:
    import igraph

__all__ = [
    "Backend",
    "CityDensity",
    "CrossSectorShare",
    "Method",
    "MetricsConfig",
    "MetricsResult",
    "betweenness",
    "bridges_and_articulation_points",
    "communities",
    "compute_metrics",
    "core_numbers",
    "cross_sector_share",
    "density_by_city",
    "eigenvector",
    "pagerank",
    "structural_holes",
    "type_assortativity",
    "weighted_degree",
]

Backend = Literal["auto", "networkx", "fast"]
T = TypeVar("T")


@dataclass(frozen=True)
class MetricsConfig:
    """How metrics are computed, and when to leave networkx for a faster backend.

    Attributes:
        backend: ``auto`` (by graph size), ``networkx`` (always the reference) or ``fast``
            (always the compiled backends).
        fast_threshold: node count from which ``auto`` uses igraph / scipy.
        betweenness_networkx_max: largest graph whose betweenness networkx computes exactly.
        betweenness_exact_max: largest graph whose betweenness is exact (igraph above the
            networkx limit); above it networkit samples sources (:meth:`samples`).
        betweenness_samples: most sources sampled for the betweenness estimate.
        betweenness_work: sampled sources times ties the estimate may cost: it samples
            ``betweenness_work / ties`` sources, between ``betweenness_min_samples`` and
            ``betweenness_samples`` (256 at 10,000 actors, 66 at 100,000; see
            docs/analytics.md for the error measured at each).
        betweenness_min_samples: fewest sources sampled.
        seed: random seed (Louvain, betweenness sampling).
        pagerank_alpha: PageRank damping factor.
        resolution: Louvain resolution (1 = classic modularity).
    """

    backend: Backend = "auto"
    fast_threshold: int = 5_000
    betweenness_networkx_max: int = 300
    betweenness_exact_max: int = 2_000
    betweenness_samples: int = 256
    betweenness_work: int = 20_000_000
    betweenness_min_samples: int = 32
    seed: int = 42
    pagerank_alpha: float = 0.85
    resolution: float = 1.0

    def __post_init__(self) -> None:
        if self.backend not in ("auto", "networkx", "fast"):
            msg = f"unknown backend {self.backend!r}; use auto, networkx or fast"
            raise InputError(msg)
        if (
            self.betweenness_samples < 1
            or self.betweenness_min_samples < 1
            or self.betweenness_work < 1
            or self.fast_threshold < 0
        ):
            msg = (
                "betweenness_samples, betweenness_min_samples and betweenness_work must be "
                ">= 1 and fast_threshold >= 0"
            )
            raise InputError(msg)

    def samples(self, n: int, m: int) -> int:
        """Sources the betweenness estimate samples on a graph of ``n`` actors, ``m`` ties."""
        budget = self.betweenness_work // max(m, 1)
        wanted = min(self.betweenness_samples, max(self.betweenness_min_samples, budget))
        return max(1, min(wanted, n))

    def fast(self, n: int) -> bool:
        """Whether to use the compiled backends for a graph of ``n`` nodes."""
        if self.backend == "auto":
            return n >= self.fast_threshold
        return self.backend == "fast"


@dataclass(frozen=True)
class Method:
    """Which backend computed a metric, how, and whether it is exact.

    Attributes:
        backend: ``networkx``, ``igraph``, ``networkit``, ``scipy`` or ``python``.
        algorithm: the function or algorithm used.
        exact: False for sampled estimates.
        note: anything the reader should know (samples, component used, convergence).
        seconds: wall-clock time.
    """

    backend: str
    algorithm: str
    exact: bool = True
    note: str = ""
    seconds: float = 0.0


@dataclass(frozen=True)
class CrossSectorShare:
    """Ties across sectors (horizontal, cross-sector ties in Hirschi's sense).

    Attributes:
        ties: ties whose two ends have a known sector.
        cross: those joining two different sectors.
        share: ``cross / ties`` (None without ties).
        weighted_share: strength of cross ties over strength of all (None without ties).
        ei_index: ``(cross - same) / ties``, from -1 (all within) to 1 (all across).
        by_sector_pair: tie counts per unordered pair of sector labels.
    """

    ties: int
    cross: int
    share: float | None
    weighted_share: float | None
    ei_index: float | None
    by_sector_pair: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class CityDensity:
    """The ties among the actors based in one city.

    Attributes:
        city: the city IRI.
        label: its label.
        actors: actors based in it (:math:`n_c`).
        ties: ties among them (:math:`m_c`).
        density: :math:`2 m_c / (n_c (n_c - 1))` (None below two actors).
        mean_strength: mean weight of those ties (None without ties).
    """

    city: str
    label: str
    actors: int
    ties: int
    density: float | None
    mean_strength: float | None


@dataclass
class MetricsResult:
    """All metrics of one network.

    Attributes:
        nodes: actor IRI -> metric name -> value (``strength``, ``degree``, ``pagerank``,
            ``eigenvector``, ``betweenness``, ``community``, ``core``, ``constraint``,
            ``effective_size``, ``articulation_point``).
        communities: the Louvain communities, largest first.
        modularity: their modularity.
        bridges: edges whose removal disconnects their component.
        articulation_points: nodes whose removal disconnects their component.
        cross_sector: the cross-sector tie share.
        assortativity: assortativity by actor type (None when undefined).
        density_by_city: per-city density.
        summary: nodes, edges, density, components, largest component.
        methods: metric name -> :class:`Method`.
    """

    nodes: dict[str, dict[str, Any]]
    communities: list[list[str]]
    modularity: float | None
    bridges: list[tuple[str, str]]
    articulation_points: list[str]
    cross_sector: CrossSectorShare
    assortativity: float | None
    density_by_city: dict[str, CityDensity]
    summary: dict[str, Any]
    methods: dict[str, Method]

    def top(self, metric: str, k: int = 10) -> list[tuple[str, Any]]:
        """Return the ``k`` actors with the highest value of a node metric."""
        values = [(n, m[metric]) for n, m in self.nodes.items() if m.get(metric) is not None]
        return sorted(values, key=lambda item: (-float(item[1]), item[0]))[:k]

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "summary": self.summary,
            "nodes": self.nodes,
            "communities": self.communities,
            "modularity": self.modularity,
            "bridges": [list(edge) for edge in self.bridges],
            "articulation_points": self.articulation_points,
            "cross_sector": asdict(self.cross_sector),
            "assortativity": self.assortativity,
            "density_by_city": {k: asdict(v) for k, v in self.density_by_city.items()},
            "methods": {k: asdict(v) for k, v in self.methods.items()},
        }


# --------------------------------------------------------------------------------------
# conversions
# --------------------------------------------------------------------------------------


class _Indexed:
    """A graph's nodes and edges as arrays, built once and shared by the fast backends.

    Also caches what several metrics need: the sparse adjacency matrix, the connected
    components and the igraph and networkit copies of the graph.
    """

    def __init__(self, graph: nx.Graph[str]) -> None:
        self.nodes: list[str] = list(graph.nodes)
        self.index = {node: i for i, node in enumerate(self.nodes)}
        index = self.index
        source: list[int] = []
        target: list[int] = []
        weight: list[float] = []
        distance: list[float] = []
        for u, v, d in graph.edges(data=True):
            if u == v:
                continue
            source.append(index[u])
            target.append(index[v])
            w = float(d.get("weight", 1.0))
            weight.append(w)
            dist = d.get("distance")
            distance.append(float(dist) if dist is not None else 1.0 / max(w, 1e-9))
        self.source = np.asarray(source, dtype=np.int64)
        self.target = np.asarray(target, dtype=np.int64)
        self.weight = np.asarray(weight, dtype=float)
        self.distance = np.asarray(distance, dtype=float)
        self._igraph: igraph.Graph | None = None
        self._adjacency: sp.csr_array | None = None
        self._components: tuple[int, np.ndarray[Any, np.dtype[np.int32]]] | None = None

    @property
    def n(self) -> int:
        return len(self.nodes)

    def igraph(self) -> igraph.Graph:
        if self._igraph is None:
            import igraph as ig

            pairs = zip(self.source.tolist(), self.target.tolist(), strict=True)
            g = ig.Graph(n=self.n, edges=list(pairs))
            g.es["weight"] = self.weight
            g.es["distance"] = self.distance
            self._igraph = g
        return self._igraph

    def networkit(self) -> Any:
        """The graph in networkit, weighted by distance (for shortest paths)."""
        import networkit as nk

        return nk.GraphFromCoo(
            (self.distance, (self.source, self.target)), n=self.n, weighted=True, directed=False
        )

    def adjacency(self) -> sp.csr_array:
        if self._adjacency is None:
            n = self.n
            rows = np.concatenate([self.source, self.target])
            cols = np.concatenate([self.target, self.source])
            data = np.concatenate([self.weight, self.weight])
            self._adjacency = sp.csr_array((data, (rows, cols)), shape=(n, n))
        return self._adjacency

    def components(self) -> tuple[int, np.ndarray[Any, np.dtype[np.int32]]]:
        """The number of connected components and each node's component label.

        Labels follow the node order (component 0 holds node 0), as networkx's
        ``connected_components`` yields them.
        """
        if self._components is None:
            from scipy.sparse.csgraph import connected_components

            count, labels = connected_components(self.adjacency(), directed=False)
            self._components = (int(count), labels)
        return self._components

    def degree(self) -> np.ndarray[Any, np.dtype[np.int64]]:
        counts: np.ndarray[Any, np.dtype[np.int64]] = np.bincount(
            self.source, minlength=self.n
        ) + np.bincount(self.target, minlength=self.n)
        return counts

    def strength(self) -> np.ndarray[Any, np.dtype[np.float64]]:
        totals = np.bincount(self.source, weights=self.weight, minlength=self.n) + np.bincount(
            self.target, weights=self.weight, minlength=self.n
        )
        return totals.astype(float)

    def codes(
        self, graph: nx.Graph[str], attribute: str
    ) -> tuple[np.ndarray[Any, np.dtype[np.int64]], list[str]]:
        """Each node's value of a node attribute as a code (-1: none), and the sorted values."""
        values = [graph.nodes[node].get(attribute) for node in self.nodes]
        categories = sorted({str(v) for v in values if v is not None})
        lookup = {c: i for i, c in enumerate(categories)}
        codes = np.asarray([-1 if v is None else lookup[str(v)] for v in values], dtype=np.int64)
        return codes, categories

    def values(self, array: Any) -> dict[str, Any]:
        return dict(zip(self.nodes, (float(x) for x in array), strict=True))


def _cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def _timed(func: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = func()
    return result, time.perf_counter() - start


def _finish(method: Method, seconds: float) -> Method:
    return Method(method.backend, method.algorithm, method.exact, method.note, round(seconds, 4))


# --------------------------------------------------------------------------------------
# centralities
# --------------------------------------------------------------------------------------


def weighted_degree(
    graph: nx.Graph[str], config: MetricsConfig | None = None, *, indexed: _Indexed | None = None
) -> tuple[dict[str, float], Method]:
    r"""Return each actor's strength :math:`s_i = \sum_j w_{ij}` (weighted degree).

    >>> g = nx.Graph([("a", "b", {"weight": 0.5}), ("a", "c", {"weight": 0.25})])
    >>> weighted_degree(g)[0]
    {'a': 0.75, 'b': 0.5, 'c': 0.25}
    """
    cfg = config or MetricsConfig()
    if not cfg.fast(graph.number_of_nodes()):
        values, seconds = _timed(lambda: {n: float(d) for n, d in graph.degree(weight="weight")})
        return values, _finish(Method("networkx", "degree(weight='weight')"), seconds)
    arrays = indexed or _Indexed(graph)
    values, seconds = _timed(lambda: arrays.values(arrays.strength()))
    return values, _finish(Method("numpy", "bincount of edge weights"), seconds)


def _pagerank_arrays(arrays: _Indexed, alpha: float, tol: float, max_iter: int) -> dict[str, float]:
    """Run networkx's ``_pagerank_scipy`` (uniform teleport, even dangling mass) on arrays."""
    n = arrays.n
    adjacency = arrays.adjacency()
    out = np.asarray(adjacency.sum(axis=1)).ravel()
    inverse = np.zeros(n)
    nonzero = out != 0
    inverse[nonzero] = 1.0 / out[nonzero]
    transition = (sp.diags_array(inverse) @ adjacency).tocsr()
    x = np.repeat(1.0 / n, n)
    teleport = np.repeat(1.0 / n, n)
    dangling = np.flatnonzero(out == 0)
    for _ in range(max_iter):
        last = x
        x = alpha * (x @ transition + x[dangling].sum() * teleport) + (1 - alpha) * teleport
        if np.absolute(x - last).sum() < n * tol:
            return arrays.values(x)
    raise nx.PowerIterationFailedConvergence(max_iter)


def pagerank(
    graph: nx.Graph[str], config: MetricsConfig | None = None, *, indexed: _Indexed | None = None
) -> tuple[dict[str, float], Method]:
    r"""Return weighted PageRank (damping ``config.pagerank_alpha``), summing to 1.

    On the path a-b-c with :math:`\alpha = 0.85`: :math:`x_a = 0.05 + 0.425 x_b` and
    :math:`x_b = 0.05 + 0.85 (x_a + x_c)`, so :math:`x_b = 0.135 / 0.2775 = 0.4865`.
    Above ``fast_threshold`` the same power iteration runs on a scipy matrix built from
    the shared arrays (networkx spends most of its time converting the graph).

    >>> values, _ = pagerank(nx.path_graph(["a", "b", "c"]))
    >>> round(values["b"], 4)
    0.4865
    """
    cfg = config or MetricsConfig()
    n = graph.number_of_nodes()
    if n == 0:
        return {}, Method("networkx", "pagerank")
    if not cfg.fast(n):
        values, seconds = _timed(
            lambda: nx.pagerank(
                graph, alpha=cfg.pagerank_alpha, weight="weight", tol=1e-9, max_iter=1000
            )
        )
        return dict(values), _finish(
            Method("networkx", "pagerank (scipy power iteration)"), seconds
        )
    arrays = indexed or _Indexed(graph)
    values, seconds = _timed(lambda: _pagerank_arrays(arrays, cfg.pagerank_alpha, 1e-9, 1000))
    return values, _finish(Method("scipy", "pagerank power iteration (as networkx)"), seconds)


def eigenvector(
    graph: nx.Graph[str], config: MetricsConfig | None = None, *, indexed: _Indexed | None = None
) -> tuple[dict[str, float] | None, Method]:
    """Return weighted eigenvector centrality on the largest connected component.

    Eigenvector centrality is only well defined on a connected graph, so it is computed on
    the largest component (unit Euclidean norm, as networkx) and other actors get 0. Returns
    None, with the reason in the method note, when ARPACK does not converge. Above
    ``fast_threshold`` ARPACK runs on the component's symmetric matrix (``eigsh``, started
    from the all-ones vector so runs repeat exactly) instead of through networkx.
    """
    cfg = config or MetricsConfig()
    start = time.perf_counter()
    n = graph.number_of_nodes()
    if n == 0:
        return {}, Method("networkx", "eigenvector_centrality_numpy")
    if not cfg.fast(n):
        largest = max(nx.connected_components(graph), key=len)
        members: list[str] = list(largest)
    else:
        arrays = indexed or _Indexed(graph)
        _, labels = arrays.components()
        biggest = int(np.argmax(np.bincount(labels)))
        positions = np.flatnonzero(labels == biggest)
        members = [arrays.nodes[i] for i in positions]
    note = f"largest component ({len(members)} of {n} actors); others 0"
    values = dict.fromkeys(graph.nodes, 0.0)
    if len(members) == 1:
        values[members[0]] = 1.0
    elif len(members) == 2:
        for node in members:
            values[node] = 1 / math.sqrt(2)
    elif not cfg.fast(n):
        try:
            found = nx.eigenvector_centrality_numpy(graph.subgraph(members), weight="weight")
        except (nx.NetworkXException, ArithmeticError) as error:
            seconds = time.perf_counter() - start
            return None, _finish(
                Method("networkx", "eigenvector_centrality_numpy", note=f"no convergence: {error}"),
                seconds,
            )
        values.update(found)
    else:
        from scipy.sparse.linalg import ArpackNoConvergence, eigsh

        sub = arrays.adjacency()[positions][:, positions]
        try:
            # tol 1e-10: 4x fewer Lanczos steps than machine precision at 100,000 actors,
            # and the vector agrees with it to 1e-13
            _, vectors = eigsh(sub, k=1, which="LA", v0=np.ones(len(positions)), tol=1e-10)
        except ArpackNoConvergence as error:
            seconds = time.perf_counter() - start
            return None, _finish(
                Method("scipy", "eigsh (ARPACK)", note=f"no convergence: {error}"), seconds
            )
        largest_vector = vectors[:, 0].real
        norm = np.sign(largest_vector.sum()) * np.linalg.norm(largest_vector)
        values.update(zip(members, (float(x) for x in largest_vector / norm), strict=True))
        seconds = time.perf_counter() - start
        return values, _finish(Method("scipy", "eigsh (ARPACK), symmetric", note=note), seconds)
    seconds = time.perf_counter() - start
    return values, _finish(
        Method("networkx", "eigenvector_centrality_numpy (ARPACK)", note=note), seconds
    )


def betweenness(
    graph: nx.Graph[str], config: MetricsConfig | None = None, *, indexed: _Indexed | None = None
) -> tuple[dict[str, float], Method]:
    """Return normalised betweenness with distance :math:`1/w` (module docstring).

    Exact up to ``config.betweenness_exact_max`` actors (networkx, then igraph); above it a
    networkit estimate from :meth:`MetricsConfig.samples` sampled sources, flagged
    ``exact=False``.

    >>> g = nx.path_graph(["a", "b", "c"])
    >>> nx.set_edge_attributes(g, 1.0, "distance")
    >>> betweenness(g)[0]
    {'a': 0.0, 'b': 1.0, 'c': 0.0}
    """
    cfg = config or MetricsConfig()
    n = graph.number_of_nodes()
    scale = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 1.0
    use_networkx = cfg.backend == "networkx" or (
        cfg.backend == "auto" and n <= cfg.betweenness_networkx_max
    )
    if use_networkx or n <= 2:
        values, seconds = _timed(
            lambda: nx.betweenness_centrality(graph, weight="distance", normalized=True)
        )
        return dict(values), _finish(
            Method("networkx", "betweenness_centrality (Brandes)"), seconds
        )
    arrays = indexed or _Indexed(graph)
    if n <= cfg.betweenness_exact_max:
        raw, seconds = _timed(lambda: arrays.igraph().betweenness(weights="distance"))
        return (
            {node: float(v) * scale for node, v in zip(arrays.nodes, raw, strict=True)},
            _finish(Method("igraph", "betweenness (Brandes)"), seconds),
        )
    import networkit as nk

    samples = cfg.samples(n, len(arrays.source))

    def run() -> np.ndarray[Any, np.dtype[np.float64]]:
        # networkit may start with one thread; the sources are shared out over every CPU
        # this process may use (the scores do not depend on it: the sources are drawn first)
        nk.setNumberOfThreads(_cpus())
        nk.engineering.setSeed(cfg.seed, False)
        algorithm = nk.centrality.EstimateBetweenness(arrays.networkit(), samples, False, True)
        algorithm.run()
        return np.asarray(algorithm.scores(), dtype=float)

    raw_scores, seconds = _timed(run)
    # networkit counts ordered pairs: halve to networkx's unordered convention
    return (
        arrays.values(raw_scores / 2.0 * scale),
        _finish(
            Method(
                "networkit",
                "EstimateBetweenness",
                exact=False,
                note=f"{samples} sampled sources (n={n} > {cfg.betweenness_exact_max})",
            ),
            seconds,
        ),
    )


# --------------------------------------------------------------------------------------
# cohesion
# --------------------------------------------------------------------------------------


def communities(
    graph: nx.Graph[str], config: MetricsConfig | None = None, *, indexed: _Indexed | None = None
) -> tuple[list[list[str]], float | None, Method]:
    """Return Louvain communities (largest first, members sorted) and their modularity.

    Seeded (``config.seed``), weighted by strength, resolution ``config.resolution``.
    """
    cfg = config or MetricsConfig()
    if graph.number_of_edges() == 0:
        found = [[n] for n in sorted(graph.nodes)]
        return found, None, Method("networkx", "louvain_communities", note="no ties")
    if not cfg.fast(graph.number_of_nodes()):

        def run_nx() -> tuple[list[set[str]], float]:
            parts = nx.community.louvain_communities(
                graph, weight="weight", resolution=cfg.resolution, seed=cfg.seed
            )
            return parts, nx.community.modularity(
                graph, parts, weight="weight", resolution=cfg.resolution
            )

        (parts, modularity), seconds = _timed(run_nx)
        method = Method("networkx", "louvain_communities", note=f"seed {cfg.seed}")
    else:
        import igraph as ig

        arrays = indexed or _Indexed(graph)

        def run_ig() -> tuple[list[set[str]], float]:
            g = arrays.igraph()
            ig.set_random_number_generator(random.Random(cfg.seed))  # noqa: S311 - not crypto
            try:
                clustering = g.community_multilevel(weights="weight", resolution=cfg.resolution)
            finally:
                ig.set_random_number_generator(random)
            groups: dict[int, set[str]] = defaultdict(set)
            for node, label in zip(arrays.nodes, clustering.membership, strict=True):
                groups[label].add(node)
            modularity = g.modularity(
                clustering.membership, weights="weight", resolution=cfg.resolution
            )
            return list(groups.values()), float(modularity)

        (parts, modularity), seconds = _timed(run_ig)
        method = Method("igraph", "community_multilevel (Louvain)", note=f"seed {cfg.seed}")
    ordered = sorted((sorted(p) for p in parts), key=lambda p: (-len(p), p[0]))
    return ordered, float(modularity), _finish(method, seconds)


def core_numbers(
    graph: nx.Graph[str], config: MetricsConfig | None = None, *, indexed: _Indexed | None = None
) -> tuple[dict[str, int], Method]:
    """Return each actor's core number (the largest k of a k-core that holds it; unweighted).

    >>> core_numbers(nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("c", "d")]))[0]
    {'a': 2, 'b': 2, 'c': 2, 'd': 1}
    """
    cfg = config or MetricsConfig()
    if not cfg.fast(graph.number_of_nodes()):
        values, seconds = _timed(lambda: nx.core_number(graph))
        return dict(values), _finish(Method("networkx", "core_number"), seconds)
    arrays = indexed or _Indexed(graph)
    raw, seconds = _timed(lambda: arrays.igraph().coreness())
    return (
        {node: int(v) for node, v in zip(arrays.nodes, raw, strict=True)},
        _finish(Method("igraph", "coreness"), seconds),
    )


def bridges_and_articulation_points(
    graph: nx.Graph[str], config: MetricsConfig | None = None, *, indexed: _Indexed | None = None
) -> tuple[list[tuple[str, str]], list[str], Method]:
    """Return the bridges (as sorted pairs) and articulation points, both sorted.

    These are the single points of failure: removing a bridge or an articulation point
    splits a component (Granovetter's bridges; Lewis 2005 on dependence on single actors).

    >>> bridges_and_articulation_points(nx.path_graph(["a", "b", "c"]))[:2]
    ([('a', 'b'), ('b', 'c')], ['b'])
    """
    cfg = config or MetricsConfig()
    if not cfg.fast(graph.number_of_nodes()):

        def run_nx() -> tuple[list[tuple[str, str]], list[str]]:
            found = [(min(edge), max(edge)) for edge in nx.bridges(graph)]
            return sorted(found), sorted(nx.articulation_points(graph))

        (found, points), seconds = _timed(run_nx)
        return found, points, _finish(Method("networkx", "bridges, articulation_points"), seconds)
    arrays = indexed or _Indexed(graph)

    def run_ig() -> tuple[list[tuple[str, str]], list[str]]:
        g = arrays.igraph()
        names = arrays.nodes
        ends = np.asarray(g.bridges(), dtype=np.int64)
        pairs = zip(arrays.source[ends].tolist(), arrays.target[ends].tolist(), strict=True)
        found = sorted((min(names[u], names[v]), max(names[u], names[v])) for u, v in pairs)
        return found, sorted(names[i] for i in g.articulation_points())

    (found, points), seconds = _timed(run_ig)
    return found, points, _finish(Method("igraph", "bridges, articulation_points"), seconds)


def structural_holes(
    graph: nx.Graph[str], config: MetricsConfig | None = None, *, indexed: _Indexed | None = None
) -> tuple[dict[str, float | None], dict[str, float | None], Method]:
    """Return Burt's constraint and effective size (weighted; None for isolates).

    Low constraint and high effective size mark an actor spanning structural holes
    (Burt 1992): its partners are not partners of each other. Bruggeman (2012) finds
    betweenness the better brokerage measure; report both.

    Computed with scipy sparse matrices at every size (networkx only when forced with
    ``backend="networkx"``): networkx's correct per-node effective size took 60 s at
    1,000 actors of a power-law network, and its vectorised path is wrong on weighted
    graphs (networkx#8906). Tests check that both give networkx's per-node values.

    >>> star = nx.star_graph(["hub", "a", "b"])
    >>> nx.set_edge_attributes(star, 1.0, "weight")
    >>> constraint, size, _ = structural_holes(star)
    >>> constraint["hub"], size["hub"], constraint["a"]
    (0.5, 2.0, 1.0)
    """
    cfg = config or MetricsConfig()
    if graph.number_of_edges() == 0:
        none: dict[str, float | None] = dict.fromkeys(graph.nodes)
        return none, dict(none), Method("python", "constraint, effective_size", note="no ties")
    if cfg.backend == "networkx":

        def run_nx() -> tuple[dict[str, float | None], dict[str, float | None]]:
            isolates = set(nx.isolates(graph))
            con = nx.constraint(graph, weight="weight")
            # nodes= forces networkx's per-node path: its vectorised path normalises m by
            # the wrong axis for weighted graphs (networkx/networkx#8906, open in 2026)
            size = nx.effective_size(graph, nodes=list(graph), weight="weight")
            return (
                {n: None if n in isolates else float(v) for n, v in con.items()},
                {n: None if n in isolates else float(v) for n, v in size.items()},
            )

        (con, size), seconds = _timed(run_nx)
        return con, size, _finish(Method("networkx", "constraint, effective_size"), seconds)
    arrays = indexed or _Indexed(graph)

    def run_triangles() -> tuple[dict[str, float | None], dict[str, float | None]]:
        constraint_values, size_values, degree = _burt(arrays)
        isolated = (degree == 0).tolist()
        names = arrays.nodes
        con_list, size_list = constraint_values.tolist(), size_values.tolist()
        return (
            {n: None if isolated[i] else con_list[i] for i, n in enumerate(names)},
            {n: None if isolated[i] else size_list[i] for i, n in enumerate(names)},
        )

    (con, size), seconds = _timed(run_triangles)
    return con, size, _finish(Method("numpy", _BURT_ALGORITHM), seconds)


_BURT_ALGORITHM = "constraint, effective size (Burt) over igraph's triangle list"


def _burt(
    arrays: _Indexed,
) -> tuple[
    np.ndarray[Any, np.dtype[np.float64]],
    np.ndarray[Any, np.dtype[np.float64]],
    np.ndarray[Any, np.dtype[np.int64]],
]:
    r"""Return constraint, effective size and degree of every node (arrays).

    The indirect terms :math:`\sum_q p_{iq} p_{qj}` and :math:`\sum_q p_{iq} m_{jq}` are
    only needed for ties (i, j), and q is then a common partner: a triangle i-j-q. So
    they are summed over igraph's triangle list, six ordered (i, j, q) per triangle,
    rather than through the matrix product :math:`P P`, whose size grows with the
    square of the hubs' degrees (43 s at 100,000 actors, against well under a second).
    """
    n = arrays.n
    source, target, weight = arrays.source, arrays.target, arrays.weight
    degree = arrays.degree()
    strength = arrays.strength()
    top = np.zeros(n)
    np.maximum.at(top, source, weight)
    np.maximum.at(top, target, weight)
    with np.errstate(divide="ignore"):
        inverse_strength = np.where(strength > 0, 1.0 / strength, 0.0)
        inverse_top = np.where(top > 0, 1.0 / top, 0.0)
    # ordered ties i -> j, and lookups of a tie's weight and of an ordered tie's position
    first = np.concatenate([source, target])
    second = np.concatenate([target, source])
    both = np.concatenate([weight, weight])
    ordered_keys = first * n + second
    ordered_sort = np.argsort(ordered_keys)
    ordered_sorted = ordered_keys[ordered_sort]
    pair_keys = np.minimum(source, target) * n + np.maximum(source, target)
    pair_sort = np.argsort(pair_keys)
    pair_sorted = pair_keys[pair_sort]
    pair_weight = weight[pair_sort]

    def tie_weight(
        a: np.ndarray[Any, np.dtype[np.int64]], b: np.ndarray[Any, np.dtype[np.int64]]
    ) -> np.ndarray[Any, np.dtype[np.float64]]:
        found: np.ndarray[Any, np.dtype[np.float64]] = pair_weight[
            np.searchsorted(pair_sorted, np.minimum(a, b) * n + np.maximum(a, b))
        ]
        return found

    indirect = np.zeros(len(first))
    redundancy = np.zeros(n)
    triangles = np.asarray(arrays.igraph().list_triangles(), dtype=np.int64).reshape(-1, 3)
    if len(triangles):
        for x, y, z in itertools.permutations(range(3)):
            i, j, q = triangles[:, x], triangles[:, y], triangles[:, z]
            w_iq = tie_weight(i, q)
            w_qj = tie_weight(q, j)
            p_iq = w_iq * inverse_strength[i]
            p_qj = w_qj * inverse_strength[q]
            m_jq = w_qj * inverse_top[j]
            position = ordered_sort[np.searchsorted(ordered_sorted, i * n + j)]
            indirect += np.bincount(position, weights=p_iq * p_qj, minlength=len(first))
            redundancy += np.bincount(i, weights=p_iq * m_jq, minlength=n)
    local = both * inverse_strength[first] + indirect
    constraint = np.bincount(first, weights=local * local, minlength=n).astype(float)
    size = degree - redundancy
    return constraint, size, degree


# --------------------------------------------------------------------------------------
# mixing
# --------------------------------------------------------------------------------------


def _pair_counts(
    first: np.ndarray[Any, np.dtype[np.int64]],
    second: np.ndarray[Any, np.dtype[np.int64]],
    categories: list[str],
) -> dict[str, int]:
    """Count unordered pairs of category codes; keys ``"a|b"`` with a <= b as strings."""
    low = np.minimum(first, second)
    high = np.maximum(first, second)
    width = len(categories)
    keys, counts = np.unique(low * width + high, return_counts=True)
    found = {
        f"{categories[int(k) // width]}|{categories[int(k) % width]}": int(c)
        for k, c in zip(keys, counts, strict=True)
    }
    return dict(sorted(found.items()))


def cross_sector_share(
    graph: nx.Graph[str], config: MetricsConfig | None = None, *, indexed: _Indexed | None = None
) -> CrossSectorShare:
    """Return the share of ties that join two sectors (module docstring).

    Above ``fast_threshold`` the same counts come from numpy arrays of sector codes.

    >>> g = nx.Graph()
    >>> g.add_nodes_from([("m", {"sector": "public"}), ("n", {"sector": "civil-society"}),
    ...                   ("o", {"sector": "civil-society"})])
    >>> g.add_edges_from([("m", "n", {"weight": 0.75}), ("n", "o", {"weight": 0.25})])
    >>> x = cross_sector_share(g)
    >>> x.share, x.weighted_share, x.ei_index
    (0.5, 0.75, 0.0)
    """
    cfg = config or MetricsConfig()
    if cfg.fast(graph.number_of_nodes()):
        arrays = indexed or _Indexed(graph)
        sector, _ = arrays.codes(graph, "sector")
        # pairs are counted by sector label (the label, else the sector itself)
        names = [
            graph.nodes[node].get("sector_label", graph.nodes[node].get("sector"))
            for node in arrays.nodes
        ]
        label_categories = sorted({str(x) for x in names if x is not None})
        lookup = {c: i for i, c in enumerate(label_categories)}
        label = np.asarray([-1 if x is None else lookup[str(x)] for x in names], dtype=np.int64)
        su, sv = sector[arrays.source], sector[arrays.target]
        known = (su >= 0) & (sv >= 0)
        ties = int(known.sum())
        if ties == 0:
            return CrossSectorShare(0, 0, None, None, None, {})
        across = known & (su != sv)
        cross = int(across.sum())
        weight_all = float(arrays.weight[known].sum())
        weight_cross = float(arrays.weight[across].sum())
        pairs = _pair_counts(
            label[arrays.source][known], label[arrays.target][known], label_categories
        )
        return CrossSectorShare(
            ties=ties,
            cross=cross,
            share=cross / ties,
            weighted_share=weight_cross / weight_all if weight_all > 0 else None,
            ei_index=(cross - (ties - cross)) / ties,
            by_sector_pair=pairs,
        )
    sectors = nx.get_node_attributes(graph, "sector")
    labels = nx.get_node_attributes(graph, "sector_label")
    ties = cross = 0
    weight_all = weight_cross = 0.0
    counted: Counter[str] = Counter()
    for u, v, data in graph.edges(data=True):
        su_, sv_ = sectors.get(u), sectors.get(v)
        if su_ is None or sv_ is None:
            continue
        ties += 1
        weight = float(data.get("weight", 1.0))
        weight_all += weight
        lu, lv = sorted((str(labels.get(u, su_)), str(labels.get(v, sv_))))
        counted[f"{lu}|{lv}"] += 1
        if su_ != sv_:
            cross += 1
            weight_cross += weight
    if ties == 0:
        return CrossSectorShare(0, 0, None, None, None, {})
    return CrossSectorShare(
        ties=ties,
        cross=cross,
        share=cross / ties,
        weighted_share=weight_cross / weight_all if weight_all > 0 else None,
        ei_index=(cross - (ties - cross)) / ties,
        by_sector_pair=dict(sorted(counted.items())),
    )


def type_assortativity(
    graph: nx.Graph[str],
    attribute: str = "actor_type",
    config: MetricsConfig | None = None,
    *,
    indexed: _Indexed | None = None,
) -> tuple[float | None, Method]:
    """Return Newman's attribute assortativity by actor type (None when undefined).

    Positive: actors partner with their own type (homophily, Wang et al. 2016); negative:
    with other types. Undefined (None) without ties or when every end has one type.

    >>> g = nx.Graph([("m1", "n1"), ("m2", "n2")])
    >>> nx.set_node_attributes(g, {"m1": "M", "m2": "M", "n1": "N", "n2": "N"}, "actor_type")
    >>> type_assortativity(g)[0]
    -1.0
    """
    cfg = config or MetricsConfig()
    start = time.perf_counter()
    if not cfg.fast(graph.number_of_nodes()):
        types = nx.get_node_attributes(graph, attribute)
        sub = graph.subgraph([n for n in graph if n in types])
        if sub.number_of_edges() == 0:
            return None, Method("python", "attribute assortativity", note="no ties")
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            value = nx.attribute_assortativity_coefficient(sub, attribute)
        method = Method("networkx", "attribute_assortativity_coefficient")
    else:
        arrays = indexed or _Indexed(graph)
        codes, categories = arrays.codes(graph, attribute)
        cu, cv = codes[arrays.source], codes[arrays.target]
        known = (cu >= 0) & (cv >= 0)
        if not known.any():
            return None, Method("python", "attribute assortativity", note="no ties")
        k = len(categories)
        mixing = np.zeros((k, k))
        np.add.at(mixing, (cu[known], cv[known]), 1)
        np.add.at(mixing, (cv[known], cu[known]), 1)
        mixing /= mixing.sum()
        expected = float((mixing.sum(axis=0) * mixing.sum(axis=1)).sum())
        value = (float(np.trace(mixing)) - expected) / (1 - expected) if expected < 1 else math.nan
        method = Method("numpy", "mixing-matrix assortativity (Newman 2003)")
    seconds = time.perf_counter() - start
    result = None if value is None or math.isnan(value) else float(value)
    return result, _finish(method, seconds)


def density_by_city(
    graph: nx.Graph[str], config: MetricsConfig | None = None, *, indexed: _Indexed | None = None
) -> dict[str, CityDensity]:
    """Return, per city, the density of ties among the actors based in it.

    >>> g = nx.Graph([("a", "b", {"weight": 0.5})])
    >>> g.add_node("c")
    >>> nx.set_node_attributes(g, "x", "city")
    >>> d = density_by_city(g)["x"]
    >>> d.actors, d.ties, round(d.density, 4), d.mean_strength
    (3, 1, 0.3333, 0.5)
    """
    cfg = config or MetricsConfig()
    labels: dict[str, str] = {}
    for _, data in graph.nodes(data=True):
        city = data.get("city")
        if city:
            labels[city] = str(data.get("city_label", city))
    if cfg.fast(graph.number_of_nodes()):
        arrays = indexed or _Indexed(graph)
        codes, categories = arrays.codes(graph, "city")
        k = len(categories)
        member_counts = np.bincount(codes[codes >= 0], minlength=k)
        cu, cv = codes[arrays.source], codes[arrays.target]
        inside = (cu >= 0) & (cu == cv)
        tie_counts = np.bincount(cu[inside], minlength=k)
        strength_sums = np.bincount(cu[inside], weights=arrays.weight[inside], minlength=k)
        members_of = dict(zip(categories, member_counts.tolist(), strict=True))
        ties_of = dict(zip(categories, tie_counts.tolist(), strict=True))
        strength_of = dict(zip(categories, strength_sums.tolist(), strict=True))
    else:
        members_of = Counter()
        for _, data in graph.nodes(data=True):
            city = data.get("city")
            if city:
                members_of[city] += 1
        ties_of = Counter()
        strength_of = defaultdict(float)
        cities = nx.get_node_attributes(graph, "city")
        for u, v, data in graph.edges(data=True):
            cu_ = cities.get(u)
            if cu_ and cu_ == cities.get(v):
                ties_of[cu_] += 1
                strength_of[cu_] += float(data.get("weight", 1.0))
    result = {}
    for city in sorted(labels):
        n, m = members_of[city], ties_of.get(city, 0)
        result[city] = CityDensity(
            city=city,
            label=labels[city],
            actors=n,
            ties=m,
            density=2 * m / (n * (n - 1)) if n > 1 else None,
            mean_strength=strength_of[city] / m if m else None,
        )
    return result


# --------------------------------------------------------------------------------------
# everything
# --------------------------------------------------------------------------------------


def _summary(
    graph: nx.Graph[str],
    strength: dict[str, float],
    cfg: MetricsConfig,
    arrays: _Indexed | None,
) -> dict[str, Any]:
    n, m = graph.number_of_nodes(), graph.number_of_edges()
    if arrays is not None and cfg.fast(n):
        count, labels = arrays.components()
        sizes = np.bincount(labels) if n else np.zeros(0, dtype=np.int64)
        components, largest, isolates = count, int(sizes.max(initial=0)), int((sizes == 1).sum())
    else:
        found = list(nx.connected_components(graph)) if n else []
        components = len(found)
        largest = max((len(c) for c in found), default=0)
        isolates = sum(1 for c in found if len(c) == 1)
    return {
        "nodes": n,
        "edges": m,
        "density": 2 * m / (n * (n - 1)) if n > 1 else None,
        "components": components,
        "largest_component": largest,
        "isolates": isolates,
        "total_strength": float(sum(strength.values()) / 2),
    }


def compute_metrics(graph: nx.Graph[str], config: MetricsConfig | None = None) -> MetricsResult:
    """Compute every metric of the module on one network; each says how it was computed.

    The graph is turned into arrays once (``methods["arrays"]`` times it) and every fast
    backend shares them.

    >>> g = nx.Graph([("a", "b", {"weight": 1.0, "distance": 1.0}),
    ...               ("b", "c", {"weight": 1.0, "distance": 1.0})])
    >>> result = compute_metrics(g)
    >>> result.articulation_points, result.nodes["b"]["betweenness"]
    (['b'], 1.0)
    >>> result.methods["betweenness"].backend
    'networkx'
    """
    cfg = config or MetricsConfig()
    methods: dict[str, Method] = {}
    n = graph.number_of_nodes()
    nodes: dict[str, dict[str, Any]] = {node: {} for node in graph.nodes}
    needs_arrays = cfg.fast(n) or (
        cfg.backend == "auto" and n > cfg.betweenness_networkx_max and n > 2
    )
    arrays: _Indexed | None = None
    if needs_arrays:
        arrays, seconds = _timed(lambda: _Indexed(graph))
        methods["arrays"] = _finish(
            Method("numpy", "graph to arrays (shared by igraph, networkit, scipy)"), seconds
        )

    def put(metric: str, values: dict[str, Any] | None) -> None:
        if values is None:
            for node in nodes:
                nodes[node][metric] = None
            return
        get = values.get
        for node, row in nodes.items():
            row[metric] = get(node)

    strength, methods["strength"] = weighted_degree(graph, cfg, indexed=arrays)
    put("strength", strength)
    if arrays is not None and cfg.fast(n):
        put("degree", dict(zip(arrays.nodes, arrays.degree().tolist(), strict=True)))
    else:
        put("degree", dict(graph.degree()))
    ranks, methods["pagerank"] = pagerank(graph, cfg, indexed=arrays)
    put("pagerank", ranks)
    eigen, methods["eigenvector"] = eigenvector(graph, cfg, indexed=arrays)
    put("eigenvector", eigen)
    between, methods["betweenness"] = betweenness(graph, cfg, indexed=arrays)
    put("betweenness", between)
    parts, modularity, methods["communities"] = communities(graph, cfg, indexed=arrays)
    put("community", {node: i for i, part in enumerate(parts) for node in part})
    cores, methods["core"] = core_numbers(graph, cfg, indexed=arrays)
    put("core", cores)
    found_bridges, points, methods["bridges"] = bridges_and_articulation_points(
        graph, cfg, indexed=arrays
    )
    point_set = set(points)
    put("articulation_point", {node: node in point_set for node in nodes})
    constraint, size, methods["structural_holes"] = structural_holes(graph, cfg, indexed=arrays)
    put("constraint", constraint)
    put("effective_size", size)
    fast_mixing = arrays is not None and cfg.fast(n)
    cross, seconds = _timed(lambda: cross_sector_share(graph, cfg, indexed=arrays))
    methods["cross_sector"] = _finish(
        Method("numpy" if fast_mixing else "python", "cross-sector tie share, E-I index"), seconds
    )
    assortativity, methods["assortativity"] = type_assortativity(graph, config=cfg, indexed=arrays)
    density, seconds = _timed(lambda: density_by_city(graph, cfg, indexed=arrays))
    methods["density_by_city"] = _finish(
        Method("numpy" if fast_mixing else "python", "density per city"), seconds
    )
    summary, seconds = _timed(lambda: _summary(graph, strength, cfg, arrays))
    methods["summary"] = _finish(
        Method("scipy" if fast_mixing else "networkx", "connected components"), seconds
    )
    return MetricsResult(
        nodes=nodes,
        communities=parts,
        modularity=modularity,
        bridges=found_bridges,
        articulation_points=points,
        cross_sector=cross,
        assortativity=assortativity,
        density_by_city=density,
        summary=summary,
        methods=methods,
    )
