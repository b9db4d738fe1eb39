"""The partnership network: a one-mode projection of the RDF graph onto actors.

Partnerships are n-ary (a partnership has several ``ikg:Participation`` nodes, one per
partner), so the actor network is the one-mode projection of the two-mode actor x
partnership graph: two actors are tied when they take part in one or more common
partnerships, and the tie aggregates all of them (strength in
:mod:`~inclusion_kg.graph.network.strength`). Two optional layers, chosen by the analyst,
project other co-memberships the same way (as in the Alpine Space partner network, where
edge weight is the number of joint projects):

- ``funding``: actors that fund or implement one same ``ikg:FundingProject``, or take part
  in partnerships ``ikg:fundedBy`` one same project; weight = shared projects;
- ``services``: two ``ikg:provider`` of one ``ikg:Service``; weight = co-delivered services.

The store is read with **one** SPARQL SELECT (:func:`fetch`) that returns the triples of a
fixed list of predicates and types; everything else (filters, periods, aggregation,
scores) happens here in Python, so the same read serves several projections (see
:func:`~inclusion_kg.graph.network.timeline.compare`).

Filters (:class:`NetworkFilter`), precisely:

- *nodes* are the actors that match the actor-type filter and, when a city or country is
  asked for, are based there; plus every actor of that type that takes part in a kept
  partnership (project, service), wherever it is based. Without place filters every actor
  is a node, including isolates;
- a *partnership* is kept when it is in scope (its ``ikg:areaServed`` or one of its
  partners' ``ikg:basedIn`` lies in an asked city or country), has an asked policy area,
  has formality rank >= ``min_formality_rank``, and the pair's period in it meets the
  :class:`Period` (see :meth:`Period.admits`);
- a *tie* is kept when its partnerships cite at least ``min_sources`` distinct documents.

Sub-organisations (``ikg:subOrganisationOf``) can be merged into their top-most parent
(``aggregate_units=True``); the result says so in ``metadata["aggregated_units"]``, since
that choice changes centralities (DOMAIN.md section 7).
"""

from __future__ import annotations

import gc
import itertools
import math
import threading
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, Protocol, cast, get_args

import networkx as nx
import numpy as np
import pyoxigraph as ox

from inclusion_kg.graph.errors import BackendUnavailable, InputError
from inclusion_kg.graph.namespaces import IKG
from inclusion_kg.graph.network.strength import (
    COMPONENTS,
    SharedPartnership,
    StrengthWeights,
    TieEvidence,
    TieExplanation,
    TieTable,
    effective_equality_rank,
    explain,
    score_table,
)
from inclusion_kg.graph.network.vocabulary import Vocabulary, load_vocabulary, local_name

__all__ = [
    "LAYERS",
    "ActorRecord",
    "GraphWriter",
    "Layer",
    "NetworkFilter",
    "OxigraphRunner",
    "PartnershipNetwork",
    "PartnershipRecord",
    "Period",
    "PlaceRecord",
    "ProjectRecord",
    "RawData",
    "SelectRunner",
    "ServiceRecord",
    "SharedPeriod",
    "Span",
    "TieEvidenceMap",
    "build_network",
    "fetch",
    "parse_date_bounds",
    "project_network",
    "resolve_actor_type",
    "unknown_filter_values",
]

Layer = Literal["partnerships", "funding", "services"]
LAYERS: tuple[str, ...] = get_args(Layer)

_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
_SKOS_NOTATION = "http://www.w3.org/2004/02/skos/core#notation"


class _PausedGC:
    """Pause Python's cyclic garbage collector while large acyclic structures are built.

    Building the records and the graph allocates millions of containers, and every
    few thousand allocations the collector walks all of them: 15-20 % of the time at
    100,000 actors. Nothing built here forms cycles, so nothing is lost; nested and
    concurrent uses re-enable the collector when the last one ends.
    """

    _lock = threading.Lock()
    _depth = 0
    _was_enabled = False

    def __enter__(self) -> None:
        with _PausedGC._lock:
            if _PausedGC._depth == 0:
                _PausedGC._was_enabled = gc.isenabled()
                gc.disable()
            _PausedGC._depth += 1

    def __exit__(self, *exc: object) -> None:
        with _PausedGC._lock:
            _PausedGC._depth -= 1
            if _PausedGC._depth == 0 and _PausedGC._was_enabled:
                gc.enable()


class SelectRunner(Protocol):
    """Anything that runs a SPARQL SELECT and returns rows of pyoxigraph terms.

    :class:`inclusion_kg.graph.store.Store` satisfies it; so does :class:`OxigraphRunner`.
    """

    def select(self, sparql: str) -> Sequence[Mapping[str, object]]:
        """Run a SELECT over the union of all graphs; one dict per solution."""
        ...


class GraphWriter(Protocol):
    """Anything that can replace one named graph atomically (the Store's ``replace_graph``)."""

    def replace_graph(self, graph: str, data: bytes, media_type: str) -> int:
        """Replace the content of ``graph`` with ``data``; return its new size."""
        ...


class OxigraphRunner:
    """Adapter exposing a plain :class:`pyoxigraph.Store` as a runner and a graph writer.

    For tests, notebooks and benchmarks before (or without) a configured store backend.
    Queries run over the union of all graphs, like the store's.

    >>> runner = OxigraphRunner()
    >>> runner.load(b'<http://e/a> <http://e/p> "1" .', "application/n-triples")
    1
    >>> [row["o"].value for row in runner.select("SELECT ?o WHERE { ?s ?p ?o }")]
    ['1']
    """

    def __init__(self, store: ox.Store | None = None) -> None:
        self.store = store if store is not None else ox.Store()

    @property
    def oxigraph(self) -> ox.Store:
        """The wrapped store (read directly by :func:`fetch`)."""
        return self.store

    def select(self, sparql: str) -> list[dict[str, object]]:
        """Run a SELECT over the union of all graphs and return decoded rows.

        Raises:
            InputError: the query does not parse or is not a SELECT.
        """
        try:
            solutions = self.store.query(sparql, use_default_graph_as_union=True)
        except SyntaxError as error:
            raise InputError(str(error)) from None
        if not isinstance(solutions, ox.QuerySolutions):
            msg = "expected a SELECT query"
            raise InputError(msg)
        names = [variable.value for variable in solutions.variables]
        return [
            {name: solution[name] for name in names if solution[name] is not None}
            for solution in solutions
        ]

    def load(self, data: bytes, media_type: str, *, graph: str | None = None) -> int:
        """Parse and add ``data`` (Turtle, TriG, N-Triples, N-Quads); return quads added."""
        before = len(self.store)
        fmt = ox.RdfFormat.from_media_type(media_type)
        if fmt is None:
            msg = f"unsupported media type {media_type}"
            raise InputError(msg)
        self.store.load(data, format=fmt, to_graph=ox.NamedNode(graph) if graph else None)
        return len(self.store) - before

    def replace_graph(self, graph: str, data: bytes, media_type: str) -> int:
        """Replace one named graph with ``data`` in one transaction; return its new size."""
        fmt = ox.RdfFormat.from_media_type(media_type)
        if fmt is None:
            msg = f"unsupported media type {media_type}"
            raise InputError(msg)
        name = ox.NamedNode(graph)
        quads = [
            ox.Quad(q.subject, q.predicate, q.object, name) for q in ox.parse(data, format=fmt)
        ]
        self.store.update(f"DROP SILENT GRAPH <{graph}>")
        self.store.extend(quads)
        return len(quads)


# --------------------------------------------------------------------------------------
# dates and periods
# --------------------------------------------------------------------------------------


