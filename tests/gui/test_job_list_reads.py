"""The job list's reads: timer reads in a pool thread applied as differences, the selection
kept across refreshes, and sorting on keys computed once per row."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from exportdesk.context import Context
from exportdesk.engine import actions
from exportdesk.gui import job_model
from exportdesk.gui.controller import AppController
from exportdesk.gui.job_filter import JobFilterProxy
from exportdesk.gui.job_model import JobColumn, JobTableModel, next_clock_change
from exportdesk.jobs import Job
from exportdesk.store.job_list import JobListReader
from tests.gui.job_factory import TEST_INSTANCE, JobFactory

T0 = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.timezone.utc)


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def ready_job(ctx: Context, created: dt.datetime, finished: dt.datetime, size: int, table: str = "airlines") -> Job:
    job = actions.submit(ctx, actions.new_spec("demo", tables=(table,)), now=created)
    claimed = ctx.store.claim_next(TEST_INSTANCE, now=created)
    assert claimed is not None and claimed.id == job.id
    return ctx.store.finish_ready(job.id, rows=16, bytes_written=size, sha256="ab" * 32, now=finished)


def proxy_ids(proxy: JobFilterProxy, model: JobTableModel) -> list[str]:
    return [model.job_at(proxy.mapToSource(proxy.index(row, 0)).row()).id for row in range(proxy.rowCount())]


@pytest.fixture
def fast_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read every job on each timer tick, every 50 ms, so a test waits for no 3 s interval."""
    monkeypatch.setattr(job_model, "IDLE_INTERVAL_MS", 50)


def test_selection_survives_refresh_of_other_rows(qtbot: QtBot, controller: AppController, jobs: JobFactory) -> None:
    oldest = jobs.ready("airlines", name="Oldest")
    selected = jobs.ready("planes", name="Selected")
    removed = jobs.failed("weather", name="Removed")
    controller.model.refresh()
    window = controller.window
    window.select_job(selected.id)

    controller.ctx.store.mark_downloaded(controller.ctx.owner, oldest.id)
    controller.ctx.store.remove(controller.ctx.owner, removed.id)
    added = jobs.ready("airports", name="Added")
    with qtbot.assertNotEmitted(controller.model.modelReset), qtbot.assertNotEmitted(window.proxy.layoutChanged):
        controller.model.refresh()

    shown = window.selected_job()
    assert shown is not None and shown.id == selected.id
    assert controller.model.row_of(removed.id) is None
    assert controller.model.row_of(added.id) == 0


def test_poll_reads_off_gui_thread_and_applies_diff(
    qapp: QApplication, qtbot: QtBot, gui_ctx: Context, fast_polls: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = ready_job(gui_ctx, at(0), at(1), 100)
    second = ready_job(gui_ctx, at(2), at(3), 200)
    third = ready_job(gui_ctx, at(4), at(5), 300)
    model = JobTableModel(gui_ctx.store, gui_ctx.owner, lambda: at(10))
    model.start_polling()
    reading_threads: list[bool] = []
    original_read = JobListReader.read

    def recording_read(reader: JobListReader) -> list[Job]:
        reading_threads.append(threading.current_thread() is threading.main_thread())
        return original_read(reader)

    monkeypatch.setattr(JobListReader, "read", recording_read)
    changed_rows: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda top, bottom, _roles: changed_rows.append((top.row(), bottom.row())))
    try:
        gui_ctx.store.mark_downloaded(gui_ctx.owner, second.id, now=at(6))
        with qtbot.assertNotEmitted(model.modelReset), qtbot.assertNotEmitted(model.rowsInserted), qtbot.assertNotEmitted(model.rowsRemoved):
            qtbot.waitUntil(lambda: (model.job(second.id) or second).downloaded_at is not None, timeout=5000)
    finally:
        model.stop_polling()

    assert reading_threads and not any(reading_threads)
    assert changed_rows == [(1, 1)]
    assert [job.id for job in model.jobs()] == [third.id, second.id, first.id]


