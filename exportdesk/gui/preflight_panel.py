"""`PreflightPanel`: the pre-flight estimate and warnings, shown in the new-export dialog as choices change.

`exportdesk.engine.preflight.run_preflight` counts rows and formats a sample, which can take
seconds on a large source, so it runs in `BackgroundTasks` after the choices have been still
for `delay_ms`. A newer request supersedes an older one, whose result is dropped. When the
estimated file does not fit in the free space, or the source reports an error that the job
would end with as well (a missing table, a rejected query), `blocking_reason` contains the
reason, and `blockedChanged` carries it to the dialog, which disables its OK button.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget
from shiboken6 import Shiboken

from exportdesk.engine.preflight import Preflight, blocks_queueing, run_preflight
from exportdesk.gui.background import BackgroundTasks, ProgressReport
from exportdesk.gui.contrast import error_style, warning_style
from exportdesk.i18n import format_count, format_size, tr
from exportdesk.jobs import ExportDeskError, JobSpec
from exportdesk.messages import error_message

log = logging.getLogger(__name__)

DEFAULT_DELAY_MS = 400


class PreflightPanel(QWidget):
    """The estimate line and the warnings, in the UI language."""

    blockedChanged = Signal(str)
    estimated = Signal()

    def __init__(
        self,
        tasks: BackgroundTasks,
        data_dir: Path,
        free_bytes: Callable[[], int],
        delay_ms: int = DEFAULT_DELAY_MS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._data_dir = data_dir
        self._free_bytes = free_bytes
        self._generation = 0
        self._pending: JobSpec | None = None
        self.running = False
        self.result: Preflight | None = None
        self.blocking_reason = ""
        self.summary_label = QLabel()
        self.warning_label = QLabel()
        for label in (self.summary_label, self.warning_label):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setAccessibleName(tr("Export estimate"))
        self.warning_label.setStyleSheet(warning_style(self.warning_label.palette()))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.warning_label)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._start)
        self._show("", [])

    @property
    def busy(self) -> bool:
        """True while an estimate is waiting for its delay or running."""
        return self._timer.isActive() or self.running

    def request(self, spec: JobSpec | None) -> None:
        """Estimate `spec` after the delay; None clears the panel."""
        self._generation += 1
        self._pending = spec
        self.result = None
        self._set_blocking("")
        if spec is None:
            self._timer.stop()
            self.running = False
            self._show("", [])
            return
        self._show(tr("Estimating the export…"), [])
        self._timer.start()

    def _start(self) -> None:
        spec = self._pending
        if spec is None:
            return
        generation = self._generation
        data_dir = self._data_dir
        free_bytes = self._free_bytes
        self.running = True

        def estimate(_report: ProgressReport) -> Preflight:
            return run_preflight(spec, data_dir, free_bytes())

        self._tasks.run(
            estimate,
            on_success=lambda result: self._done(generation, result),
            on_failure=lambda error: self._failed(generation, spec, error),
        )

    def _current(self, generation: int) -> bool:
        # A result can arrive after the dialog, and this panel with it, was closed and deleted.
        return Shiboken.isValid(self) and generation == self._generation

    def _done(self, generation: int, result: Preflight) -> None:
        if not self._current(generation):
            return
        self.running = False
        self.result = result
        summary = ""
        if result.rows is not None:
            rows = format_count(result.rows)
            if result.estimated_bytes is not None:
                summary = tr("Rows (estimate): {rows}. File size (estimate): {size}.").format(
                    rows=rows, size=format_size(result.estimated_bytes)
                )
            else:
                summary = tr("Rows (estimate): {rows}.").format(rows=rows)
        self._show(summary, result.warnings)
        if not result.enough_space:
            self._set_blocking(result.warnings[-1])
        self.estimated.emit()

    def _failed(self, generation: int, spec: JobSpec, error: BaseException) -> None:
        if not self._current(generation):
            return
        self.running = False
        if isinstance(error, ExportDeskError):
            log.info("Pre-flight estimate failed with %s: %s", error.code.value, error.detail)
            reason = error_message(error.code, error.subject)
            if blocks_queueing(error, spec.source):
                self._show("", [reason])
                self._set_blocking(reason)
            else:
                self._show(tr("Could not estimate the export: {reason}").format(reason=reason), [])
        else:
            log.error("Pre-flight estimate failed", exc_info=error)
            self._show("", [])
        self.estimated.emit()

    def _show(self, summary: str, warnings: list[str]) -> None:
        self.summary_label.setText(summary)
        self.summary_label.setVisible(bool(summary))
        self.warning_label.setText("\n".join(warnings))
        self.warning_label.setVisible(bool(warnings))
        too_little_space = self.result is not None and not self.result.enough_space
        palette = self.warning_label.palette()
        is_error = too_little_space or bool(self.blocking_reason)
        self.warning_label.setStyleSheet(error_style(palette) if is_error else warning_style(palette))

    def _set_blocking(self, reason: str) -> None:
        if reason != self.blocking_reason:
            self.blocking_reason = reason
            self.blockedChanged.emit(reason)
