"""XLSX writer: types kept, formulas never evaluated, Excel limits handled and recorded."""

from __future__ import annotations

import datetime as dt
import decimal
import io
import re
import zoneinfo

import openpyxl

from exportdesk.formats.xlsx import XlsxWriter
from exportdesk.sources.base import Column


def write_xlsx(columns: list[str], rows: list[tuple[object, ...]], **options: object) -> tuple[bytes, XlsxWriter]:
    buffer = io.BytesIO()
    writer = XlsxWriter(buffer, sheet_base="data", **options)  # type: ignore[arg-type]
    writer.begin([Column(name) for name in columns])
    writer.write_rows(rows)
    writer.end()
    return buffer.getvalue(), writer


def decode_escapes(value: object) -> object:
    """Decode Excel's `_xHHHH_` escapes (xlsxwriter writes CR as `_x000D_`); openpyxl leaves them."""
    if isinstance(value, str):
        return re.sub(r"_x([0-9A-F]{4})_", lambda match: chr(int(match.group(1), 16)), value)
    return value


def read_sheets(data: bytes) -> dict[str, list[tuple[object, ...]]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {
        sheet.title: [tuple(decode_escapes(value) for value in row) for row in sheet.iter_rows(values_only=True)]
        for sheet in book.worksheets
    }


def test_formula_text_is_a_string_cell_numbers_stay_numbers() -> None:
    values = ["=1+1", "+7 (999) 000-00-00", "-скидка", "@home", "\ttab"]
    data, _ = write_xlsx(["v"], [(value,) for value in values] + [(-5,)])
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = [row[0] for row in book.active.iter_rows(min_row=2)]
    for cell, value in zip(cells, values):
        assert cell.data_type == "s"
        assert cell.value == value
    assert cells[-1].data_type == "n"
    assert cells[-1].value == -5


def test_illegal_xml_characters_replaced_and_counted() -> None:
    data, writer = write_xlsx(["t"], [("кр 400\x16000",), ("a\x0bb",), ("c\x1fd",), ("tab\tlf\ncr\r",), ("plain",)])
    rows = read_sheets(data)["data"]
    assert rows[1] == ("кр 400\ufffd000",)
    assert rows[2] == ("a\ufffdb",)
    assert rows[3] == ("c\ufffdd",)
    assert rows[4] == ("tab\tlf\ncr\r",)
    assert rows[5] == ("plain",)
    assert writer.stats.illegal_characters == 3


def test_row_limit_continues_on_new_sheets_with_header() -> None:
    data, writer = write_xlsx(["id", "name"], [(i, f"row {i}") for i in range(1, 26)], rows_per_sheet=10)
    sheets = read_sheets(data)
    assert list(sheets) == ["data", "data (2)", "data (3)"]
    assert [len(rows) - 1 for rows in sheets.values()] == [10, 10, 5]
    for rows in sheets.values():
        assert rows[0] == ("id", "name")
    ids = [row[0] for rows in sheets.values() for row in rows[1:]]
    assert ids == list(range(1, 26))
    assert writer.stats.sheets == ["data", "data (2)", "data (3)"]


def test_long_text_is_cut_and_recorded() -> None:
    data, writer = write_xlsx(["t"], [("я" * 40_000,)])
    cell = read_sheets(data)["data"][1][0]
    assert isinstance(cell, str)
    assert len(cell) == 32_767
    assert writer.stats.truncated_cells == ["data!A2"]


def test_null_is_blank_and_empty_text_is_a_string() -> None:
    data, _ = write_xlsx(["a", "b"], [(None, None), ("", 0), ("NULL", 1)])
    book = openpyxl.load_workbook(io.BytesIO(data))
    rows = list(book.active.iter_rows(min_row=2))
    assert rows[0][0].value is None
    assert rows[1][0].value == ""
    assert rows[1][0].data_type == "s"
    assert rows[1][1].value == 0
    assert rows[2][0].value == "NULL"


def test_types_kept_and_long_numbers_as_text() -> None:
    moscow = zoneinfo.ZoneInfo("Europe/Moscow")
    row = (
        2**53 + 1,
        123456789012345,
        decimal.Decimal("12345678901234567890.5"),
        decimal.Decimal("3.25"),
        10.357019999999999,
        dt.date(2013, 1, 2),
        dt.datetime(2013, 1, 1, 10, 0),
        dt.datetime(2013, 1, 1, 10, 0, tzinfo=dt.timezone.utc),
        True,
        b"\x00\xff",
        dt.datetime(1, 1, 1, 0, 0),
    )
    columns = ["big", "int15", "dec", "small_dec", "f", "d", "ts", "tstz", "flag", "raw", "ancient"]
    data, _ = write_xlsx(columns, [row], zone=moscow)
    header, values = read_sheets(data)["data"]
    assert header[7] == "tstz (Europe/Moscow)"
    assert values[0] == str(2**53 + 1)
    assert values[1] == 123456789012345
    assert values[2] == "12345678901234567890.5"
    assert values[3] == 3.25
    assert values[4] == 10.357019999999999
    assert values[5] == dt.datetime(2013, 1, 2)
    assert values[6] == dt.datetime(2013, 1, 1, 10, 0)
    assert values[7] == dt.datetime(2013, 1, 1, 14, 0)  # Moscow was UTC+4 from 2011 to 2014
    assert values[8] is True
    assert values[9] == "AP8="
    assert values[10] == "0001-01-01 00:00:00"


def test_header_bold_and_frozen() -> None:
    data, _ = write_xlsx(["Фамилия"], [("Иванов",)])
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"


def test_empty_table_has_header_only() -> None:
    data, _ = write_xlsx(["a", "b"], [])
    assert read_sheets(data)["data"] == [("a", "b")]
