"""``/api/v1/analytics`` in process (TestClient) on Testville and on the seeds.

Expected values are those derived by hand in test_metrics.py, test_strength.py,
test_indicators.py and test_cli_analyze.py (tests/network/data/testville.trig): as of
2020-01-01 the network has 10 actors and 7 ties (P2 ended in 2018), A-B has strength
0.7625, A is the only broker, Testville covers 6 of 14 policy areas and its council has a
budget and initiative right.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from inclusion_kg.api.app import create_app
from inclusion_kg.graph.settings import Settings
from inclusion_kg.graph.store.oxigraph import OxigraphStore

DATA = Path(__file__).parent / "data"
A = "https://w3id.org/inclusion-kg/id/actor/"
CITY = "https://w3id.org/inclusion-kg/id/city/"
API = "/api/v1/analytics"
AS_OF = {"as_of": "2020-01-01"}
TOKEN = "test-token"  # noqa: S105 - the root conftest's test token
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def _testville_settings(tmp_path: Path) -> Settings:
    data_dir = tmp_path / "store"
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        store="oxigraph",
        data_dir=data_dir,
        api_token=TOKEN,
        load_seeds=False,
        query_timeout=30.0,
    )
    store = OxigraphStore.on_disk(data_dir, settings)
    try:
        store.load((DATA / "testville.trig").read_bytes(), "application/trig")
    finally:
        store.close()
    return settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Overrides the root fixture: an on-disk store holding Testville only."""
    return _testville_settings(tmp_path)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One client over Testville for the read-only tests (the cache is shared too)."""
    settings = _testville_settings(tmp_path_factory.mktemp("testville"))
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def get(client: TestClient, path: str, **params: object) -> dict:
    response = client.get(API + path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def problem(client: TestClient, path: str, status: int, **params: object) -> dict:
    response = client.get(API + path, params=params)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return response.json()


# --- the network ------------------------------------------------------------------------


def test_index_lists_routes_and_sort_keys(shared: TestClient) -> None:
    index = get(shared, "")
    assert set(index["routes"]) >= {"network", "actors", "cities", "explain", "compare", "runs"}
    assert "-betweenness" in index["sort_keys"]
    assert "min_sources" in index["filters"]


def test_network_summary(shared: TestClient) -> None:
    summary = get(shared, "/network", **AS_OF)
    assert (summary["nodes"], summary["edges"]) == (10, 7)
    assert summary["density"] == pytest.approx(7 / 45)
    # {A, B, C, D, E2, F}, {G, H}, {E}, {I}
    assert (summary["components"], summary["largest_component"], summary["isolates"]) == (4, 6, 2)
    assert summary["articulation_points"] == 2  # A (E2, F) and, without A-C, B (C)
    assert summary["reference_date"] == "2020-01-01"
    assert summary["backends"]["betweenness"] == "networkx"
    assert summary["methods"]["betweenness"]["exact"] is True
    assert summary["filters"]["as_of"] == "2020-01-01"
    assert summary["filters"]["layer"] == "partnerships"
    assert summary["links"]["actors"].endswith("/actors?as_of=2020-01-01")


@pytest.mark.parametrize(
    ("params", "edges"),
    [
        ({"city": "Otherburg"}, 1),  # G-H only
        ({"formal_only": "true", "min_sources": 2}, 1),  # P1 (A-B): formal, d1 + d2
        ({"layer": "services"}, 1),  # B and D provide S1
        ({"as_of": "2018-06-01"}, 4),  # A-B, A-C, A-E2, A-F
        ({"from": 2019, "to": 2019}, 7),
        ({"country": "PL"}, 1),
        ({"actor_type": "NGO", "as_of": "2020-01-01"}, 0),
        ({"policy_area": "housing"}, 1),  # P1
    ],
)
def test_filters(shared: TestClient, params: dict, edges: int) -> None:
    summary = get(shared, "/network", **params)
    assert summary["edges"] == edges
    echoed = summary["filters"]
    for key, value in params.items():
        if key in {"city", "country", "policy_area", "actor_type"}:
            assert echoed[key] == [value]
        elif key == "formal_only":
            assert echoed[key] is True
        else:
            assert str(echoed[key]) == str(value)


# --- actors: sorting and paging ----------------------------------------------------------


def short(iri: str) -> str:
    return iri.removeprefix(A)


def test_actors_sorted_by_any_metric(shared: TestClient) -> None:
    page = get(shared, "/actors", sort="-betweenness", **AS_OF)
    assert page["total"] == 10
    assert short(page["items"][0]["id"]) == "a"
    # A lies between E2 or F and everyone else: 7 pairs, normalised by 2/((n-1)(n-2))
    assert page["items"][0]["betweenness"] == pytest.approx(7 * 2 / 72)
    assert page["items"][1]["betweenness"] == pytest.approx(4 * 2 / 72)  # B: C's only way
    ascending = get(shared, "/actors", sort="betweenness", **AS_OF)
    assert [short(x["id"]) for x in ascending["items"][-2:]] == ["b", "a"]
    # the others broker nothing: ties broken by IRI, ascending, in both directions
    zeros = [short(x["id"]) for x in ascending["items"][:-2]]
    assert zeros == ["c", "d", "e", "e2", "f", "g", "h", "i"]
    by_strength = get(shared, "/actors", sort="-strength", **AS_OF)["items"]
    strengths = [x["strength"] for x in by_strength]
    assert strengths == sorted(strengths, reverse=True)
    by_label = [x["label"] for x in get(shared, "/actors", sort="label", **AS_OF)["items"]]
    assert by_label == sorted(by_label, key=str.casefold)


def test_actors_without_a_value_come_last(shared: TestClient) -> None:
    # isolates E and I have no constraint, whichever the direction
    for sort in ("constraint", "-constraint"):
        items = get(shared, "/actors", sort=sort, **AS_OF)["items"]
        assert [short(x["id"]) for x in items[-2:]] == ["e", "i"]
        assert items[-1]["constraint"] is None
    # C (on B), E2, F (on A), G and H (on each other) have one partner: constraint 1
    top = get(shared, "/actors", sort="-constraint", limit=5, **AS_OF)["items"]
    assert [short(x["id"]) for x in top] == ["c", "e2", "f", "g", "h"]
    assert [x["constraint"] for x in top] == pytest.approx([1.0] * 5)


def test_paging_follows_next_links(shared: TestClient) -> None:
    page = get(shared, "/actors", sort="-strength", limit=3, **AS_OF)
    seen = [x["id"] for x in page["items"]]
    assert page["prev"] is None
    pages = 1
    while page["next"]:
        query = parse_qs(urlsplit(page["next"]).query)
        assert query["as_of"] == ["2020-01-01"]  # the filters travel with the link
        assert query["sort"] == ["-strength"]
        response = shared.get(page["next"])
        assert response.status_code == 200
        assert 'rel="prev"' in response.headers["link"]
        page = response.json()
        seen.extend(x["id"] for x in page["items"])
        pages += 1
        assert pages < 10
    assert pages == 4
    assert len(seen) == len(set(seen)) == 10
    everything = get(shared, "/actors", sort="-strength", limit=1000, **AS_OF)
    assert seen == [x["id"] for x in everything["items"]]
    assert everything["next"] is None


def test_actor_rows_carry_attributes(shared: TestClient) -> None:
    items = get(shared, "/actors", sort="id", limit=1000, **AS_OF)["items"]
    f = next(x for x in items if short(x["id"]) == "f")
    assert f["actor_type"] == "MigrantCouncil"
    assert f["sector"] == "civil-society"
    assert f["city"] == CITY + "testville"
    assert (f["degree"], f["core"], f["articulation_point"]) == (1, 1, False)
    assert f["constraint"] == pytest.approx(1.0)


# --- cities -------------------------------------------------------------------------------


def test_all_cities(shared: TestClient) -> None:
    cities = get(shared, "/cities", **AS_OF)
    by_iri = {c["city"]: c for c in cities["items"]}
    assert set(by_iri) == {CITY + "testville", CITY + "otherburg"}
    testville = by_iri[CITY + "testville"]
    # as of 2020 P2 (A-C, language) has ended: 5 of 14 areas; ties A-B, A-D, B-D, A-E2,
    # A-F, B-C, of which A-B and A-F join public and civil society; only A-B (P1) is
    # eye to eye; equality (0.875 + 0.5) / 2
    assert testville["coverage"]["share"] == pytest.approx(5 / 14)
    civil = testville["civil_society"]
    assert (civil["ties"], civil["public_civil_ties"]) == (6, 2)
    assert civil["eye_to_eye_share"] == pytest.approx(1 / 2)
    assert civil["mean_equality"] == pytest.approx(0.6875)
    assert testville["migrant_participation"]["score"] == 1.0
    assert testville["density"]["actors"] == 6
    otherburg = by_iri[CITY + "otherburg"]
    # H: a council without a budget (an "empty exercise"): (1 + 0 + 0) / 3
    assert otherburg["migrant_participation"]["score"] == pytest.approx(1 / 3)


@pytest.mark.parametrize("name", ["otherburg", "Otherburg", CITY + "otherburg"])
def test_one_city_by_slug_label_or_iri(shared: TestClient, name: str) -> None:
    city = get(shared, f"/cities/{name}", **AS_OF)
    assert city["city"] == CITY + "otherburg"
    assert city["coverage"]["share"] == pytest.approx(1 / 14)


def test_one_city_outside_the_city_filter(shared: TestClient) -> None:
    # the city filter narrows the network; the city asked for is still computed
    city = get(shared, "/cities/testville", city="Otherburg", **AS_OF)
    assert city["civil_society"]["ties"] == 0


def test_unknown_city_is_404(shared: TestClient) -> None:
    body = problem(shared, "/cities/atlantis", 404)
    assert "atlantis" in body["detail"]


# --- explain and compare -------------------------------------------------------------------


def test_explain_a_tie(shared: TestClient) -> None:
    tie = get(shared, "/explain", a=A + "a", b=A + "b", **AS_OF)
    assert tie["strength"] == pytest.approx(0.7625)
    assert tie["contributions"]["formality"] == pytest.approx(0.25)
    assert sum(tie["contributions"].values()) == pytest.approx(tie["strength"])
    assert [p["iri"].rsplit("/", 1)[-1] for p in tie["partnerships"]] == ["p1", "p3"]
    p1 = tie["partnerships"][0]
    assert (p1["formality_rank"], p1["equality_rank"], p1["start"]) == (4, 4, "2016-01-01")
    assert tie["n_sources"] == 3  # d1, d2 (P1) and d3 (P3)
    # slugs and labels name actors too, in either order
    again = get(shared, "/explain", a="NGO Alpha", b="a", **AS_OF)
    assert again["strength"] == tie["strength"]


def test_explain_404_and_422(shared: TestClient) -> None:
    assert "share no tie" in problem(shared, "/explain", 404, a="a", b="g", **AS_OF)["detail"]
    assert "no such actor" in problem(shared, "/explain", 404, a="a", b="nobody")["detail"]
    problem(shared, "/explain", 422, a="a", b=A + "a")
    problem(shared, "/explain", 422, a="a")  # b missing
    # P2 (A-C) ended in 2018: no tie as of 2020, a tie in 2018
    problem(shared, "/explain", 404, a="a", b="c", **AS_OF)
    assert get(shared, "/explain", a="a", b="c", as_of="2018-06-01")["n_partnerships"] == 1


def test_compare_two_dates(shared: TestClient) -> None:
    change = get(shared, "/compare", a="2018-06-01", b="2020-01-01")
    assert change["counts"]["formed"] == 4
    assert change["counts"]["dissolved"] == 1
    assert [(short(t["source"]), short(t["target"])) for t in change["dissolved"]] == [("a", "c")]
    assert change["summary_a"]["edges"] == 4
    assert change["summary_b"]["edges"] == 7
    cut = get(shared, "/compare", a="2018-06-01", b="2020-01-01", limit=1)
    assert (len(cut["formed"]), cut["counts"]["formed"], cut["truncated"]) == (1, 4, True)
    problem(shared, "/compare", 422, a="2018-06-01", b="2020-01-01", as_of="2019-01-01")
    problem(shared, "/compare", 422, a="2018-02-30", b="2020-01-01")


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"city": "Atlantis"}, "city"),
        ({"country": "Narnia"}, "country"),
        ({"policy_area": "astrology"}, "policy_area"),
        ({"actor_type": "Dragon"}, "actor_type"),
        ({"as_of": "2020-13-01"}, "as_of"),
        ({"as_of": "yesterday"}, "as_of"),
        ({"as_of": "2020-01-01", "from": 2019}, "as_of"),
        ({"from": 2021, "to": 2019}, "from"),
        ({"layer": "friendship"}, "layer"),
        ({"min_sources": -1}, "min_sources"),
        ({"lang": "e n"}, "lang"),
    ],
)
def test_bad_filters_are_422(shared: TestClient, params: dict, param: str) -> None:
    body = problem(shared, "/network", 422, **params)
    assert param in [error["loc"][-1] for error in body["errors"]]
    assert body["detail"]


def test_bad_paging_and_sort_are_422(shared: TestClient) -> None:
    assert "sort" in problem(shared, "/actors", 422, sort="-popularity")["detail"]
    problem(shared, "/actors", 422, limit=0)
    problem(shared, "/actors", 422, limit=1001)
    problem(shared, "/actors", 422, offset=-1)


def test_unknown_city_names_the_value(shared: TestClient) -> None:
    body = problem(shared, "/actors", 422, city=["Testville", "Atlantis"])
    assert "Atlantis" in body["detail"]
    assert "Testville" not in body["detail"]


# --- write-back ------------------------------------------------------------------------------


def test_runs_need_the_token(client: TestClient) -> None:
    response = client.post(API + "/runs", params=AS_OF)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    response = client.post(API + "/runs", params=AS_OF, headers={"Authorization": "Bearer x"})
    assert response.status_code == 401
    assert client.get(API + "/runs/latest").status_code == 404


def test_write_back_then_sparql_finds_it(client: TestClient) -> None:
    response = client.post(API + "/runs", params=AS_OF, headers=AUTH)
    assert response.status_code == 201, response.text
    run = response.json()
    assert run["graph"] == "https://w3id.org/inclusion-kg/graph/analytics"
    assert (run["nodes"], run["edges"], run["reference_date"]) == (10, 7, "2020-01-01")
    assert run["measurements"] > 100
    assert response.headers["location"] == API + "/runs/latest"
    answer = client.post(
        "/sparql",
        content=run["sparql"],
        headers={
            "Content-Type": "application/sparql-query",
            "Accept": "application/sparql-results+json",
        },
    )
    assert answer.status_code == 200, answer.text
    rows = answer.json()["results"]["bindings"]
    assert rows[0]["actor"]["value"] == A + "a"
    assert float(rows[0]["b"]["value"]) == pytest.approx(7 * 2 / 72)
    latest = client.get(API + "/runs/latest").json()
    assert latest["run"] == run["run"]
    assert latest["as_of"] == "2020-01-01"
    assert latest["measurements"] == run["measurements"]
    assert latest["parameters"]["filter"]["period"]["as_of"] == "2020-01-01"
    assert latest["parameters"]["methods"]["betweenness"]["backend"] == "networkx"


# --- the cache follows the store ---------------------------------------------------------------


def test_a_write_to_the_store_is_seen(client: TestClient) -> None:
    assert get(client, "/network", **AS_OF)["edges"] == 7
    assert get(client, "/network", **AS_OF)["edges"] == 7  # from the cache
    stats = client.app.state.analytics_cache.stats  # type: ignore[attr-defined]
    assert stats["analysis_hits"] >= 1
    update = """
    PREFIX ikg: <https://w3id.org/inclusion-kg/ontology#>
    PREFIX fm: <https://w3id.org/inclusion-kg/vocab/formality/>
    PREFIX p: <https://w3id.org/inclusion-kg/id/partnership/>
    PREFIX pp: <https://w3id.org/inclusion-kg/id/participation/>
    PREFIX actor: <https://w3id.org/inclusion-kg/id/actor/>
    INSERT DATA { GRAPH <https://w3id.org/inclusion-kg/graph/test-extra> {
      p:p8 a ikg:Partnership ; ikg:formality fm:informal ;
        ikg:hasParticipation pp:p8--g , pp:p8--i .
      pp:p8--g ikg:participant actor:g . pp:p8--i ikg:participant actor:i .
    } }"""
    response = client.post(
        "/update", content=update, headers={"Content-Type": "application/sparql-update", **AUTH}
    )
    assert response.status_code == 204, response.text
    summary = get(client, "/network", **AS_OF)
    assert summary["edges"] == 8  # G-I is new
    assert summary["isolates"] == 1


# --- OpenAPI -----------------------------------------------------------------------------------


def test_openapi_describes_the_routes_with_examples(shared: TestClient) -> None:
    spec = shared.get("/openapi.json").json()
    paths = spec["paths"]
    for path in ("/network", "/actors", "/cities", "/cities/{name}", "/explain", "/compare"):
        assert API + path in paths, path
    assert "post" in paths[API + "/runs"]
    schemas = spec["components"]["schemas"]
    assert schemas["NetworkSummary"]["examples"]
    assert schemas["ActorMetrics"]["examples"]
    names = {p["name"] for p in paths[API + "/actors"]["get"]["parameters"]}
    assert {"city", "as_of", "from", "to", "formal_only", "min_sources", "layer", "sort"} <= names


# --- the seeds -------------------------------------------------------------------------------


def test_seeded_network_and_councils(seeded_client: TestClient) -> None:
    summary = get(seeded_client, "/network")
    assert summary["nodes"] > 10
    assert summary["edges"] > 5
    for slug in ("palermo", "gdansk"):
        city = get(seeded_client, f"/cities/{slug}")
        participation = city["migrant_participation"]
        assert participation["council_exists"]
        assert participation["has_budget"]
        assert participation["score"] >= 2 / 3
    top = get(seeded_client, "/actors", sort="-strength", limit=5)
    assert len(top["items"]) == 5
    assert top["total"] == summary["nodes"]


def test_write_back_without_ties(client: TestClient) -> None:
    with_ties = client.post(API + "/runs", params=AS_OF, headers=AUTH).json()
    without = client.post(API + "/runs", params={**AS_OF, "ties": "false"}, headers=AUTH).json()
    # 7 ties x (weight, strength, 7 components) fewer measurements, and no ikg:Tie nodes
    assert with_ties["measurements"] - without["measurements"] == 7 * 9
    answer = client.post(
        "/sparql",
        content="ASK { ?t a <https://w3id.org/inclusion-kg/ontology#Tie> }",
        headers={
            "Content-Type": "application/sparql-query",
            "Accept": "application/sparql-results+json",
        },
    )
    assert answer.json()["boolean"] is False
