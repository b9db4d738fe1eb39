r"""The study's three recommendations as indicators per city.

"European Cities on the Front Line" (MPI Europe and IOM, 2020) recommends that cities
(1) take a whole-of-community approach, (2) work with civil society as partners on an
equal footing ("eye to eye") and (3) give migrants a real say, for instance through
migrant councils with a budget and leeway for their own initiatives. Each becomes a
number in [0, 1] per city, computed on a partnerships-layer network (so the period and
evidence filters of the projection apply), with the parts it is made of:

- **whole-of-community coverage**
  :math:`C_c = |A_c| / |A|`: :math:`A` the concepts of the policy-area scheme, :math:`A_c`
  those named by at least one partnership *of city c* (``ikg:areaServed`` c, or a partner
  based in c) whose partners include a public actor (sector ``public``) and a non-public
  one (any other sector);
- **civil-society partnership**
  :math:`S_c = |T^{pc}_c| / |T_c|`: :math:`T_c` the ties with at least one end based in c,
  :math:`T^{pc}_c` those joining a public actor with a civil-society actor (sector
  ``civil-society``, migrant councils included), reported with their mean strength, their
  mean equality component (ties with equality evidence) and the share of them with an
  eye-to-eye partnership;
- **migrant participation**
  :math:`M_c = \max_{k} (1 + b_k + i_k) / 3` over the migrant councils :math:`k` based in c,
  :math:`b_k = 1` if ``ikg:hasBudget true``, :math:`i_k = 1` if
  ``ikg:hasOwnInitiativeRight true`` (a missing value counts as 0, as the study treats a
  council without a budget as an "empty exercise"); 0 without a council.

docs/analytics.md gives the same definitions with examples.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import networkx as nx
import numpy as np

from inclusion_kg.graph.errors import InputError
from inclusion_kg.graph.namespaces import IKG
from inclusion_kg.graph.network.projection import (
    PartnershipNetwork,
    PartnershipRecord,
    TieEvidenceMap,
    _label,
    _matches,
)
from inclusion_kg.graph.network.vocabulary import (
    CIVIL_SOCIETY,
    PUBLIC,
    load_vocabulary,
    local_name,
)

__all__ = [
    "CityIndicators",
    "CivilSocietyPartnership",
    "CouncilParticipation",
    "Coverage",
    "MigrantParticipation",
    "city_indicators",
]


@dataclass(frozen=True)
class Coverage:
    """Whole-of-community coverage of a city.

    Attributes:
        share: covered policy areas / areas of the scheme.
        covered: the covered policy-area IRIs.
        missing: the scheme's other policy areas.
        partnerships: the city's partnerships that join public and non-public actors.
    """

    share: float
    covered: list[str]
    missing: list[str]
    partnerships: list[str]


@dataclass(frozen=True)
class CivilSocietyPartnership:
    """Ties between public authorities and civil society in a city.

    Attributes:
        ties: ties with at least one end based in the city.
        public_civil_ties: those joining a public and a civil-society actor.
        share: ``public_civil_ties / ties`` (None without ties).
        mean_strength: mean strength of the public-civil ties (None without them).
        mean_equality: mean equality component of those with equality evidence.
        eye_to_eye_share: share of public-civil ties with an eye-to-eye partnership.
        pairs: the public-civil ties as sorted actor pairs.
    """

    ties: int
    public_civil_ties: int
    share: float | None
    mean_strength: float | None
    mean_equality: float | None
    eye_to_eye_share: float | None
    pairs: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class CouncilParticipation:
    """One migrant council and the parts of its participation score.

    Attributes:
        council: the council IRI.
        label: its label.
        has_budget: ``ikg:hasBudget`` (None: not recorded).
        has_own_initiative_right: ``ikg:hasOwnInitiativeRight`` (None: not recorded).
        score: :math:`(1 + b + i) / 3`.
    """

    council: str
    label: str
    has_budget: bool | None
    has_own_initiative_right: bool | None
    score: float


@dataclass(frozen=True)
class MigrantParticipation:
    """Migrant participation in a city: the best council's score and its parts.

    Attributes:
        score: 0 without a council, else the best council's score.
        council_exists: whether a migrant council is based in the city.
        has_budget: the best council has a budget.
        has_own_initiative_right: the best council may take its own initiatives.
        councils: every council of the city, best first.
    """

    score: float
    council_exists: bool
    has_budget: bool
    has_own_initiative_right: bool
    councils: list[CouncilParticipation]


@dataclass(frozen=True)
class CityIndicators:
    """The three indicators of one city."""

    city: str
    label: str
    country: str | None
    coverage: Coverage
    civil_society: CivilSocietyPartnership
    migrant_participation: MigrantParticipation

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return asdict(self)


def _partnership_cities(
    network: PartnershipNetwork,
    record: PartnershipRecord,
    city_places: set[str],
    actor_cities: dict[str, set[str]],
) -> set[str]:
    cities = record.served & city_places
    for actor, *_ in record.members:
        found = actor_cities.get(actor)
        if found is None:
            raw_actor = network.raw.actors.get(actor)
            found = raw_actor.based_in & city_places if raw_actor is not None else set()
            actor_cities[actor] = found
        cities |= found
    return cities


def _sector(network: PartnershipNetwork, actor: str) -> str | None:
    record = network.raw.actors.get(actor)
    return record.sector if record else None


def _has_top_equality(
    network: PartnershipNetwork, pair: tuple[str, str], top: int, top_concepts: frozenset[str]
) -> bool:
    """Whether one of the pair's shared partnerships has the top role-equality rank."""
    ties = network.ties
    if isinstance(ties, TieEvidenceMap):  # without assembling the evidence
        return any(record.equality in top_concepts for record in ties.partnership_records(pair))
    return any(sp.equality_rank == top for sp in ties[pair].partnerships)


