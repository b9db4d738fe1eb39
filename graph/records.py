"""Records: the plain, JSON-shaped form of the entities that REST writes and workbooks create.

One :class:`KindSpec` per writable kind (actor, council, partnership, service, project)
lists its fields, and each field says which RDF property it fills and how its values are
written. The same specs serve:

- ``POST/PUT/PATCH /api/v1/…`` (:mod:`inclusion_kg.graph.edits`): record → triples;
- ``GET /api/v1/…/{slug}``: triples → record, so what a client reads it can send back;
- the import workbook (:mod:`inclusion_kg.graph.workbook`): one column per field.

Values are deliberately permissive here: a concept that is not in its scheme, a missing
formality or a malformed date is written as given and reported by the SHACL shapes (with
the shapes' messages), so every rule lives in one place. Only what cannot be written at
all (an IRI with spaces, an invalid language tag) is an :class:`InputError` here.

References to other entities are full IRIs or ``kind/slug`` (``actor/iom``,
``city/palermo``) or, where the field names one kind, a bare slug (``iom`` for a
provider). Concepts are slugs of their scheme (``formal-agreement``) or full IRIs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any, Literal

from pyoxigraph import BlankNode, NamedNode, Triple
from pyoxigraph import Literal as OxLiteral

from inclusion_kg.graph import resources
from inclusion_kg.graph.errors import InputError
from inclusion_kg.graph.namespaces import BASE
from inclusion_kg.graph.store.formats import parse_rdf

__all__ = [
    "KINDS",
    "FieldSpec",
    "KindSpec",
    "actor_kinds",
    "actor_kinds_under",
    "concept_iri",
    "entity_iri",
    "from_triples",
    "kind_spec",
    "local_name",
    "ref_iri",
    "scheme_concepts",
    "slugify",
    "term_value",
    "to_triples",
]

IKG = "https://w3id.org/inclusion-kg/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "https://schema.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"

FieldKind = Literal[
    "actor_kind",
    "labels",
    "alt_labels",
    "text",
    "ref",
    "concept",
    "date",
    "boolean",
    "decimal",
    "count",
    "url",
    "partners",
    "budget",
]

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_KIND_SLUG = re.compile(r"^([a-z]+)/([a-z0-9]+(?:-[a-z0-9]+)*)$")
_LANG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")
_DATE_TYPES = (
    (re.compile(r"^-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?$"), "date"),
    (re.compile(r"^-?\d{4,}-\d{2}(Z|[+-]\d{2}:\d{2})?$"), "gYearMonth"),
    (re.compile(r"^-?\d{4,}(Z|[+-]\d{2}:\d{2})?$"), "gYear"),
)
SLUG_MAX = 80


@dataclass(frozen=True)
class FieldSpec:
    """One field of a record and the RDF property it fills.

    Attributes:
        name: the JSON key (and workbook column).
        predicate: the property IRI (for ``partners``/``budget``, the link to the owned node).
        kind: how values are written (see :data:`FieldKind`).
        many: a list of values rather than one.
        scheme: for concepts, the scheme slug (``vocab/{scheme}/…``).
        target: for references, the entity kind a bare slug names (``actor``, ``city``…).
        doc: one line for the OpenAPI schema and the workbook documentation.
    """

    name: str
    predicate: str
    kind: FieldKind
    many: bool = False
    scheme: str | None = None
    target: str | None = None
    doc: str = ""


@dataclass(frozen=True)
class KindSpec:
    """A writable kind of entity.

    Attributes:
        name: the kind as the API names it (``actor``, ``council``…).
        iri_kind: the ``{kind}`` segment of its IRIs (``id/{iri_kind}/{slug}``).
        classes: the classes (local names) an existing entity of this kind has one of.
        fixed_class: the class every entity of the kind gets (None: the ``kind`` field).
        fields: its fields, in display order.
    """

    name: str
    iri_kind: str
    classes: tuple[str, ...]
    fixed_class: str | None
    fields: tuple[FieldSpec, ...]

    def field(self, name: str) -> FieldSpec:
        """Return the field called ``name``.

        Raises:
            KeyError: no such field.
        """
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)

    @property
    def managed_predicates(self) -> frozenset[str]:
        """Properties a full replacement (PUT) rewrites; other statements are kept."""
        return frozenset({RDF_TYPE, *(spec.predicate for spec in self.fields)})

    @property
    def owning_predicates(self) -> frozenset[str]:
        """Properties whose objects belong to the entity (participations, the budget)."""
        return frozenset(
            spec.predicate for spec in self.fields if spec.kind in ("partners", "budget")
        )


def _ikg(name: str) -> str:
    return IKG + name


_NAMES = (
    FieldSpec(
        "labels",
        RDFS_LABEL,
        "labels",
        doc="Names by language tag; one per language, 'en' required.",
    ),
    FieldSpec(
        "alt_labels",
        SKOS + "altLabel",
        "alt_labels",
        doc="Other names (acronyms, local names) by language tag.",
    ),
    FieldSpec("description", DCTERMS + "description", "text", doc="A description by language tag."),
)
_URL = FieldSpec("url", SCHEMA + "url", "url", many=True, doc="Web pages (xsd:anyURI).")
_DATES = (
    FieldSpec("start_date", _ikg("startDate"), "date", doc="xsd:date, or 'YYYY-MM' / 'YYYY'."),
    FieldSpec("end_date", _ikg("endDate"), "date", doc="Not before start_date."),
)
_POLICY = FieldSpec(
    "policy_areas",
    _ikg("policyArea"),
    "concept",
    many=True,
    scheme="policy-area",
    doc="Concepts of the policy-area scheme (housing, employment…).",
)
_AREA = FieldSpec(
    "area_served",
    _ikg("areaServed"),
    "ref",
    many=True,
    target="city",
    doc="Places served (city/…, region/…, country/…; a bare slug is a city).",
)
_FUNDED = FieldSpec(
    "funded_by",
    _ikg("fundedBy"),
    "ref",
    many=True,
    target="project",
    doc="Funding projects (project slugs or IRIs).",
)

ACTOR = KindSpec(
    name="actor",
    iri_kind="actor",
    classes=(),  # filled from the ontology: every concrete actor class
    fixed_class=None,
    fields=(
        FieldSpec(
            "kind",
            RDF_TYPE,
            "actor_kind",
            doc="The actor class, such as NGO or Municipality (/api/v1/vocabularies/actor-type).",
        ),
        *_NAMES,
        FieldSpec(
            "based_in",
            _ikg("basedIn"),
            "ref",
            many=True,
            target="city",
            doc="Where the actor is based (a bare slug is a city).",
        ),
        FieldSpec(
            "sub_organisation_of",
            _ikg("subOrganisationOf"),
            "ref",
            many=True,
            target="actor",
            doc="The actors it is part of.",
        ),
        FieldSpec(
            "member_of",
            _ikg("memberOf"),
            "ref",
            many=True,
            target="actor",
            doc="Networks or bodies it is a member of.",
        ),
        _URL,
    ),
)

COUNCIL = KindSpec(
    name="council",
    iri_kind="actor",
    classes=("MigrantCouncil",),
    fixed_class="MigrantCouncil",
    fields=(
        *_NAMES,
        FieldSpec(
            "based_in",
            _ikg("basedIn"),
            "ref",
            many=True,
            target="city",
            doc="The city of the council (exactly one).",
        ),
        FieldSpec(
            "has_budget",
            _ikg("hasBudget"),
            "boolean",
            doc="Has a budget of its own (missing or false is a Warning: an 'empty exercise').",
        ),
        FieldSpec(
            "has_own_initiative_right",
            _ikg("hasOwnInitiativeRight"),
            "boolean",
            doc="May take up issues on its own initiative.",
        ),
        FieldSpec(
            "member_selection",
            _ikg("memberSelection"),
            "concept",
            scheme="member-selection",
            doc="How members are chosen (elected, appointed…).",
        ),
        FieldSpec(
            "term_length_years", _ikg("termLengthYears"), "decimal", doc="Years per term (> 0)."
        ),
        FieldSpec("member_count", _ikg("memberCount"), "count", doc="Number of members."),
        FieldSpec(
            "advises",
            _ikg("advises"),
            "ref",
            many=True,
            target="actor",
            doc="The authorities it advises.",
        ),
        FieldSpec(
            "established_by",
            _ikg("establishedBy"),
            "ref",
            many=True,
            target="actor",
            doc="Who set it up.",
        ),
        FieldSpec("start_date", _ikg("startDate"), "date", doc="When its first term began."),
        _URL,
    ),
)

PARTNERSHIP = KindSpec(
    name="partnership",
    iri_kind="partnership",
    classes=("Partnership",),
    fixed_class="Partnership",
    fields=(
        *_NAMES,
        FieldSpec(
            "partners",
            _ikg("hasParticipation"),
            "partners",
            many=True,
            doc="Partners with their roles: [{actor, role}], at least two distinct actors.",
        ),
        FieldSpec(
            "partnership_types",
            _ikg("partnershipType"),
            "concept",
            many=True,
            scheme="partnership-type",
            doc="Concepts of the partnership-type scheme (funding, co-design…); at least one.",
        ),
        FieldSpec(
            "formality",
            _ikg("formality"),
            "concept",
            scheme="formality",
            doc="Exactly one: informal, network, contract, grant or formal-agreement.",
        ),
        FieldSpec(
            "role_equality",
            _ikg("roleEquality"),
            "concept",
            scheme="role-equality",
            doc="hierarchical, partly-equal, near-equal or eye-to-eye.",
        ),
        _POLICY,
        FieldSpec(
            "resources_exchanged",
            _ikg("resourceExchanged"),
            "concept",
            many=True,
            scheme="resource-type",
            doc="Concepts of the resource-type scheme (funding, staff, expertise…).",
        ),
        *_DATES,
        _AREA,
        _FUNDED,
        FieldSpec(
            "evidence",
            PROV + "wasDerivedFrom",
            "ref",
            many=True,
            target="document",
            doc="Source documents that evidence it (missing is a Warning).",
        ),
    ),
)

SERVICE = KindSpec(
    name="service",
    iri_kind="service",
    classes=("Service", "PublicService"),
    fixed_class="Service",
    fields=(
        *_NAMES,
        FieldSpec(
            "providers",
            _ikg("provider"),
            "ref",
            many=True,
            target="actor",
            doc="Actors that deliver it; at least one.",
        ),
        _POLICY,
        FieldSpec(
            "target_groups",
            _ikg("targetGroup"),
            "concept",
            many=True,
            scheme="target-group",
            doc="Concepts of the target-group scheme (refugees, newcomers…).",
        ),
        FieldSpec(
            "eligible_legal_statuses",
            _ikg("eligibleLegalStatus"),
            "concept",
            many=True,
            scheme="legal-status",
            doc="Concepts of the legal-status scheme (asylum-seeker…).",
        ),
        _AREA,
        _FUNDED,
        FieldSpec(
            "competent_authority",
            _ikg("competentAuthority"),
            "ref",
            many=True,
            target="actor",
            doc="The public authority responsible for it.",
        ),
        _URL,
    ),
)

PROJECT = KindSpec(
    name="project",
    iri_kind="project",
    classes=("FundingProject",),
    fixed_class="FundingProject",
    fields=(
        *_NAMES,
        FieldSpec(
            "funders",
            _ikg("funder"),
            "ref",
            many=True,
            target="actor",
            doc="Actors that fund it; at least one.",
        ),
        FieldSpec(
            "implementers",
            _ikg("implementer"),
            "ref",
            many=True,
            target="actor",
            doc="Actors that implement it; at least one.",
        ),
        FieldSpec(
            "budget",
            _ikg("budget"),
            "budget",
            doc="{value, currency}: a non-negative amount and an ISO 4217 code.",
        ),
        *_DATES,
        _POLICY,
        FieldSpec(
            "programme",
            _ikg("partOfProgramme"),
            "ref",
            many=True,
            target="programme",
            doc="Funding programmes it belongs to.",
        ),
        FieldSpec(
            "participating_places",
            _ikg("participatingPlace"),
            "ref",
            many=True,
            target="city",
            doc="Places taking part (a bare slug is a city).",
        ),
        _URL,
    ),
)

DOCUMENT = KindSpec(
    name="document",
    iri_kind="document",
    classes=("SourceDocument", "Report", "PressRelease"),
    fixed_class="SourceDocument",
    fields=(
        FieldSpec("labels", RDFS_LABEL, "labels", doc="Names by language tag; 'en' required."),
        FieldSpec("title", DCTERMS + "title", "text", doc="The title by language tag."),
        FieldSpec("issued", DCTERMS + "issued", "date", doc="Publication date (xsd:date)."),
        FieldSpec(
            "publishers",
            DCTERMS + "publisher",
            "ref",
            many=True,
            target="actor",
            doc="Publishing actors.",
        ),
        FieldSpec("description", DCTERMS + "description", "text", doc="A description."),
        _URL,
    ),
)
"""Source documents: written by imports (the REST API only reads them)."""

KINDS: dict[str, KindSpec] = {
    spec.name: spec for spec in (ACTOR, COUNCIL, PARTNERSHIP, SERVICE, PROJECT, DOCUMENT)
}
"""The kinds records describe, by name."""


def kind_spec(name: str) -> KindSpec:
    """Return the spec of a kind; for ``actor`` its classes are the concrete actor classes.

    Raises:
        KeyError: no such kind.
    """
    spec = KINDS[name]
    if name == "actor":
        return KindSpec(
            spec.name, spec.iri_kind, tuple(actor_kinds()), spec.fixed_class, spec.fields
        )
    return spec


# ---------------------------------------------------------------------------------------
# Vocabularies shipped with the ontology
# ---------------------------------------------------------------------------------------


@cache
def _ontology_triples() -> tuple[Triple, ...]:
    triples: list[Triple] = []
    for source in [resources.ontology_file(), *resources.scheme_files()]:
        triples += [
            q.triple for q in parse_rdf(source.read_bytes(), "text/turtle", label=source.name)
        ]
    return tuple(triples)


def term_value(term: object) -> str:
    """Return the IRI, blank-node id or lexical form of a pyoxigraph term (``str()`` else)."""
    if isinstance(term, NamedNode | BlankNode | OxLiteral):
        return term.value
    return str(term)


def local_name(iri: str) -> str:
    """Return the part of an IRI after its last ``#`` or ``/``.

    >>> local_name("https://w3id.org/inclusion-kg/ontology#NGO")
    'NGO'
    """
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


@cache
def _class_parents() -> dict[str, frozenset[str]]:
    parents: dict[str, set[str]] = {}
    for triple in _ontology_triples():
        if triple.predicate.value == "http://www.w3.org/2000/01/rdf-schema#subClassOf" and (
            isinstance(triple.object, NamedNode)
        ):
            parents.setdefault(term_value(triple.subject), set()).add(triple.object.value)
    return {child: frozenset(found) for child, found in parents.items()}


def _is_subclass(iri: str, parent: str) -> bool:
    parents = _class_parents()
    seen: set[str] = set()
    stack = [iri]
    while stack:
        current = stack.pop()
        if current == parent:
            return True
        if current not in seen:
            seen.add(current)
            stack.extend(parents.get(current, ()))
    return False


@cache
def actor_kinds() -> dict[str, str]:
    """Return the concrete actor classes: class local name -> actor-type concept slug.

    Concrete means a subclass of ``ikg:Actor`` other than the abstract
    ``ikg:PublicAuthority`` and ``ikg:CivilSocietyOrganisation``.
    """
    concept_of: dict[str, str] = {}
    for triple in _ontology_triples():
        if triple.predicate.value == IKG + "actorClass" and isinstance(triple.object, NamedNode):
            concept_of[triple.object.value] = local_name(term_value(triple.subject))
    abstract = {IKG + "Actor", IKG + "PublicAuthority", IKG + "CivilSocietyOrganisation"}
    kinds = {
        local_name(iri): concept_of.get(iri, "")
        for iri in _class_parents()
        if iri.startswith(IKG) and iri not in abstract and _is_subclass(iri, IKG + "Actor")
    }
    return dict(sorted(kinds.items()))


def actor_kinds_under(parent: str) -> list[str]:
    """Return the concrete actor kinds below an ontology class (``PublicAuthority``).

    >>> actor_kinds_under("PublicAuthority")
    ['EUBody', 'Municipality', 'NationalAuthority', 'RegionalAuthority']
    """
    return [name for name in actor_kinds() if _is_subclass(IKG + name, IKG + parent)]


@cache
def scheme_concepts(scheme: str) -> dict[str, str]:
    """Return the concepts of a shipped scheme: slug -> English preferred label.

    An unknown scheme has no concepts.
    """
    prefix = f"{BASE}vocab/{scheme}/"
    labels: dict[str, str] = {}
    for triple in _ontology_triples():
        subject = triple.subject
        if not isinstance(subject, NamedNode) or not subject.value.startswith(prefix):
            continue
        if triple.predicate.value == SKOS + "inScheme":
            labels.setdefault(subject.value[len(prefix) :], "")
        elif (
            triple.predicate.value == SKOS + "prefLabel"
            and isinstance(triple.object, OxLiteral)
            and (triple.object.language or "").startswith("en")
        ):
            labels[subject.value[len(prefix) :]] = triple.object.value
    return dict(sorted(labels.items()))


# ---------------------------------------------------------------------------------------
# IRIs
# ---------------------------------------------------------------------------------------


def slugify(text: str) -> str:
    """Make a slug of a name: lower-case ASCII letters and digits joined by hyphens.

    Accents are dropped, everything else becomes a hyphen; at most 80 characters.

    >>> slugify("Rada Imigrantów i Imigrantek (Gdańsk)")
    'rada-imigrantow-i-imigrantek-gdansk'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:SLUG_MAX].rstrip("-")


