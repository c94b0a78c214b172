"""Exports of a chosen column list: the columns in the given order, ordered by the key, resumable."""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from exportdesk.context import Context
from exportdesk.engine import actions, runner
from exportdesk.engine.runner import run_job
from exportdesk.fastpath import sqlite_export
from exportdesk.formats.csv import CsvWriter, get_profile
from exportdesk.jobs import ErrorCode, ExportDeskError, Job, JobState
from exportdesk.sources import pg_copy
from exportdesk.sources.base import Column
from exportdesk.sources.sql import SqlSource, SqlTableReader, TransientSourceError
from tests.postgres import PostgresServer

ROWS = 95
CHOSEN = ("total", "name")


def fill(connection: Any, table: str) -> None:
    for number in range(ROWS, 0, -1):
        # Inserted in reverse, so only ORDER BY puts the rows in key order.
        connection.execute(
            f"INSERT INTO {table} (id, name, total, note) VALUES (?, ?, ?, ?)",
            (number, f"имя {number}", number * 1.5, None if number % 3 else "x;y"),
        )


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    path = tmp_path / "shop.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE keyed (id INTEGER PRIMARY KEY, name TEXT, total REAL, note TEXT)")
        connection.execute("CREATE TABLE plain (id INTEGER, name TEXT, total REAL, note TEXT)")
        fill(connection, "keyed")
        fill(connection, "plain")
    connection.close()
    return f"sqlite:///{path}"


@pytest.fixture(params=["fast", "general"])
def sqlite_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the test through the SQLite C reader and through the general path."""
    if request.param == "general":
        monkeypatch.setenv(sqlite_export.DISABLE_ENV, "off")
    return str(request.param)


def reference_csv(url: str, sql: str, columns: Sequence[str]) -> bytes:
    """Write the rows of `sql` as the utf8 CSV profile does, with `columns` as the header."""
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        rows = [tuple(row) for row in connection.exec_driver_sql(sql)]
    engine.dispose()
    buffer = io.BytesIO()
    writer = CsvWriter(buffer, get_profile("utf8"))
    writer.begin([Column(name) for name in columns])
    writer.write_rows(rows)
    writer.end()
    return buffer.getvalue()


def export(ctx: Context, url: str, table: str, columns: tuple[str, ...] | None, sleep: Any = None) -> Job:
    actions.submit(ctx, actions.new_spec(url, (table,), profile="utf8", columns=columns))
    claimed = ctx.store.claim_next("test")
    assert claimed is not None
    if sleep is None:
        return run_job(ctx.store, ctx.storage, claimed, ctx.paths.data_dir)
    return run_job(ctx.store, ctx.storage, claimed, ctx.paths.data_dir, sleep=sleep)


def artifact(ctx: Context, job: Job) -> bytes:
    return ctx.storage.artifact_path(job.owner, job.id, job.file_name).read_bytes()


@pytest.mark.parametrize("table", ["keyed", "plain"])
def test_subset_in_given_order(ctx: Context, sqlite_url: str, sqlite_path: str, table: str) -> None:
    key = "id" if table == "keyed" else "rowid"
    expected = reference_csv(sqlite_url, f"SELECT total, name FROM {table} ORDER BY {key}", CHOSEN)

    job = export(ctx, sqlite_url, table, CHOSEN)

    assert job.state is JobState.READY, job.error_code
    assert job.rows_done == ROWS
    assert artifact(ctx, job) == expected
    assert artifact(ctx, job).splitlines()[0] == b"total,name"


def test_subset_with_key_last(ctx: Context, sqlite_url: str, sqlite_path: str) -> None:
    expected = reference_csv(sqlite_url, "SELECT note, id FROM keyed ORDER BY id", ("note", "id"))

    job = export(ctx, sqlite_url, "keyed", ("note", "id"))

    assert job.state is JobState.READY, job.error_code
    assert artifact(ctx, job) == expected


class DroppedOnce:
    """Make the first read of a table fail after `batches` batches, and record each read's start."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, batches: int) -> None:
        self.starts: list[Any] = []
        self._failed = False
        original_open = SqlSource.open_table
        original_batches = SqlTableReader.keyed_batches
        dropper = self

        def open_table(source: SqlSource, table: str, *args: Any, **kwargs: Any) -> SqlTableReader:
            dropper.starts.append(kwargs.get("after"))
            return original_open(source, table, *args, **kwargs)

        def keyed_batches(reader: SqlTableReader, size: int) -> Iterator[Any]:
            for number, batch in enumerate(original_batches(reader, size), start=1):
                yield batch
                if number == batches and not dropper._failed:
                    dropper._failed = True
                    raise TransientSourceError(ErrorCode.SOURCE_LOCKED, "database is locked")

        monkeypatch.setattr(SqlSource, "open_table", open_table)
        monkeypatch.setattr(SqlTableReader, "keyed_batches", keyed_batches)


