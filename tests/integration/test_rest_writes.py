"""REST writes over HTTP against a real server with the seeds.

For every writable kind: a valid write is applied and recorded (a batch graph attributed to
the API agent, naming the entity, reifying what it removed); an invalid one is a 422 with
the SHACL report and the store is unchanged (the whole N-Quads dump compared); a write
without the token is a 401 and changes nothing. Deleting an actor that partnerships still
reference is a 409 listing them, unless ``cascade=true``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from inclusion_kg.graph.settings import Settings

pytestmark = pytest.mark.integration

ID = "https://w3id.org/inclusion-kg/id/"
TOKEN = "test-token"  # noqa: S105 - the root conftest's test token
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def settings(seeded_settings: Settings) -> Settings:
    return seeded_settings


@pytest.fixture
def http(live_server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server, timeout=60) as client:
        yield client


def dump(http: httpx.Client) -> list[str]:
    response = http.get("/store", headers={"Accept": "application/n-quads"})
    assert response.status_code == 200
    return sorted(response.text.splitlines())


def ask(http: httpx.Client, query: str) -> bool:
    response = http.post(
        "/sparql",
        data={
            "query": "PREFIX prov: <http://www.w3.org/ns/prov#> "
            "PREFIX dcterms: <http://purl.org/dc/terms/> "
            "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> " + query
        },
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.status_code == 200, response.text
    return bool(response.json()["boolean"])


def recorded(http: httpx.Client, graph: str, entity: str) -> bool:
    """The write's batch describes itself, is attributed to the API and names the entity."""
    return ask(
        http,
        f"""ASK {{ GRAPH <{graph}> {{ <{graph}> a prov:Entity ;
            prov:wasAttributedTo <{ID}agent/api> ; prov:generatedAtTime ?t ;
            dcterms:subject <{entity}> }} }}""",
    )


def short(value: Any) -> Any:
    """References come back as IRIs: compare them by their slug."""
    if isinstance(value, list):
        return sorted(short(v) for v in value)
    if isinstance(value, str) and value.startswith(ID):
        return value.rsplit("/", 1)[-1]
    return value


