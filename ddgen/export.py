"""Export: an `Edition` -> downloadable files, byte for byte the same for the same input.

Input: an `Edition` from `publish` (so a public file never holds more than the public site).
Output: file name -> bytes. `downloads(edition)` is everything the website offers under downloads/;
`export_files(edition, formats)` is the part `ddgen export --format ...` asks for. No problem codes:
a valid edition always exports.

Formats:
- `oshub`: `open-supply-hub.csv`, the Open Supply Hub list upload (columns `country`, `name`,
  `address`, `sector`, `product_type`, `facility_type`, `processing_type`, `parent_company`,
  `number_of_workers`, `lat`, `lng`; several values in one cell joined with `|`; workers as a number
  or a range such as `100-150`). Exited suppliers are left out: the list names current locations.
  A band without an upper bound (`>10000`) has no Open Supply Hub form and is left empty.
- `pledge`: `transparency-pledge.csv`, the five Transparency Pledge fields in English headers, workers
  in the Pledge's bands (<1000, 1001-5000, 5001-10000, >10000), plus the "beyond the Pledge" fields.
- `xlsx`: `due-diligence.xlsx`, a sheet per record type (header frozen, filters on, widths set,
  dates as dates), and `suppliers.xlsx`, the supplier list alone.
- `datapackage`: `datapackage.json`, a Frictionless tabular data package describing the CSV files
  (field types, allowed values, primary and foreign keys, size and SHA-256 of each file).
- `csv`/`json`: the supplier list as `suppliers.json`; the CSV tables belong to the data package.

The supplier table uses ddgen's own names where Open Supply Hub has none, so `ddgen import
suppliers` reads every export back (the round trip is tested).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from .countries import country_name
from .derive.assessment import order_key, priority, severity
from .derive.progress import kpi_progress
from .memo import LINES
from .model.common import Scope
from .model.value_chain import Supplier, SupplierStatus
from .publish import Edition
from .xlsx import Sheet, workbook, worksheets

Row = dict[str, Any]

FORMATS = ("oshub", "pledge", "xlsx", "datapackage")
"""What `ddgen export --format` offers; `all` is every one of them plus `suppliers.json`."""


@dataclass(frozen=True)
class Column:
    """One column of a table: its name, its Frictionless field type and what it holds."""

    name: str
    type: str = "string"
    description: str = ""
    enum: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None

    def field(self) -> dict[str, Any]:
        """The Table Schema field descriptor."""
        out: dict[str, Any] = {"name": self.name, "type": self.type}
        if self.description:
            out["description"] = self.description
        if self.type == "boolean":
            out["trueValues"], out["falseValues"] = ["yes"], ["no"]
        if self.type == "date":
            out["format"] = "default"
        constraints: dict[str, Any] = {}
        if self.enum:
            constraints["enum"] = list(self.enum)
        if self.minimum is not None:
            constraints["minimum"] = self.minimum
        if self.maximum is not None:
            constraints["maximum"] = self.maximum
        if constraints:
            out["constraints"] = constraints
        return out


@dataclass(frozen=True)
class Table:
    """Rows of one record type, with what the data package says about them."""

    name: str  # resource name and CSV file stem
    sheet: str  # XLSX sheet title
    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    primary_key: str | None = "id"
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (field, resource, field)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _join(values: Iterable[str]) -> str:
    return "|".join(values)


def _number(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


def _value(enum_value: Any) -> str | None:
    return None if enum_value is None else str(enum_value.value)


# --------------------------------------------------------------------------- suppliers

_PERCENT: dict[str, Any] = {"minimum": 0, "maximum": 100}
SUPPLIER_SCHEMA = (
    Column("id", description="ddgen's id of the supplier; stays the same from one edition to the next."),
    Column("name", description="Full legal name of the production site (Transparency Pledge field 1)."),
    Column("local_name", description="Name in the local script or language."),
    Column("address", description="Street, number, city and postcode, without the country (Pledge field 2)."),
    Column("country_code", description="ISO 3166-1 alpha-2 country code."),
    Column("country_name", description="Country name in English."),
    Column("lat", "number", "Latitude (WGS 84).", minimum=-90, maximum=90),
    Column("lng", "number", "Longitude (WGS 84).", minimum=-180, maximum=180),
    Column("tier", "integer", "1 makes our products; 2 supplies tier 1; 3 and up further upstream.", minimum=1, maximum=9),
    Column("parent_company", description="Majority owner of the business at the site (Pledge field 3)."),
    Column("sector", description="Sector, as in the Open Supply Hub sector list."),
    Column("product_type", description="Types of products made, separated by '|' (Pledge field 4)."),
    Column("facility_type", description="Type of facility."),
    Column("processing_type", description="Processing done at the site, separated by '|'."),
    Column("number_of_workers", description="A number, or a range such as 1001-5000 (Pledge field 5)."),
    Column("percent_female_workers", "number", "Share of women in the workforce, in percent.", **_PERCENT),
    Column("percent_migrant_workers", "number", "Share of migrant workers, in percent.", **_PERCENT),
    Column("worker_representation", description="Trade union or elected worker committee at the site."),
    Column("certifications", description="Certificates, separated by '|', each with its expiry date if known; "
                                         "the certifications table has the details."),
    Column("os_id", description="Open Supply Hub ID of the production location."),
    Column("relationship_since", "year", "Year the business relationship started."),
    Column("code_signed_on", "date", "Date the supplier signed our code of conduct."),
    Column("strategic", "boolean", "Whether we count the supplier as strategic."),
    Column("status", description="Whether we still buy from the supplier.", enum=tuple(s.value for s in SupplierStatus)),
    Column("exit_on", "date", "Date the relationship ended or will end."),
    Column("exit_kind", description="Why the relationship ended."),
    Column("exit_reason", description="How and why the relationship ended, in words."),
    Column("supplies_to", description="Ids of the suppliers this site delivers to, separated by '|'."),
    Column("products", description="Ids of our products made with this supplier, separated by '|'."),
    Column("raw_materials", description="Ids of the raw materials involved, separated by '|'."),
    Column("website", description="The supplier's website."),
    Column("scope", description="Who may see the record when it says so itself: public, partner or internal.",
           enum=tuple(s.value for s in Scope)),
)
SENSITIVE_SUPPLIER_SCHEMA = (
    Column("purchase_share", "number", "Share of our purchases, in percent.", **_PERCENT),
    Column("contract_reference", description="Our contract reference."),
)
SUPPLIER_COLUMNS = tuple(c.name for c in SUPPLIER_SCHEMA)


def _certificate(c: Any) -> str:
    return f"{c.scheme} (valid until {c.valid_until.isoformat()})" if c.valid_until else c.scheme


def supplier_row(s: Supplier) -> Row:
    return {
        "id": s.id, "name": s.name, "local_name": s.local_name, "address": s.address,
        "country_code": s.country, "country_name": country_name(s.country, "en"),
        "lat": s.lat, "lng": s.lng, "tier": s.tier, "parent_company": s.parent_company, "sector": s.sector,
        "product_type": _join(s.product_types), "facility_type": s.facility_type,
        "processing_type": _join(s.processing_types), "number_of_workers": s.workers,
        "percent_female_workers": _number(s.percent_female), "percent_migrant_workers": _number(s.percent_migrant),
        "worker_representation": s.worker_representation,
        "certifications": _join(_certificate(c) for c in s.certifications),
        "os_id": s.os_id, "relationship_since": s.relationship_since, "code_signed_on": s.code_signed_on,
        "strategic": _yes_no(s.strategic), "status": s.status.value,
        "exit_on": s.exit.on if s.exit else None, "exit_kind": _value(s.exit.kind) if s.exit else None,
        "exit_reason": s.exit.reason if s.exit else None,
        "supplies_to": _join(s.supplies_to), "products": _join(s.products), "raw_materials": _join(s.raw_materials),
        "website": s.website, "scope": _value(s.scope),
        "purchase_share": _number(s.purchase_share), "contract_reference": s.contract_reference,
    }


def supplier_rows(edition: Edition) -> list[Row]:
    return [supplier_row(s) for s in edition.dossier.suppliers]


def _with_sensitive(edition: Edition, rows: Sequence[Row], base: Sequence[Column],
                    sensitive: Sequence[Column]) -> tuple[Column, ...]:
    """Sensitive columns appear in internal editions, or where a record made its value visible."""
    shown = [c for c in sensitive
             if edition.scope is Scope.INTERNAL or any(r.get(c.name) is not None for r in rows)]
    return (*base, *shown)


def supplier_table(edition: Edition) -> Table:
    rows = supplier_rows(edition)
    return Table("suppliers", "Suppliers", "Suppliers and production sites",
                 _with_sensitive(edition, rows, SUPPLIER_SCHEMA, SENSITIVE_SUPPLIER_SCHEMA), tuple(rows))


CERTIFICATION_SCHEMA = (
    Column("supplier_id", description="Id of the supplier in the suppliers table."),
    Column("scheme", description="Certification scheme or standard."),
    Column("certificate_id", description="Certificate number."),
    Column("valid_until", "date", "Last day the certificate is valid."),
    Column("scope_note", description="What the certificate covers."),
)


def certification_table(edition: Edition) -> Table:
    rows = tuple(
        {"supplier_id": s.id, "scheme": c.scheme, "certificate_id": c.certificate_id, "valid_until": c.valid_until,
         "scope_note": c.scope_note}
        for s in edition.dossier.suppliers for c in s.certifications)
    return Table("certifications", "Certifications", "Certificates of suppliers", CERTIFICATION_SCHEMA, rows,
                 primary_key=None, foreign_keys=(("supplier_id", "suppliers", "id"),))


# --------------------------------------------------------------------------- other record types

PRODUCT_SCHEMA = (
    Column("id"), Column("name"), Column("direction", description="bought, produced and/or sold, separated by '|'."),
    Column("category"), Column("description"),
    Column("raw_materials", description="Ids of raw materials, separated by '|'."),
    Column("origin_countries", description="ISO country codes, separated by '|'."),
    Column("origin_unknown", "boolean"), Column("transport"), Column("information_source"),
    Column("in_scope_reasons", description="Why the product is looked at first, separated by '|'."),
)
SENSITIVE_PRODUCT_SCHEMA = (Column("spend_share", "number", "Share of our spend, in percent.", **_PERCENT),)


def product_table(edition: Edition) -> Table:
    rows = tuple({
        "id": p.id, "name": p.name, "direction": _join(d.value for d in p.direction), "category": p.category,
        "description": p.description, "raw_materials": _join(p.raw_materials),
        "origin_countries": _join(p.origin_countries), "origin_unknown": _yes_no(p.origin_unknown),
        "transport": p.transport, "information_source": p.information_source.value,
        "in_scope_reasons": _join(r.value for r in p.in_scope_reasons), "spend_share": _number(p.spend_share),
    } for p in edition.dossier.products)
    return Table("products", "Products", "Products and services",
                 _with_sensitive(edition, rows, PRODUCT_SCHEMA, SENSITIVE_PRODUCT_SCHEMA), rows)


RAW_MATERIAL_SCHEMA = (
    Column("id"), Column("name"), Column("origin_countries", description="ISO country codes, separated by '|'."),
    Column("processing_countries", description="ISO country codes, separated by '|'."),
    Column("origin_unknown", "boolean"), Column("information_source"),
    Column("certified_share", "number", "Certified share, in percent.", **_PERCENT),
    Column("certification"), Column("notes"),
)


def raw_material_table(edition: Edition) -> Table:
    rows = tuple({
        "id": m.id, "name": m.name, "origin_countries": _join(m.origin_countries),
        "processing_countries": _join(m.processing_countries), "origin_unknown": _yes_no(m.origin_unknown),
        "information_source": m.information_source.value, "certified_share": _number(m.certified_share),
        "certification": m.certification, "notes": m.notes,
    } for m in edition.dossier.raw_materials)
    return Table("raw_materials", "Raw materials", "Raw materials and their origins", RAW_MATERIAL_SCHEMA, rows)


RISK_SCHEMA = (
    Column("rank", "integer", "Place in the register: highest priority first."), Column("id"), Column("title"),
    Column("theme"), Column("impact"), Column("status"),
    Column("countries", description="ISO country codes, separated by '|'."),
    Column("suppliers", description="Supplier ids, separated by '|'."),
    Column("products", description="Product ids, separated by '|'."),
    Column("raw_materials", description="Raw material ids, separated by '|'."),
    Column("scale", "integer", "Severity: how grave (1-5).", minimum=1, maximum=5),
    Column("scope", "integer", "Severity: how widespread (1-5).", minimum=1, maximum=5),
    Column("irremediability", "integer", "Severity: how hard to remedy (1-5).", minimum=1, maximum=5),
    Column("severity", "number", "Severity score derived from scale, scope and irremediability."),
    Column("likelihood", "integer", "1 very unlikely to 5 (almost) certain or happening.", minimum=1, maximum=5),
    Column("priority"), Column("involvement", description="cause, contribute or directly_linked."),
    Column("assessed_on", "date"),
)
RISK_COLUMNS = tuple(c.name for c in RISK_SCHEMA)


def risk_rows(edition: Edition) -> list[Row]:
    return [{
        "rank": rank, "id": r.id, "title": r.title, "theme": r.theme.value, "impact": r.impact.value,
        "status": r.status.value, "countries": _join(r.countries), "suppliers": _join(r.suppliers),
        "products": _join(r.products), "raw_materials": _join(r.raw_materials),
        "scale": r.severity.scale, "scope": r.severity.scope, "irremediability": r.severity.irremediability,
        "severity": str(severity(r)), "likelihood": r.likelihood, "priority": priority(r).value,
        "involvement": r.involvement.value, "assessed_on": r.assessed_on,
    } for rank, r in enumerate(sorted(edition.dossier.risks, key=order_key), start=1)]


ACTION_SCHEMA = (
    Column("id"), Column("title"), Column("kind"), Column("risks", description="Risk ids, separated by '|'."),
    Column("suppliers", description="Supplier ids, separated by '|'."), Column("owner"),
    Column("partners", description="Partners, separated by '|'."), Column("status"),
    Column("start_on", "date"), Column("due_on", "date"), Column("completed_on", "date"),
    Column("corrective_action_plan", "boolean", "Whether the action is a corrective action plan."),
)
ACTION_COLUMNS = tuple(c.name for c in ACTION_SCHEMA)


def action_rows(edition: Edition) -> list[Row]:
    return [{
        "id": a.id, "title": a.title, "kind": a.kind.value, "risks": _join(a.risks), "suppliers": _join(a.suppliers),
        "owner": a.owner, "partners": _join(a.partners), "status": a.status.value,
        "start_on": a.start_on, "due_on": a.due_on, "completed_on": a.completed_on,
        "corrective_action_plan": _yes_no(a.corrective_action_plan is not None),
    } for a in edition.dossier.actions]


KPI_SCHEMA = (
    Column("id"), Column("name"), Column("step", "integer", "Due-diligence step (1-6).", minimum=1, maximum=6),
    Column("unit"), Column("direction"), Column("baseline_value", "number"), Column("baseline_year", "year"),
    Column("target_value", "number"), Column("target_deadline", "date"), Column("status"),
    Column("year", "year", "Year of the measured value; one row per year."), Column("value", "number"),
    Column("women", "number"), Column("men", "number"),
)
KPI_COLUMNS = tuple(c.name for c in KPI_SCHEMA)


def kpi_rows(edition: Edition) -> list[Row]:
    rows = []
    for k in edition.dossier.kpis:
        progress = kpi_progress(k, edition.as_of)
        base = {"id": k.id, "name": k.name, "step": k.step, "unit": k.unit, "direction": k.direction.value,
                "baseline_value": _number(k.baseline.value), "baseline_year": k.baseline.year,
                "target_value": _number(k.target.value), "target_deadline": k.target.deadline,
                "status": progress.status.value}
        measured: list[Any] = sorted(k.values, key=lambda m: m.year) or [None]
        for m in measured:
            rows.append({**base, "year": m.year if m else None, "value": _number(m.value) if m else None,
                         "women": _number(m.women) if m else None, "men": _number(m.men) if m else None})
    return rows


def tables(edition: Edition) -> list[Table]:
    """Every record type as a table, in the order of the six steps."""
    return [
        supplier_table(edition), certification_table(edition), product_table(edition), raw_material_table(edition),
        Table("risks", "Risks", "Risk register with scores and priority", RISK_SCHEMA, tuple(risk_rows(edition))),
        Table("actions", "Actions", "Actions and corrective action plans", ACTION_SCHEMA, tuple(action_rows(edition))),
        Table("kpis", "KPIs", "Indicators with their values per year", KPI_SCHEMA, tuple(kpi_rows(edition)),
              primary_key=None),
    ]


# --------------------------------------------------------------------------- writers

def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _csv_line() -> Callable[[Sequence[Any]], str]:
    """What writes one row of values as a CSV line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")

    def line(values: Sequence[Any]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_cell(value) for value in values])
        return buffer.getvalue()

    return line


