"""Linked data: the IRIs the service mints dereference, and the JSON-LD context.

``GET /id/{kind}/{slug}`` (and ``/vocab/{scheme}``, ``/vocab/{scheme}/{concept}``) answers
for the entity ``{IKG_BASE_IRI}id/{kind}/{slug}``:

- a browser (``Accept: text/html``) gets a page with its labels, types, statements (linked,
  each with the batches asserting it), what refers to it and its provenance;
- an RDF client gets its description (its statements and those of the nodes it owns, such
  as a partnership's participations) as Turtle, N-Triples, JSON-LD or RDF/XML.

The IRI is answered directly (200) with ``Content-Location`` naming the document served
(``/id/actor/iom.ttl``) and ``Vary: Accept``, rather than with a 303 redirect: one round
trip, and the documents ``/id/{kind}/{slug}.{html,ttl,nt,jsonld,rdf}`` exist in their own
right (docs/decisions/0005-rest-api.md). An IRI the store knows nothing about is a 404;
one whose statements were all deleted through the API is a 410 naming the batch that did it.

``GET /api/v1/context.jsonld`` serves the JSON-LD context every JSON-LD answer refers to.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pyoxigraph import NamedNode, RdfFormat, serialize
from rdflib import URIRef

from inclusion_kg.api import conneg
from inclusion_kg.api.deps import SettingsDep, StoreDep
from inclusion_kg.api.errors import PROBLEM_BASE, HTTPProblem
from inclusion_kg.api.rest import API, context_url, problem_doc
from inclusion_kg.graph.catalog.entities import (
    describe,
    entity_types,
    incoming,
    labels_of,
    provenance,
    statements,
)
from inclusion_kg.graph.catalog.query import PREFIXES, iri
from inclusion_kg.graph.jsonld import compact, context, context_prefixes
from inclusion_kg.graph.records import local_name
from inclusion_kg.graph.settings import Settings
from inclusion_kg.graph.store import Store
from inclusion_kg.graph.validate import short_name

if TYPE_CHECKING:
    import jinja2

__all__ = ["router"]

router = APIRouter(tags=["linked data"])

HTML = "text/html"
_FORMATS: dict[str, tuple[str, str]] = {
    # extension: (media type, name)
    "html": (HTML, "HTML"),
    "ttl": (conneg.TURTLE, "Turtle"),
    "nt": (conneg.N_TRIPLES, "N-Triples"),
    "jsonld": (conneg.JSON_LD, "JSON-LD"),
    "rdf": (conneg.RDF_XML, "RDF/XML"),
}
_EXTENSION = {media: ext for ext, (media, _) in _FORMATS.items()}
_OFFERS = (HTML, conneg.TURTLE, conneg.JSON_LD, conneg.N_TRIPLES, conneg.RDF_XML)
_ALIASES = {
    "application/xhtml+xml": HTML,
    "application/json": conneg.JSON_LD,
    "application/xml": conneg.RDF_XML,
    "text/xml": conneg.RDF_XML,
    "text/plain": conneg.N_TRIPLES,
    "application/x-turtle": conneg.TURTLE,
}
_NAME = r"^[a-z0-9][a-z0-9-]*(\.(html|ttl|nt|jsonld|rdf))?$"
_ANSWERS: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The entity: an HTML page or its RDF description.",
        "content": {
            media: {"schema": {"type": "string"}} for media in _OFFERS if media != conneg.JSON_LD
        }
        | {conneg.JSON_LD: {"schema": {"type": "object"}}},
    },
    404: problem_doc("The store knows nothing about this IRI", 404, "The store knows nothing…"),
    406: problem_doc("None of the formats asked for", 406, "Ask for one of: text/html, …"),
    410: problem_doc("Deleted through the API", 410, "… was deleted through the API by batch …"),
    422: problem_doc("Not a slug", 422, "The request does not fit this route: path.name: …"),
}

SchemePath = Annotated[
    str,
    Path(
        pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$",
        max_length=80,
        description="Scheme slug.",
        examples=["policy-area"],
    ),
]
KindPath = Annotated[
    str, Path(pattern=r"^[a-z]+$", max_length=40, description="Entity kind.", examples=["actor"])
]
NamePath = Annotated[
    str,
    Path(
        pattern=_NAME,
        max_length=200,
        description="The slug, optionally with .html, .ttl, .nt, .jsonld or .rdf.",
        examples=["iom"],
    ),
]


@cache
def _templates() -> jinja2.Environment:
    """The HTML templates, built on the first HTML page (jinja2 is not imported at start-up)."""
    import jinja2

    folder = files("inclusion_kg.api") / "templates" / "linked-data"

    def load(name: str) -> str:
        return (folder / name).read_text(encoding="utf-8")

    return jinja2.Environment(
        loader=jinja2.FunctionLoader(load), autoescape=True, undefined=jinja2.StrictUndefined
    )


@router.get(
    f"{API}/context.jsonld",
    summary="The JSON-LD context",
    responses={
        200: {
            "content": {
                conneg.JSON_LD: {
                    "schema": {"type": "object"},
                    "example": {
                        "@context": {
                            "@version": 1.1,
                            "ikg": "https://w3id.org/inclusion-kg/ontology#",
                            "id": "https://w3id.org/inclusion-kg/id/",
                            "label": {"@id": "rdfs:label", "@container": "@language"},
                        }
                    },
                }
            }
        }
    },
)
def jsonld_context(settings: SettingsDep) -> JSONResponse:
    """The ``@context`` every JSON-LD answer of the API refers to.

    The project's prefixes (``ikg:``, ``id:``, ``vocab:``…) and a few plain terms (``label``,
    ``altLabel``).
    """
    return JSONResponse(
        context(settings.base_iri),
        media_type=conneg.JSON_LD,
        headers={"Cache-Control": "public, max-age=3600"},
    )


def _choose(request: Request, extension: str | None) -> str:
    if extension is not None:
        return _FORMATS[extension][0]
    return conneg.negotiate(request.headers.get("accept"), _OFFERS, aliases=_ALIASES)


def _root(request: Request) -> str:
    return str(request.scope.get("root_path", ""))


def _href(value: str, settings: Settings, request: Request) -> str:
    """Link IRIs the service answers for to its own pages; others stay as they are."""
    base = settings.base_iri
    for segment in ("id/", "vocab/"):
        if value.startswith(base + segment):
            return f"{_root(request)}/{value[len(base) :]}"
    return value


def _gone(store: Store, entity: str, settings: Settings) -> str | None:
    rows = store.select(
        PREFIXES
        + f"SELECT ?g WHERE {{ GRAPH ?g {{ ?r rdf:subject {iri(entity)} ; a rdf:Statement }} }} "
        "ORDER BY DESC(?g) LIMIT 1",
        timeout=settings.query_timeout,
    )
    graph = rows[0].get("g") if rows else None
    return graph.value if isinstance(graph, NamedNode) else None


def _answer(request: Request, store: Store, settings: Settings, path: str, name: str) -> Response:
    slug, _, extension = name.partition(".")
    entity = f"{settings.base_iri}{path}/{slug}"
    media = _choose(request, extension or None)
    triples = describe(store, entity, timeout=settings.query_timeout)
    if not triples:
        graph = _gone(store, entity, settings)
        if graph is not None:
            raise HTTPProblem(
                410,
                f"{entity} was deleted through the API by batch {graph}; the batch records "
                "the statements it removed.",
                title="Gone",
                type_=PROBLEM_BASE + "gone",
            )
        raise HTTPProblem(
            404,
            f"The store knows nothing about {entity}. Search with {API}/actors?q=… or SPARQL.",
            title="Not found",
            type_=PROBLEM_BASE + "not-found",
        )
    document = f"{_root(request)}/{path}/{slug}.{_EXTENSION[media]}"
    alternates = [
        {"media": m, "href": f"{_root(request)}/{path}/{slug}.{ext}", "name": label}
        for ext, (m, label) in _FORMATS.items()
    ]
    headers = {
        "Vary": "Accept",
        "Content-Location": document,
        "Link": ", ".join(
            f'<{alt["href"]}>; rel="alternate"; type="{alt["media"]}"' for alt in alternates
        ),
    }
    if media == HTML:
        return HTMLResponse(_page(request, store, settings, entity, alternates), headers=headers)
    if media == conneg.JSON_LD:
        body = compact(triples, context_url(request), settings.base_iri)
        return JSONResponse(body, media_type=conneg.JSON_LD, headers=headers)
    fmt = {
        conneg.TURTLE: RdfFormat.TURTLE,
        conneg.N_TRIPLES: RdfFormat.N_TRIPLES,
        conneg.RDF_XML: RdfFormat.RDF_XML,
    }[media]
    prefixes = context_prefixes(settings.base_iri) if fmt == RdfFormat.TURTLE else None
    data = serialize(triples, format=fmt, prefixes=prefixes) or b""
    return Response(data, media_type=media, headers=headers)


def _page(
    request: Request,
    store: Store,
    settings: Settings,
    entity: str,
    alternates: list[dict[str, str]],
) -> str:
    timeout = settings.query_timeout
    facts = statements(store, entity, timeout=timeout)
    label = next(
        (
            v["value"]
            for s in facts
            if s["property"].endswith("rdf-schema#label")
            or s["property"].endswith("core#prefLabel")
            for v in s["values"]
            if (v["language"] or "").startswith("en")
        ),
        local_name(entity),
    )
    for statement in facts:
        statement["name"] = short_name(URIRef(statement["property"]))
        for value in statement["values"]:
            value["short"] = short_name(URIRef(value["value"])) if value["type"] == "iri" else ""
            value["href"] = _href(value["value"], settings, request)
            value["datatype_short"] = (
                short_name(URIRef(value["datatype"])) if value["datatype"] else ""
            )
    references = incoming(store, entity, timeout=timeout)
    for reference in references:
        reference["name"] = short_name(URIRef(reference["property"]))
        reference["href"] = _href(reference["subject"], settings, request)
    types = entity_types(store, entity, timeout=timeout)
    type_labels = labels_of(store, types, timeout=timeout)
    template = _templates().get_template("resource.html")
    return template.render(
        root=_root(request),
        iri=entity,
        label=label,
        types=[{"iri": t, "name": type_labels.get(t, short_name(URIRef(t)))} for t in types],
        statements=facts,
        incoming=references,
        provenance=provenance(store, entity, timeout=timeout),
        alternates=alternates,
    )


@router.get("/id/{kind}/{name}", responses=_ANSWERS, summary="Dereference an entity IRI")
def entity(
    request: Request, store: StoreDep, settings: SettingsDep, kind: KindPath, name: NamePath
) -> Response:
    """Answer for ``{IKG_BASE_IRI}id/{kind}/{slug}``.

    HTML for a browser, RDF for a client (by ``Accept``, or by the extension ``.html``, ``.ttl``,
    ``.nt``, ``.jsonld``, ``.rdf``).
    """
    return _answer(request, store, settings, f"id/{kind}", name)


@router.get("/vocab/{scheme}", responses=_ANSWERS, summary="Dereference a concept scheme IRI")
def vocabulary(
    request: Request, store: StoreDep, settings: SettingsDep, scheme: NamePath
) -> Response:
    """Answer for ``{IKG_BASE_IRI}vocab/{scheme}``: the scheme's page or description."""
    return _answer(request, store, settings, "vocab", scheme)


@router.get("/vocab/{scheme}/{concept}", responses=_ANSWERS, summary="Dereference a concept IRI")
def concept(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    scheme: SchemePath,
    concept: NamePath,
) -> Response:
    """Answer for ``{IKG_BASE_IRI}vocab/{scheme}/{concept}``: the concept's page or description."""
    return _answer(request, store, settings, f"vocab/{scheme}", concept)
