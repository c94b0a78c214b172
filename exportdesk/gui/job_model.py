"""`JobTableModel`: the owner's jobs as table rows, refreshed from the job table by a timer.

The job table is the only truth. Each refresh reads the owner's jobs, newest first, and
emits insert and remove signals for rows that came and went and ranged `dataChanged` for rows
whose snapshot changed, never a full reset in normal operation. Every job is read every 3 s,
which is enough for the minute-precision retention countdown. While a job is queued or running,
the queued and running jobs are also read every 100 ms (`store.list_active`). The model emits
`refreshed` after each successful read.

The timer's reads run in a pool thread, and only the differences are applied on the GUI
thread. `refresh()` and `refresh_active()` read at once on the GUI thread, for the first fill
and after the user's own actions. A timer read that started before such a read is dropped, so
the rows never go back to an older snapshot.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRunnable,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from sqlalchemy.exc import SQLAlchemyError

from exportdesk.gui.formatting import (
    expires_cell_text,
    format_count,
    format_size,
    format_timestamp,
    rows_text,
)
from exportdesk.gui.icons import state_icon
from exportdesk.gui.job_rate import (
    SPEED_TITLE,
    TIME_LEFT_TITLE,
    RateEstimate,
    RateTracker,
    speed_sort_key,
    speed_text,
    time_left_sort_key,
    time_left_text,
)
from exportdesk.gui.labels import format_label, selection_text, source_title
from exportdesk.i18n import QT_TR_NOOP, tr
from exportdesk.jobs import Job, JobState, utcnow
from exportdesk.messages import job_message, state_label
from exportdesk.store import JobStore
from exportdesk.store.job_list import JobListReader

log = logging.getLogger(__name__)

ACTIVE_INTERVAL_MS = 100
IDLE_INTERVAL_MS = 3000
# How long `stop_polling` waits for a read still running in the pool thread.
STOP_READ_TIMEOUT_MS = 10_000

JOB_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
PROGRESS_ROLE = Qt.ItemDataRole.UserRole + 3

Index = QModelIndex | QPersistentModelIndex
_STATE_ORDER = {state: order for order, state in enumerate(JobState)}

_DISPLAY_ROLE = int(Qt.ItemDataRole.DisplayRole)
_DECORATION_ROLE = int(Qt.ItemDataRole.DecorationRole)
_TOOLTIP_ROLE = int(Qt.ItemDataRole.ToolTipRole)
_ALIGNMENT_ROLE = int(Qt.ItemDataRole.TextAlignmentRole)
_ANSWERED_ROLES = frozenset({SORT_ROLE, JOB_ROLE, PROGRESS_ROLE, _DISPLAY_ROLE, _DECORATION_ROLE, _TOOLTIP_ROLE, _ALIGNMENT_ROLE})
_RIGHT_ALIGNED = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class JobColumn(enum.IntEnum):
    NAME = 0
    SOURCE = 1
    FORMAT = 2
    STATE = 3
    PROGRESS = 4
    ROWS = 5
    SPEED = 6
    TIME_LEFT = 7
    SIZE = 8
    CREATED = 9
    EXPIRES = 10


COLUMN_TITLES: dict[JobColumn, str] = {
    JobColumn.NAME: QT_TR_NOOP("Name"),
    JobColumn.SOURCE: "Source",
    JobColumn.FORMAT: "Format",
    JobColumn.STATE: QT_TR_NOOP("State"),
    JobColumn.PROGRESS: QT_TR_NOOP("Progress"),
    JobColumn.ROWS: "Rows",
    JobColumn.SPEED: SPEED_TITLE,
    JobColumn.TIME_LEFT: TIME_LEFT_TITLE,
    JobColumn.SIZE: "Size",
    JobColumn.CREATED: "Created",
    JobColumn.EXPIRES: QT_TR_NOOP("Expires in"),
}
_COLUMNS = tuple(JobColumn)
_NUMERIC_COLUMNS = {JobColumn.PROGRESS, JobColumn.ROWS, JobColumn.SPEED, JobColumn.TIME_LEFT, JobColumn.SIZE}
# Columns whose text and sort key change with the rate clock, not only with the snapshot.
_RATE_COLUMNS = (int(JobColumn.SPEED), int(JobColumn.TIME_LEFT))


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


def clock_texts(job: Job, now: dt.datetime) -> tuple[str, str]:
    """Return the state and "Expires in" texts, the two cells that change with the clock."""
    return state_text(job, now), expires_cell_text(job, now)


def next_clock_change(job: Job, now: dt.datetime) -> dt.datetime:
    """Return when a ready job's `clock_texts` may change next: the countdown is in whole minutes."""
    if job.expires_at is None or now >= job.expires_at:
        return dt.datetime.max.replace(tzinfo=dt.timezone.utc)
    whole_minutes = (job.expires_at - now) // dt.timedelta(minutes=1)
    # The countdown shows `whole_minutes` until exactly that many minutes are left.
    return job.expires_at - dt.timedelta(minutes=whole_minutes)


