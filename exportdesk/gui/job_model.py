"""`JobTableModel`: the owner's jobs as table rows, refreshed from the job table by a timer.

The job table is the only truth. Each refresh reads `store.list(owner)`, newest first, and
emits insert and remove signals for rows that came and went and ranged `dataChanged` for rows
whose snapshot changed, never a full reset in normal operation. Every job is read every 3 s,
which is enough for the minute-precision retention countdown. While a job is queued or running,
the queued and running jobs are also read every 100 ms (`store.list_active`). The model emits
`refreshed` after each successful read.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer, Signal
from sqlalchemy.exc import SQLAlchemyError

from exportdesk.gui.formatting import expires_cell_text, format_count, format_size, format_timestamp, rows_text
from exportdesk.gui.icons import state_icon
from exportdesk.gui.labels import format_label, selection_text, source_title
from exportdesk.i18n import QT_TR_NOOP, tr
from exportdesk.jobs import Job, JobState, utcnow
from exportdesk.messages import job_message, state_label
from exportdesk.store import JobStore

log = logging.getLogger(__name__)

ACTIVE_INTERVAL_MS = 100
IDLE_INTERVAL_MS = 3000

JOB_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
PROGRESS_ROLE = Qt.ItemDataRole.UserRole + 3

Index = QModelIndex | QPersistentModelIndex
_STATE_ORDER = {state: order for order, state in enumerate(JobState)}


class JobColumn(enum.IntEnum):
    NAME = 0
    SOURCE = 1
    FORMAT = 2
    STATE = 3
    PROGRESS = 4
    ROWS = 5
    SIZE = 6
    CREATED = 7
    EXPIRES = 8


COLUMN_TITLES: dict[JobColumn, str] = {
    JobColumn.NAME: QT_TR_NOOP("Name"),
    JobColumn.SOURCE: "Source",
    JobColumn.FORMAT: "Format",
    JobColumn.STATE: QT_TR_NOOP("State"),
    JobColumn.PROGRESS: QT_TR_NOOP("Progress"),
    JobColumn.ROWS: "Rows",
    JobColumn.SIZE: "Size",
    JobColumn.CREATED: "Created",
    JobColumn.EXPIRES: QT_TR_NOOP("Expires in"),
}
_COLUMNS = tuple(JobColumn)
_NUMERIC_COLUMNS = {JobColumn.PROGRESS, JobColumn.ROWS, JobColumn.SIZE}


def display_state(job: Job, now: dt.datetime) -> JobState:
    """Return the state to show: a ready job past `expires_at` shows as expired before the sweep."""
    return JobState.EXPIRED if job.is_expired_at(now) else job.state


def state_text(job: Job, now: dt.datetime) -> str:
    if job.state is JobState.RUNNING and job.cancel_requested:
        return tr("Cancelling…")
    return state_label(display_state(job, now))


def progress_fraction(job: Job, now: dt.datetime) -> float | None:
    """Return the fraction to draw as a bar, or None where a bar means nothing."""
    state = display_state(job, now)
    if state is JobState.READY:
        return 1.0
    if state is JobState.RUNNING:
        return job.fraction or 0.0
    if state is JobState.QUEUED:
        return 0.0
    return None


def _list_order(job: Job) -> tuple[float, str]:
    """Return the sort key of the rows: newest first, then by id, as `store.list` orders them."""
    return (-job.created_at.timestamp(), job.id)


def rows_cell_text(job: Job) -> str:
    """Return the rows cell: empty for a queued job or one that ended before writing a row."""
    if job.state is JobState.QUEUED:
        return ""
    if job.state.is_ended and job.state is not JobState.READY and job.rows_done == 0:
        return ""
    return rows_text(job)


def percent_text(fraction: float | None) -> str:
    if fraction is None:
        return ""
    return tr("{percent}%").format(percent=int(fraction * 100))


class JobTableModel(QAbstractTableModel):
    """Snapshots of the owner's jobs, newest first."""

    # (job id, old state, new state), for a state change seen by a refresh.
    jobStateChanged = Signal(str, str, str)
    # (running, queued) whenever either count changes.
    activeCountsChanged = Signal(int, int)
    # After each successful read of the job table, when the rows match it.
    refreshed = Signal()

    def __init__(
        self,
        store: JobStore,
        owner: str,
        clock: Callable[[], dt.datetime] = utcnow,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._owner = owner
        self._clock = clock
        self._jobs: list[Job] = []
        self._clock_text_by_id: dict[str, tuple[str, str]] = {}
        self._counts = (0, 0)
        self._read_failing = False
        self._last_full_read = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(IDLE_INTERVAL_MS)
        self._timer.timeout.connect(self._poll)

    # Qt model interface ----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._jobs)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(JobColumn)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(JobColumn):
            return tr(COLUMN_TITLES[JobColumn(section)])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._jobs):
            return None
        job = self._jobs[index.row()]
        # A tuple lookup instead of JobColumn(...): sorting 10,000 rows calls this ~150,000 times.
        column = _COLUMNS[index.column()]
        if role == SORT_ROLE:
            return self._sort_key(job, column)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display_text(job, column)
        if role == JOB_ROLE:
            return job
        if role == PROGRESS_ROLE and column is JobColumn.PROGRESS:
            return progress_fraction(job, self._clock())
        if role == Qt.ItemDataRole.DecorationRole and column is JobColumn.STATE:
            return state_icon(display_state(job, self._clock()))
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(job, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _NUMERIC_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display_text(self, job: Job, column: JobColumn) -> str:
        now = self._clock()
        if column is JobColumn.NAME:
            return job.name or job.file_name
        if column is JobColumn.SOURCE:
            return source_title(job.spec.source)
        if column is JobColumn.FORMAT:
            return format_label(job.spec)
        if column is JobColumn.STATE:
            return state_text(job, now)
        if column is JobColumn.PROGRESS:
            return percent_text(progress_fraction(job, now))
        if column is JobColumn.ROWS:
            return rows_cell_text(job)
        if column is JobColumn.SIZE:
            # An ended job other than a ready one has no file, so its partial size would mislead.
            has_file = job.state in (JobState.RUNNING, JobState.READY)
            return format_size(job.bytes_written) if has_file and job.bytes_written else ""
        if column is JobColumn.CREATED:
            return format_timestamp(job.created_at)
        return expires_cell_text(job, now)

    def _sort_key(self, job: Job, column: JobColumn) -> Any:
        if column is JobColumn.CREATED:
            return job.created_at.timestamp()
        now = self._clock()
        if column is JobColumn.NAME:
            return (job.name or job.file_name).casefold()
        if column is JobColumn.SOURCE:
            return source_title(job.spec.source).casefold()
        if column is JobColumn.FORMAT:
            return format_label(job.spec)
        if column is JobColumn.STATE:
            return _STATE_ORDER[display_state(job, now)]
        if column is JobColumn.PROGRESS:
            fraction = progress_fraction(job, now)
            return -1.0 if fraction is None else fraction
        if column is JobColumn.ROWS:
            return job.rows_done
        if column is JobColumn.SIZE:
            return job.bytes_written
        expires = job.expires_at if job.state is JobState.READY and not job.is_expired_at(now) else None
        return expires.timestamp() if expires is not None else float("inf")

    def _tooltip(self, job: Job, column: JobColumn) -> str | None:
        if column is JobColumn.STATE:
            return job_message(job) or None
        if column is JobColumn.SOURCE:
            return f"{source_title(job.spec.source)}\n{selection_text(job.spec)}"
        if column is JobColumn.NAME:
            return job.file_name
        if column is JobColumn.ROWS and job.rows_total is not None:
            return f"{format_count(job.rows_done)} / {format_count(job.rows_total)}"
        return None

    # Access for views and actions ------------------------------------------------------

    def job_at(self, row: int) -> Job:
        return self._jobs[row]

    def row_of(self, job_id: str) -> int | None:
        for row, job in enumerate(self._jobs):
            if job.id == job_id:
                return row
        return None

    def job(self, job_id: str) -> Job | None:
        row = self.row_of(job_id)
        return None if row is None else self._jobs[row]

    def jobs(self) -> list[Job]:
        return list(self._jobs)

    def now(self) -> dt.datetime:
        return self._clock()

    @property
    def running_count(self) -> int:
        return self._counts[0]

    @property
    def queued_count(self) -> int:
        return self._counts[1]

    # Refreshing ------------------------------------------------------------------------

    @property
    def poll_interval_ms(self) -> int:
        return self._timer.interval()

    def start_polling(self) -> None:
        self.refresh()
        self._timer.start()

    def stop_polling(self) -> None:
        self._timer.stop()

    def refresh(self) -> None:
        """Read the owner's jobs and apply the differences to the rows."""
        try:
            fresh = self._store.list(self._owner)
        except SQLAlchemyError as error:
            self._read_failed(error)
            return
        self._last_full_read = time.monotonic()
        self._apply(fresh)
        self._refreshed()

    def _poll(self) -> None:
        """Read only the active jobs while there are any, and every job each `IDLE_INTERVAL_MS`.

        Reading every job each 100 ms held the GUI thread for about 35 ms with 1,000 jobs.
        """
        if any(job.state.is_active for job in self._jobs) and time.monotonic() - self._last_full_read < IDLE_INTERVAL_MS / 1000:
            self.refresh_active()
        else:
            self.refresh()

    def refresh_active(self) -> None:
        """Read the queued and running jobs, and the jobs the list shows as such, and update their rows.

        A new job newer than every row is inserted at the top, and any other new job leads to a full `refresh()`.
        """
        active_ids = [job.id for job in self._jobs if job.state.is_active]
        try:
            fresh = self._store.list_active(self._owner, active_ids)
        except SQLAlchemyError as error:
            self._read_failed(error)
            return
        rows = {job.id: row for row, job in enumerate(self._jobs)}
        new = [job for job in fresh if job.id not in rows]
        if new:
            if self._jobs and _list_order(new[-1]) >= _list_order(self._jobs[0]):
                self.refresh()
                return
            self._insert_at_top(new)
            rows = {job.id: row for row, job in enumerate(self._jobs)}
        now = self._clock()
        changed: list[int] = []
        for job in fresh:
            row = rows[job.id]
            old = self._jobs[row]
            if old == job:
                continue
            self._jobs[row] = job
            self._clock_text_by_id[job.id] = (state_text(job, now), expires_cell_text(job, now))
            changed.append(row)
            if old.state is not job.state:
                self.jobStateChanged.emit(job.id, old.state.value, job.state.value)
        self._emit_changed_ranges(sorted(changed), JobColumn.NAME, JobColumn.EXPIRES)
        self._refreshed()

    def _insert_at_top(self, new: list[Job]) -> None:
        now = self._clock()
        self.beginInsertRows(QModelIndex(), 0, len(new) - 1)
        self._jobs[0:0] = new
        for job in new:
            self._clock_text_by_id[job.id] = (state_text(job, now), expires_cell_text(job, now))
        self.endInsertRows()

    def _read_failed(self, error: SQLAlchemyError) -> None:
        if not self._read_failing:
            log.error("Job list: reading the job table failed: %s", error)
        self._read_failing = True

    def _refreshed(self) -> None:
        if self._read_failing:
            log.info("Job list: reading the job table works again")
            self._read_failing = False
        self._update_counts()
        self._timer.setInterval(ACTIVE_INTERVAL_MS if any(job.state.is_active for job in self._jobs) else IDLE_INTERVAL_MS)
        self.refreshed.emit()

    def _apply(self, fresh: list[Job]) -> None:
        if not self._jobs and fresh:
            self._insert_all(fresh)
            return
        if not self._same_relative_order(fresh):
            # Rows are ordered by creation time, which never changes, so this is not expected.
            log.warning("Job list: row order changed, so the model is reset")
            self.beginResetModel()
            self._jobs = list(fresh)
            self.endResetModel()
            return
        self._remove_missing({job.id for job in fresh})
        changed = self._insert_and_update(fresh)
        self._emit_changed_ranges(changed, JobColumn.NAME, JobColumn.EXPIRES)
        self._emit_clock_changes(set(changed))

    def _insert_all(self, fresh: list[Job]) -> None:
        """Fill an empty list with one insert: one per row took seconds with 10,000 jobs."""
        now = self._clock()
        self.beginInsertRows(QModelIndex(), 0, len(fresh) - 1)
        self._jobs = list(fresh)
        for job in fresh:
            self._clock_text_by_id[job.id] = (state_text(job, now), expires_cell_text(job, now))
        self.endInsertRows()

    def _same_relative_order(self, fresh: list[Job]) -> bool:
        fresh_ids = {job.id for job in fresh}
        current_order = [job.id for job in self._jobs if job.id in fresh_ids]
        current_ids = {job.id for job in self._jobs}
        return current_order == [job.id for job in fresh if job.id in current_ids]

    def _remove_missing(self, fresh_ids: set[str]) -> None:
        row = len(self._jobs) - 1
        while row >= 0:
            if self._jobs[row].id in fresh_ids:
                row -= 1
                continue
            last = row
            while row >= 0 and self._jobs[row].id not in fresh_ids:
                row -= 1
            self.beginRemoveRows(QModelIndex(), row + 1, last)
            for job in self._jobs[row + 1 : last + 1]:
                self._clock_text_by_id.pop(job.id, None)
            del self._jobs[row + 1 : last + 1]
            self.endRemoveRows()

    def _insert_and_update(self, fresh: list[Job]) -> list[int]:
        """Insert new jobs at their rows, replace changed snapshots, and return the changed rows."""
        now = self._clock()
        changed: list[int] = []
        for row, job in enumerate(fresh):
            if row < len(self._jobs) and self._jobs[row].id == job.id:
                old = self._jobs[row]
                if old != job:
                    self._jobs[row] = job
                    changed.append(row)
                    if old.state is not job.state:
                        self.jobStateChanged.emit(job.id, old.state.value, job.state.value)
                continue
            self.beginInsertRows(QModelIndex(), row, row)
            self._jobs.insert(row, job)
            self._clock_text_by_id[job.id] = (state_text(job, now), expires_cell_text(job, now))
            self.endInsertRows()
        return changed

    def _emit_changed_ranges(self, rows: list[int], first: JobColumn, last: JobColumn) -> None:
        """Emit one `dataChanged` per run of consecutive rows."""
        start = 0
        while start < len(rows):
            end = start
            while end + 1 < len(rows) and rows[end + 1] == rows[end] + 1:
                end += 1
            self.dataChanged.emit(self.index(rows[start], first), self.index(rows[end], last))
            start = end + 1

    def _emit_clock_changes(self, already_emitted: set[int]) -> None:
        """Emit `dataChanged` for rows whose countdown or clock-derived state text changed."""
        now = self._clock()
        rows: list[int] = []
        for row, job in enumerate(self._jobs):
            clock_text = (state_text(job, now), expires_cell_text(job, now))
            if self._clock_text_by_id.get(job.id) != clock_text:
                self._clock_text_by_id[job.id] = clock_text
                if row not in already_emitted:
                    rows.append(row)
        self._emit_changed_ranges(rows, JobColumn.STATE, JobColumn.EXPIRES)

    def _update_counts(self) -> None:
        running = sum(1 for job in self._jobs if job.state is JobState.RUNNING)
        queued = sum(1 for job in self._jobs if job.state is JobState.QUEUED)
        if (running, queued) != self._counts:
            self._counts = (running, queued)
            self.activeCountsChanged.emit(running, queued)
