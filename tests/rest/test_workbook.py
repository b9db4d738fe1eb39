"""The import workbook (graph/workbook.py): template, example, rows to RDF, located errors."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from inclusion_kg.graph import resources
from inclusion_kg.graph.errors import InputError, ValidationFailed
from inclusion_kg.graph.store.formats import parse_rdf
from inclusion_kg.graph.store.oxigraph import OxigraphStore
from inclusion_kg.graph.workbook import (
    SHEETS,
    ImportReport,
    build_example,
    build_template,
    columns_of,
    import_files,
    template_file,
)

DOC = Path(__file__).parents[2] / "docs" / "import-template.md"
ID = "https://w3id.org/inclusion-kg/id/"


def cells(data: bytes) -> dict[str, list[tuple[object, ...]]]:
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    try:
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in workbook.worksheets}
    finally:
        workbook.close()


def seed_triples() -> list[object]:
    triples = []
    for seed in resources.seed_files():
        triples += [
            q.triple for q in parse_rdf(seed.read_bytes(), "application/trig", label=seed.name)
        ]
    return triples


def test_shipped_workbooks_are_current() -> None:
    assert cells(template_file()) == cells(build_template())
    assert cells(template_file("import-example.xlsx")) == cells(build_example(seed_triples()))


def test_template_documents_every_column() -> None:
    text = DOC.read_text(encoding="utf-8")
    for sheet, kind in SHEETS.items():
        assert f"`{sheet}`" in text
        for column in columns_of(kind):
            assert re.search(rf"\| `{re.escape(column.name)}` \|", text), (sheet, column.name)


def test_example_loads_into_an_empty_store_as_one_batch() -> None:
    store = OxigraphStore.in_memory()
    try:
        outcome = import_files(store, [("example.xlsx", template_file("import-example.xlsx"))])
        assert len(outcome.batch.graphs) == 1
        assert outcome.counts["partnership"] == 5
        assert store.ask(
            f"ASK {{ GRAPH <{outcome.batch.graphs[0]}> {{ <{ID}partnership/admin4all-funding> "
            f"<https://w3id.org/inclusion-kg/ontology#hasParticipation> ?p }} }}"
        )
        assert len(store) == outcome.batch.quads
    finally:
        store.close()


def test_csv_rows_with_errors_are_located(seeded_store: OxigraphStore) -> None:
    before = len(seeded_store)
    actors = (
        b"slug,kind,label_en,based_in,colour\n"
        b"refugee-welcome,NGO,Refugee Welcome,palermo,blue\n"
        b"bad-kind,Dragon,Dragons,palermo,red\n"
    )
    with pytest.raises(ValidationFailed) as caught:
        import_files(seeded_store, [("actors.csv", actors)])
    report = caught.value.report
    assert isinstance(report, ImportReport)
    located = {(loc.sheet, loc.row, loc.column) for loc in report.locations}
    assert located == {("actors", 1, "colour"), ("actors", 3, "kind")}
    assert len(seeded_store) == before


def test_shape_violations_point_at_the_cell(seeded_store: OxigraphStore) -> None:
    partnerships = (
        b"slug;label_en;partners;partnership_types;formality\n"
        b"good-one;Good one;iom:partner; municipality-of-palermo:lead;network;informal\n"
    )
    # a semicolon-separated CSV: the partners cell must be quoted to hold ';' - here it is
    # not, so the row has more cells than the header; use a comma file instead
    del partnerships
    rows = (
        b"slug,label_en,partners,partnership_types,formality,role_equality\n"
        b'good-one,Good one,"iom:partner; municipality-of-palermo:lead",network,informal,\n'
        b'bad-one,Bad one,"iom:partner; municipality-of-palermo:boss",network,sometimes,\n'
    )
    with pytest.raises(ValidationFailed) as caught:
        import_files(seeded_store, [("partnerships.csv", rows)])
    report = caught.value.report
    assert isinstance(report, ImportReport)
    where = {
        (report.location_of(i).row, report.location_of(i).column)
        for i, r in enumerate(report.results)
        if r.severity.value == "Violation"
    }
    assert where == {(3, "formality"), (3, "partners")}
    assert "row 3" in str(caught.value)


def test_files_that_are_not_workbooks() -> None:
    store = OxigraphStore.in_memory()
    try:
        with pytest.raises(InputError, match="unknown kind of file"):
            import_files(store, [("notes.docx", b"hello")])
        with pytest.raises(InputError, match="not a readable XLSX"):
            import_files(store, [("broken.xlsx", b"PK\x03\x04 nothing")])
        with pytest.raises(InputError, match="named by the file"):
            import_files(store, [("people.csv", b"a,b\n1,2\n")])
    finally:
        store.close()
