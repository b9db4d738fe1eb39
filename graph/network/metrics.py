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

import math
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
            networkx limit); above it networkit samples ``betweenness_samples`` sources.
        betweenness_samples: sources sampled for the betweenness estimate.
        seed: random seed (Louvain, betweenness sampling).
        pagerank_alpha: PageRank damping factor.
        resolution: Louvain resolution (1 = classic modularity).
    """

    backend: Backend = "auto"
    fast_threshold: int = 5_000
    betweenness_networkx_max: int = 300
    betweenness_exact_max: int = 2_000
    betweenness_samples: int = 256
    seed: int = 42
    pagerank_alpha: float = 0.85
    resolution: float = 1.0

    def __post_init__(self) -> None:
        if self.backend not in ("auto", "networkx", "fast"):
            msg = f"unknown backend {self.backend!r}; use auto, networkx or fast"
            raise InputError(msg)
        if self.betweenness_samples < 1 or self.fast_threshold < 0:
            msg = "betweenness_samples must be >= 1 and fast_threshold >= 0"
            raise InputError(msg)

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
    """A graph's nodes and edges as arrays, built once and shared by the fast backends."""

    def __init__(self, graph: nx.Graph[str]) -> None:
        self.nodes: list[str] = list(graph.nodes)
        self.index = {node: i for i, node in enumerate(self.nodes)}
        edges = [(self.index[u], self.index[v], d) for u, v, d in graph.edges(data=True) if u != v]
        self.source = np.fromiter((e[0] for e in edges), dtype=np.int64, count=len(edges))
        self.target = np.fromiter((e[1] for e in edges), dtype=np.int64, count=len(edges))
        self.weight = np.fromiter(
            (float(e[2].get("weight", 1.0)) for e in edges), dtype=float, count=len(edges)
        )
        self.distance = np.fromiter(
            (
                float(e[2].get("distance", 1.0 / max(float(e[2].get("weight", 1.0)), 1e-9)))
                for e in edges
            ),
            dtype=float,
            count=len(edges),
        )
        self._igraph: igraph.Graph | None = None

    @property
    def n(self) -> int:
        return len(self.nodes)

    def igraph(self) -> igraph.Graph:
        if self._igraph is None:
            import igraph as ig

            g = ig.Graph(n=self.n, edges=np.column_stack([self.source, self.target]).tolist())
            g.es["weight"] = self.weight.tolist()
            g.es["distance"] = self.distance.tolist()
            self._igraph = g
        return self._igraph

    def adjacency(self) -> sp.csr_array:
        n = self.n
        rows = np.concatenate([self.source, self.target])
        cols = np.concatenate([self.target, self.source])
        data = np.concatenate([self.weight, self.weight])
        return sp.csr_array((data, (rows, cols)), shape=(n, n))

    def values(self, array: Any) -> dict[str, Any]:
        return dict(zip(self.nodes, (float(x) for x in array), strict=True))


