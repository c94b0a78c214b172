"""The job list's speed and time left columns, fed by reads of a real job table on injected clocks."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMainWindow
from pytestqt.qtbot import QtBot

from exportdesk.context import Context, Settings
from exportdesk.gui.details_panel import DetailsPanel
from exportdesk.gui.icons import app_icon
from exportdesk.gui.job_model import SORT_ROLE, JobColumn, JobTableModel
from exportdesk.gui.tray import Notifier
from exportdesk.jobs import Job
from tests.gui.job_factory import JobFactory

START = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.timezone.utc)


class RateClock:
    """Seconds for the progress samples, moved by the test."""

    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def rate_clock() -> RateClock:
    return RateClock()


@pytest.fixture
def model(qapp: QApplication, gui_ctx: Context, rate_clock: RateClock) -> JobTableModel:
    return JobTableModel(gui_ctx.store, gui_ctx.owner, lambda: START, rate_clock=rate_clock)


def cell(model: JobTableModel, job_id: str, column: JobColumn, role: int = Qt.ItemDataRole.DisplayRole) -> object:
    row = model.row_of(job_id)
    assert row is not None
    return model.data(model.index(row, column), role)


def run_steadily(gui_ctx: Context, model: JobTableModel, rate_clock: RateClock, job: Job, rows_per_s: int, seconds: int,
                 start_rows: int = 0, rows_total: int | None = 100_000) -> int:
    """Write progress every 0.5 s of the rate clock, read it into the model, and return the rows done."""
    rows = start_rows
    for step in range(seconds * 2 + 1):
        if step:
            rate_clock.now += 0.5
            rows += rows_per_s // 2
        gui_ctx.store.report_progress(job.id, rows, rows * 10, rows_total=rows_total)
        model.refresh_active()
    return rows


def test_running_job_speed_and_time_left(gui_ctx: Context, jobs: JobFactory, model: JobTableModel, rate_clock: RateClock) -> None:
    job = jobs.running("flights")
    gui_ctx.store.report_progress(job.id, 0, 0, rows_total=100_000)
    model.refresh()
    assert cell(model, job.id, JobColumn.SPEED) == ""
    assert cell(model, job.id, JobColumn.TIME_LEFT) == "estimating…"

    run_steadily(gui_ctx, model, rate_clock, job, rows_per_s=1000, seconds=20)

    assert cell(model, job.id, JobColumn.SPEED) == "1,000 rows/s"
    assert cell(model, job.id, JobColumn.TIME_LEFT) == "about 1 min 20 s"
    assert cell(model, job.id, JobColumn.SPEED, SORT_ROLE) == pytest.approx(1000)
    assert cell(model, job.id, JobColumn.TIME_LEFT, SORT_ROLE) == pytest.approx(80)
    assert model.headerData(JobColumn.SPEED, Qt.Orientation.Horizontal) == "Speed"
    assert model.headerData(JobColumn.TIME_LEFT, Qt.Orientation.Horizontal) == "Time left"


def test_rate_cells_emit_data_changed(
    qtbot: QtBot, gui_ctx: Context, jobs: JobFactory, model: JobTableModel, rate_clock: RateClock
) -> None:
    job = jobs.running("flights")
    model.refresh()
    rows = run_steadily(gui_ctx, model, rate_clock, job, rows_per_s=1000, seconds=10)

    changed: list[tuple[int, int, int]] = []
    model.dataChanged.connect(lambda top, bottom, _roles: changed.append((top.row(), top.column(), bottom.column())))

    # The job stalls: the snapshot stays the same, but the speed falls as the window moves on.
    for _ in range(25):
        rate_clock.now += 0.5
        with qtbot.waitSignal(model.refreshed):
            model.refresh_active()

    assert rows == 10_000
    assert cell(model, job.id, JobColumn.SPEED) == "0 rows/s"
    assert cell(model, job.id, JobColumn.TIME_LEFT) == "no progress"
    assert changed
    assert set(changed) == {(model.row_of(job.id), JobColumn.SPEED, JobColumn.TIME_LEFT)}


def test_total_unknown_shows_speed_only(gui_ctx: Context, jobs: JobFactory, model: JobTableModel, rate_clock: RateClock) -> None:
    job = jobs.running("flights")
    model.refresh()

    run_steadily(gui_ctx, model, rate_clock, job, rows_per_s=2000, seconds=10, rows_total=None)

    assert cell(model, job.id, JobColumn.SPEED) == "2,000 rows/s"
    assert cell(model, job.id, JobColumn.TIME_LEFT) == ""
    assert cell(model, job.id, JobColumn.TIME_LEFT, SORT_ROLE) == float("inf")


def test_queued_and_ended_jobs_have_none(gui_ctx: Context, jobs: JobFactory, model: JobTableModel, rate_clock: RateClock) -> None:
    ready = jobs.ready("planes")
    queued = jobs.queued("weather")
    model.refresh()

    for job in (ready, queued):
        assert cell(model, job.id, JobColumn.SPEED) == ""
        assert cell(model, job.id, JobColumn.TIME_LEFT) == ""
        assert cell(model, job.id, JobColumn.SPEED, SORT_ROLE) == -1
        assert cell(model, job.id, JobColumn.TIME_LEFT, SORT_ROLE) == float("inf")


def test_finished_job_loses_estimate(gui_ctx: Context, jobs: JobFactory, model: JobTableModel, rate_clock: RateClock) -> None:
    job = jobs.running("flights")
    model.refresh()
    run_steadily(gui_ctx, model, rate_clock, job, rows_per_s=1000, seconds=10)

    gui_ctx.store.finish_ready(job.id, rows=10_000, bytes_written=100_000, sha256="0" * 64)
    model.refresh()

    assert cell(model, job.id, JobColumn.SPEED) == ""
    assert cell(model, job.id, JobColumn.TIME_LEFT) == ""
    assert model.running_jobs() == []


def test_time_left_in_details_and_tray(qtbot: QtBot, gui_ctx: Context, jobs: JobFactory) -> None:
    job = jobs.running("flights", name="Flights")
    panel = DetailsPanel()
    qtbot.addWidget(panel)

    panel.show_job(job, START, time_left="about 2 min 10 s")

    assert panel.field_values["time_left"].text() == "about 2 min 10 s"
    assert panel.field_labels["time_left"].text() == "Time left:"
    window = QMainWindow()
    qtbot.addWidget(window)
    notifier = Notifier(window, Settings(), app_icon(), use_tray=True)
    notifier.set_counts(1, 0)
    notifier.set_times_left([("Flights", "about 2 min 10 s")])
    assert notifier.tray is not None
    assert notifier.tray.toolTip() == "ExportDesk: running 1, queued 0\nFlights: about 2 min 10 s left"
    notifier.tray.hide()
