"""Bulk import of workbooks (XLSX, or CSV files) and RDF files, as one validated batch.

A workbook has one sheet per kind, named ``places``, ``actors``, ``councils``,
``documents``, ``projects``, ``partnerships``, ``services`` (other sheets, such as the
template's ``README`` and ``vocabularies``, are skipped); CSV files carry one kind each,
named by the file (``actors.csv``). Row 1 holds the column names; docs/import-template.md
lists them. Each row becomes an entity through the same records as the REST API
(:mod:`inclusion_kg.graph.records`), so a column is a record field:

- ``slug`` (optional: made from ``label_en``) names the entity, ``id/{kind}/{slug}``;
- ``label_<lang>``, ``alt_labels_<lang>``, ``description_<lang>``, ``title_<lang>`` hold
  text in one language (``label_en`` is required by the shapes);
- lists are separated by ``;`` (``policy_areas``: ``housing; employment``);
- ``partners`` holds ``actor:role`` pairs (``iom:implementer; dg-empl:funder``);
- ``budget_value`` and ``budget_currency`` hold a project's budget;
- references are slugs (``palermo``), ``kind/slug`` or IRIs; concepts are slugs.

Everything read is validated **as a whole** (:func:`~inclusion_kg.graph.load.load_batch`:
one named graph with its PROV-O description, all or nothing). Any problem — a cell that
cannot be read, or a SHACL Violation — rejects the whole import with a
:class:`ImportReport` whose every result names the sheet, row and column to fix.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from importlib.resources import files
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, serialize
from rdflib import URIRef

from inclusion_kg.graph.errors import InputError, ValidationFailed
from inclusion_kg.graph.load import BatchResult, load_batch
from inclusion_kg.graph.namespaces import BASE
from inclusion_kg.graph.provenance import source_iri
from inclusion_kg.graph.records import (
    IKG,
    KINDS,
    RDF_TYPE,
    RDFS_LABEL,
    SKOS,
    FieldSpec,
    entity_iri,
    from_triples,
    kind_spec,
    local_name,
    ref_iri,
    scheme_concepts,
    slugify,
    term_value,
    to_triples,
)
from inclusion_kg.graph.validate import Severity, ValidationReport, ValidationResult, short_name

if TYPE_CHECKING:
    from inclusion_kg.graph.store import Store

__all__ = [
    "RDF_EXTENSIONS",
    "SHEETS",
    "ImportOutcome",
    "ImportReport",
    "Location",
    "Table",
    "build_example",
    "build_template",
    "columns_of",
    "import_files",
    "read_tables",
    "template_file",
]

SHEETS: dict[str, str] = {
    "places": "place",
    "actors": "actor",
    "councils": "council",
    "documents": "document",
    "projects": "project",
    "partnerships": "partnership",
    "services": "service",
}
"""Sheet (or CSV file) name -> kind, in the order the template lists them."""

RDF_EXTENSIONS: dict[str, str] = {
    ".ttl": "text/turtle",
    ".turtle": "text/turtle",
    ".nt": "application/n-triples",
    ".nq": "application/n-quads",
    ".trig": "application/trig",
    ".jsonld": "application/ld+json",
    ".json": "application/ld+json",
    ".rdf": "application/rdf+xml",
    ".owl": "application/rdf+xml",
    ".xml": "application/rdf+xml",
}
"""RDF files an import loads as they are (by file extension)."""

SEPARATOR = ";"
_LANG_COLUMN = re.compile(r"^(label|alt_labels|description|title)_([a-z]{2,8}(?:-[a-z0-9]{1,8})*)$")
_LANG_FIELDS = {
    "label": "labels",
    "alt_labels": "alt_labels",
    "description": "description",
    "title": "title",
}
_TEMPLATE_LANGS = ("en",)
PLACE_COLUMNS: dict[str, str] = {
    "type": "city, region or country.",
    "slug": "The IRI's last segment (default: made from label_en).",
    "label_en": "English name (required); add label_<lang> columns for other languages.",
    "country": "City or region: the country's slug (such as italy).",
    "code": "Country: ISO 3166-1 alpha-2 code (such as IT).",
}


# ---------------------------------------------------------------------------------------
# Reports that point at cells
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Location:
    """Where in the uploaded files a problem is: sheet (or file), row, column."""

    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def text(self) -> str:
        """``sheet 'actors', row 3, column 'kind'`` (what is known of it)."""
        parts = []
        if self.sheet:
            parts.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts) or "the import"


@dataclass(frozen=True)
class ImportReport(ValidationReport):
    """A validation report whose results also name the sheet, row and column to fix."""

    locations: tuple[Location, ...] = ()

    def location_of(self, index: int) -> Location:
        """The location of the ``index``-th result."""
        return self.locations[index] if index < len(self.locations) else Location()

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON, each result with ``sheet``, ``row`` and ``column``."""
        body = super().to_dict()
        for index, result in enumerate(body["results"]):
            where = self.location_of(index)
            result.update(sheet=where.sheet, row=where.row, column=where.column)
        return body

    def text(self) -> str:
        """Render for a person: each result with its location."""
        lines = []
        for index, result in enumerate(self.results):
            lines.append(f"{result.severity.value:<9}  {self.location_of(index).text()}")
            lines.append(f"    {result.message}")
            if result.value is not None:
                lines.append(f"    value: {short_name(result.value)}")
        if lines:
            lines.append("")
        lines.append(self.summary())
        return "\n".join(lines)


