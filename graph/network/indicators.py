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

from inclusion_kg.graph.errors import InputError
from inclusion_kg.graph.namespaces import IKG
from inclusion_kg.graph.network.projection import (
    PartnershipNetwork,
    PartnershipRecord,
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


def _partnership_cities(network: PartnershipNetwork, record: PartnershipRecord) -> set[str]:
    cities = {
        p for p in record.served if network.places.get(p) and network.places[p].kind == "City"
    }
    for actor, *_ in record.members:
        raw_actor = network.raw.actors.get(actor)
        if raw_actor is None:
            continue
        cities.update(
            p
            for p in raw_actor.based_in
            if p in network.places and network.places[p].kind == "City"
        )
    return cities


def _sector(network: PartnershipNetwork, actor: str) -> str | None:
    record = network.raw.actors.get(actor)
    return record.sector if record else None


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
    for record in network.partnerships.values():
        for city in _partnership_cities(network, record):
            by_city_partnerships.setdefault(city, []).append(record)
    councils: dict[str, list[str]] = {}
    for iri, actor in network.raw.actors.items():
        if actor.actor_class and vocab.is_a(actor.actor_class, str(IKG.MigrantCouncil)):
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
    # one pass over the ties: each counts for the city of either end
    tie_counts: dict[str, int] = {}
    civil_pairs: dict[str, list[tuple[str, str]]] = {}
    public_civil = {PUBLIC, CIVIL_SOCIETY}
    for u, v in graph.edges():
        cu, cv = node_city.get(u), node_city.get(v)
        ends = {str(c) for c in (cu, cv) if c}
        if not ends:
            continue
        joins = {node_sector.get(u), node_sector.get(v)} == public_civil
        pair = (u, v) if u < v else (v, u)
        for end_city in ends:
            tie_counts[end_city] = tie_counts.get(end_city, 0) + 1
            if joins:
                civil_pairs.setdefault(end_city, []).append(pair)
    language = str(network.metadata.get("language", "en"))
    top_rank = vocab.max_equality_rank
    result: dict[str, CityIndicators] = {}
    for city in sorted(cities):
        # 1. coverage
        covered: set[str] = set()
        joint: list[str] = []
        for record in by_city_partnerships.get(city, []):
            sectors = {_sector(network, actor) for actor, *_ in record.members} - {None}
            if PUBLIC in sectors and sectors - {PUBLIC}:
                joint.append(record.iri)
                covered |= record.areas & set(vocab.policy_areas)
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
            any(sp.equality_rank == top_rank for sp in network.ties[p].partnerships)
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
