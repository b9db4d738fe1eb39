"""One store interface over three backends: Oxigraph on disk, Oxigraph in memory, remote SPARQL.

The embedded engine is pyoxigraph, driven directly for queries, loads and result
serialisation (rdflib's engine is 18x to 1,000x slower on the analysts' queries, so it
never sits on the request path). A remote SPARQL 1.1 Query+Update endpoint is the
scale-out path: the same interface, spoken over HTTP.

Contract shared by every backend:

- Results come back already serialised in the requested media type, as an iterator of
  byte chunks (:class:`QueryResponse`), so the HTTP layer streams them and never holds a
  large result twice. :meth:`Store.select` gives library code (analytics, REST) decoded
  rows instead.
- Every write is all or nothing: either the whole batch is in the store or none of it.
- Named graphs are batches; the default graph is the union of all graphs for queries
  unless a request names its dataset (``default-graph-uri`` / ``named-graph-uri``).
- Errors are :mod:`inclusion_kg.graph.errors` types: a malformed query or data is an
  ``InputError`` carrying the parser's message; an unknown graph is ``NotFound``; a query
  past its deadline is ``QueryTimeout``; an unreachable backend is ``BackendUnavailable``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Protocol, runtime_checkable

if TYPE_CHECKING:
    from inclusion_kg.graph.settings import Settings

__all__ = ["GraphInfo", "QueryKind", "QueryResponse", "Row", "Store", "open_store"]

QueryKind = Literal["solutions", "boolean", "graph"]

Row = dict[str, object]
"""One solution of a SELECT: variable name -> pyoxigraph term (NamedNode, Literal, BlankNode)."""


@dataclass(frozen=True)
class QueryResponse:
    """A serialised query result, ready to stream.

    Attributes:
        kind: what the query produced (SELECT solutions, an ASK boolean, or triples).
        media_type: the media type the chunks are serialised in.
        chunks: the serialised result, produced lazily.
        truncated: rows (or triples) were left out because the result passed
            ``settings.max_rows``; the chunks hold the first ``max_rows`` of them.
    """

    kind: QueryKind
    media_type: str
    chunks: Iterator[bytes]
    truncated: bool = False


@dataclass(frozen=True)
class GraphInfo:
    """A named graph (a batch) and what its PROV-O self-description says about it."""

    iri: str
    triples: int
    title: str | None = None
    generated_at: str | None = None
    attributed_to: str | None = None
    source: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


@runtime_checkable
class Store(Protocol):
    """What every backend offers; see the module docstring for the shared contract."""

    def query(
        self,
        sparql: str,
        *,
        media_type: str | None = None,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        timeout: float | None = None,
    ) -> QueryResponse:
        """Run a SPARQL query and return its result serialised as ``media_type``.

        ``media_type`` None picks SPARQL JSON for solutions/booleans and N-Triples for graphs.

        Raises:
            InputError: the query does not parse, or the media type does not fit the kind.
            QueryTimeout: the query ran past ``timeout`` seconds and was cancelled.
            BackendUnavailable: the backend cannot be reached.
        """
        ...

    def select(self, sparql: str, *, timeout: float | None = None) -> list[Row]:
        """Run a SELECT over the union of all graphs and return decoded rows.

        ``timeout`` None runs the query unbounded and uncapped (library code with queries
        of its own); with a timeout it is bounded like :meth:`query`, and more than
        ``settings.max_rows`` rows is an ``InputError`` rather than a silent cut.
        """
        ...

    def ask(self, sparql: str, *, timeout: float | None = None) -> bool:
        """Run an ASK over the union of all graphs (bounded only when ``timeout`` is given)."""
        ...

    def update(self, sparql: str, *, timeout: float | None = None) -> None:
        """Apply a SPARQL 1.1 Update atomically.

        The embedded backends cannot enforce ``timeout`` (a write is not killed halfway);
        the remote backend uses it as the HTTP deadline.

        Raises:
            InputError: the update does not parse.
            Forbidden: it asks to LOAD a URL that is not allow-listed.
        """
        ...

    def load(self, data: bytes, media_type: str, *, graph: str | None = None) -> int:
        """Parse ``data`` and add it in one transaction; return the number of quads in it.

        The count is of distinct quads in the data (blank nodes are renamed apart, so a
        re-load adds them again).

        With ``graph`` every triple goes to that named graph; otherwise quads keep their
        graph (TriG, N-Quads) and triples go to the default graph.

        Raises:
            InputError: the data does not parse (nothing is written).
        """
        ...

    def replace_graph(self, graph: str, data: bytes, media_type: str) -> int:
        """Replace the content of one named graph atomically; return its new size."""
        ...

    def drop_graph(self, graph: str) -> None:
        """Remove one named graph and all of its triples.

        Raises:
            NotFound: the store has no such graph.
        """
        ...

    def graphs(self) -> list[GraphInfo]:
        """List the named graphs with their size and PROV-O description."""
        ...

    def dump(
        self, media_type: str = "application/n-quads", *, graph: str | None = None
    ) -> Iterator[bytes]:
        """Serialise the whole store (N-Quads, TriG) or one graph, lazily."""
        ...

    def restore(self, chunks: Iterable[bytes], media_type: str = "application/n-quads") -> int:
        """Replace the whole store by a dump, atomically; return the number of quads."""
        ...

    def __len__(self) -> int:
        """Return the number of quads in the store."""
        ...

    def close(self) -> None:
        """Release files, locks and connections."""
        ...


def open_store(settings: Settings) -> Store:
    """Open the backend the settings choose (``IKG_STORE``).

    Raises:
        BackendUnavailable: the on-disk store is locked by another process, or the remote
            endpoint is not configured.
    """
    if settings.store == "remote":
        from inclusion_kg.graph.store.remote import RemoteStore

        return RemoteStore.from_settings(settings)
    from inclusion_kg.graph.store.oxigraph import OxigraphStore

    if settings.store == "memory":
        return OxigraphStore.in_memory(settings)
    return OxigraphStore.on_disk(settings.data_dir, settings)
