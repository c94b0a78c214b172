"""XLSX writer that streams worksheet XML straight into the ZIP archive, keeping every value exact or marked.

Numbers, booleans, dates and datetimes become Excel values of their type. Integers and
decimals with more than 15 significant digits (Excel keeps only 15) and values outside
Excel's date range become text, so no digit is lost. Floats are written with the shortest
digits that read back as the same double. Every text is an inline string cell, so text that
looks like a formula is never evaluated. Characters XML 1.0 forbids become U+FFFD, and text
over Excel's 32,767-character cell limit is cut. Both are counted in `XlsxStats`. A table with
more rows than a sheet allows continues on further sheets, each with the header row.

Each row becomes one piece of text built with string formatting, a batch is encoded once and
written into the worksheet's ZIP member, and the fixed parts (`xlsx_package`) are added at
the end. Nothing is kept per row, so memory stays flat whatever the row count. The archive is
written front to back, so the sink need not seek, and ZIP data descriptors carry each
member's sizes. Members get no ZIP64 extensions, because Excel for the web has been reported
to reject files that use them without need (duckdb/duckdb-excel pull request 64). So a sheet
whose XML would reach 4 GiB ends early and the table continues on the next sheet. Python's
zipfile still adds ZIP64 records to the central directory of an archive over 4 GiB.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import logging
import re
import weakref
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from exportdesk.formats import ByteSink, non_finite_text
from exportdesk.formats import xlsx_package as package
from exportdesk.sources.base import Column

log = logging.getLogger(__name__)

EXCEL_MAX_ROWS = 1_048_576  # rows per sheet, the header row included
EXCEL_MAX_COLUMNS = 16_384
EXCEL_MAX_CELL_CHARS = 32_767  # counted in UTF-16 code units, as Excel counts
EXCEL_DIGITS = 15
# A ZIP member without ZIP64 extensions is at most 4 GiB - 1 bytes uncompressed. The margin
# leaves room for the sheet's closing tags.
SHEET_BYTES_LIMIT = zipfile.ZIP64_LIMIT - 64 * 1024
# zlib level 3 compresses the worksheet XML about 3 times as fast as the default level 6, and
# its output is about 12 % larger (measured on 200,000 rows of Cyrillic text and numbers).
COMPRESS_LEVEL = 3
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# A text needs more than plain copying when it has one of these: a character to escape or
# replace, or an `_xHHHH_` sequence, which Excel would read as an escaped character.
_TEXT_WORK = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")
_EXCEL_ESCAPE = re.compile("_x[0-9A-Fa-f]{4}_")
_XML_SPACE = " \t\n\r"
# A text of at most this many characters is within the cell limit even if every character
# takes two UTF-16 code units.
_SHORT_TEXT = EXCEL_MAX_CELL_CHARS // 2
_INT_LIMIT = 10**EXCEL_DIGITS
_SHEET_NAME_UNSAFE = re.compile("[\\[\\]:*?/\\\\\x00-\x1f\ud800-\udfff\ufffe\uffff]")
_EXCEL_FIRST_DATE = dt.datetime(1900, 3, 1)  # Excel's 1900 calendar is wrong before March 1900
_EXCEL_LAST_DATE = dt.datetime(9999, 12, 31, 23, 59, 59, 999_999)
_EXCEL_EPOCH = dt.datetime(1899, 12, 31)
_FIRST_DATE_ORDINAL = _EXCEL_FIRST_DATE.toordinal()
# Day numbers from March 1900 on are one more than the days since the epoch, because Excel
# counts a 29 February 1900 that did not exist.
_SERIAL_OFFSET = 1 - _EXCEL_EPOCH.toordinal()


@dataclass
class XlsxStats:
    """Changes the writer made so that Excel can open the file."""

    illegal_characters: int = 0
    truncated_cells: list[str] = field(default_factory=list)  # "Sheet!A12"
    sheets: list[str] = field(default_factory=list)


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


def column_letters(index: int) -> str:
    """Return the letters of the column at 0-based `index`, so 0 gives A and 26 gives AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _datetime_serial(value: dt.datetime) -> float:
    """Compute Excel's serial number of a naive datetime from March 1900 on (days since 1899-12-31, plus 1)."""
    delta = value - _EXCEL_EPOCH
    # The same arithmetic, in the same order, as xlsxwriter's, so the numbers stay the same.
    return delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400 + 1