def _ties_by_city(
    graph: nx.Graph[str], node_city: dict[str, Any], node_sector: dict[str, Any]
) -> tuple[dict[str, int], dict[str, list[tuple[str, str]]]]:
    """Count each tie for the city of either end; list those joining public and civil society.

    Vectorised over the ties (numpy); the pairs keep the order of ``graph.edges()``.
    """
    nodes = list(graph)
    index = {node: i for i, node in enumerate(nodes)}
    city_names = sorted({str(c) for c in node_city.values() if c})
    city_code = {c: i for i, c in enumerate(city_names)}
    cities = np.asarray(
        [city_code[str(c)] if c else -1 for c in (node_city.get(n) for n in nodes)], dtype=np.int64
    )
    sector_code = {PUBLIC: 1, CIVIL_SOCIETY: 2}
    sectors = np.asarray(
        [sector_code.get(str(node_sector.get(n)), 0) for n in nodes], dtype=np.int64
    )
    edges = list(graph.edges())
    if not edges or not city_names:
        return {}, {}
    ends = np.asarray([(index[u], index[v]) for u, v in edges], dtype=np.int64)
    cu, cv = cities[ends[:, 0]], cities[ends[:, 1]]
    k = len(city_names)
    counts = np.bincount(cu[cu >= 0], minlength=k) + np.bincount(
        cv[(cv >= 0) & (cv != cu)], minlength=k
    )
    tie_counts = {city_names[i]: int(c) for i, c in enumerate(counts.tolist()) if c}
    joins = (sectors[ends[:, 0]] * sectors[ends[:, 1]] == 2) & ((cu >= 0) | (cv >= 0))
    civil_pairs: dict[str, list[tuple[str, str]]] = {}
    for e in np.flatnonzero(joins).tolist():
        u, v = edges[e]
        pair = (u, v) if u < v else (v, u)
        first, second = int(cu[e]), int(cv[e])
        if first >= 0:
            civil_pairs.setdefault(city_names[first], []).append(pair)
        if second >= 0 and second != first:
            civil_pairs.setdefault(city_names[second], []).append(pair)
    return tie_counts, civil_pairs