def _last_day(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date.fromordinal(date(year, month + 1, 1).toordinal() - 1)


def parse_date_bounds(lexical: str) -> tuple[date, date] | None:
    """Return the first and last day an ``xsd:date``, ``gYearMonth`` or ``gYear`` covers.

    Time zones and times are ignored; an unreadable value gives None.

    >>> parse_date_bounds("2019")
    (datetime.date(2019, 1, 1), datetime.date(2019, 12, 31))
    >>> parse_date_bounds("2020-02")
    (datetime.date(2020, 2, 1), datetime.date(2020, 2, 29))
    >>> parse_date_bounds("2016-10-05Z")
    (datetime.date(2016, 10, 5), datetime.date(2016, 10, 5))
    """
    text = lexical.strip().split("T", 1)[0]
    if text.endswith("Z"):
        text = text[:-1]
    parts = text.split("-")
    if len(parts) >= 3 and len(parts[2]) > 2:  # a time-zone offset after a date
        parts = parts[:3]
        parts[2] = parts[2][:2]
    elif len(parts) == 4 and ":" in parts[3]:
        parts = parts[:3]
    try:
        if len(parts) == 1 or (len(parts) == 2 and ":" in parts[1]):
            year = int(parts[0])
            return date(year, 1, 1), date(year, 12, 31)
        if len(parts) == 2 or (len(parts) == 3 and ":" in parts[2]):
            year, month = int(parts[0]), int(parts[1])
            return date(year, month, 1), _last_day(year, month)
        day = date(int(parts[0]), int(parts[1]), int(parts[2][:2]))
    except ValueError:
        return None
    return day, day


@dataclass(frozen=True)
class Period:
    """When ties must be active: as of one date, over a range of years, or at any time.

    Attributes:
        as_of: a day; a tie counts if its period contains it.
        from_year: first year of a range (inclusive).
        to_year: last year of a range (inclusive).

    Raises:
        InputError: both a date and years are given, or the range is reversed.

    >>> Period(as_of=date(2020, 5, 28)).admits(date(2016, 1, 1), None)
    True
    >>> Period(from_year=2021, to_year=2022).admits(date(2016, 1, 1), date(2020, 12, 31))
    False
    """

    as_of: date | None = None
    from_year: int | None = None
    to_year: int | None = None

    def __post_init__(self) -> None:
        if self.as_of is not None and (self.from_year is not None or self.to_year is not None):
            msg = "give either an as-of date or a year range, not both"
            raise InputError(msg)
        if (
            self.from_year is not None
            and self.to_year is not None
            and self.from_year > self.to_year
        ):
            msg = f"year range is reversed: {self.from_year} > {self.to_year}"
            raise InputError(msg)

    @property
    def window(self) -> tuple[date | None, date | None]:
        """First and last day of the period (None: unbounded)."""
        if self.as_of is not None:
            return self.as_of, self.as_of
        low = date(self.from_year, 1, 1) if self.from_year is not None else None
        high = date(self.to_year, 12, 31) if self.to_year is not None else None
        return low, high

    def admits(self, start: date | None, end: date | None) -> bool:
        """Return whether something active from ``start`` to ``end`` overlaps the period.

        An unknown start counts as "before", an unknown end as "ongoing".
        """
        low, high = self.window
        return (start is None or high is None or start <= high) and (
            end is None or low is None or end >= low
        )

    def reference(self, today: date | None = None) -> date:
        """The date strength is assessed at: the as-of date, else the range's end, else today.

        A range that ends in the future is assessed today.
        """
        today = today or date.today()
        if self.as_of is not None:
            return self.as_of
        if self.to_year is not None:
            return min(date(self.to_year, 12, 31), today)
        return today

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "from_year": self.from_year,
            "to_year": self.to_year,
        }


# --------------------------------------------------------------------------------------
# raw records
# --------------------------------------------------------------------------------------


@dataclass
class PlaceRecord:
    """A city, region or country as the projection needs it."""

    iri: str
    kind: str = ""  # "City", "Region", "Country" or ""
    labels: dict[str, str] = field(default_factory=dict)
    country: str | None = None
    notation: str | None = None


@dataclass
class ActorRecord:
    """An actor with the attributes the network shows and filters on."""

    iri: str
    classes: set[str] = field(default_factory=set)
    labels: dict[str, str] = field(default_factory=dict)
    based_in: set[str] = field(default_factory=set)
    parents: set[str] = field(default_factory=set)
    has_budget: bool | None = None
    own_initiative: bool | None = None
    start: date | None = None
    end: date | None = None
    actor_class: str | None = None
    sector: str | None = None


@dataclass
class PartnershipRecord:
    """A partnership: its members (actor, role, own period) and its attributes."""

    iri: str
    labels: dict[str, str] = field(default_factory=dict)
    formality: str | None = None
    equality: str | None = None
    types: set[str] = field(default_factory=set)
    areas: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    funded_by: set[str] = field(default_factory=set)
    served: set[str] = field(default_factory=set)
    start: date | None = None
    end: date | None = None
    participations: set[str] = field(default_factory=set)
    members: list[tuple[str, str | None, date | None, date | None]] = field(default_factory=list)


@dataclass
class ProjectRecord:
    """A funding project with its funders and implementers."""

    iri: str
    labels: dict[str, str] = field(default_factory=dict)
    funders: set[str] = field(default_factory=set)
    implementers: set[str] = field(default_factory=set)
    areas: set[str] = field(default_factory=set)
    served: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    start: date | None = None
    end: date | None = None


@dataclass
class ServiceRecord:
    """A service with its providers."""

    iri: str
    labels: dict[str, str] = field(default_factory=dict)
    providers: set[str] = field(default_factory=set)
    areas: set[str] = field(default_factory=set)
    served: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    funded_by: set[str] = field(default_factory=set)
    start: date | None = None
    end: date | None = None


@dataclass
class RawData:
    """What :func:`fetch` read from the store, assembled into records."""

    actors: dict[str, ActorRecord]
    partnerships: dict[str, PartnershipRecord]
    projects: dict[str, ProjectRecord]
    services: dict[str, ServiceRecord]
    places: dict[str, PlaceRecord]
    labels: dict[str, dict[str, str]]
    rows: int = 0


_PREDICATES = (
    "basedIn",
    "subOrganisationOf",
    "hasBudget",
    "hasOwnInitiativeRight",
    "startDate",
    "endDate",
    "country",
    "formality",
    "roleEquality",
    "partnershipType",
    "policyArea",
    "fundedBy",
    "areaServed",
    "hasParticipation",
    "participant",
    "partnerRole",
    "funder",
    "implementer",
    "participatingPlace",
    "provider",
)
_TYPES = ("Partnership", "FundingProject", "Service", "PublicService", "City", "Region", "Country")


def _projection_query(vocab: Vocabulary, languages: Iterable[str]) -> str:
    ikg = str(IKG._NS)
    predicates = " ".join(f"<{ikg}{name}>" for name in _PREDICATES)
    predicates += f" <{_PROV_DERIVED}> <{_SKOS_NOTATION}>"
    types = " ".join(f"<{ikg}{name}>" for name in _TYPES)
    types += " " + " ".join(f"<{cls}>" for cls in sorted(vocab.actor_classes))
    langs = " || ".join(f'LANGMATCHES(LANG(?o), "{lang}")' for lang in sorted(set(languages)))
    return f"""SELECT ?s ?p ?o WHERE {{
  {{ VALUES ?p {{ {predicates} }} ?s ?p ?o }}
  UNION {{ VALUES ?o {{ {types} }} ?s a ?o BIND(<{_RDF_TYPE}> AS ?p) }}
  UNION {{ ?s <{_RDFS_LABEL}> ?o FILTER({langs}) BIND(<{_RDFS_LABEL}> AS ?p) }}
}}"""


