"""Importing supplier lists: every error names sheet, row and column; nothing is written on error."""

from __future__ import annotations

import difflib
import time
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from ddgen.export import downloads
from ddgen.importer import MAX_ROWS, Imported, import_suppliers, summary, write
from ddgen.model.common import Scope
from ddgen.pipeline import check
from ddgen.publish import publish

HEADER = ["naam", "adres", "land", "tier", "producten", "aantal werknemers"]


def good_rows(n: int, start: int = 1) -> list[list[Any]]:
    return [[f"Fabriek {i} Ltd.", f"Straat {i}, Dhaka", "Bangladesh", 1, "werkbroeken", 100 + i]
            for i in range(start, start + n)]


def run(project: Path, source: Path, sheet: str | None = None) -> Imported:
    return import_suppliers(project, source, sheet, source.name)


def first_lines(result: Imported) -> list[str]:
    return [p.render().splitlines()[0] for p in sorted(result.problems, key=lambda p: p.sort_key())]


def hints(result: Imported) -> list[str]:
    return [p.fix for p in sorted(result.problems, key=lambda p: p.sort_key())]


def suppliers_text(project: Path) -> str:
    return (project / "data/suppliers.yaml").read_text(encoding="utf-8")


def supplier(project: Path, ident: str) -> dict[str, Any]:
    data = YAML(typ="safe").load(suppliers_text(project))
    return next(s for s in data["suppliers"] if s["id"] == ident)


# --------------------------------------------------------------------------- errors, with sheet, row and column


def test_a_wrong_country_names_sheet_row_and_column_and_suggests_the_code(make_repo, make_workbook) -> None:  # type: ignore[no-untyped-def]
    rows = [["Leverancierslijst 2025"], HEADER, *good_rows(11)]
    rows.append(["Delft Textiel B.V.", "Markt 1, Delft", "Holland", 1, "werkjassen", 40])
    book = make_workbook({"Leveranciers": rows}, merged={"Leveranciers": ["A1:F1"]})
    result = run(make_repo(), book)
    assert first_lines(result) == [
        ("leveranciers.xlsx[Leveranciers]:14:3: error: DDG107: sheet Leveranciers, row 14, column 'land': "
        "'Holland' is not a country.")]
    assert hints(result)[0].startswith("did you mean 'NL' (Nederland)?")
    assert not result.ok and result.texts == {}


def test_every_error_in_the_sheet_is_reported_at_once(make_repo, make_workbook) -> None:  # type: ignore[no-untyped-def]
    header = [*HEADER, "% vrouwen", "status", "os_id", "gedragscode ondertekend", "levert aan"]
    good = ["Fabriek Ltd.", "Straat 1", "BD", 1, "broeken", 10, 50, "active", "", "", ""]
    bad = [
        ["Een Ltd.", "Straat 2", "BD", 1, "broeken", "veel", 50, "active", "", "", ""],
        ["Twee Ltd.", "Straat 3", "BD", 12, "broeken", 10, 120, "active", "", "", ""],
        ["Drie Ltd.", "Straat 4", "BD", 1, "broeken", 10, 50, "actief maar anders", "", "", ""],
        ["Vier Ltd.", "Straat 5", "BD", 1, "broeken", 10, 50, "active", "BD-12", "", ""],
        ["Vijf Ltd.", "Straat 6", "BD", 1, "broeken", 10, 50, "active", "", "31-02-2024", ""],
        ["Zes Ltd.", "Straat 7", "BD", 1, "broeken", 10, 50, "active", "", "", "S-100"],
        ["", "Straat 8", "BD", 1, "broeken", 10, 50, "active", "", "", ""],
    ]
    book = make_workbook({"Blad1": [header, good, *bad]})
    result = run(make_repo(), book)
    where = [line.split(": error: ")[0] + " " + line.split(": ")[2] for line in first_lines(result)]
    assert where == [
        "leveranciers.xlsx[Blad1]:3:6 DDG104",   # 'veel' workers
        "leveranciers.xlsx[Blad1]:4:4 DDG105",   # tier 12
        "leveranciers.xlsx[Blad1]:4:7 DDG105",   # 120 %
        "leveranciers.xlsx[Blad1]:5:8 DDG103",   # status
        "leveranciers.xlsx[Blad1]:6:9 DDG108",   # OS ID
        "leveranciers.xlsx[Blad1]:7:10 DDG106",  # 31 February
        "leveranciers.xlsx[Blad1]:8:11 DDG201",  # unknown supplier S-100
        "leveranciers.xlsx[Blad1]:9:1 DDG101",   # new supplier without a name
    ]
    messages = first_lines(result)
    assert "sheet Blad1, row 3, column 'aantal werknemers': 'veel' is not a number of workers or a range." \
        in messages[0]
    assert "row 4, column 'tier': '12' is out of range; it must be at most 9." in messages[1]
    assert "row 5, column 'status': 'actief maar anders' is not one of: active, phasing_out, exited." in messages[3]
    assert "row 8, column 'levert aan': there is no supplier with id 'S-100'." in messages[6]
    assert hints(result)[6].startswith("did you mean")
    assert result.texts == {}


