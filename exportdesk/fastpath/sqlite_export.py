"""CSV and JSON Lines export of one SQLite table, read and formatted in C.

The C reader (`_sqlite_text.c`) opens its own connection to the SQLite file, runs the same ordered
`SELECT` as `SqlSource.open_table` and returns each chunk of rows as bytes equal to what
`CsvWriter` or `JsonLinesWriter` writes for the values Python's sqlite3 module returns. The
runner still writes the bytes, counts rows, commits checkpoints and reads the cancel flag once
per chunk.

The fast path applies to a single table of an SQLite file with a one-column order key (rowid
or primary key). CSV must be UTF-8 with an ASCII delimiter and quote. JSON Lines need an
installed orjson that lays out floats as the C code does. Everything else takes the general
path. A row with TEXT that is not valid UTF-8 hands the rest of the table to
the general path, which then fails on it as it would have from the start.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol

import functools
import math

import orjson

from exportdesk.formats import Writer
from exportdesk.formats.csv import CsvProfile, CsvWriter, profile_from_options
from exportdesk.formats.jsonl import JsonLinesWriter, unique_keys
from exportdesk.jobs import Job
from exportdesk.sources.base import Column
from exportdesk.sources.sql import SqlSource, source_error

try:
    from exportdesk.fastpath import _sqlite_text
except ImportError:  # the C extension was not built: every export takes the general path
    _sqlite_text = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

# Set to "off" to send every export through the general path (tests compare the two).
DISABLE_ENV = "EXPORTDESK_SQLITE_FASTPATH"
# One chunk is formatted in one C call, measured at 10-30 ms on a 2-core Debian 12 machine, so
# progress, checkpoints and cancel stay about as frequent as on the general path.
CHUNK_ROWS = 65_536
CHUNK_BYTES = 1024 * 1024
# Python's sqlite3 module waits 5 s for a locked database by default; the C reader does the same.
BUSY_TIMEOUT_MS = 5000
GENERAL_BATCH_ROWS = 1000


class ProgressSink(Protocol):
    """The runner's progress counter: `add` may raise to cancel the job."""

    key: list[Any] | None

    def add(self, rows: int, key: list[Any] | None) -> None: ...


class ByteOutput(Protocol):
    def write(self, data: bytes) -> int: ...


def available() -> bool:
    return _sqlite_text is not None and os.environ.get(DISABLE_ENV, "").lower() != "off"


def _profile_fits(profile: CsvProfile) -> bool:
    return profile.encoding == "utf-8" and profile.delimiter.isascii() and profile.quote.isascii()


# Floats whose orjson text shows its layout: where it switches to an exponent, how it writes one.
_FLOAT_PROBES = (0.0, -0.0, 1.0, 0.1, 1e-4, 1e-5, 1e-6, 2.5e-7, 1e15, 1e16, 1.5e22, 5e-324, 1.7976931348623157e308, math.inf)


@functools.cache
def json_floats_match() -> bool:
    """Tell whether the installed orjson writes floats as the C code's JSON layout does."""
    if _sqlite_text is None:
        return False
    for value in _FLOAT_PROBES:
        for signed in (value, -value):
            if math.isfinite(signed):
                expected = orjson.dumps(signed)
            else:
                expected = orjson.dumps("Infinity" if signed > 0 else "-Infinity")
            if _sqlite_text.format_double(signed, True).encode("ascii") != expected:
                log.info("orjson %s writes %r as %s; JSON Lines take the general path", orjson.__version__, signed, expected)
                return False
    return True


def _plan(source: object, job: Job) -> tuple[Path, CsvProfile | None] | None:
    """Return the SQLite file and the CSV profile (None for JSON Lines) when this job can take
    the fast path, else None."""
    spec = job.spec
    if not available() or spec.format not in ("csv", "jsonl") or spec.selection.query or len(spec.selection.tables) != 1:
        return None
    if not isinstance(source, SqlSource):
        return None
    path = source.sqlite_file
    if path is None:
        return None
    if spec.format == "jsonl":
        return (path, None) if json_floats_match() else None
    profile = profile_from_options(spec.profile, spec.options)
    if not _profile_fits(profile):
        return None
    return path, profile


def try_export(
    source: object, job: Job, out: ByteOutput, progress: ProgressSink, checkpoint: dict[str, Any] | None
) -> bool:
    """Export the job's one table through the C reader; return False when the job does not fit.

    With a checkpoint the read starts after its key and writes no header, as the general path does.
    """
    after: Sequence[Any] | None = checkpoint["key"] if checkpoint else None
    resumed_rows = int(checkpoint["rows"]) if checkpoint else None
    plan = _plan(source, job)
    if plan is None:
        return False
    assert isinstance(source, SqlSource)
    path, profile = plan
    table = job.spec.selection.tables[0]
    written = write_table(source, path, table, profile, out, progress, after, resumed_rows, job.id, job.spec.selection.columns)
    if written:
        log.info("Job %s: table %s was read and formatted by the SQLite C reader", job.id, table)
    return written


