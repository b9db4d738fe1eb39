"""``ikg serve`` as a user runs it: a subprocess on a fresh data dir, driven over HTTP.

The fixtures (``ikg_serve``, ``ikg_serve_factory``) yield ``conftest.ServeProcess``
objects, typed ``Any`` here because conftest modules are not importable.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.integration


@pytest.fixture
def web() -> Iterator[httpx.Client]:
    """A client with a generous timeout: a first write validates, slow on a busy machine."""
    with httpx.Client(timeout=120) as client:
        yield client


ONTOLOGY_GRAPH = "https://w3id.org/inclusion-kg/graph/ontology"
EX = "http://example.org/"


def test_serve_starts_seeded_on_a_fresh_data_dir(ikg_serve: Any, web: httpx.Client) -> None:
    url = ikg_serve.url
    health = web.get(f"{url}/health").json()
    assert health["status"] == "ok"
    assert health["store"] == "oxigraph"
    assert health["triples"] > 0
    assert (ikg_serve.data_dir).is_dir()
    ask = web.get(
        f"{url}/sparql",
        params={"query": f"ASK {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} }}"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert ask.json()["boolean"] is True
    assert web.get(url).status_code == 200
    assert "ikg_store_quads" in web.get(f"{url}/metrics").text


def test_serve_writes_need_the_token_and_survive_a_restart(
    ikg_serve_factory: Callable[[Path], Any], tmp_path: Path, web: httpx.Client
) -> None:
    data_dir = tmp_path / "data"
    first = ikg_serve_factory(data_dir)
    url = first.url
    token = {"Authorization": f"Bearer {first.token}"}
    body = f"<{EX}a> <{EX}b> <{EX}c> ."
    params = {"graph": f"{EX}kept"}
    turtle = {"Content-Type": "text/turtle"}
    assert web.put(f"{url}/store", params=params, content=body, headers=turtle).status_code == 401
    assert (
        web.put(
            f"{url}/store", params=params, content=body, headers={**turtle, **token}
        ).status_code
        == 201
    )
    size = web.get(f"{url}/health").json()["triples"]
    # uvicorn shuts down gracefully on SIGTERM, then re-raises it to exit as killed by it
    assert first.stop() in {0, -signal.SIGTERM}

    second = ikg_serve_factory(data_dir)
    url = second.url
    kept = web.get(f"{url}/store", params=params, headers={"Accept": "application/n-triples"})
    assert kept.status_code == 200
    assert f"<{EX}a> <{EX}b> <{EX}c> .\n" in kept.text
    # seeds are not loaded a second time into a store that has data
    assert web.get(f"{url}/health").json()["triples"] == size


def test_a_second_server_on_the_same_data_dir_fails_with_one_line(
    ikg_serve: Any,
) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("IKG_")}
    ikg = str(Path(sys.executable).with_name("ikg"))
    completed = subprocess.run(
        [ikg, "serve", "--port", "0", "--data-dir", str(ikg_serve.data_dir)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 1
    assert "in use by another process" in completed.stderr
    assert "Traceback" not in completed.stderr
