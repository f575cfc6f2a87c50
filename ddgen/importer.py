"""Import: a supplier list (Excel or CSV) -> supplier records merged into the project's YAML.

Input: a project folder and a spreadsheet (`.xlsx`/`.xlsm`, or CSV in UTF-8 or Windows encoding,
separated by commas, semicolons or tabs). Output: an `Imported` value with every problem, what
changes per supplier, and the new text of each supplier file. Nothing is written here; `write()`
does that, and the command calls it only when there is no error at all.

How rows become records:
- Column names may be ddgen's own (`product_types`), the Open Supply Hub template's
  (`number_of_workers`), the Transparency Pledge's ("Site address") or Dutch ("naam", "adres",
  "land"); case, spaces, accents and punctuation do not matter. Title rows above the header, merged
  header cells, empty rows, trailing spaces, numbers stored as text, Excel dates and formulas (their
  saved result) are read as a person reading the sheet would.
- A row is the supplier with the same id; else the one with the same OS ID; else the one with the
  same name (ignoring case, accents, punctuation and legal forms such as Ltd.) in the same country;
  else a new supplier with the next free id. Filled-in cells replace the stored value; an empty
  cell keeps it, so a list with fewer columns never erases what only the records hold.
- The YAML files are edited with ruamel.yaml's round-trip mode: comments, blank lines, key order
  and flow lists stay as they were; only changed values and new records differ.

Problem codes: DDG020 (not a readable supplier list: not a workbook, protected by a password, old
.xls, no such sheet, no header row, a column twice), DDG021 (too large), DDG101 (a value or column
new suppliers need is missing), DDG102 (a column is not read; warning), DDG103-DDG109 (values),
DDG201 (unknown id), DDG202 (two rows describe the same supplier), DDG220 (a row matches more than
one supplier, or its id and OS ID point at different suppliers).
"""

from __future__ import annotations

import csv
import difflib
import io
import os
import re
import tempfile
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.tokens import CommentToken

from .countries import lookup_country, suggest_country
from .model.value_chain import Supplier
from .problems import Problem, Severity, Span, problem

MAX_FILE_BYTES = 50 * 1024 * 1024
"""A list of 50,000 suppliers takes about 10 MB as a workbook; anything much larger is not a supplier list."""

MAX_UNPACKED_BYTES = 400 * 1024 * 1024
"""A workbook is a zip: refuse one that would unpack to more than this (a 'zip bomb' or a huge sheet)."""

MAX_ROWS = 50_000
"""Rows read from one sheet. The project loader reads data files up to 16 MiB, about 50,000 suppliers."""

MAX_COLUMNS = 200
HEADER_ROWS = 20
"""The header row is looked for in the first 20 rows, below any title rows."""

MAX_MERGED_CELLS = 1_000_000

# --------------------------------------------------------------------------- column names


def _key(text: str) -> str:
    """A column name reduced to what matters: 'Aantal werknemers*' and 'aantal_werknemers' are equal."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    folded = folded.replace("%", " percent ").replace("#", " number ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split())


_ALIASES: dict[str, tuple[str, ...]] = {
    # field: names, best first. ddgen's own names, then Open Supply Hub, the Pledge, OMTS, Dutch.
    "id": ("id", "supplier id", "ddgen id", "leverancier id", "leveranciers id", "leverancierscode", "supplier code",
           "leveranciersnummer"),
    "name": ("name", "supplier name", "facility name", "site name", "full name", "name of site",
             "name of production unit", "production unit", "naam", "naam leverancier", "leveranciersnaam",
             "leverancier", "bedrijfsnaam", "naam fabriek", "fabriek", "productielocatie", "naam productielocatie"),
    "local_name": ("local name", "native language name", "lokale naam", "naam in lokale taal"),
    "address": ("address", "site address", "facility address", "adres", "vestigingsadres", "adres fabriek",
                "adres productielocatie"),
    "country": ("country", "country code", "jurisdiction", "land", "landcode", "land code", "country name",
                "landnaam"),
    "lat": ("lat", "latitude", "breedtegraad"),
    "lng": ("lng", "lon", "long", "longitude", "lengtegraad"),
    "tier": ("tier", "supplier tier", "tier level", "schakel", "niveau"),
    "parent_company": ("parent company", "parent company of the business at the site", "moederbedrijf",
                       "moedermaatschappij", "concern", "holding"),
    "sector": ("sector", "branche"),
    "product_types": ("product types", "product type", "type of products made", "type of products",
                      "types of products", "sector product type", "producttype", "producttypen", "productsoort",
                      "productsoorten", "soort product", "soort producten", "productgroep", "productgroepen",
                      "producten"),
    "facility_type": ("facility type", "type of facility", "soort vestiging", "type vestiging", "type fabriek",
                      "soort fabriek", "type locatie"),
    "processing_types": ("processing types", "processing type", "facility type processing type", "bewerkingen",
                         "bewerking", "productieprocessen", "processen"),
    "workers": ("workers", "number of workers", "worker numbers", "number of workers at each site", "total workers",
                "employees", "aantal werknemers", "aantal medewerkers", "aantal arbeiders", "werknemers",
                "medewerkers"),
    "percent_female": ("percent female", "percent female workers", "percentage of female workers",
                       "percentage female workers", "female workers percent", "percent vrouwen",
                       "percentage vrouwen", "aandeel vrouwen"),
    "percent_migrant": ("percent migrant", "percent migrant workers", "percentage of migrant workers",
                        "percentage migrant workers", "percent migranten", "percentage migranten",
                        "percentage arbeidsmigranten", "aandeel arbeidsmigranten"),
    "worker_representation": ("worker representation", "union or worker committee", "werknemersvertegenwoordiging",
                              "vakbond", "vakbond of ondernemingsraad"),
    "certifications": ("certifications", "certificates", "certification", "certificeringen", "certificaten",
                       "keurmerken"),
    "os_id": ("os id", "open supply hub id", "os hub id", "oar id"),
    "relationship_since": ("relationship since", "supplier since", "since", "leverancier sinds", "relatie sinds",
                           "samenwerking sinds", "sinds"),
    "code_signed_on": ("code signed on", "code of conduct signed", "code of conduct signed on", "gedragscode getekend",
                       "gedragscode ondertekend", "gedragscode ondertekend op"),
    "strategic": ("strategic", "strategic supplier", "strategisch", "strategische leverancier"),
    "status": ("status", "supplier status", "leveranciersstatus"),
    "exit_on": ("exit on", "exit date", "einddatum", "datum beeindiging"),
    "exit_kind": ("exit kind", "exit type", "soort beeindiging"),
    "exit_reason": ("exit reason", "reden beeindiging"),
    "supplies_to": ("supplies to", "levert aan"),
    "products": ("products", "product ids"),
    "raw_materials": ("raw materials", "raw material ids", "grondstoffen"),
    "website": ("website", "business url", "url", "web address", "webadres", "websiteadres"),
    "purchase_share": ("purchase share", "share of purchases", "inkoopaandeel", "aandeel inkoop", "percent inkoop"),
    "contract_reference": ("contract reference", "contract", "contractnummer", "contractreferentie"),
    "scope": ("scope", "disclosure", "zichtbaarheid", "openbaarheid"),
}
_DEMOTED = {"country name", "landnaam"}
"""Names that only count when no better column is there (`country_name` beside `country_code`)."""

_IGNORED = {"contribution date", "contributor", "is closed", "processing type facility type raw", "nr", "no",
            "number", "nummer", "volgnummer", "rank"}
"""Columns that ddgen's and Open Supply Hub's own files hold but that are worked out, not imported."""

COLUMNS: dict[str, tuple[str, int]] = {}
for _field, _names in _ALIASES.items():
    for _name in _names:
        COLUMNS[_key(_name)] = (_field, 2 if _name in _DEMOTED else 0 if _key(_name) == _key(_field) else 1)
for _field in _ALIASES:  # ddgen's own spelling, underscores included, is always understood
    COLUMNS[_key(_field)] = (_field, 0)
COLUMNS[_key("country_code")] = ("country", 0)
COLUMNS[_key("number_of_workers")] = ("workers", 0)
COLUMNS[_key("product_type")] = ("product_types", 0)
COLUMNS[_key("processing_type")] = ("processing_types", 0)
COLUMNS[_key("percent_female_workers")] = ("percent_female", 0)
COLUMNS[_key("percent_migrant_workers")] = ("percent_migrant", 0)

CERTIFICATE_COLUMNS = {"supplier id": "supplier_id", "scheme": "scheme", "certificate id": "certificate_id",
                       "valid until": "valid_until", "scope note": "scope_note"}
"""The certifications sheet of ddgen's own workbook: read with the supplier sheet, so nothing is lost."""