def test_subset_resume_identical_bytes(ctx: Context, sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(sqlite_export.DISABLE_ENV, "off")
    monkeypatch.setattr(runner, "BATCH_ROWS", 10)
    monkeypatch.setattr(runner, "CHECKPOINT_INTERVAL_S", 0.0)
    whole = export(ctx, sqlite_url, "plain", CHOSEN)
    assert whole.state is JobState.READY, whole.error_code

    dropped = DroppedOnce(monkeypatch, batches=4)
    pauses: list[float] = []
    resumed = export(ctx, sqlite_url, "plain", CHOSEN, sleep=pauses.append)

    assert resumed.state is JobState.READY, resumed.error_code
    assert len(pauses) == 1
    assert dropped.starts[0] is None
    # The retry starts after a checkpointed rowid, which is read but not written.
    assert dropped.starts[-1] is not None
    assert dropped.starts[-1][0] > 0
    assert resumed.rows_done == ROWS
    assert artifact(ctx, resumed) == artifact(ctx, whole)
    assert resumed.sha256 == whole.sha256


def test_unknown_column_fails_job(ctx: Context, sqlite_url: str) -> None:
    job = export(ctx, sqlite_url, "keyed", ("name", "price"))

    assert job.state is JobState.FAILED
    assert job.error_code is ErrorCode.COLUMN_NOT_FOUND
    assert job.error_subject == "price"


def test_column_check_lists_existing(ctx: Context, sqlite_url: str) -> None:
    spec = actions.new_spec(sqlite_url, ("keyed",), columns=("name", "price"))

    with pytest.raises(actions.InvalidSpec) as raised:
        actions.check_columns_in_source(spec, ctx.paths.data_dir)

    message = str(raised.value)
    assert "'price'" in message
    assert "id, name, total, note" in message


def test_open_table_unknown_column(sqlite_url: str) -> None:
    source = SqlSource(sqlite_url)
    try:
        with pytest.raises(ExportDeskError) as raised:
            source.open_table("keyed", columns=["Name"])
    finally:
        source.close()

    assert raised.value.code is ErrorCode.COLUMN_NOT_FOUND
    assert raised.value.subject == "Name"


# PostgreSQL -----------------------------------------------------------------------------

PG_DATABASE = "column_choice"


@pytest.fixture(scope="module")
def pg_url(postgres: PostgresServer) -> str:
    admin = sa.create_engine(postgres.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
        connection.exec_driver_sql(f"CREATE DATABASE {PG_DATABASE}")
    admin.dispose()
    url = sa.engine.make_url(postgres.url()).set(database=PG_DATABASE).render_as_string(hide_password=False)
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "CREATE TABLE orders (id integer PRIMARY KEY, name text, total numeric, at timestamptz, note text)"
        )
        connection.exec_driver_sql(
            "INSERT INTO orders SELECT g, 'имя ' || g, g / 8.0, "
            "timestamptz '2020-01-01 00:00:00+00' + g * interval '1 hour', CASE WHEN mod(g, 3) = 0 THEN 'x;y' END "
            f"FROM generate_series({ROWS}, 1, -1) g"
        )
    engine.dispose()
    return url


def test_postgres_subset_general_path(ctx: Context, pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_copy(*_args: Any, **_kwargs: Any) -> int:
        raise AssertionError("a job with a column list must not take the COPY path")

    monkeypatch.setattr(pg_copy, "copy_table", no_copy)
    # The reference is the general path's own query for the same columns, run by hand.
    source = SqlSource(pg_url)
    try:
        with source.begin_snapshot():
            reader = source.open_query("orders", "SELECT note, total, name FROM orders ORDER BY id")
            buffer = io.BytesIO()
            writer = CsvWriter(buffer, get_profile("utf8"))
            batches = list(reader.batches(1000))
            writer.begin(reader.columns)
            for rows in batches:
                writer.write_rows(rows)
            writer.end()
    finally:
        source.close()

    job = export(ctx, pg_url, "orders", ("note", "total", "name"))

    assert job.state is JobState.READY, job.error_code
    assert job.rows_done == ROWS
    assert artifact(ctx, job) == buffer.getvalue()
    assert artifact(ctx, job).splitlines()[1].decode("utf-8") == ",0.12500000000000000000,имя 1"


def test_export_again_keeps_columns(ctx: Context, sqlite_url: str) -> None:
    job = export(ctx, sqlite_url, "keyed", CHOSEN)

    again = actions.export_again(ctx, job.id)

    assert again.spec.selection.columns == CHOSEN
    assert ctx.store.get(ctx.owner, again.id).spec.selection.columns == CHOSEN