def _key(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def _bool(term: object) -> bool | None:
    text = _key(term).strip().lower()
    if text in {"true", "1"}:
        return True
    if text in {"false", "0"}:
        return False
    return None


_CSV = ox.QueryResultsFormat.CSV


_Column = dict[str, Any]
"""One predicate's values by subject: a string, or a list when a subject has several."""


def _grouped(subjects: list[str], objects: list[str]) -> _Column:
    """Group values by subject; one value per subject (the common case) is built in C."""
    single = dict(zip(subjects, objects, strict=True))
    if len(single) == len(subjects):
        return single
    grouped: _Column = {}
    for subject, value in zip(subjects, objects, strict=True):
        found = grouped.get(subject)
        if found is None:
            grouped[subject] = value
        elif type(found) is str:
            grouped[subject] = [found, value]
        else:
            found.append(value)
    return grouped


_Statements = tuple[dict[str, set[str]], dict[str, _Column], dict[str, dict[str, str]], int]


def _all(column: _Column, subject: str) -> Sequence[str]:
    """Every value of ``subject`` in a column."""
    found = column.get(subject)
    if found is None:
        return ()
    return (found,) if type(found) is str else found


def _csv_cells(data: bytes) -> list[str] | None:
    """Split a ``SELECT ?s ?o`` result in SPARQL CSV: header, then s, o, s, o, …, ''.

    None when CSV had to quote a value (a comma, quote or line break in it).
    """
    if b'"' in data:
        return None
    cells = data.decode().replace("\r\n", ",").split(",")
    return cells if len(cells) % 2 == 1 else None


def _read_direct(store: ox.Store, vocab: Vocabulary, languages: set[str]) -> _Statements:
    """Read the projection's statements from a pyoxigraph store, one predicate at a time.

    Each predicate's ``SELECT ?s ?o`` is serialised by oxigraph as SPARQL CSV (IRIs and
    lexical forms, as :func:`_key` spells them) and split in C, much faster than reading
    2.5 million solutions term by term (at 100,000 actors). Oxigraph releases the GIL
    while it evaluates and serialises, so two threads do that while this one groups the
    results: the store's work and Python's overlap on two cores. A result that CSV has to
    quote (a comma, quote or line break inside a value) is read term by term. The
    statements and their count are those of the one SELECT of :func:`fetch`.
    """
    ikg = str(IKG._NS)
    by_predicate: dict[str, _Column] = {}
    count = 0

    def select(sparql: str) -> ox.QuerySolutions:
        try:
            solutions = store.query(sparql, use_default_graph_as_union=True)
        except OSError as error:
            msg = f"The store failed while reading the network: {error}"
            raise BackendUnavailable(msg) from None
        if not isinstance(solutions, ox.QuerySolutions):  # pragma: no cover - a fixed SELECT
            msg = "expected a SELECT query"
            raise InputError(msg)
        return solutions

    def csv(sparql: str) -> bytes:
        data = select(sparql).serialize(format=_CSV)
        assert data is not None  # noqa: S101 - serialize without output returns bytes
        return data

    def pairs(sparql: str, data: bytes) -> tuple[list[str], list[str]]:
        cells = _csv_cells(data)
        if cells is None:  # quoted values: read the terms instead
            rows = [(_key(s), _key(o)) for s, o in select(sparql)]
            return [r[0] for r in rows], [r[1] for r in rows]
        return cells[2:-1:2], cells[3:-1:2]

    kinds = [ikg + name for name in _TYPES] + sorted(vocab.actor_classes)
    values = " ".join(f"<{kind}>" for kind in kinds)
    queries = {
        (predicate[len(ikg) :] if predicate.startswith(ikg) else predicate): (
            f"SELECT ?s ?o WHERE {{ ?s <{predicate}> ?o }}"
        )
        for predicate in [ikg + name for name in _PREDICATES] + [_PROV_DERIVED, _SKOS_NOTATION]
    }
    queries[_RDF_TYPE] = f"SELECT ?s ?o WHERE {{ VALUES ?o {{ {values} }} ?s a ?o }}"
    types: dict[str, set[str]] = {}
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="ikg-fetch") as pool:
        pending = [(name, sparql, pool.submit(csv, sparql)) for name, sparql in queries.items()]
        for name, sparql, future in pending:
            subjects, objects = pairs(sparql, future.result())
            count += len(subjects)
            if name != _RDF_TYPE:
                by_predicate[name] = _grouped(subjects, objects)
                continue
            for subject, kind in zip(subjects, objects, strict=True):
                found = types.get(subject)
                if found is None:
                    types[subject] = {kind}
                else:
                    found.add(kind)
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    matches = " || ".join(f'LANGMATCHES(LANG(?o), "{lang}")' for lang in sorted(languages))
    for subject, label in select(
        f"SELECT ?s ?o WHERE {{ ?s <{_RDFS_LABEL}> ?o FILTER({matches}) }}"
    ):
        count += 1
        key = subject.value if type(subject) is ox.NamedNode else _key(subject)
        labels[key][(label.language or "").lower()] = label.value
    return types, by_predicate, dict(labels), count


def _read_select(runner: SelectRunner, vocab: Vocabulary, languages: set[str]) -> _Statements:
    """Read the projection's statements with one SELECT through ``runner.select``."""
    ikg = str(IKG._NS)
    types: dict[str, set[str]] = defaultdict(set)
    by_predicate: dict[str, _Column] = defaultdict(dict)
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    rows = runner.select(_projection_query(vocab, languages))
    for row in rows:
        s, p, o = _key(row["s"]), _key(row["p"]), row["o"]
        if p == _RDF_TYPE:
            types[s].add(_key(o))
        elif p == _RDFS_LABEL:
            lang = o.language if isinstance(o, ox.Literal) and o.language else ""
            labels[s][lang.lower()] = _key(o)
        else:
            name = p[len(ikg) :] if p.startswith(ikg) else p
            by_predicate[name].setdefault(s, []).append(_key(o))
    return dict(types), dict(by_predicate), dict(labels), len(rows)


def fetch(runner: SelectRunner, language: str = "en") -> RawData:
    """Read everything the projection needs: fixed predicates, types and labels.

    Through ``runner.select`` this is one SPARQL SELECT (a UNION over the predicates). A
    runner that exposes its :class:`pyoxigraph.Store` as ``oxigraph`` (the store's Oxigraph
    backends, :class:`OxigraphRunner`) is read directly, one predicate at a time
    (:func:`_read_direct`): the same statements, several times faster.

    Args:
        runner: the store (or any :class:`SelectRunner`).
        language: the label language wanted besides English (the fallback).

    Returns:
        The records of actors, partnerships, projects, services and places.

    Raises:
        InputError, QueryTimeout, BackendUnavailable: as the store raises them.
    """
    with _PausedGC():
        return _fetch(runner, language)


