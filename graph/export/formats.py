"""The network export formats by name, with their media types: importable on their own.

The HTTP routes declare these media types when the service starts, long before anyone
downloads a network. The writers need the analytics (networkx, numpy, scipy), so each
:class:`NetworkFormat` imports its writer on first call and this module imports nothing
heavy: ``ikg serve`` starts without the analytics stack (issue 3, start-up time).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from inclusion_kg.graph.errors import InputError

if TYPE_CHECKING:
    from inclusion_kg.graph.export.network import ExportNetwork

__all__ = [
    "CSV_MEDIA_TYPE",
    "GEXF_MEDIA_TYPE",
    "GRAPHML_MEDIA_TYPE",
    "GRAPHOLOGY_MEDIA_TYPE",
    "NETWORK_FORMATS",
    "ZIP_MEDIA_TYPE",
    "NetworkFormat",
    "network_format",
]

GEXF_MEDIA_TYPE = "application/gexf+xml"
"""GEXF has no registered media type; ``application/gexf+xml`` is the one in common use
(the ``+xml`` suffix lets any XML tool open it)."""
GRAPHML_MEDIA_TYPE = "application/graphml+xml"
"""Not registered either; the type GraphML tools and servers use."""
GRAPHOLOGY_MEDIA_TYPE = "application/json"
"""graphology's serialisation format is plain JSON."""
CSV_MEDIA_TYPE = "text/csv"
ZIP_MEDIA_TYPE = "application/zip"


@dataclass(frozen=True)
class NetworkFormat:
    """A single-file network format: name, media type, extension and writer."""

    name: str
    media_type: str
    extension: str
    write: Callable[[ExportNetwork], Iterator[bytes]]


def _gexf(network: ExportNetwork) -> Iterator[bytes]:
    from inclusion_kg.graph.export.gexf import iter_gexf

    return iter_gexf(network)


def _gexf_dynamic(network: ExportNetwork) -> Iterator[bytes]:
    from inclusion_kg.graph.export.gexf import iter_gexf

    return iter_gexf(network, dynamic=True)


def _graphml(network: ExportNetwork) -> Iterator[bytes]:
    from inclusion_kg.graph.export.graphml import iter_graphml

    return iter_graphml(network)


def _graphology(network: ExportNetwork) -> Iterator[bytes]:
    from inclusion_kg.graph.export.graphology import iter_graphology

    return iter_graphology(network)


def _nodes_csv(network: ExportNetwork) -> Iterator[bytes]:
    from inclusion_kg.graph.export.tables import iter_nodes_csv

    return iter_nodes_csv(network)


def _edges_csv(network: ExportNetwork) -> Iterator[bytes]:
    from inclusion_kg.graph.export.tables import iter_edges_csv

    return iter_edges_csv(network)


def _nodes_csv_dynamic(network: ExportNetwork) -> Iterator[bytes]:
    from inclusion_kg.graph.export.tables import iter_nodes_csv

    return iter_nodes_csv(network, dynamic=True)


def _edges_csv_dynamic(network: ExportNetwork) -> Iterator[bytes]:
    from inclusion_kg.graph.export.tables import iter_edges_csv

    return iter_edges_csv(network, dynamic=True)


NETWORK_FORMATS: dict[str, NetworkFormat] = {
    f.name: f
    for f in (
        NetworkFormat("gexf", GEXF_MEDIA_TYPE, "gexf", _gexf),
        NetworkFormat("gexf-dynamic", GEXF_MEDIA_TYPE, "gexf", _gexf_dynamic),
        NetworkFormat("graphml", GRAPHML_MEDIA_TYPE, "graphml", _graphml),
        NetworkFormat("graphology", GRAPHOLOGY_MEDIA_TYPE, "json", _graphology),
        NetworkFormat("nodes-csv", CSV_MEDIA_TYPE, "csv", _nodes_csv),
        NetworkFormat("edges-csv", CSV_MEDIA_TYPE, "csv", _edges_csv),
        NetworkFormat("nodes-csv-dynamic", CSV_MEDIA_TYPE, "csv", _nodes_csv_dynamic),
        NetworkFormat("edges-csv-dynamic", CSV_MEDIA_TYPE, "csv", _edges_csv_dynamic),
    )
}
"""Single-file network formats by name (the zip bundle is
:func:`~inclusion_kg.graph.export.tables.write_zip`, served as :data:`ZIP_MEDIA_TYPE`).
The ``-dynamic`` formats carry periods for Gephi's timeline: the GEXF as spells, the CSV
tables as a ``timeset`` column."""


def network_format(name: str) -> NetworkFormat:
    """Return a network format by name.

    >>> network_format("graphml").media_type
    'application/graphml+xml'

    Raises:
        InputError: no such format.
    """
    try:
        return NETWORK_FORMATS[name]
    except KeyError:
        msg = f"unknown network format {name!r}; use one of {', '.join(NETWORK_FORMATS)}"
        raise InputError(msg) from None
