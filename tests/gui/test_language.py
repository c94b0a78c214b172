"""The window in Russian: its own texts from the catalogue and Qt's buttons from qtbase_ru.qm."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from exportdesk.context import Context
from exportdesk.gui.controller import AppController
from exportdesk.gui.icons import app_icon
from exportdesk.gui.job_actions import JobAction
from exportdesk.gui.job_model import JobColumn
from exportdesk.i18n import current_language


@pytest.fixture
def russian_window(qtbot: QtBot, gui_ctx: Context, russian: None) -> Iterator[AppController]:
    app_controller = AppController(gui_ctx, app_icon(), use_tray=False, prepare_demo=False)
    app_controller.start()
    yield app_controller
    app_controller.shutdown()


def test_setting_ru_selects_russian(russian: None) -> None:
    assert current_language() == "ru"


def test_window_texts_are_russian(russian_window: AppController) -> None:
    window = russian_window.window
    assert window.windowTitle() == "ExportDesk"
    assert window.actions.new_export.text() == "Новый экспорт…"
    assert window.actions[JobAction.DOWNLOAD].text() == "Скачать…"
    assert window.actions[JobAction.EXPORT_AGAIN].text() == "Экспортировать снова"
    assert window.actions[JobAction.DOWNLOAD].toolTip() == "Сначала выберите экспорт в списке."
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus == ["&Файл", "&Вид", "&Экспорт", "&Справка"]
    header = window.model.headerData(JobColumn.STATE, Qt.Orientation.Horizontal)
    assert header == "Состояние"
    assert window.counts_label.text() == "Выполняется: 0 · В очереди: 0"


def test_standard_buttons_are_russian(qtbot: QtBot, russian: None) -> None:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(buttons)
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Отмена"


def test_new_export_dialog_is_russian(qtbot: QtBot, russian_window: AppController) -> None:
    window = russian_window.window
    window.actions.new_export.trigger()
    dialog = window.new_export_dialog
    assert dialog is not None
    assert dialog.windowTitle() == "Новый экспорт"
    assert dialog.demo_radio.text() == "Демо: рейсы Нью-Йорка 2013"
    assert dialog.output.profile_combo.itemText(0) == "Excel (ru)"
    dialog.reject()