def _report(entries: Sequence[tuple[ValidationResult, Location]]) -> ImportReport:
    ordered = sorted(
        entries,
        key=lambda e: (
            e[0].severity.rank,
            e[1].sheet or "~",
            e[1].row or 0,
            e[1].column or "",
            e[0].message,
        ),
    )
    return ImportReport(
        results=tuple(result for result, _ in ordered),
        locations=tuple(where for _, where in ordered),
    )


def _problem(message: str, focus: str | None) -> ValidationResult:
    return ValidationResult(
        focus_node=URIRef(focus or "urn:inclusion-kg:import"),
        result_path=None,
        value=None,
        message=message,
        severity=Severity.VIOLATION,
        source_shape=URIRef("urn:inclusion-kg:import:reader"),
    )


# ---------------------------------------------------------------------------------------
# Columns
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of a sheet: its name, the record field it fills, how, and its meaning."""

    name: str
    field: str
    lang: str | None = None
    part: str | None = None
    doc: str = ""


def _field_columns(spec: FieldSpec) -> list[Column]:
    if spec.kind == "labels":
        return [Column(f"label_{lang}", spec.name, lang, doc=spec.doc) for lang in _TEMPLATE_LANGS]
    if spec.kind == "alt_labels":
        return [
            Column(f"alt_labels_{lang}", spec.name, lang, doc="Other names, separated by ';'.")
            for lang in _TEMPLATE_LANGS
        ]
    if spec.kind == "text":
        return [
            Column(f"{spec.name}_{lang}", spec.name, lang, doc=spec.doc) for lang in _TEMPLATE_LANGS
        ]
    if spec.kind == "budget":
        return [
            Column("budget_value", "budget", part="value", doc="Budget amount (>= 0)."),
            Column("budget_currency", "budget", part="currency", doc="ISO 4217 code (EUR)."),
        ]
    if spec.kind == "partners":
        return [
            Column(
                "partners",
                spec.name,
                doc="actor:role pairs separated by ';' (iom:implementer; dg-empl:funder).",
            )
        ]
    doc = spec.doc + (" Several: separate with ';'." if spec.many else "")
    return [Column(spec.name, spec.name, doc=doc)]


def columns_of(kind: str) -> list[Column]:
    """The template's columns for a kind (more ``<field>_<lang>`` columns are accepted)."""
    if kind == "place":
        return [Column(name, name, doc=doc) for name, doc in PLACE_COLUMNS.items()]
    spec = kind_spec(kind)
    out = [Column("slug", "slug", doc="The IRI's last segment (default: made from label_en).")]
    for field_spec in spec.fields:
        out += _field_columns(field_spec)
    return out


def _column_for(kind: str, name: str) -> Column | None:
    for column in columns_of(kind):
        if column.name == name:
            return column
    match = _LANG_COLUMN.match(name)
    if match and kind != "place":
        field_name = _LANG_FIELDS[match.group(1)]
        if any(f.name == field_name for f in kind_spec(kind).fields):
            return Column(name, field_name, match.group(2))
    if match and kind == "place" and match.group(1) == "label":
        return Column(name, "label", match.group(2))
    return None


# ---------------------------------------------------------------------------------------
# Reading files
# ---------------------------------------------------------------------------------------