def _fetch(runner: SelectRunner, language: str) -> RawData:
    vocab = load_vocabulary()
    ikg = str(IKG._NS)
    languages = {language, "en"}
    store = getattr(runner, "oxigraph", None)
    if isinstance(store, ox.Store):
        types, by_predicate, labels, count = _read_direct(store, vocab, languages)
    else:
        types, by_predicate, labels, count = _read_select(runner, vocab, languages)
    empty: _Column = {}

    def column(name: str) -> _Column:
        return by_predicate.get(name, empty)

    based_in, parents = column("basedIn"), column("subOrganisationOf")
    has_budget, initiative = column("hasBudget"), column("hasOwnInitiativeRight")
    start_dates, end_dates = column("startDate"), column("endDate")
    country_of, notation_of = column("country"), column(_SKOS_NOTATION)
    funders, implementers = column("funder"), column("implementer")
    areas_of, served_of = column("policyArea"), column("areaServed")
    sources_of, funded_of = column(_PROV_DERIVED), column("fundedBy")
    places_of, providers = column("participatingPlace"), column("provider")
    formality_of, equality_of = column("formality"), column("roleEquality")
    types_of, participations_of = column("partnershipType"), column("hasParticipation")
    participant_of, role_of = column("participant"), column("partnerRole")
    parsed: dict[str, tuple[date, date] | None] = {}

    def parse(lexical: str) -> tuple[date, date] | None:
        if lexical not in parsed:
            parsed[lexical] = parse_date_bounds(lexical)
        return parsed[lexical]

    def iris(values: _Column, subject: str) -> set[str]:
        found = values.get(subject)
        if found is None:
            return set()
        return {found} if type(found) is str else set(found)

    def first(values: _Column, subject: str) -> str | None:
        """The smallest value (the one a sorted list starts with), or None."""
        found = values.get(subject)
        if found is None or type(found) is str:
            return found
        return min(found) if found else None

    def bounds(subject: str) -> tuple[date | None, date | None]:
        if subject not in start_dates and subject not in end_dates:
            return None, None
        start = [parse(o) for o in _all(start_dates, subject)]
        end = [parse(o) for o in _all(end_dates, subject)]
        first = min((b[0] for b in start if b), default=None)
        last = max((b[1] for b in end if b), default=None)
        return first, last

    def first_bool(values: _Column, subject: str) -> bool | None:
        found = [_bool(o) for o in _all(values, subject)]
        known = [v for v in found if v is not None]
        return any(known) if known else None

    actor_classes = set(vocab.actor_classes)
    place_kinds = {f"{ikg}City": "City", f"{ikg}Region": "Region", f"{ikg}Country": "Country"}
    actors: dict[str, ActorRecord] = {}
    partnerships: dict[str, PartnershipRecord] = {}
    projects: dict[str, ProjectRecord] = {}
    services: dict[str, ServiceRecord] = {}
    places: dict[str, PlaceRecord] = {}
    for subject, kinds in types.items():
        found = kinds & actor_classes
        if found:
            start, end = bounds(subject)
            cls = vocab.most_specific(found)
            actors[subject] = ActorRecord(
                iri=subject,
                classes=found,
                labels=labels.get(subject, {}),
                based_in=iris(based_in, subject),
                parents=iris(parents, subject),
                has_budget=first_bool(has_budget, subject),
                own_initiative=first_bool(initiative, subject),
                start=start,
                end=end,
                actor_class=cls,
                sector=vocab.sector_of(cls),
            )
        for place_type, kind in place_kinds.items():
            if place_type in kinds:
                countries = sorted(iris(country_of, subject))
                notations = sorted(_all(notation_of, subject))
                places[subject] = PlaceRecord(
                    iri=subject,
                    kind=kind,
                    labels=labels.get(subject, {}),
                    country=subject if kind == "Country" else (countries[0] if countries else None),
                    notation=notations[0] if notations else None,
                )
        if f"{ikg}FundingProject" in kinds:
            start, end = bounds(subject)
            projects[subject] = ProjectRecord(
                iri=subject,
                labels=labels.get(subject, {}),
                funders=iris(funders, subject),
                implementers=iris(implementers, subject),
                areas=iris(areas_of, subject),
                served=iris(places_of, subject) | iris(served_of, subject),
                sources=iris(sources_of, subject),
                start=start,
                end=end,
            )
        if kinds & {f"{ikg}Service", f"{ikg}PublicService"}:
            start, end = bounds(subject)
            services[subject] = ServiceRecord(
                iri=subject,
                labels=labels.get(subject, {}),
                providers=iris(providers, subject),
                areas=iris(areas_of, subject),
                served=iris(served_of, subject),
                sources=iris(sources_of, subject),
                funded_by=iris(funded_of, subject),
                start=start,
                end=end,
            )
    # partnerships: typed ones, and anything with participations
    partnership_class = f"{ikg}Partnership"
    typed = [s for s, kinds in types.items() if partnership_class in kinds]
    for subject in [*participations_of, *(s for s in typed if s not in participations_of)]:
        start, end = bounds(subject)
        record = PartnershipRecord(
            iri=subject,
            labels=labels.get(subject, {}),
            formality=first(formality_of, subject),
            equality=first(equality_of, subject),
            types=iris(types_of, subject),
            areas=iris(areas_of, subject),
            sources=iris(sources_of, subject),
            funded_by=iris(funded_of, subject),
            served=iris(served_of, subject),
            start=start,
            end=end,
            participations=iris(participations_of, subject),
        )
        members = record.members
        for participation in sorted(record.participations):
            role = first(role_of, participation)
            p_start, p_end = bounds(participation)
            participants: Any = participant_of.get(participation)
            if participants is None:
                continue
            if type(participants) is str:
                members.append((participants, role, p_start, p_end))
            else:
                members.extend((a, role, p_start, p_end) for a in sorted(set(participants)))
        partnerships[subject] = record
    return RawData(
        actors=actors,
        partnerships=partnerships,
        projects=projects,
        services=services,
        places=places,
        labels=dict(labels),
        rows=count,
    )


# --------------------------------------------------------------------------------------
# filters
# --------------------------------------------------------------------------------------


def resolve_actor_type(value: str, vocab: Vocabulary | None = None) -> str:
    """Return the actor class IRI that ``value`` names.

    Accepts a class IRI, a class local name (``NGO``, ``PublicAuthority``, any case), or an
    actor-type concept (IRI or slug, ``migrant-council``).

    Raises:
        InputError: ``value`` names no actor class.

    >>> local_name(resolve_actor_type("migrant-council"))
    'MigrantCouncil'
    >>> local_name(resolve_actor_type("publicauthority"))
    'PublicAuthority'
    """
    vocab = vocab or load_vocabulary()
    if value in vocab.actor_classes:
        return value
    if value in vocab.actor_type_concepts:
        return vocab.actor_type_concepts[value]
    wanted = value.strip().casefold()
    for concept, cls in vocab.actor_type_concepts.items():
        if local_name(concept).casefold() == wanted:
            return cls
    for cls in vocab.actor_classes:
        if local_name(cls).casefold() == wanted.replace("-", "").replace(" ", ""):
            return cls
    known = sorted(local_name(c) for c in vocab.actor_type_concepts)
    msg = f"unknown actor type {value!r}; use one of {', '.join(known)} or a class such as NGO"
    raise InputError(msg)


def _matches(
    iri: str, labels: Mapping[str, str], wanted: frozenset[str], extra: str | None = None
) -> bool:
    """Whether a thing is named by one of ``wanted``: its IRI, slug, label or notation."""
    if iri in wanted:
        return True
    names = {local_name(iri).casefold(), *(label.casefold() for label in labels.values())}
    if extra:
        names.add(extra.casefold())
    return any(w.casefold() in names for w in wanted)


@dataclass(frozen=True)
class NetworkFilter:
    """Which actors and ties the network keeps (module docstring: precise semantics).

    Places, policy areas and actor types may be given as IRIs, slugs (``palermo``,
    ``housing``, ``ngo``) or labels (``Palermo``); countries also by ISO code (``IT``).

    Attributes:
        cities: keep partnerships serving or involving these cities, and their actors.
        countries: the same for countries.
        policy_areas: keep partnerships (projects, services) in one of these policy areas.
        actor_types: keep only actors of these classes (or their subclasses).
        period: when ties must be active.
        min_formality_rank: keep partnerships whose formality rank is at least this
            (4: formal agreements only).
        min_sources: keep ties backed by at least this many distinct source documents.
    """

    cities: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    policy_areas: frozenset[str] = frozenset()
    actor_types: frozenset[str] = frozenset()
    period: Period = field(default_factory=Period)
    min_formality_rank: int = 0
    min_sources: int = 0

    def __post_init__(self) -> None:
        if self.min_sources < 0 or self.min_formality_rank < 0:
            msg = "min_sources and min_formality_rank must be >= 0"
            raise InputError(msg)

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "cities": sorted(self.cities),
            "countries": sorted(self.countries),
            "policy_areas": sorted(self.policy_areas),
            "actor_types": sorted(self.actor_types),
            "period": self.period.as_dict(),
            "min_formality_rank": self.min_formality_rank,
            "min_sources": self.min_sources,
        }


def _names(iri: str, labels: Mapping[str, str], extra: str | None = None) -> set[str]:
    names = {local_name(iri).casefold(), *(label.casefold() for label in labels.values())}
    if extra:
        names.add(extra.casefold())
    return names


