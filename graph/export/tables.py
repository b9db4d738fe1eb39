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

Dynamic tables (``dynamic=True``) add a ``timeset`` column (:data:`TIME_INTERVAL`)
right after ``Label`` in ``nodes.csv`` and after ``Weight`` in ``edges.csv``: the element's
periods in Gephi's interval-set syntax (:func:`interval_text`), e.g.
``<[2010-01-01, 2011-12-31];[2016-01-01, Infinity]>``: closed intervals of ISO dates,
separated by ``;``, an unknown start ``-Infinity``, an ongoing end ``Infinity``; an element
that is always present has an empty cell. The periods are the dynamic GEXF's spells
(:meth:`~inclusion_kg.graph.export.network.ExportNetwork.node_spells` and
:meth:`~inclusion_kg.graph.export.network.ExportNetwork.edge_spells`), so both exports
agree. Without ``dynamic`` the tables are exactly the static ones (no extra column).
"""

from __future__ import annotations

import csv
import io
import json
import math
import zipfile
from collections.abc import Iterator, Sequence
from datetime import date
from typing import IO, Any

from inclusion_kg.graph.export._xml import clean
from inclusion_kg.graph.export.formats import CSV_MEDIA_TYPE, ZIP_MEDIA_TYPE
from inclusion_kg.graph.export.gexf import value_text
from inclusion_kg.graph.export.network import AttrType, ExportNetwork, Interval
from inclusion_kg.graph.gcpause import gc_paused

__all__ = [
    "CSV_MEDIA_TYPE",
    "TIME_INTERVAL",
    "ZIP_MEDIA_TYPE",
    "edge_columns",
    "interval_text",
    "iter_edges_csv",
    "iter_nodes_csv",
    "node_columns",
    "table_metadata",
    "write_zip",
]

_CHUNK = 5_000

TIME_INTERVAL = "timeset"
"""The column of the element's periods in dynamic tables: the name Gephi 0.9 and later give
the element's own interval column (``timeset``) and write in their own CSV exports
(``Source,Target,Type,Id,Label,timeset,Weight``); the 0.8-era documentation's
"Time Interval" would be imported as an ordinary attribute."""
_TIME_INTERVAL_TYPE = "interval-set"
"""What ``metadata.json`` declares for :data:`TIME_INTERVAL`."""


def _bound(day: date | None, open_text: str) -> str:
    return open_text if day is None else day.isoformat()


def interval_text(spells: Sequence[Interval]) -> str:
    """Return periods in Gephi's interval-set syntax ("" when always present).

    >>> d = date
    >>> interval_text([Interval(d(2018, 1, 1), d(2018, 12, 31)), Interval(d(2021, 1, 1))])
    '<[2018-01-01, 2018-12-31];[2021-01-01, Infinity]>'
    >>> interval_text([Interval(None, d(2012, 5, 31))]), interval_text(())
    ('<[-Infinity, 2012-05-31]>', '')
    """
    if not spells:
        return ""
    inner = ";".join(
        f"[{_bound(s.start, '-Infinity')}, {_bound(s.end, 'Infinity')}]" for s in spells
    )
    return f"<{inner}>"


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


def _time_cell(memo: dict[tuple[Interval, ...], str], spells: tuple[Interval, ...]) -> str:
    """The :data:`TIME_INTERVAL` cell of ``spells`` (many elements share theirs: memoised)."""
    text = memo.get(spells)
    if text is None:
        text = memo[spells] = interval_text(spells)
    return text


def _rows_to_bytes(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode()


@gc_paused
def iter_nodes_csv(network: ExportNetwork, *, dynamic: bool = False) -> Iterator[bytes]:
    """Yield ``nodes.csv`` in UTF-8 chunks.

    Args:
        network: what to write.
        dynamic: add the :data:`TIME_INTERVAL` column after ``Label``.
    """
    columns = node_columns(network)
    times: dict[tuple[Interval, ...], str] = {}
    rows: list[list[str]] = [["Id", "Label", *([TIME_INTERVAL] if dynamic else []), *columns]]
    for node in network.nodes(spells=dynamic):
        r, g, b = node.colour
        values: dict[str, Any] = {**node.attributes, "color": f"#{r:02x}{g:02x}{b:02x}"}
        values["size"] = node.size
        row = [clean(node.id), clean(node.label)]
        if dynamic:
            row.append(_time_cell(times, node.spells))
        rows.append(row + [_cell(values.get(name), kind) for name, kind in columns.items()])
        if len(rows) >= _CHUNK:
            yield _rows_to_bytes(rows)
            rows = []
    yield _rows_to_bytes(rows)


@gc_paused
def iter_edges_csv(network: ExportNetwork, *, dynamic: bool = False) -> Iterator[bytes]:
    """Yield ``edges.csv`` in UTF-8 chunks.

    Args:
        network: what to write.
        dynamic: add the :data:`TIME_INTERVAL` column after ``Weight``.
    """
    columns = edge_columns(network)
    times: dict[tuple[Interval, ...], str] = {}
    rows: list[list[str]] = [
        ["Source", "Target", "Type", "Weight", *([TIME_INTERVAL] if dynamic else []), *columns]
    ]
    for edge in network.edges(spells=dynamic):
        weight = repr(edge.weight) if math.isfinite(edge.weight) else ""
        row = [clean(edge.source), clean(edge.target), "Undirected", weight]
        if dynamic:
            row.append(_time_cell(times, edge.spells))
        rows.append(
            row + [_cell(edge.attributes.get(name), kind) for name, kind in columns.items()]
        )
        if len(rows) >= _CHUNK:
            yield _rows_to_bytes(rows)
            rows = []
    yield _rows_to_bytes(rows)


def table_metadata(network: ExportNetwork, *, dynamic: bool = False) -> dict[str, Any]:
    """What ``metadata.json`` in the zip says: the network's metadata and column types.

    With ``dynamic`` the :data:`TIME_INTERVAL` column is declared (type ``interval-set``)
    and ``time_interval`` describes its syntax; without it the metadata is the static one.
    """
    time = {TIME_INTERVAL: _TIME_INTERVAL_TYPE} if dynamic else {}
    metadata: dict[str, Any] = {
        "title": network.title,
        "nodes": network.number_of_nodes,
        "edges": network.number_of_edges,
        "node_columns": {"Id": "string", "Label": "string", **time, **node_columns(network)},
        "edge_columns": {
            "Source": "string",
            "Target": "string",
            "Type": "string",
            "Weight": "double",
            **time,
            **edge_columns(network),
        },
        "lists": "JSON arrays of strings",
    }
    if dynamic:
        metadata["time_interval"] = {
            "column": TIME_INTERVAL,
            "syntax": "<[start, end];[start, end]>: closed intervals (both days included)",
            "timeformat": "date (ISO 8601, YYYY-MM-DD)",
            "open_start": "-Infinity",
            "open_end": "Infinity",
            "empty": "always present",
            "source": "the spells of the dynamic GEXF (the partnerships' periods)",
        }
    metadata["network"] = network.metadata
    return metadata


def write_zip(network: ExportNetwork, target: IO[bytes], *, dynamic: bool = False) -> None:
    """Write the bundle (``nodes.csv``, ``edges.csv``, ``metadata.json``) to ``target``.

    The CSV files are compressed as they are produced, so only the zip's own buffers are
    held in memory. ``target`` must be seekable or a plain writable stream (zipfile then
    writes data descriptors). ``dynamic`` adds the :data:`TIME_INTERVAL` column to both
    tables and declares it in ``metadata.json``.
    """
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for name, chunks in (
            ("nodes.csv", iter_nodes_csv(network, dynamic=dynamic)),
            ("edges.csv", iter_edges_csv(network, dynamic=dynamic)),
        ):
            with bundle.open(name, "w", force_zip64=True) as member:
                for chunk in chunks:
                    member.write(chunk)
        bundle.writestr(
            "metadata.json",
            json.dumps(
                table_metadata(network, dynamic=dynamic),
                ensure_ascii=False,
                indent=2,
                default=str,
            ),
        )
