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
