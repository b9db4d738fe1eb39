"""The OpenAPI description of the REST routes: complete, with examples, problems documented."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from inclusion_kg.api.app import create_app
from inclusion_kg.graph.settings import Settings

PREFIXES = (
    "/api/v1/actors",
    "/api/v1/councils",
    "/api/v1/cities",
    "/api/v1/countries",
    "/api/v1/partnerships",
    "/api/v1/projects",
    "/api/v1/services",
    "/api/v1/documents",
    "/api/v1/vocabularies",
    "/api/v1/imports",
    "/api/v1/context.jsonld",
    "/id/",
    "/vocab/",
)


def has_example(node: Any) -> bool:
    if isinstance(node, dict):
        if node.get("example") is not None or node.get("examples"):
            return True
        return any(has_example(value) for value in node.values())
    if isinstance(node, list):
        return any(has_example(value) for value in node)
    return False


def test_every_rest_operation_is_described_with_examples(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, store="memory", data_dir=tmp_path)  # type: ignore[call-arg]
    spec = TestClient(create_app(settings)).get("/openapi.json").json()
    components = spec["components"]["schemas"]
    operations = [
        (path, method, operation)
        for path, item in spec["paths"].items()
        if path.startswith(PREFIXES)
        for method, operation in item.items()
    ]
    assert len(operations) == 45
    for path, method, operation in operations:
        where = f"{method.upper()} {path}"
        assert operation.get("summary"), where
        assert operation.get("description"), where
        referenced = [
            components[ref.rsplit("/", 1)[-1]]
            for ref in _refs(operation)
            if ref.rsplit("/", 1)[-1] in components
        ]
        assert has_example(operation) or has_example(referenced), where
        responses = operation["responses"]
        if not path.startswith(("/id/", "/vocab/")) and not path.endswith(
            ("context.jsonld", "/template", "/example")
        ):
            assert "application/problem+json" in responses["422"]["content"], where
        if method in ("post", "put", "patch", "delete"):
            assert {"401", "403", "409", "422"} <= set(responses), where
            assert operation.get("security"), where


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []
