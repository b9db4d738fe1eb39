"""The network every export writes: nodes and edges with typed attributes, colours, periods.

:func:`prepare` projects the partnership network with the analytics' own
:func:`~inclusion_kg.graph.network.projection.project_network` (so the filters are the
analytics' :class:`~inclusion_kg.graph.network.projection.NetworkFilter`, not a copy of
them), runs :func:`~inclusion_kg.graph.network.metrics.compute_metrics` on the result and
wraps both in an :class:`ExportNetwork`. The writers (GEXF, GraphML, CSV, graphology) only
ever iterate an :class:`ExportNetwork`, so they agree on content by construction.

What a node carries: ``label`` (in the asked language, English fallback), the
projection's attributes (``actor_type``, ``actor_type_label``, ``sector``,
``sector_label``, ``city``, ``city_label``, ``country``, ``country_label`` and, for
migrant councils, ``has_budget`` / ``has_own_initiative_right``) and every node metric
(``strength``, ``degree``, ``pagerank``, ``eigenvector``, ``betweenness``, ``community``,
``core``, ``articulation_point``, ``constraint``, ``effective_size``); plus a colour by
actor type (:data:`PALETTE`) and a size by strength (:func:`node_size`).

What an edge carries: ``weight`` (partnership strength in the default layer), ``strength``,
the seven components ``c_formality`` … ``c_sources``, ``n_partnerships``, ``n_sources``,
``distance``, ``partnerships`` (IRIs, a list), ``partnership_labels``,
``partnership_types`` and ``policy_areas`` (concept slugs, lists), and ``period_start`` /
``period_end`` (ISO dates of the earliest start and latest end of the shared
partnerships; absent when a start is unknown or a partnership is ongoing).

Attribute types are declared from **all** values (:class:`TypeTracker`), never from the
first one: booleans -> ``boolean``; integers -> ``integer`` (32-bit) or ``long``; numbers
with any float -> ``double``; sequences (and strings mixed with sequences) ->
``liststring``; anything else -> ``string``. ``None`` and non-finite floats are left out
(the value is absent, not ``"None"``).

Periods. The projection turns ``xsd:gYear`` / ``xsd:gYearMonth`` bounds into days: a start
counts from the first day it covers and an end to the last (``"2021"^^xsd:gYear`` as an
end is 2021-12-31; as a start 2021-01-01; ``2020-02`` ends 2020-02-29). An edge's
:attr:`ExportEdge.spells` are the union of its shared partnerships' pair periods (merged
where they overlap or touch); an unknown start or end stays open. A node's
:attr:`ExportNode.spells` is the hull of its own period (an actor's ``ikg:startDate`` /
``ikg:endDate``) and its edges' spells, so every edge is visible while its two ends are;
a node with neither dates nor ties has no interval (always present).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from itertools import chain, compress, repeat
from operator import itemgetter, le
from typing import Any, NamedTuple, TypeVar, cast, overload

import networkx as nx

from inclusion_kg.graph.export.attrtypes import (
    INT32,
    AttrType,
    Finding,
    TypeSurvey,
    TypeTracker,
    elements_survey,
)
from inclusion_kg.graph.network.metrics import MetricsConfig, MetricsResult, compute_metrics
from inclusion_kg.graph.network.projection import (
    NetworkFilter,
    PartnershipNetwork,
    SelectRunner,
    SharedPeriod,
    Span,
    TieEvidenceMap,
    project_network,
)
from inclusion_kg.graph.network.strength import COMPONENTS, TieEvidence
from inclusion_kg.graph.network.vocabulary import local_name

__all__ = [
    "DEFAULT_COLOUR",
    "EDGE_ORDER",
    "FORMATTERS",
    "INT32",
    "LIST_KEYS",
    "NODE_ORDER",
    "PALETTE",
    "AttrType",
    "EdgeBlock",
    "ExportEdge",
    "ExportNetwork",
    "ExportNode",
    "ExportOptions",
    "Interval",
    "Memo",
    "NodeBlock",
    "TypeTracker",
    "coerce",
    "list_text",
    "merge_intervals",
    "node_size",
    "prepare",
    "text_of",
    "value_text",
]

PALETTE: dict[str, tuple[int, int, int]] = {
    # public sector: blues and purples
    "Municipality": (31, 119, 180),
    "RegionalAuthority": (107, 174, 214),
    "NationalAuthority": (8, 81, 156),
    "PublicAuthority": (158, 202, 225),
    "EUBody": (84, 39, 143),
    "CityNetwork": (128, 125, 186),
    # civil society: greens, orange, red, brown
    "NGO": (44, 160, 44),
    "CivilSocietyOrganisation": (116, 196, 118),
    "VolunteerNetwork": (152, 223, 138),
    "MigrantLedOrganisation": (255, 127, 14),
    "MigrantCouncil": (214, 39, 40),
    "FaithBasedOrganisation": (140, 86, 75),
    # other sectors
    "SocialEnterprise": (188, 189, 34),
    "PrivateEmployer": (227, 119, 194),
    "ResearchOrganisation": (23, 190, 207),
    "InternationalOrganisation": (148, 103, 189),
}
"""Node colour (r, g, b) by actor class local name: a fixed palette, documented in
docs/exports.md. Public bodies are blue/purple, civil society green/orange/red, the other
sectors have a hue each."""

DEFAULT_COLOUR: tuple[int, int, int] = (176, 176, 176)
"""Colour of an actor whose class is not in :data:`PALETTE` (or unknown): grey."""

SIZE_MIN = 5.0
SIZE_SPAN = 25.0

NODE_ORDER: tuple[str, ...] = (
    "label",
    "actor_type",
    "actor_type_label",
    "sector",
    "sector_label",
    "city",
    "city_label",
    "country",
    "country_label",
    "has_budget",
    "has_own_initiative_right",
    "strength",
    "degree",
    "pagerank",
    "eigenvector",
    "betweenness",
    "community",
    "core",
    "articulation_point",
    "constraint",
    "effective_size",
)
"""Where the known node attributes come in every export (others follow as first seen)."""
EDGE_ORDER: tuple[str, ...] = (
    "strength",
    *(f"c_{name}" for name in COMPONENTS),
    "n_partnerships",
    "n_sources",
    "distance",
    "partnerships",
    "partnership_labels",
    "partnership_types",
    "policy_areas",
    "period_start",
    "period_end",
)
"""Where the known edge attributes come in every export (others follow as first seen)."""

LIST_KEYS = frozenset({"partnerships", "projects", "services"})
"""Edge attributes the projection stores as space-separated IRIs; exported as lists."""
_EDGE_SKIP = frozenset({"weight"})
"""Edge data that is not an attribute: the weight is the edge's own ``weight``."""
_DERIVED = {
    "partnership_labels": 0,
    "partnership_types": 1,
    "policy_areas": 2,
    "period_start": 3,
    "period_end": 4,
}
"""Edge attributes read from the tie evidence, and their place in ``_evidence``'s tuple."""
_NOTHING = (None, None, None, None, None)
"""``_evidence`` of a tie without partnerships."""


