"""Export: an `Edition` -> downloadable files (CSV, JSON, XLSX), byte for byte the same for the same input.

Supplier columns follow the Open Supply Hub upload and download templates where they overlap
(`name`, `address`, `country_code`, `parent_company`, `product_type`, `facility_type`,
`processing_type`, `number_of_workers`, `os_id`, `lat`, `lng`, multiple values joined with `|`),
and carry the five Transparency Pledge fields. Only what the edition holds is written, so a public
download can never contain more than the public site.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from .countries import country_name
from .derive.assessment import order_key, priority, severity
from .derive.progress import kpi_progress
from .publish import Edition

SUPPLIER_COLUMNS = (
    "id", "name", "local_name", "address", "country_code", "country_name", "lat", "lng", "tier",
    "parent_company", "sector", "product_type", "facility_type", "processing_type", "number_of_workers",
    "percent_female_workers", "percent_migrant_workers", "worker_representation", "certifications",
    "os_id", "relationship_since", "status", "supplies_to",
)

Row = dict[str, Any]


def _join(values: Iterable[str]) -> str:
    return "|".join(values)


def _number(value: float | None) -> str | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def supplier_rows(edition: Edition) -> list[Row]:
    rows = []
    for s in edition.dossier.suppliers:
        rows.append({
            "id": s.id, "name": s.name, "local_name": s.local_name, "address": s.address,
            "country_code": s.country, "country_name": country_name(s.country, "en"),
            "lat": s.lat, "lng": s.lng, "tier": s.tier, "parent_company": s.parent_company,
            "sector": s.sector,
            "product_type": _join(s.product_types), "facility_type": s.facility_type,
            "processing_type": _join(s.processing_types),
            "number_of_workers": s.workers if s.workers is not None else None,
            "percent_female_workers": _number(s.percent_female),
            "percent_migrant_workers": _number(s.percent_migrant),
            "worker_representation": s.worker_representation,
            "certifications": _join(
                f"{c.scheme} (valid until {c.valid_until.isoformat()})" if c.valid_until else c.scheme
                for c in s.certifications),
            "os_id": s.os_id, "relationship_since": s.relationship_since, "status": s.status.value,
            "supplies_to": _join(s.supplies_to),
        })
    return rows


def risk_rows(edition: Edition) -> list[Row]:
    rows = []
    for rank, r in enumerate(sorted(edition.dossier.risks, key=order_key), start=1):
        rows.append({
            "rank": rank, "id": r.id, "title": r.title, "theme": r.theme.value, "impact": r.impact.value,
            "status": r.status.value, "countries": _join(r.countries), "suppliers": _join(r.suppliers),
            "products": _join(r.products), "raw_materials": _join(r.raw_materials),
            "scale": r.severity.scale, "scope": r.severity.scope, "irremediability": r.severity.irremediability,
            "severity": str(severity(r)), "likelihood": r.likelihood, "priority": priority(r).value,
            "involvement": r.involvement.value, "assessed_on": r.assessed_on.isoformat(),
        })
    return rows


def action_rows(edition: Edition) -> list[Row]:
    return [{
        "id": a.id, "title": a.title, "kind": a.kind.value, "risks": _join(a.risks), "suppliers": _join(a.suppliers),
        "owner": a.owner, "partners": _join(a.partners), "status": a.status.value,
        "start_on": a.start_on.isoformat() if a.start_on else None, "due_on": a.due_on.isoformat() if a.due_on else None,
        "completed_on": a.completed_on.isoformat() if a.completed_on else None,
        "corrective_action_plan": "yes" if a.corrective_action_plan else "no",
    } for a in edition.dossier.actions]


def kpi_rows(edition: Edition) -> list[Row]:
    rows = []
    for k in edition.dossier.kpis:
        progress = kpi_progress(k, edition.as_of)
        base = {"id": k.id, "name": k.name, "step": k.step, "unit": k.unit, "direction": k.direction.value,
                "baseline_value": _number(k.baseline.value), "baseline_year": k.baseline.year,
                "target_value": _number(k.target.value), "target_deadline": k.target.deadline.isoformat(),
                "status": progress.status.value}
        for m in sorted(k.values, key=lambda m: m.year) or [None]:
            rows.append({**base, "year": m.year if m else None, "value": _number(m.value) if m else None,
                         "women": _number(m.women) if m else None, "men": _number(m.men) if m else None})
    return rows


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def to_csv(rows: Sequence[Row], columns: Sequence[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return buffer.getvalue().encode("utf-8")


def to_json(rows: Sequence[Row], meta: dict[str, Any]) -> bytes:
    return (json.dumps({**meta, "records": list(rows)}, indent=2, ensure_ascii=False, sort_keys=False) + "\n").encode()


def _fixed_zip(data: bytes, when: date) -> bytes:
    """Re-pack a zip with one fixed timestamp and order, so the same workbook gives the same bytes."""
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            clone = zipfile.ZipInfo(info.filename, date_time=stamp)
            clone.compress_type = zipfile.ZIP_DEFLATED
            clone.external_attr = 0o644 << 16
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here; use the report date
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>" + when.isoformat().encode() + rb"T00:00:00Z\g<2>", data)
            dst.writestr(clone, data)
    return out.getvalue()


def to_xlsx(sheets: Sequence[tuple[str, Sequence[str], Sequence[Row]]], when: date, title: str) -> bytes:
    """One workbook, a sheet per table: header frozen, filter on, widths set; properties from data."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for name, columns, rows in sheets:
        sheet = book.create_sheet(name[:31])
        sheet.append(list(columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([row.get(c) for c in columns])
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
        for i, column in enumerate(columns, start=1):
            longest = max([len(column), *(len(_cell(r.get(column))) for r in rows)])
            sheet.column_dimensions[sheet.cell(1, i).column_letter].width = min(60, longest + 2)
    moment = datetime(when.year, when.month, when.day)
    book.properties.created = moment
    book.properties.modified = moment
    book.properties.title = title
    book.properties.creator = "ddgen"
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_zip(buffer.getvalue(), when)


RISK_COLUMNS = ("rank", "id", "title", "theme", "impact", "status", "countries", "suppliers", "products",
                "raw_materials", "scale", "scope", "irremediability", "severity", "likelihood", "priority",
                "involvement", "assessed_on")
ACTION_COLUMNS = ("id", "title", "kind", "risks", "suppliers", "owner", "partners", "status", "start_on", "due_on",
                  "completed_on", "corrective_action_plan")
KPI_COLUMNS = ("id", "name", "step", "unit", "direction", "baseline_value", "baseline_year", "target_value",
               "target_deadline", "status", "year", "value", "women", "men")


def downloads(edition: Edition) -> dict[str, bytes]:
    """The files the site offers under downloads/, by file name."""
    company = edition.dossier.company
    meta = {"publisher": company.name if company else None, "as_of": edition.as_of.isoformat(),
            "scope": edition.scope.value}
    suppliers = supplier_rows(edition)
    return {
        "suppliers.csv": to_csv(suppliers, SUPPLIER_COLUMNS),
        "suppliers.json": to_json(suppliers, meta),
        "suppliers.xlsx": to_xlsx([("Suppliers", SUPPLIER_COLUMNS, suppliers)], edition.as_of,
                                  f"{meta['publisher']} supplier list"),
        "risks.csv": to_csv(risk_rows(edition), RISK_COLUMNS),
        "actions.csv": to_csv(action_rows(edition), ACTION_COLUMNS),
        "kpis.csv": to_csv(kpi_rows(edition), KPI_COLUMNS),
    }