def test_poll_older_than_refresh_is_dropped(
    qapp: QApplication, qtbot: QtBot, gui_ctx: Context, fast_polls: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    remaining = ready_job(gui_ctx, at(0), at(1), 100)
    removed = ready_job(gui_ctx, at(2), at(3), 200, table="planes")
    model = JobTableModel(gui_ctx.store, gui_ctx.owner, lambda: at(10))
    model.start_polling()
    read_done = threading.Event()
    release = threading.Event()
    original_read = JobListReader.read

    def held_read(reader: JobListReader) -> list[Job]:
        jobs = original_read(reader)
        if threading.current_thread() is not threading.main_thread() and not read_done.is_set():
            read_done.set()
            release.wait(10)
        return jobs

    monkeypatch.setattr(JobListReader, "read", held_read)
    try:
        # The pool thread has read both jobs and waits with them while the window removes one.
        qtbot.waitUntil(read_done.is_set, timeout=5000)
        gui_ctx.store.remove(gui_ctx.owner, removed.id)
        model.refresh()
        assert [job.id for job in model.jobs()] == [remaining.id]

        with qtbot.assertNotEmitted(model.rowsInserted):
            release.set()
            # The next read after the held one shows the same rows.
            with qtbot.waitSignal(model.allJobsRead, timeout=5000):
                pass
        assert [job.id for job in model.jobs()] == [remaining.id]
    finally:
        release.set()
        model.stop_polling()


@pytest.mark.parametrize(
    ("column", "order", "expected"),
    [
        (JobColumn.CREATED, Qt.SortOrder.DescendingOrder, ["late_small", "middle_big", "early_medium"]),
        (JobColumn.CREATED, Qt.SortOrder.AscendingOrder, ["early_medium", "middle_big", "late_small"]),
        (JobColumn.SIZE, Qt.SortOrder.AscendingOrder, ["late_small", "early_medium", "middle_big"]),
        (JobColumn.SIZE, Qt.SortOrder.DescendingOrder, ["middle_big", "early_medium", "late_small"]),
        (JobColumn.EXPIRES, Qt.SortOrder.AscendingOrder, ["middle_big", "late_small", "early_medium"]),
        (JobColumn.EXPIRES, Qt.SortOrder.DescendingOrder, ["early_medium", "late_small", "middle_big"]),
    ],
)
def test_sort_orders(qapp: QApplication, gui_ctx: Context, column: JobColumn, order: Qt.SortOrder, expected: list[str]) -> None:
    # Creation, size and expiry each give a different order.
    jobs_by_name = {
        "early_medium": ready_job(gui_ctx, at(0), at(600), 500),
        "middle_big": ready_job(gui_ctx, at(10), at(20), 900, table="planes"),
        "late_small": ready_job(gui_ctx, at(30), at(40), 100, table="weather"),
    }
    names = {job.id: name for name, job in jobs_by_name.items()}
    model = JobTableModel(gui_ctx.store, gui_ctx.owner, lambda: at(700))
    model.refresh()
    proxy = JobFilterProxy(model)

    proxy.sort(column, order)

    assert [names[job_id] for job_id in proxy_ids(proxy, model)] == expected
    assert proxy.sorted_by == (column, order)


def test_newest_first_keeps_new_job_on_top(qapp: QApplication, gui_ctx: Context) -> None:
    older = ready_job(gui_ctx, at(0), at(1), 100)
    model = JobTableModel(gui_ctx.store, gui_ctx.owner, lambda: at(10))
    model.refresh()
    proxy = JobFilterProxy(model)
    proxy.sort(JobColumn.CREATED, Qt.SortOrder.DescendingOrder)

    newer = ready_job(gui_ctx, at(5), at(6), 50, table="planes")
    model.refresh()

    assert proxy_ids(proxy, model) == [newer.id, older.id]
    proxy.sort(JobColumn.CREATED, Qt.SortOrder.AscendingOrder)
    assert proxy_ids(proxy, model) == [older.id, newer.id]


def test_sort_key_follows_expiry(qapp: QApplication, gui_ctx: Context) -> None:
    job = ready_job(gui_ctx, at(0), at(1), 100)
    now = [at(10)]
    model = JobTableModel(gui_ctx.store, gui_ctx.owner, lambda: now[0])
    model.refresh()
    assert job.expires_at is not None
    assert model.data(model.index(0, JobColumn.EXPIRES), job_model.SORT_ROLE) == job.expires_at.timestamp()

    now[0] = job.expires_at
    model.refresh()

    assert model.data(model.index(0, JobColumn.EXPIRES), job_model.SORT_ROLE) == float("inf")


def test_next_clock_change_at_whole_minutes(qapp: QApplication, gui_ctx: Context) -> None:
    job = ready_job(gui_ctx, at(0), at(0), 100)
    assert job.expires_at is not None

    assert next_clock_change(job, job.expires_at - dt.timedelta(minutes=5, seconds=30)) == job.expires_at - dt.timedelta(minutes=5)
    assert next_clock_change(job, job.expires_at - dt.timedelta(minutes=5)) == job.expires_at - dt.timedelta(minutes=5)
    assert next_clock_change(job, job.expires_at - dt.timedelta(seconds=30)) == job.expires_at
    assert next_clock_change(job, job.expires_at) == dt.datetime.max.replace(tzinfo=dt.timezone.utc)
