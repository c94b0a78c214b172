"""Property tests: every value a source can hold reads back unchanged with an independent reader.

Tables are generated with NULLs, empty strings, Cyrillic, emoji, NUL and other control
characters, 64-bit integer extremes, extreme floats and binary data. Each format is read
back with a reader that shares no code with ExportDesk: csv, json and openpyxl.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import math
import re
from typing import Any

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from exportdesk.formats import make_writer
from exportdesk.sources.base import Column

INT64 = st.integers(min_value=-(2**63), max_value=2**63 - 1)
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30) | st.sampled_from(
    ["Привет, мир", "😀", "a\x00b", '"quoted"', "line\nbreak", "cr\rlf", "=1+1", "NULL", ""]
)
VALUE = st.none() | INT64 | st.floats(allow_nan=False, allow_infinity=False) | TEXT | st.binary(max_size=12)


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[str], list[tuple[Any, ...]]]:
    width = draw(st.integers(min_value=1, max_value=4))
    columns = [f"c{index}" for index in range(width)]
    rows = draw(st.lists(st.tuples(*[VALUE] * width), max_size=15))
    return columns, rows


class Sink:
    def __init__(self) -> None:
        self.buffer = io.BytesIO()

    def write(self, data: bytes) -> int:
        return self.buffer.write(data)

    def flush(self) -> None:
        pass


def export(format_name: str, profile: str, columns: list[str], rows: list[tuple[Any, ...]]) -> bytes:
    sink = Sink()
    writer = make_writer(format_name, profile, sink)
    writer.begin([Column(name) for name in columns])
    writer.write_rows(rows)
    writer.end()
    return sink.buffer.getvalue()


def csv_field(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return str(value)


@settings(max_examples=150, deadline=None)
@given(tables())
def test_csv_round_trip(table: tuple[list[str], list[tuple[Any, ...]]]) -> None:
    columns, rows = table
    data = export("csv", "utf8", columns, rows)
    records = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert records[0] == columns
    assert len(records) == len(rows) + 1
    for record, row in zip(records[1:], rows):
        # A one-column row whose value is NULL is an empty line, read as an empty record.
        assert (record or [""]) == [csv_field(value) for value in row]


def json_value(value: Any) -> Any:
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


@settings(max_examples=150, deadline=None)
@given(tables())
def test_jsonl_round_trip(table: tuple[list[str], list[tuple[Any, ...]]]) -> None:
    columns, rows = table
    # Split on LF only: str.splitlines() would also split inside values at U+0085 or U+2028.
    lines = export("jsonl", "utf8", columns, rows).decode("utf-8").split("\n")
    assert lines.pop() == ""
    assert len(lines) == len(rows)
    for line, row in zip(lines, rows):
        assert json.loads(line) == {name: json_value(value) for name, value in zip(columns, row)}


@settings(max_examples=100, deadline=None)
@given(tables())
def test_json_round_trip(table: tuple[list[str], list[tuple[Any, ...]]]) -> None:
    columns, rows = table
    parsed = json.loads(export("json", "utf8", columns, rows))
    assert parsed == [{name: json_value(value) for name, value in zip(columns, row)} for row in rows]


_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xlsx_value(value: Any) -> Any:
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, str):
        return _ILLEGAL_XML.sub("\ufffd", value)
    if isinstance(value, int) and abs(value) >= 10**15:
        return str(value)
    return value


def decode_escapes(value: Any) -> Any:
    """Decode Excel's `_xHHHH_` escapes, which openpyxl leaves in place (a text's own are escaped so)."""
    if isinstance(value, str):
        return re.sub(r"_x([0-9A-F]{4})_", lambda match: chr(int(match.group(1), 16)), value)
    return value


@settings(max_examples=60, deadline=None)
@given(tables())
def test_xlsx_round_trip(table: tuple[list[str], list[tuple[Any, ...]]]) -> None:
    columns, rows = table
    book = openpyxl.load_workbook(io.BytesIO(export("xlsx", "utf8", columns, rows)))
    read = [tuple(decode_escapes(value) for value in row) for row in book.active.iter_rows(values_only=True)]
    assert read[0] == tuple(columns)
    assert len(read) == len(rows) + 1
    for got, row in zip(read[1:], rows):
        for cell, value in zip(got, row):
            expected = xlsx_value(value)
            if isinstance(expected, float):
                assert isinstance(cell, (int, float))
                assert cell == expected or (math.isclose(cell, expected) and expected == 0)
            else:
                assert cell == expected
