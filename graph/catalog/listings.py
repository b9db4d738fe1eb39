"""The listings of the REST API: one SPARQL query per page, filters, sort and totals.

Every function returns a :class:`~inclusion_kg.graph.catalog.query.Page` whose items are
dicts with ``id``, ``label`` and the listing's columns. Filters take slugs or IRIs
(``city=palermo``, ``city=city/palermo`` or the full IRI); vocabulary filters take concept
slugs and refuse unknown ones with the list of valid values; ``q`` matches names (any
``rdfs:label`` or ``skos:altLabel``, any language) without regard to case or accents.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from inclusion_kg.graph.catalog.query import (
    Column,
    Page,
    Sort,
    concept_values,
    en_label,
    iri,
    label_of,
    run_page,
    text_filter,
)
from inclusion_kg.graph.errors import InputError
from inclusion_kg.graph.namespaces import BASE
from inclusion_kg.graph.records import actor_kinds, actor_kinds_under, ref_iri, term_value
from inclusion_kg.graph.store import Store

__all__ = [
    "ACTOR_SORTS",
    "SORTS",
    "Listing",
    "actor_class_values",
    "list_actors",
    "list_cities",
    "list_councils",
    "list_countries",
    "list_documents",
    "list_partnerships",
    "list_projects",
    "list_services",
]

IKG = "https://w3id.org/inclusion-kg/ontology#"
_ABSTRACT_ACTORS = {"Actor": None, "PublicAuthority": None, "CivilSocietyOrganisation": None}
DOCUMENT_CLASSES = ("SourceDocument", "Report", "PressRelease")


@dataclass(frozen=True)
class Listing:
    """Paging and sorting of a listing request.

    Attributes:
        limit: items per page.
        offset: items to skip.
        sort: a sort key of the listing, ``-`` in front for descending.
        q: free text to match in names.
        timeout: seconds the query may take (None: unbounded, for library callers).
    """

    limit: int = 50
    offset: int = 0
    sort: str = "label"
    q: str | None = None
    timeout: float | None = None


def _sort(listing: Listing, options: dict[str, str]) -> Sort:
    key = listing.sort.strip() or "label"
    descending = key.startswith("-")
    name = key.lstrip("-")
    if name not in options:
        choices = ", ".join(sorted(options) + sorted(f"-{o}" for o in options))
        msg = f"sort={listing.sort!r} is not a sort order here; use one of: {choices}."
        raise InputError(msg)
    return Sort(options[name], descending)


def _ref(value: str, target: str, what: str, base: str) -> str:
    return iri(ref_iri(value, target, base, what=what))


def _country(store: Store, value: str, base: str) -> str:
    """The country named by slug, IRI or ISO 3166 code, as ``<iri>`` for a query."""
    text = value.strip()
    if re.fullmatch(r"[A-Za-z]{2}", text):
        rows = store.select(
            "PREFIX ikg: <https://w3id.org/inclusion-kg/ontology#> "
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
            f'SELECT ?c WHERE {{ ?c a ikg:Country ; skos:notation "{text.upper()}" }} LIMIT 1'
        )
        found = rows[0].get("c") if rows else None
        if found is not None:
            return f"<{term_value(found)}>"
        return f"<{base}id/country/{text.lower()}>"
    return _ref(text, "country", "country", base)


def _where(kind: str, filters: list[str]) -> str:
    """Put the filters first and check the kind last.

    Oxigraph then starts from the (selective) filters instead of every entity of the kind:
    at a million triples, actors in Italy take 0.1 s this way and 2.5 s with the kind
    joined first.
    """
    selective = [f for f in filters if f]
    if not selective:
        return kind
    return " ".join(selective) + f" FILTER EXISTS {{ {kind} }}"


def actor_class_values(kinds: Sequence[str]) -> str:
    """Write actor kinds as a list of class IRIs for a VALUES block.

    Kinds are class names such as NGO or actor-type slugs such as ngo; the abstract
    PublicAuthority / CivilSocietyOrganisation mean their subclasses.

    Raises:
        InputError: a kind is unknown (the message lists the kinds).
    """
    known = actor_kinds()
    by_concept = {concept: name for name, concept in known.items() if concept}
    chosen: set[str] = set()
    for kind in kinds or list(known):
        name = kind.strip()
        name = by_concept.get(name, name)
        if name in known:
            chosen.add(name)
        elif name in _ABSTRACT_ACTORS or name in ("public-authority", "civil-society-organisation"):
            parent = {
                "public-authority": "PublicAuthority",
                "civil-society-organisation": "CivilSocietyOrganisation",
            }.get(name, name)
            chosen |= set(actor_kinds_under(parent))
        else:
            choices = ", ".join(sorted(known) + sorted(c for c in by_concept))
            msg = f"type={kind!r} is not an actor kind; use one of: {choices}."
            raise InputError(msg)
    return " ".join(f"<{IKG}{name}>" for name in sorted(chosen))


# ---------------------------------------------------------------------------------------
# Actors
# ---------------------------------------------------------------------------------------

ACTOR_SORTS = {
    "label": en_label(),
    "kind": "?item a ?k0 . FILTER(STRSTARTS(STR(?k0), STR(ikg:))) BIND(STR(?k0) AS ?k)",
    "city": (
        "OPTIONAL { ?item ikg:basedIn ?kc . "
        + label_of("?kc", "?kcl")
        + ' } BIND(LCASE(STR(COALESCE(?kcl, ?kc, "~"))) AS ?k)'
    ),
}


def _refs(path: str) -> str:
    return f"{path} . " + label_of("?v", "?vl")


def list_actors(
    store: Store,
    listing: Listing,
    *,
    types: Sequence[str] = (),
    city: str | None = None,
    country: str | None = None,
    policy_area: Sequence[str] = (),
    project: str | None = None,
    base: str = BASE,
) -> Page:
    """List actors, filtered by kind, city, country, policy area, funding project and name.

    ``policy_area`` keeps actors that take part in a partnership, provide a service or
    fund or implement a project in that policy area; ``project`` keeps the project's
    funders and implementers and the partners and providers of what it funds.

    Raises:
        InputError: an unknown kind, policy area or sort order.
    """
    kind = f"VALUES ?cls {{ {actor_class_values(types)} }} ?item a ?cls ."
    filters = []
    if city:
        filters.append(f"?item ikg:basedIn {_ref(city, 'city', 'city', base)} .")
    if country:
        filters.append(
            f"?item (ikg:basedIn/ikg:country)|ikg:basedIn {_country(store, country, base)} ."
        )
    if policy_area:
        values = concept_values("policy-area", policy_area, "policy_area", base)
        filters.append(
            f"VALUES ?pa {{ {values} }} ?x ikg:policyArea ?pa . "
            "?x (ikg:hasParticipation/ikg:participant)|ikg:provider|ikg:funder|ikg:implementer"
            " ?item ."
        )
    if project:
        target = _ref(project, "project", "project", base)
        filters.append(
            f"{{ {target} ikg:funder|ikg:implementer ?item }} UNION "
            f"{{ ?y ikg:fundedBy {target} . "
            "?y (ikg:hasParticipation/ikg:participant)|ikg:provider ?item }"
        )
    filters.append(text_filter(listing.q))
    where = [_where(kind, filters)]
    columns = [
        Column("kind", f"?item a ?v . VALUES ?v {{ {actor_class_values(())} }}", "classes"),
        Column("based_in", _refs("?item ikg:basedIn ?v"), "refs"),
        Column(
            "country",
            _refs(
                "{ ?item ikg:basedIn/ikg:country ?v } UNION "
                "{ ?item ikg:basedIn ?v . ?v a ikg:Country }"
            ),
            "refs",
        ),
    ]
    page = run_page(
        store,
        " ".join(where),
        columns,
        _sort(listing, ACTOR_SORTS),
        limit=listing.limit,
        offset=listing.offset,
        base=base,
        timeout=listing.timeout,
    )
    for item in page.items:
        item["kind"] = item["kind"][0] if item["kind"] else None
    return page


# ---------------------------------------------------------------------------------------
# Places
# ---------------------------------------------------------------------------------------


def list_cities(
    store: Store, listing: Listing, *, country: str | None = None, base: str = BASE
) -> Page:
    """List cities with their country and how many actors are based in each.

    Raises:
        InputError: an unknown sort order or a malformed country.
    """
    filters = [text_filter(listing.q)]
    if country:
        filters.append(f"?item ikg:country {_country(store, country, base)} .")
    where = [_where("?item a ikg:City .", filters)]
    sorts = {
        "label": en_label(),
        "country": (
            "OPTIONAL { ?item ikg:country ?kc . "
            + label_of("?kc", "?kcl")
            + ' } BIND(LCASE(STR(COALESCE(?kcl, "~"))) AS ?k)'
        ),
    }
    sort = _sort(listing, sorts)
    columns = [
        Column("country", _refs("?item ikg:country ?v"), "refs"),
        Column("actors", "?v ikg:basedIn ?item", "count"),
        Column("councils", "?v ikg:basedIn ?item . ?v a ikg:MigrantCouncil", "count"),
    ]
    return _page(store, where, columns, sort, listing, base)


def _page(
    store: Store, where: list[str], columns: list[Column], sort: Sort, listing: Listing, base: str
) -> Page:
    return run_page(
        store,
        " ".join(where),
        columns,
        sort,
        limit=listing.limit,
        offset=listing.offset,
        base=base,
        timeout=listing.timeout,
    )


def list_countries(store: Store, listing: Listing, *, base: str = BASE) -> Page:
    """List countries with their ISO code and how many cities the store has in each.

    Raises:
        InputError: an unknown sort order.
    """
    where = [_where("?item a ikg:Country .", [text_filter(listing.q)])]
    sorts = {
        "label": en_label(),
        "code": 'OPTIONAL { ?item skos:notation ?kn } BIND(STR(COALESCE(?kn, "~")) AS ?k)',
    }
    columns = [
        Column("code", "?item skos:notation ?v", "value"),
        Column("cities", "?v ikg:country ?item . ?v a ikg:City", "count"),
    ]
    return _page(store, where, columns, _sort(listing, sorts), listing, base)


# ---------------------------------------------------------------------------------------
# Partnerships, projects, services, councils, documents
# ---------------------------------------------------------------------------------------

_DATE_SORT = 'OPTIONAL {{ ?item ikg:{prop} ?kd }} BIND(STR(COALESCE(?kd, "~")) AS ?k)'


def list_partnerships(
    store: Store,
    listing: Listing,
    *,
    partnership_type: Sequence[str] = (),
    formality: Sequence[str] = (),
    role_equality: Sequence[str] = (),
    policy_area: Sequence[str] = (),
    actor: str | None = None,
    city: str | None = None,
    country: str | None = None,
    project: str | None = None,
    base: str = BASE,
) -> Page:
    """List partnerships with their types, formality, partners and dates.

    Filters: type, formality, role equality, policy area, partner, place (served, or where
    a partner is based) and funding project.

    Raises:
        InputError: an unknown concept or sort order.
    """
    filters = []
    for values, prop, scheme, what in (
        (partnership_type, "partnershipType", "partnership-type", "type"),
        (formality, "formality", "formality", "formality"),
        (role_equality, "roleEquality", "role-equality", "role_equality"),
        (policy_area, "policyArea", "policy-area", "policy_area"),
    ):
        if values:
            var = f"?f_{prop}"
            filters.append(
                f"VALUES {var} {{ {concept_values(scheme, values, what, base)} }} "
                f"?item ikg:{prop} {var} ."
            )
    if actor:
        filters.append(
            f"?item ikg:hasParticipation/ikg:participant {_ref(actor, 'actor', 'actor', base)} ."
        )
    if city:
        place = _ref(city, "city", "city", base)
        filters.append(
            f"?item ikg:areaServed|(ikg:hasParticipation/ikg:participant/ikg:basedIn) {place} ."
        )
    if country:
        filters.append(
            "?item ((ikg:areaServed|(ikg:hasParticipation/ikg:participant/ikg:basedIn))"
            f"/ikg:country)|ikg:areaServed {_country(store, country, base)} ."
        )
    if project:
        filters.append(f"?item ikg:fundedBy {_ref(project, 'project', 'project', base)} .")
    filters.append(text_filter(listing.q))
    where = [_where("?item a ikg:Partnership .", filters)]
    sorts = {
        "label": en_label(),
        "start_date": _DATE_SORT.format(prop="startDate"),
        "end_date": _DATE_SORT.format(prop="endDate"),
    }
    columns = [
        Column("partnership_types", "?item ikg:partnershipType ?v", "concepts", "partnership-type"),
        Column("formality", "?item ikg:formality ?v", "concept", "formality"),
        Column("role_equality", "?item ikg:roleEquality ?v", "concept", "role-equality"),
        Column("policy_areas", "?item ikg:policyArea ?v", "concepts", "policy-area"),
        Column("partners", _refs("?item ikg:hasParticipation/ikg:participant ?v"), "refs"),
        Column("start_date", "?item ikg:startDate ?v", "value"),
        Column("end_date", "?item ikg:endDate ?v", "value"),
    ]
    return _page(store, where, columns, _sort(listing, sorts), listing, base)


def list_projects(
    store: Store,
    listing: Listing,
    *,
    funder: str | None = None,
    implementer: str | None = None,
    actor: str | None = None,
    policy_area: Sequence[str] = (),
    base: str = BASE,
) -> Page:
    """List funding projects, filtered by funder, implementer, either, and policy area.

    Raises:
        InputError: an unknown policy area or sort order.
    """
    filters = []
    if funder:
        filters.append(f"?item ikg:funder {_ref(funder, 'actor', 'funder', base)} .")
    if implementer:
        filters.append(f"?item ikg:implementer {_ref(implementer, 'actor', 'implementer', base)} .")
    if actor:
        filters.append(f"?item ikg:funder|ikg:implementer {_ref(actor, 'actor', 'actor', base)} .")
    if policy_area:
        values = concept_values("policy-area", policy_area, "policy_area", base)
        filters.append(f"VALUES ?pa {{ {values} }} ?item ikg:policyArea ?pa .")
    filters.append(text_filter(listing.q))
    where = [_where("?item a ikg:FundingProject .", filters)]
    sorts = {"label": en_label(), "start_date": _DATE_SORT.format(prop="startDate")}
    columns = [
        Column("funders", _refs("?item ikg:funder ?v"), "refs"),
        Column("implementers", _refs("?item ikg:implementer ?v"), "refs"),
        Column("policy_areas", "?item ikg:policyArea ?v", "concepts", "policy-area"),
        Column("start_date", "?item ikg:startDate ?v", "value"),
        Column("end_date", "?item ikg:endDate ?v", "value"),
    ]
    return _page(store, where, columns, _sort(listing, sorts), listing, base)


def list_services(
    store: Store,
    listing: Listing,
    *,
    policy_area: Sequence[str] = (),
    target_group: Sequence[str] = (),
    legal_status: Sequence[str] = (),
    provider: str | None = None,
    city: str | None = None,
    project: str | None = None,
    base: str = BASE,
) -> Page:
    """List services with their providers, policy areas and target groups.

    Filters: policy area, target group, eligible legal status, provider, city (served, or
    where a provider is based) and funding project.

    Raises:
        InputError: an unknown concept or sort order.
    """
    filters = []
    for values, prop, scheme, what in (
        (policy_area, "policyArea", "policy-area", "policy_area"),
        (target_group, "targetGroup", "target-group", "target_group"),
        (legal_status, "eligibleLegalStatus", "legal-status", "legal_status"),
    ):
        if values:
            var = f"?f_{prop}"
            filters.append(
                f"VALUES {var} {{ {concept_values(scheme, values, what, base)} }} "
                f"?item ikg:{prop} {var} ."
            )
    if provider:
        filters.append(f"?item ikg:provider {_ref(provider, 'actor', 'provider', base)} .")
    if city:
        place = _ref(city, "city", "city", base)
        filters.append(f"?item ikg:areaServed|(ikg:provider/ikg:basedIn) {place} .")
    if project:
        filters.append(f"?item ikg:fundedBy {_ref(project, 'project', 'project', base)} .")
    filters.append(text_filter(listing.q))
    where = [_where("VALUES ?cls { ikg:Service ikg:PublicService } ?item a ?cls .", filters)]
    columns = [
        Column("providers", _refs("?item ikg:provider ?v"), "refs"),
        Column("policy_areas", "?item ikg:policyArea ?v", "concepts", "policy-area"),
        Column("target_groups", "?item ikg:targetGroup ?v", "concepts", "target-group"),
        Column("area_served", _refs("?item ikg:areaServed ?v"), "refs"),
    ]
    return _page(store, where, columns, _sort(listing, {"label": en_label()}), listing, base)


def list_councils(
    store: Store,
    listing: Listing,
    *,
    city: str | None = None,
    country: str | None = None,
    has_budget: bool | None = None,
    has_own_initiative_right: bool | None = None,
    base: str = BASE,
) -> Page:
    """List migrant councils with their city, budget and own-initiative right.

    ``has_budget=false`` keeps councils without a budget *or* without the information
    (the shapes treat both as the same Warning).

    Raises:
        InputError: an unknown sort order.
    """
    filters = []
    if city:
        filters.append(f"?item ikg:basedIn {_ref(city, 'city', 'city', base)} .")
    if country:
        filters.append(f"?item ikg:basedIn/ikg:country {_country(store, country, base)} .")
    for value, prop in (
        (has_budget, "hasBudget"),
        (has_own_initiative_right, "hasOwnInitiativeRight"),
    ):
        if value is True:
            filters.append(f"?item ikg:{prop} true .")
    filters.append(text_filter(listing.q))
    kind = "?item a ikg:MigrantCouncil ."
    for value, prop in (
        (has_budget, "hasBudget"),
        (has_own_initiative_right, "hasOwnInitiativeRight"),
    ):
        if value is False:
            kind += f" FILTER NOT EXISTS {{ ?item ikg:{prop} true }}"
    where = [_where(kind, filters)]
    columns = [
        Column("city", _refs("?item ikg:basedIn ?v"), "refs"),
        Column("country", _refs("?item ikg:basedIn/ikg:country ?v"), "refs"),
        Column("has_budget", "?item ikg:hasBudget ?v", "boolean"),
        Column("has_own_initiative_right", "?item ikg:hasOwnInitiativeRight ?v", "boolean"),
        Column("member_selection", "?item ikg:memberSelection ?v", "concept", "member-selection"),
    ]
    for item in (
        page := _page(store, where, columns, _sort(listing, {"label": en_label()}), listing, base)
    ).items:
        item["city"] = item["city"][0] if item["city"] else None
        item["country"] = item["country"][0] if item["country"] else None
    return page


def list_documents(
    store: Store,
    listing: Listing,
    *,
    publisher: str | None = None,
    base: str = BASE,
) -> Page:
    """List source documents (reports, press releases, pages) with title, date, publisher.

    Raises:
        InputError: an unknown sort order.
    """
    classes = " ".join(f"ikg:{name}" for name in DOCUMENT_CLASSES)
    filters = [text_filter(listing.q)]
    if publisher:
        filters.append(f"?item dcterms:publisher {_ref(publisher, 'actor', 'publisher', base)} .")
    where = [_where(f"VALUES ?cls {{ {classes} }} ?item a ?cls .", filters)]
    sorts = {
        "label": en_label(),
        "issued": 'OPTIONAL { ?item dcterms:issued ?kd } BIND(STR(COALESCE(?kd, "~")) AS ?k)',
    }
    columns = [
        Column("kind", f"?item a ?v . VALUES ?v {{ {classes} }}", "classes"),
        Column("title", "?item dcterms:title ?v", "value"),
        Column("issued", "?item dcterms:issued ?v", "value"),
        Column("publishers", _refs("?item dcterms:publisher ?v"), "refs"),
        Column("url", "?item schema:url ?v", "value"),
    ]
    page = _page(store, where, columns, _sort(listing, sorts), listing, base)
    for item in page.items:
        kinds = [k for k in item["kind"] if k != "SourceDocument"] or item["kind"]
        item["kind"] = kinds[0] if kinds else None
    return page


SORTS: dict[str, tuple[str, ...]] = {
    "actors": ("label", "kind", "city"),
    "cities": ("label", "country"),
    "countries": ("label", "code"),
    "partnerships": ("label", "start_date", "end_date"),
    "projects": ("label", "start_date"),
    "services": ("label",),
    "councils": ("label",),
    "documents": ("label", "issued"),
}
"""Sort keys of each listing (prefix ``-`` for descending)."""