def entity_iri(kind: str, slug: str, base: str = BASE) -> str:
    """Return ``{base}id/{kind}/{slug}``.

    Raises:
        InputError: the slug is not lower-case letters, digits and hyphens.
    """
    if not _SLUG.match(slug) or len(slug) > SLUG_MAX:
        msg = (
            f"{slug!r} is not a valid slug: use lower-case letters, digits and single "
            f"hyphens (at most {SLUG_MAX} characters), such as 'refugee-welcome-palermo'."
        )
        raise InputError(msg)
    return f"{base}id/{kind}/{slug}"


def _check_iri(value: str, what: str) -> str:
    try:
        NamedNode(value)
    except ValueError:
        msg = f"{what}: {value!r} is not a valid IRI."
        raise InputError(msg) from None
    return value


def ref_iri(value: str, target: str | None, base: str = BASE, *, what: str = "reference") -> str:
    """Resolve a reference: a full IRI, ``kind/slug``, or a bare slug of kind ``target``.

    >>> ref_iri("city/palermo", "city")
    'https://w3id.org/inclusion-kg/id/city/palermo'
    >>> ref_iri("iom", "actor")
    'https://w3id.org/inclusion-kg/id/actor/iom'

    Raises:
        InputError: the value is none of these.
    """
    text = value.strip()
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", text):
        return _check_iri(text, what)
    match = _KIND_SLUG.match(text)
    if match:
        return f"{base}id/{match.group(1)}/{match.group(2)}"
    if target is not None and _SLUG.match(text):
        return f"{base}id/{target}/{text}"
    hint = f"'{target}/<slug>' or a bare slug" if target else "'<kind>/<slug>'"
    msg = f"{what}: {value!r} is not a reference; give a full IRI, {hint}."
    raise InputError(msg)


