"""The REST resources over HTTP, against a real server with the seeds: listings, filters,
pages, details, JSON-LD read back by rdflib, linked-data dereferencing, errors.

Expected values are read off the seed files by hand (seeds/*.trig): 14 actors (3 EU bodies,
4 international organisations, 1 research organisation, 4 municipalities, 2 migrant
councils); in Gdansk the municipality and its council; in Italy the municipalities of
Palermo and Milan, Palermo's council and two IOM offices in Rome; ADMin4ALL funded by DG
EMPL and the EU, implemented by IOM, and three partnerships.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from inclusion_kg.graph.settings import Settings

pytestmark = pytest.mark.integration

ID = "https://w3id.org/inclusion-kg/id/"
ACTORS = 14


@pytest.fixture
def settings(seeded_settings: Settings) -> Settings:
    return seeded_settings


@pytest.fixture
def http(live_server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server, timeout=60) as client:
        yield client


def ids(body: dict[str, Any]) -> list[str]:
    return [item["id"].rsplit("/", 1)[-1] for item in body["items"]]


def test_actor_listing_filters_sort_and_pages(http: httpx.Client) -> None:
    first = http.get("/api/v1/actors", params={"limit": 5})
    assert first.status_code == 200
    body = first.json()
    assert body["total"] == ACTORS
    assert body["limit"] == 5
    assert body["offset"] == 0
    assert body["prev"] is None
    assert "offset=5" in body["next"]
    assert 'rel="next"' in first.headers["link"]
    seen, url = [], "/api/v1/actors?limit=5"
    for _ in range(10):  # bounded: 14 actors are three pages
        page = http.get(url).json()
        seen += page["items"]
        if page["next"] is None:
            break
        url = page["next"]
    assert len(seen) == ACTORS
    assert len({a["id"] for a in seen}) == ACTORS
    labels = [a["label"].lower() for a in seen]
    assert labels == sorted(labels)
    descending = http.get("/api/v1/actors", params={"sort": "-label", "limit": 100}).json()
    assert [a["label"] for a in descending["items"]] == [a["label"] for a in reversed(seen)]

    def only(**params: Any) -> list[str]:
        response = http.get("/api/v1/actors", params={"limit": 100, **params})
        assert response.status_code == 200, response.text
        return sorted(ids(response.json()))

    assert only(type="Municipality") == [
        "municipality-of-gdansk",
        "municipality-of-milan",
        "municipality-of-palermo",
        "municipality-of-thessaloniki",
    ]
    assert only(type="migrant-council") == ["gdansk-migrant-council", "palermo-migrant-council"]
    assert len(only(type="PublicAuthority")) == 3 + 4  # EU bodies and municipalities
    assert only(city="gdansk") == ["gdansk-migrant-council", "municipality-of-gdansk"]
    assert (
        only(country="IT")
        == only(country="italy")
        == [
            "iom-coordination-office-for-the-mediterranean",
            "iom-rome",
            "municipality-of-milan",
            "municipality-of-palermo",
            "palermo-migrant-council",
        ]
    )
    assert (
        only(q="GDAŃSK") == only(q="gdansk") == ["gdansk-migrant-council", "municipality-of-gdansk"]
    )
    assert only(policy_area="political-participation") == [
        "gdansk-migrant-council",
        "municipality-of-gdansk",
        "municipality-of-palermo",
        "palermo-migrant-council",
    ]
    assert only(project="admin4all") == [
        "dg-empl",
        "european-union",
        "iom",
        "iom-coordination-office-for-the-mediterranean",
        "iom-regional-office-eu-norway-switzerland-uk",
        "mpi-europe",
        "municipality-of-gdansk",
        "municipality-of-milan",
        "municipality-of-thessaloniki",
    ]
    council = http.get("/api/v1/actors", params={"city": "gdansk", "type": "MigrantCouncil"}).json()
    assert council["items"][0]["kind"] == "MigrantCouncil"
    assert council["items"][0]["country"][0]["label"] == "Poland"


def test_other_listings(http: httpx.Client) -> None:
    def get(path: str, **params: Any) -> dict[str, Any]:
        response = http.get(path, params={"limit": 100, **params})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    cities = get("/api/v1/cities", country="IT")
    assert sorted(ids(cities)) == ["milan", "palermo", "rome"]
    palermo = next(c for c in cities["items"] if c["id"].endswith("/palermo"))
    assert palermo["actors"] == 2
    assert palermo["councils"] == 1
    countries = get("/api/v1/countries", sort="code")
    codes = [c["code"] for c in countries["items"]]
    assert codes == sorted(codes)
    assert "PL" in codes
    partnerships = get("/api/v1/partnerships", formality="formal-agreement")
    assert sorted(ids(partnerships)) == [
        "gdansk-migrant-council-consultation",
        "palermo-migrant-council-consultation",
    ]
    assert ids(get("/api/v1/partnerships", city="palermo")) == [
        "palermo-migrant-council-consultation"
    ]
    assert sorted(ids(get("/api/v1/partnerships", project="admin4all"))) == [
        "admin4all-funding",
        "mpi-europe-iom-report-2020",
        "webinar-2020-05-28-european-cities-on-the-front-line",
    ]
    funding = get("/api/v1/partnerships", type="funding")["items"]
    assert [p["role_equality"] for p in funding] == ["hierarchical"]
    assert {p["label"] for p in funding[0]["partners"]} == {
        "Directorate-General for Employment, Social Affairs and Inclusion",
        "International Organization for Migration",
    }
    projects = get("/api/v1/projects", implementer="iom")
    assert sorted(ids(projects)) == ["admin4all", "admin4all-phase-2"]
    assert get("/api/v1/services")["total"] == 0
    councils = get("/api/v1/councils", has_budget="true")
    assert sorted(ids(councils)) == ["gdansk-migrant-council", "palermo-migrant-council"]
    assert councils["items"][0]["city"]["label"] in ("Gdansk", "Palermo")
    documents = get("/api/v1/documents", publisher="iom")
    assert "iom-press-release-2020-05-28" in ids(documents)
    vocabularies = http.get("/api/v1/vocabularies").json()
    slugs = {v["slug"]: v["concepts"] for v in vocabularies}
    assert slugs["formality"] == 5
    assert slugs["policy-area"] == 14


def test_details(http: httpx.Client) -> None:
    iom = http.get("/api/v1/actors/iom").json()
    assert iom["kind"] == "InternationalOrganisation"
    assert iom["labels"] == {"en": "International Organization for Migration"}
    funding = next(p for p in iom["partnerships"] if p["id"].endswith("/admin4all-funding"))
    assert funding["roles"] == ["implementer"]
    assert [(p["label"], p["roles"]) for p in funding["partners"]] == [
        ("Directorate-General for Employment, Social Affairs and Inclusion", ["funder"])
    ]
    assert {p["id"].rsplit("/", 1)[-1]: p["roles"] for p in iom["projects"]} == {
        "admin4all": ["implementer"],
        "admin4all-phase-2": ["implementer"],
    }
    graphs = {g["graph"].rsplit("/", 1)[-1] for g in iom["provenance"]}
    assert {"study-2020-mpi-press-release", "study-2020-iom-press-release"} <= graphs
    label = next(s for s in iom["statements"] if s["property"].endswith("#label"))
    assert len(label["values"][0]["graphs"]) == 2

    gdansk = http.get("/api/v1/cities/gdansk").json()
    assert gdansk["actors_by_kind"] == {"MigrantCouncil": 1, "Municipality": 1}
    assert gdansk["country"][0]["label"] == "Poland"
    assert [
        (c["has_budget"], c["has_own_initiative_right"]) for c in gdansk["migrant_councils"]
    ] == [(True, True)]
    italy = http.get("/api/v1/countries/italy").json()
    assert italy["code"] == "IT"
    assert {c["label"]: c["actors"] for c in italy["cities"]} == {
        "Milan": 1,
        "Palermo": 2,
        "Rome": 2,
    }
    partnership = http.get("/api/v1/partnerships/admin4all-funding").json()
    assert partnership["formality"] == "grant"
    assert [(p["label"], p["role"]) for p in partnership["partner_details"]] == [
        ("Directorate-General for Employment, Social Affairs and Inclusion", "funder"),
        ("International Organization for Migration", "implementer"),
    ]
    project = http.get("/api/v1/projects/admin4all").json()
    assert len(project["funds_partnerships"]) == 3
    council = http.get("/api/v1/councils/gdansk-migrant-council").json()
    assert council["member_selection"] == "appointed-on-recommendation"
    assert council["term_length_years"] == 2
    document = http.get("/api/v1/documents/mpi-press-release-2020-05-28").json()
    assert ID + "partnership/admin4all-funding" in {e["id"] for e in document["evidence_for"]}
    scheme = http.get("/api/v1/vocabularies/actor-type").json()
    ngo = next(c for c in scheme["items"] if c["slug"] == "ngo")
    assert ngo["actor_class"] == "NGO"


def test_errors_say_what_to_fix(http: httpx.Client) -> None:
    cases = [
        ("/api/v1/actors?type=Dragon", 400, "is not an actor kind; use one of"),
        ("/api/v1/actors?policy_area=gardening", 400, "is not a concept of policy-area"),
        ("/api/v1/actors?city=two%20words", 400, "is not a reference"),
        ("/api/v1/actors?sort=colour", 422, "sort"),
        ("/api/v1/actors?limit=0", 422, "limit"),
        ("/api/v1/actors/nobody", 404, "list them at /api/v1/actors"),
        ("/api/v1/actors/Not_A_Slug", 422, "slug"),
        ("/api/v1/cities/iom", 404, "There is no city"),
        ("/api/v1/vocabularies/colours", 404, "use one of"),
        ("/id/actor/nobody", 404, "knows nothing about"),
    ]
    for path, status, text in cases:
        response = http.get(path)
        assert response.status_code == status, (path, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert text in response.json()["detail"], (path, response.json()["detail"])
    refused = http.get("/api/v1/actors", headers={"Accept": "text/turtle"})
    assert refused.status_code == 406
    assert "application/ld+json" in refused.json()["detail"]


def construct(http: httpx.Client, entity: str) -> Graph:
    """The entity's description straight from the SPARQL endpoint."""
    query = f"""PREFIX ikg: <https://w3id.org/inclusion-kg/ontology#>
    CONSTRUCT {{ ?s ?p ?o }} WHERE {{
      {{ <{entity}> ?p ?o BIND(<{entity}> AS ?s) }}
      UNION {{ <{entity}> ikg:hasParticipation|ikg:budget ?s . ?s ?p ?o }} }}"""
    response = http.post(
        "/sparql", data={"query": query}, headers={"Accept": "application/n-triples"}
    )
    assert response.status_code == 200, response.text
    return Graph().parse(data=response.text, format="nt")


