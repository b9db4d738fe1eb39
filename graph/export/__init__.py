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
- :mod:`~inclusion_kg.graph.export.formats`    the network formats by name and the media types

Every writer yields UTF-8 byte chunks, so a file, a zip member or an HTTP response takes
them as they come. :data:`NETWORK_FORMATS` names the network formats for the CLI and HTTP.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from inclusion_kg.graph.errors import InputError
from inclusion_kg.graph.export.formats import (
    CSV_MEDIA_TYPE,
    GEXF_MEDIA_TYPE,
    GRAPHML_MEDIA_TYPE,
    GRAPHOLOGY_MEDIA_TYPE,
    NETWORK_FORMATS,
    ZIP_MEDIA_TYPE,
    NetworkFormat,
    network_format,
)
from inclusion_kg.graph.export.rdf import RDF_DUMP_FORMATS, RdfDumpFormat, dump_rdf

if TYPE_CHECKING:
    from inclusion_kg.graph.export.gexf import iter_gexf
    from inclusion_kg.graph.export.graphml import iter_graphml
    from inclusion_kg.graph.export.graphology import iter_graphology
    from inclusion_kg.graph.export.network import (
        PALETTE,
        ExportEdge,
        ExportNetwork,
        ExportNode,
        ExportOptions,
        Interval,
        prepare,
    )
    from inclusion_kg.graph.export.tables import iter_edges_csv, iter_nodes_csv, write_zip

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


# The network writers and the projection they iterate import networkx, numpy and scipy
# (through the analytics): their names are imported on first use (PEP 562), so that the
# media types and format names above cost nothing to import (``ikg serve`` start-up).
_LAZY: dict[str, str] = {
    "PALETTE": "network",
    "ExportEdge": "network",
    "ExportNetwork": "network",
    "ExportNode": "network",
    "ExportOptions": "network",
    "Interval": "network",
    "prepare": "network",
    "iter_gexf": "gexf",
    "iter_graphml": "graphml",
    "iter_graphology": "graphology",
    "iter_edges_csv": "tables",
    "iter_nodes_csv": "tables",
    "write_zip": "tables",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        msg = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
