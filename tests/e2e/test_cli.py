"""The CLI contract, run as a real process against the real demo database."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from exportdesk.sources.demo import demo_database_path


def run_cli(
    data_dir: Path, *args: str, check: bool = False, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, EXPORTDESK_DATA_DIR=str(data_dir), **(extra_env or {}))
    result = subprocess.run(
        [sys.executable, "-m", "exportdesk.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"exit {result.returncode}: {result.stderr}")
    return result


def as_csv_field(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


@pytest.fixture(scope="module")
def flights_export(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], Path]:
    data_dir = tmp_path_factory.mktemp("cli") / "data"
    result = run_cli(
        data_dir, "export", "--source", "demo", "--table", "flights", "--profile", "utf8", "--wait", "--json", check=True
    )
    job = json.loads(result.stdout)
    target = data_dir.parent / "flights.csv"
    run_cli(data_dir, "download", job["id"], "--to", str(target), check=True)
    return data_dir, job, target


def test_flights_export_equals_source_row_for_row(flights_export: tuple[Path, dict[str, Any], Path]) -> None:
    data_dir, job, target = flights_export
    assert job["state"] == "ready"
    assert job["rows"] == 336_776

    source = sqlite3.connect(demo_database_path(data_dir))
    cursor = source.execute("SELECT * FROM flights ORDER BY rowid")
    header = [column[0] for column in cursor.description]
    with target.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        assert next(reader) == header
        count = 0
        for count, (record, row) in enumerate(zip(reader, cursor, strict=True), start=1):
            assert record == [as_csv_field(value) for value in row], f"data row {count} differs"
    source.close()
    assert count == 336_776


def test_download_matches_recorded_checksum(flights_export: tuple[Path, dict[str, Any], Path]) -> None:
    _, job, target = flights_export
    assert hashlib.sha256(target.read_bytes()).hexdigest() == job["sha256"]
    assert target.stat().st_size == job["bytes"]


def test_json_fields_present(flights_export: tuple[Path, dict[str, Any], Path]) -> None:
    data_dir, job, _ = flights_export
    listed = [json.loads(line) for line in run_cli(data_dir, "list", "--json", check=True).stdout.splitlines()]
    assert [entry["id"] for entry in listed] == [job["id"]]
    for key in ("id", "state", "rows", "bytes", "sha256", "created_at", "finished_at", "expires_at", "message"):
        assert key in listed[0]


def test_queue_then_wait_excel_ru(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    queued = run_cli(data_dir, "export", "--source", "demo", "--table", "airlines", "--name", "Авиакомпании", check=True)
    job_id = queued.stdout.strip()
    status = json.loads(run_cli(data_dir, "status", job_id, "--json", check=True).stdout)
    assert status["state"] in ("queued", "running", "ready")

    waited = json.loads(run_cli(data_dir, "wait", job_id, "--json", check=True).stdout)
    assert waited["state"] == "ready"
    assert waited["rows"] == 16
    target = tmp_path / "out"
    target.mkdir()
    run_cli(data_dir, "download", job_id, "--to", str(target), check=True)
    data = (target / "Авиакомпании.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfcarrier;name\r\n")


def test_exit_codes(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    missing = "00000000-0000-4000-8000-000000000000"
    assert run_cli(data_dir, "status", missing).returncode == 3
    assert run_cli(data_dir, "download", missing, "--to", str(tmp_path)).returncode == 3
    assert run_cli(data_dir, "export", "--source", "demo").returncode == 2
    assert run_cli(data_dir, "export", "--source", "demo", "--table", "x", "--retention", "soon").returncode == 2

    failed = run_cli(data_dir, "export", "--source", "demo", "--table", "no_such_table", "--wait", "--json")
    assert failed.returncode == 1
    job = json.loads(failed.stdout)
    assert job["state"] == "failed"
    assert job["message"]
    assert "no such table" not in job["message"].lower()


def test_expired_download_exit_code(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    job = json.loads(
        run_cli(data_dir, "export", "--source", "demo", "--table", "airlines", "--retention", "60s", "--wait", "--json", check=True).stdout
    )
    # Move expires_at into the past instead of waiting a minute.
    database = sqlite3.connect(data_dir / "jobs.sqlite3")
    database.execute("UPDATE jobs SET expires_at = '2000-01-01 00:00:00.000000' WHERE id = ?", (job["id"],))
    database.commit()
    database.close()
    result = run_cli(data_dir, "download", job["id"], "--to", str(tmp_path / "late.csv"))
    assert result.returncode == 4
    assert not (tmp_path / "late.csv").exists()

    run_cli(data_dir, "sweep", check=True)
    swept = run_cli(data_dir, "status", job["id"], "--json")
    assert swept.returncode == 4
    assert json.loads(swept.stdout)["state"] == "expired"
    assert list((data_dir / "exports").glob(f"*/{job['id']}")) == []


def test_other_account_gets_not_found(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    job = json.loads(
        run_cli(data_dir, "--account", "a", "export", "--source", "demo", "--table", "airlines", "--wait", "--json", check=True).stdout
    )
    target = tmp_path / "stolen.csv"
    for command in (["status", job["id"]], ["download", job["id"], "--to", str(target)], ["cancel", job["id"]], ["remove", job["id"]], ["wait", job["id"]]):
        other = run_cli(data_dir, "--account", "b", *command)
        assert other.returncode == 3, command
        assert other.stderr.strip() == f"Job {job['id']} not found", command
    assert not target.exists()
    assert run_cli(data_dir, "--account", "b", "list", "--json", check=True).stdout == ""
    assert json.loads(run_cli(data_dir, "--account", "a", "status", job["id"], "--json", check=True).stdout)["state"] == "ready"


def test_export_without_wait_runs_in_background(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    job_id = run_cli(data_dir, "export", "--source", "demo", "--table", "airlines", check=True).stdout.strip()
    deadline = time.monotonic() + 120
    while json.loads(run_cli(data_dir, "status", job_id, "--json", check=True).stdout)["state"] != "ready":
        assert time.monotonic() < deadline, "the background engine did not finish the job"
        time.sleep(0.1)


def test_status_exit_codes_follow_contract(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    # Without --wait a missing table is rejected before queueing, so the failed job comes from --wait.
    failed = run_cli(data_dir, "export", "--source", "demo", "--table", "no_such_table", "--wait", "--json")
    assert failed.returncode == 1
    job_id = json.loads(failed.stdout)["id"]
    assert run_cli(data_dir, "wait", job_id).returncode == 1
    assert run_cli(data_dir, "status", job_id).returncode == 1


def test_download_rejects_bad_destinations(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    job = json.loads(run_cli(data_dir, "export", "--source", "demo", "--table", "airlines", "--wait", "--json", check=True).stdout)
    existing = tmp_path / "file.txt"
    existing.write_text("keep me")
    slash = run_cli(data_dir, "download", job["id"], "--to", f"{existing}/")
    assert slash.returncode == 2
    assert existing.read_text() == "keep me"
    missing = run_cli(data_dir, "download", job["id"], "--to", str(tmp_path / "no" / "such" / "x.csv"))
    assert missing.returncode == 2
    assert "does not exist" in missing.stderr
    assert "Traceback" not in slash.stderr + missing.stderr


def test_usage_errors_without_traceback(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    cases = [
        ["export", "--source", "demo", "--table", "t", "--retention", "99999999999999999999d"],
        ["export", "--source", "mysql://u@127.0.0.1/db", "--table", "t"],
        ["export", "--source", "foo://bar", "--table", "t"],
    ]
    for arguments in cases:
        result = run_cli(data_dir, *arguments)
        assert result.returncode == 2, arguments
        assert "Traceback" not in result.stderr, arguments
    not_a_folder = tmp_path / "plain-file"
    not_a_folder.write_text("")
    result = subprocess.run(
        [sys.executable, "-m", "exportdesk.cli", "--data-dir", str(not_a_folder), "list"], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("delimiter", ["-", ".", "1"])
def test_ambiguous_delimiter_exit_code(tmp_path: Path, delimiter: str) -> None:
    result = run_cli(tmp_path / "data", "export", "--source", "demo", "--table", "airlines", "--profile", "custom", "--delimiter", delimiter)

    assert result.returncode == 2
    assert f"Invalid delimiter {delimiter!r}" in result.stderr
    assert ", ; | or Tab" in result.stderr
    assert "Traceback" not in result.stderr


def test_python_m_exportdesk_runs_cli(tmp_path: Path) -> None:
    env = dict(os.environ, EXPORTDESK_DATA_DIR=str(tmp_path / "data"))
    listed = subprocess.run([sys.executable, "-m", "exportdesk", "list"], env=env, capture_output=True, text=True, timeout=60)
    unknown = subprocess.run(
        [sys.executable, "-m", "exportdesk", "status", "no-such-job"], env=env, capture_output=True, text=True, timeout=60
    )

    assert listed.returncode == 0, listed.stderr
    assert "Traceback" not in listed.stderr
    assert unknown.returncode == run_cli(tmp_path / "data", "status", "no-such-job").returncode
    assert "no-such-job" in unknown.stderr


def test_long_cyrillic_name_exports_and_downloads(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    job = json.loads(
        run_cli(data_dir, "export", "--source", "demo", "--table", "airlines", "--name", "я" * 300, "--wait", "--json", check=True).stdout
    )
    assert job["state"] == "ready"
    assert len(job["file_name"].encode()) <= 255
    target = tmp_path / "out"
    target.mkdir()
    run_cli(data_dir, "download", job["id"], "--to", str(target), check=True)
    assert [p.name for p in target.iterdir()] == [job["file_name"]]


def test_flights_jsonl_equals_source(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    job = json.loads(
        run_cli(data_dir, "export", "--source", "demo", "--table", "flights", "--format", "jsonl", "--wait", "--json", check=True).stdout
    )
    assert job["file_name"] == "flights.jsonl"
    target = tmp_path / "flights.jsonl"
    run_cli(data_dir, "download", job["id"], "--to", str(target), check=True)
    source = sqlite3.connect(demo_database_path(data_dir))
    cursor = source.execute("SELECT * FROM flights ORDER BY rowid")
    header = [column[0] for column in cursor.description]
    count = 0
    with target.open(encoding="utf-8") as handle:
        for count, (line, row) in enumerate(zip(handle, cursor, strict=True), start=1):
            assert json.loads(line) == dict(zip(header, row)), f"row {count} differs"
    source.close()
    assert count == 336_776


@pytest.mark.parametrize(
    ("locale_name", "expected"),
    # The state column is as wide as the longest state label in the language.
    [
        ("ru_RU.UTF-8", "Готово".ljust(19) + " " + "336\u00a0776 строк".rjust(16)),
        ("en_US.UTF-8", "Ready".ljust(24) + " " + "336,776 rows".rjust(16)),
    ],
)
def test_list_shows_counts_in_language(
    flights_export: tuple[Path, dict[str, Any], Path], locale_name: str, expected: str
) -> None:
    data_dir, job, _target = flights_export
    # The "system" language setting follows LC_ALL.
    result = run_cli(data_dir, "list", check=True, extra_env={"LC_ALL": locale_name})
    line = next(line for line in result.stdout.splitlines() if line.startswith(job["id"]))
    assert expected in line