def unknown_filter_values(raw: RawData, network_filter: NetworkFilter) -> dict[str, list[str]]:
    """Return the filter values that name nothing, by filter field (empty: all known).

    A city must name a city of the data (or an untyped place actors are based in or
    partnerships serve), a country a country (also by ISO code), a policy area a concept
    of the policy-area scheme or an area used in the data, an actor type an actor class
    (:func:`resolve_actor_type`). Names match as in the filter: IRI, slug or label,
    ignoring case. ``build_network`` accepts unknown places and areas (and keeps nothing);
    a service uses this to tell the user instead.
    """
    vocab = load_vocabulary()
    cities: set[str] = set()
    countries: set[str] = set()
    known_cities: set[str] = set()
    known_countries: set[str] = set()
    referenced = {p for a in raw.actors.values() for p in a.based_in} | {
        p for record in raw.partnerships.values() for p in record.served
    }
    for iri in referenced - raw.places.keys():
        known_cities.add(iri)
        cities |= _names(iri, {})
    for iri, place in raw.places.items():
        if place.kind == "City":
            known_cities.add(iri)
            cities |= _names(iri, place.labels)
        if place.kind == "Country":
            known_countries.add(iri)
            countries |= _names(iri, place.labels, place.notation)
        if place.country and place.country not in raw.places:
            known_countries.add(place.country)
            countries |= _names(place.country, {})
    areas_used = set(vocab.policy_areas)
    for records in (raw.partnerships, raw.projects, raw.services):
        for record in records.values():
            areas_used |= record.areas
    known_areas = set(areas_used)
    area_names: set[str] = set()
    for area in areas_used:
        label = vocab.labels.get(area)
        area_names |= _names(area, {"en": label} if label else {})

    def unknown(values: frozenset[str], iris: set[str], names: set[str]) -> list[str]:
        return sorted(v for v in values if v not in iris and v.casefold() not in names)

    found = {
        "cities": unknown(network_filter.cities, known_cities, cities),
        "countries": unknown(network_filter.countries, known_countries, countries),
        "policy_areas": unknown(network_filter.policy_areas, known_areas, area_names),
        "actor_types": [],
    }
    for value in sorted(network_filter.actor_types):
        try:
            resolve_actor_type(value, vocab)
        except InputError:
            found["actor_types"].append(value)
    return {key: values for key, values in found.items() if values}


@dataclass
class PartnershipNetwork:
    """A projected network with the evidence behind it.

    Attributes:
        graph: the ``networkx`` graph. Nodes are actor IRIs with flat attributes (``label``,
            ``actor_type``, ``actor_type_label``, ``sector``, ``sector_label``, ``city``,
            ``city_label``, ``country``, ``country_label``); edges carry ``weight`` (the
            strength in the partnerships layer, the count of shared projects or services
            in the others), ``distance`` = 1 / weight, ``strength``, ``c_<component>``,
            ``n_partnerships``, ``n_sources``, ``partnerships`` (space-separated IRIs) and,
            in the other layers, ``n_projects`` / ``n_services`` and their IRIs.
        layer: which co-membership the edges stand for.
        filter: the filter applied.
        reference: the date strength was assessed at.
        weights: the strength weights used.
        actors: the records of the nodes.
        partnerships: the kept partnerships.
        ties: the evidence of each edge, keyed by the sorted actor pair.
        places: every place read.
        metadata: counts and choices (``aggregated_units``, ``merged_units``, ``layer``,
            ``language``, ``rows_read``).
        raw: everything that was read, unfiltered (indicators need actors off the network).
    """

    graph: nx.Graph[str]
    layer: str
    filter: NetworkFilter
    reference: date
    weights: StrengthWeights
    actors: dict[str, ActorRecord]
    partnerships: dict[str, PartnershipRecord]
    ties: Mapping[tuple[str, str], TieEvidence]
    places: dict[str, PlaceRecord]
    metadata: dict[str, Any]
    raw: RawData

    def explain(self, a: str, b: str) -> TieExplanation:
        """Return the components and evidence of the tie between actors ``a`` and ``b``.

        Raises:
            NotFound: an actor is not in the network, or the two are not tied.
        """
        result = explain(self.graph, a, b, self.weights)
        evidence = self.ties.get((a, b) if a < b else (b, a))
        if evidence is not None:
            result.extra["partnership_details"] = [
                {
                    "iri": p.iri,
                    "label": p.label,
                    "formality_rank": p.formality_rank,
                    "equality_rank": p.equality_rank,
                    "types": sorted(p.types),
                    "policy_areas": sorted(p.areas),
                    "sources": sorted(p.sources),
                    "funded_by": sorted(p.funded_by),
                    "start": p.start.isoformat() if p.start else None,
                    "end": p.end.isoformat() if p.end else None,
                    "roles": list(p.roles),
                }
                for p in evidence.partnerships
            ]
            result.extra["shared_projects"] = sorted(evidence.shared_projects)
        return result

    def city_of(self, actor: str) -> str | None:
        """Return the city an actor is based in (None if not based in a city)."""
        return self.graph.nodes[actor].get("city") if actor in self.graph else None


def _label(labels: Mapping[str, str], language: str, fallback: str) -> str:
    return labels.get(language) or labels.get("en") or next(iter(labels.values()), fallback)


def _intersect(*bounds: tuple[date | None, date | None]) -> tuple[date | None, date | None] | None:
    starts = [s for s, _ in bounds if s is not None]
    ends = [e for _, e in bounds if e is not None]
    start = max(starts) if starts else None
    end = min(ends) if ends else None
    if start is not None and end is not None and start > end:
        return None
    return start, end


def _roots(actors: Mapping[str, ActorRecord]) -> dict[str, str]:
    """Map each actor to its top-most parent through ``ikg:subOrganisationOf``."""
    roots: dict[str, str] = {}
    for iri in actors:
        seen = {iri}
        current = iri
        while True:
            parents = sorted(p for p in actors[current].parents if p in actors and p not in seen)
            if not parents:
                break
            current = parents[0]
            seen.add(current)
        roots[iri] = current
    return roots


Span = tuple[date | None, date | None]
"""A first and a last day (None: unknown start, ongoing)."""
SharedPeriod = tuple[SharedPartnership, date | None, date | None]
"""A partnership a tie rests on, with the first and last day of the pair's period in it."""