class _Archive:
    """The ZIP archive being written, and the sink its bytes go through.

    A writer dropped before `end()` abandons its archive, because the export failed or was
    cancelled and the runner may have deleted the file. The sink is cut off first and then the
    open member and the archive are closed, so no finaliser writes into a closed file.
    """

    def __init__(self, sink: ByteSink) -> None:
        self.sink: ByteSink | None = sink
        self.zip: zipfile.ZipFile | None = None
        self.member: Any = None  # the open worksheet member of `zip`

    def write(self, data: bytes) -> int:
        if self.sink is not None:
            self.sink.write(data)
        return len(data)

    def flush(self) -> None:
        flush = getattr(self.sink, "flush", None)
        if flush is not None:
            flush()

    def abandon(self) -> None:
        self.sink = None
        if self.member is not None:
            self.member.close()
        if self.zip is not None:
            self.zip.close()


class XlsxWriter:
    """Write one table as an XLSX workbook into `sink`, the worksheets streamed as rows arrive.

    `rows_per_sheet` is the number of data rows per sheet, below the header row, and
    `sheet_bytes_limit` the most bytes of XML per sheet. They are parameters so that tests can
    see the continuation without a million rows. `now` is the creation time recorded in the
    file (the current time by default).
    """

    def __init__(
        self,
        sink: ByteSink,
        sheet_base: str = "Sheet",
        rows_per_sheet: int = EXCEL_MAX_ROWS - 1,
        zone: dt.tzinfo | None = None,
        sheet_bytes_limit: int = SHEET_BYTES_LIMIT,
        now: dt.datetime | None = None,
    ) -> None:
        self._archive = _Archive(sink)
        # Runs when the writer is garbage collected, before the ZIP objects' own finalisers.
        self._abandon = weakref.finalize(self, self._archive.abandon)
        self._sheet_base = sheet_base
        self._rows_per_sheet = max(1, min(rows_per_sheet, EXCEL_MAX_ROWS - 1))
        self._sheet_bytes_limit = sheet_bytes_limit
        self._zone = zone or _local_zone()
        self._now = now
        self._taken: set[str] = set()
        self._columns: list[Column] = []
        self._letters: list[str] = []
        self._header: list[str] | None = None
        self._sheet_name = ""
        self._row = 0  # the row number the next row gets on the current sheet
        self._sheet_bytes = 0
        self.stats = XlsxStats()

    def begin(self, columns: Sequence[Column]) -> None:
        self._columns = list(columns)
        if len(self._columns) > EXCEL_MAX_COLUMNS:
            log.warning(
                "XLSX: the table has %d columns but a sheet has at most %d, so columns after %s are not written",
                len(self._columns), EXCEL_MAX_COLUMNS, column_letters(EXCEL_MAX_COLUMNS - 1),
            )
        self._letters = [column_letters(index) for index in range(min(len(self._columns), EXCEL_MAX_COLUMNS))]

    def _make_header(self, rows: Sequence[Sequence[Any]]) -> list[str]:
        """Name each column; a column of zoned datetimes gets the zone they are shown in."""
        header = []
        for index, column in enumerate(self._columns):
            zoned = any(
                isinstance(row[index], dt.datetime) and row[index].tzinfo is not None for row in rows
            )
            header.append(f"{column.name} ({_zone_name(self._zone)})" if zoned else column.name)
        return header

    def _new_sheet(self) -> None:
        self._close_sheet()
        archive = self._archive
        if archive.zip is None:
            archive.zip = zipfile.ZipFile(
                archive, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL  # type: ignore[arg-type]
            )
        name = _sheet_name(self._sheet_base, len(self.stats.sheets) + 1, self._taken)
        self.stats.sheets.append(name)
        self._sheet_name = name
        archive.member = archive.zip.open(package.sheet_part(len(self.stats.sheets)), "w")
        self._sheet_bytes = 0
        cells = "".join(
            f'<c r="{letter}1" s="{package.STYLE_BOLD}" t="inlineStr">{self._inline_text(title, letter + "1")}</c>'
            for letter, title in zip(self._letters, self._header or [])
        )
        self._write(f'{package.sheet_head(len(self.stats.sheets) == 1)}<row r="1">{cells}</row>'.encode())
        self._row = 2

    def _close_sheet(self) -> None:
        if self._archive.member is not None:
            self._write(package.SHEET_TAIL.encode())
            self._archive.member.close()
            self._archive.member = None

    def _write(self, data: bytes) -> None:
        self._archive.member.write(data)
        self._sheet_bytes += len(data)

    def write_rows(self, rows: Sequence[Sequence[Any]]) -> None:
        if self._header is None:
            self._header = self._make_header(rows)
            self._new_sheet()
        start = 0
        while start < len(rows):
            if self._row > self._rows_per_sheet + 1:
                self._new_sheet()
            room = self._rows_per_sheet + 2 - self._row
            start += self._write_fitting(rows[start : start + room])

    def _write_fitting(self, rows: Sequence[Sequence[Any]]) -> int:
        """Write the first rows that fit in the sheet's byte limit, at least one; return how many."""
        mark = (len(self.stats.truncated_cells), self.stats.illegal_characters)
        data = self._rows_xml(rows, self._row).encode()
        room = self._sheet_bytes_limit - len(package.SHEET_TAIL) - self._sheet_bytes
        if len(data) > room:
            # Rare: undo the counts of this attempt and try half as many rows, or a new sheet.
            del self.stats.truncated_cells[mark[0] :]
            self.stats.illegal_characters = mark[1]
            if len(rows) > 1:
                return self._write_fitting(rows[: len(rows) // 2])
            if self._row > 2:
                self._new_sheet()
                return self._write_fitting(rows)
            data = self._rows_xml(rows, self._row).encode()  # one row is all the sheet has
        self._write(data)
        self._row += len(rows)
        return len(rows)

    def _rows_xml(self, rows: Sequence[Sequence[Any]], number: int) -> str:
        """Build the `<row>` elements of `rows`, the first one numbered `number`.

        The common values (text without special characters, integers, floats, NULL) are
        formatted here inline; everything else goes through `_other_cell`.
        """
        out: list[str] = []
        add = out.append
        letters = self._letters
        needs_work = _TEXT_WORK.search
        space = _XML_SPACE
        short = _SHORT_TEXT
        limit = _INT_LIMIT
        for row in rows:
            n = str(number)
            number += 1
            add(f'<row r="{n}">')
            cells_at = len(out)
            for letter, value in zip(letters, row):
                kind = type(value)
                if kind is str:
                    if len(value) > short or needs_work(value) is not None or value.strip(space) is not value:
                        add(f'<c r="{letter}{n}" t="inlineStr">{self._inline_text(value, letter + n)}</c>')
                    else:
                        add(f'<c r="{letter}{n}" t="inlineStr"><is><t>{value}</t></is></c>')
                elif value is None:
                    continue
                elif kind is int:
                    if -limit < value < limit:
                        add(f'<c r="{letter}{n}"><v>{value}</v></c>')
                    else:
                        add(f'<c r="{letter}{n}" t="inlineStr"><is><t>{value}</t></is></c>')
                elif kind is float:
                    if value - value == 0:  # finite
                        add(f'<c r="{letter}{n}"><v>{value!r}</v></c>')
                    else:
                        add(f'<c r="{letter}{n}" t="inlineStr"><is><t>{non_finite_text(value)}</t></is></c>')
                else:
                    add(self._other_cell(value, letter + n))
            if len(out) == cells_at:
                # A row of NULLs has no cells. One formatted blank cell keeps the row in the
                # file, so a reader counts it even at the end of the sheet.
                add(f'<c r="A{n}" s="{package.STYLE_BLANK}"/>')
            add("</row>")
        return "".join(out)

    def _inline_text(self, text: str, ref: str) -> str:
        """Build the `<is>` element of a text, with illegal characters replaced, cut to the cell limit and escaped."""
        text, replaced = _ILLEGAL_XML.subn("\ufffd", text)
        self.stats.illegal_characters += replaced
        if len(text) > _SHORT_TEXT:
            units = text.encode("utf-16-le")
            if len(units) > 2 * EXCEL_MAX_CELL_CHARS:
                # A pair of surrogates cut in half would leave a lone one, which "ignore" drops.
                text = units[: 2 * EXCEL_MAX_CELL_CHARS].decode("utf-16-le", "ignore")
                self.stats.truncated_cells.append(f"{self._sheet_name}!{ref}")
        preserve = ' xml:space="preserve"' if text.strip(_XML_SPACE) != text else ""
        if "_x" in text:
            text = _EXCEL_ESCAPE.sub(lambda match: "_x005F" + match.group(0), text)
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
        return f"<is><t{preserve}>{text}</t></is>"

    def _text_cell(self, text: str, ref: str) -> str:
        return f'<c r="{ref}" t="inlineStr">{self._inline_text(text, ref)}</c>'

    def _other_cell(self, value: Any, ref: str) -> str:
        """Build the cell of a value other than text, integer, float or NULL."""
        if isinstance(value, bool):
            return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
        if isinstance(value, decimal.Decimal):
            if value.is_finite() and _significant_digits(value) <= EXCEL_DIGITS:
                return f'<c r="{ref}"><v>{float(value)!r}</v></c>'
            if value.is_nan():  # also a signalling NaN, which raises when compared
                return self._text_cell("NaN", ref)
            return self._text_cell(format(value, "f") if value.is_finite() else non_finite_text(value), ref)
        if isinstance(value, dt.datetime):
            if value.tzinfo is not None:
                value = value.astimezone(self._zone).replace(tzinfo=None)
            if _EXCEL_FIRST_DATE <= value <= _EXCEL_LAST_DATE:
                return f'<c r="{ref}" s="{package.STYLE_DATETIME}"><v>{_datetime_serial(value)!r}</v></c>'
            return self._text_cell(value.isoformat(sep=" "), ref)
        if isinstance(value, dt.date):
            ordinal = value.toordinal()
            if ordinal < _FIRST_DATE_ORDINAL:
                return self._text_cell(value.isoformat(), ref)
            return f'<c r="{ref}" s="{package.STYLE_DATE}"><v>{ordinal + _SERIAL_OFFSET}</v></c>'
        if isinstance(value, dt.time):
            seconds = value.hour * 3600 + value.minute * 60 + value.second
            serial = (seconds + value.microsecond / 1e6) / 86400
            return f'<c r="{ref}" s="{package.STYLE_TIME}"><v>{serial!r}</v></c>'
        if isinstance(value, (bytes, bytearray, memoryview)):
            return self._text_cell(base64.b64encode(bytes(value)).decode("ascii"), ref)
        return self._text_cell(str(value), ref)

    def end(self) -> None:
        if self._header is None:  # no rows: a sheet with the header only
            self._header = [column.name for column in self._columns]
            self._new_sheet()
        self._close_sheet()
        archive = self._archive
        assert archive.zip is not None
        names = self.stats.sheets
        created = self._now or dt.datetime.now(dt.timezone.utc)
        parts = {
            "[Content_Types].xml": package.content_types(len(names)),
            "_rels/.rels": package.ROOT_RELS_XML,
            "docProps/app.xml": package.app_properties(names),
            "docProps/core.xml": package.core_properties(created),
            "xl/workbook.xml": package.workbook(names),
            "xl/_rels/workbook.xml.rels": package.workbook_rels(len(names)),
            "xl/styles.xml": package.STYLES_XML,
        }
        for name, text in parts.items():
            archive.zip.writestr(name, text.encode())
        archive.zip.close()
        archive.zip = None
        self._abandon.detach()
        if self.stats.illegal_characters or self.stats.truncated_cells:
            log.info(
                "XLSX: replaced %d characters illegal in XML with U+FFFD; cut %d cells to %d characters: %s",
                self.stats.illegal_characters,
                len(self.stats.truncated_cells),
                EXCEL_MAX_CELL_CHARS,
                ", ".join(self.stats.truncated_cells[:20]),
            )
