"""Download a ready job's file: ask where to save it, copy it off the GUI thread, verify SHA-256.

`actions.download()` copies through a temporary file and checks the checksum. This module
adds the Save As dialog, a progress dialog with Cancel, and a plain message for each failure.
"""

from __future__ import annotations

import errno
import logging
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from exportdesk.context import Context
from exportdesk.engine import actions
from exportdesk.gui.background import BackgroundTasks, ProgressReport, TaskCancelled
from exportdesk.i18n import QT_TR_NOOP, tr
from exportdesk.jobs import Job
from exportdesk.store import JobNotFound

log = logging.getLogger(__name__)

_PROGRESS_STEPS = 1000

_OS_ERROR_REASONS = {
    errno.ENOSPC: QT_TR_NOOP("there is not enough disk space. Free some space or choose another disk."),
    errno.EACCES: QT_TR_NOOP("there is no permission to write to this folder. Choose another folder."),
    errno.EPERM: QT_TR_NOOP("there is no permission to write to this folder. Choose another folder."),
    errno.EROFS: QT_TR_NOOP("there is no permission to write to this folder. Choose another folder."),
    errno.ENOENT: QT_TR_NOOP("the folder does not exist. Choose another folder."),
}
_OTHER_OS_ERROR = QT_TR_NOOP("the file could not be written. Choose another folder, and if this repeats, send the log to support.")


def default_download_folder(configured: str) -> Path:
    """Return the configured download folder if it exists, else the user's Downloads, else home."""
    if configured and Path(configured).expanduser().is_dir():
        return Path(configured).expanduser()
    downloads = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DownloadLocation)
    if downloads and Path(downloads).is_dir():
        return Path(downloads)
    return Path.home()


# The Save As filter for each artifact extension.
_FILE_FILTERS = {
    ".csv": QT_TR_NOOP("CSV files (*.csv)"),
    ".jsonl": QT_TR_NOOP("JSON Lines files (*.jsonl)"),
    ".json": QT_TR_NOOP("JSON files (*.json)"),
    ".xlsx": QT_TR_NOOP("Excel workbooks (*.xlsx)"),
    ".zip": QT_TR_NOOP("ZIP archives (*.zip)"),
}


def file_filter(file_name: str) -> str:
    """Return the Save As filters: the one for the file's extension, if known, then all files."""
    first = _FILE_FILTERS.get(Path(file_name).suffix.lower())
    all_files = tr("All files (*)")
    if first is None:
        return all_files
    return f"{tr(first)};;{all_files}"


def ask_export_again(parent: QWidget, title: str, text: str) -> bool:
    """Show `text` with the advice to export again, and return True when the user chose Export again."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
    box.setInformativeText(tr("Export again to get a new file with the same settings."))
    again = box.addButton(tr("Export again"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.setDefaultButton(again)
    box.exec()
    return box.clickedButton() is again


class DownloadFlow(QObject):
    """The steps of one download at a time, from the Save As dialog to the final message."""

    # (job id, saved path)
    downloaded = Signal(str, str)
    # Status bar text, e.g. after a cancelled download.
    statusMessage = Signal(str)
    # The user chose "Export again" after finding the file expired.
    exportAgainRequested = Signal(str)

    def __init__(self, ctx: Context, tasks: BackgroundTasks, window: QWidget) -> None:
        super().__init__(window)
        self._ctx = ctx
        self._tasks = tasks
        self._window = window
        self._progress: QProgressDialog | None = None

    @property
    def busy(self) -> bool:
        return self._progress is not None

    def start(self, job_id: str) -> None:
        """Ask where to save the job's file, then copy it in the background."""
        if self.busy:
            return
        try:
            job, _ = actions.artifact_for_download(self._ctx, job_id)
        except actions.ArtifactExpired:
            self.offer_export_again(job_id)
            return
        except actions.ArtifactNotReady:
            QMessageBox.information(self._window, tr("Download"), tr("The file can be downloaded when the export is ready."))
            return
        except JobNotFound:
            QMessageBox.information(self._window, tr("Download"), tr("This export no longer exists: it was removed."))
            return

        suggested = default_download_folder(self._ctx.settings.download_dir) / job.file_name
        chosen, _ = QFileDialog.getSaveFileName(self._window, tr("Save export as"), str(suggested), file_filter(job.file_name))
        if not chosen:
            return
        self._copy(job, Path(chosen))

    def offer_export_again(self, job_id: str) -> None:
        if ask_export_again(self._window, tr("Download"), tr("The file is no longer available: its retention period has expired.")):
            self.exportAgainRequested.emit(job_id)

    def _copy(self, job: Job, destination: Path) -> None:
        # This constructor gives the Cancel button Qt's own translated text.
        progress = QProgressDialog(self._window)
        progress.setLabelText(tr("Saving {file}…").format(file=destination.name))
        progress.setRange(0, _PROGRESS_STEPS)
        progress.setWindowTitle(tr("Download"))
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.setValue(0)
        self._progress = progress

        def copy(report: ProgressReport) -> Path:
            return actions.download(self._ctx, job.id, destination, progress=report)

        def show_progress(done: int, total: int) -> None:
            if total > 0:
                progress.setValue(min(_PROGRESS_STEPS, done * _PROGRESS_STEPS // total))

        task = self._tasks.run(
            copy,
            on_success=lambda saved: self._succeeded(job, saved),
            on_failure=lambda error: self._failed(job, destination, error),
            on_progress=show_progress,
        )
        progress.canceled.connect(task.cancel)

    def _close_progress(self) -> None:
        if self._progress is not None:
            self._progress.close()
            self._progress.deleteLater()
            self._progress = None

    def _succeeded(self, job: Job, saved: Path) -> None:
        self._close_progress()
        self.statusMessage.emit(tr("Saved to {path}").format(path=str(saved)))
        self.downloaded.emit(job.id, str(saved))

    def _failed(self, job: Job, destination: Path, error: BaseException) -> None:
        self._close_progress()
        if isinstance(error, TaskCancelled):
            log.info("Job %s: download to %s cancelled", job.id, destination)
            self.statusMessage.emit(tr("Download cancelled."))
            return
        if isinstance(error, actions.ArtifactExpired):
            self.offer_export_again(job.id)
            return
        if isinstance(error, actions.InvalidDestination):
            # The reason is already in the UI language, and it names the path and the fix.
            log.info("Job %s: rejected destination %s: %s", job.id, destination, error)
            QMessageBox.warning(self._window, tr("Download"), str(error))
            return
        if isinstance(error, actions.ChecksumMismatch):
            log.error("Job %s: %s", job.id, error)
            QMessageBox.warning(self._window, tr("Download"), tr(
                "The saved copy did not match the exported file, so it was deleted. Download again, and if this repeats, export again."
            ))
            return
        if isinstance(error, OSError):
            log.error("Job %s: saving to %s failed: %s", job.id, destination, error)
            reason = tr(_OS_ERROR_REASONS.get(error.errno or 0, _OTHER_OS_ERROR))
        else:
            log.error("Job %s: download to %s failed", job.id, destination, exc_info=error)
            reason = tr(_OTHER_OS_ERROR)
        QMessageBox.warning(self._window, tr("Download"), tr("Could not save {path}: {reason}").format(path=str(destination), reason=reason))
