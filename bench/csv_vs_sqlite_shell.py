"""Export the demo flights table to CSV with ExportDesk and with the sqlite3 shell, and print ratios.

The two run alternately on the same machine, so background load affects them alike. The
ExportDesk side runs the real runner in-process (no worker start-up), writing a UTF-8 CSV.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from exportdesk.context import Context
from exportdesk.engine import actions
from exportdesk.engine.runner import run_job
from exportdesk.sources.demo import demo_database_path, ensure_demo_database

ROUNDS = 5
ROWS = 336_776


def time_exportdesk(ctx: Context, profile: str) -> float:
    job = actions.submit(ctx, actions.new_spec("demo", ("flights",), profile=profile))
    claimed = ctx.store.claim_next("bench")
    assert claimed is not None and claimed.id == job.id
    started = time.perf_counter()
    ended = run_job(ctx.store, ctx.storage, claimed, ctx.paths.data_dir)
    elapsed = time.perf_counter() - started
    assert ended.rows_done == ROWS, ended
    actions.remove(ctx, job.id)
    return elapsed


def time_shell(database: Path, target: Path) -> float:
    started = time.perf_counter()
    with target.open("wb") as out:
        subprocess.run(["sqlite3", "-csv", "-header", str(database), "SELECT * FROM flights"], stdout=out, check=True)
    return time.perf_counter() - started


def main() -> int:
    if shutil.which("sqlite3") is None:
        print("sqlite3 shell not found: install Debian's sqlite3 package", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder:
        ctx = Context(Path(folder) / "data")
        ensure_demo_database(ctx.paths.data_dir)
        database = demo_database_path(ctx.paths.data_dir)
        results: dict[str, list[float]] = {"shell": [], "utf8": [], "excel-ru": []}
        for _ in range(ROUNDS):
            results["shell"].append(time_shell(database, Path(folder) / "shell.csv"))
            results["utf8"].append(time_exportdesk(ctx, "utf8"))
            results["excel-ru"].append(time_exportdesk(ctx, "excel-ru"))
        ctx.close()
    shell = statistics.median(results["shell"])
    print(f"sqlite3 -csv shell: median {shell:.3f} s ({ROWS / shell:,.0f} rows/s)")
    for profile in ("utf8", "excel-ru"):
        median = statistics.median(results[profile])
        print(f"ExportDesk CSV {profile}: median {median:.3f} s ({ROWS / median:,.0f} rows/s), {shell / median:.2f}x the shell")
    return 0


if __name__ == "__main__":
    sys.exit(main())
