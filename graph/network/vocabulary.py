"""What the analytics read from the shipped ontology: actor classes, sectors, ranks, areas.

The projection needs a handful of facts that live in ``ontology/ikg.ttl`` and the SKOS
schemes rather than in instance data: which classes are actor kinds and how they nest,
the ``ikg:sector`` annotation of each actor class, the ``ikg:rank`` of every formality and
role-equality concept, and the policy areas of the policy-area scheme (the denominator of
the coverage indicator). They are read once from the bundled files (through
:mod:`inclusion_kg.graph.resources`, so an installed wheel works too), never from the
store: the analytics then behave the same whether or not the ontology graph was loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox

from inclusion_kg.graph.namespaces import BASE, IKG
from inclusion_kg.graph.resources import ontology_file, scheme_files

__all__ = [
    "CIVIL_SOCIETY",
    "PUBLIC",
    "ActorClass",
    "Vocabulary",
    "load_vocabulary",
    "local_name",
]

PUBLIC = f"{BASE}vocab/sector/public"
"""The public sector concept (``sector:public``)."""
CIVIL_SOCIETY = f"{BASE}vocab/sector/civil-society"
"""The civil-society sector concept (``sector:civil-society``)."""

_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"


def local_name(iri: str) -> str:
    """Return the part of an IRI after its last ``#`` or ``/``.

    >>> local_name("https://w3id.org/inclusion-kg/ontology#NGO")
    'NGO'
    >>> local_name("https://w3id.org/inclusion-kg/vocab/sector/civil-society")
    'civil-society'
    """
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


@dataclass(frozen=True)
class ActorClass:
    """An actor class of the ontology.

    Attributes:
        iri: the class IRI.
        label: its English label.
        ancestors: every actor class it is a (transitive) subclass of, itself excluded.
        sector: the ``ikg:sector`` concept IRI annotated on it, or None.
    """

    iri: str
    label: str
    ancestors: frozenset[str]
    sector: str | None


@dataclass(frozen=True)
class Vocabulary:
    """The ontology facts the analytics need (see the module docstring).

    Attributes:
        actor_classes: actor class IRI -> :class:`ActorClass` (``ikg:Actor`` included).
        actor_type_concepts: actor-type concept IRI -> actor class IRI (``ikg:actorClass``).
        formality_rank: formality concept IRI -> ``ikg:rank``.
        equality_rank: role-equality concept IRI -> ``ikg:rank``.
        policy_areas: policy-area concept IRI -> English label, every concept of the scheme.
        labels: English labels of every scheme concept (for display).
    """

    actor_classes: dict[str, ActorClass]
    actor_type_concepts: dict[str, str]
    formality_rank: dict[str, int]
    equality_rank: dict[str, int]
    policy_areas: dict[str, str]
    labels: dict[str, str]

    @property
    def max_formality_rank(self) -> int:
        """The top of the formality ladder (4: formal agreement)."""
        return max(self.formality_rank.values())

    @property
    def max_equality_rank(self) -> int:
        """The top of the role-equality scale (4: eye to eye)."""
        return max(self.equality_rank.values())

    def most_specific(self, classes: set[str]) -> str | None:
        """Return the most specific actor class among ``classes`` (ties: smallest IRI).

        >>> vocab = load_vocabulary()
        >>> local_name(vocab.most_specific({str(IKG.Actor), str(IKG.NGO),
        ...     str(IKG.CivilSocietyOrganisation)}))
        'NGO'
        """
        known = [c for c in classes if c in self.actor_classes]
        if not known:
            return None
        return min(known, key=lambda c: (-len(self.actor_classes[c].ancestors), c))

    def is_a(self, cls: str, ancestor: str) -> bool:
        """Return whether actor class ``cls`` is ``ancestor`` or one of its subclasses."""
        return cls == ancestor or (
            cls in self.actor_classes and ancestor in self.actor_classes[cls].ancestors
        )

    def sector_of(self, cls: str | None) -> str | None:
        """Return the sector of an actor class (inherited from its nearest annotated class)."""
        if cls is None or cls not in self.actor_classes:
            return None
        info = self.actor_classes[cls]
        if info.sector is not None:
            return info.sector
        for ancestor in sorted(info.ancestors, key=lambda a: -len(self.actor_classes[a].ancestors)):
            if self.actor_classes[ancestor].sector is not None:
                return self.actor_classes[ancestor].sector
        return None


def _values(store: ox.Store, sparql: str) -> list[tuple[str, ...]]:
    solutions = store.query(sparql)
    assert isinstance(solutions, ox.QuerySolutions)  # noqa: S101 - a SELECT always gives solutions
    names = [variable.value for variable in solutions.variables]
    return [
        tuple("" if solution[name] is None else str(solution[name].value) for name in names)
        for solution in solutions
    ]


def _pairs(store: ox.Store, sparql: str) -> list[tuple[str, str]]:
    return [(row[0], row[1]) for row in _values(store, sparql)]


@lru_cache(maxsize=1)
def load_vocabulary() -> Vocabulary:
    """Read the bundled ontology and schemes once and return the facts the analytics use.

    >>> vocab = load_vocabulary()
    >>> vocab.max_formality_rank, len(vocab.policy_areas)
    (4, 14)
    >>> local_name(vocab.sector_of(str(IKG.MigrantCouncil)))
    'civil-society'
    """
    store = ox.Store()
    for resource in [ontology_file(), *scheme_files()]:
        store.load(resource.read_bytes(), format=ox.RdfFormat.TURTLE)
    prefixes = f"PREFIX ikg: <{IKG._NS}> PREFIX rdfs: <{_RDFS}> PREFIX skos: <{_SKOS}> "
    rows = _values(
        store,
        prefixes
        + """SELECT ?c ?a ?label ?sector WHERE {
            ?c rdfs:subClassOf* ikg:Actor .
            OPTIONAL { ?c rdfs:subClassOf+ ?a . ?a rdfs:subClassOf* ikg:Actor }
            OPTIONAL { ?c rdfs:label ?label FILTER(LANGMATCHES(LANG(?label), "en")) }
            OPTIONAL { ?c ikg:sector ?sector } }""",
    )
    ancestors: dict[str, set[str]] = {}
    labels: dict[str, str] = {}
    sectors: dict[str, str] = {}
    for cls, ancestor, label, sector in rows:
        ancestors.setdefault(cls, set())
        if ancestor:
            ancestors[cls].add(ancestor)
        if label:
            labels[cls] = label
        if sector:
            sectors[cls] = sector
    classes = {
        cls: ActorClass(cls, labels.get(cls, local_name(cls)), frozenset(anc), sectors.get(cls))
        for cls, anc in ancestors.items()
    }

    def ranks(scheme: str) -> dict[str, int]:
        found = _values(
            store,
            prefixes
            + f"""SELECT ?c ?r WHERE {{
                ?c skos:inScheme <{BASE}vocab/{scheme}> ; ikg:rank ?r }}""",
        )
        return {concept: int(rank) for concept, rank in found}

    concept_labels = dict(
        _pairs(
            store,
            prefixes
            + """SELECT ?c ?l WHERE { ?c skos:prefLabel ?l
                FILTER(LANGMATCHES(LANG(?l), "en")) }""",
        )
    )
    areas = _values(
        store, prefixes + f"SELECT ?c WHERE {{ ?c skos:inScheme <{BASE}vocab/policy-area> }}"
    )
    actor_types = dict(_pairs(store, prefixes + "SELECT ?c ?k WHERE { ?c ikg:actorClass ?k }"))
    return Vocabulary(
        actor_classes=classes,
        actor_type_concepts=actor_types,
        formality_rank=ranks("formality"),
        equality_rank=ranks("role-equality"),
        policy_areas={area: concept_labels.get(area, local_name(area)) for (area,) in areas},
        labels=concept_labels,
    )