def to_csv(rows: Sequence[Row], columns: Sequence[str]) -> bytes:
    """A header and a line per row; each distinct row is written once (`memo.LINES`)."""
    columns = tuple(columns)
    line = _csv_line()
    lines = LINES.made(("csv", columns), (tuple(map(row.get, columns)) for row in rows), line)
    return (line(columns) + "".join(lines)).encode("utf-8")


def _json_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


def to_json(rows: Sequence[Row], meta: dict[str, Any], columns: Sequence[str] | None = None) -> bytes:
    """The metadata, then one record per line: readable, diffs line by line, and written by the JSON
    module's C encoder (which `indent=` turns off: ten times slower for 10,000 suppliers). With
    `columns`, each distinct row is written once (`memo.LINES`)."""
    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, default=_json_value)

    lines = ["{", *(f"  {dump(key)}: {dump(value)}," for key, value in meta.items()), '  "records": [']
    if columns is None:
        lines += [f"    {dump(record)}," for record in rows]
    else:
        names = tuple(columns)
        lines += LINES.made(("json", names), (tuple(map(row.get, names)) for row in rows),
                            lambda values: f"    {dump(dict(zip(names, values, strict=True)))},")
    if rows:
        lines[-1] = lines[-1][:-1]
    return ("\n".join([*lines, "  ]", "}"]) + "\n").encode()


