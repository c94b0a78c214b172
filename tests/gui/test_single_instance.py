"""A second start for the same data folder brings the running window to the front."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtNetwork import QLocalSocket
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from exportdesk.engine.instance import InstanceLock
from exportdesk.gui import app
from exportdesk.gui.controller import AppController
from exportdesk.gui.single_instance import ActivationServer, request_show, server_name


@pytest.fixture
def server(qtbot: QtBot) -> Iterator[ActivationServer]:
    activation = ActivationServer(f"exportdesk-test-{uuid.uuid4().hex[:12]}")
    assert activation.listen()
    yield activation
    activation.close()


def send(qtbot: QtBot, name: str, data: bytes) -> None:
    """Send `data` over a raw QLocalSocket and wait until the server has closed the connection."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    assert socket.waitForConnected(2000), socket.errorString()
    socket.write(data)
    assert socket.waitForBytesWritten(2000)
    qtbot.waitUntil(lambda: socket.state() == QLocalSocket.LocalSocketState.UnconnectedState or not socket.waitForDisconnected(10))


def test_server_name_from_data_folder(tmp_path: Path) -> None:
    name = server_name(tmp_path / "data")
    assert name.startswith("exportdesk-")
    assert len(name) == len("exportdesk-") + 16
    assert all(character in "0123456789abcdef" for character in name.removeprefix("exportdesk-"))
    assert server_name(tmp_path / "data") == name
    assert server_name(tmp_path / "other") != name
    assert server_name(tmp_path / "x" / ".." / "data") == name


def test_show_request_shows_hidden_window(qtbot: QtBot, controller: AppController, server: ActivationServer) -> None:
    window = controller.window
    server.showRequested.connect(window.show_and_raise)
    # As when the window was closed to the tray while exports run.
    window.hide()
    assert not window.isVisible()

    with qtbot.waitSignal(server.showRequested, timeout=5000):
        send(qtbot, server._name, b"show\n")

    # The offscreen platform cannot raise or focus a window, so only the state is checked here.
    assert window.isVisible()


def test_show_request_restores_minimised_window(qtbot: QtBot, controller: AppController, server: ActivationServer) -> None:
    window = controller.window
    server.showRequested.connect(window.show_and_raise)
    window.showMinimized()
    assert window.isMinimized()

    with qtbot.waitSignal(server.showRequested, timeout=5000):
        send(qtbot, server._name, b"show\n")

    assert not window.isMinimized()
    assert window.isVisible()


def test_request_show_reaches_server(qtbot: QtBot, server: ActivationServer) -> None:
    with qtbot.waitSignal(server.showRequested, timeout=5000):
        assert request_show(server._name)


def test_request_without_newline(qtbot: QtBot, server: ActivationServer) -> None:
    with qtbot.waitSignal(server.showRequested, timeout=5000):
        send(qtbot, server._name, b"show")


def test_unknown_request_ignored(qtbot: QtBot, server: ActivationServer) -> None:
    with qtbot.assertNotEmitted(server.showRequested):
        send(qtbot, server._name, b"quit\n")
        send(qtbot, server._name, b"x" * 10_000)


def test_request_show_without_server() -> None:
    assert not request_show(f"exportdesk-test-{uuid.uuid4().hex[:12]}", timeout_ms=200)


def test_stale_socket_replaced(qtbot: QtBot) -> None:
    name = f"exportdesk-test-{uuid.uuid4().hex[:12]}"
    crashed = ActivationServer(name)
    assert crashed.listen()
    # A second listen on the same name succeeds, as after a crash that left the socket file.
    replacement = ActivationServer(name)
    try:
        assert replacement.listen()
        with qtbot.waitSignal(replacement.showRequested, timeout=5000):
            assert request_show(name)
    finally:
        replacement.close()
        crashed.close()


def test_second_start_asks_running_window(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    messages: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text: messages.append(text))
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    first_lock = InstanceLock(data_dir, "window")
    assert first_lock.acquire()
    running = ActivationServer(server_name(data_dir))
    assert running.listen()
    try:
        with qtbot.waitSignal(running.showRequested, timeout=5000):
            app._show_running_window(InstanceLock(data_dir, "window"))
        assert messages == []
    finally:
        running.close()
        first_lock.release()


def test_second_start_falls_back_to_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    messages: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text: messages.append(text))
    monkeypatch.setattr(app, "request_show", lambda _name: False)
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    first_lock = InstanceLock(data_dir, "window")
    assert first_lock.acquire()
    try:
        app._show_running_window(InstanceLock(data_dir, "window"))
    finally:
        first_lock.release()
    assert len(messages) == 1
    assert messages[0].startswith("ExportDesk is already open for this data folder (process ")
