"""Exports of the example company: Open Supply Hub and Pledge files, the workbook, the data package."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ddgen.export import (
    OSHUB_COLUMNS,
    downloads,
    export_files,
    oshub_workers,
    pledge_workers,
)
from ddgen.model.common import Scope
from ddgen.pipeline import check
from ddgen.publish import Edition, publish
from ddgen.render import render

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def checked():  # type: ignore[no-untyped-def]
    result = check(ROOT)
    assert result.ok, result.report.render_text()
    return result


@pytest.fixture(scope="module")
def edition(checked) -> Edition:  # type: ignore[no-untyped-def]
    return publish(checked.dossier, Scope.PUBLIC, checked.as_of)


@pytest.fixture(scope="module")
def files(edition: Edition) -> dict[str, bytes]:
    return downloads(edition)


def rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


# --------------------------------------------------------------------------- Open Supply Hub


def test_open_supply_hub_file_has_exactly_the_upload_columns(files: dict[str, bytes]) -> None:
    header = files["open-supply-hub.csv"].decode().splitlines()[0]
    assert header == "country,name,address,sector,product_type,facility_type,processing_type,parent_company," \
                     "number_of_workers,lat,lng"
    assert tuple(header.split(",")) == OSHUB_COLUMNS


def test_open_supply_hub_file_lists_current_public_sites_with_joined_values(edition: Edition,
                                                                             files: dict[str, bytes]) -> None:
    found = {r["name"]: r for r in rows(files["open-supply-hub.csv"])}
    current = [s for s in edition.dossier.suppliers if s.status.value != "exited"]
    assert sorted(found) == sorted(s.name for s in current)
    meghna = found["Meghna Delta Apparels Ltd."]
    assert meghna["country"] == "BD"
    assert meghna["product_type"] == "werkbroeken|werkjassen"
    assert meghna["processing_type"] == "snijden|naaien|persen|verpakken"
    assert meghna["number_of_workers"] == "1850"
    exited = [s.name for s in edition.dossier.suppliers if s.status.value == "exited"]
    assert exited and not set(exited) & set(found)


@pytest.mark.parametrize(("workers", "expected"), [
    (1850, "1850"), ("1001-5000", "1001-5000"), ("<1000", "1-1000"), (">10000", None), (None, None),
])
def test_open_supply_hub_takes_a_number_or_a_range(workers: int | str | None, expected: str | None) -> None:
    assert oshub_workers(workers) == expected


# --------------------------------------------------------------------------- Transparency Pledge


@pytest.mark.parametrize(("workers", "band"), [
    (1, "<1000"), (1000, "<1000"), (1001, "1001-5000"), (5000, "1001-5000"), (5001, "5001-10000"),
    (10001, ">10000"), ("100-500", "<1000"), ("1001-5000", "1001-5000"), ("800-1200", "800-1200"),
    (">20000", ">10000"), (None, None),
])
def test_pledge_gives_workers_in_its_bands(workers: int | str | None, band: str | None) -> None:
    assert pledge_workers(workers) == band


def test_pledge_file_has_the_five_fields_in_english(files: dict[str, bytes]) -> None:
    found = rows(files["transparency-pledge.csv"])
    assert list(found[0])[:6] == ["Site name", "Site address", "Country", "Parent company", "Type of products made",
                                  "Number of workers"]
    meghna = next(r for r in found if r["Site name"] == "Meghna Delta Apparels Ltd.")
    assert (meghna["Country"], meghna["Parent company"], meghna["Number of workers"]) == \
        ("Bangladesh", "Meghna Delta Group", "1001-5000")


# --------------------------------------------------------------------------- workbook


def test_workbook_has_a_sheet_per_record_type_ready_for_filtering(files: dict[str, bytes]) -> None:
    book = load_workbook(io.BytesIO(files["due-diligence.xlsx"]))
    assert book.sheetnames == ["Suppliers", "Certifications", "Products", "Raw materials", "Risks", "Actions", "KPIs"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref == sheet.dimensions, sheet.title
        assert all(sheet.column_dimensions[c.column_letter].width >= len(c.value) + 2 for c in sheet[1]), sheet.title
    risks = book["Risks"]
    assessed = next(c for c in risks[1] if c.value == "assessed_on").column
    cell = risks.cell(2, assessed)
    assert cell.is_date and isinstance(cell.value.date(), date) and cell.number_format == "yyyy-mm-dd"


def test_downloads_are_the_same_bytes_every_time(edition: Edition, files: dict[str, bytes]) -> None:
    assert downloads(edition) == files


def test_export_formats_are_parts_of_the_downloads(edition: Edition, files: dict[str, bytes]) -> None:
    assert set(export_files(edition, ["oshub"])) == {"open-supply-hub.csv"}
    assert set(export_files(edition, ["xlsx"])) == {"due-diligence.xlsx", "suppliers.xlsx"}
    package = export_files(edition, ["datapackage"])
    assert all(files[name] == data for name, data in package.items())


def test_downloads_page_describes_every_file(edition: Edition, files: dict[str, bytes]) -> None:
    page = render(edition).pages["downloads.md"]
    assert [name for name in files if f'">{name}</a>' not in page] == []


# --------------------------------------------------------------------------- data package


def frictionless(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "frictionless", "validate", "--json", "datapackage.json"],
                          cwd=folder, capture_output=True, text=True, timeout=120, check=False)


def write(folder: Path, files: dict[str, bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def test_frictionless_validate_accepts_the_data_package(edition: Edition, tmp_path: Path) -> None:
    folder = write(tmp_path, export_files(edition, ["datapackage"]))
    result = frictionless(folder)
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["valid"] is True
    descriptor = json.loads((folder / "datapackage.json").read_text())
    suppliers = next(r for r in descriptor["resources"] if r["name"] == "suppliers")
    types = {f["name"]: f["type"] for f in suppliers["schema"]["fields"]}
    assert (types["tier"], types["lat"], types["code_signed_on"], types["relationship_since"]) == \
        ("integer", "number", "date", "year")


def test_frictionless_validate_rejects_a_changed_file(edition: Edition, tmp_path: Path) -> None:
    files = export_files(edition, ["datapackage"])
    files["risks.csv"] = files["risks.csv"].replace(b",5,", b",7,", 1)
    result = frictionless(write(tmp_path, files))
    assert result.returncode != 0
    assert json.loads(result.stdout)["valid"] is False


def test_internal_export_holds_internal_columns_the_public_one_does_not(checked, files: dict[str, bytes]) -> None:  # type: ignore[no-untyped-def]
    internal = downloads(publish(checked.dossier, Scope.INTERNAL, checked.as_of))
    assert "purchase_share" in rows(internal["suppliers.csv"])[0]
    assert "purchase_share" not in rows(files["suppliers.csv"])[0]
    assert len(rows(internal["suppliers.csv"])) > len(rows(files["suppliers.csv"]))


def test_json_download_has_one_record_per_line_and_loads_back() -> None:
    from ddgen.export import to_json

    rows = [{"id": "S-1", "name": 'Naam "met" aanhalingstekens', "since": date(2020, 5, 1), "extra": "left out"},
            {"id": "S-2", "name": "Fábrica Ñandú", "since": None}]
    out = to_json(rows, {"publisher": "Tweestroom", "as_of": "2025-12-31"}, ["id", "name", "since"]).decode()
    assert json.loads(out) == {"publisher": "Tweestroom", "as_of": "2025-12-31", "records": [
        {"id": "S-1", "name": 'Naam "met" aanhalingstekens', "since": "2020-05-01"},
        {"id": "S-2", "name": "Fábrica Ñandú", "since": None}]}
    lines = out.splitlines()
    assert lines[4].strip().startswith('{"id": "S-1"') and lines[5].strip().startswith('{"id": "S-2"')
    assert "Fábrica" in out, "UTF-8 as written, not \\u escapes"
    assert json.loads(to_json([], {"publisher": None}, ["id"])) == {"publisher": None, "records": []}
