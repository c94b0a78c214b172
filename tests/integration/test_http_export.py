"""Export from an HTTP JSON API through the CLI: saved source, token handling, resume."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.http_api import ApiServer, running_api

TOKEN = "tok-7f3a9c-secret-42"
FAIL_BACKEND = "keyring.backends.fail.Keyring"


@pytest.fixture
def api() -> Iterator[ApiServer]:
    with running_api() as server:
        server.auth = ("bearer", TOKEN)
        yield server


def run_cli(data_dir: Path, *args: str, stdin: str = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = dict(env or os.environ, PYTHON_KEYRING_BACKEND=FAIL_BACKEND)
    return subprocess.run(
        [sys.executable, "-m", "exportdesk.cli", "--data-dir", str(data_dir), *args],
        input=stdin, env=environment, capture_output=True, text=True, timeout=300,
    )


def add_source(data_dir: Path, api: ApiServer) -> subprocess.CompletedProcess[str]:
    return run_cli(
        data_dir, "source", "add", "shop", "--http", api.base_url, "--endpoint", "orders=/api/next/orders",
        "--auth", "bearer", "--records-path", "data.items", "--next-url-path", "links.next",
        "--total-path", "meta.total", "--page-size", "250", stdin=TOKEN + "\n",
    )


def test_http_source_exports_every_record_once(api: ApiServer, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    added = add_source(data_dir, api)
    assert added.returncode == 0, added.stderr
    assert "token was not saved" in added.stderr

    result = run_cli(
        data_dir, "export", "--source", "shop", "--table", "orders", "--profile", "utf8", "--ask-password", "--wait", "--json",
        stdin=TOKEN + "\n",
    )
    assert result.returncode == 0, result.stderr
    job = json.loads(result.stdout)
    assert job["state"] == "ready"
    assert job["rows"] == 2500
    target = tmp_path / "orders.csv"
    assert run_cli(data_dir, "download", job["id"], "--to", str(target)).returncode == 0
    records = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"), newline="")))
    assert len(records) == 2500
    assert [int(record["id"]) for record in records] == list(range(1, 2501))

    for request in api.requests:
        assert TOKEN not in request.path
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert TOKEN.encode() not in path.read_bytes(), path


def test_http_wrong_token_is_rejected(api: ApiServer, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    add_source(data_dir, api)
    result = run_cli(
        data_dir, "export", "--source", "shop", "--table", "orders", "--ask-password", "--wait", "--json", stdin="wrong\n"
    )
    assert result.returncode == 1
    assert json.loads(result.stdout)["error_code"] == "credentials_rejected"


def test_http_source_rejects_query(api: ApiServer, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    add_source(data_dir, api)
    result = run_cli(data_dir, "export", "--source", "shop", "--query", "SELECT 1")
    assert result.returncode == 2
    assert "endpoints as tables" in result.stderr