REQUIRED_NEW = ("name", "address", "country", "tier", "product_types")
"""What a new supplier needs (the Open Supply Hub minimum plus ddgen's tier and product types)."""

FIELD_ORDER = tuple(Supplier.model_fields)


def column_for(header: str) -> tuple[str, int] | None:
    """The field a column name stands for, with its rank (0 best); None for a column ddgen does not read."""
    for text in (header, re.sub(r"\([^)]*\)", " ", header)):
        found = COLUMNS.get(_key(text))
        if found:
            return found
    return None


# --------------------------------------------------------------------------- reading the file


@dataclass
class Grid:
    """The cells of one sheet: values by (row, column), 1-based as the spreadsheet shows them."""

    where: str  # the file part of a Span: "suppliers.xlsx[Leveranciers]" or "suppliers.csv"
    sheet: str | None
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    percent: set[tuple[int, int]] = field(default_factory=set)  # cells formatted as a percentage

    def span(self, row: int, column: int = 1) -> Span:
        return Span(self.where, row, column)

    def place(self, row: int, header: str | None = None) -> str:
        """'sheet Leveranciers, row 14, column 'land'' for messages."""
        parts = [f"sheet {self.sheet}"] if self.sheet else []
        parts.append(f"row {row}")
        if header is not None:
            parts.append(f"column '{header}'")
        return ", ".join(parts)


class Refused(Exception):
    """The file cannot be read as a supplier list; carries the one problem that says why."""

    def __init__(self, found: Problem) -> None:
        super().__init__(found.message)
        self.problem = found


def _refuse(where: str, message: str, fix: str, code: str = "DDG020", row: int = 1) -> Refused:
    return Refused(problem(code, Span(where, row, 1), message, fix))


def read_sheets(path: Path, display: str, sheet: str | None) -> tuple[Grid, Grid | None]:
    """The supplier sheet (and, in ddgen's own workbook, its certifications sheet); raises Refused."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise _refuse(display, f"{display} could not be opened ({exc.strerror or 'no access'}).",
                      "check the file name and that you may read the file.") from None
    if size > MAX_FILE_BYTES:
        raise _refuse(display, f"{display} is {size / 1024 / 1024:.0f} MB; ddgen reads supplier lists up to "
                      f"{MAX_FILE_BYTES // 1024 // 1024} MB.", "split the list, or remove other sheets and pictures.",
                      "DDG021")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise _old_format(path, display)
    if head.startswith(b"PK"):
        return _read_workbook(path, display, sheet)
    if sheet is not None:
        raise _refuse(display, f"{display} is a CSV file, which has no sheets, but --sheet {sheet} was given.",
                      "leave out --sheet for a CSV file.")
    beside = path.with_name("certifications.csv")
    extra = _read_csv(beside, beside.name) if beside.is_file() and beside != path else None
    return _read_csv(path, display), extra


def _old_format(path: Path, display: str) -> Refused:
    with path.open("rb") as fh:
        encrypted = "EncryptedPackage".encode("utf-16-le") in fh.read(1024 * 1024)
    if encrypted:
        return _refuse(display, f"{display} is protected by a password, so ddgen cannot read it.",
                       "open it in Excel, remove the password (File > Info > Protect Workbook) and save it again.")
    return _refuse(display, f"{display} is an Excel 97-2003 workbook (.xls), which ddgen does not read.",
                   "open it in Excel and save it as an Excel workbook (.xlsx), or as CSV UTF-8.")


def _open_workbook(path: Path, display: str) -> Any:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, EOFError):
        raise _refuse(display, f"{display} is damaged or not an Excel workbook: it is not a complete zip file.",
                      "open it in Excel and save it again as .xlsx, or save the list as CSV UTF-8.") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise _refuse(display, f"{display} unpacks to {unpacked / 1024 / 1024:.0f} MB, more than ddgen reads "
                      f"({MAX_UNPACKED_BYTES // 1024 // 1024} MB).", "keep only the supplier list in the workbook, "
                      "without other sheets and pictures.", "DDG021")
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds of error on a damaged file; all mean the same
        raise _refuse(display, f"{display} is a zip file, but not an Excel workbook ddgen can read.",
                      "open it in Excel and save it again as an Excel workbook (.xlsx).") from None


def _pick_sheet(book: Any, display: str, wanted: str | None) -> str:
    names: list[str] = [str(n) for n in book.sheetnames]
    if wanted is None:
        return next((n for n in names if _looks_like_suppliers(book[n])), names[0])
    for name in names:
        if name == wanted or name.casefold() == wanted.strip().casefold():
            return name
    close = difflib.get_close_matches(wanted, names, n=1, cutoff=0.6)
    raise _refuse(display, f"{display} has no sheet '{wanted}'; its sheets are: {', '.join(names)}.",
                  (f"did you mean --sheet '{close[0]}'? " if close else "") + "give one of these names after --sheet.")


def _looks_like_suppliers(sheet: Any) -> bool:
    for row in sheet.iter_rows(max_row=HEADER_ROWS, max_col=MAX_COLUMNS, values_only=True):
        fields = {column_for(str(v))[0] for v in row if isinstance(v, str) and column_for(v)}  # type: ignore[index]
        if {"name", "country"} <= fields or "os_id" in fields or {"id", "address"} <= fields:
            return True
    return False


def _read_workbook(path: Path, display: str, wanted: str | None) -> tuple[Grid, Grid | None]:
    book = _open_workbook(path, display)
    try:
        name = _pick_sheet(book, display, wanted)
        grid = _read_sheet(book[name], f"{display}[{name}]", name)
        certificates = next((n for n in book.sheetnames if n != name and _key(n) in ("certifications",
                                                                                     "certificeringen")), None)
        extra = _read_sheet(book[certificates], f"{display}[{certificates}]", certificates) if certificates else None
    finally:
        book.close()
    return grid, extra


def _read_sheet(sheet: Any, where: str, title: str) -> Grid:
    grid = Grid(where, title)
    declared = sheet.max_row or 0
    if declared > MAX_ROWS + HEADER_ROWS:
        raise _too_many_rows(where, title, f"{declared:,}")
    sheet.reset_dimensions()  # some programs write a wrong size; read to the last row that is there
    for number, whole_row in enumerate(sheet.iter_rows(), start=1):  # only the cells that are there
        if number > MAX_ROWS + HEADER_ROWS:
            raise _too_many_rows(where, title, f"more than {MAX_ROWS + HEADER_ROWS:,}")
        row = whole_row[:MAX_COLUMNS]
        values = [cell.value for cell in row]
        while values and (values[-1] is None or values[-1] == ""):
            values.pop()
        if values:
            grid.rows.append((number, values))
            grid.percent.update((number, i) for i, cell in enumerate(row, start=1)
                                if "%" in str(getattr(cell, "number_format", "")) and i <= len(values))
    _fill_merged(sheet, grid)
    return grid


def _too_many_rows(where: str, title: str, rows: str) -> Refused:
    return _refuse(where, f"sheet {title} has {rows} rows; ddgen imports at most {MAX_ROWS:,} suppliers at a time.",
                   "split the list into smaller files, or delete the empty rows at the bottom of the sheet "
                   "(select them, then Delete Rows).", "DDG021")


def _merged_ranges(sheet: Any) -> list[str]:
    """The merged ranges of a sheet. Read-only worksheets do not offer them, so read the sheet's XML.

    Uses openpyxl's `_get_source()` (the sheet's part inside the zip); the size was checked before.
    """
    import xml.etree.ElementTree as ET

    source = getattr(sheet, "_get_source", None)
    if source is None:
        return []
    refs: list[str] = []
    with source() as xml:
        for _event, element in ET.iterparse(xml, events=("end",)):
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "mergeCell" and element.get("ref"):
                refs.append(element.get("ref", ""))
            elif tag == "row":
                element.clear()
    return refs


def _fill_merged(sheet: Any, grid: Grid) -> None:
    """Every cell of a merged range shows the range's value, as Excel shows it across the range."""
    from openpyxl.utils.cell import range_boundaries

    rows = dict(grid.rows)
    budget = MAX_MERGED_CELLS
    for ref in _merged_ranges(sheet):
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        top = rows.get(min_row, [])
        value = top[min_col - 1] if len(top) >= min_col else None
        if value is None:
            continue
        for r in range(min_row, max_row + 1):
            cells = rows.setdefault(r, [])
            for c in range(min_col, min(max_col, MAX_COLUMNS) + 1):
                budget -= 1
                if budget < 0:
                    return
                cells.extend([None] * (c - len(cells)))
                if cells[c - 1] is None:
                    cells[c - 1] = value
    grid.rows = sorted(rows.items())


