"""Fixtures for the export tests: the data, the GEXF 1.3 schema, the analytics' own numbers,
and graphology's GEXF parser (a second, independent reader run through Node).

- ``handmade``: a pyoxigraph store with tests/export/data/handmade.trig (values in its header)
- ``seeds``: the same with the shipped seed graphs
- ``gexf_schema``: the GEXF 1.3 XML schema from tests/export/data/gexf-1.3 (a copy of the
  published gexf.xsd, viz.xsd and dynamics.xsd; gexf.xsd imports the others by relative path)
- ``expected``: ``expected(runner, options)`` -> what the analytics compute for those options,
  independently of the export code (project_network + compute_metrics)
- ``graphology_read``: ``graphology_read([paths])`` -> ``{path: graph.export()}``, parsed by
  ``graphology-gexf`` in Node. The packages come from tests/export/node/package-lock.json
  (``npm ci`` on first use, under a file lock so parallel workers install once).
"""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from inclusion_kg.graph import resources
from inclusion_kg.graph.export import ExportOptions
from inclusion_kg.graph.network.metrics import compute_metrics
from inclusion_kg.graph.network.projection import OxigraphRunner, project_network
from inclusion_kg.graph.network.vocabulary import local_name

HERE = Path(__file__).parent
DATA = HERE / "data"
NODE_DIR = HERE / "node"
ACTOR = "https://w3id.org/inclusion-kg/id/actor/"


@pytest.fixture(scope="session")
def handmade() -> OxigraphRunner:
    runner = OxigraphRunner()
    runner.load((DATA / "handmade.trig").read_bytes(), "application/trig")
    return runner


@pytest.fixture(scope="session")
def seeds() -> OxigraphRunner:
    runner = OxigraphRunner()
    for resource in resources.seed_files():
        runner.load(resource.read_bytes(), "application/trig")
    return runner


@pytest.fixture(scope="session")
def gexf_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(DATA / "gexf-1.3" / "gexf.xsd")))


@pytest.fixture(scope="session")
def validate_gexf(gexf_schema: etree.XMLSchema) -> Callable[[bytes], etree._Element]:
    """``validate_gexf(data)``: parse, validate against GEXF 1.3, return the root element."""

    def validate(data: bytes) -> etree._Element:
        root = etree.fromstring(data)
        if not gexf_schema.validate(root):
            errors = "\n".join(str(e) for e in gexf_schema.error_log)
            pytest.fail(f"the GEXF does not validate against the GEXF 1.3 schema:\n{errors}")
        return root

    return validate


@dataclass
class Expected:
    """What the analytics computed: node attributes (metrics included) and edges."""

    nodes: dict[str, dict[str, Any]]
    edges: dict[frozenset[str], dict[str, Any]]
    labels: dict[str, str]


@pytest.fixture(scope="session")
def expected() -> Callable[[OxigraphRunner, ExportOptions], Expected]:
    def compute(runner: OxigraphRunner, options: ExportOptions) -> Expected:
        network = project_network(
            runner,
            options.network_filter,
            layer=options.layer,
            language=options.language,
            aggregate_units=options.aggregate_units,
        )
        metrics = compute_metrics(network.graph, options.metrics_config)
        nodes: dict[str, dict[str, Any]] = {}
        labels: dict[str, str] = {}
        for node, data in network.graph.nodes(data=True):
            values = {k: v for k, v in data.items() if v is not None and k != "label"}
            values.update({k: v for k, v in metrics.nodes[node].items() if v is not None})
            nodes[node] = values
            labels[node] = data["label"]
        edges: dict[frozenset[str], dict[str, Any]] = {}
        for a, b, data in network.graph.edges(data=True):
            values = dict(data)
            values["partnerships"] = data["partnerships"].split()
            evidence = network.ties[(a, b) if a < b else (b, a)]
            values["partnership_types"] = sorted(
                {local_name(t) for p in evidence.partnerships for t in p.types}
            )
            values["policy_areas"] = sorted(
                {local_name(t) for p in evidence.partnerships for t in p.areas}
            )
            values["partnership_labels"] = [
                p.label or local_name(p.iri) for p in evidence.partnerships
            ]
            edges[frozenset((a, b))] = values
        return Expected(nodes, edges, labels)

    return compute


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def graphology_read() -> Callable[[Sequence[Path]], dict[str, Any]]:
    node = shutil.which("node")
    npm = shutil.which("npm")
    if node is None or npm is None:
        pytest.fail(
            "Node.js and npm are needed to read GEXF with graphology-gexf "
            "(apt-get install nodejs npm)"
        )
    with _locked(NODE_DIR / ".install.lock"):
        if not (NODE_DIR / "node_modules" / "graphology-gexf" / "package.json").exists():
            installed = subprocess.run(
                [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                cwd=NODE_DIR,
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            if installed.returncode != 0:
                pytest.fail(f"npm ci in {NODE_DIR} failed:\n{installed.stderr}")

    def read(paths: Sequence[Path]) -> dict[str, Any]:
        done = subprocess.run(
            [node, str(NODE_DIR / "read_gexf.js"), *(str(p) for p in paths)],
            capture_output=True,
            timeout=300,
            check=False,
        )
        if done.returncode != 0:
            pytest.fail(f"graphology-gexf could not read the file:\n{done.stderr.decode()}")
        result: dict[str, Any] = json.loads(done.stdout)
        return result

    return read