@dataclass
class Table:
    """One sheet or CSV file: its kind, header and data rows (numbered as in the file)."""

    sheet: str
    kind: str
    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(Decimal(str(value)), "f")
    return str(value).strip()


def _header(values: Iterable[object]) -> list[str]:
    return [re.sub(r"\s+", "_", _cell(v).lower()) for v in values]


def _xlsx_tables(data: bytes, name: str) -> list[Table]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises zipfile, KeyError, XML errors…
        msg = f"{name}: not a readable XLSX workbook ({type(error).__name__}: {error})."
        raise InputError(msg) from None
    tables = []
    try:
        for sheet in workbook.worksheets:
            kind = SHEETS.get(sheet.title.strip().lower())
            if kind is None:
                continue
            rows = sheet.iter_rows(values_only=True)
            first = next(rows, None)
            table = Table(sheet.title.strip().lower(), kind, _header(first or ()))
            for number, values in enumerate(rows, 2):
                cells = [_cell(v) for v in values]
                if any(cells):
                    table.rows.append((number, cells))
            tables.append(table)
    finally:
        workbook.close()
    if not tables:
        msg = (
            f"{name}: the workbook has none of the sheets {', '.join(SHEETS)}; start from the "
            "template (ikg import --template template.xlsx, or GET /api/v1/imports/template)."
        )
        raise InputError(msg)
    return tables


def _csv_table(data: bytes, name: str, kind: str | None) -> Table:
    stem = PurePath(name).stem.strip().lower()
    chosen = kind or SHEETS.get(stem)
    if chosen is None:
        names = ", ".join(f"{sheet}.csv" for sheet in SHEETS)
        msg = f"{name}: a CSV file carries one kind, named by the file ({names})."
        raise InputError(msg)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        msg = (
            f"{name}: not UTF-8 text ({error.reason} at byte {error.start}); save the CSV as UTF-8."
        )
        raise InputError(msg) from None
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    table = Table(stem if stem in SHEETS else chosen + "s", chosen, _header(next(reader, [])))
    for number, values in enumerate(reader, 2):
        cells = [_cell(v) for v in values]
        if any(cells):
            table.rows.append((number, cells))
    return table


