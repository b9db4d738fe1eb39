"""The app in-process (TestClient): errors as problem details, auth, limits, health, metrics.

Protocol behaviour over real HTTP is in tests/integration/test_sparql_protocol.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient

from inclusion_kg.api.app import ROUTERS, create_app
from inclusion_kg.graph.errors import (
    BackendUnavailable,
    Conflict,
    Forbidden,
    IkgError,
    InputError,
    NotFound,
    QueryTimeout,
    ValidationFailed,
)
from inclusion_kg.graph.settings import Settings

PROBLEM = "application/problem+json"
UPDATE = {"Content-Type": "application/sparql-update"}


def _problem(response: object) -> dict[str, object]:
    assert response.headers["content-type"] == PROBLEM  # type: ignore[attr-defined]
    body: dict[str, object] = response.json()  # type: ignore[attr-defined]
    assert {"type", "title", "status", "detail", "instance"} <= body.keys()
    assert body["status"] == response.status_code  # type: ignore[attr-defined]
    assert "Traceback" not in str(body)
    return body


def test_landing_page_links_the_service(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert "inclusion-kg" in html
    for link in ('href="sparql"', 'href="docs"', 'href="health"'):
        assert link in html
    assert "<script" not in html
    assert "cdn" not in html.lower()


def test_health_reports_store_size_and_version(client: TestClient, auth: dict[str, str]) -> None:
    before = client.get("/health").json()
    assert before["status"] == "ok"
    assert before["store"] == "memory"
    assert before["triples"] == 0
    assert before["version"]
    client.post(
        "/update",
        content="INSERT DATA { GRAPH <http://g/1> { <http://a> <http://b> 1, 2, 3 } }",
        headers={**UPDATE, **auth},
    )
    assert client.get("/health").json()["triples"] == 3


def test_health_is_503_when_the_store_fails(client: TestClient) -> None:
    class Broken:
        def __len__(self) -> int:
            msg = "disk on fire"
            raise OSError(msg)

    client.app.dependency_overrides.clear()  # type: ignore[attr-defined]
    from inclusion_kg.api.deps import get_store

    client.app.dependency_overrides[get_store] = Broken  # type: ignore[attr-defined]
    response = client.get("/health")
    assert response.status_code == 503
    assert "disk on fire" in str(_problem(response)["detail"])


def test_metrics_count_requests_per_route_template(client: TestClient) -> None:
    client.get("/sparql", params={"query": "ASK {}"})
    client.get("/sparql", params={"query": "ASK {}"})
    client.get("/no/such/path")
    text = client.get("/metrics").text
    assert 'ikg_http_requests_total{method="GET",route="/sparql",status="200"} 2.0' in text
    assert 'ikg_http_requests_total{method="GET",route="unmatched",status="404"} 1.0' in text
    assert 'ikg_http_request_duration_seconds_count{method="GET",route="/sparql"} 2.0' in text
    assert "ikg_store_quads 0.0" in text
    assert "ikg_store_up 1.0" in text


def test_each_app_has_its_own_metrics_registry(settings: Settings) -> None:
    with TestClient(create_app(settings)) as first, TestClient(create_app(settings)) as second:
        first.get("/health")
        assert 'route="/health"' in first.get("/metrics").text
        assert 'route="/health"' not in second.get("/metrics").text


def test_update_without_token_is_401_with_bearer_challenge(client: TestClient) -> None:
    response = client.post("/update", content="CLEAR ALL", headers=UPDATE)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert "IKG_API_TOKEN" in str(_problem(response)["detail"])


def test_update_with_a_wrong_token_is_401(client: TestClient) -> None:
    response = client.post(
        "/update", content="CLEAR ALL", headers={**UPDATE, "Authorization": "Bearer nope"}
    )
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["www-authenticate"]


def test_writes_are_refused_when_no_token_is_configured(
    settings_factory: Callable[..., Settings],
) -> None:
    settings = settings_factory(api_token=None)
    with TestClient(create_app(settings)) as client:
        response = client.post(
            "/update", content="CLEAR ALL", headers={**UPDATE, "Authorization": "Bearer x"}
        )
        assert response.status_code == 403
        assert "set the IKG_API_TOKEN" in str(_problem(response)["detail"]).replace("Set", "set")
        # reads stay open
        assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200


def test_body_over_the_limit_is_413(
    settings_factory: Callable[..., Settings], auth: dict[str, str]
) -> None:
    settings = settings_factory(max_upload_bytes=1000)
    body = "<http://a> <http://b> " + '"' + "x" * 2000 + '" .'
    with TestClient(create_app(settings)) as client:
        response = client.post(
            "/store",
            params={"graph": "http://g/big"},
            content=body,
            headers={"Content-Type": "application/n-triples", **auth},
        )
        assert response.status_code == 413
        assert "1,000 bytes" in str(_problem(response)["detail"])
        assert client.get("/health").json()["triples"] == 0


def test_chunked_body_over_the_limit_is_413(settings_factory: Callable[..., Settings]) -> None:
    """Without Content-Length the body is counted as it arrives."""
    settings = settings_factory(max_upload_bytes=1000)

    def chunks() -> Iterator[bytes]:
        for _ in range(10):
            yield b"query=" + b"x" * 200

    with TestClient(create_app(settings)) as client:
        response = client.post(
            "/sparql",
            content=chunks(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert response.status_code == 413
        _problem(response)


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (InputError("bad turtle at line 3"), 400),
        (ValidationFailed("2 violations"), 422),
        (NotFound("no such actor"), 404),
        (Conflict("still referenced"), 409),
        (Forbidden("LOAD of http://x is not allowed"), 403),
        (QueryTimeout("ran past 30 s"), 503),
        (BackendUnavailable("remote endpoint down"), 503),
        (IkgError("something else"), 500),
    ],
)
def test_library_errors_become_problem_details(
    settings: Settings, error: Exception, status: int
) -> None:
    app = create_app(settings)
    router = APIRouter()

    @router.get("/boom")
    def boom() -> None:
        raise error

    app.include_router(router)
    with TestClient(app) as client:
        response = client.get("/boom")
    assert response.status_code == status
    body = _problem(response)
    assert body["detail"] == str(error)
    assert body["instance"] == "/boom"


def test_validation_failed_carries_its_report(settings: Settings) -> None:
    from dataclasses import dataclass

    @dataclass
    class Report:
        conforms: bool
        results: list[str]

    app = create_app(settings)

    @app.get("/invalid")
    def invalid() -> None:
        msg = "1 violation"
        raise ValidationFailed(msg, Report(False, ["ikg:basedIn missing"]))  # type: ignore[arg-type]

    with TestClient(app) as client:
        body = _problem(client.get("/invalid"))
    assert body["report"] == {"conforms": False, "results": ["ikg:basedIn missing"]}


def test_unexpected_errors_are_500_without_a_traceback(settings: Settings) -> None:
    app = create_app(settings)

    @app.get("/crash")
    def crash() -> None:
        msg = "secret internal state"
        raise RuntimeError(msg)

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/crash")
    assert response.status_code == 500
    body = _problem(response)
    assert "secret internal state" not in response.text
    assert body["title"] == "Internal Server Error"


def test_request_validation_errors_are_422_problems(settings: Settings) -> None:
    app = create_app(settings)

    @app.get("/typed")
    def typed(n: int) -> int:
        return n

    with TestClient(app) as client:
        response = client.get("/typed", params={"n": "three"})
    assert response.status_code == 422
    body = _problem(response)
    assert body["errors"][0]["loc"] == ["query", "n"]  # type: ignore[index]


def test_unknown_path_and_wrong_method_are_problems(client: TestClient) -> None:
    assert _problem(client.get("/nowhere"))["status"] == 404
    response = client.get("/update")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    _problem(response)


def test_openapi_documents_the_protocol_routes(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/sparql", "/update", "/store", "/health", "/metrics"} <= spec["paths"].keys()
    assert ROUTERS[:5] == ("sparql", "home", "health", "update", "store")
    assert "HTTPBearer" in spec["components"]["securitySchemes"]


@pytest.mark.parametrize(
    ("page", "script"), [("/docs", "swagger-ui-bundle.js"), ("/redoc", "redoc.standalone.js")]
)
def test_api_docs_load_nothing_from_a_cdn(client: TestClient, page: str, script: str) -> None:
    html = client.get(page).text
    assert f"/docs/assets/{script}" in html
    assert "cdn" not in html.lower()
    assert "fonts.googleapis" not in html
    asset = client.get(f"/docs/assets/{script}")
    assert asset.status_code == 200
    assert len(asset.content) > 100_000


def test_results_past_max_rows_are_cut_and_say_so(
    settings_factory: Callable[..., Settings], auth: dict[str, str]
) -> None:
    settings = settings_factory(max_rows=2)
    with TestClient(create_app(settings)) as client:
        client.post(
            "/update",
            content="INSERT DATA { GRAPH <http://g/1> { <http://a> <http://b> 1, 2, 3 } }",
            headers={**UPDATE, **auth},
        )
        cut = client.get(
            "/sparql",
            params={"query": "SELECT ?o { ?s ?p ?o } ORDER BY ?o"},
            headers={"Accept": "text/csv"},
        )
        assert cut.text == "o\r\n1\r\n2\r\n"
        assert cut.headers["ikg-result-truncated"] == "true"
        whole = client.get(
            "/sparql",
            params={"query": "SELECT ?o { ?s ?p ?o } ORDER BY ?o LIMIT 2"},
            headers={"Accept": "text/csv"},
        )
        assert "ikg-result-truncated" not in whole.headers


def test_service_and_load_of_a_url_are_refused_with_403(
    client: TestClient, auth: dict[str, str]
) -> None:
    """DESIGN: no request makes the server fetch a URL it was handed (none allow-listed)."""
    query = client.get(
        "/sparql",
        params={"query": "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"},
    )
    assert query.status_code == 403
    assert "IKG_ALLOWED_URLS" in _problem(query)["detail"]
    update = client.post(
        "/update", content="LOAD <http://example.org/data.ttl>", headers={**UPDATE, **auth}
    )
    assert update.status_code == 403
    _problem(update)
