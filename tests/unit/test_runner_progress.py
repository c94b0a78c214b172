"""The runner's progress counter: when it writes progress to the job table."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from exportdesk.engine import runner


class FakeStore:
    """Records `report_progress` calls instead of writing the job table."""

    def __init__(self) -> None:
        self.reports: list[int] = []

    def report_progress(self, job_id: str, rows: int, bytes_written: int, checkpoint: Any = None) -> bool:
        self.reports.append(rows)
        return False


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def make_progress(store: FakeStore, clock: FakeClock) -> runner._Progress:
    job = SimpleNamespace(id="job-1", rows_total=None)
    out = SimpleNamespace(bytes_written=0)
    storage = SimpleNamespace(free_bytes=lambda: 10**12)
    return runner._Progress(store, job, out, storage, resumable=False, clock=clock)  # type: ignore[arg-type]


def test_first_batch_reported_at_once() -> None:
    store, clock = FakeStore(), FakeClock()
    progress = make_progress(store, clock)

    progress.add(1000, None)

    assert store.reports == [1000]


def test_later_batches_wait_for_interval() -> None:
    store, clock = FakeStore(), FakeClock()
    progress = make_progress(store, clock)
    progress.add(1000, None)

    clock.now += runner.PROGRESS_INTERVAL_S / 2
    progress.add(1000, None)
    assert store.reports == [1000]

    clock.now += runner.PROGRESS_INTERVAL_S
    progress.add(1000, None)
    assert store.reports == [1000, 3000]
