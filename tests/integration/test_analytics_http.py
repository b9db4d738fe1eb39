"""The same filters over HTTP and through ``ikg analyze --format json`` give the same numbers.

The CLI runs as a subprocess (``ikg analyze --format json --data-dir D``) on an on-disk
store; then a server opens the same directory (the store is locked by one process at a
time, so never both at once) and answers ``/api/v1/analytics``. Compared: the network's
size and cohesion, every actor's metrics, every city's indicators. On the hand-made
Testville graph and on the seeds (served by the real ``ikg serve``). Then a write-back
over HTTP and a SPARQL query on ``/sparql`` that finds the measurements.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from inclusion_kg.graph.settings import Settings
from inclusion_kg.graph.store.oxigraph import OxigraphStore

TESTVILLE = Path(__file__).parents[1] / "network" / "data" / "testville.trig"
API = "/api/v1/analytics"
TOKEN = "test-token"  # noqa: S105 - the root conftest's test token
TIMEOUT = 300
NODE_METRICS = (
    "strength",
    "degree",
    "pagerank",
    "eigenvector",
    "betweenness",
    "community",
    "core",
    "articulation_point",
    "constraint",
    "effective_size",
)

# (query parameters, the same filters as ikg analyze options)
FILTERS: list[tuple[dict[str, Any], list[str]]] = [
    ({"as_of": "2020-01-01"}, ["--as-of", "2020-01-01"]),
    (
        {"city": "Testville", "as_of": "2020-01-01"},
        ["--city", "Testville", "--as-of", "2020-01-01"],
    ),
    ({"formal_only": "true", "min_sources": 2}, ["--formal-only", "--min-sources", "2"]),
    ({"from": 2018, "to": 2019}, ["--from", "2018", "--to", "2019"]),
    (
        {"country": "IT", "policy_area": ["housing", "language"]},
        [
            "--country",
            "IT",
            "--policy-area",
            "housing",
            "--policy-area",
            "language",
        ],
    ),
    (
        {"actor_type": ["PublicAuthority", "NGO", "migrant-council"], "as_of": "2021-06-30"},
        [
            "--actor-type",
            "PublicAuthority",
            "--actor-type",
            "NGO",
            "--actor-type",
            "migrant-council",
            "--as-of",
            "2021-06-30",
        ],
    ),
    ({"layer": "funding", "as_of": "2018-06-01"}, ["--layer", "funding", "--as-of", "2018-06-01"]),
    ({"layer": "services"}, ["--layer", "services"]),
]


def _ikg() -> str:
    candidate = Path(sys.executable).with_name("ikg")
    return str(candidate) if candidate.exists() else "ikg"


def cli(data_dir: Path, options: list[str]) -> dict[str, Any]:
    """``ikg analyze --format json`` on ``data_dir``, without the developer's IKG_* settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("IKG_")}
    env["IKG_LOAD_SEEDS"] = "false"
    done = subprocess.run(
        [_ikg(), "analyze", "--format", "json", "--data-dir", str(data_dir), *options],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def same(found: Any, want: Any) -> bool:
    """Equal, floats to 1e-12 relative (1e-15 absolute), None only to None."""
    if want is None or found is None:
        return found is want
    if isinstance(want, float):
        return bool(found == pytest.approx(want, rel=1e-12, abs=1e-15))
    return bool(found == want)


def http_results(client: httpx.Client, params: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for path, extra in (
        ("/network", {}),
        ("/actors", {"limit": 1000, "sort": "id"}),
        ("/cities", {}),
    ):
        response = client.get(API + path, params={**params, **extra})
        assert response.status_code == 200, response.text
        out[path] = response.json()
    return out


def assert_same(http: dict[str, Any], ikg: dict[str, Any]) -> None:
    """Every number the two report in common is the same."""
    summary, metrics, network = http["/network"], ikg["metrics"], ikg["network"]
    for key in ("nodes", "edges", "components", "largest_component", "isolates"):
        assert summary[key] == metrics["summary"][key], key
    for key in ("density", "total_strength"):
        assert same(summary[key], metrics["summary"][key]), key
    assert summary["partnerships"] == network["partnerships"]
    assert summary["ties_below_min_sources"] == network["ties_below_min_sources"]
    assert summary["reference_date"] == network["reference_date"]
    assert summary["layer"] == network["layer"]
    assert summary["communities"] == len(metrics["communities"])
    assert same(summary["modularity"], metrics["modularity"])
    assert summary["bridges"] == len(metrics["bridges"])
    assert summary["articulation_points"] == len(metrics["articulation_points"])
    assert same(summary["assortativity"], metrics["assortativity"])
    for key in ("ties", "cross", "share", "weighted_share", "ei_index", "by_sector_pair"):
        assert same(summary["cross_sector"][key], metrics["cross_sector"][key]), key
    assert summary["backends"] == {k: v["backend"] for k, v in metrics["methods"].items()}

    actors = http["/actors"]
    assert actors["total"] == len(metrics["nodes"])
    assert {a["id"] for a in actors["items"]} == set(metrics["nodes"])
    for item in actors["items"]:
        expected = metrics["nodes"][item["id"]]
        for name in NODE_METRICS:
            assert same(item[name], expected[name]), (item["id"], name, item[name])

    cities = {c["city"]: c for c in http["/cities"]["items"]}
    assert set(cities) == set(ikg["indicators"])
    for iri, expected in ikg["indicators"].items():
        found = cities[iri]
        assert found["coverage"] == expected["coverage"]
        assert found["migrant_participation"] == expected["migrant_participation"]
        civil, want = found["civil_society"], expected["civil_society"]
        assert (civil["ties"], civil["public_civil_ties"]) == (
            want["ties"],
            want["public_civil_ties"],
        )
        assert [tuple(p) for p in civil["pairs"]] == [tuple(p) for p in want["pairs"]]
        for key in ("share", "mean_strength", "mean_equality", "eye_to_eye_share"):
            assert same(civil[key], want[key]), (iri, key)
        density = ikg["metrics"]["density_by_city"].get(iri)
        if density is None:
            assert found["density"] is None
        else:
            assert found["density"]["ties"] == density["ties"]
            assert same(found["density"]["density"], density["density"])


@pytest.fixture
def testville_dir(tmp_path: Path) -> Path:
    data_dir = tmp_path / "store"
    settings = Settings(_env_file=None, store="oxigraph", data_dir=data_dir, load_seeds=False)  # type: ignore[call-arg]
    store = OxigraphStore.on_disk(data_dir, settings)
    try:
        store.load(TESTVILLE.read_bytes(), "application/trig")
    finally:
        store.close()
    return data_dir


def test_same_numbers_over_http_and_cli_on_testville(
    testville_dir: Path, live_server_factory: Callable[[Settings], str]
) -> None:
    from_cli = [cli(testville_dir, options) for _, options in FILTERS]
    cli_explain = cli(testville_dir, ["--as-of", "2020-01-01", "--explain", "a", "NGO Alpha"])
    cli_compare = cli(testville_dir, ["--compare", "2018-06-01", "2020-01-01"])
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        store="oxigraph",
        data_dir=testville_dir,
        load_seeds=False,
        api_token=TOKEN,
        query_timeout=60.0,
    )
    url = live_server_factory(settings)
    with httpx.Client(base_url=url, timeout=TIMEOUT) as client:
        for (params, options), expected in zip(FILTERS, from_cli, strict=True):
            found = http_results(client, params)
            assert found["/network"]["edges"] == expected["network"]["edges"], options
            assert_same(found, expected)
        # explain and compare agree with the CLI's too
        explained = client.get(
            API + "/explain", params={"a": "a", "b": "NGO Alpha", "as_of": "2020-01-01"}
        ).json()
        compared = client.get(
            API + "/compare", params={"a": "2018-06-01", "b": "2020-01-01"}
        ).json()
    want = cli_explain["explain"]
    assert (explained["source"], explained["target"]) == (want["source"], want["target"])
    assert same(explained["strength"], want["score"])
    assert explained["components"] == pytest.approx(want["components"], rel=1e-12)
    assert [p["iri"] for p in explained["partnerships"]] == list(want["partnerships"])
    change = cli_compare["compare"]
    for key in ("formed", "dissolved", "persisted"):
        assert compared["counts"][key] == len(change[key])
        pairs = [(t["source"], t["target"]) for t in compared[key]]
        assert pairs == [(t["source"], t["target"]) for t in change[key]]
    assert (compared["counts"]["formed"], compared["counts"]["dissolved"]) == (4, 1)


def test_same_numbers_over_http_and_cli_on_the_seeds(ikg_serve: Any) -> None:
    """The real ``ikg serve`` (it seeds the empty store), then ``ikg analyze`` on its directory."""
    seeds_filters: list[tuple[dict[str, Any], list[str]]] = [
        ({}, []),
        ({"city": "palermo"}, ["--city", "palermo"]),
        ({"as_of": "2020-05-28", "country": "PL"}, ["--as-of", "2020-05-28", "--country", "PL"]),
    ]
    with httpx.Client(base_url=ikg_serve.url, timeout=TIMEOUT) as client:
        found = [http_results(client, params) for params, _ in seeds_filters]
        # write-back over HTTP, then SPARQL finds the measurements
        response = client.post(API + "/runs", headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 201, response.text
        run = response.json()
        query = f"""PREFIX ikg: <https://w3id.org/inclusion-kg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT (COUNT(?m) AS ?n) WHERE {{
  GRAPH <https://w3id.org/inclusion-kg/graph/analytics> {{
    ?m ikg:measure ?what ; ikg:measuredEntity ?x ; prov:wasGeneratedBy <{run["run"]}> }} }}"""
        answer = client.post(
            "/sparql",
            data={"query": query},
            headers={"Accept": "application/sparql-results+json"},
        )
        assert answer.status_code == 200, answer.text
        count = int(answer.json()["results"]["bindings"][0]["n"]["value"])
        assert count == run["measurements"] > 0
        top = client.post(
            "/sparql",
            data={"query": run["sparql"]},
            headers={"Accept": "application/sparql-results+json"},
        ).json()["results"]["bindings"]
        assert top
    ikg_serve.stop()  # the store is locked by one process at a time
    for (_, options), http in zip(seeds_filters, found, strict=True):
        assert_same(http, cli(ikg_serve.data_dir, options))
