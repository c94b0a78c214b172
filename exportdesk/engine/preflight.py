"""Checks before a job is queued: row estimate, estimated size, free space, credentials.

The estimate formats a sample of the first rows with the job's own writer and scales its
size to the row count, so it reflects the format and profile. It is an estimate: rows
late in a table can be longer or shorter than the first ones.
"""

from __future__ import annotations

import contextlib
import logging
import math
from dataclasses import dataclass, field
from pathlib import Path

from exportdesk.formats import make_writer
from exportdesk.formats.xlsx import EXCEL_MAX_ROWS
from exportdesk.i18n import format_size, tr
from exportdesk.jobs import ErrorCode, ExportDeskError, JobSpec
from exportdesk.sources import open_source
from exportdesk.sources.demo import DEMO_SOURCE
from exportdesk.sources.sql import TransientSourceError

log = logging.getLogger(__name__)

SAMPLE_ROWS = 1000
# Errors that the job would meet again when it runs, whatever the timing.
_LASTING_CODES = frozenset(
    {
        ErrorCode.TABLE_NOT_FOUND,
        ErrorCode.COLUMN_NOT_FOUND,
        ErrorCode.QUERY_INVALID,
        ErrorCode.CREDENTIALS_REJECTED,
        ErrorCode.ENCODING_UNSUPPORTED,
    }
)


@dataclass
class Preflight:
    rows: int | None = None
    estimated_bytes: int | None = None
    free_bytes: int = 0
    warnings: list[str] = field(default_factory=list)
    enough_space: bool = True


class _CountingSink:
    def __init__(self) -> None:
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass


def _sample_bytes_per_row(spec: JobSpec, data_dir: Path) -> tuple[float, int]:
    """Format up to SAMPLE_ROWS rows of each table and return (bytes per row, rows sampled)."""
    source = open_source(spec.source, data_dir)
    sink = _CountingSink()
    sampled = 0
    try:
        readers = (
            [source.open_query("query", spec.selection.query)]  # type: ignore[union-attr]
            if spec.selection.query
            else [source.open_table(table, columns=spec.selection.columns) for table in spec.selection.tables]
        )
        for reader in readers:
            # Closing the read ends its server-side cursor before the source closes the connection.
            with contextlib.closing(reader.batches(SAMPLE_ROWS)) as batches:  # type: ignore[type-var]
                batch = next(batches, [])
            writer = make_writer(spec.format, spec.profile, sink, None, reader.name, spec.options)
            writer.begin(reader.columns)
            writer.write_rows(batch)
            writer.end()
            sampled += len(batch)
    finally:
        source.close()
    return (sink.size / sampled if sampled else 0.0), sampled


def blocks_queueing(error: ExportDeskError, source: str) -> bool:
    """Tell whether a pre-flight error will fail the job as well, so the job is not worth queueing.

    A missing table, a rejected query or password, and an SQLite file that is missing or not
    a database stay so until the user acts. A locked database, a dropped connection or a
    database server that does not respond may be back by the time the job runs, so a user
    who queues a job is not stopped by them.
    """
    if isinstance(error, TransientSourceError):
        return False
    if error.code is ErrorCode.SOURCE_UNREACHABLE:
        return source.startswith("sqlite") or source == DEMO_SOURCE
    return error.code in _LASTING_CODES


def run_preflight(spec: JobSpec, data_dir: Path, free_bytes: int) -> Preflight:
    """Estimate rows and size and collect warnings; source errors propagate as ExportDeskError."""
    result = Preflight(free_bytes=free_bytes)
    source = open_source(spec.source, data_dir)
    try:
        if spec.selection.query:
            result.rows = source.count_rows(query=spec.selection.query)
        else:
            counts = [source.count_rows(table=table) for table in spec.selection.tables]
            result.rows = None if any(count is None for count in counts) else sum(count or 0 for count in counts)
    finally:
        source.close()

    if result.rows == 0:
        result.warnings.append(tr("The source has no rows to export."))
    if result.rows:
        per_row, sampled = _sample_bytes_per_row(spec, data_dir)
        if sampled:
            result.estimated_bytes = int(per_row * result.rows)
    rows_per_sheet = int(spec.options.get("xlsx_rows_per_sheet") or EXCEL_MAX_ROWS - 1)
    if spec.format == "xlsx" and result.rows and result.rows > rows_per_sheet:
        sheets = math.ceil(result.rows / rows_per_sheet)
        rows_text = tr("The source has about %Ln row(s).", None, result.rows)
        sheets_text = tr("XLSX will need %Ln sheet(s) for them.", None, sheets)
        result.warnings.append(f"{rows_text} {sheets_text}")
    if result.estimated_bytes is not None and result.estimated_bytes > free_bytes:
        result.enough_space = False
        result.warnings.append(
            tr("The file will take about {size}, but the disk has only {free} free.").format(
                size=format_size(result.estimated_bytes), free=format_size(free_bytes)
            )
        )
    return result

