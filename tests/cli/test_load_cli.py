"""``ikg load`` at scale, as a user runs it: many graphs, several files, the progress bar.

The installed ``ikg`` runs in a subprocess on an on-disk store in ``tmp_path``. Every file
is parsed and all are validated before anything is written; the write is one transaction.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BASE = "https://w3id.org/inclusion-kg/"
IKG = BASE + "ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def ikg(tmp_path: Path, *args: str, terminal: bool = False) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("IKG_")}
    env["IKG_DATA_DIR"] = str(tmp_path / "store")
    env["IKG_LOAD_SEEDS"] = "false"
    env.pop("TTY_COMPATIBLE", None)
    if terminal:  # rich draws its live display as on a terminal, into the pipe
        env.update(TTY_COMPATIBLE="1", COLUMNS="120")
    executable = Path(sys.executable).with_name("ikg")
    return subprocess.run(
        [str(executable), *args],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def many_graphs(path: Path, count: int, *, first: int = 0, unlabelled: int | None = None) -> Path:
    """Write N-Quads with one NGO per graph ``graph/cli-many-{i}``; the NGO of graph
    ``unlabelled`` lacks its label (a Violation)."""
    lines = []
    for i in range(first, first + count):
        actor, graph = f"<{BASE}id/actor/cli-ngo-{i}>", f"<{BASE}graph/cli-many-{i}>"
        lines.append(f"{actor} <{RDF_TYPE}> <{IKG}NGO> {graph} .")
        if i != unlabelled:
            lines.append(f'{actor} <{RDFS_LABEL}> "NGO number {i}"@en {graph} .')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def stored_graphs(tmp_path: Path) -> list[str]:
    listed = ikg(tmp_path, "graphs", "-o", "json")
    assert listed.returncode == 0, listed.stderr
    return sorted(row["iri"] for row in json.loads(listed.stdout))


def test_a_file_of_many_graphs_loads_validated(tmp_path: Path) -> None:
    data = many_graphs(tmp_path / "many.nq", 300)
    loaded = ikg(tmp_path, "load", str(data), "-o", "json")
    assert loaded.returncode == 0, loaded.stderr
    (batch,) = json.loads(loaded.stdout)
    assert len(batch["graphs"]) == 300
    assert batch["quads"] == 300 * (2 + 7)
    assert batch["report"]["counts"] == {"Violation": 0, "Warning": 0, "Info": 0}
    assert len(stored_graphs(tmp_path)) == 300


def test_a_violation_in_the_last_file_writes_no_file(tmp_path: Path) -> None:
    first = many_graphs(tmp_path / "first.nq", 50)
    second = many_graphs(tmp_path / "second.nq", 50, first=50, unlabelled=99)
    refused = ikg(tmp_path, "load", str(first), str(second))
    assert refused.returncode == 1, refused.stderr
    assert "second.nq breaks the shapes (1 violation); nothing was written" in refused.stderr
    assert "id:actor/cli-ngo-99" in refused.stderr
    assert stored_graphs(tmp_path) == []
    loaded = ikg(tmp_path, "load", str(first), str(many_graphs(second, 50, first=50)))
    assert loaded.returncode == 0, loaded.stderr
    assert len(stored_graphs(tmp_path)) == 100


def test_a_large_file_shows_its_progress_and_stages(tmp_path: Path) -> None:
    data = many_graphs(tmp_path / "large.nq", 6000)  # about 1.3 MB, past the 1 MiB threshold
    assert data.stat().st_size > 1 << 20
    loaded = ikg(tmp_path, "load", str(data), "-o", "json", terminal=True)
    assert loaded.returncode == 0, loaded.stderr
    for stage in ("parsing large.nq", "validating large.nq", "writing large.nq"):
        assert stage in loaded.stderr, loaded.stderr[-2000:]
    assert json.loads(loaded.stdout)[0]["quads"] == 6000 * 9


def test_a_small_file_shows_no_progress(tmp_path: Path) -> None:
    data = many_graphs(tmp_path / "small.nq", 3)
    loaded = ikg(tmp_path, "load", str(data), "-o", "json", terminal=True)
    assert loaded.returncode == 0, loaded.stderr
    assert "parsing" not in loaded.stderr
    assert "writing" not in loaded.stderr
