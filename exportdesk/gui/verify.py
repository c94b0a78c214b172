"""Verify a ready job's file off the GUI thread and show the result in plain words.

Every file is checked against the SHA-256 and size recorded with its job. A ZIP is also checked
against its `manifest.json`, so a failure can name the files inside it that differ. The
technical problems go to the log, and the user sees only file names and what to do.
"""

from __future__ import annotations

import json
import logging
import zipfile
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from exportdesk.context import Context
from exportdesk.engine import actions
from exportdesk.formats.bundle import MANIFEST_NAME, verify_bundle, verify_file
from exportdesk.gui.background import BackgroundTasks, ProgressReport
from exportdesk.gui.download import ask_export_again
from exportdesk.i18n import tr
from exportdesk.jobs import Job
from exportdesk.store import JobNotFound

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of verifying one artifact."""

    file_name: str
    # Whether the whole file has the SHA-256 and size recorded with its job.
    file_matches: bool
    # None for a file that is not a ZIP, else whether every member matches the manifest.
    bundle_matches: bool | None = None
    # Members of a ZIP that match the manifest, and those that differ, are missing or are not listed.
    members_checked: tuple[str, ...] = ()
    members_differing: tuple[str, ...] = ()
    # The problems in English, as `exportdesk.formats.bundle` words them, for the log only.
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.file_matches and self.bundle_matches is not False


def verify_artifact(job: Job, path: Path) -> VerifyResult:
    """Check `path` against `job`'s recorded SHA-256 and size and, for a ZIP, against its manifest.

    Raises OSError when the file cannot be read, e.g. FileNotFoundError after retention deleted it.
    """
    file_report = verify_file(path, job.sha256, job.bytes_written)
    if path.suffix.lower() != ".zip":
        return VerifyResult(path.name, file_report.ok, problems=tuple(str(problem) for problem in file_report.problems))
    # The manifest is checked even when the whole file differs, so the message can name the members.
    bundle_report = verify_bundle(path)
    differing: tuple[str, ...] = ()
    if not bundle_report.ok:
        differing = tuple(sorted(set(_bundle_member_names(path)) - set(bundle_report.checked)))
    return VerifyResult(
        path.name,
        file_report.ok,
        bundle_report.ok,
        tuple(bundle_report.checked),
        differing,
        tuple(str(problem) for problem in file_report.problems + bundle_report.problems),
    )


def _bundle_member_names(path: Path) -> list[str]:
    """Return the files in the archive and those its manifest lists, without the manifest itself.

    Returns an empty list when the archive or its manifest cannot be read.
    """
    # NOTE: the failed members are taken as every member that verify_bundle did not report as
    # checked, so an archive without manifest.json names all its files.
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if MANIFEST_NAME in names:
                manifest = json.loads(archive.read(MANIFEST_NAME))
                names.update(str(entry["file"]) for entry in manifest.get("tables", []))
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, TypeError, AttributeError):
        return []
    names.discard(MANIFEST_NAME)
    return sorted(names)


def success_text(result: VerifyResult) -> str:
    if result.bundle_matches is None:
        return tr("File verified: it matches the recorded checksum.")
    return tr("%Ln file(s) verified against the manifest, no differences.", None, len(result.members_checked))


def failure_text(result: VerifyResult) -> str:
    """Describe a failed verification by file names only."""
    if result.members_differing:
        return tr("These files in {archive} do not match the manifest: {names}. The archive was changed or damaged after the export.").format(
            archive=result.file_name, names=", ".join(result.members_differing)
        )
    if not result.file_matches:
        return tr("The file {name} does not match the recorded checksum: it was changed or damaged after the export.").format(
            name=result.file_name
        )
    return tr("The archive {name} could not be checked against its manifest: it is damaged.").format(name=result.file_name)


class VerifyFlow(QObject):
    """Verify the selected job's file in the background and show the result in a message box."""

    # Status bar text, e.g. while a file is being verified.
    statusMessage = Signal(str)
    # The user chose "Export again" after the file was found expired or damaged.
    exportAgainRequested = Signal(str)

    def __init__(self, ctx: Context, tasks: BackgroundTasks, window: QWidget) -> None:
        super().__init__(window)
        self._ctx = ctx
        self._tasks = tasks
        self._window = window
        self._running: set[str] = set()

    def start(self, job_id: str) -> None:
        """Verify the job's file, unless a verification of it is already running."""
        try:
            job, path = actions.artifact_for_download(self._ctx, job_id)
        except actions.ArtifactExpired:
            self._offer_export_again(job_id, tr("The file is no longer available: its retention period has expired."))
            return
        except actions.ArtifactNotReady:
            self._inform(QMessageBox.Icon.Information, tr("The file can be verified when the export is ready."))
            return
        except JobNotFound:
            self._inform(QMessageBox.Icon.Information, tr("This export no longer exists: it was removed."))
            return
        self.statusMessage.emit(tr("Verifying {file}…").format(file=job.file_name))
        if job.id in self._running:
            return
        self._running.add(job.id)

        # NOTE: the checks never call report(), so BackgroundTasks.shutdown() waits for a large
        # file to be read to the end, up to its timeout.
        def check(_report: ProgressReport) -> VerifyResult:
            return verify_artifact(job, path)

        self._tasks.run(
            check,
            on_success=lambda result: self._checked(job, path, result),
            on_failure=lambda error: self._failed(job, error),
        )

    def _checked(self, job: Job, path: Path, result: VerifyResult) -> None:
        self._running.discard(job.id)
        if result.ok:
            log.info("Job %s: verified %s", job.id, result.file_name)
            self._inform(QMessageBox.Icon.Information, success_text(result))
            return
        if not path.is_file():
            # Retention deleted the file while it was being read.
            self._offer_export_again(job.id, tr("The file is no longer available: its retention period has expired."))
            return
        log.warning("Job %s: verifying %s failed: %s", job.id, result.file_name, "; ".join(result.problems))
        self._offer_export_again(job.id, failure_text(result))

    def _failed(self, job: Job, error: BaseException) -> None:
        self._running.discard(job.id)
        if isinstance(error, FileNotFoundError):
            self._offer_export_again(job.id, tr("The file is no longer available: its retention period has expired."))
            return
        if isinstance(error, OSError):
            log.error("Job %s: reading %s for verification failed: %s", job.id, job.file_name, error)
            text = tr("Could not read the file {name}. Check the permissions of the data folder.")
        else:
            log.error("Job %s: verifying %s failed", job.id, job.file_name, exc_info=error)
            text = tr("Could not verify the file {name}. If this repeats, send the log to support.")
        self._inform(QMessageBox.Icon.Warning, text.format(name=job.file_name))

    def _offer_export_again(self, job_id: str, text: str) -> None:
        if ask_export_again(self._window, tr("Verify file"), text):
            self.exportAgainRequested.emit(job_id)

    def _inform(self, icon: QMessageBox.Icon, text: str) -> None:
        box = QMessageBox(icon, tr("Verify file"), text, QMessageBox.StandardButton.Ok, self._window)
        box.exec()