def concept_iri(value: str, scheme: str, base: str = BASE, *, what: str = "concept") -> str:
    """Resolve a concept: a slug of ``scheme`` or a full IRI.

    >>> concept_iri("housing", "policy-area")
    'https://w3id.org/inclusion-kg/vocab/policy-area/housing'

    Raises:
        InputError: neither a slug nor an IRI.
    """
    text = value.strip()
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", text):
        return _check_iri(text, what)
    if _SLUG.match(text):
        return f"{base}vocab/{scheme}/{text}"
    known = ", ".join(scheme_concepts(scheme)) or "see /api/v1/vocabularies"
    msg = f"{what}: {value!r} is not a concept of {scheme}; use one of: {known}."
    raise InputError(msg)


def _concept_out(iri: str, scheme: str | None, base: str) -> str:
    prefix = f"{base}vocab/{scheme}/"
    return iri[len(prefix) :] if scheme and iri.startswith(prefix) else iri


# ---------------------------------------------------------------------------------------
# Record -> triples
# ---------------------------------------------------------------------------------------


def _lang_literal(text: object, lang: str, what: str) -> OxLiteral:
    if not isinstance(text, str):
        msg = f"{what}: expected text for language {lang!r}, got {text!r}."
        raise InputError(msg)
    if not _LANG.match(lang):
        msg = f"{what}: {lang!r} is not a language tag; use a BCP 47 tag such as 'en' or 'pl'."
        raise InputError(msg)
    try:
        return OxLiteral(text, language=lang.lower())
    except ValueError as error:
        msg = f"{what}: {lang!r} is not a valid BCP 47 language tag ({error}); use 'en', 'pl'…"
        raise InputError(msg) from None