def _decode(data: bytes, display: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        raise _refuse(display, f"{display} is not a text file, and not an Excel workbook either.",
                      "save the supplier list from Excel as 'CSV UTF-8' or as an Excel workbook (.xlsx).")
    for encoding in ("utf-8-sig", "cp1252"):  # Excel's 'CSV UTF-8', then its 'CSV' on Windows
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _refuse(display, f"{display} is neither UTF-8 nor Windows text, so its letters cannot be read reliably.",
                  "save the list from Excel as 'CSV UTF-8 (comma delimited)'.")


def _delimiter(text: str) -> str:
    """Comma, semicolon (Dutch Excel) or tab: whichever the first filled line holds most of, outside quotes."""
    line = next((ln for ln in text.splitlines() if ln.strip()), "")
    unquoted = re.sub(r'"[^"]*"', "", line)
    return max((",", ";", "\t"), key=unquoted.count)


def _read_csv(path: Path, display: str) -> Grid:
    text = _decode(path.read_bytes(), display)
    grid = Grid(display, None)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    line = 1
    try:
        for record in reader:
            if len(grid.rows) > MAX_ROWS + HEADER_ROWS:
                raise _refuse(display, f"{display} has more than {MAX_ROWS:,} rows; ddgen imports at most "
                              f"{MAX_ROWS:,} suppliers at a time.", "split the list into smaller files.", "DDG021")
            values = list(record[:MAX_COLUMNS])
            while values and not values[-1].strip():
                values.pop()
            if values:
                grid.rows.append((line, values))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise _refuse(display, f"line {reader.line_num} of {display} cannot be read as CSV ({exc}).",
                      "check the quotes on that line: a value with a quote inside is written with two quotes.",
                      row=max(reader.line_num, 1)) from None
    return grid


# --------------------------------------------------------------------------- header


@dataclass(frozen=True)
class Column:
    index: int  # 1-based
    header: str
    field: str
    also: tuple[int, ...] = ()  # further columns under the same merged header ('Adres' over street and city)

    @property
    def indexes(self) -> tuple[int, ...]:
        return (self.index, *self.also)


@dataclass
class Layout:
    """Where the header is and which column holds which field."""

    header_row: int
    columns: dict[str, Column]
    unread: list[str]


def _letter(index: int) -> str:
    from openpyxl.utils.cell import get_column_letter

    return str(get_column_letter(index))


def _header_text(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def find_layout(grid: Grid, problems: list[Problem]) -> Layout:
    """The first row among the top 20 that names the most known columns; raises Refused if none does."""
    best: tuple[int, int, list[Any]] | None = None
    for number, values in grid.rows[:HEADER_ROWS]:
        known = len({column_for(_header_text(v)) for v in values if column_for(_header_text(v))})
        if known >= 2 and (best is None or known > best[1]):
            best = (number, known, values)
    if best is None:
        raise _refuse(grid.where, f"{grid.place(1)}: no header row found; none of the first {HEADER_ROWS} rows "
                      "has the column names ddgen reads (name, address, country ...).",
                      "put the column names in one row above the suppliers, e.g. name, address, country, tier "
                      "(or naam, adres, land).")
    number, _known, values = best
    found: dict[str, list[tuple[int, Column]]] = defaultdict(list)
    unread = []
    for index, value in enumerate(values, start=1):
        header = _header_text(value)
        match = column_for(header) if header else None
        if match:
            found[match[0]].append((match[1], Column(index, header, match[0])))
        elif header and _key(header) not in _IGNORED:
            unread.append(header)
            _warn_unread(grid, number, index, header, problems)
    return Layout(number, {name: _pick_column(grid, number, options, problems) for name, options in found.items()},
                  unread)


def _warn_unread(grid: Grid, row: int, index: int, header: str, problems: list[Problem]) -> None:
    close = difflib.get_close_matches(_key(header), list(COLUMNS), n=1, cutoff=0.8)
    if close:
        field_name = COLUMNS[close[0]][0]
        problems.append(problem(
            "DDG102", grid.span(row, index), f"{grid.place(row, header)}: this column is not read.",
            f"did you mean '{close[0]}'? Rename the column to '{field_name}' to import it.",
            severity=Severity.WARNING))


def _pick_column(grid: Grid, row: int, options: list[tuple[int, Column]], problems: list[Problem]) -> Column:
    """The best-named column for a field. Neighbours with one header are one merged header cell."""
    rank = min(r for r, _ in options)
    best = [c for r, c in options if r == rank]
    first = best[0]
    also: list[int] = []
    for column in best[1:]:
        if column.header == first.header and column.index == first.index + len(also) + 1:
            also.append(column.index)
            continue
        problems.append(problem(
            "DDG020", grid.span(row, column.index),
            f"{grid.place(row)}: columns {_letter(first.index)} ('{first.header}') and {_letter(column.index)} "
            f"('{column.header}') both hold the {first.field.replace('_', ' ')}.",
            "delete or rename one of the two columns, so that ddgen knows which one to read."))
    return Column(first.index, first.header, first.field, tuple(also))


# --------------------------------------------------------------------------- cell values


class CellError(Exception):
    """A cell's value cannot be used; `what` and `fix` complete the message."""

    def __init__(self, code: str, what: str, fix: str) -> None:
        super().__init__(what)
        self.code, self.what, self.fix = code, what, fix


_EXCEL_ERRORS = {"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"}
_TRUE = {"yes", "y", "ja", "j", "true", "waar", "x", "1"}
_FALSE = {"no", "n", "nee", "false", "onwaar", "0"}
_CHOICES = {
    "status": {"actief": "active", "afbouw": "phasing_out", "wordt_afgebouwd": "phasing_out",
               "uitfasering": "phasing_out", "phasing_out": "phasing_out", "beeindigd": "exited", "gestopt": "exited",
               "exit": "exited"},
    "scope": {"openbaar": "public", "publiek": "public", "partners": "partner", "intern": "internal"},
    "exit_kind": {"verantwoorde_beeindiging": "responsible_exit", "zakelijke_redenen": "business_reasons",
                  "leverancier_gesloten": "supplier_closed"},
}
_IMPRECISE_COUNTRIES = {"holland", "england", "america", "engeland", "amerika"}
"""Names people use for a country that are strictly a region of it: asked about, not guessed."""

KINDS = {
    "id": "id", "country": "country", "lat": "decimal", "lng": "decimal", "tier": "whole", "workers": "workers",
    "percent_female": "percent", "percent_migrant": "percent", "purchase_share": "percent", "os_id": "os_id",
    "product_types": "list", "processing_types": "list", "certifications": "certificates",
    "supplies_to": "ids", "products": "ids", "raw_materials": "ids", "relationship_since": "year",
    "code_signed_on": "date", "exit_on": "date", "strategic": "yes_no", "status": "choice", "exit_kind": "choice",
    "scope": "choice",
}


def _quote(value: Any) -> str:
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    text = value.isoformat() if isinstance(value, date) else str(value)
    return f"'{text[:60]}{'...' if len(text) > 60 else ''}'"


def _text(value: Any) -> str:
    """A cell as text: whole numbers without '.0', dates as YYYY-MM-DD, spaces tidied, lines joined."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    lines = (" ".join(line.replace("\u00a0", " ").split()) for line in str(value).splitlines())
    return ", ".join(line for line in lines if line)


def _number(text: str, whole: bool) -> float | int | None:
    """'1.850', '1,850' and '1850' (whole numbers); '23,5' and '23.5' (decimals); None if not a number."""
    compact = text.replace(" ", "").replace("\u202f", "").replace("'", "")
    if whole and re.fullmatch(r"[-+]?\d{1,3}([.,]\d{3})+", compact):
        return int(re.sub(r"[.,]", "", compact))
    if "," in compact and "." in compact:
        compact = compact.replace("." if compact.rfind(",") > compact.rfind(".") else ",", "")
    compact = compact.replace(",", ".")
    try:
        number = float(compact)
    except ValueError:
        return None
    if whole:
        return int(number) if number.is_integer() else None
    return int(number) if number.is_integer() else number


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)):
        raise CellError("DDG106", f"{_quote(value)} is a number, not a date",
                        "format the cell as a date in Excel, or write the date as 2025-03-31.")
    text = _text(value)
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", text):  # Dutch order: day, month, year
            return date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        pass
    raise CellError("DDG106", f"{_quote(value)} is not a calendar date",
                    "write the date as 2025-03-31 (or 31-03-2025), or format the cell as a date in Excel.")


def _whole(value: Any, what: str) -> int:
    number = value if isinstance(value, (int, float)) and not isinstance(value, bool) else _number(_text(value), True)
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    if not isinstance(number, int):
        raise CellError("DDG104", f"{_quote(value)} is not a whole number", f"write {what}.")
    return number


def _decimal(value: Any, percent_cell: bool, what: str) -> float | int:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number: float | int | None = value * 100 if percent_cell else value
    else:
        number = _number(_text(value).rstrip("%").strip(), False)
    if number is None:
        raise CellError("DDG104", f"{_quote(value)} is not a number", f"write {what}.")
    number = round(float(number), 10)
    return int(number) if number.is_integer() else number


def _country(value: Any) -> str:
    text = _text(value)
    code = None if _key(text) in _IMPRECISE_COUNTRIES else lookup_country(text)
    if code is None:
        guess = suggest_country(text)
        raise CellError("DDG107", f"{_quote(text)} is not a country",
                        (f"did you mean {guess}? " if guess else "") +
                        "Write the ISO code (NL, BD, TR) or the country's name in Dutch or English.")
    return code


def _workers(value: Any) -> int | str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _whole(value, "the number of workers, e.g. 120, or a range such as 100-150")
    text = re.sub(r"\s+", "", _text(value).replace("–", "-").replace("—", "-"))
    text = re.sub(r"(?<=\d)[.,](?=\d{3}(?!\d))", "", text)  # 1.001-5.000 -> 1001-5000
    return int(text) if text.isdigit() else text


def _split(value: Any, separators: str = r"[|;\n]|,(?!\d{3})") -> list[str]:
    parts = [" ".join(p.split()) for p in re.split(separators, str(value) if not isinstance(value, float)
                                                    else _text(value))]
    return list(dict.fromkeys(p for p in parts if p))


_VALID_UNTIL = re.compile(r"^(.*?)\s*\((?:valid until|geldig tot(?: en met)?|t/m|expires?)\s+([^)]+)\)$", re.IGNORECASE)


def _certificates(value: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for part in _split(value, r"[|;\n]"):
        m = _VALID_UNTIL.match(part)
        found.append({"scheme": m[1], "valid_until": _date(m[2])} if m and m[1] else {"scheme": part})
    return found


def _choice(name: str, value: Any) -> str:
    folded = re.sub(r"[\s-]+", "_", _key(_text(value)))
    return _CHOICES.get(name, {}).get(folded, folded)


def _yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = _key(_text(value))
    if word in _TRUE or word in _FALSE:
        return word in _TRUE
    raise CellError("DDG104", f"{_quote(value)} is not yes or no", "write yes or no (ja or nee).")


def convert(name: str, value: Any, percent_cell: bool = False) -> Any:
    """A cell's value as the supplier field `name` holds it; raises CellError."""
    if isinstance(value, str) and value.strip() in _EXCEL_ERRORS:
        raise CellError("DDG104", f"the formula in this cell gives the error {value.strip()}",
                        "correct the formula in Excel, or type the value itself.")
    kind = KINDS.get(name, "text")
    if kind == "text":
        return _text(value)
    if kind == "id":
        return _text(value).replace(" ", "")
    if kind == "os_id":
        return _text(value).replace(" ", "").upper()
    if kind == "country":
        return _country(value)
    if kind == "whole":
        return _whole(value, "a whole number such as 1 or 2")
    if kind == "year":
        return value.year if isinstance(value, (date, datetime)) else _whole(value, "a year such as 2014")
    if kind == "decimal":
        return _decimal(value, False, "a number such as 23.81")
    if kind == "percent":
        return _decimal(value, percent_cell, "a percentage such as 57 or 57%")
    if kind == "workers":
        return _workers(value)
    if kind == "date":
        return _date(value)
    if kind == "yes_no":
        return _yes_no(value)
    if kind == "choice":
        return _choice(name, value)
    if kind == "certificates":
        return _certificates(value)
    return _split(value, r"[|;,\s]+" if kind == "ids" else r"[|;\n]|,")


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.replace("\u00a0", " ").strip())


# --------------------------------------------------------------------------- rows


@dataclass
class Row:
    """One supplier row: its number, the converted values and the column each came from."""

    number: int
    values: dict[str, Any]
    columns: dict[str, Column]
    raw: dict[str, Any] = field(default_factory=dict)  # the cells as written, for messages
    failed: set[str] = field(default_factory=set)  # fields whose cell was already reported

    @property
    def label(self) -> str:
        name = self.values.get("name")
        return f"'{name}'" if name else (f"'{self.values['id']}'" if self.values.get("id") else "")


def read_rows(grid: Grid, layout: Layout, problems: list[Problem]) -> list[Row]:
    rows = []
    for number, values in grid.rows:
        if number <= layout.header_row:
            continue
        row = Row(number, {}, {})
        for name, column in layout.columns.items():
            raw = [values[i - 1] for i in column.indexes if i <= len(values) and not _is_empty(values[i - 1])]
            if not raw:
                continue
            joined = raw[0] if len(raw) == 1 else ", ".join(_text(v) for v in raw)
            row.raw[name] = joined
            try:
                row.values[name] = convert(name, joined, (number, column.index) in grid.percent)
            except CellError as err:
                problems.append(problem(err.code, grid.span(number, column.index),
                                        f"{grid.place(number, column.header)}: {err.what}.", err.fix))
                row.failed.add(name)
                continue
            row.columns[name] = column
        if row.values or row.failed:
            rows.append(row)
    return rows


# --------------------------------------------------------------------------- the project's supplier files


def _yaml() -> YAML:
    yaml = YAML()  # round-trip: comments, order, flow style and quotes survive
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long line that was on one line
    return yaml


@dataclass
class SupplierFile:
    """One YAML file that holds `suppliers:`, loaded for editing."""

    relative: str  # data/suppliers.yaml
    path: Path
    yaml: YAML
    doc: Any
    text: str

    @property
    def records(self) -> CommentedSeq | None:
        seq = self.doc.get("suppliers") if isinstance(self.doc, CommentedMap) else None
        return seq if isinstance(seq, CommentedSeq) else None


def _styled(text: str) -> YAML:
    """A YAML writer with the file's own indentation (e.g. '  - id:' with keys at four spaces)."""
    from ruamel.yaml.util import load_yaml_guess_indent

    yaml = _yaml()
    try:
        _doc, indent, offset = load_yaml_guess_indent(text)
    except Exception:  # noqa: BLE001 - a file ddgen check accepted; guessing is only about looks
        indent, offset = 4, 2
    indent, offset = indent or 4, offset if offset is not None else 2
    yaml.indent(mapping=max(indent - offset, 2) if offset else indent, sequence=indent, offset=offset)
    return yaml


def supplier_files(project: Path) -> list[SupplierFile]:
    from .load import data_files
    from .model.dossier import file_kind

    files = []
    for path in data_files(project):
        relative = path.relative_to(project / "data").as_posix()
        if file_kind(relative) != "suppliers":
            continue
        text = path.read_text(encoding="utf-8")
        yaml = _styled(text)
        files.append(SupplierFile(f"data/{relative}", path, yaml, yaml.load(text), text))
    return files


def _plain(node: Any) -> Any:
    """ruamel's round-trip values as plain Python values, for comparing and validating."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, datetime):
        return node.date() if node.time() == datetime.min.time() else node
    if isinstance(node, date):
        return date(node.year, node.month, node.day)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return str(node)


@dataclass
class Existing:
    """A supplier record as it stands in a file."""

    file: SupplierFile
    node: CommentedMap

    @property
    def id(self) -> str:
        return str(self.node.get("id", ""))


def _name_key(name: str) -> str:
    """A name for matching: no case, accents, punctuation or legal form ('Meghna Delta Apparels Ltd.')."""
    words = _key(name.replace(".", "")).split()
    legal = {"ltd", "limited", "pvt", "private", "co", "company", "inc", "llc", "gmbh", "bv", "nv", "sa", "srl",
             "sarl", "spa", "as", "sti", "plc", "corp", "corporation", "pte", "tic", "san", "ve"}
    while words and words[-1] in legal:
        words.pop()
    return " ".join(words)


@dataclass
class Index:
    """Existing suppliers by id, by OS ID and by name and country."""

    by_id: dict[str, Existing] = field(default_factory=dict)
    by_os_id: dict[str, list[Existing]] = field(default_factory=lambda: defaultdict(list))
    by_name: dict[tuple[str, str], list[Existing]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def of(cls, files: list[SupplierFile]) -> Index:
        index = cls()
        for f in files:
            for node in f.records or []:
                if not isinstance(node, CommentedMap):
                    continue
                record = Existing(f, node)
                index.by_id.setdefault(record.id, record)
                if node.get("os_id"):
                    index.by_os_id[str(node["os_id"]).upper()].append(record)
                if node.get("name") and node.get("country"):
                    index.by_name[(_name_key(str(node["name"])), str(node["country"]))].append(record)
        return index


# --------------------------------------------------------------------------- matching rows to records


@dataclass
class Change:
    """What the import does to one supplier."""

    id: str
    row: int
    new: bool
    fields: tuple[str, ...]
    record: dict[str, Any]
    existing: Existing | None


def _match(row: Row, index: Index, grid: Grid, problems: list[Problem]) -> tuple[Existing | None, bool]:
    """The existing record a row describes (or None for a new one); False when the row cannot be placed."""
    given_id, os_id = row.values.get("id"), row.values.get("os_id")
    by_os = index.by_os_id.get(os_id, []) if os_id else []
    if given_id:
        record = index.by_id.get(given_id)
        other = next((r for r in by_os if r is not record), None)
        if other is not None and (record is None or record.node.get("os_id")):
            problems.append(problem(
                "DDG220", grid.span(row.number, row.columns["id"].index),
                f"{grid.place(row.number, row.columns['id'].header)}: the row has id '{given_id}', but its OS ID "
                f"{os_id} belongs to supplier {other.id}.",
                f"use id {other.id} in this row, or correct the OS ID."))
            return None, False
        return record, True
    if len(by_os) == 1:
        return by_os[0], True
    country, name = row.values.get("country"), row.values.get("name")
    candidates = by_os or (index.by_name.get((_name_key(name), country), []) if name and country else [])
    if len(candidates) > 1:
        ids = ", ".join(sorted(r.id for r in candidates))
        problems.append(problem(
            "DDG220", grid.span(row.number), f"{grid.place(row.number)}: {row.label or 'this row'} matches "
            f"suppliers {ids}, which have the same " + ("OS ID." if by_os else "name and country."),
            "add a column 'id' and give this row the id of the supplier it describes."))
        return None, False
    return (candidates[0] if candidates else None), True


def _next_ids(taken: set[str], count: int) -> list[str]:
    """New ids in the project's own pattern: after S-036 come S-037, S-038 ..."""
    numbered = [m for i in taken if (m := re.fullmatch(r"(.*?)(\d+)", i))]
    prefixes = defaultdict(list)
    for m in numbered:
        prefixes[m[1]].append(m)
    prefix = max(sorted(prefixes), key=lambda p: len(prefixes[p])) if prefixes else "S-"
    width = max((len(m[2]) for m in prefixes[prefix]), default=3)
    start = max((int(m[2]) for m in prefixes[prefix]), default=0) + 1
    out: list[str] = []
    n = start
    while len(out) < count:
        candidate = f"{prefix}{n:0{width}d}"
        if candidate not in taken:
            out.append(candidate)
        n += 1
    return out


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return float(a) == float(b)
    return type(a) is type(b) and a == b if not isinstance(a, str) else a == b


def _merge_certificates(current: list[dict[str, Any]], given: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The certificates in the cell, keeping number and scope note of a scheme that was already there."""
    known = {str(c.get("scheme", "")).casefold(): c for c in current if isinstance(c, dict)}
    merged = []
    for cert in given:
        old = dict(known.get(cert["scheme"].casefold(), {}))
        old.update({k: v for k, v in cert.items() if v is not None})
        merged.append({str(k): old[k] for k in ("scheme", "certificate_id", "valid_until", "scope_note") if k in old})
    return merged


def _range(workers: Any) -> tuple[float, float] | None:
    if isinstance(workers, int) and not isinstance(workers, bool):
        return workers, workers
    text = str(workers).replace(" ", "")
    if m := re.fullmatch(r"(\d+)-(\d+)", text):
        return int(m[1]), int(m[2])
    if m := re.fullmatch(r"([<>])(\d+)", text):
        return (0, int(m[2])) if m[1] == "<" else (int(m[2]) + 1, float("inf"))
    return None


def _within(workers: Any, band: Any) -> bool:
    """True when a figure lies inside a wider range or band: 1850 or 1200-1500 inside '1001-5000'."""
    inner, outer = _range(workers) if workers is not None else None, _range(band)
    return bool(inner and outer and inner != outer and outer[0] <= inner[0] and inner[1] <= outer[1])


def _keep_hidden(current: list[str], given: list[str], hidden: frozenset[str] | set[str]) -> list[str]:
    """A public export leaves out links to partner and internal suppliers; importing it keeps them."""
    return [i for i in current if i in hidden or i in given] + [i for i in given if i not in current]


def _updated(current: dict[str, Any], row: Row,
             hidden: frozenset[str] | set[str] = frozenset()) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The record with the row's filled-in cells, and which fields changed.

    A band from a Transparency Pledge list does not replace an exact number that lies inside it.
    """
    record = dict(current)
    for name, value in row.values.items():
        if name.startswith("exit_"):
            record["exit"] = {**(record.get("exit") or {}), name.removeprefix("exit_"): value}
        elif name == "certifications" and not row.values.get("_certificates_sheet"):
            record[name] = _merge_certificates(current.get(name) or [], value)
        elif name == "supplies_to":
            record[name] = _keep_hidden(current.get(name) or [], value, hidden)
        elif name == "workers" and _within(current.get(name), value):
            continue
        elif not name.startswith("_"):
            record[name] = value
    changed = tuple(n for n in FIELD_ORDER if n in record and not _same(
        current.get(n, Supplier.model_fields[n].default), record[n]))
    return record, changed


def _attach_certificates(rows: list[Row], sheet: Grid | None, problems: list[Problem]) -> None:
    """ddgen's own workbook keeps certificates on their own sheet: it replaces the summary cell."""
    if sheet is None or not sheet.rows:
        return
    header_row, headers = sheet.rows[0]
    columns = {CERTIFICATE_COLUMNS[_key(_header_text(h))]: i for i, h in enumerate(headers)
               if _key(_header_text(h)) in CERTIFICATE_COLUMNS}
    if not {"supplier_id", "scheme"} <= set(columns):
        return
    by_supplier: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for number, values in sheet.rows[1:]:
        cells = {k: values[i] for k, i in columns.items() if i < len(values) and not _is_empty(values[i])}
        if not {"supplier_id", "scheme"} <= set(cells):
            continue
        cert = {k: _text(v) for k, v in cells.items() if k not in ("supplier_id", "valid_until")}
        try:
            if "valid_until" in cells:
                cert["valid_until"] = _date(cells["valid_until"])  # type: ignore[assignment]
        except CellError as err:
            problems.append(problem(err.code, sheet.span(number, columns["valid_until"] + 1),
                                    f"{sheet.place(number, 'valid_until')}: {err.what}.", err.fix))
        by_supplier[_text(cells["supplier_id"])].append(cert)
    for row in rows:
        found = by_supplier.get(row.values.get("id", ""))
        if found:
            row.values["certifications"] = found
            row.values["_certificates_sheet"] = True
    _ = header_row


# --------------------------------------------------------------------------- checking the records


_CHOICE_WORDS = {"enum": "DDG103", "literal_error": "DDG103"}


def _column_of(loc: tuple[Any, ...]) -> str:
    if loc and loc[0] == "exit" and len(loc) > 1 and isinstance(loc[1], str):
        return f"exit_{loc[1]}"
    return str(loc[0]) if loc else ""


def _value_problem(err: Any, row: Row, grid: Grid, record: dict[str, Any]) -> Problem | None:
    name = _column_of(tuple(err["loc"]))
    column = row.columns.get(name)
    where = grid.span(row.number, column.index) if column else grid.span(row.number)
    place = grid.place(row.number, column.header if column else None)
    kind, value, ctx = err["type"], row.raw.get(name, err.get("input")), err.get("ctx", {})
    subject = f"{place}: {_quote(value)}" if column else f"{place}: the stored {name.replace('_', ' ')} {_quote(value)}"
    if kind == "missing":
        return None  # reported per column by _required, in the sheet's words
    if kind in _CHOICE_WORDS:
        options = re.findall(r"'([^']*)'", ctx.get("expected", ""))
        close = difflib.get_close_matches(str(value), options, n=1, cutoff=0.6)
        return problem("DDG103", where, f"{subject} is not one of: {', '.join(options)}.",
                       (f"did you mean '{close[0]}'? " if close else "") + "use one of the listed values.")
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        limit = " and ".join(f"{w} {ctx[k]:g}" for k, w in (("ge", "at least"), ("gt", "more than"),
                                                              ("le", "at most"), ("lt", "less than")) if k in ctx)
        return problem("DDG105", where, f"{subject} is out of range; it must be {limit}.", f"use a value {limit}.")
    if kind == "worker_band":
        return problem("DDG104", where, f"{subject} is not a number of workers or a range.",
                       "write a whole number such as 120, or a range such as 100-150, <1000 or >10000.")
    if kind in ("os_id", "url_scheme", "string_pattern_mismatch"):
        fixes = {"os_id": "copy the OS ID exactly as Open Supply Hub shows it, e.g. BD2019123ABC4DE.",
                 "url_scheme": "write the full address, e.g. https://www.example.com/.",
                 "string_pattern_mismatch": "use a short code such as S-001: letters, digits, '.', '_' or '-'."}
        return problem("DDG108", where, f"{subject} does not have the right form.", fixes[kind])
    if kind == "exit_missing":
        return problem("DDG109", grid.span(row.number, row.columns["status"].index if "status" in row.columns else 1),
                       f"{grid.place(row.number)}: supplier {record.get('id')} has status exited, but no exit date, "
                       "kind and reason.", "fill in the columns exit_on, exit_kind and exit_reason for this row.")
    if kind in ("too_short", "string_too_short"):
        return problem("DDG101", where, f"{place}: the value is empty.", "fill in this cell.")
    return problem("DDG104", where, f"{subject} is not accepted here.",
                   "check the value against the column's description in the supplier list template.")


def _required(changes: list[tuple[Row, Change]], layout: Layout, grid: Grid) -> list[Problem]:
    """New suppliers need name, address, country, tier and product types: per cell, or once per column."""
    problems = []
    new = [(row, change) for row, change in changes if change.new]
    for name in REQUIRED_NEW:
        if name not in layout.columns:
            if new:
                rows = ", ".join(str(r.number) for r, _ in new[:10]) + (" ..." if len(new) > 10 else "")
                problems.append(problem(
                    "DDG101", grid.span(layout.header_row),
                    f"{grid.place(layout.header_row)}: there is no column '{name}', which new suppliers need "
                    f"({len(new)} new: row{'s' * (len(new) > 1)} {rows}).",
                    f"add a column '{name}' and fill it in for the new suppliers" + (
                        " (1 for sites that make your products, 2 for their suppliers, 3 further upstream)."
                        if name == "tier" else ".")))
            continue
        for row, change in new:
            if name not in row.values and name not in row.failed:
                column = layout.columns[name]
                problems.append(problem(
                    "DDG101", grid.span(row.number, column.index),
                    f"{grid.place(row.number, column.header)}: the cell is empty, and new supplier "
                    f"{row.label or change.id} needs it.", f"fill in the {name.replace('_', ' ')}."))
    return problems


def _references(row: Row, record: dict[str, Any], known: dict[str, set[str]], grid: Grid) -> list[Problem]:
    problems = []
    for name, target in (("supplies_to", "suppliers"), ("products", "products"), ("raw_materials", "raw_materials")):
        column = row.columns.get(name)
        if column is None:
            continue
        for ident in record.get(name) or []:
            if ident not in known[target]:
                close = difflib.get_close_matches(ident, sorted(known[target]), n=1, cutoff=0.6)
                problems.append(problem(
                    "DDG201", grid.span(row.number, column.index),
                    f"{grid.place(row.number, column.header)}: there is no {target.replace('_', ' ')[:-1]} "
                    f"with id {_quote(ident)}.",
                    (f"did you mean '{close[0]}'? " if close else "") + f"use the id of a record in data/{target}"
                    f"{'.yaml' if target == 'suppliers' else ' (value_chain.yaml)'}."))
    return problems


def _validate(record: dict[str, Any], row: Row, grid: Grid) -> list[Problem]:
    clean = {k: v for k, v in record.items() if not k.startswith("_")}
    try:
        Supplier.model_validate(clean)
    except ValidationError as exc:
        found = [p for e in exc.errors(include_url=False) if (p := _value_problem(e, row, grid, clean))]
        # A value that fits no member of a union (workers: number or range) gets one problem, the specific one.
        specific = {p.where for p in found if not p.message.endswith("is not accepted here.")}
        unique = {(p.where, p.message): p for p in found
                  if p.where not in specific or not p.message.endswith("is not accepted here.")}
        return list(unique.values())
    return []


# --------------------------------------------------------------------------- editing the YAML


def _deepest(container: Any, key: Any) -> tuple[Any, Any]:
    """Where ruamel keeps the comment that follows `container[key]`: at its deepest last block item."""
    value = container[key]
    if isinstance(value, CommentedMap) and len(value) and not value.fa.flow_style():
        return _deepest(value, list(value)[-1])
    if isinstance(value, CommentedSeq) and len(value) and not value.fa.flow_style():
        return _deepest(value, len(value) - 1)
    return container, key


def _slot(container: Any) -> int:
    return 2 if isinstance(container, CommentedMap) else 0


def _take_tail(container: Any, key: Any) -> str:
    """Detach the lines after `container[key]` (blank lines, comments before the next record)."""
    holder, at = _deepest(container, key)
    items = holder.ca.items.get(at)
    token = items[_slot(holder)] if items and len(items) > _slot(holder) else None
    if token is None:
        return ""
    end = token.value.find("\n")
    if end < 0:
        return ""
    text = str(token.value)
    token.value, tail = text[: end + 1], text[end + 1:]
    return tail


def _put_tail(container: Any, key: Any, tail: str) -> None:
    from ruamel.yaml.error import CommentMark

    if not tail:
        return
    holder, at = _deepest(container, key)
    items = holder.ca.items.setdefault(at, [None, None, None, None])
    slot = _slot(holder)
    if items[slot] is not None:
        items[slot].value = items[slot].value + tail
    else:
        items[slot] = CommentToken("\n" + tail, CommentMark(0), None)


def _to_yaml(value: Any, old: Any = None) -> Any:
    if isinstance(value, dict):
        out = CommentedMap()
        order = ("scheme", "certificate_id", "valid_until", "scope_note", "on", "kind", "reason")
        for k in sorted(value, key=lambda k: order.index(k) if k in order else len(order)):
            out[k] = _to_yaml(value[k])
        return out
    if isinstance(value, (list, tuple)):
        seq = CommentedSeq(_to_yaml(v) for v in value)
        if not any(isinstance(v, dict) for v in value) and not (isinstance(old, CommentedSeq)
                                                                 and not old.fa.flow_style()):
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _set(node: CommentedMap, key: str, value: Any) -> None:
    """Set one field, keeping its place, or put a new one where the model lists it."""
    if key in node:
        tail = _take_tail(node, key)
        node[key] = _to_yaml(value, node[key])
        _put_tail(node, key, tail)
        return
    after = [k for k in FIELD_ORDER[: FIELD_ORDER.index(key)] if k in node]
    position = list(node).index(after[-1]) + 1 if after else 0
    if position == len(node) and len(node):
        tail = _take_tail(node, list(node)[-1])
        node.insert(position, key, _to_yaml(value))
        _put_tail(node, key, tail)
    else:
        node.insert(position, key, _to_yaml(value))


def _new_node(record: dict[str, Any]) -> CommentedMap:
    node = CommentedMap()
    for key in FIELD_ORDER:
        default = Supplier.model_fields[key].default
        if key in record and record[key] not in (None, [], ()) and not _same(record[key], default):
            node[key] = _to_yaml(record[key])
    return node


NEW_FILE_HEADER = (
    "# yaml-language-server: $schema=../schema/suppliers.schema.json\n"
    "# Step 2a: suppliers and production sites. Started by `ddgen import suppliers`; edit freely.\n\n"
)


def _target(project: Path, files: list[SupplierFile]) -> SupplierFile:
    """New suppliers go to data/suppliers.yaml, or the first file with suppliers, or a new file."""
    for f in sorted(files, key=lambda f: (f.relative != "data/suppliers.yaml", f.relative)):
        return f
    yaml = _yaml()
    yaml.indent(mapping=2, sequence=4, offset=2)
    doc = CommentedMap()
    doc["suppliers"] = CommentedSeq()
    made = SupplierFile("data/suppliers.yaml", project / "data" / "suppliers.yaml", yaml, doc, "")
    files.append(made)
    return made


def _append(file: SupplierFile, nodes: list[CommentedMap]) -> None:
    if not isinstance(file.doc, CommentedMap):
        file.doc = CommentedMap()
    seq = file.records
    if seq is None:
        seq = file.doc["suppliers"] = CommentedSeq()
    spaced = not file.text or bool(re.search(r"\n[ \t]*\n[ \t]*-", file.text.split("suppliers:", 1)[-1]))
    for node in nodes:
        tail = _take_tail(seq, len(seq) - 1) if len(seq) else ""
        if len(seq) and spaced:
            _put_tail(seq, len(seq) - 1, "\n")
        seq.append(node)
        _put_tail(seq, len(seq) - 1, tail)


def _dump(file: SupplierFile) -> str:
    out = io.StringIO()
    file.yaml.dump(file.doc, out)
    return out.getvalue() if file.text else NEW_FILE_HEADER + out.getvalue()


# --------------------------------------------------------------------------- the stage


@dataclass
class Imported:
    """The outcome of reading a supplier list against a project. `texts` is what `write` would write."""

    source: str
    problems: list[Problem] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)
    texts: dict[Path, str] = field(default_factory=dict)
    names: dict[Path, str] = field(default_factory=dict)  # path -> data/suppliers.yaml, for messages

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)

    @property
    def added(self) -> list[Change]:
        return [c for c in self.changes if c.new]

    @property
    def changed(self) -> list[Change]:
        return [c for c in self.changes if not c.new]


