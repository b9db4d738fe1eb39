"""The network as graphology's serialised JSON (``graph.export()`` / ``Graph.from(json)``).

Shape (graphology's serialisation format)::

    {"attributes": {...},
     "options": {"type": "undirected", "multi": false, "allowSelfLoops": false},
     "nodes": [{"key": "<actor IRI>", "attributes": {"label": …, "color": "#rrggbb",
                                                   "size": …, <attributes>}}, …],
     "edges": [{"key": "0", "source": "<IRI>", "target": "<IRI>", "undirected": true,
                "attributes": {"weight": …, <attributes>}}, …]}

Values keep their JSON types (numbers, booleans, strings, lists of strings), coerced to the
type declared from all values (an integer in a ``double`` attribute is written as a
float); missing values are absent. ``label``, ``color`` and ``size`` are what sigma.js
draws. Graph attributes: the title, layer, language, reference date, filter, metrics
summary, modularity and each metric's backend. Streamed one element at a time.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any

from inclusion_kg.graph.export.formats import GRAPHOLOGY_MEDIA_TYPE
from inclusion_kg.graph.export.network import AttrType, ExportNetwork, coerce
from inclusion_kg.graph.gcpause import gc_paused

__all__ = ["GRAPHOLOGY_MEDIA_TYPE", "GRAPHOLOGY_OPTIONS", "iter_graphology"]

GRAPHOLOGY_OPTIONS: dict[str, Any] = {"type": "undirected", "multi": False, "allowSelfLoops": False}
_CHUNK = 2_000


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def _finite(value: Any) -> Any:
    """Replace non-finite floats (not JSON) by None, recursively."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "replace")  # a lone surrogate becomes "?"


def _typed(values: dict[str, Any], types: dict[str, AttrType]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, kind in types.items():
        value = values.get(name)
        if value is None:
            continue
        coerced = coerce(value, kind)
        if coerced is not None:
            out[name] = coerced
    return out


@gc_paused
def iter_graphology(network: ExportNetwork) -> Iterator[bytes]:
    """Yield the graphology JSON of ``network`` in UTF-8 chunks."""
    node_types = network.node_types
    edge_types = network.edge_types
    attributes = _finite({"name": network.title, **network.metadata})
    yield (
        f'{{"attributes":{_dumps(attributes)},"options":{_dumps(GRAPHOLOGY_OPTIONS)},"nodes":['
    ).encode("utf-8", "replace")
    parts: list[str] = []
    first = True
    for node in network.nodes():
        r, g, b = node.colour
        values = _typed(node.attributes, node_types)
        values.update({"color": f"#{r:02x}{g:02x}{b:02x}", "size": node.size})
        item = _dumps({"key": node.id, "attributes": values})
        parts.append(item if first else "," + item)
        first = False
        if len(parts) >= _CHUNK:
            yield _bytes("".join(parts))
            parts = []
    parts.append('],"edges":[')
    first = True
    for edge in network.edges():
        values = {"weight": edge.weight} if math.isfinite(edge.weight) else {}
        values.update(_typed(edge.attributes, edge_types))
        item = _dumps(
            {
                "key": edge.id,
                "source": edge.source,
                "target": edge.target,
                "undirected": True,
                "attributes": values,
            }
        )
        parts.append(item if first else "," + item)
        first = False
        if len(parts) >= _CHUNK:
            yield _bytes("".join(parts))
            parts = []
    parts.append("]}")
    yield _bytes("".join(parts))
