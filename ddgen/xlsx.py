"""A small SpreadsheetML writer: tables -> one `.xlsx` workbook, byte for byte the same for the same input.

Input: `Sheet`s (a title, column names, rows as mappings), the report date and a title. Output: the bytes of
a minimal ECMA-376 Part 1 package: a sheet per table with its header in bold and frozen, filters on over the
used range, column widths from the longest text, and dates as dates. No problem codes: every table writes.

Why not openpyxl: it builds an object per cell and serialises through et_xmlfile, about 10 µs a cell, and at
10,000 suppliers the downloads hold 1.5 million cells. Here a cell is one f-string (and one `re.sub` for a
text), a row is made once per distinct content and number (`memo.LINES`), and a sheet is joined once:
about 1 µs a cell with deflating. openpyxl stays for reading (`ddgen import`, and the tests read our
workbooks back with it).

Cell values:
- None and "": no cell. str: an inline string (no shared-string table, so no second pass), with the characters
  XML 1.0 forbids removed; a text longer than Excel's 32,767 characters is cut there, as openpyxl cut it
  (the CSV and JSON downloads keep the whole text). A text that starts with `=` stays text, never a formula.
- bool: TRUE/FALSE. int, float, Decimal: a number, written exactly (`repr`, `str`); NaN and infinities have
  no form in a spreadsheet, so they are written as their text, as the CSV download writes them.
- date: Excel's serial day number with the `yyyy-mm-dd` format, in any column. Excel's calendar starts on
  1900-01-01, so an earlier date is written as its ISO text.
- Anything else (a datetime too: the tables hold days, not moments) is a ddgen bug: TypeError.

Same bytes: the zip entries come in a fixed order, each stamped with the report date (no clock is read)
and with the same permissions and compression. Known limit, as before: Excel reads `_x0041_` in a text as
an escaped character (openpyxl does not), so such a text looks different in Excel.
"""

from __future__ import annotations

import logging
import math
import re
import struct
import zipfile
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from .memo import LINES

logger = logging.getLogger(__name__)

MAX_TEXT = 32_767
"""Excel's limit on the characters in a cell, counted in UTF-16 units (an emoji counts twice)."""
MAX_WIDTH = 60
"""The widest a column is set, in characters; a longer text shows in full in the formula bar."""
MAX_TITLE = 31
"""Excel's limit on the length of a sheet title."""
COMPRESS_LEVEL = 6
"""zlib level of the zip entries: the default, so the downloads stay the size openpyxl made them. Level 1
would save about 0.07 s per 10,000-row sheet (0.6 s of a 260 s build at 10,000 suppliers) for files 20%
larger; building the XML, not deflating it, is most of the time."""

HEADER_STYLE, DATE_STYLE = 1, 2
"""Indexes into `cellXfs` of styles.xml: 0 is the default, 1 the bold header, 2 a date (numFmt 164)."""

_EXCEL_EPOCH = date(1899, 12, 30)
_FIRST_DAY = date(1900, 1, 1)
_LEAP_BUG_END = date(1900, 3, 1)
_ILLEGAL = "\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"  # what XML 1.0 has no form for
_UNSAFE = re.compile(f"[&<>\r{_ILLEGAL}]")
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}  # a raw \r would be read back as \n
_ATTRIBUTE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})
_FORBIDDEN_IN_TITLE = re.compile(f"[][:*?/\\\\{_ILLEGAL}]")


@dataclass(frozen=True)
class Sheet:
    """One table as a sheet: the header row is `columns`, each row gives a value per column name."""

    title: str
    columns: Sequence[str]
    rows: Sequence[Mapping[str, Any]]


def column_letter(number: int) -> str:
    """A (1), Z (26), AA (27): the bijective base-26 names Excel gives columns."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _escape_match(match: re.Match[str]) -> str:
    return _ESCAPES.get(match.group(), "")  # characters XML 1.0 forbids become nothing


def _clip(text: str) -> str:
    """The first 32,767 UTF-16 units of a text, never splitting a character; openpyxl cut at 32,767 too."""
    units = text.encode("utf-16-le", "surrogatepass")
    if len(units) <= 2 * MAX_TEXT:
        return text
    logger.warning("a text of %d characters is cut to Excel's limit of %d in the workbook", len(text), MAX_TEXT)
    return units[: 2 * MAX_TEXT].decode("utf-16-le", "ignore")


def _text(text: str, style: str = "") -> str:
    """An inline-string cell's attributes and content, after its reference."""
    if len(text) > MAX_TEXT // 2:  # only then can it pass the limit in UTF-16 units
        text = _clip(text)
    escaped = _UNSAFE.sub(_escape_match, text)
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'{style} t="inlineStr"><is><t{space}>{escaped}</t></is></c>'


