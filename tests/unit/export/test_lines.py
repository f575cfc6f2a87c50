"""Download lines remembered by their values (`memo.LINES`): a remembered line is only ever used for a
row that would be written exactly alike, so the downloads are what they would be without the memo."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from ddgen import export
from ddgen.export import to_csv, to_json
from ddgen.memo import LINES, Lines
from ddgen.xlsx import Sheet, workbook

# Pairs Python holds equal (same hash) that are written differently.
EQUAL_BUT_WRITTEN_APART = [
    (1, 1.0), (1, True), (1.0, True), (0, False), (0.0, -0.0), (Decimal("1.0"), Decimal("1")),
    (datetime(2025, 1, 1, 12, tzinfo=timezone.utc), datetime(2025, 1, 1, 13, tzinfo=timezone(timedelta(hours=1)))),
]


def csv_cell(value: Any) -> str:
    return to_csv([{"id": "S-001", "value": value}], ("id", "value")).decode().splitlines()[1]


@pytest.mark.parametrize(("first", "second"), EQUAL_BUT_WRITTEN_APART)
def test_a_csv_line_is_not_taken_for_an_equal_value_written_differently(
        first: Any, second: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    assert first == second and hash(first) == hash(second)
    expected = []
    for value in (first, second):  # each written with nothing remembered
        monkeypatch.setattr(export, "LINES", Lines())
        expected.append(csv_cell(value))
    monkeypatch.undo()
    assert expected[0] != expected[1]
    assert [csv_cell(first), csv_cell(second)] == expected  # the second is not the line remembered for the first


@pytest.mark.parametrize(("first", "second"), [p for p in EQUAL_BUT_WRITTEN_APART if not isinstance(p[0], datetime)])
def test_a_json_record_is_not_taken_for_an_equal_value_written_differently(first: Any, second: Any) -> None:
    def record(value: Any) -> str:
        text = to_json([{"id": "S-001", "value": value}], {}, ("id", "value")).decode()
        return text.splitlines()[2].strip()

    if isinstance(first, Decimal):  # JSON has no Decimal: the writer refuses it either way
        with pytest.raises(TypeError):
            record(first)
        return
    assert record(first) == json.dumps({"id": "S-001", "value": first})
    assert record(second) == json.dumps({"id": "S-001", "value": second})


def test_a_sheet_row_is_not_taken_for_an_equal_value_or_another_row_number() -> None:
    def sheet_values(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        data = workbook([Sheet("Values", ("id", "value"), rows)], date(2025, 3, 31), "Test")
        book = load_workbook(io.BytesIO(data))
        return [tuple(row) for row in book["Values"].iter_rows(values_only=True)][1:]

    for value in (1, True, 1.0):  # the same row, with a value equal to the last one's
        got = sheet_values([{"id": "a", "value": value}])
        assert got == [("a", value)] and type(got[0][1]) is type(value)
    # The same row at another place in the table carries that row's number in its cell references.
    assert sheet_values([{"id": "z", "value": 0}, {"id": "a", "value": 1}]) == [("z", 0), ("a", 1)]


def test_lines_are_made_once_per_distinct_row_and_the_least_recently_used_go_first() -> None:
    made: list[tuple[Any, ...]] = []

    def make(values: tuple[Any, ...]) -> str:
        made.append(values)
        return ",".join(map(str, values))

    lines = Lines(limit=2)
    assert lines.made("k", [("a", 1), ("b", 2), ("a", 1)], make) == ["a,1", "b,2", "a,1"]
    assert made == [("a", 1), ("b", 2)]
    lines.made("k", [("c", 3)], make)  # ("b", 2) was used least recently: it goes
    lines.made("k", [("a", 1), ("b", 2)], make)
    assert made == [("a", 1), ("b", 2), ("c", 3), ("b", 2)]
    assert lines.made("other kind", [("a", 1)], lambda values: "elsewhere") == ["elsewhere"]


def test_a_row_with_a_value_that_cannot_be_a_key_is_made_every_time() -> None:
    calls: list[Any] = []
    lines = Lines()
    for _ in range(2):
        lines.made("k", [(["a", "list"],), (("a", "tuple"),)], lambda values: calls.append(values) or "x")
    assert len(calls) == 4


def test_the_process_memo_is_bounded() -> None:
    assert 0 < LINES.limit <= 100_000