def _typed(value: str, datatype: str) -> OxLiteral:
    return OxLiteral(value, datatype=NamedNode(XSD + datatype))


def _date(value: object) -> OxLiteral:
    """Type a date by its form; anything else is written as text for the shapes to report."""
    text = str(value).strip()
    for pattern, datatype in _DATE_TYPES:
        if pattern.match(text):
            return _typed(text, datatype)
    return OxLiteral(text)


def _decimal(value: object, what: str) -> OxLiteral:
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        msg = f"{what}: {value!r} is not a number."
        raise InputError(msg) from None
    if not number.is_finite():
        msg = f"{what}: {value!r} is not a finite number."
        raise InputError(msg)
    return _typed(format(number, "f"), "decimal")


def _count(value: object, what: str) -> OxLiteral:
    if isinstance(value, bool) or not isinstance(value, int | str | float):
        msg = f"{what}: {value!r} is not a whole number."
        raise InputError(msg)
    try:
        number = int(str(value).strip()) if not isinstance(value, float) else int(value)
    except ValueError:
        msg = f"{what}: {value!r} is not a whole number."
        raise InputError(msg) from None
    if isinstance(value, float) and value != number:
        msg = f"{what}: {value!r} is not a whole number."
        raise InputError(msg)
    return _typed(str(number), "nonNegativeInteger" if number >= 0 else "integer")


