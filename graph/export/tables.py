r"""Gephi's spreadsheet pair: ``nodes.csv`` and ``edges.csv``, alone or zipped.

Gephi's *Import spreadsheet* recognises these columns by name:

- ``nodes.csv``: ``Id``, ``Label``, then every node attribute (``label`` is ``Label``) plus
  ``color`` (``#rrggbb``) and ``size``;
- ``edges.csv``: ``Source``, ``Target``, ``Type`` (always ``Undirected``), ``Weight``, then
  every edge attribute.

Cells: UTF-8, comma-separated, RFC 4180 quoting, ``\r\n`` line ends; booleans
``true``/``false``; numbers in Python's shortest round-trip form; lists as JSON arrays
(``["a", "b"]``, the same text as the GEXF ``liststring`` values); a missing value is an
empty cell. The zip bundle (:func:`write_zip`) holds ``nodes.csv``, ``edges.csv`` and
``metadata.json`` (filters, reference date, and each column's declared type, so a typed
reader can restore numbers and lists).
"""

from __future__ import annotations

import csv
import io
import json
import math
import zipfile
from collections.abc import Iterator
from typing import IO, Any

from inclusion_kg.graph.export._xml import clean
from inclusion_kg.graph.export.formats import CSV_MEDIA_TYPE, ZIP_MEDIA_TYPE
from inclusion_kg.graph.export.gexf import value_text
from inclusion_kg.graph.export.network import AttrType, ExportNetwork

__all__ = [
    "CSV_MEDIA_TYPE",
    "ZIP_MEDIA_TYPE",
    "edge_columns",
    "iter_edges_csv",
    "iter_nodes_csv",
    "node_columns",
    "table_metadata",
    "write_zip",
]

_CHUNK = 5_000


def node_columns(network: ExportNetwork) -> dict[str, AttrType]:
    """The attribute columns of ``nodes.csv`` after ``Id`` and ``Label``, with their types."""
    columns = {k: v for k, v in network.node_types.items() if k != "label"}
    columns.setdefault("color", "string")
    columns.setdefault("size", "double")
    return columns


def edge_columns(network: ExportNetwork) -> dict[str, AttrType]:
    """The attribute columns of ``edges.csv`` after ``Source, Target, Type, Weight``."""
    return dict(network.edge_types)


def _cell(value: object, kind: AttrType) -> str:
    shown = value_text(value, kind)
    return "" if shown is None else clean(shown)


def _rows_to_bytes(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode()


def iter_nodes_csv(network: ExportNetwork) -> Iterator[bytes]:
    """Yield ``nodes.csv`` in UTF-8 chunks."""
    columns = node_columns(network)
    rows: list[list[str]] = [["Id", "Label", *columns]]
    for node in network.nodes():
        r, g, b = node.colour
        values: dict[str, Any] = {**node.attributes, "color": f"#{r:02x}{g:02x}{b:02x}"}
        values["size"] = node.size
        rows.append(
            [clean(node.id), clean(node.label)]
            + [_cell(values.get(name), kind) for name, kind in columns.items()]
        )
        if len(rows) >= _CHUNK:
            yield _rows_to_bytes(rows)
            rows = []
    yield _rows_to_bytes(rows)


def iter_edges_csv(network: ExportNetwork) -> Iterator[bytes]:
    """Yield ``edges.csv`` in UTF-8 chunks."""
    columns = edge_columns(network)
    rows: list[list[str]] = [["Source", "Target", "Type", "Weight", *columns]]
    for edge in network.edges():
        weight = repr(edge.weight) if math.isfinite(edge.weight) else ""
        rows.append(
            [clean(edge.source), clean(edge.target), "Undirected", weight]
            + [_cell(edge.attributes.get(name), kind) for name, kind in columns.items()]
        )
        if len(rows) >= _CHUNK:
            yield _rows_to_bytes(rows)
            rows = []
    yield _rows_to_bytes(rows)


def table_metadata(network: ExportNetwork) -> dict[str, Any]:
    """What ``metadata.json`` in the zip says: the network's metadata and column types."""
    return {
        "title": network.title,
        "nodes": network.number_of_nodes,
        "edges": network.number_of_edges,
        "node_columns": {"Id": "string", "Label": "string", **node_columns(network)},
        "edge_columns": {
            "Source": "string",
            "Target": "string",
            "Type": "string",
            "Weight": "double",
            **edge_columns(network),
        },
        "lists": "JSON arrays of strings",
        "network": network.metadata,
    }


def write_zip(network: ExportNetwork, target: IO[bytes]) -> None:
    """Write the bundle (``nodes.csv``, ``edges.csv``, ``metadata.json``) to ``target``.

    The CSV files are compressed as they are produced, so only the zip's own buffers are
    held in memory. ``target`` must be seekable or a plain writable stream (zipfile then
    writes data descriptors).
    """
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for name, chunks in (
            ("nodes.csv", iter_nodes_csv(network)),
            ("edges.csv", iter_edges_csv(network)),
        ):
            with bundle.open(name, "w", force_zip64=True) as member:
                for chunk in chunks:
                    member.write(chunk)
        bundle.writestr(
            "metadata.json",
            json.dumps(table_metadata(network), ensure_ascii=False, indent=2, default=str),
        )