def read_tables(data: bytes, name: str, *, kind: str | None = None) -> list[Table]:
    """Read an XLSX workbook or a CSV file into tables.

    Raises:
        InputError: the file cannot be read, or says nothing about its kind.
    """
    suffix = PurePath(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm") or data[:2] == b"PK":
        return _xlsx_tables(data, name)
    if suffix in (".csv", ".tsv", ".txt"):
        return [_csv_table(data, name, kind)]
    msg = (
        f"{name}: unknown kind of file; import an XLSX workbook, CSV files or RDF "
        f"({', '.join(sorted(RDF_EXTENSIONS))})."
    )
    raise InputError(msg)


# ---------------------------------------------------------------------------------------
# Rows -> triples
# ---------------------------------------------------------------------------------------


@dataclass
class _Row:
    table: Table
    number: int
    kind: str
    iri: str
    columns: dict[str, str]  # field (or part) -> column name


@dataclass
class _Mapped:
    triples: list[Triple] = field(default_factory=list)
    rows: list[_Row] = field(default_factory=list)
    owners: dict[str, tuple[_Row, str]] = field(default_factory=dict)
    problems: list[tuple[ValidationResult, Location]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(SEPARATOR) if part.strip()]


def _partners(text: str) -> list[dict[str, str | None]]:
    """Read ``actor:role`` pairs; an item without a role slug after its last ``:`` is an actor."""
    out: list[dict[str, str | None]] = []
    for item in _split(text):
        actor, sep, role = item.rpartition(":")
        if sep and actor.strip() and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", role.strip()):
            out.append({"actor": actor.strip(), "role": role.strip()})
        else:
            out.append({"actor": item, "role": None})
    return out


def _record(table: Table, cells: Sequence[str]) -> tuple[dict[str, Any], dict[str, str]]:
    record: dict[str, Any] = {}
    columns: dict[str, str] = {}
    spec = kind_spec(table.kind)
    for index, name in enumerate(table.header):
        value = cells[index] if index < len(cells) else ""
        if not name or not value:
            continue
        column = _column_for(table.kind, name)
        if column is None:
            continue  # reported once per sheet, at the header
        columns.setdefault(column.part or column.field, name)
        if column.field == "slug":
            record["slug"] = value
            continue
        field_spec = spec.field(column.field)
        kind = field_spec.kind
        if column.lang is not None:
            entry = record.setdefault(column.field, {})
            entry[column.lang] = _split(value) if kind == "alt_labels" else value
        elif kind == "partners":
            record["partners"] = _partners(value)
        elif kind == "budget":
            record.setdefault("budget", {})[column.part or "value"] = value
        elif field_spec.many:
            record[column.field] = _split(value)
        else:
            record[column.field] = value
    return record, columns


def _field_of(message: str) -> str | None:
    match = re.match(r"^([a-z_]+)(?:\[\d+\])?(?:\.[a-z]+)?:", message)
    return match.group(1) if match else None


def _map_table(table: Table, mapped: _Mapped, seen: dict[str, Location], base: str) -> None:
    for index, name in enumerate(table.header):
        if name and _column_for(table.kind, name) is None:
            known = ", ".join(c.name for c in columns_of(table.kind))
            mapped.problems.append(
                (
                    _problem(
                        f"Unknown column {name!r} in {table.sheet}; the columns are: {known} "
                        "(and <field>_<lang> for other languages).",
                        None,
                    ),
                    Location(table.sheet, 1, name or f"#{index + 1}"),
                )
            )
    for number, cells in table.rows:
        mapped.counts[table.kind] = mapped.counts.get(table.kind, 0) + 1
        if table.kind == "place":
            _map_place(table, number, cells, mapped, seen, base)
            continue
        record, columns = _record(table, cells)
        spec = kind_spec(table.kind)
        label = (record.get("labels") or {}).get("en", "")
        slug = record.pop("slug", None) or slugify(label)
        if not slug:
            mapped.problems.append(
                (
                    _problem("No slug and no English name to make one from: fill label_en.", None),
                    Location(table.sheet, number, "label_en"),
                )
            )
            continue
        try:
            iri = entity_iri(spec.iri_kind, slug, base)
        except InputError as error:
            mapped.problems.append(
                (_problem(str(error), None), Location(table.sheet, number, "slug"))
            )
            continue
        if iri in seen:
            where = seen[iri]
            mapped.problems.append(
                (
                    _problem(
                        f"{short_name(URIRef(iri))} is already defined at {where.text()}; "
                        "give this row another slug.",
                        iri,
                    ),
                    Location(table.sheet, number, columns.get("slug", "label_en")),
                )
            )
            continue
        seen[iri] = Location(table.sheet, number)
        row = _Row(table, number, table.kind, iri, columns)
        mapped.rows.append(row)
        triples: set[Triple] = set()
        for field_name, value in record.items():
            try:
                triples.update(to_triples(spec, iri, {field_name: value}, base))
            except InputError as error:
                column = columns.get(field_name) or columns.get(
                    _field_of(str(error)) or "", field_name
                )
                mapped.problems.append(
                    (_problem(str(error), iri), Location(table.sheet, number, column))
                )
        if not record:
            triples.update(to_triples(spec, iri, {}, base))
        for triple in sorted(triples, key=str):
            subject = term_value(triple.subject)
            if subject != iri:
                part = "partners" if "/participation/" in subject else "budget"
                mapped.owners.setdefault(subject, (row, part))
        mapped.triples += sorted(triples, key=str)


def _map_place(
    table: Table,
    number: int,
    cells: Sequence[str],
    mapped: _Mapped,
    seen: dict[str, Location],
    base: str,
) -> None:
    values = {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(table.header)}
    kind = values.get("type", "").strip().lower()
    if kind not in ("city", "region", "country"):
        mapped.problems.append(
            (
                _problem("type must be city, region or country.", None),
                Location(table.sheet, number, "type"),
            )
        )
        return
    label = values.get("label_en", "")
    slug = values.get("slug") or slugify(label)
    try:
        iri = entity_iri(kind, slug, base)
    except InputError as error:
        mapped.problems.append((_problem(str(error), None), Location(table.sheet, number, "slug")))
        return
    if iri in seen:
        mapped.problems.append(
            (
                _problem(
                    f"{short_name(URIRef(iri))} is already defined at {seen[iri].text()}.", iri
                ),
                Location(table.sheet, number, "slug"),
            )
        )
        return
    seen[iri] = Location(table.sheet, number)
    row = _Row(
        table,
        number,
        "place",
        iri,
        {"labels": "label_en", "country": "country", "code": "code", "kind": "type"},
    )
    mapped.rows.append(row)
    subject = NamedNode(iri)
    cls = {"city": "City", "region": "Region", "country": "Country"}[kind]
    triples = [Triple(subject, NamedNode(RDF_TYPE), NamedNode(IKG + cls))]
    for name, value in values.items():
        match = _LANG_COLUMN.match(name)
        if match and match.group(1) == "label" and value:
            triples.append(
                Triple(subject, NamedNode(RDFS_LABEL), Literal(value, language=match.group(2)))
            )
    if values.get("country"):
        try:
            country = ref_iri(values["country"], "country", base, what="country")
            triples.append(Triple(subject, NamedNode(IKG + "country"), NamedNode(country)))
        except InputError as error:
            mapped.problems.append(
                (_problem(str(error), iri), Location(table.sheet, number, "country"))
            )
    if values.get("code"):
        triples.append(Triple(subject, NamedNode(SKOS + "notation"), Literal(values["code"])))
    mapped.triples += triples


def _locate(result: ValidationResult, mapped: _Mapped) -> Location:
    focus = str(result.focus_node)
    owner = mapped.owners.get(focus)
    rows = {row.iri: row for row in mapped.rows}
    if owner is not None:
        row, part = owner
        if part == "budget":
            budget_path = str(result.result_path or "")
            money = "budget_currency" if budget_path.endswith("currency") else "budget_value"
            return Location(row.table.sheet, row.number, money)
        return Location(row.table.sheet, row.number, row.columns.get("partners", "partners"))
    row_of = rows.get(focus)
    if row_of is None:
        return Location()
    path = result.result_path
    column: str | None = None
    if isinstance(path, URIRef):
        column = _column_of_path(row_of, str(path))
    elif row_of.kind == "actor":
        column = "kind"
    return Location(row_of.table.sheet, row_of.number, column)


def _column_of_path(row: _Row, path: str) -> str | None:
    if row.kind == "place":
        return {
            RDFS_LABEL: "label_en",
            IKG + "country": "country",
            SKOS + "notation": "code",
        }.get(path)
    spec = kind_spec(row.kind)
    for field_spec in spec.fields:
        if field_spec.predicate == path:
            if field_spec.kind == "labels":
                return row.columns.get("labels", "label_en")
            if field_spec.kind == "budget":
                return row.columns.get("value", "budget_value")
            return row.columns.get(field_spec.name, field_spec.name)
    return None


# ---------------------------------------------------------------------------------------
# Importing
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportOutcome:
    """What an import loaded: the batch, the files and how many rows of each kind."""

    batch: BatchResult
    files: tuple[str, ...]
    counts: dict[str, int]


def _is_rdf(name: str) -> bool:
    return PurePath(name).suffix.lower() in RDF_EXTENSIONS


def import_files(
    store: Store,
    uploads: Sequence[tuple[str, bytes]],
    *,
    kind: str | None = None,
    agent: str = "api",
    base: str = BASE,
) -> ImportOutcome:
    """Import files as one batch: RDF files as they are, or workbook/CSV rows mapped to RDF.

    RDF and workbooks are not mixed in one import.

    Raises:
        InputError: a file cannot be read, or RDF and tables are mixed.
        ValidationFailed: a cell cannot be read or the data breaks a shape; the report is
            an :class:`ImportReport` naming sheet, row and column. Nothing is loaded.
        Conflict: (RDF) a graph the file names already holds data.
    """
    if not uploads:
        msg = "Nothing to import: send one or more files."
        raise InputError(msg)
    names = tuple(name for name, _ in uploads)
    source = source_iri(b"".join(data for _, data in uploads))
    rdf = [_is_rdf(name) for name in names]
    if any(rdf) and not all(rdf):
        msg = "Import RDF files and workbooks separately: one import is one batch of one kind."
        raise InputError(msg)
    label = ", ".join(names)
    if all(rdf):
        if len(uploads) != 1:
            msg = "Import one RDF file at a time (each file is its own batch); or merge them first."
            raise InputError(msg)
        name, data = uploads[0]
        batch = load_batch(
            store,
            data,
            RDF_EXTENSIONS[PurePath(name).suffix.lower()],
            source=source,
            agent=_agent(agent, base),
            title=f"Import of {name}",
            label=name,
        )
        return ImportOutcome(batch, names, {})
    tables: list[Table] = []
    for name, data in uploads:
        tables += read_tables(data, name, kind=kind)
    mapped = _Mapped()
    seen: dict[str, Location] = {}
    order = list(SHEETS.values())
    for table in sorted(tables, key=lambda t: order.index(t.kind)):
        _map_table(table, mapped, seen, base)
    if mapped.problems:
        report = _report(mapped.problems)
        raise ValidationFailed(_message(report, label, "cannot be read"), report)
    if not mapped.triples:
        msg = f"{label}: the sheets hold no rows below their header."
        raise InputError(msg)
    data = serialize(mapped.triples, format=RdfFormat.N_TRIPLES) or b""
    try:
        batch = load_batch(
            store,
            data,
            "application/n-triples",
            source=source,
            agent=_agent(agent, base),
            title=f"Import of {label}",
            label=label,
        )
    except ValidationFailed as error:
        found = error.report or ValidationReport()
        located = _report([(result, _locate(result, mapped)) for result in found.results])
        raise ValidationFailed(_message(located, label, "breaks the shapes"), located) from None
    return ImportOutcome(batch, names, dict(sorted(mapped.counts.items())))


def _agent(name: str, base: str) -> str:
    from inclusion_kg.graph.provenance import agent_iri

    return agent_iri(name, base)


def _message(report: ImportReport, label: str, what: str) -> str:
    violations = [i for i, r in enumerate(report.results) if r.severity is Severity.VIOLATION]
    first = violations[0] if violations else 0
    count = len(violations)
    result = report.results[first]
    return (
        f"{label} {what} ({count} problem{'s' if count != 1 else ''}); nothing was loaded. "
        f"First, at {report.location_of(first).text()}: {result.message}"
    )


# ---------------------------------------------------------------------------------------
# Template and example
# ---------------------------------------------------------------------------------------


def template_file(name: str = "import-template.xlsx") -> bytes:
    """Return a workbook shipped with the package (the template or ``import-example.xlsx``)."""
    return (files("inclusion_kg.graph") / "templates" / name).read_bytes()


_README = [
    "inclusion-kg import workbook",
    "",
    "One sheet per kind: places, actors, councils, documents, projects, partnerships, services.",
    "Row 1 holds the column names; fill one row per entity below it. Empty sheets are fine.",
    "slug: the last segment of the entity's IRI (https://w3id.org/inclusion-kg/id/<kind>/<slug>);",
    "      leave it empty to make it from label_en.",
    "label_<lang>, alt_labels_<lang>, description_<lang>, title_<lang>: text in a language;",
    "      add columns for other languages (label_it, label_pl, ...). label_en is required.",
    "Lists: separate values with ';'. partners: actor:role pairs, such as iom:implementer.",
    "References: a slug (palermo, iom), kind/slug (city/palermo) or a full IRI.",
    "Concepts: the slugs on the 'vocabularies' sheet.",
    "The whole workbook is validated at once and loaded as one batch, or rejected with a",
    "report naming sheet, row and column. See docs/import-template.md.",
]


def _vocabulary_rows() -> list[tuple[str, str, str]]:
    rows = []
    for scheme in (
        "actor-type",
        "policy-area",
        "target-group",
        "legal-status",
        "partnership-type",
        "formality",
        "role-equality",
        "partner-role",
        "resource-type",
        "member-selection",
    ):
        for slug, label in scheme_concepts(scheme).items():
            rows.append((scheme, slug, label))
    return rows


def _workbook(rows_by_sheet: Mapping[str, list[list[Any]]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    readme = workbook.active
    assert readme is not None  # noqa: S101 - a new workbook has one sheet
    readme.title = "README"
    for line in _README:
        readme.append([line])
    bold = Font(bold=True)
    for sheet_name, kind in SHEETS.items():
        sheet = workbook.create_sheet(sheet_name)
        columns = columns_of(kind)
        sheet.append([c.name for c in columns])
        for cell in sheet[1]:
            cell.font = bold
        for index, column in enumerate(columns, 1):
            sheet.cell(row=1, column=index).comment = None
            letter = sheet.cell(row=1, column=index).column_letter
            sheet.column_dimensions[letter].width = max(12, min(40, len(column.name) + 6))
        for row in rows_by_sheet.get(sheet_name, []):
            sheet.append(row)
    vocab = workbook.create_sheet("vocabularies")
    vocab.append(["scheme", "slug", "label"])
    for cell in vocab[1]:
        cell.font = bold
    for scheme, slug, label in _vocabulary_rows():
        vocab.append([scheme, slug, label])
    fixed = datetime(2020, 5, 28)
    workbook.properties.created = fixed
    workbook.properties.modified = fixed
    workbook.properties.creator = "inclusion-kg"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def build_template() -> bytes:
    """Build the empty import workbook: README, one sheet per kind, the vocabularies."""
    return _workbook({})


def _cell_text(value: Any, field_spec: FieldSpec | None, base: str) -> Any:
    if value is None:
        return None
    if isinstance(value, list):
        items = [
            _ref_text(v, base) if field_spec and field_spec.kind == "ref" else str(v) for v in value
        ]
        return "; ".join(items) if items else None
    if field_spec is not None and field_spec.kind == "ref":
        return _ref_text(str(value), base)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _ref_text(value: str, base: str) -> str:
    prefix = f"{base}id/"
    return value[len(prefix) :] if value.startswith(prefix) else value


def _row_of(kind: str, iri: str, record: Mapping[str, Any], base: str) -> list[Any]:
    spec = kind_spec(kind)
    row: list[Any] = []
    for column in columns_of(kind):
        if column.field == "slug":
            row.append(local_name(iri))
            continue
        field_spec = spec.field(column.field)
        value = record.get(column.field)
        if column.lang is not None:
            text = (value or {}).get(column.lang)
            row.append("; ".join(text) if isinstance(text, list) else text)
        elif field_spec.kind == "partners":
            pairs = [
                f"{_ref_text(p['actor'], base)}:{p['role']}"
                if p.get("role")
                else _ref_text(p["actor"], base)
                for p in value or []
            ]
            row.append("; ".join(pairs) or None)
        elif field_spec.kind == "budget":
            row.append((value or {}).get(column.part or "value"))
        else:
            row.append(_cell_text(value, field_spec, base))
    return row


def build_example(triples: Iterable[Triple], base: str = BASE) -> bytes:
    """Build a filled workbook from data (the seeds).

    Every place, actor, council, document, project, partnership and service the triples
    describe becomes a row of the template.
    """
    all_triples = list(set(triples))
    types: dict[str, set[str]] = {}
    for triple in all_triples:
        if triple.predicate.value == RDF_TYPE and isinstance(triple.object, NamedNode):
            types.setdefault(term_value(triple.subject), set()).add(triple.object.value)
    rows: dict[str, list[list[Any]]] = {name: [] for name in SHEETS}
    by_subject: dict[str, list[Triple]] = {}
    for triple in all_triples:
        by_subject.setdefault(term_value(triple.subject), []).append(triple)
    for iri in sorted(types):
        classes = {local_name(c) for c in types[iri] if c.startswith(IKG)}
        if not iri.startswith(f"{base}id/"):
            continue
        place = next((c for c in ("City", "Region", "Country") if c in classes), None)
        if place is not None:
            rows["places"].append(_place_row(iri, place, by_subject.get(iri, []), base))
            continue
        kind = _kind_of(classes)
        if kind is None:
            continue
        record = from_triples(kind_spec(kind), iri, all_triples, base)
        rows[f"{kind}s"].append(_row_of(kind, iri, record, base))
    return _workbook(rows)


def _kind_of(classes: set[str]) -> str | None:
    if "MigrantCouncil" in classes:
        return "council"
    for kind in ("partnership", "project", "service", "document"):
        if set(KINDS[kind].classes) & classes:
            return kind
    if set(kind_spec("actor").classes) & classes:
        return "actor"
    return None


def _place_row(iri: str, cls: str, triples: Sequence[Triple], base: str) -> list[Any]:
    label = next(
        (
            t.object.value
            for t in triples
            if t.predicate.value == RDFS_LABEL
            and isinstance(t.object, Literal)
            and t.object.language == "en"
        ),
        None,
    )
    country = next(
        (term_value(t.object) for t in triples if t.predicate.value == IKG + "country"), None
    )
    code = next(
        (term_value(t.object) for t in triples if t.predicate.value == SKOS + "notation"), None
    )
    return [
        cls.lower(),
        local_name(iri),
        label,
        _ref_text(country, base).removeprefix("country/") if country else None,
        code,
    ]


def iter_columns() -> Iterator[tuple[str, Column]]:
    """Yield (sheet, column) for every column of the template (for the documentation)."""
    for sheet, kind in SHEETS.items():
        for column in columns_of(kind):
            yield sheet, column
