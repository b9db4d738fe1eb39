"""``/api/v1/analytics``: the partnership network's metrics and the study's indicators.

=====================================  ====================================================
route                                  answers with
=====================================  ====================================================
``GET  /``                             the routes, the filters and the sortable metrics
``GET  /network``                      size, density, components, cohesion and mixing, the
                                       backend of every metric, the filters echoed
``GET  /actors``                       every actor's metrics, sorted (``sort=-betweenness``)
                                       and paged (``limit``, ``offset``, ``next``)
``GET  /cities``                       the three indicators of every city
``GET  /cities/{city}``                those of one city (slug, label or IRI); 404 if none
``GET  /explain?a=&b=``                one tie: strength components, shared partnerships;
                                       404 when the two actors are not tied
``GET  /compare?a=DATE&b=DATE``        ties formed, dissolved and persisting between dates
``POST /runs``                         run the analytics and replace the analytics graph
                                       (bearer token)
``GET  /runs/latest``                  what the analytics graph holds now
=====================================  ====================================================

Every route takes the filters of ``ikg analyze`` as query parameters (``city``,
``country``, ``policy_area``, ``actor_type`` — repeatable —, ``as_of`` or ``from``/``to``,
``formal_only``, ``min_sources``, ``layer``, ``aggregate_units``, ``lang``), read once
into the analytics' own :class:`~inclusion_kg.graph.network.projection.NetworkFilter`;
the same parameters give the same numbers as ``ikg analyze --format json``. A value of
the wrong type (a malformed date, an unknown layer), a filter value that names nothing in
the data (an unknown city, country, policy area or actor type) or a period the analytics
refuse (``as_of`` with ``from``/``to``, a reversed range) is a 422 problem document that
says which parameter is wrong.

Projections and metrics are cached per store version and parameters
(:mod:`inclusion_kg.graph.network.cache`): a write to the store raises the store's write
counter, and the next request recomputes. Routes are plain ``def``: the work is CPU-bound
and runs in the thread pool.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, cast

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field

from inclusion_kg.api.deps import SettingsDep, StoreDep, WriteAccess
from inclusion_kg.api.errors import PROBLEM_BASE, PROBLEM_JSON, HTTPProblem
from inclusion_kg.graph.errors import InputError, NotFound
from inclusion_kg.graph.network.cache import Analysis, AnalysisParams, AnalyticsCache
from inclusion_kg.graph.store import Store

# The analytics (networkx, numpy, scipy) are imported by the routes that run them, not
# with this module: registering the routes must not load them (start-up time, issue 3).
if TYPE_CHECKING:
    from inclusion_kg.graph.network.projection import RawData

__all__ = ["PREFIX", "SORT_KEYS", "AnalysisQuery", "analytics_cache", "router"]

PREFIX = "/api/v1/analytics"
router = APIRouter(prefix=PREFIX, tags=["analytics"])

_A = "https://w3id.org/inclusion-kg/id/actor/"
_CITY = "https://w3id.org/inclusion-kg/id/city/"
_PA = "https://w3id.org/inclusion-kg/vocab/policy-area/"
_MEASURE = "https://w3id.org/inclusion-kg/vocab/measure/"

NODE_METRICS: tuple[str, ...] = (
    "strength",
    "degree",
    "pagerank",
    "eigenvector",
    "betweenness",
    "community",
    "core",
    "articulation_point",
    "constraint",
    "effective_size",
)
"""The per-actor metrics, in the order ``compute_metrics`` reports them."""
SORT_KEYS: tuple[str, ...] = (*NODE_METRICS, "label", "id")
"""What ``/actors`` can be sorted by."""


# ---------------------------------------------------------------------------------------
# the cache (one per app)
# ---------------------------------------------------------------------------------------


def analytics_cache(request: Request) -> AnalyticsCache:
    """Return the app's analytics cache, creating it on first use."""
    state = request.app.state
    cache: AnalyticsCache | None = getattr(state, "analytics_cache", None)
    if cache is None:
        cache = AnalyticsCache()
        state.analytics_cache = cache
    return cache


CacheDep = Annotated[AnalyticsCache, Depends(analytics_cache)]


# ---------------------------------------------------------------------------------------
# the filters
# ---------------------------------------------------------------------------------------


class LayerName(StrEnum):
    """The co-membership the network's ties stand for."""

    partnerships = "partnerships"
    funding = "funding"
    services = "services"


def _invalid(detail: str, errors: list[dict[str, Any]]) -> HTTPProblem:
    return HTTPProblem(
        422,
        detail,
        title="Invalid request",
        type_=PROBLEM_BASE + "invalid-request",
        extensions={"errors": errors},
    )


