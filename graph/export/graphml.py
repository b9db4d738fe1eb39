"""GraphML of the partnership network: the same content as the GEXF, as GraphML keys.

Every attribute is a ``<key>`` with ``attr.name`` and ``attr.type``, declared from all of
its values: GEXF ``integer`` -> ``int``, ``long`` -> ``long``, ``double`` -> ``double``,
``boolean`` -> ``boolean``, ``string`` -> ``string``. GraphML has no list type, so a
``liststring`` attribute is a ``string`` holding a **JSON array** (``["a", "b"]``;
``json.loads`` gives the list back) and its key says so in ``<desc>``. Missing values
(``None``) are simply absent. Nodes also get ``color`` (``#rrggbb``, by actor type) and
``size`` (by strength), as Cytoscape and yEd users expect plain attributes; the edge weight
is the ``weight`` key. Graph-level keys carry the layer, language, reference date and the
filter (JSON). Dynamic periods are a GEXF feature; here each edge keeps ``period_start``
and ``period_end``.

Key ids are ``n0``, ``n1``, … for nodes, ``e0``, … for edges and ``g0``, … for the graph;
node ids are the actor IRIs and edge ids the same ``0``, ``1``, … as in the GEXF. (The
GraphML schema types ids as ``NMTOKEN``, which an IRI with ``/`` is not; networkx, igraph,
Gephi, yEd and Cytoscape read them as plain strings.) The document is streamed in chunks.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator

from inclusion_kg.graph.export._xml import attr, text
from inclusion_kg.graph.export.formats import GRAPHML_MEDIA_TYPE
from inclusion_kg.graph.export.gexf import value_text
from inclusion_kg.graph.export.network import AttrType, ExportNetwork
from inclusion_kg.graph.gcpause import gc_paused

__all__ = ["GRAPHML_MEDIA_TYPE", "GRAPHML_NAMESPACE", "GRAPHML_TYPES", "iter_graphml"]

GRAPHML_NAMESPACE = "http://graphml.graphdrawing.org/xmlns"

GRAPHML_TYPES: dict[AttrType, str] = {
    "boolean": "boolean",
    "integer": "int",
    "long": "long",
    "double": "double",
    "string": "string",
    "liststring": "string",
}
"""Declared export type -> GraphML ``attr.type``."""

_CHUNK = 2_000


def _key(key_id: str, domain: str, name: str, kind: AttrType) -> str:
    head = (
        f'  <key id="{key_id}" for="{domain}" attr.name="{attr(name)}" '
        f'attr.type="{GRAPHML_TYPES[kind]}"'
    )
    if kind == "liststring":
        return f"{head}>\n    <desc>a JSON array of strings</desc>\n  </key>\n"
    return f"{head}/>\n"


def _data(keys: dict[str, tuple[str, AttrType]], values: dict[str, object], indent: str) -> str:
    parts: list[str] = []
    for name, key in keys.items():
        value = values.get(name)
        if value is None:
            continue
        shown = value_text(value, key[1])
        if shown is not None:
            parts.append(f'{indent}<data key="{key[0]}">{text(shown)}</data>\n')
    return "".join(parts)


@gc_paused
def iter_graphml(network: ExportNetwork) -> Iterator[bytes]:
    """Yield the GraphML document of ``network`` in UTF-8 chunks."""
    node_types: dict[str, AttrType] = dict(network.node_types)
    node_types.setdefault("color", "string")
    node_types.setdefault("size", "double")
    edge_types: dict[str, AttrType] = {"weight": "double", **network.edge_types}
    node_keys = {name: (f"n{i}", kind) for i, (name, kind) in enumerate(node_types.items())}
    edge_keys = {name: (f"e{i}", kind) for i, (name, kind) in enumerate(edge_types.items())}
    meta = network.metadata
    graph_values: dict[str, str] = {"title": network.title}
    for key in ("layer", "language", "reference_date"):
        if meta.get(key) is not None:
            graph_values[key] = str(meta[key])
    if meta.get("filter") is not None:
        graph_values["filter"] = json.dumps(meta["filter"], ensure_ascii=False, sort_keys=True)
    graph_keys = {name: f"g{i}" for i, name in enumerate(graph_values)}

    head = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<graphml xmlns="{GRAPHML_NAMESPACE}" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{GRAPHML_NAMESPACE} {GRAPHML_NAMESPACE}/1.0/graphml.xsd">\n',
    ]
    head += [f'  <key id="{k}" for="graph" attr.name="{n}" attr.type="string"/>\n'
             for n, k in graph_keys.items()]  # fmt: skip
    head += [_key(key_id, "node", name, kind) for name, (key_id, kind) in node_keys.items()]
    head += [_key(key_id, "edge", name, kind) for name, (key_id, kind) in edge_keys.items()]
    head.append('  <graph id="G" edgedefault="undirected">\n')
    head += [
        f'    <data key="{graph_keys[name]}">{text(value)}</data>\n'
        for name, value in graph_values.items()
    ]
    yield "".join(head).encode()

    parts: list[str] = []
    for node in network.nodes():
        r, g, b = node.colour
        values = {**node.attributes, "color": f"#{r:02x}{g:02x}{b:02x}", "size": node.size}
        parts.append(
            f'    <node id="{attr(node.id)}">\n{_data(node_keys, values, "      ")}    </node>\n'
        )
        if len(parts) >= _CHUNK:
            yield "".join(parts).encode()
            parts = []
    for edge in network.edges():
        values = {"weight": edge.weight if math.isfinite(edge.weight) else None}
        values.update(edge.attributes)
        parts.append(
            f'    <edge id="{attr(edge.id)}" source="{attr(edge.source)}" '
            f'target="{attr(edge.target)}">\n{_data(edge_keys, values, "      ")}    </edge>\n'
        )
        if len(parts) >= _CHUNK:
            yield "".join(parts).encode()
            parts = []
    parts.append("  </graph>\n</graphml>\n")
    yield "".join(parts).encode()
