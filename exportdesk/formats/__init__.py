"""Writers that turn batches of rows into the bytes of an artifact."""

from __future__ import annotations

from typing import Any, Protocol, Sequence

from exportdesk.sources.base import Column


class ByteSink(Protocol):
    def write(self, data: bytes) -> int: ...


class Writer(Protocol):
    """Writes one table: `begin` once, `write_rows` per batch, `end` once."""

    def begin(self, columns: Sequence[Column]) -> None: ...

    def write_rows(self, rows: Sequence[Sequence[Any]]) -> None: ...

    def end(self) -> None: ...


FORMATS = ("csv", "jsonl", "json")
EXTENSIONS = {"csv": ".csv", "jsonl": ".jsonl", "json": ".json"}


def make_writer(format_name: str, profile_key: str, sink: ByteSink, resumed_rows: int | None = None) -> Writer:
    """Create the writer for a format; `resumed_rows` continues a file that holds that many rows.

    A resumed writer writes no preamble (byte order mark, header, opening bracket) again.
    """
    from exportdesk.formats.csv import CsvWriter, get_profile
    from exportdesk.formats.jsonl import JsonArrayWriter, JsonLinesWriter

    resumed = resumed_rows is not None
    if format_name == "csv":
        return CsvWriter(sink, get_profile(profile_key), resumed=resumed)
    if format_name == "jsonl":
        return JsonLinesWriter(sink, resumed_rows or 0)
    if format_name == "json":
        return JsonArrayWriter(sink, resumed_rows or 0, resumed=resumed)
    raise ValueError(f"Unknown format {format_name!r}: use one of {', '.join(FORMATS)}")