class AnalysisQuery:
    """The analytics' filters as a request gave them, parsed once.

    Attributes:
        params: the :class:`AnalysisParams` (filter, layer, language, aggregation).
        echo: the filters as JSON, for the responses.
    """

    def __init__(self, params: AnalysisParams) -> None:
        self.params = params
        flt = params.network_filter
        self.echo: dict[str, Any] = {
            "city": sorted(flt.cities),
            "country": sorted(flt.countries),
            "policy_area": sorted(flt.policy_areas),
            "actor_type": sorted(flt.actor_types),
            "as_of": flt.period.as_of,
            "from": flt.period.from_year,
            "to": flt.period.to_year,
            "formal_only": flt.min_formality_rank >= 4,
            "min_sources": flt.min_sources,
            "layer": params.layer,
            "aggregate_units": params.aggregate_units,
            "lang": params.language,
        }

    def check(self, raw: RawData) -> None:
        """Refuse filter values that name nothing in the data.

        Raises:
            HTTPProblem: 422, naming each unknown value and its parameter.
        """
        from inclusion_kg.graph.network.projection import unknown_filter_values

        unknown = unknown_filter_values(raw, self.params.network_filter)
        if not unknown:
            return
        names = {
            "cities": ("city", "city"),
            "countries": ("country", "country"),
            "policy_areas": ("policy_area", "policy area"),
            "actor_types": ("actor_type", "actor type"),
        }
        errors = []
        parts = []
        for key, values in unknown.items():
            param, what = names[key]
            for value in values:
                errors.append(
                    {"loc": ["query", param], "msg": f"no {what} {value!r}", "type": "unknown"}
                )
            listed = ", ".join(repr(v) for v in values)
            parts.append(f"{param}={listed} names no {what} in the store")
        raise _invalid(
            "; ".join(parts) + ". Give an IRI, a slug or a label (ISO code for a country).",
            errors,
        )


def analysis_query(
    city: Annotated[
        list[str] | None,
        Query(description="City IRI, slug or label (repeatable).", examples=["palermo"]),
    ] = None,
    country: Annotated[
        list[str] | None,
        Query(description="Country IRI, slug, label or ISO code (repeatable).", examples=["IT"]),
    ] = None,
    policy_area: Annotated[
        list[str] | None,
        Query(description="Policy-area concept, slug or label (repeatable).", examples=["housing"]),
    ] = None,
    actor_type: Annotated[
        list[str] | None,
        Query(
            description="Actor type: NGO, migrant-council, PublicAuthority, … (repeatable).",
            examples=["NGO"],
        ),
    ] = None,
    as_of: Annotated[
        date | None, Query(description="Ties active on this date (YYYY-MM-DD).")
    ] = None,
    from_year: Annotated[
        int | None,
        Query(alias="from", ge=1, le=9999, description="First year of a period (inclusive)."),
    ] = None,
    to_year: Annotated[
        int | None,
        Query(alias="to", ge=1, le=9999, description="Last year of a period (inclusive)."),
    ] = None,
    formal_only: Annotated[
        bool, Query(description="Only formal agreements (formality rank 4).")
    ] = False,
    min_sources: Annotated[
        int, Query(ge=0, le=1000, description="Ties backed by at least this many documents.")
    ] = 0,
    layer: Annotated[
        LayerName, Query(description="partnerships, funding (shared projects) or services.")
    ] = LayerName.partnerships,
    aggregate_units: Annotated[
        bool, Query(description="Merge sub-organisations into their top-most parent.")
    ] = False,
    lang: Annotated[
        str, Query(description="Label language (English fallback).", pattern=r"^[A-Za-z-]{1,35}$")
    ] = "en",
) -> AnalysisQuery:
    """Read the analytics' filters from the query string into a ``NetworkFilter``.

    Raises:
        HTTPProblem: 422 for a period the analytics refuse.
    """
    from inclusion_kg.graph.network.projection import NetworkFilter, Period

    try:
        period = Period(as_of=as_of, from_year=from_year, to_year=to_year)
    except InputError as error:
        loc = ["query", "as_of"] if as_of is not None else ["query", "from"]
        raise _invalid(
            str(error), [{"loc": loc, "msg": str(error), "type": "value_error"}]
        ) from None
    network_filter = NetworkFilter(
        cities=frozenset(city or ()),
        countries=frozenset(country or ()),
        policy_areas=frozenset(policy_area or ()),
        actor_types=frozenset(actor_type or ()),
        period=period,
        min_formality_rank=4 if formal_only else 0,
        min_sources=min_sources,
    )
    params = AnalysisParams(
        network_filter=network_filter,
        layer=layer.value,
        language=lang.lower(),
        aggregate_units=aggregate_units,
    )
    return AnalysisQuery(params)


QueryDep = Annotated[AnalysisQuery, Depends(analysis_query)]


def _analysis(store: Store, cache: AnalyticsCache, query: AnalysisQuery) -> Analysis:
    query.check(cache.raw(store, query.params.language))
    return cache.analysis(store, query.params)


# ---------------------------------------------------------------------------------------
# models
# ---------------------------------------------------------------------------------------


class Filters(BaseModel):
    """The filters the numbers were computed with (the query parameters, echoed)."""

    city: list[str] = Field(examples=[["testville"]])
    country: list[str] = Field(examples=[[]])
    policy_area: list[str] = Field(examples=[[]])
    actor_type: list[str] = Field(examples=[[]])
    as_of: date | None = Field(examples=["2020-01-01"])
    from_: int | None = Field(alias="from", examples=[None])
    to: int | None = Field(examples=[None])
    formal_only: bool = Field(examples=[False])
    min_sources: int = Field(examples=[0])
    layer: str = Field(examples=["partnerships"])
    aggregate_units: bool = Field(examples=[False])
    lang: str = Field(examples=["en"])

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)


class MethodModel(BaseModel):
    """How one metric was computed."""

    backend: str = Field(
        description="networkx, igraph, networkit, scipy, numpy or python.", examples=["igraph"]
    )
    algorithm: str = Field(examples=["betweenness (Brandes)"])
    exact: bool = Field(description="False for sampled estimates.", examples=[True])
    note: str = Field(examples=[""])
    seconds: float = Field(description="Wall-clock time.", examples=[0.012])


