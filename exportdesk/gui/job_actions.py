"""The window's actions, and which of them apply to the selected job and why not.

`availability()` is a pure function of the job and the time, so the rules are tested without
a window. `ActionSet.update_for()` applies it: an action that does not apply is disabled, and
its tooltip gives the reason. It also gives the Delete key to Remove for an ended job and to
Cancel for a queued or running one, so one key does what fits the selected job.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QStyle, QWidget

from exportdesk.i18n import QT_TR_NOOP, tr
from exportdesk.jobs import Job, JobState


class JobAction(enum.Enum):
    CANCEL = "cancel"
    DOWNLOAD = "download"
    OPEN_FOLDER = "open_folder"
    VERIFY = "verify"
    EXPORT_AGAIN = "export_again"
    REMOVE = "remove"
    COPY_DETAILS = "copy_details"


@dataclass(frozen=True)
class Availability:
    """Whether an action applies, and otherwise the sentence that explains why not."""

    enabled: bool
    reason: str = ""


_ENABLED = Availability(True)


def availability(action: JobAction, job: Job | None, now: dt.datetime) -> Availability:
    """Decide whether `action` applies to `job` at `now`. The reason is in the UI language."""
    if job is None:
        return Availability(False, tr("Select an export in the list first."))
    if action is JobAction.CANCEL:
        if not job.state.is_active:
            return Availability(False, tr("Only a queued or running export can be cancelled."))
        if job.cancel_requested:
            return Availability(False, tr("Cancellation has already been requested."))
        return _ENABLED
    if action in (JobAction.DOWNLOAD, JobAction.OPEN_FOLDER):
        if job.is_expired_at(now):
            return Availability(False, tr("The file is no longer available: its retention period has expired."))
        if job.state is not JobState.READY:
            return Availability(False, tr("The file can be downloaded when the export is ready."))
        return _ENABLED
    if action is JobAction.VERIFY:
        if job.is_expired_at(now):
            return Availability(False, tr("The file is no longer available: its retention period has expired."))
        if job.state is not JobState.READY:
            return Availability(False, tr("The file can be verified when the export is ready."))
        return _ENABLED
    if action is JobAction.COPY_DETAILS:
        return _ENABLED
    if action is JobAction.EXPORT_AGAIN:
        if job.state.is_active:
            return Availability(False, tr("The export is still running: wait for it to end or cancel it."))
        return _ENABLED
    if job.state.is_active:
        return Availability(False, tr("The export is still running: cancel it before removing."))
    return _ENABLED


@dataclass(frozen=True)
class _ActionText:
    title: str
    description: str
    shortcut: QKeySequence | QKeySequence.StandardKey | str | None
    icon: QStyle.StandardPixmap | None


_JOB_ACTION_TEXT: dict[JobAction, _ActionText] = {
    JobAction.CANCEL: _ActionText(QT_TR_NOOP("Cancel"), QT_TR_NOOP("Stop the selected export"), None, QStyle.StandardPixmap.SP_BrowserStop),
    JobAction.DOWNLOAD: _ActionText(
        QT_TR_NOOP("Download…"), QT_TR_NOOP("Save the exported file to a folder of your choice"), "Ctrl+S", QStyle.StandardPixmap.SP_DialogSaveButton
    ),
    JobAction.OPEN_FOLDER: _ActionText(
        QT_TR_NOOP("Open folder"), QT_TR_NOOP("Open the folder that contains the exported file"), None, QStyle.StandardPixmap.SP_DirOpenIcon
    ),
    JobAction.VERIFY: _ActionText(
        "Verify file", QT_TR_NOOP("Check the exported file against the checksum recorded when it was written"), None, None
    ),
    JobAction.EXPORT_AGAIN: _ActionText(
        "Export again", "Queue a new export with the same settings", "Ctrl+R", QStyle.StandardPixmap.SP_BrowserReload
    ),
    # update_for() gives the Delete key to Remove or to Cancel, depending on the job's state.
    JobAction.REMOVE: _ActionText(QT_TR_NOOP("Remove…"), QT_TR_NOOP("Delete the export and its file"), "Del", QStyle.StandardPixmap.SP_TrashIcon),
    JobAction.COPY_DETAILS: _ActionText(
        "Copy details for support", QT_TR_NOOP("Copy the details of the selected export as plain text, without any password"), "Ctrl+Shift+C", None
    ),
}
_DELETE_KEY = QKeySequence("Del")


def _make_action(parent: QWidget, text: _ActionText) -> QAction:
    action = QAction(tr(text.title), parent)
    if text.icon is not None:
        action.setIcon(QApplication.style().standardIcon(text.icon))
    if text.shortcut is not None:
        action.setShortcut(QKeySequence(text.shortcut))
    description = _enabled_tip(action, text)
    action.setToolTip(description)
    action.setStatusTip(description)
    return action


def _enabled_tip(action: QAction, text: _ActionText) -> str:
    """Return the action's description, followed by its shortcut when it has one."""
    shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    description = tr(text.description)
    return f"{description} ({shortcut})" if shortcut else description