def city_indicators(
    network: PartnershipNetwork, cities: set[str] | None = None
) -> dict[str, CityIndicators]:
    """Compute the three indicators for every city of a partnerships-layer network.

    Args:
        network: a network projected with ``layer="partnerships"``.
        cities: restrict to these city IRIs; default: the cities of the network's city
            filter if it has one, else every city with an actor or a partnership.

    Raises:
        InputError: the network is not a partnerships-layer network.
    """
    if network.layer != "partnerships":
        msg = f"indicators need the partnerships layer, not {network.layer!r}"
        raise InputError(msg)
    vocab = load_vocabulary()
    places = network.places
    city_places = {iri for iri, place in places.items() if place.kind == "City"}
    by_city_partnerships: dict[str, list[PartnershipRecord]] = {}
    actor_cities: dict[str, set[str]] = {}
    for record in network.partnerships.values():
        for city in _partnership_cities(network, record, city_places, actor_cities):
            by_city_partnerships.setdefault(city, []).append(record)
    councils: dict[str, list[str]] = {}
    council_class = str(IKG.MigrantCouncil)
    is_council: dict[str, bool] = {}
    for iri, actor in network.raw.actors.items():
        cls = actor.actor_class
        if not cls:
            continue
        if cls not in is_council:
            is_council[cls] = vocab.is_a(cls, council_class)
        if is_council[cls]:
            if not network.filter.period.admits(actor.start, actor.end):
                continue
            for place in actor.based_in & city_places:
                councils.setdefault(place, []).append(iri)
    graph = network.graph
    node_city = {n: d.get("city") for n, d in graph.nodes(data=True)}
    node_sector = {n: d.get("sector") for n, d in graph.nodes(data=True)}
    if cities is None:
        candidates = (
            {c for c in node_city.values() if c} | set(by_city_partnerships) | set(councils)
        )
        if network.filter.cities:
            candidates = {
                c
                for c in candidates
                if _matches(c, places[c].labels if c in places else {}, network.filter.cities)
            }
        cities = candidates
    tie_counts, civil_pairs = _ties_by_city(graph, node_city, node_sector)
    language = str(network.metadata.get("language", "en"))
    top_rank = vocab.max_equality_rank
    top_concepts = frozenset(c for c, r in vocab.equality_rank.items() if r == top_rank)
    scheme_areas = set(vocab.policy_areas)
    partnership_sectors: dict[str, set[str | None]] = {}
    sector_of = {iri: record.sector for iri, record in network.raw.actors.items()}
    result: dict[str, CityIndicators] = {}
    for city in sorted(cities):
        # 1. coverage
        covered: set[str] = set()
        joint: list[str] = []
        for record in by_city_partnerships.get(city, []):
            sectors = partnership_sectors.get(record.iri)
            if sectors is None:
                sectors = {sector_of.get(actor) for actor, *_ in record.members} - {None}
                partnership_sectors[record.iri] = sectors
            if PUBLIC in sectors and sectors - {PUBLIC}:
                joint.append(record.iri)
                covered |= record.areas & scheme_areas
        total = len(vocab.policy_areas)
        coverage = Coverage(
            share=len(covered) / total if total else 0.0,
            covered=sorted(covered),
            missing=sorted(set(vocab.policy_areas) - covered),
            partnerships=sorted(joint),
        )
        # 2. civil-society partnership
        ties = tie_counts.get(city, 0)
        pairs = civil_pairs.get(city, [])
        edge_data = [graph.edges[p] for p in pairs]
        strengths = [float(d["strength"]) for d in edge_data]
        equalities = [float(d["c_equality"]) for d in edge_data if float(d["c_equality"]) > 0]
        eye = [
            _has_top_equality(network, p, top_rank, top_concepts)
            for p in pairs
            if p in network.ties
        ]
        civil = CivilSocietyPartnership(
            ties=ties,
            public_civil_ties=len(pairs),
            share=len(pairs) / ties if ties else None,
            mean_strength=sum(strengths) / len(strengths) if strengths else None,
            mean_equality=sum(equalities) / len(equalities) if equalities else None,
            eye_to_eye_share=sum(eye) / len(eye) if eye else None,
            pairs=sorted(pairs),
        )
        # 3. migrant participation
        found = []
        for council in councils.get(city, []):
            council_record = network.raw.actors[council]
            budget = council_record.has_budget is True
            initiative = council_record.own_initiative is True
            found.append(
                CouncilParticipation(
                    council=council,
                    label=_label(council_record.labels, language, local_name(council)),
                    has_budget=council_record.has_budget,
                    has_own_initiative_right=council_record.own_initiative,
                    score=(1 + int(budget) + int(initiative)) / 3,
                )
            )
        found.sort(key=lambda c: (-c.score, c.council))
        best = found[0] if found else None
        participation = MigrantParticipation(
            score=best.score if best else 0.0,
            council_exists=best is not None,
            has_budget=bool(best and best.has_budget),
            has_own_initiative_right=bool(best and best.has_own_initiative_right),
            councils=found,
        )
        city_place = places.get(city)
        result[city] = CityIndicators(
            city=city,
            label=_label(city_place.labels, language, local_name(city))
            if city_place
            else local_name(city),
            country=city_place.country if city_place else None,
            coverage=coverage,
            civil_society=civil,
            migrant_participation=participation,
        )
    return result
