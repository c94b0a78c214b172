"""Export SQLite tables with ExportDesk and with the sqlite3 shell, alternating, and print ratios.

The runs alternate on the same machine, so background load affects them alike. The ExportDesk
side runs the real runner in-process (no worker start-up) for CSV utf8, CSV excel-ru and JSON
Lines; every ratio is ExportDesk's rows per second over the shell's CSV rows per second.

    .venv/bin/python bench/csv_vs_sqlite_shell.py [--rows N] [--rounds N] [--general]

Tables: the demo `flights` table and bench/data.py's synthetic 8-column table of `--rows` rows.
`--general` also times the general path (the SQLite fast path switched off).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The script runs by its path, so the repository folder is added for `bench.data`.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.data import SYNTHETIC_TABLE, build_synthetic  # noqa: E402
from exportdesk.context import Context  # noqa: E402
from exportdesk.engine import actions  # noqa: E402
from exportdesk.engine.runner import run_job  # noqa: E402
from exportdesk.fastpath.sqlite_export import DISABLE_ENV  # noqa: E402
from exportdesk.sources.demo import demo_database_path, ensure_demo_database  # noqa: E402

FLIGHTS_ROWS = 336_776
VARIANTS = (("csv", "utf8"), ("csv", "excel-ru"), ("jsonl", "utf8"))


def time_exportdesk(ctx: Context, source: str, table: str, format_name: str, profile: str, rows: int) -> float:
    job = actions.submit(ctx, actions.new_spec(source, (table,), format_name=format_name, profile=profile))
    claimed = ctx.store.claim_next("bench")
    assert claimed is not None and claimed.id == job.id
    started = time.perf_counter()
    ended = run_job(ctx.store, ctx.storage, claimed, ctx.paths.data_dir)
    elapsed = time.perf_counter() - started
    assert ended.rows_done == rows, ended
    actions.remove(ctx, job.id)
    return elapsed


def time_shell(database: Path, table: str, target: Path) -> float:
    started = time.perf_counter()
    with target.open("wb") as out:
        subprocess.run(["sqlite3", "-csv", "-header", str(database), f"SELECT * FROM {table}"], stdout=out, check=True)
    return time.perf_counter() - started


def measure(ctx: Context, folder: Path, source: str, database: Path, table: str, rows: int, rounds: int, general: bool) -> None:
    labels = [f"{f} {p}" for f, p in VARIANTS]
    modes = ["fast", "general"] if general else ["fast"]
    results: dict[str, list[float]] = {"shell": []}
    for _ in range(rounds):
        results["shell"].append(time_shell(database, table, folder / "shell.csv"))
        for mode in modes:
            os.environ[DISABLE_ENV] = "off" if mode == "general" else "on"
            for label, (format_name, profile) in zip(labels, VARIANTS):
                elapsed = time_exportdesk(ctx, source, table, format_name, profile, rows)
                results.setdefault(f"{label} {mode}", []).append(elapsed)
    os.environ.pop(DISABLE_ENV, None)
    shell = statistics.median(results["shell"])
    print(f"{table} ({rows:,} rows), median of {rounds} rounds")
    print(f"  sqlite3 -csv shell: {shell:.3f} s ({rows / shell:,.0f} rows/s)")
    for name, times in results.items():
        if name != "shell":
            median = statistics.median(times)
            print(f"  ExportDesk {name}: {median:.3f} s ({rows / median:,.0f} rows/s), {shell / median:.2f}x the shell")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the synthetic table (default 1,000,000)")
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds per table (default 5)")
    parser.add_argument("--general", action="store_true", help="also time the general path")
    args = parser.parse_args()
    if shutil.which("sqlite3") is None:
        print("sqlite3 shell not found: install Debian's sqlite3 package", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        ctx = Context(folder / "data")
        ensure_demo_database(ctx.paths.data_dir)
        flights = demo_database_path(ctx.paths.data_dir)
        synthetic = build_synthetic(folder / "synthetic.sqlite3", args.rows)
        measure(ctx, folder, "demo", flights, "flights", FLIGHTS_ROWS, args.rounds, args.general)
        measure(ctx, folder, f"sqlite:///{synthetic}", synthetic, SYNTHETIC_TABLE, args.rows, args.rounds, args.general)
        ctx.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
