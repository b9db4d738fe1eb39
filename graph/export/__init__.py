"""Exports of the partnership network and of the store, for Gephi and other tools.

The map (docs/exports.md has the details and the reasons):

- :mod:`~inclusion_kg.graph.export.network`    :func:`prepare` projects the network with the
  analytics' filters and metrics into an :class:`ExportNetwork` (typed attributes, colours,
  sizes, periods) that every network writer iterates
- :mod:`~inclusion_kg.graph.export.gexf`       GEXF 1.3, static or dynamic (Gephi's timeline)
- :mod:`~inclusion_kg.graph.export.graphml`    GraphML (lists as JSON strings)
- :mod:`~inclusion_kg.graph.export.tables`     Gephi's spreadsheet CSV pair, and a zip of both
- :mod:`~inclusion_kg.graph.export.graphology` graphology's serialised JSON (sigma.js)
- :mod:`~inclusion_kg.graph.export.rdf`        RDF dumps (N-Quads, N-Triples, Turtle, TriG,
  JSON-LD) of the store or one graph

Every writer yields UTF-8 byte chunks, so a file, a zip member or an HTTP response takes
them as they come. :data:`NETWORK_FORMATS` names the network formats for the CLI and HTTP.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from inclusion_kg.graph.errors import InputError
from inclusion_kg.graph.export.gexf import GEXF_MEDIA_TYPE, iter_gexf
from inclusion_kg.graph.export.graphml import GRAPHML_MEDIA_TYPE, iter_graphml
from inclusion_kg.graph.export.graphology import GRAPHOLOGY_MEDIA_TYPE, iter_graphology
from inclusion_kg.graph.export.network import (
    PALETTE,
    ExportEdge,
    ExportNetwork,
    ExportNode,
    ExportOptions,
    Interval,
    prepare,
)
from inclusion_kg.graph.export.rdf import RDF_DUMP_FORMATS, RdfDumpFormat, dump_rdf
from inclusion_kg.graph.export.tables import (
    CSV_MEDIA_TYPE,
    ZIP_MEDIA_TYPE,
    iter_edges_csv,
    iter_nodes_csv,
    write_zip,
)

__all__ = [
    "CSV_MEDIA_TYPE",
    "GEXF_MEDIA_TYPE",
    "GRAPHML_MEDIA_TYPE",
    "GRAPHOLOGY_MEDIA_TYPE",
    "NETWORK_FORMATS",
    "PALETTE",
    "RDF_DUMP_FORMATS",
    "ZIP_MEDIA_TYPE",
    "ExportEdge",
    "ExportNetwork",
    "ExportNode",
    "ExportOptions",
    "Interval",
    "NetworkFormat",
    "RdfDumpFormat",
    "dump_rdf",
    "iter_edges_csv",
    "iter_gexf",
    "iter_graphml",
    "iter_graphology",
    "iter_nodes_csv",
    "network_format",
    "prepare",
    "write_chunks",
    "write_zip",
]


@dataclass(frozen=True)
class NetworkFormat:
    """A single-file network format: name, media type, extension and writer."""

    name: str
    media_type: str
    extension: str
    write: Callable[[ExportNetwork], Iterator[bytes]]


def _gexf_dynamic(network: ExportNetwork) -> Iterator[bytes]:
    return iter_gexf(network, dynamic=True)


NETWORK_FORMATS: dict[str, NetworkFormat] = {
    f.name: f
    for f in (
        NetworkFormat("gexf", GEXF_MEDIA_TYPE, "gexf", iter_gexf),
        NetworkFormat("gexf-dynamic", GEXF_MEDIA_TYPE, "gexf", _gexf_dynamic),
        NetworkFormat("graphml", GRAPHML_MEDIA_TYPE, "graphml", iter_graphml),
        NetworkFormat("graphology", GRAPHOLOGY_MEDIA_TYPE, "json", iter_graphology),
        NetworkFormat("nodes-csv", CSV_MEDIA_TYPE, "csv", iter_nodes_csv),
        NetworkFormat("edges-csv", CSV_MEDIA_TYPE, "csv", iter_edges_csv),
    )
}
"""Single-file network formats by name (the zip bundle is :func:`write_zip`, served as
:data:`ZIP_MEDIA_TYPE`)."""


def network_format(name: str) -> NetworkFormat:
    """Return a network format by name.

    Raises:
        InputError: no such format.
    """
    try:
        return NETWORK_FORMATS[name]
    except KeyError:
        msg = f"unknown network format {name!r}; use one of {', '.join(NETWORK_FORMATS)}"
        raise InputError(msg) from None


def write_chunks(chunks: Iterable[bytes], path: Path) -> int:
    """Write chunks to ``path`` atomically (a ``.part`` file renamed at the end).

    Returns:
        The number of bytes written.

    Raises:
        InputError: the file cannot be written (the partial file is removed).
    """
    partial = path.with_name(path.name + ".part")
    written = 0
    try:
        with partial.open("wb") as target:
            for chunk in chunks:
                target.write(chunk)
                written += len(chunk)
        partial.replace(path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        msg = f"{path}: cannot write the export ({error.strerror or error})."
        raise InputError(msg) from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return written