class CrossSectorModel(BaseModel):
    """Ties across sectors (Hirschi 2010) and the E-I index (Krackhardt & Stern 1988)."""

    ties: int = Field(description="Ties whose two ends have a known sector.", examples=[8])
    cross: int = Field(description="Those joining two sectors.", examples=[7])
    share: float | None = Field(examples=[0.875])
    weighted_share: float | None = Field(examples=[0.86])
    ei_index: float | None = Field(examples=[0.75])
    by_sector_pair: dict[str, int] = Field(examples=[{"civil-society|public": 3}])


class NetworkSummary(BaseModel):
    """The network as a whole: size, cohesion, mixing, and how each metric was computed."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "nodes": 10,
                    "edges": 7,
                    "density": 0.156,
                    "components": 4,
                    "largest_component": 6,
                    "isolates": 2,
                    "total_strength": 3.9,
                    "partnerships": 6,
                    "ties_below_min_sources": 0,
                    "communities": 4,
                    "modularity": 0.31,
                    "bridges": 4,
                    "articulation_points": 2,
                    "assortativity": -0.2,
                    "layer": "partnerships",
                    "reference_date": "2020-01-01",
                    "aggregated_units": False,
                    "merged_units": {},
                    "backends": {"betweenness": "networkx", "communities": "networkx"},
                }
            ]
        }
    )

    nodes: int = Field(description="Actors in the network (isolates included).")
    edges: int = Field(description="Ties.")
    density: float | None = Field(description="2m / (n (n - 1)); None below two actors.")
    components: int = Field(description="Connected components (isolates count).")
    largest_component: int = Field(description="Actors in the largest component.")
    isolates: int = Field(description="Actors without a tie.")
    total_strength: float = Field(description="Sum of the tie weights.")
    partnerships: int = Field(description="Partnerships kept by the filters.")
    ties_below_min_sources: int = Field(description="Ties dropped by min_sources.")
    communities: int = Field(description="Louvain communities.")
    modularity: float | None = Field(description="Their modularity.")
    bridges: int = Field(description="Ties whose removal splits a component.")
    articulation_points: int = Field(description="Actors whose removal splits a component.")
    cross_sector: CrossSectorModel
    assortativity: float | None = Field(description="Newman's r by actor type.")
    layer: str
    reference_date: date = Field(description="The date strength is assessed at.")
    aggregated_units: bool = Field(description="Sub-organisations merged into their parent.")
    merged_units: dict[str, str] = Field(description="Merged unit -> its parent.")
    backends: dict[str, str] = Field(description="Metric -> the backend that computed it.")
    methods: dict[str, MethodModel] = Field(description="Metric -> backend, algorithm, time.")
    filters: Filters
    links: dict[str, str] = Field(description="The other analytics of this network.")


class ActorMetrics(BaseModel):
    """One actor and its metrics (docs/analytics.md, section 3)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": _A + "a",
                    "label": "Municipality of Testville",
                    "actor_type": "Municipality",
                    "sector": "public",
                    "city": _CITY + "testville",
                    "country": "https://w3id.org/inclusion-kg/id/country/italy",
                    "strength": 2.54,
                    "degree": 5,
                    "pagerank": 0.27,
                    "eigenvector": 0.66,
                    "betweenness": 0.25,
                    "community": 0,
                    "core": 2,
                    "articulation_point": True,
                    "constraint": 0.31,
                    "effective_size": 3.9,
                }
            ]
        }
    )

    id: str = Field(description="The actor's IRI.")
    label: str
    actor_type: str | None = Field(description="Its most specific actor class (local name).")
    sector: str | None = Field(description="The class's sector (local name).")
    city: str | None = Field(description="The city it is based in (IRI).")
    country: str | None = Field(description="Its country (IRI).")
    strength: float | None = Field(description="Weighted degree.")
    degree: int | None
    pagerank: float | None
    eigenvector: float | None = Field(description="On the largest component; others 0.")
    betweenness: float | None = Field(description="Normalised; sampled above 2,000 actors.")
    community: int | None = Field(description="Index of its Louvain community (0 = largest).")
    core: int | None = Field(description="Core number.")
    articulation_point: bool | None
    constraint: float | None = Field(description="Burt's constraint (None: no tie).")
    effective_size: float | None = Field(description="Burt's effective size (None: no tie).")


class ActorPage(BaseModel):
    """One page of actors, sorted."""

    items: list[ActorMetrics]
    total: int = Field(description="Actors in the network.", examples=[10])
    limit: int = Field(examples=[50])
    offset: int = Field(examples=[0])
    sort: str = Field(examples=["-betweenness"])
    next: str | None = Field(description="URL of the next page (None on the last).")
    prev: str | None = Field(description="URL of the previous page (None on the first).")
    filters: Filters


class CoverageModel(BaseModel):
    """Whole-of-community coverage: policy areas of the city's public/non-public partnerships."""

    share: float = Field(examples=[0.4286])
    covered: list[str] = Field(examples=[[_PA + "housing"]])
    missing: list[str] = Field(examples=[[_PA + "health"]])
    partnerships: list[str] = Field(examples=[["https://w3id.org/inclusion-kg/id/partnership/p1"]])


