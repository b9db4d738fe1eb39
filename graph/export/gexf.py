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
          <attribute id="actor_type" title="actor_type" type="string"/> …
        <attributes class="edge" mode="static"> …
        <nodes count="n"><node id="<actor IRI>" label="…" [start end | <spells>]>
            <attvalues><attvalue for="…" value="…"/>…</attvalues>
            <color r g b/><size value/></node> …
        <edges count="m"><edge id="0" source target weight [start end | <spells>]>
            <attvalues>…</attvalues></edge> …

- Attribute ids are the attribute names (ids and titles agree, so every reader names the
  columns the same). The node label is ``<node label>``, not an attvalue; the edge weight is
  ``<edge weight>``.
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
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from inclusion_kg.graph.export._xml import attr, quoted, text
from inclusion_kg.graph.export.network import (
    FORMATTERS,
    AttrType,
    ExportNetwork,
    Formatter,
    Interval,
    value_text,
)

__all__ = ["GEXF_MEDIA_TYPE", "GEXF_NAMESPACE", "iter_gexf", "value_text"]

GEXF_NAMESPACE = "http://gexf.net/1.3"
GEXF_MEDIA_TYPE = "application/gexf+xml"
"""GEXF has no registered media type; ``application/gexf+xml`` is the one in common use
(the ``+xml`` suffix lets any XML tool open it)."""

_CHUNK = 2_000
"""Nodes or edges per yielded chunk."""


def _attributes(cls: str, types: dict[str, AttrType]) -> str:
    if not types:
        return ""
    lines = [f'    <attributes class="{cls}" mode="static">\n']
    for i, (name, kind) in enumerate(types.items()):
        lines.append(f'      <attribute id="{i}" title="{attr(name)}" type="{kind}"/>\n')
    lines.append("    </attributes>\n")
    return "".join(lines)


_MEMO = 50_000
_LISTSTRING = FORMATTERS["liststring"]


@dataclass(frozen=True)
class _Spec:
    """The declared attributes of one class, grouped by how their values are written.

    Each entry is (name, the ``<attvalue for="id" value=`` prefix); text kinds also carry
    their formatter. Grouping lets each loop write its kind inline (no call per number).
    """

    doubles: tuple[tuple[str, str], ...]
    integers: tuple[tuple[str, str], ...]
    booleans: tuple[tuple[str, str], ...]
    texts: tuple[tuple[str, str, Formatter], ...]

    @classmethod
    def of(cls, types: dict[str, AttrType]) -> _Spec:
        groups: dict[str, list[tuple[str, str]]] = {"d": [], "i": [], "b": []}
        texts: list[tuple[str, str, Formatter]] = []
        for i, (name, kind) in enumerate(types.items()):
            prefix = f'<attvalue for="{i}" value='
            if kind == "double":
                groups["d"].append((name, prefix))
            elif kind in ("integer", "long"):
                groups["i"].append((name, prefix))
            elif kind == "boolean":
                groups["b"].append((name, prefix))
            else:
                texts.append((name, prefix, FORMATTERS[kind]))
        return cls(tuple(groups["d"]), tuple(groups["i"]), tuple(groups["b"]), tuple(texts))


def _attvalues(values: dict[str, Any], spec: _Spec, memo: dict[tuple[str, ...], str]) -> str:
    """The ``<attvalues>`` element of one node or edge, on one line ("" without values).

    ``memo`` keeps the rendered attvalue of recent strings and lists (actor types, sectors,
    cities and dates repeat; so do a partnership's types and IRIs, on every pair of its
    partners).
    """
    parts: list[str] = []
    append = parts.append
    get = values.get
    for name, prefix in spec.doubles:
        value = get(name)
        if value is not None:
            if type(value) is not float:
                value = float(value)
            if value - value == 0.0:  # finite: NaN and infinities are left out
                append(f'{prefix}"{value!r}"/>')
    for name, prefix in spec.integers:
        value = get(name)
        if value is not None:
            append(f'{prefix}"{int(value)}"/>')
    for name, prefix in spec.booleans:
        value = get(name)
        if value is not None:
            append(f'{prefix}"true"/>' if value else f'{prefix}"false"/>')
    for name, prefix, fmt in spec.texts:
        value = get(name)
        if value is None:
            continue
        if type(value) is list:
            key = (name, *value)
            item = memo.get(key)
            if item is None:
                shown = fmt(value)
                item = f"{prefix}{quoted(shown)}/>" if shown is not None else ""
                if len(memo) >= _MEMO:
                    memo.clear()
                memo[key] = item
            append(item)
        elif type(value) is str and fmt is not _LISTSTRING:
            key = (name, value)
            item = memo.get(key)
            if item is None:
                item = f"{prefix}{quoted(value)}/>"
                if len(memo) >= _MEMO:
                    memo.clear()
                memo[key] = item
            append(item)
        else:
            shown = fmt(value)
            if shown is not None:
                append(f"{prefix}{quoted(shown)}/>")
    if not parts:
        return ""
    return f"<attvalues>{''.join(parts)}</attvalues>"


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


def iter_gexf(
    network: ExportNetwork, *, dynamic: bool = False, generator: str = "inclusion-kg"
) -> Iterator[bytes]:
    """Yield the GEXF 1.3 document of ``network`` in UTF-8 chunks.

    Args:
        network: what to write.
        dynamic: write node and edge periods (``mode="dynamic"``, ``timeformat="date"``).
        generator: the ``<creator>`` text.
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
    node_spec = _Spec.of(node_types)
    edge_spec = _Spec.of(edge_types)
    ids: dict[str, str] = {}
    memo: dict[tuple[str, ...], str] = {}
    parts: list[str] = []
    for node in network.nodes(spells=dynamic):
        start_end, spells = _time(node.spells) if dynamic else ("", "")
        r, g, b = node.colour
        ids[node.id] = key = attr(node.id)
        parts.append(
            f'      <node id="{key}" label="{attr(node.label)}"{start_end}>'
            f"{spells}{_attvalues(node.attributes, node_spec, memo)}"
            f'<color r="{r}" g="{g}" b="{b}"/><size value="{_double(node.size)}"/></node>\n'
        )
        if len(parts) >= _CHUNK:
            yield "".join(parts).encode()
            parts = []
    parts.append(f'    </nodes>\n    <edges count="{network.number_of_edges}">\n')
    for edge in network.edges(spells=dynamic):
        start_end, spells = _time(edge.spells) if dynamic else ("", "")
        body = spells + _attvalues(edge.attributes, edge_spec, memo)
        source = ids.get(edge.source) or attr(edge.source)
        target = ids.get(edge.target) or attr(edge.target)
        opening = (
            f'      <edge id="{attr(edge.id)}" source="{source}" '
            f'target="{target}" weight="{_double(edge.weight)}"{start_end}'
        )
        parts.append(f"{opening}>{body}</edge>\n" if body else f"{opening}/>\n")
        if len(parts) >= _CHUNK:
            yield "".join(parts).encode()
            parts = []
    parts.append("    </edges>\n  </graph>\n</gexf>\n")
    yield "".join(parts).encode()
