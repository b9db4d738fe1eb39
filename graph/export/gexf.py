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
from datetime import date

from inclusion_kg.graph.export._xml import attr, text
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
    for name, kind in types.items():
        key = attr(name)
        lines.append(f'      <attribute id="{key}" title="{key}" type="{kind}"/>\n')
    lines.append("    </attributes>\n")
    return "".join(lines)


Spec = list[tuple[str, str, Formatter, bool]]
"""Per declared attribute: name, the ``<attvalue for=… value="`` prefix, formatter, escape?"""


def _spec(types: dict[str, AttrType], indent: str) -> Spec:
    return [
        (
            name,
            f'{indent}  <attvalue for="{attr(name)}" value="',
            FORMATTERS[kind],
            kind in ("string", "liststring"),
        )
        for name, kind in types.items()
    ]


def _attvalues(values: dict[str, object], spec: Spec, indent: str) -> str:
    parts: list[str] = []
    for name, prefix, fmt, escape in spec:
        value = values.get(name)
        if value is None:
            continue
        shown = fmt(value)
        if shown is None:
            continue
        parts.append(f'{prefix}{attr(shown) if escape else shown}"/>\n')
    if not parts:
        return ""
    return f"{indent}<attvalues>\n{''.join(parts)}{indent}</attvalues>\n"


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


def _time(spells: tuple[Interval, ...], indent: str) -> tuple[str, str]:
    """Return (attributes for the opening tag, a <spells> element or "")."""
    if not spells:
        return "", ""
    if len(spells) == 1:
        return _bounds(spells[0]), ""
    inner = "".join(f"{indent}  <spell{_bounds(s)}/>\n" for s in spells)
    return "", f"{indent}<spells>\n{inner}{indent}</spells>\n"


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
    node_spec = _spec(node_types, "        ")
    edge_spec = _spec(edge_types, "        ")
    ids: dict[str, str] = {}
    parts: list[str] = []
    for node in network.nodes(spells=dynamic):
        start_end, spells = _time(node.spells, "        ") if dynamic else ("", "")
        r, g, b = node.colour
        ids[node.id] = key = attr(node.id)
        parts.append(
            f'      <node id="{key}" label="{attr(node.label)}"{start_end}>\n'
            + spells
            + _attvalues(node.attributes, node_spec, "        ")
            + f'        <color r="{r}" g="{g}" b="{b}"/>\n'
            + f'        <size value="{_double(node.size)}"/>\n'
            + "      </node>\n"
        )
        if len(parts) >= _CHUNK:
            yield "".join(parts).encode()
            parts = []
    parts.append(f'    </nodes>\n    <edges count="{network.number_of_edges}">\n')
    for edge in network.edges(spells=dynamic):
        start_end, spells = _time(edge.spells, "        ") if dynamic else ("", "")
        body = spells + _attvalues(edge.attributes, edge_spec, "        ")
        source = ids.get(edge.source) or attr(edge.source)
        target = ids.get(edge.target) or attr(edge.target)
        opening = (
            f'      <edge id="{attr(edge.id)}" source="{source}" '
            f'target="{target}" weight="{_double(edge.weight)}"{start_end}'
        )
        parts.append(f"{opening}>\n{body}      </edge>\n" if body else f"{opening}/>\n")
        if len(parts) >= _CHUNK:
            yield "".join(parts).encode()
            parts = []
    parts.append("    </edges>\n  </graph>\n</gexf>\n")
    yield "".join(parts).encode()