def test_two_rows_for_one_supplier_and_a_row_that_fits_two(make_repo, make_workbook) -> None:  # type: ignore[no-untyped-def]
    twins = ("suppliers:\n  - id: S-001\n    name: Dhaka Garments Ltd\n    address: Plot 4, Gazipur\n    country: BD\n"
             "    tier: 1\n    product_types: [workwear]\n  - id: S-002\n    name: Dhaka Garments Limited\n"
             "    address: Plot 9, Gazipur\n    country: BD\n    tier: 1\n    product_types: [workwear]\n")
    project = make_repo({"data/suppliers.yaml": twins})
    book = make_workbook({"L": [["id", "name", "country", "workers"], ["S-001", "x", "BD", 5], ["S-001", "y", "BD", 6],
                                [None, "DHAKA GARMENTS", "Bangladesh", 7]]})
    result = run(project, book)
    assert first_lines(result) == [
        "leveranciers.xlsx[L]:3:1: error: DDG202: sheet L, row 3: rows 2 and 3 both describe supplier S-001.",
        ("leveranciers.xlsx[L]:4:1: error: DDG220: sheet L, row 4: 'DHAKA GARMENTS' matches suppliers S-001, S-002, "
        "which have the same name and country."),
    ]


def test_new_suppliers_need_the_columns_of_a_complete_record(make_repo, make_workbook) -> None:  # type: ignore[no-untyped-def]
    book = make_workbook({"L": [["name", "address", "country", "tier"], ["Nieuw Ltd.", "Weg 1", "BD", None]]})
    assert first_lines(run(make_repo(), book)) == [
        ("leveranciers.xlsx[L]:1:1: error: DDG101: sheet L, row 1: there is no column 'product_types', which new "
        "suppliers need (1 new: row 2)."),
        ("leveranciers.xlsx[L]:2:4: error: DDG101: sheet L, row 2, column 'tier': the cell is empty, and new supplier "
        "'Nieuw Ltd.' needs it."),
    ]


def test_a_column_given_twice_and_a_misspelt_column(make_repo, make_workbook) -> None:  # type: ignore[no-untyped-def]
    book = make_workbook({"L": [["naam", "land", "leverancier", "adress"], ["A", "BD", "B", "x"]]})
    result = run(make_repo(), book)
    assert first_lines(result) == [
        ("leveranciers.xlsx[L]:1:3: error: DDG020: sheet L, row 1: columns A ('naam') and C ('leverancier') both hold "
        "the name."),
        "leveranciers.xlsx[L]:1:4: warning: DDG102: sheet L, row 1, column 'adress': this column is not read.",
    ]
    assert hints(result)[1].startswith("did you mean 'address'?")


def test_a_sheet_that_is_not_there_lists_the_sheets(make_repo, make_workbook) -> None:  # type: ignore[no-untyped-def]
    book = make_workbook({"Leveranciers": [HEADER], "Notities": [["x"]]})
    result = run(make_repo(), book, "Leverancier")
    assert first_lines(result) == [("leveranciers.xlsx:1:1: error: DDG020: leveranciers.xlsx has no sheet "
                                   "'Leverancier'; its sheets are: Leveranciers, Notities.")]
    assert hints(result) == ["did you mean --sheet 'Leveranciers'? give one of these names after --sheet."]


def test_a_sheet_without_a_header_row(make_repo, make_workbook) -> None:  # type: ignore[no-untyped-def]
    book = make_workbook({"L": [["Fabriek", "Dhaka"], ["Mill", "Lahore"]]})
    assert [p.code for p in run(make_repo(), book).problems] == ["DDG020"]


# --------------------------------------------------------------------------- nothing written on error


def test_nothing_is_written_when_any_row_has_an_error(example: Path, make_workbook) -> None:  # type: ignore[no-untyped-def]
    before = {p: p.read_bytes() for p in (example / "data").rglob("*")}
    rows = [HEADER, *good_rows(20), ["Laatste Ltd.", "Weg 9", "Holland", 1, "broeken", 5]]
    result = run(example, make_workbook({"L": rows}))
    assert [p.code for p in result.problems] == ["DDG107"]
    assert result.texts == {}
    with pytest.raises(ValueError):
        write(result)
    assert {p: p.read_bytes() for p in (example / "data").rglob("*")} == before