def _number(value: float | Decimal) -> tuple[str, int]:
    """A number cell's tail and its width; NaN and infinities have no cell form, so they go as text.

    `repr` gives the shortest text that reads back as the same float (openpyxl wrote 16 digits).
    """
    if isinstance(value, float):
        written, finite = repr(value), math.isfinite(value)
    elif isinstance(value, Decimal):
        written, finite = str(value), value.is_finite()
    else:
        written, finite = str(int(value)), True  # int(): an IntEnum's str() is its name
    return (f"><v>{written}</v></c>" if finite else _text(written)), len(written)


def _day(value: date) -> tuple[str, int]:
    """A date as Excel's serial day number, in the date style; before 1900 Excel has no date, so text."""
    if value < _FIRST_DAY:
        return _text(value.isoformat()), 10
    serial = (value - _EXCEL_EPOCH).days - (value < _LEAP_BUG_END)  # Excel counts a 29 February 1900
    return f' s="{DATE_STYLE}"><v>{serial}</v></c>', 10


def _other(value: Any) -> tuple[str, int]:
    """Cells of the less common types, and subclasses (an IntEnum is a number)."""
    if isinstance(value, bool):
        return f' t="b"><v>{int(value)}</v></c>', len(str(value))
    if isinstance(value, int | float | Decimal):
        return _number(value)
    if isinstance(value, str):
        return _text(value), len(value)
    if isinstance(value, datetime):  # a date too, but its time would be lost
        raise TypeError(f"cannot write datetime {value!r} to a workbook: the tables hold dates")
    if isinstance(value, date):
        return _day(value)
    raise TypeError(f"cannot write {type(value).__name__} {value!r} to a workbook")


def _cell(value: Any) -> tuple[str, int]:
    """A cell's attributes and content after its reference, and its width; ("", 0) for no cell (None or
    an empty text, as in openpyxl and Excel). The common types first, without a call each."""
    kind = type(value)
    if kind is str:
        return (_text(value), len(value)) if value else ("", 0)
    if kind is int:
        written = str(value)
        return f"><v>{written}</v></c>", len(written)
    if value is None or value == "":
        return "", 0
    if kind is date:
        return _day(value)
    return _other(value)


def _row_of(letters: Sequence[str]) -> Callable[[tuple[Any, ...]], tuple[str, tuple[int, ...]]]:
    """What makes a row's part of the sheet from (row number, value per column): its XML and the width
    of each cell (0 where there is none)."""
    def row(values: tuple[Any, ...]) -> tuple[str, tuple[int, ...]]:
        number = values[0]
        parts = [f'<row r="{number}">']
        widths = []
        for letter, value in zip(letters, values[1:], strict=True):
            tail, width = _cell(value)
            if tail:
                parts.append(f'<c r="{letter}{number}"{tail}')
            widths.append(width)
        parts.append("</row>")
        return "".join(parts), tuple(widths)

    return row


# --------------------------------------------------------------------------- the parts of the package