def _boolean(value: object, what: str) -> OxLiteral:
    if isinstance(value, bool):
        return _typed("true" if value else "false", "boolean")
    text = str(value).strip().lower()
    if text in ("true", "yes", "1", "y"):
        return _typed("true", "boolean")
    if text in ("false", "no", "0", "n"):
        return _typed("false", "boolean")
    msg = f"{what}: {value!r} is not true or false."
    raise InputError(msg)


def _as_list(value: object) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def to_triples(
    spec: KindSpec, iri: str, record: Mapping[str, Any], base: str = BASE
) -> list[Triple]:
    """Write a record as triples about ``iri`` (and its participations or budget node).

    Fields that are missing or None write nothing.

    Raises:
        InputError: a value cannot be written at all (bad IRI, language tag or number).
    """
    subject = NamedNode(_check_iri(iri, "the entity IRI"))
    triples: list[Triple] = []
    if spec.fixed_class is not None:
        triples.append(Triple(subject, NamedNode(RDF_TYPE), NamedNode(IKG + spec.fixed_class)))
    for field_spec in spec.fields:
        value = record.get(field_spec.name)
        if value is None:
            continue
        triples += _field_triples(spec, field_spec, subject, value, base)
    return triples


def _field_triples(
    spec: KindSpec, field_spec: FieldSpec, subject: NamedNode, value: Any, base: str
) -> list[Triple]:
    predicate = NamedNode(field_spec.predicate)
    what = field_spec.name
    kind = field_spec.kind
    out: list[Triple] = []
    if kind == "actor_kind":
        name = str(value)
        kinds = actor_kinds()
        by_concept = {concept: cls for cls, concept in kinds.items() if concept}
        cls = name if name in kinds else by_concept.get(name)
        if cls is None:
            msg = f"kind: {name!r} is not an actor kind; use one of: {', '.join(kinds)}."
            raise InputError(msg)
        return [Triple(subject, predicate, NamedNode(IKG + cls))]
    if kind in ("labels", "text"):
        if not isinstance(value, Mapping):
            msg = f"{what}: expected an object of language tag -> text, such as {{'en': '…'}}."
            raise InputError(msg)
        return [
            Triple(subject, predicate, _lang_literal(t, lang, what)) for lang, t in value.items()
        ]
    if kind == "alt_labels":
        if not isinstance(value, Mapping):
            msg = f"{what}: expected an object of language tag -> list of names."
            raise InputError(msg)
        return [
            Triple(subject, predicate, _lang_literal(t, lang, what))
            for lang, texts in value.items()
            for t in _as_list(texts)
        ]
    if kind == "partners":
        return _partner_triples(spec, subject, predicate, _as_list(value), base)
    if kind == "budget":
        return _budget_triples(subject, predicate, value, base)
    for item in _as_list(value):
        if kind == "ref":
            obj: NamedNode | OxLiteral = NamedNode(
                ref_iri(str(item), field_spec.target, base, what=what)
            )
        elif kind == "concept":
            assert field_spec.scheme is not None  # noqa: S101 - every concept field has one
            obj = NamedNode(concept_iri(str(item), field_spec.scheme, base, what=what))
        elif kind == "date":
            obj = _date(item)
        elif kind == "boolean":
            obj = _boolean(item, what)
        elif kind == "decimal":
            obj = _decimal(item, what)
        elif kind == "count":
            obj = _count(item, what)
        else:  # url
            obj = _typed(str(item).strip(), "anyURI")
        out.append(Triple(subject, predicate, obj))
    return out


