"""XLSX writer: types kept, formulas never evaluated, Excel limits handled and recorded."""

from __future__ import annotations

import datetime as dt
import decimal
import gc
import io
import math
import re
import zipfile
import zoneinfo
from typing import Any
from xml.etree import ElementTree

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

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
    """Decode Excel's `_xHHHH_` escapes, which openpyxl leaves in place.

    The writer escapes a text's own `_xHHHH_` sequences as `_x005F_xHHHH_`, so that Excel shows
    them as they are; decoding turns them back into the text.
    """
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


class StreamSink:
    """A sink that can only be written to, like the job's artifact file: no seek, no tell."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.closed = False
        self.writes_after_close = 0

    def write(self, data: bytes) -> int:
        if self.closed:
            self.writes_after_close += 1
            raise ValueError("write to a closed sink")
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def check_package(data: bytes) -> list[str]:
    """Check the parts of an XLSX package and return its sheet names in order.

    Every part parses as XML, has a content type, and every relationship points at a part.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        assert len(names) == len(set(names))
        parts = {name: ElementTree.fromstring(archive.read(name)) for name in names}
        for info in archive.infolist():
            assert info.file_size < zipfile.ZIP64_LIMIT
            assert info.extract_version < 45, f"{info.filename} needs ZIP64"
    types = parts.pop("[Content_Types].xml")
    defaults = {item.get("Extension") for item in types.iter(f"{CONTENT_TYPES_NS}Default")}
    overrides = {item.get("PartName") for item in types.iter(f"{CONTENT_TYPES_NS}Override")}
    assert overrides <= {f"/{name}" for name in parts}
    for name in parts:
        assert f"/{name}" in overrides or name.rsplit(".", 1)[-1] in defaults, name
    for rels_name in [name for name in parts if name.endswith(".rels")]:
        folder = rels_name.replace("_rels/", "").removesuffix(".rels").rpartition("/")[0]
        for relation in parts[rels_name].iter(f"{RELS_NS}Relationship"):
            target = f"{folder}/{relation.get('Target')}".lstrip("/")
            assert target in parts, f"{rels_name} points at missing {target}"
    sheets = list(parts["xl/workbook.xml"].iter(f"{MAIN_NS}sheet"))
    worksheets = [name for name in parts if name.startswith("xl/worksheets/")]
    assert len(sheets) == len(worksheets)
    assert all(f"/{name}" in overrides for name in worksheets)
    return [str(sheet.get("name")) for sheet in sheets]


def test_package_parts_valid_with_a_stream_sink() -> None:
    sink = StreamSink()
    writer = XlsxWriter(sink, sheet_base='a&b <"c">', rows_per_sheet=2)  # type: ignore[arg-type]
    writer.begin([Column("x"), Column("y")])
    writer.write_rows([(1, "один"), (2.5, None), (None, None), ("=A1", True)])
    writer.end()
    data = b"".join(sink.chunks)
    assert check_package(data) == ['a&b <"c">', 'a&b <"c"> (2)']
    assert read_sheets(data) == {
        'a&b <"c">': [("x", "y"), (1, "один"), (2.5, None)],
        'a&b <"c"> (2)': [("x", "y"), (None, None), ("=A1", True)],
    }


def test_markup_and_escapes_read_back_exactly() -> None:
    values = ["a\rb\r\n", "<&>\"'", " lead", "trail\t", "_x000D_", "x_x0041_y_X", "\u00a0nbsp\u2028"]
    data, writer = write_xlsx(["t"], [(value,) for value in values])
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    got = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert got[:4] == values[:4]  # exact without decoding
    assert [decode_escapes(value) for value in got] == values
    assert writer.stats.illegal_characters == 0


def test_long_text_cut_at_utf16_units() -> None:
    data, writer = write_xlsx(["t", "u"], [("😀" * 20_000, "я" * 32_767), ("a" + "😀" * 16_383, "ok")])
    rows = read_sheets(data)["data"]
    assert rows[1] == ("😀" * 16_383, "я" * 32_767)
    assert rows[2] == ("a" + "😀" * 16_383, "ok")  # 32,767 UTF-16 units: kept whole
    assert writer.stats.truncated_cells == ["data!A2"]


