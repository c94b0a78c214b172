"""XLSX writer on xlsxwriter in constant-memory mode, keeping every value exact or marked.

Numbers, booleans, dates and datetimes become Excel values of their type. Integers and
decimals with more than 15 significant digits (Excel keeps only 15) and values outside
Excel's date range become text, so no digit is lost. Every text is written as a string cell,
so text that looks like a formula is never evaluated. Characters XML 1.0 forbids become
U+FFFD, and text over Excel's 32,767-character cell limit is cut; both are counted in
`XlsxStats`. A table with more rows than a sheet allows continues on further sheets, each
with the header row.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from exportdesk.formats import ByteSink, non_finite_text
from exportdesk.sources.base import Column

log = logging.getLogger(__name__)

EXCEL_MAX_ROWS = 1_048_576  # rows per sheet, the header row included
EXCEL_MAX_CELL_CHARS = 32_767
EXCEL_DIGITS = 15
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SHEET_NAME_UNSAFE = re.compile(r"[\[\]:*?/\\]")
_EXCEL_FIRST_DATE = dt.datetime(1900, 3, 1)  # Excel's 1900 calendar is wrong before March 1900
_EXCEL_LAST_DATE = dt.datetime(9999, 12, 31, 23, 59, 59)


@dataclass
class XlsxStats:
    """Changes the writer made so that Excel can open the file."""

    illegal_characters: int = 0
    truncated_cells: list[str] = field(default_factory=list)  # "Sheet!A12"
    sheets: list[str] = field(default_factory=list)


class _ExactNumberWorksheet(Worksheet):
    """A worksheet that writes each float with the shortest text that reads back as the same double.

    xlsxwriter writes numbers with 16 significant digits, which changes doubles that need 17
    (such as 10.357019999999999). This overrides its cell writer; checked with xlsxwriter 3.3.
    """

    def _xml_number_element(self, number: float, attributes: list[tuple[str, Any]] = []) -> None:  # noqa: B006
        attribute_text = "".join(f' {key}="{self._escape_attributes(value)}"' for key, value in attributes)
        text = repr(number) if isinstance(number, float) else str(number)
        self.fh.write(f"<c{attribute_text}><v>{text}</v></c>")


def _local_zone() -> dt.tzinfo:
    zone = dt.datetime.now().astimezone().tzinfo
    return zone or dt.timezone.utc


def _zone_name(zone: dt.tzinfo) -> str:
    key = getattr(zone, "key", None)  # zoneinfo.ZoneInfo
    return str(key) if key else str(dt.datetime.now(zone).tzname() or "UTC")


def _sheet_name(base: str, part: int, taken: set[str]) -> str:
    name = _SHEET_NAME_UNSAFE.sub("_", base).strip("'") or "Sheet"
    suffix = f" ({part})" if part > 1 else ""
    name = name[: 31 - len(suffix)] + suffix
    number = 2
    while name.lower() in taken:
        tail = f"~{number}"
        name, number = name[: 31 - len(tail)] + tail, number + 1
    taken.add(name.lower())
    return name


def _significant_digits(value: decimal.Decimal) -> int:
    digits = value.normalize().as_tuple().digits
    return len(digits)


class XlsxWriter:
    """Write one table to an XLSX workbook streamed into `sink` when `end()` is called.

    `rows_per_sheet` is the number of data rows per sheet, below the header row. It is a
    parameter so that tests can see the continuation without a million rows.
    """

    def __init__(
        self,
        sink: ByteSink,
        sheet_base: str = "Sheet",
        rows_per_sheet: int = EXCEL_MAX_ROWS - 1,
        zone: dt.tzinfo | None = None,
        temp_dir: str | None = None,
    ) -> None:
        options: dict[str, Any] = {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
        if temp_dir:
            options["tmpdir"] = temp_dir
        self._book = xlsxwriter.Workbook(sink, options)  # type: ignore[arg-type]
        self._bold = self._book.add_format({"bold": True})
        self._date = self._book.add_format({"num_format": "yyyy-mm-dd"})
        self._datetime = self._book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        self._time = self._book.add_format({"num_format": "hh:mm:ss"})
        self._blank = self._book.add_format({"num_format": "General"})
        self._sheet_base = sheet_base
        self._rows_per_sheet = max(1, rows_per_sheet)
        self._zone = zone or _local_zone()
        self._taken: set[str] = set()
        self._columns: list[Column] = []
        self._header: list[str] | None = None
        self._sheet: Worksheet | None = None
        self._row = 0
        self.stats = XlsxStats()

    def begin(self, columns: Sequence[Column]) -> None:
        self._columns = list(columns)

    def _make_header(self, rows: Sequence[Sequence[Any]]) -> list[str]:
        """Name each column; a column of zoned datetimes gets the zone they are shown in."""
        header = []
        for index, column in enumerate(self._columns):
            zoned = any(
                isinstance(row[index], dt.datetime) and row[index].tzinfo is not None for row in rows
            )
            header.append(f"{column.name} ({_zone_name(self._zone)})" if zoned else column.name)
        return header

    def _new_sheet(self) -> Worksheet:
        name = _sheet_name(self._sheet_base, len(self.stats.sheets) + 1, self._taken)
        sheet = self._book.add_worksheet(name, worksheet_class=_ExactNumberWorksheet)
        self.stats.sheets.append(name)
        for index, title in enumerate(self._header or []):
            self._write_text(sheet, 0, index, title, self._bold)
        sheet.freeze_panes(1, 0)
        self._row = 1
        return sheet

    def write_rows(self, rows: Sequence[Sequence[Any]]) -> None:
        if self._header is None:
            self._header = self._make_header(rows)
            self._sheet = self._new_sheet()
        for row in rows:
            if self._sheet is None or self._row > self._rows_per_sheet:
                self._sheet = self._new_sheet()
            empty = True
            for index, value in enumerate(row):
                if value is not None:
                    self._write_value(self._sheet, self._row, index, value)
                    empty = False
            if empty:
                # A row of NULLs has no cells. One formatted blank cell keeps the row in the
                # file, so a reader counts it even at the end of the sheet.
                self._sheet.write_blank(self._row, 0, None, self._blank)
            self._row += 1

    def _write_text(self, sheet: Worksheet, row: int, column: int, text: str, cell_format: Any = None) -> None:
        text, replaced = _ILLEGAL_XML.subn("\ufffd", text)
        self.stats.illegal_characters += replaced
        if len(text) > EXCEL_MAX_CELL_CHARS // 2 and len(text.encode("utf-16-le")) // 2 > EXCEL_MAX_CELL_CHARS:
            self.stats.truncated_cells.append(f"{sheet.name}!{xlsxwriter.utility.xl_rowcol_to_cell(row, column)}")
        sheet.write_string(row, column, text, cell_format)

    def _write_value(self, sheet: Worksheet, row: int, column: int, value: Any) -> None:
        kind = type(value)
        if kind is str:
            self._write_text(sheet, row, column, value)
        elif kind is bool:
            sheet.write_boolean(row, column, value)
        elif kind is int:
            if abs(value) < 10**EXCEL_DIGITS:
                sheet.write_number(row, column, value)
            else:
                sheet.write_string(row, column, str(value))
        elif kind is float:
            if math.isfinite(value):
                sheet.write_number(row, column, value)
            else:
                sheet.write_string(row, column, non_finite_text(value))
        elif isinstance(value, decimal.Decimal):
            if value.is_finite() and _significant_digits(value) <= EXCEL_DIGITS:
                sheet.write_number(row, column, float(value))
            else:
                sheet.write_string(row, column, format(value, "f") if value.is_finite() else non_finite_text(value))
        elif isinstance(value, dt.datetime):
            self._write_datetime(sheet, row, column, value)
        elif isinstance(value, dt.date):
            if dt.datetime(value.year, value.month, value.day) < _EXCEL_FIRST_DATE:
                sheet.write_string(row, column, value.isoformat())
            else:
                sheet.write_datetime(row, column, value, self._date)
        elif isinstance(value, dt.time):
            sheet.write_datetime(row, column, value.replace(tzinfo=None), self._time)
        elif isinstance(value, (bytes, bytearray, memoryview)):
            sheet.write_string(row, column, base64.b64encode(bytes(value)).decode("ascii"))
        else:
            self._write_text(sheet, row, column, str(value))

    def _write_datetime(self, sheet: Worksheet, row: int, column: int, value: dt.datetime) -> None:
        if value.tzinfo is not None:
            value = value.astimezone(self._zone).replace(tzinfo=None)
        if _EXCEL_FIRST_DATE <= value <= _EXCEL_LAST_DATE:
            sheet.write_datetime(row, column, value, self._datetime)
        else:
            sheet.write_string(row, column, value.isoformat(sep=" "))

    def end(self) -> None:
        if self._header is None:  # no rows: a sheet with the header only
            self._header = [column.name for column in self._columns]
            self._sheet = self._new_sheet()
        self._book.close()
        if self.stats.illegal_characters or self.stats.truncated_cells:
            log.info(
                "XLSX: replaced %d characters illegal in XML with U+FFFD; cut %d cells to %d characters: %s",
                self.stats.illegal_characters,
                len(self.stats.truncated_cells),
                EXCEL_MAX_CELL_CHARS,
                ", ".join(self.stats.truncated_cells[:20]),
            )
