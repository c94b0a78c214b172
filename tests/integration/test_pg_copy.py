"""The PostgreSQL COPY fast path writes the general path's bytes, or leaves the export to it."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from exportdesk.context import Context
from exportdesk.engine import actions, runner
from exportdesk.engine.runner import run_job
from exportdesk.formats.csv import profile_from_options
from exportdesk.jobs import Job, JobState
from exportdesk.sources import pg_copy
from exportdesk.sources.sql import SqlSource, TransientSourceError
from tests.integration.test_crash_harness import kill_process, kill_worker, wait_until
from tests.postgres import PostgresServer, find_bin

DATABASE = "copy_proof"
# A zone with a half-hour offset today and a local mean time offset with seconds in 1850.
TIME_ZONE = "Asia/Kolkata"

TYPES_SQL = r"""
CREATE TABLE copy_types (
    id integer PRIMARY KEY,
    n numeric, big bigint, i integer, s smallint, f float8, r real,
    tstz timestamptz, ts timestamp, d date, b boolean, raw bytea, js json, jb jsonb,
    ia integer[], ta text[], t text, vc varchar(20), ch char(5), u uuid, iv interval
);
INSERT INTO copy_types VALUES
 (1, 12345678901234567890.12345678901234567890, 9223372036854775807, 2147483647, 32767,
  10.357019999999999, 0.1, '2013-01-01 10:00:00.5+00', '2013-01-01 10:00:00', '2013-01-01',
  true, '\x00ff', '{"keep":  "spacing"}', '{"a": [1, 2.50, "x,y"]}', '{1,2,3}', '{"a b","c,d"}',
  'plain', 'Привет, мир', 'ab', '6f1d2c6a-9b1e-4a55-8d4e-3c2f0e9a1b7d', '1 year 2 mons 3 days 04:05:06.789'),
 (2, 'NaN', -9223372036854775808, -2147483648, -32768, 5e-324, 'NaN', '-infinity', 'infinity',
  'infinity', false, '', 'null', '"str"', '{}', '{NULL,""}', '', '', '', NULL, '-1 day'),
 (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL, NULL),
 (4, -0.000001, 0, 0, 0, 1e15, 1234567, '1850-06-01 12:00:00+00', '0044-03-15 10:00:00 BC',
  '0044-03-15 BC', NULL, decode(repeat('ab', 100), 'hex'), '[1, 2]', '-1', '{-1}', '{"=1"}',
  '=SUM(A1:A2)', '-5', '+7', NULL, '-00:00:01'),
 (5, 1.50, 1, 1, 1, 1.5e15, 1e10, '2024-02-29 23:59:59.999999+05:30', '294276-12-31 23:59:59',
  '5874897-12-31', true, '\x2b2f', '{"quote": "\"q\""}', '{"nl": "a\nb"}', NULL, '{"a;b"}',
  E'line one\nline two', E'cr\rinside', 'a"b', NULL, '0'),
 (6, 100, 42, 42, 42, 1.2345678901234567e15, 3.4028235e38, '2000-01-01 00:00:00+00', '2000-01-01 00:00:00.000001',
  '2000-01-01', false, NULL, '"="', '{}', '{1}', '{}', E'\ttab first', '@user', 'щ;щ', NULL, '00:00:00'),
 (7, 0.5, 7, 7, 7, 9.999999999999998e15, 1.5e-7, '1999-12-31 23:59:59+00', '1999-12-31 23:59:59.1',
  '1999-12-31', true, '\x', '1.0', '1.0', '{0}', '{"x\"y"}', 'semi;colon', 'comma,here', '  sp', NULL, '1 mon'),
 (8, 1e20, 8, 8, 8, 1e16, -1e-5, '1970-01-01 00:00:00+00', '1970-01-01 00:00:00', '1970-01-01', true, '\xfe',
  '{}', '{}', '{8}', '{"8"}', E'\r\nboth', 'Ёжик', 'ё', NULL, '2 days'),
 (9, 3, 9, 9, 9, 'Infinity', '-Infinity', '2024-06-01 12:00:00+00', '2024-06-01 12:00:00', '2024-06-01', false, '\x00',
  '{}', '{}', '{9}', '{"9"}', '"quoted"', '', 'x', NULL, '3 hours'),
 (10, 4, 10, 10, 10, '-Infinity', 0, '2024-06-01 12:00:00+00', '2024-06-01 12:00:00', '2024-06-01', true, '\x01',
  '{}', '{}', '{10}', '{"10"}', 'x', 'x', 'x', NULL, '4 hours'),
 (11, -123.456, -11, -11, -11, -0.0, -0.0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
 (12, 0.1, 12, 12, 12, 123.0, 100, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
 (13, 1, 13, 13, 13, 1e-300, 1e-40, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
 (14, 2, 14, 14, 14, 1.2345678901234567e308, 123456.7, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
CREATE TABLE copy_more (id integer PRIMARY KEY, m money, tt timetz, pad char(6), big_arr bigint[], js jsonb);
INSERT INTO copy_more VALUES
 (1, 1234.5, '10:00:00.5+03', '=x', '{1,-2}', '{"a": "=1"}'),
 (2, -1, '23:59:59-05:30', ' -y', '{}', '[]'),
 (3, NULL, NULL, NULL, NULL, NULL),
 (4, 0, '00:00:00+00', '', '{NULL}', '"-"');
CREATE TABLE copy_time (id integer PRIMARY KEY, t time);
INSERT INTO copy_time VALUES (1, '10:00:00.5'), (2, '23:59:59');
CREATE TABLE copy_one (v text PRIMARY KEY);
INSERT INTO copy_one VALUES ('\.'), ('a');
CREATE TABLE copy_no_key (id integer, v text);
INSERT INTO copy_no_key VALUES (1, 'a'), (2, 'b');
CREATE TABLE copy_numbers (id integer PRIMARY KEY, n numeric, v integer);
INSERT INTO copy_numbers VALUES (1, 1.5, -5), (2, NULL, 3);
CREATE TABLE copy_dates (id integer PRIMARY KEY, d date);
INSERT INTO copy_dates VALUES (1, '2013-03-15'), (2, NULL);
CREATE TABLE copy_texts (id integer PRIMARY KEY, t text);
INSERT INTO copy_texts VALUES (1, ''), (2, NULL), (3, 'x');
"""

PROFILES: dict[str, tuple[str, dict[str, Any]]] = {
    "utf8": ("utf8", {}),
    "excel-en": ("excel-en", {}),
    "excel-ru": ("excel-ru", {}),
    "custom-tab-crlf-cp1251": ("custom", {"csv": {"delimiter": "\t", "line_end": "crlf", "encoding": "cp1251"}}),
    "custom-pipe-quote-no-header": ("custom", {"csv": {"delimiter": "|", "quote": "'", "header": False}, "neutralise_formulas": True}),
    "custom-semicolon-decimal-comma-bom": ("custom", {"csv": {"delimiter": ";", "decimal_comma": True, "bom": True}}),
    "custom-utf-8-sig": ("custom", {"csv": {"encoding": "utf-8-sig"}}),
}

# Settings that COPY cannot reproduce, each with a table whose bytes would differ.
BLOCKED: dict[str, tuple[str, str, dict[str, Any], str]] = {
    "null marker": ("copy_texts", "custom", {"csv": {"null": "NULL"}}, "NULL is written"),
    "time column": ("copy_time", "utf8", {}, "the type time"),
    "one column": ("copy_one", "utf8", {}, "one column"),
}


def server_url(server: PostgresServer, database: str, **settings: str) -> str:
    url = sa.engine.make_url(server.url()).set(database=database)
    if settings:
        options = " ".join(f"-c {name}={value}" for name, value in settings.items())
        url = url.set(query={"options": options})
    return url.render_as_string(hide_password=False)


@pytest.fixture(scope="module")
def proof_db(postgres: PostgresServer) -> str:
    admin = sa.create_engine(postgres.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {DATABASE}")
        connection.exec_driver_sql(f"CREATE DATABASE {DATABASE}")
        connection.exec_driver_sql(f"ALTER DATABASE {DATABASE} SET TimeZone TO '{TIME_ZONE}'")
    admin.dispose()
    url = server_url(postgres, DATABASE)
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql(TYPES_SQL)
    engine.dispose()
    return url


class CountingCopy:
    """Counts calls of `pg_copy.copy_table`, so a test can tell which path an export took."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        original = pg_copy.copy_table

        def counted(*args: Any, **kwargs: Any) -> int:
            self.calls += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(pg_copy, "copy_table", counted)


def export_bytes(ctx: Context, url: str, table: str, profile: str, options: dict[str, Any], fast: bool) -> tuple[bytes, Job]:
    pg_copy.FAST_PATH_ENABLED = fast
    try:
        actions.submit(ctx, actions.new_spec(url, (table,), profile=profile, options=options))
        claimed = ctx.store.claim_next("test")
        assert claimed is not None
        ended = run_job(ctx.store, ctx.storage, claimed, ctx.paths.data_dir)
    finally:
        pg_copy.FAST_PATH_ENABLED = True
    assert ended.state is JobState.READY, ended.error_code
    return ctx.storage.artifact_path(ended.owner, ended.id, ended.file_name).read_bytes(), ended


class Counter:
    """The runner's progress counter reduced to what `copy_table` calls."""

    def __init__(self) -> None:
        self.rows = 0
        self.keys: list[list[Any]] = []

    def add(self, rows: int, key: list[Any] | None) -> None:
        self.rows += rows
        if key is not None:
            self.keys.append(key)

    def report(self) -> None:
        pass


def forced_copy(url: str, table: str, profile_key: str, options: dict[str, Any]) -> bytes:
    """Export through COPY with every known rewrite but none of the checks that pick the general path."""
    profile = profile_from_options(profile_key, options)
    source = SqlSource(url)
    try:
        with source.begin_snapshot():
            columns = source.table_columns(table)
            connection = pg_copy._psycopg_connection(source)
            expressions = []
            for column in pg_copy.table_column_types(connection, source.quote(table)):
                quoted = source.quote(column.name)
                expressions.append(pg_copy.column_expression(column, quoted, profile) or quoted)
            key = source.order_key(table, columns) or [columns[0].name]
            plan = pg_copy.CopyPlan(table, columns, ", ".join(expressions), key, profile)
            sink = io.BytesIO()
            pg_copy.copy_table(source, plan, sink, Counter())
    finally:
        source.close()
    return sink.getvalue()


@pytest.mark.parametrize("table, rows", [("copy_types", 14), ("copy_more", 4)])
@pytest.mark.parametrize("name", list(PROFILES))
def test_types_equal_general_path(
    ctx: Context, proof_db: str, monkeypatch: pytest.MonkeyPatch, name: str, table: str, rows: int
) -> None:
    profile, options = PROFILES[name]
    general, general_job = export_bytes(ctx, proof_db, table, profile, options, fast=False)
    copies = CountingCopy(monkeypatch)
    fast, fast_job = export_bytes(ctx, proof_db, table, profile, options, fast=True)

    assert copies.calls == 1
    assert fast == general
    assert fast_job.rows_done == general_job.rows_done == rows
    assert fast_job.sha256 == general_job.sha256


@pytest.mark.parametrize(
    "settings",
    [
        {"DateStyle": "ISO,DMY", "extra_float_digits": "3"},
        {"TimeZone": "UTC"},
        # The export sets its own DateStyle, extra_float_digits and IntervalStyle in its transaction.
        {"DateStyle": "SQL,DMY", "extra_float_digits": "0", "IntervalStyle": "iso_8601"},
    ],
    ids=["iso-dmy", "utc", "sql-datestyle-rounded-floats"],
)
def test_session_settings_equal_general_path(
    ctx: Context, postgres: PostgresServer, proof_db: str, monkeypatch: pytest.MonkeyPatch, settings: dict[str, str]
) -> None:
    url = server_url(postgres, DATABASE, **settings)
    general, _ = export_bytes(ctx, url, "copy_types", "excel-ru", {}, fast=False)
    copies = CountingCopy(monkeypatch)
    fast, _ = export_bytes(ctx, url, "copy_types", "excel-ru", {}, fast=True)

    assert copies.calls == 1
    assert fast == general


@pytest.mark.parametrize("case", list(BLOCKED))
def test_general_path_where_copy_differs(ctx: Context, proof_db: str, monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    table, profile, options, reason = BLOCKED[case]
    source = SqlSource(proof_db)
    try:
        with source.begin_snapshot():
            plan = pg_copy.plan_copy(source, table, profile_from_options(profile, options))
    finally:
        source.close()
    copies = CountingCopy(monkeypatch)
    general, _ = export_bytes(ctx, proof_db, table, profile, options, fast=True)

    assert isinstance(plan, str)
    assert reason in plan
    assert copies.calls == 0
    assert forced_copy(proof_db, table, profile, options) != general


@pytest.mark.parametrize(
    "table, settings, reason",
    [("copy_types", {"TimeZone": "<+05>-05"}, "unknown to Python")],
    ids=["posix-time-zone"],
)
def test_general_path_for_session_settings(
    ctx: Context,
    postgres: PostgresServer,
    proof_db: str,
    monkeypatch: pytest.MonkeyPatch,
    table: str,
    settings: dict[str, str],
    reason: str,
) -> None:
    url = server_url(postgres, DATABASE, **settings)
    source = SqlSource(url)
    try:
        with source.begin_snapshot():
            plan = pg_copy.plan_copy(source, table, profile_from_options("utf8", {}))
    finally:
        source.close()
    copies = CountingCopy(monkeypatch)
    general, _ = export_bytes(ctx, url, table, "utf8", {}, fast=True)

    assert isinstance(plan, str)
    assert reason in plan
    assert copies.calls == 0
    assert forced_copy(url, table, "utf8", {}) != general


@pytest.mark.parametrize(
    "options, reason",
    [
        ({"csv": {"encoding": "utf-16"}}, "the encoding utf-16-le"),
        ({"csv": {"encoding": "utf-32-be"}}, "the encoding utf-32-be"),
        ({"csv": {"delimiter": "§"}}, "not one byte"),
    ],
)
def test_profile_blockers(options: dict[str, Any], reason: str) -> None:
    blocker = pg_copy.profile_blocker(profile_from_options("custom", options))

    assert blocker is not None
    assert reason in blocker


def test_table_without_key_takes_general_path(proof_db: str) -> None:
    source = SqlSource(proof_db)
    try:
        with source.begin_snapshot():
            plan = pg_copy.plan_copy(source, "copy_no_key", profile_from_options("utf8", {}))
    finally:
        source.close()

    assert isinstance(plan, str)
    assert "no primary key" in plan


# Chunked reads, resume and cancel ------------------------------------------------------------

CHUNKED_ROWS = 30_000


@pytest.fixture(scope="module")
def chunked_db(proof_db: str) -> str:
    engine = sa.create_engine(proof_db)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE IF EXISTS copy_chunked")
        connection.exec_driver_sql("CREATE TABLE copy_chunked (id integer PRIMARY KEY, name text, amount numeric, at timestamptz)")
        connection.exec_driver_sql(
            "INSERT INTO copy_chunked SELECT g, 'имя ' || g || CASE WHEN mod(g, 7) = 0 THEN E'\\n;\"' ELSE '' END, g / 8.0, "
            f"timestamptz '2020-01-01 00:00:00+00' + g * interval '1.5 seconds' FROM generate_series(1, {CHUNKED_ROWS}) g"
        )
    engine.dispose()
    return proof_db


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read in chunks of 2,000 rows and commit a checkpoint after each one."""
    monkeypatch.setattr(pg_copy, "FIRST_CHUNK_ROWS", 2000)
    monkeypatch.setattr(pg_copy, "MAX_CHUNK_ROWS", 2000)
    monkeypatch.setattr(pg_copy, "MIN_CHUNK_ROWS", 2000)
    monkeypatch.setattr(runner, "CHECKPOINT_INTERVAL_S", 0.0)


def test_resume_after_dropped_connection(ctx: Context, chunked_db: str, small_chunks: None, monkeypatch: pytest.MonkeyPatch) -> None:
    general, _ = export_bytes(ctx, chunked_db, "copy_chunked", "excel-ru", {}, fast=False)

    statements: list[list[Any]] = []
    original = pg_copy._copy_chunk

    def dropped_on_fourth(connection: Any, statement: str, *rest: Any) -> int:
        statements.append([int(bound) for bound in re.findall(r"\) [<>]=? \((\d+)\)", statement)])
        if len(statements) == 4:
            raise TransientSourceError(pg_copy.ErrorCode.SOURCE_UNREACHABLE, "server closed the connection")
        return original(connection, statement, *rest)

    monkeypatch.setattr(pg_copy, "_copy_chunk", dropped_on_fourth)
    pauses: list[float] = []
    actions.submit(ctx, actions.new_spec(chunked_db, ("copy_chunked",), profile="excel-ru"))
    claimed = ctx.store.claim_next("test")
    assert claimed is not None
    ended = run_job(ctx.store, ctx.storage, claimed, ctx.paths.data_dir, sleep=pauses.append)

    assert ended.state is JobState.READY, ended.error_code
    assert len(pauses) == 1
    # Chunks 1-3 ended at keys 2000, 4000 and 6000; the retry starts after the third.
    assert statements[:4] == [[2000], [2000, 4000], [4000, 6000], [6000, 8000]]
    assert statements[4] == [6000, 8000]
    assert ended.rows_done == CHUNKED_ROWS
    assert ctx.storage.artifact_path(ended.owner, ended.id, ended.file_name).read_bytes() == general
    assert ended.sha256 == hashlib.sha256(general).hexdigest()


def test_cancel_during_copy(ctx: Context, chunked_db: str, small_chunks: None, monkeypatch: pytest.MonkeyPatch) -> None:
    job = actions.submit(ctx, actions.new_spec(chunked_db, ("copy_chunked",), profile="utf8"))
    original = pg_copy._write_rows
    writes: list[int] = []

    def cancel_on_third_write(*args: Any) -> None:
        writes.append(1)
        if len(writes) == 3:
            actions.cancel(ctx, job.id)
        original(*args)

    monkeypatch.setattr(pg_copy, "_write_rows", cancel_on_third_write)
    # Reports are due every 0.1 s, so this export reports after each write of 1,000 rows.
    monkeypatch.setattr(runner, "PROGRESS_INTERVAL_S", 0.0)
    claimed = ctx.store.claim_next("test")
    assert claimed is not None
    ended = run_job(ctx.store, ctx.storage, claimed, ctx.paths.data_dir)

    assert ended.state is JobState.CANCELLED
    assert len(writes) == 3
    assert not ctx.storage.artifact_path(ended.owner, ended.id, ended.file_name).parent.exists()
    # The connection was closed with the COPY still open; the server is still usable.
    engine = sa.create_engine(chunked_db)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM copy_chunked").scalar() == CHUNKED_ROWS
    engine.dispose()


def test_progress_reported_during_chunk(ctx: Context, chunked_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """One COPY chunk reports rows with every write, not only at its end."""
    monkeypatch.setattr(pg_copy, "FIRST_CHUNK_ROWS", CHUNKED_ROWS)
    reported: list[int] = []
    original = ctx.store.report_progress

    def recorded(job_id: str, rows_done: int, *args: Any, **kwargs: Any) -> bool:
        reported.append(rows_done)
        return original(job_id, rows_done, *args, **kwargs)

    monkeypatch.setattr(ctx.store, "report_progress", recorded)
    monkeypatch.setattr(runner, "PROGRESS_INTERVAL_S", 0.0)
    _, ended = export_bytes(ctx, chunked_db, "copy_chunked", "utf8", {}, fast=True)

    assert ended.rows_done == CHUNKED_ROWS
    assert [rows for rows in reported if 0 < rows < CHUNKED_ROWS][:3] == [1000, 2000, 3000]


# One million pgbench rows --------------------------------------------------------------------

PGBENCH_ROWS = 1_000_000


@pytest.fixture(scope="module")
def pgbench_db(postgres: PostgresServer) -> Iterator[str]:
    pgbench = find_bin("pgbench")
    if pgbench is None:
        pytest.skip("pgbench not found; it comes with Debian's postgresql-contrib (part of postgresql)")
    environment = {**os.environ, "PGPASSWORD": postgres.password}
    command = [pgbench, "-i", "-q", "-s", "10", "-h", postgres.host, "-p", str(postgres.port), "-U", postgres.user, postgres.database]
    subprocess.run(command, env=environment, check=True, capture_output=True, timeout=120)
    yield postgres.url()
    engine = sa.create_engine(postgres.url())
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE IF EXISTS pgbench_accounts, pgbench_branches, pgbench_history, pgbench_tellers")
    engine.dispose()


def reference_copy_sha256(url: str) -> str:
    """Hash the header plus a plain `COPY (… ORDER BY aid) TO STDOUT` of pgbench_accounts."""
    import psycopg

    parts = sa.engine.make_url(url)
    digest = hashlib.sha256(b"aid,bid,abalance,filler\n")
    statement = "COPY (SELECT * FROM pgbench_accounts ORDER BY aid) TO STDOUT WITH (FORMAT csv)"
    with (
        psycopg.connect(
            host=parts.host, port=parts.port, user=parts.username, password=parts.password, dbname=parts.database
        ) as connection,
        connection.cursor() as cursor,
        cursor.copy(statement) as copy,
    ):
        while data := copy.read():
            digest.update(data)
    return digest.hexdigest()


def test_pgbench_million_rows(ctx: Context, pgbench_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    copies = CountingCopy(monkeypatch)
    started = time.monotonic()
    _, ended = export_bytes(ctx, pgbench_db, "pgbench_accounts", "utf8", {}, fast=True)
    seconds = time.monotonic() - started
    print(f"pgbench_accounts: {PGBENCH_ROWS} rows in {seconds:.2f} s, {PGBENCH_ROWS / seconds:,.0f} rows/s")

    assert copies.calls == 1
    assert ended.rows_done == PGBENCH_ROWS
    assert ended.sha256 == reference_copy_sha256(pgbench_db)


def test_pgbench_available() -> None:
    """pgbench ships with the postgresql package that scripts/install-system-deps.sh installs."""
    if shutil.which("initdb") is None and find_bin("initdb") is None:
        pytest.skip("PostgreSQL is not installed")
    assert find_bin("pgbench") is not None


def test_general_path_without_standard_strings(ctx: Context, postgres: PostgresServer, proof_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """With standard_conforming_strings off, the backslashes of the rewrites would be escapes."""
    url = server_url(postgres, DATABASE, standard_conforming_strings="off")
    copies = CountingCopy(monkeypatch)
    _, ended = export_bytes(ctx, url, "copy_types", "utf8", {}, fast=True)

    assert copies.calls == 0
    assert ended.rows_done == 14


def test_pgbench_killed_worker_resumes(pgbench_db: str, tmp_path: Path) -> None:
    """SIGKILL the worker of a CLI export after its first checkpoints; the CLI resumes the job."""
    data_dir = tmp_path / "data"
    environment = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    arguments = ["--source", pgbench_db, "--table", "pgbench_accounts", "--profile", "utf8", "--wait", "--json"]
    app = subprocess.Popen(
        [sys.executable, "-m", "exportdesk.cli", "--data-dir", str(data_dir), "export", *arguments],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    ctx = Context(data_dir)
    try:
        checkpointed: list[Job] = []

        def rows_checkpointed() -> bool:
            jobs = ctx.store.list(ctx.owner)
            if jobs and jobs[0].checkpoint is not None and jobs[0].lease_pid is not None:
                checkpointed.append(jobs[0])
                return True
            assert app.poll() is None, "the export ended before its first checkpoint"
            return False

        wait_until(rows_checkpointed, timeout=60, description="the first checkpoint")
        job = checkpointed[-1]
        assert kill_worker(job.lease_pid or 0, job.id)
        stdout, stderr = app.communicate(timeout=120)
        ended = ctx.store.get(ctx.owner, job.id)
        log_text = "".join(path.read_text() for path in ctx.paths.logs.glob("*.log"))
    finally:
        kill_process(app)
        ctx.close()

    assert app.returncode == 0, stderr
    assert json.loads(stdout)["state"] == "ready"
    assert ended.rows_done == PGBENCH_ROWS
    assert ended.attempts == 2
    assert ended.sha256 == reference_copy_sha256(pgbench_db)
    assert f"Job {job.id}: resuming after" in log_text
    assert log_text.count(f"Job {job.id}: table pgbench_accounts: COPY fast path") == 2
    assert str(sa.engine.make_url(pgbench_db).password) not in log_text