def import_suppliers(project: Path, source: Path, sheet: str | None = None, display: str | None = None) -> Imported:
    """Read `source` and work out the merged supplier files of `project`; writes nothing."""
    from .pipeline import check

    result = Imported(display or source.as_posix())
    before = check(project)
    files = supplier_files(project)
    unreadable = [p for p in before.report.errors if p.code.startswith("DDG0")
                  and p.where.file in {f.relative for f in files}]
    if unreadable:
        result.problems = unreadable
        return result
    try:
        grid, certificates = read_sheets(source, result.source, sheet)
        layout = find_layout(grid, result.problems)
    except Refused as refused:
        result.problems.append(refused.problem)
        return result
    result.unread = layout.unread
    if not result.ok:
        return result
    if not ({"id", "os_id"} & set(layout.columns) or {"name", "country"} <= set(layout.columns)):
        result.problems.append(problem(
            "DDG020", grid.span(layout.header_row), f"{grid.place(layout.header_row)}: ddgen cannot tell which "
            "supplier a row is: there is no column id or os_id, nor both name and country.",
            "add a column 'id' with ddgen's ids, or the columns 'name' and 'country'."))
        return result
    rows = read_rows(grid, layout, result.problems)
    _attach_certificates(rows, certificates, result.problems)
    index = Index.of(files)
    hidden = {s.id for s in before.dossier.suppliers if s.effective_scope.value != "public"}
    pairs = _plan(rows, index, grid, result, hidden)
    result.problems += _required(pairs, layout, grid)
    known = {"suppliers": set(index.by_id) | {c.id for _, c in pairs},
             "products": {p.id for p in before.dossier.products},
             "raw_materials": {m.id for m in before.dossier.raw_materials}}
    for row, change in pairs:
        if change.fields:
            result.problems += _validate(change.record, row, grid) + _references(row, change.record, known, grid)
    if not result.ok:
        return result
    _apply(project, files, pairs, result)
    result.problems += _new_errors(project, before.report.errors, result)
    return result


