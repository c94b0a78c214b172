"""`DetailsPanel`: the selected job's settings, results and message, below the job list."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from exportdesk.gui.job_details import DetailField, detail_fields, support_text
from exportdesk.gui.job_model import display_state, state_text
from exportdesk.i18n import tr
from exportdesk.jobs import Job, JobState
from exportdesk.messages import job_message

# The job states whose details offer to export again.
_EXPORT_AGAIN_STATES = {JobState.FAILED, JobState.EXPIRED, JobState.CANCELLED}
# Field keys by column: the job's settings on the left, its run and file on the right.
_LEFT_KEYS = ("source", "tables", "query", "format", "profile", "retention", "file_name")
_RIGHT_KEYS = ("created", "finished", "expires", "downloaded", "rows", "size", "sha256")
_QUERY_PREVIEW_CHARS = 160


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

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._job: Job | None = None
        self._now = dt.datetime.now(dt.timezone.utc)
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

        text_column = QVBoxLayout()
        text_column.addWidget(self.title)
        text_column.addLayout(fields)
        text_column.addWidget(self.message)
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

    def show_job(self, job: Job | None, now: dt.datetime, list_empty: bool = False, filtered_out: bool = False) -> None:
        """Show `job`, or a hint when nothing is selected: to select a job, start one, or change the filter."""
        self._job = job
        self._now = now
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
        self._show_fields(detail_fields(job, now))
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
        """Put the shown job's details on the clipboard as plain text. Does nothing without a job."""
        if self._job is None:
            return
        QGuiApplication.clipboard().setText(support_text(self._job, self._now))
        self.detailsCopied.emit()

    def _request_export_again(self) -> None:
        if self._job is not None:
            self.exportAgainRequested.emit(self._job.id)
