"""The main window's menu bar, toolbar and job list context menu, all built from one `ActionSet`."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget

from exportdesk.gui.accessibility import name_toolbar_buttons
from exportdesk.gui.job_actions import ActionSet, JobAction
from exportdesk.i18n import tr

_TOOLBAR_JOB_ACTIONS = (JobAction.DOWNLOAD, JobAction.OPEN_FOLDER, JobAction.EXPORT_AGAIN, JobAction.CANCEL, JobAction.REMOVE)


def build_menus_and_toolbar(window: QMainWindow, actions: ActionSet) -> None:
    file_menu = window.menuBar().addMenu(tr("&File"))
    file_menu.addAction(actions.new_export)
    file_menu.addSeparator()
    file_menu.addAction(actions.settings)
    file_menu.addSeparator()
    file_menu.addAction(actions.quit)
    view_menu = window.menuBar().addMenu(tr("&View"))
    view_menu.addAction(actions.find)
    view_menu.addAction(actions.refresh)
    export_menu = window.menuBar().addMenu(tr("&Export"))
    for job_action in JobAction:
        if job_action is JobAction.COPY_DETAILS:
            export_menu.addSeparator()
        export_menu.addAction(actions[job_action])
    help_menu = window.menuBar().addMenu(tr("&Help"))
    help_menu.addAction(actions.about)
    for menu in (file_menu, view_menu, export_menu, help_menu):
        menu.setToolTipsVisible(True)

    toolbar = window.addToolBar(tr("Actions"))
    toolbar.setObjectName("actions")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    toolbar.addAction(actions.new_export)
    toolbar.addSeparator()
    for job_action in _TOOLBAR_JOB_ACTIONS:
        toolbar.addAction(actions[job_action])
    name_toolbar_buttons(toolbar)


def build_context_menu(parent: QWidget, actions: ActionSet) -> QMenu:
    menu = QMenu(parent)
    menu.setToolTipsVisible(True)
    for job_action in (JobAction.DOWNLOAD, JobAction.OPEN_FOLDER, JobAction.VERIFY, JobAction.EXPORT_AGAIN, JobAction.CANCEL):
        menu.addAction(actions[job_action])
    menu.addSeparator()
    menu.addAction(actions[JobAction.REMOVE])
    menu.addSeparator()
    menu.addAction(actions[JobAction.COPY_DETAILS])
    menu.addAction(actions.new_export)
    return menu