def _partner_triples(
    spec: KindSpec, subject: NamedNode, predicate: NamedNode, partners: list[Any], base: str
) -> list[Triple]:
    del spec
    out: list[Triple] = []
    slug = local_name(subject.value)
    for index, partner in enumerate(partners, 1):
        what = f"partners[{index}]"
        if not isinstance(partner, Mapping) or not partner.get("actor"):
            msg = f"{what}: expected {{'actor': '<slug or IRI>', 'role': '<partner-role>'}}."
            raise InputError(msg)
        actor = ref_iri(str(partner["actor"]), "actor", base, what=f"{what}.actor")
        node = NamedNode(f"{base}id/participation/{slug}--{local_name(actor)}")
        out += [
            Triple(subject, predicate, node),
            Triple(node, NamedNode(RDF_TYPE), NamedNode(IKG + "Participation")),
            Triple(node, NamedNode(IKG + "participant"), NamedNode(actor)),
        ]
        role = partner.get("role")
        if role:
            iri = concept_iri(str(role), "partner-role", base, what=f"{what}.role")
            out.append(Triple(node, NamedNode(IKG + "partnerRole"), NamedNode(iri)))
    return out


def _budget_triples(
    subject: NamedNode, predicate: NamedNode, value: Any, base: str
) -> list[Triple]:
    if not isinstance(value, Mapping):
        msg = "budget: expected {'value': 250000, 'currency': 'EUR'}."
        raise InputError(msg)
    node = NamedNode(f"{base}id/amount/{local_name(subject.value)}-budget")
    out = [
        Triple(subject, predicate, node),
        Triple(node, NamedNode(RDF_TYPE), NamedNode(SCHEMA + "MonetaryAmount")),
    ]
    if value.get("value") is not None:
        out.append(
            Triple(node, NamedNode(SCHEMA + "value"), _decimal(value["value"], "budget.value"))
        )
    if value.get("currency") is not None:
        out.append(
            Triple(node, NamedNode(SCHEMA + "currency"), OxLiteral(str(value["currency"]).strip()))
        )
    return out


