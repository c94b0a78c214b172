"""Retention in the window: the reminder before an undownloaded file expires, expiry timers,
the list after a sweep, the live countdown, and exporting an expired job again."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QMainWindow, QSystemTrayIcon
from pytestqt.qtbot import QtBot

from exportdesk.context import Context
from exportdesk.gui.controller import AppController
from exportdesk.gui.icons import app_icon
from exportdesk.gui.job_model import JobColumn
from exportdesk.gui.quit_prompt import QuitChoice
from exportdesk.gui.tray import Notifier, needs_reminder
from exportdesk.jobs import Job, JobState
from exportdesk.store import JobStore
from tests.gui.job_factory import JobFactory

START = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.timezone.utc)
DAY = dt.timedelta(hours=24)


class Clock:
    """A settable clock for the window, the job table and the retention sweep."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


class RecordingTray(QSystemTrayIcon):
    """A tray icon that records its messages, because the offscreen platform has no tray to show them."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[tuple[str, str]] = []

    def showMessage(self, title: str, text: str, *_args: object) -> None:
        self.messages.append((title, text))


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def clocked(qtbot: QtBot, gui_ctx: Context, clock: Clock) -> Iterator[AppController]:
    """A window whose list, notices and sweep use `clock`, with a tray that records messages."""
    app_controller = AppController(gui_ctx, app_icon(), use_tray=False, prepare_demo=False, clock=clock)
    app_controller.window.notifier.tray = RecordingTray()
    app_controller.start()
    yield app_controller
    app_controller.window.notifier.tray = None
    app_controller.window.quit_choice = QuitChoice.STOP_JOBS
    app_controller.shutdown()


def reminders(controller: AppController) -> list[tuple[str, str]]:
    tray = controller.window.notifier.tray
    assert isinstance(tray, RecordingTray)
    return [message for message in tray.messages if message[0] == "Download the file before it is deleted"]


def make_ready(jobs: JobFactory, clock: Clock, name: str = "") -> Job:
    job = jobs.ready(name=name, now=clock.now)
    assert job.expires_at == clock.now + DAY
    return job


def test_reminder_once_below_two_hours(clocked: AppController, jobs: JobFactory, clock: Clock) -> None:
    job = make_ready(jobs, clock, name="Carriers")
    assert job.expires_at is not None

    clock.now = job.expires_at - dt.timedelta(hours=2, minutes=1)
    clocked.model.refresh()
    assert reminders(clocked) == []

    clock.now = job.expires_at - dt.timedelta(hours=1, minutes=59, seconds=30)
    clocked.model.refresh()
    assert reminders(clocked) == [
        ("Download the file before it is deleted", "The export \u201cCarriers\u201d has not been downloaded: 1 hour 59 minutes left before its file is deleted.")
    ]
    assert clocked.window.statusBar().currentMessage().startswith("Download the file before it is deleted.")

    clock.now += dt.timedelta(minutes=30)
    clocked.model.refresh()
    assert len(reminders(clocked)) == 1


def test_no_reminder_for_downloaded_job(clocked: AppController, jobs: JobFactory, clock: Clock) -> None:
    job = make_ready(jobs, clock)
    assert job.expires_at is not None
    clocked.ctx.store.mark_downloaded(clocked.ctx.owner, job.id, now=clock.now)

    clock.now = job.expires_at - dt.timedelta(minutes=30)
    clocked.model.refresh()

    assert reminders(clocked) == []


def test_no_reminder_with_notifications_off(clocked: AppController, jobs: JobFactory, clock: Clock) -> None:
    job = make_ready(jobs, clock)
    assert job.expires_at is not None
    clocked.ctx.settings.notifications = False

    clock.now = job.expires_at - dt.timedelta(minutes=30)
    clocked.model.refresh()

    assert reminders(clocked) == []
    assert not clocked.window.statusBar().currentMessage().startswith("Download the file")


def test_one_reminder_for_several_jobs(clocked: AppController, jobs: JobFactory, clock: Clock) -> None:
    first = make_ready(jobs, clock, name="First")
    clock.now += dt.timedelta(minutes=10)
    make_ready(jobs, clock, name="Second")
    assert first.expires_at is not None

    clock.now = first.expires_at - dt.timedelta(minutes=30)
    clocked.model.refresh()

    assert reminders(clocked) == [
        (
            "Download the file before it is deleted",
            "Exports not downloaded yet: Second (40 minutes left), First (30 minutes left). Their files are deleted when the time is up.",
        )
    ]


def test_window_records_reminder(clocked: AppController, jobs: JobFactory, clock: Clock) -> None:
    job = make_ready(jobs, clock, name="Carriers")
    assert job.expires_at is not None

    clock.now = job.expires_at - dt.timedelta(minutes=30)
    clocked.model.refresh()

    assert len(reminders(clocked)) == 1
    assert clocked.ctx.store.get(clocked.ctx.owner, job.id).reminded_at == clock.now


def test_reminder_not_repeated_after_restart(qtbot: QtBot, gui_ctx: Context, jobs: JobFactory, clock: Clock) -> None:
    reminded = make_ready(jobs, clock, name="Reminded")
    downloaded = make_ready(jobs, clock, name="Downloaded")
    gui_ctx.store.mark_downloaded(gui_ctx.owner, downloaded.id, now=clock.now)
    assert reminded.expires_at is not None
    clock.now = reminded.expires_at - dt.timedelta(minutes=30)

    def start_session() -> tuple[JobStore, Notifier, RecordingTray]:
        """Open the job table and a notifier as a newly started window does."""
        store = JobStore(gui_ctx.store.path)
        window = QMainWindow()
        qtbot.addWidget(window)
        notifier = Notifier(
            window, gui_ctx.settings, app_icon(), use_tray=False, clock=clock,
            record_reminded=lambda job_ids: store.mark_reminded(gui_ctx.owner, job_ids, clock.now),
        )
        tray = RecordingTray()
        notifier.tray = tray
        return store, notifier, tray

    first_store, first_notifier, first_tray = start_session()
    first_notifier.remind_expiring(first_store.list(gui_ctx.owner))
    first_store.close()
    second_store, second_notifier, second_tray = start_session()
    second_notifier.remind_expiring(second_store.list(gui_ctx.owner))
    jobs_after = {job.id: job for job in second_store.list(gui_ctx.owner)}
    second_store.close()

    assert [title for title, _text in first_tray.messages] == ["Download the file before it is deleted"]
    assert "Reminded" in first_tray.messages[0][1]
    assert "Downloaded" not in first_tray.messages[0][1]
    assert second_tray.messages == []
    assert jobs_after[reminded.id].reminded_at == clock.now
    assert jobs_after[downloaded.id].reminded_at is None


def test_no_reminder_for_expired_job(clocked: AppController, jobs: JobFactory, clock: Clock) -> None:
    job = make_ready(jobs, clock)
    assert job.expires_at is not None
    clock.now = job.expires_at
    assert not needs_reminder(job, clock.now)
    clocked.model.refresh()
    assert reminders(clocked) == []


def test_retention_timer_for_job_seen_ready(clocked: AppController, jobs: JobFactory, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    scheduled: list[Job] = []
    monkeypatch.setattr(clocked.retention, "schedule_expiry", scheduled.append)
    job = jobs.running(now=clock.now)
    clocked.model.refresh()
    assert scheduled == []

    # A worker this window does not supervise finishes the job, e.g. one left by an earlier window.
    clocked.ctx.store.finish_ready(job.id, rows=16, bytes_written=10, sha256="ab" * 32, now=clock.now)
    clocked.model.refresh()

    assert [scheduled_job.id for scheduled_job in scheduled] == [job.id]
    assert scheduled[0].expires_at == clock.now + DAY


def test_sweep_in_other_thread_refreshes_list(qtbot: QtBot, clocked: AppController, jobs: JobFactory, clock: Clock) -> None:
    job = make_ready(jobs, clock)
    assert job.expires_at is not None
    clocked.model.refresh()
    # Only the sweep's signal may read the list again from here on.
    clocked.model.stop_polling()
    refresh_threads: list[bool] = []
    clocked.model.refreshed.connect(lambda: refresh_threads.append(threading.current_thread() is threading.main_thread()))
    clock.now = job.expires_at + dt.timedelta(seconds=1)

    sweeper = threading.Thread(target=clocked.retention.run_sweep)
    sweeper.start()
    sweeper.join()
    qtbot.waitUntil(lambda: clocked.model.job(job.id) is not None and clocked.model.job(job.id).state is JobState.EXPIRED)

    assert refresh_threads == [True]
    assert clocked.window.status.usage_label.text() == "Stored: no files"


def test_countdown_updates_from_timer(qtbot: QtBot, clocked: AppController, jobs: JobFactory, clock: Clock) -> None:
    job = make_ready(jobs, clock)
    clocked.model.refresh()
    row = clocked.model.row_of(job.id)
    assert row is not None
    index = clocked.model.index(row, JobColumn.EXPIRES)
    assert clocked.model.data(index) == "1 day"

    # The idle timer reads the list every 3 s, so the cell follows the clock without a call here.
    clock.now += dt.timedelta(minutes=5)
    qtbot.waitUntil(lambda: clocked.model.data(index) == "23 hours 55 minutes", timeout=10_000)

    assert job.expires_at is not None
    clock.now = job.expires_at
    qtbot.waitUntil(lambda: clocked.model.data(index) == "Retention period expired", timeout=10_000)


def test_expired_job_exported_again_in_one_click(clocked: AppController, jobs: JobFactory, clock: Clock) -> None:
    window = clocked.window
    expired = jobs.expired(name="Airports", now=clock.now)
    clocked.model.refresh()
    window.select_job(expired.id)

    button = window.details.export_again_button
    assert button.isVisibleTo(window)
    assert button.text() == "Export again"
    button.click()

    again = window.selected_job()
    assert again is not None
    assert again.id != expired.id
    assert again.spec == expired.spec
    assert again.state in (JobState.QUEUED, JobState.RUNNING)


def test_ready_notice_names_deletion_time_for_short_retention(clocked: AppController, jobs: JobFactory, clock: Clock) -> None:
    job = jobs.running(now=clock.now)
    clocked.model.refresh()
    ready = clocked.ctx.store.finish_ready(job.id, rows=16, bytes_written=10, sha256="ab" * 32, now=clock.now)
    assert ready.expires_at is not None
    # Seen 23 h later: the ready notice already states when the file goes, so no reminder follows.
    clock.now = ready.expires_at - dt.timedelta(hours=1)
    clocked.model.refresh()

    tray = clocked.window.notifier.tray
    assert isinstance(tray, RecordingTray)
    assert [title for title, _text in tray.messages] == ["Export ready"]
    assert tray.messages[0][1].endswith("1 hour left before the file is deleted.")


def finish_with_file(ctx: Context, job: Job, now: dt.datetime) -> Job:
    """Move a running job to ready with a real file, so no sweep finds the file missing."""
    artifact = ctx.storage.artifact_path(job.owner, job.id, job.file_name)
    artifact.parent.mkdir(parents=True, exist_ok=True)
    artifact.write_bytes(b"x" * 10)
    return ctx.store.finish_ready(job.id, rows=16, bytes_written=10, sha256="ab" * 32, now=now)


def test_status_notice_cleared_at_expiry(clocked: AppController, jobs: JobFactory, clock: Clock) -> None:
    job = jobs.running(now=clock.now)
    clocked.model.refresh()
    ready = finish_with_file(clocked.ctx, job, clock.now)
    assert ready.expires_at is not None
    clock.now = ready.expires_at - dt.timedelta(seconds=30)
    clocked.model.refresh()
    status_bar = clocked.window.statusBar()
    assert status_bar.currentMessage().startswith("Export ready.")
    assert status_bar.currentMessage().endswith("less than a minute left before the file is deleted.")

    # One second before expiry the notice still holds; at expiry the row and the status bar agree.
    clock.now = ready.expires_at - dt.timedelta(seconds=1)
    clocked.model.refresh()
    assert status_bar.currentMessage().startswith("Export ready.")
    clock.now = ready.expires_at
    clocked.model.refresh()

    assert status_bar.currentMessage() == ""
    row = clocked.model.row_of(job.id)
    assert row is not None
    assert clocked.model.data(clocked.model.index(row, JobColumn.EXPIRES)) == "Retention period expired"


def test_other_status_message_kept_at_expiry(clocked: AppController, jobs: JobFactory, clock: Clock) -> None:
    job = jobs.running(now=clock.now)
    clocked.model.refresh()
    ready = finish_with_file(clocked.ctx, job, clock.now)
    assert ready.expires_at is not None
    clocked.model.refresh()
    clocked.window.show_status("Settings saved.")

    clock.now = ready.expires_at
    clocked.model.refresh()

    assert clocked.window.statusBar().currentMessage() == "Settings saved."
