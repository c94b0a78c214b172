"""Text for numbers, sizes, times and the retention countdown in the window's language."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDateTime, QLocale, QTimeZone

from exportdesk.i18n import current_language, register, tr
from exportdesk.jobs import Job, JobState
from exportdesk.messages import state_label

register(
    {
        "{days} d {hours} h": "{days} д {hours} ч",
        "{hours} h {minutes} min": "{hours} ч {minutes} мин",
        "{minutes} min": "{minutes} мин",
        "less than 1 min": "меньше минуты",
        "{count} byte|{count} bytes": "{count} байт|{count} байта|{count} байт",
        "{hours} h": "{hours} ч",
    }
)


def ui_locale() -> QLocale:
    """Return the QLocale that matches the language of the user interface."""
    if current_language() == "ru":
        return QLocale(QLocale.Language.Russian, QLocale.Country.Russia)
    return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


def format_count(value: int) -> str:
    """Format a whole number with the locale's digit grouping: 336 776 or 336,776."""
    return ui_locale().toString(value)


def plural(forms: str, count: int) -> str:
    """Pick the plural form of `forms` for `count` and fill in `{count}`.

    `forms` is a translated text whose forms are separated by "|": two in English (one, other)
    and three in Russian (one, few, many), as in "{count} файл|{count} файла|{count} файлов".
    """
    choices = forms.split("|")
    if current_language() == "ru" and len(choices) == 3:
        tens, units = count % 100, count % 10
        if units == 1 and tens != 11:
            chosen = choices[0]
        elif 2 <= units <= 4 and not 12 <= tens <= 14:
            chosen = choices[1]
        else:
            chosen = choices[2]
    else:
        chosen = choices[0] if count == 1 else choices[-1]
    return chosen.format(count=format_count(count))


def format_size(size_bytes: int) -> str:
    """Format a byte count with binary multiples and the locale's unit names: 29,8 МБ."""
    if size_bytes < 1024:
        # Qt 6.11 writes "1 bytes" and "1 байты" below one kilobyte, so these get their own plurals.
        return plural(tr("{count} byte|{count} bytes"), size_bytes)
    return ui_locale().formattedDataSize(size_bytes, 1, QLocale.DataSizeFormat.DataSizeTraditionalFormat)


def format_timestamp(moment: dt.datetime) -> str:
    """Format an aware UTC timestamp in the local time zone, in the locale's short form."""
    local = QDateTime.fromSecsSinceEpoch(int(moment.timestamp()), QTimeZone.systemTimeZone())
    return ui_locale().toString(local, QLocale.FormatType.ShortFormat)


def format_remaining(remaining: dt.timedelta) -> str:
    """Format the time left before expiry, rounded down: 23 h 59 min, 2 d 3 h, 5 min."""
    minutes_total = int(remaining.total_seconds() // 60)
    if minutes_total < 1:
        return tr("less than 1 min")
    days, minutes_left = divmod(minutes_total, 24 * 60)
    hours, minutes = divmod(minutes_left, 60)
    if days:
        return tr("{days} d {hours} h").format(days=days, hours=hours)
    if hours:
        return tr("{hours} h {minutes} min").format(hours=hours, minutes=minutes)
    return tr("{minutes} min").format(minutes=minutes)


def format_retention(retention_s: int) -> str:
    """Format a retention period: whole hours as "24 h", anything else like the countdown."""
    if retention_s % 3600 == 0:
        return tr("{hours} h").format(hours=retention_s // 3600)
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
