"""`DetailsPanel`: the selected job's settings, results and message, below the job list.

Its collapsible "Log" section shows the selected job's own log lines (`exportdesk.job_log`).
They are read in a pool thread, and only while the section is open, when it opens and when
the selection moves to another job. Copying the details for support reads them as well.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from exportdesk.gui.background import BackgroundTasks
from exportdesk.gui.job_details import DetailField, detail_fields, support_text
from exportdesk.gui.job_model import display_state, state_text
from exportdesk.i18n import tr
from exportdesk.job_log import read_job_log, source_secrets
from exportdesk.jobs import Job, JobState
from exportdesk.messages import job_message

log = logging.getLogger(__name__)

# The job states whose details offer to export again.
_EXPORT_AGAIN_STATES = {JobState.FAILED, JobState.EXPIRED, JobState.CANCELLED}
# Field keys by column: the job's settings on the left, its run and file on the right.
_LEFT_KEYS = ("source", "tables", "query", "columns", "format", "profile", "retention", "file_name", "consistency")
_RIGHT_KEYS = ("created", "finished", "expires", "downloaded", "rows", "time_left", "size", "sha256")
_QUERY_PREVIEW_CHARS = 160
# Lines of the log section's height when it is open.
_LOG_VIEW_LINES = 8


def _value_label() -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    return label


class DetailsPanel(QWidget):
    """Plain user text about one job. Technical detail stays in the log, except in the support text."""

    exportAgainRequested = Signal(str)
    # Emitted after the support text was put on the clipboard.
    detailsCopied = Signal()
    # (job id) after the log lines of that job were read.
    logLoaded = Signal(str)

    def __init__(self, parent: QWidget | None = None, log_folder: Path | None = None, tasks: BackgroundTasks | None = None) -> None:
        """Without `log_folder` or `tasks` the panel has no log section."""
        super().__init__(parent)
        self._job: Job | None = None
        self._now = dt.datetime.now(dt.timezone.utc)
        self._time_left = ""
        self._log_folder = log_folder if tasks is not None else None
        self._tasks = tasks
        # The job whose lines `log_view` shows, and those lines.
        self._log_job_id: str | None = None
        self._log_lines: list[str] = []
        # The job of the read in progress, and a count of reads started: only the newest is shown.
        self._pending_log_job_id: str | None = None
        self._log_reads = 0
        self._copy_when_loaded = False
        self.setAccessibleName(tr("Details of the selected export"))
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setAccessibleName(tr("Export name and state"))
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setAccessibleName(tr("Export message"))
        buttons = self._build_buttons()
        self._build_log_section()

        self.field_labels: dict[str, QLabel] = {}
        self.field_values: dict[str, QLabel] = {}
        self._field_forms: dict[str, QFormLayout] = {}
        fields = QHBoxLayout()
        fields.setContentsMargins(0, 0, 0, 0)
        fields.setSpacing(24)
        fields.addLayout(self._field_column(_LEFT_KEYS), 1)
        fields.addLayout(self._field_column(_RIGHT_KEYS), 1)
        sha256 = self.field_values["sha256"]
        sha256.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        # A checksum cut short is useless, so this label keeps its full width instead of being clipped.
        sha256.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.field_values["query"].setWordWrap(True)
        self.field_values["columns"].setWordWrap(True)
        self.field_values["consistency"].setWordWrap(True)

        text_column = QVBoxLayout()
        text_column.addWidget(self.title)
        text_column.addLayout(fields)
        text_column.addWidget(self.message)
        text_column.addWidget(self.log_toggle)
        text_column.addWidget(self.log_view)
        text_column.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addLayout(text_column, 1)
        layout.addLayout(buttons)
        self.show_job(None, self._now, list_empty=True)

    def _build_buttons(self) -> QVBoxLayout:
        self.export_again_button = QPushButton(tr("Export again"))
        self.export_again_button.setAccessibleName(tr("Export again"))
        self.export_again_button.setToolTip(tr("Queue a new export with the same settings"))
        self.export_again_button.clicked.connect(self._request_export_again)
        self.copy_button = QPushButton(tr("Copy details for support"))
        self.copy_button.setAccessibleName(tr("Copy details for support"))
        self.copy_button.setToolTip(tr("Copy these details as plain text, without any password"))
        self.copy_button.clicked.connect(self.copy_support_text)
        buttons = QVBoxLayout()
        buttons.addWidget(self.export_again_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        return buttons

    def _build_log_section(self) -> None:
        self.log_toggle = QToolButton()
        self.log_toggle.setText(tr("Log"))
        self.log_toggle.setAccessibleName(tr("Log of the selected export"))
        self.log_toggle.setToolTip(tr("Show the log lines of this export"))
        self.log_toggle.setCheckable(True)
        self.log_toggle.setAutoRaise(True)
        self.log_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.log_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.log_toggle.toggled.connect(self._log_toggled)
        self.log_view = QPlainTextEdit()
        self.log_view.setReadOnly(True)
        self.log_view.setAccessibleName(tr("Log of the selected export"))
        self.log_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.log_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.log_view.setFixedHeight(self.log_view.fontMetrics().lineSpacing() * _LOG_VIEW_LINES + 12)
        self.log_view.hide()
        self.log_toggle.setVisible(self._log_folder is not None)

    def _field_column(self, keys: tuple[str, ...]) -> QFormLayout:
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.setVerticalSpacing(2)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        for key in keys:
            label = QLabel()
            label.setTextFormat(Qt.TextFormat.PlainText)
            value = _value_label()
            label.setBuddy(value)
            form.addRow(label, value)
            self.field_labels[key] = label
            self.field_values[key] = value
            self._field_forms[key] = form
        return form

    @property
    def job(self) -> Job | None:
        return self._job

    @property
    def log_lines(self) -> list[str]:
        """The log lines the log section shows, of the job `log_job_id`."""
        return list(self._log_lines)

    @property
    def log_job_id(self) -> str | None:
        return self._log_job_id

    def show_job(
        self, job: Job | None, now: dt.datetime, list_empty: bool = False, filtered_out: bool = False, time_left: str = ""
    ) -> None:
        """Show `job`, or a hint when nothing is selected: to select a job, start one, or change the filter.

        `time_left` is the job list's estimate for a running job.
        """
        if job is None or self._job is None or job.id != self._job.id:
            self._copy_when_loaded = False
        self._job = job
        self._now = now
        self._time_left = time_left
        self._update_log_section()
        if job is None:
            if list_empty:
                self.title.setText(tr("No exports yet. Choose New export to start one."))
            elif filtered_out:
                self.title.setText(tr("No export matches the filter or the search."))
            else:
                self.title.setText(tr("Select an export to see its details."))
            self._show_fields([])
            self.message.clear()
            self.message.hide()
            self.export_again_button.hide()
            self.copy_button.hide()
            return
        self.title.setText(f"{job.name or job.file_name} — {state_text(job, now)}")
        self._show_fields(detail_fields(job, now, time_left))
        self.message.setText(job_message(job))
        self.message.setVisible(bool(self.message.text()))
        self.export_again_button.setVisible(display_state(job, now) in _EXPORT_AGAIN_STATES)
        self.copy_button.show()

    def _show_fields(self, fields: list[DetailField]) -> None:
        shown = {field.key: field for field in fields}
        for key, value_label in self.field_values.items():
            field = shown.get(key)
            label = self.field_labels[key]
            self._field_forms[key].setRowVisible(value_label, field is not None)
            if field is None:
                continue
            text = field.value
            if key == "query":
                # The whole query is in the tooltip and the support text, and the panel shows its start.
                value_label.setToolTip(text)
                text = " ".join(text.split())
                if len(text) > _QUERY_PREVIEW_CHARS:
                    text = text[: _QUERY_PREVIEW_CHARS - 1] + "…"
            # Setting the same text again would clear a selection the user is making.
            if value_label.text() != text:
                value_label.setText(text)
            if label.text() != f"{field.label}:":
                label.setText(f"{field.label}:")
                value_label.setAccessibleName(field.label)

    def copy_support_text(self) -> None:
        """Put the shown job's details and log lines on the clipboard as plain text. Does nothing without a job.

        When the job's log lines are not read yet, they are read first, and the text is copied
        when they arrive.
        """
        if self._job is None:
            return
        if self._log_folder is not None and self._log_job_id != self._job.id:
            self._copy_when_loaded = True
            if self._pending_log_job_id != self._job.id:
                self._load_log(self._job)
            return
        QGuiApplication.clipboard().setText(support_text(self._job, self._now, self._time_left, self._log_lines))
        self.detailsCopied.emit()

    # Log section -----------------------------------------------------------------------

    def _log_toggled(self, open_: bool) -> None:
        self.log_toggle.setArrowType(Qt.ArrowType.DownArrow if open_ else Qt.ArrowType.RightArrow)
        self._update_log_section()

    def _update_log_section(self) -> None:
        job = self._job
        self.log_toggle.setVisible(self._log_folder is not None and job is not None)
        self.log_view.setVisible(self._log_folder is not None and job is not None and self.log_toggle.isChecked())
        if job is None:
            self._copy_when_loaded = False
            return
        if self.log_toggle.isChecked() and job.id not in (self._log_job_id, self._pending_log_job_id):
            self._load_log(job)

    def _load_log(self, job: Job) -> None:
        """Start reading the job's log lines in a pool thread. A later read makes this one's result ignored."""
        if self._log_folder is None or self._tasks is None:
            return
        self._log_reads += 1
        read_number = self._log_reads
        folder, job_id, secrets = self._log_folder, job.id, source_secrets(job.spec.source)
        self._pending_log_job_id = job_id
        self.log_view.clear()
        self.log_view.setPlaceholderText(tr("Reading the log…"))
        self._tasks.run(
            lambda _report: read_job_log(folder, job_id, secrets),
            on_success=lambda lines: self._log_read(read_number, job_id, lines),
            on_failure=lambda error: self._log_read_failed(read_number, job_id, error),
        )

    def _log_read(self, read_number: int, job_id: str, lines: list[str]) -> None:
        if read_number != self._log_reads:
            return
        self._pending_log_job_id = None
        self._log_job_id = job_id
        self._log_lines = lines
        self.log_view.setPlaceholderText(tr("No log lines for this export."))
        self.log_view.setPlainText("\n".join(lines))
        scroll_bar = self.log_view.verticalScrollBar()
        scroll_bar.setValue(scroll_bar.maximum())
        self.logLoaded.emit(job_id)
        if self._copy_when_loaded and self._job is not None and self._job.id == job_id:
            self._copy_when_loaded = False
            self.copy_support_text()

    def _log_read_failed(self, read_number: int, job_id: str, error: BaseException) -> None:
        log.error("Job %s: reading its log lines failed", job_id, exc_info=error)
        # The lines count as read, so a copy goes on without them.
        self._log_read(read_number, job_id, [])

    def _request_export_again(self) -> None:
        if self._job is not None:
            self.exportAgainRequested.emit(self._job.id)
