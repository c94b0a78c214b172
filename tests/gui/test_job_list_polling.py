"""`JobTableModel` polling: one insert for the first read, and only active jobs read every 100 ms."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from exportdesk.context import Context
from exportdesk.engine import actions
from exportdesk.gui.job_model import JobTableModel
from exportdesk.jobs import Job, JobState

NOW = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.timezone.utc)


def queue(ctx: Context, table: str, minute: int) -> Job:
    return actions.submit(ctx, actions.new_spec("demo", tables=(table,)), now=NOW + dt.timedelta(minutes=minute))


def start(ctx: Context, job: Job) -> Job:
    claimed = ctx.store.claim_next("test-instance")
    assert claimed is not None and claimed.id == job.id
    return claimed


def test_first_read_is_one_insert(qapp: QApplication, qtbot: QtBot, gui_ctx: Context) -> None:
    for minute in range(3):
        queue(gui_ctx, "airlines", minute)
    model = JobTableModel(gui_ctx.store, gui_ctx.owner, lambda: NOW)
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))

    model.refresh()

    assert inserted == [(0, 2)]
    assert model.rowCount() == 3


def test_poll_reads_only_active_jobs(qapp: QApplication, qtbot: QtBot, gui_ctx: Context) -> None:
    ready = start(gui_ctx, queue(gui_ctx, "airlines", 0))
    gui_ctx.store.finish_ready(ready.id, rows=16, bytes_written=300, sha256="ab" * 32)
    running = start(gui_ctx, queue(gui_ctx, "flights", 1))
    model = JobTableModel(gui_ctx.store, gui_ctx.owner, lambda: NOW)
    model.start_polling()
    try:
        # A change to an ended job waits for the next full read; a running job's progress does not.
        gui_ctx.store.mark_downloaded(gui_ctx.owner, ready.id)
        gui_ctx.store.report_progress(running.id, 500, 9000, rows_total=1000)
        with qtbot.waitSignal(model.refreshed, timeout=2000):
            pass

        shown_running = model.job(running.id)
        shown_ready = model.job(ready.id)
        assert shown_running is not None and shown_running.rows_done == 500
        assert shown_ready is not None and shown_ready.downloaded_at is None

        gui_ctx.store.finish_ready(running.id, rows=1000, bytes_written=18000, sha256="cd" * 32)
        with qtbot.waitSignal(model.jobStateChanged, timeout=2000) as changed:
            pass
        assert changed.args == [running.id, JobState.RUNNING.value, JobState.READY.value]
        assert model.poll_interval_ms == 3000
    finally:
        model.stop_polling()


def test_poll_shows_job_queued_elsewhere(qapp: QApplication, qtbot: QtBot, gui_ctx: Context) -> None:
    start(gui_ctx, queue(gui_ctx, "flights", 0))
    model = JobTableModel(gui_ctx.store, gui_ctx.owner, lambda: NOW)
    model.start_polling()
    try:
        added = queue(gui_ctx, "planes", 1)
        qtbot.waitUntil(lambda: model.job(added.id) is not None, timeout=2000)

        assert model.row_of(added.id) == 0
        assert model.rowCount() == 2
    finally:
        model.stop_polling()


def test_refresh_active_inserts_newest_job(qapp: QApplication, qtbot: QtBot, gui_ctx: Context) -> None:
    older = queue(gui_ctx, "airlines", 0)
    model = JobTableModel(gui_ctx.store, gui_ctx.owner, lambda: NOW)
    model.refresh()
    newer = queue(gui_ctx, "planes", 1)
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))

    model.refresh_active()

    assert inserted == [(0, 0)]
    assert [job.id for job in model.jobs()] == [newer.id, older.id]


def test_refresh_active_places_older_job(qapp: QApplication, qtbot: QtBot, gui_ctx: Context) -> None:
    newer = queue(gui_ctx, "airlines", 5)
    model = JobTableModel(gui_ctx.store, gui_ctx.owner, lambda: NOW)
    model.refresh()
    older = queue(gui_ctx, "planes", 1)

    model.refresh_active()

    assert [job.id for job in model.jobs()] == [newer.id, older.id]
