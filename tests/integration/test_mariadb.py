"""MySQL/MariaDB sources through PyMySQL, against a real throwaway MariaDB server."""

from __future__ import annotations

import base64
import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from exportdesk.context import Context
from exportdesk.engine import actions
from exportdesk.engine.runner import run_job
from exportdesk.jobs import ErrorCode, Job, JobState
from exportdesk.sources.sql import SqlSource
from tests.mariadb import MariaDbServer

FAIL_BACKEND = "keyring.backends.fail.Keyring"
BLOB = bytes(range(256))
STREAMED_ROWS = 200_000

VALUES_SQL = [
    """
    CREATE TABLE maria_values (
        id INT PRIMARY KEY, amount DECIMAL(30, 10), big BIGINT, at DATETIME(6), day DATE,
        note TEXT, raw BLOB, ratio DOUBLE
    ) CHARACTER SET utf8mb4
    """,
    """
    INSERT INTO maria_values VALUES
     (1, 12345678901234567890.0123456789, 9223372036854775807, '2013-01-01 10:00:00.250000',
      '2013-01-01', 'Привет, "мир"\nвторая строка', %(blob)s, 10.357019999999999),
     (2, -0.0000000001, -9223372036854775808, '1000-01-01 00:00:00', '9999-12-31', '', '', 5e-324),
     (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
    """,
]


def writer_engine(server: MariaDbServer) -> sa.Engine:
    # PyMySQL sends a text password as Latin-1; the test password has Cyrillic letters.
    return sa.create_engine(server.url(with_password=False), connect_args={"password": server.password.encode("utf-8")})


@pytest.fixture(scope="module")
def maria_values(mariadb: MariaDbServer) -> MariaDbServer:
    engine = writer_engine(mariadb)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE IF EXISTS maria_values")
        connection.exec_driver_sql(VALUES_SQL[0])
        connection.exec_driver_sql(VALUES_SQL[1], {"blob": BLOB})
        connection.exec_driver_sql("DROP TABLE IF EXISTS maria_big")
        connection.exec_driver_sql("CREATE TABLE maria_big (id INT PRIMARY KEY, name VARCHAR(40)) CHARACTER SET utf8mb4")
        connection.exec_driver_sql(
            f"INSERT INTO maria_big SELECT seq, CONCAT('строка ', seq) FROM seq_1_to_{STREAMED_ROWS}"
        )
    engine.dispose()
    return mariadb


def run_export(ctx: Context, url: str, table: str) -> Job:
    actions.submit(ctx, actions.new_spec(url, (table,), profile="utf8"))
    claimed = ctx.store.claim_next("test")
    assert claimed is not None
    return run_job(ctx.store, ctx.storage, claimed, ctx.paths.data_dir)


def read_csv(ctx: Context, job: Job) -> list[dict[str, str]]:
    text = ctx.storage.artifact_path(job.owner, job.id, job.file_name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_mariadb_values_exact(ctx: Context, maria_values: MariaDbServer) -> None:
    ended = run_export(ctx, maria_values.url(), "maria_values")
    assert ended.state is JobState.READY, ended.error_code
    first, second, third = read_csv(ctx, ended)

    assert first["amount"] == "12345678901234567890.0123456789"
    assert first["big"] == "9223372036854775807"
    assert first["at"] == "2013-01-01T10:00:00.250000"
    assert first["day"] == "2013-01-01"
    assert first["note"] == 'Привет, "мир"\nвторая строка'
    assert base64.b64decode(first["raw"]) == BLOB
    assert first["ratio"] == "10.357019999999999"

    assert second["amount"] == "-0.0000000001"
    assert second["big"] == "-9223372036854775808"
    assert second["at"] == "1000-01-01T00:00:00"
    assert second["day"] == "9999-12-31"
    assert second["ratio"] == "5e-324"

    assert list(third.values()) == ["3", "", "", "", "", "", "", ""]
    raw = ctx.storage.artifact_path(ended.owner, ended.id, ended.file_name).read_bytes()
    # Empty text and empty binary are quoted, so they stay apart from NULL.
    assert b'\n2,-0.0000000001,-9223372036854775808,1000-01-01T00:00:00,9999-12-31,"","",5e-324\n' in raw
    assert raw.endswith(b"\n3,,,,,,,\n")


def test_mariadb_read_streams(maria_values: MariaDbServer) -> None:
    """After the first batch the server is still sending: the rows come through a server-side cursor."""
    source = SqlSource(maria_values.url())
    watcher = writer_engine(maria_values)
    try:
        with source.begin_snapshot():
            reader = source.open_table("maria_big")
            batches = reader.keyed_batches(1000)
            rows, key = next(batches)
            with watcher.connect() as connection:
                running = connection.exec_driver_sql(
                    "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT%%maria_big%%' AND ID <> CONNECTION_ID()"
                ).scalar()
            remaining = sum(len(batch) for batch, _ in batches)
    finally:
        source.close()
        watcher.dispose()

    assert len(rows) == 1000
    assert key == [1000]
    assert rows[0] == (1, "строка 1")
    assert running == 1
    assert remaining == STREAMED_ROWS - 1000


def test_mariadb_wrong_password(ctx: Context, maria_values: MariaDbServer) -> None:
    url = maria_values.url().replace(maria_values.password, "wrong-password")
    ended = run_export(ctx, url, "maria_values")

    assert ended.state is JobState.FAILED
    assert ended.error_code is ErrorCode.CREDENTIALS_REJECTED


def test_mariadb_unreachable(ctx: Context, maria_values: MariaDbServer) -> None:
    from tests.postgres import _free_port

    url = maria_values.url().replace(f":{maria_values.port}/", f":{_free_port()}/")
    ended = run_export(ctx, url, "maria_values")

    assert ended.state is JobState.FAILED
    assert ended.error_code is ErrorCode.SOURCE_UNREACHABLE


def test_mariadb_missing_table(ctx: Context, maria_values: MariaDbServer) -> None:
    ended = run_export(ctx, maria_values.url(), "no_such_table")

    assert ended.state is JobState.FAILED
    assert ended.error_code is ErrorCode.TABLE_NOT_FOUND


def test_mariadb_saved_source_cli(maria_values: MariaDbServer, tmp_path: Path) -> None:
    env = dict(os.environ, PYTHON_KEYRING_BACKEND=FAIL_BACKEND)
    data_dir = tmp_path / "data"

    def run_cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "exportdesk.cli", "--data-dir", str(data_dir), *args]
        return subprocess.run(command, env=env, input=stdin, capture_output=True, text=True, timeout=120, check=False)

    added = run_cli("source", "add", "maria", "--url", maria_values.url())
    listed = run_cli("source", "list", "--json")
    exported = run_cli(
        "export", "--source", "maria", "--table", "maria_values", "--profile", "utf8",
        "--ask-password", "--wait", "--json", stdin=maria_values.password + "\n",
    )

    assert added.returncode == 0, added.stderr
    assert json.loads(listed.stdout)["url"] == maria_values.url(with_password=False)
    assert exported.returncode == 0, exported.stderr
    assert json.loads(exported.stdout)["rows"] == 3
    for output in (added.stdout, added.stderr, listed.stdout, exported.stdout, exported.stderr):
        assert maria_values.password not in output