def _timed(func: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = func()
    return result, time.perf_counter() - start


def _finish(method: Method, seconds: float) -> Method:
    return Method(method.backend, method.algorithm, method.exact, method.note, round(seconds, 4))


# --------------------------------------------------------------------------------------
# centralities
# --------------------------------------------------------------------------------------


def weighted_degree(graph: nx.Graph[str]) -> tuple[dict[str, float], Method]:
    r"""Return each actor's strength :math:`s_i = \sum_j w_{ij}` (weighted degree).

    >>> g = nx.Graph([("a", "b", {"weight": 0.5}), ("a", "c", {"weight": 0.25})])
    >>> weighted_degree(g)[0]
    {'a': 0.75, 'b': 0.5, 'c': 0.25}
    """
    values, seconds = _timed(lambda: {n: float(d) for n, d in graph.degree(weight="weight")})
    return values, _finish(Method("networkx", "degree(weight='weight')"), seconds)


def pagerank(
    graph: nx.Graph[str], config: MetricsConfig | None = None
) -> tuple[dict[str, float], Method]:
    r"""Return weighted PageRank (damping ``config.pagerank_alpha``), summing to 1.

    On the path a-b-c with :math:`\alpha = 0.85`: :math:`x_a = 0.05 + 0.425 x_b` and
    :math:`x_b = 0.05 + 0.85 (x_a + x_c)`, so :math:`x_b = 0.135 / 0.2775 = 0.4865`.

    >>> values, _ = pagerank(nx.path_graph(["a", "b", "c"]))
    >>> round(values["b"], 4)
    0.4865
    """
    cfg = config or MetricsConfig()
    if graph.number_of_nodes() == 0:
        return {}, Method("networkx", "pagerank")
    values, seconds = _timed(
        lambda: nx.pagerank(
            graph, alpha=cfg.pagerank_alpha, weight="weight", tol=1e-9, max_iter=1000
        )
    )
    return dict(values), _finish(Method("networkx", "pagerank (scipy power iteration)"), seconds)


def eigenvector(graph: nx.Graph[str]) -> tuple[dict[str, float] | None, Method]:
    """Return weighted eigenvector centrality on the largest connected component.

    Eigenvector centrality is only well defined on a connected graph, so it is computed on
    the largest component (unit Euclidean norm, as networkx) and other actors get 0. Returns
    None, with the reason in the method note, when ARPACK does not converge.
    """
    start = time.perf_counter()
    if graph.number_of_nodes() == 0:
        return {}, Method("networkx", "eigenvector_centrality_numpy")
    largest = max(nx.connected_components(graph), key=len)
    note = f"largest component ({len(largest)} of {graph.number_of_nodes()} actors); others 0"
    values = dict.fromkeys(graph.nodes, 0.0)
    if len(largest) == 1:
        values[next(iter(largest))] = 1.0
    elif len(largest) == 2:
        for node in largest:
            values[node] = 1 / math.sqrt(2)
    else:
        try:
            found = nx.eigenvector_centrality_numpy(graph.subgraph(largest), weight="weight")
        except (nx.NetworkXException, ArithmeticError) as error:
            seconds = time.perf_counter() - start
            return None, _finish(
                Method("networkx", "eigenvector_centrality_numpy", note=f"no convergence: {error}"),
                seconds,
            )
        values.update(found)
    seconds = time.perf_counter() - start
    return values, _finish(
        Method("networkx", "eigenvector_centrality_numpy (ARPACK)", note=note), seconds
    )


def betweenness(
    graph: nx.Graph[str], config: MetricsConfig | None = None
) -> tuple[dict[str, float], Method]:
    """Return normalised betweenness with distance :math:`1/w` (module docstring).

    Exact up to ``config.betweenness_exact_max`` actors (networkx, then igraph); above it a
    networkit estimate from ``config.betweenness_samples`` sampled sources, flagged
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
    indexed = _Indexed(graph)
    if n <= cfg.betweenness_exact_max:
        raw, seconds = _timed(lambda: indexed.igraph().betweenness(weights="distance"))
        return (
            {node: float(v) * scale for node, v in zip(indexed.nodes, raw, strict=True)},
            _finish(Method("igraph", "betweenness (Brandes)"), seconds),
        )
    import networkit as nk

    def run() -> list[float]:
        nk.engineering.setSeed(cfg.seed, False)
        g = nk.Graph(n, weighted=True)
        for u, v, d in zip(indexed.source, indexed.target, indexed.distance, strict=True):
            g.addEdge(int(u), int(v), float(d))
        samples = min(cfg.betweenness_samples, n)
        algorithm = nk.centrality.EstimateBetweenness(g, samples, False, True)
        algorithm.run()
        return [float(x) for x in algorithm.scores()]

    raw_scores, seconds = _timed(run)
    samples = min(cfg.betweenness_samples, n)
    # networkit counts ordered pairs: halve to networkx's unordered convention
    return (
        {node: v / 2.0 * scale for node, v in zip(indexed.nodes, raw_scores, strict=True)},
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
    graph: nx.Graph[str], config: MetricsConfig | None = None
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

        indexed = _Indexed(graph)

        def run_ig() -> tuple[list[set[str]], float]:
            g = indexed.igraph()
            ig.set_random_number_generator(random.Random(cfg.seed))  # noqa: S311 - not crypto
            try:
                clustering = g.community_multilevel(weights="weight", resolution=cfg.resolution)
            finally:
                ig.set_random_number_generator(random)
            groups: dict[int, set[str]] = defaultdict(set)
            for node, label in zip(indexed.nodes, clustering.membership, strict=True):
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
    graph: nx.Graph[str], config: MetricsConfig | None = None
) -> tuple[dict[str, int], Method]:
    """Return each actor's core number (the largest k of a k-core that holds it; unweighted).

    >>> core_numbers(nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("c", "d")]))[0]
    {'a': 2, 'b': 2, 'c': 2, 'd': 1}
    """
    cfg = config or MetricsConfig()
    if not cfg.fast(graph.number_of_nodes()):
        values, seconds = _timed(lambda: nx.core_number(graph))
        return dict(values), _finish(Method("networkx", "core_number"), seconds)
    indexed = _Indexed(graph)
    raw, seconds = _timed(lambda: indexed.igraph().coreness())
    return (
        {node: int(v) for node, v in zip(indexed.nodes, raw, strict=True)},
        _finish(Method("igraph", "coreness"), seconds),
    )


def bridges_and_articulation_points(
    graph: nx.Graph[str], config: MetricsConfig | None = None
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
    indexed = _Indexed(graph)

    def run_ig() -> tuple[list[tuple[str, str]], list[str]]:
        g = indexed.igraph()
        names = indexed.nodes
        pairs = [g.es[e].tuple for e in g.bridges()]
        found = sorted((min(names[u], names[v]), max(names[u], names[v])) for u, v in pairs)
        return found, sorted(names[i] for i in g.articulation_points())

    (found, points), seconds = _timed(run_ig)
    return found, points, _finish(Method("igraph", "bridges, articulation_points"), seconds)


def structural_holes(
    graph: nx.Graph[str], config: MetricsConfig | None = None
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
    indexed = _Indexed(graph)

    def run_sparse() -> tuple[dict[str, float | None], dict[str, float | None]]:
        adjacency = indexed.adjacency()
        row_sum = np.asarray(adjacency.sum(axis=1)).ravel()
        row_max = np.asarray(adjacency.max(axis=1).toarray()).ravel()
        with np.errstate(divide="ignore"):
            p = sp.diags_array(np.where(row_sum > 0, 1.0 / row_sum, 0.0)) @ adjacency
            m = sp.diags_array(np.where(row_max > 0, 1.0 / row_max, 0.0)) @ adjacency
        pattern = adjacency.copy()
        pattern.data = np.ones_like(pattern.data)
        local = (p + (p @ p).multiply(pattern)).tocsr()
        constraint_values = np.asarray(local.multiply(local).sum(axis=1)).ravel()
        redundancy = np.asarray((p @ m.T).multiply(pattern).sum(axis=1)).ravel()
        degree = np.diff(adjacency.indptr)
        size_values = degree - redundancy
        isolated = degree == 0
        return (
            {
                n: None if isolated[i] else float(constraint_values[i])
                for i, n in enumerate(indexed.nodes)
            },
            {
                n: None if isolated[i] else float(size_values[i])
                for i, n in enumerate(indexed.nodes)
            },
        )

    (con, size), seconds = _timed(run_sparse)
    return con, size, _finish(Method("scipy", "sparse constraint, effective size (Burt)"), seconds)


# --------------------------------------------------------------------------------------
# mixing
# --------------------------------------------------------------------------------------


def cross_sector_share(graph: nx.Graph[str]) -> CrossSectorShare:
    """Return the share of ties that join two sectors (module docstring).

    >>> g = nx.Graph()
    >>> g.add_nodes_from([("m", {"sector": "public"}), ("n", {"sector": "civil-society"}),
    ...                   ("o", {"sector": "civil-society"})])
    >>> g.add_edges_from([("m", "n", {"weight": 0.75}), ("n", "o", {"weight": 0.25})])
    >>> x = cross_sector_share(g)
    >>> x.share, x.weighted_share, x.ei_index
    (0.5, 0.75, 0.0)
    """
    sectors = nx.get_node_attributes(graph, "sector")
    labels = nx.get_node_attributes(graph, "sector_label")
    ties = cross = 0
    weight_all = weight_cross = 0.0
    pairs: Counter[str] = Counter()
    for u, v, data in graph.edges(data=True):
        su, sv = sectors.get(u), sectors.get(v)
        if su is None or sv is None:
            continue
        ties += 1
        weight = float(data.get("weight", 1.0))
        weight_all += weight
        lu, lv = sorted((str(labels.get(u, su)), str(labels.get(v, sv))))
        pairs[f"{lu}|{lv}"] += 1
        if su != sv:
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
        by_sector_pair=dict(sorted(pairs.items())),
    )


def type_assortativity(
    graph: nx.Graph[str], attribute: str = "actor_type", config: MetricsConfig | None = None
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
    types = nx.get_node_attributes(graph, attribute)
    kept = [n for n in graph if n in types]
    sub = graph.subgraph(kept)
    if sub.number_of_edges() == 0:
        return None, Method("python", "attribute assortativity", note="no ties")
    start = time.perf_counter()
    if not cfg.fast(graph.number_of_nodes()):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            value = nx.attribute_assortativity_coefficient(sub, attribute)
        method = Method("networkx", "attribute_assortativity_coefficient")
    else:
        categories = sorted({str(t) for t in types.values()})
        index = {c: i for i, c in enumerate(categories)}
        mixing = np.zeros((len(categories), len(categories)))
        for u, v in sub.edges():
            i, j = index[str(types[u])], index[str(types[v])]
            mixing[i, j] += 1
            mixing[j, i] += 1
        mixing /= mixing.sum()
        expected = float((mixing.sum(axis=0) * mixing.sum(axis=1)).sum())
        value = (float(np.trace(mixing)) - expected) / (1 - expected) if expected < 1 else math.nan
        method = Method("numpy", "mixing-matrix assortativity (Newman 2003)")
    seconds = time.perf_counter() - start
    result = None if value is None or math.isnan(value) else float(value)
    return result, _finish(method, seconds)


def density_by_city(graph: nx.Graph[str]) -> dict[str, CityDensity]:
    """Return, per city, the density of ties among the actors based in it.

    >>> g = nx.Graph([("a", "b", {"weight": 0.5})])
    >>> g.add_node("c")
    >>> nx.set_node_attributes(g, "x", "city")
    >>> d = density_by_city(g)["x"]
    >>> d.actors, d.ties, round(d.density, 4), d.mean_strength
    (3, 1, 0.3333, 0.5)
    """
    members: dict[str, int] = Counter()
    labels: dict[str, str] = {}
    for _, data in graph.nodes(data=True):
        city = data.get("city")
        if city:
            members[city] += 1
            labels[city] = str(data.get("city_label", city))
    ties: dict[str, int] = Counter()
    strength: dict[str, float] = defaultdict(float)
    cities = nx.get_node_attributes(graph, "city")
    for u, v, data in graph.edges(data=True):
        cu = cities.get(u)
        if cu and cu == cities.get(v):
            ties[cu] += 1
            strength[cu] += float(data.get("weight", 1.0))
    result = {}
    for city in sorted(members):
        n, m = members[city], ties[city]
        result[city] = CityDensity(
            city=city,
            label=labels[city],
            actors=n,
            ties=m,
            density=2 * m / (n * (n - 1)) if n > 1 else None,
            mean_strength=strength[city] / m if m else None,
        )
    return result


# --------------------------------------------------------------------------------------
# everything
# --------------------------------------------------------------------------------------


def compute_metrics(graph: nx.Graph[str], config: MetricsConfig | None = None) -> MetricsResult:
    """Compute every metric of the module on one network; each says how it was computed.

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
    nodes: dict[str, dict[str, Any]] = {n: {} for n in graph.nodes}

    def put(metric: str, values: dict[str, Any] | None) -> None:
        for node in nodes:
            nodes[node][metric] = None if values is None else values.get(node)

    strength, methods["strength"] = weighted_degree(graph)
    put("strength", strength)
    put("degree", dict(graph.degree()))
    ranks, methods["pagerank"] = pagerank(graph, cfg)
    put("pagerank", ranks)
    eigen, methods["eigenvector"] = eigenvector(graph)
    put("eigenvector", eigen)
    between, methods["betweenness"] = betweenness(graph, cfg)
    put("betweenness", between)
    parts, modularity, methods["communities"] = communities(graph, cfg)
    put("community", {node: i for i, part in enumerate(parts) for node in part})
    cores, methods["core"] = core_numbers(graph, cfg)
    put("core", cores)
    found_bridges, points, methods["bridges"] = bridges_and_articulation_points(graph, cfg)
    point_set = set(points)
    put("articulation_point", {node: node in point_set for node in nodes})
    constraint, size, methods["structural_holes"] = structural_holes(graph, cfg)
    put("constraint", constraint)
    put("effective_size", size)
    cross, seconds = _timed(lambda: cross_sector_share(graph))
    methods["cross_sector"] = _finish(
        Method("python", "cross-sector tie share, E-I index"), seconds
    )
    assortativity, methods["assortativity"] = type_assortativity(graph, config=cfg)
    density, seconds = _timed(lambda: density_by_city(graph))
    methods["density_by_city"] = _finish(Method("python", "density per city"), seconds)
    n, m = graph.number_of_nodes(), graph.number_of_edges()
    components = list(nx.connected_components(graph)) if n else []
    summary = {
        "nodes": n,
        "edges": m,
        "density": 2 * m / (n * (n - 1)) if n > 1 else None,
        "components": len(components),
        "largest_component": max((len(c) for c in components), default=0),
        "isolates": sum(1 for c in components if len(c) == 1),
        "total_strength": float(sum(strength.values()) / 2),
    }
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
