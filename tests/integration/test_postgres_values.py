"""PostgreSQL values reach the CSV file exactly as the database shows them."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import sqlalchemy as sa

from exportdesk.context import Context
from exportdesk.engine import actions
from exportdesk.engine.runner import run_job
from exportdesk.jobs import JobState
from exportdesk.sources import pg_copy
from tests.postgres import PostgresServer

VALUES_SQL = """
CREATE TABLE pg_values (
    id integer PRIMARY KEY,
    j jsonb, js json, iv interval, arr integer[], tarr text[],
    d date, ts timestamp, tstz timestamptz, n numeric, big bigint, f float8, b boolean, raw bytea
);
INSERT INTO pg_values VALUES
 (1, '{"a": [1, 2.50, "x,y"], "big": 12345678901234567890.123456789}', '{"keep":  "spacing"}',
  '1 year 2 mons 3 days 04:05:06.789', '{1,2,3}', '{"a b","c,d"}',
  '2013-01-01', '2013-01-01 10:00:00', '2013-01-01 10:00:00+00',
  12345678901234567890.12345678901234567890, 9223372036854775807, 10.357019999999999, true, '\\x00ff'),
 (2, 'null', null, null, null, null, 'infinity', '294276-12-31 23:59:59', '-infinity',
  'NaN', -9223372036854775808, 5e-324, false, ''),
 (3, '"str"', null, null, null, null, '0044-03-15 BC', null, null, null, null, null, null, null);
"""


@pytest.fixture(scope="module")
def pg_values(postgres: PostgresServer) -> PostgresServer:
    engine = sa.create_engine(postgres.url())
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE IF EXISTS pg_values")
        connection.exec_driver_sql(VALUES_SQL)
    engine.dispose()
    return postgres


def export_rows(ctx: Context, url: str) -> list[dict[str, str]]:
    job = actions.submit(ctx, actions.new_spec(url, ("pg_values",), profile="utf8"))
    claimed = ctx.store.claim_next("test")
    assert claimed is not None
    ended = run_job(ctx.store, ctx.storage, claimed, ctx.paths.data_dir)
    assert ended.state is JobState.READY, ended.error_code
    text = ctx.storage.artifact_path(ended.owner, ended.id, ended.file_name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_postgres_values_are_exact(ctx: Context, pg_values: PostgresServer) -> None:
    first, second, third = export_rows(ctx, pg_values.url())
    assert first["j"] == '{"a": [1, 2.50, "x,y"], "big": 12345678901234567890.123456789}'
    assert first["js"] == '{"keep":  "spacing"}'
    assert first["iv"] == "1 year 2 mons 3 days 04:05:06.789"
    assert first["arr"] == "{1,2,3}"
    assert first["tarr"] == '{"a b","c,d"}'
    assert first["d"] == "2013-01-01"
    assert first["n"] == "12345678901234567890.12345678901234567890"
    assert first["big"] == "9223372036854775807"
    assert float(first["f"]) == 10.357019999999999
    assert first["b"] == "true"
    assert first["raw"] == "AP8="

    assert second["j"] == "null"
    assert second["js"] == ""
    assert second["d"] == "infinity"
    assert second["ts"] == "294276-12-31 23:59:59"
    assert second["tstz"] == "-infinity"
    assert second["n"] == "NaN"
    assert second["big"] == "-9223372036854775808"
    assert float(second["f"]) == 5e-324
    assert second["raw"] == '""' or second["raw"] == ""

    assert third["j"] == '"str"'
    assert third["d"] == "0044-03-15 BC"


def test_tables_read_in_one_repeatable_read_snapshot(pg_values: PostgresServer) -> None:
    from exportdesk.sources.sql import SqlSource

    source = SqlSource(pg_values.url())
    try:
        with source.begin_snapshot():
            level = source._connect().exec_driver_sql("SHOW transaction_isolation").scalar()
            before = source.count_rows(table="pg_values")
            writer = sa.create_engine(pg_values.url())
            with writer.begin() as connection:
                connection.exec_driver_sql("INSERT INTO pg_values (id) VALUES (99)")
            writer.dispose()
            after = source.count_rows(table="pg_values")
    finally:
        source.close()
        cleanup = sa.create_engine(pg_values.url())
        with cleanup.begin() as connection:
            connection.exec_driver_sql("DELETE FROM pg_values WHERE id = 99")
        cleanup.dispose()
    assert level == "repeatable read"
    assert before == after == 3


SETTINGS_DATABASE = "odd_settings"
SETTINGS_SQL = """
CREATE TABLE odd_values (id integer PRIMARY KEY, f float8, r real, tstz timestamptz, ts timestamp, d date, iv interval, x xml);
INSERT INTO odd_values VALUES
 (1, 1.7976931348623157e308, 3.4028235e38, '2013-01-01 10:00:00.5+00', '2013-01-01 10:00:00', '2013-03-15',
  '1 year 2 mons 3 days 04:05:06.789', '<a b="1">text</a>'),
 (2, 5e-324, 1e-45, '1850-06-01 12:00:00+00', '0044-03-15 10:00:00 BC', '0044-03-15 BC', '-1 day', NULL),
 (3, 0.1, 0.1, '-infinity', 'infinity', 'infinity', NULL, '');
