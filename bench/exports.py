"""Export runs: ExportDesk's worker process and the reference tools, each timed the same way.

`run_worker_export` goes through the path a user's export takes: the job is queued with
`actions.submit`, claimed from the job table, and run by `python -m exportdesk.engine.worker`,
the command the window's and the CLI's dispatchers start. The time covers the worker's
start-up, the row count, the export, the fsync, the checksum and the move to ready. The
worker's peak RSS is VmHWM from /proc, read while it runs: `ru_maxrss` of a child on Linux
keeps the peak of the process it was forked from, so here it reported the benchmark's own size.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from exportdesk.context import Context
from exportdesk.engine import actions
from exportdesk.engine.supervisor import _secrets_for, _worker_env, worker_command
from exportdesk.jobs import Job, JobSpec, JobState

BENCH_INSTANCE = "bench"
# How often the worker's peak RSS is read while it runs. The kernel's high-water mark only
# grows, so a read every 20 ms misses at most the growth of the last 20 ms.
RSS_POLL_S = 0.02


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_rss_mb: float | None = None


def run_worker_export(ctx: Context, spec: JobSpec, expected_rows: int) -> Run:
    """Run one export in a worker process, check that it ended ready with every row, and delete it."""
    job = actions.submit(ctx, spec)
    claimed = ctx.store.claim_next(BENCH_INSTANCE)
    if claimed is None or claimed.id != job.id:
        raise RuntimeError(f"Job {job.id}: another queued job was claimed first")
    started = time.perf_counter()
    process = subprocess.Popen(
        worker_command(ctx.paths.data_dir, claimed.id),
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        env=_worker_env(),
    )
    assert process.stdin is not None
    process.stdin.write(_secrets_for(claimed))
    process.stdin.close()
    ctx.store.set_lease_pid(claimed.id, process.pid)
    peak_kib = 0
    while True:
        pid, status = os.waitpid(process.pid, os.WNOHANG)
        if pid:
            break
        peak_kib = max(peak_kib, _high_water_kib(process.pid))
        time.sleep(RSS_POLL_S)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    ended = ctx.store.get(ctx.owner, job.id)
    _check_ended(ended, expected_rows)
    actions.remove(ctx, job.id)
    return Run(elapsed, peak_kib / 1024)


def _high_water_kib(pid: int) -> int:
    """Return VmHWM, the peak RSS of the process in KiB, or 0 once it has exited."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def _check_ended(job: Job, expected_rows: int) -> None:
    if job.state is not JobState.READY:
        raise RuntimeError(f"Job {job.id} ended {job.state.value} ({job.error_code}); see the worker log in the data folder")
    if job.rows_done != expected_rows:
        raise RuntimeError(f"Job {job.id} wrote {job.rows_done} rows, expected {expected_rows}")


def run_sqlite_shell(database: Path, table: str, target: Path) -> Run:
    """Time `sqlite3 -csv -header DB "SELECT * FROM table" > target`."""
    started = time.perf_counter()
    with target.open("wb") as out:
        subprocess.run(["sqlite3", "-csv", "-header", str(database), f"SELECT * FROM {table}"], stdout=out, check=True)
    elapsed = time.perf_counter() - started
    target.unlink()
    return Run(elapsed)


def run_pandas_csv(database: Path, table: str, target: Path) -> Run:
    """Time pandas `read_sql` of the whole table followed by `to_csv`."""
    import pandas

    started = time.perf_counter()
    connection = sqlite3.connect(database)
    try:
        frame = pandas.read_sql(f"SELECT * FROM {table}", connection)
    finally:
        connection.close()
    frame.to_csv(target, index=False)
    elapsed = time.perf_counter() - started
    target.unlink()
    return Run(elapsed)


def run_openpyxl(database: Path, table: str, target: Path) -> Run:
    """Time openpyxl's write-only workbook fed row by row from an `sqlite3` cursor."""
    from openpyxl import Workbook

    started = time.perf_counter()
    connection = sqlite3.connect(database)
    try:
        cursor = connection.execute(f"SELECT * FROM {table}")
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(table)
        sheet.append([column[0] for column in cursor.description])
        for row in cursor:
            sheet.append(row)
        workbook.save(target)
    finally:
        connection.close()
    elapsed = time.perf_counter() - started
    target.unlink()
    return Run(elapsed)


def run_pg_copy(conninfo: dict[str, object], table: str, target: Path) -> Run:
    """Time psycopg's `COPY (SELECT * FROM table) TO STDOUT WITH CSV HEADER` into a file."""
    import psycopg

    started = time.perf_counter()
    with psycopg.connect(**conninfo) as connection, connection.cursor() as cursor, target.open("wb") as out:  # type: ignore[arg-type]
        with cursor.copy(f"COPY (SELECT * FROM {table}) TO STDOUT WITH (FORMAT csv, HEADER)") as copy:
            for chunk in copy:
                out.write(chunk)
    elapsed = time.perf_counter() - started
    target.unlink()
    return Run(elapsed)
