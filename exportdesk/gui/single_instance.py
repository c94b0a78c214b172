"""Bring the running window to the front when ExportDesk is started again for the same data folder.

The first window, which has taken `window.lock`, listens on a `QLocalServer` named after the data
folder. A second start connects, sends the line "show" and exits. The server reads at most
`MAX_REQUEST_BYTES` per connection and emits `showRequested` for "show"; anything else is
logged and ignored. On Linux the name is a socket file in the temporary folder that only the
same OS user can connect to.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

SHOW_REQUEST = b"show\n"
MAX_REQUEST_BYTES = 64
CONNECT_TIMEOUT_MS = 2000
WRITE_TIMEOUT_MS = 2000


def server_name(data_dir: Path) -> str:
    """Return the local server name for a data folder: "exportdesk-" and 16 hex digits of its path's SHA-256."""
    path = str(data_dir.expanduser().resolve())
    return "exportdesk-" + hashlib.sha256(path.encode("utf-8")).hexdigest()[:16]


class ActivationServer(QObject):
    """The first window's end: accept "show" requests from later starts."""

    showRequested = Signal()

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def listen(self) -> bool:
        """Start listening. Call it only while holding `window.lock`, because it removes a stale socket.

        A socket file left by a window that crashed would make `listen()` fail, and only the lock
        holder can be sure that no live window owns it.
        """
        QLocalServer.removeServer(self._name)
        if not self._server.listen(self._name):
            log.warning("Single instance: listening on %s failed (%s), so a second start only shows a message",
                        self._name, self._server.errorString())
            return False
        log.info("Single instance: listening on %s", self._server.fullServerName())
        return True

    @property
    def listening(self) -> bool:
        return self._server.isListening()

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._buffers[socket] = b""
            # Bound slots with sender(), not lambdas: a lambda holding `self` would keep this
            # object alive until interpreter exit, after QApplication is gone, and crash there.
            socket.readyRead.connect(self._read_sender)
            socket.disconnected.connect(self._finish_sender)
            # Data may have arrived before the signals were connected.
            if socket.bytesAvailable():
                self._read(socket)

    @Slot()
    def _read_sender(self) -> None:
        socket = self.sender()
        if isinstance(socket, QLocalSocket):
            self._read(socket)

    @Slot()
    def _finish_sender(self) -> None:
        socket = self.sender()
        if isinstance(socket, QLocalSocket):
            self._finish(socket)

    def _read(self, socket: QLocalSocket) -> None:
        if socket not in self._buffers:
            return
        data = self._buffers[socket] + bytes(socket.readAll().data())
        if b"\n" in data or len(data) >= MAX_REQUEST_BYTES:
            self._handle(data.split(b"\n", 1)[0][:MAX_REQUEST_BYTES])
            self._forget(socket)
            socket.disconnectFromServer()
            return
        self._buffers[socket] = data

    def _finish(self, socket: QLocalSocket) -> None:
        """Handle a request that ended without a newline when the client disconnects."""
        if socket not in self._buffers:
            return
        data = self._buffers[socket] + bytes(socket.readAll().data())
        self._forget(socket)
        if data:
            self._handle(data[:MAX_REQUEST_BYTES])

    def _forget(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        socket.deleteLater()

    def _handle(self, request: bytes) -> None:
        if request.strip() == SHOW_REQUEST.strip():
            log.info("Single instance: another start asked to show the window")
            self.showRequested.emit()
        else:
            log.warning("Single instance: ignored an unknown request of %d bytes", len(request))


def request_show(name: str, timeout_ms: int = CONNECT_TIMEOUT_MS) -> bool:
    """Ask the window listening on `name` to come to the front; return False when it cannot be reached."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(timeout_ms):
        log.warning("Single instance: connecting to %s failed: %s", name, socket.errorString())
        return False
    socket.write(SHOW_REQUEST)
    sent = socket.waitForBytesWritten(WRITE_TIMEOUT_MS) or socket.bytesToWrite() == 0
    if not sent:
        log.warning("Single instance: sending to %s failed: %s", name, socket.errorString())
    socket.disconnectFromServer()
    if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
        socket.waitForDisconnected(WRITE_TIMEOUT_MS)
    return sent
