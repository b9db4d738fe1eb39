"""Bulk imports over HTTP and with ``ikg import``: all rows as one batch, or nothing.

A workbook with one bad row is rejected with the sheet, row and column of the problem and
the store is unchanged (the whole N-Quads dump compared); the same workbook fixed is loaded
as one named graph that describes itself with PROV-O.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from inclusion_kg.api.cli import app
from inclusion_kg.graph.settings import Settings
from inclusion_kg.graph.workbook import columns_of

pytestmark = pytest.mark.integration

ID = "https://w3id.org/inclusion-kg/id/"
AUTH = {"Authorization": "Bearer test-token"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def settings(seeded_settings: Settings) -> Settings:
    return seeded_settings


@pytest.fixture
def http(live_server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server, timeout=120) as client:
        yield client


def dump(http: httpx.Client) -> list[str]:
    return sorted(http.get("/store", headers={"Accept": "application/n-quads"}).text.splitlines())


def workbook(sheets: dict[str, list[dict[str, Any]]]) -> bytes:
    """A workbook with the template's columns and the given rows (column -> value)."""
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    kinds = {"actors": "actor", "partnerships": "partnership", "places": "place"}
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        header = [c.name for c in columns_of(kinds[name])]
        sheet.append(header)
        for row in rows:
            sheet.append([row.get(column) for column in header])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


ROWS: dict[str, list[dict[str, Any]]] = {
    "places": [{"type": "city", "label_en": "Catania", "country": "italy"}],
    "actors": [
        {"kind": "NGO", "label_en": "Catania Welcome", "based_in": "catania"},
        {"kind": "MigrantLedOrganisation", "label_en": "Voci Migranti", "based_in": "catania"},
    ],
    "partnerships": [
        {
            "label_en": "Catania welcome network",
            "partners": "catania-welcome:lead; voci-migranti:partner; iom:partner",
            "partnership_types": "network; peer-exchange",
            "formality": "informal",
            "role_equality": "eye-to-eye",
            "policy_areas": "reception",
            "area_served": "catania",
            "evidence": "document/iom-press-release-2020-05-28",
        },
    ],
}


def test_a_bad_row_rejects_the_whole_workbook(http: httpx.Client) -> None:
    bad = {**ROWS, "actors": [*ROWS["actors"], {"kind": "Dragon", "label_en": "Dragons"}]}
    bad["partnerships"] = [{**ROWS["partnerships"][0], "formality": "sometimes"}]
    before = dump(http)
    response = http.post(
        "/api/v1/imports", files={"files": ("catania.xlsx", workbook(bad), XLSX)}, headers=AUTH
    )
    assert response.status_code == 422, response.text
    problem = response.json()
    located = {
        (r["sheet"], r["row"], r["column"])
        for r in problem["report"]["results"]
        if r["severity"] == "Violation"
    }
    assert located == {("actors", 4, "kind")}
    assert "sheet 'actors', row 4, column 'kind'" in problem["detail"]
    assert dump(http) == before
    # the kind fixed, the bad formality is next: the shapes name its cell
    bad["actors"] = ROWS["actors"]
    response = http.post(
        "/api/v1/imports", files={"files": ("catania.xlsx", workbook(bad), XLSX)}, headers=AUTH
    )
    assert response.status_code == 422
    located = {
        (r["sheet"], r["row"], r["column"])
        for r in response.json()["report"]["results"]
        if r["severity"] == "Violation"
    }
    assert located == {("partnerships", 2, "formality")}
    assert dump(http) == before


