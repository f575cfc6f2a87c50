"""Spreadsheets made in the tests with openpyxl, as purchasing departments make them; no binary fixtures."""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[3]

MakeWorkbook = Callable[..., Path]


def save_workbook(path: Path, sheets: Mapping[str, Sequence[Sequence[Any]]], *,
                  merged: Mapping[str, Sequence[str]] = {}, formats: Mapping[str, Mapping[str, str]] = {},
                  cached: Mapping[str, Any] = {}) -> Path:
    """Write a workbook: rows per sheet, merged ranges, number formats per cell, and saved formula results.

    openpyxl writes formulas without a result; Excel saves one. `cached` ({"B3": 42}) puts that result
    into the first sheet, as a workbook saved by Excel has it.
    """
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
        for ref in merged.get(title, ()):
            sheet.merge_cells(ref)
        for ref, number_format in formats.get(title, {}).items():
            sheet[ref].number_format = number_format
    book.save(path)
    if cached:
        _add_cached_values(path, cached)
    return path


def _add_cached_values(path: Path, cached: Mapping[str, Any]) -> None:
    with zipfile.ZipFile(path) as src:
        parts = {name: src.read(name) for name in src.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    for ref, value in cached.items():
        xml, count = re.subn(rf'(<c r="{ref}"[^>]*><f>[^<]*</f>)<v\s*/>', rf"\g<1><v>{value}</v>", xml)
        assert count == 1, ref
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            dst.writestr(name, data)


@pytest.fixture
def make_workbook(tmp_path: Path) -> MakeWorkbook:
    def make(sheets: Mapping[str, Sequence[Sequence[Any]]], name: str = "leveranciers.xlsx", **options: Any) -> Path:
        return save_workbook(tmp_path / name, sheets, **options)

    return make


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the bundled example company (its data folder)."""
    project = tmp_path / "example"
    shutil.copytree(ROOT / "data", project / "data")
    return project