# --------------------------------------------------------------------------- reading as a person reads the sheet


def test_title_rows_merged_cells_dates_formulas_text_numbers_and_spaces(make_repo, make_workbook) -> None:  # type: ignore[no-untyped-def]
    rows = [
        ["Leverancierslijst Minimal Textiles", None, None, None, None, None, None, None, None],
        [None] * 9,
        ["Naam ", "Adres", None, "Land", "Tier", "Producten", "Aantal werknemers", "% vrouwen", "Gedragscode getekend"],
        ["  Lahore Weaving Mills  ", "Plot 12", "Lahore", "pakistan", "2", "stof; garen", "1.850", 0.57,
         date(2024, 3, 1)],
        [None] * 9,
        ["Sialkot Knits", "Road 4", "Sialkot", "PK", 2, "breiwerk", "=10*12", "61 %", "02-10-2023"],
    ]
    book = make_workbook({"Leveranciers": rows}, merged={"Leveranciers": ["A1:I1", "B3:C3"]},
                         formats={"Leveranciers": {"H4": "0%"}}, cached={"G6": 120})
    project = make_repo()
    result = run(project, book)
    assert result.problems == [] and summary(result) == \
        "leveranciers.xlsx: added 2 suppliers (S-002, S-003), changed 0, 0 unchanged."
    write(result)
    assert check(project).ok
    assert supplier(project, "S-002") == {
        "id": "S-002", "name": "Lahore Weaving Mills", "address": "Plot 12, Lahore", "country": "PK", "tier": 2,
        "product_types": ["stof", "garen"], "workers": 1850, "percent_female": 57, "code_signed_on": date(2024, 3, 1)}
    assert supplier(project, "S-003")["workers"] == 120
    assert supplier(project, "S-003")["percent_female"] == 61
    assert supplier(project, "S-003")["code_signed_on"] == date(2023, 10, 2)


