"""The scale-out backend: any SPARQL 1.1 Query + Update endpoint, spoken over HTTP.

Fuseki, GraphDB, Virtuoso, QLever or ``oxigraph serve`` take the store's place; the rest
of the service does not notice. What the protocol leaves open is settled here:

- **Union default graph.** A query that names no dataset is sent with every named graph
  as ``default-graph-uri`` and ``named-graph-uri`` (listed with ``GRAPH ?g {}`` and cached
  for two seconds), so the default graph is the union whatever the server's own
  configuration. FROM / FROM NAMED in the query, or a dataset given by the caller, go
  through untouched.
- **Atomic writes.** A load, replace or restore is one SPARQL Update request
  (``INSERT DATA``, after ``DROP`` where it replaces), which SPARQL 1.1 servers apply as
  one operation. It is never split in chunks: blank nodes would lose their identity across
  requests and a failure halfway would leave half a batch.
- **Same policy, same formats.** SERVICE / LOAD are refused unless allow-listed before
  anything is sent; results are fetched as SPARQL JSON or N-Triples and re-serialised by
  pyoxigraph into the requested format with the row cap, exactly as the embedded store does.
- **Deadlines.** The whole exchange (connect, send, read) has one deadline; when it passes
  the connection is closed (servers such as Oxigraph then stop the query) and the caller
  gets :class:`~inclusion_kg.graph.errors.QueryTimeout`.

Errors: an unreachable endpoint, a 5xx, a 401/403 or a 404 is
:class:`~inclusion_kg.graph.errors.BackendUnavailable`; a 400 (the server could not parse
the request) is :class:`~inclusion_kg.graph.errors.InputError` with the server's message.
"""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice
from typing import IO, Any, cast

import httpx
from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Triple,
    parse,
    parse_query_results,
    serialize,
)

from inclusion_kg.graph.errors import BackendUnavailable, InputError, NotFound, QueryTimeout
from inclusion_kg.graph.provenance import graph_info
from inclusion_kg.graph.settings import Settings
from inclusion_kg.graph.sparql import (
    OUTPUT_PREFIXES,
    Operation,
    SpooledChunks,
    check_query,
    check_update,
    write_solutions,
    write_triples,
)
from inclusion_kg.graph.store import GraphInfo, QueryKind, QueryResponse, Row
from inclusion_kg.graph.store.formats import (
    media_type_essence,
    media_type_of,
    parse_rdf,
    rdf_format,
    result_format,
)
from inclusion_kg.graph.store.oxigraph import insert_data, named_node, solution_row

__all__ = ["RemoteStore"]

_JSON = "application/sparql-results+json"
_RESULTS_ACCEPT = f"{_JSON}, application/sparql-results+xml;q=0.9, text/tab-separated-values;q=0.8"
_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
_ANY_ACCEPT = f"{_RESULTS_ACCEPT}, {_GRAPH_ACCEPT}"
_DUMP_CHUNK = 20_000
_ALL_QUADS = (
    "{ { GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?h { ?s ?p ?o } } } }"
)
"""Every quad once: the named graphs, plus default-graph triples found in no named graph
(so a server whose default graph is the union does not double its named graphs)."""


def _body_text(response: httpx.Response) -> str:
    try:
        text = response.read().decode("utf-8", errors="replace").strip()
    except httpx.HTTPError:
        return ""
    return text[:1000]


