"""Bulk imports (``/api/v1/imports``)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from inclusion_kg.api.schemas.common import ValidationReportModel

__all__ = ["ImportResult"]


class ImportResult(BaseModel):
    """A loaded batch: its graph, size and the validation report (Warnings, Infos)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "graphs": ["https://w3id.org/inclusion-kg/graph/batch-20260101T120000Z-a1b2c3"],
                    "quads": 57,
                    "files": ["actors.csv"],
                    "entities": {"actor": 3},
                    "validation": {
                        "conforms": True,
                        "counts": {"Violation": 0, "Warning": 0, "Info": 0},
                        "results": [],
                    },
                }
            ]
        }
    )

    graphs: list[str] = Field(description="The batch graph(s) written.")
    quads: int = Field(description="Quads written, the batch description included.")
    files: list[str]
    entities: dict[str, int] = Field(description="Rows read per kind (workbooks).")
    validation: ValidationReportModel