# ---------------------------------------------------------------------------------------
# Triples -> record
# ---------------------------------------------------------------------------------------


def _literal_value(term: OxLiteral, kind: FieldKind) -> Any:
    text = term.value
    if kind == "boolean":
        return text.strip().lower() in ("true", "1")
    if kind == "decimal":
        try:
            return float(Decimal(text))
        except InvalidOperation:
            return text
    if kind == "count":
        try:
            return int(text)
        except ValueError:
            return text
    return text


def from_triples(
    spec: KindSpec, iri: str, triples: Iterable[Triple], base: str = BASE
) -> dict[str, Any]:
    """Read the record of ``iri`` back from its triples (and its owned nodes' triples).

    The inverse of :func:`to_triples` for what a record can hold; concepts come back as
    slugs of their scheme, references as full IRIs. Values that do not fit a field's kind
    (a second formality, a literal where a reference belongs) are kept as found.
    """
    by_subject: dict[str, list[Triple]] = {}
    for triple in set(triples):  # a statement may be asserted in several graphs
        if isinstance(triple.subject, NamedNode | BlankNode):
            by_subject.setdefault(term_value(triple.subject), []).append(triple)
    own = by_subject.get(iri, [])
    record: dict[str, Any] = {}
    for field_spec in spec.fields:
        objects = [t.object for t in own if t.predicate.value == field_spec.predicate]
        value = _field_value(spec, field_spec, objects, by_subject, base)
        if value is not None:
            record[field_spec.name] = value
    return record


