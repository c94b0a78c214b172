"""Measure ExportDesk's export speed, worker memory and window responsiveness against its targets.

    .venv/bin/python bench/run.py [--quick] [--json]

Each ExportDesk export runs through the real path: a queued job run by the worker process.
It is timed in the same rounds as its reference tool, and the order alternates each round,
so the load of this shared machine falls on both alike. The report gives medians and ratios:
rows per second of ExportDesk divided by rows per second of the reference. See
docs/benchmarks.md for the method and the latest figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.data import SYNTHETIC_TABLE, build_postgres, build_synthetic  # noqa: E402
from bench.exports import Run, run_openpyxl, run_pandas_csv, run_pg_copy, run_sqlite_shell, run_worker_export  # noqa: E402
from exportdesk import credentials  # noqa: E402
from exportdesk.context import Context  # noqa: E402
from exportdesk.engine import actions  # noqa: E402
from exportdesk.sources.demo import DEMO_SOURCE, demo_database_path, ensure_demo_database  # noqa: E402

FLIGHTS_ROWS = 336_776
RSS_TARGET_MB = 150.0


@dataclass(frozen=True)
class Sizes:
    """Row counts and rounds of one run."""

    synthetic_rows: int
    xlsx_rows: int
    memory_rows: int
    rounds: int
    window_rounds: int

    @classmethod
    def for_mode(cls, quick: bool) -> Sizes:
        if quick:
            return cls(synthetic_rows=100_000, xlsx_rows=20_000, memory_rows=300_000, rounds=3, window_rounds=2)
        return cls(synthetic_rows=1_000_000, xlsx_rows=200_000, memory_rows=10_000_000, rounds=5, window_rounds=3)


@dataclass
class Contender:
    """One thing to time: a label, the call that runs it once, and its samples."""

    label: str
    run: Callable[[], Run]
    samples: list[float]

    def median(self) -> float:
        return statistics.median(self.samples)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_rounds(contenders: list[Contender], rounds: int) -> None:
    """Run every contender once per round; odd rounds go in reverse order."""
    for number in range(rounds):
        order = contenders if number % 2 == 0 else list(reversed(contenders))
        for contender in order:
            contender.samples.append(contender.run().seconds)
        log(f"  round {number + 1}/{rounds}: " + ", ".join(f"{c.label} {c.samples[-1]:.2f} s" for c in contenders))


def compare(exportdesk: Contender, reference: Contender, rows: int) -> dict[str, Any]:
    ours, theirs = exportdesk.median(), reference.median()
    return {
        "rows": rows,
        "exportdesk": exportdesk.label,
        "reference": reference.label,
        "exportdesk_median_s": round(ours, 3),
        "reference_median_s": round(theirs, 3),
        "exportdesk_rows_per_s": round(rows / ours),
        "reference_rows_per_s": round(rows / theirs),
        "ratio": round(theirs / ours, 3),
        "exportdesk_samples_s": [round(value, 3) for value in exportdesk.samples],
        "reference_samples_s": [round(value, 3) for value in reference.samples],
    }


def exportdesk_contender(ctx: Context, label: str, source: str, table: str, rows: int, format_name: str, profile: str = "utf8") -> Contender:
    spec = actions.new_spec(source, (table,), profile=profile, format_name=format_name)
    return Contender(label, lambda: run_worker_export(ctx, spec, rows), [])


def sqlite_comparisons(ctx: Context, folder: Path, sizes: Sizes) -> dict[str, Any]:
    """Time CSV and JSON Lines from the synthetic table and the flights table, and XLSX."""
    synthetic = build_synthetic(folder / "synthetic.sqlite3", sizes.synthetic_rows)
    xlsx_db = build_synthetic(folder / "synthetic-xlsx.sqlite3", sizes.xlsx_rows)
    flights_db = demo_database_path(ctx.paths.data_dir)
    url, xlsx_url = f"sqlite:///{synthetic}", f"sqlite:///{xlsx_db}"
    rows = sizes.synthetic_rows
    out = folder / "reference.out"

    log(f"SQLite, synthetic table: {rows:,} rows x 8 columns")
    shell = Contender("sqlite3 -csv", lambda: run_sqlite_shell(synthetic, SYNTHETIC_TABLE, out), [])
    pandas = Contender("pandas read_sql + to_csv", lambda: run_pandas_csv(synthetic, SYNTHETIC_TABLE, out), [])
    csv_utf8 = exportdesk_contender(ctx, "ExportDesk CSV utf8", url, SYNTHETIC_TABLE, rows, "csv")
    csv_ru = exportdesk_contender(ctx, "ExportDesk CSV excel-ru", url, SYNTHETIC_TABLE, rows, "csv", "excel-ru")
    jsonl = exportdesk_contender(ctx, "ExportDesk JSON Lines", url, SYNTHETIC_TABLE, rows, "jsonl")
    run_rounds([shell, csv_utf8, csv_ru, jsonl, pandas], sizes.rounds)

    log(f"SQLite, demo flights table: {FLIGHTS_ROWS:,} rows x 19 columns")
    flights_shell = Contender("sqlite3 -csv", lambda: run_sqlite_shell(flights_db, "flights", out), [])
    flights_csv = exportdesk_contender(ctx, "ExportDesk CSV utf8", DEMO_SOURCE, "flights", FLIGHTS_ROWS, "csv")
    flights_ru = exportdesk_contender(ctx, "ExportDesk CSV excel-ru", DEMO_SOURCE, "flights", FLIGHTS_ROWS, "csv", "excel-ru")
    flights_jsonl = exportdesk_contender(ctx, "ExportDesk JSON Lines", DEMO_SOURCE, "flights", FLIGHTS_ROWS, "jsonl")
    run_rounds([flights_shell, flights_csv, flights_ru, flights_jsonl], sizes.rounds)

    log(f"XLSX, synthetic table: {sizes.xlsx_rows:,} rows x 8 columns")
    openpyxl = Contender("openpyxl write-only", lambda: run_openpyxl(xlsx_db, SYNTHETIC_TABLE, folder / "reference.xlsx"), [])
    xlsx = exportdesk_contender(ctx, "ExportDesk XLSX", xlsx_url, SYNTHETIC_TABLE, sizes.xlsx_rows, "xlsx")
    run_rounds([openpyxl, xlsx], sizes.rounds)

    return {
        "csv_sqlite_vs_cli": compare(csv_utf8, shell, rows),
        "csv_sqlite_excel_ru_vs_cli": compare(csv_ru, shell, rows),
        "csv_sqlite_vs_pandas": compare(csv_utf8, pandas, rows),
        "jsonl_vs_cli": compare(jsonl, shell, rows),
        "csv_flights_vs_cli": compare(flights_csv, flights_shell, FLIGHTS_ROWS),
        "csv_flights_excel_ru_vs_cli": compare(flights_ru, flights_shell, FLIGHTS_ROWS),
        "jsonl_flights_vs_cli": compare(flights_jsonl, flights_shell, FLIGHTS_ROWS),
        "xlsx_vs_openpyxl": compare(xlsx, openpyxl, sizes.xlsx_rows),
    }


def postgres_comparison(ctx: Context, folder: Path, sizes: Sizes) -> dict[str, Any]:
    """Time CSV from a PostgreSQL table against a raw COPY, or report why PostgreSQL is not available."""
    from tests.postgres import running_postgres

    rows = sizes.synthetic_rows
    try:
        with running_postgres() as server:
            conninfo = {"host": server.host, "port": server.port, "user": server.user, "password": server.password, "dbname": server.database}
            build_postgres(conninfo, rows)
            # The password reaches the worker as a session secret on its stdin, as with "ask each time".
            public = server.url(with_password=False)
            credentials.remember_for_session(credentials.url_secret_ref(public), server.password)
            log(f"PostgreSQL {server_version(conninfo)}, synthetic table: {rows:,} rows x 8 columns")
            copy = Contender("COPY TO STDOUT via psycopg", lambda: run_pg_copy(conninfo, SYNTHETIC_TABLE, folder / "copy.csv"), [])
            ours = exportdesk_contender(ctx, "ExportDesk CSV utf8", public, SYNTHETIC_TABLE, rows, "csv")
            run_rounds([copy, ours], sizes.rounds)
            return {"csv_pg_vs_copy": compare(ours, copy, rows)}
    except RuntimeError as error:
        log(f"PostgreSQL not available: {error}")
        return {"csv_pg_vs_copy": None, "csv_pg_vs_copy_reason": str(error)}


def server_version(conninfo: dict[str, object]) -> str:
    import psycopg

    with psycopg.connect(**conninfo) as connection:  # type: ignore[arg-type]
        return str(connection.execute("SHOW server_version").fetchone()[0])  # type: ignore[index]


def memory_measurement(ctx: Context, folder: Path, sizes: Sizes) -> dict[str, Any]:
    """Export a large table once in every format and record the worker's peak RSS."""
    rows = sizes.memory_rows
    log(f"Worker peak RSS: {rows:,} rows x 8 columns in every format")
    database = build_synthetic(folder / "memory.sqlite3", rows)
    per_format: dict[str, float] = {}
    seconds: dict[str, float] = {}
    for format_name in ("csv", "jsonl", "json", "xlsx"):
        spec = actions.new_spec(f"sqlite:///{database}", (SYNTHETIC_TABLE,), profile="utf8", format_name=format_name)
        run = run_worker_export(ctx, spec, rows)
        assert run.peak_rss_mb is not None
        per_format[format_name] = round(run.peak_rss_mb, 1)
        seconds[format_name] = round(run.seconds, 1)
        log(f"  {format_name}: peak RSS {run.peak_rss_mb:.1f} MB in {run.seconds:.1f} s")
    database.unlink()
    peak = max(per_format.values())
    return {
        "worker_peak_rss_mb": peak,
        "worker_peak_rss_mb_per_format": per_format,
        "worker_peak_rss_rows": rows,
        "worker_peak_rss_export_s": seconds,
        "worker_peak_rss_target_met": peak < RSS_TARGET_MB,
    }