def test_a_semicolon_separated_windows_csv(make_repo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "lijst.csv"
    source.write_bytes("naam;adres;land;tier;producten\nÇorlu Örme A.Ş.;Sokak 1, Çorlu;Turkije;1;truien\n"
                       .encode("cp1252", errors="replace").replace(b"?", b"S"))
    project = make_repo()
    result = run(project, source)
    assert result.problems == []
    write(result)
    assert supplier(project, "S-002")["country"] == "TR"


def test_rows_match_by_id_os_id_or_name_and_country_and_empty_cells_keep_values(example: Path,
                                                                                make_workbook) -> None:  # type: ignore[no-untyped-def]
    rows = [["id", "os id", "name", "country", "workers", "parent company"],
            ["S-002", None, None, None, 1500, None],             # by id
            [None, "bd2020045r5t1xc", None, None, 700, None],    # by OS ID (S-003), any case
            [None, None, "Meghna Delta Apparels Ltd.", "Bangladesh", None, "Meghna Holding"]]  # by name: S-001
    result = run(example, make_workbook({"L": rows}))
    assert result.problems == []
    assert [(c.id, c.fields) for c in result.changes] == [
        ("S-002", ("workers",)), ("S-003", ("workers",)), ("S-001", ("parent_company",))]
    write(result)
    assert supplier(example, "S-001")["workers"] == 1850  # the empty cell kept the stored value
    assert supplier(example, "S-003")["workers"] == 700


def test_new_suppliers_get_the_next_id_in_the_projects_pattern(example: Path, make_workbook) -> None:  # type: ignore[no-untyped-def]
    result = run(example, make_workbook({"L": [HEADER, *good_rows(2)]}))
    assert [c.id for c in result.added] == ["S-037", "S-038"]


def test_comments_and_layout_of_the_yaml_survive(example: Path, make_workbook) -> None:  # type: ignore[no-untyped-def]
    before = suppliers_text(example)
    rows = [["id", "address", "website"], ["S-001", "Plot 28, Konabari Road, Konabari, Gazipur 1751",
                                           "https://meghna.example/"]]
    result = run(example, make_workbook({"L": rows}))
    write(result)
    diff = [line for line in difflib.unified_diff(before.splitlines(), suppliers_text(example).splitlines(), n=0,
                                                  lineterm="") if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert diff == ["-    address: Plot 27, Konabari Road, Konabari, Gazipur 1751",
                    "+    address: Plot 28, Konabari Road, Konabari, Gazipur 1751",
                    "+    website: https://meghna.example/"]
    assert check(example).ok


# --------------------------------------------------------------------------- malformed and huge files


def test_a_file_that_is_not_a_workbook(make_repo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fake = tmp_path / "lijst.xlsx"
    fake.write_bytes(b"PK\x03\x04 this is not really a zip file")
    assert first_lines(run(make_repo(), fake)) == [
        ("lijst.xlsx:1:1: error: DDG020: lijst.xlsx is damaged or not an Excel workbook: it is not a complete "
        "zip file.")]


def test_a_password_protected_workbook_and_an_old_xls(make_repo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    protected, old = tmp_path / "geheim.xlsx", tmp_path / "oud.xls"
    protected.write_bytes(ole + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 100)
    old.write_bytes(ole + "Workbook".encode("utf-16-le") + b"\x00" * 100)
    project = make_repo()
    assert "protected by a password" in run(project, protected).problems[0].message
    assert "Excel 97-2003 workbook (.xls)" in run(project, old).problems[0].message


def huge_workbook(path: Path, rows: int, *, dimension: bool) -> Path:
    """A real .xlsx with `rows` rows, written as XML directly so that making it takes a second, not minutes."""
    from openpyxl import Workbook

    Workbook().save(path)
    with zipfile.ZipFile(path) as src:
        parts = {name: src.read(name) for name in src.namelist()}
    head = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/' \
           'spreadsheetml/2006/main">' + (f'<dimension ref="A1:C{rows}"/>' if dimension else "") + "<sheetData>"
    body = "".join(f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>Mill {i}</t></is></c><c r="B{i}" '
                   f't="inlineStr"><is><t>BD</t></is></c></row>' for i in range(2, rows + 1))
    header = '<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c><c r="B1" t="inlineStr"><is><t>country' \
             '</t></is></c></row>'
    parts["xl/worksheets/sheet1.xml"] = (head + header + body + "</sheetData></worksheet>").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    return path


def test_a_million_rows_is_refused_at_once(make_repo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    book = huge_workbook(tmp_path / "groot.xlsx", 1_000_000, dimension=True)
    started = time.perf_counter()
    result = run(make_repo(), book)
    assert time.perf_counter() - started < 10
    assert first_lines(result) == [("groot.xlsx[Sheet]:1:1: error: DDG021: sheet Sheet has 1,000,000 rows; ddgen "
                                   "imports at most 50,000 suppliers at a time.")]


def test_too_many_rows_without_a_declared_size_are_counted_and_refused(make_repo, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("ddgen.importer.MAX_ROWS", 1_000)  # the same counting as at 50,000 rows, in a tenth of a second
    book = huge_workbook(tmp_path / "groot.xlsx", 1_100, dimension=False)
    result = run(make_repo(), book)
    assert [p.code for p in result.problems] == ["DDG021"]
    assert "sheet Sheet has more than 1,020 rows; ddgen imports at most 1,000 suppliers" in result.problems[0].message


def test_a_huge_csv_is_refused(make_repo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "groot.csv"
    source.write_text("name,country\n" + "Mill,BD\n" * (MAX_ROWS + 100), encoding="utf-8")
    assert [p.code for p in run(make_repo(), source).problems] == ["DDG021"]


# --------------------------------------------------------------------------- round trip


@pytest.mark.parametrize("name", ["due-diligence.xlsx", "suppliers.csv"])
def test_export_then_import_into_an_empty_project_gives_the_same_suppliers(name: str, example: Path,
                                                                           tmp_path: Path) -> None:
    original = check(example)
    public = publish(original.dossier, Scope.PUBLIC, original.as_of)
    for file, data in downloads(public).items():  # as downloaded: suppliers.csv beside certifications.csv
        (tmp_path / file).write_bytes(data)
    exported = tmp_path / name
    (example / "data/suppliers.yaml").unlink()  # the empty project: everything but the suppliers
    result = run(example, exported)
    assert [p for p in result.problems if p.is_error] == []
    write(result)
    again = check(example)
    assert publish(again.dossier, Scope.PUBLIC, again.as_of).dossier.suppliers == public.dossier.suppliers
    assert len(public.dossier.suppliers) == 32


@pytest.mark.parametrize(("a", "b"), [("Meghna Delta Apparels Ltd.", "MEGHNA DELTA APPARELS LIMITED"),
                                      ("Ege Konfeksiyon Tekstil A.Ş.", "ege konfeksiyon tekstil as"),
                                      ("Çorlu  Örme", "Corlu Orme")])
def test_names_match_without_case_accents_punctuation_or_legal_form(a: str, b: str) -> None:
    from ddgen.importer import _name_key

    assert _name_key(a) == _name_key(b)
