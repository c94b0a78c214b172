"""Text for numbers, sizes, times and the retention countdown in the window's language."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDateTime, QLocale, QTimeZone

from exportdesk.i18n import format_count, format_size, language_locale, tr
from exportdesk.jobs import Job, JobState
from exportdesk.messages import state_label

__all__ = [
    "expires_cell_text",
    "expires_in_text",
    "format_count",
    "format_remaining",
    "format_retention",
    "format_size",
    "format_timestamp",
    "rows_text",
    "ui_locale",
]


def ui_locale() -> QLocale:
    """Return the QLocale that matches the language of the user interface."""
    return language_locale()


def format_timestamp(moment: dt.datetime) -> str:
    """Format an aware UTC timestamp in the local time zone, in the locale's short form."""
    local = QDateTime.fromSecsSinceEpoch(int(moment.timestamp()), QTimeZone.systemTimeZone())
    return ui_locale().toString(local, QLocale.FormatType.ShortFormat)


def format_remaining(remaining: dt.timedelta) -> str:
    """Format the time left before expiry, rounded down: "23 hours 59 minutes", "2 days 3 hours", "5 minutes"."""
    minutes_total = int(remaining.total_seconds() // 60)
    if minutes_total < 1:
        return tr("less than a minute")
    days, minutes_left = divmod(minutes_total, 24 * 60)
    hours, minutes = divmod(minutes_left, 60)
    if days:
        parts = [tr("%Ln day(s)", None, days), tr("%Ln hour(s)", None, hours) if hours else ""]
    elif hours:
        parts = [tr("%Ln hour(s)", None, hours), tr("%Ln minute(s)", None, minutes) if minutes else ""]
    else:
        parts = [tr("%Ln minute(s)", None, minutes)]
    return " ".join(part for part in parts if part)


def format_retention(retention_s: int) -> str:
    """Format a retention period: whole hours as "24 hours", anything else like the countdown."""
    if retention_s % 3600 == 0:
        return tr("%Ln hour(s)", None, retention_s // 3600)
    return format_remaining(dt.timedelta(seconds=retention_s))


def expires_in_text(job: Job, now: dt.datetime) -> str:
    """Return the countdown for a ready job, or "" for a job without a kept file."""
    if job.state is not JobState.READY or job.expires_at is None or job.is_expired_at(now):
        return ""
    return format_remaining(job.expires_at - now)


def expires_cell_text(job: Job, now: dt.datetime) -> str:
    """Return the "Expires in" cell: the countdown, the expiry label for an expired job, or ""."""
    if job.is_expired_at(now):
        return state_label(JobState.EXPIRED)
    return expires_in_text(job, now)


def rows_text(job: Job) -> str:
    """Return "done / estimated" rows, or the final count for a ready or expired job."""
    if job.state in (JobState.READY, JobState.EXPIRED) or job.rows_total is None:
        return format_count(job.rows_done)
    return f"{format_count(job.rows_done)} / {format_count(job.rows_total)}"
