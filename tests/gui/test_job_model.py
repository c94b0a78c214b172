"""`JobTableModel` against a real job table: Qt's model checks, row signals, countdown and icons."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from exportdesk.context import Context
from exportdesk.engine import actions
from exportdesk.gui.formatting import format_remaining
from exportdesk.gui.icons import STATE_ICONS
from exportdesk.gui.job_model import JOB_ROLE, PROGRESS_ROLE, SORT_ROLE, JobColumn, JobTableModel
from exportdesk.jobs import ErrorCode, Job, JobState

START = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.timezone.utc)


class Clock:
    """A settable clock for the model and the job table."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def queue(ctx: Context, table: str, clock: Clock) -> Job:
    clock.now += dt.timedelta(seconds=1)
    return actions.submit(ctx, actions.new_spec("demo", tables=(table,)), now=clock.now)


def make_ready(ctx: Context, clock: Clock, rows: int = 16) -> Job:
    job = queue(ctx, "airlines", clock)
    claimed = ctx.store.claim_next("test-instance", now=clock.now)
    assert claimed is not None and claimed.id == job.id
    return ctx.store.finish_ready(job.id, rows=rows, bytes_written=1234, sha256="0" * 64, now=clock.now)


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def model(qapp: QApplication, gui_ctx: Context, clock: Clock) -> JobTableModel:
    return JobTableModel(gui_ctx.store, gui_ctx.owner, clock)


def cell(model: JobTableModel, job_id: str, column: JobColumn, role: int = Qt.ItemDataRole.DisplayRole) -> object:
    row = model.row_of(job_id)
    assert row is not None
    return model.data(model.index(row, column), role)


def test_model_passes_qt_checks(qtmodeltester: ModelTester, gui_ctx: Context, model: JobTableModel, clock: Clock) -> None:
    make_ready(gui_ctx, clock)
    failed = queue(gui_ctx, "weather", clock)
    gui_ctx.store.claim_next("test-instance", now=clock.now)
    gui_ctx.store.fail(failed.id, ErrorCode.SOURCE_UNREACHABLE, now=clock.now)
    queue(gui_ctx, "planes", clock)
    model.refresh()

    qtmodeltester.check(model, force_py=True)

    assert model.rowCount() == 3
    assert model.columnCount() == len(JobColumn)


def test_refresh_inserts_updates_and_removes(qtbot: QtBot, gui_ctx: Context, model: JobTableModel, clock: Clock) -> None:
    first = queue(gui_ctx, "airlines", clock)
    with qtbot.waitSignal(model.rowsInserted):
        model.refresh()
    assert model.rowCount() == 1

    second = queue(gui_ctx, "planes", clock)
    with qtbot.waitSignal(model.rowsInserted, check_params_cb=lambda _parent, start, end: (start, end) == (0, 0)):
        model.refresh()
    assert [job.id for job in model.jobs()] == [second.id, first.id]

    gui_ctx.store.claim_next("test-instance", now=clock.now)
    changed_rows: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(lambda top, bottom, _roles: changed_rows.append((top.row(), bottom.row(), top.column(), bottom.column())))
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.jobStateChanged) as state_signal:
        model.refresh()
    assert state_signal.args == [first.id, "queued", "running"]
    assert changed_rows == [(1, 1, 0, len(JobColumn) - 1)]

    actions.cancel(gui_ctx, second.id)
    with qtbot.assertNotEmitted(model.modelReset):
        model.refresh()
    actions.remove(gui_ctx, second.id)
    with qtbot.waitSignal(model.rowsRemoved, check_params_cb=lambda _parent, start, end: (start, end) == (0, 0)):
        model.refresh()
    assert [job.id for job in model.jobs()] == [first.id]


def test_unchanged_refresh_emits_nothing(qtbot: QtBot, gui_ctx: Context, model: JobTableModel, clock: Clock) -> None:
    make_ready(gui_ctx, clock)
    model.refresh()
    with qtbot.assertNotEmitted(model.dataChanged), qtbot.assertNotEmitted(model.rowsInserted), qtbot.assertNotEmitted(model.layoutChanged):
        model.refresh()


def test_countdown_follows_clock(gui_ctx: Context, model: JobTableModel, clock: Clock) -> None:
    job = make_ready(gui_ctx, clock)
    assert job.expires_at == clock.now + dt.timedelta(hours=24)
    model.refresh()

    clock.now += dt.timedelta(minutes=1)
    assert cell(model, job.id, JobColumn.EXPIRES) == "23 hours 59 minutes"

    clock.now = job.expires_at - dt.timedelta(seconds=30)
    assert cell(model, job.id, JobColumn.EXPIRES) == "less than a minute"

    clock.now = job.expires_at
    assert cell(model, job.id, JobColumn.EXPIRES) == "Retention period expired"
    assert cell(model, job.id, JobColumn.STATE) == "Retention period expired"