class TieEvidenceMap(Mapping[tuple[str, str], TieEvidence]):
    """The evidence of every tie, keyed by the sorted actor pair, built on first access.

    The projection keeps the shared partnerships in columns (one row per tie and
    partnership); a :class:`TieEvidence` is assembled only when asked for (an explanation,
    an export, an indicator), so a network of 300,000 ties does not hold 300,000 of them.
    """

    def __init__(
        self,
        pairs: Sequence[tuple[str, str]],
        offsets: Sequence[int],
        rows: Sequence[int],
        row_partnership: Sequence[int],
        row_span: Sequence[tuple[date | None, date | None]],
        row_roles: Sequence[tuple[str | None, str | None]],
        partnership: Sequence[Callable[[], SharedPartnership]],
        shared_projects: Mapping[tuple[str, str], set[str]],
        records: Sequence[PartnershipRecord],
        language: str = "en",
    ) -> None:
        self._records = records
        self._language = language
        self._index = {pair: i for i, pair in enumerate(pairs)}
        self._pairs = pairs
        self._offsets = offsets
        self._rows = rows
        self._row_partnership = row_partnership
        self._row_span = row_span
        self._row_roles = row_roles
        self._partnership = partnership
        self._shared_projects = shared_projects
        self._built: dict[tuple[str, str], TieEvidence] = {}

    def __getitem__(self, pair: tuple[str, str]) -> TieEvidence:
        found = self._built.get(pair)
        if found is not None:
            return found
        i = self._index[pair]
        shared = []
        for row in self._rows[self._offsets[i] : self._offsets[i + 1]]:
            base = self._partnership[self._row_partnership[row]]()
            start, end = self._row_span[row]
            shared.append(
                SharedPartnership(
                    iri=base.iri,
                    label=base.label,
                    formality_rank=base.formality_rank,
                    equality_rank=base.equality_rank,
                    types=base.types,
                    areas=base.areas,
                    sources=base.sources,
                    funded_by=base.funded_by,
                    start=start,
                    end=end,
                    roles=self._row_roles[row],
                )
            )
        evidence = TieEvidence(
            partnerships=tuple(shared),
            shared_projects=frozenset(self._shared_projects.get(pair, ())),
        )
        self._built[pair] = evidence
        return evidence

    def __contains__(self, pair: object) -> bool:
        return pair in self._index

    def sole(self, pairs: Sequence[tuple[str, str]]) -> tuple[list[int], list[Span]]:
        """For each pair, the one partnership its tie rests on and the pair's period in it.

        Why: most ties rest on one partnership, and a reader of every tie (an export)
        can then take that partnership's fields from a memo by its number; this does a
        whole block of pairs in a few C-level passes. A pair resting on none or several
        gets ``-1`` and ``(None, None)``: read it with :meth:`numbered`.

        Returns:
            (partnership numbers for :meth:`summary`, (first day, last day) of each pair
            in it).
        """
        offsets = self._offsets
        rows = self._rows
        found = list(map(self._index.get, pairs))
        sole_rows = [
            rows[offsets[i]] if i is not None and offsets[i + 1] - offsets[i] == 1 else -1
            for i in found
        ]
        row_partnership = self._row_partnership
        row_span = self._row_span
        none: Span = (None, None)
        return (
            [row_partnership[row] if row >= 0 else -1 for row in sole_rows],
            [row_span[row] if row >= 0 else none for row in sole_rows],
        )

    def numbered(self, pair: tuple[str, str]) -> list[tuple[int, date | None, date | None]]:
        """A tie's partnerships as numbers (for :meth:`summary`), each with the pair's period.

        For readers of every tie (an export): nothing is built per partnership. A pair
        that is not a tie has none.
        """
        i = self._index.get(pair)
        if i is None:
            return []
        row_partnership = self._row_partnership
        spans = self._row_span
        return [
            (row_partnership[row], *spans[row])
            for row in self._rows[self._offsets[i] : self._offsets[i + 1]]
        ]

    def spans(self, pair: tuple[str, str]) -> list[Span]:
        """The pair's (first day, last day) in each partnership its tie rests on.

        What a dynamic export needs of a tie, without building anything per partnership.
        """
        i = self._index.get(pair)
        if i is None:
            return []
        spans = self._row_span
        return [spans[row] for row in self._rows[self._offsets[i] : self._offsets[i + 1]]]

    def summary(self, number: int) -> tuple[str, str, Collection[str], Collection[str]]:
        """Partnership ``number``'s IRI, label, types and policy areas.

        What a reader of every tie shows of a partnership, straight from its record: a
        :class:`SharedPartnership` costs several microseconds to build, and an export
        of 100,000 actors needs 100,000 of them. The label is the one its
        :class:`SharedPartnership` has (the network's language, then English, then any).
        """
        record = self._records[number]
        label = _label(record.labels, self._language, local_name(record.iri))
        return record.iri, label, record.types, record.areas

    def partnership_records(self, pair: tuple[str, str]) -> list[PartnershipRecord]:
        """The records of the partnerships a tie rests on, without building its evidence."""
        i = self._index[pair]
        return [
            self._records[self._row_partnership[row]]
            for row in self._rows[self._offsets[i] : self._offsets[i + 1]]
        ]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._pairs)

    def __len__(self) -> int:
        return len(self._pairs)

    @property
    def pairs(self) -> Sequence[tuple[str, str]]:
        """The ties' actor pairs in the order the projection built them (the graph's)."""
        return self._pairs


def _rank_or_nan(ranks: Mapping[str, int], concept: str | None) -> float:
    rank = ranks.get(concept or "")
    return math.nan if rank is None else float(rank)


def _ragged(
    sets: Sequence[set[str]],
) -> tuple[np.ndarray[Any, np.dtype[np.int64]], np.ndarray[Any, np.dtype[np.int64]]]:
    """Number the distinct strings of ``sets``; return CSR offsets and ids, one row per set."""
    lengths = [len(values) for values in sets]
    flat = [value for values in sets for value in values]
    ids = {value: i for i, value in enumerate(dict.fromkeys(flat))}
    ptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=ptr[1:])
    return ptr, np.asarray([ids[value] for value in flat], dtype=np.int64)


def build_network(
    raw: RawData,
    network_filter: NetworkFilter | None = None,
    *,
    layer: str = "partnerships",
    weights: StrengthWeights | None = None,
    language: str = "en",
    aggregate_units: bool = False,
    reference: date | None = None,
) -> PartnershipNetwork:
    """Project the records into an actor network (module docstring for the semantics).

    Ties are scored all at once (:func:`~inclusion_kg.graph.network.strength.score_table`,
    the same numbers as :func:`~inclusion_kg.graph.network.strength.score_tie`), and their
    evidence is assembled on demand (:class:`TieEvidenceMap`).

    Args:
        raw: records from :func:`fetch`.
        network_filter: what to keep; default keeps everything.
        layer: ``partnerships``, ``funding`` or ``services``.
        weights: strength weights (partnerships layer).
        language: label language (English is the fallback).
        aggregate_units: merge sub-organisations into their top-most parent.
        reference: the date strength is assessed at; default from the period (as-of date,
            end of the year range, else today).

    Raises:
        InputError: an unknown layer or actor type.
    """
    with _PausedGC():
        return _build_network(
            raw,
            network_filter,
            layer=layer,
            weights=weights,
            language=language,
            aggregate_units=aggregate_units,
            reference=reference,
        )


