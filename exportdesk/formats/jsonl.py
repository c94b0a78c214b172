"""JSON Lines (one object per row) and JSON (one streamed array) writers, through orjson.

Values keep their exact form: decimals and integers beyond 64 bits are written as JSON
numbers from their own digits (never through float), datetimes as ISO 8601 with the offset
where the value has one, binary data as base64 text. JSON has no NaN or infinity, so such
floats and decimals are written as the strings "NaN", "Infinity" and "-Infinity".
"""

from __future__ import annotations

import base64
import decimal
import math
import uuid
from collections.abc import Sequence
from typing import Any

import orjson

from exportdesk.formats import ByteSink, non_finite_text
from exportdesk.sources.base import Column

_OPTIONS = orjson.OPT_NON_STR_KEYS
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


def _default(value: Any) -> Any:
    """Convert what orjson cannot write itself; called only for those values."""
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            return non_finite_text(value)
        return orjson.Fragment(format(value, "f").encode("ascii"))
    if isinstance(value, int):  # beyond 64 bits
        return orjson.Fragment(str(value).encode("ascii"))
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"cannot write a value of type {type(value).__name__} to JSON")


def _clean(row: Sequence[Any]) -> list[Any]:
    """Replace the values orjson would write wrongly: non-finite floats and ints beyond 64 bits."""
    cleaned = list(row)
    for index, value in enumerate(cleaned):
        kind = type(value)
        if kind is float and not math.isfinite(value):
            cleaned[index] = non_finite_text(value)
        elif kind is int and not _INT64_MIN <= value <= _INT64_MAX:
            cleaned[index] = orjson.Fragment(str(value).encode("ascii"))
    return cleaned


def _needs_cleaning(row: Sequence[Any]) -> bool:
    for value in row:
        kind = type(value)
        if kind is float and not math.isfinite(value):
            return True
        if kind is int and not _INT64_MIN <= value <= _INT64_MAX:
            return True
    return False


def unique_keys(columns: Sequence[Column]) -> list[str]:
    """Return one object key per column; a repeated name gets `_2`, `_3`, … appended."""
    keys: list[str] = []
    taken: set[str] = set()
    for column in columns:
        key, number = column.name, 2
        while key in taken:
            key, number = f"{column.name}_{number}", number + 1
        taken.add(key)
        keys.append(key)
    return keys


class JsonLinesWriter:
    """Write each row as one JSON object on its own line (LF)."""

    def __init__(self, sink: ByteSink, resumed_rows: int = 0) -> None:
        self._sink = sink
        self._keys: list[str] = []
        self._rows = resumed_rows

    def begin(self, columns: Sequence[Column]) -> None:
        self._keys = unique_keys(columns)

    def _encode(self, rows: Sequence[Sequence[Any]], separator: bytes) -> bytes:
        keys = self._keys
        dumps = orjson.dumps
        parts = []
        for row in rows:
            values = _clean(row) if _needs_cleaning(row) else row
            parts.append(dumps(dict(zip(keys, values)), default=_default, option=_OPTIONS))
        return separator.join(parts)

    def write_rows(self, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self._sink.write(self._encode(rows, b"\n") + b"\n")
            self._rows += len(rows)

    def end(self) -> None:
        pass


class JsonArrayWriter(JsonLinesWriter):
    """Write one JSON array of row objects, streamed: `[`, objects separated by `,\\n`, `]`."""

    def __init__(self, sink: ByteSink, resumed_rows: int = 0, resumed: bool = False) -> None:
        super().__init__(sink, resumed_rows)
        self._resumed = resumed

    def begin(self, columns: Sequence[Column]) -> None:
        super().begin(columns)
        if not self._resumed:
            self._sink.write(b"[\n")

    def write_rows(self, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        separator = b",\n" if self._rows else b""
        self._sink.write(separator + self._encode(rows, b",\n"))
        self._rows += len(rows)

    def end(self) -> None:
        self._sink.write(b"\n]\n" if self._rows else b"]\n")