def parse_jsonld(http: httpx.Client, document: dict[str, Any]) -> Graph:
    """Parse JSON-LD whose @context is the published one (fetched here, then inlined)."""
    assert document["@context"].endswith("/api/v1/context.jsonld")
    published = http.get(document["@context"])
    assert published.headers["content-type"].startswith("application/ld+json")
    inline = {**document, "@context": published.json()["@context"]}
    return Graph().parse(data=json.dumps(inline), format="json-ld")


@pytest.mark.parametrize(
    ("path", "entity"),
    [
        ("/api/v1/actors/iom", "actor/iom"),
        ("/api/v1/councils/palermo-migrant-council", "actor/palermo-migrant-council"),
        ("/api/v1/partnerships/admin4all-funding", "partnership/admin4all-funding"),
        ("/api/v1/projects/admin4all-phase-2", "project/admin4all-phase-2"),
        ("/api/v1/cities/palermo", "city/palermo"),
        ("/api/v1/countries/poland", "country/poland"),
        ("/api/v1/documents/iom-press-release-2020-05-28", "document/iom-press-release-2020-05-28"),
        ("/id/partnership/admin4all-funding", "partnership/admin4all-funding"),
    ],
)
def test_jsonld_reads_back_as_the_same_triples(http: httpx.Client, path: str, entity: str) -> None:
    response = http.get(path, headers={"Accept": "application/ld+json"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    parsed = parse_jsonld(http, response.json())
    expected = construct(http, ID + entity)
    assert len(expected) > 0
    assert isomorphic(parsed, expected)


def test_jsonld_listing_holds_the_names_and_types_of_the_page(http: httpx.Client) -> None:
    response = http.get(
        "/api/v1/actors", params={"type": "Municipality"}, headers={"Accept": "application/ld+json"}
    )
    assert response.status_code == 200
    assert response.headers["ikg-total"] == "4"
    graph = parse_jsonld(http, response.json())
    subjects = {str(s) for s in graph.subjects()}
    assert subjects == {
        ID + f"actor/municipality-of-{c}" for c in ("gdansk", "milan", "palermo", "thessaloniki")
    }
    assert len(graph) == 4 * 2  # a type and an English name each


def test_entity_iris_dereference(http: httpx.Client) -> None:
    page = http.get(
        "/id/actor/iom", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    )
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "<h1>International Organization for Migration</h1>" in page.text
    assert 'href="/id/project/admin4all"' in page.text  # what points at it, linked
    assert page.headers["content-location"] == "/id/actor/iom.html"
    assert "Accept" in page.headers["vary"]
    turtle = http.get("/id/actor/iom", headers={"Accept": "text/turtle"})
    assert turtle.headers["content-location"] == "/id/actor/iom.ttl"
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert isomorphic(graph, construct(http, ID + "actor/iom"))
    for extension, media, fmt in (
        ("nt", "application/n-triples", "nt"),
        ("rdf", "application/rdf+xml", "xml"),
    ):
        document = http.get(f"/id/actor/iom.{extension}")
        assert document.headers["content-type"].startswith(media)
        assert isomorphic(Graph().parse(data=document.text, format=fmt), graph)
    concept = http.get("/vocab/policy-area/housing", headers={"Accept": "text/turtle"})
    assert concept.status_code == 200
    assert "housing" in concept.text
    assert http.get("/vocab/policy-area", headers={"Accept": "text/html"}).status_code == 200
    assert http.get("/id/actor/iom", headers={"Accept": "image/png"}).status_code == 406
    context = http.get("/api/v1/context.jsonld").json()["@context"]
    assert context["ikg"] == "https://w3id.org/inclusion-kg/ontology#"