def window_measurements(data_dir: Path, folder: Path, sizes: Sizes) -> dict[str, Any]:
    """Run bench/window.py in its own process with Qt offscreen and return its report."""
    log("Window: responsiveness during exports, open and start-up times with many jobs")
    database = folder / "window.sqlite3"
    if not database.exists():
        build_synthetic(database, sizes.synthetic_rows)
    command = [
        sys.executable, str(REPO / "bench" / "window.py"),
        "--demo-db", str(demo_database_path(data_dir)), "--synthetic-db", str(database),
        "--rows", str(sizes.synthetic_rows), "--rounds", str(sizes.window_rounds), "--work-dir", str(folder / "window"),
    ]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    if shutil.which("dbus-run-session"):
        command = ["dbus-run-session", "--", *command]
    finished = subprocess.run(command, env=env, stdout=subprocess.PIPE, check=True)
    result: dict[str, Any] = json.loads(finished.stdout)
    return result


def machine_facts() -> dict[str, Any]:
    shell = subprocess.run(["sqlite3", "--version"], capture_output=True, text=True).stdout.split()[:2]
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True).stdout.strip()
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), "")
    return {
        "commit": commit + ("+changes" if dirty else ""),
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "python": platform.python_version(),
        "sqlite3_shell": " ".join(shell),
    }


