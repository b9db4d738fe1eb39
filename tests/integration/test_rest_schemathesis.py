"""Schemathesis against ``/openapi.json`` of a real server: the REST routes never answer with a
server error, and every answer fits what the OpenAPI description promises (status codes,
content types, JSON schemas).

Bounded: a few examples per operation (the OpenAPI examples first, then generated ones),
no shrinking, no example database. Reads get positive and negative data (invalid
parameters must be a documented 4xx); writes send the bearer token with positive data — a
write the shapes refuse is a documented 422, and a refused delete a documented 409. The
checks are ``not_a_server_error``, ``status_code_conformance``,
``content_type_conformance`` and ``response_schema_conformance``.
"""

from __future__ import annotations

import time

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from inclusion_kg.graph.settings import Settings

pytestmark = pytest.mark.integration

ROUTES = (
    r"^/(api/v1/(actors|councils|cities|countries|partnerships|projects|services|documents"
    r"|vocabularies|imports|context)|id/|vocab/)"
)
AUTH = {"Authorization": "Bearer test-token"}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 6
TIME_LIMIT = 600.0
"""Seconds the whole run may take (it stops generating after that and fails)."""


@pytest.fixture
def settings(seeded_settings: Settings) -> Settings:
    return seeded_settings


def test_rest_api_conforms_to_its_openapi(live_server: str) -> None:
    schema = schemathesis.openapi.from_url(f"{live_server}/openapi.json").include(path_regex=ROUTES)
    started = time.monotonic()
    tested: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        assert time.monotonic() - started < TIME_LIMIT, f"over {TIME_LIMIT:.0f} s at {tested}"
        modes = (
            [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
            if operation.method.upper() == "GET"
            else [GenerationMode.POSITIVE]
        )
        for mode in modes:

            @given(case=operation.as_strategy(generation_mode=mode))
            @hypothesis_settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def run(case: schemathesis.Case) -> None:
                case.call_and_validate(base_url=live_server, headers=AUTH, checks=CHECKS)

            try:
                run()
            except Unsatisfiable:
                # no parameters to make invalid (GET /api/v1/vocabularies, the context…)
                assert mode is GenerationMode.NEGATIVE
        tested.append(f"{operation.method.upper()} {operation.path}")
    assert len(tested) >= 40, tested
    assert "GET /api/v1/actors" in tested
    assert "POST /api/v1/partnerships" in tested
    assert "GET /id/{kind}/{name}" in tested
