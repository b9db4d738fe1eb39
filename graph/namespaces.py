"""The RDF namespaces inclusion-kg uses, with the ontology as a closed vocabulary.

``IKG`` lists every term of ``ontology/ikg.ttl`` (a test keeps the two equal), and
``_fail = True`` makes a typo such as ``IKG.Partnersip`` an error instead of a new IRI.
"""

from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

__all__ = [
    "BASE",
    "CPSV",
    "CV",
    "DCAT",
    "FRAPO",
    "GRAPH",
    "IKG",
    "ORG",
    "PREFIXES",
    "SCHEMA",
    "VOCAB",
    "WD",
    "bind_prefixes",
    "graph_iri",
    "id_iri",
    "vocab_iri",
]

BASE = "https://w3id.org/inclusion-kg/"


class IKG(DefinedNamespace):
    """The inclusion-kg ontology, ``https://w3id.org/inclusion-kg/ontology#``."""

    _NS = Namespace("https://w3id.org/inclusion-kg/ontology#")
    _fail = True

    # classes
    Actor: URIRef
    City: URIRef
    CityNetwork: URIRef
    CivilSocietyOrganisation: URIRef
    Country: URIRef
    EUBody: URIRef
    Event: URIRef
    FaithBasedOrganisation: URIRef
    FundingProgramme: URIRef
    FundingProject: URIRef
    GovernancePractice: URIRef
    InternationalOrganisation: URIRef
    MigrantCouncil: URIRef
    MigrantLedOrganisation: URIRef
    Municipality: URIRef
    NGO: URIRef
    NationalAuthority: URIRef
    Participation: URIRef
    Partnership: URIRef
    Place: URIRef
    PressRelease: URIRef
    PrivateEmployer: URIRef
    PublicAuthority: URIRef
    PublicService: URIRef
    Recommendation: URIRef
    Region: URIRef
    RegionalAuthority: URIRef
    Report: URIRef
    ResearchOrganisation: URIRef
    Service: URIRef
    SocialEnterprise: URIRef
    SourceDocument: URIRef
    VolunteerNetwork: URIRef
    # properties
    about: URIRef
    actorClass: URIRef
    advises: URIRef
    areaServed: URIRef
    basedIn: URIRef
    budget: URIRef
    commissionedWithin: URIRef
    competentAuthority: URIRef
    confidence: URIRef
    country: URIRef
    eligibleLegalStatus: URIRef
    endDate: URIRef
    establishedBy: URIRef
    finances: URIRef
    formality: URIRef
    fundedBy: URIRef
    funder: URIRef
    funds: URIRef
    hasBudget: URIRef
    hasOwnInitiativeRight: URIRef
    hasParticipation: URIRef
    hasPartner: URIRef
    hasSubOrganisation: URIRef
    implementer: URIRef
    implements: URIRef
    listPosition: URIRef
    memberCount: URIRef
    memberOf: URIRef
    memberSelection: URIRef
    organiser: URIRef
    partOfProgramme: URIRef
    participant: URIRef
    participatingPlace: URIRef
    participationIn: URIRef
    partnerIn: URIRef
    partnerRole: URIRef
    partnersWith: URIRef
    partnershipType: URIRef
    policyArea: URIRef
    practisedBy: URIRef
    practises: URIRef
    presents: URIRef
    provider: URIRef
    provides: URIRef
    rank: URIRef
    recommends: URIRef
    resourceExchanged: URIRef
    roleEquality: URIRef
    sector: URIRef
    speaker: URIRef
    startDate: URIRef
    subOrganisationOf: URIRef
    takesPart: URIRef
    targetGroup: URIRef
    termLengthYears: URIRef
    within: URIRef
    # Analytics (graph/network/writeback.py)
    AnalyticsRun: URIRef
    Measurement: URIRef
    Tie: URIRef
    asOf: URIRef
    measure: URIRef
    measuredEntity: URIRef
    parameters: URIRef
    tieEndpoint: URIRef
    value: URIRef


ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
CV = Namespace("http://data.europa.eu/m8g/")
CPSV = Namespace("http://purl.org/vocab/cpsv#")
FRAPO = Namespace("http://purl.org/cerif/frapo/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
WD = Namespace("http://www.wikidata.org/entity/")
VOCAB = Namespace(BASE + "vocab/")
GRAPH = Namespace(BASE + "graph/")

PREFIXES: dict[str, str] = {
    "ikg": str(IKG._NS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "foaf": str(FOAF),
    "org": str(ORG),
    "schema": str(SCHEMA),
    "cv": str(CV),
    "cpsv": str(CPSV),
    "frapo": str(FRAPO),
    "dcat": str(DCAT),
    "wd": str(WD),
}
"""Prefixes bound in every graph we serialise and offered in the query editor."""


def bind_prefixes(graph: Graph) -> Graph:
    """Bind :data:`PREFIXES` on ``graph`` (so Turtle output reads well) and return it."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return graph


def id_iri(kind: str, slug: str, base: str = BASE) -> URIRef:
    """Mint the IRI of an entity, ``{base}id/{kind}/{slug}``.

    >>> id_iri("city", "palermo")
    rdflib.term.URIRef('https://w3id.org/inclusion-kg/id/city/palermo')
    """
    return URIRef(f"{base}id/{kind}/{slug}")


def graph_iri(name: str, base: str = BASE) -> URIRef:
    """Mint the IRI of a named graph (a batch), ``{base}graph/{name}``.

    >>> graph_iri("analytics")
    rdflib.term.URIRef('https://w3id.org/inclusion-kg/graph/analytics')
    """
    return URIRef(f"{base}graph/{name}")


def vocab_iri(scheme: str, concept: str | None = None, base: str = BASE) -> URIRef:
    """Mint the IRI of a concept scheme, or of one of its concepts.

    >>> vocab_iri("policy-area", "housing")
    rdflib.term.URIRef('https://w3id.org/inclusion-kg/vocab/policy-area/housing')
    """
    return URIRef(f"{base}vocab/{scheme}" + (f"/{concept}" if concept else ""))
