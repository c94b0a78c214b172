"""Shortcuts reach the right actions, Delete fits the selected job, and controls have accessible names."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from exportdesk.context import Context, Settings
from exportdesk.gui import job_commands
from exportdesk.gui.background import BackgroundTasks
from exportdesk.gui.controller import AppController
from exportdesk.gui.icons import app_icon
from exportdesk.gui.job_actions import JobAction
from exportdesk.gui.main_window import MainWindow
from exportdesk.gui.new_export_dialog import NewExportDialog
from exportdesk.gui.settings_dialog import SettingsDialog
from exportdesk.jobs import Job, JobState
from tests.gui.job_factory import JobFactory

CONTROL_TYPES = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView, QPlainTextEdit)


class Recorder:
    """Record the jobs a question was asked about, and return a fixed choice."""

    def __init__(self, choice: bool) -> None:
        self.choice = choice
        self.jobs: list[str] = []

    def __call__(self, _parent: QWidget, job: Job) -> bool:
        self.jobs.append(job.id)
        return self.choice


@pytest.fixture
def active_window(qtbot: QtBot, controller: AppController) -> MainWindow:
    """The running window, active, so its window shortcuts receive key presses."""
    window = controller.window
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.table.setFocus()
    return window


def press(qtbot: QtBot, window: MainWindow, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(window.table, key, modifiers)


def test_ctrl_n_opens_new_export(qtbot: QtBot, active_window: MainWindow) -> None:
    press(qtbot, active_window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = active_window.new_export_dialog
    assert dialog is not None
    assert dialog.isVisible()
    dialog.reject()


def test_ctrl_s_downloads_selected(qtbot: QtBot, active_window: MainWindow, jobs: JobFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    job = jobs.ready("airlines")
    active_window.model.refresh()
    active_window.select_job(job.id)
    started: list[str] = []
    monkeypatch.setattr(active_window.downloads, "start", started.append)

    press(qtbot, active_window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    assert started == [job.id]


def test_ctrl_r_exports_again(qtbot: QtBot, active_window: MainWindow, jobs: JobFactory) -> None:
    job = jobs.failed("weather")
    active_window.model.refresh()
    active_window.select_job(job.id)

    press(qtbot, active_window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)

    assert len(active_window.model.jobs()) == 2
    again = active_window.selected_job()
    assert again is not None
    assert again.id != job.id
    assert again.spec == job.spec


def test_delete_removes_ended_job(qtbot: QtBot, active_window: MainWindow, jobs: JobFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    job = jobs.failed("weather")
    active_window.model.refresh()
    active_window.select_job(job.id)
    ask_remove, ask_cancel = Recorder(True), Recorder(True)
    monkeypatch.setattr(job_commands, "ask_remove", ask_remove)
    monkeypatch.setattr(job_commands, "ask_cancel", ask_cancel)

    press(qtbot, active_window, Qt.Key.Key_Delete)

    assert ask_remove.jobs == [job.id]
    assert ask_cancel.jobs == []
    qtbot.waitUntil(lambda: active_window.model.job(job.id) is None)
    assert active_window.statusBar().currentMessage() == "Removed: weather.csv"


@pytest.mark.parametrize("confirmed", [True, False])
def test_delete_asks_then_cancels_active_job(
    qtbot: QtBot, active_window: MainWindow, jobs: JobFactory, monkeypatch: pytest.MonkeyPatch, confirmed: bool
) -> None:
    job = jobs.running("flights")
    active_window.model.refresh()
    active_window.select_job(job.id)
    ask_remove, ask_cancel = Recorder(True), Recorder(confirmed)
    monkeypatch.setattr(job_commands, "ask_remove", ask_remove)
    monkeypatch.setattr(job_commands, "ask_cancel", ask_cancel)

    press(qtbot, active_window, Qt.Key.Key_Delete)

    assert ask_cancel.jobs == [job.id]
    assert ask_remove.jobs == []
    stored = active_window.model.job(job.id)
    assert stored is not None
    assert stored.cancel_requested is confirmed
    assert stored.state is JobState.RUNNING


def test_delete_key_follows_job_state(active_window: MainWindow, jobs: JobFactory) -> None:
    delete = QKeySequence("Del")
    cancel, remove = active_window.actions[JobAction.CANCEL], active_window.actions[JobAction.REMOVE]
    running = jobs.running("flights")
    ready = jobs.ready("airlines")
    active_window.model.refresh()

    active_window.select_job(running.id)
    assert cancel.shortcut() == delete
    assert remove.shortcut().isEmpty()
    assert cancel.toolTip() == "Stop the selected export (Del)"

    active_window.select_job(ready.id)
    assert remove.shortcut() == delete
    assert cancel.shortcut().isEmpty()


def test_delete_in_search_field_edits_text(qtbot: QtBot, active_window: MainWindow, jobs: JobFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    job = jobs.failed("weather")
    active_window.model.refresh()
    active_window.select_job(job.id)
    ask_remove = Recorder(True)
    monkeypatch.setattr(job_commands, "ask_remove", ask_remove)
    search = active_window.filter_bar.search_edit
    search.setFocus()
    search.setText("weatherx")
    search.setCursorPosition(7)

    qtbot.keyClick(search, Qt.Key.Key_Delete)

    assert search.text() == "weather"
    assert ask_remove.jobs == []


def test_f5_refreshes(qtbot: QtBot, active_window: MainWindow, jobs: JobFactory) -> None:
    active_window.model.stop_polling()
    job = jobs.ready("airlines")
    assert active_window.model.job(job.id) is None

    with qtbot.waitSignal(active_window.model.refreshed, timeout=1000):
        press(qtbot, active_window, Qt.Key.Key_F5)

    assert active_window.model.job(job.id) is not None
    assert active_window.status.usage_label.text() == "Stored: 1 file, 1.2 kB"


def test_ctrl_shift_c_copies_details(qtbot: QtBot, active_window: MainWindow, jobs: JobFactory) -> None:
    job = jobs.ready("airlines")
    active_window.model.refresh()
    active_window.select_job(job.id)
    QGuiApplication.clipboard().clear()

    # The details are copied once the export's log lines have been read in a pool thread.
    with qtbot.waitSignal(active_window.details.detailsCopied):
        press(qtbot, active_window, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)

    assert f"SHA-256: {'ab' * 32}" in QGuiApplication.clipboard().text()


def test_every_action_in_a_menu(active_window: MainWindow) -> None:
    in_menus = {action for menu_action in active_window.menuBar().actions() for action in menu_action.menu().actions()}
    expected = {active_window.actions.new_export, active_window.actions.settings, active_window.actions.quit}
    expected |= {active_window.actions.find, active_window.actions.refresh, active_window.actions.about}
    expected |= set(active_window.actions.job_actions.values())
    assert expected <= in_menus
    mnemonics = [menu_action.text().split("&")[1][0].casefold() for menu_action in active_window.menuBar().actions()]
    assert len(set(mnemonics)) == len(mnemonics)


def unnamed_controls(top: QWidget) -> list[str]:
    """List the controls under `top` without an accessible name, skipping the parts of other controls."""
    missing = []
    for widget in top.findChildren(QWidget):
        if not isinstance(widget, CONTROL_TYPES) or isinstance(widget, QHeaderView):
            continue
        # Qt's own parts, such as the overflow buttons of the menu bar and toolbar, have names starting with qt_.
        if widget.objectName().startswith("qt_"):
            continue
        parent = widget.parentWidget()
        inside_control = False
        while parent is not None and parent is not top:
            inside_control = inside_control or isinstance(parent, CONTROL_TYPES)
            parent = parent.parentWidget()
        if inside_control or widget.window() is not top:
            continue
        if not widget.accessibleName():
            missing.append(f"{type(widget).__name__} {widget.objectName() or widget.property('text') or ''}")
    return missing


def test_window_controls_have_names(active_window: MainWindow) -> None:
    assert unnamed_controls(active_window) == []
    assert active_window.table.accessibleName() == "Exports"
    assert active_window.filter_bar.search_edit.accessibleName() == "Search exports by name"


def test_dialog_controls_have_names(qtbot: QtBot, gui_ctx: Context) -> None:
    tasks = BackgroundTasks()
    dialog = NewExportDialog(gui_ctx, tasks, lambda: None)
    qtbot.addWidget(dialog)
    settings = SettingsDialog(Settings())
    qtbot.addWidget(settings)
    try:
        assert unnamed_controls(dialog) == []
        assert unnamed_controls(settings) == []
        assert dialog.output.format_radios["jsonl"].accessibleName() == "JSON Lines"
    finally:
        assert tasks.shutdown(10_000)


@pytest.fixture
def russian_controller(qtbot: QtBot, gui_ctx: Context, russian: None) -> Iterator[AppController]:
    app_controller = AppController(gui_ctx, app_icon(), use_tray=False, prepare_demo=False)
    app_controller.start()
    yield app_controller
    app_controller.shutdown()


def test_names_in_russian(russian_controller: AppController) -> None:
    window = russian_controller.window
    assert unnamed_controls(window) == []
    assert window.table.accessibleName() == "Экспорты"
    assert window.filter_bar.search_edit.accessibleName() == "Поиск экспортов по названию"
    assert window.details.copy_button.accessibleName() == "Копировать сведения для поддержки"
    toolbar_names = {button.accessibleName() for button in window.findChildren(QAbstractButton) if button.accessibleName()}
    assert "Скачать" in toolbar_names