_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_FROZEN_HEADER = ('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                  '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>')


def _attribute(text: str) -> str:
    return text.translate(_ATTRIBUTE)


def _header(letters: Sequence[str], columns: Sequence[str]) -> str:
    style = f' s="{HEADER_STYLE}"'
    return "".join(f'<c r="{letter}1"{_text(name, style)}' for letter, name in zip(letters, columns, strict=True))


def _worksheet(sheet: Sheet, selected: bool) -> tuple[str, str]:
    """The worksheet part of one sheet, and the range it fills (the filter's range). Rows are made once
    per distinct content and row number (`memo.LINES`): the supplier list of every reporting year, and
    again after one supplier was edited, shares most of its rows."""
    columns = tuple(sheet.columns)
    letters = [column_letter(number) for number in range(1, len(columns) + 1)]
    rows = LINES.made(("xlsx", columns), ((n, *map(row.get, columns)) for n, row in enumerate(sheet.rows, start=2)),
                      _row_of(letters))
    widest = [max(column) for column in zip(*(w for _xml, w in rows))] if rows else [0] * len(columns)
    widths = [min(MAX_WIDTH, max(len(name), wide) + 2) for name, wide in zip(columns, widest, strict=True)]
    used = f"A1:{letters[-1]}{len(sheet.rows) + 1}"
    view = ' tabSelected="1"' if selected else ""
    parts = [
        f'{_XML}<worksheet xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}"><dimension ref="{used}"/>',
        f'<sheetViews><sheetView{view} workbookViewId="0">{_FROZEN_HEADER}</sheetView></sheetViews>',
        '<sheetFormatPr defaultRowHeight="15"/><cols>',
        *(f'<col min="{n}" max="{n}" width="{w}" customWidth="1"/>' for n, w in enumerate(widths, start=1)),
        f'</cols><sheetData><row r="1">{_header(letters, columns)}</row>',
        *(xml for xml, _widths in rows),
        f'</sheetData><autoFilter ref="{used}"/></worksheet>',
    ]
    return "".join(parts), used


def _titles(sheets: Sequence[Sheet]) -> list[str]:
    """Sheet titles as Excel takes them: at most 31 characters, none of []:*?/\\, no two alike."""
    if not sheets:
        raise ValueError("a workbook needs at least one sheet")
    titles = [sheet.title[:MAX_TITLE] for sheet in sheets]
    for sheet, title in zip(sheets, titles, strict=True):
        if not title or _FORBIDDEN_IN_TITLE.search(title) or title[0] == "'" or title[-1] == "'":
            raise ValueError(f"{title!r} cannot be the title of a sheet")
        if not sheet.columns:
            raise ValueError(f"sheet {title!r} has no columns")
    if len({title.casefold() for title in titles}) < len(titles):
        raise ValueError(f"two sheets would have the same title: {titles}")
    return titles


def _workbook(titles: Sequence[str], used: Sequence[str]) -> str:
    """workbook.xml: the sheets, and per sheet the hidden name of its filter range, as Excel writes it."""
    sheets = "".join(f'<sheet name="{_attribute(title)}" sheetId="{n}" r:id="rId{n}"/>'
                     for n, title in enumerate(titles, start=1))
    names = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{n}" hidden="1">'
        f"{_attribute(_quoted(title))}!{_absolute(ref)}</definedName>"
        for n, (title, ref) in enumerate(zip(titles, used, strict=True)))
    return (f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}"><bookViews><workbookView/></bookViews>'
            f"<sheets>{sheets}</sheets><definedNames>{names}</definedNames></workbook>")


