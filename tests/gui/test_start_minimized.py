"""The "Start minimised to the notification area" setting: only the tray icon at start, unless the desktop has no tray."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from exportdesk.context import Context, Settings
from exportdesk.gui.controller import AppController
from exportdesk.gui.icons import app_icon
from exportdesk.gui.settings_dialog import SettingsDialog


@pytest.fixture
def started() -> Iterator[list[AppController]]:
    controllers: list[AppController] = []
    yield controllers
    for controller in controllers:
        controller.shutdown()


def start(gui_ctx: Context, started: list[AppController], use_tray: bool, minimized: bool) -> AppController:
    # Offscreen Qt has no system tray, so use_tray=True creates the tray icon without asking
    # the desktop, as a desktop with a tray would.
    controller = AppController(gui_ctx, app_icon(), use_tray=use_tray, prepare_demo=False)
    started.append(controller)
    controller.start(minimized=minimized)
    return controller


def test_minimized_start_hides_window(gui_ctx: Context, started: list[AppController]) -> None:
    controller = start(gui_ctx, started, use_tray=True, minimized=True)
    assert controller.window.notifier.has_tray
    assert not controller.window.isVisible()


def test_minimized_without_tray_shows_window(qtbot: QtBot, gui_ctx: Context, started: list[AppController]) -> None:
    controller = start(gui_ctx, started, use_tray=False, minimized=True)
    qtbot.waitExposed(controller.window)
    assert controller.window.isVisible()


def test_normal_start_shows_window(qtbot: QtBot, gui_ctx: Context, started: list[AppController]) -> None:
    controller = start(gui_ctx, started, use_tray=True, minimized=False)
    qtbot.waitExposed(controller.window)
    assert controller.window.isVisible()


def test_setting_saved_from_dialog(qtbot: QtBot, english: None, tmp_path: Path) -> None:
    settings = Settings()
    assert settings.start_minimized is False
    dialog = SettingsDialog(settings, None)
    qtbot.addWidget(dialog)
    assert dialog.start_minimized_check.text() == "Start minimised to the notification area"
    assert not dialog.start_minimized_check.isChecked()
    dialog.start_minimized_check.setChecked(True)
    dialog.apply_to(settings)
    path = tmp_path / "settings.json"
    settings.save(path)
    assert Settings.load(path).start_minimized is True
