"""Window responsiveness and job-table scale, measured in the real window. Started by bench/run.py.

Prints one JSON object. Needs QT_QPA_PLATFORM=offscreen (or a display). Measures:
- GUI-thread lateness: a 5 ms precise QTimer records how late each tick comes while an
  export started from the window runs, from the moment it is queued until it ends;
- time from queueing an export to the first progress (rows written) in the job list;
- window open time with 1,000 jobs in the list;
- with 10,000 jobs in the job table: listing, a retention sweep, and app start-up.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QEventLoop, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from bench.data import SYNTHETIC_TABLE, fill_job_table, write_artifacts  # noqa: E402
from exportdesk.context import Context  # noqa: E402
from exportdesk.engine import actions  # noqa: E402
from exportdesk.engine.retention import sweep  # noqa: E402
from exportdesk.gui.controller import AppController  # noqa: E402
from exportdesk.gui.icons import app_icon  # noqa: E402
from exportdesk.gui.quit_prompt import QuitChoice  # noqa: E402
from exportdesk.i18n import set_language  # noqa: E402
from exportdesk.jobs import JobState, utcnow  # noqa: E402
from exportdesk.sources.demo import demo_database_path  # noqa: E402

TICK_MS = 5
# How often `wait_until` checks its condition while the event loop runs.
CONDITION_CHECK_MS = 1
EXPORT_TIMEOUT_S = 600.0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def wait_until(condition: Any, timeout_s: float) -> None:
    """Run the Qt event loop, as the app's own loop runs, until `condition()` is true.

    The event loop waits for the next timer or event. A loop of `processEvents()` and
    `time.sleep(0.001)` slept through ticks: the sleep returned late on a busy machine, and
    those late wake-ups counted as the window's lateness.
    """
    if condition():
        return
    deadline = time.monotonic() + timeout_s
    timed_out = False
    loop = QEventLoop()
    check = QTimer()
    check.setInterval(CONDITION_CHECK_MS)

    def check_condition() -> None:
        nonlocal timed_out
        if condition():
            loop.quit()
        elif time.monotonic() > deadline:
            timed_out = True
            loop.quit()

    check.timeout.connect(check_condition)
    check.start()
    loop.exec()
    check.stop()
    if timed_out:
        raise TimeoutError(f"condition not met within {timeout_s} s")


def new_data_dir(work: Path, name: str, demo_db: Path) -> Path:
    data_dir = work / name
    target = demo_database_path(data_dir)
    target.parent.mkdir(parents=True)
    shutil.copyfile(demo_db, target)
    return data_dir


def open_window(data_dir: Path) -> tuple[AppController, float]:
    """Open the context and the window; return them and the seconds until the list is shown."""
    started = time.perf_counter()
    ctx = Context(data_dir)
    controller = AppController(ctx, app_icon(), use_tray=False, prepare_demo=False)
    controller.start()
    wait_until(lambda: controller.window.isVisible() and controller.window.table.isVisible(), 30)
    QCoreApplication.processEvents()
    return controller, time.perf_counter() - started


def close_window(controller: AppController) -> None:
    controller.window.quit_choice = QuitChoice.STOP_JOBS
    controller.window.cancel_active_jobs()
    controller.shutdown()
    controller.ctx.close()
    controller.deleteLater()
    QCoreApplication.processEvents()


def measure_export(controller: AppController, spec: actions.JobSpec) -> dict[str, Any]:
    """Queue an export as the new-export dialog does and record tick lateness until it ends."""
    lateness: list[float] = []
    clock = QElapsedTimer()
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(TICK_MS)
    last = [0.0]

    def tick() -> None:
        now = clock.nsecsElapsed() / 1e6
        lateness.append(max(0.0, now - last[0] - TICK_MS))
        last[0] = now

    timer.timeout.connect(tick)
    ctx = controller.ctx
    first_progress: list[float] = []
    clock.start()
    timer.start()
    started = time.perf_counter()
    job = actions.submit(ctx, spec)
    controller.dispatcher.kick()

    def on_refresh() -> None:
        shown = controller.model.job(job.id)
        if not first_progress and shown is not None and shown.rows_done > 0:
            first_progress.append(time.perf_counter() - started)

    controller.model.refreshed.connect(on_refresh)
    wait_until(lambda: (controller.model.job(job.id) or job).state.is_ended, EXPORT_TIMEOUT_S)
    elapsed = time.perf_counter() - started
    timer.stop()
    controller.model.refreshed.disconnect(on_refresh)
    ended = ctx.store.get(ctx.owner, job.id)
    if ended.state is not JobState.READY:
        raise RuntimeError(f"Job {job.id} ended {ended.state.value}")
    lateness = lateness[1:]  # the first tick has no previous one
    return {
        "export_s": round(elapsed, 2),
        "ticks": len(lateness),
        "p99_ms": round(percentile(lateness, 0.99), 2),
        "max_ms": round(max(lateness), 2),
        "first_progress_s": round(first_progress[0], 3) if first_progress else None,
    }


def responsiveness(work: Path, demo_db: Path, synthetic_db: Path, rows: int, rounds: int) -> dict[str, Any]:
    """Export the synthetic table to CSV and XLSX from the window, with an empty list and with 1,000 jobs."""
    results: dict[str, list[dict[str, Any]]] = {}
    for jobs in (0, 1000):
        data_dir = new_data_dir(work, f"lateness-{jobs}", demo_db)
        if jobs:
            template = Context(data_dir)
            ready = fill_job_table(data_dir / "jobs.sqlite3", template.owner, jobs, utcnow())
            write_artifacts(template.storage, template.owner, ready)
            template.close()
        controller, _ = open_window(data_dir)
        try:
            for format_name in ("csv", "xlsx"):
                spec = actions.new_spec(f"sqlite:///{synthetic_db}", (SYNTHETIC_TABLE,), profile="utf8", format_name=format_name)
                key = f"{format_name}_{jobs}_jobs"
                results[key] = [measure_export(controller, spec) for _ in range(rounds)]
                print(f"  {key}: {results[key]}", file=sys.stderr, flush=True)
        finally:
            close_window(controller)
    every = [sample for samples in results.values() for sample in samples]
    firsts = [sample["first_progress_s"] for sample in every if sample["first_progress_s"] is not None]
    return {
        "gui_lateness_p99_ms": max(sample["p99_ms"] for sample in every),
        "gui_lateness_max_ms": max(sample["max_ms"] for sample in every),
        "gui_lateness_runs": results,
        "gui_lateness_rows": rows,
        "gui_first_progress_s": max(firsts) if firsts else None,
        "gui_first_progress_median_s": round(statistics.median(firsts), 3) if firsts else None,
    }


def window_open(work: Path, demo_db: Path, jobs: int, rounds: int, with_files: bool) -> tuple[Path, list[float]]:
    """Open the window `rounds` times on a data folder with `jobs` jobs; return the folder and the times."""
    data_dir = new_data_dir(work, f"open-{jobs}", demo_db)
    template = Context(data_dir)
    ready = fill_job_table(data_dir / "jobs.sqlite3", template.owner, jobs, utcnow())
    if with_files:
        write_artifacts(template.storage, template.owner, ready)
    template.close()
    times = []
    for _ in range(rounds):
        controller, seconds = open_window(data_dir)
        if controller.model.rowCount() != jobs:
            raise RuntimeError(f"the list shows {controller.model.rowCount()} jobs, expected {jobs}")
        times.append(seconds)
        close_window(controller)
    return data_dir, times


def job_table_scale(work: Path, demo_db: Path, rounds: int) -> dict[str, Any]:
    """Window open with 1,000 jobs; listing, sweep and start-up with 10,000 jobs."""
    _, open_1000 = window_open(work, demo_db, 1000, rounds, with_files=False)
    data_dir, startup_10000 = window_open(work, demo_db, 10_000, rounds, with_files=True)
    ctx = Context(data_dir)
    listing = []
    for _ in range(rounds):
        started = time.perf_counter()
        listed = ctx.store.list(ctx.owner)
        listing.append(time.perf_counter() - started)
        assert len(listed) == 10_000
    ctx.close()

    # Each timed sweep starts from a copy of the same job table, so each has the same work:
    # 1,000 expiries among 10,000 jobs. A second sweep right after it has none.
    fresh = work / "sweep-template.sqlite3"
    sweeps = []
    later_sweeps = []
    fill_dir = new_data_dir(work, "sweep", demo_db)
    template = Context(fill_dir)
    ready = fill_job_table(fill_dir / "jobs.sqlite3", template.owner, 10_000, utcnow())
    write_artifacts(template.storage, template.owner, ready)
    template.close()
    shutil.copyfile(fill_dir / "jobs.sqlite3", fresh)
    for _ in range(rounds):
        shutil.copyfile(fresh, fill_dir / "jobs.sqlite3")
        for suffix in ("-wal", "-shm"):
            Path(str(fill_dir / "jobs.sqlite3") + suffix).unlink(missing_ok=True)
        sweep_ctx = Context(fill_dir)
        started = time.perf_counter()
        report = sweep(sweep_ctx.store, sweep_ctx.storage)
        sweeps.append(time.perf_counter() - started)
        started = time.perf_counter()
        sweep(sweep_ctx.store, sweep_ctx.storage)
        later_sweeps.append(time.perf_counter() - started)
        sweep_ctx.close()
        if len(report.expired) != 1000:
            raise RuntimeError(f"the sweep expired {len(report.expired)} jobs, expected 1,000")
    return {
        "window_open_1000_jobs_s": round(statistics.median(open_1000), 3),
        "jobs_10000_list_s": round(statistics.median(listing), 3),
        "jobs_10000_sweep_s": round(statistics.median(sweeps), 3),
        "jobs_10000_sweep_again_s": round(statistics.median(later_sweeps), 3),
        "jobs_10000_startup_s": round(statistics.median(startup_10000), 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--demo-db", type=Path, required=True)
    parser.add_argument("--synthetic-db", type=Path, required=True)
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--work-dir", type=Path, required=True)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    app.setQuitOnLastWindowClosed(False)
    set_language("en")
    # The sweeps log each job they expire; those lines are not part of the report.
    logging.disable(logging.WARNING)
    args.work_dir.mkdir(parents=True, exist_ok=True)
    report = job_table_scale(args.work_dir, args.demo_db, args.rounds)
    print(f"  job table: {report}", file=sys.stderr, flush=True)
    report.update(responsiveness(args.work_dir, args.demo_db, args.synthetic_db, args.rows, args.rounds))
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
