"""The question asked when the user quits while exports are queued or running."""

from __future__ import annotations

import enum

from PySide6.QtWidgets import QMessageBox, QWidget

from exportdesk.i18n import QT_TR_NOOP, tr

_RUNNING_EXPORTS_EXPLANATION = QT_TR_NOOP(
    "Running exports can finish without the window: their files appear in the list the next time ExportDesk starts. "
    "Queued exports wait until then."
)


class QuitChoice(enum.Enum):
    STOP_JOBS = "stop_jobs"
    LEAVE_RUNNING = "leave_running"


def ask_about_running_jobs(parent: QWidget, active_count: int) -> QuitChoice | None:
    """Ask whether to stop the active exports or leave them running. None means do not quit."""
    box = QMessageBox(QMessageBox.Icon.Question, tr("Quit ExportDesk?"), tr("%Ln export(s) still running or queued.", None, active_count), parent=parent)
    box.setInformativeText(tr(_RUNNING_EXPORTS_EXPLANATION))
    stop = box.addButton(tr("Stop exports and quit"), QMessageBox.ButtonRole.DestructiveRole)
    leave = box.addButton(tr("Leave running and quit"), QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(leave)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    if clicked is stop:
        return QuitChoice.STOP_JOBS
    if clicked is leave:
        return QuitChoice.LEAVE_RUNNING
    return None