def _build_network(
    raw: RawData,
    network_filter: NetworkFilter | None,
    *,
    layer: str,
    weights: StrengthWeights | None,
    language: str,
    aggregate_units: bool,
    reference: date | None,
) -> PartnershipNetwork:
    if layer not in LAYERS:
        msg = f"unknown layer {layer!r}; use one of {', '.join(LAYERS)}"
        raise InputError(msg)
    flt = network_filter or NetworkFilter()
    weights = weights or StrengthWeights()
    vocab = load_vocabulary()
    period = flt.period
    ref = reference or period.reference()
    wanted_types = {resolve_actor_type(t, vocab) for t in flt.actor_types}
    low, high = period.window

    def admits(start: date | None, end: date | None) -> bool:
        return (start is None or high is None or start <= high) and (
            end is None or low is None or end >= low
        )

    # place scope -----------------------------------------------------------------------
    def place_country(place: str) -> str | None:
        record = raw.places.get(place)
        return record.country if record else None

    place_memo: dict[str, bool] = {}

    def place_in_scope(place: str) -> bool:
        found = place_memo.get(place)
        if found is not None:
            return found
        record = raw.places.get(place)
        labels = record.labels if record else {}
        result = False
        if (
            flt.cities
            and (record is None or record.kind == "City")
            and _matches(place, labels, flt.cities)
        ):
            result = True
        elif flt.countries:
            country = place_country(place)
            if country is not None:
                crec = raw.places.get(country)
                result = _matches(
                    country,
                    crec.labels if crec else {},
                    flt.countries,
                    crec.notation if crec else None,
                )
        place_memo[place] = result
        return result

    has_place_filter = bool(flt.cities or flt.countries)

    # actors and unit aggregation ------------------------------------------------------
    roots = _roots(raw.actors) if aggregate_units else {iri: iri for iri in raw.actors}
    merged = {unit: root for unit, root in roots.items() if unit != root}

    def canonical(actor: str) -> str:
        return roots.get(actor, actor)

    type_memo: dict[str, bool] = {}

    def type_ok(actor: str) -> bool:
        if not wanted_types:
            return True
        found = type_memo.get(actor)
        if found is None:
            record = raw.actors.get(actor)
            cls = record.actor_class if record else None
            found = cls is not None and any(vocab.is_a(cls, t) for t in wanted_types)
            type_memo[actor] = found
        return found

    def actor_in_scope(actor: str) -> bool:
        record = raw.actors.get(actor)
        return record is not None and any(place_in_scope(p) for p in record.based_in)

    nodes: set[str] = set()
    for iri in raw.actors:
        root = canonical(iri)
        if type_ok(root) and (not has_place_filter or actor_in_scope(iri) or actor_in_scope(root)):
            nodes.add(root)

    def areas_ok(areas: set[str]) -> bool:
        if not flt.policy_areas:
            return True
        return any(
            _matches(a, {"en": vocab.labels[a]} if a in vocab.labels else {}, flt.policy_areas)
            for a in areas
        )

    def scope_ok(served: set[str], members: Iterable[str]) -> bool:
        if not has_place_filter:
            return True
        if any(place_in_scope(p) for p in served):
            return True
        return any(actor_in_scope(m) for m in members)

    def member_ok(root: str) -> bool:
        return root in raw.actors and type_ok(root)

    # partnerships: one row per (pair, shared partnership) -------------------------------
    eligible = {actor for actor in raw.actors if type_ok(actor)}
    kept_list: list[PartnershipRecord] = []
    rows: list[tuple[str, str, int, tuple[date | None, date | None], tuple[Any, Any]]] = []
    add_row = rows.append
    for record in raw.partnerships.values():
        if flt.min_formality_rank:
            rank = vocab.formality_rank.get(record.formality or "", None)
            if rank is None or rank < flt.min_formality_rank:
                continue
        if not areas_ok(record.areas):
            continue
        if has_place_filter and not scope_ok(record.served, [m[0] for m in record.members]):
            continue
        whole = (record.start, record.end)
        if not admits(*whole):
            continue
        if whole[0] is not None and whole[1] is not None and whole[0] > whole[1]:
            continue  # no pair can share an empty period
        members: dict[str, tuple[str | None, date | None, date | None]] = {}
        for actor, role, start, end in record.members:
            root = roots.get(actor, actor) if aggregate_units else actor
            if root not in eligible:
                continue
            if root not in members or (role or "") < (members[root][0] or ""):
                members[root] = (role, start, end)
        if len(members) < 2:
            continue
        index = len(kept_list)
        any_pair = False
        for a, b in itertools.combinations(sorted(members), 2):
            role_a, start_a, end_a = members[a]
            role_b, start_b, end_b = members[b]
            span: tuple[date | None, date | None] = whole
            if start_a is not None or end_a is not None or start_b is not None or end_b is not None:
                narrowed = _intersect(whole, (start_a, end_a), (start_b, end_b))
                if narrowed is None or not admits(*narrowed):
                    continue
                span = narrowed
            any_pair = True
            add_row((a, b, index, span, (role_a, role_b)))
        if any_pair:
            kept_list.append(record)
            nodes.update(members)
    row_pair = [(row[0], row[1]) for row in rows]
    row_partnership = [row[2] for row in rows]
    row_span = [row[3] for row in rows]
    row_roles = [row[4] for row in rows]
    del rows
    kept = {record.iri: record for record in kept_list}

    # projects: funders, implementers and partners of partnerships funded by them --------
    project_members: dict[str, set[str]] = defaultdict(set)
    for iri, project in raw.projects.items():
        if not admits(project.start, project.end):
            continue
        direct = {canonical(a) for a in project.funders | project.implementers}
        if not scope_ok(project.served, project.funders | project.implementers):
            direct = set()
        if direct and areas_ok(project.areas):
            project_members[iri].update(a for a in direct if a in raw.actors and type_ok(a))
    for record in kept_list:
        for funding_project in record.funded_by:
            project_members[funding_project].update(
                root for root in (canonical(m[0]) for m in record.members) if member_ok(root)
            )
    shared_projects: dict[tuple[str, str], set[str]] = defaultdict(set)
    for funding_project, group in project_members.items():
        for a, b in itertools.combinations(sorted(group), 2):
            shared_projects[(a, b)].add(funding_project)

    # services --------------------------------------------------------------------------
    shared_services: dict[tuple[str, str], set[str]] = defaultdict(set)
    if layer == "services":
        for iri, service in raw.services.items():
            if not admits(service.start, service.end) or not areas_ok(service.areas):
                continue
            if not scope_ok(service.served, service.providers):
                continue
            providers = sorted(
                {canonical(p) for p in service.providers if canonical(p) in raw.actors}
            )
            providers = [p for p in providers if type_ok(p)]
            for a, b in itertools.combinations(providers, 2):
                shared_services[(a, b)].add(iri)
            nodes.update(providers)
    if layer == "funding":
        for group in project_members.values():
            nodes.update(group)

    # candidate ties of the layer, and their rows ----------------------------------------
    if layer == "partnerships":
        # pairs as integer codes: sorting the codes sorts the pairs (a rank per actor IRI)
        names = sorted({name for pair in row_pair for name in pair})
        position = {name: i for i, name in enumerate(names)}
        width = max(len(names), 1)
        codes = np.fromiter(
            (position[a] * width + position[b] for a, b in row_pair),
            dtype=np.int64,
            count=len(row_pair),
        )
        unique_codes, row_tie = np.unique(codes, return_inverse=True)
        row_tie = row_tie.astype(np.int64).reshape(-1)
        candidates = [(names[c // width], names[c % width]) for c in unique_codes.tolist()]
    else:
        candidates = sorted(shared_projects if layer == "funding" else shared_services)
        tie_index = {pair: i for i, pair in enumerate(candidates)}
        row_tie = np.asarray([tie_index.get(pair, -1) for pair in row_pair], dtype=np.int64)
    n_candidates = len(candidates)
    by_iri = sorted(range(len(kept_list)), key=lambda k: kept_list[k].iri)
    iri_rank = np.empty(len(kept_list), dtype=np.int64)
    iri_rank[by_iri] = np.arange(len(kept_list))
    in_layer = np.flatnonzero(row_tie >= 0)
    part_of_row = np.asarray(row_partnership, dtype=np.int64)
    order = in_layer[np.lexsort((iri_rank[part_of_row[in_layer]], row_tie[in_layer]))]
    counts = np.bincount(row_tie[order], minlength=n_candidates)
    offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)

    nan = math.nan
    ordered_rows = order.tolist()
    equality_of = [vocab.equality_rank.get(record.equality or "") for record in kept_list]
    equality_column = []
    for row in ordered_rows:
        rank = effective_equality_rank(equality_of[row_partnership[row]], row_roles[row])
        equality_column.append(nan if rank is None else rank)
    spans = [row_span[row] for row in ordered_rows]
    table = TieTable(
        n_ties=n_candidates,
        tie=row_tie[order],
        partnership=part_of_row[order],
        formality=np.asarray(
            [_rank_or_nan(vocab.formality_rank, record.formality) for record in kept_list],
            dtype=float,
        )[part_of_row[order]].reshape(-1),
        equality=np.asarray(equality_column, dtype=float).reshape(-1),
        start=np.asarray(
            [nan if a is None else a.toordinal() for a, _ in spans], dtype=float
        ).reshape(-1),
        end=np.asarray(
            [nan if b is None else b.toordinal() for _, b in spans], dtype=float
        ).reshape(-1),
        funded=np.asarray([bool(r.funded_by) for r in kept_list], dtype=bool)[
            part_of_row[order]
        ].reshape(-1),
        types=_ragged([r.types for r in kept_list]),
        areas=_ragged([r.areas for r in kept_list]),
        sources=_ragged([r.sources for r in kept_list]),
        shared_projects=np.asarray([pair in shared_projects for pair in candidates], dtype=bool),
    )
    scores, components = score_table(table, ref, weights)
    partnership_sources = table.distinct("sources")

    # the evidence's number of sources decides which ties stay (min_sources) -------------
    if layer == "partnerships":
        n_sources = partnership_sources.tolist()
    else:
        n_sources = []
        for i, pair in enumerate(candidates):
            found: set[str] = set()
            for row in ordered_rows[offsets[i] : offsets[i + 1]]:
                found |= kept_list[row_partnership[row]].sources
            if layer == "funding":
                for project_iri in shared_projects.get(pair, ()):
                    if project_iri in raw.projects:
                        found |= raw.projects[project_iri].sources
                n_sources.append(len(found))
            else:
                n_sources.append(
                    len(set().union(*(raw.services[s].sources for s in shared_services[pair])))
                )

    # graph (filled through networkx's own dicts: add_nodes_from / add_edges_from copy every
    # attribute dict, which costs a third of the projection at 100,000 actors) ----------
    graph: nx.Graph[str] = nx.Graph()
    node_dicts: dict[str, dict[str, Any]] = cast(Any, graph)._node
    adjacency: dict[str, dict[str, dict[str, Any]]] = cast(Any, graph)._adj
    attributes_of = _NodeAttributes(raw, vocab, language)
    for actor in sorted(nodes):
        node_dicts[actor] = attributes_of(actor)
        adjacency[actor] = {}
    column = {k: components[k].tolist() for k in COMPONENTS}
    c_formality, c_duration, c_recency = column["formality"], column["duration"], column["recency"]
    c_multiplexity, c_funding = column["multiplexity"], column["shared_funding"]
    c_equality, c_sources = column["equality"], column["sources"]
    score_list = scores.tolist()
    iris = [record.iri for record in kept_list]
    kept_pairs: list[tuple[str, str]] = []
    kept_offsets = [0]
    kept_rows: list[int] = []
    dropped_sources = 0
    min_sources = flt.min_sources
    for i, pair in enumerate(candidates):
        if n_sources[i] < min_sources:
            dropped_sources += 1
            continue
        tie_rows = ordered_rows[offsets[i] : offsets[i + 1]]
        attributes: dict[str, Any] = {
            "strength": score_list[i],
            "n_partnerships": len(tie_rows),
            "n_sources": n_sources[i],
            "partnerships": " ".join([iris[row_partnership[row]] for row in tie_rows]),
            "c_formality": c_formality[i],
            "c_duration": c_duration[i],
            "c_recency": c_recency[i],
            "c_multiplexity": c_multiplexity[i],
            "c_shared_funding": c_funding[i],
            "c_equality": c_equality[i],
            "c_sources": c_sources[i],
        }
        if layer == "partnerships":
            weight = score_list[i]
        elif layer == "funding":
            projects = shared_projects[pair]
            weight = float(len(projects))
            attributes["n_projects"] = len(projects)
            attributes["projects"] = " ".join(sorted(projects))
        else:
            services = sorted(shared_services[pair])
            weight = float(len(services))
            attributes["n_services"] = len(services)
            attributes["services"] = " ".join(services)
        attributes["weight"] = weight
        attributes["distance"] = 1.0 / max(weight, 1e-9)
        a, b = pair
        adjacency[a][b] = attributes
        adjacency[b][a] = attributes
        kept_pairs.append(pair)
        kept_rows.extend(tie_rows)
        kept_offsets.append(len(kept_rows))

    shared_cache: dict[int, SharedPartnership] = {}

    def shared_partnership(k: int) -> Callable[[], SharedPartnership]:
        def build() -> SharedPartnership:
            found = shared_cache.get(k)
            if found is None:
                record = kept_list[k]
                found = SharedPartnership(
                    iri=record.iri,
                    label=_label(record.labels, language, local_name(record.iri)),
                    formality_rank=vocab.formality_rank.get(record.formality or "", None),
                    equality_rank=vocab.equality_rank.get(record.equality or ""),
                    types=frozenset(record.types),
                    areas=frozenset(record.areas),
                    sources=frozenset(record.sources),
                    funded_by=frozenset(record.funded_by),
                )
                shared_cache[k] = found
            return found

        return build

    ties = TieEvidenceMap(
        kept_pairs,
        kept_offsets,
        kept_rows,
        row_partnership,
        row_span,
        row_roles,
        [shared_partnership(k) for k in range(len(kept_list))],
        shared_projects,
        kept_list,
        language,
    )
    metadata = {
        "layer": layer,
        "language": language,
        "reference_date": ref.isoformat(),
        "filter": flt.as_dict(),
        "aggregated_units": aggregate_units,
        "merged_units": dict(sorted(merged.items())) if aggregate_units else {},
        "ties_below_min_sources": dropped_sources,
        "rows_read": raw.rows,
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "partnerships": len(kept),
        "weights": weights.as_dict(),
    }
    return PartnershipNetwork(
        graph=graph,
        layer=layer,
        filter=flt,
        reference=ref,
        weights=weights,
        actors={a: raw.actors[a] for a in nodes if a in raw.actors},
        partnerships=kept,
        ties=ties,
        places=raw.places,
        metadata=metadata,
        raw=raw,
    )


class _NodeAttributes:
    """Node attributes of actors, with the labels of places and classes looked up once."""

    def __init__(self, raw: RawData, vocab: Vocabulary, language: str) -> None:
        self.raw = raw
        self.vocab = vocab
        self.language = language
        self.council = str(IKG.MigrantCouncil)
        self._place_labels: dict[str, str] = {}
        self._where: dict[frozenset[str], tuple[str | None, str | None]] = {}
        self._is_council: dict[str, bool] = {}
        self._classes: dict[tuple[str | None, str | None], dict[str, Any]] = {}

    def _place_label(self, place: str) -> str:
        found = self._place_labels.get(place)
        if found is None:
            record = self.raw.places.get(place)
            found = _label(record.labels if record else {}, self.language, local_name(place))
            self._place_labels[place] = found
        return found

    def _city_country(self, based_in: set[str]) -> tuple[str | None, str | None]:
        key = frozenset(based_in)
        found = self._where.get(key)
        if found is None:
            places = self.raw.places
            ordered = sorted(based_in)
            city = next(
                (p for p in ordered if places.get(p, PlaceRecord(p)).kind == "City"),
                None,
            )
            country = next(
                (places[p].country for p in ordered if p in places and places[p].country),
                None,
            )
            found = (city, country)
            self._where[key] = found
        return found

    def _class_attributes(self, cls: str | None, sector: str | None) -> dict[str, Any]:
        key = (cls, sector)
        found = self._classes.get(key)
        if found is None:
            found = {}
            if cls:
                found["actor_type"] = cls
                found["actor_type_label"] = local_name(cls)
            if sector:
                found["sector"] = sector
                found["sector_label"] = local_name(sector)
            self._classes[key] = found
        return found

    def __call__(self, actor: str) -> dict[str, Any]:
        record = self.raw.actors.get(actor)
        if record is None:
            return {"label": local_name(actor)}
        labels = record.labels
        label = labels.get(self.language) or labels.get("en") or next(iter(labels.values()), None)
        attributes: dict[str, Any] = {"label": local_name(actor) if label is None else label}
        cls = record.actor_class
        attributes.update(self._class_attributes(cls, record.sector))
        city, country = self._city_country(record.based_in)
        if city:
            attributes["city"] = city
            attributes["city_label"] = self._place_label(city)
        if country:
            attributes["country"] = country
            attributes["country_label"] = self._place_label(country)
        if cls:
            council = self._is_council.get(cls)
            if council is None:
                council = self.vocab.is_a(cls, self.council)
                self._is_council[cls] = council
            if council:
                if record.has_budget is not None:
                    attributes["has_budget"] = record.has_budget
                if record.own_initiative is not None:
                    attributes["has_own_initiative_right"] = record.own_initiative
        return attributes


def _node_attributes(raw: RawData, vocab: Vocabulary, actor: str, language: str) -> dict[str, Any]:
    return _NodeAttributes(raw, vocab, language)(actor)


def project_network(
    runner: SelectRunner,
    network_filter: NetworkFilter | None = None,
    *,
    layer: str = "partnerships",
    weights: StrengthWeights | None = None,
    language: str = "en",
    aggregate_units: bool = False,
    reference: date | None = None,
) -> PartnershipNetwork:
    """Read the store with one SELECT and project the actor network.

    Equivalent to ``build_network(fetch(runner, language), ...)``; see :func:`build_network`.

    Raises:
        InputError: an unknown layer or actor type, or a query the store refuses.
    """
    raw = fetch(runner, language)
    return build_network(
        raw,
        network_filter,
        layer=layer,
        weights=weights,
        language=language,
        aggregate_units=aggregate_units,
        reference=reference,
    )