def _quoted(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _absolute(ref: str) -> str:
    """A1:C9 -> $A$1:$C$9."""
    return re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", ref)


def _workbook_relationships(count: int) -> str:
    kind = _RELATIONSHIPS
    sheets = "".join(f'<Relationship Id="rId{n}" Type="{kind}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                     for n in range(1, count + 1))
    styles = f'<Relationship Id="rId{count + 1}" Type="{kind}/styles" Target="styles.xml"/>'
    return f'{_XML}<Relationships xmlns="{_PACKAGE_RELATIONSHIPS}">{sheets}{styles}</Relationships>'


def _content_types(count: int) -> str:
    office = "application/vnd.openxmlformats-officedocument"
    sheets = "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
                     f'ContentType="{office}.spreadsheetml.worksheet+xml"/>' for n in range(1, count + 1))
    return (f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{office}.spreadsheetml.sheet.main+xml"/>'
            f"{sheets}"
            f'<Override PartName="/xl/styles.xml" ContentType="{office}.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            f'<Override PartName="/docProps/app.xml" ContentType="{office}.extended-properties+xml"/></Types>')


_ROOT_RELATIONSHIPS = (
    f'{_XML}<Relationships xmlns="{_PACKAGE_RELATIONSHIPS}">'
    f'<Relationship Id="rId1" Type="{_RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
    'core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_RELATIONSHIPS}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)
_FONT = '<sz val="11"/><name val="Calibri"/><family val="2"/>'
_STYLES = (
    f'{_XML}<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    f'<fonts count="2"><font>{_FONT}</font><font><b/>{_FONT}</font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
    '</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)
"""Fonts 0 (normal) and 1 (bold); the two fills Excel requires; cellXfs as HEADER_STYLE and DATE_STYLE say."""
_APP = (f'{_XML}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>ddgen</Application></Properties>")


def _core(title: str, when: date) -> str:
    """docProps/core.xml: title, creator, and the report date as created and modified (not the clock)."""
    moment = f"{when.isoformat()}T00:00:00Z"
    return (f'{_XML}<cp:coreProperties '
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{_UNSAFE.sub(_escape_match, title)}</dc:title><dc:creator>ddgen</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{moment}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{moment}</dcterms:modified></cp:coreProperties>')


# --------------------------------------------------------------------------- the package


_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_CENTRAL_HEADER = struct.Struct("<4s4B4HL2L5H2L")
_END_OF_DIRECTORY = struct.Struct("<4s4H2LH")
_ZIP_VERSION = 20  # what deflate needs: what zipfile writes as made-by and needed-to-extract versions
PARTS_KEPT = 20_000_000
"""Characters of deflated parts kept (`_deflated`): the sheets of a few workbooks (a 10,000-supplier
sheet is about 15 million)."""
_DEFLATED: OrderedDict[str, tuple[bytes, int, int]] = OrderedDict()


def _deflated(text: str) -> tuple[bytes, int, int]:
    """A part's deflated bytes, CRC-32 and length, remembered by its text: the supplier sheet is in two
    workbooks, and most sheets are the same in every reporting year and every round of `ddgen serve`."""
    known = _DEFLATED.get(text)
    if known is None:
        data = text.encode("utf-8")
        compressor = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15)  # as zipfile deflates
        known = _DEFLATED[text] = (compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data))
        kept = sum(map(len, _DEFLATED))
        while kept > PARTS_KEPT and len(_DEFLATED) > 1:
            kept -= len(_DEFLATED.popitem(last=False)[0])
    else:
        _DEFLATED.move_to_end(text)
    return known


def _pack(parts: Iterable[tuple[str, str]], when: date) -> bytes:
    """A zip of the parts in the order given, each with the same stamp, permissions and compression,
    byte for byte as Python's zipfile writes it (tested), but from parts deflated once (`_deflated`).
    The part names are ASCII and no part nears 4 GiB, so there are no zip64 or UTF-8 name fields."""
    day = (max(when.year, 1980) - 1980) << 9 | when.month << 5 | when.day  # a zip's date starts in 1980
    out = bytearray()
    directory = bytearray()
    count = 0
    for name, text in parts:
        packed, crc, size = _deflated(text)
        encoded = name.encode("ascii")
        offset = len(out)
        out += _LOCAL_HEADER.pack(b"PK\x03\x04", _ZIP_VERSION, 0, 0, zipfile.ZIP_DEFLATED, 0, day, crc, len(packed),
                                  size, len(encoded), 0)
        out += encoded
        out += packed
        directory += _CENTRAL_HEADER.pack(b"PK\x01\x02", _ZIP_VERSION, 3, _ZIP_VERSION, 0, 0, zipfile.ZIP_DEFLATED, 0,
                                          day, crc, len(packed), size, len(encoded), 0, 0, 0, 0, 0o644 << 16, offset)
        directory += encoded
        count += 1
    start = len(out)
    out += directory
    out += _END_OF_DIRECTORY.pack(b"PK\x05\x06", 0, 0, count, count, len(directory), start, 0)
    return bytes(out)


def worksheets(sheets: Sequence[Sheet]) -> list[tuple[str, str]]:
    """Each sheet's worksheet part and filled range, the first one selected: to build once and pack into
    several workbooks (the supplier list is in `suppliers.xlsx` and first in `due-diligence.xlsx`)."""
    return [_worksheet(sheet, selected=n == 0) for n, sheet in enumerate(sheets)]


def workbook(sheets: Sequence[Sheet], when: date, title: str,
             written: Sequence[tuple[str, str]] | None = None) -> bytes:
    """The `.xlsx` bytes of the sheets, in their order; `when` (the report date) stamps every part.
    `written`: the sheets' `worksheets`, when already made."""
    titles = _titles(sheets)
    written = worksheets(sheets) if written is None else written
    return _pack([
        ("[Content_Types].xml", _content_types(len(sheets))),
        ("_rels/.rels", _ROOT_RELATIONSHIPS),
        ("docProps/app.xml", _APP),
        ("docProps/core.xml", _core(title, when)),
        ("xl/workbook.xml", _workbook(titles, [used for _xml, used in written])),
        ("xl/_rels/workbook.xml.rels", _workbook_relationships(len(sheets))),
        ("xl/styles.xml", _STYLES),
        *((f"xl/worksheets/sheet{n}.xml", xml) for n, (xml, _used) in enumerate(written, start=1)),
    ], when)