class CivilSocietyModel(BaseModel):
    """Ties between public authorities and civil society with an end in the city."""

    ties: int = Field(examples=[7])
    public_civil_ties: int = Field(examples=[3])
    share: float | None = Field(examples=[0.4286])
    mean_strength: float | None = Field(examples=[0.6])
    mean_equality: float | None = Field(examples=[0.7])
    eye_to_eye_share: float | None = Field(examples=[0.33])
    pairs: list[tuple[str, str]] = Field(examples=[[[_A + "a", _A + "b"]]])


class CouncilModel(BaseModel):
    """One migrant council and its participation score (1 + budget + initiative) / 3."""

    council: str = Field(examples=[_A + "f"])
    label: str = Field(examples=["Migrant council of Testville"])
    has_budget: bool | None = Field(examples=[True])
    has_own_initiative_right: bool | None = Field(examples=[True])
    score: float = Field(examples=[1.0])


class ParticipationModel(BaseModel):
    """Migrant participation: the best council's score (0 without a council)."""

    score: float = Field(examples=[1.0])
    council_exists: bool = Field(examples=[True])
    has_budget: bool = Field(examples=[True])
    has_own_initiative_right: bool = Field(examples=[True])
    councils: list[CouncilModel]


class DensityModel(BaseModel):
    """Ties among the actors based in the city."""

    actors: int = Field(examples=[6])
    ties: int = Field(examples=[7])
    density: float | None = Field(examples=[0.4667])
    mean_strength: float | None = Field(examples=[0.55])


class CityIndicatorsModel(BaseModel):
    """The study's three indicators for one city (docs/analytics.md, section 4)."""

    city: str = Field(examples=[_CITY + "testville"])
    label: str = Field(examples=["Testville"])
    country: str | None = Field(examples=["https://w3id.org/inclusion-kg/id/country/italy"])
    coverage: CoverageModel
    civil_society: CivilSocietyModel
    migrant_participation: ParticipationModel
    density: DensityModel | None = Field(
        description="Density of the ties among the city's actors (on the asked layer)."
    )


class CityList(BaseModel):
    """The indicators of every city the filters select."""

    items: list[CityIndicatorsModel]
    total: int = Field(examples=[2])
    filters: Filters


class SharedPartnershipModel(BaseModel):
    """One partnership two actors share, with what it says about the tie."""

    iri: str = Field(examples=["https://w3id.org/inclusion-kg/id/partnership/p1"])
    label: str | None = Field(examples=["P1 housing agreement"])
    formality_rank: int | None = Field(examples=[4])
    equality_rank: int | None = Field(examples=[4])
    types: list[str]
    policy_areas: list[str]
    sources: list[str]
    funded_by: list[str]
    start: date | None = Field(examples=["2016-01-01"])
    end: date | None = Field(examples=[None])
    roles: list[str | None] = Field(description="The two actors' partner roles, in order.")


class TieExplanationModel(BaseModel):
    """Why a tie is as strong as it is: components, weights and the shared partnerships."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "source": _A + "a",
                    "target": _A + "b",
                    "strength": 0.7625,
                    "weight": 0.7625,
                    "components": {"formality": 1.0, "duration": 0.67},
                    "weights": {"formality": 0.25, "duration": 0.15},
                    "contributions": {"formality": 0.25, "duration": 0.1},
                    "n_partnerships": 2,
                    "n_sources": 3,
                    "partnerships": [],
                    "shared_projects": [],
                    "layer": "partnerships",
                    "reference_date": "2020-01-01",
                }
            ]
        }
    )

    source: str
    target: str
    strength: float = Field(description="Σ w_i c_i / Σ w_i (partnerships layer).")
    weight: float = Field(description="The tie's weight in this layer.")
    components: dict[str, float] = Field(description="c_i, each in [0, 1].")
    weights: dict[str, float] = Field(description="w_i.")
    contributions: dict[str, float] = Field(description="w_i c_i / Σ w_j; they sum to strength.")
    n_partnerships: int
    n_sources: int
    partnerships: list[SharedPartnershipModel]
    shared_projects: list[str] = Field(description="Projects both fund or implement.")
    layer: str
    reference_date: date
    filters: Filters


class TieChangeModel(BaseModel):
    """A tie at the two dates (strength None where absent)."""

    source: str
    target: str
    strength_a: float | None
    strength_b: float | None
    delta: float | None = Field(description="strength_b - strength_a.")


class SizeModel(BaseModel):
    """Size of the network at one date."""

    nodes: int
    edges: int
    active_actors: int = Field(description="Actors with at least one tie.")
    density: float | None
    total_weight: float


class ComparisonModel(BaseModel):
    """Ties formed, dissolved and persisting between two dates."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "a": "2018-06-01",
                    "b": "2020-01-01",
                    "counts": {
                        "formed": 4,
                        "dissolved": 1,
                        "persisted": 3,
                        "actors_entered": 4,
                        "actors_left": 0,
                    },
                    "formed": [
                        {
                            "source": _A + "a",
                            "target": _A + "d",
                            "strength_a": None,
                            "strength_b": 0.4,
                            "delta": None,
                        }
                    ],
                    "truncated": False,
                }
            ]
        }
    )

    a: date
    b: date
    counts: dict[str, int] = Field(description="Full counts (lists may be cut at limit).")
    formed: list[TieChangeModel] = Field(description="Present at b only.")
    dissolved: list[TieChangeModel] = Field(description="Present at a only.")
    persisted: list[TieChangeModel] = Field(description="Present at both.")
    actors_entered: list[str] = Field(description="A tie at b and none at a.")
    actors_left: list[str] = Field(description="A tie at a and none at b.")
    summary_a: SizeModel
    summary_b: SizeModel
    truncated: bool = Field(description="Some list was cut at limit.")
    limit: int
    filters: Filters