def to_xlsx(sheets: Sequence[Table], when: date, title: str, written: Sequence[tuple[str, str]] | None = None) -> bytes:
    """One workbook, a sheet per table: header frozen, filter on, widths set, dates as dates.

    Written by `ddgen.xlsx`, not openpyxl: at 10,000 suppliers openpyxl took a third of the render time.
    `written`: the sheets already made by `xlsx.worksheets` (the supplier sheet is in two workbooks).
    """
    return workbook(_sheets(sheets), when, title, written)


def _sheets(tables: Sequence[Table]) -> list[Sheet]:
    return [Sheet(table.sheet, table.names, table.rows) for table in tables]


# --------------------------------------------------------------------------- Open Supply Hub and the Pledge

OSHUB_COLUMNS = ("country", "name", "address", "sector", "product_type", "facility_type", "processing_type",
                 "parent_company", "number_of_workers", "lat", "lng")
"""The Open Supply Hub list-upload columns (contributor template plus the five extra data points)."""


def _current(edition: Edition) -> list[Supplier]:
    return [s for s in edition.dossier.suppliers if s.status is not SupplierStatus.EXITED]


def _bounds(workers: int | str | None) -> tuple[int | None, int | None] | None:
    """A worker figure as (lowest, highest); None where it is not a number or range."""
    if workers is None:
        return None
    if isinstance(workers, int):
        return workers, workers
    text = workers.replace(" ", "")
    if m := re.fullmatch(r"(\d+)-(\d+)", text):
        return int(m[1]), int(m[2])
    if m := re.fullmatch(r"<(\d+)", text):
        return 1, int(m[1])
    if m := re.fullmatch(r">(\d+)", text):
        return int(m[1]) + 1, None
    return None


