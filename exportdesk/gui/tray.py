"""The notification area icon and job notices, with the status bar where there is no tray.

Besides "ready" and "failed", the notifier reminds once per job when a ready file that was
never downloaded has less than `REMINDER_THRESHOLD` left before retention deletes it. The
reminder is recorded in the job table (`reminded_at`), so a restart does not repeat it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMainWindow, QMenu, QSystemTrayIcon

from exportdesk.context import Settings
from exportdesk.gui.formatting import format_remaining, format_size
from exportdesk.i18n import tr
from exportdesk.jobs import Job, JobState, utcnow
from exportdesk.messages import job_message

log = logging.getLogger(__name__)

NOTICE_TIMEOUT_MS = 15_000
REMINDER_THRESHOLD = dt.timedelta(hours=2)


def needs_reminder(job: Job, now: dt.datetime, threshold: dt.timedelta = REMINDER_THRESHOLD) -> bool:
    """Tell whether a ready job, never downloaded nor reminded of, has less than `threshold` left before expiry."""
    if job.state is not JobState.READY or job.downloaded_at is not None or job.reminded_at is not None:
        return False
    if job.expires_at is None:
        return False
    return now < job.expires_at and job.expires_at - now < threshold


def job_notice(job: Job) -> tuple[str, str] | None:
    """Return the (title, text) of the notice for a job that became ready or failed."""
    name = job.name or job.file_name
    if job.state is JobState.READY:
        return tr("Export ready"), tr("{name}: %Ln row(s), {size}", None, job.rows_done).format(
            name=name, size=format_size(job.bytes_written)
        )
    if job.state is JobState.FAILED:
        return tr("Export failed"), f"{name}: {job_message(job)}"
    return None


class Notifier(QObject):
    """Show the tray icon when the desktop has a tray, and job notices in the tray or status bar."""

    showRequested = Signal()
    quitRequested = Signal()

    def __init__(
        self,
        window: QMainWindow,
        settings: Settings,
        icon: QIcon,
        use_tray: bool | None = None,
        clock: Callable[[], dt.datetime] = utcnow,
        record_reminded: Callable[[list[str]], None] = lambda _job_ids: None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._settings = settings
        self._clock = clock
        self._record_reminded = record_reminded
        self._notified: set[tuple[str, str]] = set()
        # Jobs reminded of in this session, until the job list shows their recorded `reminded_at`.
        self._reminded: set[str] = set()
        # The status bar notice last shown, and the ready jobs whose files it is about.
        self._status_notice = ""
        self._status_job_ids: frozenset[str] = frozenset()
        self._counts = (0, 0)
        # (export name, time left) of each running export with an estimate, for the tooltip.
        self._times_left: list[tuple[str, str]] = []
        available = QSystemTrayIcon.isSystemTrayAvailable() if use_tray is None else use_tray
        self.tray: QSystemTrayIcon | None = None
        if available:
            self.tray = self._create_tray(icon)
        else:
            log.info("No system tray on this desktop; notices go to the status bar")

    def _create_tray(self, icon: QIcon) -> QSystemTrayIcon:
        tray = QSystemTrayIcon(icon, self)
        menu = QMenu(self._window)
        show = QAction(tr("Show ExportDesk"), menu)
        show.triggered.connect(self.showRequested)
        quit_action = QAction(tr("Quit"), menu)
        quit_action.triggered.connect(self.quitRequested)
        menu.addAction(show)
        menu.addSeparator()
        menu.addAction(quit_action)
        tray.setContextMenu(menu)
        tray.activated.connect(self._activated)
        tray.setToolTip(tr("ExportDesk: no exports running"))
        tray.show()
        return tray

    @property
    def has_tray(self) -> bool:
        return self.tray is not None

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.showRequested.emit()

    def set_counts(self, running: int, queued: int) -> None:
        self._counts = (running, queued)
        self._update_tooltip()

    def set_times_left(self, times_left: list[tuple[str, str]]) -> None:
        """Show each running export's (name, time left) in the tooltip, below the counts."""
        if times_left != self._times_left:
            self._times_left = list(times_left)
            self._update_tooltip()

    def _update_tooltip(self) -> None:
        if self.tray is None:
            return
        running, queued = self._counts
        if not running and not queued:
            self.tray.setToolTip(tr("ExportDesk: no exports running"))
            return
        lines = [tr("ExportDesk: running {running}, queued {queued}").format(running=running, queued=queued)]
        lines += [tr("{name}: {time_left} left").format(name=name, time_left=time_left) for name, time_left in self._times_left]
        text = "\n".join(lines)
        if self.tray.toolTip() != text:
            self.tray.setToolTip(text)

    def notify_job(self, job: Job) -> None:
        """Show the notice for a job that became ready or failed, once per job and state."""
        notice = job_notice(job)
        key = (job.id, job.state.value)
        if notice is None or key in self._notified:
            return
        self._notified.add(key)
        title, text = notice
        now = self._clock()
        if needs_reminder(job, now) and job.expires_at is not None:
            # A file kept for less than the reminder threshold gets the reminder in this notice.
            remaining = format_remaining(job.expires_at - now)
            text = f"{text}. " + tr("{remaining} left before the file is deleted.").format(remaining=remaining)
            self._reminded.add(job.id)
            self._record_reminded([job.id])
        icon = QSystemTrayIcon.MessageIcon.Information if job.state is JobState.READY else QSystemTrayIcon.MessageIcon.Warning
        self.notice(title, text, icon, job_ids=[job.id] if job.state is JobState.READY else [])

    def notice(
        self,
        title: str,
        text: str,
        icon: QSystemTrayIcon.MessageIcon = QSystemTrayIcon.MessageIcon.Information,
        job_ids: list[str] | None = None,
    ) -> None:
        """Show a notice as a tray message when possible, and always in the status bar.

        `job_ids` name the ready jobs whose files the notice is about: `drop_stale_notice`
        clears the status bar once one of them has expired or is gone.
        """
        if self.tray is not None and self._settings.notifications:
            self.tray.showMessage(title, text, icon, NOTICE_TIMEOUT_MS)
        self._status_notice = f"{title}. {text}"
        self._status_job_ids = frozenset(job_ids or ())
        self._window.statusBar().showMessage(self._status_notice, NOTICE_TIMEOUT_MS)

    def drop_stale_notice(self, jobs: list[Job]) -> None:
        """Clear the status bar notice about a ready file once that file has expired or was removed."""
        if not self._status_job_ids:
            return
        status_bar = self._window.statusBar()
        if status_bar.currentMessage() != self._status_notice:
            # The notice timed out or another message replaced it.
            self._status_job_ids = frozenset()
            return
        now = self._clock()
        ready = {job.id for job in jobs if job.state is JobState.READY and not job.is_expired_at(now)}
        if self._status_job_ids <= ready:
            return
        status_bar.clearMessage()
        self._status_job_ids = frozenset()

    def remind_expiring(self, jobs: list[Job]) -> None:
        """Show one reminder for the jobs in `jobs` that now need one, if notifications are on."""
        if not self._settings.notifications:
            return
        now = self._clock()
        due = [job for job in jobs if job.id not in self._reminded and needs_reminder(job, now)]
        if not due:
            return
        self._reminded.update(job.id for job in due)
        self._record_reminded([job.id for job in due])
        # needs_reminder() returned True only for jobs with an expiry time.
        remaining = {job.id: format_remaining(job.expires_at - now) for job in due if job.expires_at is not None}
        if len(due) == 1:
            name = due[0].name or due[0].file_name
            text = tr("The export \u201c{name}\u201d has not been downloaded: {remaining} left before its file is deleted.").format(
                name=name, remaining=remaining[due[0].id]
            )
        else:
            exports = ", ".join(
                tr("{name} ({remaining} left)").format(name=job.name or job.file_name, remaining=remaining[job.id]) for job in due
            )
            text = tr("Exports not downloaded yet: {exports}. Their files are deleted when the time is up.").format(exports=exports)
        log.info("Reminding that %d undownloaded export(s) expire soon: %s", len(due), ", ".join(job.id for job in due))
        self.notice(
            tr("Download the file before it is deleted"), text, QSystemTrayIcon.MessageIcon.Warning, [job.id for job in due]
        )