WRITES: dict[str, dict[str, Any]] = {
    "actors": {
        "valid": {
            "kind": "NGO",
            "labels": {"en": "Refugee Welcome Palermo"},
            "based_in": ["palermo"],
        },
        "slug": "refugee-welcome-palermo",
        "iri": ID + "actor/refugee-welcome-palermo",
        "replace": {"kind": "SocialEnterprise", "labels": {"en": "Refugee Welcome Palermo"}},
        "patch": {"alt_labels": {"en": ["RWP"]}},
        "invalid": {"kind": "NGO", "labels": {"it": "Solo italiano"}, "slug": "solo-italiano"},
        "violation": "Needs an English name",
    },
    "councils": {
        "valid": {
            "labels": {"en": "Migrant council of Milan"},
            "based_in": ["milan"],
            "has_budget": True,
            "has_own_initiative_right": False,
            "advises": ["municipality-of-milan"],
        },
        "slug": "migrant-council-of-milan",
        "iri": ID + "actor/migrant-council-of-milan",
        "replace": {
            "labels": {"en": "Migrant council of Milan"},
            "based_in": ["milan"],
            "has_budget": True,
        },
        "patch": {"member_selection": "elected"},
        "invalid": {"labels": {"en": "Two-city council"}, "based_in": ["milan", "rome"]},
        "violation": "ikg:basedIn",
    },
    "partnerships": {
        "valid": {
            "labels": {"en": "Palermo welcome network"},
            "partners": [
                {"actor": "iom", "role": "partner"},
                {"actor": "municipality-of-palermo", "role": "lead"},
            ],
            "partnership_types": ["network"],
            "formality": "informal",
            "policy_areas": ["reception"],
            "evidence": ["document/iom-press-release-2020-05-28"],
        },
        "slug": "palermo-welcome-network",
        "iri": ID + "partnership/palermo-welcome-network",
        "replace": {
            "labels": {"en": "Palermo welcome network"},
            "partners": [
                {"actor": "iom", "role": "partner"},
                {"actor": "palermo-migrant-council", "role": "partner"},
            ],
            "partnership_types": ["network"],
            "formality": "network",
        },
        "patch": {"role_equality": "eye-to-eye"},
        "invalid": {
            "labels": {"en": "Lonely partnership"},
            "partners": [{"actor": "iom", "role": "lead"}],
            "partnership_types": ["network"],
            "formality": "informal",
        },
        "violation": "at least two distinct actors",
    },
    "projects": {
        "valid": {
            "labels": {"en": "Welcoming Cities 2025"},
            "funders": ["dg-empl"],
            "implementers": ["iom"],
            "budget": {"value": 250000, "currency": "EUR"},
            "start_date": "2025-01-01",
            "end_date": "2026-12-31",
        },
        "slug": "welcoming-cities-2025",
        "iri": ID + "project/welcoming-cities-2025",
        "replace": {
            "labels": {"en": "Welcoming Cities 2025"},
            "funders": ["european-union"],
            "implementers": ["iom"],
        },
        "patch": {"budget": {"value": 300000, "currency": "EUR"}},
        "invalid": {
            "labels": {"en": "Backwards project"},
            "funders": ["dg-empl"],
            "implementers": ["iom"],
            "start_date": "2026-01-01",
            "end_date": "2025-01-01",
        },
        "violation": "before it starts",
    },
    "services": {
        "valid": {
            "labels": {"en": "Italian courses for newcomers"},
            "providers": ["municipality-of-palermo"],
            "policy_areas": ["language"],
            "target_groups": ["newcomers"],
            "area_served": ["palermo"],
        },
        "slug": "italian-courses-for-newcomers",
        "iri": ID + "service/italian-courses-for-newcomers",
        "replace": {
            "labels": {"en": "Italian courses for newcomers"},
            "providers": ["iom"],
            "policy_areas": ["language", "education"],
        },
        "patch": {"target_groups": ["refugees"]},
        "invalid": {"labels": {"en": "Nobody's service"}, "policy_areas": ["housing"]},
        "violation": "at least one ikg:provider",
    },
}