def percent_text(fraction: float | None) -> str:
    if fraction is None:
        return ""
    return tr("{percent}%").format(percent=int(fraction * 100))


class _ReadResults(QObject):
    """Carry a pool-thread read to the GUI thread: (read number, whether every job was read, jobs or error)."""

    finished = Signal(int, bool, object)


class _PollRead(QRunnable):
    """One read of the job table in a pool thread, for `JobTableModel`'s timer."""

    def __init__(self, read: Callable[[], list[Job]], read_number: int, all_jobs: bool, results: _ReadResults) -> None:
        super().__init__()
        self._read = read
        self._read_number = read_number
        self._all_jobs = all_jobs
        self._results = results

    def run(self) -> None:
        try:
            outcome: list[Job] | BaseException = self._read()
        except BaseException as error:  # delivered to the GUI thread, which logs it
            outcome = error
        self._results.finished.emit(self._read_number, self._all_jobs, outcome)


class JobTableModel(QAbstractTableModel):
    """Snapshots of the owner's jobs, newest first."""

    # (job id, old state, new state), for a state change seen by a refresh.
    jobStateChanged = Signal(str, str, str)
    # (running, queued) whenever either count changes.
    activeCountsChanged = Signal(int, int)
    # After each successful read of the job table, when the rows match it.
    refreshed = Signal()
    # After each successful read of every job (not only the active ones), before `refreshed`.
    allJobsRead = Signal()

    def __init__(
        self,
        store: JobStore,
        owner: str,
        clock: Callable[[], dt.datetime] = utcnow,
        parent: QObject | None = None,
        rate_clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`rate_clock` gives the seconds that time the progress samples of running jobs."""
        super().__init__(parent)
        self._store = store
        self._owner = owner
        self._clock = clock
        self._rates = RateTracker(rate_clock)
        # For each running job: the snapshot and the speed and time left texts last shown.
        self._rate_texts_by_id: dict[str, tuple[Job, tuple[str, str]]] = {}
        self._reader = JobListReader(store, owner)
        self._jobs: list[Job] = []
        self._clock_text_by_id: dict[str, tuple[str, str]] = {}
        # Each row's sort keys, one per column, for the snapshot they were computed from.
        self._sort_keys_by_id: dict[str, tuple[Job, tuple[Any, ...]]] = {}
        # For ready rows: the snapshot, when its clock texts were computed, and when they may change next.
        self._clock_checks_by_id: dict[str, tuple[Job, dt.datetime, dt.datetime]] = {}
        # The shown queued and running jobs, by id.
        self._active: dict[str, Job] = {}
        self._row_index: dict[str, int] | None = None
        self._counts = (0, 0)
        self._read_failing = False
        self._last_full_read = 0.0
        # Counts the reads applied to the rows. A pool-thread read that started before
        # another read was applied carries older data, so it is dropped.
        self._applied_reads = 0
        self._polling = False
        self._read_pending = False
        self._full_read_requested = False
        # The pool is created before the results object, so at deletion it is destroyed, and
        # waits for a running read, before that read's results object goes.
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._results = _ReadResults(self)
        self._results.finished.connect(self._poll_read, Qt.ConnectionType.QueuedConnection)
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
        # Qt requests many roles this model leaves empty (size hint, font, colours) for every
        # painted cell, and a sort requests SORT_ROLE twice per comparison: both return early.
        if role not in _ANSWERED_ROLES or not index.isValid():
            return None
        row = index.row()
        if not 0 <= row < len(self._jobs):
            return None
        job = self._jobs[row]
        if role == SORT_ROLE:
            if index.column() in _RATE_COLUMNS:
                return self._rate_sort_key(job, index.column())
            return self._sort_keys(job)[index.column()]
        # A tuple lookup instead of JobColumn(...), which costs more than the rest of the call.
        column = _COLUMNS[index.column()]
        if role == _DISPLAY_ROLE:
            return self._display_text(job, column)
        if role == JOB_ROLE:
            return job
        if role == PROGRESS_ROLE:
            return progress_fraction(job, self._clock()) if column is JobColumn.PROGRESS else None
        if role == _DECORATION_ROLE:
            return state_icon(display_state(job, self._clock())) if column is JobColumn.STATE else None
        if role == _TOOLTIP_ROLE:
            return self._tooltip(job, column)
        return _RIGHT_ALIGNED if column in _NUMERIC_COLUMNS else None

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
        if column is JobColumn.SPEED:
            return speed_text(self.rate_estimate(job))
        if column is JobColumn.TIME_LEFT:
            return time_left_text(self.rate_estimate(job))
        if column is JobColumn.SIZE:
            # An ended job other than a ready one has no file, so its partial size would mislead.
            has_file = job.state in (JobState.RUNNING, JobState.READY)
            return format_size(job.bytes_written) if has_file and job.bytes_written else ""
        if column is JobColumn.CREATED:
            return format_timestamp(job.created_at)
        return expires_cell_text(job, now)

    def _sort_keys(self, job: Job) -> tuple[Any, ...]:
        """Return the row's sort keys by column, computed once per snapshot.

        The keys of a ready job depend on the clock too: `_emit_clock_changes` drops them when
        its state or countdown text changes.
        """
        cached = self._sort_keys_by_id.get(job.id)
        if cached is not None and cached[0] is job:
            return cached[1]
        now = self._clock()
        fraction = progress_fraction(job, now)
        expires = job.expires_at if job.state is JobState.READY and not job.is_expired_at(now) else None
        keys = (
            (job.name or job.file_name).casefold(),
            source_title(job.spec.source).casefold(),
            format_label(job.spec),
            _STATE_ORDER[display_state(job, now)],
            -1.0 if fraction is None else fraction,
            job.rows_done,
            # The speed and time left keys change with the rate clock: see `_rate_sort_key`.
            None,
            None,
            job.bytes_written,
            job.created_at.timestamp(),
            expires.timestamp() if expires is not None else float("inf"),
        )
        self._sort_keys_by_id[job.id] = (job, keys)
        return keys

    def _rate_sort_key(self, job: Job, column: int) -> float:
        """Return the speed, or the seconds left with unknown last in ascending order."""
        estimate = self.rate_estimate(job)
        return speed_sort_key(estimate) if column == JobColumn.SPEED else time_left_sort_key(estimate)

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
        return self._rows_by_id().get(job_id)

    def job(self, job_id: str) -> Job | None:
        row = self.row_of(job_id)
        return None if row is None else self._jobs[row]

    def jobs(self) -> list[Job]:
        return list(self._jobs)

    def now(self) -> dt.datetime:
        return self._clock()

    def running_jobs(self) -> list[Job]:
        return [job for job in self._active.values() if job.state is JobState.RUNNING]

    def rate_estimate(self, job: Job) -> RateEstimate | None:
        """Return a running job's speed and time left, or None for a job in another state."""
        if job.state is not JobState.RUNNING:
            return None
        return self._rates.estimate(job.id)

    def time_left_text(self, job: Job) -> str:
        return time_left_text(self.rate_estimate(job))

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
        self._polling = True
        self._timer.start()

    def stop_polling(self) -> None:
        """Stop the timer and wait for a read still running in the pool thread."""
        self._polling = False
        self._timer.stop()
        if not self._pool.waitForDone(STOP_READ_TIMEOUT_MS):
            log.warning("Job list: a read of the job table was still running when polling stopped")

    def refresh(self) -> None:
        """Read the owner's jobs on this thread and apply the differences to the rows."""
        try:
            fresh = self._reader.read()
        except SQLAlchemyError as error:
            self._read_failed(error)
            return
        self._apply_full_read(fresh)

    def refresh_active(self) -> None:
        """Read the queued and running jobs, and the jobs the list shows as such, and update their rows.

        A new job newer than every row is inserted at the top, and any other new job leads to a full `refresh()`.
        """
        try:
            fresh = self._store.list_active(self._owner, list(self._active))
        except SQLAlchemyError as error:
            self._read_failed(error)
            return
        self._apply_active_read(fresh)

    def _poll(self) -> None:
        """Start a read in the pool thread: the active jobs while there are any, and every job each `IDLE_INTERVAL_MS`.

        On the GUI thread, reading every job held it for about 40 ms with 1,000 jobs.
        """
        if self._read_pending:
            return  # the previous read has not come back yet
        read: Callable[[], list[Job]]
        all_jobs = (
            self._full_read_requested
            or not self._active
            or time.monotonic() - self._last_full_read >= IDLE_INTERVAL_MS / 1000
        )
        if all_jobs:
            self._full_read_requested = False
            read = self._reader.read
        else:
            store, owner, active_ids = self._store, self._owner, list(self._active)

            def read() -> list[Job]:
                return store.list_active(owner, active_ids)

        self._read_pending = True
        self._pool.start(_PollRead(read, self._applied_reads, all_jobs, self._results))

    def refresh_soon(self) -> None:
        """Read every job in the pool thread now, or once the read running there has come back.

        Without polling, this reads at once on the GUI thread, as `refresh()` does.
        """
        if not self._polling:
            self.refresh()
            return
        self._full_read_requested = True
        self._poll()

    def _poll_read(self, read_number: int, all_jobs: bool, outcome: list[Job] | BaseException) -> None:
        self._read_pending = False
        self._apply_poll_read(read_number, all_jobs, outcome)
        if self._full_read_requested and self._polling:
            self._poll()

    def _apply_poll_read(self, read_number: int, all_jobs: bool, outcome: list[Job] | BaseException) -> None:
        if isinstance(outcome, SQLAlchemyError):
            self._read_failed(outcome)
            return
        if isinstance(outcome, BaseException):
            log.error("Job list: reading the job table failed", exc_info=outcome)
            return
        if not self._polling or read_number != self._applied_reads:
            return  # stopped, or a read applied meanwhile contains newer data
        if all_jobs:
            self._apply_full_read(outcome)
        else:
            self._apply_active_read(outcome)

    def _apply_full_read(self, fresh: list[Job]) -> None:
        self._applied_reads += 1
        self._last_full_read = time.monotonic()
        self._apply(fresh)
        self._active = {job.id: job for job in self._jobs if job.state.is_active}
        self._refreshed(all_jobs=True)

    def _apply_active_read(self, fresh: list[Job]) -> None:
        self._applied_reads += 1
        rows = self._rows_by_id()
        new = [job for job in fresh if job.id not in rows]
        if new:
            if self._jobs and _list_order(new[-1]) >= _list_order(self._jobs[0]):
                self.refresh()
                return
            self._insert_at_top(new)
            rows = self._rows_by_id()
        now = self._clock()
        changed: list[int] = []
        for job in fresh:
            row = rows[job.id]
            old = self._jobs[row]
            if old == job:
                continue
            self._jobs[row] = job
            self._clock_text_by_id[job.id] = clock_texts(job, now)
            changed.append(row)
            if old.state is not job.state:
                self.jobStateChanged.emit(job.id, old.state.value, job.state.value)
        self._emit_changed_ranges(sorted(changed), JobColumn.NAME, JobColumn.EXPIRES)
        # A job the list shows as active but the read did not return was removed: it stays
        # until the next full read removes its row.
        fresh_ids = {job.id for job in fresh}
        still_shown = {job_id: job for job_id, job in self._active.items() if job_id not in fresh_ids}
        self._active = still_shown | {job.id: job for job in fresh if job.state.is_active}
        self._refreshed()

    def _rows_by_id(self) -> dict[str, int]:
        """Return each job's row, rebuilt only after rows were inserted or removed."""
        if self._row_index is None:
            self._row_index = {job.id: row for row, job in enumerate(self._jobs)}
        return self._row_index

    def _insert_at_top(self, new: list[Job]) -> None:
        now = self._clock()
        self.beginInsertRows(QModelIndex(), 0, len(new) - 1)
        self._jobs[0:0] = new
        self._row_index = None
        for job in new:
            self._clock_text_by_id[job.id] = clock_texts(job, now)
        self.endInsertRows()

    def _read_failed(self, error: SQLAlchemyError) -> None:
        if not self._read_failing:
            log.error("Job list: reading the job table failed: %s", error)
        self._read_failing = True

    def _refreshed(self, all_jobs: bool = False) -> None:
        if self._read_failing:
            log.info("Job list: reading the job table works again")
            self._read_failing = False
        self._update_counts()
        self._timer.setInterval(ACTIVE_INTERVAL_MS if self._active else IDLE_INTERVAL_MS)
        self._observe_rates()
        if all_jobs:
            self.allJobsRead.emit()
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
            self._row_index = None
            self._clock_text_by_id.clear()
            self._clock_checks_by_id.clear()
            self._sort_keys_by_id.clear()
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
        self._row_index = None
        for job in fresh:
            if job.state is JobState.READY:
                self._clock_text_by_id[job.id] = clock_texts(job, now)
        self.endInsertRows()

    def _same_relative_order(self, fresh: list[Job]) -> bool:
        fresh_ids = {job.id for job in fresh}
        current_order = [job.id for job in self._jobs if job.id in fresh_ids]
        current_ids = self._rows_by_id()
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
                self._clock_checks_by_id.pop(job.id, None)
                self._sort_keys_by_id.pop(job.id, None)
            del self._jobs[row + 1 : last + 1]
            self._row_index = None
            self.endRemoveRows()

    def _insert_and_update(self, fresh: list[Job]) -> list[int]:
        """Insert new jobs at their rows, replace changed snapshots, and return the changed rows."""
        now = self._clock()
        changed: list[int] = []
        for row, job in enumerate(fresh):
            if row < len(self._jobs) and self._jobs[row].id == job.id:
                old = self._jobs[row]
                # `JobListReader` returns the same object for an unchanged row, so most rows stop at `is`.
                if old is not job and old != job:
                    self._jobs[row] = job
                    changed.append(row)
                    if old.state is not job.state:
                        self.jobStateChanged.emit(job.id, old.state.value, job.state.value)
                continue
            self.beginInsertRows(QModelIndex(), row, row)
            self._jobs.insert(row, job)
            self._row_index = None
            self._clock_text_by_id[job.id] = clock_texts(job, now)
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
        """Emit `dataChanged` for rows whose countdown or clock-derived state text changed.

        Only a ready job's texts change with the clock, and each is computed again only once
        the next whole minute of its countdown has passed.
        """
        now = self._clock()
        rows: list[int] = []
        for row, job in enumerate(self._jobs):
            if job.state is not JobState.READY:
                continue
            check = self._clock_checks_by_id.get(job.id)
            # A clock set back (a changed system time) checks the texts again.
            if check is not None and check[0] is job and check[1] <= now < check[2]:
                continue
            self._clock_checks_by_id[job.id] = (job, now, next_clock_change(job, now))
            texts = clock_texts(job, now)
            if self._clock_text_by_id.get(job.id) != texts:
                self._clock_text_by_id[job.id] = texts
                # The sort keys of the state, progress and expiry columns change with these texts.
                self._sort_keys_by_id.pop(job.id, None)
                if row not in already_emitted:
                    rows.append(row)
        self._emit_changed_ranges(rows, JobColumn.STATE, JobColumn.EXPIRES)

    def _observe_rates(self) -> None:
        """Give the running jobs' progress to the rate tracker, and emit `dataChanged` for changed speed and time left cells.

        A row whose snapshot changed was emitted whole by the read that brought it, and so was
        a job that stopped running, so only rows with the same snapshot are emitted here.
        """
        running = {job.id: job for job in self.running_jobs()}
        self._rates.forget_all_but(set(running))
        for job_id in [job_id for job_id in self._rate_texts_by_id if job_id not in running]:
            del self._rate_texts_by_id[job_id]
        rows_by_id = self._rows_by_id()
        changed: list[int] = []
        for job in running.values():
            self._rates.observe(job.id, job.attempts, job.rows_done, job.rows_total)
            estimate = self._rates.estimate(job.id)
            texts = (speed_text(estimate), time_left_text(estimate))
            shown = self._rate_texts_by_id.get(job.id)
            self._rate_texts_by_id[job.id] = (job, texts)
            if shown is not None and shown[0] == job and shown[1] != texts and job.id in rows_by_id:
                changed.append(rows_by_id[job.id])
        self._emit_changed_ranges(sorted(changed), JobColumn.SPEED, JobColumn.TIME_LEFT)

    def _update_counts(self) -> None:
        running = sum(1 for job in self._active.values() if job.state is JobState.RUNNING)
        counts = (running, len(self._active) - running)
        if counts != self._counts:
            self._counts = counts
            self.activeCountsChanged.emit(*counts)
