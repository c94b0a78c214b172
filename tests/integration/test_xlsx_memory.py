"""A large XLSX export keeps the worker's memory flat and its progress moving."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from exportdesk.context import Context
from exportdesk.engine import actions
from exportdesk.engine.headless import HeadlessDispatcher
from exportdesk.jobs import JobState

ROWS = 300_000
COLUMNS = 20
MAX_GROWTH_MB = 200


def make_wide_table(path: Path) -> str:
    connection = sqlite3.connect(path)
    names = ", ".join(f"c{index} TEXT" for index in range(COLUMNS))
    connection.execute(f"CREATE TABLE wide (id INTEGER PRIMARY KEY, {names})")
    placeholders = ", ".join("?" * (COLUMNS + 1))
    batch = [(row, *[f"значение {row}-{column}" for column in range(COLUMNS)]) for row in range(1, 10_001)]
    for offset in range(0, ROWS, len(batch)):
        connection.executemany(
            f"INSERT INTO wide VALUES ({placeholders})", [(row[0] + offset, *row[1:]) for row in batch]
        )
    connection.commit()
    connection.close()
    return f"sqlite:///{path}"


def peak_rss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def test_xlsx_300k_rows_memory_stays_flat(ctx: Context, tmp_path: Path) -> None:
    url = make_wide_table(tmp_path / "wide.db")
    job = actions.submit(ctx, actions.new_spec(url, ("wide",), format_name="xlsx"))
    dispatcher = HeadlessDispatcher(ctx, parallel=1)
    dispatcher.start()
    first_peak: float | None = None
    last_peak = 0.0
    progress: list[int] = []
    try:
        # The job table has no change notification, so it is polled.
        while not (current := ctx.store.get(ctx.owner, job.id)).state.is_ended:
            if current.lease_pid is not None:
                peak = peak_rss_mb(current.lease_pid)
                if peak is not None:
                    first_peak = peak if first_peak is None else first_peak
                    last_peak = max(last_peak, peak)
            if current.rows_done and (not progress or current.rows_done != progress[-1]):
                progress.append(current.rows_done)
            time.sleep(0.1)
    finally:
        dispatcher.stop()
    assert current.state is JobState.READY
    assert current.rows_done == ROWS
    assert first_peak is not None
    print(f"worker peak RSS {first_peak:.0f} MB at start, {last_peak:.0f} MB at most")
    assert last_peak - first_peak < MAX_GROWTH_MB
    assert len(progress) >= 10, progress
    assert progress == sorted(progress)
