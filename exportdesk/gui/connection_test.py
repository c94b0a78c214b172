"""`ConnectionTest`: «Test connection» off the GUI thread, with a time limit the window enforces.

The blocking check (`source_check.check_connection`) has its own connect timeouts. The GUI also
stops waiting after `timeout_ms`, so a source that accepts the connection and then stalls
cannot keep the result from coming. A late result is dropped.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from shiboken6 import Shiboken

from exportdesk.gui.background import BackgroundTasks, ProgressReport
from exportdesk.gui.source_check import CONNECT_TIMEOUT_S, check_connection
from exportdesk.i18n import tr
from exportdesk.jobs import ErrorCode, ExportDeskError
from exportdesk.messages import error_message

log = logging.getLogger(__name__)

# The GUI waits for the connect timeout of a few network steps, then reports the source unreachable.
TEST_TIMEOUT_MS = 3 * CONNECT_TIMEOUT_S * 1000


class ConnectionTest(QObject):
    """Run one connection test at a time; a new `start()` supersedes the running one.

    `finished(ok, message)` carries «Connection established» or the catalogue message.
    """

    finished = Signal(bool, str)

    def __init__(self, tasks: BackgroundTasks, data_dir: Path, timeout_ms: int = TEST_TIMEOUT_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._data_dir = data_dir
        self._generation = 0
        self._running = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(timeout_ms)
        self._timer.timeout.connect(self._timed_out)

    @property
    def running(self) -> bool:
        return self._running

    def start(self, source: str, label: str) -> None:
        """Test `source` in the background. `label` names it in the log, never a URL with a password."""
        self._generation += 1
        generation = self._generation
        self._running = True
        self._label = label
        data_dir = self._data_dir

        def check(_report: ProgressReport) -> None:
            check_connection(source, data_dir)

        self._timer.start()
        self._tasks.run(
            check,
            on_success=lambda _result: self._succeeded(generation),
            on_failure=lambda error: self._failed(generation, error),
        )

    def _end(self, generation: int) -> bool:
        # A result can arrive after the dialog that owns this object was closed and deleted.
        if not Shiboken.isValid(self) or generation != self._generation or not self._running:
            return False
        self._running = False
        self._timer.stop()
        return True

    def _succeeded(self, generation: int) -> None:
        if self._end(generation):
            log.info("Source %s: connection test succeeded", self._label)
            self.finished.emit(True, tr("Connection established"))

    def _failed(self, generation: int, error: BaseException) -> None:
        if not self._end(generation):
            return
        if isinstance(error, ExportDeskError):
            log.warning("Source %s: connection test failed with %s: %s", self._label, error.code.value, error.detail)
            code = error.code
        else:
            log.error("Source %s: connection test failed", self._label, exc_info=error)
            code = ErrorCode.INTERNAL
        self.finished.emit(False, error_message(code))

    def _timed_out(self) -> None:
        if not self._running:
            return
        self._running = False
        self._generation += 1
        log.warning("Source %s: connection test timed out after %d ms", self._label, self._timer.interval())
        self.finished.emit(False, error_message(ErrorCode.SOURCE_UNREACHABLE))
