"""Secrets: passwords reach only the keyring or memory, never the job table, logs or output."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.postgres import PostgresServer

FAIL_BACKEND = "keyring.backends.fail.Keyring"


@pytest.fixture(scope="module")
def pg_table(postgres: PostgresServer) -> PostgresServer:
    engine = sa.create_engine(postgres.url())
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE IF EXISTS secrets_t")
        connection.exec_driver_sql("CREATE TABLE secrets_t (id integer PRIMARY KEY, name text)")
        connection.exec_driver_sql("INSERT INTO secrets_t VALUES (1, 'один'), (2, 'два')")
    engine.dispose()
    return postgres


@pytest.fixture(scope="module")
def secret_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A real Secret Service (gnome-keyring) on this test run's D-Bus session bus."""
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS") or shutil.which("gnome-keyring-daemon") is None:
        pytest.skip("needs a D-Bus session bus and gnome-keyring-daemon (scripts/test.sh provides both)")
    home = tmp_path_factory.mktemp("keyring-home")
    env = dict(os.environ, HOME=str(home), XDG_DATA_HOME=str(home / "data"), XDG_RUNTIME_DIR=str(home))
    env.pop("PYTHON_KEYRING_BACKEND", None)
    started = subprocess.run(
        ["gnome-keyring-daemon", "--unlock", "--components=secrets", "--replace"],
        input=b"keyring-unlock-password",
        env=env,
        capture_output=True,
        timeout=30,
    )
    if started.returncode != 0:
        pytest.skip(f"gnome-keyring-daemon failed: {started.stderr.decode().strip()}")
    for line in started.stdout.decode().splitlines():
        name, _, value = line.partition("=")
        if name:
            env[name] = value
    yield env


def run_cli(data_dir: Path, env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "exportdesk.cli", "--data-dir", str(data_dir), *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


def assert_secret_absent(secret: str, data_dir: Path, *outputs: str) -> None:
    for output in outputs:
        assert secret not in output
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), f"secret found in {path}"


def test_no_keyring_without_wait_is_rejected(pg_table: PostgresServer, tmp_path: Path) -> None:
    env = dict(os.environ, PYTHON_KEYRING_BACKEND=FAIL_BACKEND)
    data_dir = tmp_path / "data"
    result = run_cli(data_dir, env, "export", "--source", pg_table.url(), "--table", "secrets_t")
    assert result.returncode == 2
    assert "password store is unavailable" in result.stderr
    assert_secret_absent(pg_table.password, data_dir, result.stdout, result.stderr)
    listed = run_cli(data_dir, env, "list", "--json")
    assert listed.stdout == ""


def test_no_keyring_with_wait_uses_password_once(pg_table: PostgresServer, tmp_path: Path) -> None:
    env = dict(os.environ, PYTHON_KEYRING_BACKEND=FAIL_BACKEND)
    data_dir = tmp_path / "data"
    result = run_cli(
        data_dir, env, "export", "--source", pg_table.url(), "--table", "secrets_t", "--profile", "utf8", "--wait", "--json"
    )
    assert result.returncode == 0, result.stderr
    job = json.loads(result.stdout)
    assert job["state"] == "ready"
    assert job["rows"] == 2
    assert "used for this run only" in result.stderr
    assert_secret_absent(pg_table.password, data_dir, result.stdout, result.stderr)


def test_ask_password_reads_stdin(pg_table: PostgresServer, tmp_path: Path) -> None:
    env = dict(os.environ, PYTHON_KEYRING_BACKEND=FAIL_BACKEND)
    data_dir = tmp_path / "data"
    result = run_cli(
        data_dir, env, "export", "--source", pg_table.url(with_password=False), "--table", "secrets_t",
        "--ask-password", "--wait", "--json", stdin=pg_table.password + "\n",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["state"] == "ready"
    assert_secret_absent(pg_table.password, data_dir, result.stdout, result.stderr)


def test_wrong_password_gives_catalogue_message(pg_table: PostgresServer, tmp_path: Path) -> None:
    env = dict(os.environ, PYTHON_KEYRING_BACKEND=FAIL_BACKEND)
    data_dir = tmp_path / "data"
    wrong = "definitely-wrong-pw"
    url = pg_table.url().replace(pg_table.password, wrong)
    result = run_cli(data_dir, env, "export", "--source", url, "--table", "secrets_t", "--wait", "--json")
    assert result.returncode == 1
    job = json.loads(result.stdout)
    assert job["error_code"] == "credentials_rejected"
    assert_secret_absent(wrong, data_dir, result.stdout, result.stderr)


def test_keyring_keeps_password_between_runs(
    pg_table: PostgresServer, secret_service: dict[str, str], tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    first = run_cli(data_dir, secret_service, "export", "--source", pg_table.url(), "--table", "secrets_t", "--json")
    assert first.returncode == 0, first.stderr
    job_id = json.loads(first.stdout)["id"]

    # A later process, with no password given, finds it in the keyring.
    waited = run_cli(data_dir, secret_service, "wait", job_id, "--json")
    assert waited.returncode == 0, waited.stderr
    assert json.loads(waited.stdout)["state"] == "ready"
    assert_secret_absent(pg_table.password, data_dir, first.stdout, first.stderr, waited.stdout, waited.stderr)


def test_saved_source_keeps_password_in_keyring(
    pg_table: PostgresServer, secret_service: dict[str, str], tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    added = run_cli(data_dir, secret_service, "source", "add", "shop", "--url", pg_table.url())
    assert added.returncode == 0, added.stderr
    tested = run_cli(data_dir, secret_service, "source", "test", "shop")
    assert tested.returncode == 0, tested.stderr
    assert "secrets_t  2 rows" in tested.stdout
    exported = run_cli(data_dir, secret_service, "export", "--source", "shop", "--table", "secrets_t", "--wait", "--json")
    assert exported.returncode == 0, exported.stderr
    assert json.loads(exported.stdout)["rows"] == 2
    listed = run_cli(data_dir, secret_service, "source", "list", "--json")
    assert json.loads(listed.stdout)["url"] == pg_table.url(with_password=False)
    removed = run_cli(data_dir, secret_service, "source", "remove", "shop")
    assert removed.returncode == 0
    outputs = [added.stdout, added.stderr, tested.stdout, exported.stdout, exported.stderr, listed.stdout]
    assert_secret_absent(pg_table.password, data_dir, *outputs)


def test_saved_source_without_keyring_warns(pg_table: PostgresServer, tmp_path: Path) -> None:
    env = dict(os.environ, PYTHON_KEYRING_BACKEND=FAIL_BACKEND)
    data_dir = tmp_path / "data"
    added = run_cli(data_dir, env, "source", "add", "shop", "--url", pg_table.url())
    assert added.returncode == 0
    assert "password was not saved" in added.stderr
    tested = run_cli(data_dir, env, "source", "test", "shop")
    assert tested.returncode == 1
    assert "rejected the user name or password" in tested.stderr
    assert "Traceback" not in tested.stderr
    assert_secret_absent(pg_table.password, data_dir, added.stdout, added.stderr, tested.stdout, tested.stderr)
