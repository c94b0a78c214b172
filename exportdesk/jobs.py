"""Job vocabulary: states, the allowed transitions, error codes and the Job snapshot.

Only `exportdesk.store.jobstore.JobStore` writes the state column, and it checks every
change against `TRANSITIONS` here.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import Any


class JobState(str, enum.Enum):
    QUEUED = "queued"
    RUNNING = "running"
    READY = "ready"
    FAILED = "failed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"

    @property
    def is_active(self) -> bool:
        return self in (JobState.QUEUED, JobState.RUNNING)

    @property
    def is_ended(self) -> bool:
        return not self.is_active


TRANSITIONS: dict[JobState, frozenset[JobState]] = {
    JobState.QUEUED: frozenset({JobState.RUNNING, JobState.CANCELLED, JobState.FAILED}),
    JobState.RUNNING: frozenset({JobState.READY, JobState.FAILED, JobState.CANCELLED, JobState.QUEUED}),
    JobState.READY: frozenset({JobState.EXPIRED}),
    JobState.FAILED: frozenset(),
    JobState.CANCELLED: frozenset(),
    JobState.EXPIRED: frozenset(),
}


class Outcome(str, enum.Enum):
    """The way a job ended, stored beside its state."""

    COMPLETED = "completed"
    ERROR = "error"
    INTERRUPTED = "interrupted"
    CANCELLED_BY_USER = "cancelled_by_user"
    RETENTION_ELAPSED = "retention_elapsed"
    FILE_MISSING = "file_missing"


class ErrorCode(str, enum.Enum):
    """Codes of the failures a user can see; `exportdesk.messages` maps each to text."""

    INTERRUPTED = "interrupted"
    SOURCE_UNREACHABLE = "source_unreachable"
    SOURCE_LOCKED = "source_locked"
    TABLE_NOT_FOUND = "table_not_found"
    COLUMN_NOT_FOUND = "column_not_found"
    QUERY_INVALID = "query_invalid"
    DISK_FULL = "disk_full"
    PERMISSION_DENIED = "permission_denied"
    CREDENTIALS_REJECTED = "credentials_rejected"
    ENCODING_UNSUPPORTED = "encoding_unsupported"
    RESPONSE_INVALID = "response_invalid"
    INTERNAL = "internal"


class ExportDeskError(Exception):
    """An environment error with a user-facing code; `detail` goes to the log only."""

    def __init__(self, code: ErrorCode, detail: str = "", subject: str | None = None) -> None:
        super().__init__(f"{code.value}: {detail}" if detail else code.value)
        self.code = code
        self.detail = detail
        self.subject = subject


class InvalidTransition(Exception):
    def __init__(self, job_id: str, current: JobState, target: JobState) -> None:
        super().__init__(f"Job {job_id}: cannot move from {current.value} to {target.value}")


@dataclass(frozen=True)
class Selection:
    """The part of a source to export: tables, or one SQL query.

    `columns` names the columns of a single table to export, in file order; None exports
    all of them. Jobs stored before column lists existed have no `columns` key and read as None.
    """

    tables: tuple[str, ...] = ()
    query: str | None = None
    columns: tuple[str, ...] | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"tables": list(self.tables), "query": self.query}
        if self.columns is not None:
            data["columns"] = list(self.columns)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Selection:
        columns = data.get("columns")
        return cls(
            tables=tuple(data.get("tables") or ()),
            query=data.get("query"),
            columns=tuple(columns) if columns is not None else None,
        )


@dataclass(frozen=True)
class JobSpec:
    """Everything needed to start (or start again) an export."""

    source: str
    selection: Selection
    format: str = "csv"
    profile: str = "excel-ru"
    name: str = ""
    retention_s: int = 24 * 3600
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Job:
    """A plain snapshot of one job row; safe to pass between threads and processes."""

    id: str
    owner: str
    spec: JobSpec
    state: JobState
    outcome: Outcome | None
    error_code: ErrorCode | None
    file_name: str
    rows_done: int
    rows_total: int | None
    bytes_written: int
    sha256: str | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    expires_at: dt.datetime | None
    progress_at: dt.datetime | None
    attempts: int
    cancel_requested: bool
    lease_pid: int | None
    lease_instance: str | None
    heartbeat_at: dt.datetime | None
    checkpoint: dict[str, Any] | None = None
    downloaded_at: dt.datetime | None = None
    # A value the user may see in the error message, such as the missing table's name.
    error_subject: str | None = None
    reminded_at: dt.datetime | None = None

    @property
    def name(self) -> str:
        return self.spec.name

    def is_expired_at(self, now: dt.datetime) -> bool:
        """Tell whether the artifact is past retention: at `expires_at` exactly it is expired."""
        if self.state is JobState.EXPIRED:
            return True
        return self.state is JobState.READY and self.expires_at is not None and now >= self.expires_at

    @property
    def fraction(self) -> float | None:
        if self.state is JobState.READY:
            return 1.0
        if not self.rows_total:
            return None
        return min(1.0, self.rows_done / self.rows_total)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)