class ActionSet:
    """Every action of the main window: the general ones and those for the selected job."""

    def __init__(self, parent: QWidget) -> None:
        self.new_export = _make_action(
            parent, _ActionText(QT_TR_NOOP("New export…"), QT_TR_NOOP("Start a new export"), "Ctrl+N", QStyle.StandardPixmap.SP_FileIcon)
        )
        self.settings = _make_action(
            parent, _ActionText(QT_TR_NOOP("Settings…"), QT_TR_NOOP("Change retention, parallel exports, language and notifications"), None, None)
        )
        self.about = _make_action(parent, _ActionText("About ExportDesk", QT_TR_NOOP("Version and data folder"), None, None))
        self.find = _make_action(parent, _ActionText(QT_TR_NOOP("Find"), QT_TR_NOOP("Move the cursor to the search field"), "Ctrl+F", None))
        self.refresh = _make_action(parent, _ActionText(QT_TR_NOOP("Refresh"), QT_TR_NOOP("Read the list of exports again"), "F5", None))
        self.quit = _make_action(parent, _ActionText("Quit", QT_TR_NOOP("Quit ExportDesk"), QKeySequence.StandardKey.Quit, None))
        self.quit.setMenuRole(QAction.MenuRole.QuitRole)
        self.settings.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.about.setMenuRole(QAction.MenuRole.AboutRole)
        self.job_actions: dict[JobAction, QAction] = {
            job_action: _make_action(parent, text) for job_action, text in _JOB_ACTION_TEXT.items()
        }

    def __getitem__(self, job_action: JobAction) -> QAction:
        return self.job_actions[job_action]

    def update_for(self, job: Job | None, now: dt.datetime) -> None:
        """Enable the job actions that apply to `job`, and give each disabled one the reason as its tooltip."""
        self._assign_delete_key(job)
        for job_action, action in self.job_actions.items():
            state = availability(job_action, job, now)
            text = _JOB_ACTION_TEXT[job_action]
            tip = _enabled_tip(action, text) if state.enabled else state.reason
            if action.isEnabled() != state.enabled:
                action.setEnabled(state.enabled)
            if action.toolTip() != tip:
                action.setToolTip(tip)
                action.setStatusTip(tip)

    def _assign_delete_key(self, job: Job | None) -> None:
        """Give Delete to Cancel while `job` is queued or running, else to Remove; never to both."""
        active = job is not None and job.state.is_active
        cancel_key = _DELETE_KEY if active else QKeySequence()
        remove_key = QKeySequence() if active else _DELETE_KEY
        for action, key in ((self.job_actions[JobAction.CANCEL], cancel_key), (self.job_actions[JobAction.REMOVE], remove_key)):
            if action.shortcut() != key:
                action.setShortcut(key)
