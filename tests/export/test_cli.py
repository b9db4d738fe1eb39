"""``ikg export``: every format to a file or stdout, the filters, and the errors (exit 2).

Most tests run the command in-process over an in-memory store holding handmade.trig; the
last one runs the installed ``ikg`` in a subprocess over an on-disk store it loaded itself.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import networkx as nx
import pytest
from lxml import etree
from pyoxigraph import RdfFormat, parse
from typer.testing import CliRunner, Result

from inclusion_kg.api.cli import app
from inclusion_kg.api.cli import export as export_module
from inclusion_kg.graph.store import Store

DATA = Path(__file__).parent / "data"
A = "https://w3id.org/inclusion-kg/id/actor/"
G = "{http://gexf.net/1.3}"
GRAPH = "https://w3id.org/inclusion-kg/graph/test-export"


@pytest.fixture
def loaded(store: Store, monkeypatch: pytest.MonkeyPatch) -> Store:
    store.load((DATA / "handmade.trig").read_bytes(), "application/trig")

    @contextmanager
    def opened(_settings: object) -> Iterator[Store]:
        yield store

    monkeypatch.setattr(export_module, "opened_store", opened)
    return store


def invoke(*args: str) -> Result:
    return CliRunner().invoke(app, ["export", *args])


def test_gexf_to_a_file(
    loaded: Store, tmp_path: Path, validate_gexf: Callable[[bytes], etree._Element]
) -> None:
    out = tmp_path / "net.gexf"
    result = invoke("gexf", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "exported 6 actors and 5 ties" in result.stderr
    root = validate_gexf(out.read_bytes())
    assert root.find(f"{G}graph").get("mode") == "static"
    assert not out.with_name("net.gexf.part").exists()


def test_dynamic_gexf_two_ways(
    loaded: Store, tmp_path: Path, validate_gexf: Callable[[bytes], etree._Element]
) -> None:
    first, second = tmp_path / "a.gexf", tmp_path / "b.gexf"
    assert invoke("gexf-dynamic", "-o", str(first)).exit_code == 0
    assert invoke("gexf", "--dynamic", "-o", str(second)).exit_code == 0
    roots = [validate_gexf(path.read_bytes()) for path in (first, second)]

    def times(root: etree._Element) -> dict[str, list[tuple[str | None, str | None]]]:
        return {
            element.get("id"): [(e.get("start"), e.get("end")) for e in element.iter()]
            for element in (*root.iter(f"{G}node"), *root.iter(f"{G}edge"))
        }

    assert roots[0].find(f"{G}graph").get("mode") == "dynamic"
    assert roots[1].find(f"{G}graph").get("mode") == "dynamic"
    assert times(roots[0]) == times(roots[1])
    assert times(roots[0])[A + "xc"][0] == ("2015-01-01", None)


def test_filters_and_language(
    loaded: Store, tmp_path: Path, validate_gexf: Callable[[bytes], etree._Element]
) -> None:
    out = tmp_path / "alpha.gexf"
    result = invoke("gexf", "--city", "alphaville", "--lang", "it", "-o", str(out))
    assert result.exit_code == 0, result.output
    root = validate_gexf(out.read_bytes())
    labels = {n.get("id").removeprefix(A): n.get("label") for n in root.iter(f"{G}node")}
    assert set(labels) == {"xm", "xn", "xc", "ym", "yn"}  # Z (Betatown only) is out
    assert labels["xm"] == "Comune di Città Alfa"
    result = invoke("graphology", "--as-of", "2012-01-01", "--actor-type", "NGO")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {n["key"] for n in data["nodes"]} == {A + "xn", A + "yn"}
    assert data["edges"] == []
    result = invoke("graphology", "--from", "2010", "--to", "2011", "--no-metrics")
    data = json.loads(result.stdout)
    # P3 (2010-2011) ties XM-XN; P5 has no dates, so it counts in any period
    assert {(e["source"], e["target"]) for e in data["edges"]} == {
        (A + "xm", A + "xn"),
        (A + "ym", A + "yn"),
    }
    assert "pagerank" not in data["nodes"][0]["attributes"]


def test_graphml_to_stdout(loaded: Store) -> None:
    result = invoke("graphml", "--min-sources", "2")
    assert result.exit_code == 0, result.output
    read = nx.read_graphml(io.BytesIO(result.stdout_bytes))
    # XM-XN: P1 (d1, d2) and P3 (d3); YM-YN: P4 (d3) and P5 (d4); the others cite one
    assert {frozenset(e) for e in read.edges} == {
        frozenset({A + "xm", A + "xn"}),
        frozenset({A + "ym", A + "yn"}),
    }


def test_csv_zip_and_folder(loaded: Store, tmp_path: Path) -> None:
    bundle = tmp_path / "net.zip"
    assert invoke("csv", "-o", str(bundle)).exit_code == 0
    with zipfile.ZipFile(bundle) as archive:
        assert archive.namelist() == ["nodes.csv", "edges.csv", "metadata.json"]
        nodes = archive.read("nodes.csv")
    folder = tmp_path / "tables"
    result = invoke("csv", "-o", str(folder))
    assert result.exit_code == 0, result.output
    first_rows = [line.split(b",", 1)[0] for line in nodes.splitlines()]
    assert [
        line.split(b",", 1)[0] for line in (folder / "nodes.csv").read_bytes().splitlines()
    ] == (first_rows)
    assert (folder / "edges.csv").read_bytes().startswith(b"Source,Target,Type,Weight,")


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("turtle", RdfFormat.TURTLE),
        ("ntriples", RdfFormat.N_TRIPLES),
        ("nquads", RdfFormat.N_QUADS),
        ("trig", RdfFormat.TRIG),
        ("jsonld", RdfFormat.JSON_LD),
    ],
)
def test_rdf_dumps(loaded: Store, tmp_path: Path, name: str, fmt: RdfFormat) -> None:
    out = tmp_path / f"dump.{name}"
    result = invoke(name, "-o", str(out))
    assert result.exit_code == 0, result.output
    everything = list(parse(out.read_bytes(), fmt))
    assert len(everything) == len(loaded)
    result = invoke(name, "--graph", GRAPH)
    assert result.exit_code == 0, result.output
    assert len(list(parse(result.stdout_bytes, fmt))) == len(loaded)  # the only graph


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("csv",), "csv needs -o"),
        (("gexf", "--graph", GRAPH), "--graph applies to RDF dumps"),
        (("turtle", "--dynamic"), "--dynamic applies to gexf and csv only"),
        (("graphml", "--dynamic"), "--dynamic applies to gexf and csv only"),
        (("gexf", "--actor-type", "dragon"), "unknown actor type 'dragon'"),
        (("gexf", "--layer", "friends"), "unknown layer 'friends'"),
        (("gexf", "--as-of", "yesterday"), "--as-of expects a date"),
        (("gexf", "--from", "2020", "--to", "2019"), "year range is reversed"),
        (("nquads", "--graph", "https://w3id.org/inclusion-kg/graph/nope"), "has no graph"),
    ],
)
def test_input_errors_exit_2(loaded: Store, args: tuple[str, ...], message: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr


def test_unknown_format_is_refused(loaded: Store) -> None:
    result = invoke("pajek")
    assert result.exit_code == 2
    assert "pajek" in result.stderr


def test_installed_ikg_export_end_to_end(
    tmp_path: Path, validate_gexf: Callable[[bytes], etree._Element]
) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("IKG_")}
    env["IKG_DATA_DIR"] = str(tmp_path / "store")
    env["IKG_LOAD_SEEDS"] = "false"
    ikg = str(Path(sys.executable).with_name("ikg"))

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [ikg, *args], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300,
            check=False,
        )  # fmt: skip

    loaded = run("load", str(DATA / "handmade.trig"), "--no-validate", "-o", "json")
    assert loaded.returncode == 0, loaded.stderr
    out = tmp_path / "net.gexf"
    exported = run("export", "gexf-dynamic", "--city", "Betatown", "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    root = validate_gexf(out.read_bytes())
    ids = {n.get("id").removeprefix(A) for n in root.iter(f"{G}node")}
    assert ids == {"xm", "ym", "yn", "z"}
    assert root.find(f"{G}graph").get("timeformat") == "date"
