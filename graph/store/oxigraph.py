"""The embedded backend: pyoxigraph on disk (RocksDB, the default) or in memory.

Everything runs inside pyoxigraph: parsing, transactions, query evaluation and result
serialisation. The policies around it live in :mod:`inclusion_kg.graph.sparql` (what a
request may fetch, bounded execution in forked workers, the row cap) and
:mod:`inclusion_kg.graph.store.formats` (media types, a parser that never fetches).

Atomicity: every write is one pyoxigraph transaction (``Store.extend`` for loads,
``Store.update`` for replace, restore and SPARQL Update; never ``bulk_load``, which is not
atomic). Dataset: a query that names no dataset sees the union of all graphs as its
default graph; FROM / FROM NAMED in the query, or the protocol's ``default-graph-uri`` /
``named-graph-uri``, choose graphs of the store instead (the protocol's win when both are
given, and then the dataset is exactly what they list).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import queue
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import islice
from pathlib import Path
from typing import IO, Any, cast

import pyoxigraph
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
    parse_query_results,
    serialize,
)

from inclusion_kg.graph.errors import BackendUnavailable, IkgError, InputError, NotFound
from inclusion_kg.graph.provenance import graph_info
from inclusion_kg.graph.settings import Settings
from inclusion_kg.graph.sparql import (
    OUTPUT_PREFIXES,
    Operation,
    QueryWorkers,
    Request,
    SpooledChunks,
    check_query,
    check_update,
    error_status,
    raise_for_status,
    run_in_thread,
    write_result,
    write_solutions,
)
from inclusion_kg.graph.store import GraphInfo, QueryKind, QueryResponse, Row
from inclusion_kg.graph.store.formats import (
    media_type_of,
    parse_rdf,
    rdf_format,
    result_format,
)

__all__ = ["OxigraphStore", "insert_data", "named_node", "solution_row"]

_DUMP_CHUNK = 20_000
"""Quads per chunk of a streamed N-Quads / N-Triples dump."""


LOOKUP_ROWS = 1000
"""Rows a point lookup may have to be answered in process rather than by a query worker."""
_DEGREE_CACHE = 65_536
"""Subjects whose quad count :meth:`OxigraphStore._subject_quads` keeps."""


def named_node(iri: str, what: str = "graph") -> NamedNode:
    """Return a NamedNode for ``iri``.

    Raises:
        InputError: ``iri`` is not a valid absolute IRI.
    """
    try:
        return NamedNode(iri)
    except ValueError as error:
        msg = f"<{iri}> is not a valid {what} IRI: {error}"
        raise InputError(msg) from None


def solution_row(
    solution: pyoxigraph.QuerySolution, variables: Sequence[pyoxigraph.Variable]
) -> Row:
    """Turn one solution into a row: variable name -> term, unbound variables left out."""
    row: Row = {}
    for variable in variables:
        value = solution[variable]
        if value is not None:
            row[variable.value] = value
    return row


def insert_data(quads: Iterable[Quad], *, drop: str = "") -> str:
    """Write a SPARQL Update that (optionally drops, then) inserts ``quads`` in one request.

    ``drop`` is an update prefix such as ``"DROP ALL"``; blank nodes keep their identity
    across graphs because one INSERT DATA is one blank-node scope.
    """
    by_graph: dict[NamedNode | BlankNode | DefaultGraph, list[Triple]] = {}
    for quad in quads:
        by_graph.setdefault(quad.graph_name, []).append(quad.triple)
    parts = [drop + " ;"] if drop else []
    if by_graph:
        parts.append("INSERT DATA {")
        for name, triples in by_graph.items():
            body = (serialize(triples, format=RdfFormat.N_TRIPLES) or b"").decode()
            if isinstance(name, DefaultGraph):
                parts.append(body)
            else:
                parts.append(f"GRAPH {name} {{\n{body}}}")
        parts.append("}")
    elif drop:
        parts[-1] = drop
    return "\n".join(parts)


def _regraph(quads: list[Quad], graph: NamedNode) -> list[Quad]:
    return [
        quad if quad.graph_name == graph else Quad(quad.subject, quad.predicate, quad.object, graph)
        for quad in quads
    ]


def _storage_error(error: OSError, action: str) -> BackendUnavailable:
    return BackendUnavailable(f"The store failed while {action}: {error}")


class OxigraphStore:
    """The :class:`~inclusion_kg.graph.store.Store` over an embedded pyoxigraph store.

    Build one with :meth:`on_disk` or :meth:`in_memory`. Thread-safe: pyoxigraph
    serialises writers and gives readers a snapshot; bounded queries run in forked workers.
    """

    def __init__(
        self,
        store: pyoxigraph.Store,
        settings: Settings | None = None,
        *,
        location: Path | None = None,
        max_workers: int | None = None,
    ) -> None:
        self._store: pyoxigraph.Store | None = store
        self._settings = settings if settings is not None else Settings.model_construct()
        self.location = location
        self.workers = QueryWorkers(self._serve, max_workers)
        """The forked workers that evaluate bounded queries (:mod:`inclusion_kg.graph.sparql`)."""
        self._degrees: dict[str, int] = {}
        self._degree_generation = -1

    # -- construction ---------------------------------------------------------------

    @classmethod
    def on_disk(cls, path: Path | str, settings: Settings | None = None) -> OxigraphStore:
        """Open (creating it if needed) the RocksDB store in folder ``path``.

        Raises:
            BackendUnavailable: another process holds the store's lock, or the folder
                cannot be used.
        """
        location = Path(path)
        try:
            location.mkdir(parents=True, exist_ok=True)
            store = pyoxigraph.Store(str(location))
        except OSError as error:
            if "lock" in str(error).lower():
                msg = (
                    f"The store in {location} is in use by another process (an `ikg serve` or "
                    "another `ikg` command holds its lock). Stop that process first, or send the "
                    "work to the running service over HTTP."
                )
                raise BackendUnavailable(msg) from None
            msg = f"Cannot open the store in {location}: {error}"
            raise BackendUnavailable(msg) from None
        return cls(store, settings, location=location)

    @classmethod
    def in_memory(cls, settings: Settings | None = None) -> OxigraphStore:
        """Create an empty store that lives in this process's memory only."""
        return cls(pyoxigraph.Store(), settings)

    @property
    def oxigraph(self) -> pyoxigraph.Store:
        """The underlying pyoxigraph store, for library code that reads it directly.

        Raises:
            BackendUnavailable: the store has been closed.
        """
        if self._store is None:
            msg = "The store has been closed."
            raise BackendUnavailable(msg)
        return self._store

    @property
    def settings(self) -> Settings:
        """The settings this store enforces (timeouts, row cap, allow-list)."""
        return self._settings

    def __repr__(self) -> str:
        where = str(self.location) if self.location else "memory"
        return f"<OxigraphStore {where}>"

    # -- queries --------------------------------------------------------------------

    @staticmethod
    def _dataset(
        operation: Operation, default_graph_uris: Sequence[str], named_graph_uris: Sequence[str]
    ) -> dict[str, object]:
        """The dataset of a query, as JSON (it travels to a worker)."""
        if default_graph_uris or named_graph_uris:
            for iri in [*default_graph_uris, *named_graph_uris]:
                named_node(iri)
            return {
                "default_graph": list(default_graph_uris),
                "named_graphs": list(named_graph_uris),
            }
        if operation.has_dataset:
            return {}
        return {"union": True}

    @staticmethod
    def _options(dataset: Mapping[str, object]) -> dict[str, Any]:
        """Return the ``pyoxigraph.Store.query`` options for a dataset from :meth:`_dataset`."""
        if dataset.get("union"):
            return {"use_default_graph_as_union": True}
        if "default_graph" in dataset:
            return {
                "default_graph": [
                    NamedNode(iri) for iri in cast(list[str], dataset["default_graph"])
                ],
                "named_graphs": [
                    NamedNode(iri) for iri in cast(list[str], dataset["named_graphs"])
                ],
            }
        return {}

    def _serve(self, request: Request, out: IO[bytes]) -> dict[str, object]:
        """Carry out a read request: in a worker (the store as it was at the fork), or here."""
        store = self.oxigraph
        result = store.query(str(request["sparql"]), **self._options(request["dataset"]))
        action = request["action"]
        if action == "ask":
            return {"answer": bool(result)}
        cap = cast(int | None, request.get("cap"))
        if action == "select":
            if not isinstance(result, QuerySolutions):
                msg = "Expected a SELECT query."
                raise InputError(msg)
            return {"truncated": write_solutions(result, out, QueryResultsFormat.TSV, cap)}
        media_type = cast(str | None, request.get("media_type"))
        kind: QueryKind = (
            "boolean"
            if isinstance(result, QueryBoolean)
            else "solutions"
            if isinstance(result, QuerySolutions)
            else "graph"
        )
        target = result_format(kind, media_type)
        kind, truncated = write_result(result, out, target, cap)
        return {"kind": kind, "media_type": media_type_of(target), "truncated": truncated}

    def _bounded(
        self, request: Request, timeout: float, what: str = "The query"
    ) -> tuple[dict[str, object], IO[bytes]]:
        self.oxigraph  # noqa: B018 - raises if the store is closed
        if QueryWorkers.available():
            return self.workers.run(request, timeout=timeout, what=what)
        return run_in_thread(self._serve, request, what)

    def query(
        self,
        sparql: str,
        *,
        media_type: str | None = None,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        timeout: float | None = None,
    ) -> QueryResponse:
        """Run a query in a worker killed at the deadline; see the Store protocol.

        ``timeout`` None means ``settings.query_timeout``: this is the path of requests.
        Results are cut at ``settings.max_rows`` rows (or triples); the response says so
        in ``truncated``.

        Raises:
            InputError: the query does not parse, is an update, or ``media_type`` does not
                fit its kind.
            Forbidden: it would fetch a URL that is not allow-listed (SERVICE).
            QueryTimeout: it ran past the deadline and was stopped.
            BackendUnavailable: the store failed or is closed.
        """
        request = self._query_request(sparql, media_type, default_graph_uris, named_graph_uris)
        timeout = self._settings.query_timeout if timeout is None else timeout
        answered = self._lookup_here(request)
        if answered is not None:
            return answered
        return self._query_response(*self._bounded(request, timeout))

    async def aquery(
        self,
        sparql: str,
        *,
        media_type: str | None = None,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        timeout: float | None = None,
    ) -> QueryResponse:
        """:meth:`query` for an event loop: waits for the worker without holding a thread.

        The service's ``/sparql`` awaits this, so a cheap query costs no thread hand-off.
        Same results and errors as :meth:`query`.
        """
        request = self._query_request(sparql, media_type, default_graph_uris, named_graph_uris)
        timeout = self._settings.query_timeout if timeout is None else timeout
        self.oxigraph  # noqa: B018 - raises if the store is closed
        answered = self._lookup_here(request)
        if answered is not None:
            return answered
        if QueryWorkers.available():
            reply = await self.workers.arun(request, timeout=timeout)
        else:
            reply = await asyncio.to_thread(run_in_thread, self._serve, request)
        return self._query_response(*reply)

    def _query_request(
        self,
        sparql: str,
        media_type: str | None,
        default_graph_uris: Sequence[str],
        named_graph_uris: Sequence[str],
    ) -> dict[str, object]:
        """Check a query (fetches, form, media type) and describe it for a worker."""
        operation = check_query(sparql, self._settings.allowed_urls)
        if operation.kind is not None:
            result_format(operation.kind, media_type)  # refuse a wrong media type up front
        max_rows = self._settings.max_rows
        within_cap = (
            operation.form == "select"
            and operation.limit is not None
            and operation.limit <= max_rows
        )
        return {
            "action": "query",
            "sparql": sparql,
            "dataset": self._dataset(operation, default_graph_uris, named_graph_uris),
            "media_type": media_type,
            "cap": None if within_cap else max_rows,
            "lookup": operation.lookup,
        }

    def _lookup_here(self, request: Request) -> QueryResponse | None:
        """Answer a point lookup in this process, or None to send the request to a worker.

        A lookup (one triple pattern with a constant subject, see
        :attr:`~inclusion_kg.graph.sparql.Operation.lookup`) produces a row for every bit
        of work the engine does, so reading at most :data:`LOOKUP_ROWS` rows is bounded
        work (well under a millisecond) that needs no deadline; it saves the round trip
        to a worker process, most of a cheap query's cost. A lookup with more rows than
        that goes to a worker, bounded by the deadline as usual.
        """
        if not request.get("lookup"):
            return None
        with self.workers.reading_here() as free:
            if not free:
                return None
            try:
                return self._answer_lookup(request)
            except IkgError:
                raise
            except Exception as error:  # mapped as a worker's failure would be
                raise_for_status(error_status(error))
                raise  # pragma: no cover - raise_for_status always raises for an error

    def _answer_lookup(self, request: Request) -> QueryResponse | None:
        store = self.oxigraph
        limit = min(LOOKUP_ROWS, self._settings.max_rows)
        if self._subject_quads(str(request["lookup"]), limit) > limit:
            return None
        result = store.query(str(request["sparql"]), **self._options(request["dataset"]))
        kind: QueryKind = "boolean" if isinstance(result, QueryBoolean) else "solutions"
        target = result_format(kind, cast(str | None, request.get("media_type")))
        out = io.BytesIO()
        write_result(result, out, target, None)
        return QueryResponse(kind, media_type_of(target), iter([out.getvalue()]))

    def _subject_quads(self, subject: str, limit: int) -> int:
        """How many quads ``subject`` has in all graphs, counted up to ``limit + 1``.

        They bound a lookup's rows (duplicates and a narrower dataset only lower them).
        Decoding a quad costs about ten microseconds, so counts are kept until the next
        write (the workers' generation), at most :data:`_DEGREE_CACHE` subjects.
        """
        generation = self.workers.generation
        if generation != self._degree_generation or len(self._degrees) >= _DEGREE_CACHE:
            self._degrees = {}
            self._degree_generation = generation
        count = self._degrees.get(subject)
        if count is None:  # `limit` is the same on every call (from the settings)
            quads = self.oxigraph.quads_for_pattern(NamedNode(subject), None, None, None)
            count = sum(1 for _ in islice(quads, limit + 1))
            self._degrees[subject] = count
        return count

    @staticmethod
    def _query_response(status: Mapping[str, object], spool: IO[bytes]) -> QueryResponse:
        return QueryResponse(
            kind=cast(QueryKind, status["kind"]),
            media_type=str(status["media_type"]),
            chunks=SpooledChunks(spool),
            truncated=bool(status.get("truncated")),
        )

    def select(self, sparql: str, *, timeout: float | None = None) -> list[Row]:
        """Run a SELECT over the union of all graphs and return decoded rows.

        With ``timeout`` None the query runs here, unbounded and uncapped: the path of
        library code with queries of its own. With a timeout it runs in a worker, and a
        result over ``settings.max_rows`` rows is an error rather than silently cut.

        Raises:
            InputError: not a SELECT, does not parse, or returns too many rows.
            Forbidden: it would fetch a URL that is not allow-listed.
            QueryTimeout: it ran past ``timeout``.
        """
        operation = check_query(sparql, self._settings.allowed_urls, ("select",))
        dataset = self._dataset(operation, (), ())
        if timeout is None:
            store = self.oxigraph
            options = self._options(dataset)
            result = self._run_here(lambda: store.query(sparql, **options), "The query")
            if not isinstance(result, QuerySolutions):
                msg = "Expected a SELECT query."
                raise InputError(msg)
            variables = result.variables
            return [solution_row(solution, variables) for solution in result]
        max_rows = self._settings.max_rows
        request = {"action": "select", "sparql": sparql, "dataset": dataset, "cap": max_rows}
        status, spool = self._bounded(request, timeout)
        with spool:
            if status.get("truncated"):
                msg = (
                    f"The query returns more than {max_rows} rows; "
                    "add a LIMIT (and an OFFSET to page)."
                )
                raise InputError(msg)
            solutions = parse_query_results(spool, QueryResultsFormat.TSV)
            assert isinstance(solutions, QuerySolutions)  # noqa: S101 - TSV holds solutions
            variables = solutions.variables
            return [solution_row(solution, variables) for solution in solutions]

    def ask(self, sparql: str, *, timeout: float | None = None) -> bool:
        """Run an ASK over the union of all graphs (in a worker when ``timeout`` is given).

        Raises:
            InputError: not an ASK, or it does not parse.
            Forbidden: it would fetch a URL that is not allow-listed.
            QueryTimeout: it ran past ``timeout``.
        """
        operation = check_query(sparql, self._settings.allowed_urls, ("ask",))
        dataset = self._dataset(operation, (), ())
        if timeout is None:
            store = self.oxigraph
            options = self._options(dataset)
            return bool(self._run_here(lambda: store.query(sparql, **options), "The query"))
        status, spool = self._bounded(
            {"action": "ask", "sparql": sparql, "dataset": dataset}, timeout
        )
        spool.close()
        return bool(status["answer"])

    @staticmethod
    def _run_here(action: Callable[[], Any], what: str) -> Any:
        try:
            return action()
        except SyntaxError as error:
            msg = f"{what} does not parse: {error}"
            raise InputError(msg) from None
        except OSError as error:
            raise _storage_error(error, "reading") from None
        except (ValueError, TypeError, RuntimeError) as error:
            msg = f"{what} failed: {error}"
            raise InputError(msg) from None

    # -- writes ---------------------------------------------------------------------

    def _write(self, action: Callable[[pyoxigraph.Store], object], what: str) -> None:
        """Run one write transaction, then retire the query workers forked before it."""
        store = self.oxigraph
        with self.workers.writing():
            self._run_here(lambda: action(store), what)

    def update(self, sparql: str, *, timeout: float | None = None) -> None:
        """Apply a SPARQL 1.1 Update in one transaction.

        ``timeout`` is accepted for the protocol but not enforced here: a write cannot be
        killed halfway without giving up atomicity (see :mod:`inclusion_kg.graph.sparql`).

        Raises:
            InputError: the update does not parse or fails.
            Forbidden: it would LOAD (or SERVICE) a URL that is not allow-listed.
        """
        del timeout
        check_update(sparql, self._settings.allowed_urls)
        self._write(lambda store: store.update(sparql), "The update")

    def load(self, data: bytes, media_type: str, *, graph: str | None = None) -> int:
        """Parse ``data`` fully, then add it in one transaction.

        Returns:
            The number of distinct quads in the data (blank nodes renamed apart).

        Raises:
            InputError: the data does not parse, or ``graph`` is not an IRI (nothing written).
        """
        quads = parse_rdf(data, media_type)
        if graph is not None:
            quads = _regraph(quads, named_node(graph))
        self._write(lambda store: store.extend(quads), "Loading the data")
        return len(set(quads))

    def replace_graph(self, graph: str, data: bytes, media_type: str) -> int:
        """Replace one named graph's content by ``data``, in one transaction.

        Raises:
            InputError: the data does not parse, or ``graph`` is not an IRI.
        """
        name = named_node(graph)
        quads = _regraph(parse_rdf(data, media_type), name)
        update = insert_data(quads, drop=f"DROP SILENT GRAPH {name}")
        if not quads:
            update = f"DROP SILENT GRAPH {name} ; CREATE SILENT GRAPH {name}"
        self._write(lambda store: store.update(update), "Replacing the graph")
        return len(set(quads))

    def drop_graph(self, graph: str) -> None:
        """Remove one named graph and its triples, in one transaction.

        Raises:
            NotFound: the store has no such graph.
        """
        name = named_node(graph)
        store = self.oxigraph
        if not store.contains_named_graph(name):
            msg = f"The store has no graph <{graph}>."
            raise NotFound(msg)
        self._write(lambda store: store.remove_graph(name), "Dropping the graph")

    def restore(self, chunks: Iterable[bytes], media_type: str = "application/n-quads") -> int:
        """Replace everything in the store by a dump, in one transaction.

        Returns:
            The number of distinct quads restored.

        Raises:
            InputError: the dump does not parse (the store is left as it was).
        """
        quads = parse_rdf(b"".join(chunks), media_type, label="The dump")
        update = insert_data(quads, drop="DROP ALL")
        self._write(lambda store: store.update(update), "Restoring the dump")
        return len(set(quads))

    # -- reading whole graphs -------------------------------------------------------

    def graphs(self) -> list[GraphInfo]:
        """List the named graphs, their size and what they say about themselves."""
        store = self.oxigraph

        def read() -> list[GraphInfo]:
            counts: dict[str, int] = {}
            result = store.query(
                "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
            )
            assert isinstance(result, QuerySolutions)  # noqa: S101
            for solution in result:
                name, count = solution["g"], solution["n"]
                if isinstance(name, NamedNode) and isinstance(count, Literal):
                    counts[name.value] = int(count.value)
            for name in store.named_graphs():
                if isinstance(name, NamedNode):
                    counts.setdefault(name.value, 0)
            statements: dict[str, list[tuple[NamedNode, Any]]] = {}
            result = store.query("SELECT ?g ?p ?o WHERE { GRAPH ?g { ?g ?p ?o } }")
            assert isinstance(result, QuerySolutions)  # noqa: S101
            for solution in result:
                name, predicate = solution["g"], solution["p"]
                if isinstance(name, NamedNode) and isinstance(predicate, NamedNode):
                    statements.setdefault(name.value, []).append((predicate, solution["o"]))
            return [graph_info(iri, counts[iri], statements.get(iri, ())) for iri in sorted(counts)]

        return cast(list[GraphInfo], self._run_here(read, "Listing the graphs"))

    def dump(
        self, media_type: str = "application/n-quads", *, graph: str | None = None
    ) -> Iterator[bytes]:
        """Serialise the store (N-Quads, TriG) or one graph (any RDF format).

        N-Quads and N-Triples stream in chunks from one snapshot; other formats are
        written in one piece (they need the whole graph to group statements).

        Raises:
            InputError: a whole-store dump in a format without named graphs.
            NotFound: ``graph`` is not in the store.
        """
        fmt = rdf_format(media_type)
        store = self.oxigraph
        name: NamedNode | None = None
        if graph is not None:
            name = named_node(graph)
            if not store.contains_named_graph(name):
                msg = f"The store has no graph <{graph}>."
                raise NotFound(msg)
        elif not fmt.supports_datasets:
            msg = (
                f"A dump of the whole store needs a format with named graphs (N-Quads, TriG), "
                f"not {fmt.name}; or dump one graph."
            )
            raise InputError(msg)
        if fmt in (RdfFormat.N_QUADS, RdfFormat.N_TRIPLES):
            return self._stream(store, fmt, name)
        prefixes = OUTPUT_PREFIXES if fmt != RdfFormat.JSON_LD else None
        data = store.dump(format=fmt, from_graph=name, prefixes=prefixes)
        return iter([data or b""])

    @staticmethod
    def _stream(
        store: pyoxigraph.Store, fmt: RdfFormat, graph: NamedNode | None
    ) -> Iterator[bytes]:
        # pyoxigraph's QuadIter is "unsendable": touching it from a second thread panics and
        # kills the process. A web server consumes this generator from whichever worker
        # thread is free, so one dedicated thread owns the iterator and hands over bytes.
        chunks: queue.Queue[bytes | BaseException | None] = queue.Queue(maxsize=4)
        stop = threading.Event()

        def hand_over(item: bytes | BaseException | None) -> bool:
            while not stop.is_set():
                try:
                    chunks.put(item, timeout=0.5)
                except queue.Full:
                    continue
                return True
            return False

        def produce() -> None:
            try:
                quads = store.quads_for_pattern(None, None, None, graph)
                while batch := list(islice(quads, _DUMP_CHUNK)):
                    items: list[Quad] | list[Triple] = (
                        batch if fmt == RdfFormat.N_QUADS else [q.triple for q in batch]
                    )
                    if not hand_over(serialize(items, format=fmt) or b""):
                        return
                hand_over(None)
            except Exception as error:  # handed to the consumer, raised there
                hand_over(error)

        threading.Thread(target=produce, name="ikg-dump", daemon=True).start()
        try:
            while (item := chunks.get()) is not None:
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            stop.set()

    def __len__(self) -> int:
        """Return the number of quads in the store."""
        return len(self.oxigraph)

    def close(self) -> None:
        """Stop running workers, flush to disk and release the store (and its lock)."""
        self.workers.kill_all()
        store, self._store = self._store, None
        if store is not None and self.location is not None:
            with contextlib.suppress(OSError):
                store.flush()
        del store
