"""`ddgen import suppliers` and `ddgen export` through click's CliRunner: exit codes, output, files."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import Workbook

from ddgen.cli import cli
from ddgen.export import downloads
from ddgen.model.common import Scope
from ddgen.pipeline import check
from ddgen.publish import publish

ROOT = Path(__file__).resolve().parents[2]
MakeRepo = Callable[..., Path]


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def workbook(path: Path, rows: list[list[object]], title: str = "Leveranciers") -> Path:
    book = Workbook()
    book.active.title = title
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


@pytest.fixture
def example(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "data", tmp_path / "example" / "data")
    return tmp_path / "example"


def snapshot(project: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted((project / "data").rglob("*"))}


# --------------------------------------------------------------------------- import


def test_import_merges_and_says_what_changed(make_repo: MakeRepo, tmp_path: Path) -> None:
    project = make_repo()
    book = workbook(tmp_path / "lijst.xlsx", [["naam", "adres", "land", "tier", "producten"],
                                              ["Dhaka Garments Ltd", "Plot 5, Gazipur", "BD", 1, "workwear"],
                                              ["Lahore Mills", "Road 1, Lahore", "Pakistan", 2, "stof"]])
    result = run("import", "suppliers", book, project)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{book}: added 1 supplier (S-002), changed 1 (S-001: address), 0 unchanged.\n" \
                            "Wrote data/suppliers.yaml\n"
    assert run("check", project).exit_code == 0


def test_import_with_an_error_exits_1_and_writes_nothing(make_repo: MakeRepo, tmp_path: Path) -> None:
    project = make_repo()
    before = snapshot(project)
    book = workbook(tmp_path / "lijst.xlsx", [["naam", "adres", "land", "tier", "producten"],
                                              ["Nieuw Ltd.", "Weg 1", "BD", 1, "broeken"],
                                              ["Delft B.V.", "Markt 1", "Holland", 1, "jassen"]])
    result = run("import", "suppliers", book, project)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"{book}[Leveranciers]:3:3: error: DDG107: sheet Leveranciers, row 3, " \
                                            "column 'land': 'Holland' is not a country."
    assert result.stderr.splitlines()[1].startswith("  hint: did you mean 'NL' (Nederland)?")
    assert result.stderr.rstrip().endswith("1 error, 0 warnings. Nothing was written.")
    assert result.stdout == ""
    assert snapshot(project) == before


def test_import_dry_run_writes_nothing(make_repo: MakeRepo, tmp_path: Path) -> None:
    project = make_repo()
    before = snapshot(project)
    book = workbook(tmp_path / "lijst.xlsx", [["id", "workers"], ["S-001", 250]])
    result = run("import", "suppliers", book, project, "--dry-run")
    assert result.exit_code == 0
    assert "changed 1 (S-001: workers)" in result.stdout
    assert snapshot(project) == before


def test_import_reads_the_named_sheet(make_repo: MakeRepo, tmp_path: Path) -> None:
    book = tmp_path / "lijst.xlsx"
    wb = Workbook()
    wb.active.title = "Notities"
    wb.create_sheet("Leveranciers").append(["id", "workers"])
    wb["Leveranciers"].append(["S-001", 80])
    wb.save(book)
    result = run("import", "suppliers", book, make_repo(), "--sheet", "leveranciers")
    assert result.exit_code == 0, result.output
    assert "changed 1 (S-001: workers)" in result.stdout


def test_import_usage_errors_exit_2(make_repo: MakeRepo, tmp_path: Path) -> None:
    assert run("import", "suppliers", tmp_path / "missing.xlsx", make_repo()).exit_code == 2
    book = workbook(tmp_path / "lijst.xlsx", [["id", "workers"], ["S-001", 80]])
    result = run("import", "suppliers", book, tmp_path)
    assert result.exit_code == 2 and "has no data/ folder" in result.output


# --------------------------------------------------------------------------- export


def test_export_all_writes_the_websites_downloads(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("export", example, "-o", out)
    assert result.exit_code == 0, result.output
    checked = check(example)
    expected = downloads(publish(checked.dossier, Scope.PUBLIC, checked.as_of))
    assert {p.name: p.read_bytes() for p in out.iterdir()} == expected
    assert result.stdout.splitlines() == [(out / name).as_posix() for name in expected]


def test_export_one_format(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("export", example, "--format", "oshub", "--format", "pledge", "-o", out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["open-supply-hub.csv", "transparency-pledge.csv"]
    assert (out / "open-supply-hub.csv").read_text().splitlines()[0] == \
        "country,name,address,sector,product_type,facility_type,processing_type,parent_company,number_of_workers,lat,lng"


def test_export_internal_scope_warns_and_holds_internal_suppliers(example: Path, tmp_path: Path) -> None:
    public, internal = tmp_path / "public", tmp_path / "internal"
    assert run("export", example, "--format", "oshub", "-o", public).exit_code == 0
    result = run("export", example, "--format", "oshub", "-o", internal, "--scope", "internal")
    assert result.exit_code == 0
    assert "internal edition: do not publish them" in result.stderr
    count = lambda folder: len((folder / "open-supply-hub.csv").read_text().splitlines())
    assert count(internal) > count(public)


def test_export_with_data_errors_exits_1_and_writes_nothing(make_repo: MakeRepo, tmp_path: Path) -> None:
    project = make_repo({"data/suppliers.yaml": (ROOT / "tests/fixtures/minimal/data/suppliers.yaml").read_text()
                         .replace("country: BD", "country: Holland")})
    result = run("export", project, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "DDG107" in result.stderr and "Nothing was exported." in result.stderr
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------- round trip


def test_export_then_import_into_an_empty_project_gives_identical_suppliers(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("export", example, "--format", "xlsx", "-o", out).exit_code == 0
    original = check(example)
    empty = tmp_path / "empty"
    shutil.copytree(example / "data", empty / "data")
    (empty / "data/suppliers.yaml").unlink()
    result = run("import", "suppliers", out / "due-diligence.xlsx", empty)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{out / 'due-diligence.xlsx'}: added 32 suppliers (S-001, S-002,")
    again = check(empty)
    assert publish(again.dossier, Scope.PUBLIC, again.as_of).dossier.suppliers == \
        publish(original.dossier, Scope.PUBLIC, original.as_of).dossier.suppliers
