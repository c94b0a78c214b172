"""Run blocking calls off the GUI thread and deliver their results back to it.

A call gets a `report(done, total)` callable for progress. Its result, exception and progress
reach the callbacks in the GUI thread through queued signals. `BackgroundTasks.shutdown()`
waits for the running calls, so no thread emits from a deleted object at exit.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

ProgressReport = Callable[[int, int], None]
BlockingCall = Callable[[ProgressReport], Any]


class TaskCancelled(Exception):
    """Raised inside a background call by `report()` after `BackgroundTask.cancel()`."""


class BackgroundTask(QObject):
    """One blocking call: its signals, its callbacks and its cancel flag."""

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)
    finished = Signal()

    def __init__(
        self,
        on_success: Callable[[Any], None] | None,
        on_failure: Callable[[BaseException], None] | None,
        on_progress: Callable[[int, int], None] | None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._on_success = on_success
        self._on_failure = on_failure
        self._on_progress = on_progress
        self._cancel = threading.Event()
        self.progressed.connect(self._deliver_progress, Qt.ConnectionType.QueuedConnection)
        self.succeeded.connect(self._deliver_success, Qt.ConnectionType.QueuedConnection)
        self.failed.connect(self._deliver_failure, Qt.ConnectionType.QueuedConnection)

    def cancel(self) -> None:
        """Ask the call to stop: its next `report()` raises `TaskCancelled`."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def report(self, done: int, total: int) -> None:
        if self._cancel.is_set():
            raise TaskCancelled()
        self.progressed.emit(done, total)

    @Slot(int, int)
    def _deliver_progress(self, done: int, total: int) -> None:
        if self._on_progress is not None and not self._cancel.is_set():
            self._on_progress(done, total)

    @Slot(object)
    def _deliver_success(self, result: Any) -> None:
        try:
            if self._on_success is not None:
                self._on_success(result)
        finally:
            self.finished.emit()

    @Slot(object)
    def _deliver_failure(self, error: BaseException) -> None:
        try:
            if self._on_failure is not None:
                self._on_failure(error)
            elif not isinstance(error, TaskCancelled):
                log.error("Background call failed", exc_info=error)
        finally:
            self.finished.emit()


class _Runnable(QRunnable):
    def __init__(self, task: BackgroundTask, call: BlockingCall) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._task = task
        self._call = call

    def run(self) -> None:
        try:
            result = self._call(self._task.report)
        except BaseException as error:  # delivered to the GUI thread, which decides what to show
            self._task.failed.emit(error)
            return
        self._task.succeeded.emit(result)


class BackgroundTasks(QObject):
    """A thread pool for blocking calls made on behalf of the GUI."""

    def __init__(self, max_threads: int = 4, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._tasks: set[BackgroundTask] = set()

    def run(
        self,
        call: BlockingCall,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> BackgroundTask:
        """Start `call(report)` in a pool thread. The callbacks run in the GUI thread."""
        task = BackgroundTask(on_success, on_failure, on_progress, self)
        self._tasks.add(task)
        task.finished.connect(lambda: self._forget(task))
        self._pool.start(_Runnable(task, call))
        return task

    def _forget(self, task: BackgroundTask) -> None:
        self._tasks.discard(task)
        task.deleteLater()

    @property
    def active_count(self) -> int:
        return len(self._tasks)

    def shutdown(self, timeout_ms: int = -1) -> bool:
        """Cancel every call that checks for it, wait for the pool, and return False on timeout."""
        for task in self._tasks:
            task.cancel()
        return self._pool.waitForDone(timeout_ms)