def test_a_good_workbook_loads_as_one_batch(http: httpx.Client) -> None:
    assert (
        http.post("/api/v1/imports", files={"files": ("x.xlsx", workbook(ROWS), XLSX)}).status_code
        == 401
    )
    response = http.post(
        "/api/v1/imports", files={"files": ("catania.xlsx", workbook(ROWS), XLSX)}, headers=AUTH
    )
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["entities"] == {"actor": 2, "partnership": 1, "place": 1}
    (graph,) = result["graphs"]
    batch = http.get("/store", params={"graph": graph}, headers={"Accept": "application/n-triples"})
    lines = batch.text.splitlines()
    assert len(lines) == result["quads"]
    assert f"<{graph}> <http://www.w3.org/ns/prov#wasAttributedTo> <{ID}agent/api> ." in lines
    partnership = http.get("/api/v1/partnerships/catania-welcome-network").json()
    assert {p["id"].rsplit("/", 1)[-1] for p in partnership["partner_details"]} == {
        "catania-welcome",
        "voci-migranti",
        "iom",
    }
    assert http.get("/api/v1/actors", params={"city": "catania"}).json()["total"] == 2
    # importing the same rows again adds nothing new to the union, but is its own batch
    again = http.post(
        "/api/v1/imports", files={"files": ("catania.xlsx", workbook(ROWS), XLSX)}, headers=AUTH
    )
    assert again.status_code == 201
    assert again.json()["graphs"] != result["graphs"]


def test_csv_and_rdf_imports(http: httpx.Client) -> None:
    csv = b"kind,label_en,based_in\nNGO,Gdansk Welcome Centre,gdansk\n"
    response = http.post(
        "/api/v1/imports", files={"files": ("actors.csv", csv, "text/csv")}, headers=AUTH
    )
    assert response.status_code == 201, response.text
    assert http.get("/api/v1/actors/gdansk-welcome-centre").status_code == 200
    turtle = (
        b"@prefix ikg: <https://w3id.org/inclusion-kg/ontology#> .\n"
        b"@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        b"<https://w3id.org/inclusion-kg/id/actor/rome-volunteers> a ikg:VolunteerNetwork ;\n"
        b'  rdfs:label "Rome volunteers"@en ;\n'
        b"  ikg:basedIn <https://w3id.org/inclusion-kg/id/city/rome> .\n"
    )
    response = http.post(
        "/api/v1/imports", files={"files": ("rome.ttl", turtle, "text/turtle")}, headers=AUTH
    )
    assert response.status_code == 201, response.text
    assert http.get("/api/v1/actors/rome-volunteers").json()["kind"] == "VolunteerNetwork"
    broken = http.post(
        "/api/v1/imports",
        files={"files": ("broken.ttl", b"<a> <b> .", "text/turtle")},
        headers=AUTH,
    )
    assert broken.status_code == 400
    assert "broken.ttl" in broken.json()["detail"]


def test_the_template_and_the_example_download(http: httpx.Client) -> None:
    for path, sheets in (("template", 9), ("example", 9)):
        response = http.get(f"/api/v1/imports/{path}")
        assert response.status_code == 200
        assert response.headers["content-type"] == XLSX
        book = load_workbook(io.BytesIO(response.content), read_only=True)
        assert len(book.sheetnames) == sheets
        assert "partnerships" in book.sheetnames
        book.close()


def test_ikg_import(tmp_path: Path) -> None:
    runner = CliRunner()
    template = tmp_path / "template.xlsx"
    result = runner.invoke(app, ["import", "--template", str(template)])
    assert result.exit_code == 0, result.output
    assert load_workbook(template, read_only=True).sheetnames[1] == "places"
    example = tmp_path / "example.xlsx"
    assert runner.invoke(app, ["import", "--example", str(example)]).exit_code == 0
    env = {"IKG_LOAD_SEEDS": "false", "IKG_DATA_DIR": str(tmp_path / "store")}
    loaded = runner.invoke(app, ["import", str(example), "-o", "json"], env=env)
    assert loaded.exit_code == 0, loaded.output
    assert '"partnership": 5' in loaded.output
    bad = tmp_path / "actors.csv"
    bad.write_text("kind,label_en\nDragon,Dragons\n", encoding="utf-8")
    refused = runner.invoke(app, ["import", str(bad)], env=env)
    assert refused.exit_code == 1
    assert "sheet 'actors', row 2, column 'kind'" in refused.output
    assert runner.invoke(app, ["import"], env=env).exit_code == 2
