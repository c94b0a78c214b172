"""Confirmation boxes and settings wording in Russian: buttons name the action, no jargon."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from exportdesk.context import Context, Settings
from exportdesk.gui import job_commands
from exportdesk.gui.settings_dialog import SettingsDialog
from tests.gui.job_factory import JobFactory


@pytest.mark.parametrize(("button", "removed"), [("Удалить экспорт", True), ("Не удалять", False)])
def test_remove_question_buttons(
    qtbot: QtBot, gui_ctx: Context, russian: None, monkeypatch: pytest.MonkeyPatch, button: str, removed: bool
) -> None:
    job = JobFactory(gui_ctx).ready(name="Рейсы")
    seen: list[list[str]] = []

    def click(box: QMessageBox) -> int:
        seen.append([candidate.text() for candidate in box.buttons()])
        next(candidate for candidate in box.buttons() if candidate.text() == button).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", click)
    parent = QWidget()
    qtbot.addWidget(parent)

    assert job_commands.ask_remove(parent, job) is removed
    assert sorted(seen[0]) == ["Не удалять", "Удалить экспорт"]


def test_remove_question_escape_keeps(
    qtbot: QtBot, gui_ctx: Context, russian: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = JobFactory(gui_ctx).ready()

    def press_escape(box: QMessageBox) -> int:
        assert box.escapeButton() is box.defaultButton()
        box.escapeButton().click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", press_escape)
    parent = QWidget()
    qtbot.addWidget(parent)

    assert job_commands.ask_remove(parent, job) is False


def test_start_minimised_wording(qtbot: QtBot, russian: None) -> None:
    dialog = SettingsDialog(Settings(), None)
    qtbot.addWidget(dialog)
    assert dialog.start_minimized_check.text() == "Запускать свёрнутым в область уведомлений"