def oshub_workers(workers: int | str | None) -> str | None:
    """Open Supply Hub takes a number or a range such as 100-150; an open-ended band has no form there."""
    bounds = _bounds(workers)
    if bounds is None or bounds[1] is None:
        return None
    low, high = bounds
    return str(low) if low == high else f"{low}-{high}"


PLEDGE_BANDS = ((1000, "<1000"), (5000, "1001-5000"), (10000, "5001-10000"))


def _band(n: int) -> str:
    return next((label for top, label in PLEDGE_BANDS if n <= top), ">10000")


def pledge_workers(workers: int | str | None) -> str | None:
    """The Pledge's band; a range across two bands stays as written. 1,000 counts as the first band."""
    bounds = _bounds(workers)
    if bounds is None:
        return None if workers is None else str(workers)
    low, high = bounds
    if low is None or high is None:
        return _band(low) if low is not None and low > 10000 else str(workers)
    return _band(low) if _band(low) == _band(high) else str(workers)


def oshub_rows(edition: Edition) -> list[Row]:
    return [{
        "country": s.country, "name": s.name, "address": s.address, "sector": s.sector,
        "product_type": _join(s.product_types), "facility_type": s.facility_type,
        "processing_type": _join(s.processing_types), "parent_company": s.parent_company,
        "number_of_workers": oshub_workers(s.workers), "lat": s.lat, "lng": s.lng,
    } for s in _current(edition)]


