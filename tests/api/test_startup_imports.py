"""Start-up does not import the heavy libraries: they load with the routes that need them.

Issue 3 wants ``ikg serve`` ready in under five seconds on a fresh data directory
(``python -m bench.startup`` measures it; docs/benchmarks.md, "Start-up"). Most of what
used to stand between the process start and a green ``/health`` was importing networkx,
numpy and scipy only to register the analytics and export routes. These tests pin that
down without timing anything: a fresh interpreter does what ``ikg serve`` does (imports
the CLI, ``create_app``, runs the lifespan on an empty on-disk store so the seeds load,
answers ``/health``) and then lists which of the heavy modules it imported.

rdflib is not in the list: ``inclusion_kg.graph.namespaces`` builds the closed ``IKG``
vocabulary on rdflib's ``DefinedNamespace``, so every entry point imports it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

HEAVY = (
    "networkx",
    "numpy",
    "scipy",
    "igraph",
    "networkit",
    "pyshacl",
    "owlready2",
    "openpyxl",
    "jinja2",
)
"""Libraries a start-up must not import (each is used by a few routes or commands only)."""

_SCRIPT = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path

    from fastapi.testclient import TestClient

    import inclusion_kg.api.cli  # what the ikg console script imports
    from inclusion_kg.api.app import create_app
    from inclusion_kg.graph.settings import Settings

    heavy = json.loads(sys.argv[2])
    settings = Settings(
        store="oxigraph", data_dir=Path(sys.argv[1]), load_seeds=True, api_token="t"
    )
    out = {}
    app = create_app(settings)
    out["after_create_app"] = [m for m in heavy if m in sys.modules]
    with TestClient(app) as client:
        health = client.get("/health")
        out["health"] = [health.status_code, health.json()["triples"]]
        out["after_health"] = [m for m in heavy if m in sys.modules]
        for path in sys.argv[3:]:
            out[path] = client.get(path).status_code
        out["after_routes"] = [m for m in heavy if m in sys.modules]
    print(json.dumps(out))
    """
)


def _start(tmp_path: Path, *paths: str) -> dict[str, object]:
    """Run the start-up in a fresh interpreter, then GET ``paths``; return what it saw."""
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(tmp_path / "store"), json.dumps(HEAVY), *paths],
        cwd=tmp_path,  # no .env from the working copy
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_start_up_imports_none_of_the_heavy_libraries(tmp_path: Path) -> None:
    seen = _start(tmp_path)
    assert seen["after_create_app"] == []
    health = seen["health"]
    assert isinstance(health, list)
    assert health[0] == 200
    assert health[1] > 0  # the ontology and the seeds were loaded by the lifespan
    assert seen["after_health"] == []


def test_the_analytics_and_export_routes_import_them_when_asked(tmp_path: Path) -> None:
    network = "/api/v1/analytics/network"
    graphml = "/api/v1/exports/network.graphml"
    seen = _start(tmp_path, network, graphml)
    assert seen["after_health"] == []
    assert seen[network] == 200
    assert seen[graphml] == 200
    after = seen["after_routes"]
    assert isinstance(after, list)
    assert {"networkx", "numpy"} <= set(after)
