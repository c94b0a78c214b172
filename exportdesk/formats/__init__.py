"""Writers that turn batches of rows into the bytes of an artifact."""

from __future__ import annotations

import decimal
from typing import Any, Protocol, Sequence

from exportdesk.sources.base import Column


class ByteSink(Protocol):
    def write(self, data: bytes) -> int: ...


class Writer(Protocol):
    """Writes one table: `begin` once, `write_rows` per batch, `end` once."""

    def begin(self, columns: Sequence[Column]) -> None: ...

    def write_rows(self, rows: Sequence[Sequence[Any]]) -> None: ...

    def end(self) -> None: ...


def non_finite_text(value: float | decimal.Decimal) -> str:
    """Name a NaN or infinite float or decimal as text, for formats that have no such number."""
    if isinstance(value, decimal.Decimal) and value.is_nan():
        return "NaN"  # a signalling NaN would raise on comparison
    if value != value:  # NaN is the only value unequal to itself
        return "NaN"
    if value > 0:
        return "Infinity"
    return "-Infinity"


FORMATS = ("csv", "xlsx", "jsonl", "json")
EXTENSIONS = {"csv": ".csv", "xlsx": ".xlsx", "jsonl": ".jsonl", "json": ".json"}
# Formats whose file grows row by row and can be cut back to a checkpoint. XLSX is a ZIP
# archive whose central directory and package parts come at the end, so an interrupted
# XLSX export starts over.
RESUMABLE_FORMATS = frozenset({"csv", "jsonl", "json"})


def make_writer(
    format_name: str,
    profile_key: str,
    sink: ByteSink,
    resumed_rows: int | None = None,
    table_name: str = "Sheet",
    options: dict[str, Any] | None = None,
) -> Writer:
    """Create the writer for a format; `resumed_rows` continues a file that has that many rows.

    A resumed writer writes no preamble (byte order mark, header, opening bracket) again.
    `options` are the job's options: `neutralise_formulas` (CSV, default from the profile),
    `csv` (a custom CSV profile's settings) and `xlsx_rows_per_sheet`.
    """
    from exportdesk.formats.csv import CsvWriter, profile_from_options
    from exportdesk.formats.jsonl import JsonArrayWriter, JsonLinesWriter
    from exportdesk.formats.xlsx import EXCEL_MAX_ROWS, XlsxWriter

    options = options or {}
    resumed = resumed_rows is not None
    if format_name == "csv":
        return CsvWriter(sink, profile_from_options(profile_key, options), resumed=resumed)
    if format_name == "jsonl":
        return JsonLinesWriter(sink, resumed_rows or 0)
    if format_name == "json":
        return JsonArrayWriter(sink, resumed_rows or 0, resumed=resumed)
    if format_name == "xlsx":
        rows_per_sheet = int(options.get("xlsx_rows_per_sheet") or EXCEL_MAX_ROWS - 1)
        return XlsxWriter(sink, sheet_base=table_name, rows_per_sheet=rows_per_sheet)
    raise ValueError(f"Unknown format {format_name!r}: use one of {', '.join(FORMATS)}")
