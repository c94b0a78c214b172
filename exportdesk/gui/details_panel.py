"""`DetailsPanel`: the selected job's name, state, file and message, below the job list."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from exportdesk.gui.formatting import expires_in_text, format_count, format_size, format_timestamp
from exportdesk.gui.job_model import state_text
from exportdesk.gui.labels import format_label, selection_text, source_title
from exportdesk.i18n import register, tr
from exportdesk.jobs import Job, JobState
from exportdesk.messages import job_message

register(
    {
        "Select an export to see its details.": "Выберите экспорт, чтобы увидеть подробности.",
        "No exports yet. Choose New export to start one.": "Экспортов пока нет. Нажмите «Новый экспорт», чтобы начать.",
        "File: {file}, {size}, {rows} rows": "Файл: {file}, {size}, строк: {rows}",
        "Finished: {time}. The file is kept for {remaining} more.": "Завершён: {time}. Файл хранится ещё {remaining}.",
        "Export again": "Экспортировать снова",
    }
)

# The job states whose details offer to export again.
_EXPORT_AGAIN_STATES = {JobState.FAILED, JobState.EXPIRED, JobState.CANCELLED}


class DetailsPanel(QWidget):
    """Plain user text about one job. Technical detail stays in the log."""

    exportAgainRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._job_id: str | None = None
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.export_again_button = QPushButton(tr("Export again"))
        self.export_again_button.clicked.connect(self._request_export_again)

        text_column = QVBoxLayout()
        text_column.addWidget(self.title)
        text_column.addWidget(self.summary)
        text_column.addWidget(self.message)
        layout = QHBoxLayout(self)
        layout.addLayout(text_column, 1)
        layout.addWidget(self.export_again_button, 0, Qt.AlignmentFlag.AlignTop)
        self.show_job(None, dt.datetime.now(dt.timezone.utc), list_empty=True)

    def show_job(self, job: Job | None, now: dt.datetime, list_empty: bool = False) -> None:
        """Show `job`, or a hint when nothing is selected: to select a job, or to start one."""
        self._job_id = None if job is None else job.id
        if job is None:
            if list_empty:
                self.title.setText(tr("No exports yet. Choose New export to start one."))
            else:
                self.title.setText(tr("Select an export to see its details."))
            self.summary.clear()
            self.message.clear()
            self.export_again_button.hide()
            return
        self.title.setText(f"{job.name or job.file_name} — {state_text(job, now)}")
        self.summary.setText(self._summary(job, now))
        self.message.setText(job_message(job))
        self.message.setVisible(bool(self.message.text()))
        shown_state = JobState.EXPIRED if job.is_expired_at(now) else job.state
        self.export_again_button.setVisible(shown_state in _EXPORT_AGAIN_STATES)

    @staticmethod
    def _summary(job: Job, now: dt.datetime) -> str:
        lines = [f"{source_title(job.spec.source)} · {selection_text(job.spec)} · {format_label(job.spec)}"]
        if job.state is JobState.READY:
            lines.append(
                tr("File: {file}, {size}, {rows} rows").format(
                    file=job.file_name, size=format_size(job.bytes_written), rows=format_count(job.rows_done)
                )
            )
            remaining = expires_in_text(job, now)
            if remaining and job.finished_at is not None:
                lines.append(
                    tr("Finished: {time}. The file is kept for {remaining} more.").format(
                        time=format_timestamp(job.finished_at), remaining=remaining
                    )
                )
        return "\n".join(lines)

    def _request_export_again(self) -> None:
        if self._job_id is not None:
            self.exportAgainRequested.emit(self._job_id)
