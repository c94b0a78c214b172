"""The facts about one job, as label and value pairs for the details panel and for support.

`detail_fields()` lists the job's settings and results in the UI language, and
`support_text()` joins them, and the job's log lines, as plain text for the clipboard. The
source goes through `source_title()`, which replaces any password in a URL with ***.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from exportdesk import __version__
from exportdesk.gui.formatting import expires_in_text, format_retention, format_size, format_timestamp
from exportdesk.gui.job_model import display_state, rows_cell_text, state_text
from exportdesk.gui.labels import format_name, profile_label, source_title
from exportdesk.i18n import tr
from exportdesk.jobs import Job, JobState
from exportdesk.messages import job_message
from exportdesk.sources import HTTP_PREFIX


@dataclass(frozen=True)
class DetailField:
    """One line of the details: a stable key, the label in the UI language, and the value."""

    key: str
    label: str
    value: str


def _expiry_field(job: Job, now: dt.datetime) -> DetailField | None:
    if job.expires_at is None or job.state not in (JobState.READY, JobState.EXPIRED):
        return None
    time = format_timestamp(job.expires_at)
    if job.is_expired_at(now):
        return DetailField("expires", tr("Expired"), time)
    return DetailField("expires", tr("Expires"), tr("{time} ({remaining} left)").format(time=time, remaining=expires_in_text(job, now)))


def _result_fields(job: Job, now: dt.datetime, time_left: str) -> list[DetailField]:
    """Return the fields that describe the run and its file, for those the job has."""
    fields = [DetailField("created", tr("Created"), format_timestamp(job.created_at))]
    if job.finished_at is not None:
        fields.append(DetailField("finished", tr("Finished"), format_timestamp(job.finished_at)))
    expiry = _expiry_field(job, now)
    if expiry is not None:
        fields.append(expiry)
    if job.downloaded_at is not None:
        fields.append(DetailField("downloaded", tr("Downloaded"), format_timestamp(job.downloaded_at)))
    rows = rows_cell_text(job)
    if rows:
        fields.append(DetailField("rows", tr("Rows"), rows))
    if time_left and job.state is JobState.RUNNING:
        fields.append(DetailField("time_left", tr("Time left"), time_left))
    # Only a running or ready job has a file, so another job's partial size would mislead.
    if job.state in (JobState.RUNNING, JobState.READY) and job.bytes_written:
        fields.append(DetailField("size", tr("Size"), format_size(job.bytes_written)))
    if job.sha256:
        fields.append(DetailField("sha256", tr("SHA-256"), job.sha256))
    return fields


def detail_fields(job: Job, now: dt.datetime, time_left: str = "") -> list[DetailField]:
    """List the job's settings, then its results, in the UI language.

    `time_left` is the estimate of the job list, shown for a running job when it is not empty.
    """
    spec = job.spec
    fields = [DetailField("source", tr("Source"), source_title(spec.source))]
    if spec.selection.query:
        fields.append(DetailField("query", tr("SQL query"), spec.selection.query.strip()))
    else:
        fields.append(DetailField("tables", tr("Tables"), ", ".join(spec.selection.tables)))
    if spec.selection.columns is not None:
        fields.append(DetailField("columns", tr("Columns"), ", ".join(spec.selection.columns)))
    fields.append(DetailField("format", tr("Format"), format_name(spec.format)))
    if spec.format == "csv":
        fields.append(DetailField("profile", tr("CSV profile"), profile_label(spec.profile)))
    fields.append(DetailField("retention", tr("Retention"), format_retention(spec.retention_s)))
    fields.append(DetailField("file_name", tr("File name"), job.file_name))
    fields.append(DetailField("consistency", tr("Consistency"), _consistency_text(spec.source)))
    return fields + _result_fields(job, now, time_left)


def _consistency_text(source: str) -> str:
    """Return whether the export reads one consistent snapshot, as a ZIP's manifest also records."""
    if source.startswith(HTTP_PREFIX):
        return tr(
            "Read page by page: the service offers no snapshot, so records changed during the export may be missing or repeated."
        )
    return tr("One snapshot: the database is read in a single transaction.")


def support_text(job: Job, now: dt.datetime, time_left: str = "", log_lines: Sequence[str] = ()) -> str:
    """Return the job's details, and then `log_lines`, as plain text to paste into a message to support.

    It contains no password: `source_title()` hides a password in a URL, the job table
    stores source URLs without one, and `exportdesk.job_log` redacts the log lines.
    """
    lines = [
        tr("ExportDesk {version}, export {job_id}").format(version=__version__, job_id=job.id),
        tr("Name") + f": {job.name or job.file_name}",
        tr("State") + f": {state_text(job, now)}",
    ]
    if display_state(job, now) is JobState.FAILED and job.error_code is not None:
        lines.append(tr("Error code") + f": {job.error_code.value}")
    message = job_message(job)
    if message:
        lines.append(tr("Message") + f": {message}")
    for field in detail_fields(job, now, time_left):
        lines.append(f"{field.label}: {field.value}")
    if log_lines:
        lines.append(tr("Log") + ":")
        lines.extend(log_lines)
    return "\n".join(lines) + "\n"
