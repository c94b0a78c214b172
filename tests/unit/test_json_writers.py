"""JSON Lines and JSON writers: exact values, NULL versus empty text, streaming, resume."""

from __future__ import annotations

import datetime as dt
import decimal
import io
import json

import pytest

from exportdesk.formats import make_writer, non_finite_text
from exportdesk.sources.base import Column


class Sink:
    def __init__(self) -> None:
        self.buffer = io.BytesIO()

    def write(self, data: bytes) -> int:
        return self.buffer.write(data)


def write(format_name: str, columns: list[str], batches: list[list[tuple[object, ...]]], resumed_rows: int | None = None) -> bytes:
    sink = Sink()
    writer = make_writer(format_name, "utf8", sink, resumed_rows)
    writer.begin([Column(name) for name in columns])
    for batch in batches:
        writer.write_rows(batch)
    writer.end()
    return sink.buffer.getvalue()


def test_jsonl_null_empty_and_text_null() -> None:
    data = write("jsonl", ["a", "b"], [[(None, None), ("", 0), ("NULL", 1)]])
    assert data == b'{"a":null,"b":null}\n{"a":"","b":0}\n{"a":"NULL","b":1}\n'


def test_json_values_are_exact() -> None:
    precise = decimal.Decimal("12345678901234567890.123456789012345678")
    huge = 2**70
    stamp = dt.datetime(2013, 1, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    row = (precise, huge, 10.357019999999999, stamp, dt.date(2013, 1, 2), b"\x00\xff", float("nan"), True)
    data = write("jsonl", ["d", "big", "f", "ts", "day", "raw", "nan", "flag"], [[row]])
    assert b'"d":12345678901234567890.123456789012345678' in data
    assert f'"big":{huge}'.encode() in data
    parsed = json.loads(data, parse_float=decimal.Decimal)
    assert parsed["d"] == precise
    assert parsed["big"] == huge
    assert float(parsed["f"]) == 10.357019999999999
    assert parsed["ts"] == "2013-01-01T10:00:00+03:00"
    assert parsed["day"] == "2013-01-02"
    assert parsed["raw"] == "AP8="
    assert parsed["nan"] == "NaN"
    assert parsed["flag"] is True


def test_json_array_streams_batches() -> None:
    data = write("json", ["id"], [[(1,), (2,)], [(3,)]])
    assert data == b'[\n{"id":1},\n{"id":2},\n{"id":3}\n]\n'
    assert json.loads(data) == [{"id": 1}, {"id": 2}, {"id": 3}]


def test_json_array_empty() -> None:
    assert json.loads(write("json", ["id"], [])) == []


@pytest.mark.parametrize("format_name", ["jsonl", "json"])
def test_resumed_writer_continues_the_same_bytes(format_name: str) -> None:
    whole = write(format_name, ["id", "name"], [[(1, "один"), (2, "два")], [(3, "три")]])
    sink = Sink()
    first = make_writer(format_name, "utf8", sink)
    first.begin([Column("id"), Column("name")])
    first.write_rows([(1, "один"), (2, "два")])
    rest = write(format_name, ["id", "name"], [[(3, "три")]], resumed_rows=2)
    assert sink.buffer.getvalue() + rest == whole


def test_repeated_column_names_get_unique_keys() -> None:
    data = write("jsonl", ["a", "a", "a"], [[(1, 2, 3)]])
    assert json.loads(data) == {"a": 1, "a_2": 2, "a_3": 3}


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (float("nan"), "NaN"),
        (float("-inf"), "-Infinity"),
        (decimal.Decimal("NaN"), "NaN"),
        (decimal.Decimal("sNaN"), "NaN"),
        (decimal.Decimal("Infinity"), "Infinity"),
    ],
)
def test_non_finite_text_names_every_kind(value: float | decimal.Decimal, text: str) -> None:
    assert non_finite_text(value) == text
