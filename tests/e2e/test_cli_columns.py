"""`export --columns` writes the chosen columns in the given order and rejects unknown ones."""

from __future__ import annotations

import json
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
    connection.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT, total REAL)")
    connection.executemany("INSERT INTO orders VALUES (?, ?, ?)", [(2, "Bob", 1.5), (1, "Ann", 9.25)])
    connection.commit()
    connection.close()
    return f"sqlite:///{path}"


def queued_jobs(data_dir: Path) -> list[str]:
    ctx = Context(data_dir)
    try:
        return [job.id for job in ctx.store.list(ctx.owner)]
    finally:
        ctx.close()


def run(data_dir: Path, *args: str) -> int:
    return cli.main(["--data-dir", str(data_dir), *args])


def test_columns_exported_in_order(english: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = make_source(tmp_path / "shop.sqlite3")
    data_dir = tmp_path / "data"

    code = run(
        data_dir, "export", "--source", url, "--table", "orders", "--columns", "total, customer",
        "--profile", "utf8", "--wait", "--json",
    )
    job = json.loads(capsys.readouterr().out)
    assert code == cli.EXIT_OK
    assert job["state"] == "ready"
    assert job["columns"] == ["total", "customer"]

    target = tmp_path / "orders.csv"
    assert run(data_dir, "download", job["id"], "--to", str(target)) == cli.EXIT_OK
    assert target.read_text(encoding="utf-8").splitlines() == ["total,customer", "9.25,Ann", "1.5,Bob"]

    capsys.readouterr()
    assert run(data_dir, "status", job["id"]) == cli.EXIT_OK
    assert "    Columns: total, customer" in capsys.readouterr().out.splitlines()


def test_unknown_column_is_usage_error(english: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = make_source(tmp_path / "shop.sqlite3")
    data_dir = tmp_path / "data"

    with pytest.raises(SystemExit) as exited:
        run(data_dir, "export", "--source", url, "--table", "orders", "--columns", "id,price")

    error = capsys.readouterr().err
    assert exited.value.code == 2
    assert "--columns: Column 'price' not found in table 'orders': use one of id, customer, total" in error
    assert queued_jobs(data_dir) == []


def test_columns_need_one_table(english: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = make_source(tmp_path / "shop.sqlite3")
    data_dir = tmp_path / "data"

    with pytest.raises(SystemExit) as exited:
        run(data_dir, "export", "--source", url, "--table", "orders", "orders", "--columns", "id")

    assert exited.value.code == 2
    assert "Columns can be chosen for a single table only" in capsys.readouterr().err
