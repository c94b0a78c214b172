"""The catalogue of messages users see: state labels and one message per error code.

The technical detail (exception, SQL, HTTP status) goes to the log with the job id, never here.
"""

from __future__ import annotations

from exportdesk.i18n import QT_TR_NOOP, tr
from exportdesk.jobs import ErrorCode, Job, JobState

STATE_LABELS: dict[JobState, str] = {
    JobState.QUEUED: QT_TR_NOOP("Queued"),
    JobState.RUNNING: QT_TR_NOOP("Running"),
    JobState.READY: QT_TR_NOOP("Ready"),
    JobState.FAILED: QT_TR_NOOP("Error"),
    JobState.CANCELLED: QT_TR_NOOP("Cancelled"),
    JobState.EXPIRED: QT_TR_NOOP("Retention period expired"),
}

ERROR_MESSAGES: dict[ErrorCode, str] = {
    ErrorCode.INTERRUPTED: QT_TR_NOOP("The export was interrupted. Export again to start it anew."),
    ErrorCode.SOURCE_UNREACHABLE: QT_TR_NOOP("Could not connect to the data source. Check that it is available and export again."),
    ErrorCode.SOURCE_LOCKED: QT_TR_NOOP("The database is locked by another program. Close that program or wait until it finishes, then export again."),
    ErrorCode.TABLE_NOT_FOUND: QT_TR_NOOP("The table was not found in the source. Check the selection and export again."),
    ErrorCode.COLUMN_NOT_FOUND: QT_TR_NOOP("A chosen column was not found in the table. Choose the columns again and export."),
    ErrorCode.QUERY_INVALID: QT_TR_NOOP("The database rejected the query. Check the query text and export again."),
    ErrorCode.DISK_FULL: QT_TR_NOOP("Not enough disk space. Free some space and export again."),
    ErrorCode.PERMISSION_DENIED: QT_TR_NOOP("No permission to write the file. Check the folder's permissions and export again."),
    ErrorCode.CREDENTIALS_REJECTED: QT_TR_NOOP("The source rejected the user name or password. Check them and export again."),
    ErrorCode.ENCODING_UNSUPPORTED: QT_TR_NOOP("Some text cannot be written in the chosen encoding. Choose UTF-8 and export again."),
    ErrorCode.RESPONSE_INVALID: QT_TR_NOOP("The service's response is not the data its settings expect. Check the source settings and export again."),
    ErrorCode.INTERNAL: QT_TR_NOOP("The export failed because of an internal error. Export again; if it repeats, send the log to support."),
}

# Variants that name the value the user chose, where the job recorded it.
SUBJECT_MESSAGES: dict[ErrorCode, str] = {
    ErrorCode.TABLE_NOT_FOUND: QT_TR_NOOP("The table «{subject}» was not found in the source. Check the selection and export again."),
    ErrorCode.COLUMN_NOT_FOUND: QT_TR_NOOP("The column «{subject}» was not found in the table. Choose the columns again and export."),
    ErrorCode.SOURCE_UNREACHABLE: QT_TR_NOOP("Could not open the data source {subject}. Check that it is available and export again."),
    ErrorCode.ENCODING_UNSUPPORTED: QT_TR_NOOP("Some text cannot be written in the encoding {subject}. Choose UTF-8 and export again."),
    # The subject is the database's own reason, recorded for custom queries only.
    ErrorCode.QUERY_INVALID: QT_TR_NOOP("The database rejected the query: {subject}. Fix the query and export again."),
}

EXPIRED_MESSAGE = QT_TR_NOOP("The file is no longer available: its retention period has expired. Export again.")
CANCELLED_MESSAGE = QT_TR_NOOP("The export was cancelled.")


def state_label(state: JobState) -> str:
    return tr(STATE_LABELS[state])


def error_message(code: ErrorCode, subject: str | None = None) -> str:
    """Return the message for `code`, naming `subject` where the code has a variant for it."""
    if subject and code in SUBJECT_MESSAGES:
        return tr(SUBJECT_MESSAGES[code]).format(subject=subject)
    return tr(ERROR_MESSAGES[code])


def job_message(job: Job) -> str:
    """Return the one-line message for a job's state, or "" when it needs none."""
    if job.state is JobState.FAILED:
        return error_message(job.error_code or ErrorCode.INTERNAL, job.error_subject)
    if job.state is JobState.EXPIRED:
        return tr(EXPIRED_MESSAGE)
    if job.state is JobState.CANCELLED:
        return tr(CANCELLED_MESSAGE)
    return ""
