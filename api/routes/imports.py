"""``/api/v1/imports``: bulk imports of workbooks (XLSX/CSV) or RDF files, as one batch.

``POST`` takes a multipart upload (``files``, one or more). A workbook (or a set of CSV
files, one per kind) is mapped to RDF following the template (docs/import-template.md),
validated as a whole and loaded as one named graph with its PROV-O description, or
rejected as a whole (422) with a report whose every result names sheet, row and column.
An RDF file (any format, by extension) is loaded as it is, as one batch.

``GET /template`` and ``GET /example`` download the empty template and an example
workbook built from the seed data.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, UploadFile, status
from fastapi.responses import Response

from inclusion_kg.api.deps import SettingsDep, StoreDep, WriteAccess
from inclusion_kg.api.rest import API, WRITE_RESPONSES
from inclusion_kg.api.schemas.imports import ImportResult
from inclusion_kg.graph.validate import ValidationReport
from inclusion_kg.graph.workbook import SHEETS, import_files, template_file

__all__ = ["XLSX", "router"]

router = APIRouter(prefix=f"{API}/imports", tags=["imports"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_DOWNLOAD: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The workbook.",
        "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
        "headers": {
            "Content-Disposition": {
                "schema": {"type": "string"},
                "example": 'attachment; filename="inclusion-kg-import-template.xlsx"',
            }
        },
    }
}


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ImportResult,
    responses=WRITE_RESPONSES,
    summary="Import a workbook or an RDF file",
)
def import_(
    store: StoreDep,
    settings: SettingsDep,
    _: WriteAccess,
    files: Annotated[
        list[UploadFile],
        File(
            description="An XLSX workbook, CSV files named by kind (actors.csv…), or one RDF file."
        ),
    ],
    kind: Annotated[
        str | None,
        Form(
            description=f"For a CSV file not named by kind: one of {', '.join(SHEETS)}.",
            pattern="^(" + "|".join(SHEETS.values()) + ")$",
            examples=["actor"],
        ),
    ] = None,
) -> Any:
    """Import as one batch, validated as a whole.

    All rows are loaded, or none (422 naming the sheet, row and column of each problem).
    """
    uploads = [(upload.filename or "upload", upload.file.read()) for upload in files]
    outcome = import_files(store, uploads, kind=kind, agent="api", base=settings.base_iri)
    report = outcome.batch.report or ValidationReport()
    return {
        "graphs": list(outcome.batch.graphs),
        "quads": outcome.batch.quads,
        "files": list(outcome.files),
        "entities": outcome.counts,
        "validation": report.to_dict(),
    }


@router.get("/template", responses=_DOWNLOAD, summary="The empty import workbook")
def template() -> Response:
    """Download the import template.

    A README sheet, one sheet per kind with its columns, and the vocabularies' slugs.
    """
    return Response(
        template_file(),
        media_type=XLSX,
        headers={"Content-Disposition": 'attachment; filename="inclusion-kg-import-template.xlsx"'},
    )


@router.get("/example", responses=_DOWNLOAD, summary="An example workbook (the seed data)")
def example() -> Response:
    """Download an example workbook filled with the seed data."""
    return Response(
        template_file("import-example.xlsx"),
        media_type=XLSX,
        headers={"Content-Disposition": 'attachment; filename="inclusion-kg-import-example.xlsx"'},
    )