CREATE TABLE odd_numbers AS SELECT id, f, r, tstz, ts, d, iv FROM odd_values;
ALTER TABLE odd_numbers ADD PRIMARY KEY (id);
"""


@pytest.fixture(scope="module")
def odd_settings_url(postgres: PostgresServer) -> str:
    """A database whose own and role settings round floats and write dates in the SQL style."""
    admin = sa.create_engine(postgres.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {SETTINGS_DATABASE}")
        connection.exec_driver_sql(f"CREATE DATABASE {SETTINGS_DATABASE}")
        connection.exec_driver_sql(f"ALTER DATABASE {SETTINGS_DATABASE} SET DateStyle = 'SQL, DMY'")
        connection.exec_driver_sql(f"ALTER DATABASE {SETTINGS_DATABASE} SET IntervalStyle = 'sql_standard'")
        # Scoped to this database, so the other tests' sessions keep the server defaults.
        connection.exec_driver_sql(f"ALTER ROLE {postgres.user} IN DATABASE {SETTINGS_DATABASE} SET extra_float_digits = 0")
    admin.dispose()
    url = sa.engine.make_url(postgres.url()).set(database=SETTINGS_DATABASE).render_as_string(hide_password=False)
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql(SETTINGS_SQL)
        assert connection.exec_driver_sql("SHOW extra_float_digits").scalar() == "0"
        assert connection.exec_driver_sql("SHOW DateStyle").scalar() == "SQL, DMY"
    engine.dispose()
    return url


def export_odd_values(ctx: Context, url: str, fast: bool, table: str = "odd_values") -> tuple[bytes, int]:
    pg_copy.FAST_PATH_ENABLED = fast
    try:
        actions.submit(ctx, actions.new_spec(url, (table,), profile="utf8"))
        claimed = ctx.store.claim_next("test")
        assert claimed is not None
        ended = run_job(ctx.store, ctx.storage, claimed, ctx.paths.data_dir)
    finally:
        pg_copy.FAST_PATH_ENABLED = True
    assert ended.state is JobState.READY, ended.error_code
    return ctx.storage.artifact_path(ended.owner, ended.id, ended.file_name).read_bytes(), ended.rows_done


def test_session_settings_of_server_ignored(ctx: Context, odd_settings_url: str) -> None:
    data, rows = export_odd_values(ctx, odd_settings_url, fast=False)
    first, second, third = csv.DictReader(io.StringIO(data.decode(), newline=""))

    assert rows == 3
    assert first["f"] == "1.7976931348623157e+308"
    assert first["r"] == "3.4028235e+38"
    assert first["tstz"].startswith("2013-01-01T")
    assert first["ts"] == "2013-01-01T10:00:00"
    assert first["d"] == "2013-03-15"
    assert first["iv"] == "1 year 2 mons 3 days 04:05:06.789"
    assert first["x"] == '<a b="1">text</a>'
    assert second["f"] == "5e-324"
    assert second["ts"] == "0044-03-15 10:00:00 BC"
    assert second["d"] == "0044-03-15 BC"
    assert second["iv"] == "-1 days"
    assert third["f"] == "0.1"
    assert third["tstz"] == "-infinity"
    assert data.decode().splitlines()[2].endswith(",")  # NULL xml
    assert data.decode().splitlines()[3].endswith(',""')  # empty xml


def test_copy_equal_under_server_settings(ctx: Context, odd_settings_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    general, _ = export_odd_values(ctx, odd_settings_url, fast=False, table="odd_numbers")
    calls: list[str] = []
    original = pg_copy.copy_table

    def counted(*args: object, **kwargs: object) -> int:
        calls.append("copy")
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pg_copy, "copy_table", counted)
    fast, rows = export_odd_values(ctx, odd_settings_url, fast=True, table="odd_numbers")

    assert calls == ["copy"]
    assert rows == 3
    assert fast == general