def _plan(rows: list[Row], index: Index, grid: Grid, result: Imported,
          hidden: set[str]) -> list[tuple[Row, Change]]:
    """Which record each row updates or adds; two rows for one supplier are an error."""
    placed: list[tuple[Row, Existing | None]] = []
    seen: dict[Any, Row] = {}
    for row in rows:
        existing, ok = _match(row, index, grid, result.problems)
        if not ok:
            continue
        key = id(existing) if existing else (row.values.get("id") or
                                             ("name", _name_key(row.values.get("name", "")), row.values.get("country")))
        if key in seen:
            who = f"supplier {existing.id}" if existing else (row.label or "the same new supplier")
            result.problems.append(problem(
                "DDG202", grid.span(row.number), f"{grid.place(row.number)}: rows {seen[key].number} and {row.number} "
                f"both describe {who}.", "keep one of the two rows, or give them different ids."))
            continue
        seen[key] = row
        placed.append((row, existing))
    taken = set(index.by_id) | {r.values["id"] for r, e in placed if e is None and r.values.get("id")}
    fresh = iter(_next_ids(taken, sum(1 for r, e in placed if e is None and not r.values.get("id"))))
    pairs = []
    for row, existing in placed:
        if existing is not None:
            current = _plain(existing.node)
            record, changed = _updated(current, row, hidden)
            pairs.append((row, Change(existing.id, row.number, False, changed, record, existing)))
        else:
            ident = row.values.get("id") or next(fresh)
            record, _changed = _updated({"id": ident}, row)
            pairs.append((row, Change(ident, row.number, True, tuple(k for k in FIELD_ORDER if k in record),
                                      record, None)))
    return pairs


