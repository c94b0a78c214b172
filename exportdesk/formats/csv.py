"""CSV writer with profiles, RFC 4180 quoting and exact values.

NULL is an empty unquoted field and an empty string is `""`, so the two stay apart when read
back. Floats are written with `repr`, the shortest text that reads back as the same double;
decimals are written in positional notation with every digit.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import uuid
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from exportdesk.formats import ByteSink
from exportdesk.sources.base import Column

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class CsvProfile:
    key: str
    delimiter: str
    line_end: str
    bom: bool
    decimal_comma: bool
    neutralise_formulas: bool
    encoding: str = "utf-8"
    header: bool = True


PROFILES: dict[str, CsvProfile] = {
    "excel-ru": CsvProfile(
        key="excel-ru", delimiter=";", line_end="\r\n", bom=True, decimal_comma=True, neutralise_formulas=True
    ),
    "utf8": CsvProfile(
        key="utf8", delimiter=",", line_end="\n", bom=False, decimal_comma=False, neutralise_formulas=False
    ),
}
DEFAULT_PROFILE = "excel-ru"


class UnknownProfile(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(f"Unknown CSV profile {key!r}: use one of {', '.join(PROFILES)}")


def get_profile(key: str) -> CsvProfile:
    try:
        return PROFILES[key]
    except KeyError:
        raise UnknownProfile(key) from None


def _make_text_formatter(profile: CsvProfile) -> Callable[[str], str]:
    delimiter = profile.delimiter
    neutralise = profile.neutralise_formulas

    def format_text(value: str) -> str:
        if not value:
            return '""'
        if neutralise and value.startswith(FORMULA_PREFIXES):
            value = "'" + value
        if delimiter in value or '"' in value or "\n" in value or "\r" in value:
            return '"' + value.replace('"', '""') + '"'
        return value

    return format_text


def _format_decimal(value: decimal.Decimal) -> str:
    if not value.is_finite():
        return str(value)
    return format(value, "f")


class CsvWriter:
    """Write rows of one table as CSV text into a byte sink."""

    def __init__(self, sink: ByteSink, profile: CsvProfile, resumed: bool = False) -> None:
        self._sink = sink
        self._profile = profile
        self._resumed = resumed
        self._format_text = _make_text_formatter(profile)
        self._number_fixup: Callable[[str], str] = (
            (lambda text: text.replace(".", ",")) if profile.decimal_comma else (lambda text: text)
        )

    def _format_value(self, value: Any) -> str:
        kind = type(value)
        if kind is str:
            return self._format_text(value)
        if value is None:
            return ""
        if kind is int:
            return str(value)
        if kind is float:
            return self._number_fixup(repr(value))
        if kind is bool:
            return "true" if value else "false"
        if isinstance(value, decimal.Decimal):
            return self._number_fixup(_format_decimal(value))
        if isinstance(value, (dt.datetime, dt.date, dt.time)):
            return value.isoformat()
        if isinstance(value, (bytes, bytearray, memoryview)):
            # Empty binary is quoted like empty text, so it stays apart from NULL.
            return base64.b64encode(bytes(value)).decode("ascii") or '""'
        if isinstance(value, uuid.UUID):
            return str(value)
        return self._format_text(str(value))

    def _encode(self, text: str) -> None:
        self._sink.write(text.encode(self._profile.encoding))

    def begin(self, columns: Sequence[Column]) -> None:
        if self._resumed:
            return
        if self._profile.bom:
            self._sink.write("\ufeff".encode(self._profile.encoding))
        if self._profile.header:
            header = self._profile.delimiter.join(self._format_text(c.name) for c in columns)
            self._encode(header + self._profile.line_end)

    def write_rows(self, rows: Sequence[Sequence[Any]]) -> None:
        delimiter = self._profile.delimiter
        line_end = self._profile.line_end
        format_value = self._format_value
        lines = [delimiter.join([format_value(value) for value in row]) for row in rows]
        if lines:
            self._encode(line_end.join(lines) + line_end)

    def end(self) -> None:
        pass