def test_countdown_change_emits_ranged_data_changed(qtbot: QtBot, gui_ctx: Context, model: JobTableModel, clock: Clock) -> None:
    job = make_ready(gui_ctx, clock)
    model.refresh()
    clock.now += dt.timedelta(minutes=5)
    with qtbot.waitSignal(model.dataChanged) as signal:
        model.refresh()
    top, bottom = signal.args[0], signal.args[1]
    assert (top.row(), bottom.row()) == (model.row_of(job.id), model.row_of(job.id))
    assert (top.column(), bottom.column()) == (JobColumn.STATE, JobColumn.EXPIRES)


@pytest.mark.parametrize(
    ("remaining", "text"),
    [
        (dt.timedelta(hours=23, minutes=59, seconds=59), "23 hours 59 minutes"),
        (dt.timedelta(hours=2), "2 hours"),
        (dt.timedelta(hours=1, minutes=1), "1 hour 1 minute"),
        (dt.timedelta(minutes=5, seconds=10), "5 minutes"),
        (dt.timedelta(minutes=1), "1 minute"),
        (dt.timedelta(seconds=59), "less than a minute"),
        (dt.timedelta(days=3, hours=4, minutes=30), "3 days 4 hours"),
        (dt.timedelta(days=1, minutes=30), "1 day"),
    ],
)
def test_format_remaining(english: None, remaining: dt.timedelta, text: str) -> None:
    assert format_remaining(remaining) == text


def test_rows_and_progress_cells(gui_ctx: Context, model: JobTableModel, clock: Clock) -> None:
    queued = queue(gui_ctx, "flights", clock)
    model.refresh()
    assert cell(model, queued.id, JobColumn.ROWS) == ""
    assert cell(model, queued.id, JobColumn.PROGRESS, PROGRESS_ROLE) == 0.0

    gui_ctx.store.claim_next("test-instance", now=clock.now)
    gui_ctx.store.report_progress(queued.id, rows_done=1000, bytes_written=50_000, rows_total=4000, now=clock.now)
    model.refresh()
    assert cell(model, queued.id, JobColumn.ROWS) == "1,000 / 4,000"
    assert cell(model, queued.id, JobColumn.PROGRESS) == "25%"
    assert cell(model, queued.id, JobColumn.PROGRESS, PROGRESS_ROLE) == 0.25
    assert cell(model, queued.id, JobColumn.ROWS, SORT_ROLE) == 1000
    assert cell(model, queued.id, JobColumn.STATE) == "Running"


def test_state_cell_has_label_and_distinct_icon(qtbot: QtBot, gui_ctx: Context, model: JobTableModel, clock: Clock) -> None:
    ready = make_ready(gui_ctx, clock)
    model.refresh()
    assert cell(model, ready.id, JobColumn.STATE) == "Ready"
    icon = cell(model, ready.id, JobColumn.STATE, Qt.ItemDataRole.DecorationRole)
    assert icon is not None and not icon.isNull()
    assert len(set(STATE_ICONS.values())) == len(JobState)
    assert cell(model, ready.id, JobColumn.NAME, JOB_ROLE) == ready


def test_invalid_index_returns_none(model: JobTableModel) -> None:
    assert model.data(QModelIndex()) is None
    assert model.rowCount(model.index(0, 0)) == 0


def test_polling_speeds_up_while_active(gui_ctx: Context, model: JobTableModel, clock: Clock) -> None:
    make_ready(gui_ctx, clock)
    model.refresh()
    assert model.poll_interval_ms == 3000
    queue(gui_ctx, "planes", clock)
    model.refresh()
    assert model.poll_interval_ms == 100


def test_ended_job_without_file_shows_no_size(gui_ctx: Context, model: JobTableModel, clock: Clock) -> None:
    job = queue(gui_ctx, "flights", clock)
    gui_ctx.store.claim_next("test-instance", now=clock.now)
    gui_ctx.store.report_progress(job.id, rows_done=500, bytes_written=9000, rows_total=1000, now=clock.now)
    gui_ctx.store.mark_cancelled(job.id, now=clock.now)
    failed = queue(gui_ctx, "weather", clock)
    gui_ctx.store.claim_next("test-instance", now=clock.now)
    gui_ctx.store.fail(failed.id, ErrorCode.SOURCE_UNREACHABLE, now=clock.now)
    model.refresh()

    assert cell(model, job.id, JobColumn.SIZE) == ""
    assert cell(model, job.id, JobColumn.ROWS) == "500 / 1,000"
    assert cell(model, failed.id, JobColumn.ROWS) == ""
    assert cell(model, failed.id, JobColumn.PROGRESS) == ""
