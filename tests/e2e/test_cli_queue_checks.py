"""`export` without `--wait` rejects a job that cannot work, and only warns about a locked database."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from exportdesk import cli
from exportdesk.context import Context
from exportdesk.i18n import set_language


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for variable, value in {"LC_ALL": "en_US.UTF-8", "LC_MESSAGES": "", "LANG": "en_US.UTF-8", "LANGUAGE": ""}.items():
        monkeypatch.setenv(variable, value)
    # A queued job would start `exportdesk run` in the background, outliving the test.
    monkeypatch.setattr(cli, "start_background_engine", lambda ctx: None)
    yield
    set_language("en")


def make_source(path: Path) -> str:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL)")
    connection.execute("INSERT INTO orders (total) VALUES (9.5)")
    connection.commit()
    connection.close()
    # A short busy timeout, so a locked file is reported at once.
    return f"sqlite:///{path}?timeout=0.05"


def queued_jobs(data_dir: Path) -> list[str]:
    ctx = Context(data_dir)
    try:
        return [job.id for job in ctx.store.list(ctx.owner)]
    finally:
        ctx.close()


def export(data_dir: Path, *args: str) -> int:
    return cli.main(["--data-dir", str(data_dir), "export", *args])


def test_missing_table_rejected(english: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = make_source(tmp_path / "shop.sqlite3")
    data_dir = tmp_path / "data"

    code = export(data_dir, "--source", url, "--table", "nosuch")

    captured = capsys.readouterr()
    assert code == cli.EXIT_JOB_FAILED
    assert "The table «nosuch» was not found in the source." in captured.err
    assert captured.out == ""
    assert queued_jobs(data_dir) == []


def test_missing_sqlite_file_rejected(english: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "absent.sqlite3"
    data_dir = tmp_path / "data"

    code = export(data_dir, "--source", f"sqlite:///{missing}", "--table", "orders")

    captured = capsys.readouterr()
    assert code == cli.EXIT_JOB_FAILED
    assert f"Could not open the data source {missing}." in captured.err
    assert queued_jobs(data_dir) == []
    assert not missing.exists()


def test_rejected_query_shows_reason(english: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = make_source(tmp_path / "shop.sqlite3")
    data_dir = tmp_path / "data"

    code = export(data_dir, "--source", url, "--query", "SELEC 1")

    captured = capsys.readouterr()
    assert code == cli.EXIT_JOB_FAILED
    assert 'The database rejected the query: near "SELEC": syntax error. Fix the query' in captured.err
    assert "Traceback" not in captured.err
    assert queued_jobs(data_dir) == []


def test_locked_database_queues_with_warning(english: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = make_source(tmp_path / "shop.sqlite3")
    data_dir = tmp_path / "data"
    blocker = sqlite3.connect(tmp_path / "shop.sqlite3", isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        code = export(data_dir, "--source", url, "--table", "orders")
    finally:
        blocker.execute("COMMIT")
        blocker.close()

    captured = capsys.readouterr()
    assert code == cli.EXIT_OK
    assert "The database is locked by another program." in captured.err
    assert "The job is queued and will try again when it runs." in captured.err
    assert queued_jobs(data_dir) == [captured.out.strip()]
