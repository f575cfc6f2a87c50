"""`ddgen.xlsx`: what a reader of the downloaded workbook sees, read back with openpyxl as Excel would show it."""

from __future__ import annotations

import io
import logging
import re
import xml.etree.ElementTree as ET
import zipfile
from datetime import date, datetime
from decimal import Decimal
from enum import IntEnum
from typing import Any

import pytest
from openpyxl import load_workbook

from ddgen.xlsx import MAX_TEXT, Sheet, column_letter, workbook

WHEN = date(2025, 3, 31)


def read(data: bytes, read_only: bool = False) -> Any:
    return load_workbook(io.BytesIO(data), read_only=read_only)


def values(sheet: Any) -> list[list[Any]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def one_column(*cells: Any) -> bytes:
    return workbook([Sheet("Values", ("value",), [{"value": cell} for cell in cells])], WHEN, "Test")


def part(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name).decode("utf-8")


class Tier(IntEnum):
    FIRST = 1


# Each value as written, and as openpyxl (like Excel) gives it back.
ROUND_TRIP = [
    ("Meghna Delta Apparels Ltd.", "Meghna Delta Apparels Ltd."),
    ("""Tom & Jerry <Ltd> "quoted" 'single'""", """Tom & Jerry <Ltd> "quoted" 'single'"""),
    ("Ege Örme A.Ş. 深圳 🧵", "Ege Örme A.Ş. 深圳 🧵"),
    ("  padded  ", "  padded  "),
    ("two\nlines\r\nand\ttab", "two\nlines\r\nand\ttab"),
    ("bell\x07 null\x00 escape\x1b nonchar\ufffe", "bell null escape nonchar"),
    ("=1+1", "=1+1"),  # text, never a formula
    ("007", "007"),
    (0, 0),
    (-42, -42),
    (12345678901234567, 12345678901234567),
    (0.1, 0.1),
    (1e-05, 1e-05),
    (2.5e16, 2.5e16),
    (52.123456789012345, 52.123456789012345),
    (Decimal("62.5"), 62.5),
    (Decimal("1E+2"), 100.0),
    (Tier.FIRST, 1),
    (True, True),
    (False, False),
    (float("nan"), "nan"),
    (float("inf"), "inf"),
    (Decimal("-Infinity"), "-Infinity"),
    (date(2025, 3, 31), datetime(2025, 3, 31)),
    (date(1900, 1, 1), datetime(1900, 1, 1)),
    (date(1900, 2, 28), datetime(1900, 2, 28)),
    (date(1900, 3, 1), datetime(1900, 3, 1)),
    (date(9999, 12, 31), datetime(9999, 12, 31)),
    (date(1899, 12, 31), "1899-12-31"),  # before Excel's calendar: as text
    (None, None),
    ("", None),
]


@pytest.mark.parametrize("read_only", [False, True], ids=["workbook", "read-only, as ddgen import reads"])
def test_values_read_back_as_written(read_only: bool) -> None:
    rows = [{"row": n, "value": written} for n, (written, _) in enumerate(ROUND_TRIP, start=2)]
    book = read(workbook([Sheet("Values", ("row", "value"), rows)], WHEN, "Test"), read_only)
    got = [value for _, value in values(book["Values"])[1:]]
    assert [(written, value) for (written, _), value in zip(ROUND_TRIP, got, strict=True)] == ROUND_TRIP
    assert [type(v) for v in got] == [type(expected) for _, expected in ROUND_TRIP]


def test_spaces_around_a_text_are_kept_for_excel_too() -> None:
    """openpyxl keeps them anyway; Excel trims a text's spaces unless the XML says to keep them."""
    sheet = part(one_column("  padded  ", "inner  spaces"), "xl/worksheets/sheet1.xml")
    assert '<t xml:space="preserve">  padded  </t>' in sheet and "<t>inner  spaces</t>" in sheet


def test_dates_are_dates_in_any_column_and_nothing_else_is() -> None:
    sheet = read(one_column(date(2025, 3, 31), 45747, "2025-03-31", "=HYPERLINK(\"x\")"))["Values"]
    day, number, text, formula_like = sheet["A2"], sheet["A3"], sheet["A4"], sheet["A5"]
    assert day.is_date and day.number_format == "yyyy-mm-dd" and day.value == datetime(2025, 3, 31)
    assert not number.is_date and number.number_format == "General"
    assert text.data_type == formula_like.data_type == "s"  # a name starting with = is no formula


def test_a_datetime_or_an_unknown_type_is_a_bug_not_a_cell() -> None:
    with pytest.raises(TypeError, match="datetime"):
        one_column(datetime(2025, 3, 31, 12))
    with pytest.raises(TypeError, match="object"):
        one_column(object())


def test_header_is_bold_frozen_and_filtered_over_the_used_range() -> None:
    rows = [{"id": "S-001", "name": "Mill", "tier": 1}, {"id": "S-002", "name": None, "tier": 2},
            {"id": "S-003", "name": "Dye house", "tier": None}]
    sheet = read(workbook([Sheet("Suppliers", ("id", "name", "tier"), rows)], WHEN, "Test"))["Suppliers"]
    assert [c.font.b for c in sheet[1]] == [True, True, True]
    assert [c.font.b for c in sheet[2]] == [False, False, False]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == sheet.dimensions == "A1:C4"
    assert values(sheet) == [["id", "name", "tier"], ["S-001", "Mill", 1], ["S-002", None, 2],
                             ["S-003", "Dye house", None]]


def test_an_empty_table_is_a_header_with_its_filter() -> None:
    sheet = read(workbook([Sheet("Risks", ("id", "title"), [])], WHEN, "Test"))["Risks"]
    assert values(sheet) == [["id", "title"]]
    assert sheet.auto_filter.ref == "A1:B1" and sheet.freeze_panes == "A2"


def test_columns_are_as_wide_as_their_longest_text_up_to_60() -> None:
    rows = [{"id": "S-1", "address": "x" * 100, "opened": date(2020, 1, 1), "share": 12.75, "name": "Mill",
             "percent_female": 55},
            {"id": "S-10", "address": None, "opened": None, "share": None, "name": "Ege Örme", "percent_female": None}]
    data = workbook([Sheet("S", ("id", "address", "opened", "share", "name", "percent_female"), rows)], WHEN, "Test")
    widths = {k: d.width for k, d in read(data)["S"].column_dimensions.items()}
    assert widths == {"A": 6, "B": 60, "C": 12, "D": 7, "E": 10, "F": 16}


def test_filter_ranges_are_named_per_sheet_as_excel_names_them() -> None:
    data = workbook([Sheet("Suppliers", ("id",), [{"id": "S-1"}]),
                     Sheet("Raw materials", ("id", "name"), [{"id": "M-1"}, {"id": "M-2"}]),
                     Sheet("Tom's & <co>", ("id",), [])], WHEN, "Test")
    names = re.findall(r'<definedName name="_xlnm._FilterDatabase" localSheetId="(\d)" hidden="1">([^<]*)<',
                       part(data, "xl/workbook.xml"))
    assert names == [("0", "'Suppliers'!$A$1:$A$2"), ("1", "'Raw materials'!$A$1:$B$3"),
                     ("2", "'Tom''s &amp; &lt;co&gt;'!$A$1:$A$1")]
    assert read(data).sheetnames == ["Suppliers", "Raw materials", "Tom's & <co>"]


def test_every_part_is_well_formed_and_declared() -> None:
    data = workbook([Sheet("A", ("x",), [{"x": "<&>"}]), Sheet("B", ("y",), [{"y": 1}])], WHEN, "Tom & Jerry")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        for name in names:
            ET.fromstring(archive.read(name))
    assert names == ["[Content_Types].xml", "_rels/.rels", "docProps/app.xml", "docProps/core.xml", "xl/workbook.xml",
                     "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/worksheets/sheet1.xml",
                     "xl/worksheets/sheet2.xml"]
    types = part(data, "[Content_Types].xml")
    assert all(f'PartName="/{name}"' in types for name in names if not name.endswith((".rels", "Types].xml")))


def test_properties_carry_the_title_and_the_report_date() -> None:
    book = read(workbook([Sheet("A", ("x",), [])], date(2024, 12, 31), "Tweestroom & Co supplier list"))
    properties = book.properties
    assert (properties.title, properties.creator) == ("Tweestroom & Co supplier list", "ddgen")
    assert properties.created == properties.modified == datetime(2024, 12, 31)


def test_the_same_tables_give_the_same_bytes_stamped_with_the_report_date() -> None:
    def make(when: date) -> bytes:
        rows = [{"id": f"S-{n}", "on": date(2024, 1, 1 + n % 28), "share": n / 7} for n in range(500)]
        return workbook([Sheet("Suppliers", ("id", "on", "share"), rows)], when, "Test")

    first = make(WHEN)
    assert make(WHEN) == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        infos = archive.infolist()
    assert {(i.date_time, i.external_attr, i.compress_type, i.create_system) for i in infos} == \
        {((2025, 3, 31, 0, 0, 0), 0o644 << 16, zipfile.ZIP_DEFLATED, 3)}
    with zipfile.ZipFile(io.BytesIO(make(date(1970, 6, 1)))) as archive:  # zip dates start in 1980
        assert {i.date_time for i in archive.infolist()} == {(1980, 6, 1, 0, 0, 0)}


def test_text_longer_than_excel_takes_is_cut_at_its_limit(caplog: pytest.LogCaptureFixture) -> None:
    fits = "y" * MAX_TEXT
    emoji_at_the_edge = "x" * (MAX_TEXT - 1) + "🧵" + "tail"  # the emoji takes two UTF-16 units: no room
    long_emoji = "🧵" * 20_000  # 20,000 characters, 40,000 UTF-16 units
    with caplog.at_level(logging.WARNING, logger="ddgen.xlsx"):
        got = [row[0] for row in values(read(one_column(fits, "z" * 40_000, emoji_at_the_edge, long_emoji))["Values"])]
    assert got[1:] == [fits, "z" * MAX_TEXT, "x" * (MAX_TEXT - 1), "🧵" * (MAX_TEXT // 2)]
    assert len(caplog.records) == 3


@pytest.mark.parametrize("title", ["", "a/b", "Q1?", "[x]", "'quoted'", "bell\x07"])
def test_a_title_excel_refuses_is_a_bug(title: str) -> None:
    with pytest.raises(ValueError, match="title"):
        workbook([Sheet(title, ("x",), [])], WHEN, "Test")


def test_titles_are_cut_to_31_characters_and_must_differ() -> None:
    book = read(workbook([Sheet("Corrective action plans and their follow-up", ("x",), [])], WHEN, "Test"))
    assert book.sheetnames == ["Corrective action plans and the"]
    with pytest.raises(ValueError, match="same title"):
        workbook([Sheet("Risks", ("x",), []), Sheet("RISKS", ("x",), [])], WHEN, "Test")


@pytest.mark.parametrize(("number", "letters"), [(1, "A"), (26, "Z"), (27, "AA"), (52, "AZ"), (702, "ZZ"),
                                                 (703, "AAA"), (16_384, "XFD")])
def test_column_letters(number: int, letters: str) -> None:
    assert column_letter(number) == letters


def _zipfile_pack(parts: list[tuple[str, str]], when: date) -> bytes:
    """The package as Python's zipfile writes it, with the stamp, permissions and level ddgen uses."""
    from ddgen.xlsx import COMPRESS_LEVEL

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts:
            info = zipfile.ZipInfo(name, date_time=(max(when.year, 1980), when.month, when.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, text.encode("utf-8"), compresslevel=COMPRESS_LEVEL)
    return out.getvalue()


@pytest.mark.parametrize("when", [WHEN, date(1975, 6, 30), date(2107, 12, 31)])
def test_the_package_is_byte_for_byte_what_zipfile_writes(when: date) -> None:
    """ddgen writes the zip itself, from parts deflated once (the supplier sheet is in two workbooks);
    the bytes must be zipfile's, whatever was deflated before."""
    from ddgen.xlsx import _pack

    sheet = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>Ege Örme A.Ş. {n}</t></is></c></row>'
                    for n in range(2, 3000))
    parts = [("[Content_Types].xml", "<Types/>"), ("xl/worksheets/sheet1.xml", sheet), ("empty.xml", ""),
             ("xl/worksheets/sheet2.xml", sheet)]
    assert _pack(parts, when) == _zipfile_pack(parts, when)
    assert _pack(parts[1:2], when) == _zipfile_pack(parts[1:2], when)  # the sheet remembered: the same bytes
    with zipfile.ZipFile(io.BytesIO(_pack(parts, when))) as archive:
        assert archive.testzip() is None and archive.read("xl/worksheets/sheet2.xml").decode() == sheet