PLEDGE_COLUMNS = ("Site name", "Site address", "Country", "Parent company", "Type of products made",
                  "Number of workers", "Facility type", "Processing type", "Tier", "Percentage of female workers",
                  "Percentage of migrant workers", "Worker representation", "OS ID")
"""The Pledge's five fields (name, address, parent company, products, workers), then what goes beyond it."""


def pledge_rows(edition: Edition) -> list[Row]:
    return [dict(zip(PLEDGE_COLUMNS, (
        s.name, s.address, country_name(s.country, "en"), s.parent_company, _join(s.product_types),
        pledge_workers(s.workers), s.facility_type, _join(s.processing_types), s.tier, _number(s.percent_female),
        _number(s.percent_migrant), s.worker_representation, s.os_id,
    ), strict=True)) for s in _current(edition)]


# --------------------------------------------------------------------------- the data package

def _slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-") or "ddgen"


def datapackage(edition: Edition, files: dict[str, bytes], all_tables: Sequence[Table]) -> bytes:
    """`datapackage.json` for the CSV files in `files`: a Frictionless tabular data package."""
    company = edition.dossier.company
    publisher = company.name if company else "ddgen"
    resources = []
    for table in all_tables:
        data = files[f"{table.name}.csv"]
        schema: dict[str, Any] = {"fields": [c.field() for c in table.columns], "missingValues": [""]}
        if table.primary_key:
            schema["primaryKey"] = [table.primary_key]
        if table.foreign_keys:
            schema["foreignKeys"] = [{"fields": [f], "reference": {"resource": res, "fields": [ref]}}
                                     for f, res, ref in table.foreign_keys]
        resources.append({
            "name": table.name, "path": f"{table.name}.csv", "title": table.title,
            "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "bytes": len(data), "hash": f"sha256:{hashlib.sha256(data).hexdigest()}",
            "dialect": {"delimiter": ",", "lineTerminator": "\n", "header": True}, "schema": schema,
        })
    descriptor = {
        "profile": "tabular-data-package",
        "name": f"{_slug(publisher)}-due-diligence",
        "title": f"{publisher}: due diligence data ({edition.scope.value} edition)",
        "description": "Suppliers, risks, actions and indicators behind the due-diligence report. Several values "
                       "in one cell are separated by '|'; countries are ISO 3166-1 alpha-2 codes.",
        "created": f"{edition.as_of.isoformat()}T00:00:00Z",
        "resources": resources,
    }
    return (json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n").encode()


# --------------------------------------------------------------------------- what is written

def _meta(edition: Edition) -> dict[str, Any]:
    company = edition.dossier.company
    return {"publisher": company.name if company else None, "as_of": edition.as_of.isoformat(),
            "scope": edition.scope.value}


def _csv_tables(edition: Edition, all_tables: Sequence[Table]) -> dict[str, bytes]:
    return {f"{t.name}.csv": to_csv(t.rows, t.names) for t in all_tables}


Writer = Callable[[Edition, Sequence[Table]], dict[str, bytes]]


def _oshub(edition: Edition, _tables: Sequence[Table]) -> dict[str, bytes]:
    return {"open-supply-hub.csv": to_csv(oshub_rows(edition), OSHUB_COLUMNS)}


def _pledge(edition: Edition, _tables: Sequence[Table]) -> dict[str, bytes]:
    return {"transparency-pledge.csv": to_csv(pledge_rows(edition), PLEDGE_COLUMNS)}


def _xlsx(edition: Edition, all_tables: Sequence[Table]) -> dict[str, bytes]:
    publisher = _meta(edition)["publisher"]
    written = worksheets(_sheets(all_tables))
    return {
        "due-diligence.xlsx": to_xlsx(all_tables, edition.as_of, f"{publisher} due diligence data", written),
        "suppliers.xlsx": to_xlsx(all_tables[:1], edition.as_of, f"{publisher} supplier list", written[:1]),
    }


def _datapackage(edition: Edition, all_tables: Sequence[Table]) -> dict[str, bytes]:
    files = _csv_tables(edition, all_tables)
    return {**files, "datapackage.json": datapackage(edition, files, all_tables)}


WRITERS: dict[str, Writer] = {"oshub": _oshub, "pledge": _pledge, "xlsx": _xlsx, "datapackage": _datapackage}


def export_files(edition: Edition, formats: Iterable[str], all_tables: Sequence[Table] | None = None) -> dict[str, bytes]:
    """The files of the chosen formats, by file name, in a stable order (`all_tables`: when already made)."""
    all_tables = tables(edition) if all_tables is None else all_tables
    out: dict[str, bytes] = {}
    for name in formats:
        out.update(WRITERS[name](edition, all_tables))
    return dict(sorted(out.items()))


def downloads(edition: Edition) -> dict[str, bytes]:
    """The files the site offers under downloads/, by file name: every format, plus suppliers.json."""
    all_tables = tables(edition)
    files = export_files(edition, FORMATS, all_tables)
    suppliers = next(t for t in all_tables if t.name == "suppliers")
    files["suppliers.json"] = to_json(suppliers.rows, _meta(edition), suppliers.names)
    return dict(sorted(files.items()))
