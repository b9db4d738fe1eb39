"""``ikg validate``: exit codes, the readable and the JSON report, and file errors.

Exit codes follow api/cli/_app.py: 0 conforms (Warnings and Infos allowed), 1 any Violation,
2 input the user must fix (a file that cannot be read or parsed).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from inclusion_kg.api.cli import app
from inclusion_kg.graph import resources

VALID = Path(__file__).parents[1] / "shapes" / "data" / "valid.ttl"
IKG = Path(sys.executable).with_name("ikg")

COUNCIL_WITHOUT_BUDGET = """
@prefix ikg: <https://w3id.org/inclusion-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://w3id.org/inclusion-kg/id/country/poland> a ikg:Country ;
    rdfs:label "Poland"@en ; skos:notation "PL" .
<https://w3id.org/inclusion-kg/id/city/gdansk> a ikg:City ; rdfs:label "Gdansk"@en ;
    ikg:country <https://w3id.org/inclusion-kg/id/country/poland> .
<https://w3id.org/inclusion-kg/id/actor/gdansk-council> a ikg:MigrantCouncil ;
    rdfs:label "Gdansk Immigrants' Council"@en ;
    ikg:basedIn <https://w3id.org/inclusion-kg/id/city/gdansk> ;
    ikg:hasOwnInitiativeRight true .
"""
PARTNERSHIP_WITHOUT_FORMALITY = VALID.read_text(encoding="utf-8").replace(
    "ikg:formality fm:grant ;", ""
)


def invoke(*args: str):
    return CliRunner().invoke(app, ["validate", *args])


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_file_exits_0() -> None:
    result = invoke(str(VALID))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == "0 violations, 0 warnings, 0 infos: conforms"


def test_a_violation_exits_1_and_says_what_is_wrong(tmp_path: Path) -> None:
    result = invoke(str(write(tmp_path, "data.ttl", PARTNERSHIP_WITHOUT_FORMALITY)))
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Violation  id:partnership/admin4all-funding  ikg:formality"
    assert "exactly one ikg:formality" in lines[1]
    assert lines[-1] == "1 violation, 0 warnings, 0 infos: does not conform"


def test_warnings_are_printed_but_exit_0(tmp_path: Path) -> None:
    result = invoke(str(write(tmp_path, "council.ttl", COUNCIL_WITHOUT_BUDGET)))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Warning    id:actor/gdansk-council  ikg:hasBudget\n")
    assert "empty exercise" in result.stdout
    assert result.stdout.strip().endswith("0 violations, 1 warning, 0 infos: conforms")


@pytest.mark.parametrize(
    ("text", "code"), [(PARTNERSHIP_WITHOUT_FORMALITY, 1), (COUNCIL_WITHOUT_BUDGET, 0)]
)
def test_json_format_prints_the_report_as_json(tmp_path: Path, text: str, code: int) -> None:
    result = invoke(str(write(tmp_path, "data.ttl", text)), "--format", "json")
    assert result.exit_code == code, result.output
    report = json.loads(result.stdout)
    assert report["conforms"] is (code == 0)
    assert sum(report["counts"].values()) == len(report["results"]) == 1
    (only,) = report["results"]
    assert only["severity"] == ("Violation" if code else "Warning")
    assert only["focus_node"].startswith("https://w3id.org/inclusion-kg/id/")
    assert only["source_shape"].startswith("https://w3id.org/inclusion-kg/shapes#")


def test_ill_typed_values_are_reported_without_tracebacks(tmp_path: Path) -> None:
    text = VALID.read_text(encoding="utf-8").replace(
        "ikg:termLengthYears 5.0", 'ikg:termLengthYears "five"^^xsd:decimal'
    )
    result = invoke(str(write(tmp_path, "council.ttl", text)))
    assert result.exit_code == 1
    assert result.stderr == ""
    assert 'value: "five"^^xsd:decimal' in result.stdout


def test_a_syntax_error_exits_2_naming_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.ttl", "@prefix ex: <http://ex/> .\nex:a ex:b .\n")
    result = invoke(str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"ikg: error: {path}, line 2")


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    result = invoke(str(tmp_path / "nowhere.trig"))
    assert result.exit_code == 2
    assert "nowhere.trig: cannot read the file" in result.stderr


def test_an_unknown_format_exits_2(tmp_path: Path) -> None:
    result = invoke(str(write(tmp_path, "notes.txt", "hello")))
    assert result.exit_code == 2
    assert "notes.txt: unknown RDF file extension" in result.stderr


def test_without_files_it_validates_the_seeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed = write(tmp_path, "study-x.trig", "")
    monkeypatch.setattr(resources, "seed_files", lambda: [seed])
    result = invoke()
    assert result.exit_code == 0, result.output
    monkeypatch.setattr(
        resources, "seed_files", lambda: [write(tmp_path, "bad.ttl", PARTNERSHIP_WITHOUT_FORMALITY)]
    )
    assert invoke().exit_code == 1


def test_seeds_flag_validates_files_with_the_seeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the file's service is provided by an actor that only the seeds describe
    seed = write(tmp_path, "seed.ttl", COUNCIL_WITHOUT_BUDGET)
    monkeypatch.setattr(resources, "seed_files", lambda: [seed])
    extra = write(
        tmp_path,
        "extra.ttl",
        """@prefix ikg: <https://w3id.org/inclusion-kg/ontology#> .
        <https://w3id.org/inclusion-kg/id/service/x> a ikg:Service ;
            <http://www.w3.org/2000/01/rdf-schema#label> "Counselling"@en ;
            ikg:provider <https://w3id.org/inclusion-kg/id/actor/gdansk-council> ;
            ikg:policyArea <https://w3id.org/inclusion-kg/vocab/policy-area/legal-support> .""",
    )
    alone = invoke(str(extra))
    assert alone.exit_code == 1
    assert "ikg:provider must point to an actor" in alone.stdout
    result = invoke(str(extra), "--seeds")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("0 violations, 1 warning, 0 infos: conforms")


def test_no_seeds_and_no_files_exits_2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(resources, "seed_files", list)
    result = invoke()
    assert result.exit_code == 2
    assert "no seed files" in result.stderr


@pytest.mark.skipif(not resources.seed_files(), reason="no seeds shipped")
def test_the_installed_command_validates_the_shipped_seeds(tmp_path: Path) -> None:
    # the real console script, from a folder outside the checkout
    completed = subprocess.run(
        [str(IKG), "validate", "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert json.loads(completed.stdout)["conforms"] is True
