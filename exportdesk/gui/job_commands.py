"""Cancel and remove a job after asking, and report the outcome in the status bar.

Both ask first because neither can be undone: cancelling discards what a running export
has written, and removing deletes the file. Deleting files runs in `BackgroundTasks`.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from exportdesk.context import Context
from exportdesk.engine import actions
from exportdesk.gui.background import BackgroundTasks
from exportdesk.i18n import tr
from exportdesk.jobs import InvalidTransition, Job, JobState
from exportdesk.store import JobNotFound

log = logging.getLogger(__name__)


def ask_cancel(parent: QWidget, job: Job) -> bool:
    """Ask whether to cancel `job`; True means cancel. Escape and closing the box keep it running."""
    name = job.name or job.file_name
    if job.state is JobState.RUNNING:
        text = tr("Cancel the export \u201c{name}\u201d? The part exported so far is deleted.").format(name=name)
    else:
        text = tr("Cancel the queued export \u201c{name}\u201d?").format(name=name)
    box = QMessageBox(QMessageBox.Icon.Question, tr("Cancel export?"), text, parent=parent)
    cancel_export = box.addButton(tr("Cancel export"), QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton(tr("Keep exporting"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is cancel_export


def ask_remove(parent: QWidget, job: Job) -> bool:
    """Ask whether to remove `job` and its file; True means remove. Escape and closing the box keep it."""
    text = tr("Remove the export \u201c{name}\u201d and delete its file? This cannot be undone.").format(
        name=job.name or job.file_name
    )
    box = QMessageBox(QMessageBox.Icon.Question, tr("Remove export"), text, parent=parent)
    remove = box.addButton(tr("Remove export", "confirmation button"), QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton(tr("Keep export"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is remove


class JobCommands(QObject):
    """Cancel and remove, each after a question."""

    # Status bar text about the outcome.
    statusMessage = Signal(str)
    # Emitted when the job table changed, so the list should be read again.
    jobsChanged = Signal()

    def __init__(self, ctx: Context, tasks: BackgroundTasks, window: QWidget) -> None:
        super().__init__(window)
        self._ctx = ctx
        self._tasks = tasks
        self._window = window

    def cancel(self, job: Job) -> None:
        """Cancel a queued or running `job` after asking."""
        if not job.state.is_active or not ask_cancel(self._window, job):
            return
        try:
            actions.cancel(self._ctx, job.id)
        except InvalidTransition:
            self.statusMessage.emit(tr("The export has already ended."))
        except JobNotFound:
            self.statusMessage.emit(tr("This export no longer exists: it was removed."))
        else:
            self.statusMessage.emit(tr("Cancel requested: {name}").format(name=job.name or job.file_name))
        self.jobsChanged.emit()

    def remove(self, job: Job) -> None:
        """Remove an ended `job` and delete its file after asking."""
        if job.state.is_active or not ask_remove(self._window, job):
            return
        name = job.name or job.file_name
        ctx = self._ctx
        self._tasks.run(
            lambda _report: actions.remove(ctx, job.id),
            on_success=lambda _removed: self._removed(name),
            on_failure=self._remove_failed,
        )

    def _removed(self, name: str) -> None:
        self.jobsChanged.emit()
        self.statusMessage.emit(tr("Removed: {name}").format(name=name))

    def _remove_failed(self, error: BaseException) -> None:
        self.jobsChanged.emit()
        if isinstance(error, JobNotFound):
            return
        if isinstance(error, InvalidTransition):
            reason = tr("The export is still running: cancel it before removing.")
        else:
            log.error("Removing an export failed", exc_info=error)
            reason = tr("Could not delete the file. Check the permissions of the data folder.")
        QMessageBox.warning(self._window, tr("Remove export"), tr("Could not remove the export: {reason}").format(reason=reason))