def _apply(project: Path, files: list[SupplierFile], pairs: list[tuple[Row, Change]], result: Imported) -> None:
    new_nodes = []
    for _row, change in pairs:
        result.changes += [change] if change.fields else []
        result.unchanged += [] if change.fields else [change.id]
        if change.existing is not None:
            for key in change.fields:
                _set(change.existing.node, key, change.record[key])
        elif change.fields:
            new_nodes.append(_new_node(change.record))
    if new_nodes:
        _append(_target(project, files), new_nodes)
    for f in files:
        text = _dump(f)
        if text != f.text:
            result.texts[f.path] = text
            result.names[f.path] = f.relative


def _new_errors(project: Path, before: list[Problem], result: Imported) -> list[Problem]:
    """The whole project checked as the import would leave it: errors it did not have before stop the import."""
    from .pipeline import check

    if not result.texts:
        return []
    with tempfile.TemporaryDirectory(prefix="ddgen-import-") as tmp:
        trial = Path(tmp)
        _copy_project(project, trial)
        for path, text in result.texts.items():
            target = trial / path.relative_to(project)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="\n")
        after = check(trial).report.errors
    old = {(p.code, p.message) for p in before}
    return [p for p in after if (p.code, p.message) not in old]


def _copy_project(project: Path, target: Path) -> None:
    import shutil

    for item in project.iterdir():
        if item.name == "data" and item.is_dir():
            shutil.copytree(item, target / "data", symlinks=True)
        elif item.is_file() and item.suffix in (".yml", ".yaml", ".toml"):
            shutil.copy2(item, target / item.name)


