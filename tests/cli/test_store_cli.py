"""The store commands as a user runs them: the installed ``ikg`` in a subprocess, with its
data directory in ``tmp_path``. Exit codes: 0 done, 2 input to fix, 1 data or backend."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pyoxigraph import CanonicalizationAlgorithm, Dataset, RdfFormat, parse

BASE = "https://w3id.org/inclusion-kg/"
GRAPH = BASE + "graph/cli-test"
AGENT = BASE + "id/agent/cli-tester"
IKG = BASE + "ontology#"

NGO = f"""
@prefix ikg: <{IKG}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<{BASE}id/actor/cli-ngo> a ikg:NGO ;
    rdfs:label "CLI NGO"@en, "ONG CLI"@fr ;
    ikg:basedIn <{BASE}id/city/palermo> .
"""
"""Four triples; Palermo is a seed city, so the batch validates once the seeds are in."""


def ikg(
    tmp_path: Path, *args: str, seeds: bool = False, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("IKG_")}
    env["IKG_DATA_DIR"] = str(tmp_path / "store")
    env["IKG_LOAD_SEEDS"] = "true" if seeds else "false"
    executable = Path(sys.executable).with_name("ikg")
    return subprocess.run(
        [str(executable), *args],
        env=env,
        cwd=tmp_path,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def canonical(nquads: bytes) -> set[str]:
    dataset = Dataset(parse(nquads, RdfFormat.N_QUADS))
    dataset.canonicalize(CanonicalizationAlgorithm.UNSTABLE)
    return {str(quad) for quad in dataset}


def test_load_graphs_query_drop(tmp_path: Path) -> None:
    ngo = write(tmp_path, "ngo.ttl", NGO)
    loaded = ikg(
        tmp_path,
        "load",
        str(ngo),
        "--graph",
        GRAPH,
        "--agent",
        AGENT,
        "--no-validate",
        "-o",
        "json",
    )
    assert loaded.returncode == 0, loaded.stderr
    (batch,) = json.loads(loaded.stdout)
    assert batch["graphs"] == [GRAPH]
    assert batch["quads"] == 4 + 7  # data + the batch's self-description

    listed = ikg(tmp_path, "graphs", "-o", "json")
    assert listed.returncode == 0, listed.stderr
    (info,) = json.loads(listed.stdout)
    assert (info["iri"], info["triples"], info["attributed_to"]) == (GRAPH, 11, AGENT)
    assert info["title"] == "Batch loaded from ngo.ttl"

    query = (
        f"SELECT ?label WHERE {{ <{BASE}id/actor/cli-ngo> ?p ?label FILTER(isLiteral(?label)) }} "
        "ORDER BY ?label"
    )
    as_json = ikg(tmp_path, "query", query, "-o", "json")
    assert as_json.returncode == 0, as_json.stderr
    values = [b["label"]["value"] for b in json.loads(as_json.stdout)["results"]["bindings"]]
    assert values == ["CLI NGO", "ONG CLI"]
    as_csv = ikg(tmp_path, "query", query, "--format", "text/csv")
    assert as_csv.stdout.splitlines() == ["label", "CLI NGO", "ONG CLI"]
    as_table = ikg(tmp_path, "query", "-", stdin=query)
    assert '"CLI NGO"@en' in as_table.stdout
    assert "2 rows" in as_table.stderr

    dropped = ikg(tmp_path, "drop-graph", GRAPH)
    assert dropped.returncode == 0, dropped.stderr
    again = ikg(tmp_path, "drop-graph", GRAPH)
    assert again.returncode == 2
    assert "no graph" in again.stderr


def test_bad_input_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    ngo = write(tmp_path, "ngo.ttl", NGO)
    broken = write(tmp_path, "broken.ttl", NGO + '\n<http://e/a> <http://e/b> "open .\n')
    assert ikg(tmp_path, "load", str(ngo), "--graph", GRAPH, "--no-validate").returncode == 0
    result = ikg(tmp_path, "load", str(broken), "--graph", BASE + "graph/other", "--no-validate")
    assert result.returncode == 2
    assert "broken.ttl" in result.stderr
    assert "line 8" in result.stderr  # NGO spans lines 1-7; the broken triple is line 8
    conflict = ikg(tmp_path, "load", str(ngo), "--graph", GRAPH, "--no-validate")
    assert conflict.returncode == 1
    assert "already has graph" in conflict.stderr
    refused = ikg(
        tmp_path, "query", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
    )
    assert refused.returncode == 2
    assert "allow-list" in refused.stderr
    count = ikg(tmp_path, "query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "-o", "json")
    assert json.loads(count.stdout)["results"]["bindings"][0]["n"]["value"] == "11"


def test_dump_and_restore_round_trip(tmp_path: Path) -> None:
    data = write(
        tmp_path,
        "data.trig",
        f"""@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <{BASE}graph/a> {{ <{BASE}id/x> <{BASE}p> "é"@fr, 3, [ <{BASE}q> "nested" ] }}
        <{BASE}graph/b> {{ <{BASE}id/y> <{BASE}p> "2020-05-28"^^xsd:date }}""",
    )
    assert ikg(tmp_path, "load", str(data), "--no-validate").returncode == 0
    dump = tmp_path / "dump.nq"
    dumped = ikg(tmp_path, "dump", "-o", str(dump))
    assert dumped.returncode == 0, dumped.stderr
    other = tmp_path / "other"
    other.mkdir()
    restored = ikg(other, "restore", str(dump), "--yes")
    assert restored.returncode == 0, restored.stderr
    again = ikg(other, "dump")
    assert canonical(again.stdout.encode()) == canonical(dump.read_bytes())
    # 5 data quads (graph a: 3 about x and 1 about the blank node; graph b: 1)
    # + 2 self-descriptions of 7 quads each
    assert len(canonical(dump.read_bytes())) == 5 + 2 * 7


def test_a_violation_exits_1_with_the_report(tmp_path: Path) -> None:
    unlabelled = write(
        tmp_path,
        "unlabelled.ttl",
        f"<{BASE}id/actor/nameless> a <{IKG}NGO> ; <{IKG}basedIn> <{BASE}id/city/palermo> .",
    )
    result = ikg(tmp_path, "load", str(unlabelled), "--graph", GRAPH, seeds=True)
    assert result.returncode == 1
    assert "Violation" in result.stderr
    assert "nothing was written" in result.stderr
    valid = write(tmp_path, "ngo.ttl", NGO)
    assert ikg(tmp_path, "load", str(valid), "--graph", GRAPH, seeds=True).returncode == 0


def test_a_store_in_use_exits_1(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, pyoxigraph; s = pyoxigraph.Store(sys.argv[1]); print('ready', flush=True);"
            " sys.stdin.read()",
            str(tmp_path / "store"),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == b"ready"
        result = ikg(tmp_path, "graphs")
        assert result.returncode == 1
        assert "in use by another process" in result.stderr
    finally:
        holder.communicate(timeout=30)


@pytest.mark.parametrize("args", [["restore", "missing.nq", "--yes"], ["load", "missing.ttl"]])
def test_missing_files_exit_2(tmp_path: Path, args: list[str]) -> None:
    result = ikg(tmp_path, *args)
    assert result.returncode == 2
    assert "missing" in result.stderr
