"""GEXF 1.3 of the partnership network, written directly (not with networkx).

Why not :func:`networkx.write_gexf`: it defaults to 1.2draft; its 1.3 output fails the 1.3
schema (a misspelt XML-Schema-instance namespace, a ``name`` attribute on ``<graph>``),
writes ``z="None"``, crashes on ``None`` and list values, and fixes each attribute's type
from its first value. This writer streams the document in chunks, declares every
attribute type from all values (:class:`~inclusion_kg.graph.export.network.TypeTracker`)
and is checked against the GEXF 1.3 XML schema in the tests.

Document shape::

    <gexf xmlns="http://gexf.net/1.3" version="1.3" ...>
      <meta lastmodifieddate="…"><creator/><description/><keywords/></meta>
      <graph defaultedgetype="undirected" mode="static|dynamic" [timeformat="date"] idtype="string">
        <attributes class="node" mode="static">
          <attribute id="0" title="actor_type" type="string"/> …
        <attributes class="edge" mode="static"> …
        <nodes count="n"><node id="<actor IRI>" label="…" [start end | <spells>]>
            <attvalues><attvalue for="0" value="…"/>…</attvalues>
            <color r g b/><size value/></node> …
        <edges count="m"><edge id="0" source target weight [start end | <spells>]>
            <attvalues>…</attvalues></edge> …

- Attribute ids are ``0``, ``1``, … per class and titles the attribute names (Gephi,
  networkx and graphology name columns by title; short ids keep 100k-actor files small).
  The node label is ``<node label>``, not an attvalue; the edge weight is ``<edge weight>``.
- One line per node and per edge; ``liststring`` values are single-quoted when they hold
  double quotes (valid XML, and no ``&quot;`` bloat).
- ``liststring`` values are JSON arrays (``["a", "b"]``), the bracketed, quoted list
  syntax Gephi and graphology parse.
- Visualisation: ``<color>`` by actor type and ``<size>`` by strength. In the published
  GEXF 1.3 schema ``viz.xsd`` has no target namespace and its elements are declared inside
  the GEXF namespace, so they are written unprefixed (``viz:color`` in a separate namespace
  does not validate against it). Gephi and graphology find them by local name; networkx's
  reader looks only in the ``viz`` namespace and skips them.
- Dynamic mode (``dynamic=True``): ``mode="dynamic" timeformat="date"``; a node or edge
  with one period gets ``start`` / ``end`` attributes, one with several gets
  ``<spells>``; an open bound is left out (GEXF reads a missing start as "from the
  beginning" and a missing end as "to the end"); an element that is always there gets
  neither. GEXF intervals are inclusive at both ends, like the projection's periods.
  How ``xsd:gYear`` / ``xsd:gYearMonth`` become days is in
  :mod:`~inclusion_kg.graph.export.network`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from inclusion_kg.graph.export._xml import attr, quoted, text
from inclusion_kg.graph.export.formats import GEXF_MEDIA_TYPE
from inclusion_kg.graph.export.network import (
    FORMATTERS,
    LIST_KEYS,
    AttrType,
    EdgeBlock,
    ExportNetwork,
    Formatter,
    Interval,
    list_text,
    value_text,
)
from inclusion_kg.graph.export.parallel import idle_cpu, interleaved

__all__ = ["GEXF_MEDIA_TYPE", "GEXF_NAMESPACE", "PARALLEL_EDGES", "iter_gexf", "value_text"]

GEXF_NAMESPACE = "http://gexf.net/1.3"


def _attributes(cls: str, types: dict[str, AttrType]) -> str:
    if not types:
        return ""
    lines = [f'    <attributes class="{cls}" mode="static">\n']
    for i, (name, kind) in enumerate(types.items()):
        lines.append(f'      <attribute id="{i}" title="{attr(name)}" type="{kind}"/>\n')
    lines.append("    </attributes>\n")
    return "".join(lines)


_MEMO = 50_000
_BLOCK = 4_096
"""Nodes or edges per block (and per yielded chunk)."""
PARALLEL_EDGES = 50_000
"""From this many edges on, :func:`iter_gexf` renders edges in two processes (a fork costs
milliseconds; at 100,000 actors the edges are four fifths of the writing)."""


def _text_renderer(prefix: str, fmt: Formatter, memo: dict[Any, str]) -> Callable[[Any], str]:
    """Render one text attribute's ``<attvalue/>`` (or ""), memoising hashable values.

    Strings (actor types, sectors, cities, dates) and tuples (a partnership's types and
    labels recur on every pair of its partners) repeat a lot; ``memo`` is emptied past its
    size.
    """

    def render(value: Any) -> str:
        shown = fmt(value) if value is not None else None
        item = "" if shown is None else f"{prefix}{quoted(shown)}/>"
        if type(value) in (str, tuple):
            if len(memo) >= _MEMO:
                memo.clear()
                memo[None] = ""
            memo[value] = item
        return item

    return render


def _space_list(value: Any) -> str | None:
    """A space-separated IRI list (the projection's form) as list text."""
    return list_text(value.split()) if type(value) is str else FORMATTERS["liststring"](value)


def _text_cells(prefix: str, fmt: Formatter, values: list[Any]) -> list[str]:
    memo: dict[Any, str] = {None: ""}
    render = _text_renderer(prefix, fmt, memo)
    if list not in set(map(type, values)):
        try:
            return [memo[v] if v in memo else render(v) for v in values]
        except TypeError:  # a tuple holding something unhashable
            pass
    return [render(v) for v in values]


def _double_cells(prefix: str, values: list[Any]) -> list[str]:
    return [
        f'{prefix}"{v!r}"/>' if type(v) is float and v - v == 0.0 else _other_double(prefix, v)
        for v in values
    ]


def _other_double(prefix: str, value: Any) -> str:
    if value is None:
        return ""
    number = float(value)
    return f'{prefix}"{number!r}"/>' if math.isfinite(number) else ""


def _cells(types: dict[str, AttrType], columns: dict[str, list[Any]]) -> list[str]:
    """The ``<attvalues>`` element of every element of a block ("" where there is none)."""
    cells: list[list[str]] = []
    for i, (name, kind) in enumerate(types.items()):
        values = columns.get(name)
        if values is None:
            continue
        prefix = f'<attvalue for="{i}" value='
        if kind == "double":
            cells.append(_double_cells(prefix, values))
        elif kind in ("integer", "long"):
            cells.append([f'{prefix}"{int(v)}"/>' if v is not None else "" for v in values])
        elif kind == "boolean":
            yes, no = f'{prefix}"true"/>', f'{prefix}"false"/>'
            cells.append([(yes if v else no) if v is not None else "" for v in values])
        elif name in LIST_KEYS and kind == "liststring":
            cells.append(_text_cells(prefix, _space_list, values))
        else:
            cells.append(_text_cells(prefix, FORMATTERS[kind], values))
    if not cells:
        return [""] * len(next(iter(columns.values()), []))
    rows = ["".join(row) for row in zip(*cells, strict=True)]
    return [f"<attvalues>{row}</attvalues>" if row else "" for row in rows]


def _double(value: float) -> str:
    """Return an ``xs:double`` lexical form (``NaN``, ``INF`` and ``-INF`` spelt as XSD wants)."""
    if math.isfinite(value):
        return repr(value)
    if math.isnan(value):
        return "NaN"
    return "INF" if value > 0 else "-INF"


def _bounds(interval: Interval) -> str:
    out = ""
    if interval.start is not None:
        out += f' start="{interval.start.isoformat()}"'
    if interval.end is not None:
        out += f' end="{interval.end.isoformat()}"'
    return out


def _time(spells: tuple[Interval, ...]) -> tuple[str, str]:
    """Return (attributes for the opening tag, a <spells> element or "")."""
    if not spells:
        return "", ""
    if len(spells) == 1:
        return _bounds(spells[0]), ""
    inner = "".join(f"<spell{_bounds(s)}/>" for s in spells)
    return "", f"<spells>{inner}</spells>"


def _meta(network: ExportNetwork, generator: str) -> str:
    meta = network.metadata
    bits = [network.title]
    for key in ("layer", "language", "reference_date", "aggregated_units"):
        if key in meta:
            bits.append(f"{key}: {meta[key]}")
    flt = meta.get("filter")
    if isinstance(flt, dict):
        chosen = {k: v for k, v in flt.items() if v not in ([], 0, None, {})}
        period = {k: v for k, v in (flt.get("period") or {}).items() if v is not None}
        chosen.pop("period", None)
        if period:
            chosen["period"] = period
        if chosen:
            bits.append(f"filter: {chosen}")
    description = "; ".join(bits)
    return (
        f'  <meta lastmodifieddate="{date.today().isoformat()}">\n'
        f"    <creator>{text(generator)}</creator>\n"
        f"    <description>{text(description)}</description>\n"
        "    <keywords>inclusion-kg, migrant inclusion, partnerships, actor network</keywords>\n"
        "  </meta>\n"
    )


def _edge_lines(edges: EdgeBlock, edge_types: dict[str, AttrType], keys: dict[str, str]) -> bytes:
    """The ``<edge>`` lines of one block."""
    cells = _cells(edge_types, edges.columns) if edge_types else [""] * len(edges.ids)
    times = [_time(s) for s in edges.spells] if edges.spells is not None else None
    parts: list[str] = []
    for i, (key, source, target, weight, cell) in enumerate(
        zip(edges.ids, edges.sources, edges.targets, edges.weights, cells, strict=True)
    ):
        start_end, spells = times[i] if times else ("", "")
        if (source_key := keys.get(source)) is None:
            source_key = keys[source] = attr(source)
        if (target_key := keys.get(target)) is None:
            target_key = keys[target] = attr(target)
        opening = (
            f'      <edge id="{key}" source="{source_key}" target="{target_key}" '
            f'weight="{_double(weight)}"{start_end}'
        )
        body = spells + cell
        parts.append(f"{opening}>{body}</edge>\n" if body else f"{opening}/>\n")
    return "".join(parts).encode()


def iter_gexf(
    network: ExportNetwork,
    *,
    dynamic: bool = False,
    generator: str = "inclusion-kg",
    parallel: bool | None = None,
) -> Iterator[bytes]:
    """Yield the GEXF 1.3 document of ``network`` in UTF-8 chunks.

    Args:
        network: what to write.
        dynamic: write node and edge periods (``mode="dynamic"``, ``timeformat="date"``).
        generator: the ``<creator>`` text.
        parallel: render every other block of edges in a forked child
            (:mod:`~inclusion_kg.graph.export.parallel`); None: from
            :data:`PARALLEL_EDGES` edges on, when a CPU looks idle. The bytes are the
            same either way.
    """
    node_types = {k: v for k, v in network.node_types.items() if k != "label"}
    edge_types = network.edge_types
    mode = (
        'mode="dynamic" timeformat="date" timerepresentation="interval"'
        if dynamic
        else ('mode="static"')
    )
    yield (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<gexf xmlns="{GEXF_NAMESPACE}" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{GEXF_NAMESPACE} {GEXF_NAMESPACE}/gexf.xsd" version="1.3">\n'
        + _meta(network, generator)
        + f'  <graph defaultedgetype="undirected" {mode} idtype="string">\n'
        + _attributes("node", node_types)
        + _attributes("edge", edge_types)
        + f'    <nodes count="{network.number_of_nodes}">\n'
    ).encode()
    ids: dict[str, str] = {}
    for nodes in network.node_blocks(_BLOCK, spells=dynamic):
        keys = [attr(node) for node in nodes.ids]
        ids.update(zip(nodes.ids, keys, strict=True))
        cells = _cells(node_types, nodes.columns) if node_types else [""] * len(keys)
        times = [_time(s) for s in nodes.spells] if nodes.spells is not None else None
        lines = [
            f'      <node id="{key}" label="{attr(label)}"'
            f"{times[i][0] if times else ''}>{times[i][1] if times else ''}{cell}"
            f'<color r="{r}" g="{g}" b="{b}"/><size value="{_double(size)}"/></node>\n'
            for i, (key, label, cell, (r, g, b), size) in enumerate(
                zip(keys, nodes.labels, cells, nodes.colours, nodes.sizes, strict=True)
            )
        ]
        yield "".join(lines).encode()
    yield f'    </nodes>\n    <edges count="{network.number_of_edges}">\n'.encode()

    def render(part: int, parts: int) -> Iterator[bytes]:
        keys = dict(ids)  # the node ids as attribute text, extended as edges need them
        for edges in network.edge_blocks(_BLOCK, spells=dynamic, split=False, part=(part, parts)):
            yield _edge_lines(edges, edge_types, keys)

    if parallel is None:
        parallel = network.number_of_edges >= PARALLEL_EDGES and idle_cpu()
    yield from interleaved(render, parallel=parallel)
    yield b"    </edges>\n  </graph>\n</gexf>\n"