class RunModel(BaseModel):
    """An analytics run written to the analytics graph."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "graph": "https://w3id.org/inclusion-kg/graph/analytics",
                    "run": "https://w3id.org/inclusion-kg/id/analytics-run/20260101T120000000000Z",
                    "triples": 1234,
                    "measurements": 220,
                    "nodes": 10,
                    "edges": 7,
                    "reference_date": "2020-01-01",
                    "sparql": "PREFIX ikg: … SELECT ?actor ?b WHERE { … }",
                }
            ]
        }
    )

    graph: str = Field(description="The named graph replaced.")
    run: str = Field(description="The ikg:AnalyticsRun IRI.")
    triples: int = Field(description="Triples in the graph.")
    measurements: int = Field(description="ikg:Measurement nodes.")
    nodes: int
    edges: int
    reference_date: date
    sparql: str = Field(description="A query for /sparql that ranks the actors by betweenness.")
    filters: Filters


class LatestRun(BaseModel):
    """What the analytics graph holds now."""

    run: str
    label: str | None
    started: str | None
    ended: str | None
    as_of: date | None
    measurements: int
    parameters: dict[str, Any] = Field(description="Layer, filter, weights and backends.")


class AnalyticsIndex(BaseModel):
    """The analytics routes, filters and sortable metrics."""

    routes: dict[str, str]
    filters: list[str]
    sort_keys: list[str]
    metrics: list[str]


# ---------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------


def _problem_doc(description: str) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM_JSON: {}}}


_FILTER_ERRORS: dict[int | str, dict[str, Any]] = {
    422: _problem_doc(
        "A parameter of the wrong type (a malformed date, an unknown layer), a filter value "
        "that names nothing in the store, or a period the analytics refuse."
    ),
    503: _problem_doc("The store is unavailable."),
}


def _clean(value: Any) -> Any:
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    return value


def _links(request: Request) -> dict[str, str]:
    query = request.url.query
    suffix = f"?{query}" if query else ""
    base = str(request.base_url).rstrip("/") + request.scope.get("root_path", "") + PREFIX
    return {name: f"{base}/{name}{suffix}" for name in ("network", "actors", "cities")}


def _resolve_actor(analysis: Analysis, value: str, param: str) -> str:
    """Find an actor of the network by IRI, slug or label (case-insensitive)."""
    graph = analysis.network.graph
    if value in graph:
        return value
    wanted = value.casefold()
    found = sorted(
        str(node)
        for node, data in graph.nodes(data=True)
        if str(node).rsplit("/", 1)[-1].casefold() == wanted
        or str(data.get("label", "")).casefold() == wanted
    )
    if len(found) == 1:
        return found[0]
    if not found:
        msg = (
            f"{param}={value!r}: no such actor in this network "
            "(give its IRI, slug or label; check the filters)"
        )
        raise NotFound(msg)
    ambiguous = f"{param}={value!r} names several actors: {', '.join(found)}; give the IRI."
    raise _invalid(
        ambiguous,
        [{"loc": ["query", param], "msg": "ambiguous", "type": "ambiguous"}],
    )


def _resolve_city(raw: RawData, value: str) -> str:
    """Find a city by IRI, slug or label.

    Raises:
        NotFound: no city has that name.
    """
    from inclusion_kg.graph.network.projection import _matches

    if value in raw.places and raw.places[value].kind == "City":
        return value
    wanted = frozenset({value})
    found = sorted(
        iri
        for iri, place in raw.places.items()
        if place.kind == "City" and _matches(iri, place.labels, wanted)
    )
    if not found:
        msg = f"There is no city {value!r} in the store; list them at {PREFIX}/cities."
        raise NotFound(msg)
    return found[0]


def _city_model(analysis: Analysis, city: str) -> CityIndicatorsModel:
    indicators = analysis.city(city).as_dict()
    density = analysis.metrics.density_by_city.get(city)
    indicators["density"] = (
        {
            "actors": density.actors,
            "ties": density.ties,
            "density": density.density,
            "mean_strength": density.mean_strength,
        }
        if density
        else None
    )
    return CityIndicatorsModel.model_validate(indicators)


def _page_link(request: Request, offset: int) -> str:
    return str(request.url.include_query_params(offset=offset))


# ---------------------------------------------------------------------------------------
# routes
# ---------------------------------------------------------------------------------------


@router.get("", response_model=AnalyticsIndex, summary="The analytics routes")
def analytics_index(request: Request) -> AnalyticsIndex:
    """List the analytics routes, the filters every route takes, and the sort keys."""
    base = str(request.base_url).rstrip("/") + request.scope.get("root_path", "") + PREFIX
    return AnalyticsIndex(
        routes={
            "network": f"{base}/network",
            "actors": f"{base}/actors",
            "cities": f"{base}/cities",
            "city": f"{base}/cities/{{name}}",
            "explain": f"{base}/explain?a={{actor}}&b={{actor}}",
            "compare": f"{base}/compare?a={{date}}&b={{date}}",
            "runs": f"{base}/runs",
            "latest_run": f"{base}/runs/latest",
        },
        filters=[
            "city",
            "country",
            "policy_area",
            "actor_type",
            "as_of",
            "from",
            "to",
            "formal_only",
            "min_sources",
            "layer",
            "aggregate_units",
            "lang",
        ],
        sort_keys=[*SORT_KEYS, *(f"-{k}" for k in SORT_KEYS)],
        metrics=list(NODE_METRICS),
    )


@router.get(
    "/network",
    response_model=NetworkSummary,
    response_model_by_alias=True,
    summary="The network as a whole",
    responses=_FILTER_ERRORS,
)
def network_summary(
    request: Request, store: StoreDep, cache: CacheDep, query: QueryDep
) -> NetworkSummary:
    """Size, density, components, cohesion and mixing of the filtered network.

    Also which backend computed each metric (networkx, igraph, networkit, scipy) and
    whether it is exact, and the filters the numbers were computed with.
    """
    analysis = _analysis(store, cache, query)
    metrics = analysis.metrics
    metadata = analysis.network.metadata
    summary = metrics.summary
    methods = metrics.methods
    return NetworkSummary(
        nodes=summary["nodes"],
        edges=summary["edges"],
        density=summary["density"],
        components=summary["components"],
        largest_component=summary["largest_component"],
        isolates=summary["isolates"],
        total_strength=summary["total_strength"],
        partnerships=metadata["partnerships"],
        ties_below_min_sources=metadata["ties_below_min_sources"],
        communities=len(metrics.communities),
        modularity=_clean(metrics.modularity),
        bridges=len(metrics.bridges),
        articulation_points=len(metrics.articulation_points),
        cross_sector=CrossSectorModel(
            ties=metrics.cross_sector.ties,
            cross=metrics.cross_sector.cross,
            share=metrics.cross_sector.share,
            weighted_share=metrics.cross_sector.weighted_share,
            ei_index=metrics.cross_sector.ei_index,
            by_sector_pair=metrics.cross_sector.by_sector_pair,
        ),
        assortativity=_clean(metrics.assortativity),
        layer=analysis.network.layer,
        reference_date=analysis.network.reference,
        aggregated_units=metadata["aggregated_units"],
        merged_units=metadata["merged_units"],
        backends={name: m.backend for name, m in methods.items()},
        methods={
            name: MethodModel(
                backend=m.backend,
                algorithm=m.algorithm,
                exact=m.exact,
                note=m.note,
                seconds=m.seconds,
            )
            for name, m in methods.items()
        },
        filters=Filters.model_validate(query.echo),
        links=_links(request),
    )


@router.get(
    "/actors",
    response_model=ActorPage,
    response_model_by_alias=True,
    summary="Every actor's metrics, sorted and paged",
    responses=_FILTER_ERRORS,
)
def actor_metrics(
    request: Request,
    response: Response,
    store: StoreDep,
    cache: CacheDep,
    query: QueryDep,
    sort: Annotated[
        str,
        Query(
            description=(
                "Sort key: a metric (" + ", ".join(NODE_METRICS) + "), label or id; "
                "'-' in front for descending. Actors without a value come last either way; "
                "ties are broken by IRI."
            ),
            pattern=r"^-?[a-z_]+$",
            examples=["-betweenness"],
        ),
    ] = "-strength",
    limit: Annotated[int, Query(ge=1, le=1000, description="Actors per page.")] = 50,
    offset: Annotated[int, Query(ge=0, description="Actors to skip.")] = 0,
) -> ActorPage:
    """List the actors of the filtered network with all their metrics.

    Sort by any metric, ascending or descending (``sort=-betweenness``); page with
    ``limit`` and ``offset``. ``next`` and ``prev`` (also in the ``Link`` header) carry
    the same filters.
    """
    key = sort.removeprefix("-")
    descending = sort.startswith("-")
    if key not in SORT_KEYS:
        msg = (
            f"sort={sort!r} is not a sort key; use one of {', '.join(SORT_KEYS)} "
            "(with '-' in front for descending)."
        )
        raise _invalid(
            msg,
            [{"loc": ["query", "sort"], "msg": "unknown sort key", "type": "enum"}],
        )
    analysis = _analysis(store, cache, query)
    metrics = analysis.metrics
    graph = analysis.network.graph
    nodes = metrics.nodes

    def value_of(node: str) -> Any:
        if key == "id":
            return node
        if key == "label":
            return str(graph.nodes[node].get("label", node)).casefold()
        value = nodes[node].get(key)
        if isinstance(value, bool):
            return int(value)
        return _clean(value)

    known = [n for n in nodes if value_of(n) is not None]
    missing = sorted(n for n in nodes if value_of(n) is None)
    known.sort(key=lambda n: n)  # ties by IRI, ascending, in both directions (stable sorts)
    known.sort(key=value_of, reverse=descending)
    ordered = known + missing
    total = len(ordered)
    chosen = ordered[offset : offset + limit]
    items = []
    for node in chosen:
        data = graph.nodes[node]
        values = nodes[node]
        items.append(
            ActorMetrics(
                id=node,
                label=str(data.get("label", node)),
                actor_type=data.get("actor_type_label"),
                sector=data.get("sector_label"),
                city=data.get("city"),
                country=data.get("country"),
                **{name: _clean(values.get(name)) for name in NODE_METRICS},
            )
        )
    next_url = _page_link(request, offset + limit) if offset + limit < total else None
    prev_url = _page_link(request, max(offset - limit, 0)) if offset > 0 else None
    links = [f'<{u}>; rel="{rel}"' for u, rel in ((next_url, "next"), (prev_url, "prev")) if u]
    if links:
        response.headers["Link"] = ", ".join(links)
    return ActorPage(
        items=items,
        total=total,
        limit=limit,
        offset=offset,
        sort=sort,
        next=next_url,
        prev=prev_url,
        filters=Filters.model_validate(query.echo),
    )


@router.get(
    "/cities",
    response_model=CityList,
    response_model_by_alias=True,
    summary="The three indicators of every city",
    responses=_FILTER_ERRORS,
)
def city_list(store: StoreDep, cache: CacheDep, query: QueryDep) -> CityList:
    """Whole-of-community coverage, civil-society partnership and migrant participation.

    For the cities of the ``city`` filter, else every city with an actor, a partnership
    or a migrant council. Computed on the partnerships layer with the same period and
    evidence filters; ``density`` is that of the asked layer.
    """
    analysis = _analysis(store, cache, query)
    items = [_city_model(analysis, city) for city in analysis.indicators]
    return CityList(items=items, total=len(items), filters=Filters.model_validate(query.echo))


@router.get(
    "/cities/{name:path}",
    response_model=CityIndicatorsModel,
    summary="The three indicators of one city",
    responses={404: _problem_doc("No city of that name in the store."), **_FILTER_ERRORS},
)
def city_detail(
    name: Annotated[str, Path(description="The city's slug, label or IRI.", examples=["palermo"])],
    store: StoreDep,
    cache: CacheDep,
    query: QueryDep,
) -> CityIndicatorsModel:
    """The indicators of one city, given by slug (``palermo``), label or IRI.

    The filters apply as everywhere (a ``city`` filter narrows the network the
    indicators are computed on; the city asked for need not be among its values).
    """
    raw = cache.raw(store, query.params.language)
    iri = _resolve_city(raw, name)
    analysis = _analysis(store, cache, query)
    return _city_model(analysis, iri)


@router.get(
    "/explain",
    response_model=TieExplanationModel,
    response_model_by_alias=True,
    summary="Why a tie is as strong as it is",
    responses={
        404: _problem_doc("An actor is not in the network, or the two are not tied."),
        **_FILTER_ERRORS,
    },
)
def explain_tie(
    store: StoreDep,
    cache: CacheDep,
    query: QueryDep,
    a: Annotated[str, Query(description="One actor: IRI, slug or label.", examples=[_A + "a"])],
    b: Annotated[str, Query(description="The other actor.", examples=[_A + "b"])],
) -> TieExplanationModel:
    """The strength of the tie between two actors, its components and the evidence.

    Lists each shared partnership with its formality, equality, types, policy areas,
    sources, funding, period and the two actors' roles. 404 when they are not tied in the
    filtered network.
    """
    analysis = _analysis(store, cache, query)
    first = _resolve_actor(analysis, a, "a")
    second = _resolve_actor(analysis, b, "b")
    if first == second:
        msg = "a and b name the same actor; a tie joins two."
        raise _invalid(
            msg,
            [{"loc": ["query", "b"], "msg": "same actor as a", "type": "value_error"}],
        )
    explanation = analysis.network.explain(first, second)
    extra = explanation.extra
    details = extra.get("partnership_details", [])
    return TieExplanationModel(
        source=explanation.source,
        target=explanation.target,
        strength=explanation.score,
        weight=float(extra.get("weight", explanation.score)),
        components=explanation.components,
        weights=explanation.weights,
        contributions=explanation.contributions,
        n_partnerships=int(extra.get("n_partnerships", len(explanation.partnerships))),
        n_sources=int(extra.get("n_sources", 0)),
        partnerships=[SharedPartnershipModel.model_validate(d) for d in details],
        shared_projects=list(extra.get("shared_projects", [])),
        layer=analysis.network.layer,
        reference_date=analysis.network.reference,
        filters=Filters.model_validate(query.echo),
    )


@router.get(
    "/compare",
    response_model=ComparisonModel,
    response_model_by_alias=True,
    summary="Ties formed and dissolved between two dates",
    responses=_FILTER_ERRORS,
)
def compare(
    store: StoreDep,
    cache: CacheDep,
    query: QueryDep,
    a: Annotated[date, Query(description="The first date (YYYY-MM-DD).", examples=["2018-06-01"])],
    b: Annotated[date, Query(description="The second date.", examples=["2020-01-01"])],
    limit: Annotated[
        int, Query(ge=0, le=100_000, description="Ties listed per list (counts are complete).")
    ] = 1000,
) -> ComparisonModel:
    """Project the network at two dates and list ties formed, dissolved and persisting.

    Every other filter applies to both dates; ``as_of``, ``from`` and ``to`` may not be
    given (the two dates are the period). Strength is assessed at each date.
    """
    from inclusion_kg.graph.network.projection import Period
    from inclusion_kg.graph.network.timeline import compare as compare_dates

    period = query.params.network_filter.period
    if period != Period():
        msg = "compare sets the period itself from a and b; drop as_of, from and to."
        raise _invalid(
            msg,
            [{"loc": ["query", "as_of"], "msg": "not allowed with compare", "type": "value_error"}],
        )
    raw = cache.raw(store, query.params.language)
    query.check(raw)
    params = query.params
    change = compare_dates(
        raw,
        a,
        b,
        replace(params.network_filter, period=Period()),
        layer=params.layer,
        language=params.language,
        aggregate_units=params.aggregate_units,
    )
    data = change.as_dict()
    lists = ("formed", "dissolved", "persisted", "actors_entered", "actors_left")
    counts = {name: len(data[name]) for name in lists}
    truncated = any(n > limit for n in counts.values())
    return ComparisonModel(
        a=a,
        b=b,
        counts=counts,
        formed=data["formed"][:limit],
        dissolved=data["dissolved"][:limit],
        persisted=data["persisted"][:limit],
        actors_entered=data["actors_entered"][:limit],
        actors_left=data["actors_left"][:limit],
        summary_a=SizeModel.model_validate(data["summary_a"]),
        summary_b=SizeModel.model_validate(data["summary_b"]),
        truncated=truncated,
        limit=limit,
        filters=Filters.model_validate(query.echo),
    )


_TOP_BETWEENNESS = f"""PREFIX ikg: <https://w3id.org/inclusion-kg/ontology#>
PREFIX measure: <{_MEASURE}>
SELECT ?actor ?b WHERE {{
  ?m ikg:measure measure:betweenness ; ikg:measuredEntity ?actor ; ikg:value ?b .
}} ORDER BY DESC(?b) LIMIT 10"""


@router.post(
    "/runs",
    response_model=RunModel,
    response_model_by_alias=True,
    status_code=status.HTTP_201_CREATED,
    summary="Run the analytics and write them to the analytics graph (bearer token)",
    responses={
        401: _problem_doc("Missing or wrong bearer token."),
        403: _problem_doc("Writes disabled (no IKG_API_TOKEN)."),
        **_FILTER_ERRORS,
    },
)
def run_analytics(
    _: WriteAccess,
    response: Response,
    store: StoreDep,
    settings: SettingsDep,
    cache: CacheDep,
    query: QueryDep,
    ties: Annotated[
        bool,
        Query(
            description="Also write one ikg:Tie per tie with its weight, strength and "
            "components (9 measurements each; leave out on very large networks)."
        ),
    ] = True,
) -> RunModel:
    """Compute the metrics and indicators and replace the analytics graph with them.

    The graph ``…/graph/analytics`` then holds one ``ikg:AnalyticsRun`` with its
    parameters, one ``ikg:Tie`` per tie and one ``ikg:Measurement`` per value, so SPARQL
    on ``/sparql`` answers from it (``sparql`` in the answer is an example). Same as
    ``ikg analyze --write`` with the same filters.
    """
    from inclusion_kg.graph.network.writeback import write_analytics

    started = datetime.now(UTC)
    analysis = _analysis(store, cache, query)
    written = write_analytics(
        store,
        analysis.network,
        analysis.metrics,
        analysis.indicators,
        started=started,
        include_ties=ties,
        base=settings.base_iri,
    )
    response.headers["Location"] = PREFIX + "/runs/latest"
    return RunModel(
        graph=written.graph,
        run=written.run,
        triples=written.triples,
        measurements=written.measurements,
        nodes=analysis.network.graph.number_of_nodes(),
        edges=analysis.network.graph.number_of_edges(),
        reference_date=analysis.network.reference,
        sparql=_TOP_BETWEENNESS,
        filters=Filters.model_validate(query.echo),
    )


@router.get(
    "/runs/latest",
    response_model=LatestRun,
    summary="The run the analytics graph holds",
    responses={404: _problem_doc("No analytics run has been written yet.")},
)
def latest_run(store: StoreDep, settings: SettingsDep) -> LatestRun:
    """Describe the run in the analytics graph: when, as of which date, with what."""
    graph = f"{settings.base_iri}graph/analytics"
    rows = store.select(
        f"""PREFIX ikg: <https://w3id.org/inclusion-kg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?run ?label ?started ?ended ?asOf ?parameters
       (COUNT(DISTINCT ?m) AS ?measurements) WHERE {{
  GRAPH <{graph}> {{
    ?run a ikg:AnalyticsRun .
    OPTIONAL {{ ?run rdfs:label ?label }}
    OPTIONAL {{ ?run prov:startedAtTime ?started }}
    OPTIONAL {{ ?run prov:endedAtTime ?ended }}
    OPTIONAL {{ ?run ikg:asOf ?asOf }}
    OPTIONAL {{ ?run ikg:parameters ?parameters }}
    OPTIONAL {{ ?m prov:wasGeneratedBy ?run ; a ikg:Measurement }}
  }}
}} GROUP BY ?run ?label ?started ?ended ?asOf ?parameters""",
        timeout=settings.query_timeout,
    )
    if not rows or "run" not in rows[0]:
        msg = f"No analytics run has been written yet; POST {PREFIX}/runs (bearer token)."
        raise NotFound(msg)
    row = rows[0]

    def text(name: str) -> str | None:
        term = row.get(name)
        return str(cast(Any, term).value) if term is not None else None

    as_of = text("asOf")
    parameters = text("parameters")
    return LatestRun(
        run=text("run") or "",
        label=text("label"),
        started=text("started"),
        ended=text("ended"),
        as_of=date.fromisoformat(as_of) if as_of else None,
        measurements=int(text("measurements") or 0),
        parameters=json.loads(parameters) if parameters else {},
    )
