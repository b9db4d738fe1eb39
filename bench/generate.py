"""Seeded synthetic data in the inclusion-kg ontology, streamed as N-Triples or N-Quads.

The data look like the study's world at scale: cities in European countries, each with
its city hall and departments, NGOs, migrant-led, faith-based and volunteer organisations,
social enterprises, private employers, a university and a migrant council (with or without
a budget); services with providers, policy areas, target groups and eligible legal
statuses; n-ary partnerships reified with one Participation node per partner and its role,
typed, with formality, role equality, policy areas, resources exchanged, dates and the
source document that evidences them; and cross-city funding projects with funders,
implementers, a programme and a budget. National ministries, IOM and UNHCR country
offices, EU directorates-general and city networks are the hubs that tie cities together.

Everything follows the data contract of docs/HELPERS-CONTRACT.md: one concrete kind class
per actor, ``@en`` labels, Participation IRIs ``id/participation/{partnership}--{actor}``,
exactly one formality, dates that never end before they start, money as
schema:MonetaryAmount, and (in N-Quads) one named graph per batch that describes itself
with PROV-O and ``void:triples``.

Usage::

    python -m bench.generate --triples 1000000 --seed 1 -o data.nq   # or data.nt

API: :func:`generate` (by number of triples) and :func:`generate_actors` (by number of
actors and average degree of the actor network, for the analytics benchmarks). Both yield
lines ending in a newline; output is identical for the same arguments. Generation is one
pass, in linear time and bounded memory per batch (no rdflib graph is ever built).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["BENCH_CITY", "city_slug", "generate", "generate_actors", "main"]

BASE = "https://w3id.org/inclusion-kg/"
ID = BASE + "id/"
VOCAB = BASE + "vocab/"
GRAPH = BASE + "graph/"
_IKG = BASE + "ontology#"
_XSD = "http://www.w3.org/2001/XMLSchema#"


def _p(iri: str) -> str:
    return f"<{iri}>"


A = _p("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = _p("http://www.w3.org/2000/01/rdf-schema#label")
ALT = _p("http://www.w3.org/2004/02/skos/core#altLabel")
NOTATION = _p("http://www.w3.org/2004/02/skos/core#notation")
DERIVED = _p("http://www.w3.org/ns/prov#wasDerivedFrom")
PROV_ENTITY = _p("http://www.w3.org/ns/prov#Entity")
GENERATED_AT = _p("http://www.w3.org/ns/prov#generatedAtTime")
ATTRIBUTED = _p("http://www.w3.org/ns/prov#wasAttributedTo")
PRIMARY = _p("http://www.w3.org/ns/prov#hadPrimarySource")
DATASET = _p("http://www.w3.org/ns/dcat#Dataset")
VOID_TRIPLES = _p("http://rdfs.org/ns/void#triples")
TITLE = _p("http://purl.org/dc/terms/title")
ISSUED = _p("http://purl.org/dc/terms/issued")
PUBLISHER = _p("http://purl.org/dc/terms/publisher")
URL = _p("https://schema.org/url")
MONEY = _p("https://schema.org/MonetaryAmount")
VALUE = _p("https://schema.org/value")
CURRENCY = _p("https://schema.org/currency")


def _ikg(name: str) -> str:
    return _p(_IKG + name)


def _concept(scheme: str, name: str) -> str:
    return _p(f"{VOCAB}{scheme}/{name}")


def _lit(value: str, lang: str = "en") -> str:
    if '"' in value or "\\" in value:
        value = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{value}"@{lang}'


def _typed(value: object, datatype: str) -> str:
    return f'"{value}"^^<{_XSD}{datatype}>'


TRUE = _typed("true", "boolean")
FALSE = _typed("false", "boolean")

# --- the vocabularies (concept names from ontology/schemes/*.ttl) ---------------------------

POLICY_AREAS = (
    "anti-discrimination", "culture", "education", "employment", "governance", "health",
    "housing", "language", "legal-support", "political-participation", "reception",
    "social-assistance", "social-inclusion", "sport",
)  # fmt: skip
TARGET_GROUPS = (
    "asylum-seekers", "children-and-families", "eu-mobile-citizens", "migrants", "newcomers",
    "refugees", "residents", "third-country-nationals", "unaccompanied-minors",
    "vulnerable-migrants",
)  # fmt: skip
LEGAL_STATUSES = (
    "asylum-seeker", "beneficiary-of-international-protection", "eu-citizen", "irregular",
    "naturalised-citizen", "residence-permit-holder", "stateless", "temporary-protection",
)  # fmt: skip
RESOURCES = ("decision-power", "expertise", "funding", "information", "premises", "staff")
MEMBER_SELECTION = ("appointed", "appointed-on-recommendation", "elected", "mixed")
ROLE_EQUALITY = ("eye-to-eye", "near-equal", "partly-equal", "hierarchical")

PA = {name: _concept("policy-area", name) for name in POLICY_AREAS}
TG = {name: _concept("target-group", name) for name in TARGET_GROUPS}
LS = {name: _concept("legal-status", name) for name in LEGAL_STATUSES}
RT = {name: _concept("resource-type", name) for name in RESOURCES}
MS = {name: _concept("member-selection", name) for name in MEMBER_SELECTION}
EQ = {name: _concept("role-equality", name) for name in ROLE_EQUALITY}
FORMALITY = {
    n: _concept("formality", n)
    for n in ("informal", "network", "contract", "grant", "formal-agreement")
}
ROLE = {
    n: _concept("partner-role", n)
    for n in (
        "advisee", "advisor", "author", "commissioner", "expert", "funder", "host",
        "implementer", "lead", "member", "mentee", "mentor", "panellist", "partner",
        "publisher", "service-provider",
    )
}  # fmt: skip

# (slug, English name, local name, ISO 3166 alpha-2, language tag, currency, weight)
COUNTRIES = (
    ("italy", "Italy", "Italia", "IT", "it", "EUR", 8),
    ("germany", "Germany", "Deutschland", "DE", "de", "EUR", 9),
    ("france", "France", "France", "FR", "fr", "EUR", 8),
    ("spain", "Spain", "España", "ES", "es", "EUR", 7),
    ("poland", "Poland", "Polska", "PL", "pl", "PLN", 6),
    ("greece", "Greece", "Ελλάδα", "GR", "el", "EUR", 4),
    ("netherlands", "Netherlands", "Nederland", "NL", "nl", "EUR", 4),
    ("belgium", "Belgium", "België", "BE", "nl", "EUR", 3),
    ("portugal", "Portugal", "Portugal", "PT", "pt", "EUR", 3),
    ("sweden", "Sweden", "Sverige", "SE", "sv", "SEK", 3),
    ("austria", "Austria", "Österreich", "AT", "de", "EUR", 3),
    ("czechia", "Czechia", "Česko", "CZ", "cs", "CZK", 3),
    ("romania", "Romania", "România", "RO", "ro", "RON", 3),
    ("hungary", "Hungary", "Magyarország", "HU", "hu", "HUF", 2),
    ("bulgaria", "Bulgaria", "България", "BG", "bg", "BGN", 2),
    ("denmark", "Denmark", "Danmark", "DK", "da", "DKK", 2),
    ("finland", "Finland", "Suomi", "FI", "fi", "EUR", 2),
    ("ireland", "Ireland", "Éire", "IE", "ga", "EUR", 2),
    ("croatia", "Croatia", "Hrvatska", "HR", "hr", "EUR", 2),
    ("slovakia", "Slovakia", "Slovensko", "SK", "sk", "EUR", 2),
    ("slovenia", "Slovenia", "Slovenija", "SI", "sl", "EUR", 1),
    ("lithuania", "Lithuania", "Lietuva", "LT", "lt", "EUR", 1),
    ("latvia", "Latvia", "Latvija", "LV", "lv", "EUR", 1),
    ("estonia", "Estonia", "Eesti", "EE", "et", "EUR", 1),
    ("cyprus", "Cyprus", "Κύπρος", "CY", "el", "EUR", 1),
    ("luxembourg", "Luxembourg", "Lëtzebuerg", "LU", "lb", "EUR", 1),
    ("malta", "Malta", "Malta", "MT", "mt", "EUR", 1),
    ("norway", "Norway", "Norge", "NO", "nb", "NOK", 2),
    ("switzerland", "Switzerland", "Schweiz", "CH", "de", "CHF", 2),
)
REGION_PARTS = ("north", "central", "south")

_SYLLABLES = (
    "al", "an", "ar", "ba", "be", "bo", "ca", "da", "de", "di", "el", "en", "fa", "fe", "ga",
    "gi", "ko", "la", "le", "li", "lo", "ma", "me", "mi", "mo", "na", "ne", "no", "ra", "re",
    "ri", "ro", "sa", "se", "si", "ta", "te", "ti", "to", "va", "ve", "vi", "za", "zo",
)  # fmt: skip
_ENDINGS = ("na", "no", "burg", "ville", "stad", "ia", "ów", "ice", "ssa", "dorf", "ona", "ka")

NGO_WORDS = (
    "Refugee Support", "Migrant Rights", "Newcomer", "Welcome", "Solidarity", "Open Doors",
    "Bridges", "Inclusion", "Legal Aid", "Family Help", "Youth", "Women's", "Housing First",
    "Language", "Human Rights", "Neighbourhood", "Civic", "Health Access", "Education",
)  # fmt: skip
NGO_NOUNS = ("Association", "Foundation", "Network", "Centre", "Initiative", "Alliance", "Society")
NATIONALITIES = (
    "Syrian", "Afghan", "Eritrean", "Nigerian", "Ukrainian", "Moroccan", "Senegalese",
    "Somali", "Iraqi", "Pakistani", "Bangladeshi", "Filipino", "Congolese", "Tunisian",
    "Albanian", "Kurdish", "Ghanaian", "Sudanese", "Venezuelan", "Georgian",
)  # fmt: skip
FAITHS = (
    "Caritas",
    "Diaconia",
    "Islamic Community",
    "Jewish Community",
    "Community of Sant'Egidio",
)
DEPARTMENTS = (
    ("social-affairs", "Department of Social Affairs"),
    ("integration-office", "Integration Office"),
    ("employment", "Employment Service"),
    ("education", "Education Department"),
    ("housing", "Housing Department"),
    ("health", "Public Health Department"),
)
INDUSTRIES = ("Logistics", "Hospitality", "Construction", "Food", "Care", "Textiles", "Software")
COMPANY = ("Ltd", "Group", "Cooperative", "Holding", "Works")
SE_WORDS = ("Kitchen", "Tailoring", "Bike Repair", "Catering", "Cleaning", "Gardening", "Print")
SERVICE_NAMES = {
    "language": "Language course",
    "employment": "Job coaching",
    "housing": "Housing scheme",
    "health": "Mental-health support",
    "legal-support": "Legal counselling",
    "education": "School integration programme",
    "reception": "Reception centre",
    "social-assistance": "Social counselling",
    "culture": "Intercultural centre",
    "sport": "Sports for newcomers",
    "anti-discrimination": "Anti-discrimination desk",
    "political-participation": "Civic participation programme",
    "social-inclusion": "One-stop shop",
    "governance": "Integration helpdesk",
}
PROGRAMMES = (
    ("amif", "Asylum, Migration and Integration Fund (AMIF)"),
    ("esf-plus", "European Social Fund Plus (ESF+)"),
    ("erdf", "European Regional Development Fund (ERDF)"),
    ("easi", "Employment and Social Innovation programme (EaSI)"),
    ("horizon-europe", "Horizon Europe"),
    ("cerv", "Citizens, Equality, Rights and Values programme (CERV)"),
)
PROJECT_THEMES = (
    "Supporting Social Inclusion of Vulnerable Migrants", "Cities for Newcomers",
    "Welcoming Communities", "Skills for Integration", "Housing First for Refugees",
    "Migrant Voices in Local Policy", "Inclusive Schools", "Health Access for All",
)  # fmt: skip

# Kinds of local actor: (kind slug, class, base count per city, popularity exponent)
LOCAL_KINDS = (
    ("ngo", "NGO", 20),
    ("migrant-led", "MigrantLedOrganisation", 8),
    ("faith", "FaithBasedOrganisation", 3),
    ("volunteers", "VolunteerNetwork", 2),
    ("social-enterprise", "SocialEnterprise", 5),
    ("employer", "PrivateEmployer", 7),
)

# Partnership types: (type, weight, formality choices, equality choices)
PARTNERSHIP_TYPES = (
    ("service-delivery", 18, ("informal", "formal-agreement", "network"), (0, 1, 2)),
    ("service-contract", 12, ("contract",), (2, 3)),
    ("co-design", 10, ("formal-agreement", "informal"), (0, 1)),
    ("funding", 10, ("grant",), (3, 2)),
    ("network", 9, ("network",), (0, 1)),
    ("knowledge-exchange", 8, ("informal", "network"), (0, 1)),
    ("peer-exchange", 6, ("network", "informal"), (0,)),
    ("advocacy", 7, ("informal", "network"), (0, 1)),
    ("capacity-building", 7, ("contract", "informal"), (2, 3)),
    ("mentoring", 6, ("informal", "formal-agreement"), (2, 3)),
    ("consultative", 4, ("formal-agreement",), (1, 2)),
    ("research", 3, ("contract", "formal-agreement"), (1, 2)),
)
_PT_NAMES = tuple(t[0] for t in PARTNERSHIP_TYPES)
_PT_CUM = []
_acc = 0
for _t in PARTNERSHIP_TYPES:
    _acc += _t[1]
    _PT_CUM.append(_acc)
PT = {name: _concept("partnership-type", name) for name in _PT_NAMES}
_PT_LABEL = {name: name.replace("-", " ").capitalize() for name in _PT_NAMES}

EN_DASH = " \u2013 "
BENCH_CITY_INDEX = 0
BATCH_TIME = _typed("2026-01-15T12:00:00Z", "dateTime")
GENERATOR_AGENT = f"{ID}actor/inclusion-kg-benchmark"


# --- model ---------------------------------------------------------------------------------


@dataclass(slots=True)
class Actor:
    """An actor the generator made: its number (for network edges), IRI, slug and label."""

    num: int
    iri: str
    slug: str
    label: str
    kind: str
    place: str


@dataclass
class Country:
    slug: str
    name: str
    local: str
    iso: str
    lang: str
    currency: str
    iri: str
    regions: list[str] = field(default_factory=list)
    regional: list[Actor] = field(default_factory=list)
    hubs: list[Actor] = field(default_factory=list)


@dataclass
class City:
    index: int
    slug: str
    name: str
    iri: str
    country: Country
    region: int
    size: float
    kinds: dict[str, list[Actor]] = field(default_factory=dict)
    cum: dict[str, list[float]] = field(default_factory=dict)
    documents: list[str] = field(default_factory=list)
    projects: list[str] = field(default_factory=list)
    partnerships: int = 0

    def all_actors(self) -> list[Actor]:
        return [a for actors in self.kinds.values() for a in actors]


def _name_for(index: int) -> str:
    r = random.Random(f"inclusion-kg-city-{index}")
    body = "".join(r.choice(_SYLLABLES) for _ in range(r.choice((1, 2, 2, 3))))
    return (body + r.choice(_ENDINGS)).capitalize()


def city_slug(index: int) -> str:
    """Slug of the ``index``-th generated city (the same for every seed)."""
    name = _name_for(index).lower().replace("ó", "o").replace("ł", "l")
    return f"{name}-{index}" if index else name


BENCH_CITY = f"{ID}city/{city_slug(BENCH_CITY_INDEX)}"
"""The city the selective-join benchmark asks about (the first city, a capital-sized one)."""


def _date(r: random.Random, year: int) -> tuple[str, str]:
    """A start date in ``year`` as (lexical, datatype): a date, a year-month or a year."""
    x = r.random()
    if x < 0.6:
        return f"{year}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}", "date"
    if x < 0.85:
        return f"{year}-{r.randint(1, 12):02d}", "gYearMonth"
    return str(year), "gYear"


def _end(start: str, dtype: str, years: int) -> str:
    """A date ``years`` after ``start``, same datatype, so it is never before it."""
    return str(int(start[:4]) + years) + start[4:] if dtype != "gYear" else str(int(start) + years)


def _acronym(label: str) -> str:
    return "".join(w[0] for w in label.split() if w[:1].isalpha() and w[0].isupper())


class _Generator:
    """The state shared by both drivers: random source, actors, countries, counters."""

    def __init__(self, seed: int, *, quads: bool, n_countries: int = len(COUNTRIES)) -> None:
        self.r = random.Random(seed)
        self.quads = quads
        self.actor_count = 0
        self.triples = 0
        self.countries = [self._country(c) for c in COUNTRIES[:n_countries]]
        self._country_cum: list[int] = []
        acc = 0
        for c in COUNTRIES[:n_countries]:
            acc += c[6]
            self._country_cum.append(acc)
        self.cities: list[City] = []
        self.eu: dict[str, Actor] = {}
        self.project_count = 0
        self.implementer_pool: list[Actor] = []  # actors that implement projects, any city

    @staticmethod
    def _country(c: tuple[str, str, str, str, str, str, int]) -> Country:
        return Country(c[0], c[1], c[2], c[3], c[4], c[5], f"{ID}country/{c[0]}")

    # -- output ----------------------------------------------------------------------------

    def emit(self, graph: str, triples: list[str], title: str, source: str) -> Iterator[str]:
        """Lines of one batch; in N-Quads it goes to its own self-describing named graph."""
        if not self.quads:
            self.triples += len(triples)
            for t in triples:
                yield t + " .\n"
            return
        g = f"{GRAPH}{graph}"
        gi = f"<{g}>"
        desc = [
            f"{gi} {A} {PROV_ENTITY}",
            f"{gi} {A} {DATASET}",
            f"{gi} {TITLE} {_lit(title)}",
            f"{gi} {GENERATED_AT} {BATCH_TIME}",
            f"{gi} {ATTRIBUTED} <{GENERATOR_AGENT}>",
            f"{gi} {PRIMARY} <{source}>",
        ]
        total = len(triples) + len(desc) + 1
        desc.append(f"{gi} {VOID_TRIPLES} {_typed(total, 'integer')}")
        self.triples += total
        for t in triples:
            yield f"{t} {gi} .\n"
        for t in desc:
            yield f"{t} {gi} .\n"

    # -- actors ----------------------------------------------------------------------------

    def actor(
        self,
        out: list[str],
        kind: str,
        cls: str,
        slug: str,
        label: str,
        based_in: str,
        *,
        local: tuple[str, str] | None = None,
        parent: Actor | None = None,
        alt: bool = False,
    ) -> Actor:
        iri = f"{ID}actor/{slug}"
        s = f"<{iri}>"
        out.append(f"{s} {A} {_ikg(cls)}")
        out.append(f"{s} {LABEL} {_lit(label)}")
        if local is not None and local[1] != "en":
            out.append(f"{s} {LABEL} {_lit(local[0], local[1])}")
        if alt:
            acr = _acronym(label)
            if len(acr) >= 2:
                out.append(f"{s} {ALT} {_lit(acr)}")
        out.append(f"{s} {_ikg('basedIn')} <{based_in}>")
        if parent is not None:
            out.append(f"{s} {_ikg('subOrganisationOf')} <{parent.iri}>")
        a = Actor(self.actor_count, iri, slug, label, kind, based_in)
        self.actor_count += 1
        return a

    def document(
        self, out: list[str], slug: str, title: str, year: int, publisher: Actor, about: str
    ) -> str:
        iri = f"{ID}document/{slug}"
        s = f"<{iri}>"
        r = self.r
        cls = "Report" if r.random() < 0.45 else "PressRelease"
        out.append(f"{s} {A} {_ikg(cls)}")
        out.append(f"{s} {LABEL} {_lit(title)}")
        out.append(f"{s} {TITLE} {_lit(title)}")
        issued = f"{year}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"
        out.append(f"{s} {ISSUED} {_typed(issued, 'date')}")
        out.append(f"{s} {PUBLISHER} <{publisher.iri}>")
        out.append(f"{s} {URL} {_typed(f'https://example.org/{slug}', 'anyURI')}")
        out.append(f"{s} {_ikg('about')} <{about}>")
        return iri

    def amount(self, out: list[str], slug: str, value: float, currency: str) -> str:
        iri = f"{ID}amount/{slug}"
        s = f"<{iri}>"
        out.append(f"{s} {A} {MONEY}")
        out.append(f"{s} {VALUE} {_typed(f'{value:.2f}', 'decimal')}")
        out.append(f'{s} {CURRENCY} "{currency}"')
        return iri

    # -- the global batch: countries, regions, hubs, programmes ------------------------------

    def global_batch(self) -> list[str]:
        out: list[str] = []
        r = self.r
        be = next((c for c in self.countries if c.slug == "belgium"), self.countries[0])
        ch = next((c for c in self.countries if c.slug == "switzerland"), self.countries[0])
        fr = next((c for c in self.countries if c.slug == "france"), self.countries[0])
        for c in self.countries:
            s = f"<{c.iri}>"
            out += [
                f"{s} {A} {_ikg('Country')}",
                f"{s} {LABEL} {_lit(c.name)}",
                f'{s} {NOTATION} "{c.iso}"',
            ]
            if c.lang != "en":
                out.append(f"{s} {LABEL} {_lit(c.local, c.lang)}")
        self.agent = self.actor(
            out, "research", "ResearchOrganisation", "inclusion-kg-benchmark",
            "inclusion-kg benchmark data generator", be.iri,
        )  # fmt: skip
        ec = self.actor(out, "eu", "EUBody", "european-commission", "European Commission", be.iri)
        self.eu = {
            "ec": ec,
            "dg-empl": self.actor(
                out, "eu", "EUBody", "dg-empl",
                "Directorate-General for Employment, Social Affairs and Inclusion",
                be.iri, parent=ec, alt=True,
            ),
            "dg-home": self.actor(
                out, "eu", "EUBody", "dg-home",
                "Directorate-General for Migration and Home Affairs", be.iri, parent=ec, alt=True,
            ),
            "iom": self.actor(
                out, "io", "InternationalOrganisation", "iom",
                "International Organization for Migration", ch.iri, alt=True,
            ),
            "unhcr": self.actor(
                out, "io", "InternationalOrganisation", "unhcr",
                "Office of the United Nations High Commissioner for Refugees", ch.iri,
            ),
            "oecd": self.actor(
                out, "io", "InternationalOrganisation", "oecd",
                "Organisation for Economic Co-operation and Development", fr.iri,
            ),
            "eurocities": self.actor(
                out, "network", "CityNetwork", "eurocities", "Eurocities", be.iri
            ),
            "icc": self.actor(
                out, "network", "CityNetwork", "intercultural-cities", "Intercultural Cities",
                fr.iri,
            ),
            "mpi": self.actor(
                out, "research", "ResearchOrganisation", "mpi-europe",
                "Migration Policy Institute Europe", be.iri, alt=True,
            ),
        }  # fmt: skip
        for c in self.countries:
            for part in REGION_PARTS:
                rslug = f"{c.slug}-{part}"
                riri = f"{ID}region/{rslug}"
                rs = f"<{riri}>"
                out += [
                    f"{rs} {A} {_ikg('Region')}",
                    f"{rs} {LABEL} {_lit(f'{part.capitalize()} {c.name}')}",
                    f"{rs} {_ikg('country')} <{c.iri}>",
                ]
                c.regions.append(riri)
                c.regional.append(
                    self.actor(
                        out, "regional", "RegionalAuthority", f"{rslug}-regional-government",
                        f"Regional Government of {part.capitalize()} {c.name}", riri,
                    )
                )  # fmt: skip
            iom, unhcr = self.eu["iom"], self.eu["unhcr"]
            c.hubs = [
                self.actor(
                    out, "national", "NationalAuthority", f"{c.slug}-ministry-of-interior",
                    f"Ministry of the Interior of {c.name}", c.iri,
                ),
                self.actor(
                    out, "national", "NationalAuthority", f"{c.slug}-ministry-of-labour",
                    f"Ministry of Labour and Social Policy of {c.name}", c.iri,
                ),
                self.actor(
                    out, "io", "InternationalOrganisation", f"iom-{c.slug}",
                    f"IOM Country Office for {c.name}", c.iri, parent=iom,
                ),
                self.actor(
                    out, "io", "InternationalOrganisation", f"unhcr-{c.slug}",
                    f"UNHCR Representation in {c.name}", c.iri, parent=unhcr,
                ),
            ]  # fmt: skip
        for slug, label in PROGRAMMES:
            s = f"<{ID}programme/{slug}>"
            out += [f"{s} {A} {_ikg('FundingProgramme')}", f"{s} {LABEL} {_lit(label)}"]
        self.global_doc = self.document(
            out, "inclusion-kg-benchmark-2026", "inclusion-kg synthetic benchmark data", 2026,
            self.agent, BASE,
        )  # fmt: skip
        r.random()
        return out

    # -- cities ----------------------------------------------------------------------------

    def new_city(self, out: list[str], index: int, size: float) -> City:
        r = self.r
        slug = city_slug(index)
        name = _name_for(index)
        rc = random.Random(f"inclusion-kg-city-country-{index}")
        ci = rc.choices(range(len(self.countries)), cum_weights=self._country_cum)[0]
        country = self.countries[ci]
        city = City(index, slug, name, f"{ID}city/{slug}", country, rc.randrange(3), size)
        s = f"<{city.iri}>"
        out += [
            f"{s} {A} {_ikg('City')}",
            f"{s} {LABEL} {_lit(name)}",
            f"{s} {_ikg('country')} <{country.iri}>",
            f"{s} {_ikg('within')} <{country.regions[city.region]}>",
        ]
        if country.lang != "en":
            out.append(f"{s} {LABEL} {_lit(name, country.lang)}")
        local = (name, country.lang)
        hall = self.actor(
            out, "municipality", "Municipality", f"{slug}-city-hall", f"City of {name}", city.iri,
            local=(f"{name} city hall", country.lang),
        )  # fmt: skip
        munis = [hall]
        for dslug, dlabel in r.sample(DEPARTMENTS, max(1, min(len(DEPARTMENTS), round(3 * size)))):
            munis.append(
                self.actor(
                    out, "municipality", "Municipality", f"{slug}-{dslug}",
                    f"{name} {dlabel}", city.iri, parent=hall,
                )
            )  # fmt: skip
        city.kinds["municipality"] = munis
        for kind, cls, base in LOCAL_KINDS:
            actors = []
            for n in range(max(1, round(base * size * (0.8 + 0.4 * r.random())))):
                label = self._local_label(kind, name, n)
                actors.append(
                    self.actor(
                        out, kind, cls, f"{slug}-{kind}-{n + 1}", label, city.iri,
                        local=local if r.random() < 0.2 else None,
                        alt=kind == "ngo" and r.random() < 0.3,
                    )
                )  # fmt: skip
            city.kinds[kind] = actors
        city.kinds["council"] = [self.council(out, city, hall)]
        if r.random() < 0.6 or index == BENCH_CITY_INDEX:
            city.kinds["research"] = [
                self.actor(
                    out, "research", "ResearchOrganisation", f"{slug}-university",
                    f"University of {name}", city.iri, local=local,
                )
            ]  # fmt: skip
        for kind, actors in city.kinds.items():
            # Popularity: a few actors of each kind are in many partnerships (heavy tail).
            order = list(range(len(actors)))
            r.shuffle(order)
            weights = [0.0] * len(actors)
            for rank, i in enumerate(order):
                weights[i] = 1.0 / (rank + 1) ** 0.8
            acc = 0.0
            cum = []
            for w in weights:
                acc += w
                cum.append(acc)
            city.cum[kind] = cum
        publishers = [hall, *city.kinds["ngo"][:3]]
        for n in range(max(2, round(4 * size))):
            year = r.randint(2014, 2025)
            pub = r.choice(publishers)
            city.documents.append(
                self.document(
                    out, f"{slug}-{'report' if n % 2 else 'press-release'}-{year}-{n + 1}",
                    f"{name}: {r.choice(PROJECT_THEMES).lower()} ({year})", year, pub, city.iri,
                )
            )  # fmt: skip
        return city

    def _local_label(self, kind: str, name: str, n: int) -> str:
        r = self.r
        if kind == "ngo":
            return f"{name} {r.choice(NGO_WORDS)} {r.choice(NGO_NOUNS)}"
        if kind == "migrant-led":
            return f"{r.choice(NATIONALITIES)} Community Association of {name}"
        if kind == "faith":
            return f"{FAITHS[n % len(FAITHS)]} {name}"
        if kind == "volunteers":
            return f"{name} Volunteers for Newcomers {n + 1}"
        if kind == "social-enterprise":
            return f"{r.choice(SE_WORDS)} Social Cooperative {name}"
        return f"{name} {r.choice(INDUSTRIES)} {r.choice(COMPANY)}"

    def council(self, out: list[str], city: City, hall: Actor) -> Actor:
        r = self.r
        c = self.actor(
            out, "council", "MigrantCouncil", f"{city.slug}-migrant-council",
            f"Migrant council of {city.name}", city.iri,
            local=(f"Consulta {city.name}", city.country.lang),
        )  # fmt: skip
        s = f"<{c.iri}>"
        x = r.random()
        if x < 0.5:
            out.append(f"{s} {_ikg('hasBudget')} {TRUE}")
            amt = self.amount(
                out, f"{city.slug}-migrant-council-budget", r.randint(5, 200) * 1000.0,
                city.country.currency,
            )  # fmt: skip
            out.append(f"{s} {_ikg('budget')} <{amt}>")
        elif x < 0.85:
            out.append(f"{s} {_ikg('hasBudget')} {FALSE}")
        y = r.random()
        if y < 0.8:
            out.append(f"{s} {_ikg('hasOwnInitiativeRight')} {TRUE if y < 0.5 else FALSE}")
        out.append(f"{s} {_ikg('memberSelection')} {MS[r.choice(MEMBER_SELECTION)]}")
        out.append(
            f"{s} {_ikg('termLengthYears')} {_typed(r.choice(('3.0', '4.0', '5.0')), 'decimal')}"
        )
        out.append(f"{s} {_ikg('memberCount')} {_typed(r.randint(7, 40), 'nonNegativeInteger')}")
        out.append(f"{s} {_ikg('advises')} <{hall.iri}>")
        out.append(f"{s} {_ikg('establishedBy')} <{hall.iri}>")
        return c

    def pick(self, city: City, kinds: tuple[str, ...]) -> Actor:
        """One actor of one of ``kinds`` in ``city``, popular actors more often."""
        r = self.r
        present = [k for k in kinds if k in city.kinds]
        kind = r.choice(present) if present else "ngo"
        actors = city.kinds[kind]
        return r.choices(actors, cum_weights=city.cum[kind])[0]

    def hub(self, city: City) -> Actor:
        """A national, regional, international or EU actor related to ``city``."""
        r = self.r
        x = r.random()
        c = city.country
        if x < 0.45:
            return c.hubs[r.choice((0, 1, 2, 2, 3))]
        if x < 0.65:
            return c.regional[city.region]
        return self.eu[
            r.choice(("dg-empl", "dg-home", "iom", "unhcr", "oecd", "eurocities", "icc", "mpi"))
        ]

    # -- partnerships ------------------------------------------------------------------------

    def partnership(self, out: list[str], city: City, *, other: City | None = None) -> list[Actor]:
        """One n-ary partnership in ``city``; returns its participants."""
        r = self.r
        ptype = r.choices(_PT_NAMES, cum_weights=_PT_CUM)[0]
        _, _, formalities, equalities = PARTNERSHIP_TYPES[_PT_NAMES.index(ptype)]
        hall_kinds = ("municipality",)
        csos = ("ngo", "ngo", "ngo", "migrant-led", "faith", "volunteers", "social-enterprise")
        parts: list[tuple[Actor, str]] = []
        if ptype == "funding":
            funder = (
                self.hub(city)
                if r.random() < 0.5
                else self.pick(city, ("municipality", "employer"))
            )
            parts = [(funder, "funder")]
            parts += [(self.pick(city, csos), "implementer") for _ in range(r.choice((1, 1, 2, 3)))]
        elif ptype == "service-contract":
            parts = [(self.pick(city, hall_kinds), "commissioner")]
            parts += [
                (self.pick(city, csos), "service-provider") for _ in range(r.choice((1, 1, 2)))
            ]
        elif ptype == "consultative":
            parts = [
                (city.kinds["council"][0], "advisor"),
                (city.kinds["municipality"][0], "advisee"),
            ]
            if r.random() < 0.5:
                parts.append((self.pick(city, ("migrant-led",)), "member"))
        elif ptype in ("mentoring", "capacity-building"):
            mentor = self.pick(city, ("employer", "social-enterprise", "ngo"))
            if ptype == "capacity-building" and r.random() < 0.4:
                mentor = self.hub(city)
            parts = [(mentor, "mentor")]
            parts += [(self.pick(city, ("migrant-led", "ngo", "volunteers")), "mentee")]
        elif ptype == "research":
            lead = city.kinds.get("research", [self.eu["mpi"]])[0]
            parts = [(lead, "author"), (self.pick(city, hall_kinds), "commissioner")]
            parts += [(self.pick(city, csos), "expert") for _ in range(r.choice((0, 1, 2)))]
        elif ptype in ("network", "peer-exchange", "knowledge-exchange") and other is not None:
            parts = [
                (self.pick(city, hall_kinds), "member"),
                (self.pick(other, hall_kinds), "member"),
            ]
            if r.random() < 0.5:
                parts.append((self.eu[r.choice(("eurocities", "icc"))], "host"))
        else:
            n = r.choice((2, 2, 2, 3, 3, 4, 5)) if ptype != "network" else r.randint(3, 6)
            roles = ("member",) if ptype == "network" else ("partner",)
            if r.random() < 0.55:
                parts = [(self.pick(city, hall_kinds), "lead")]
            while len(parts) < n:
                kinds = csos if r.random() < 0.85 else ("employer", "research", "council")
                parts.append((self.pick(city, kinds), roles[0] if parts else "lead"))
            if r.random() < 0.1:
                parts.append((self.hub(city), "partner"))
        seen: set[int] = set()
        uniq: list[tuple[Actor, str]] = []
        for a, role in parts:
            if a.num not in seen:
                seen.add(a.num)
                uniq.append((a, role))
        if len(uniq) < 2:  # two picks of one actor: add a distinct partner
            for a in city.kinds["ngo"] + city.kinds["municipality"]:
                if a.num not in seen:
                    uniq.append((a, "partner"))
                    break
        city.partnerships += 1
        self.write_partnership(
            out, city, f"{city.slug}-p{city.partnerships}", ptype, formalities, equalities, uniq
        )
        return [a for a, _ in uniq]

    def write_partnership(
        self,
        out: list[str],
        city: City,
        pslug: str,
        ptype: str,
        formalities: tuple[str, ...],
        equalities: tuple[int, ...],
        parts: list[tuple[Actor, str]],
        project: str | None = None,
    ) -> None:
        r = self.r
        s = f"<{ID}partnership/{pslug}>"
        names = f"{parts[0][0].label} and {parts[1][0].label}"
        if len(parts) > 2:
            names += f" and {len(parts) - 2} other{'s' if len(parts) > 3 else ''}"
        out.append(f"{s} {A} {_ikg('Partnership')}")
        out.append(f"{s} {LABEL} {_lit(f'{_PT_LABEL[ptype]}: {names}')}")
        out.append(f"{s} {_ikg('partnershipType')} {PT[ptype]}")
        if r.random() < 0.25:  # multiplexity: a second type
            second = r.choices(_PT_NAMES, cum_weights=_PT_CUM)[0]
            if second != ptype:
                out.append(f"{s} {_ikg('partnershipType')} {PT[second]}")
        out.append(f"{s} {_ikg('formality')} {FORMALITY[r.choice(formalities)]}")
        if r.random() < 0.85:
            out.append(f"{s} {_ikg('roleEquality')} {EQ[ROLE_EQUALITY[r.choice(equalities)]]}")
        for pa in r.sample(POLICY_AREAS, r.choice((1, 1, 2, 2, 3))):
            out.append(f"{s} {_ikg('policyArea')} {PA[pa]}")
        for res in r.sample(RESOURCES, r.choice((0, 1, 1, 2))):
            out.append(f"{s} {_ikg('resourceExchanged')} {RT[res]}")
        if r.random() < 0.9:
            start, dtype = _date(r, r.randint(2010, 2024))
            out.append(f"{s} {_ikg('startDate')} {_typed(start, dtype)}")
            if r.random() < 0.4:
                out.append(
                    f"{s} {_ikg('endDate')} {_typed(_end(start, dtype, r.randint(1, 4)), dtype)}"
                )
        if r.random() < 0.96:  # a few partnerships lack evidence: a Warning, as in real data
            out.append(f"{s} {DERIVED} <{r.choice(city.documents)}>")
        out.append(f"{s} {_ikg('areaServed')} <{city.iri}>")
        if project is not None:
            out.append(f"{s} {_ikg('fundedBy')} <{project}>")
        elif city.projects and r.random() < 0.08:
            out.append(f"{s} {_ikg('fundedBy')} <{r.choice(city.projects)}>")
        for a, role in parts:
            pi = f"<{ID}participation/{pslug}--{a.slug}>"
            out.append(f"{s} {_ikg('hasParticipation')} {pi}")
            out.append(f"{pi} {A} {_ikg('Participation')}")
            out.append(f"{pi} {_ikg('participant')} <{a.iri}>")
            out.append(f"{pi} {_ikg('partnerRole')} {ROLE[role]}")

    # -- funding projects --------------------------------------------------------------------

    def project(self, out: list[str], city: City) -> list[Actor]:
        """A funding project led from ``city``, often with implementers in other cities."""
        r = self.r
        self.project_count += 1
        theme = r.choice(PROJECT_THEMES)
        acr = f"{_acronym(theme)}{self.project_count}"
        slug = f"{acr.lower()}-{city.slug}"
        iri = f"{ID}project/{slug}"
        s = f"<{iri}>"
        funders = [self.hub(city) if r.random() < 0.7 else city.kinds["municipality"][0]]
        if r.random() < 0.2:
            funders.append(self.eu[r.choice(("dg-empl", "dg-home"))])
        implementers = [
            self.pick(city, ("ngo", "migrant-led", "social-enterprise", "municipality"))
        ]
        if r.random() < 0.4:
            implementers.append(city.country.hubs[2])  # the IOM country office
        places = {city.iri}
        if self.implementer_pool and r.random() < 0.5:  # cross-city: partners elsewhere
            for a in r.sample(
                self.implementer_pool, min(len(self.implementer_pool), r.randint(1, 3))
            ):
                implementers.append(a)
        places.update(a.place for a in implementers if a.place.startswith(f"{ID}city/"))
        self.implementer_pool.append(implementers[0])
        if len(self.implementer_pool) > 400:
            self.implementer_pool = self.implementer_pool[-400:]
        out.append(f"{s} {A} {_ikg('FundingProject')}")
        out.append(f"{s} {LABEL} {_lit(acr + EN_DASH + theme)}")
        seen: set[int] = set()
        parts: list[tuple[Actor, str]] = []
        for a in funders:
            if a.num not in seen:
                seen.add(a.num)
                parts.append((a, "funder"))
                out.append(f"{s} {_ikg('funder')} <{a.iri}>")
        implemented: set[int] = set()
        for a in implementers:
            if a.num in implemented:
                continue
            implemented.add(a.num)
            # a municipality may fund and implement its own project: it is stated as both
            # (the shapes require an implementer), but takes part in the partnership once
            out.append(f"{s} {_ikg('implementer')} <{a.iri}>")
            if a.num not in seen:
                seen.add(a.num)
                parts.append((a, "implementer"))
        out.append(f"{s} {_ikg('partOfProgramme')} <{ID}programme/{r.choice(PROGRAMMES)[0]}>")
        for p in sorted(places):
            out.append(f"{s} {_ikg('participatingPlace')} <{p}>")
        for pa in r.sample(POLICY_AREAS, r.choice((1, 2))):
            out.append(f"{s} {_ikg('policyArea')} {PA[pa]}")
        amt = self.amount(out, f"{slug}-budget", r.randint(50, 5000) * 1000.0, "EUR")
        out.append(f"{s} {_ikg('budget')} <{amt}>")
        start, dtype = _date(r, r.randint(2012, 2024))
        out.append(f"{s} {_ikg('startDate')} {_typed(start, dtype)}")
        out.append(f"{s} {_ikg('endDate')} {_typed(_end(start, dtype, r.randint(1, 4)), dtype)}")
        city.projects.append(iri)
        if len(parts) >= 2:  # the funding relation as a partnership, like ADMin4ALL's
            city.partnerships += 1
            self.write_partnership(
                out, city, f"{slug}-funding", "funding", ("grant",), (3, 2), parts, project=iri
            )
        return [a for a, _ in parts]

    # -- services ----------------------------------------------------------------------------

    def service(self, out: list[str], city: City, n: int, *, co_delivery: bool = True) -> None:
        r = self.r
        s = f"<{ID}service/{city.slug}-s{n}>"
        pa = r.choice(POLICY_AREAS)
        provider = self.pick(
            city, ("ngo", "ngo", "municipality", "migrant-led", "social-enterprise", "faith")
        )
        public = r.random() < 0.3
        out.append(f"{s} {A} {_ikg('PublicService' if public else 'Service')}")
        out.append(f"{s} {LABEL} {_lit(f'{SERVICE_NAMES[pa]} in {city.name} ({n})')}")
        out.append(f"{s} {_ikg('provider')} <{provider.iri}>")
        if co_delivery and r.random() < 0.15:
            second = self.pick(city, ("ngo", "volunteers", "faith"))
            if second.num != provider.num:
                out.append(f"{s} {_ikg('provider')} <{second.iri}>")
        if public:
            out.append(f"{s} {_ikg('competentAuthority')} <{city.kinds['municipality'][0].iri}>")
        out.append(f"{s} {_ikg('policyArea')} {PA[pa]}")
        second_pa = r.choice(POLICY_AREAS)
        if second_pa != pa and r.random() < 0.3:
            out.append(f"{s} {_ikg('policyArea')} {PA[second_pa]}")
        for tg in r.sample(TARGET_GROUPS, r.choice((1, 1, 2))):
            out.append(f"{s} {_ikg('targetGroup')} {TG[tg]}")
        for ls in r.sample(LEGAL_STATUSES, r.choice((0, 1, 2, 3))):
            out.append(f"{s} {_ikg('eligibleLegalStatus')} {LS[ls]}")
        out.append(f"{s} {_ikg('areaServed')} <{city.iri}>")
        if city.projects and r.random() < 0.25:
            out.append(f"{s} {_ikg('fundedBy')} <{r.choice(city.projects)}>")


# --- drivers ---------------------------------------------------------------------------------


def _city_size(r: random.Random, index: int) -> float:
    if index == BENCH_CITY_INDEX:
        return 3.5
    return min(3.0, max(0.4, r.lognormvariate(0.0, 0.45)))


def generate(n_triples: int, seed: int = 1, *, quads: bool = False) -> Iterator[str]:
    """Yield about ``n_triples`` lines of N-Triples (or N-Quads with ``quads``).

    Cities are added until the target is reached (one city is ~2,500-4,000 triples), so
    the count overshoots by less than one city; the global batch (countries, regions,
    hubs, programmes) comes last. Same arguments, same output.
    """
    if n_triples <= 0:
        return
    g = _Generator(seed, quads=quads)
    head = g.global_batch()
    g.triples += len(head) + (7 if quads else 0)  # counted now, written last
    index = 0
    while g.triples < n_triples:
        out: list[str] = []
        r = g.r
        city = g.new_city(out, index, _city_size(r, index))
        g.cities.append(city)
        n_actors = len(city.all_actors())
        if r.random() < 0.45 or index == BENCH_CITY_INDEX:
            g.project(out, city)
        if r.random() < 0.15:
            g.project(out, city)
        for n in range(round(n_actors * 0.55)):
            g.service(out, city, n + 1)
        others = g.cities[-30:-1]
        for _ in range(round(n_actors * 1.45)):
            other = r.choice(others) if others and r.random() < 0.08 else None
            g.partnership(out, city, other=other)
        title = f"Synthetic benchmark batch: {city.name}"
        yield from g.emit(f"bench-{city.slug}", out, title, city.documents[0])
        index += 1
    g.triples -= len(head) + (7 if quads else 0)
    yield from g.emit(
        "bench-global", head, "Synthetic benchmark batch: shared actors", g.global_doc
    )


def generate_actors(
    n_actors: int, avg_degree: float = 6.0, seed: int = 1, *, quads: bool = False
) -> Iterator[str]:
    """Yield a partnership network of exactly ``n_actors`` actors with the given average degree.

    The degree is that of the actor network the analytics project from the graph: two
    actors are tied when they share a partnership. Partnerships are added until the
    number of distinct ties reaches ``n_actors * avg_degree / 2`` (so the mean degree is
    ``avg_degree``, within one partnership's worth of ties). Services have a single
    provider here so that co-delivery adds no tie. Same arguments, same output.
    """
    n_countries = max(2, min(len(COUNTRIES), n_actors // 300))
    g = _Generator(seed, quads=quads, n_countries=n_countries)
    head = g.global_batch()
    if g.actor_count > n_actors // 4:
        msg = f"n_actors={n_actors} is too small (the shared actors alone are {g.actor_count})"
        raise ValueError(msg)
    r = g.r
    index = 0
    # 1. the cities and their actors (the last city is trimmed to hit n_actors exactly)
    while g.actor_count < n_actors:
        out: list[str] = []
        before = g.actor_count
        city = g.new_city(out, index, _city_size(r, index))
        if g.actor_count > n_actors:  # rebuild the last city smaller
            excess = g.actor_count - n_actors
            g.actor_count = before
            out = []
            size = city.size
            while True:
                size *= 0.9
                g.actor_count = before
                out = []
                city = g.new_city(out, index, size)
                if g.actor_count <= n_actors or size < 0.05:
                    break
            excess = n_actors - g.actor_count
            for k in range(excess):  # top up with NGOs
                a = g.actor(
                    out, "ngo", "NGO", f"{city.slug}-ngo-extra-{k + 1}",
                    f"{city.name} Newcomer Network {k + 1}", city.iri,
                )  # fmt: skip
                city.kinds["ngo"].append(a)
                city.cum["ngo"].append(city.cum["ngo"][-1] + 0.05)
        g.cities.append(city)
        for n in range(round(len(city.all_actors()) * 0.4)):
            g.service(out, city, n + 1, co_delivery=False)
        yield from g.emit(
            f"bench-{city.slug}", out, f"Synthetic benchmark batch: {city.name}", city.documents[0]
        )
        index += 1
    # 2. partnerships and projects, streamed in batches, until the network has its ties
    target = round(n_actors * avg_degree / 2)
    edges: set[tuple[int, int]] = set()
    weights = []
    acc = 0.0
    for c in g.cities:
        acc += len(c.all_actors())
        weights.append(acc)
    batch = 0
    out = []
    count = 0
    while len(edges) < target:
        city = r.choices(g.cities, cum_weights=weights)[0]
        if r.random() < 0.02:
            parts = g.project(out, city)
        else:
            other = r.choice(g.cities) if len(g.cities) > 1 and r.random() < 0.08 else None
            if other is city:
                other = None
            parts = g.partnership(out, city, other=other)
        nums = sorted({a.num for a in parts})
        for i, x in enumerate(nums):
            for y in nums[i + 1 :]:
                edges.add((x, y))
        count += 1
        if count % 2000 == 0:
            batch += 1
            yield from g.emit(
                f"bench-network-{batch}",
                out,
                f"Synthetic partnerships, batch {batch}",
                g.global_doc,
            )
            out = []
    if out:
        batch += 1
        yield from g.emit(
            f"bench-network-{batch}", out, f"Synthetic partnerships, batch {batch}", g.global_doc
        )
    yield from g.emit(
        "bench-global", head, "Synthetic benchmark batch: shared actors", g.global_doc
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate", description=__doc__.split("\n")[0]
    )
    size = parser.add_mutually_exclusive_group()
    size.add_argument(
        "--triples", type=int, default=None, help="about this many triples (default 100000)"
    )
    size.add_argument(
        "--actors", type=int, default=None, help="an actor network of exactly this many actors"
    )
    parser.add_argument(
        "--degree", type=float, default=6.0, help="average degree with --actors (default 6)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", type=Path, required=True, help="FILE.nt or FILE.nq")
    args = parser.parse_args(argv)
    quads = args.output.suffix == ".nq"
    if args.output.suffix not in (".nt", ".nq"):
        parser.error("the output file must end in .nt or .nq")
    t0 = time.perf_counter()
    if args.actors is not None:
        lines = generate_actors(args.actors, args.degree, args.seed, quads=quads)
    else:
        lines = generate(args.triples or 100_000, args.seed, quads=quads)
    n = 0
    with args.output.open("w", encoding="utf-8", newline="\n") as f:
        buf: list[str] = []
        for line in lines:
            buf.append(line)
            if len(buf) >= 10_000:
                f.write("".join(buf))
                n += len(buf)
                buf = []
        f.write("".join(buf))
        n += len(buf)
    dt = time.perf_counter() - t0
    print(
        f"wrote {n:,} {'quads' if quads else 'triples'} to {args.output} in {dt:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