@pytest.mark.parametrize("resource", sorted(WRITES))
def test_write_paths(http: httpx.Client, resource: str) -> None:
    case = WRITES[resource]
    path = f"/api/v1/{resource}"

    # without the token: 401, nothing written
    before = dump(http)
    refused = http.post(path, json=case["valid"])
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"].startswith("Bearer")
    wrong = http.post(path, json=case["valid"], headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    assert dump(http) == before

    # invalid: 422 with the report, nothing written
    invalid = http.post(path, json=case["invalid"], headers=AUTH)
    assert invalid.status_code == 422, invalid.text
    problem = invalid.json()
    assert problem["type"].endswith("/validation-failed")
    assert not problem["report"]["conforms"]
    messages = [r["message"] for r in problem["report"]["results"] if r["severity"] == "Violation"]
    assert any(case["violation"] in m for m in messages), messages
    assert all(r["focus_node"] for r in problem["report"]["results"])
    assert dump(http) == before

    # valid: created, recorded, readable
    created = http.post(path, json=case["valid"], headers=AUTH)
    assert created.status_code == 201, created.text
    result = created.json()
    assert result["id"] == case["iri"]
    assert result["action"] == "created"
    assert created.headers["location"] == f"{path}/{case['slug']}"
    assert recorded(http, result["graph"], case["iri"])
    read = http.get(created.headers["location"])
    assert read.status_code == 200
    assert read.json()["labels"] == case["valid"]["labels"]
    assert http.post(path, json=case["valid"], headers=AUTH).status_code == 409

    # replace and patch
    replaced = http.put(f"{path}/{case['slug']}", json=case["replace"], headers=AUTH)
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["action"] == "replaced"
    assert replaced.json()["removed"] > 0
    assert recorded(http, replaced.json()["graph"], case["iri"])
    assert ask(  # what the replacement removed is described in its batch, not asserted
        http,
        f"ASK {{ GRAPH <{replaced.json()['graph']}> {{ ?r a rdf:Statement ; "
        f"rdf:subject ?s ; dcterms:isPartOf <{result['graph']}> }} }}",
    )
    patched = http.patch(f"{path}/{case['slug']}", json=case["patch"], headers=AUTH)
    assert patched.status_code == 200, patched.text
    after_patch = http.get(f"{path}/{case['slug']}").json()
    for field, value in case["patch"].items():
        assert short(after_patch[field]) == short(value)
    for field in case["replace"]:
        if field not in case["patch"] and field != "partners":
            assert short(after_patch[field]) == short(case["replace"][field]), field

    # an invalid patch changes nothing
    before = dump(http)
    assert (
        http.patch(f"{path}/{case['slug']}", json={"labels": None}, headers=AUTH).status_code == 422
    )
    assert dump(http) == before

    # delete; then the resource is gone, and its IRI says so
    deleted = http.delete(f"{path}/{case['slug']}", headers=AUTH)
    assert deleted.status_code == 200, deleted.text
    assert deleted.json()["action"] == "deleted"
    assert recorded(http, deleted.json()["graph"], case["iri"])
    assert http.get(f"{path}/{case['slug']}").status_code == 404
    gone = http.get("/id/" + case["iri"][len(ID) :])
    assert gone.status_code == 410
    assert deleted.json()["graph"] in gone.json()["detail"]
    assert http.delete(f"{path}/{case['slug']}", headers=AUTH).status_code == 404


def test_delete_refused_while_referenced_unless_cascade(http: httpx.Client) -> None:
    before = dump(http)
    refused = http.delete("/api/v1/actors/municipality-of-palermo", headers=AUTH)
    assert refused.status_code == 409
    problem = refused.json()
    assert "palermo-migrant-council-consultation" in problem["detail"]
    assert "?cascade=true" in problem["detail"]
    assert {r["partnership"] for r in problem["references"] if r["partnership"]} == {
        ID + "partnership/palermo-migrant-council-consultation"
    }
    assert dump(http) == before
    cascaded = http.delete(
        "/api/v1/actors/municipality-of-palermo", params={"cascade": "true"}, headers=AUTH
    )
    assert cascaded.status_code == 200, cascaded.text
    assert cascaded.json()["deleted"] == [ID + "partnership/palermo-migrant-council-consultation"]
    assert http.get("/api/v1/partnerships/palermo-migrant-council-consultation").status_code == 404
    assert http.get("/api/v1/actors", params={"city": "palermo"}).json()["total"] == 1


def test_cascade_that_would_break_a_project_is_refused(http: httpx.Client) -> None:
    before = dump(http)
    response = http.delete("/api/v1/actors/iom", params={"cascade": "true"}, headers=AUTH)
    assert response.status_code == 422
    assert "implementer" in response.json()["detail"]
    assert dump(http) == before


def test_editing_a_seed_entity_keeps_its_sources(http: httpx.Client) -> None:
    response = http.patch(
        "/api/v1/actors/iom",
        json={"labels": {"it": "Organizzazione internazionale per le migrazioni"}},
        headers=AUTH,
    )
    assert response.status_code == 200
    iom = http.get("/api/v1/actors/iom").json()
    assert iom["labels"]["en"] == "International Organization for Migration"
    graphs = {g["graph"].rsplit("/", 1)[-1] for g in iom["provenance"]}
    assert "study-2020-mpi-press-release" in graphs
    assert any(g.startswith("api-") for g in graphs)


def test_writes_are_refused_when_no_token_is_configured(
    live_server_factory: Any, settings_factory: Any
) -> None:
    url = live_server_factory(settings_factory(api_token=None, load_seeds=True))
    response = httpx.post(
        f"{url}/api/v1/actors",
        json=WRITES["actors"]["valid"],
        headers=AUTH,
        timeout=60,
    )
    assert response.status_code == 403
    assert "IKG_API_TOKEN" in response.json()["detail"]