def write(imported: Imported) -> list[str]:
    """Write the merged files, each atomically (a temporary file renamed over it); only without errors."""
    if not imported.ok:
        raise ValueError("an import with errors is never written")
    written = []
    for path, text in sorted(imported.texts.items()):
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", newline="\n", dir=path.parent,
                                         prefix=f".{path.name}.", delete=False) as fh:
            fh.write(text)
        os.replace(fh.name, path)
        written.append(imported.names[path])
    return written


def summary(imported: Imported) -> str:
    """'Added 2 suppliers (S-037, S-038), changed 1 (S-004: address, workers), 33 unchanged.'"""
    def ids(changes: Iterable[Change]) -> str:
        return ", ".join(c.id for c in changes)

    added, changed = imported.added, imported.changed
    parts = [f"added {len(added)} supplier{'s' * (len(added) != 1)}" + (f" ({ids(added)})" if added else ""),
             f"changed {len(changed)}" + (" (" + "; ".join(f"{c.id}: {', '.join(c.fields)}" for c in changed) + ")"
                                           if changed else ""),
             f"{len(imported.unchanged)} unchanged"]
    text = f"{imported.source}: " + ", ".join(parts) + "."
    if imported.unread:
        text += f" Columns not read: {', '.join(imported.unread)}."
    return text