def test_sheet_byte_limit_continues_on_new_sheets() -> None:
    rows = [(index, f"строка {index}") for index in range(1, 201)]
    sink = io.BytesIO()
    writer = XlsxWriter(sink, sheet_base="data", sheet_bytes_limit=3_000)
    writer.begin([Column("id"), Column("name")])
    for start in range(0, len(rows), 64):
        writer.write_rows(rows[start : start + 64])
    writer.end()
    data = sink.getvalue()
    names = check_package(data)
    assert len(names) > 3
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sizes = [info.file_size for info in archive.infolist() if info.filename.startswith("xl/worksheets/")]
    assert max(sizes) <= 3_000
    sheets = read_sheets(data)
    assert all(sheet[0] == ("id", "name") for sheet in sheets.values())
    assert [row for sheet in sheets.values() for row in sheet[1:]] == rows


def test_trailing_null_rows_are_kept() -> None:
    data, _ = write_xlsx(["a", "b"], [(1, None), (None, None), (None, None)])
    assert read_sheets(data)["data"] == [("a", "b"), (1, None), (None, None), (None, None)]


def test_dates_times_and_decimals_at_the_edges() -> None:
    row = (
        dt.date(1900, 2, 28),
        dt.date(1900, 3, 1),
        dt.datetime(9999, 12, 31, 23, 59, 59),
        dt.datetime(2024, 2, 29, 12, 30, 15, 250_000),
        dt.time(23, 59, 59),
        decimal.Decimal("1E+20"),
        decimal.Decimal("NaN"),
        decimal.Decimal("-0.000000000000000000001"),
        float("inf"),
        -(10**15),
        False,
    )
    data, _ = write_xlsx([f"c{index}" for index in range(len(row))], [row])
    values = read_sheets(data)["data"][1]
    assert values == (
        "1900-02-28",
        dt.datetime(1900, 3, 1),
        dt.datetime(9999, 12, 31, 23, 59, 59),
        dt.datetime(2024, 2, 29, 12, 30, 15, 250_000),
        dt.time(23, 59, 59),
        1e20,
        "NaN",
        -1e-21,
        "Infinity",
        str(-(10**15)),
        False,
    )


def test_dropped_writer_writes_nothing_into_a_closed_sink() -> None:
    sink = StreamSink()
    writer = XlsxWriter(sink)  # type: ignore[arg-type]
    writer.begin([Column("a")])
    writer.write_rows([(1,), ("x",)])
    sink.closed = True  # the export failed or was cancelled: the runner deleted the file
    del writer
    gc.collect()
    assert sink.writes_after_close == 0


DATES = st.dates(min_value=dt.date(1899, 12, 1), max_value=dt.date(9999, 12, 31))
DATETIMES = st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(9999, 12, 31, 23, 59, 59)).map(
    lambda value: value.replace(microsecond=value.microsecond // 1000 * 1000)  # openpyxl reads milliseconds
)
TYPED_VALUE = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.decimals(allow_nan=True, allow_infinity=False, places=None)
    | DATES
    | DATETIMES
    | DATETIMES.map(lambda value: value.replace(tzinfo=dt.timezone(dt.timedelta(hours=5))))
    | st.times().map(lambda value: value.replace(microsecond=0))
    | st.text(max_size=12)
)
ZONE = dt.timezone(dt.timedelta(hours=3))


def expected_cell(value: Any) -> Any:
    if isinstance(value, str):
        return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", "\ufffd", value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return value if abs(value) < 10**15 else str(value)
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            return "NaN"
        return float(value) if len(value.normalize().as_tuple().digits) <= 15 else format(value, "f")
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(ZONE).replace(tzinfo=None)
        return value if value >= dt.datetime(1900, 3, 1) and value.year <= 9999 else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day) if value >= dt.date(1900, 3, 1) else value.isoformat()
    return value


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=1, max_value=4).flatmap(
        lambda width: st.lists(st.tuples(*[TYPED_VALUE] * width), max_size=12)
    ),
    st.integers(min_value=1, max_value=5),
)
def test_typed_values_round_trip_across_sheets(rows: list[tuple[Any, ...]], rows_per_sheet: int) -> None:
    width = len(rows[0]) if rows else 2
    columns = [f"c{index}" for index in range(width)]
    data, writer = write_xlsx(columns, rows, rows_per_sheet=rows_per_sheet, zone=ZONE)
    names = check_package(data)
    assert names == writer.stats.sheets
    sheets = read_sheets(data)
    assert len(sheets) == max(1, math.ceil(len(rows) / rows_per_sheet))
    read = [row for sheet in sheets.values() for row in sheet[1:]]
    assert len(read) == len(rows)
    for got, row in zip(read, rows):
        for cell, value in zip(got, row):
            expected = expected_cell(value)
            if isinstance(expected, float) and expected == 0:
                assert cell == 0
            else:
                assert cell == expected, (cell, value)
                assert type(cell) is type(expected), (cell, value)