_T = TypeVar("_T")

# --------------------------------------------------------------------------------------
# values and types
# --------------------------------------------------------------------------------------


def text_of(value: object) -> str:
    """Return a scalar's text: ``true``/``false``, shortest round-trip floats, ISO dates.

    >>> text_of(True), text_of(0.1), text_of(date(2020, 1, 2)), text_of(["a", "b"])
    ('true', '0.1', '2020-01-02', '["a", "b"]')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return list_text(_items(value))
    return str(value)


_JSON_SPECIAL = re.compile('["\\\\\x00-\x1f\x7f\u2028\u2029]')
"""Characters json.dumps would escape: a list with none of them is joined directly."""


def _items(value: object) -> list[str]:
    if isinstance(value, list | tuple) and all(type(item) is str for item in value):
        return list(value)
    if isinstance(value, set | frozenset):
        return sorted(text_of(item) for item in value)
    if isinstance(value, list | tuple):
        return [text_of(item) for item in value]
    return [text_of(value)]


def list_text(items: Sequence[str]) -> str:
    r"""Return a list of strings as a JSON array: ``["a", "b"]``.

    This one text form serves GEXF ``liststring`` values (Gephi's and graphology's list
    syntax: brackets, comma-separated, double-quoted items, backslash escapes), GraphML
    strings and CSV cells.

    >>> list_text(['say "hi"', "a,b"])
    '["say \\"hi\\"", "a,b"]'
    """
    joined = '", "'.join(items)
    if _JSON_SPECIAL.search(joined) is None:
        return f'["{joined}"]' if items else "[]"
    return json.dumps(list(items), ensure_ascii=False)


def coerce(value: object, kind: AttrType) -> Any:
    """Return ``value`` as the declared type wants it (None: leave the value out).

    >>> coerce(2, "double"), coerce(["b", "a"], "liststring"), coerce(3, "string")
    (2.0, ['b', 'a'], '3')
    >>> coerce(float("nan"), "double") is None
    True
    """
    if value is None:
        return None
    if kind == "double":
        number = float(value)  # type: ignore[arg-type]
        return number if math.isfinite(number) else None
    if kind in ("integer", "long"):
        return int(value)  # type: ignore[call-overload]
    if kind == "boolean":
        return bool(value)
    if kind == "liststring":
        return _items(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return text_of(value)


def _double(value: Any) -> str | None:
    number = value if type(value) is float else float(value)
    return repr(number) if math.isfinite(number) else None


def _integer(value: Any) -> str | None:
    return str(int(value))


def _boolean(value: Any) -> str | None:
    return "true" if value else "false"


def _liststring(value: Any) -> str | None:
    return list_text(_items(value))


def _string(value: Any) -> str | None:
    if type(value) is str:
        return value
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return text_of(value)


Formatter = Callable[[Any], "str | None"]
"""Turns a (non-None) value into its text for a declared type; None leaves it out."""

FORMATTERS: dict[AttrType, Formatter] = {
    "double": _double,
    "integer": _integer,
    "long": _integer,
    "boolean": _boolean,
    "liststring": _liststring,
    "string": _string,
}
"""The text of a value for each declared type: what the text formats (GEXF, GraphML, CSV)
write; lists as :func:`list_text`. The same as ``text_of(coerce(value, kind))``."""


def value_text(value: object, kind: AttrType) -> str | None:
    """Return a value's text for its declared type (None: leave it out).

    >>> value_text(3, "double"), value_text(["x", "y"], "liststring"), value_text(None, "string")
    ('3.0', '["x", "y"]', None)
    """
    return None if value is None else FORMATTERS[kind](value)


# --------------------------------------------------------------------------------------
# periods
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Interval:
    """A closed period of days; ``None`` is an open (unknown or ongoing) bound."""

    start: date | None = None
    end: date | None = None

    @property
    def unbounded(self) -> bool:
        """Whether both ends are open (the period is "always")."""
        return self.start is None and self.end is None


_ONE_DAY = timedelta(days=1)


def merge_intervals(intervals: Iterable[Interval]) -> tuple[Interval, ...]:
    """Merge overlapping or touching periods; an open bound absorbs what it covers.

    >>> d = date
    >>> merge_intervals([Interval(d(2018, 1, 1), d(2018, 12, 31)),
    ...                  Interval(d(2019, 1, 1), d(2019, 6, 30)),
    ...                  Interval(d(2021, 1, 1), None)])  # doctest: +NORMALIZE_WHITESPACE
    (Interval(start=datetime.date(2018, 1, 1), end=datetime.date(2019, 6, 30)),
     Interval(start=datetime.date(2021, 1, 1), end=None))
    """
    ordered = sorted(intervals, key=lambda i: (i.start is not None, i.start or date.min))
    merged: list[Interval] = []
    for current in ordered:
        if merged:
            last = merged[-1]
            if last.end is None:
                continue  # the last one never ends: it covers everything after it
            if current.start is None or current.start <= last.end + _ONE_DAY:
                end = None if current.end is None else max(last.end, current.end)
                merged[-1] = Interval(last.start, end)
                continue
        merged.append(current)
    return tuple(merged)


def _hull(intervals: Sequence[Interval]) -> Interval | None:
    if not intervals:
        return None
    starts = [i.start for i in intervals]
    ends = [i.end for i in intervals]
    start = None if any(s is None for s in starts) else min(s for s in starts if s is not None)
    end = None if any(e is None for e in ends) else max(e for e in ends if e is not None)
    return Interval(start, end)


# --------------------------------------------------------------------------------------
# elements
# --------------------------------------------------------------------------------------


class ExportNode(NamedTuple):
    """One node as the writers see it.

    Attributes:
        id: the actor IRI.
        label: its label in the export's language.
        attributes: name -> value (None: absent), ``label`` included.
        colour: (r, g, b) by actor type.
        size: by strength (:func:`node_size`).
        spells: when it is present (dynamic exports); empty: always.
    """

    id: str
    label: str
    attributes: dict[str, Any]
    colour: tuple[int, int, int]
    size: float
    spells: tuple[Interval, ...] = ()


class ExportEdge(NamedTuple):
    """One undirected edge as the writers see it.

    Attributes:
        id: a key unique in the export (``"0"``, ``"1"``, … in graph order).
        source: one end (actor IRI).
        target: the other end.
        weight: the edge weight (partnership strength in the default layer).
        attributes: name -> value (None: absent); ``weight`` is not repeated here.
        spells: when it is active (dynamic exports); empty: always.
    """

    id: str
    source: str
    target: str
    weight: float
    attributes: dict[str, Any]
    spells: tuple[Interval, ...] = ()


@lru_cache(maxsize=4096)
def _slug(iri: str) -> str:
    return local_name(iri)


@dataclass
class NodeBlock:
    """Consecutive nodes, column by column (see :meth:`ExportNetwork.node_blocks`).

    Attributes:
        ids: actor IRIs.
        labels: labels in the export's language.
        colours: (r, g, b) by actor type.
        sizes: by strength.
        columns: attribute -> one value per node (None: absent).
        spells: the nodes' periods, when asked for.
    """

    ids: list[str]
    labels: list[str]
    colours: list[tuple[int, int, int]]
    sizes: list[float]
    columns: dict[str, list[Any]]
    spells: list[tuple[Interval, ...]] | None = None


@dataclass
class EdgeBlock:
    """Consecutive edges, column by column (see :meth:`ExportNetwork.edge_blocks`).

    Attributes:
        ids: edge keys (``"0"``, ``"1"``, …).
        sources: one end of each edge.
        targets: the other end.
        weights: edge weights.
        columns: attribute -> one value per edge (None: absent).
        spells: the edges' periods, when asked for.
    """

    ids: list[str]
    sources: list[str]
    targets: list[str]
    weights: list[float]
    columns: dict[str, list[Any]]
    spells: list[tuple[Interval, ...]] | None = None


def node_size(strength: float, max_strength: float) -> float:
    """Node size from strength: ``5 + 25 * s / s_max`` (5 for every node when s_max is 0).

    >>> node_size(0.5, 2.0), node_size(2.0, 2.0), node_size(0.0, 0.0)
    (11.25, 30.0, 5.0)
    """
    if max_strength <= 0 or not math.isfinite(strength):
        return SIZE_MIN
    return SIZE_MIN + SIZE_SPAN * max(strength, 0.0) / max_strength


def colour_of(actor_type: object) -> tuple[int, int, int]:
    """Return the palette colour of an actor type (class IRI or local name)."""
    if not isinstance(actor_type, str) or not actor_type:
        return DEFAULT_COLOUR
    return PALETTE.get(local_name(actor_type), DEFAULT_COLOUR)


_K = TypeVar("_K")
_V = TypeVar("_V")


class Memo(dict[_K, _V]):
    """key -> ``make(key)``, made on first use and kept.

    ``map(memo.__getitem__, keys)`` then does a whole column at C speed when keys repeat
    (dates, concepts, actor types, a partnership's lists on every pair of its partners).

    Args:
        make: the value of a missing key.
        limit: past this many entries the memo starts again (None: never).
        keep: which keys to keep (None: all). Text memos keep only strings and tuples
            of strings: ``1``, ``1.0`` and ``True`` are equal keys with different texts.
    """

    def __init__(
        self,
        make: Callable[[_K], _V],
        *,
        limit: int | None = None,
        keep: Callable[[_K], bool] | None = None,
    ) -> None:
        super().__init__()
        self.make = make
        self._limit = limit
        self._keep = keep

    def __missing__(self, key: _K) -> _V:
        value = self.make(key)
        if self._keep is None or self._keep(key):
            if self._limit is not None and len(self) >= self._limit:
                self.clear()
            self[key] = value
        return value


def _columns(datas: list[dict[str, Any]], names: list[str]) -> dict[str, list[Any]]:
    """Each of ``names`` -> its value in each element's data (None where it has none).

    One ``itemgetter`` call per element and a transposition when every element has every
    name (the projection's edges do); one ``dict.get`` pass per name otherwise.
    """
    if len(names) > 1 and datas:
        try:
            rows = list(map(itemgetter(*names), datas))
        except KeyError:
            pass
        else:
            transposed = zip(*rows, strict=True)
            return {name: list(column) for name, column in zip(names, transposed, strict=True)}
    return {name: list(map(dict.get, datas, repeat(name))) for name in names}


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _my_blocks(
    items: Sequence[_T], size: int, part: tuple[int, int]
) -> Iterator[tuple[int, Sequence[_T]]]:
    """Yield (index of its first item, block) for blocks ``k, k + n, …`` of ``items``.

    ``part=(k, n)``: each of ``n`` processes slices out its own blocks.
    """
    mine, parts = part
    for first in range(mine * size, len(items), parts * size):
        yield first, items[first : first + size]


class _OrderedEdges(Sequence[tuple[str, str, dict[str, Any]]]):
    """A graph's edges in a given order, each block built when it is sliced out.

    Why: listing 300,000 edges through networkx's views takes 0.7 s, and a writer in
    two processes had to do it before forking; the projection already holds its ties in
    order, so each process builds the triples of its own blocks only, from the pairs.
    """

    def __init__(
        self, pairs: Sequence[tuple[str, str]], adjacency: Mapping[str, Mapping[str, Any]]
    ) -> None:
        self._pairs = pairs
        self._adjacency = adjacency

    def __len__(self) -> int:
        return len(self._pairs)

    @overload
    def __getitem__(self, index: int) -> tuple[str, str, dict[str, Any]]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[str, str, dict[str, Any]]]: ...
    def __getitem__(
        self, index: int | slice
    ) -> tuple[str, str, dict[str, Any]] | list[tuple[str, str, dict[str, Any]]]:
        adjacency = self._adjacency
        if isinstance(index, slice):
            return [(a, b, adjacency[a][b]) for a, b in self._pairs[index]]
        a, b = self._pairs[index]
        return (a, b, adjacency[a][b])


class ExportNetwork:
    """A network ready to write: lazy node and edge iterators plus declared types.

    Built from any undirected ``networkx`` graph with string node ids (so hand-made
    networks export the same way), with what the analytics add when there is some.

    Args:
        graph: the network; node and edge data become attributes (edge ``weight`` is the
            weight, default 1.0).
        node_metrics: actor -> metric name -> value (``MetricsResult.nodes``).
        ties: the evidence behind each edge, keyed by the sorted actor pair; adds the
            partnership types, policy areas, labels, period and the edge spells.
        node_periods: an actor's own period (``ikg:startDate`` / ``ikg:endDate``).
        metadata: what the export says about itself (filters, reference date, …).
        title: a one-line description of the network.
        edge_order: the edges as distinct node pairs, in the order to write them
            (the projection's tie order); ignored unless it holds every edge.

    Nodes and edges are produced on demand, in the graph's order, every time they are
    iterated (nothing is copied per element, so 100k actors stay cheap); the first use of
    :attr:`node_types` / :attr:`edge_types` makes one pass to declare the types.
    """

    def __init__(
        self,
        graph: nx.Graph[str],
        *,
        node_metrics: Mapping[str, Mapping[str, Any]] | None = None,
        ties: Mapping[tuple[str, str], TieEvidence] | None = None,
        node_periods: Mapping[str, Interval] | None = None,
        metadata: Mapping[str, Any] | None = None,
        title: str = "Partnership network",
        edge_order: Sequence[tuple[str, str]] | None = None,
    ) -> None:
        if graph.is_directed() or graph.is_multigraph():
            msg = "exports take a simple undirected graph"
            raise TypeError(msg)
        self.graph = graph
        self.node_metrics = node_metrics or {}
        self.ties = ties or {}
        self.node_periods = node_periods or {}
        self.metadata: dict[str, Any] = dict(metadata or {})
        self.title = title
        self._types: tuple[dict[str, AttrType], dict[str, AttrType]] | None = None
        self._max_strength: float | None = None
        self._edge_spells: dict[tuple[str, str], tuple[Interval, ...]] | None = None
        self._lists: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {}
        self._isos: Memo[date | None, str | None] = Memo(_iso)  # ties share a few dates
        self._one_spell: Memo[tuple[date | None, date | None], tuple[Interval, ...]] = Memo(
            lambda span: () if span == (None, None) else (Interval(*span),)
        )
        self._by_number: Memo[int, tuple[Any, Any, Any]] | None = None
        self._nodes: list[tuple[str, dict[str, Any]]] | None = None
        self._edges: Sequence[tuple[str, str, dict[str, Any]]] | None = None
        self._edge_order = edge_order
        self._slugs: Memo[str, str] = Memo(local_name)  # concept IRI -> slug (a few dozen)
        self._metric_names: frozenset[str] = frozenset()
        self._spans: Callable[[tuple[str, str]], Sequence[Span]] = (
            self.ties.spans if isinstance(self.ties, TieEvidenceMap) else self._spans_of
        )

    def _periods_of(self, pair: tuple[str, str]) -> Sequence[SharedPeriod]:
        """A tie's partnerships with the pair's period, from a plain evidence mapping."""
        evidence = self.ties.get(pair)
        return [(p, p.start, p.end) for p in evidence.partnerships] if evidence else ()

    def _spans_of(self, pair: tuple[str, str]) -> Sequence[Span]:
        """The pair's period in each partnership of its tie, from a plain evidence mapping."""
        evidence = self.ties.get(pair)
        return [(p.start, p.end) for p in evidence.partnerships] if evidence else ()

    # counts ----------------------------------------------------------------------------

    @property
    def number_of_nodes(self) -> int:
        """Nodes in the export."""
        return self.graph.number_of_nodes()

    @property
    def number_of_edges(self) -> int:
        """Edges in the export."""
        return self.graph.number_of_edges()

    def _node_items(self) -> list[tuple[str, dict[str, Any]]]:
        """The graph's (node, data) pairs, listed once.

        The type pass and every writer's blocks read them, and a forked renderer slices
        its blocks out without iterating networkx's views (so the graph must not change
        while it is exported).
        """
        if self._nodes is None:
            self._nodes = cast("list[tuple[str, dict[str, Any]]]", list(self.graph.nodes.data()))
        return self._nodes

    def _edge_items(self) -> Sequence[tuple[str, str, dict[str, Any]]]:
        """The graph's (source, target, data) triples in edge order, listed once.

        The order is ``edge_order`` when it lists exactly the graph's edges, else the
        graph's own.
        """
        if self._edges is None:
            order = self._edge_order
            # networkx's own dict of dicts: its adj view costs a Python call per lookup
            adjacency = self.graph._adj  # type: ignore[attr-defined]
            if (
                order is not None
                and len(order) == self.graph.number_of_edges()
                and all(b in adjacency[a] for a, b in order)
            ):
                self._edges = _OrderedEdges(order, adjacency)
            else:
                self._edges = list(self.graph.edges(data=True))
        return self._edges

    # types -----------------------------------------------------------------------------

    def prepare_blocks(self) -> None:
        """List the nodes and edges and find the largest strength, once.

        Why: every part's blocks are sliced from these; a writer that renders in
        several processes calls this before it forks, so that they share one copy.
        """
        self._node_items()
        self._edge_items()
        self.max_strength  # noqa: B018 - cached

    @property
    def declared(self) -> bool:
        """Whether the attribute types are known (a survey of everything was merged)."""
        return self._types is not None

    def survey_types(
        self,
        size: int = 4096,
        *,
        node_part: tuple[int, int] = (0, 1),
        edge_part: tuple[int, int] = (0, 1),
    ) -> TypeSurvey:
        """What some blocks show of the attribute types (:meth:`declare` merges the parts).

        ``node_part`` / ``edge_part`` choose the blocks as in :meth:`node_blocks`. Node
        ``i``'s data ranks ``2 i`` and its metrics ``2 i + 1``, edge ``j``'s data ``j``:
        the ranks place each first value as one pass over everything would.
        """
        elements: list[dict[str, Any]] = []
        ranks: list[int] = []
        metric_names: set[str] = set()
        metrics_of = self.node_metrics.get
        for first, node_chunk in _my_blocks(self._node_items(), size, node_part):
            for index, (node, data) in enumerate(node_chunk, first):
                if data:
                    elements.append(data)
                    ranks.append(2 * index)
                metrics = metrics_of(node)
                if metrics:
                    elements.append(metrics if type(metrics) is dict else dict(metrics))
                    ranks.append(2 * index + 1)
                    metric_names.update(metrics)
        nodes = elements_survey(elements, ranks, skip=frozenset({"label"}))
        datas: list[dict[str, Any]] = []
        ranks = []
        blocks = list(_my_blocks(self._edge_items(), size, edge_part))
        for first, edge_chunk in blocks:
            datas += [data for _, _, data in edge_chunk]
            ranks += range(first, first + len(edge_chunk))
        edges = elements_survey(datas, ranks, skip=_EDGE_SKIP, lists=LIST_KEYS)
        edges += self._derived_findings(edge_chunk for _, edge_chunk in blocks)
        return TypeSurvey(tuple(nodes), tuple(edges), frozenset(metric_names))

    def _derived_findings(
        self, blocks: Iterable[Sequence[tuple[str, str, dict[str, Any]]]]
    ) -> list[Finding]:
        """The tie evidence's attributes some of these edges have (after all data)."""
        if not self.ties:
            return []
        lists = starts = ends = False
        for chunk in blocks:
            for a, b, _ in chunk:
                spans = self._spans((a, b) if a <= b else (b, a))
                if not spans:
                    continue
                lists = True
                starts = starts or all(start is not None for start, _ in spans)
                ends = ends or all(end is not None for _, end in spans)
                if starts and ends:
                    break  # every derived attribute is found
            if starts and ends:
                break
        found = [("partnership_labels", "list"), ("partnership_types", "list")] if lists else []
        found += [("policy_areas", "list")] if lists else []
        found += [("period_start", "str")] if starts else []
        found += [("period_end", "str")] if ends else []
        after = 1 << 62  # after every data value (their place is fixed by EDGE_ORDER anyway)
        return [(after, place, name, (kind,)) for place, (name, kind) in enumerate(found)]

    def declare(self, surveys: Iterable[TypeSurvey]) -> None:
        """Declare the attribute types from the surveys of all parts (merged in order)."""
        nodes, edges = TypeTracker(), TypeTracker()
        if self.graph.number_of_nodes():
            nodes.add("label", "str")
        parts = list(surveys)
        nodes.absorb(chain.from_iterable(part.nodes for part in parts))  # all at once
        edges.absorb(chain.from_iterable(part.edges for part in parts))
        self._metric_names = frozenset().union(*(part.metric_names for part in parts))
        self._types = (nodes.types(NODE_ORDER), edges.types(EDGE_ORDER))

    def _declare(self) -> tuple[dict[str, AttrType], dict[str, AttrType]]:
        """The declared types; one survey of everything the first time."""
        if self._types is None:
            self.declare([self.survey_types()])
        return cast("tuple[dict[str, AttrType], dict[str, AttrType]]", self._types)

    @property
    def node_types(self) -> dict[str, AttrType]:
        """Node attribute -> declared type (``label`` included), first-seen order."""
        return self._declare()[0]

    @property
    def edge_types(self) -> dict[str, AttrType]:
        """Edge attribute -> declared type (``weight`` excluded), first-seen order."""
        return self._declare()[1]

    # elements --------------------------------------------------------------------------

    def _strength(self, node: str) -> float:
        value = self.node_metrics.get(node, {}).get("strength")
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        return float(self.graph.degree(node, weight="weight"))

    @property
    def max_strength(self) -> float:
        """The largest node strength (0 without nodes)."""
        if self._max_strength is None:
            self._max_strength = max((self._strength(n) for n in self.graph), default=0.0)
        return self._max_strength

    def edge_spells(self, a: str, b: str) -> tuple[Interval, ...]:
        """The periods an edge is active: its partnerships' pair periods, merged."""
        if self._edge_spells is None:
            self._edge_spells = {}
        key = (a, b) if a < b else (b, a)
        spells = self._edge_spells.get(key)
        if spells is None:
            spans = self._spans(key)
            if len(spans) == 1:  # most ties: one period, whose Interval ties share
                spells = self._one_spell[spans[0]]
            else:
                spells = merge_intervals(Interval(start, end) for start, end in spans)
                if len(spells) == 1 and spells[0].unbounded:
                    spells = ()
            self._edge_spells[key] = spells
        return spells

    def node_spells(self, node: str) -> tuple[Interval, ...]:
        """When a node is present: the hull of its own period and its edges' spells."""
        intervals: list[Interval] = []
        own = self.node_periods.get(node)
        if own is not None and not own.unbounded:
            intervals.append(own)
        for other in self.graph.adj[node]:
            spells = self.edge_spells(node, other)
            if not spells:
                return ()  # an edge that is always there keeps its ends always there
            intervals.extend(spells)
        hull = _hull(intervals)
        return () if hull is None or hull.unbounded else (hull,)

    def _evidence(
        self, shared: Sequence[SharedPeriod]
    ) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], str | None, str | None]:
        """An edge's partnership labels, types, areas, period start and end (ISO dates).

        The lists are tuples (hashable, so writers can memoise their text).
        """
        if len(shared) == 1:  # most ties: one partnership, its lists computed once
            first, start, end = shared[0]
            lists = self._lists_of(first.iri, first.label, first.types, first.areas)
        else:
            slugs = self._slugs
            lists = (
                tuple(p.label or _slug(p.iri) for p, _, _ in shared),
                tuple(sorted({slugs[t] for p, _, _ in shared for t in p.types})),
                tuple(sorted({slugs[a] for p, _, _ in shared for a in p.areas})),
            )
            starts = [s for _, s, _ in shared]
            ends = [e for _, _, e in shared]
            start = None if None in starts else min(s for s in starts if s is not None)
            end = None if None in ends else max(e for e in ends if e is not None)
        isos = self._isos
        return (lists[0], lists[1], lists[2], isos[start], isos[end])

    def _evidence_columns(self, pairs: list[tuple[str, str]]) -> list[list[Any]]:
        """The five :meth:`_evidence` fields of a block of ties, field by field.

        Ties resting on one partnership (most) go through memos by partnership number
        and by date, in C-level passes (:meth:`TieEvidenceMap.sole`); the others one by
        one.
        """
        ties = self.ties
        if not isinstance(ties, TieEvidenceMap):
            evidence_of, shared_of = self._evidence, self._periods_of
            evidence = [
                evidence_of(shared) if (shared := shared_of(pair)) else _NOTHING for pair in pairs
            ]
            return [list(field) for field in zip(*evidence, strict=True)]
        numbers, spans = ties.sole(pairs)
        by_number = self._by_number
        if by_number is None:
            by_number = self._by_number = Memo(lambda k: self._lists_of(*ties.summary(k)))
            by_number[-1] = (None, None, None)
        lists = list(map(by_number.__getitem__, numbers))
        isos = self._isos
        fields: list[list[Any]] = [list(field) for field in zip(*lists, strict=True)]
        fields.append(list(map(isos.__getitem__, [start for start, _ in spans])))
        fields.append(list(map(isos.__getitem__, [end for _, end in spans])))
        if -1 in numbers:  # no partnership, or several
            for i in compress(range(len(numbers)), map((-1).__eq__, numbers)):
                values = self._several(ties.numbered(pairs[i]), by_number)
                for field, value in zip(fields, values, strict=True):
                    field[i] = value
        return fields

    def _several(
        self,
        numbered: list[tuple[int, date | None, date | None]],
        by_number: Mapping[int, tuple[Any, Any, Any]],
    ) -> tuple[Any, Any, Any, str | None, str | None]:
        """:meth:`_evidence` of a tie on several partnerships, from their numbers' lists."""
        if not numbered:
            return _NOTHING
        lists = [by_number[k] for k, _, _ in numbered]
        starts = [start for _, start, _ in numbered]
        ends = [end for _, _, end in numbered]
        isos = self._isos
        return (
            tuple(labels[0] for labels, _, _ in lists),
            tuple(sorted(set(chain.from_iterable(types for _, types, _ in lists)))),
            tuple(sorted(set(chain.from_iterable(areas for _, _, areas in lists)))),
            isos[None if None in starts else min(cast("list[date]", starts))],
            isos[None if None in ends else max(cast("list[date]", ends))],
        )

    def _lists_of(
        self, iri: str, label: str | None, types: Collection[str], areas: Collection[str]
    ) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """One partnership's label, types and areas as the edge lists of a tie on it alone."""
        lists = self._lists.get(iri)
        if lists is None:
            slugs = self._slugs
            lists = self._lists[iri] = (
                (label or _slug(iri),),
                tuple(sorted({slugs[t] for t in types})),
                tuple(sorted({slugs[a] for a in areas})),
            )
        return lists

    def node_blocks(
        self, size: int = 4096, *, spells: bool = True, part: tuple[int, int] = (0, 1)
    ) -> Iterator[NodeBlock]:
        """Yield the nodes in blocks, attribute by attribute (columns), for fast writers.

        Every declared attribute (:attr:`node_types`, ``label`` aside) has a column in
        every block; ``None`` marks a missing value. ``part=(k, n)`` yields only the
        blocks ``k, k + n, …``, as in :meth:`edge_blocks`.
        """
        names = [n for n in self.node_types if n != "label"]
        max_strength = self.max_strength
        metrics = self.node_metrics
        metric_names = self._metric_names
        colours: Memo[Any, tuple[int, int, int]] = Memo(colour_of)
        empty: dict[str, Any] = {}
        for _, chunk in _my_blocks(self._node_items(), size, part):
            # Column by column with C-level map passes: 20 attributes of 100,000 actors.
            ids = list(map(itemgetter(0), chunk))
            datas = list(map(itemgetter(1), chunk))
            found = cast("list[dict[str, Any]]", list(map(metrics.get, ids, repeat(empty))))
            if set(map(type, found)) != {dict}:  # other mappings: dict.get needs dicts
                found = [m if type(m) is dict else dict(m) for m in found]
            columns: dict[str, list[Any]] = {}
            for name in names:
                if name in metric_names:
                    column = list(map(dict.get, found, repeat(name)))
                    if any(map(dict.__contains__, datas, repeat(name))):  # data fills gaps
                        column = [
                            v if v is not None else d.get(name)
                            for v, d in zip(column, datas, strict=True)
                        ]
                else:
                    column = list(map(dict.get, datas, repeat(name)))
                columns[name] = column
            labels: list[Any] = list(map(dict.get, datas, repeat("label")))
            if set(map(type, labels)) != {str} or "" in labels:
                labels = [
                    str(label) if label not in (None, "") else local_name(node)
                    for node, label in zip(ids, labels, strict=True)
                ]
            types = list(map(dict.get, datas, repeat("actor_type")))
            try:
                block_colours = list(map(colours.__getitem__, types))
            except TypeError:  # an unhashable actor type
                block_colours = list(map(colour_of, types))
            yield NodeBlock(
                ids=ids,
                labels=labels,
                colours=block_colours,
                sizes=self._sizes(ids, found, max_strength),
                columns=columns,
                spells=[self.node_spells(node) for node in ids] if spells else None,
            )

    def _sizes(
        self, ids: list[str], found: list[dict[str, Any]], max_strength: float
    ) -> list[float]:
        """The nodes' sizes (:func:`node_size`) from their metrics' strengths."""
        strengths: list[Any] = list(map(dict.get, found, repeat("strength")))
        if set(map(type, strengths)) == {float} and 0 < max_strength < math.inf:
            # node_size's formula, without a call per node (a NaN is not > 0 either)
            return [
                SIZE_MIN + SIZE_SPAN * s / max_strength if s > 0.0 else SIZE_MIN for s in strengths
            ]
        return [node_size(self._strength(node), max_strength) for node in ids]

    def edge_blocks(
        self,
        size: int = 4096,
        *,
        spells: bool = True,
        split: bool = True,
        part: tuple[int, int] = (0, 1),
    ) -> Iterator[EdgeBlock]:
        """Yield the edges in blocks, attribute by attribute (columns), for fast writers.

        Every declared attribute (:attr:`edge_types`) has a column in every block; ``None``
        marks a missing value. Edge ids count from 0 in graph order. With ``split=False``
        the projection's space-separated IRI lists (:data:`LIST_KEYS`) stay strings.
        ``part=(k, n)`` yields only the blocks ``k, k + n, k + 2n, …`` (the others are
        not built), for writers that render blocks in several processes.
        """
        plain = [n for n in self.edge_types if n not in _DERIVED]
        derived = [n for n in _DERIVED if n in self.edge_types]
        for first, chunk in _my_blocks(self._edge_items(), size, part):
            sources = list(map(itemgetter(0), chunk))
            targets = list(map(itemgetter(1), chunk))
            if not all(map(le, sources, targets)):  # each pair in sorted order
                sources, targets = (
                    [min(a, b) for a, b in zip(sources, targets, strict=True)],
                    [max(a, b) for a, b in zip(sources, targets, strict=True)],
                )
            datas = list(map(itemgetter(2), chunk))
            weights = list(map(dict.get, datas, repeat("weight"), repeat(1.0)))
            if set(map(type, weights)) != {float}:
                weights = [float(w) if isinstance(w, int | float) else 1.0 for w in weights]
            columns = _columns(datas, plain)
            if split:
                for name in LIST_KEYS.intersection(columns):
                    columns[name] = [v.split() if type(v) is str else v for v in columns[name]]
            pairs = list(zip(sources, targets, strict=True))
            if derived:
                by_field = self._evidence_columns(pairs)
                for name in derived:
                    column = by_field[_DERIVED[name]]
                    if name in columns:  # data of the same name fills the gaps
                        column = [
                            v if v is not None else old
                            for v, old in zip(column, columns[name], strict=True)
                        ]
                    columns[name] = column
            yield EdgeBlock(
                ids=list(map(str, range(first, first + len(chunk)))),
                sources=sources,
                targets=targets,
                weights=weights,
                columns=columns,
                spells=[self.edge_spells(a, b) for a, b in pairs] if spells else None,
            )

    def nodes(self, *, spells: bool = True) -> Iterator[ExportNode]:
        """Yield every node with its attributes, colour, size and (``spells``) periods."""
        for block in self.node_blocks(spells=spells):
            columns = list(block.columns.items())
            for i, node in enumerate(block.ids):
                attributes: dict[str, Any] = {"label": block.labels[i]}
                for name, column in columns:
                    value = column[i]
                    if value is not None:
                        attributes[name] = value
                yield ExportNode(
                    id=node,
                    label=block.labels[i],
                    attributes=attributes,
                    colour=block.colours[i],
                    size=block.sizes[i],
                    spells=block.spells[i] if block.spells is not None else (),
                )

    def edges(self, *, spells: bool = True) -> Iterator[ExportEdge]:
        """Yield every edge with its weight, attributes and (``spells``) periods."""
        for block in self.edge_blocks(spells=spells):
            columns = list(block.columns.items())
            for i, key in enumerate(block.ids):
                attributes: dict[str, Any] = {}
                for name, column in columns:
                    value = column[i]
                    if value is not None:
                        attributes[name] = value
                yield ExportEdge(
                    id=key,
                    source=block.sources[i],
                    target=block.targets[i],
                    weight=block.weights[i],
                    attributes=attributes,
                    spells=block.spells[i] if block.spells is not None else (),
                )

    # construction ----------------------------------------------------------------------

    @classmethod
    def from_partnership_network(
        cls, network: PartnershipNetwork, metrics: MetricsResult | None = None
    ) -> ExportNetwork:
        """Wrap a projected network (and its metrics) for export."""
        periods = {
            iri: Interval(record.start, record.end)
            for iri, record in network.actors.items()
            if record.start is not None or record.end is not None
        }
        metadata: dict[str, Any] = dict(network.metadata)
        if metrics is not None:
            metadata["summary"] = metrics.summary
            metadata["modularity"] = metrics.modularity
            metadata["methods"] = {
                name: {"backend": m.backend, "algorithm": m.algorithm, "exact": m.exact}
                for name, m in metrics.methods.items()
            }
        layer = network.layer
        return cls(
            network.graph,
            node_metrics=metrics.nodes if metrics is not None else None,
            ties=network.ties,
            node_periods=periods,
            metadata=metadata,
            title=f"inclusion-kg actor network ({layer} layer)",
            edge_order=network.ties.pairs if isinstance(network.ties, TieEvidenceMap) else None,
        )


# --------------------------------------------------------------------------------------
# from the store
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportOptions:
    """What to export: the analytics' filter and projection choices, and the metrics.

    Attributes:
        network_filter: the analytics filter (cities, countries, policy areas, actor
            types, period, formality, evidence).
        language: label language (English fallback).
        layer: ``partnerships`` (default), ``funding`` or ``services``.
        aggregate_units: merge sub-organisations into their top-most parent.
        metrics: run the analytics' metrics on the projected network.
        metrics_config: how the metrics are computed.
        reference: date strength is assessed at (default from the period, else today).
    """

    network_filter: NetworkFilter = field(default_factory=NetworkFilter)
    language: str = "en"
    layer: str = "partnerships"
    aggregate_units: bool = False
    metrics: bool = True
    metrics_config: MetricsConfig = field(default_factory=MetricsConfig)
    reference: date | None = None


def prepare(runner: SelectRunner, options: ExportOptions | None = None) -> ExportNetwork:
    """Project the network from the store, compute its metrics, and wrap it for export.

    Args:
        runner: the store (any :class:`~inclusion_kg.graph.network.projection.SelectRunner`).
        options: filters and choices; default everything, English, with metrics.

    Raises:
        InputError: an unknown layer or actor type, a bad period, or a query the store
            refuses (as the analytics raise them).
    """
    opts = options or ExportOptions()
    network = project_network(
        runner,
        opts.network_filter,
        layer=opts.layer,
        language=opts.language,
        aggregate_units=opts.aggregate_units,
        reference=opts.reference,
    )
    metrics = compute_metrics(network.graph, opts.metrics_config) if opts.metrics else None
    return ExportNetwork.from_partnership_network(network, metrics)