def _field_value(
    spec: KindSpec,
    field_spec: FieldSpec,
    objects: list[Any],
    by_subject: dict[str, list[Triple]],
    base: str,
) -> Any:
    kind = field_spec.kind
    if not objects:
        return None
    if kind == "actor_kind":
        kinds = actor_kinds()
        classes = [local_name(o.value) for o in objects if isinstance(o, NamedNode)]
        concrete = [name for name in classes if name in kinds]
        return concrete[0] if concrete else None
    if kind in ("labels", "text"):
        return {
            (o.language or ""): o.value for o in objects if isinstance(o, OxLiteral) and o.language
        } or None
    if kind == "alt_labels":
        names: dict[str, list[str]] = {}
        for o in objects:
            if isinstance(o, OxLiteral) and o.language:
                names.setdefault(o.language, []).append(o.value)
        return {lang: sorted(values) for lang, values in sorted(names.items())} or None
    if kind == "partners":
        partners = []
        for node in objects:
            statements = by_subject.get(term_value(node), [])
            actor = next(
                (
                    term_value(t.object)
                    for t in statements
                    if t.predicate.value == IKG + "participant"
                ),
                None,
            )
            role = next(
                (
                    term_value(t.object)
                    for t in statements
                    if t.predicate.value == IKG + "partnerRole"
                ),
                None,
            )
            if actor is not None:
                partners.append(
                    {
                        "actor": actor,
                        "role": _concept_out(role, "partner-role", base) if role else None,
                    }
                )
        return sorted(partners, key=lambda p: (p["actor"], p["role"] or ""))
    if kind == "budget":
        statements = by_subject.get(term_value(objects[0]), [])
        amount = next((t.object for t in statements if t.predicate.value == SCHEMA + "value"), None)
        currency = next(
            (t.object for t in statements if t.predicate.value == SCHEMA + "currency"), None
        )
        return {
            "value": _literal_value(amount, "decimal") if isinstance(amount, OxLiteral) else None,
            "currency": currency.value if isinstance(currency, OxLiteral) else None,
        }
    values: list[Any] = []
    for o in objects:
        if isinstance(o, NamedNode):
            values.append(
                _concept_out(o.value, field_spec.scheme, base) if kind == "concept" else o.value
            )
        elif isinstance(o, OxLiteral):
            values.append(_literal_value(o, kind))
    values.sort(key=str)
    del spec
    if field_spec.many:
        return values
    return values[0] if values else None  # a second value is shown under "properties"