def print_summary(report: dict[str, Any]) -> None:
    print(f"Commit {report['machine']['commit']}, {report['mode']} run, {report['elapsed_s']:.0f} s")
    for key, value in report.items():
        if isinstance(value, dict) and "ratio" in value:
            print(
                f"{key:32} {value['rows']:>10,} rows  ExportDesk {value['exportdesk_rows_per_s']:>10,} rows/s  "
                f"{value['reference']}: {value['reference_rows_per_s']:>10,} rows/s  ratio {value['ratio']:.2f}"
            )
    if "csv_pg_vs_copy" in report and report["csv_pg_vs_copy"] is None:
        print(f"csv_pg_vs_copy: not measured ({report.get('csv_pg_vs_copy_reason')})")
    if "worker_peak_rss_mb" in report:
        print(f"worker_peak_rss_mb {report['worker_peak_rss_mb']} ({report['worker_peak_rss_rows']:,} rows): {report['worker_peak_rss_mb_per_format']}")
    for key in sorted(report):
        if key.startswith(("gui_", "window_", "jobs_")):
            print(f"{key} {report[key]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer rows and rounds (79 s on a 2-core machine at load average 3)")
    parser.add_argument("--json", action="store_true", help="print the report as one JSON object")
    parser.add_argument("--only", choices=["sqlite", "postgres", "memory", "window"], action="append", help="run only this part; repeat for more (default: all)")
    args = parser.parse_args()

    if shutil.which("sqlite3") is None:
        print("The sqlite3 shell is not installed: install Debian's sqlite3 package", file=sys.stderr)
        return 1
    sizes = Sizes.for_mode(args.quick)
    parts = set(args.only or ["sqlite", "postgres", "memory", "window"])
    started = time.perf_counter()

    report: dict[str, Any] = {"mode": "quick" if args.quick else "full", "machine": machine_facts()}
    with tempfile.TemporaryDirectory(prefix="exportdesk-bench-") as name:
        folder = Path(name)
        ctx = Context(folder / "data")
        try:
            ensure_demo_database(ctx.paths.data_dir)
            if "sqlite" in parts:
                report.update(sqlite_comparisons(ctx, folder, sizes))
            if "postgres" in parts:
                report.update(postgres_comparison(ctx, folder, sizes))
            if "memory" in parts:
                report.update(memory_measurement(ctx, folder, sizes))
            if "window" in parts:
                report.update(window_measurements(ctx.paths.data_dir, folder, sizes))
        finally:
            ctx.close()
    report["elapsed_s"] = round(time.perf_counter() - started, 1)

    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print_summary(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
