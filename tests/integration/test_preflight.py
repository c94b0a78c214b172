"""Pre-flight: row estimate, size estimate, free space and XLSX sheet warnings before queueing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from exportdesk.engine import actions
from exportdesk.engine.preflight import run_preflight


def make_source(path: Path, rows: int) -> str:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)")
    connection.executemany("INSERT INTO t VALUES (?, ?)", [(i, "x" * 100) for i in range(rows)])
    connection.commit()
    connection.close()
    return f"sqlite:///{path}"


def test_estimate_and_space(tmp_path: Path) -> None:
    url = make_source(tmp_path / "s.db", 2000)
    spec = actions.new_spec(url, ("t",), profile="utf8")
    plenty = run_preflight(spec, tmp_path, free_bytes=10**9)
    assert plenty.rows == 2000
    assert plenty.estimated_bytes is not None
    assert 2000 * 100 < plenty.estimated_bytes < 2000 * 120
    assert plenty.enough_space
    assert plenty.warnings == []

    tight = run_preflight(spec, tmp_path, free_bytes=1000)
    assert not tight.enough_space
    assert len(tight.warnings) == 1
    assert tight.warnings[0].startswith("The file will take about ")
    assert tight.warnings[0].endswith(", but the disk has only 1,000 bytes free.")


def test_xlsx_sheet_warning(tmp_path: Path) -> None:
    url = make_source(tmp_path / "s.db", 25)
    spec = actions.new_spec(url, ("t",), format_name="xlsx", options={"xlsx_rows_per_sheet": 10})
    result = run_preflight(spec, tmp_path, free_bytes=10**9)
    assert result.warnings == ["The source has about 25 rows. XLSX will need 3 sheets for them."]


def test_empty_table_warning(tmp_path: Path) -> None:
    url = make_source(tmp_path / "s.db", 0)
    result = run_preflight(actions.new_spec(url, ("t",)), tmp_path, free_bytes=10**9)
    assert result.rows == 0
    assert result.warnings == ["The source has no rows to export."]
