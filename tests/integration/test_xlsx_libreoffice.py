"""XLSX files of the demo tables open in LibreOffice with the same values as the source."""

from __future__ import annotations

import csv
import math
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from exportdesk.context import Context
from exportdesk.engine import actions
from exportdesk.engine.runner import run_job
from exportdesk.jobs import JobState
from exportdesk.sources.demo import demo_database_path, ensure_demo_database

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
# flights (336,776 rows) is left out to keep the run short; docs/formats.md records a full check.
TABLES = ("airlines", "airports", "planes", "weather")


def same_value(cell: str, value: object) -> bool:
    if value is None:
        return cell == ""
    if isinstance(value, float):
        return math.isclose(float(cell), value, rel_tol=1e-14, abs_tol=1e-300)
    return cell == str(value)


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (Debian libreoffice-calc-nogui) is not installed")
@pytest.mark.parametrize("table", TABLES)
def test_demo_table_opens_in_libreoffice(ctx: Context, tmp_path: Path, table: str) -> None:
    ensure_demo_database(ctx.paths.data_dir)
    job = actions.submit(ctx, actions.new_spec("demo", (table,), format_name="xlsx"))
    claimed = ctx.store.claim_next("test")
    assert claimed is not None
    ended = run_job(ctx.store, ctx.storage, claimed, ctx.paths.data_dir)
    assert ended.state is JobState.READY
    xlsx = tmp_path / f"{table}.xlsx"
    actions.download(ctx, job.id, xlsx)

    profile = tmp_path / "lo-profile"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76",
         "--outdir", str(tmp_path), str(xlsx)],
        check=True, capture_output=True, timeout=300,
    )
    with (tmp_path / f"{table}.csv").open(newline="", encoding="utf-8") as handle:
        converted = list(csv.reader(handle))

    source = sqlite3.connect(demo_database_path(ctx.paths.data_dir))
    cursor = source.execute(f'SELECT * FROM "{table}" ORDER BY rowid')
    header = [column[0] for column in cursor.description]
    rows = cursor.fetchall()
    source.close()
    assert converted[0] == header
    assert len(converted) == len(rows) + 1
    for number, (cells, row) in enumerate(zip(converted[1:], rows), start=1):
        for cell, value in zip(cells, row):
            assert same_value(cell, value), f"{table} row {number}: {cell!r} != {value!r}"