def write_table(
    source: SqlSource,
    path: Path,
    table: str,
    profile: CsvProfile | None,
    out: ByteOutput,
    progress: ProgressSink,
    after: Sequence[Any] | None = None,
    resumed_rows: int | None = None,
    job_id: str = "-",
    chosen: Sequence[str] | None = None,
) -> bool:
    """Write `table` of the SQLite file `path` as CSV with `profile`, or as JSON Lines when
    `profile` is None. Return False, having written nothing, when the order key is not one column.
    With `chosen` only those columns are written, in that order."""
    columns, every = source.chosen_columns(table, chosen)
    key = source.order_key(table, every)
    if len(key) != 1:
        return False
    names = [column.name for column in columns]
    extra = [k for k in key if k not in names]
    selected = [*extra, *names]
    sql = f"SELECT {', '.join(source.quote(name) for name in selected)} FROM {source.quote(table)}"
    parameters: tuple[Any, ...] = ()
    if after is not None:
        if len(after) != 1:
            raise ValueError(f"position {after!r} does not match the key {key!r} of {table!r}")
        sql += f" WHERE {source.quote(key[0])} > ?"
        parameters = (after[0],)
    sql += f" ORDER BY {source.quote(key[0])}"

    writer = _general_writer(out, profile, resumed_rows)
    writer.begin(columns)
    try:
        reader = _open_reader(path, sql, parameters, selected.index(key[0]), len(extra), profile, columns)
    except _sqlite_text.SqliteError as error:
        raise source_error(error, table) from error
    try:
        finished = _copy_chunks(reader, out, progress, table)
    finally:
        reader.close()
    if not finished:
        position = progress.key if progress.key is not None else after
        log.info("Job %s: table %s has text that is not UTF-8; the general path continues after key %r", job_id, table, position)
        _continue_general(source, table, columns, profile, out, progress, position)
    return True


def _general_writer(out: ByteOutput, profile: CsvProfile | None, resumed_rows: int | None) -> Writer:
    if profile is None:
        return JsonLinesWriter(out, resumed_rows or 0)
    return CsvWriter(out, profile, resumed=resumed_rows is not None)


def _open_reader(
    path: Path, sql: str, parameters: tuple[Any, ...], key_index: int, strip: int, profile: CsvProfile | None, columns: Sequence[Column]
) -> Any:
    if profile is None:
        keys = unique_keys(columns)
        prefixes = tuple((b"{" if i == 0 else b",") + orjson.dumps(key) + b":" for i, key in enumerate(keys))
        return _sqlite_text.CsvReader(
            str(path), sql, parameters, key_index, strip, b",", b'"', b"}\n", b"", False, False, BUSY_TIMEOUT_MS, prefixes
        )
    return _sqlite_text.CsvReader(
        str(path), sql, parameters, key_index, strip,
        profile.delimiter.encode("ascii"), profile.quote.encode("ascii"), profile.line_end.encode("ascii"),
        profile.null_marker.encode("utf-8"), profile.neutralise_formulas, profile.decimal_comma, BUSY_TIMEOUT_MS,
    )


def _copy_chunks(reader: Any, out: ByteOutput, progress: ProgressSink, table: str) -> bool:
    """Write chunks until the table ends (True) or a row needs the general path (False).

    While the C reader formats the next chunk without the GIL, a thread writes the previous
    one and feeds it to the SHA-256, so on two cores the two overlap. A chunk's rows reach
    `progress` only after its write, so a checkpoint never names bytes still being written.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="chunk-writer") as pool:
        pending = _PendingChunk()
        progress_started = False
        while True:
            try:
                data, rows, key, status = reader.read(CHUNK_ROWS, CHUNK_BYTES)
            except _sqlite_text.SqliteError as error:
                raise source_error(error, table) from error
            pending.settle(progress)
            if data:
                pending.start(pool.submit(out.write, data), rows, key)
                if not progress_started:
                    # The first chunk is counted at once, so its rows show in the window early.
                    pending.settle(progress)
                    progress_started = True
            elif rows:
                progress.add(rows, [key])
            if status in (_sqlite_text.STATUS_DONE, _sqlite_text.STATUS_FALLBACK):
                pending.settle(progress)
                return bool(status == _sqlite_text.STATUS_DONE)


class _PendingChunk:
    """The write of one chunk running on the writer thread, with the rows and last key it holds."""

    def __init__(self) -> None:
        self._write: Future[int] | None = None
        self._rows = 0
        self._key: Any = None

    def start(self, write: Future[int], rows: int, key: Any) -> None:
        self._write, self._rows, self._key = write, rows, key

    def settle(self, progress: ProgressSink) -> None:
        """Wait for the write, raise its error if it failed, and count its rows."""
        if self._write is None:
            return
        write, self._write = self._write, None
        write.result()
        if self._rows:
            progress.add(self._rows, [self._key])


def _continue_general(
    source: SqlSource,
    table: str,
    columns: Sequence[Column],
    profile: CsvProfile | None,
    out: ByteOutput,
    progress: ProgressSink,
    after: Sequence[Any] | None,
) -> None:
    reader = source.open_table(table, after=after, columns=[column.name for column in columns])
    writer = _general_writer(out, profile, 0)
    writer.begin(columns)
    for rows, key in reader.keyed_batches(GENERAL_BATCH_ROWS):
        writer.write_rows(rows)
        progress.add(len(rows), key)
    writer.end()
