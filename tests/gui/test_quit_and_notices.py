"""Quitting with active exports, hiding to the tray, notices, and the handler for uncaught errors."""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMainWindow, QMessageBox, QSystemTrayIcon
from pytestqt.qtbot import QtBot

from exportdesk.context import Settings
from exportdesk.engine import actions
from exportdesk.gui import crash, main_window
from exportdesk.gui.controller import AppController
from exportdesk.gui.icons import app_icon
from exportdesk.gui.quit_prompt import QuitChoice
from exportdesk.gui.tray import Notifier
from exportdesk.jobs import JobState

JOB_TIMEOUT_MS = 60_000


class RecordingTray(QSystemTrayIcon):
    """A tray icon that records its messages; the offscreen platform has no tray to show them."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def showMessage(self, title: str, text: str, *_args: object) -> None:  # noqa: N802 (Qt name)
        self.messages.append(f"{title}: {text}")


def queue_flights(controller: AppController) -> str:
    job = actions.submit(controller.ctx, actions.new_spec("demo", tables=("flights",)))
    controller.model.refresh()
    return job.id


@pytest.mark.parametrize("choice", [QuitChoice.STOP_JOBS, QuitChoice.LEAVE_RUNNING])
def test_quit_asks_with_active_jobs(qtbot: QtBot, controller: AppController, monkeypatch: pytest.MonkeyPatch, choice: QuitChoice) -> None:
    window = controller.window
    job_id = queue_flights(controller)
    prompt_counts: list[int] = []
    monkeypatch.setattr(main_window, "ask_about_running_jobs", lambda _parent, count: prompt_counts.append(count) or choice)

    with qtbot.waitSignal(window.quitRequested):
        window.request_quit()

    assert prompt_counts == [1]
    assert window.quit_choice is choice
    job = controller.ctx.store.get(controller.ctx.owner, job_id)
    if choice is QuitChoice.STOP_JOBS:
        assert job.state is JobState.CANCELLED or job.cancel_requested
    else:
        assert job.state.is_active and not job.cancel_requested


def test_quit_cancelled_keeps_window(qtbot: QtBot, controller: AppController, monkeypatch: pytest.MonkeyPatch) -> None:
    window = controller.window
    queue_flights(controller)
    monkeypatch.setattr(main_window, "ask_about_running_jobs", lambda _parent, _count: None)

    with qtbot.assertNotEmitted(window.quitRequested):
        window.request_quit()
    assert window.isVisible()
    assert window.quit_choice is None


def test_quit_without_jobs_does_not_ask(qtbot: QtBot, controller: AppController, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(main_window, "ask_about_running_jobs", lambda _parent, _count: pytest.fail("asked without active jobs"))
    with qtbot.waitSignal(controller.window.quitRequested):
        controller.window.request_quit()


def test_close_hides_to_tray_with_active_jobs(qtbot: QtBot, controller: AppController) -> None:
    window = controller.window
    queue_flights(controller)
    tray = RecordingTray()
    window.notifier.tray = tray

    with qtbot.assertNotEmitted(window.quitRequested):
        window.close()

    assert not window.isVisible()
    assert len(tray.messages) == 1
    assert "notification area" in tray.messages[0]
    window.notifier.tray = None


def test_ready_notice_in_status_bar_without_tray(qtbot: QtBot, controller: AppController) -> None:
    job = actions.submit(controller.ctx, actions.new_spec("demo", tables=("airlines",)))
    controller.dispatcher.kick()
    qtbot.waitUntil(lambda: controller.window.statusBar().currentMessage().startswith("Export ready."), timeout=JOB_TIMEOUT_MS)
    assert "airlines.csv: 16 rows" in controller.window.statusBar().currentMessage()
    assert controller.ctx.store.get(controller.ctx.owner, job.id).state is JobState.READY


def test_excepthook_logs_and_shows_message(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    messages: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: messages.append(box.text() + "\n" + box.informativeText()) or 0)
    log_path = tmp_path / "app.log"
    crash.install_excepthook(log_path)

    try:
        raise RuntimeError("boom in a slot")
    except RuntimeError as error:
        with caplog.at_level(logging.CRITICAL):
            sys.excepthook(type(error), error, error.__traceback__)

    assert "boom in a slot" in caplog.text
    assert len(messages) == 1
    assert str(log_path) in messages[0]
    assert "boom" not in messages[0]
    assert "Traceback" not in messages[0]


def test_tray_tooltip_and_menu(qtbot: QtBot, english: None) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    notifier = Notifier(window, Settings(), app_icon(), use_tray=True)
    tray = notifier.tray
    assert tray is not None

    notifier.set_counts(2, 1)
    assert tray.toolTip() == "ExportDesk: running 2, queued 1"
    notifier.set_counts(0, 0)
    assert tray.toolTip() == "ExportDesk: no exports running"

    menu = tray.contextMenu()
    assert [action.text() for action in menu.actions() if not action.isSeparator()] == ["Show ExportDesk", "Quit"]
    with qtbot.waitSignal(notifier.showRequested):
        menu.actions()[0].trigger()
    tray.hide()
