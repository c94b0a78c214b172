"""The permanent status bar texts: running and queued exports, and the storage the owner uses."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QMainWindow
from sqlalchemy.exc import SQLAlchemyError

from exportdesk.gui.formatting import format_size
from exportdesk.gui.job_model import JobTableModel
from exportdesk.i18n import tr
from exportdesk.jobs import JobState
from exportdesk.store import JobStore

log = logging.getLogger(__name__)


def usage_text(count: int, total_bytes: int) -> str:
    """Return e.g. "Stored: 3 files, 12.4 MB", with the plural form the UI language needs."""
    if count == 0:
        return tr("Stored: no files")
    return tr("Stored: %Ln file(s), {size}", None, count).format(size=format_size(total_bytes))


def counts_text(running: int, queued: int) -> str:
    return tr("Running: {running} · Queued: {queued}").format(running=running, queued=queued)


class StatusInfo(QObject):
    """Keep the counts and storage labels in the status bar up to date with the job list."""

    def __init__(self, window: QMainWindow, store: JobStore, owner: str, model: JobTableModel) -> None:
        super().__init__(window)
        self._store = store
        self._owner = owner
        self._model = model
        # The ready jobs' ids and sizes when the usage was last read. The usage changes only with them.
        self._ready_snapshot: tuple[tuple[str, int], ...] | None = None
        self.usage_label = QLabel()
        self.usage_label.setAccessibleName(tr("Ready files kept in the data folder, and their total size"))
        self.counts_label = QLabel()
        self.counts_label.setAccessibleName(tr("Number of running and queued exports"))
        for label in (self.usage_label, self.counts_label):
            label.setContentsMargins(8, 0, 8, 0)
            window.statusBar().addPermanentWidget(label)
        self.show_counts(0, 0)
        model.activeCountsChanged.connect(self.show_counts)
        # The usage changes only when a job's state changes or a read of every job shows an
        # ended job expired or removed. Checking after each read of the active jobs, every
        # 100 ms while exports run, would walk the whole list each time.
        self._state_changed = False
        model.jobStateChanged.connect(self._job_state_changed)
        model.refreshed.connect(self._list_refreshed)
        model.allJobsRead.connect(self.refresh_usage)
        self.refresh_usage()

    def _job_state_changed(self, _job_id: str, _old: str, _new: str) -> None:
        # A sweep can change hundreds of states in one read: the usage is read once, after it.
        self._state_changed = True

    def _list_refreshed(self) -> None:
        if self._state_changed:
            self._state_changed = False
            self.refresh_usage()

    def show_counts(self, running: int, queued: int) -> None:
        self.counts_label.setText(counts_text(running, queued))

    def refresh_usage(self, force: bool = False) -> None:
        """Read the owner's usage again when the ready jobs changed, or always with `force`."""
        self._state_changed = False
        snapshot = tuple((job.id, job.bytes_written) for job in self._model.jobs() if job.state is JobState.READY)
        if snapshot == self._ready_snapshot and not force:
            return
        try:
            count, total_bytes = self._store.usage(self._owner)
        except SQLAlchemyError as error:
            log.error("Status bar: reading the storage usage failed: %s", error)
            return
        self._ready_snapshot = snapshot
        self.usage_label.setText(usage_text(count, total_bytes))