class RemoteStore:
    """The :class:`~inclusion_kg.graph.store.Store` over a SPARQL 1.1 endpoint.

    Args:
        query_url: the SPARQL 1.1 Query endpoint.
        update_url: the Update endpoint; None makes the store read-only.
        settings: timeouts, row cap and allow-list to enforce.
        client: an httpx client to use (one is made otherwise; closed by :meth:`close`).
        write_timeout: seconds allowed for a write request (loads can be large).
    """

    GRAPH_CACHE_SECONDS = 2.0

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        settings: Settings | None = None,
        *,
        client: httpx.Client | None = None,
        write_timeout: float = 300.0,
    ) -> None:
        self.query_url = query_url
        self.update_url = update_url
        self._settings = settings if settings is not None else Settings.model_construct()
        self._client = client or httpx.Client(follow_redirects=False, trust_env=False)
        self._write_timeout = write_timeout
        self._graph_cache: tuple[float, list[str]] | None = None
        self._cache_lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> RemoteStore:
        """Build the store from ``IKG_REMOTE_QUERY_URL`` / ``IKG_REMOTE_UPDATE_URL``.

        Raises:
            BackendUnavailable: no query endpoint is configured.
        """
        if not settings.remote_query_url:
            msg = (
                "IKG_STORE=remote needs IKG_REMOTE_QUERY_URL (the SPARQL query endpoint) and, "
                "for writes, IKG_REMOTE_UPDATE_URL."
            )
            raise BackendUnavailable(msg)
        return cls(settings.remote_query_url, settings.remote_update_url, settings)

    @property
    def settings(self) -> Settings:
        """The settings this store enforces."""
        return self._settings

    def __repr__(self) -> str:
        return f"<RemoteStore {self.query_url}>"

    # -- HTTP -----------------------------------------------------------------------

    def _exchange(
        self,
        url: str,
        *,
        timeout: float,
        what: str,
        data: Mapping[str, str | list[str]] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> tuple[str, IO[bytes]]:
        """POST and spool the response body; return its media type and the spool.

        Raises:
            QueryTimeout: the deadline passed.
            InputError: the server refused the request as malformed (400).
            BackendUnavailable: the server cannot be reached or failed.
        """
        deadline = time.monotonic() + timeout
        spool = cast(IO[bytes], tempfile.TemporaryFile())  # noqa: SIM115
        limits = httpx.Timeout(timeout, connect=min(timeout, 10.0))
        try:
            with self._client.stream(
                "POST", url, data=data, content=content, headers=headers, timeout=limits
            ) as response:
                if response.status_code >= 300:
                    self._raise_for(response, url, what)
                for chunk in response.iter_bytes():
                    spool.write(chunk)
                    if time.monotonic() > deadline:
                        late = "deadline passed"
                        raise httpx.ReadTimeout(late, request=response.request)
                media = media_type_essence(response.headers.get("content-type", ""))
        except httpx.TimeoutException:
            spool.close()
            msg = (
                f"{what} ran longer than {timeout:g} s at {url} and was abandoned. Make it more "
                "selective, or raise IKG_QUERY_TIMEOUT."
            )
            raise QueryTimeout(msg) from None
        except httpx.HTTPError as error:
            spool.close()
            msg = f"The SPARQL endpoint {url} cannot be reached: {error}"
            raise BackendUnavailable(msg) from None
        except BaseException:
            spool.close()
            raise
        spool.seek(0)
        return media, spool

    @staticmethod
    def _raise_for(response: httpx.Response, url: str, what: str) -> None:
        status, body = response.status_code, _body_text(response)
        if status == 400:
            msg = f"{what} was refused by the endpoint: {body or 'bad request'}"
            raise InputError(msg)
        if status in (401, 403):
            msg = f"The SPARQL endpoint {url} refused our credentials ({status})."
        elif status in (404, 405):
            msg = f"There is no SPARQL endpoint at {url} ({status}); check IKG_REMOTE_*_URL."
        else:
            msg = f"The SPARQL endpoint {url} failed ({status}): {body}"
        raise BackendUnavailable(msg)

    def _timeout(self, timeout: float | None) -> float:
        return self._settings.query_timeout if timeout is None else timeout

    def _union_graphs(self) -> list[str]:
        with self._cache_lock:
            cached = self._graph_cache
            if cached is not None and time.monotonic() - cached[0] < self.GRAPH_CACHE_SECONDS:
                return cached[1]
        rows = self._select_raw("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", {}, 30.0)
        names = sorted(name.value for row in rows if isinstance(name := row.get("g"), NamedNode))
        with self._cache_lock:
            self._graph_cache = (time.monotonic(), names)
        return names

    def _forget_graphs(self) -> None:
        with self._cache_lock:
            self._graph_cache = None

    def _dataset(
        self,
        operation: Operation,
        default_graph_uris: Sequence[str],
        named_graph_uris: Sequence[str],
    ) -> dict[str, list[str]]:
        if default_graph_uris or named_graph_uris:
            for iri in [*default_graph_uris, *named_graph_uris]:
                named_node(iri)
            return {
                "default-graph-uri": list(default_graph_uris),
                "named-graph-uri": list(named_graph_uris),
            }
        if operation.has_dataset:
            return {}
        graphs = self._union_graphs()
        if not graphs:
            return {}
        return {"default-graph-uri": graphs, "named-graph-uri": graphs}

    def _post_query(
        self, sparql: str, dataset: Mapping[str, list[str]], accept: str, timeout: float, what: str
    ) -> tuple[str, IO[bytes]]:
        form: dict[str, str | list[str]] = {"query": sparql, **dataset}
        return self._exchange(
            self.query_url, timeout=timeout, what=what, data=form, headers={"Accept": accept}
        )

    def _select_raw(
        self, sparql: str, dataset: Mapping[str, list[str]], timeout: float
    ) -> list[Row]:
        media, spool = self._post_query(sparql, dataset, _RESULTS_ACCEPT, timeout, "The query")
        with spool:
            solutions = self._solutions(media, spool)
            variables = solutions.variables
            return [solution_row(solution, variables) for solution in solutions]

    @staticmethod
    def _results(media: str, spool: IO[bytes]) -> QuerySolutions | QueryBoolean:
        fmt = QueryResultsFormat.from_media_type(media) if media else QueryResultsFormat.JSON
        if fmt is None:
            msg = f"The endpoint answered with {media!r}, not SPARQL results."
            raise BackendUnavailable(msg)
        try:
            return parse_query_results(spool, fmt)
        except (SyntaxError, ValueError) as error:
            msg = f"The endpoint's {fmt.name} results do not parse: {error}"
            raise BackendUnavailable(msg) from None

    def _solutions(self, media: str, spool: IO[bytes]) -> QuerySolutions:
        result = self._results(media, spool)
        if not isinstance(result, QuerySolutions):
            msg = "Expected SELECT solutions from the endpoint, got a boolean."
            raise InputError(msg)
        return result

    @staticmethod
    def _triples(media: str, spool: IO[bytes]) -> Iterator[Triple]:
        try:
            fmt = rdf_format(media or "application/n-triples")
        except InputError:
            msg = f"The endpoint answered with {media!r}, not RDF."
            raise BackendUnavailable(msg) from None
        return (quad.triple for quad in parse(spool, fmt))

    # -- queries --------------------------------------------------------------------

    def query(
        self,
        sparql: str,
        *,
        media_type: str | None = None,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        timeout: float | None = None,
    ) -> QueryResponse:
        """Run a query at the endpoint and re-serialise its result; see the Store protocol.

        Raises:
            InputError: the query is malformed or the media type does not fit.
            Forbidden: it would fetch a URL that is not allow-listed.
            QueryTimeout: the deadline passed.
            BackendUnavailable: the endpoint cannot be reached or failed.
        """
        operation = check_query(sparql, self._settings.allowed_urls)
        if operation.kind is not None:
            result_format(operation.kind, media_type)  # refuse a wrong media type first
        accept = {"solutions": _RESULTS_ACCEPT, "boolean": _RESULTS_ACCEPT, "graph": _GRAPH_ACCEPT}
        dataset = self._dataset(operation, default_graph_uris, named_graph_uris)
        seconds = self._timeout(timeout)
        media, spool = self._post_query(
            sparql, dataset, accept.get(operation.kind or "", _ANY_ACCEPT), seconds, "The query"
        )
        out = cast(IO[bytes], tempfile.TemporaryFile())  # noqa: SIM115
        try:
            with spool:
                kind, fmt, truncated = self._reserialise(media, spool, media_type, out)
        except BaseException:
            out.close()
            raise
        out.seek(0)
        return QueryResponse(kind, fmt, SpooledChunks(out), truncated)

    def _reserialise(
        self, media: str, spool: IO[bytes], media_type: str | None, out: IO[bytes]
    ) -> tuple[QueryKind, str, bool]:
        max_rows = self._settings.max_rows
        if QueryResultsFormat.from_media_type(media) is not None and media != "text/plain":
            result = self._results(media, spool)
            if isinstance(result, QueryBoolean):
                fmt = result_format("boolean", media_type)
                assert isinstance(fmt, QueryResultsFormat)  # noqa: S101
                result.serialize(out, fmt)
                return "boolean", media_type_of(fmt), False
            fmt = result_format("solutions", media_type)
            assert isinstance(fmt, QueryResultsFormat)  # noqa: S101
            return "solutions", media_type_of(fmt), write_solutions(result, out, fmt, max_rows)
        graph_fmt = result_format("graph", media_type)
        assert isinstance(graph_fmt, RdfFormat)  # noqa: S101
        truncated = write_triples(self._triples(media, spool), out, graph_fmt, max_rows)
        return "graph", media_type_of(graph_fmt), truncated

    def select(self, sparql: str, *, timeout: float | None = None) -> list[Row]:
        """Run a SELECT over the union of all graphs and return decoded rows.

        Raises:
            InputError: not a SELECT, malformed, or (with a timeout) over ``max_rows`` rows.
            QueryTimeout: the deadline passed.
            BackendUnavailable: the endpoint cannot be reached or failed.
        """
        operation = check_query(sparql, self._settings.allowed_urls, ("select",))
        rows = self._select_raw(sparql, self._dataset(operation, (), ()), self._timeout(timeout))
        max_rows = self._settings.max_rows
        if timeout is not None and len(rows) > max_rows:
            msg = f"The query returns more than {max_rows} rows; add a LIMIT (and an OFFSET)."
            raise InputError(msg)
        return rows

    def ask(self, sparql: str, *, timeout: float | None = None) -> bool:
        """Run an ASK over the union of all graphs.

        Raises:
            InputError: not an ASK, or malformed.
            QueryTimeout: the deadline passed.
            BackendUnavailable: the endpoint cannot be reached or failed.
        """
        operation = check_query(sparql, self._settings.allowed_urls, ("ask",))
        media, spool = self._post_query(
            sparql,
            self._dataset(operation, (), ()),
            _RESULTS_ACCEPT,
            self._timeout(timeout),
            "The query",
        )
        with spool:
            result = self._results(media, spool)
        return bool(result)

    # -- writes ---------------------------------------------------------------------

    def _post_update(self, update: str, timeout: float | None, what: str) -> None:
        if not self.update_url:
            msg = "This remote store is read-only: set IKG_REMOTE_UPDATE_URL to write to it."
            raise BackendUnavailable(msg)
        try:
            _, spool = self._exchange(
                self.update_url,
                timeout=timeout if timeout is not None else self._write_timeout,
                what=what,
                content=update.encode(),
                headers={"Content-Type": "application/sparql-update; charset=utf-8"},
            )
            spool.close()
        finally:
            self._forget_graphs()

    def update(self, sparql: str, *, timeout: float | None = None) -> None:
        """Send a SPARQL 1.1 Update (one request, applied atomically by the server).

        Raises:
            InputError: the endpoint refuses it as malformed.
            Forbidden: it would LOAD (or SERVICE) a URL that is not allow-listed.
            QueryTimeout: the deadline passed (the server may still apply it).
            BackendUnavailable: the endpoint cannot be reached, failed, or is read-only.
        """
        check_update(sparql, self._settings.allowed_urls)
        self._post_update(sparql, timeout, "The update")

    def load(self, data: bytes, media_type: str, *, graph: str | None = None) -> int:
        """Parse ``data`` here, then insert it in one update request.

        Raises:
            InputError: the data does not parse (nothing is sent).
            BackendUnavailable: the endpoint cannot be reached or failed.
        """
        quads = parse_rdf(data, media_type)
        if graph is not None:
            name = named_node(graph)
            quads = [Quad(q.subject, q.predicate, q.object, name) for q in quads]
        if quads:
            self._post_update(insert_data(quads), None, "Loading the data")
        return len(set(quads))

    def replace_graph(self, graph: str, data: bytes, media_type: str) -> int:
        """Replace one graph by ``data`` in one update request (DROP then INSERT DATA).

        Raises:
            InputError: the data does not parse.
            BackendUnavailable: the endpoint cannot be reached or failed.
        """
        name = named_node(graph)
        quads = [Quad(q.subject, q.predicate, q.object, name) for q in parse_rdf(data, media_type)]
        update = insert_data(quads, drop=f"DROP SILENT GRAPH {name}")
        if not quads:
            update = f"DROP SILENT GRAPH {name} ; CREATE SILENT GRAPH {name}"
        self._post_update(update, None, "Replacing the graph")
        return len(set(quads))

    def drop_graph(self, graph: str) -> None:
        """Drop one graph.

        Raises:
            NotFound: the endpoint has no such graph (with triples).
            BackendUnavailable: the endpoint cannot be reached or failed.
        """
        name = named_node(graph)
        if not self._ask_raw(f"ASK {{ GRAPH {name} {{ ?s ?p ?o }} }}"):
            msg = f"The store has no graph <{graph}>."
            raise NotFound(msg)
        self._post_update(f"DROP GRAPH {name}", None, "Dropping the graph")

    def restore(self, chunks: Iterable[bytes], media_type: str = "application/n-quads") -> int:
        """Replace everything at the endpoint by a dump, in one update request.

        Raises:
            InputError: the dump does not parse (nothing is sent).
            BackendUnavailable: the endpoint cannot be reached or failed.
        """
        quads = parse_rdf(b"".join(chunks), media_type, label="The dump")
        self._post_update(insert_data(quads, drop="DROP ALL"), None, "Restoring the dump")
        return len(set(quads))

    # -- reading whole graphs -------------------------------------------------------

    def _ask_raw(self, sparql: str) -> bool:
        media, spool = self._post_query(sparql, {}, _RESULTS_ACCEPT, 30.0, "The query")
        with spool:
            return bool(self._results(media, spool))

    def graphs(self) -> list[GraphInfo]:
        """List the named graphs with their size and self-description."""
        timeout = max(self._settings.query_timeout, 60.0)
        counts: dict[str, int] = {}
        for row in self._select_raw(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", {}, timeout
        ):
            name, count = row.get("g"), row.get("n")
            if isinstance(name, NamedNode) and isinstance(count, Literal):
                counts[name.value] = int(count.value)
        statements: dict[str, list[tuple[NamedNode, Any]]] = {}
        for row in self._select_raw("SELECT ?g ?p ?o WHERE { GRAPH ?g { ?g ?p ?o } }", {}, timeout):
            name, predicate = row.get("g"), row.get("p")
            if isinstance(name, NamedNode) and isinstance(predicate, NamedNode):
                statements.setdefault(name.value, []).append((predicate, row.get("o")))
        return [graph_info(iri, counts[iri], statements.get(iri, ())) for iri in sorted(counts)]

    def dump(
        self, media_type: str = "application/n-quads", *, graph: str | None = None
    ) -> Iterator[bytes]:
        """Serialise the endpoint's data (N-Quads, TriG) or one graph.

        Raises:
            InputError: a whole-store dump in a format without named graphs.
            NotFound: ``graph`` is not at the endpoint.
        """
        fmt = rdf_format(media_type)
        timeout = max(self._settings.query_timeout, 600.0)
        if graph is not None:
            name = named_node(graph)
            if not self._ask_raw(f"ASK {{ GRAPH {name} {{ ?s ?p ?o }} }}"):
                msg = f"The store has no graph <{graph}>."
                raise NotFound(msg)
            query = f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH {name} {{ ?s ?p ?o }} BIND({name} AS ?g) }}"
        elif not fmt.supports_datasets:
            msg = (
                f"A dump of the whole store needs a format with named graphs (N-Quads, TriG), "
                f"not {fmt.name}; or dump one graph."
            )
            raise InputError(msg)
        else:
            query = f"SELECT ?s ?p ?o ?g WHERE {_ALL_QUADS}"
        media, spool = self._post_query(query, {}, _RESULTS_ACCEPT, timeout, "The dump")
        return self._dump_chunks(media, spool, fmt, graph is not None)

    def _dump_chunks(
        self, media: str, spool: IO[bytes], fmt: RdfFormat, one_graph: bool
    ) -> Iterator[bytes]:
        with spool:
            quads = (self._quad(row) for row in self._solutions(media, spool))
            if fmt in (RdfFormat.N_QUADS, RdfFormat.N_TRIPLES):
                while batch := list(islice(quads, _DUMP_CHUNK)):
                    items = batch if fmt == RdfFormat.N_QUADS else [q.triple for q in batch]
                    yield serialize(items, format=fmt) or b""
                return
            items_all: list[Quad] | list[Triple] = list(quads)
            if one_graph and not fmt.supports_datasets:
                items_all = [q.triple for q in cast(list[Quad], items_all)]
            prefixes = OUTPUT_PREFIXES if fmt != RdfFormat.JSON_LD else None
            yield serialize(items_all, format=fmt, prefixes=prefixes) or b""

    @staticmethod
    def _quad(solution: Any) -> Quad:
        graph = solution["g"]
        name: NamedNode | BlankNode | DefaultGraph = (
            graph if isinstance(graph, NamedNode | BlankNode) else DefaultGraph()
        )
        return Quad(solution["s"], solution["p"], solution["o"], name)

    def __len__(self) -> int:
        """Return the number of quads at the endpoint."""
        rows = self._select_raw(f"SELECT (COUNT(*) AS ?n) WHERE {_ALL_QUADS}", {}, 600.0)
        count = rows[0].get("n") if rows else None
        return int(count.value) if isinstance(count, Literal) else 0

    def close(self) -> None:
        """Close the HTTP connections."""
        self._client.close()
